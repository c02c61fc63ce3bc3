//! `nonidempotent-retry`: a call that is not safe to repeat, repeated right after it succeeded.
//!
//! **What.** A thread makes a non-idempotent call (`mkdir`, `unlink`, `rmdir`, `rename`,
//! `link`, `symlink`, `mknod`, `open` with `O_CREAT|O_EXCL`), it succeeds, and the very next
//! thing the thread does is the same call on the same path — which now fails with `EEXIST` or
//! `ENOENT` because the first one worked. Typical causes: a retry wrapper that retries on any
//! failure or timeout without knowing whether the operation took effect, a "make sure" call
//! repeated, at-least-once delivery of a command (seed: idempotence in distributed systems).
//!
//! **Why.** The knowledge base marks these calls *not idempotent*: repeating one does not
//! leave the same state and result. A blind retry turns a success into a reported failure (the
//! caller sees EEXIST and gives up or errors out), or worse, repeats a side effect.
//!
//! **Evidence.** Per process and syscall: the retries, the path, and the successful call with
//! the failing repeat that followed it.
//!
//! **Threshold.** One repeat: the same syscall on the same path by the same thread, failing
//! with the errno that means "already done" (`EEXIST` for creations, `ENOENT` for removals and
//! renames), as the thread's next call apart from clock, sleep, signal-mask and futex calls,
//! within 10 s. `mkdir -p`-style code that creates other paths in between is not a retry.
//!
//! **Fix.** Do not retry a non-idempotent call that succeeded; treat "already done" as done
//! (`create_dir_all`, `unlink` → ENOENT is fine), retry only on errors that mean it did not
//! happen, or make the operation idempotent with a request id. Saving = the failed repeats ×
//! their cost.

use std::collections::HashMap;

use sysgate_event::SyscallEvent;
use sysgate_kb::Idempotence;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::ctx::paths;
use crate::advise::{Ctx, Finding, Sample, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "nonidempotent-retry",
    title: "a non-idempotent call repeated after it succeeded",
    make: || Box::<NonidempotentRetry>::default(),
};

/// Longest gap between the success and the repeat.
pub const MAX_GAP_NS: u64 = 10_000_000_000;
const EEXIST: u32 = 17;
const ENOENT: u32 = 2;

struct Last {
    name: &'static str,
    path: Vec<u8>,
    end_ns: u64,
    sample: Sample,
}

#[derive(Default)]
struct Stats {
    retries: u64,
    paths: Vec<String>,
    tids: Vec<u32>,
    samples: Vec<Sample>,
}

/// See the module documentation.
#[derive(Default)]
pub struct NonidempotentRetry {
    last: HashMap<u32, Last>,
    found: HashMap<(u32, &'static str), Stats>,
}

/// The errno a repeat gets when the first call took effect, and the path it acts on.
fn already_done(name: &str, flags: u64) -> Option<u32> {
    match name {
        "mkdir" | "mkdirat" | "link" | "linkat" | "symlink" | "symlinkat" | "mknod" | "mknodat" => {
            Some(EEXIST)
        }
        "open" | "openat" if flags & 0o300 == 0o300 => Some(EEXIST),
        "unlink" | "unlinkat" | "rmdir" | "rename" | "renameat" | "renameat2" => Some(ENOENT),
        _ => None,
    }
}

fn target(ev: &SyscallEvent, name: &str) -> Option<Vec<u8>> {
    let mut ps = paths(ev);
    let p = match name {
        // The created name is the last path.
        "link" | "linkat" | "symlink" | "symlinkat" => ps.last(),
        _ => ps.next(),
    };
    p.map(<[u8]>::to_vec)
}

fn neutral(name: &str) -> bool {
    matches!(
        name,
        "clock_gettime"
            | "gettimeofday"
            | "time"
            | "nanosleep"
            | "clock_nanosleep"
            | "futex"
            | "rt_sigprocmask"
            | "sched_yield"
            | "getpid"
            | "gettid"
            | "getrandom"
    )
}

impl Rule for NonidempotentRetry {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        let _ = cx;
        if neutral(name) {
            return;
        }
        let flags = match name {
            "open" => ev.args[1],
            "openat" => ev.args[2],
            _ => 0,
        };
        let done_errno = already_done(name, flags);
        if let Some(last) = self.last.remove(&ev.tid)
            && last.name == name
            && done_errno.is_some()
            && ev.errno() == done_errno
            && ev.ts_ns.saturating_sub(last.end_ns) <= MAX_GAP_NS
            && target(ev, name).as_deref() == Some(last.path.as_slice())
        {
            let key = (ev.pid, name);
            if self.found.len() < MAX_KEYS || self.found.contains_key(&key) {
                let s = self.found.entry(key).or_default();
                s.retries += 1;
                push_unique(
                    &mut s.paths,
                    String::from_utf8_lossy(&last.path).into_owned(),
                    4,
                );
                push_unique(&mut s.tids, ev.tid, 16);
                if s.samples.is_empty() {
                    s.samples = vec![last.sample, Sample::of(ev)];
                }
            }
            return;
        }
        let gated = ev
            .syscall
            .is_some_and(|s| s.idempotence != Idempotence::Idempotent);
        if done_errno.is_some()
            && gated
            && !ev.is_error
            && self.last.len() < MAX_KEYS
            && let Some(path) = target(ev, name)
        {
            self.last.insert(
                ev.tid,
                Last {
                    name,
                    path,
                    end_ns: ev.ts_ns + ev.duration_ns,
                    sample: Sample::of(ev),
                },
            );
        }
    }

    fn thread_exit(&mut self, _: &Ctx, _: u32, tid: u32, _: u64) {
        self.last.remove(&tid);
    }

    fn process_exit(&mut self, _: &Ctx, pid: u32, _: u64) {
        self.last.remove(&pid);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&(pid, name), s) in &self.found {
            let sc = sysgate_kb::by_name(name);
            let reason = sc.map_or("", |s| s.idempotence_reason);
            let errno = if already_done(name, 0o300) == Some(EEXIST) {
                "EEXIST"
            } else {
                "ENOENT"
            };
            let (cost, cost_name) = cx.costs.failed_call(name);
            let paths: Vec<String> = s.paths.iter().map(|p| format!("{p:?}")).collect();
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} repeated {name}({}) right after it succeeded, and the repeat failed with {errno} ({})",
                    who(cx, pid),
                    paths.join(", "),
                    plural(s.retries, "retry")
                )
                .replace("retrys", "retries"),
            );
            f.evidence.facts = vec![("retries", s.retries)];
            f.evidence.pids = vec![pid];
            f.evidence.tids = s.tids.clone();
            f.evidence.samples = s.samples.clone();
            f.saving = Saving::calls(s.retries, cost, "failed repeats", cost_name);
            f.saving.formula.push_str(
                "; the real cost is the error the caller sees for an operation that worked",
            );
            f.fix = format!(
                "do not retry {name} once it has succeeded — it is not idempotent ({reason}): treat {errno} on a repeat as \"already done\" (create_dir_all / mkdir -p semantics, ignore ENOENT when removing), retry only on errors that mean the call did not happen, or make the operation idempotent with a request id the receiver deduplicates"
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    #[test]
    fn fires_on_mkdir_then_mkdir() {
        let evs = vec![
            with_path(call("mkdir", 7, [0, 0o755, 0, 0, 0, 0], 0), "/srv/out"),
            call("clock_nanosleep", 7, [0, 0, 0, 0, 0, 0], 0),
            with_path(call("mkdir", 7, [0, 0o755, 0, 0, 0, 0], -17), "/srv/out"),
            with_path(call("unlink", 7, [0, 0, 0, 0, 0, 0], 0), "/srv/lock"),
            with_path(call("unlink", 7, [0, 0, 0, 0, 0, 0], -2), "/srv/lock"),
        ];
        let found = run(&INFO, &evs);
        assert_eq!(found.len(), 2, "{found:#?}");
        let m = found.iter().find(|f| f.message.contains("mkdir")).unwrap();
        assert!(m.message.contains("repeated mkdir(\"/srv/out\") right after it succeeded, and the repeat failed with EEXIST (1 retry)"), "{}", m.message);
        assert!(
            m.fix.contains("a second call fails with EEXIST"),
            "{}",
            m.fix
        );
        assert!(
            m.evidence.samples[0].line.ends_with("= 0")
                && m.evidence.samples[1].line.contains("EEXIST"),
            "{:?}",
            m.evidence.samples
        );
    }

    #[test]
    fn silent_on_mkdir_p_and_other_threads() {
        let evs = vec![
            // mkdir -p a/b then mkdir -p a/c: other calls in between.
            with_path(call("mkdir", 7, [0, 0o755, 0, 0, 0, 0], 0), "a"),
            with_path(call("mkdir", 7, [0, 0o755, 0, 0, 0, 0], 0), "a/b"),
            with_path(call("mkdir", 7, [0, 0o755, 0, 0, 0, 0], -17), "a"),
            with_path(call("mkdir", 7, [0, 0o755, 0, 0, 0, 0], 0), "a/c"),
            // Another thread hits EEXIST: a race, not a retry.
            with_path(call("mkdir", 7, [0, 0o755, 0, 0, 0, 0], 0), "b"),
            on_thread(
                with_path(call("mkdir", 7, [0, 0o755, 0, 0, 0, 0], -17), "b"),
                8,
            ),
            // A plain open without O_EXCL twice is fine.
            with_path(
                call("openat", 7, [-100i64 as u64, 0, 0o101, 0o644, 0, 0], 3),
                "f",
            ),
            with_path(
                call("openat", 7, [-100i64 as u64, 0, 0o101, 0o644, 0, 0], 4),
                "f",
            ),
        ];
        let found = run(&INFO, &evs);
        assert!(found.is_empty(), "{found:#?}");
    }
}
