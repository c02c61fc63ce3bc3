//! strace-compatible text: values, return codes, and a [`TextPrinter`] sink that interleaves
//! threads the way strace does (`<unfinished ...>` / `<... read resumed>`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use sysgate_kb::symbols::{self, enum_set};
use sysgate_kb::{ArgType, RetType};

use crate::{
    Field, Phase, Show, SigInfo, SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent, Value,
    Xlat,
};

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

/// Appends what an fd refers to: a path, escaped, or a socket endpoint (`TCP:[…]`,
/// `UNIX-STREAM:[…,"/path"]`) as is, as strace prints them.
fn fd_target_into(b: &[u8], out: &mut String) {
    let head = b
        .iter()
        .take_while(|c| c.is_ascii_uppercase() || **c == b'-')
        .count();
    let endpoint = head > 0
        && (b[head..].starts_with(b"v6:[") || b[head..].starts_with(b":["))
        && b.last() == Some(&b']');
    if endpoint {
        out.push_str(&String::from_utf8_lossy(b));
    } else {
        escape_into(b, out);
    }
}

/// Appends `bytes` as `\\xNN` escapes (strace's forced-hex strings).
pub fn hex_escape_into(bytes: &[u8], out: &mut String) {
    for b in bytes {
        let _ = write!(out, "\\x{b:02x}");
    }
}

/// strace's name of signal `n`: `SIGTERM`, `SIGRTMIN` (32), `SIGRT_1` (33) … `SIGRT_32` (64).
pub fn signal_name(n: i32) -> Option<std::borrow::Cow<'static, str>> {
    match n {
        1..=31 => symbols::signal_name(n).map(std::borrow::Cow::Borrowed),
        32 => Some("SIGRTMIN".into()),
        33..=64 => Some(format!("SIGRT_{}", n - 32).into()),
        _ => None,
    }
}

fn push_signal(n: i32, out: &mut String) {
    match signal_name(n) {
        Some(name) => out.push_str(&name),
        None => {
            let _ = write!(out, "{n}");
        }
    }
}

/// Appends a signal set: `[INT TERM]`, or `~[…]` listing the absent signals when more than half
/// of the `bits` signals are present.
pub fn sigset_into(mask: u64, bits: u8, xlat: Xlat, out: &mut String) {
    let bits = u32::from(bits.min(64));
    let mask = if bits == 64 {
        mask
    } else {
        mask & ((1u64 << bits) - 1)
    };
    let count = mask.count_ones();
    let (inverted, shown) = if bits > 0 && count * 2 > bits {
        let all = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        (true, all & !mask)
    } else {
        (false, mask)
    };
    if inverted {
        out.push('~');
    }
    out.push('[');
    let mut first = true;
    for i in 0..bits {
        if shown & (1u64 << i) == 0 {
            continue;
        }
        if !first {
            out.push(' ');
        }
        first = false;
        let n = i as i32 + 1;
        let name = signal_name(n);
        match (xlat, name) {
            (Xlat::Raw, _) | (_, None) => {
                let _ = write!(out, "{n}");
            }
            (Xlat::Verbose, Some(name)) => {
                let _ = write!(out, "{n} /* {} */", &name[3..]);
            }
            (Xlat::Abbrev, Some(name)) => out.push_str(&name[3..]),
        }
    }
    out.push(']');
}

/// Appends a wait status the way strace does, brackets included.
pub fn wait_status_into(status: i32, out: &mut String) {
    let mut st = status as u32;
    let low = st & 0x7f;
    if st & 0xff == 0x7f {
        let sig = ((st >> 8) & 0xff) as i32;
        out.push_str("[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
        push_signal(sig & 0x7f, out);
        if sig & 0x80 != 0 {
            out.push_str(" | 0x80");
        }
        out.push('}');
        st &= !(((sig as u32) << 8) | 0x7f);
    } else if low != 0 && low != 0x7f {
        out.push_str("[{WIFSIGNALED(s) && WTERMSIG(s) == ");
        push_signal(low as i32, out);
        if st & 0x80 != 0 {
            out.push_str(" && WCOREDUMP(s)");
        }
        out.push('}');
        st &= !(low | 0x80);
    } else if low == 0 {
        let _ = write!(
            out,
            "[{{WIFEXITED(s) && WEXITSTATUS(s) == {}}}",
            (st >> 8) & 0xff
        );
        st &= !0xff00;
    } else if st == 0xffff {
        out.push_str("[{WIFCONTINUED(s)}");
        st = 0;
    } else {
        let _ = write!(out, "[{st:#x}]");
        return;
    }
    if st != 0 {
        let event = st >> 16;
        if event != 0 {
            let name = match event {
                1 => "PTRACE_EVENT_FORK",
                2 => "PTRACE_EVENT_VFORK",
                3 => "PTRACE_EVENT_CLONE",
                4 => "PTRACE_EVENT_EXEC",
                5 => "PTRACE_EVENT_VFORK_DONE",
                6 => "PTRACE_EVENT_EXIT",
                7 => "PTRACE_EVENT_SECCOMP",
                0x80 => "PTRACE_EVENT_STOP",
                _ => "",
            };
            if name.is_empty() {
                let _ = write!(out, " | {event:#x} /* PTRACE_EVENT_??? */ << 16");
            } else {
                let _ = write!(out, " | {name} << 16");
            }
            st &= 0xffff;
        }
        if st != 0 {
            let _ = write!(out, " | {st:#x}");
        }
    }
    out.push(']');
}

/// The `PREFIX_???` comment strace prints for a number a set has no name for: the prefix all
/// the set's names share (`IORING_SETUP_`), else the first name's up to its first `_`.
fn unknown_prefix<'a>(names: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut common: Option<&str> = None;
    for n in names.clone() {
        common = Some(match common {
            None => n,
            Some(c) => {
                let len = c.bytes().zip(n.bytes()).take_while(|(a, b)| a == b).count();
                &c[..len]
            }
        });
    }
    let common = common.unwrap_or("");
    match common.rfind('_') {
        Some(i) if i > 0 => common[..=i].to_string(),
        _ => match names
            .clone()
            .next()
            .and_then(|n| n.find('_').map(|i| &n[..=i]))
        {
            Some(p) => p.to_string(),
            None => String::new(),
        },
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
    if name.is_empty() {
        push_octal03(u64::from(mode), out);
        return;
    }
    out.push_str(name);
    out.push('|');
    for (bit, flag) in [
        (0o4000, "S_ISUID|"),
        (0o2000, "S_ISGID|"),
        (0o1000, "S_ISVTX|"),
    ] {
        if mode & bit != 0 {
            out.push_str(flag);
        }
    }
    push_octal03(u64::from(mode & 0o777), out);
}

/// C's `%#03o`: `000`, `007`, `0644`.
fn push_octal03(n: u64, out: &mut String) {
    let mut s = String::new();
    push_octal(n, &mut s);
    for _ in s.len()..3 {
        out.push('0');
    }
    out.push_str(&s);
}

/// C's `%#o`: `0` for zero, else the octal digits after a `0`.
fn push_octal(n: u64, out: &mut String) {
    if n == 0 {
        out.push('0');
    } else {
        let _ = write!(out, "0{n:o}");
    }
}

fn fields_into(ev: &SyscallEvent, fields: &[Field], out: &mut String) {
    out.push('{');
    let mut first = true;
    let mut hidden = false;
    for f in fields {
        if f.show == Show::Hidden {
            hidden = true;
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        if f.show == Show::Named {
            out.push_str(f.name);
            out.push('=');
        }
        value_into(ev, &f.value, out);
    }
    if hidden {
        if !first {
            out.push_str(", ");
        }
        out.push_str("...");
    }
    out.push('}');
}

fn flags_into(ev: &SyscallEvent, set: &symbols::FlagSet, bits: u64, out: &mut String) {
    let known = {
        let mut s = String::new();
        if set.field.is_empty() && set.field_mask != 0 {
            // A signal inside the flags (clone's exit signal): strace prints it last.
            let flags_only = symbols::FlagSet {
                name: set.name,
                field_mask: 0,
                field: &[],
                flags: set.flags,
                zero: None,
            };
            let rest = bits & !set.field_mask;
            let sig = (bits & set.field_mask) as i32;
            if rest != 0 {
                flags_only.format_into(rest, &mut s);
            }
            if sig != 0 {
                if !s.is_empty() {
                    s.push('|');
                }
                match signal_name(sig) {
                    Some(n) => s.push_str(&n),
                    None => {
                        let _ = write!(s, "{sig}");
                    }
                }
            }
            if s.is_empty() {
                s.push('0');
            }
        } else {
            set.format_into(bits, &mut s);
        }
        s
    };
    // A value without a single known bit: strace prints it in hex with a `PREFIX_???` comment.
    let unknown_only =
        bits != 0 && known.starts_with("0x") && !known.contains('|') && set.field_mask & bits == 0;
    match ev.xlat {
        Xlat::Raw => {
            if bits == 0 {
                out.push('0');
            } else {
                let _ = write!(out, "{bits:#x}");
            }
        }
        Xlat::Verbose if !unknown_only => {
            if bits == 0 {
                out.push('0');
            } else {
                let _ = write!(out, "{bits:#x}");
            }
            let _ = write!(out, " /* {known} */");
        }
        _ if unknown_only => {
            let prefix = unknown_prefix(set.field.iter().chain(set.flags.iter()).map(|s| s.name));
            let _ = write!(out, "{bits:#x} /* {prefix}??? */");
        }
        _ => out.push_str(&known),
    }
}

/// C's `%#x`: `0` for zero.
fn push_hex(n: u64, out: &mut String) {
    if n == 0 {
        out.push('0');
    } else {
        let _ = write!(out, "{n:#x}");
    }
}

fn enum_into(ev: &SyscallEvent, set: &symbols::EnumSet, n: u64, out: &mut String) {
    match (set.name_of(n), ev.xlat) {
        (Some(name), Xlat::Abbrev) => out.push_str(name),
        (Some(name), Xlat::Verbose) => {
            push_hex(n, out);
            let _ = write!(out, " /* {name} */");
        }
        (_, Xlat::Raw) => push_hex(n, out),
        (None, _) => {
            let prefix = unknown_prefix(set.values.iter().map(|s| s.name));
            push_hex(n, out);
            let _ = write!(out, " /* {prefix}??? */");
        }
    }
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
            fd_target_into(ev.slice(*path), out);
            out.push('>');
        }
        Value::DirFd(fd) => match (*fd, ev.xlat) {
            (-100, Xlat::Abbrev) => out.push_str("AT_FDCWD"),
            (-100, Xlat::Verbose) => out.push_str("-100 /* AT_FDCWD */"),
            (fd, _) => {
                let _ = write!(out, "{fd}");
            }
        },
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
        Value::Flags(set, bits) => flags_into(ev, set, *bits, out),
        Value::Enum(set, n) => enum_into(ev, set, *n, out),
        Value::Mode(m) => push_mode(*m, out),
        Value::Signal(s) => match (signal_name(*s), ev.xlat) {
            (Some(name), Xlat::Abbrev) => out.push_str(&name),
            (Some(name), Xlat::Verbose) => {
                let _ = write!(out, "{s} /* {name} */");
            }
            _ => {
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
        Value::Record(fields) => fields_into(ev, fields, out),
        Value::Array { items, more } => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value_into(ev, v, out);
            }
            if *more {
                out.push_str(if items.is_empty() { "..." } else { ", ..." });
            }
            out.push(']');
        }
        Value::NumSet { items, more } => {
            out.push('[');
            for (i, n) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "{n}");
            }
            if *more {
                out.push_str(if items.is_empty() { "..." } else { " ..." });
            }
            out.push(']');
        }
        Value::SigSet { mask, bits } => sigset_into(*mask, *bits, ev.xlat, out),
        Value::WaitStatus(s) => wait_status_into(*s, out),
        Value::SigInfo(info) => siginfo_body_into(info, out),
        Value::Call { func, args } => {
            out.push_str(func);
            out.push('(');
            for (i, v) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value_into(ev, v, out);
            }
            out.push(')');
        }
        Value::Sym(s) => out.push_str(s),
        Value::Const { raw, name } => match ev.xlat {
            Xlat::Abbrev => out.push_str(name),
            Xlat::Raw => {
                let _ = write!(out, "{raw}");
            }
            Xlat::Verbose => {
                let _ = write!(out, "{raw} /* {name} */");
            }
        },
        Value::Rlim(n) => match (*n, ev.xlat) {
            (u64::MAX, Xlat::Abbrev) => out.push_str("RLIM64_INFINITY"),
            (u64::MAX, Xlat::Verbose) => out.push_str("18446744073709551615 /* RLIM64_INFINITY */"),
            (n, Xlat::Abbrev) if n > 1024 && n % 1024 == 0 => {
                let _ = write!(out, "{}*1024", n / 1024);
            }
            (n, Xlat::Verbose) if n > 1024 && n % 1024 == 0 => {
                let _ = write!(out, "{n} /* {}*1024 */", n / 1024);
            }
            (n, _) => {
                let _ = write!(out, "{n}");
            }
        },
        Value::Octal(n) => push_octal(*n, out),
        Value::Comment { value, comment } => {
            value_into(ev, value, out);
            out.push_str(" /* ");
            out.push_str(&String::from_utf8_lossy(ev.slice(*comment)));
            out.push_str(" */");
        }
        Value::Changed { before, after } => {
            value_into(ev, before, out);
            out.push_str(" => ");
            value_into(ev, after, out);
        }
        Value::Labeled { name, value, .. } => {
            out.push_str(name);
            out.push('=');
            value_into(ev, value, out);
        }
        Value::HexStr { bytes, truncated } => {
            out.push('"');
            hex_escape_into(ev.slice(*bytes), out);
            out.push('"');
            if *truncated {
                out.push_str("...");
            }
        }
        Value::AbstractPath(b) => {
            out.push_str("@\"");
            escape_into(ev.slice(*b), out);
            out.push('"');
        }
        Value::Text(b) => out.push_str(&String::from_utf8_lossy(ev.slice(*b))),
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
    let name = signal_name(info.signo).unwrap_or("SIG?".into());
    let _ = write!(out, "{name} ");
    siginfo_body_into(info, out);
}

/// Appends `{si_signo=SIGCHLD, si_code=CLD_EXITED, ...}`.
pub fn siginfo_body_into(info: &SigInfo, out: &mut String) {
    let name = signal_name(info.signo).unwrap_or("SIG?".into());
    let _ = write!(out, "{{si_signo={name}, si_code=");
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
                push_signal(info.status, out);
            }
            out.push_str(", si_utime=");
            clock_ticks_into(info.utime, out);
            out.push_str(", si_stime=");
            clock_ticks_into(info.stime, out);
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

/// A `clock_t` in ticks of USER_HZ (100 on Linux), with strace's seconds comment when
/// non-zero: `1 /* 0.01 s */`.
fn clock_ticks_into(ticks: i64, out: &mut String) {
    let _ = write!(out, "{ticks}");
    if ticks != 0 {
        let _ = write!(out, " /* {:.2} s */", ticks as f64 / 100.0);
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

/// Appends a line's prefix: `[pid N] ` while more than one task is traced (or always), then the
/// timestamp in the chosen style.
fn prefix_into(opts: &TextOptions, live_tasks: usize, tid: u32, ts_ns: u64, s: &mut String) {
    if opts.always_pid || live_tasks > 1 {
        let _ = write!(s, "[pid {tid:>5}] ");
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

    /// Appends the `[pid N] ` and timestamp prefix of a line to `self.line`.
    fn prefix(&mut self, tid: u32, ts_ns: u64) {
        prefix_into(&self.opts, self.live_tasks, tid, ts_ns, &mut self.line);
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
        prefix_into(&self.opts, self.live_tasks, ev.tid, ev.ts_ns, &mut line);
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
                self.prefix(ev.tid, ev.ts_ns + ev.duration_ns);
                let _ = write!(self.line, "<... {} resumed>", ev.name());
            }
            Some(p) => {
                self.line.push_str(&p.line);
                first = p.line.ends_with('(') || p.line.ends_with(", ");
            }
            None => {
                self.prefix(ev.tid, ev.ts_ns);
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
        self.prefix(ev.tid, ev.ts_ns);
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
        self.prefix(ev.tid, ev.ts_ns);
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
    fn signal_sets_and_names_follow_strace() {
        let mut s = String::new();
        sigset_into((1 << 1) | (1 << 14), 64, Xlat::Abbrev, &mut s);
        assert_eq!(s, "[INT TERM]");
        s.clear();
        sigset_into(!((1u64 << 31) | (1 << 32)), 64, Xlat::Abbrev, &mut s);
        assert_eq!(s, "~[RTMIN RT_1]");
        s.clear();
        sigset_into(u64::MAX, 64, Xlat::Abbrev, &mut s);
        assert_eq!(s, "~[]");
        assert_eq!(signal_name(34).as_deref(), Some("SIGRT_2"));
        assert_eq!(signal_name(64).as_deref(), Some("SIGRT_32"));
        assert_eq!(signal_name(65), None);
    }

    #[test]
    fn unknown_values_get_a_prefix_comment() {
        let e = ev("madvise");
        let mut s = String::new();
        value_into(
            &e,
            &Value::Enum(symbols::enum_set("madv").unwrap(), 12345),
            &mut s,
        );
        assert_eq!(s, "0x3039 /* MADV_??? */");
        s.clear();
        value_into(
            &e,
            &Value::Flags(symbols::flag_set("prot").unwrap(), 1 << 28),
            &mut s,
        );
        assert_eq!(s, "0x10000000 /* PROT_??? */");
        s.clear();
        value_into(&e, &Value::Mode(0o644), &mut s);
        assert_eq!(s, "0644");
        s.clear();
        value_into(&e, &Value::Mode(0), &mut s);
        assert_eq!(s, "000");
        s.clear();
        value_into(&e, &Value::Octal(0o22), &mut s);
        assert_eq!(s, "022");
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
