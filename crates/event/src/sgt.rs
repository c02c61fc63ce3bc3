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

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sysgate_kb::symbols::{EnumSet, FlagSet};
use sysgate_kb::{Arch, ArgType};

use crate::{
    Bytes, Field, Phase, Show, SigInfo, SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent,
    Value, Xlat,
};

/// The first bytes of every `.sgt` file.
pub const MAGIC: [u8; 8] = *b"\x89SGT\r\n\x1a\n";
/// The format version this build writes; it reads this and every older one.
pub const VERSION: u16 = 1;
/// Largest frame a reader accepts; anything bigger is a corrupted length.
pub const MAX_FRAME: usize = 16 << 20;

const K_SYSCALL: u8 = 1;
const K_SIGNAL: u8 = 2;
const K_TASK: u8 = 3;
const K_STRING: u8 = 4;
const K_FOOTER: u8 = 0xFF;

/// Interned strings kept by the writer at most (beyond this, strings are stored inline).
const MAX_INTERNED: usize = 1 << 20;
/// Strings shorter than this are stored inline.
const MIN_INTERN_LEN: usize = 4;

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
}

/// Why a file could not be read, with where.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The file is not a sysgate trace.
    #[error("{path}: not a sysgate trace file (wrong magic bytes at offset 0)")]
    NotATrace {
        /// The file.
        path: PathBuf,
    },
    /// Written by a newer sysgate.
    #[error(
        "{path}: trace format version {found} is newer than this sysgate reads (up to {VERSION}); upgrade sysgate"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: u16,
    },
    /// The bytes do not follow the format.
    #[error("{path}: corrupted at byte {offset}: {what}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Byte offset of the bad frame or field.
        offset: u64,
        /// What is wrong.
        what: String,
    },
}

// ---------------------------------------------------------------------------------------------
// Varints

#[inline]
fn put_var(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
fn zig(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[inline]
fn unzig(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put_siginfo(out: &mut Vec<u8>, i: &SigInfo) {
    for x in [
        i64::from(i.signo),
        i64::from(i.code),
        i64::from(i.errno),
        i64::from(i.pid),
        i64::from(i.uid),
        i64::from(i.status),
        i.addr as i64,
        i.utime,
        i.stime,
    ] {
        put_var(out, zig(x));
    }
}

fn read_siginfo(c: &mut Cur<'_>) -> CurResult<SigInfo> {
    let mut v = [0i64; 9];
    for x in &mut v {
        *x = c.zvar()?;
    }
    Ok(SigInfo {
        signo: v[0] as i32,
        code: v[1] as i32,
        errno: v[2] as i32,
        pid: v[3] as i32,
        uid: v[4] as u32,
        status: v[5] as i32,
        addr: v[6] as u64,
        utime: v[7],
        stime: v[8],
    })
}

fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    put_var(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// A cursor over one frame's payload; every read is bounds-checked.
struct Cur<'a> {
    buf: &'a [u8],
    pos: usize,
}

type CurResult<T> = Result<T, &'static str>;

impl<'a> Cur<'a> {
    #[inline]
    fn var(&mut self) -> CurResult<u64> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = *self
                .buf
                .get(self.pos)
                .ok_or("field runs past the end of its frame")?;
            self.pos += 1;
            if shift == 63 && b > 1 {
                return Err("varint overflows 64 bits");
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err("varint overflows 64 bits");
            }
        }
    }

    #[inline]
    fn zvar(&mut self) -> CurResult<i64> {
        self.var().map(unzig)
    }

    #[inline]
    fn byte(&mut self) -> CurResult<u8> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or("field runs past the end of its frame")?;
        self.pos += 1;
        Ok(b)
    }

    fn bytes(&mut self) -> CurResult<&'a [u8]> {
        let len = self.var()? as usize;
        let end = self.pos.checked_add(len).ok_or("length overflows")?;
        let s = self
            .buf
            .get(self.pos..end)
            .ok_or("string runs past the end of its frame")?;
        self.pos = end;
        Ok(s)
    }

    fn string(&mut self) -> CurResult<String> {
        Ok(String::from_utf8_lossy(self.bytes()?).into_owned())
    }
}

fn arg_type(ev: &SyscallEvent, i: usize) -> Option<ArgType> {
    ev.syscall.and_then(|s| s.args.get(i)).map(|a| a.ty)
}

fn flag_set_at(ev: &SyscallEvent, i: usize) -> Option<&'static FlagSet> {
    match arg_type(ev, i) {
        Some(ArgType::Flags(s)) => Some(s),
        _ => None,
    }
}

fn enum_set_at(ev: &SyscallEvent, i: usize) -> Option<&'static EnumSet> {
    match arg_type(ev, i) {
        Some(ArgType::Enum(s)) => Some(s),
        _ => None,
    }
}

fn arch_code(a: Arch) -> u8 {
    a as u8
}

fn arch_from(code: u8) -> Arch {
    match code {
        1 => Arch::Aarch64,
        2 => Arch::I386,
        _ => Arch::X86_64,
    }
}

// ---------------------------------------------------------------------------------------------
// Writer

/// Writes events to a `.sgt` file; a [`Sink`].
pub struct Writer<W: Write> {
    out: W,
    frame: Vec<u8>,
    payload: Vec<u8>,
    values: Vec<u8>,
    last_ts: u64,
    last_tid: u32,
    last_args: HashMap<(u8, u32), [u64; 6]>,
    strings: HashMap<Vec<u8>, u64>,
    footer: Footer,
    bytes_written: u64,
}

impl Writer<BufWriter<File>> {
    /// Creates `path` and writes the header.
    pub fn create(path: &Path, header: &Header) -> io::Result<Self> {
        let f = File::create(path)?;
        Writer::new(BufWriter::with_capacity(256 * 1024, f), header)
    }
}

impl<W: Write> Writer<W> {
    /// Writes the magic and header to `out`.
    pub fn new(mut out: W, header: &Header) -> io::Result<Self> {
        let mut h = Vec::new();
        put_str(&mut h, header.sysgate_version.as_bytes());
        put_str(&mut h, header.backend.as_bytes());
        put_str(&mut h, header.arch.as_bytes());
        put_str(&mut h, header.kernel.as_bytes());
        put_str(&mut h, header.hostname.as_bytes());
        put_var(&mut h, header.start_ns);
        put_var(&mut h, header.command.len() as u64);
        for a in &header.command {
            put_str(&mut h, a.as_bytes());
        }
        out.write_all(&MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        out.write_all(&(h.len() as u32).to_le_bytes())?;
        out.write_all(&h)?;
        let bytes_written = (MAGIC.len() + 2 + 4 + h.len()) as u64;
        Ok(Writer {
            out,
            frame: Vec::with_capacity(256),
            payload: Vec::with_capacity(256),
            values: Vec::with_capacity(256),
            last_ts: header.start_ns,
            last_tid: 0,
            last_args: HashMap::new(),
            strings: HashMap::new(),
            footer: Footer::default(),
            bytes_written,
        })
    }

    /// Totals so far.
    pub fn footer(&self) -> Footer {
        self.footer
    }

    /// Bytes written so far (including buffered ones).
    pub fn bytes_written(&self) -> u64 {
        self.bytes_written
    }

    /// Consumes the writer, returning the output.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn emit(&mut self, kind: u8) -> io::Result<()> {
        self.frame.clear();
        put_var(&mut self.frame, self.payload.len() as u64 + 1);
        self.frame.push(kind);
        self.out.write_all(&self.frame)?;
        self.out.write_all(&self.payload)?;
        self.bytes_written += (self.frame.len() + self.payload.len()) as u64;
        Ok(())
    }

    fn ts_delta(&mut self, ts: u64) {
        let d = ts.wrapping_sub(self.last_ts) as i64;
        self.last_ts = ts;
        put_var(&mut self.payload, zig(d));
    }

    /// Writes a string reference into `self.payload`, interning when worthwhile. May emit a
    /// string-definition frame first, so call it before the event's payload is started... which
    /// is why strings are collected first by `syscall_exit`.
    fn string_ref(&mut self, s: &[u8], intern: bool, refs: &mut Vec<u8>) -> io::Result<()> {
        if intern && s.len() >= MIN_INTERN_LEN {
            if let Some(&id) = self.strings.get(s) {
                put_var(refs, (id << 1) | 1);
                return Ok(());
            }
            if self.strings.len() < MAX_INTERNED {
                let id = self.strings.len() as u64;
                self.strings.insert(s.to_vec(), id);
                let saved = std::mem::take(&mut self.payload);
                self.payload.clear();
                self.payload.extend_from_slice(s);
                self.emit(K_STRING)?;
                self.payload = saved;
                put_var(refs, (id << 1) | 1);
                return Ok(());
            }
        }
        put_var(refs, (s.len() as u64) << 1);
        refs.extend_from_slice(s);
        Ok(())
    }

    /// Appends the encoding of one value; recursive for structures.
    fn value(
        &mut self,
        ev: &SyscallEvent,
        intern: bool,
        v: &Value,
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        match v {
            Value::Str { bytes, truncated } => {
                out.push(if *truncated { 2 } else { 1 });
                self.string_ref(ev.slice(*bytes), intern, out)?;
            }
            Value::StrArray { items, more } => {
                out.push(3);
                put_var(out, items.len() as u64);
                out.push(u8::from(*more));
                for b in items {
                    self.string_ref(ev.slice(*b), false, out)?;
                }
            }
            Value::EnvCount { addr, count } => {
                out.push(4);
                put_var(out, *addr);
                put_var(out, u64::from(*count));
            }
            Value::FdPair(a, b) => {
                out.push(5);
                put_var(out, zig(i64::from(*a)));
                put_var(out, zig(i64::from(*b)));
            }
            Value::FdPath { fd, path } => {
                out.push(6);
                put_var(out, zig(i64::from(*fd)));
                self.string_ref(ev.slice(*path), true, out)?;
            }
            Value::Unreadable(a) => {
                out.push(7);
                put_var(out, *a);
            }
            Value::Omitted => out.push(8),
            Value::Int(n) => {
                out.push(9);
                put_var(out, zig(*n));
            }
            Value::UInt(n) => {
                out.push(10);
                put_var(out, *n);
            }
            Value::Hex(n) => {
                out.push(11);
                put_var(out, *n);
            }
            Value::Fd(n) => {
                out.push(12);
                put_var(out, zig(i64::from(*n)));
            }
            Value::DirFd(n) => {
                out.push(13);
                put_var(out, zig(i64::from(*n)));
            }
            Value::Addr(n) => {
                out.push(14);
                put_var(out, *n);
            }
            Value::Flags(set, n) => {
                out.push(15);
                put_str(out, set.name.as_bytes());
                put_var(out, *n);
            }
            Value::Enum(set, n) => {
                out.push(16);
                put_str(out, set.name.as_bytes());
                put_var(out, *n);
            }
            Value::Mode(n) => {
                out.push(17);
                put_var(out, u64::from(*n));
            }
            Value::Signal(n) => {
                out.push(18);
                put_var(out, zig(i64::from(*n)));
            }
            Value::Ioctl(n) => {
                out.push(19);
                put_var(out, *n);
            }
            Value::ClockId(n) => {
                out.push(20);
                put_var(out, zig(i64::from(*n)));
            }
            Value::Struct { name, addr } => {
                out.push(21);
                put_str(out, name.as_bytes());
                put_var(out, *addr);
            }
            Value::Pending => out.push(22),
            Value::Record(fields) => {
                out.push(24);
                put_var(out, fields.len() as u64);
                for f in fields {
                    put_str(out, f.name.as_bytes());
                    out.push(match f.show {
                        Show::Named => 0,
                        Show::Bare => 1,
                        Show::Hidden => 2,
                    });
                    self.value(ev, false, &f.value, out)?;
                }
            }
            Value::Array { items, more } => {
                out.push(25);
                put_var(out, items.len() as u64);
                out.push(u8::from(*more));
                for x in items {
                    self.value(ev, false, x, out)?;
                }
            }
            Value::NumSet { items, more } => {
                out.push(26);
                put_var(out, items.len() as u64);
                out.push(u8::from(*more));
                for x in items {
                    put_var(out, u64::from(*x));
                }
            }
            Value::SigSet { mask, bits } => {
                out.push(27);
                put_var(out, *mask);
                out.push(*bits);
            }
            Value::WaitStatus(st) => {
                out.push(28);
                put_var(out, zig(i64::from(*st)));
            }
            Value::SigInfo(i) => {
                out.push(29);
                put_siginfo(out, i);
            }
            Value::Call { func, args } => {
                out.push(30);
                put_str(out, func.as_bytes());
                put_var(out, args.len() as u64);
                for x in args {
                    self.value(ev, false, x, out)?;
                }
            }
            Value::Sym(name) => {
                out.push(31);
                put_str(out, name.as_bytes());
            }
            Value::Const { raw, name } => {
                out.push(32);
                put_var(out, zig(*raw));
                put_str(out, name.as_bytes());
            }
            Value::Rlim(n) => {
                out.push(33);
                put_var(out, *n);
            }
            Value::Octal(n) => {
                out.push(34);
                put_var(out, *n);
            }
            Value::Comment { value, comment } => {
                out.push(35);
                self.value(ev, false, value, out)?;
                self.string_ref(ev.slice(*comment), false, out)?;
            }
            Value::Changed { before, after } => {
                out.push(36);
                self.value(ev, false, before, out)?;
                self.value(ev, false, after, out)?;
            }
            Value::Labeled { name, arg, value } => {
                out.push(37);
                put_str(out, name.as_bytes());
                out.push(*arg);
                self.value(ev, false, value, out)?;
            }
            Value::HexStr { bytes, truncated } => {
                out.push(38);
                out.push(u8::from(*truncated));
                self.string_ref(ev.slice(*bytes), false, out)?;
            }
            Value::AbstractPath(b) => {
                out.push(39);
                self.string_ref(ev.slice(*b), true, out)?;
            }
            Value::Text(b) => {
                out.push(40);
                self.string_ref(ev.slice(*b), false, out)?;
            }
        }
        Ok(())
    }
}

impl<W: Write> Sink for Writer<W> {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        // Values first: interning may emit string frames, which must precede the event.
        let mut mask = 0u64;
        let mut values = std::mem::take(&mut self.values);
        values.clear();
        for (i, v) in ev.decoded.iter().enumerate() {
            let ty = arg_type(ev, i);
            let default = ty.and_then(|t| Value::from_register(t, ev.args[i], ev.arch));
            if default.as_ref() == Some(v) {
                continue;
            }
            mask |= 1 << i;
            let intern = matches!(ty, Some(ArgType::Path | ArgType::Str));
            self.value(ev, intern, v, &mut values)?;
        }
        // What else the decoder attached to the call, behind one byte of presence bits.
        let mut extras = 0u8;
        let mut ext = Vec::new();
        if let Some(p) = ev.ret_path {
            extras |= 1;
            self.string_ref(ev.slice(p), true, &mut ext)?;
        }
        if let Some(v) = &ev.ret_value {
            extras |= 2;
            self.value(ev, false, v, &mut ext)?;
        }
        if !ev.ret_note.is_empty() {
            extras |= 4;
            put_var(&mut ext, ev.ret_note.len() as u64);
            for (label, v) in &ev.ret_note {
                put_str(&mut ext, label.as_bytes());
                self.value(ev, false, v, &mut ext)?;
            }
        }
        if ev.saved.iter().any(Option::is_some) {
            extras |= 8;
            let m = ev
                .saved
                .iter()
                .enumerate()
                .fold(0u8, |m, (i, x)| m | (u8::from(x.is_some()) << i));
            ext.push(m);
            for x in ev.saved.iter().flatten() {
                put_var(&mut ext, *x);
            }
        }
        if let Some(e) = ev.exit_from {
            extras |= 16;
            ext.push(e);
        }
        if ev.xlat != Xlat::Abbrev {
            extras |= 32;
            ext.push(match ev.xlat {
                Xlat::Abbrev => 0,
                Xlat::Raw => 1,
                Xlat::Verbose => 2,
            });
        }

        self.payload.clear();
        let same_tid = ev.tid == self.last_tid;
        let mut flags = arch_code(ev.arch) << 2;
        flags |= u8::from(ev.phase == Phase::Completed);
        flags |= u8::from(ev.is_error) << 1;
        flags |= u8::from(same_tid) << 4;
        flags |= u8::from(ev.pid == ev.tid) << 5;
        flags |= u8::from(!ev.decoded.is_empty()) << 6;
        flags |= u8::from(extras != 0) << 7;
        self.payload.push(flags);
        self.ts_delta(ev.ts_ns);
        if !same_tid {
            put_var(&mut self.payload, u64::from(ev.tid));
            self.last_tid = ev.tid;
        }
        if ev.pid != ev.tid {
            put_var(&mut self.payload, u64::from(ev.pid));
        }
        put_var(&mut self.payload, u64::from(ev.nr));
        let nargs = ev.syscall.map_or(6, |s| s.args.len());
        let last = self
            .last_args
            .entry((arch_code(ev.arch), ev.nr))
            .or_insert([0; 6]);
        for (arg, prev) in ev.args.iter().zip(last.iter()).take(nargs) {
            let d = arg.wrapping_sub(*prev) as i64;
            put_var(&mut self.payload, zig(d));
        }
        *last = ev.args;
        if ev.phase == Phase::Completed {
            put_var(&mut self.payload, zig(ev.ret));
        }
        put_var(&mut self.payload, ev.duration_ns);
        if !ev.decoded.is_empty() {
            put_var(&mut self.payload, mask);
        }
        self.payload.extend_from_slice(&values);
        self.values = values;
        if extras != 0 {
            self.payload.push(extras);
            self.payload.extend_from_slice(&ext);
        }
        self.footer.syscalls += 1;
        self.emit(K_SYSCALL)
    }

    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.payload.clear();
        self.ts_delta(ev.ts_ns);
        put_var(&mut self.payload, u64::from(ev.tid));
        put_var(&mut self.payload, u64::from(ev.pid));
        put_siginfo(&mut self.payload, &ev.info);
        self.footer.signals += 1;
        self.emit(K_SIGNAL)
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.payload.clear();
        self.ts_delta(ev.ts_ns);
        put_var(&mut self.payload, u64::from(ev.tid));
        put_var(&mut self.payload, u64::from(ev.pid));
        let (tag, a, b) = match ev.change {
            TaskChange::Exited(code) => (1u8, i64::from(code), 0),
            TaskChange::Killed { signal, core } => (2, i64::from(signal), i64::from(core)),
            TaskChange::Stopped(sig) => (3, i64::from(sig), 0),
            TaskChange::Attached => (4, 0, 0),
            TaskChange::Detached => (5, 0, 0),
            TaskChange::Superseded { former_tid } => (6, i64::from(former_tid), 0),
        };
        self.payload.push(tag);
        put_var(&mut self.payload, zig(a));
        put_var(&mut self.payload, zig(b));
        self.footer.tasks += 1;
        self.emit(K_TASK)
    }

    fn idle(&mut self) -> io::Result<()> {
        // The tracee is about to block: make what we have durable, so a crash loses little.
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.payload.clear();
        self.footer.end_ns = self.last_ts;
        let f = self.footer;
        for v in [f.syscalls, f.signals, f.tasks, f.end_ns] {
            put_var(&mut self.payload, v);
        }
        self.emit(K_FOOTER)?;
        self.out.flush()
    }
}

// ---------------------------------------------------------------------------------------------
// Reader

/// What a replay found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplayStats {
    /// Events delivered to the sink.
    pub events: u64,
    /// The footer, when the file is complete.
    pub footer: Option<Footer>,
    /// Byte offset where the file ends mid-frame or without a footer (a recording that was
    /// cut short); `None` for a complete file.
    pub truncated_at: Option<u64>,
}

/// Reads a `.sgt` file and replays its events into a [`Sink`].
pub struct Reader<R: Read> {
    path: PathBuf,
    input: BufReader<R>,
    header: Header,
    offset: u64,
    sets: SetResolver,
}

impl Reader<File> {
    /// Opens `path` and reads its header.
    pub fn open(path: &Path) -> Result<Self, ReadError> {
        let f = File::open(path).map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Reader::new(f, path)
    }
}

impl<R: Read> Reader<R> {
    /// Reads the header from `input`; `path` names it in errors.
    pub fn new(input: R, path: &Path) -> Result<Self, ReadError> {
        let path = path.to_path_buf();
        let mut input = BufReader::with_capacity(1 << 20, input);
        let mut fixed = [0u8; 14];
        let n = read_full(&mut input, &mut fixed).map_err(|source| ReadError::Io {
            path: path.clone(),
            source,
        })?;
        if n < 8 || fixed[..8] != MAGIC {
            return Err(ReadError::NotATrace { path });
        }
        if n < 14 {
            return Err(ReadError::Corrupt {
                path,
                offset: n as u64,
                what: "file ends inside the header".into(),
            });
        }
        let version = u16::from_le_bytes([fixed[8], fixed[9]]);
        if version > VERSION {
            return Err(ReadError::TooNew {
                path,
                found: version,
            });
        }
        if version == 0 {
            return Err(ReadError::Corrupt {
                path,
                offset: 8,
                what: "version 0 does not exist".into(),
            });
        }
        let hlen = u32::from_le_bytes([fixed[10], fixed[11], fixed[12], fixed[13]]) as usize;
        if hlen > MAX_FRAME {
            return Err(ReadError::Corrupt {
                path,
                offset: 10,
                what: format!("header length {hlen} is implausible"),
            });
        }
        let mut h = vec![0u8; hlen];
        let got = read_full(&mut input, &mut h).map_err(|source| ReadError::Io {
            path: path.clone(),
            source,
        })?;
        if got < hlen {
            return Err(ReadError::Corrupt {
                path,
                offset: 14 + got as u64,
                what: "file ends inside the header".into(),
            });
        }
        let mut c = Cur { buf: &h, pos: 0 };
        let header = (|| -> CurResult<Header> {
            Ok(Header {
                sysgate_version: c.string()?,
                backend: c.string()?,
                arch: c.string()?,
                kernel: c.string()?,
                hostname: c.string()?,
                start_ns: c.var()?,
                command: {
                    let n = c.var()? as usize;
                    let mut v = Vec::with_capacity(n.min(1024));
                    for _ in 0..n {
                        v.push(c.string()?);
                    }
                    v
                },
            })
        })()
        .map_err(|what| ReadError::Corrupt {
            path: path.clone(),
            offset: 14 + c.pos as u64,
            what: what.into(),
        })?;
        Ok(Reader {
            path,
            input,
            header,
            offset: 14 + hlen as u64,
            sets: SetResolver::default(),
        })
    }

    /// Uses `sets` to find flag and enum sets by name (the decoder's own sets besides the
    /// knowledge base's).
    pub fn with_sets(mut self, sets: SetResolver) -> Self {
        self.sets = sets;
        self
    }

    /// The recording's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    fn corrupt(&self, offset: u64, what: impl Into<String>) -> ReadError {
        ReadError::Corrupt {
            path: self.path.clone(),
            offset,
            what: what.into(),
        }
    }

    /// Reads a frame length; `Ok(None)` at a clean end of file, `Err(Some(off))` when the file
    /// ends inside the varint.
    fn frame_len(&mut self) -> Result<Option<u64>, ReadError> {
        let mut v = 0u64;
        let mut shift = 0;
        let start = self.offset;
        loop {
            let buf = self.input.fill_buf().map_err(|source| ReadError::Io {
                path: self.path.clone(),
                source,
            })?;
            let Some(&b) = buf.first() else {
                if self.offset == start {
                    return Ok(None);
                }
                return Ok(Some(u64::MAX)); // ends inside the length: truncated
            };
            self.input.consume(1);
            self.offset += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(Some(v));
            }
            shift += 7;
            if shift > 63 {
                return Err(self.corrupt(start, "frame length overflows"));
            }
        }
    }

    /// Replays every event into `sink`. A file that ends early is not an error: the events up
    /// to that point are delivered and [`ReplayStats::truncated_at`] says where it ended.
    pub fn replay(&mut self, sink: &mut dyn Sink) -> Result<ReplayStats, ReadError> {
        let mut stats = ReplayStats::default();
        let mut frame = Vec::with_capacity(256);
        let mut strings: Vec<Vec<u8>> = Vec::new();
        let mut ev = SyscallEvent::new();
        let mut last_ts = self.header.start_ns;
        let mut last_tid = 0u32;
        let mut last_args: HashMap<(u8, u32), [u64; 6]> = HashMap::new();
        let sets = self.sets;
        loop {
            let frame_start = self.offset;
            let len = match self.frame_len()? {
                None => {
                    stats.truncated_at = Some(frame_start);
                    break;
                }
                Some(u64::MAX) => {
                    stats.truncated_at = Some(frame_start);
                    break;
                }
                Some(0) => return Err(self.corrupt(frame_start, "empty frame")),
                Some(l) if l as usize > MAX_FRAME => {
                    return Err(self.corrupt(
                        frame_start,
                        format!("frame length {l} exceeds the {MAX_FRAME}-byte limit"),
                    ));
                }
                Some(l) => l as usize,
            };
            frame.resize(len, 0);
            let got = read_full(&mut self.input, &mut frame).map_err(|source| ReadError::Io {
                path: self.path.clone(),
                source,
            })?;
            self.offset += got as u64;
            if got < len {
                stats.truncated_at = Some(frame_start);
                break;
            }
            let kind = frame[0];
            let mut c = Cur {
                buf: &frame[1..],
                pos: 0,
            };
            let payload_start = frame_start + (self.offset - frame_start - len as u64) + 1;
            let result: CurResult<()> = (|| {
                match kind {
                    K_STRING => {
                        strings.push(frame[1..].to_vec());
                    }
                    K_SYSCALL => {
                        read_syscall(
                            &mut c,
                            &mut ev,
                            &strings,
                            &sets,
                            &mut last_ts,
                            &mut last_tid,
                            &mut last_args,
                        )?;
                        stats.events += 1;
                    }
                    K_SIGNAL => {
                        let ts = next_ts(&mut c, &mut last_ts)?;
                        let tid = c.var()? as u32;
                        let pid = c.var()? as u32;
                        let sev = SignalEvent {
                            ts_ns: ts,
                            tid,
                            pid,
                            info: read_siginfo(&mut c)?,
                        };
                        stats.events += 1;
                        return sink
                            .signal(&sev)
                            .map_err(|_| "the output could not be written");
                    }
                    K_TASK => {
                        let ts = next_ts(&mut c, &mut last_ts)?;
                        let tid = c.var()? as u32;
                        let pid = c.var()? as u32;
                        let tag = c.byte()?;
                        let a = c.zvar()?;
                        let b = c.zvar()?;
                        let change = match tag {
                            1 => TaskChange::Exited(a as i32),
                            2 => TaskChange::Killed {
                                signal: a as i32,
                                core: b != 0,
                            },
                            3 => TaskChange::Stopped(a as i32),
                            4 => TaskChange::Attached,
                            5 => TaskChange::Detached,
                            6 => TaskChange::Superseded {
                                former_tid: a as u32,
                            },
                            _ => return Err("unknown task change"),
                        };
                        stats.events += 1;
                        return sink
                            .task(&TaskEvent {
                                ts_ns: ts,
                                pid,
                                tid,
                                change,
                            })
                            .map_err(|_| "the output could not be written");
                    }
                    K_FOOTER => {
                        stats.footer = Some(Footer {
                            syscalls: c.var()?,
                            signals: c.var()?,
                            tasks: c.var()?,
                            end_ns: c.var()?,
                        });
                    }
                    _ => return Err("unknown frame kind"),
                }
                Ok(())
            })();
            if let Err(what) = result {
                if what == "the output could not be written" {
                    return Err(ReadError::Io {
                        path: PathBuf::from("output"),
                        source: io::Error::new(io::ErrorKind::BrokenPipe, what),
                    });
                }
                return Err(self.corrupt(payload_start + c.pos as u64, what));
            }
            if kind == K_SYSCALL {
                sink.syscall_exit(&ev).map_err(|source| ReadError::Io {
                    path: PathBuf::from("output"),
                    source,
                })?;
            }
            if kind == K_FOOTER {
                break;
            }
        }
        if stats.footer.is_some() {
            stats.truncated_at = None;
        }
        Ok(stats)
    }
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match r.read(&mut buf[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

#[inline]
fn next_ts(c: &mut Cur<'_>, last: &mut u64) -> CurResult<u64> {
    let d = c.zvar()?;
    *last = last.wrapping_add(d as u64);
    Ok(*last)
}

fn read_string(c: &mut Cur<'_>, strings: &[Vec<u8>], ev: &mut SyscallEvent) -> CurResult<Bytes> {
    let x = c.var()?;
    let start = ev.bytes.len() as u32;
    if x & 1 == 1 {
        let s = strings
            .get((x >> 1) as usize)
            .ok_or("reference to a string that was never defined")?;
        ev.bytes.extend_from_slice(s);
    } else {
        let len = (x >> 1) as usize;
        let end = c.pos.checked_add(len).ok_or("length overflows")?;
        let s = c
            .buf
            .get(c.pos..end)
            .ok_or("string runs past the end of its frame")?;
        c.pos = end;
        ev.bytes.extend_from_slice(s);
    }
    Ok(Bytes {
        start,
        len: ev.bytes.len() as u32 - start,
    })
}

/// Finds flag and enum sets by name while reading: a decoder may use sets of its own besides the
/// knowledge base's, so the reader is told where to look ([`Reader::with_sets`]).
#[derive(Debug, Clone, Copy)]
pub struct SetResolver {
    /// Flag sets by name.
    pub flags: fn(&str) -> Option<&'static FlagSet>,
    /// Enum sets by name.
    pub enums: fn(&str) -> Option<&'static EnumSet>,
}

impl Default for SetResolver {
    fn default() -> Self {
        SetResolver {
            flags: sysgate_kb::symbols::flag_set,
            enums: sysgate_kb::symbols::enum_set,
        }
    }
}

/// Names (struct fields, functions, symbols) read from files, made `'static` once each. The
/// table is capped so that a hostile file cannot grow it without bound.
fn intern(name: &[u8]) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    const MAX_NAMES: usize = 1 << 16;
    let name = String::from_utf8_lossy(name);
    let Ok(mut guard) = NAMES.lock() else {
        return "?";
    };
    let set = guard.get_or_insert_with(HashSet::new);
    if let Some(&s) = set.get(name.as_ref()) {
        return s;
    }
    if set.len() >= MAX_NAMES {
        return "?";
    }
    let leaked: &'static str = Box::leak(name.into_owned().into_boxed_str());
    set.insert(leaked);
    leaked
}

/// Recursion limit for nested values in a file.
const MAX_DEPTH: u32 = 32;

fn read_value(
    c: &mut Cur<'_>,
    strings: &[Vec<u8>],
    ev: &mut SyscallEvent,
    arg: Option<usize>,
    sets: &SetResolver,
    depth: u32,
) -> CurResult<Value> {
    if depth > MAX_DEPTH {
        return Err("values nested too deeply");
    }
    let tag = c.byte()?;
    let nested =
        |c: &mut Cur<'_>, ev: &mut SyscallEvent| read_value(c, strings, ev, None, sets, depth + 1);
    Ok(match tag {
        1 | 2 => Value::Str {
            bytes: read_string(c, strings, ev)?,
            truncated: tag == 2,
        },
        3 => {
            let n = c.var()? as usize;
            let more = c.byte()? != 0;
            let mut items = Vec::with_capacity(n.min(256));
            for _ in 0..n {
                items.push(read_string(c, strings, ev)?);
            }
            Value::StrArray { items, more }
        }
        4 => Value::EnvCount {
            addr: c.var()?,
            count: c.var()? as u32,
        },
        5 => Value::FdPair(c.zvar()? as i32, c.zvar()? as i32),
        6 => {
            let fd = c.zvar()? as i32;
            Value::FdPath {
                fd,
                path: read_string(c, strings, ev)?,
            }
        }
        7 => Value::Unreadable(c.var()?),
        8 => Value::Omitted,
        9 => Value::Int(c.zvar()?),
        10 => Value::UInt(c.var()?),
        11 => Value::Hex(c.var()?),
        12 => Value::Fd(c.zvar()? as i32),
        13 => Value::DirFd(c.zvar()? as i32),
        14 => Value::Addr(c.var()?),
        15 => {
            let name = c.bytes()?;
            let bits = c.var()?;
            let set = std::str::from_utf8(name)
                .ok()
                .and_then(sets.flags)
                .or_else(|| arg.and_then(|i| flag_set_at(ev, i)));
            match set {
                Some(s) => Value::Flags(s, bits),
                None => Value::Hex(bits),
            }
        }
        16 => {
            let name = c.bytes()?;
            let n = c.var()?;
            let set = std::str::from_utf8(name)
                .ok()
                .and_then(sets.enums)
                .or_else(|| arg.and_then(|i| enum_set_at(ev, i)));
            match set {
                Some(s) => Value::Enum(s, n),
                None => Value::UInt(n),
            }
        }
        17 => Value::Mode(c.var()? as u32),
        18 => Value::Signal(c.zvar()? as i32),
        19 => Value::Ioctl(c.var()?),
        20 => Value::ClockId(c.zvar()? as i32),
        21 => {
            let name = intern(c.bytes()?);
            Value::Struct {
                name,
                addr: c.var()?,
            }
        }
        22 => Value::Pending,
        23 | 40 => Value::Text(read_string(c, strings, ev)?),
        24 => {
            let n = c.var()? as usize;
            let mut fields = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                let name = intern(c.bytes()?);
                let show = match c.byte()? {
                    0 => Show::Named,
                    1 => Show::Bare,
                    2 => Show::Hidden,
                    _ => return Err("unknown field display"),
                };
                let value = nested(c, ev)?;
                fields.push(Field { name, value, show });
            }
            Value::Record(fields)
        }
        25 => {
            let n = c.var()? as usize;
            let more = c.byte()? != 0;
            let mut items = Vec::with_capacity(n.min(256));
            for _ in 0..n {
                items.push(nested(c, ev)?);
            }
            Value::Array { items, more }
        }
        26 => {
            let n = c.var()? as usize;
            let more = c.byte()? != 0;
            let mut items = Vec::with_capacity(n.min(1024));
            for _ in 0..n {
                items.push(c.var()? as u32);
            }
            Value::NumSet { items, more }
        }
        27 => Value::SigSet {
            mask: c.var()?,
            bits: c.byte()?,
        },
        28 => Value::WaitStatus(c.zvar()? as i32),
        29 => Value::SigInfo(read_siginfo(c)?),
        30 => {
            let func = intern(c.bytes()?);
            let n = c.var()? as usize;
            let mut args = Vec::with_capacity(n.min(16));
            for _ in 0..n {
                args.push(nested(c, ev)?);
            }
            Value::Call { func, args }
        }
        31 => Value::Sym(intern(c.bytes()?)),
        32 => {
            let raw = c.zvar()?;
            Value::Const {
                raw,
                name: intern(c.bytes()?),
            }
        }
        33 => Value::Rlim(c.var()?),
        34 => Value::Octal(c.var()?),
        35 => {
            let value = Box::new(nested(c, ev)?);
            Value::Comment {
                value,
                comment: read_string(c, strings, ev)?,
            }
        }
        36 => {
            let before = Box::new(nested(c, ev)?);
            let after = Box::new(nested(c, ev)?);
            Value::Changed { before, after }
        }
        37 => {
            let name = intern(c.bytes()?);
            let arg = c.byte()?.min(5);
            Value::Labeled {
                name,
                arg,
                value: Box::new(nested(c, ev)?),
            }
        }
        38 => {
            let truncated = c.byte()? != 0;
            Value::HexStr {
                bytes: read_string(c, strings, ev)?,
                truncated,
            }
        }
        39 => Value::AbstractPath(read_string(c, strings, ev)?),
        _ => return Err("unknown value tag"),
    })
}

fn read_syscall(
    c: &mut Cur<'_>,
    ev: &mut SyscallEvent,
    strings: &[Vec<u8>],
    sets: &SetResolver,
    last_ts: &mut u64,
    last_tid: &mut u32,
    last_args: &mut HashMap<(u8, u32), [u64; 6]>,
) -> CurResult<()> {
    let flags = c.byte()?;
    ev.ts_ns = next_ts(c, last_ts)?;
    if flags & (1 << 4) == 0 {
        *last_tid = c.var()? as u32;
    }
    ev.tid = *last_tid;
    ev.pid = if flags & (1 << 5) != 0 {
        ev.tid
    } else {
        c.var()? as u32
    };
    ev.arch = arch_from((flags >> 2) & 3);
    ev.nr = u32::try_from(c.var()?).map_err(|_| "syscall number out of range")?;
    ev.syscall = sysgate_kb::lookup(ev.arch, u64::from(ev.nr));
    let nargs = ev.syscall.map_or(6, |s| s.args.len());
    let last = last_args.entry(((flags >> 2) & 3, ev.nr)).or_insert([0; 6]);
    let mut args = [0u64; 6];
    for (i, a) in args.iter_mut().enumerate().take(nargs) {
        *a = last[i].wrapping_add(c.zvar()? as u64);
    }
    *last = args;
    ev.args = args;
    let completed = flags & 1 != 0;
    ev.phase = if completed {
        Phase::Completed
    } else {
        Phase::Unfinished
    };
    ev.ret = if completed { c.zvar()? } else { 0 };
    ev.is_error = flags & 2 != 0;
    ev.duration_ns = c.var()?;
    ev.decoded.clear();
    ev.bytes.clear();
    ev.ret_path = None;
    ev.ret_value = None;
    ev.ret_note.clear();
    ev.saved = [None; 6];
    ev.exit_from = None;
    ev.xlat = Xlat::Abbrev;
    if flags & (1 << 6) != 0 {
        let mask = c.var()?;
        for i in 0..nargs {
            if mask & (1 << i) == 0 {
                let v = arg_type(ev, i)
                    .and_then(|t| Value::from_register(t, ev.args[i], ev.arch))
                    .unwrap_or(Value::Hex(ev.args[i]));
                ev.decoded.push(v);
                continue;
            }
            let v = read_value(c, strings, ev, Some(i), sets, 0)?;
            ev.decoded.push(v);
        }
    }
    if flags & (1 << 7) != 0 {
        let extras = c.byte()?;
        if extras & 1 != 0 {
            ev.ret_path = Some(read_string(c, strings, ev)?);
        }
        if extras & 2 != 0 {
            ev.ret_value = Some(read_value(c, strings, ev, None, sets, 0)?);
        }
        if extras & 4 != 0 {
            let n = c.var()? as usize;
            for _ in 0..n.min(64) {
                let label = intern(c.bytes()?);
                let v = read_value(c, strings, ev, None, sets, 0)?;
                ev.ret_note.push((label, v));
            }
        }
        if extras & 8 != 0 {
            let m = c.byte()?;
            for i in 0..6 {
                if m & (1 << i) != 0 {
                    ev.saved[i] = Some(c.var()?);
                }
            }
        }
        if extras & 16 != 0 {
            ev.exit_from = Some(c.byte()?.min(6));
        }
        if extras & 32 != 0 {
            ev.xlat = match c.byte()? {
                1 => Xlat::Raw,
                2 => Xlat::Verbose,
                _ => Xlat::Abbrev,
            };
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            sysgate_version: "0.1.0".into(),
            backend: "ptrace".into(),
            arch: "x86_64".into(),
            kernel: "6.1".into(),
            hostname: "box".into(),
            start_ns: 1_000_000_000,
            command: vec!["cat".into(), "/etc/passwd".into()],
        }
    }

    fn openat(path: &[u8], ret: i64, tid: u32) -> SyscallEvent {
        let mut e = SyscallEvent::new();
        e.ts_ns = 1_000_000_500;
        e.pid = 7;
        e.tid = tid;
        e.arch = Arch::X86_64;
        e.nr = 257;
        e.syscall = sysgate_kb::by_name("openat");
        e.args = [(-100i64) as u64, 0x7fff_0000_1000, 0o2000000, 0, 0, 0];
        e.bytes.extend_from_slice(path);
        e.decoded = vec![
            Value::DirFd(-100),
            Value::Str {
                bytes: Bytes {
                    start: 0,
                    len: path.len() as u32,
                },
                truncated: false,
            },
            Value::Flags(sysgate_kb::symbols::flag_set("open").unwrap(), 0o2000000),
            Value::Omitted,
        ];
        e.ret = ret;
        e.is_error = ret < 0;
        e.duration_ns = 1234;
        e.phase = Phase::Completed;
        e
    }

    #[derive(Default)]
    struct Collect {
        lines: Vec<String>,
    }

    impl Sink for Collect {
        fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
            let mut s = format!("{} {} {} ", ev.ts_ns, ev.pid, ev.tid);
            crate::render::syscall_line_into(ev, &mut s);
            self.lines.push(s);
            Ok(())
        }
        fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
            let i = &ev.info;
            self.lines.push(format!(
                "signal {} {} {} {} {} {}",
                ev.tid, i.signo, i.code, i.pid, i.status, i.stime
            ));
            Ok(())
        }
        fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
            self.lines.push(format!("task {} {:?}", ev.tid, ev.change));
            Ok(())
        }
    }

    fn record(events: &[SyscallEvent], finish: bool) -> Vec<u8> {
        let mut w = Writer::new(Vec::new(), &header()).unwrap();
        for e in events {
            w.syscall_exit(e).unwrap();
        }
        w.signal(&SignalEvent {
            ts_ns: 1_000_000_900,
            pid: 7,
            tid: 8,
            info: SigInfo {
                signo: 17,
                code: 1,
                errno: 0,
                pid: 9,
                uid: 0,
                status: 3,
                addr: 0,
                utime: 1,
                stime: 2,
            },
        })
        .unwrap();
        w.task(&TaskEvent {
            ts_ns: 1_000_001_000,
            pid: 7,
            tid: 7,
            change: TaskChange::Exited(3),
        })
        .unwrap();
        if finish {
            w.finish().unwrap();
        }
        w.into_inner()
    }

    fn replay(bytes: &[u8]) -> Result<(Vec<String>, ReplayStats), ReadError> {
        let mut r = Reader::new(bytes, Path::new("t.sgt"))?;
        assert_eq!(r.header(), &header());
        let mut c = Collect::default();
        let stats = r.replay(&mut c)?;
        Ok((c.lines, stats))
    }

    #[test]
    fn round_trip_keeps_every_field() {
        let events = vec![
            openat(b"/etc/passwd", 3, 7),
            openat(b"/etc/passwd", -2, 8),
            openat(b"/x", 4, 7),
        ];
        let bytes = record(&events, true);
        let (lines, stats) = replay(&bytes).unwrap();
        let mut expected: Vec<String> = events
            .iter()
            .map(|e| {
                let mut s = format!("{} {} {} ", e.ts_ns, e.pid, e.tid);
                crate::render::syscall_line_into(e, &mut s);
                s
            })
            .collect();
        expected.push("signal 8 17 1 9 3 2".into());
        expected.push("task 7 Exited(3)".into());
        assert_eq!(lines, expected);
        assert_eq!(stats.truncated_at, None);
        assert_eq!(stats.footer.unwrap().syscalls, 3);
        assert_eq!(stats.events, 5);
    }

    #[test]
    fn repeated_paths_are_interned() {
        let one = record(
            &[openat(b"/usr/lib/x86_64-linux-gnu/libc.so.6", 3, 7)],
            true,
        )
        .len();
        let many: Vec<SyscallEvent> = (0..100)
            .map(|_| openat(b"/usr/lib/x86_64-linux-gnu/libc.so.6", 3, 7))
            .collect();
        let hundred = record(&many, true).len();
        // Without interning each event would carry the 35-byte path.
        assert!(
            (hundred - one) / 99 <= 20,
            "{} bytes per repeated event",
            (hundred - one) / 99
        );
    }

    #[test]
    fn truncated_files_replay_their_prefix() {
        let events: Vec<SyscallEvent> = (0..10).map(|i| openat(b"/etc/passwd", i, 7)).collect();
        let bytes = record(&events, true);
        let (full, _) = replay(&bytes).unwrap();
        for cut in 14..bytes.len() {
            match replay(&bytes[..cut]) {
                Ok((lines, stats)) => {
                    assert!(stats.truncated_at.is_some(), "cut at {cut} not reported");
                    assert!(lines.len() <= full.len());
                    assert_eq!(lines[..], full[..lines.len()]);
                }
                Err(e) => {
                    // Only a cut inside the header is an error.
                    assert!(
                        e.to_string().contains("inside the header"),
                        "cut at {cut}: {e}"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_files_get_clear_errors() {
        let e = replay(b"hello world, not a trace").unwrap_err().to_string();
        assert!(e.contains("not a sysgate trace"), "{e}");
        let mut newer = record(&[], true);
        newer[8..10].copy_from_slice(&(VERSION + 1).to_le_bytes());
        let e = replay(&newer).unwrap_err().to_string();
        assert!(e.contains("newer than this sysgate reads"), "{e}");
        let mut huge = record(&[], false);
        let at = huge.len();
        huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x7f, 1]);
        let e = replay(&huge).unwrap_err().to_string();
        assert!(
            e.contains(&format!("byte {at}")) && e.contains("exceeds"),
            "{e}"
        );
    }

    #[test]
    fn random_corruption_never_panics() {
        let events: Vec<SyscallEvent> = (0..20)
            .map(|i| openat(b"/etc/passwd", i, 7 + (i as u32 % 3)))
            .collect();
        let bytes = record(&events, true);
        let body = 14 + u32::from_le_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut b = bytes.clone();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let i = body + (seed as usize % (b.len() - body));
                b[i] = (seed >> 32) as u8;
            }
            let _ = replay(&b);
        }
    }

    #[test]
    fn scalar_defaults_match_what_is_stored() {
        let e = openat(b"/a", 3, 7);
        for (i, v) in e.decoded.iter().enumerate().take(1) {
            let t = arg_type(&e, i).unwrap();
            assert_eq!(Value::from_register(t, e.args[i], e.arch).as_ref(), Some(v));
        }
    }
}
