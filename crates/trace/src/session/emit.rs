//! Handing events to a sink, the same way for every engine: the first sink error stops delivery
//! (and, for the engine, the session — a closed pipe is a normal end, anything else an error),
//! events carry wall-clock times from the monotonic stamps engines take, and a call is reset
//! from its registers before it is decoded.

use std::io;

use sysgate_event::{Phase, Sink, SyscallEvent, TaskChange, TaskEvent};
use sysgate_kb::Arch;

use super::process::{monotonic_ns, realtime_ns};

/// A sink with its error latch and the session's clock.
pub struct Emitter<'a> {
    sink: &'a mut dyn Sink,
    error: Option<io::Error>,
    clock_offset: u64,
}

impl<'a> Emitter<'a> {
    /// Delivers to `sink`; monotonic stamps become wall-clock times from now on.
    pub fn new(sink: &'a mut dyn Sink) -> Emitter<'a> {
        Emitter {
            sink,
            error: None,
            clock_offset: realtime_ns().wrapping_sub(monotonic_ns()),
        }
    }

    /// The wall-clock time of a monotonic stamp.
    pub fn wall_ns(&self, mono_ns: u64) -> u64 {
        mono_ns.wrapping_add(self.clock_offset)
    }

    /// Whether the sink has failed.
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Passes one event to the sink unless an earlier one failed. Returns false when this very
    /// delivery failed, so the engine can stop the session.
    pub fn deliver(&mut self, f: impl FnOnce(&mut dyn Sink) -> io::Result<()>) -> bool {
        if self.error.is_some() {
            return true;
        }
        match f(self.sink) {
            Ok(()) => true,
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    /// A task event stamped now.
    pub fn task(&mut self, pid: u32, tid: u32, change: TaskChange) -> bool {
        let ev = TaskEvent {
            ts_ns: realtime_ns(),
            pid,
            tid,
            change,
        };
        self.deliver(|s| s.task(&ev))
    }

    /// A call whose task vanished (exit, exec, kill) before it returned.
    pub fn unfinished(&mut self, ev: &mut SyscallEvent) -> bool {
        ev.phase = Phase::Unfinished;
        self.deliver(|s| s.syscall_exit(ev))
    }

    /// Ends the session: the sink's `finish` (unless it failed), then the first error, except a
    /// pipe closed while the program ran, which is how `sysgate … | head` ends. A pipe closed
    /// only at the final flush is an error: the end of the output was lost with nobody told.
    pub fn finish(&mut self) -> io::Result<()> {
        let earlier = self.error.is_some();
        self.deliver(|s| s.finish());
        match self.error.take() {
            Some(e) if e.kind() != io::ErrorKind::BrokenPipe || !earlier => Err(e),
            _ => Ok(()),
        }
    }
}

/// Resets `ev` for a new call entered at `ts_ns` (wall clock) with these registers.
pub fn begin_call(
    ev: &mut SyscallEvent,
    ts_ns: u64,
    (pid, tid): (u32, u32),
    arch: Arch,
    nr: u64,
    args: [u64; 6],
) {
    ev.ts_ns = ts_ns;
    ev.pid = pid;
    ev.tid = tid;
    ev.arch = arch;
    ev.nr = nr as u32;
    ev.syscall = sysgate_kb::lookup(arch, nr);
    ev.args = args;
    ev.ret = 0;
    ev.is_error = false;
    ev.duration_ns = 0;
    ev.phase = Phase::Entered;
    ev.tampered = 0;
    ev.stack.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use sysgate_event::{SignalEvent, TaskEvent};

    /// A sink whose output is a pipe the reader closed, from `from` on: "exit" (while the
    /// program runs) or "finish" (only at the final flush).
    struct ClosedPipe {
        from: &'static str,
    }

    impl Sink for ClosedPipe {
        fn syscall_exit(&mut self, _: &SyscallEvent) -> io::Result<()> {
            match self.from {
                "exit" => Err(io::Error::from(io::ErrorKind::BrokenPipe)),
                _ => Ok(()),
            }
        }
        fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
            Ok(())
        }
        fn task(&mut self, _: &TaskEvent) -> io::Result<()> {
            Ok(())
        }
        fn finish(&mut self) -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
    }

    #[test]
    fn a_pipe_closed_only_at_the_final_flush_is_an_error() {
        let ev = SyscallEvent::new();
        let mut early = ClosedPipe { from: "exit" };
        let mut e = Emitter::new(&mut early);
        assert!(!e.deliver(|s| s.syscall_exit(&ev)));
        assert!(e.finish().is_ok(), "`| head` ends the session normally");
        let mut late = ClosedPipe { from: "finish" };
        let mut e = Emitter::new(&mut late);
        assert!(e.deliver(|s| s.syscall_exit(&ev)));
        assert_eq!(
            e.finish().unwrap_err().kind(),
            io::ErrorKind::BrokenPipe,
            "the end of the output was lost"
        );
    }
}
