//! Assembling whole strace lines: the arguments split at the point where a call blocks, the
//! return value column and its errno, notes and fd paths, the `[pid N]` and timestamp prefix,
//! and [`TextPrinter`], the [`Sink`] that buffers each thread's half-printed call so that
//! interleaved threads come out as strace prints them (`<unfinished ...>` then
//! `<... read resumed>`). The values inside a line come from the `value` module.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use sysgate_kb::RetType;
use sysgate_kb::symbols;

use super::value::{fd_target_into, siginfo_into, value_into};
use crate::{
    IoDump, Phase, SignalEvent, Sink, SyscallEvent, Tampered, TaskChange, TaskEvent, Value,
};

/// Appends every decoded argument as strace prints them between the parentheses.
pub fn arguments_into(ev: &SyscallEvent, out: &mut String) {
    args_into(ev, 0, ev.decoded.len(), out, true);
}

/// Appends the decoded arguments `from..to` separated by `, ` (omitted ones skipped), and
/// reports whether anything was written.
fn args_into(ev: &SyscallEvent, from: usize, to: usize, out: &mut String, mut first: bool) -> bool {
    for v in &ev.decoded[from..to.min(ev.decoded.len())] {
        if matches!(v, Value::Omitted) {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        value_into(ev, v, out);
        first = false;
    }
    first
}

/// Index of the first argument decoded only at exit (everything before it prints at entry).
pub fn entry_split(ev: &SyscallEvent) -> usize {
    let split = match ev.syscall {
        Some(s) => s
            .args
            .iter()
            .position(|a| a.ty.is_output())
            .unwrap_or(s.args.len()),
        None => ev.decoded.len(),
    };
    match ev.exit_from {
        Some(i) => split.min(usize::from(i)),
        None => split,
    }
}

/// Column strace aligns return values to.
pub const RETURN_COLUMN: usize = 40;

/// Pads `line` with spaces up to `column`, or adds one space when it is already past it.
pub fn pad_to_column(line: &mut String, column: usize) {
    let len = line.len();
    if len < column {
        line.extend(std::iter::repeat_n(' ', column - len));
    } else {
        line.push(' ');
    }
}

/// Appends the return value: `3`, `-1 ENOENT (No such file or directory)`, `?`.
pub fn return_value_into(ev: &SyscallEvent, out: &mut String) {
    out.push_str("= ");
    if ev.phase != Phase::Completed {
        out.push('?');
        return;
    }
    if let Some(errno) = ev.errno() {
        let restart = (512..=530).contains(&errno);
        out.push_str(if restart { "? " } else { "-1 " });
        match symbols::errno(errno) {
            Some(e) => {
                let _ = write!(out, "{} ({})", e.name, e.message);
            }
            None => {
                let _ = write!(out, "E{errno} (Unknown error {errno})");
            }
        }
        return;
    }
    let ret_type = ev.syscall.map_or(RetType::Int, |s| s.ret);
    match (&ev.ret_value, ret_type) {
        (Some(v), _) => value_into(ev, v, out),
        // C's `%#lx`, which strace uses: zero prints as `0`.
        (None, RetType::Addr | RetType::Hex) if ev.ret == 0 => out.push('0'),
        (None, RetType::Addr | RetType::Hex) => {
            let _ = write!(out, "{:#x}", ev.ret);
        }
        _ => {
            let _ = write!(out, "{}", ev.ret);
        }
    }
    if let Some(p) = ev.ret_path {
        out.push('<');
        fd_target_into(ev.slice(p), out);
        out.push('>');
    }
    if !ev.ret_note.is_empty() {
        out.push_str(" (");
        for (i, (label, v)) in ev.ret_note.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if !label.is_empty() {
                out.push_str(label);
                out.push(' ');
            }
            value_into(ev, v, out);
        }
        out.push(')');
    }
}

/// strace's note after the return value of a call `-e inject=` tampered with:
/// ` (INJECTED)`, ` (INJECTED: args)`, ` (INJECTED: args, retval)`, then ` (DELAYED)`.
pub fn injected_note_into(ev: &SyscallEvent, out: &mut String) {
    let t = ev.tampered;
    match (t & Tampered::RETVAL != 0, t & Tampered::ARGS != 0) {
        (true, true) => out.push_str(" (INJECTED: args, retval)"),
        (false, true) => out.push_str(" (INJECTED: args)"),
        (true, false) => out.push_str(" (INJECTED)"),
        (false, false) => {}
    }
    if t & Tampered::DELAYED != 0 {
        out.push_str(" (DELAYED)");
    }
}

/// Marks calls made through another ABI than the tracer's (`int 0x80` from a 64-bit process):
/// `[i386] getpid() = 42`.
fn abi_marker_into(ev: &SyscallEvent, out: &mut String) {
    if ev.arch != sysgate_kb::Arch::native() {
        out.push('[');
        out.push_str(ev.arch.name());
        out.push_str("] ");
    }
}

/// Appends a whole strace line body (no prefix, no newline): `name(args) = ret`.
pub fn syscall_line_into(ev: &SyscallEvent, out: &mut String) {
    abi_marker_into(ev, out);
    out.push_str(&ev.name());
    out.push('(');
    args_into(ev, 0, ev.decoded.len(), out, true);
    out.push(')');
    out.push(' ');
    return_value_into(ev, out);
    injected_note_into(ev, out);
}

/// Appends the lines of one buffer's hex dump as strace writes them: an offset, sixteen bytes in
/// two groups of eight, and the same bytes as text (`.` for anything unprintable).
/// `len` is the buffer's length; past 1 MiB the offset column widens to fit it.
pub fn hex_dump_into(data: &[u8], len: u64, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let width = if len > 1 << 20 {
        1 + (len - 1).ilog2() as usize / 4
    } else {
        5
    };
    for (row, chunk) in data.chunks(16).enumerate() {
        let _ = write!(out, " | {:0width$x}  ", row * 16);
        for i in 0..16 {
            match chunk.get(i) {
                Some(&b) => {
                    out.push(HEX[usize::from(b >> 4)] as char);
                    out.push(HEX[usize::from(b & 15)] as char);
                }
                None => out.push_str("  "),
            }
            out.push(' ');
            if i == 7 || i == 15 {
                out.push(' ');
            }
        }
        for i in 0..16 {
            out.push(match chunk.get(i) {
                Some(&b) if (b' '..0x7f).contains(&b) => b as char,
                Some(_) => '.',
                None => ' ',
            });
        }
        out.push_str(" |\n");
    }
}

/// Appends an event's stack (`-k`), one line per frame as strace writes them, with the source
/// location where there is one:
/// ` > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x14) [0x11a0d4]`,
/// ` > /usr/bin/app(parse+0x2a) [0x1189] src/parse.rs:42`, and inlined calls marked.
pub fn stack_into(ev: &SyscallEvent, out: &mut String) {
    for f in &ev.stack {
        out.push_str(" > ");
        match &f.module {
            Some(m) => out.push_str(m),
            None => out.push('?'),
        }
        out.push('(');
        if let Some(func) = &f.function {
            out.push_str(func);
            if let Some(off) = f.function_offset {
                let _ = write!(out, "+{off:#x}");
            }
        }
        out.push(')');
        if f.module.is_some() {
            let _ = write!(out, " [{:#x}]", f.module_offset);
        } else {
            let _ = write!(out, " [{:#x}]", f.pc);
        }
        if let Some((file, line)) = &f.location {
            let _ = write!(out, " {file}:{line}");
        }
        if f.inlined {
            out.push_str(" (inlined)");
        }
        out.push('\n');
    }
}

/// Appends an event's `-e read=`/`-e write=` dumps, one line each.
pub fn dumps_into(ev: &SyscallEvent, out: &mut String) {
    for d in &ev.dumps {
        match *d {
            IoDump::Data { bytes, len } => hex_dump_into(ev.slice(bytes), len, out),
            IoDump::Buffer { index, len } => {
                let _ = writeln!(out, " * {len} bytes in buffer {index}");
            }
            IoDump::Vector { index, buffers } => {
                let _ = writeln!(out, " = {buffers} buffers in vector {index}");
            }
            IoDump::Unreadable { len, addr } => {
                let s = if len == 1 { "" } else { "s" };
                let _ = writeln!(
                    out,
                    " | <Cannot fetch {len} byte{s} from pid {} @{addr:#x}>",
                    ev.tid
                );
            }
            IoDump::Cut { len } => {
                let _ = writeln!(out, " | <{len} more bytes not dumped>");
            }
        }
    }
}

/// How timestamps prefix each line (`-t`, `-tt`, `-ttt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Timestamps {
    /// No timestamp.
    #[default]
    None,
    /// `HH:MM:SS`
    Seconds,
    /// `HH:MM:SS.uuuuuu`
    Micros,
    /// `EPOCH.uuuuuu`
    Epoch,
}

/// Options of the text printer.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Line timestamps.
    pub timestamps: Timestamps,
    /// Append `<seconds>` spent in each syscall (`-T`).
    pub durations: bool,
    /// Always prefix `[pid N]` (otherwise only while more than one task is traced).
    pub always_pid: bool,
    /// Prefix every line with the pid as strace does under `-f -o FILE`: `1234  ` (left-aligned
    /// in five columns), instead of `[pid N]`.
    pub plain_pids: bool,
    /// Seconds east of UTC for `-t`/`-tt`.
    pub utc_offset_s: i64,
    /// The column return values are aligned to (`-a`; strace's default is 40).
    pub columns: usize,
    /// `-q`: leave out detach and exec-supersede messages; `-qq`: exit and kill messages too.
    pub quiet: u8,
    /// `-n`: the syscall number before the name, `[  59] execve(…)`.
    pub numbers: bool,
    /// `-r`: the seconds since the previous line, `     0.000123 `, after any `-t` stamp.
    pub relative: bool,
    /// `-Y`: the pid prefix carries the thread's command, `[pid  1234<sleep>]` (read from
    /// `/proc` as the line is printed).
    pub pid_comm: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            timestamps: Timestamps::None,
            durations: false,
            always_pid: false,
            plain_pids: false,
            utc_offset_s: 0,
            columns: RETURN_COLUMN,
            quiet: 0,
            numbers: false,
            relative: false,
            pid_comm: false,
        }
    }
}

/// Appends a line's prefix: `[pid N] ` while more than one task is traced (or always), then the
/// timestamp in the chosen style.
/// `[  59] ` before a call's name with `-n`.
fn number_into(opts: &TextOptions, ev: &SyscallEvent, s: &mut String) {
    if opts.numbers {
        let _ = write!(s, "[{:>4}] ", ev.nr);
    }
}

#[allow(clippy::too_many_arguments)]
fn prefix_into(
    opts: &TextOptions,
    live_tasks: usize,
    tid: u32,
    ts_ns: u64,
    last_ts: &mut Option<u64>,
    comms: &mut HashMap<u32, String>,
    s: &mut String,
) {
    // A task's command is remembered: its exit line comes when /proc has forgotten it.
    let comm = if opts.pid_comm && (opts.plain_pids || opts.always_pid || live_tasks > 1) {
        match std::fs::read_to_string(format!("/proc/{tid}/comm")) {
            Ok(c) => {
                let c = c.trim_end_matches('\n').to_string();
                comms.insert(tid, c.clone());
                Some(c)
            }
            Err(_) => comms.get(&tid).cloned(),
        }
    } else {
        None
    };
    match comm.as_deref() {
        Some(c) if opts.plain_pids => {
            let _ = write!(s, "{tid}<");
            super::value::comm_into(c.as_bytes(), s);
            s.push_str("> ");
        }
        Some(c) => {
            let _ = write!(s, "[pid {tid:>5}<");
            super::value::comm_into(c.as_bytes(), s);
            s.push_str(">] ");
        }
        None if opts.plain_pids => {
            let _ = write!(s, "{tid:<5} ");
        }
        None if opts.always_pid || live_tasks > 1 => {
            let _ = write!(s, "[pid {tid:>5}] ");
        }
        None => {}
    }
    let secs = (ts_ns / 1_000_000_000) as i64;
    let micros = (ts_ns % 1_000_000_000) / 1000;
    let local = (secs + opts.utc_offset_s).rem_euclid(86_400);
    let (h, m, sec) = (local / 3600, local / 60 % 60, local % 60);
    match opts.timestamps {
        Timestamps::None => {}
        Timestamps::Seconds => {
            let _ = write!(s, "{h:02}:{m:02}:{sec:02} ");
        }
        Timestamps::Micros => {
            let _ = write!(s, "{h:02}:{m:02}:{sec:02}.{micros:06} ");
        }
        Timestamps::Epoch => {
            let _ = write!(s, "{secs}.{micros:06} ");
        }
    }
    if opts.relative {
        // The first line shows zero; a clock that steps back shows zero, never a negative delta.
        let delta = ts_ns.saturating_sub(last_ts.unwrap_or(ts_ns));
        *last_ts = Some(ts_ns);
        let (whole, frac) = (delta / 1_000_000_000, delta % 1_000_000_000 / 1000);
        // After a -t stamp strace writes the delta in parentheses: `04:44:03 (+     0.000012) `.
        if opts.timestamps == Timestamps::None {
            let _ = write!(s, "{whole:>6}.{frac:06} ");
        } else {
            let _ = write!(s, "(+{whole:>6}.{frac:06}) ");
        }
    }
}

struct Pending {
    line: String,
    /// The entry part was printed with `<unfinished ...>`.
    shown: bool,
}

/// The strace-style printer.
pub struct TextPrinter<W: Write> {
    out: W,
    opts: TextOptions,
    pending: HashMap<u32, Pending>,
    /// Tids whose entry text is buffered but not printed yet.
    unshown: Vec<u32>,
    live_tasks: usize,
    spare: Vec<String>,
    line: String,
    /// With `-n`: each task's last syscall number, which strace prints on its exit line too.
    last_nr: HashMap<u32, u32>,
    /// With `-r`: the time of the previous line.
    last_ts: Option<u64>,
    /// With `-Y`: each task's command, as last read.
    comms: HashMap<u32, String>,
}

impl<W: Write> TextPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W, opts: TextOptions) -> Self {
        TextPrinter {
            out,
            opts,
            pending: HashMap::new(),
            unshown: Vec::new(),
            live_tasks: 0,
            spare: Vec::new(),
            line: String::with_capacity(256),
            last_nr: HashMap::new(),
            last_ts: None,
            comms: HashMap::new(),
        }
    }

    /// Consumes the printer, returning the writer.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Appends the `[pid N] ` and timestamp prefix of a line to `self.line`.
    fn prefix(&mut self, tid: u32, ts_ns: u64) {
        prefix_into(
            &self.opts,
            self.live_tasks,
            tid,
            ts_ns,
            &mut self.last_ts,
            &mut self.comms,
            &mut self.line,
        );
    }

    /// Prints every other thread's buffered entry as `<unfinished ...>` before output of `tid`.
    fn show_others(&mut self, tid: u32) -> io::Result<()> {
        if self.unshown.is_empty() || (self.unshown.len() == 1 && self.unshown[0] == tid) {
            return Ok(());
        }
        let mut keep = false;
        for other in std::mem::take(&mut self.unshown) {
            if other == tid {
                keep = true;
                continue;
            }
            if let Some(p) = self.pending.get_mut(&other)
                && !p.shown
            {
                p.shown = true;
                self.out.write_all(p.line.as_bytes())?;
                self.out.write_all(b" <unfinished ...>\n")?;
            }
        }
        if keep {
            self.unshown.push(tid);
        }
        Ok(())
    }

    fn emit_line(&mut self) -> io::Result<()> {
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())
    }
}

impl<W: Write> Sink for TextPrinter<W> {
    fn syscall_entry(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        let mut line = self.spare.pop().unwrap_or_default();
        line.clear();
        prefix_into(
            &self.opts,
            self.live_tasks,
            ev.tid,
            ev.ts_ns,
            &mut self.last_ts,
            &mut self.comms,
            &mut line,
        );
        number_into(&self.opts, ev, &mut line);
        abi_marker_into(ev, &mut line);
        line.push_str(&ev.name());
        line.push('(');
        let split = entry_split(ev);
        let none_written = args_into(ev, 0, split, &mut line, true);
        if !none_written && split < ev.decoded.len() {
            line.push_str(", ");
        }
        if let Some(old) = self.pending.insert(ev.tid, Pending { line, shown: false }) {
            self.spare.push(old.line);
        }
        self.unshown.push(ev.tid);
        Ok(())
    }

    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        if self.opts.numbers {
            self.last_nr.insert(ev.tid, ev.nr);
        }
        self.show_others(ev.tid)?;
        self.unshown.retain(|t| *t != ev.tid);
        let pending = self.pending.remove(&ev.tid);
        let split = entry_split(ev);
        self.line.clear();
        let mut first = true;
        match &pending {
            Some(p) if p.shown => {
                self.prefix(ev.tid, ev.ts_ns + ev.duration_ns);
                number_into(&self.opts, ev, &mut self.line);
                let _ = write!(self.line, "<... {} resumed>", ev.name());
            }
            Some(p) => {
                self.line.push_str(&p.line);
                first = p.line.ends_with('(') || p.line.ends_with(", ");
            }
            None => {
                self.prefix(ev.tid, ev.ts_ns);
                number_into(&self.opts, ev, &mut self.line);
                abi_marker_into(ev, &mut self.line);
                self.line.push_str(&ev.name());
                self.line.push('(');
                args_into(ev, 0, split, &mut self.line, true);
                first = self.line.ends_with('(');
                if !first && split < ev.decoded.len() {
                    self.line.push_str(", ");
                    first = true;
                }
            }
        }
        if ev.phase == Phase::Unfinished {
            let exiting = matches!(ev.name().as_ref(), "exit" | "exit_group");
            // exit and exit_group never return; other calls were cut short by the task's end.
            if exiting {
                args_into(ev, split, ev.decoded.len(), &mut self.line, first);
            } else {
                self.line.push_str(" <unfinished ...>");
            }
            self.line.push(')');
            pad_to_column(&mut self.line, self.opts.columns);
            self.line.push_str("= ?");
        } else {
            args_into(ev, split, ev.decoded.len(), &mut self.line, first);
            self.line.push(')');
            pad_to_column(&mut self.line, self.opts.columns);
            return_value_into(ev, &mut self.line);
            injected_note_into(ev, &mut self.line);
            if self.opts.durations {
                let d = ev.duration_ns;
                let _ = write!(
                    self.line,
                    " <{}.{:06}>",
                    d / 1_000_000_000,
                    d % 1_000_000_000 / 1000
                );
            }
        }
        if let Some(p) = pending {
            self.spare.push(p.line);
        }
        self.line.push('\n');
        stack_into(ev, &mut self.line);
        if ev.phase == Phase::Completed {
            dumps_into(ev, &mut self.line);
        }
        self.out.write_all(self.line.as_bytes())
    }

    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.show_others(ev.tid)?;
        self.line.clear();
        self.prefix(ev.tid, ev.ts_ns);
        self.line.push_str("--- ");
        let start = self.line.len();
        siginfo_into(&ev.info, &mut self.line);
        // -Y: the sender's command after its pid, read while it still exists (a zombie child
        // keeps its name until it is reaped).
        if self.opts.pid_comm
            && ev.info.pid > 0
            && let Ok(comm) = std::fs::read_to_string(format!("/proc/{}/comm", ev.info.pid))
        {
            let key = format!(", si_pid={},", ev.info.pid);
            if let Some(at) = self.line[start..].find(&key) {
                let mut with = format!(", si_pid={}<", ev.info.pid);
                super::value::comm_into(comm.trim_end_matches('\n').as_bytes(), &mut with);
                with.push_str(">,");
                let at = start + at;
                self.line.replace_range(at..at + key.len(), &with);
            }
        }
        self.line.push_str(" ---");
        self.emit_line()
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        if let TaskChange::Attached = ev.change {
            self.live_tasks += 1;
            return Ok(());
        }
        if let TaskChange::Named { .. } = ev.change {
            return Ok(());
        }
        let quiet = match ev.change {
            TaskChange::Detached | TaskChange::Superseded { .. } => self.opts.quiet >= 1,
            TaskChange::Exited(_) | TaskChange::Killed { .. } => self.opts.quiet >= 2,
            _ => false,
        };
        self.show_others(ev.tid)?;
        self.line.clear();
        self.prefix(ev.tid, ev.ts_ns);
        if let Some(nr) = self.last_nr.get(&ev.tid)
            && matches!(ev.change, TaskChange::Exited(_) | TaskChange::Killed { .. })
        {
            let _ = write!(self.line, "[{nr:>4}] ");
        }
        match ev.change {
            TaskChange::Exited(code) => {
                let _ = write!(self.line, "+++ exited with {code} +++");
            }
            TaskChange::Killed { signal, core } => {
                let name = symbols::signal_name(signal).unwrap_or("SIG?");
                let core = if core { " (core dumped)" } else { "" };
                let _ = write!(self.line, "+++ killed by {name}{core} +++");
            }
            TaskChange::Stopped(sig) => {
                let name = symbols::signal_name(sig).unwrap_or("SIG?");
                let _ = write!(self.line, "--- stopped by {name} ---");
            }
            TaskChange::Superseded { former_tid } => {
                let _ = write!(
                    self.line,
                    "+++ superseded by execve in pid {} (was {former_tid}) +++",
                    ev.pid
                );
            }
            TaskChange::Detached => {
                let _ = write!(self.line, "+++ detached +++");
            }
            TaskChange::Attached | TaskChange::Named { .. } => {}
        }
        if matches!(
            ev.change,
            TaskChange::Exited(_) | TaskChange::Killed { .. } | TaskChange::Detached
        ) {
            self.live_tasks = self.live_tasks.saturating_sub(1).max(1);
            if let Some(p) = self.pending.remove(&ev.tid) {
                self.spare.push(p.line);
            }
            self.unshown.retain(|t| *t != ev.tid);
        }
        if quiet {
            self.line.clear();
            return Ok(());
        }
        self.emit_line()
    }

    fn idle(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_event as ev;
    use crate::{Bytes, Field};
    use sysgate_kb::symbols;

    #[test]
    fn openat_line() {
        let mut e = ev("openat");
        e.bytes.extend_from_slice(b"/etc/passwd");
        e.decoded = vec![
            Value::DirFd(-100),
            Value::Str {
                bytes: Bytes { start: 0, len: 11 },
                truncated: false,
            },
            Value::Flags(symbols::flag_set("open").unwrap(), 0o2000000),
            Value::Omitted,
        ];
        e.ret = 3;
        let mut s = String::new();
        syscall_line_into(&e, &mut s);
        assert_eq!(
            s,
            "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3"
        );
        e.ret = -2;
        e.is_error = true;
        s.clear();
        syscall_line_into(&e, &mut s);
        assert!(
            s.ends_with(" = -1 ENOENT (No such file or directory)"),
            "{s}"
        );
    }

    #[test]
    fn structures_arrays_and_annotations() {
        let mut e = ev("rt_sigaction");
        let restorer = Field::new("sa_restorer", Value::Addr(0x7f00));
        e.decoded = vec![
            Value::Signal(13),
            Value::Record(vec![
                Field::new(
                    "sa_handler",
                    Value::Const {
                        raw: 1,
                        name: "SIG_IGN",
                    },
                ),
                Field::new(
                    "sa_mask",
                    Value::SigSet {
                        mask: 1 << 12,
                        bits: 64,
                    },
                ),
                Field::new(
                    "sa_flags",
                    Value::Flags(symbols::flag_set("sa").unwrap(), 0x1400_0000),
                ),
                restorer,
            ]),
            Value::Addr(0),
            Value::UInt(8),
        ];
        let mut s = String::new();
        syscall_line_into(&e, &mut s);
        assert_eq!(
            s,
            "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[PIPE], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f00}, NULL, 8) = 0"
        );
        let mut p = ev("poll");
        p.decoded = vec![
            Value::Array {
                items: vec![Value::Record(vec![
                    Field::new("fd", Value::Int(3)),
                    Field::shown_if("events", Value::UInt(1), false),
                ])],
                more: true,
            },
            Value::UInt(9),
            Value::Int(0),
        ];
        p.ret_note.push(("", Value::Sym("Timeout")));
        s.clear();
        syscall_line_into(&p, &mut s);
        assert_eq!(s, "poll([{fd=3, ...}, ...], 9, 0) = 0 (Timeout)");
        let mut f = ev("fcntl");
        f.ret = 0x8002;
        f.ret_value = Some(Value::Hex(0x8002));
        f.ret_note.push((
            "flags",
            Value::Flags(symbols::flag_set("fdflags").unwrap(), 1),
        ));
        s.clear();
        return_value_into(&f, &mut s);
        assert_eq!(s, "= 0x8002 (flags FD_CLOEXEC)");
    }

    #[test]
    fn interleaved_threads_print_unfinished_and_resumed() {
        let mut p = TextPrinter::new(Vec::new(), TextOptions::default());
        let mut a = ev("read");
        a.tid = 10;
        a.decoded = vec![Value::Fd(3), Value::Pending, Value::Pending];
        let mut b = ev("getpid");
        b.tid = 11;
        b.ret = 11;
        for tid in [10, 11] {
            p.task(&TaskEvent {
                ts_ns: 0,
                pid: 10,
                tid,
                change: TaskChange::Attached,
            })
            .unwrap();
        }
        p.syscall_entry(&a).unwrap();
        p.syscall_entry(&b).unwrap();
        p.syscall_exit(&b).unwrap();
        a.bytes.extend_from_slice(b"hi");
        a.decoded = vec![
            Value::Fd(3),
            Value::Str {
                bytes: Bytes { start: 0, len: 2 },
                truncated: false,
            },
            Value::UInt(10),
        ];
        a.ret = 2;
        p.syscall_exit(&a).unwrap();
        let text = String::from_utf8(p.into_inner()).unwrap();
        let expected = format!(
            "[pid    10] read(3,  <unfinished ...>\n{:<40}= 11\n{:<40}= 2\n",
            "[pid    11] getpid()", "[pid    10] <... read resumed>\"hi\", 10)"
        );
        assert_eq!(text, expected);
    }
}
