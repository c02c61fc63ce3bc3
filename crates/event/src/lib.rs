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

pub mod commands;
pub mod fxhash;
pub mod json;
pub mod perfetto;
pub mod render;
pub mod sgt;
pub mod syscall_map;

use std::io;

use sysgate_kb::symbols::{EnumSet, FlagSet};
use sysgate_kb::{Arch, ArgType, Syscall};

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
    /// A decoded structure: `{st_mode=S_IFREG|0644, st_size=33699, ...}`.
    Record(Vec<Field>),
    /// An array of values: `[{fd=3, events=POLLIN}, ...]`; `more` when elements were left out.
    Array {
        /// The elements shown.
        items: Vec<Value>,
        /// True when the array had more elements than were captured (printed as `...`).
        more: bool,
    },
    /// A set of small numbers printed space-separated, as strace prints fd sets and CPU masks:
    /// `[0 1]`.
    NumSet {
        /// The members, ascending.
        items: Vec<u32>,
        /// True when members were left out.
        more: bool,
    },
    /// A signal set: `[INT TERM]`, or `~[RTMIN RT_1]` when most signals are in it.
    SigSet {
        /// Bit `n-1` set for signal `n`.
        mask: u64,
        /// Number of signals the set can hold (`8 * sigsetsize`, at most 64).
        bits: u8,
    },
    /// A `wait4`/`waitpid` status word: `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
    WaitStatus(i32),
    /// A `siginfo_t` (waitid, rt_sigtimedwait): `{si_signo=SIGCHLD, si_code=CLD_EXITED, ...}`.
    SigInfo(SigInfo),
    /// A function-call notation strace uses for converted values: `htons(80)`,
    /// `inet_addr("127.0.0.1")`, `makedev(0x8, 0x1)`.
    Call {
        /// The function name.
        func: &'static str,
        /// Its arguments.
        args: Vec<Value>,
    },
    /// A bare symbol: `&sin6_addr`, `Timeout`.
    Sym(&'static str),
    /// A number shown by a constant's name: `RLIM64_INFINITY`, `IPC_PRIVATE`, `UTIME_NOW`.
    Const {
        /// The number.
        raw: i64,
        /// Its name.
        name: &'static str,
    },
    /// A resource limit: `8192*1024`, `RLIM64_INFINITY`, or the number.
    Rlim(u64),
    /// A number in C's `%#o` notation: `022`.
    Octal(u64),
    /// A value followed by a comment: `0x7ffd… /* 6 entries */`, a timestamp with its date.
    Comment {
        /// The value.
        value: Box<Value>,
        /// The comment text, in the arena.
        comment: Bytes,
    },
    /// A value the call changed: `[128 => 16]`, `[2] => [7]`.
    Changed {
        /// At entry.
        before: Box<Value>,
        /// At exit.
        after: Box<Value>,
    },
    /// An argument printed with its name, as strace prints clone's: `flags=CLONE_VM|SIGCHLD`.
    Labeled {
        /// The argument name strace prints.
        name: &'static str,
        /// Index of the signature argument this is (the decoder may show arguments in another
        /// order than the kernel takes them, as strace does for clone); JSON names it by that.
        arg: u8,
        /// Its value.
        value: Box<Value>,
    },
    /// Bytes printed entirely as `\xNN` escapes (getrandom): `"\x3c\xc8"`.
    HexStr {
        /// Where the bytes are in the arena.
        bytes: Bytes,
        /// True when more bytes followed (printed as `...`).
        truncated: bool,
    },
    /// An abstract AF_UNIX socket name: `@"name"`.
    AbstractPath(Bytes),
    /// A process id with the command of that process (`-Y`): `1234<sleep>`.
    PidComm {
        /// The id.
        pid: i64,
        /// The process's command name, in the arena.
        comm: Bytes,
    },
    /// Text already in strace notation, in the arena (rare forms such as FUTEX_OP encodings).
    Text(Bytes),
    /// An argument left out of the output (e.g. `openat`'s mode without `O_CREAT`).
    Omitted,
    /// Not decoded yet (an output argument before the syscall returned).
    Pending,
}

impl Value {
    /// The decoded value of a register whose type needs no tracee memory, exactly as the
    /// decoder produces it; `None` for types that read memory (paths, buffers, argv, fd pairs).
    /// Recordings leave such values out and the reader recomputes them with this.
    pub fn from_register(ty: ArgType, raw: u64, arch: Arch) -> Option<Value> {
        let raw = if arch.word_size() == 4 {
            raw & 0xffff_ffff
        } else {
            raw
        };
        Some(match ty {
            ArgType::Fd => Value::Fd(raw as u32 as i32),
            ArgType::DirFd => Value::DirFd(raw as u32 as i32),
            ArgType::Size | ArgType::UInt => Value::UInt(raw),
            ArgType::Int | ArgType::Pid => Value::Int(i64::from(raw as u32 as i32)),
            ArgType::Uid | ArgType::Gid => {
                let v = raw as u32;
                Value::Int(if v == u32::MAX { -1 } else { i64::from(v) })
            }
            ArgType::Off => Value::Int(raw as i64),
            ArgType::Hex => Value::Hex(raw),
            ArgType::Addr | ArgType::Ptr => Value::Addr(raw),
            ArgType::Flags(set) => Value::Flags(set, raw),
            ArgType::Enum(set) => Value::Enum(set, raw as u32 as u64),
            ArgType::Mode => Value::Mode(raw as u32),
            ArgType::Signal => Value::Signal(raw as u32 as i32),
            ArgType::ClockId => Value::ClockId(raw as u32 as i32),
            ArgType::Ioctl => Value::Ioctl(raw),
            ArgType::Struct(name) | ArgType::OutStruct(name) => Value::Struct { name, addr: raw },
            ArgType::SockAddr { .. }
            | ArgType::OutSockAddr { .. }
            | ArgType::IoVec { .. }
            | ArgType::OutIoVec { .. }
            | ArgType::SigSet { .. }
            | ArgType::OutSigSet { .. } => Value::Addr(raw),
            ArgType::Path
            | ArgType::Str
            | ArgType::InBuf { .. }
            | ArgType::OutBuf { .. }
            | ArgType::Argv
            | ArgType::FdPair => return None,
        })
    }
}

/// How a [`Field`] of a [`Value::Record`] shows in strace text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// `name=value`.
    Named,
    /// The value alone (`inet_pton(AF_INET6, "::1", &sin6_addr)`).
    Bare,
    /// Left out of the text, which then ends with `...` (strace's abbreviated structures); JSON
    /// still has it.
    Hidden,
}

/// One field of a decoded structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The C field name (also the JSON key).
    pub name: &'static str,
    /// Its value.
    pub value: Value,
    /// How it shows in text.
    pub show: Show,
}

impl Field {
    /// A field shown as `name=value`.
    pub fn new(name: &'static str, value: Value) -> Field {
        Field {
            name,
            value,
            show: Show::Named,
        }
    }

    /// A field shown as its value alone.
    pub fn bare(name: &'static str, value: Value) -> Field {
        Field {
            name,
            value,
            show: Show::Bare,
        }
    }

    /// A field shown only when `visible` (else hidden behind `...`).
    pub fn shown_if(name: &'static str, value: Value, visible: bool) -> Field {
        Field {
            name,
            value,
            show: if visible { Show::Named } else { Show::Hidden },
        }
    }
}

/// How numbers that have symbolic names print (strace's `-X`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Xlat {
    /// Names only: `O_RDONLY|O_CLOEXEC` (the default).
    #[default]
    Abbrev,
    /// Numbers only: `0x80000`.
    Raw,
    /// Both: `0x80000 /* O_RDONLY|O_CLOEXEC */`.
    Verbose,
}

/// Which strings print as hex escapes (strace's `-x`, `-xx`, `--strings-in-hex`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HexStrings {
    /// Never: non-printable bytes as octal escapes (the default).
    #[default]
    None,
    /// Non-printable bytes as `\xNN`, the rest as text.
    NonAsciiChars,
    /// A string with any non-ASCII or non-printable byte (but `\t\n\v\f\r`) entirely in hex
    /// (`-x`).
    NonAscii,
    /// Every string entirely in hex (`-xx`).
    All,
}

/// One piece of a hex dump of the data a call read or wrote (strace's `-e read=`/`-e write=`),
/// printed after the call's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoDump {
    /// Bytes of one buffer, in the arena; `len` is how many the call asked for (it sets the
    /// width of the offset column) and may exceed what was read.
    Data {
        /// The bytes read, in the arena.
        bytes: Bytes,
        /// The buffer's length.
        len: u64,
    },
    /// ` * N bytes in buffer I`, before the bytes of one element of an iovec array.
    Buffer {
        /// The element's index.
        index: u32,
        /// Bytes dumped from it.
        len: u64,
    },
    /// ` = N buffers in vector I`, before one message of `sendmmsg`/`recvmmsg`.
    Vector {
        /// The message's index.
        index: u32,
        /// Its iovec count.
        buffers: u64,
    },
    /// A part of the buffer that could not be read after some of it was dumped.
    Unreadable {
        /// Bytes not read.
        len: u64,
        /// Where they are.
        addr: u64,
    },
    /// The dump stops here: the call moved more than sysgate dumps per call.
    Cut {
        /// Bytes not dumped.
        len: u64,
    },
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
    /// How a successful return value prints when not as a plain number (`0x8002`, `022`).
    pub ret_value: Option<Value>,
    /// What strace adds in parentheses after a successful return value, as (label, value)
    /// pairs: `(flags O_RDWR)`, `([{fd=3, revents=POLLIN}])`, `(Timeout)`, `(in [3], left {…})`.
    /// An empty label prints the value alone.
    pub ret_note: Vec<(&'static str, Value)>,
    /// The stack pointer at entry, for decoders that read the signal frame (rt_sigreturn).
    pub stack_pointer: u64,
    /// Values the decoder read at entry for arguments it prints at exit (`[128 => 16]`).
    pub saved: [Option<u64>; 6],
    /// When set, arguments from this index on print at exit even if the signature calls them
    /// inputs (the decoder found they are filled by the kernel: `fcntl(F_GETLK)`).
    pub exit_from: Option<u8>,
    /// How symbolic constants print.
    pub xlat: Xlat,
    /// Which strings print in hex.
    pub hex: HexStrings,
    /// True when the kernel reported the return as an error.
    pub is_error: bool,
    /// Time from entry to exit in nanoseconds.
    pub duration_ns: u64,
    /// Where the event is in its life.
    pub phase: Phase,
    /// Hex dumps of the data read or written (`-e read=`, `-e write=`), printed after the line.
    pub dumps: Vec<IoDump>,
    /// How the call was tampered with (`-e inject=`): a set of [`Tampered`] bits.
    pub tampered: u8,
    /// The user stack at the call (`-k`), innermost frame first.
    pub stack: Vec<StackFrame>,
}

/// One frame of a call's user stack (`-k`), innermost first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StackFrame {
    /// The address in the process.
    pub pc: u64,
    /// The file it belongs to.
    pub module: Option<std::sync::Arc<str>>,
    /// The address as an offset into that file, the same on every run.
    pub module_offset: u64,
    /// The address in the file's own address space (its ELF virtual address), which a
    /// separate debug file of the same build shares: what names the frame offline. 0 when
    /// unknown.
    pub file_addr: u64,
    /// The file's GNU build id, in hex, to find the same build on another machine.
    pub build_id: Option<std::sync::Arc<str>>,
    /// The function, demangled.
    pub function: Option<std::sync::Arc<str>>,
    /// Bytes from the function's start.
    pub function_offset: Option<u64>,
    /// Source file and line, where the file has debug information.
    pub location: Option<(std::sync::Arc<str>, u32)>,
    /// A call inlined into the next frame (same address).
    pub inlined: bool,
}

/// The bits of [`SyscallEvent::tampered`].
pub struct Tampered;

impl Tampered {
    /// The return value was injected (the call did not run, or ran as another call).
    pub const RETVAL: u8 = 1;
    /// Argument memory was overwritten.
    pub const ARGS: u8 = 2;
    /// The task was held before or after the call.
    pub const DELAYED: u8 = 4;
    /// A signal was delivered at the call's return.
    pub const SIGNAL: u8 = 8;
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
            ret_value: None,
            ret_note: Vec::new(),
            stack_pointer: 0,
            saved: [None; 6],
            exit_from: None,
            xlat: Xlat::Abbrev,
            hex: HexStrings::None,
            is_error: false,
            duration_ns: 0,
            phase: Phase::Entered,
            dumps: Vec::new(),
            tampered: 0,
            stack: Vec::new(),
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

    /// Copies `data` into the arena and returns its range.
    pub fn push_bytes(&mut self, data: &[u8]) -> Bytes {
        push_arena(&mut self.bytes, data)
    }

    /// The errno when the call failed.
    pub fn errno(&self) -> Option<u32> {
        (self.is_error && (-4095..0).contains(&self.ret)).then(|| (-self.ret) as u32)
    }
}

/// Appends `data` to an arena and returns its range (lengths beyond `u32` are cut).
pub fn push_arena(arena: &mut Vec<u8>, data: &[u8]) -> Bytes {
    let start = arena.len().min(u32::MAX as usize) as u32;
    let room = (u32::MAX - start) as usize;
    let data = &data[..data.len().min(room)];
    arena.extend_from_slice(data);
    Bytes {
        start,
        len: data.len() as u32,
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
    /// The process's command name, for a process sysgate attached to (it made no execve in
    /// the trace to name it by): up to 15 bytes, NUL-padded.
    Named {
        /// `/proc/PID/comm`.
        comm: [u8; 16],
    },
}

impl TaskChange {
    /// A [`TaskChange::Named`] from a command name (cut to 15 bytes).
    pub fn named(comm: &str) -> TaskChange {
        let mut c = [0u8; 16];
        let b = comm.as_bytes();
        let n = b.len().min(15);
        c[..n].copy_from_slice(&b[..n]);
        TaskChange::Named { comm: c }
    }

    /// The command of a [`TaskChange::Named`].
    pub fn comm(&self) -> Option<String> {
        match self {
            TaskChange::Named { comm } => {
                let end = comm.iter().position(|&b| b == 0).unwrap_or(comm.len());
                Some(String::from_utf8_lossy(&comm[..end]).into_owned())
            }
            _ => None,
        }
    }
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

/// What the sandbox did with a call its profile does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The call failed with this errno.
    Denied(u32),
    /// The process was killed.
    Killed,
    /// The call ran and was logged (`SCMP_ACT_LOG`).
    Logged,
    /// Learn mode: the call would have been refused and was allowed.
    Allowed,
}

/// Buckets of an [`AggregateEvent`]'s duration histogram.
pub const AGGREGATE_BUCKETS: usize = 32;

/// What the kernel counted for one syscall of one process over an interval, instead of an
/// event per call: the eBPF backend's in-kernel statistics, snapshotted and diffed
/// (`record --aggregates-only`). The intervals of one capture do not overlap, so summing the
/// records of every interval gives the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregateEvent {
    /// Start of the interval, wall-clock nanoseconds since the epoch.
    pub start_ns: u64,
    /// End of the interval (the snapshot), wall-clock nanoseconds since the epoch.
    pub end_ns: u64,
    /// Process id.
    pub pid: u32,
    /// The ABI of the syscall number.
    pub arch: Arch,
    /// Syscall number.
    pub nr: u32,
    /// Calls completed in the interval.
    pub calls: u64,
    /// Of those, calls that returned an error.
    pub errors: u64,
    /// Total time in the calls.
    pub total_ns: u64,
    /// The longest call: exact when it was the process's longest so far, otherwise the upper
    /// bound of the highest histogram bucket.
    pub max_ns: u64,
    /// Calls by duration: bucket i counts durations in [2^i, 2^(i+1)) ns (bucket 0 also 0 ns,
    /// the last bucket everything longer).
    pub log2_hist: [u64; AGGREGATE_BUCKETS],
}

/// Which calls of one syscall a sink reads the decoded values of ([`SyscallEvent::decoded`],
/// [`SyscallEvent::ret_value`], [`SyscallEvent::ret_note`]): see [`Sink::values_read`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValuesRead {
    /// Every call's.
    All,
    /// Only the calls that failed.
    Failed,
}

/// A sink's answer to which calls of a syscall it reads the values of, given the syscall
/// (`None` for a number the knowledge base does not know). A plain function of the syscall,
/// so that a reader can ask it once per syscall, and on another thread.
pub type ValuesReadFn = fn(Option<&'static Syscall>) -> ValuesRead;

/// A consumer of events. Backends call these in the order things happened.
pub trait Sink {
    /// Which calls this sink reads the decoded values of. A reader of a recording rebuilds
    /// the values of the calls it names only, and hands the others over with `decoded`,
    /// `ret_value` and `ret_note` empty (and no argument strings in `bytes`): rebuilding every
    /// argument of every call is most of what reading costs a sink that only counts. The
    /// default is every call's, which every sink that prints or inspects arguments keeps.
    fn values_read(&self) -> ValuesReadFn {
        |_| ValuesRead::All
    }

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

    /// A call the sandbox's seccomp filter refused (or, in learn mode, would have refused).
    /// `ev` holds the call with its arguments decoded; the default ignores it.
    fn violation(&mut self, ev: &SyscallEvent, verdict: Verdict) -> io::Result<()> {
        let _ = (ev, verdict);
        Ok(())
    }

    /// Statistics of one syscall of one process over an interval (`record --aggregates-only`);
    /// the default ignores them.
    fn aggregate(&mut self, ev: &AggregateEvent) -> io::Result<()> {
        let _ = ev;
        Ok(())
    }

    /// Every [`AggregateEvent`] of the interval that ends at `end_ns` has been delivered (also
    /// when there were none): a point where a recorder may start a new file. The default
    /// ignores it.
    fn interval_end(&mut self, end_ns: u64) -> io::Result<()> {
        let _ = end_ns;
        Ok(())
    }

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
    fn violation(&mut self, ev: &SyscallEvent, verdict: Verdict) -> io::Result<()> {
        self.sinks
            .iter_mut()
            .try_for_each(|s| s.violation(ev, verdict))
    }
    fn aggregate(&mut self, ev: &AggregateEvent) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.aggregate(ev))
    }
    fn interval_end(&mut self, end_ns: u64) -> io::Result<()> {
        self.sinks
            .iter_mut()
            .try_for_each(|s| s.interval_end(end_ns))
    }
    fn idle(&mut self) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.idle())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.sinks.iter_mut().try_for_each(|s| s.finish())
    }
}
