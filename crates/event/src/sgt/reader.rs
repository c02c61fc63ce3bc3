//! The reading half of the `.sgt` format: [`Reader`] checks the magic, version and header, then
//! replays frames into any [`Sink`], rebuilding each [`SyscallEvent`] from the deltas, the string
//! table and the stored values (and re-deriving the values that were left out because they
//! follow from the registers), the values only of the calls the sink reads them of
//! ([`Sink::values_read`]). A long file can be replayed on two threads
//! ([`Reader::replay_pipelined`]). Everything read from the file is untrusted: lengths are
//! bounds-checked, nesting and interned names are capped, and a file cut short replays its
//! complete prefix instead of failing.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::codec::{
    Cur, CurResult, arch_from, arg_register, arg_type, enum_set_at, flag_set_at, read_siginfo,
};
use super::{
    Footer, Header, K_AGGREGATE, K_FOOTER, K_SIGNAL, K_STACK, K_STRING, K_SYSCALL, K_TASK, MAGIC,
    MAX_FRAME, VERSION, ValueTag,
};
use crate::syscall_map::SyscallMap;
use crate::{
    AGGREGATE_BUCKETS, AggregateEvent, Bytes, Field, Phase, Show, SignalEvent, Sink, StackFrame,
    SyscallEvent, TaskChange, TaskEvent, Value, ValuesRead, ValuesReadFn, Xlat,
};
use sysgate_kb::Syscall;

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

    /// Reads the next frame (its kind byte and payload) into `frame`, copying it out of the
    /// input: the path for a frame that straddles the input buffer, and the one that checks
    /// lengths. `Ok(Some(n))` with `n` the bytes of its length, `Ok(None)` when the file ends
    /// before the frame does.
    fn read_frame(&mut self, frame: &mut Vec<u8>) -> Result<Option<usize>, ReadError> {
        let frame_start = self.offset;
        let len = match self.frame_len()? {
            None | Some(u64::MAX) => return Ok(None),
            Some(0) => return Err(self.corrupt(frame_start, "empty frame")),
            Some(l) if l as usize > MAX_FRAME => {
                return Err(self.corrupt(
                    frame_start,
                    format!("frame length {l} exceeds the {MAX_FRAME}-byte limit"),
                ));
            }
            Some(l) => l as usize,
        };
        let header = (self.offset - frame_start) as usize;
        frame.resize(len, 0);
        let got = read_full(&mut self.input, frame).map_err(|source| ReadError::Io {
            path: self.path.clone(),
            source,
        })?;
        self.offset += got as u64;
        Ok((got == len).then_some(header))
    }

    /// Hands every frame to `handle` in order, as its kind, its payload and the payload's
    /// offset in the file, up to the footer or the end of the file; returns where the file
    /// ends early (a recording cut short), `None` after the footer.
    fn frames(
        &mut self,
        mut handle: impl FnMut(u8, &[u8], u64) -> Result<(), FrameError>,
    ) -> Result<Option<u64>, ReadError> {
        let mut copied = Vec::with_capacity(256);
        loop {
            let frame_start = self.offset;
            // A frame that lies whole in the input buffer, as nearly all do, is decoded where
            // it lies; only the others are copied out.
            let (header, frame, in_buffer) = match whole_frame(self.input.buffer()) {
                Some((header, len)) => (
                    header,
                    &self.input.buffer()[header..header + len],
                    header + len,
                ),
                None => match self.read_frame(&mut copied)? {
                    Some(header) => (header, &copied[..], 0),
                    None => return Ok(Some(frame_start)),
                },
            };
            let kind = frame[0];
            if let Err(e) = handle(kind, &frame[1..], frame_start + header as u64 + 1) {
                return Err(match e {
                    FrameError::Corrupt { what, at } => self.corrupt(at, what),
                    FrameError::Emit(e) => e,
                });
            }
            self.input.consume(in_buffer);
            self.offset += in_buffer as u64;
            if kind == K_FOOTER {
                return Ok(None);
            }
        }
    }

    /// Replays every event into `sink`. A file that ends early is not an error: the events up
    /// to that point are delivered and [`ReplayStats::truncated_at`] says where it ended.
    pub fn replay(&mut self, sink: &mut dyn Sink) -> Result<ReplayStats, ReadError> {
        let mut deltas = Deltas::new(self.header.start_ns, sink.values_read());
        let mut tables = Tables::default();
        let truncated_at = self.frames(|kind, payload, at| {
            let mut c = Cur {
                buf: payload,
                pos: 0,
            };
            match kind {
                K_STRING | K_STACK => tables.define(kind, &mut c).map_err(corrupt_in(&c, at)),
                K_SYSCALL => {
                    let head = deltas.head(&mut c).map_err(corrupt_in(&c, at))?;
                    let ev = tables.call(&mut c, &head).map_err(corrupt_in(&c, at))?;
                    sink.syscall_exit(ev)
                        .map_err(|e| FrameError::Emit(output_error(e)))
                }
                _ => match deltas.other(kind, &mut c).map_err(corrupt_in(&c, at))? {
                    Some(other) => other
                        .deliver(sink)
                        .map_err(|e| FrameError::Emit(output_error(e))),
                    None => Ok(()),
                },
            }
        })?;
        Ok(deltas.stats(truncated_at))
    }
}

impl<R: Read + Send> Reader<R> {
    /// [`Reader::replay`] on two threads, for long recordings where a core is free. The
    /// file's deltas and string table make every frame depend on those before it, but on
    /// different halves of it: the fixed fields of a call (time, thread, syscall, arguments,
    /// result) on the previous call's, its values and stack on the strings and stacks
    /// defined before. So a second thread reads the file and decodes the fixed fields, and
    /// this one decodes the values and runs `sink`, which sees the same events in the same
    /// order. Batches of frames pass between the two and come back to be refilled, so memory
    /// does not grow with the recording.
    pub fn replay_pipelined(&mut self, sink: &mut dyn Sink) -> Result<ReplayStats, ReadError> {
        let mut deltas = Deltas::new(self.header.start_ns, sink.values_read());
        let path = self.path.clone();
        let (full_tx, full_rx) = mpsc::sync_channel::<Batch>(BATCHES);
        let (free_tx, free_rx) = mpsc::channel::<Batch>();
        for _ in 1..BATCHES {
            free_tx
                .send(Batch::default())
                .expect("the receiver is here");
        }
        std::thread::scope(|scope| {
            let decoder = scope.spawn(move || {
                let mut batch = Batch::default();
                let truncated_at = self.frames(|kind, payload, at| {
                    let mut c = Cur {
                        buf: payload,
                        pos: 0,
                    };
                    let part = match kind {
                        K_STRING | K_STACK => Part::Table { kind },
                        K_SYSCALL => Part::Call(deltas.head(&mut c).map_err(corrupt_in(&c, at))?),
                        _ => match deltas.other(kind, &mut c).map_err(corrupt_in(&c, at))? {
                            Some(other) => Part::Other(other),
                            None => return Ok(()),
                        },
                    };
                    batch.push(part, &payload[c.pos..], at + c.pos as u64);
                    if batch.is_full() {
                        let full = std::mem::take(&mut batch);
                        full_tx.send(full).map_err(|_| sink_stopped())?;
                        batch = free_rx.recv().map_err(|_| sink_stopped())?;
                    }
                    Ok(())
                });
                // What was read before the end, or before a corrupt frame, is delivered
                // either way, as `replay` does.
                if !batch.parts.is_empty() {
                    full_tx.send(batch).ok();
                }
                truncated_at.map(|at| deltas.stats(at))
            });
            let mut tables = Tables::default();
            let mut delivered = Ok(());
            for mut batch in full_rx.iter() {
                delivered = batch.deliver(&mut tables, sink, &path);
                if delivered.is_err() {
                    break;
                }
                batch.clear();
                // The decoder may be done and gone: nothing to refill then.
                free_tx.send(batch).ok();
            }
            // A sink that failed stops the decoder: its next send or receive fails.
            drop(full_rx);
            drop(free_tx);
            let decoded = match decoder.join() {
                Ok(decoded) => decoded,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            delivered.and(decoded)
        })
    }
}

/// Batches in flight between the reading thread and the sink's.
const BATCHES: usize = 4;
/// Frames per batch: enough that handing a batch over, which may wake the other thread, costs
/// little next to decoding it (with 1024, the hand-overs cost a fifth of the time).
const BATCH_FRAMES: usize = 4096;
/// Payload bytes per batch, beyond which it is passed on with fewer frames (a file of large
/// frames would otherwise hold up to `BATCH_FRAMES` of them).
const BATCH_BYTES: usize = 1 << 20;

/// Frames on their way from the reading thread to the sink's: each decoded as far as the
/// reading thread goes, with the rest of its payload.
#[derive(Default)]
struct Batch {
    parts: Vec<(Part, Rest)>,
    /// The rest of every payload, one after the other.
    bytes: Vec<u8>,
}

/// What the reading thread makes of a frame.
enum Part {
    /// A string or stack definition, left whole to the sink's thread, which keeps the tables.
    Table { kind: u8 },
    /// The fixed fields of a call, its values still to decode.
    Call(Head),
    /// A signal, task or aggregate event, decoded whole.
    Other(Other),
}

/// Where the undecoded rest of a frame's payload is: in the batch's bytes, and in the file.
struct Rest {
    start: usize,
    end: usize,
    offset: u64,
}

impl Batch {
    fn push(&mut self, part: Part, rest: &[u8], offset: u64) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(rest);
        let end = self.bytes.len();
        self.parts.push((part, Rest { start, end, offset }));
    }

    fn is_full(&self) -> bool {
        self.parts.len() >= BATCH_FRAMES || self.bytes.len() >= BATCH_BYTES
    }

    fn clear(&mut self) {
        self.parts.clear();
        self.bytes.clear();
    }

    /// Finishes decoding the frames and hands their events to `sink` in order.
    fn deliver(
        &self,
        tables: &mut Tables,
        sink: &mut dyn Sink,
        path: &Path,
    ) -> Result<(), ReadError> {
        for (part, rest) in &self.parts {
            let mut c = Cur {
                buf: &self.bytes[rest.start..rest.end],
                pos: 0,
            };
            let corrupt = |what, c: &Cur<'_>| ReadError::Corrupt {
                path: path.to_path_buf(),
                offset: rest.offset + c.pos as u64,
                what: String::from(what),
            };
            match part {
                Part::Table { kind } => tables.define(*kind, &mut c).map_err(|w| corrupt(w, &c))?,
                Part::Call(head) => {
                    let ev = tables.call(&mut c, head).map_err(|w| corrupt(w, &c))?;
                    sink.syscall_exit(ev).map_err(output_error)?;
                }
                Part::Other(other) => other.deliver(sink).map_err(output_error)?,
            }
        }
        Ok(())
    }
}

/// The error of a sink that could not take an event.
fn output_error(source: io::Error) -> ReadError {
    ReadError::Io {
        path: PathBuf::from("output"),
        source,
    }
}

/// What stops the reading thread when the sink's thread stopped taking events; never seen,
/// as the sink's own error is what the replay returns.
fn sink_stopped() -> FrameError {
    FrameError::Emit(output_error(io::Error::other("the sink stopped")))
}

/// Why a frame could not be replayed.
enum FrameError {
    /// The frame does not follow the format at byte `at` of the file.
    Corrupt { what: &'static str, at: u64 },
    /// The event could not be handed on.
    Emit(ReadError),
}

/// The error of a payload that starts at byte `at` of the file and is corrupt where `c` is.
fn corrupt_in(c: &Cur<'_>, at: u64) -> impl FnOnce(&'static str) -> FrameError {
    let at = at + c.pos as u64;
    move |what| FrameError::Corrupt { what, at }
}

/// The header length and frame length of a frame that lies whole in `buf` and has a plausible
/// length (1 to [`MAX_FRAME`] bytes); `None` for anything else, which
/// [`Reader::read_frame`] reads or reports.
fn whole_frame(buf: &[u8]) -> Option<(usize, usize)> {
    let mut len = 0usize;
    // MAX_FRAME fits in four varint bytes.
    for (i, &b) in buf.iter().enumerate().take(4) {
        len |= usize::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            let end = i + 1 + len;
            return ((1..=MAX_FRAME).contains(&len) && end <= buf.len()).then_some((i + 1, len));
        }
    }
    None
}

/// What the reader keeps per (ABI, syscall number): the arguments of its previous call, which
/// the next call's are deltas against, and what is looked up once rather than per call.
struct PerSyscall {
    last_args: [u64; 6],
    syscall: Option<&'static Syscall>,
    values: ValuesRead,
}

/// The fixed fields of a syscall frame, decoded against the previous call's: everything but
/// its values, strings and stack.
struct Head {
    flags: u8,
    ts_ns: u64,
    tid: u32,
    pid: u32,
    nr: u32,
    syscall: Option<&'static Syscall>,
    args: [u64; 6],
    ret: i64,
    duration_ns: u64,
    /// Whether the sink reads this call's values.
    values: bool,
}

/// A signal, task or aggregate event.
enum Other {
    Signal(SignalEvent),
    Task(TaskEvent),
    /// Ten times the size of the others and rare: boxed, to keep the others small to move.
    Aggregate(Box<AggregateEvent>),
}

impl Other {
    fn deliver(&self, sink: &mut dyn Sink) -> io::Result<()> {
        match self {
            Other::Signal(ev) => sink.signal(ev),
            Other::Task(ev) => sink.task(ev),
            Other::Aggregate(ev) => sink.aggregate(ev),
        }
    }
}

/// The delta bases of a replay, which every event's time and every call's fixed fields are
/// decoded against, and what it has found.
struct Deltas {
    last_ts: u64,
    last_tid: u32,
    per_syscall: SyscallMap<PerSyscall>,
    values_read: ValuesReadFn,
    stats: ReplayStats,
}

impl Deltas {
    fn new(start_ns: u64, values_read: ValuesReadFn) -> Deltas {
        Deltas {
            last_ts: start_ns,
            last_tid: 0,
            per_syscall: SyscallMap::default(),
            values_read,
            stats: ReplayStats::default(),
        }
    }

    /// The fixed fields of a syscall frame; `c` is left at its values.
    fn head(&mut self, c: &mut Cur<'_>) -> CurResult<Head> {
        let flags = c.byte()?;
        let ts_ns = next_ts(c, &mut self.last_ts)?;
        if flags & (1 << 4) == 0 {
            self.last_tid = c.var()? as u32;
        }
        let tid = self.last_tid;
        let pid = if flags & (1 << 5) != 0 {
            tid
        } else {
            c.var()? as u32
        };
        let code = (flags >> 2) & 3;
        let nr = u32::try_from(c.var()?).map_err(|_| "syscall number out of range")?;
        let values_read = self.values_read;
        // By the file's code rather than its ABI: each code has its own delta bases.
        let per = self.per_syscall.get_or_insert_with(code, nr, || {
            let syscall = sysgate_kb::lookup(arch_from(code), u64::from(nr));
            PerSyscall {
                last_args: [0; 6],
                syscall,
                values: values_read(syscall),
            }
        });
        let nargs = per.syscall.map_or(6, |s| s.args.len());
        let mut args = [0u64; 6];
        for (i, a) in args.iter_mut().enumerate().take(nargs) {
            *a = per.last_args[i].wrapping_add(c.zvar()? as u64);
        }
        per.last_args = args;
        let ret = if flags & 1 != 0 { c.zvar()? } else { 0 };
        let duration_ns = c.var()?;
        self.stats.events += 1;
        Ok(Head {
            flags,
            ts_ns,
            tid,
            pid,
            nr,
            syscall: per.syscall,
            args,
            ret,
            duration_ns,
            values: per.values == ValuesRead::All || flags & 2 != 0,
        })
    }

    /// The event of a frame other than a call or a definition; `None` for the footer, which
    /// goes into the stats.
    fn other(&mut self, kind: u8, c: &mut Cur<'_>) -> CurResult<Option<Other>> {
        let other = match kind {
            K_SIGNAL => {
                let ts = next_ts(c, &mut self.last_ts)?;
                let tid = c.var()? as u32;
                let pid = c.var()? as u32;
                Other::Signal(SignalEvent {
                    ts_ns: ts,
                    tid,
                    pid,
                    info: read_siginfo(c)?,
                })
            }
            K_TASK => {
                let ts = next_ts(c, &mut self.last_ts)?;
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
                Other::Task(TaskEvent {
                    ts_ns: ts,
                    pid,
                    tid,
                    change,
                })
            }
            K_AGGREGATE => Other::Aggregate(Box::new(read_aggregate(c)?)),
            K_FOOTER => {
                self.stats.footer = Some(Footer {
                    syscalls: c.var()?,
                    signals: c.var()?,
                    tasks: c.var()?,
                    end_ns: c.var()?,
                    // Added in version 3: absent from older footers.
                    aggregates: if c.pos < c.buf.len() { c.var()? } else { 0 },
                });
                return Ok(None);
            }
            _ => return Err("unknown frame kind"),
        };
        self.stats.events += 1;
        Ok(Some(other))
    }

    /// What the replay found, given where the file ended early.
    fn stats(&self, truncated_at: Option<u64>) -> ReplayStats {
        ReplayStats {
            // A footer says the file is complete, whatever follows it.
            truncated_at: truncated_at.filter(|_| self.stats.footer.is_none()),
            ..self.stats
        }
    }
}

/// The tables a replay has read so far (strings, stacks), which a call's values and stack
/// refer to, and the event being rebuilt.
#[derive(Default)]
struct Tables {
    strings: Vec<Vec<u8>>,
    stacks: Vec<Vec<StackFrame>>,
    ev: SyscallEvent,
}

impl Tables {
    /// Reads a string or stack definition.
    fn define(&mut self, kind: u8, c: &mut Cur<'_>) -> CurResult<()> {
        if kind == K_STRING {
            self.strings.push(c.buf.to_vec());
            return Ok(());
        }
        if self.stacks.len() >= MAX_STACKS {
            return Err("more distinct stacks than a reader keeps");
        }
        self.stacks.push(read_stack(c, &self.strings)?);
        Ok(())
    }

    /// The call of `head`, with its values and stack from the rest of the frame at `c`.
    fn call(&mut self, c: &mut Cur<'_>, head: &Head) -> CurResult<&SyscallEvent> {
        let ev = &mut self.ev;
        let stack = read_call(c, head, ev, &self.strings)?;
        if let Some(id) = stack {
            ev.stack = self
                .stacks
                .get(id as usize)
                .cloned()
                .ok_or("a call names a stack that was not defined")?;
        }
        Ok(ev)
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

/// The bytes of a string reference: a string of the table, or one stored in place.
fn string_at<'r, 'a: 'r>(c: &mut Cur<'a>, strings: &'r [Vec<u8>]) -> CurResult<&'r [u8]> {
    let x = c.var()?;
    if x & 1 == 1 {
        return strings
            .get((x >> 1) as usize)
            .map(Vec::as_slice)
            .ok_or("reference to a string that was never defined");
    }
    let len = (x >> 1) as usize;
    let end = c.pos.checked_add(len).ok_or("length overflows")?;
    let s = c
        .buf
        .get(c.pos..end)
        .ok_or("string runs past the end of its frame")?;
    c.pos = end;
    Ok(s)
}

fn read_string(c: &mut Cur<'_>, strings: &[Vec<u8>], ev: &mut SyscallEvent) -> CurResult<Bytes> {
    let start = ev.bytes.len() as u32;
    ev.bytes.extend_from_slice(string_at(c, strings)?);
    Ok(Bytes {
        start,
        len: ev.bytes.len() as u32 - start,
    })
}

/// Steps over a stored value that nobody reads. A string, the value most calls store (a
/// buffer, a path), is not copied; any other value is read and dropped.
fn skip_value(
    c: &mut Cur<'_>,
    strings: &[Vec<u8>],
    ev: &mut SyscallEvent,
    arg: Option<usize>,
) -> CurResult<()> {
    let tag = c.buf.get(c.pos).copied().and_then(ValueTag::from_u8);
    if let Some(ValueTag::Str | ValueTag::StrTruncated) = tag {
        c.pos += 1;
        return string_at(c, strings).map(drop);
    }
    read_value(c, strings, ev, arg, 0).map(drop)
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

/// Fills `ev` with the call of `head` and the rest of its frame: values, strings, stack id
/// (returned) and the extras.
fn read_call(
    c: &mut Cur<'_>,
    head: &Head,
    ev: &mut SyscallEvent,
    strings: &[Vec<u8>],
) -> CurResult<Option<u64>> {
    let mut stack = None;
    let flags = head.flags;
    let values = head.values;
    ev.stack.clear();
    ev.tampered = 0;
    ev.ts_ns = head.ts_ns;
    ev.tid = head.tid;
    ev.pid = head.pid;
    ev.arch = arch_from((flags >> 2) & 3);
    ev.nr = head.nr;
    ev.syscall = head.syscall;
    let nargs = ev.syscall.map_or(6, |s| s.args.len());
    ev.args = head.args;
    ev.phase = if flags & 1 != 0 {
        Phase::Completed
    } else {
        Phase::Unfinished
    };
    ev.ret = head.ret;
    ev.is_error = flags & 2 != 0;
    ev.duration_ns = head.duration_ns;
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
                if values {
                    let raw = arg_register(ev, i);
                    let v = arg_type(ev, i)
                        .and_then(|t| Value::from_register(t, raw, ev.arch))
                        .unwrap_or(Value::Hex(raw));
                    ev.decoded.push(v);
                }
                continue;
            }
            if values {
                let v = read_value(c, strings, ev, Some(i), 0)?;
                ev.decoded.push(v);
            } else {
                // The next field starts where the value ends.
                skip_value(c, strings, ev, Some(i))?;
            }
        }
    }
    if flags & (1 << 7) != 0 {
        let extras = c.byte()?;
        if extras & 1 != 0 {
            ev.ret_path = Some(read_string(c, strings, ev)?);
        }
        if extras & 2 != 0 {
            if values {
                ev.ret_value = Some(read_value(c, strings, ev, None, 0)?);
            } else {
                skip_value(c, strings, ev, None)?;
            }
        }
        if extras & 4 != 0 {
            let n = c.var()? as usize;
            for _ in 0..n.min(64) {
                let label = intern(c.bytes()?);
                if values {
                    let v = read_value(c, strings, ev, None, 0)?;
                    ev.ret_note.push((label, v));
                } else {
                    skip_value(c, strings, ev, None)?;
                }
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
