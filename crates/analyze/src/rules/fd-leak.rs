//! `fd-leak`: fds opened over and over and never closed.
//!
//! **What.** A process keeps opening the same file (or pipes, or sockets) and does not close
//! them: at its exit, or at the end of the trace, dozens of fds of the same kind it created are
//! still open and few or none were ever closed. Typical causes: a missing `close` on an error
//! path, `File`/socket objects stored in a long-lived collection, `mem::forget`, a connection
//! handler that returns without closing.
//!
//! **Why.** Every open fd pins kernel memory (and, for a deleted file, its disk space); the
//! table grows until `open`/`accept` fail with `EMFILE` at the soft limit (often 1 024), which
//! usually brings a server down under load, long after the leak started.
//!
//! **Evidence.** Per process and file (or fd kind for pipes, sockets and special fds): fds
//! created, closed, still open at exit, the highest fd number, the first three opens.
//!
//! **Threshold.** At least 64 fds of one group created by one process still open when it
//! exits, with fewer closes than half the opens; for sockets, pipes and special fds no close at
//! all. A process still running when the trace ends is judged only for files, with at least
//! 256 still open and none closed. Files are grouped by path, so a program holding many
//! different files open on purpose (`tail -f *.log`) is not a leak.
//!
//! **Fix.** Close what you open, on every path: RAII (`drop`, `with`, `defer`, `try`-with-
//! resources), a `goto cleanup` in C; reuse one fd per file instead of opening it again. The
//! saving is fds, not time.

use std::collections::HashMap;

use sysgate_event::{SyscallEvent, Value};
use sysgate_kb::RetType;

use super::{MAX_KEYS, Rule, RuleInfo, plural, who};
use crate::advise::cost::fmt_count;
use crate::advise::{Ctx, FdEntry, FdKind, FdRef, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "fd-leak",
    title: "fds opened over and over and never closed",
    make: || Box::<FdLeak>::default(),
};

/// Fds of one group still open at exit needed for a finding.
pub const MIN_OPEN_AT_EXIT: u64 = 64;
/// Still open at the end of the trace, for a process that did not exit.
pub const MIN_OPEN_AT_END: u64 = 256;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Group {
    Path(u32),
    Pipes,
    Sockets,
    Special,
}

fn group(e: &FdEntry) -> Option<Group> {
    Some(match e.kind {
        FdKind::File | FdKind::Dir | FdKind::Device | FdKind::Virtual => Group::Path(e.label),
        FdKind::Pipe => Group::Pipes,
        k if k.is_socket() => Group::Sockets,
        FdKind::Special => Group::Special,
        _ => return None,
    })
}

#[derive(Default)]
struct Stats {
    opened: u64,
    closed: u64,
    samples: Samples,
}

struct Leak {
    pid: u32,
    group: Group,
    opened: u64,
    closed: u64,
    open: Vec<i32>,
    exited: bool,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct FdLeak {
    stats: HashMap<(u32, Group), Stats>,
    leaks: Vec<Leak>,
}

impl FdLeak {
    fn judge(&mut self, cx: &Ctx, pid: u32, exited: bool) {
        let mut open: HashMap<Group, Vec<i32>> = HashMap::new();
        for (fd, e) in cx.fds_of(pid) {
            if e.known
                && e.opener == pid
                && let Some(g) = group(e)
            {
                open.entry(g).or_default().push(fd);
            }
        }
        for (g, mut fds) in open {
            let Some(s) = self.stats.get(&(pid, g)) else {
                continue;
            };
            let n = fds.len() as u64;
            let leaking = if exited {
                n >= MIN_OPEN_AT_EXIT
                    && s.closed * 2 < s.opened
                    && (matches!(g, Group::Path(_)) || s.closed == 0)
            } else {
                n >= MIN_OPEN_AT_END && s.closed == 0 && matches!(g, Group::Path(_))
            };
            if leaking && self.leaks.len() < 1000 {
                fds.sort_unstable();
                self.leaks.push(Leak {
                    pid,
                    group: g,
                    opened: s.opened,
                    closed: s.closed,
                    open: fds,
                    exited,
                    samples: s.samples.clone(),
                });
            }
        }
        self.stats.retain(|(p, _), _| *p != pid);
    }
}

impl Rule for FdLeak {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, _: &'static str) {
        for (_, e) in &cx.removed {
            if e.opener == ev.pid
                && let Some(g) = group(e)
                && let Some(s) = self.stats.get_mut(&(ev.pid, g))
            {
                s.closed += 1;
            }
        }
        if ev.is_error || ev.ret < 0 {
            return;
        }
        let mut new = Vec::new();
        if ev.syscall.is_some_and(|s| s.ret == RetType::Fd) {
            new.push(ev.ret as i32);
        } else if let Some(Value::FdPair(a, b)) =
            ev.decoded.iter().find(|v| matches!(v, Value::FdPair(..)))
        {
            new.extend([*a, *b]);
        }
        for fd in new {
            let Some(e) = cx.fd(ev.pid, fd) else {
                continue;
            };
            if e.opener != ev.pid || !e.known {
                continue;
            }
            let Some(g) = group(e) else {
                continue;
            };
            if self.stats.len() >= MAX_KEYS && !self.stats.contains_key(&(ev.pid, g)) {
                continue;
            }
            let s = self.stats.entry((ev.pid, g)).or_default();
            s.opened += 1;
            s.samples.offer(ev);
        }
    }

    fn process_exit(&mut self, cx: &Ctx, pid: u32, _: u64) {
        self.judge(cx, pid, true);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        let live: Vec<u32> = {
            let mut v: Vec<u32> = self.stats.keys().map(|(p, _)| *p).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for pid in live {
            self.judge(cx, pid, false);
        }
        for l in &self.leaks {
            let what = match l.group {
                Group::Path(label) => cx.label(label).to_string(),
                Group::Pipes => "pipes".to_string(),
                Group::Sockets => "sockets".to_string(),
                Group::Special => "epoll/eventfd/timerfd and similar fds".to_string(),
            };
            let n = l.open.len() as u64;
            let when = if l.exited {
                "when it exited"
            } else {
                "when the trace ended"
            };
            let first = l.open.first().copied().unwrap_or(0);
            let last = l.open.last().copied().unwrap_or(0);
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} opened {what} {} times and closed it {} times: {} still open {when} (fds {first}…{last})",
                    who(cx, l.pid),
                    fmt_count(l.opened),
                    fmt_count(l.closed),
                    plural(n, "fd")
                )
                .replace("closed it 1 times", "closed it once"),
            );
            f.evidence.facts = vec![
                ("opened", l.opened),
                ("closed", l.closed),
                ("still_open", n),
                ("highest_fd", last as u64),
            ];
            f.evidence.fds = l
                .open
                .iter()
                .take(3)
                .map(|&fd| FdRef {
                    pid: l.pid,
                    fd,
                    path: cx
                        .fd(l.pid, fd)
                        .map_or_else(|| what.clone(), |e| cx.label(e.label).to_string()),
                })
                .collect();
            f.evidence.pids = vec![l.pid];
            f.evidence.samples = l.samples.0.clone();
            f.saving = Saving {
                calls_avoided: 0,
                time_ns: 0,
                formula: format!(
                    "resources, not time: {} held open; at the usual soft limit of 1 024 fds (ulimit -n) open/accept start failing with EMFILE",
                    plural(n, "fd")
                ),
            };
            f.fix = format!(
                "close each fd of {what} when you are done with it, on every path (drop the File/socket, `with` in Python, a cleanup label in C), or open it once and reuse the fd: {} open → 1",
                plural(n, "fd")
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn open(pid: u32, fd: i64) -> SyscallEvent {
        with_path(
            call("openat", pid, [-100i64 as u64, 0, 0o2000000, 0, 0, 0], fd),
            "/etc/app.conf",
        )
    }

    #[test]
    fn fires_on_100_unclosed_opens_of_one_file() {
        let mut evs: Vec<Result<SyscallEvent, _>> = (0..100).map(|i| Ok(open(7, 3 + i))).collect();
        evs.push(Err(exit(7, 1000)));
        let f = one(run_with_tasks(&INFO, evs), Severity::Warning);
        assert!(
            f.message.contains("opened /etc/app.conf 100 times and closed it 0 times: 100 fds still open when it exited (fds 3…102)"),
            "{}",
            f.message
        );
        assert_eq!(f.evidence.samples.len(), 3);
    }

    #[test]
    fn silent_on_closed_fds_distinct_files_and_inherited_ones() {
        let mut evs = Vec::new();
        for _ in 0..500 {
            evs.push(Ok(open(7, 3)));
            evs.push(Ok(call("close", 7, [3, 0, 0, 0, 0, 0], 0)));
        }
        // 100 different files held open on purpose.
        for i in 0..100 {
            evs.push(Ok(with_path(
                call("openat", 8, [-100i64 as u64, 0, 0, 0, 0, 0], 3 + i),
                &format!("/var/log/{i}.log"),
            )));
        }
        // A parent's fds inherited by a child are the parent's.
        for i in 0..100 {
            evs.push(Ok(open(9, 3 + i)));
        }
        evs.push(Ok(call("fork", 9, [0; 6], 10)));
        evs.push(Err(exit(10, 1000)));
        for i in 0..100 {
            evs.push(Ok(call("close", 9, [3 + i, 0, 0, 0, 0, 0], 0)));
        }
        evs.push(Err(exit(7, 2000)));
        evs.push(Err(exit(8, 2000)));
        evs.push(Err(exit(9, 2000)));
        let found = run_with_tasks(&INFO, evs);
        assert!(found.is_empty(), "{found:#?}");
    }
}
