//! The thread model of each traced process, inferred from its calls: single-threaded,
//! thread-per-connection (an `accept` followed by a thread that serves the accepted fd), or an
//! event loop (threads that wait in epoll/poll/select) with or without a pool of other threads.
//!
//! Conservative by design: a model is named only from what the trace shows, with the counts
//! that show it; anything else with several threads is just `multi-threaded`. State is a few
//! counters per thread, with a cap on the threads remembered per process.

use std::collections::hash_map::Entry;

use sysgate_event::fxhash::FxMap;

use serde_json::{Value as Json, json};
use sysgate_event::SyscallEvent;

use super::ctx::{CLONE_THREAD, Ctx, fd_arg};

/// Most threads remembered per process (later ones are only counted).
const MAX_THREADS: usize = 4096;
/// Waits a thread must make to count as an event loop.
const MIN_WAITS: u64 = 3;
/// Accepted connections served by their own thread needed for thread-per-connection.
const MIN_CONN_THREADS: u64 = 2;

#[derive(Debug, Default, Clone)]
struct Thread {
    calls: u64,
    waits: u64,
    wait_name: &'static str,
    accepts: u64,
    /// The fd the last accept returned, until a thread is cloned for it.
    accepted: Option<i32>,
    /// A thread this one made right after an accept, with the accepted fd.
    served_fd: Option<i32>,
    served: bool,
}

#[derive(Debug, Default)]
struct Process {
    threads: FxMap<u32, Thread>,
    extra_threads: u64,
    /// Threads cloned right after an accept: child tid → (accepted fd).
    handoff: FxMap<u32, i32>,
}

/// Per-process thread counts and their evidence.
#[derive(Debug, Default)]
pub struct Threads {
    procs: FxMap<u32, Process>,
}

const WAITS: [&str; 7] = [
    "epoll_wait",
    "epoll_pwait",
    "epoll_pwait2",
    "poll",
    "ppoll",
    "select",
    "pselect6",
];

/// The inferred model of one process.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadModel {
    /// The process.
    pub pid: u32,
    /// What it runs (`?` when unknown).
    pub exe: String,
    /// Threads that made a call.
    pub threads: u64,
    /// `single-threaded`, `thread-per-connection`, `event-loop`, `event-loop+workers`,
    /// `multi-threaded`.
    pub model: &'static str,
    /// What shows it.
    pub evidence: String,
}

impl ThreadModel {
    /// The model as JSON (`threads[]` in docs/advise.md).
    pub fn to_json(&self) -> Json {
        json!({"pid": self.pid, "exe": self.exe, "threads": self.threads, "model": self.model, "evidence": self.evidence})
    }
}

/// What a syscall can show of a threading model, worked out from its name once rather than on
/// every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadCall {
    /// A wait for events, by its name in [`WAITS`].
    Wait(&'static str),
    /// `accept` or `accept4`.
    Accept,
    /// `clone`.
    Clone,
    /// `clone3`, whose flags are in memory: its children count as threads when they show up
    /// with the caller's pid.
    Clone3,
    /// Any other call.
    Other,
}

impl ThreadCall {
    /// The kind of the syscall called `name`.
    pub fn of(name: &str) -> ThreadCall {
        match name {
            _ if WAITS.contains(&name) => {
                ThreadCall::Wait(WAITS[WAITS.iter().position(|w| *w == name).unwrap_or(0)])
            }
            "accept" | "accept4" => ThreadCall::Accept,
            "clone" => ThreadCall::Clone,
            "clone3" => ThreadCall::Clone3,
            _ => ThreadCall::Other,
        }
    }
}

impl Threads {
    /// Adds one completed call (after [`Ctx::apply`]) of the syscall called `name`.
    pub fn syscall(&mut self, ev: &SyscallEvent, name: &str) {
        self.call(ev, ThreadCall::of(name));
    }

    /// Adds one completed call of a syscall of kind `kind` ([`ThreadCall::of`] its name).
    pub fn call(&mut self, ev: &SyscallEvent, kind: ThreadCall) {
        let p = self.procs.entry(ev.pid).or_default();
        let known = p.threads.len();
        let t = match p.threads.entry(ev.tid) {
            Entry::Occupied(t) => t.into_mut(),
            Entry::Vacant(_) if known >= MAX_THREADS => {
                p.extra_threads += 1;
                return;
            }
            Entry::Vacant(t) => t.insert(Thread {
                served_fd: p.handoff.remove(&ev.tid),
                ..Thread::default()
            }),
        };
        let ok = !ev.is_error && ev.ret >= 0;
        t.calls += 1;
        if let Some(fd) = t.served_fd
            && !t.served
            && fd_arg(ev) == Some(fd)
        {
            t.served = true;
        }
        let handoff = match kind {
            ThreadCall::Wait(name) => {
                t.waits += 1;
                t.wait_name = name;
                None
            }
            ThreadCall::Accept if ok => {
                t.accepts += 1;
                t.accepted = Some(ev.ret as i32);
                None
            }
            ThreadCall::Clone | ThreadCall::Clone3 if ok && ev.ret > 0 => {
                // clone3's flags are in memory: a clone3 child is a thread if it shows up
                // with this pid, which is what `handoff` waits for.
                let thread = kind == ThreadCall::Clone3 || ev.args[0] & CLONE_THREAD != 0;
                match (thread, t.accepted.take()) {
                    (true, Some(fd)) => Some((ev.ret as u32, fd)),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some((child, fd)) = handoff
            && p.handoff.len() < MAX_THREADS
        {
            // The child may have run before the clone returned in the parent.
            match p.threads.get_mut(&child) {
                Some(c) => c.served_fd = Some(fd),
                None => {
                    p.handoff.insert(child, fd);
                }
            }
        }
    }

    /// The model of every process that made a call, by pid.
    pub fn models(&self, cx: &Ctx) -> Vec<ThreadModel> {
        self.models_named(&|pid| cx.exe(pid).to_string())
    }

    /// The same, with the program names from `exe` (for analyses without a [`Ctx`]).
    pub fn models_named(&self, exe: &dyn Fn(u32) -> String) -> Vec<ThreadModel> {
        let mut out: Vec<ThreadModel> = self
            .procs
            .iter()
            .map(|(&pid, p)| classify(pid, p, &exe(pid)))
            .collect();
        out.sort_by_key(|m| m.pid);
        out
    }
}

fn classify(pid: u32, p: &Process, exe: &str) -> ThreadModel {
    let threads = p.threads.len() as u64 + p.extra_threads;
    let mut loops: Vec<(&u32, &Thread)> = p
        .threads
        .iter()
        .filter(|(_, t)| t.waits >= MIN_WAITS)
        .collect();
    loops.sort_by_key(|(tid, _)| **tid);
    let accepts: u64 = p.threads.values().map(|t| t.accepts).sum();
    let served = p.threads.values().filter(|t| t.served).count() as u64;
    // Workers: threads other than the loops and the main thread (which often only starts the
    // loop thread and joins it).
    let is_worker = |tid: &u32, t: &Thread| t.waits < MIN_WAITS && *tid != pid;
    let others = p
        .threads
        .iter()
        .filter(|(tid, t)| is_worker(tid, t))
        .count() as u64
        + p.extra_threads;
    let (model, evidence) = if served >= MIN_CONN_THREADS && served * 2 >= accepts {
        (
            "thread-per-connection",
            format!(
                "{accepts} accepted connection{}, {served} of them served by a thread cloned right after the accept",
                if accepts == 1 { "" } else { "s" }
            ),
        )
    } else if !loops.is_empty() {
        let desc: Vec<String> = loops
            .iter()
            .take(4)
            .map(|(tid, t)| format!("tid {tid} made {} {} calls", t.waits, t.wait_name))
            .collect();
        let more = if loops.len() > 4 {
            format!(" and {} more", loops.len() - 4)
        } else {
            String::new()
        };
        if others == 0 {
            ("event-loop", format!("{}{more}", desc.join(", ")))
        } else {
            (
                "event-loop+workers",
                format!(
                    "{}{more}; {others} other thread{} made {} calls without waiting on events",
                    desc.join(", "),
                    if others == 1 { "" } else { "s" },
                    p.threads
                        .iter()
                        .filter(|(tid, t)| is_worker(tid, t))
                        .map(|(_, t)| t.calls)
                        .sum::<u64>()
                ),
            )
        }
    } else if threads <= 1 {
        ("single-threaded", "one thread made every call".to_string())
    } else {
        (
            "multi-threaded",
            format!(
                "{threads} threads; no event-loop waits and no thread per accepted connection seen"
            ),
        )
    };
    ThreadModel {
        pid,
        exe: exe.to_string(),
        threads,
        model,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::CostModel;
    use crate::advise::testing::call;

    fn on(mut ev: SyscallEvent, tid: u32) -> SyscallEvent {
        ev.tid = tid;
        ev
    }

    fn model_of(evs: &[SyscallEvent]) -> Vec<ThreadModel> {
        let mut cx = Ctx::new(CostModel::builtin());
        let mut t = Threads::default();
        for e in evs {
            let name = e.syscall.unwrap().name;
            cx.apply(e, name);
            t.syscall(e, name);
        }
        t.models(&cx)
    }

    #[test]
    fn single_threaded_and_multi_threaded() {
        let m = model_of(&[call("getpid", 5, [0; 6], 5), call("read", 5, [0; 6], 0)]);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].model, m[0].threads), ("single-threaded", 1));
        let m = model_of(&[
            call("clone", 5, [CLONE_THREAD, 0, 0, 0, 0, 0], 6),
            on(call("read", 5, [0; 6], 0), 6),
        ]);
        assert_eq!((m[0].model, m[0].threads), ("multi-threaded", 2));
    }

    #[test]
    fn thread_per_connection() {
        let mut evs = vec![call("socket", 5, [2, 1, 0, 0, 0, 0], 3)];
        for i in 0..3u32 {
            let fd = 4 + i as u64;
            let child = 100 + i;
            evs.push(call("accept4", 5, [3, 0, 0, 0, 0, 0], fd as i64));
            evs.push(call(
                "clone",
                5,
                [CLONE_THREAD, 0, 0, 0, 0, 0],
                child as i64,
            ));
            evs.push(on(call("read", 5, [fd, 0, 64, 0, 0, 0], 10), child));
            evs.push(on(call("close", 5, [fd, 0, 0, 0, 0, 0], 0), child));
        }
        let m = model_of(&evs);
        assert_eq!(m[0].model, "thread-per-connection", "{m:?}");
        assert_eq!(m[0].threads, 4);
        assert!(
            m[0].evidence
                .starts_with("3 accepted connections, 3 of them"),
            "{m:?}"
        );
        // A thread that never touches the accepted fd is not proof.
        let evs: Vec<SyscallEvent> = (0..3u32)
            .flat_map(|i| {
                [
                    call("accept", 5, [3, 0, 0, 0, 0, 0], 4 + i64::from(i)),
                    call(
                        "clone",
                        5,
                        [CLONE_THREAD, 0, 0, 0, 0, 0],
                        200 + i64::from(i),
                    ),
                    on(call("getpid", 5, [0; 6], 5), 200 + i),
                ]
            })
            .collect();
        assert_eq!(model_of(&evs)[0].model, "multi-threaded");
    }

    #[test]
    fn event_loop_with_and_without_workers() {
        let mut evs: Vec<SyscallEvent> = (0..5)
            .map(|_| call("epoll_wait", 5, [3, 0, 8, 0, 0, 0], 1))
            .collect();
        let m = model_of(&evs);
        assert_eq!(m[0].model, "event-loop");
        assert_eq!(m[0].evidence, "tid 5 made 5 epoll_wait calls");
        evs.push(call("clone", 5, [CLONE_THREAD, 0, 0, 0, 0, 0], 9));
        evs.push(on(call("fsync", 5, [4, 0, 0, 0, 0, 0], 0), 9));
        let m = model_of(&evs);
        assert_eq!(m[0].model, "event-loop+workers");
        assert!(
            m[0].evidence
                .ends_with("; 1 other thread made 1 calls without waiting on events"),
            "{m:?}"
        );
        // Two polls are not a loop.
        let m = model_of(&[call("poll", 5, [0; 6], 0), call("poll", 5, [0; 6], 0)]);
        assert_eq!(m[0].model, "single-threaded");
    }
}
