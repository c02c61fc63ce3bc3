//! How one decoded value reads in strace's notation: string escapes, flags and enums with
//! strace's `PREFIX_???` comments for unknown bits, modes, signal sets, wait statuses, siginfo,
//! and the structures, arrays and annotations built from them. Everything here appends to a
//! `String` and knows nothing about lines, threads or timestamps, so the JSON renderer and the
//! other crates can format a single value without a printer.

use std::fmt::Write as _;

use sysgate_kb::symbols::{self, enum_set};

use crate::{Field, HexStrings, Show, SigInfo, SyscallEvent, Value, Xlat};

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

/// Appends `bytes` as a string literal body in `style`: strace's rules for `-x`/`-xx`.
pub fn quote_into(bytes: &[u8], style: HexStrings, out: &mut String) {
    let whole = match style {
        HexStrings::All => true,
        HexStrings::NonAscii => bytes
            .iter()
            .any(|&c| c > 0x7e || (c < b' ' && !(9..=13).contains(&c))),
        _ => false,
    };
    if whole {
        for b in bytes {
            let _ = write!(out, "\\x{b:02x}");
        }
    } else if style == HexStrings::NonAsciiChars {
        for &b in bytes {
            match b {
                b'"' | b'\\' | b'\n' | b'\t' | b'\r' | 0x0b | 0x0c | 0x20..=0x7e => {
                    escape_into(&[b], out)
                }
                _ => {
                    let _ = write!(out, "\\x{b:02x}");
                }
            }
        }
    } else {
        escape_into(bytes, out);
    }
}

/// Appends what an fd refers to: a path, escaped, or a socket endpoint (`TCP:[…]`,
/// `UNIX-STREAM:[…,"/path"]`) as is, as strace prints them.
pub(super) fn fd_target_into(b: &[u8], out: &mut String) {
    // A device's numbers after its path (`/dev/null<char 1:3>`) print as they are.
    if b.last() == Some(&b'>')
        && let Some(at) = b.windows(6).rposition(|w| w == b"<char " || w == b"<bloc")
    {
        escape_into(&b[..at], out);
        out.push_str(&String::from_utf8_lossy(&b[at..]));
        return;
    }
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

/// A command name inside `<…>` as strace prints it: escaped like a string, with `<` and `>`
/// in octal too (`foo\74bar\76`).
pub fn comm_into(b: &[u8], out: &mut String) {
    for (i, &c) in b.iter().enumerate() {
        if c == b'<' || c == b'>' {
            let next_is_digit = b.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
            if next_is_digit {
                let _ = write!(out, "\\{c:03o}");
            } else {
                let _ = write!(out, "\\{c:o}");
            }
        } else {
            escape_into(&b[i..=i], out);
        }
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
        // Zero without a name for it is just `0`.
        Xlat::Verbose if bits == 0 && known == "0" => out.push('0'),
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
            match (*fd, ev.xlat) {
                (-100, Xlat::Abbrev) => out.push_str("AT_FDCWD<"),
                (-100, Xlat::Verbose) => out.push_str("-100 /* AT_FDCWD */<"),
                (fd, _) => {
                    let _ = write!(out, "{fd}<");
                }
            }
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
            quote_into(ev.slice(*bytes), ev.hex, out);
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
        Value::PidComm { pid, comm } => {
            let _ = write!(out, "{pid}<");
            comm_into(ev.slice(*comm), out);
            out.push('>');
        }
        Value::Text(b) => out.push_str(&String::from_utf8_lossy(ev.slice(*b))),
        Value::Omitted | Value::Pending => {}
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::test_event as ev;

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
}
