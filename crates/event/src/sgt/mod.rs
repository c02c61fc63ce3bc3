//! The `.sgt` trace file: record once, analyse many times.
//!
//! Layout (all integers little-endian or LEB128 varints; full description in
//! `docs/trace-format.md`):
//!
//! ```text
//! magic "\x89SGT\r\n\x1a\n" · version u16 · header length u32 · header
//! frame* = length varint · kind u8 · payload
//! footer frame (kind 0xFF) with totals, absent when the recording was cut short
//! ```
//!
//! Events are delta-encoded against the previous event (time, thread) and, for arguments,
//! against the previous call of the same syscall, so a repetitive workload costs a few bytes per
//! event. Decoded values that follow from the raw registers and the knowledge base are not
//! stored; strings read from the tracee are, and paths are interned.
//!
//! The module is split along the format's seams: this file holds what both directions share
//! (the magic, version and limits, the frame kinds and value tags, [`Header`] and [`Footer`]);
//! `codec` the varint, zigzag, string and cursor primitives; `writer` the [`Writer`] sink;
//! `reader` the [`Reader`] and its errors; `tests` the round trips through both.

mod codec;
mod reader;
mod writer;

#[cfg(test)]
mod tests;

pub use reader::{ReadError, Reader, ReplayStats};
pub use writer::Writer;

/// The first bytes of every `.sgt` file.
pub const MAGIC: [u8; 8] = *b"\x89SGT\r\n\x1a\n";
/// The newest format version: this build reads it and every older one. Version 3 adds
/// aggregate frames; only files that hold them ([`Writer::with_aggregates`]) are written as
/// version 3, every other file as [`EVENTS_VERSION`], which older readers read.
pub const VERSION: u16 = 3;
/// The version of files without aggregate frames ([`Writer::new`]).
pub const EVENTS_VERSION: u16 = 2;
/// Largest frame a reader accepts; anything bigger is a corrupted length.
pub const MAX_FRAME: usize = 16 << 20;

/// Frame kind of a syscall event.
const K_SYSCALL: u8 = 1;
/// Frame kind of a signal event.
const K_SIGNAL: u8 = 2;
/// Frame kind of a task (process lifecycle) event.
const K_TASK: u8 = 3;
/// Frame kind of a string definition (the next string number in the table).
const K_STRING: u8 = 4;
/// Frame kind of a stack definition (the next stack number; format version 2).
const K_STACK: u8 = 5;
/// Frame kind of an aggregate record (format version 3).
const K_AGGREGATE: u8 = 6;
/// Frame kind of the footer, the last frame of a complete recording.
const K_FOOTER: u8 = 0xFF;

/// Declares [`ValueTag`] and its `from_u8` from one list, so the byte the writer puts before a
/// value and the byte the reader dispatches on cannot drift apart.
macro_rules! value_tags {
    ($($(#[$doc:meta])* $name:ident = $byte:literal,)*) => {
        /// The `u8` tag in front of every stored [`Value`](crate::Value) (the table in
        /// `docs/trace-format.md`).
        #[repr(u8)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum ValueTag {
            $($(#[$doc])* $name = $byte,)*
        }

        impl ValueTag {
            /// The tag a byte read from a file stands for; `None` for an unknown tag.
            fn from_u8(byte: u8) -> Option<Self> {
                match byte {
                    $($byte => Some(ValueTag::$name),)*
                    _ => None,
                }
            }
        }
    };
}

value_tags! {
    /// A complete string: string reference.
    Str = 1,
    /// A string the tracee had more of: string reference.
    StrTruncated = 2,
    /// argv: `varint` count · `u8` more · count string references.
    StrArray = 3,
    /// Environment summary: `varint` address · `varint` count.
    EnvCount = 4,
    /// Fd pair: `zvarint` · `zvarint`.
    FdPair = 5,
    /// Fd with its path: `zvarint` fd · string reference.
    FdPath = 6,
    /// Unreadable pointer: `varint` address.
    Unreadable = 7,
    /// Omitted argument: no data.
    Omitted = 8,
    /// Signed number: `zvarint`.
    Int = 9,
    /// Unsigned number: `varint`.
    UInt = 10,
    /// Hex number: `varint`.
    Hex = 11,
    /// File descriptor: `zvarint`.
    Fd = 12,
    /// Directory fd: `zvarint`.
    DirFd = 13,
    /// Address: `varint`.
    Addr = 14,
    /// Flags: `bytes` set name · `varint` bits.
    Flags = 15,
    /// Enum value: `bytes` set name · `varint` value.
    Enum = 16,
    /// Permission bits: `varint`.
    Mode = 17,
    /// Signal number: `zvarint`.
    Signal = 18,
    /// ioctl request: `varint`.
    Ioctl = 19,
    /// Clock id: `zvarint`.
    ClockId = 20,
    /// Struct not decoded: `bytes` struct name · `varint` address.
    Struct = 21,
    /// Not decoded: no data.
    Pending = 22,
    /// Read as text, like [`ValueTag::Text`]; this build never writes it.
    TextAlias = 23,
    /// Structure: `varint` field count, then per field `bytes` name · `u8` display · value.
    Record = 24,
    /// Array: `varint` count · `u8` more · values.
    Array = 25,
    /// Number set: `varint` count · `u8` more · `varint`s.
    NumSet = 26,
    /// Signal set: `varint` mask · `u8` size in bits.
    SigSet = 27,
    /// Wait status: `zvarint`.
    WaitStatus = 28,
    /// siginfo: 9 `zvarint`s.
    SigInfo = 29,
    /// Call notation: `bytes` function · `varint` count · values.
    Call = 30,
    /// Symbol: `bytes`.
    Sym = 31,
    /// Named constant: `zvarint` value · `bytes` name.
    Const = 32,
    /// rlimit: `varint`.
    Rlim = 33,
    /// Octal number: `varint`.
    Octal = 34,
    /// Value with a comment: value · string reference.
    Comment = 35,
    /// Changed value: value before · value after.
    Changed = 36,
    /// Labelled argument: `bytes` label · `u8` argument index · value.
    Labeled = 37,
    /// Hex-escaped bytes: `u8` truncated · string reference.
    HexStr = 38,
    /// Abstract socket name: string reference.
    AbstractPath = 39,
    /// Text already in strace notation: string reference.
    Text = 40,
    /// A process id with its command: `zvarint` pid · string reference.
    PidComm = 41,
}

/// What the file says about the recording.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// Version of sysgate that wrote the file.
    pub sysgate_version: String,
    /// The backend that produced the events (`ptrace`).
    pub backend: String,
    /// Native architecture of the traced machine.
    pub arch: String,
    /// `uname -r` of the traced machine.
    pub kernel: String,
    /// Host name of the traced machine.
    pub hostname: String,
    /// Wall-clock start, nanoseconds since the epoch.
    pub start_ns: u64,
    /// The traced command line (or `-p PID…`).
    pub command: Vec<String>,
    /// `/proc/sys/kernel/random/boot_id` of the traced machine: with the host name, which boot
    /// the process ids and times belong to. Empty in files written before it was kept.
    pub boot_id: String,
    /// What was traced besides the command: the eBPF scope (`cgroup:PATH`, `container:ID`,
    /// `all`), empty for a command or `-p`.
    pub scope: String,
    /// Continuous capture (`record --rotate`): an id shared by every file of one capture, and
    /// this file's place in it (0, 1, 2…). Empty and 0 for a single recording.
    pub series: String,
    /// This file's number in its series.
    pub segment: u64,
}

/// Totals written at the end of a complete recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Footer {
    /// Syscall events.
    pub syscalls: u64,
    /// Signal events.
    pub signals: u64,
    /// Task events.
    pub tasks: u64,
    /// Wall-clock end, nanoseconds since the epoch.
    pub end_ns: u64,
    /// Aggregate records (version 3; 0 in older files).
    pub aggregates: u64,
}
