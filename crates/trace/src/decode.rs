//! Raw registers + tracee memory → [`Value`]s, driven by the knowledge base's argument types.
//!
//! Input arguments are decoded at syscall entry (the tracee may change or unmap them before
//! the call returns); output arguments at exit, and only when the call succeeded.

use sysgate_event::{Bytes, SyscallEvent, Value};
use sysgate_kb::{Arch, ArgType, RetType};

use crate::mem::Mem;

/// Longest path read (PATH_MAX).
const PATH_MAX: usize = 4096;
/// Most argv elements shown.
const ARGV_MAX: usize = 64;
/// Most environment entries counted.
const ENV_MAX: usize = 4096;
/// `O_CREAT`
const O_CREAT: u64 = 0o100;
/// `O_TMPFILE` without `O_DIRECTORY`
const O_TMPFILE: u64 = 0o20000000;

/// What to decode and how much.
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// Bytes shown of strings and buffers (`-s`).
    pub string_limit: usize,
    /// Show what fds refer to (`-y`).
    pub fd_paths: bool,
    /// Show environments in full (`-v`).
    pub verbose: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            string_limit: 32,
            fd_paths: false,
            verbose: false,
        }
    }
}

fn push_bytes(ev: &mut SyscallEvent, data: &[u8]) -> Bytes {
    let start = ev.bytes.len() as u32;
    ev.bytes.extend_from_slice(data);
    Bytes {
        start,
        len: data.len() as u32,
    }
}

fn cstr(ev: &mut SyscallEvent, mem: &mut Mem, addr: u64, max: usize) -> Value {
    let start = ev.bytes.len();
    match mem.read_cstr(addr, max, &mut ev.bytes) {
        None => {
            ev.bytes.truncate(start);
            if addr == 0 {
                Value::Addr(0)
            } else {
                Value::Unreadable(addr)
            }
        }
        Some(truncated) => Value::Str {
            bytes: Bytes {
                start: start as u32,
                len: (ev.bytes.len() - start) as u32,
            },
            truncated,
        },
    }
}

fn buffer(ev: &mut SyscallEvent, mem: &mut Mem, addr: u64, len: u64, limit: usize) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let want = (len as usize).min(limit);
    let start = ev.bytes.len();
    ev.bytes.resize(start + want, 0);
    let got = mem.read(addr, &mut ev.bytes[start..]);
    if got < want {
        ev.bytes.truncate(start);
        return Value::Unreadable(addr);
    }
    Value::Str {
        bytes: Bytes {
            start: start as u32,
            len: want as u32,
        },
        truncated: len as usize > want,
    }
}

fn fd_value(ev: &mut SyscallEvent, fd: i32, opts: &DecodeOptions) -> Value {
    if opts.fd_paths
        && fd >= 0
        && let Some(p) = fd_path(ev.pid, fd)
    {
        let path = push_bytes(ev, p.as_bytes());
        return Value::FdPath { fd, path };
    }
    Value::Fd(fd)
}

/// What `/proc/PID/fd/FD` points to: a path, `socket:[123]`, `pipe:[456]`.
pub fn fd_path(pid: u32, fd: i32) -> Option<String> {
    let link = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).ok()?;
    Some(link.to_string_lossy().into_owned())
}

fn int_arg(arch: Arch, raw: u64) -> i64 {
    let _ = arch;
    i64::from(raw as u32 as i32)
}

/// Decodes argument `i` (an input argument at entry, or an output one at exit).
fn decode_one(
    ev: &mut SyscallEvent,
    mem: &mut Mem,
    ty: ArgType,
    i: usize,
    opts: &DecodeOptions,
) -> Value {
    let raw = ev.args[i];
    let arch = ev.arch;
    let word = arch.word_size();
    let raw = if word == 4 { raw & 0xffff_ffff } else { raw };
    match ty {
        ArgType::Fd => fd_value(ev, raw as u32 as i32, opts),
        ArgType::DirFd => {
            let fd = raw as u32 as i32;
            if fd == -100 {
                Value::DirFd(fd)
            } else {
                match fd_value(ev, fd, opts) {
                    Value::Fd(fd) => Value::DirFd(fd),
                    other => other,
                }
            }
        }
        ArgType::Path => cstr(ev, mem, raw, PATH_MAX),
        ArgType::Str => cstr(ev, mem, raw, opts.string_limit),
        ArgType::InBuf { len } => {
            let n = ev.args[len as usize];
            buffer(ev, mem, raw, n, opts.string_limit)
        }
        ArgType::OutBuf { .. } => {
            if ev.is_error || ev.ret < 0 {
                Value::Addr(raw)
            } else {
                buffer(ev, mem, raw, ev.ret as u64, opts.string_limit)
            }
        }
        ArgType::Size | ArgType::UInt => Value::UInt(raw),
        ArgType::Int | ArgType::Pid => Value::Int(int_arg(arch, raw)),
        ArgType::Uid | ArgType::Gid => {
            let v = raw as u32;
            Value::Int(if v == u32::MAX { -1 } else { i64::from(v) })
        }
        ArgType::Off => Value::Int(raw as i64),
        ArgType::Hex => Value::Hex(raw),
        ArgType::Addr | ArgType::Ptr => Value::Addr(raw),
        ArgType::Flags(set) => Value::Flags(set, raw),
        ArgType::Enum(set) => Value::Enum(set, raw as u32 as u64),
        ArgType::Mode => Value::Mode(raw as u32),
        ArgType::Signal => Value::Signal(raw as u32 as i32),
        ArgType::ClockId => Value::ClockId(raw as u32 as i32),
        ArgType::Ioctl => Value::Ioctl(raw),
        ArgType::Struct(name) | ArgType::OutStruct(name) => Value::Struct { name, addr: raw },
        ArgType::SockAddr { .. }
        | ArgType::OutSockAddr { .. }
        | ArgType::IoVec { .. }
        | ArgType::OutIoVec { .. }
        | ArgType::SigSet { .. }
        | ArgType::OutSigSet { .. } => Value::Addr(raw),
        ArgType::FdPair => {
            if ev.is_error || raw == 0 {
                return Value::Addr(raw);
            }
            let mut b = [0u8; 8];
            if mem.read(raw, &mut b) == 8 {
                let a = i32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
                let c = i32::from_ne_bytes([b[4], b[5], b[6], b[7]]);
                Value::FdPair(a, c)
            } else {
                Value::Unreadable(raw)
            }
        }
        ArgType::Argv => {
            let is_env = i == 2;
            if is_env && !opts.verbose {
                let mut count = 0u32;
                let mut a = raw;
                while (count as usize) < ENV_MAX {
                    match mem.read_word(a, word) {
                        Some(0) | None => break,
                        Some(_) => {
                            count += 1;
                            a += word as u64;
                        }
                    }
                }
                return Value::EnvCount { addr: raw, count };
            }
            if raw == 0 {
                return Value::Addr(0);
            }
            let mut items = Vec::new();
            let mut a = raw;
            let mut more = false;
            loop {
                let Some(p) = mem.read_word(a, word) else {
                    if items.is_empty() {
                        return Value::Unreadable(raw);
                    }
                    more = true;
                    break;
                };
                if p == 0 {
                    break;
                }
                if items.len() == ARGV_MAX {
                    more = true;
                    break;
                }
                let start = ev.bytes.len();
                let _ = mem.read_cstr(p, opts.string_limit, &mut ev.bytes);
                items.push(Bytes {
                    start: start as u32,
                    len: (ev.bytes.len() - start) as u32,
                });
                a += word as u64;
            }
            Value::StrArray { items, more }
        }
    }
}

/// Fills `ev.decoded` with the entry-time arguments; output arguments become
/// [`Value::Pending`]. `ev.args`, `ev.arch`, `ev.pid` and `ev.syscall` must be set.
pub fn decode_entry(ev: &mut SyscallEvent, mem: &mut Mem, opts: &DecodeOptions) {
    ev.decoded.clear();
    ev.bytes.clear();
    ev.ret_path = None;
    let Some(sc) = ev.syscall else {
        for i in 0..6 {
            ev.decoded.push(Value::Hex(ev.args[i]));
        }
        return;
    };
    for (i, arg) in sc.args.iter().enumerate() {
        let v = if arg.ty.is_output() {
            Value::Pending
        } else {
            decode_one(ev, mem, arg.ty, i, opts)
        };
        ev.decoded.push(v);
    }
    // open/openat show their mode only when it is used.
    if matches!(sc.name, "open" | "openat") {
        let flags_idx = if sc.name == "open" { 1 } else { 2 };
        let flags = ev.args[flags_idx];
        if flags & (O_CREAT | O_TMPFILE) == 0
            && let Some(v) = ev.decoded.get_mut(flags_idx + 1)
        {
            *v = Value::Omitted;
        }
    }
}

/// Decodes the output arguments once the call returned (`ev.ret`, `ev.is_error` set).
pub fn decode_exit(ev: &mut SyscallEvent, mem: &mut Mem, opts: &DecodeOptions) {
    let Some(sc) = ev.syscall else {
        return;
    };
    for (i, arg) in sc.args.iter().enumerate() {
        if arg.ty.is_output() && i < ev.decoded.len() {
            ev.decoded[i] = decode_one(ev, mem, arg.ty, i, opts);
        }
    }
    if opts.fd_paths
        && sc.ret == RetType::Fd
        && !ev.is_error
        && ev.ret >= 0
        && let Some(p) = fd_path(ev.pid, ev.ret as i32)
    {
        ev.ret_path = Some(push_bytes(ev, p.as_bytes()));
    }
}
