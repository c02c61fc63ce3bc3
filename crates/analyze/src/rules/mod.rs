//! The rules of `sysgate advise`, one file each. A rule watches completed syscalls (after the
//! shared [`Ctx`] has applied them), keeps compact per-key state, and reports [`Finding`]s when
//! the run ends. Thresholds are conservative: no finding is better than a wrong one.
//!
//! Each rule's file starts with a doc comment saying what it detects, why it matters, the
//! evidence it shows and the fix it suggests; users read the same in `docs/rules/<id>.md`.

use sysgate_event::SyscallEvent;

use crate::advise::ctx::Ctx;
use crate::advise::finding::{Evidence, Finding, Saving, Severity};

#[path = "alloc-churn.rs"]
pub mod alloc_churn;
#[path = "blocking-in-event-loop.rs"]
pub mod blocking_in_event_loop;
#[path = "blocking-io-without-multiplexing.rs"]
pub mod blocking_io_without_multiplexing;
#[path = "busy-poll.rs"]
pub mod busy_poll;
#[path = "failed-probe-storm.rs"]
pub mod failed_probe_storm;
#[path = "fd-leak.rs"]
pub mod fd_leak;
#[path = "fd-leak-across-exec.rs"]
pub mod fd_leak_across_exec;
#[path = "fsync-per-write.rs"]
pub mod fsync_per_write;
#[path = "nonidempotent-retry.rs"]
pub mod nonidempotent_retry;
#[path = "reread-file.rs"]
pub mod reread_file;
#[path = "sandbox-enosys-eperm.rs"]
pub mod sandbox_enosys_eperm;
#[path = "short-write-ignored.rs"]
pub mod short_write_ignored;
#[path = "small-reads.rs"]
pub mod small_reads;
#[path = "spawn-storm.rs"]
pub mod spawn_storm;
#[path = "stat-storm.rs"]
pub mod stat_storm;
#[path = "syscall-per-message.rs"]
pub mod syscall_per_message;
#[path = "unbatched-writes.rs"]
pub mod unbatched_writes;
#[path = "unsafe-concurrent-append.rs"]
pub mod unsafe_concurrent_append;

/// Most keys (fds, paths, threads) a rule tracks; later keys are ignored.
pub const MAX_KEYS: usize = 100_000;

/// A rule: state fed by events, findings at the end.
pub trait Rule {
    /// A completed syscall; `cx` already reflects it (a new fd is in the table, a closed one
    /// is in [`Ctx::removed`]).
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str);

    /// Process `pid` exited; `cx` still holds its fds.
    fn process_exit(&mut self, cx: &Ctx, pid: u32, ts_ns: u64) {
        let _ = (cx, pid, ts_ns);
    }

    /// Thread `tid` of `pid` exited.
    fn thread_exit(&mut self, cx: &Ctx, pid: u32, tid: u32, ts_ns: u64) {
        let _ = (cx, pid, tid, ts_ns);
    }

    /// The run is over: report.
    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>);
}

/// A rule's identity and constructor.
#[derive(Debug)]
pub struct RuleInfo {
    /// The id used by `--rule`, `--skip`, JSON and `docs/rules/<id>.md`.
    pub id: &'static str,
    /// A short title.
    pub title: &'static str,
    /// Makes a fresh instance.
    pub make: fn() -> Box<dyn Rule>,
}

impl Finding {
    /// A finding of rule `info`.
    pub fn new(info: &RuleInfo, severity: Severity, message: String) -> Finding {
        Finding {
            rule: info.id,
            title: info.title,
            severity,
            message,
            evidence: Evidence::default(),
            saving: Saving::default(),
            fix: String::new(),
        }
    }
}

/// Every rule, in the order they are documented.
#[rustfmt::skip]
pub static ALL: &[RuleInfo] = &[
    small_reads::INFO,
    unbatched_writes::INFO,
    fsync_per_write::INFO,
    stat_storm::INFO,
    failed_probe_storm::INFO,
    reread_file::INFO,
    spawn_storm::INFO,
    alloc_churn::INFO,
    busy_poll::INFO,
    syscall_per_message::INFO,
    unsafe_concurrent_append::INFO,
    fd_leak_across_exec::INFO,
    fd_leak::INFO,
    short_write_ignored::INFO,
    nonidempotent_retry::INFO,
    sandbox_enosys_eperm::INFO,
    blocking_io_without_multiplexing::INFO,
    blocking_in_event_loop::INFO,
];

/// The rule called `id`.
pub fn by_id(id: &str) -> Option<&'static RuleInfo> {
    ALL.iter().find(|r| r.id == id)
}

/// The rules to run: `only` (all when empty) minus `skip`. Ids may be comma-separated; an
/// unknown id is an error that lists the known ones.
pub fn select(only: &[String], skip: &[String]) -> Result<Vec<&'static RuleInfo>, String> {
    let parse = |list: &[String]| -> Result<Vec<&'static RuleInfo>, String> {
        let mut out = Vec::new();
        for id in list.iter().flat_map(|s| s.split(',')) {
            let id = id.trim();
            if id.is_empty() {
                continue;
            }
            match by_id(id) {
                Some(r) => out.push(r),
                None => {
                    let known: Vec<&str> = ALL.iter().map(|r| r.id).collect();
                    return Err(format!(
                        "unknown rule `{id}` (known rules: {})",
                        known.join(", ")
                    ));
                }
            }
        }
        Ok(out)
    };
    let only = parse(only)?;
    let skip = parse(skip)?;
    Ok(ALL
        .iter()
        .filter(|r| only.is_empty() || only.iter().any(|o| o.id == r.id))
        .filter(|r| !skip.iter().any(|s| s.id == r.id))
        .collect())
}

/// Pushes `x` unless it is there already or `v` holds `cap` items.
pub fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T, cap: usize) {
    if v.len() < cap && !v.contains(&x) {
        v.push(x);
    }
}

/// `1 write`, `3 writes`.
pub fn plural(n: u64, word: &str) -> String {
    format!(
        "{} {word}{}",
        crate::advise::cost::fmt_count(n),
        if n == 1 { "" } else { "s" }
    )
}

/// The process name for messages: `pid 42 (app)`.
pub fn who(cx: &Ctx, pid: u32) -> String {
    cx.describe_pid(pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection() {
        assert_eq!(select(&[], &[]).unwrap().len(), ALL.len());
        let first = ALL[0].id;
        let last = ALL[ALL.len() - 1].id;
        let s = select(&[format!("{first},{last}")], &[]).unwrap();
        assert_eq!(s.first().map(|r| r.id), Some(first));
        assert_eq!(s.last().map(|r| r.id), Some(last));
        let s = select(&[], &[first.to_string(), last.to_string()]).unwrap();
        assert!(!s.iter().any(|r| r.id == first || r.id == last));
        let e = select(&["nope".into()], &[]).unwrap_err();
        assert!(
            e.contains("unknown rule `nope`") && e.contains(first),
            "{e}"
        );
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len(), "duplicate rule ids");
    }

    #[test]
    fn every_rule_has_a_doc_page() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
        for r in ALL {
            let p = root.join(format!("{}.md", r.id));
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert!(
                text.contains(r.id),
                "{} does not name its rule",
                p.display()
            );
        }
    }
}
