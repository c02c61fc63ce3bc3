//! `blocking-in-event-loop`: an event-loop thread that also makes long blocking calls.
//!
//! **What.** A thread runs an event loop — it waits in `epoll_wait`, `poll` or `select` again
//! and again — and between two waits makes a call that blocks for tens of milliseconds: an
//! `fsync`, a read of a file from a slow disk, a `sleep`, a blocking `connect` (a DNS lookup
//! or a connection to a slow host), a `wait4`, a lock (`flock`, `F_SETLKW`). Typical causes:
//! logging with `fsync` in a request handler, `std::thread::sleep` or `std::fs` inside async
//! code, a synchronous resolver in a callback.
//!
//! **Why.** While the loop thread is blocked nothing else it serves makes progress: every
//! connection's latency grows by the stall, timers fire late, and throughput collapses to one
//! request per stall.
//!
//! **Evidence.** Per thread: event waits, stalls (calls of 20 ms or more between two waits),
//! their total and longest duration, which syscalls stalled, the first stalls.
//!
//! **Threshold.** At least 3 stalls of ≥ 20 ms in a thread that waited for events at least 10
//! times, each stall after the thread's first event wait. `futex` (lock and condition waits,
//! often the loop's own wake-up) and `exit`/`execve` are not counted; nor are calls on
//! non-blocking fds.
//!
//! **Fix.** Move blocking work off the loop thread (`spawn_blocking`, a worker pool) and post
//! the result back; use the loop's timers instead of sleeping, non-blocking `connect` with
//! `EPOLLOUT`, an async resolver. The saving is latency: the stall time.

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, who};
use crate::advise::cost::{fmt_count, fmt_ns};
use crate::advise::{Ctx, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "blocking-in-event-loop",
    title: "an event-loop thread stalled by long blocking calls",
    make: || Box::<BlockingInEventLoop>::default(),
};

/// A call that takes at least this long in a loop thread is a stall.
pub const STALL_NS: u64 = 20_000_000;
/// Event waits that make a thread an event loop.
pub const MIN_WAITS: u64 = 10;
/// Stalls needed for a finding.
pub const MIN_STALLS: u64 = 3;

#[derive(Default)]
struct Thread {
    pid: u32,
    waits: u64,
    stalls: u64,
    stall_ns: u64,
    longest: u64,
    by_syscall: Vec<(&'static str, u64)>,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct BlockingInEventLoop {
    threads: HashMap<u32, Thread>,
}

/// A wait for readiness: `poll`/`epoll_wait` with a zero timeout only checks (that is
/// `busy-poll`'s business, and what Rust's runtime does once at startup).
fn is_wait(ev: &SyscallEvent, name: &str) -> bool {
    match name {
        "poll" => ev.args[2] as u32 as i32 != 0,
        "epoll_wait" | "epoll_pwait" => ev.args[3] as u32 as i32 != 0,
        "ppoll" | "select" | "pselect6" | "epoll_pwait2" => true,
        _ => false,
    }
}

impl Rule for BlockingInEventLoop {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        if is_wait(ev, name) {
            if self.threads.len() < MAX_KEYS || self.threads.contains_key(&ev.tid) {
                let t = self.threads.entry(ev.tid).or_default();
                t.pid = ev.pid;
                t.waits += 1;
            }
            return;
        }
        if ev.duration_ns < STALL_NS
            || matches!(
                name,
                "futex" | "exit" | "exit_group" | "execve" | "execveat" | "restart_syscall"
            )
        {
            return;
        }
        let Some(t) = self.threads.get_mut(&ev.tid) else {
            return;
        };
        if let Some(fd) = crate::advise::ctx::fd_arg(ev)
            && cx.fd(ev.pid, fd).is_some_and(|e| e.nonblock)
        {
            return;
        }
        t.stalls += 1;
        t.stall_ns += ev.duration_ns;
        t.longest = t.longest.max(ev.duration_ns);
        if let Some((_, c)) = t.by_syscall.iter_mut().find(|(n, _)| *n == name) {
            *c += 1;
        } else if t.by_syscall.len() < 8 {
            t.by_syscall.push((name, 1));
        }
        t.samples.offer(ev);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&tid, t) in &self.threads {
            if t.waits < MIN_WAITS || t.stalls < MIN_STALLS {
                continue;
            }
            let thread = if tid == t.pid {
                who(cx, t.pid)
            } else {
                format!("thread {tid} of {}", who(cx, t.pid))
            };
            let calls: Vec<String> = t
                .by_syscall
                .iter()
                .map(|(n, c)| format!("{n} ×{}", fmt_count(*c)))
                .collect();
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{thread} runs an event loop ({}) and blocked in {} of ≥ {} between them ({}): {} stalled, the longest {}",
                    plural(t.waits, "event wait"),
                    plural(t.stalls, "call"),
                    fmt_ns(STALL_NS as f64),
                    calls.join(", "),
                    fmt_ns(t.stall_ns as f64),
                    fmt_ns(t.longest as f64)
                ),
            );
            f.evidence.facts = vec![
                ("event_waits", t.waits),
                ("stalls", t.stalls),
                ("stall_ns", t.stall_ns),
                ("longest_stall_ns", t.longest),
            ];
            f.evidence.pids = vec![t.pid];
            f.evidence.tids = vec![tid];
            f.evidence.samples = t.samples.0.clone();
            f.saving = Saving {
                calls_avoided: 0,
                time_ns: t.stall_ns,
                formula: format!(
                    "latency, not syscalls: the loop could not serve anything for {} in total ({} stalls measured in the trace)",
                    fmt_ns(t.stall_ns as f64),
                    fmt_count(t.stalls)
                ),
            };
            let names: Vec<&str> = t.by_syscall.iter().map(|(n, _)| *n).collect();
            f.fix = format!(
                "take the blocking calls ({}) off the event-loop thread: hand them to a worker pool (tokio::task::spawn_blocking, a thread pool) and post the result back through the loop (an eventfd, a channel); use the loop's timers instead of sleeping, a non-blocking connect (EINPROGRESS, then EPOLLOUT) and an async resolver",
                names.join(", ")
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
    fn fires_on_fsync_and_sleep_between_waits() {
        let mut evs = vec![with_path(
            call("openat", 7, [-100i64 as u64, 0, 1, 0, 0, 0], 5),
            "/var/log/app.log",
        )];
        for i in 0..20u64 {
            evs.push(at(
                call("epoll_wait", 7, [4, 0x1000, 64, u64::MAX, 0, 0], 1),
                i * 100_000_000,
                1_000_000,
            ));
            if i % 4 == 0 {
                evs.push(at(
                    call("fsync", 7, [5, 0, 0, 0, 0, 0], 0),
                    i * 100_000_000 + 2_000_000,
                    30_000_000,
                ));
            }
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message.contains("20 event waits")
                && f.message.contains("5 calls")
                && f.message.contains("fsync ×5"),
            "{}",
            f.message
        );
        assert_eq!(f.saving.time_ns, 150_000_000);
    }

    #[test]
    fn silent_on_workers_short_calls_and_futex() {
        let mut evs = Vec::new();
        for i in 0..20u64 {
            evs.push(at(
                call("epoll_wait", 7, [4, 0x1000, 64, u64::MAX, 0, 0], 1),
                i * 100_000_000,
                1_000_000,
            ));
            evs.push(at(
                call("read", 7, [5, 0x1000, 64, 0, 0, 0], 64),
                i * 100_000_000 + 2_000_000,
                50_000,
            ));
            evs.push(at(
                call("futex", 7, [0x1000, 0, 0, 0, 0, 0], 0),
                i * 100_000_000 + 3_000_000,
                40_000_000,
            ));
            // A worker thread without an event loop may block.
            evs.push(at(
                on_thread(call("fsync", 7, [5, 0, 0, 0, 0, 0], 0), 8),
                i * 100_000_000,
                30_000_000,
            ));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
