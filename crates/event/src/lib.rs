//! The one event model every sysgate backend produces and every consumer reads.
//!
//! A backend (ptrace today) pushes events into a [`Sink`]: a syscall's entry (so a printer can
//! show `<unfinished ...>` when calls interleave), its exit (the complete [`SyscallEvent`]),
//! signals, and process lifecycle changes. Printers, summaries and recorders are sinks; nothing
//! downstream knows which backend produced the events.
//!
//! A [`SyscallEvent`] keeps the raw registers and the decoded arguments ([`Value`]). Decoded
//! strings live in the event's own byte arena so that a backend can reuse one event per thread
//! without allocating on every syscall.

#![deny(missing_docs)]

pub mod json;
pub mod render;
pub mod sgt;

use std::io;

use sysgate_kb::symbols::{EnumSet, FlagSet};
use sysgate_kb::{Arch, Syscall};

/// A byte range inside [`SyscallEvent::bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bytes {
    /// Start offset in the arena.
    pub start: u32,
    /// Length in bytes.
    pub len: u32,
}

/// One decoded argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A signed number.
    Int(i64),
    /// An unsigned number.
    UInt(u64),
    /// A number shown in hex.
    Hex(u64),
    /// A file descriptor.
    Fd(i32),
    /// A file descriptor with what it refers to (`-y`): `3</etc/passwd>`.
    FdPath {
        /// The descriptor.
        fd: i32,
        /// Its path or endpoint, in the arena.
        path: Bytes,
    },
    /// A directory file descriptor (`AT_FDCWD` is -100).
    DirFd(i32),
    /// An address or pointer that is not dereferenced (`NULL` when 0).
    Addr(u64),
    /// Bytes read from the tracee: a path, string or buffer contents.
    Str {
        /// Where the bytes are in the arena.
        bytes: Bytes,
        /// True when the tracee had more than was captured (printed as `...`).
        truncated: bool,
    },
    /// A set of flags.
    Flags(&'static FlagSet, u64),
    /// One value of an enumerated set.
    Enum(&'static EnumSet, u64),
    /// Permission bits, printed in octal.
    Mode(u32),
    /// A signal number.
    Signal(i32),
    /// An ioctl request.
    Ioctl(u64),
    /// A clock id.
    ClockId(i32),
    /// An array of strings (argv); `more` when it was cut short.
    StrArray {
        /// The captured strings.
        items: Vec<Bytes>,
        /// True when elements were left out.
        more: bool,
    },
    /// An environment array, abbreviated: its address and how many entries it has.
    EnvCount {
        /// The array's address.
        addr: u64,
        /// Number of variables.
        count: u32,
    },
    /// Two fds filled by the kernel (pipe, socketpair).
    FdPair(i32, i32),
    /// A struct pointer sysgate does not decode yet.
    Struct {
        /// The struct's C name.
        name: &'static str,
        /// Its address.
        addr: u64,
    },
    /// A pointer sysgate tried to read but could not (bad address, unmapped).
    Unreadable(u64),
    /// An argument left out of the output (e.g. `openat`'s mode without `O_CREAT`).
    Omitted,
    /// Not decoded yet (an output argument before the syscall returned).
    Pending,
}

/// The state of a syscall event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Only the entry has been seen.
    Entered,
    /// The syscall returned.
    Completed,
    /// The task disappeared (exit, exec, kill) before the syscall returned.
    Unfinished,
}

/// One system call of one thread.
#[derive(Debug, Clone)]
pub struct SyscallEvent {
    /// Wall-clock time of the entry, nanoseconds since the Unix epoch.
    pub ts_ns: u64,
    /// Process id (thread group id).
    pub pid: u32,
    /// Thread id.
    pub tid: u32,
    /// The ABI the call was made through (i386 for `int 0x80` from a 64-bit process).
    pub arch: Arch,
    /// Syscall number on `arch`.
    pub nr: u32,
    /// The signature, when the knowledge base knows the number.
    pub syscall: Option<&'static Syscall>,
    /// Raw argument registers.
    pub args: [u64; 6],
    /// Decoded arguments, one per signature argument.
    pub decoded: Vec<Value>,
    /// Arena for the bytes [`Value::Str`] and [`Value::StrArray`] refer to.
    pub bytes: Vec<u8>,
    /// Raw return value (`-errno` for failures).
    pub ret: i64,
    /// What a returned fd refers to (`-y`).
    pub ret_path: Option<Bytes>,
    /// True when the kernel reported the return as an error.
    pub is_error: bool,
    /// Time from entry to exit in nanoseconds.
    pub duration_ns: u64,
    /// Where the event is in its life.
    pub phase: Phase,
}

impl SyscallEvent {
    /// An empty event, for reuse.
    pub fn new() -> SyscallEvent {
        SyscallEvent {
            ts_ns: 0,
            pid: 0,
            tid: 0,
            arch: Arch::native(),
            nr: 0,
            syscall: None,
            args: [0; 6],
            decoded: Vec::with_capacity(6),
            bytes: Vec::new(),
            ret: 0,
            ret_path: None,
            is_error: false,
            duration_ns: 0,
            phase: Phase::Entered,
        }
    }

    /// The syscall's name, or `syscall_N` when it is unknown.
    pub fn name(&self) -> std::borrow::Cow<'static, str> {
        match self.syscall {
            Some(s) => s.name.into(),
            None => format!("syscall_{:#x}", self.nr).into(),
        }
    }

    /// The bytes of a [`Bytes`] range.
    pub fn slice(&self, b: Bytes) -> &[u8] {
        let start = b.start as usize;
        self.bytes
            .get(start..start + b.len as usize)
            .unwrap_or_default()
    }

    /// The errno when the call failed.
    pub fn errno(&self) -> Option<u32> {
        (self.is_error && (-4095..0).contains(&self.ret)).then(|| (-self.ret) as u32)
    }
}

impl Default for SyscallEvent {
    fn default() -> Self {
        SyscallEvent::new()
    }
}

/// The information a signal carries (`siginfo_t`, the common fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigInfo {
    /// Signal number.
    pub signo: i32,
    /// `si_code`.
    pub code: i32,
    /// `si_errno`.
    pub errno: i32,
    /// Sending pid (SI_USER, SI_QUEUE, SIGCHLD) or 0.
    pub pid: i32,
    /// Sending uid.
    pub uid: u32,
    /// SIGCHLD: exit status or signal.
    pub status: i32,
    /// SIGSEGV/SIGBUS/SIGILL/SIGFPE: faulting address.
    pub addr: u64,
    /// SIGCHLD: user and system time in clock ticks.
    pub utime: i64,
    /// See `utime`.
    pub stime: i64,
}

/// A signal delivered to a thread (`--- SIGCHLD {...} ---`).
#[derive(Debug, Clone, Copy)]
pub struct SignalEvent {
    /// Wall-clock time, nanoseconds since the epoch.
    pub ts_ns: u64,
    /// Process id.
    pub pid: u32,
    /// Thread id.
    pub tid: u32,
    /// The signal's details.
    pub info: SigInfo,
}

/// Process and thread lifecycle changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskChange {
    /// The thread exited with a status (`+++ exited with N +++`).
    Exited(i32),
    /// The thread was killed by a signal (`+++ killed by SIGKILL +++`).
    Killed {
        /// The signal.
        signal: i32,
        /// Whether a core dump was written.
        core: bool,
    },
    /// The thread entered a group-stop (`--- stopped by SIGSTOP ---`).
    Stopped(i32),
    /// The thread was attached to.
    Attached,
    /// The thread was detached from and left running.
    Detached,
    /// A thread other than the leader called execve: the old thread id vanished and the
    /// process continues under its leader's id.
    Superseded {
        /// The thread id that called execve.
        former_tid: u32,
    },
}

/// A lifecycle event.
#[derive(Debug, Clone, Copy)]
pub struct TaskEvent {
    /// Wall-clock time, nanoseconds since the epoch.
    pub ts_ns: u64,
    /// Process id.
    pub pid: u32,
    /// Thread id.
    pub tid: u32,
    /// What happened.
    pub change: TaskChange,
}

/// A consumer of events. Backends call these in the order things happened.
pub trait Sink {
    /// A syscall entered; `ev` holds the arguments decoded at entry. Output arguments are
    /// [`Value::Pending`]. The default ignores it.
    fn syscall_entry(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        let _ = ev;
        Ok(())
    }

    /// A syscall completed, or its task vanished before it did ([`Phase::Unfinished`]).
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()>;

    /// A signal was delivered.
    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()>;

    /// A task changed state.
    fn task(&mut self, ev: &TaskEvent) -> io::Result<()>;

    /// Flush buffered output: the backend is about to block waiting for the tracee.
    fn idle(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// The run is over.
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Forwards every event to several sinks in turn.
pub struct Tee<'a> {
    sinks: Vec<&'a mut dyn Sink>,
}

impl<'a> Tee<'a> {
    /// A tee over `sinks`.
    pub fn new(sinks: Vec<&'a mut dyn Sink>) -> Tee<'a> {
        Tee { sinks }
    }
}

impl Sink for Tee<'_> {
    fn syscall_entry(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.syscall_entry(ev))
    }
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.syscall_exit(ev))
    }
    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.signal(ev))
    }
    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.task(ev))
    }
    fn idle(&mut self) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.idle())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.finish())
    }
}
