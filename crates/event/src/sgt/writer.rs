//! The writing half of the `.sgt` format: [`Writer`], the [`Sink`] that `sysgate record` feeds.
//! It owns the delta state (previous timestamp, thread, and arguments per syscall) and the
//! string-interning table, and turns each event into one frame (preceded by string-definition
//! frames for newly interned strings).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use sysgate_kb::ArgType;

use super::codec::{arch_code, arg_register, arg_type, put_siginfo, put_str, put_var, zig};
use super::{
    EVENTS_VERSION, Footer, Header, K_AGGREGATE, K_FOOTER, K_SIGNAL, K_STACK, K_STRING, K_SYSCALL,
    K_TASK, MAGIC, VERSION, ValueTag,
};
use crate::{
    AggregateEvent, Phase, Show, SignalEvent, Sink, StackFrame, SyscallEvent, TaskChange,
    TaskEvent, Value, Xlat, fxhash::FxMap,
};

/// Interned strings kept by the writer at most (beyond this, strings are stored inline).
const MAX_INTERNED: usize = 1 << 20;
/// Strings shorter than this are stored inline.
const MIN_INTERN_LEN: usize = 4;

/// Writes events to a `.sgt` file; a [`Sink`].
pub struct Writer<W: Write> {
    out: W,
    frame: Vec<u8>,
    payload: Vec<u8>,
    values: Vec<u8>,
    last_ts: u64,
    last_tid: u32,
    last_args: FxMap<(u8, u32), [u64; 6]>,
    strings: HashMap<Vec<u8>, u64>,
    stacks: HashMap<Vec<StackFrame>, u64>,
    footer: Footer,
    bytes_written: u64,
    /// Whether aggregate frames may be written (a version-3 file).
    aggregates: bool,
    /// The end of the last aggregate interval written, for the footer's end time.
    aggregates_end: u64,
}

impl Writer<BufWriter<File>> {
    /// Creates `path` and writes the header.
    pub fn create(path: &Path, header: &Header) -> io::Result<Self> {
        let f = File::create(path)?;
        Writer::new(BufWriter::with_capacity(256 * 1024, f), header)
    }
}

impl<W: Write> Writer<W> {
    /// Writes the magic and header to `out`: a file of events, format version
    /// [`EVENTS_VERSION`](super::EVENTS_VERSION).
    pub fn new(out: W, header: &Header) -> io::Result<Self> {
        Writer::start(out, header, false)
    }

    /// Writes the magic and header of a file that may also hold aggregate records
    /// ([`Sink::aggregate`]), format version [`VERSION`](super::VERSION) (3).
    pub fn with_aggregates(out: W, header: &Header) -> io::Result<Self> {
        Writer::start(out, header, true)
    }

    fn start(mut out: W, header: &Header, aggregates: bool) -> io::Result<Self> {
        let version = if aggregates { VERSION } else { EVENTS_VERSION };
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
        // Later fields follow; readers of older files find the header ends before them.
        put_str(&mut h, header.boot_id.as_bytes());
        put_str(&mut h, header.scope.as_bytes());
        put_str(&mut h, header.series.as_bytes());
        put_var(&mut h, header.segment);
        out.write_all(&MAGIC)?;
        out.write_all(&version.to_le_bytes())?;
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
            last_args: FxMap::default(),
            strings: HashMap::new(),
            stacks: HashMap::new(),
            footer: Footer::default(),
            bytes_written,
            aggregates,
            aggregates_end: 0,
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

    /// The number of `stack` in the stack table, writing its definition (and the strings it
    /// names) first when it is new. Each distinct stack is stored once.
    fn stack_id(&mut self, stack: &[StackFrame]) -> io::Result<u64> {
        if let Some(&id) = self.stacks.get(stack) {
            return Ok(id);
        }
        let mut def = Vec::new();
        put_var(&mut def, stack.len() as u64);
        let opt = |s: &Option<std::sync::Arc<str>>| s.as_deref().unwrap_or("").as_bytes().to_vec();
        for f in stack {
            self.string_ref(&opt(&f.module), true, &mut def)?;
            self.string_ref(&opt(&f.build_id), true, &mut def)?;
            put_var(&mut def, f.module_offset);
            self.string_ref(&opt(&f.function), true, &mut def)?;
            put_var(&mut def, f.function_offset.map_or(0, |o| o + 1));
            let (file, line) = match &f.location {
                Some((file, line)) => (file.as_bytes().to_vec(), u64::from(*line)),
                None => (Vec::new(), 0),
            };
            self.string_ref(&file, true, &mut def)?;
            put_var(&mut def, line);
            // Bit 0: inlined; bit 1: the file address follows (readers of older files see
            // neither).
            def.push(u8::from(f.inlined) | if f.file_addr != 0 { 2 } else { 0 });
            if f.file_addr != 0 {
                put_var(&mut def, f.file_addr);
            }
        }
        let id = self.stacks.len() as u64;
        self.stacks.insert(stack.to_vec(), id);
        self.payload.clear();
        self.payload.extend_from_slice(&def);
        self.emit(K_STACK)?;
        Ok(id)
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
                out.push(if *truncated {
                    ValueTag::StrTruncated
                } else {
                    ValueTag::Str
                } as u8);
                self.string_ref(ev.slice(*bytes), intern, out)?;
            }
            Value::StrArray { items, more } => {
                out.push(ValueTag::StrArray as u8);
                put_var(out, items.len() as u64);
                out.push(u8::from(*more));
                for b in items {
                    self.string_ref(ev.slice(*b), false, out)?;
                }
            }
            Value::EnvCount { addr, count } => {
                out.push(ValueTag::EnvCount as u8);
                put_var(out, *addr);
                put_var(out, u64::from(*count));
            }
            Value::FdPair(a, b) => {
                out.push(ValueTag::FdPair as u8);
                put_var(out, zig(i64::from(*a)));
                put_var(out, zig(i64::from(*b)));
            }
            Value::FdPath { fd, path } => {
                out.push(ValueTag::FdPath as u8);
                put_var(out, zig(i64::from(*fd)));
                self.string_ref(ev.slice(*path), true, out)?;
            }
            Value::Unreadable(a) => {
                out.push(ValueTag::Unreadable as u8);
                put_var(out, *a);
            }
            Value::Omitted => out.push(ValueTag::Omitted as u8),
            Value::Int(n) => {
                out.push(ValueTag::Int as u8);
                put_var(out, zig(*n));
            }
            Value::UInt(n) => {
                out.push(ValueTag::UInt as u8);
                put_var(out, *n);
            }
            Value::Hex(n) => {
                out.push(ValueTag::Hex as u8);
                put_var(out, *n);
            }
            Value::Fd(n) => {
                out.push(ValueTag::Fd as u8);
                put_var(out, zig(i64::from(*n)));
            }
            Value::DirFd(n) => {
                out.push(ValueTag::DirFd as u8);
                put_var(out, zig(i64::from(*n)));
            }
            Value::Addr(n) => {
                out.push(ValueTag::Addr as u8);
                put_var(out, *n);
            }
            Value::Flags(set, n) => {
                out.push(ValueTag::Flags as u8);
                put_str(out, set.name.as_bytes());
                put_var(out, *n);
            }
            Value::Enum(set, n) => {
                out.push(ValueTag::Enum as u8);
                put_str(out, set.name.as_bytes());
                put_var(out, *n);
            }
            Value::Mode(n) => {
                out.push(ValueTag::Mode as u8);
                put_var(out, u64::from(*n));
            }
            Value::Signal(n) => {
                out.push(ValueTag::Signal as u8);
                put_var(out, zig(i64::from(*n)));
            }
            Value::Ioctl(n) => {
                out.push(ValueTag::Ioctl as u8);
                put_var(out, *n);
            }
            Value::ClockId(n) => {
                out.push(ValueTag::ClockId as u8);
                put_var(out, zig(i64::from(*n)));
            }
            Value::Struct { name, addr } => {
                out.push(ValueTag::Struct as u8);
                put_str(out, name.as_bytes());
                put_var(out, *addr);
            }
            Value::Pending => out.push(ValueTag::Pending as u8),
            Value::Record(fields) => {
                out.push(ValueTag::Record as u8);
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
                out.push(ValueTag::Array as u8);
                put_var(out, items.len() as u64);
                out.push(u8::from(*more));
                for x in items {
                    self.value(ev, false, x, out)?;
                }
            }
            Value::NumSet { items, more } => {
                out.push(ValueTag::NumSet as u8);
                put_var(out, items.len() as u64);
                out.push(u8::from(*more));
                for x in items {
                    put_var(out, u64::from(*x));
                }
            }
            Value::SigSet { mask, bits } => {
                out.push(ValueTag::SigSet as u8);
                put_var(out, *mask);
                out.push(*bits);
            }
            Value::WaitStatus(st) => {
                out.push(ValueTag::WaitStatus as u8);
                put_var(out, zig(i64::from(*st)));
            }
            Value::SigInfo(i) => {
                out.push(ValueTag::SigInfo as u8);
                put_siginfo(out, i);
            }
            Value::Call { func, args } => {
                out.push(ValueTag::Call as u8);
                put_str(out, func.as_bytes());
                put_var(out, args.len() as u64);
                for x in args {
                    self.value(ev, false, x, out)?;
                }
            }
            Value::Sym(name) => {
                out.push(ValueTag::Sym as u8);
                put_str(out, name.as_bytes());
            }
            Value::Const { raw, name } => {
                out.push(ValueTag::Const as u8);
                put_var(out, zig(*raw));
                put_str(out, name.as_bytes());
            }
            Value::Rlim(n) => {
                out.push(ValueTag::Rlim as u8);
                put_var(out, *n);
            }
            Value::Octal(n) => {
                out.push(ValueTag::Octal as u8);
                put_var(out, *n);
            }
            Value::Comment { value, comment } => {
                out.push(ValueTag::Comment as u8);
                self.value(ev, false, value, out)?;
                self.string_ref(ev.slice(*comment), false, out)?;
            }
            Value::Changed { before, after } => {
                out.push(ValueTag::Changed as u8);
                self.value(ev, false, before, out)?;
                self.value(ev, false, after, out)?;
            }
            Value::Labeled { name, arg, value } => {
                out.push(ValueTag::Labeled as u8);
                put_str(out, name.as_bytes());
                out.push(*arg);
                self.value(ev, false, value, out)?;
            }
            Value::HexStr { bytes, truncated } => {
                out.push(ValueTag::HexStr as u8);
                out.push(u8::from(*truncated));
                self.string_ref(ev.slice(*bytes), false, out)?;
            }
            Value::AbstractPath(b) => {
                out.push(ValueTag::AbstractPath as u8);
                self.string_ref(ev.slice(*b), true, out)?;
            }
            Value::PidComm { pid, comm } => {
                out.push(ValueTag::PidComm as u8);
                put_var(out, zig(*pid));
                self.string_ref(ev.slice(*comm), true, out)?;
            }
            Value::Text(b) => {
                out.push(ValueTag::Text as u8);
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
            let default = ty.and_then(|t| Value::from_register(t, arg_register(ev, i), ev.arch));
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
        if !ev.stack.is_empty() {
            extras |= 64;
            let id = self.stack_id(&ev.stack)?;
            put_var(&mut ext, id);
        }
        if ev.tampered != 0 {
            extras |= 128;
            ext.push(ev.tampered);
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
            // The 16 bytes of the name as two little-endian words.
            TaskChange::Named { comm } => (
                7,
                i64::from_le_bytes(comm[..8].try_into().unwrap_or_default()),
                i64::from_le_bytes(comm[8..].try_into().unwrap_or_default()),
            ),
        };
        self.payload.push(tag);
        put_var(&mut self.payload, zig(a));
        put_var(&mut self.payload, zig(b));
        self.footer.tasks += 1;
        self.emit(K_TASK)
    }

    fn aggregate(&mut self, ev: &AggregateEvent) -> io::Result<()> {
        if !self.aggregates {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "aggregate records need a version-3 file (Writer::with_aggregates)",
            ));
        }
        self.payload.clear();
        put_var(&mut self.payload, ev.start_ns);
        put_var(&mut self.payload, ev.end_ns.saturating_sub(ev.start_ns));
        put_var(&mut self.payload, u64::from(ev.pid));
        self.payload.push(arch_code(ev.arch));
        put_var(&mut self.payload, u64::from(ev.nr));
        for v in [ev.calls, ev.errors, ev.total_ns, ev.max_ns] {
            put_var(&mut self.payload, v);
        }
        // The histogram sparsely: a mask of the buckets that are not zero, then those counts.
        let mask = ev
            .log2_hist
            .iter()
            .enumerate()
            .fold(0u64, |m, (i, &n)| m | (u64::from(n != 0) << i));
        put_var(&mut self.payload, mask);
        for &n in ev.log2_hist.iter().filter(|&&n| n != 0) {
            put_var(&mut self.payload, n);
        }
        self.aggregates_end = self.aggregates_end.max(ev.end_ns);
        self.footer.aggregates += 1;
        self.emit(K_AGGREGATE)
    }

    fn idle(&mut self) -> io::Result<()> {
        // The tracee is about to block: make what we have durable, so a crash loses little.
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.payload.clear();
        self.footer.end_ns = self.last_ts.max(self.aggregates_end);
        let f = self.footer;
        for v in [f.syscalls, f.signals, f.tasks, f.end_ns] {
            put_var(&mut self.payload, v);
        }
        // Later totals follow; readers of older files find the footer ends before them.
        if self.aggregates {
            put_var(&mut self.payload, f.aggregates);
        }
        self.emit(K_FOOTER)?;
        self.out.flush()
    }
}
