//! strace-compatible text: values, return codes, and a [`TextPrinter`] sink that interleaves
//! threads the way strace does (`<unfinished ...>` / `<... read resumed>`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use sysgate_kb::symbols::{self, enum_set};
use sysgate_kb::{ArgType, RetType};

use crate::{Phase, SigInfo, SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent, Value};

/// Appends `bytes` as a strace string literal body (without quotes).
pub fn escape_into(bytes: &[u8], out: &mut String) {
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let next_is_digit = bytes.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
                if next_is_digit {
                    let _ = write!(out, "\\{b:03o}");
                } else {
                    let _ = write!(out, "\\{b:o}");
                }
            }
        }
    }
}

fn push_addr(addr: u64, out: &mut String) {
    if addr == 0 {
        out.push_str("NULL");
    } else {
        let _ = write!(out, "{addr:#x}");
    }
}

fn push_mode(mode: u32, out: &mut String) {
    let kind = mode & 0o170000;
    if kind != 0 {
        let name = match kind {
            0o140000 => "S_IFSOCK",
            0o120000 => "S_IFLNK",
            0o100000 => "S_IFREG",
            0o060000 => "S_IFBLK",
            0o040000 => "S_IFDIR",
            0o020000 => "S_IFCHR",
            0o010000 => "S_IFIFO",
            _ => "",
        };
        if !name.is_empty() {
            out.push_str(name);
            out.push('|');
        }
    }
    let _ = write!(out, "{:#05o}", mode & 0o7777);
}

/// Appends the strace rendering of one decoded argument.
pub fn value_into(ev: &SyscallEvent, v: &Value, out: &mut String) {
    match v {
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::UInt(n) => {
            let _ = write!(out, "{n}");
        }
        // C's `%#lx`, which strace uses: zero prints as `0`, not `0x0`.
        Value::Hex(0) => out.push('0'),
        Value::Hex(n) => {
            let _ = write!(out, "{n:#x}");
        }
        Value::Fd(fd) => {
            let _ = write!(out, "{fd}");
        }
        Value::FdPath { fd, path } => {
            let _ = write!(out, "{fd}<");
            escape_into(ev.slice(*path), out);
            out.push('>');
        }
        Value::DirFd(fd) => {
            if *fd == -100 {
                out.push_str("AT_FDCWD");
            } else {
                let _ = write!(out, "{fd}");
            }
        }
        Value::Addr(a) | Value::Struct { addr: a, .. } => push_addr(*a, out),
        Value::Unreadable(a) => push_addr(*a, out),
        Value::Str { bytes, truncated } => {
            out.push('"');
            escape_into(ev.slice(*bytes), out);
            out.push('"');
            if *truncated {
                out.push_str("...");
            }
        }
        Value::Flags(set, bits) => set.format_into(*bits, out),
        Value::Enum(set, n) => set.format_into(*n, out),
        Value::Mode(m) => push_mode(*m, out),
        Value::Signal(s) => match symbols::signal_name(*s) {
            Some(name) => out.push_str(name),
            None => {
                let _ = write!(out, "{s}");
            }
        },
        Value::Ioctl(r) => symbols::format_ioctl_into(*r, out),
        Value::ClockId(c) => match enum_set("clock").and_then(|s| s.name_of(*c as u64)) {
            Some(name) => out.push_str(name),
            None => {
                let _ = write!(out, "{c}");
            }
        },
        Value::StrArray { items, more } => {
            out.push('[');
            for (i, b) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('"');
                escape_into(ev.slice(*b), out);
                out.push('"');
            }
            if *more {
                out.push_str(if items.is_empty() { "..." } else { ", ..." });
            }
            out.push(']');
        }
        Value::EnvCount { addr, count } => {
            push_addr(*addr, out);
            let _ = write!(
                out,
                " /* {count} var{} */",
                if *count == 1 { "" } else { "s" }
            );
        }
        Value::FdPair(a, b) => {
            let _ = write!(out, "[{a}, {b}]");
        }
        Value::Omitted | Value::Pending => {}
    }
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
    match ev.syscall {
        Some(s) => s
            .args
            .iter()
            .position(|a| a.ty.is_output())
            .unwrap_or(s.args.len()),
        None => ev.decoded.len(),
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
    match ret_type {
        RetType::Addr | RetType::Hex => {
            let _ = write!(out, "{:#x}", ev.ret);
        }
        _ => {
            let _ = write!(out, "{}", ev.ret);
        }
    }
    if let Some(p) = ev.ret_path {
        out.push('<');
        escape_into(ev.slice(p), out);
        out.push('>');
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
}

fn si_code_name(info: &SigInfo) -> Option<&'static str> {
    let generic = match info.code {
        0 => Some("SI_USER"),
        0x80 => Some("SI_KERNEL"),
        -1 => Some("SI_QUEUE"),
        -2 => Some("SI_TIMER"),
        -3 => Some("SI_MESGQ"),
        -4 => Some("SI_ASYNCIO"),
        -5 => Some("SI_SIGIO"),
        -6 => Some("SI_TKILL"),
        _ => None,
    };
    if info.code <= 0 || info.code == 0x80 {
        return generic;
    }
    let table: &[&str] = match info.signo {
        libc_sig::SIGCHLD => &[
            "CLD_EXITED",
            "CLD_KILLED",
            "CLD_DUMPED",
            "CLD_TRAPPED",
            "CLD_STOPPED",
            "CLD_CONTINUED",
        ],
        libc_sig::SIGSEGV => &["SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR"],
        libc_sig::SIGBUS => &["BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR"],
        libc_sig::SIGILL => &[
            "ILL_ILLOPC",
            "ILL_ILLOPN",
            "ILL_ILLADR",
            "ILL_ILLTRP",
            "ILL_PRVOPC",
            "ILL_PRVREG",
            "ILL_COPROC",
            "ILL_BADSTK",
        ],
        libc_sig::SIGFPE => &[
            "FPE_INTDIV",
            "FPE_INTOVF",
            "FPE_FLTDIV",
            "FPE_FLTOVF",
            "FPE_FLTUND",
            "FPE_FLTRES",
            "FPE_FLTINV",
            "FPE_FLTSUB",
        ],
        libc_sig::SIGTRAP => &["TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT"],
        libc_sig::SIGSYS => &["SYS_SECCOMP"],
        _ => &[],
    };
    table.get((info.code - 1) as usize).copied()
}

/// Signal numbers used for `si_code` tables (identical on x86_64 and aarch64).
mod libc_sig {
    pub const SIGILL: i32 = 4;
    pub const SIGTRAP: i32 = 5;
    pub const SIGBUS: i32 = 7;
    pub const SIGFPE: i32 = 8;
    pub const SIGSEGV: i32 = 11;
    pub const SIGCHLD: i32 = 17;
    pub const SIGSYS: i32 = 31;
}

/// Appends `SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, ...}`.
pub fn siginfo_into(info: &SigInfo, out: &mut String) {
    let name = symbols::signal_name(info.signo).unwrap_or("SIG?");
    let _ = write!(out, "{name} {{si_signo={name}, si_code=");
    match si_code_name(info) {
        Some(c) => out.push_str(c),
        None => {
            let _ = write!(out, "{}", info.code);
        }
    }
    if info.errno != 0 {
        let _ = write!(out, ", si_errno={}", info.errno);
    }
    match info.signo {
        libc_sig::SIGCHLD if info.code > 0 => {
            let _ = write!(
                out,
                ", si_pid={}, si_uid={}, si_status=",
                info.pid, info.uid
            );
            if info.code == 1 || info.code == 6 {
                let _ = write!(out, "{}", info.status);
            } else {
                match symbols::signal_name(info.status) {
                    Some(s) => out.push_str(s),
                    None => {
                        let _ = write!(out, "{}", info.status);
                    }
                }
            }
            let _ = write!(out, ", si_utime={}, si_stime={}", info.utime, info.stime);
        }
        libc_sig::SIGSEGV | libc_sig::SIGBUS | libc_sig::SIGILL | libc_sig::SIGFPE
            if info.code > 0 =>
        {
            out.push_str(", si_addr=");
            push_addr(info.addr, out);
        }
        _ if info.code <= 0 => {
            let _ = write!(out, ", si_pid={}, si_uid={}", info.pid, info.uid);
        }
        _ => {}
    }
    out.push('}');
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
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Line timestamps.
    pub timestamps: Timestamps,
    /// Append `<seconds>` spent in each syscall (`-T`).
    pub durations: bool,
    /// Always prefix `[pid N]` (otherwise only while more than one task is traced).
    pub always_pid: bool,
    /// Seconds east of UTC for `-t`/`-tt`.
    pub utc_offset_s: i64,
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
        }
    }

    /// Consumes the printer, returning the writer.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn prefix_into(&self, tid: u32, ts_ns: u64, s: &mut String) {
        if self.opts.always_pid || self.live_tasks > 1 {
            let _ = write!(s, "[pid {tid:>5}] ");
        }
        let secs = (ts_ns / 1_000_000_000) as i64;
        let micros = (ts_ns % 1_000_000_000) / 1000;
        let local = (secs + self.opts.utc_offset_s).rem_euclid(86_400);
        let (h, m, sec) = (local / 3600, local / 60 % 60, local % 60);
        match self.opts.timestamps {
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
        self.prefix_into(ev.tid, ev.ts_ns, &mut line);
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
        self.show_others(ev.tid)?;
        self.unshown.retain(|t| *t != ev.tid);
        let pending = self.pending.remove(&ev.tid);
        let split = entry_split(ev);
        self.line.clear();
        let mut first = true;
        match &pending {
            Some(p) if p.shown => {
                let mut prefix = String::new();
                self.prefix_into(ev.tid, ev.ts_ns + ev.duration_ns, &mut prefix);
                self.line.push_str(&prefix);
                let _ = write!(self.line, "<... {} resumed>", ev.name());
            }
            Some(p) => {
                self.line.push_str(&p.line);
                first = p.line.ends_with('(') || p.line.ends_with(", ");
            }
            None => {
                let mut prefix = String::new();
                self.prefix_into(ev.tid, ev.ts_ns, &mut prefix);
                self.line.push_str(&prefix);
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
            pad_to_column(&mut self.line, RETURN_COLUMN);
            self.line.push_str("= ?");
        } else {
            args_into(ev, split, ev.decoded.len(), &mut self.line, first);
            self.line.push(')');
            pad_to_column(&mut self.line, RETURN_COLUMN);
            return_value_into(ev, &mut self.line);
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
        self.emit_line()
    }

    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.show_others(ev.tid)?;
        self.line.clear();
        let mut prefix = String::new();
        self.prefix_into(ev.tid, ev.ts_ns, &mut prefix);
        self.line.push_str(&prefix);
        self.line.push_str("--- ");
        siginfo_into(&ev.info, &mut self.line);
        self.line.push_str(" ---");
        self.emit_line()
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        if let TaskChange::Attached = ev.change {
            self.live_tasks += 1;
            return Ok(());
        }
        self.show_others(ev.tid)?;
        self.line.clear();
        let mut prefix = String::new();
        self.prefix_into(ev.tid, ev.ts_ns, &mut prefix);
        self.line.push_str(&prefix);
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
            TaskChange::Attached => {}
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
        self.emit_line()
    }

    fn idle(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The argument type of decoded argument `i`, when known.
pub fn arg_type(ev: &SyscallEvent, i: usize) -> Option<ArgType> {
    ev.syscall.and_then(|s| s.args.get(i)).map(|a| a.ty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bytes;

    fn esc(b: &[u8]) -> String {
        let mut s = String::new();
        escape_into(b, &mut s);
        s
    }

    #[test]
    fn escapes_like_strace() {
        assert_eq!(esc(b"a\"b\\c\n"), "a\\\"b\\\\c\\n");
        assert_eq!(esc(b"\x7fELF\x02\x01\x01\0\0"), "\\177ELF\\2\\1\\1\\0\\0");
        assert_eq!(esc(b"\x001"), "\\0001");
    }

    fn ev(name: &str) -> SyscallEvent {
        let mut e = SyscallEvent::new();
        e.syscall = sysgate_kb::by_name(name);
        e.phase = Phase::Completed;
        e
    }

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
