//! `failed-probe-storm`: the same failing call repeated, or a search directory that never hits.
//!
//! **What.** Two shapes of the same waste:
//! 1. one process makes the *same* call that fails the *same* way over and over —
//!    `openat("/etc/app/override.conf") = -1 ENOENT` hundreds of times, a `connect` refused in
//!    a tight loop, an `ioctl` the device does not support: the error is ignored or the call
//!    retried blindly;
//! 2. one process looks up hundreds of different names in a directory where none of them
//!    exists — a useless entry in `PATH`, `LD_LIBRARY_PATH`, `PYTHONPATH` or a plugin path.
//!
//! **Why.** Every failed lookup walks the path (~0.5–0.9 µs untraced here) and returns nothing
//! new; in a retry loop without back-off it also burns a CPU.
//!
//! **Evidence.** The syscall, errno and argument (or directory), the number of failures, the
//! number of distinct names (search paths), the first three failures.
//!
//! **Threshold.** (1) at least 100 identical failures (same syscall, errno and path or fd) by
//! one process; (2) at least 200 ENOENT lookups under one directory by one process, of at least
//! 20 distinct names, none of which succeeded there. Transient errnos (EAGAIN, EINTR,
//! EINPROGRESS, ETIMEDOUT, EALREADY), waits (`wait4` ECHILD, `futex`) and sleeps are ignored:
//! they are how those calls work.
//!
//! **Fix.** (1) check once and remember the negative result (or create the file); back off
//! and give up in retry loops. (2) remove the directory from the search path. Saving =
//! avoided failures × the failed call's cost (`open_enoent`, `stat_enoent`, or `syscall`).

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::fmt_count;
use crate::advise::ctx::{fd_arg, paths};
use crate::advise::{Ctx, FdRef, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "failed-probe-storm",
    title: "the same failing call repeated",
    make: || Box::<FailedProbeStorm>::default(),
};

/// Identical failures needed for a finding.
pub const MIN_REPEATS: u64 = 100;
/// ENOENT lookups under one directory needed for a finding.
pub const MIN_DIR_MISSES: u64 = 200;
/// Distinct names among them.
pub const MIN_DIR_NAMES: usize = 20;
const ENOENT: u32 = 2;

/// What a failing call was about: a path, or an fd (with the request for ioctl/fcntl).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Arg {
    Path(Vec<u8>),
    Fd { fd: i32, label: Vec<u8>, op: u64 },
    None,
}

#[derive(Default)]
struct Stats {
    count: u64,
    tids: Vec<u32>,
    samples: Samples,
}

#[derive(Default)]
struct DirStats {
    misses: u64,
    hits: u64,
    names: Vec<u64>,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct FailedProbeStorm {
    repeats: HashMap<(u32, &'static str, u32, Arg), Stats>,
    dirs: HashMap<u32, HashMap<Vec<u8>, DirStats>>,
    dir_keys: usize,
}

fn ignored(name: &str, errno: u32) -> bool {
    matches!(errno, 4 | 11 | 110 | 114 | 115 | 512..=530)
        || matches!(
            name,
            "futex"
                | "wait4"
                | "waitid"
                | "restart_syscall"
                | "rt_sigtimedwait"
                | "rt_sigreturn"
                | "nanosleep"
                | "clock_nanosleep"
                | "epoll_wait"
                | "epoll_pwait"
                | "epoll_pwait2"
                | "poll"
                | "ppoll"
                | "select"
                | "pselect6"
        )
}

fn is_lookup(name: &str) -> bool {
    matches!(
        name,
        "open"
            | "openat"
            | "openat2"
            | "stat"
            | "lstat"
            | "newfstatat"
            | "statx"
            | "access"
            | "faccessat"
            | "faccessat2"
            | "execve"
            | "execveat"
            | "readlink"
            | "readlinkat"
    )
}

fn hash(b: &[u8]) -> u64 {
    // FNV-1a: small, stable, good enough to count distinct names.
    b.iter().fold(0xcbf29ce484222325, |h, &x| {
        (h ^ u64::from(x)).wrapping_mul(0x100000001b3)
    })
}

fn split(path: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = path.iter().rposition(|&c| c == b'/')?;
    (i > 0).then(|| (&path[..i], &path[i + 1..]))
}

impl Rule for FailedProbeStorm {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        let path = paths(ev).next();
        if is_lookup(name)
            && let Some(p) = path
            && let Some((dir, base)) = split(p)
        {
            let ok = !ev.is_error;
            let miss = ev.errno() == Some(ENOENT);
            let per_pid = self.dirs.entry(ev.pid).or_default();
            let d = match per_pid.get_mut(dir) {
                Some(d) => Some(d),
                None if (ok || miss) && self.dir_keys < MAX_KEYS => {
                    self.dir_keys += 1;
                    Some(per_pid.entry(dir.to_vec()).or_default())
                }
                None => None,
            };
            if let Some(d) = d {
                if ok {
                    d.hits += 1;
                } else if miss {
                    d.misses += 1;
                    push_unique(&mut d.names, hash(base), MIN_DIR_NAMES * 4);
                    d.samples.offer(ev);
                }
            }
        }
        let Some(errno) = ev.errno() else {
            return;
        };
        if ignored(name, errno) {
            return;
        }
        let arg = match path {
            Some(p) => Arg::Path(p.to_vec()),
            None => match fd_arg(ev) {
                Some(fd) => Arg::Fd {
                    fd,
                    label: cx
                        .fd(ev.pid, fd)
                        .map_or_else(Vec::new, |e| cx.label(e.label).as_bytes().to_vec()),
                    op: if matches!(name, "ioctl" | "fcntl") {
                        ev.args[1]
                    } else {
                        0
                    },
                },
                None => Arg::None,
            },
        };
        let key = (ev.pid, name, errno, arg);
        if self.repeats.len() >= MAX_KEYS && !self.repeats.contains_key(&key) {
            return;
        }
        let s = self.repeats.entry(key).or_default();
        s.count += 1;
        push_unique(&mut s.tids, ev.tid, 16);
        s.samples.offer(ev);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for ((pid, name, errno, arg), s) in &self.repeats {
            if s.count < MIN_REPEATS {
                continue;
            }
            let ename = sysgate_kb::symbols::errno(*errno)
                .map_or_else(|| format!("errno {errno}"), |e| e.name.to_string());
            let (call, fix) = match arg {
                Arg::Path(p) => {
                    let call = format!("{name}({:?})", String::from_utf8_lossy(p));
                    let fix = format!(
                        "stop asking again: check {call} once and remember that it fails with {ename} (or create what it looks for); if this is a retry loop, back off and give up after a few attempts: {} → 1",
                        plural(s.count, "call")
                    );
                    (call, fix)
                }
                Arg::Fd { fd, label, .. } => {
                    let what = if label.is_empty() {
                        format!("fd {fd}")
                    } else {
                        format!("fd {fd} ({})", String::from_utf8_lossy(label))
                    };
                    let call = format!("{name} on {what}");
                    let fix = format!(
                        "ask once and remember the answer: {call} fails with {ename} every time, and what the fd is does not change while it is open (for ENOTTY: call isatty once at startup; for ESPIPE: it is not seekable); if this is a retry loop, back off and give up after a few attempts: {} → 1",
                        plural(s.count, "call")
                    );
                    (call, fix)
                }
                Arg::None => {
                    let call = format!("{name}()");
                    let fix = format!(
                        "stop calling {name} again after it failed with {ename}: remember the failure, or back off and give up after a few attempts: {} → 1",
                        plural(s.count, "call")
                    );
                    (call, fix)
                }
            };
            let (cost, cost_name) = cx.costs.failed_call(name);
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} called {call} {} times and it failed with {ename} every time",
                    who(cx, *pid),
                    fmt_count(s.count)
                ),
            );
            f.evidence.facts = vec![("failures", s.count), ("errno", u64::from(*errno))];
            f.evidence.pids = vec![*pid];
            f.evidence.tids = s.tids.clone();
            f.evidence.samples = s.samples.0.clone();
            f.saving = Saving::calls(s.count - 1, cost, "failed calls", cost_name);
            if let Arg::Fd { fd, label, .. } = arg {
                f.evidence.fds = vec![FdRef {
                    pid: *pid,
                    fd: *fd,
                    path: String::from_utf8_lossy(label).into_owned(),
                }];
            }
            f.fix = fix;
            out.push(f);
        }
        for (pid, dir, d) in self
            .dirs
            .iter()
            .flat_map(|(p, m)| m.iter().map(move |(k, v)| (p, k, v)))
        {
            if d.misses < MIN_DIR_MISSES || d.names.len() < MIN_DIR_NAMES || d.hits > 0 {
                continue;
            }
            let dir = String::from_utf8_lossy(dir);
            let names = if d.names.len() >= MIN_DIR_NAMES * 4 {
                format!("at least {}", d.names.len())
            } else {
                d.names.len().to_string()
            };
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} looked up {} names under {dir} {} times and none of them was there (ENOENT every time)",
                    who(cx, *pid),
                    names,
                    fmt_count(d.misses)
                ),
            );
            f.evidence.facts = vec![
                ("failures", d.misses),
                ("distinct_names", d.names.len() as u64),
            ];
            f.evidence.pids = vec![*pid];
            f.evidence.samples = d.samples.0.clone();
            f.saving = Saving::calls(
                d.misses,
                cx.costs.open_enoent,
                "failed lookups",
                "open_enoent, an open of a missing path",
            );
            f.fix = format!(
                "remove {dir} from the search path that leads there (PATH, LD_LIBRARY_PATH, PYTHONPATH, a plugin or include path): {} → 0",
                plural(d.misses, "failed lookup")
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn open(pid: u32, path: &str, ret: i64) -> SyscallEvent {
        with_path(
            call("openat", pid, [-100i64 as u64, 0, 0, 0, 0, 0], ret),
            path,
        )
    }

    #[test]
    fn fires_on_identical_failures() {
        let evs: Vec<SyscallEvent> = (0..500)
            .map(|_| open(7, "/etc/app/override.conf", -2))
            .collect();
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message
                .contains("openat(\"/etc/app/override.conf\") 500 times and it failed with ENOENT"),
            "{}",
            f.message
        );
        assert_eq!(f.saving.calls_avoided, 499);
        assert_eq!(f.saving.time_ns, (499.0 * 909.0) as u64);
        assert!(
            f.evidence.samples[0]
                .line
                .ends_with("= -1 ENOENT (No such file or directory)"),
            "{:?}",
            f.evidence.samples
        );
    }

    #[test]
    fn fd_failures_name_the_fd_and_the_request() {
        let mut evs = vec![open(7, "/etc/services", 0)];
        for _ in 0..200 {
            evs.push(call("ioctl", 7, [0, 0x5401, 0x1000, 0, 0, 0], -25));
            // Another request on the same fd is another question.
            evs.push(call("ioctl", 7, [0, 0x5413, 0x1000, 0, 0, 0], 0));
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message.contains(
                "called ioctl on fd 0 (/etc/services) 200 times and it failed with ENOTTY"
            ),
            "{}",
            f.message
        );
        assert!(
            f.fix.starts_with("ask once and remember the answer"),
            "{}",
            f.fix
        );
        assert_eq!(f.evidence.fds[0].fd, 0);
    }

    #[test]
    fn fires_on_a_useless_search_directory() {
        let evs: Vec<SyscallEvent> = (0..300)
            .map(|i| open(7, &format!("/opt/plugins/mod{}.so", i % 60), -2))
            .collect();
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message.contains("60 names under /opt/plugins 300 times"),
            "{}",
            f.message
        );
        assert!(
            f.fix
                .starts_with("remove /opt/plugins from the search path"),
            "{}",
            f.fix
        );
    }

    #[test]
    fn silent_on_few_failures_transient_errors_and_useful_dirs() {
        let mut evs = Vec::new();
        for i in 0..99 {
            evs.push(open(7, "/etc/once", -2));
            evs.push(call("read", 7, [0, 0, 10, 0, 0, 0], -11));
            evs.push(call("wait4", 7, [u64::MAX, 0, 0, 0, 0, 0], -10));
            // 100 processes probing the same path once.
            evs.push(open(100 + i, "/etc/ld.so.preload", -2));
        }
        // A library directory that does hold some of what is looked up.
        for i in 0..300 {
            evs.push(open(
                8,
                &format!("/usr/lib/lib{i}.so"),
                if i % 10 == 0 { 3 } else { -2 },
            ));
        }
        assert!(run(&INFO, &evs).is_empty(), "{:#?}", run(&INFO, &evs));
    }
}
