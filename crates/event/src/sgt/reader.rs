//! The reading half of the `.sgt` format: [`Reader`] checks the magic, version and header, then
//! replays frames into any [`Sink`], rebuilding each [`SyscallEvent`] from the deltas, the string
//! table and the stored values (and re-deriving the values that were left out because they
//! follow from the registers). Everything read from the file is untrusted: lengths are
//! bounds-checked, nesting and interned names are capped, and a file cut short replays its
//! complete prefix instead of failing.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::codec::{
    Cur, CurResult, arch_from, arg_register, arg_type, enum_set_at, flag_set_at, read_siginfo,
};
use super::{
    Footer, Header, K_AGGREGATE, K_FOOTER, K_SIGNAL, K_STACK, K_STRING, K_SYSCALL, K_TASK, MAGIC,
    MAX_FRAME, VERSION, ValueTag,
};
use crate::{
    AGGREGATE_BUCKETS, AggregateEvent, Bytes, Field, Phase, Show, SignalEvent, Sink, StackFrame,
    SyscallEvent, TaskChange, TaskEvent, Value, Xlat,
};

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

/// What a replay found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplayStats {
    /// Events delivered to the sink, aggregate records included.
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
                // Fields added later: absent from older files.
                boot_id: if c.pos < c.buf.len() {
                    c.string()?
                } else {
                    String::new()
                },
                scope: if c.pos < c.buf.len() {
                    c.string()?
                } else {
                    String::new()
                },
                series: if c.pos < c.buf.len() {
                    c.string()?
                } else {
                    String::new()
                },
                segment: if c.pos < c.buf.len() { c.var()? } else { 0 },
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
        })
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
        let mut stacks: Vec<Vec<StackFrame>> = Vec::new();
        let mut ev = SyscallEvent::new();
        let mut last_ts = self.header.start_ns;
        let mut last_tid = 0u32;
        let mut last_args: crate::fxhash::FxMap<(u8, u32), [u64; 6]> = Default::default();
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
                    K_STACK => {
                        if stacks.len() >= MAX_STACKS {
                            return Err("more distinct stacks than a reader keeps");
                        }
                        stacks.push(read_stack(&mut c, &strings)?);
                    }
                    K_SYSCALL => {
                        let stack = read_syscall(
                            &mut c,
                            &mut ev,
                            &strings,
                            &mut last_ts,
                            &mut last_tid,
                            &mut last_args,
                        )?;
                        if let Some(id) = stack {
                            ev.stack = stacks
                                .get(id as usize)
                                .cloned()
                                .ok_or("a call names a stack that was not defined")?;
                        }
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
                            7 => {
                                let mut comm = [0u8; 16];
                                comm[..8].copy_from_slice(&a.to_le_bytes());
                                comm[8..].copy_from_slice(&b.to_le_bytes());
                                TaskChange::Named { comm }
                            }
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
                    K_AGGREGATE => {
                        let ev = read_aggregate(&mut c)?;
                        stats.events += 1;
                        return sink
                            .aggregate(&ev)
                            .map_err(|_| "the output could not be written");
                    }
                    K_FOOTER => {
                        stats.footer = Some(Footer {
                            syscalls: c.var()?,
                            signals: c.var()?,
                            tasks: c.var()?,
                            end_ns: c.var()?,
                            // Added in version 3: absent from older footers.
                            aggregates: if c.pos < c.buf.len() { c.var()? } else { 0 },
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
    depth: u32,
) -> CurResult<Value> {
    if depth > MAX_DEPTH {
        return Err("values nested too deeply");
    }
    let tag = ValueTag::from_u8(c.byte()?).ok_or("unknown value tag")?;
    let nested =
        |c: &mut Cur<'_>, ev: &mut SyscallEvent| read_value(c, strings, ev, None, depth + 1);
    Ok(match tag {
        ValueTag::Str | ValueTag::StrTruncated => Value::Str {
            bytes: read_string(c, strings, ev)?,
            truncated: tag == ValueTag::StrTruncated,
        },
        ValueTag::StrArray => {
            let n = c.var()? as usize;
            let more = c.byte()? != 0;
            let mut items = Vec::with_capacity(n.min(256));
            for _ in 0..n {
                items.push(read_string(c, strings, ev)?);
            }
            Value::StrArray { items, more }
        }
        ValueTag::EnvCount => Value::EnvCount {
            addr: c.var()?,
            count: c.var()? as u32,
        },
        ValueTag::FdPair => Value::FdPair(c.zvar()? as i32, c.zvar()? as i32),
        ValueTag::FdPath => {
            let fd = c.zvar()? as i32;
            Value::FdPath {
                fd,
                path: read_string(c, strings, ev)?,
            }
        }
        ValueTag::Unreadable => Value::Unreadable(c.var()?),
        ValueTag::Omitted => Value::Omitted,
        ValueTag::Int => Value::Int(c.zvar()?),
        ValueTag::UInt => Value::UInt(c.var()?),
        ValueTag::Hex => Value::Hex(c.var()?),
        ValueTag::Fd => Value::Fd(c.zvar()? as i32),
        ValueTag::DirFd => Value::DirFd(c.zvar()? as i32),
        ValueTag::Addr => Value::Addr(c.var()?),
        ValueTag::Flags => {
            let name = c.bytes()?;
            let bits = c.var()?;
            let set = std::str::from_utf8(name)
                .ok()
                .and_then(sysgate_kb::strace::flag_set_named)
                .or_else(|| arg.and_then(|i| flag_set_at(ev, i)));
            match set {
                Some(s) => Value::Flags(s, bits),
                None => Value::Hex(bits),
            }
        }
        ValueTag::Enum => {
            let name = c.bytes()?;
            let n = c.var()?;
            let set = std::str::from_utf8(name)
                .ok()
                .and_then(sysgate_kb::strace::enum_set_named)
                .or_else(|| arg.and_then(|i| enum_set_at(ev, i)));
            match set {
                Some(s) => Value::Enum(s, n),
                None => Value::UInt(n),
            }
        }
        ValueTag::Mode => Value::Mode(c.var()? as u32),
        ValueTag::Signal => Value::Signal(c.zvar()? as i32),
        ValueTag::Ioctl => Value::Ioctl(c.var()?),
        ValueTag::ClockId => Value::ClockId(c.zvar()? as i32),
        ValueTag::Struct => {
            let name = intern(c.bytes()?);
            Value::Struct {
                name,
                addr: c.var()?,
            }
        }
        ValueTag::Pending => Value::Pending,
        ValueTag::TextAlias | ValueTag::Text => Value::Text(read_string(c, strings, ev)?),
        ValueTag::Record => {
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
        ValueTag::Array => {
            let n = c.var()? as usize;
            let more = c.byte()? != 0;
            let mut items = Vec::with_capacity(n.min(256));
            for _ in 0..n {
                items.push(nested(c, ev)?);
            }
            Value::Array { items, more }
        }
        ValueTag::NumSet => {
            let n = c.var()? as usize;
            let more = c.byte()? != 0;
            let mut items = Vec::with_capacity(n.min(1024));
            for _ in 0..n {
                items.push(c.var()? as u32);
            }
            Value::NumSet { items, more }
        }
        ValueTag::SigSet => Value::SigSet {
            mask: c.var()?,
            bits: c.byte()?,
        },
        ValueTag::WaitStatus => Value::WaitStatus(c.zvar()? as i32),
        ValueTag::SigInfo => Value::SigInfo(read_siginfo(c)?),
        ValueTag::Call => {
            let func = intern(c.bytes()?);
            let n = c.var()? as usize;
            let mut args = Vec::with_capacity(n.min(16));
            for _ in 0..n {
                args.push(nested(c, ev)?);
            }
            Value::Call { func, args }
        }
        ValueTag::Sym => Value::Sym(intern(c.bytes()?)),
        ValueTag::Const => {
            let raw = c.zvar()?;
            Value::Const {
                raw,
                name: intern(c.bytes()?),
            }
        }
        ValueTag::Rlim => Value::Rlim(c.var()?),
        ValueTag::Octal => Value::Octal(c.var()?),
        ValueTag::Comment => {
            let value = Box::new(nested(c, ev)?);
            Value::Comment {
                value,
                comment: read_string(c, strings, ev)?,
            }
        }
        ValueTag::Changed => {
            let before = Box::new(nested(c, ev)?);
            let after = Box::new(nested(c, ev)?);
            Value::Changed { before, after }
        }
        ValueTag::Labeled => {
            let name = intern(c.bytes()?);
            let arg = c.byte()?.min(5);
            Value::Labeled {
                name,
                arg,
                value: Box::new(nested(c, ev)?),
            }
        }
        ValueTag::HexStr => {
            let truncated = c.byte()? != 0;
            Value::HexStr {
                bytes: read_string(c, strings, ev)?,
                truncated,
            }
        }
        ValueTag::AbstractPath => Value::AbstractPath(read_string(c, strings, ev)?),
        ValueTag::PidComm => Value::PidComm {
            pid: c.zvar()?,
            comm: read_string(c, strings, ev)?,
        },
    })
}

fn read_syscall(
    c: &mut Cur<'_>,
    ev: &mut SyscallEvent,
    strings: &[Vec<u8>],
    last_ts: &mut u64,
    last_tid: &mut u32,
    last_args: &mut crate::fxhash::FxMap<(u8, u32), [u64; 6]>,
) -> CurResult<Option<u64>> {
    let mut stack = None;
    ev.stack.clear();
    ev.tampered = 0;
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
                let raw = arg_register(ev, i);
                let v = arg_type(ev, i)
                    .and_then(|t| Value::from_register(t, raw, ev.arch))
                    .unwrap_or(Value::Hex(raw));
                ev.decoded.push(v);
                continue;
            }
            let v = read_value(c, strings, ev, Some(i), 0)?;
            ev.decoded.push(v);
        }
    }
    if flags & (1 << 7) != 0 {
        let extras = c.byte()?;
        if extras & 1 != 0 {
            ev.ret_path = Some(read_string(c, strings, ev)?);
        }
        if extras & 2 != 0 {
            ev.ret_value = Some(read_value(c, strings, ev, None, 0)?);
        }
        if extras & 4 != 0 {
            let n = c.var()? as usize;
            for _ in 0..n.min(64) {
                let label = intern(c.bytes()?);
                let v = read_value(c, strings, ev, None, 0)?;
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
        if extras & 64 != 0 {
            stack = Some(c.var()?);
        }
        if extras & 128 != 0 {
            ev.tampered = c.byte()?;
        }
    }
    Ok(stack)
}

/// An aggregate frame (`docs/trace-format.md`).
fn read_aggregate(c: &mut Cur<'_>) -> CurResult<AggregateEvent> {
    let start_ns = c.var()?;
    let end_ns = start_ns.saturating_add(c.var()?);
    let pid = u32::try_from(c.var()?).map_err(|_| "process id out of range")?;
    let arch = arch_from(c.byte()? & 3);
    let nr = u32::try_from(c.var()?).map_err(|_| "syscall number out of range")?;
    let (calls, errors, total_ns, max_ns) = (c.var()?, c.var()?, c.var()?, c.var()?);
    let mask = c.var()?;
    if mask >> AGGREGATE_BUCKETS != 0 {
        return Err("a histogram bucket past the last one");
    }
    let mut log2_hist = [0u64; AGGREGATE_BUCKETS];
    for (i, n) in log2_hist.iter_mut().enumerate() {
        if mask & (1 << i) != 0 {
            *n = c.var()?;
        }
    }
    Ok(AggregateEvent {
        start_ns,
        end_ns,
        pid,
        arch,
        nr,
        calls,
        errors,
        total_ns,
        max_ns,
        log2_hist,
    })
}

/// Most distinct stacks a reader keeps (a hostile file cannot exhaust memory).
const MAX_STACKS: usize = 1 << 20;

/// A string reference as owned text (empty for an empty string).
fn read_text(c: &mut Cur<'_>, strings: &[Vec<u8>]) -> CurResult<Option<std::sync::Arc<str>>> {
    let x = c.var()?;
    let bytes: Vec<u8> = if x & 1 == 1 {
        strings
            .get((x >> 1) as usize)
            .ok_or("reference to a string that was never defined")?
            .clone()
    } else {
        let len = (x >> 1) as usize;
        let end = c.pos.checked_add(len).ok_or("length overflows")?;
        let b = c.buf.get(c.pos..end).ok_or("string runs past the frame")?;
        c.pos = end;
        b.to_vec()
    };
    Ok((!bytes.is_empty()).then(|| String::from_utf8_lossy(&bytes).into()))
}

/// A stack definition: its frames, innermost first (`docs/trace-format.md`).
fn read_stack(c: &mut Cur<'_>, strings: &[Vec<u8>]) -> CurResult<Vec<StackFrame>> {
    let n = c.var()? as usize;
    if n > 1024 {
        return Err("a stack with more than 1024 frames");
    }
    let mut frames = Vec::with_capacity(n);
    for _ in 0..n {
        let module = read_text(c, strings)?;
        let build_id = read_text(c, strings)?;
        let module_offset = c.var()?;
        let function = read_text(c, strings)?;
        let function_offset = c.var()?.checked_sub(1);
        let file = read_text(c, strings)?;
        let line = u32::try_from(c.var()?).map_err(|_| "line number out of range")?;
        let bits = c.byte()?;
        let file_addr = if bits & 2 != 0 { c.var()? } else { 0 };
        frames.push(StackFrame {
            pc: 0,
            module,
            module_offset,
            file_addr,
            build_id,
            function,
            function_offset,
            location: file.map(|f| (f, line)),
            inlined: bits & 1 != 0,
        });
    }
    Ok(frames)
}
