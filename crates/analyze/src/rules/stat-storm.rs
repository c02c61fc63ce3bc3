//! `stat-storm`: the same path `stat`ed, `statx`ed or `access`ed over and over.
//!
//! **What.** One process asks the kernel about the same file hundreds of times in quick
//! succession: `stat`, `lstat`, `newfstatat`, `statx`, `access`, `faccessat(2)`, or `fstat` on
//! an fd of it. Typical causes: `Path::exists()` / `metadata()` inside a loop, a config or
//! template "changed?" check on every request, a build tool re-checking the same header.
//!
//! **Why.** Each call walks the path and copies a `struct stat` (~0.9 µs for a cached path
//! untraced here); repeated thousands of times per second it is pure overhead, and the answer
//! is the same every time.
//!
//! **Evidence.** Per process and path: the number of successful calls, which syscalls, the
//! average interval between them, the first three calls.
//!
//! **Threshold.** At least 200 successful calls on one path by one process, at most 10 ms apart
//! on average. Failed calls (the path does not exist) belong to `failed-probe-storm`.
//!
//! **Fix.** Keep the result of the first call; if the file can change, re-check at most every
//! few seconds or watch it with inotify. Saving = (calls − 1) × `stat`.

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::{fmt_count, fmt_ns};
use crate::advise::ctx::paths;
use crate::advise::{Ctx, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "stat-storm",
    title: "the same path stat'ed over and over",
    make: || Box::<StatStorm>::default(),
};

/// Calls on one path needed for a finding.
pub const MIN_CALLS: u64 = 200;
/// Largest average interval between them.
pub const MAX_INTERVAL_NS: u64 = 10_000_000;
/// `AT_EMPTY_PATH`.
const AT_EMPTY_PATH: u64 = 0x1000;

#[derive(Default)]
struct Stats {
    calls: u64,
    first: u64,
    last: u64,
    by_syscall: Vec<(&'static str, u64)>,
    tids: Vec<u32>,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct StatStorm {
    by_pid: HashMap<u32, HashMap<Vec<u8>, Stats>>,
    keys: usize,
}

fn is_stat(name: &str) -> bool {
    matches!(
        name,
        "stat"
            | "lstat"
            | "newfstatat"
            | "statx"
            | "fstat"
            | "access"
            | "faccessat"
            | "faccessat2"
            | "stat64"
            | "lstat64"
            | "fstat64"
            | "fstatat64"
    )
}

impl Rule for StatStorm {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        if !is_stat(name) || ev.is_error || ev.ret < 0 {
            return;
        }
        let path = paths(ev).next();
        let flags = match name {
            "newfstatat" | "fstatat64" => ev.args[3],
            "statx" => ev.args[2],
            _ => 0,
        };
        let has_dirfd = matches!(
            name,
            "newfstatat" | "statx" | "faccessat" | "faccessat2" | "fstatat64"
        );
        let dirfd = ev.args[0] as u32 as i32;
        let mut joined;
        let key: &[u8] = match path {
            // fstat, or an *at call on the fd itself: the fd's file.
            None if name.starts_with("fstat") && name != "fstatat64" => {
                let Some(e) = cx.fd(ev.pid, dirfd) else {
                    return;
                };
                cx.label(e.label).as_bytes()
            }
            Some(p) if p.is_empty() && flags & AT_EMPTY_PATH != 0 => {
                let Some(e) = cx.fd(ev.pid, dirfd) else {
                    return;
                };
                cx.label(e.label).as_bytes()
            }
            Some(p) if has_dirfd && !p.starts_with(b"/") && dirfd != -100 => {
                let Some(e) = cx.fd(ev.pid, dirfd) else {
                    return;
                };
                joined = cx.label(e.label).as_bytes().to_vec();
                joined.push(b'/');
                joined.extend_from_slice(p);
                &joined
            }
            Some(p) => p,
            None => return,
        };
        let per_pid = self.by_pid.entry(ev.pid).or_default();
        let s = match per_pid.get_mut(key) {
            Some(s) => s,
            None => {
                if self.keys >= MAX_KEYS {
                    return;
                }
                self.keys += 1;
                per_pid.entry(key.to_vec()).or_insert_with(|| Stats {
                    first: ev.ts_ns,
                    ..Stats::default()
                })
            }
        };
        s.calls += 1;
        s.last = ev.ts_ns;
        match s.by_syscall.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => s.by_syscall.push((name, 1)),
        }
        push_unique(&mut s.tids, ev.tid, 16);
        s.samples.offer(ev);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&pid, per_pid) in &self.by_pid {
            for (path, s) in per_pid {
                let interval = (s.last - s.first) / s.calls.saturating_sub(1).max(1);
                if s.calls < MIN_CALLS || interval > MAX_INTERVAL_NS {
                    continue;
                }
                let path = String::from_utf8_lossy(path);
                let calls: Vec<String> = s
                    .by_syscall
                    .iter()
                    .map(|(n, c)| format!("{n} ×{}", fmt_count(*c)))
                    .collect();
                let mut f = Finding::new(
                    &INFO,
                    Severity::Warning,
                    format!(
                        "{} asked for the metadata of {path} {} times ({}), every {} on average",
                        who(cx, pid),
                        fmt_count(s.calls),
                        calls.join(", "),
                        fmt_ns(interval as f64)
                    ),
                );
                f.evidence.facts = vec![("calls", s.calls), ("average_interval_ns", interval)];
                f.evidence.pids = vec![pid];
                f.evidence.tids = s.tids.clone();
                f.evidence.samples = s.samples.0.clone();
                f.saving = Saving::calls(
                    s.calls - 1,
                    cx.costs.stat,
                    "stat calls",
                    "stat, a stat of a cached path",
                );
                f.fix = format!(
                    "cache the metadata of {path}: keep the result of the first call, and if the file can change re-check it at most every few seconds or watch it with inotify: {} → 1",
                    plural(s.calls, "call")
                );
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn statx(pid: u32, path: &str, ret: i64, ts: u64) -> SyscallEvent {
        at(
            with_path(
                call("statx", pid, [-100i64 as u64, 0, 0, 0x7ff, 0, 0], ret),
                path,
            ),
            ts,
            900,
        )
    }

    #[test]
    fn fires_on_repeated_stats_of_one_path() {
        let mut evs = Vec::new();
        for i in 0..1000u64 {
            evs.push(statx(7, "/etc/app.conf", 0, i * 50_000));
            evs.push(at(
                with_path(call("access", 7, [0, 4, 0, 0, 0, 0], 0), "/etc/app.conf"),
                i * 50_000 + 10,
                900,
            ));
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message
                .contains("/etc/app.conf 2 000 times (statx ×1 000, access ×1 000)"),
            "{}",
            f.message
        );
        assert_eq!(f.saving.calls_avoided, 1999);
        assert!(f.fix.ends_with("2 000 calls → 1"), "{}", f.fix);
        assert!(
            f.evidence.samples[0]
                .line
                .starts_with("statx(AT_FDCWD, \"/etc/app.conf\""),
            "{:?}",
            f.evidence.samples
        );
    }

    #[test]
    fn silent_on_distinct_paths_slow_polls_failures_and_other_processes() {
        let mut evs = Vec::new();
        for i in 0..1000u64 {
            evs.push(statx(7, &format!("/src/file{i}.rs"), 0, i * 1000));
            // A file checked once a second.
            evs.push(statx(7, "/etc/polled", 0, i * 1_000_000_000));
            // Missing: failed-probe-storm's business.
            evs.push(statx(7, "/etc/missing", -2, i * 1000));
            // 100 processes checking the same path once each.
            evs.push(statx(100 + (i % 100) as u32, "/etc/shared", 0, i * 1000));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
