//! `busy-poll`: a thread spinning on calls that return nothing.
//!
//! **What.** A thread makes the same "anything yet?" call again and again, back to back, and
//! gets nothing: `poll`/`epoll_wait` with a zero timeout returning 0, `sched_yield` in a loop,
//! or `read`/`recv`/`accept`/`send` on a non-blocking fd failing with `EAGAIN` without waiting
//! for readiness in between. Typical causes: a "non-blocking" event loop that polls with
//! timeout 0, a spin-wait on a flag, retry-on-EAGAIN loops.
//!
//! **Why.** Every empty call costs a kernel round trip (0.1–0.5 µs untraced here) and the
//! thread burns a whole CPU doing nothing, competing with the thread that would produce the
//! data. A blocking wait costs one call and no CPU until there is something to do.
//!
//! **Evidence.** Per thread: empty calls, how many came straight after another empty call
//! (spins), by kind (zero-timeout polls, yields, EAGAIN), the fds involved, the first three.
//!
//! **Threshold.** At least 1 000 spins (empty calls directly following an empty call of the
//! same thread). `ppoll`, `select` and sleeps are not judged: their timeout is a struct the
//! trace does not decode.
//!
//! **Fix.** Block: pass a real timeout to `poll`/`epoll_wait` (-1 or the next deadline), wait
//! on a condition variable / futex / eventfd instead of `sched_yield`, and wait for readiness
//! (edge-triggered epoll) before retrying after `EAGAIN`. Saving = spins × the empty call's
//! cost (`poll_zero`, `epoll_zero`, `sched_yield`, `eagain`).

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::fmt_count;
use crate::advise::{Ctx, FdRef, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "busy-poll",
    title: "a thread spinning on calls that return nothing",
    make: || Box::<BusyPoll>::default(),
};

/// Spins of one thread needed for a finding.
pub const MIN_SPINS: u64 = 1000;
const EAGAIN: u32 = 11;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Poll,
    Epoll,
    Yield,
    Again,
}

#[derive(Default)]
struct Stats {
    pid: u32,
    calls: u64,
    empties: u64,
    spins: u64,
    last_empty: bool,
    kinds: [u64; 4],
    fds: Vec<i32>,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct BusyPoll {
    by_tid: HashMap<u32, Stats>,
}

fn empty_kind(ev: &SyscallEvent, name: &str) -> Option<Kind> {
    match name {
        "poll" if ev.ret == 0 && ev.args[2] as u32 as i32 == 0 => Some(Kind::Poll),
        "epoll_wait" | "epoll_pwait" if ev.ret == 0 && ev.args[3] as u32 as i32 == 0 => {
            Some(Kind::Epoll)
        }
        "sched_yield" => Some(Kind::Yield),
        "read" | "readv" | "recv" | "recvfrom" | "recvmsg" | "recvmmsg" | "accept" | "accept4"
        | "write" | "writev" | "send" | "sendto" | "sendmsg" | "sendmmsg"
            if ev.errno() == Some(EAGAIN) =>
        {
            Some(Kind::Again)
        }
        _ => None,
    }
}

impl Rule for BusyPoll {
    fn syscall(&mut self, _: &Ctx, ev: &SyscallEvent, name: &'static str) {
        let kind = empty_kind(ev, name);
        if !self.by_tid.contains_key(&ev.tid) && (kind.is_none() || self.by_tid.len() >= MAX_KEYS) {
            return;
        }
        let s = self.by_tid.entry(ev.tid).or_default();
        s.pid = ev.pid;
        s.calls += 1;
        let Some(kind) = kind else {
            s.last_empty = false;
            return;
        };
        s.empties += 1;
        if s.last_empty {
            s.spins += 1;
            s.kinds[kind as usize] += 1;
            s.samples.offer(ev);
            if kind == Kind::Again {
                push_unique(&mut s.fds, ev.args[0] as u32 as i32, 4);
            }
        }
        s.last_empty = true;
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&tid, s) in &self.by_tid {
            if s.spins < MIN_SPINS {
                continue;
            }
            let names = [
                ("poll with timeout 0", cx.costs.poll_zero),
                ("epoll_wait with timeout 0", cx.costs.epoll_zero),
                ("sched_yield", cx.costs.sched_yield),
                ("EAGAIN", cx.costs.eagain),
            ];
            let parts: Vec<String> = s
                .kinds
                .iter()
                .zip(names)
                .filter(|(n, _)| **n > 0)
                .map(|(n, (name, _))| format!("{name} ×{}", fmt_count(*n)))
                .collect();
            let time: f64 = s
                .kinds
                .iter()
                .zip(names)
                .map(|(n, (_, c))| *n as f64 * c)
                .sum();
            let main = (0..4).max_by_key(|&i| s.kinds[i]).unwrap_or(0);
            let thread = if tid == s.pid {
                who(cx, s.pid)
            } else {
                format!("thread {tid} of {}", who(cx, s.pid))
            };
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{thread} spun {} times on calls that returned nothing ({}), back to back",
                    fmt_count(s.spins),
                    parts.join(", ")
                ),
            );
            f.evidence.facts = vec![
                ("spins", s.spins),
                ("empty_calls", s.empties),
                ("thread_calls", s.calls),
                ("zero_timeout_polls", s.kinds[0] + s.kinds[1]),
                ("sched_yields", s.kinds[2]),
                ("eagain", s.kinds[3]),
            ];
            f.evidence.fds = s
                .fds
                .iter()
                .map(|&fd| FdRef {
                    pid: s.pid,
                    fd,
                    path: cx
                        .fd(s.pid, fd)
                        .map_or_else(|| "?".to_string(), |e| cx.label(e.label).to_string()),
                })
                .collect();
            f.evidence.pids = vec![s.pid];
            f.evidence.tids = vec![tid];
            f.evidence.samples = s.samples.0.clone();
            f.saving = Saving {
                calls_avoided: s.spins,
                time_ns: time as u64,
                formula: format!(
                    "{} avoided empty calls × their cost (poll_zero {} ns, epoll_zero {} ns, sched_yield {} ns, eagain {} ns), plus the CPU the spinning thread keeps busy",
                    fmt_count(s.spins),
                    cx.costs.poll_zero,
                    cx.costs.epoll_zero,
                    cx.costs.sched_yield,
                    cx.costs.eagain
                ),
            };
            let how = match main {
                0 | 1 => {
                    "pass a real timeout to poll/epoll_wait (-1, or the time until the next deadline) instead of 0, so the kernel wakes the thread when an fd is ready"
                }
                2 => {
                    "wait on something that wakes the thread (a condition variable, a futex, a channel, an eventfd) instead of spinning on sched_yield"
                }
                _ => {
                    "wait for readiness before retrying after EAGAIN: register the fd with epoll (edge-triggered, EPOLLET) or poll it, or make the fd blocking if this thread has nothing else to do"
                }
            };
            f.fix = format!(
                "{how}: {} → about one per event",
                plural(s.spins + 1, "call")
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
    fn fires_on_zero_timeout_polls() {
        let mut evs = Vec::new();
        for _ in 0..3000 {
            evs.push(call("poll", 7, [0x1000, 1, 0, 0, 0, 0], 0));
        }
        evs.push(call("poll", 7, [0x1000, 1, 0, 0, 0, 0], 1));
        evs.push(call("read", 7, [3, 0x1000, 64, 0, 0, 0], 1));
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(f.message.contains("spun 2 999 times"), "{}", f.message);
        assert_eq!(f.saving.calls_avoided, 2999);
        assert!(f.fix.starts_with("pass a real timeout"), "{}", f.fix);
    }

    #[test]
    fn fires_on_eagain_and_yield_spins() {
        let mut evs = Vec::new();
        for _ in 0..800 {
            evs.push(on_thread(
                call("recvfrom", 7, [5, 0x1000, 64, 0, 0, 0], -11),
                9,
            ));
            evs.push(on_thread(call("sched_yield", 7, [0; 6], 0), 9));
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(f.message.starts_with("thread 9 of pid 7"), "{}", f.message);
        assert_eq!(f.evidence.tids, vec![9]);
    }

    #[test]
    fn silent_on_blocking_waits_and_interleaved_work() {
        let mut evs = Vec::new();
        for _ in 0..5000 {
            // A loop that checks once, then does work.
            evs.push(call("epoll_wait", 7, [4, 0x1000, 64, 0, 0, 0], 0));
            evs.push(call("read", 7, [3, 0x1000, 64, 0, 0, 0], 64));
            // Blocking waits that time out.
            evs.push(on_thread(
                call("epoll_wait", 7, [4, 0x1000, 64, 100, 0, 0], 0),
                8,
            ));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
