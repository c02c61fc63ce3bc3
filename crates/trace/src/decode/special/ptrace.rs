//! `ptrace(2)` as strace prints it: the request by name (the full 64-bit value when unknown),
//! only the arguments the request uses, and `addr`/`data` decoded per request: signals to
//! deliver, option flags, signal masks and `siginfo_t`s, register sets (`PTRACE_GETREGSET`,
//! `PTRACE_GETREGS`, `PTRACE_GETFPREGS`) field by field, the word a `PTRACE_PEEK*` read,
//! `PTRACE_PEEKSIGINFO`'s arguments and result, `PTRACE_SECCOMP_GET_METADATA` and the
//! `struct ptrace_syscall_info` of `PTRACE_GET_SYSCALL_INFO`.

use sysgate_event::{Field, SyscallEvent, Value, Xlat};
use sysgate_kb::Arch;

use super::{Handler, boxed, defer, omit_from, set};
use crate::decode::{DecodeOptions, Memory, Rd, consts, failed, fd_value, read_exact, structs};

const TRACEME: u64 = 0;
const PEEKTEXT: u64 = 1;
const PEEKDATA: u64 = 2;
const PEEKUSER: u64 = 3;
const CONT: u64 = 7;
const KILL: u64 = 8;
const SINGLESTEP: u64 = 9;
const GETREGS: u64 = 0xc;
const SETREGS: u64 = 0xd;
const GETFPREGS: u64 = 0xe;
const SETFPREGS: u64 = 0xf;
const ATTACH: u64 = 0x10;
const DETACH: u64 = 0x11;
const OLDSETOPTIONS: u64 = 0x15;
const SYSCALL: u64 = 0x18;
const SYSEMU: u64 = 0x1f;
const SYSEMU_SINGLESTEP: u64 = 0x20;
const SINGLEBLOCK: u64 = 0x21;
const SETOPTIONS: u64 = 0x4200;
const GETEVENTMSG: u64 = 0x4201;
const GETSIGINFO: u64 = 0x4202;
const SETSIGINFO: u64 = 0x4203;
const GETREGSET: u64 = 0x4204;
const SETREGSET: u64 = 0x4205;
const SEIZE: u64 = 0x4206;
const INTERRUPT: u64 = 0x4207;
const LISTEN: u64 = 0x4208;
const PEEKSIGINFO: u64 = 0x4209;
const GETSIGMASK: u64 = 0x420a;
const SETSIGMASK: u64 = 0x420b;
const SECCOMP_GET_FILTER: u64 = 0x420c;
const SECCOMP_GET_METADATA: u64 = 0x420d;
const GET_SYSCALL_INFO: u64 = 0x420e;

/// `NT_PRSTATUS`: the general registers.
const NT_PRSTATUS: u64 = 1;
/// `NT_FPREGSET`: the floating-point registers.
const NT_FPREGSET: u64 = 2;

/// Size of `siginfo_t`.
const SIGINFO_SIZE: usize = 128;

/// `ptrace(request, pid, addr, data)`.
pub(super) const PTRACE: Handler = Handler::both(ptrace_entry, ptrace_exit);

fn ptrace_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let [request, pid, addr, data, ..] = ev.args;
    set(ev, 0, Value::Enum(&consts::PTRACE_REQUESTS, request));
    if request == TRACEME {
        omit_from(ev, 1);
        return;
    }
    set(ev, 1, Value::Int(i64::from(pid as u32 as i32)));
    if matches!(request, ATTACH | INTERRUPT | KILL | LISTEN) {
        omit_from(ev, 2);
        return;
    }
    // addr
    let x86 = ev.arch == Arch::X86_64;
    match request {
        GETREGSET | SETREGSET => set(ev, 2, Value::Enum(&consts::NT_TYPES, addr as u32 as u64)),
        GETSIGMASK | SETSIGMASK | SECCOMP_GET_FILTER | SECCOMP_GET_METADATA | GET_SYSCALL_INFO => {
            set(ev, 2, Value::UInt(addr))
        }
        PEEKSIGINFO => {
            let v = match read_exact(mem, addr, 16) {
                Some(b) => {
                    let r = Rd(&b);
                    Value::Record(vec![
                        Field::new("off", Value::UInt(r.u64(0).unwrap_or(0))),
                        Field::new(
                            "flags",
                            Value::Flags(
                                &consts::PEEKSIGINFO_FLAGS,
                                u64::from(r.u32(8).unwrap_or(0)),
                            ),
                        ),
                        Field::new("nr", Value::UInt(u64::from(r.u32(12).unwrap_or(0)))),
                    ])
                }
                None => Value::Addr(addr),
            };
            set(ev, 2, v);
        }
        // The registers are at data; addr is not printed.
        SETREGS | SETFPREGS if x86 => {
            let v = if request == SETREGS {
                prstatus(ev, mem, data, PRSTATUS_SIZE as u64, opts)
            } else {
                fpregset(ev, mem, data, FPREGSET_SIZE as u64, opts)
            };
            set(ev, 2, v);
            set(ev, 3, Value::Omitted);
            return;
        }
        GETREGS | GETFPREGS if x86 => {
            defer(ev, 2);
            set(ev, 3, Value::Omitted);
            return;
        }
        _ => set(ev, 2, Value::Addr(addr)),
    }
    // data
    let v = match request {
        CONT | DETACH | SYSCALL | SINGLESTEP | SINGLEBLOCK | SYSEMU | SYSEMU_SINGLESTEP => {
            Value::Signal(data as u32 as i32)
        }
        SEIZE | SETOPTIONS | OLDSETOPTIONS => Value::Flags(&consts::PTRACE_OPTIONS, data),
        SETSIGINFO => siginfo_at(ev, mem, data, opts),
        SETSIGMASK => structs::sigset_at(mem, data, addr, 8),
        // The registers a SETREGSET passes are read at exit (the kernel does not change
        // them), so that the whole argument prints with the length the kernel left.
        GETREGSET | SETREGSET => match read_iovec(mem, data) {
            Some((_, len)) => {
                ev.saved[3] = Some(len);
                Value::Pending
            }
            None => Value::Addr(data),
        },
        PEEKDATA | PEEKTEXT | PEEKUSER | GETEVENTMSG | GETSIGINFO | GETSIGMASK | PEEKSIGINFO
        | SECCOMP_GET_FILTER | SECCOMP_GET_METADATA | GET_SYSCALL_INFO => Value::Pending,
        _ => Value::Addr(data),
    };
    if v == Value::Pending {
        defer(ev, 3);
    } else {
        set(ev, 3, v);
    }
}

fn ptrace_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let [request, _, addr, data, ..] = ev.args;
    let ok = !failed(ev);
    let x86 = ev.arch == Arch::X86_64;
    match request {
        GETREGS | GETFPREGS if x86 => {
            let v = if !ok {
                Value::Addr(data)
            } else if request == GETREGS {
                prstatus(ev, mem, data, PRSTATUS_SIZE as u64, opts)
            } else {
                fpregset(ev, mem, data, FPREGSET_SIZE as u64, opts)
            };
            set(ev, 2, v);
        }
        PEEKDATA | PEEKTEXT | PEEKUSER if ev.decoded.get(3) == Some(&Value::Pending) => {
            let v = match (ok, read_exact(mem, data, 8)) {
                (true, Some(b)) => boxed(Value::Hex(Rd(&b).u64(0).unwrap_or(0))),
                _ => Value::Addr(data),
            };
            set(ev, 3, v);
        }
        GETEVENTMSG => {
            let v = match (ok, read_exact(mem, data, 8)) {
                (true, Some(b)) => boxed(Value::UInt(Rd(&b).u64(0).unwrap_or(0))),
                _ => Value::Addr(data),
            };
            set(ev, 3, v);
        }
        GETSIGINFO => {
            let v = if ok {
                siginfo_at(ev, mem, data, opts)
            } else {
                Value::Addr(data)
            };
            set(ev, 3, v);
        }
        GETSIGMASK => {
            let v = if ok {
                structs::sigset_at(mem, data, addr, 8)
            } else {
                Value::Addr(data)
            };
            set(ev, 3, v);
        }
        PEEKSIGINFO => {
            let v = if ok {
                siginfo_array(ev, mem, data, ev.ret as u64, opts)
            } else {
                Value::Addr(data)
            };
            set(ev, 3, v);
        }
        SECCOMP_GET_FILTER => set(ev, 3, Value::Addr(data)),
        SECCOMP_GET_METADATA => {
            let v = seccomp_metadata(ev, mem, data, addr, ok);
            set(ev, 3, v);
        }
        GET_SYSCALL_INFO => {
            let v = syscall_info(ev, mem, data, addr, opts);
            set(ev, 3, v);
        }
        GETREGSET | SETREGSET => {
            let v = match read_iovec(mem, data) {
                Some((base, len)) => {
                    let before = ev.saved[3].unwrap_or(len);
                    let regs = if request == SETREGSET {
                        regset(ev, mem, addr, base, before, opts)
                    } else if ok {
                        regset(ev, mem, addr, base, len, opts)
                    } else {
                        Value::Addr(base)
                    };
                    Value::Record(vec![
                        Field::new("iov_base", regs),
                        Field::new("iov_len", changed(before, len)),
                    ])
                }
                None => Value::Addr(data),
            };
            set(ev, 3, v);
        }
        _ => {}
    }
}

/// `n`, or `before => after` when the kernel changed it.
fn changed(before: u64, after: u64) -> Value {
    if before == after {
        Value::UInt(after)
    } else {
        Value::Changed {
            before: Box::new(Value::UInt(before)),
            after: Box::new(Value::UInt(after)),
        }
    }
}

/// A `struct iovec` at `addr`: (base, len).
fn read_iovec(mem: &mut dyn Memory, addr: u64) -> Option<(u64, u64)> {
    let b = read_exact(mem, addr, 16)?;
    let r = Rd(&b);
    Some((r.u64(0)?, r.u64(8)?))
}

/// The register set `nt` of `len` bytes at `base`.
fn regset(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    nt: u64,
    base: u64,
    len: u64,
    opts: &DecodeOptions,
) -> Value {
    match (ev.arch, nt as u32 as u64) {
        (Arch::X86_64, NT_PRSTATUS) => prstatus(ev, mem, base, len, opts),
        (Arch::X86_64, NT_FPREGSET) => fpregset(ev, mem, base, len, opts),
        _ => Value::Addr(base),
    }
}

/// x86_64 `struct user_regs_struct`, in order.
const PRSTATUS_REGS: [&str; 27] = [
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
    "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs",
    "gs",
];
const PRSTATUS_SIZE: usize = 27 * 8;
const FPREGSET_SIZE: usize = 512;

/// The fields a structure of `size` bytes shows when `len` bytes were given: a `...` marker
/// (a hidden field) when there were more.
fn more_marker(fields: &mut Vec<Field>, len: u64, size: usize) {
    if len > size as u64 {
        fields.push(Field::shown_if("more", Value::Omitted, false));
    }
}

/// x86_64 general registers: as many as `len` bytes hold, `...` when `len` is larger.
fn prstatus(
    _: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    len: u64,
    _: &DecodeOptions,
) -> Value {
    if len == 0 || len & 7 != 0 {
        return Value::Addr(addr);
    }
    let fetch = (len as usize).min(PRSTATUS_SIZE);
    let Some(b) = read_exact(mem, addr, fetch) else {
        return Value::Addr(addr);
    };
    let r = Rd(&b);
    let mut fields: Vec<Field> = PRSTATUS_REGS
        .iter()
        .enumerate()
        .take(fetch / 8)
        .map(|(i, name)| Field::new(name, Value::Hex(r.u64(i * 8).unwrap_or(0))))
        .collect();
    more_marker(&mut fields, len, PRSTATUS_SIZE);
    Value::Record(fields)
}

/// x86_64 `struct user_fpregs_struct`: the fields `len` bytes reach.
fn fpregset(
    _: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    len: u64,
    opts: &DecodeOptions,
) -> Value {
    if len == 0 || len & 7 != 0 {
        return Value::Addr(addr);
    }
    let fetch = (len as usize).min(FPREGSET_SIZE);
    let Some(b) = read_exact(mem, addr, fetch) else {
        return Value::Addr(addr);
    };
    let r = Rd(&b);
    let mut fields = Vec::new();
    let scalars: [(&str, usize, usize); 8] = [
        ("cwd", 0, 2),
        ("swd", 2, 2),
        ("ftw", 4, 2),
        ("fop", 6, 2),
        ("rip", 8, 8),
        ("rdp", 16, 8),
        ("mxcsr", 24, 4),
        ("mxcr_mask", 28, 4),
    ];
    for (name, off, size) in scalars {
        if off >= fetch {
            break;
        }
        let v = match size {
            2 => u64::from(r.u16(off).unwrap_or(0)),
            4 => u64::from(r.u32(off).unwrap_or(0)),
            _ => r.u64(off).unwrap_or(0),
        };
        fields.push(Field::new(name, Value::Hex(v)));
    }
    for (name, off, count) in [
        ("st_space", 32, 32),
        ("xmm_space", 160, 64),
        ("padding", 416, 24),
    ] {
        if off >= fetch {
            break;
        }
        let n = ((fetch - off) / 4).min(count);
        let shown = if opts.verbose {
            n
        } else {
            n.min(opts.string_limit)
        };
        let items = (0..shown)
            .map(|i| Value::Hex(u64::from(r.u32(off + i * 4).unwrap_or(0))))
            .collect();
        fields.push(Field::new(
            name,
            Value::Array {
                items,
                more: shown < n,
            },
        ));
    }
    more_marker(&mut fields, len, FPREGSET_SIZE);
    Value::Record(fields)
}

/// A number printed as `raw` with its symbolic `name` honouring `-X`, as text.
fn xlat_text(ev: &mut SyscallEvent, raw: &str, name: Option<&str>) -> Value {
    let s = match (ev.xlat, name) {
        (Xlat::Abbrev, Some(n)) => n.to_string(),
        (Xlat::Verbose, Some(n)) => format!("{raw} /* {n} */"),
        _ => raw.to_string(),
    };
    Value::Text(ev.push_bytes(s.as_bytes()))
}

/// strace's name of a syscall number of the ABI `audit_arch`: `__NR_read`.
fn syscall_name(ev: &mut SyscallEvent, nr: u64, audit_arch: u32) -> Value {
    let name = Arch::from_audit_arch(audit_arch)
        .and_then(|a| sysgate_kb::lookup(a, nr))
        .map(|s| format!("__NR_{}", s.name));
    xlat_text(ev, &nr.to_string(), name.as_deref())
}

/// An errno value: its name (negated for a return value) honouring `-X`, else the number.
fn errno_value(ev: &mut SyscallEvent, err: i64, negated: bool) -> Value {
    let num = if negated { -err } else { err };
    let name = u32::try_from(num)
        .ok()
        .and_then(sysgate_kb::symbols::errno)
        .map(|e| format!("{}{}", if negated { "-" } else { "" }, e.name));
    let raw = if negated {
        err.to_string()
    } else {
        (err as u64).to_string()
    };
    xlat_text(ev, &raw, name.as_deref())
}

/// The generic `si_code` names, then the names per signal.
fn si_code_name(signo: i32, code: i32) -> Option<&'static str> {
    let generic = match code {
        0 => Some("SI_USER"),
        0x80 => Some("SI_KERNEL"),
        -1 => Some("SI_QUEUE"),
        -2 => Some("SI_TIMER"),
        -3 => Some("SI_MESGQ"),
        -4 => Some("SI_ASYNCIO"),
        -5 => Some("SI_SIGIO"),
        -6 => Some("SI_TKILL"),
        -7 => Some("SI_DETHREAD"),
        -60 => Some("SI_ASYNCNL"),
        0x7fff => Some("SI_NOINFO"),
        _ => None,
    };
    if generic.is_some() || code <= 0 {
        return generic;
    }
    let table: &[&str] = match signo {
        5 => &[
            "TRAP_BRKPT",
            "TRAP_TRACE",
            "TRAP_BRANCH",
            "TRAP_HWBKPT",
            "TRAP_UNK",
            "TRAP_PERF",
        ],
        17 => &[
            "CLD_EXITED",
            "CLD_KILLED",
            "CLD_DUMPED",
            "CLD_TRAPPED",
            "CLD_STOPPED",
            "CLD_CONTINUED",
        ],
        29 => &[
            "POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP",
        ],
        4 => &[
            "ILL_ILLOPC",
            "ILL_ILLOPN",
            "ILL_ILLADR",
            "ILL_ILLTRP",
            "ILL_PRVOPC",
            "ILL_PRVREG",
            "ILL_COPROC",
            "ILL_BADSTK",
        ],
        8 => &[
            "FPE_INTDIV",
            "FPE_INTOVF",
            "FPE_FLTDIV",
            "FPE_FLTOVF",
            "FPE_FLTUND",
            "FPE_FLTRES",
            "FPE_FLTINV",
            "FPE_FLTSUB",
            "",
            "",
            "",
            "",
            "",
            "FPE_FLTUNK",
            "FPE_CONDTRAP",
        ],
        11 => &[
            "SEGV_MAPERR",
            "SEGV_ACCERR",
            "SEGV_BNDERR",
            "SEGV_PKUERR",
            "SEGV_ACCADI",
            "SEGV_ADIDERR",
            "SEGV_ADIPERR",
            "SEGV_MTEAERR",
            "SEGV_MTESERR",
        ],
        7 => &[
            "BUS_ADRALN",
            "BUS_ADRERR",
            "BUS_OBJERR",
            "BUS_MCEERR_AR",
            "BUS_MCEERR_AO",
        ],
        31 => &["SYS_SECCOMP", "SYS_USER_DISPATCH"],
        _ => &[],
    };
    table
        .get((code - 1) as usize)
        .copied()
        .filter(|n| !n.is_empty())
}

/// A `siginfo_t` at `addr`, or the address when it cannot be read.
fn siginfo_at(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    opts: &DecodeOptions,
) -> Value {
    match read_exact(mem, addr, SIGINFO_SIZE) {
        Some(b) => siginfo(ev, &b, opts),
        None => Value::Addr(addr),
    }
}

/// `len` `siginfo_t`s at `addr` (`PTRACE_PEEKSIGINFO`'s result).
fn siginfo_array(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    len: u64,
    opts: &DecodeOptions,
) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let shown = if opts.verbose {
        len
    } else {
        len.min(opts.string_limit as u64)
    }
    .min(crate::decode::ARRAY_MAX as u64) as usize;
    let mut items = Vec::new();
    for i in 0..shown {
        let at = addr.wrapping_add((i * SIGINFO_SIZE) as u64);
        match read_exact(mem, at, SIGINFO_SIZE) {
            Some(b) => items.push(siginfo(ev, &b, opts)),
            None if i == 0 => return Value::Addr(addr),
            None => {
                let more = format!("... /* {at:#x} */");
                items.push(Value::Text(ev.push_bytes(more.as_bytes())));
                return Value::Array { items, more: false };
            }
        }
    }
    Value::Array {
        items,
        more: (shown as u64) < len,
    }
}

/// A `siginfo_t` the way strace shows one: the fields that mean something for its signal and
/// code.
fn siginfo(ev: &mut SyscallEvent, b: &[u8], opts: &DecodeOptions) -> Value {
    let r = Rd(b);
    let signo = r.i32(0).unwrap_or(0);
    let errno = r.i32(4).unwrap_or(0);
    let code = r.i32(8).unwrap_or(0);
    let mut f = Vec::new();
    if signo == 0 {
        return Value::Record(f);
    }
    f.push(Field::new("si_signo", Value::Signal(signo)));
    let raw = format!("{:#x}", code as u32);
    let raw = if code == 0 { "0".to_string() } else { raw };
    let v = xlat_text(ev, &raw, si_code_name(signo, code));
    f.push(Field::new("si_code", v));
    if code == 0x7fff {
        return Value::Record(f);
    }
    if errno != 0 {
        let v = errno_value(ev, i64::from(errno as u32), false);
        f.push(Field::new("si_errno", v));
    }
    let i32_at = |o| Value::Int(i64::from(r.i32(o).unwrap_or(0)));
    let addr_at = |o| Value::Addr(r.u64(o).unwrap_or(0));
    let source = |f: &mut Vec<Field>| {
        f.push(Field::new("si_pid", i32_at(16)));
        f.push(Field::new(
            "si_uid",
            Value::UInt(u64::from(r.u32(20).unwrap_or(0))),
        ));
    };
    let sigval = |f: &mut Vec<Field>| {
        f.push(Field::new("si_int", i32_at(24)));
        f.push(Field::new("si_ptr", addr_at(24)));
    };
    let pid = r.i32(16).unwrap_or(0);
    let uid = r.u32(20).unwrap_or(0);
    let ptr = r.u64(24).unwrap_or(0);
    if code <= 0 {
        match code {
            -2 => {
                f.push(Field::new(
                    "si_timerid",
                    Value::Hex(u64::from(r.u32(16).unwrap_or(0))),
                ));
                f.push(Field::new("si_overrun", i32_at(20)));
                sigval(&mut f);
            }
            -5 => {
                f.push(Field::new("si_band", Value::Int(r.i64(16).unwrap_or(0))));
                let fd = fd_value(ev, r.i32(24).unwrap_or(0), opts);
                f.push(Field::new("si_fd", fd));
            }
            0 | -6 => source(&mut f),
            _ => {
                source(&mut f);
                if ptr != 0 {
                    sigval(&mut f);
                }
            }
        }
        return Value::Record(f);
    }
    match signo {
        17 => {
            source(&mut f);
            let status = r.i32(24).unwrap_or(0);
            let v = if code == 1 {
                Value::Int(i64::from(status))
            } else {
                Value::Signal(status)
            };
            f.push(Field::new("si_status", v));
            for (name, off) in [("si_utime", 32), ("si_stime", 40)] {
                let t = r.u64(off).unwrap_or(0);
                let v = if t > 0 && ev.xlat != Xlat::Raw {
                    let c = format!("{t} /* {}.{:02} s */", t / 100, t % 100);
                    Value::Text(ev.push_bytes(c.as_bytes()))
                } else {
                    Value::UInt(t)
                };
                f.push(Field::new(name, v));
            }
        }
        4 | 8 | 5 => f.push(Field::new("si_addr", addr_at(16))),
        7 => {
            f.push(Field::new("si_addr", addr_at(16)));
            if code == 4 || code == 5 {
                f.push(Field::new(
                    "si_addr_lsb",
                    Value::Hex(u64::from(r.u16(24).unwrap_or(0))),
                ));
            }
        }
        11 => {
            f.push(Field::new("si_addr", addr_at(16)));
            if code == 3 {
                f.push(Field::new("si_lower", addr_at(32)));
                f.push(Field::new("si_upper", addr_at(40)));
            } else if code == 4 {
                f.push(Field::new(
                    "si_pkey",
                    Value::UInt(u64::from(r.u32(32).unwrap_or(0))),
                ));
            }
        }
        29 => {
            if (1..=6).contains(&code) {
                f.push(Field::new("si_band", Value::Int(r.i64(16).unwrap_or(0))));
                let fd = fd_value(ev, r.i32(24).unwrap_or(0), opts);
                f.push(Field::new("si_fd", fd));
            }
        }
        31 => {
            f.push(Field::new("si_call_addr", addr_at(16)));
            let arch = r.u32(28).unwrap_or(0);
            let nr = u64::from(r.u32(24).unwrap_or(0));
            let v = syscall_name(ev, nr, arch);
            f.push(Field::new("si_syscall", v));
            f.push(Field::new(
                "si_arch",
                Value::Enum(&consts::AUDIT_ARCH, u64::from(arch)),
            ));
        }
        _ => {
            if pid != 0 || uid != 0 {
                source(&mut f);
            }
            if ptr != 0 {
                sigval(&mut f);
            }
        }
    }
    Value::Record(f)
}

/// `PTRACE_SECCOMP_GET_METADATA`'s `struct seccomp_metadata` of `size` bytes at `addr`.
fn seccomp_metadata(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    size: u64,
    ok: bool,
) -> Value {
    if size < 8 {
        return Value::Addr(addr);
    }
    let Some(b) = read_exact(mem, addr, 8) else {
        return Value::Addr(addr);
    };
    let mut f = vec![Field::new(
        "filter_off",
        Value::UInt(Rd(&b).u64(0).unwrap_or(0)),
    )];
    let ret = ev.ret as u64;
    if ok && ret > 8 {
        match read_exact(mem, addr.wrapping_add(8), 8) {
            Some(b) if ret >= 16 => {
                let flags = Rd(&b).u64(0).unwrap_or(0);
                f.push(Field::new(
                    "flags",
                    match sysgate_kb::symbols::flag_set("seccomp_filter") {
                        Some(set) => Value::Flags(set, flags),
                        None => Value::Hex(flags),
                    },
                ));
                more_marker(&mut f, ret, 16);
            }
            _ => {
                let v = Value::Text(ev.push_bytes(b"???"));
                f.push(Field::bare("flags", v));
            }
        }
    }
    Value::Record(f)
}

/// `struct ptrace_syscall_info` (`PTRACE_GET_SYSCALL_INFO`): the fields within both the
/// user's buffer (`user_len`) and what the kernel reported.
fn syscall_info(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    user_len: u64,
    _: &DecodeOptions,
) -> Value {
    const SECCOMP_SIZE: u64 = 84;
    const EXIT_SIZE: usize = 33;
    // A failed call reported no length.
    let kernel_len = if failed(ev) { 0 } else { ev.ret as u64 };
    let fetch = user_len.min(kernel_len).min(SECCOMP_SIZE) as usize;
    if fetch == 0 {
        return Value::Addr(addr);
    }
    let Some(b) = read_exact(mem, addr, fetch) else {
        return Value::Addr(addr);
    };
    let r = Rd(&b);
    let op = r.u8(0).unwrap_or(0);
    let mut f = vec![Field::new(
        "op",
        Value::Enum(&consts::SYSCALL_INFO_OP, u64::from(op)),
    )];
    if fetch < 8 {
        return Value::Record(f);
    }
    let arch = r.u32(4).unwrap_or(0);
    f.push(Field::new(
        "arch",
        Value::Enum(&consts::AUDIT_ARCH, u64::from(arch)),
    ));
    for (name, off) in [("instruction_pointer", 8), ("stack_pointer", 16)] {
        if fetch < off + 8 {
            return Value::Record(f);
        }
        f.push(Field::new(name, Value::Addr(r.u64(off).unwrap_or(0))));
    }
    if fetch < 32 {
        return Value::Record(f);
    }
    match op {
        1 | 3 => {
            let nr = r.u64(24).unwrap_or(0);
            let mut inner = vec![Field::new("nr", syscall_name(ev, nr, arch))];
            let nargs = ((fetch - 32) / 8).min(6);
            if nargs > 0 {
                let items = (0..nargs)
                    .map(|i| Value::Hex(r.u64(32 + i * 8).unwrap_or(0)))
                    .collect();
                inner.push(Field::new("args", Value::Array { items, more: false }));
            }
            if op == 3 && fetch >= SECCOMP_SIZE as usize {
                inner.push(Field::new(
                    "ret_data",
                    Value::UInt(u64::from(r.u32(80).unwrap_or(0))),
                ));
            }
            let name = if op == 1 { "entry" } else { "seccomp" };
            f.push(Field::new(name, Value::Record(inner)));
        }
        2 => {
            let rval = r.i64(24).unwrap_or(0);
            let is_error = if fetch >= EXIT_SIZE { r.u8(32) } else { None };
            let v = if is_error.is_some_and(|e| e != 0) {
                errno_value(ev, rval, true)
            } else {
                Value::Int(rval)
            };
            let mut inner = vec![Field::new("rval", v)];
            if let Some(e) = is_error {
                inner.push(Field::new("is_error", Value::UInt(u64::from(e))));
            }
            f.push(Field::new("exit", Value::Record(inner)));
        }
        _ => {}
    }
    Value::Record(f)
}
