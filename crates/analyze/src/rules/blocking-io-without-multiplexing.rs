//! `blocking-io-without-multiplexing`: a thread blocked reading one pipe or socket while data
//! waits on another.
//!
//! **What.** One thread serves several pipes or sockets by reading them one after the other
//! with blocking calls — `read(A)`, then `read(B)`, then `read(A)` — and never uses `poll`,
//! `select` or `epoll`. While it sits in `read(A)`, data that has already arrived on `B`
//! waits. Typical causes: reading a child's stdout and then its stderr, a server that serves
//! connections round-robin, a proxy that reads client and upstream in turn.
//!
//! **Why.** Every message on the other fds waits for the slowest one (head-of-line blocking),
//! and if the writer on `B` fills its buffer while the reader waits on `A`, both block forever
//! (the classic stdout/stderr pipe deadlock).
//!
//! **Evidence.** Per thread: the fds it blocked on, how many times data was already waiting on
//! another of them when a blocking read returned (proven from the writes to the other end of
//! the pipe or socketpair in the same trace), how long it waited in total, a write → blocked
//! read → late read sample.
//!
//! **Threshold.** At least 3 proven waits in one thread that read at least 2 pipes or
//! socketpairs with blocking reads (≥ 1 ms) and never called `poll`, `ppoll`, `select`,
//! `pselect6` or `epoll_wait`. Only pipes and socketpairs whose other end is written in the
//! trace can prove a wait, so TCP connections to other machines are not judged.
//!
//! **Fix.** Wait for all of them at once: `poll`/`epoll` on every fd and read the ready ones,
//! an async runtime, or one thread per fd. The saving is latency: the total time data waited.

use std::collections::HashMap;

use sysgate_event::{SyscallEvent, Value};

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::{fmt_count, fmt_ns};
use crate::advise::{Ctx, FdKind, FdRef, Finding, Sample, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "blocking-io-without-multiplexing",
    title: "a thread blocked on one pipe or socket while data waits on another",
    make: || Box::<BlockingIoWithoutMultiplexing>::default(),
};

/// Proven waits in one thread needed for a finding.
pub const MIN_WAITS: u64 = 3;
/// A read that took at least this long blocked.
pub const BLOCKED_NS: u64 = 1_000_000;
/// Fds remembered per thread.
const MAX_FDS: usize = 16;

#[derive(Default)]
struct Thread {
    pid: u32,
    multiplexes: bool,
    /// (fd, uid, label, last read end).
    fds: Vec<(i32, u64, u32, u64)>,
    waits: u64,
    waited_ns: u64,
    samples: Vec<Sample>,
}

/// See the module documentation.
#[derive(Default)]
pub struct BlockingIoWithoutMultiplexing {
    /// uid of one end → uid of the other end.
    peer: HashMap<u64, u64>,
    /// uid → when it was last written, and a sample of that write.
    written: HashMap<u64, (u64, Option<Sample>)>,
    threads: HashMap<u32, Thread>,
}

/// A wait for readiness: `poll`/`epoll_wait` with a zero timeout only checks (that is
/// `busy-poll`'s business, and what Rust's runtime does once at startup).
fn is_mux(ev: &SyscallEvent, name: &str) -> bool {
    match name {
        "poll" => ev.args[2] as u32 as i32 != 0,
        "epoll_wait" | "epoll_pwait" => ev.args[3] as u32 as i32 != 0,
        "ppoll" | "select" | "pselect6" | "epoll_pwait2" => true,
        _ => false,
    }
}

impl Rule for BlockingIoWithoutMultiplexing {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        if is_mux(ev, name) {
            self.threads.entry(ev.tid).or_default().multiplexes = true;
            return;
        }
        if ev.is_error || ev.ret < 0 {
            return;
        }
        match name {
            "pipe" | "pipe2" | "socketpair" => {
                if let Some(Value::FdPair(a, b)) =
                    ev.decoded.iter().find(|v| matches!(v, Value::FdPair(..)))
                    && let (Some(x), Some(y)) = (cx.fd(ev.pid, *a), cx.fd(ev.pid, *b))
                    && self.peer.len() < MAX_KEYS
                {
                    self.peer.insert(x.uid, y.uid);
                    self.peer.insert(y.uid, x.uid);
                }
            }
            "write" | "writev" | "send" | "sendto" | "sendmsg" => {
                let fd = ev.args[0] as u32 as i32;
                if let Some(e) = cx.fd(ev.pid, fd)
                    && self.peer.contains_key(&e.uid)
                {
                    let w = self.written.entry(e.uid).or_insert((0, None));
                    w.0 = ev.ts_ns + ev.duration_ns;
                    w.1 = Some(Sample::of(ev));
                }
            }
            "read" | "readv" | "recv" | "recvfrom" | "recvmsg" => {
                let fd = ev.args[0] as u32 as i32;
                let Some(e) = cx.fd(ev.pid, fd) else {
                    return;
                };
                if !(e.kind == FdKind::Pipe || e.kind.is_socket())
                    || e.nonblock
                    || !self.peer.contains_key(&e.uid)
                {
                    return;
                }
                if !self.threads.contains_key(&ev.tid) && self.threads.len() >= MAX_KEYS {
                    return;
                }
                let end = ev.ts_ns + ev.duration_ns;
                let t = self.threads.entry(ev.tid).or_default();
                t.pid = ev.pid;
                if ev.duration_ns >= BLOCKED_NS && !t.multiplexes {
                    // Was data waiting on another fd of this thread while it blocked here?
                    for &(_, ouid, _, last_read) in &t.fds {
                        if ouid == e.uid {
                            continue;
                        }
                        let Some(peer) = self.peer.get(&ouid) else {
                            continue;
                        };
                        if let Some((w, wsample)) = self.written.get(peer)
                            && *w > last_read
                            && *w < end
                        {
                            t.waits += 1;
                            t.waited_ns += end - (*w).max(ev.ts_ns);
                            if t.samples.is_empty() {
                                t.samples.extend(wsample.clone());
                                t.samples.push(Sample::of(ev));
                            }
                        }
                    }
                }
                if let Some(f) = t.fds.iter_mut().find(|f| f.1 == e.uid) {
                    f.3 = end;
                } else if t.fds.len() < MAX_FDS {
                    t.fds.push((fd, e.uid, e.label, end));
                }
                if t.samples.len() == 2
                    && t.samples
                        .last()
                        .is_some_and(|s| !s.line.starts_with(&format!("{name}({fd},")))
                {
                    t.samples.push(Sample::of(ev));
                }
            }
            _ => {}
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&tid, t) in &self.threads {
            if t.multiplexes || t.waits < MIN_WAITS || t.fds.len() < 2 {
                continue;
            }
            let thread = if tid == t.pid {
                who(cx, t.pid)
            } else {
                format!("thread {tid} of {}", who(cx, t.pid))
            };
            let fds: Vec<String> = t
                .fds
                .iter()
                .map(|(fd, _, l, _)| format!("fd {fd} ({})", cx.label(*l)))
                .collect();
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{thread} reads {} one at a time with blocking calls and no poll/epoll: {} data was already waiting on one fd while the thread sat blocked on another, {} of waiting in all",
                    fds.join(" and "),
                    plural(t.waits, "time"),
                    fmt_ns(t.waited_ns as f64)
                ),
            );
            f.evidence.facts = vec![
                ("waits", t.waits),
                ("waited_ns", t.waited_ns),
                ("fds", t.fds.len() as u64),
            ];
            f.evidence.fds = t
                .fds
                .iter()
                .map(|(fd, _, l, _)| FdRef {
                    pid: t.pid,
                    fd: *fd,
                    path: cx.label(*l).to_string(),
                })
                .collect();
            f.evidence.pids = vec![t.pid];
            f.evidence.tids = vec![tid];
            f.evidence.samples = t.samples.clone();
            f.saving = Saving {
                calls_avoided: 0,
                time_ns: t.waited_ns,
                formula: format!(
                    "latency, not syscalls: {} of data waiting on one fd while the thread blocked on another ({} waits, measured in the trace)",
                    fmt_ns(t.waited_ns as f64),
                    fmt_count(t.waits)
                ),
            };
            let mut ids: Vec<String> = Vec::new();
            for (fd, ..) in &t.fds {
                push_unique(&mut ids, fd.to_string(), MAX_FDS);
            }
            f.fix = format!(
                "wait for fds {} together — poll or epoll on all of them and read whichever is ready (or an async runtime, or one thread per fd) — so no message waits behind another fd's silence, and a full pipe cannot deadlock the writer",
                ids.join(", ")
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn round(evs: &mut Vec<SyscallEvent>, t0: u64, mux: bool) {
        // The writer thread (tid 8) writes B (fd 6) first, then A (fd 4) 10 ms later.
        evs.push(at(
            on_thread(call("write", 7, [6, 0x1000, 5, 0, 0, 0], 5), 8),
            t0 + 2_000_000,
            1000,
        ));
        evs.push(at(
            on_thread(call("write", 7, [4, 0x1000, 5, 0, 0, 0], 5), 8),
            t0 + 12_000_000,
            1000,
        ));
        if mux {
            evs.push(at(
                call("poll", 7, [0x2000, 2, u64::MAX, 0, 0, 0], 1),
                t0,
                2_000_000,
            ));
        }
        // The reader blocked in read(A) from t0 until A's write; B's data waited.
        evs.push(at(
            call("read", 7, [3, 0x1000, 64, 0, 0, 0], 5),
            t0,
            12_000_000,
        ));
        evs.push(at(
            call("read", 7, [5, 0x1000, 64, 0, 0, 0], 5),
            t0 + 12_001_000,
            1000,
        ));
    }

    fn pipes() -> Vec<SyscallEvent> {
        vec![
            call("pipe2", 7, [3, 0, 0, 0, 0, 0], 0),
            call("pipe2", 7, [5, 0, 0, 0, 0, 0], 0),
        ]
    }

    #[test]
    fn fires_when_data_waits_behind_a_blocking_read() {
        let mut evs = pipes();
        for i in 0..5 {
            round(&mut evs, i * 20_000_000, false);
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message.contains(
                "reads fd 3 (pipe (pid 7, fd 3)) and fd 5 (pipe (pid 7, fd 5)) one at a time"
            ),
            "{}",
            f.message
        );
        assert_eq!(f.evidence.facts[0], ("waits", 4));
        let lines: Vec<&str> = f.evidence.samples.iter().map(|s| s.line.as_str()).collect();
        assert!(
            lines[0].starts_with("write(6")
                && lines[1].starts_with("read(3")
                && lines[2].starts_with("read(5"),
            "{lines:?}"
        );
    }

    #[test]
    fn silent_with_poll_or_one_fd() {
        let mut evs = pipes();
        for i in 0..5 {
            round(&mut evs, i * 20_000_000, true);
        }
        assert!(run(&INFO, &evs).is_empty());
        let mut evs = pipes();
        for i in 0..50u64 {
            evs.push(at(
                on_thread(call("write", 7, [4, 0x1000, 5, 0, 0, 0], 5), 8),
                i * 10_000_000 + 5_000_000,
                1000,
            ));
            evs.push(at(
                call("read", 7, [3, 0x1000, 64, 0, 0, 0], 5),
                i * 10_000_000,
                5_000_000,
            ));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
