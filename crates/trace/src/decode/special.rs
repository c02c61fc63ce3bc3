//! What strace does per syscall beyond the typed signature: arguments a command does not use
//! (fcntl, futex, prctl, membarrier), clone's named arguments in its own order, socket options
//! named by level, in/out values (`[128 => 16]`, `[2] => [7]`), output arguments of commands
//! that fill memory (F_GETLK, PR_GET_NAME, FIONREAD), and return-value annotations
//! (`= 0x8002 (flags O_RDWR)`, `= 0 (Timeout)`, `= 10 (SIGUSR1)`).
//!
//! [`entry`] runs after the generic entry decoding, [`exit`] after the generic exit decoding.

// One arm per syscall name, with that call's conditions inside it, reads better than guards.
#![allow(clippy::collapsible_match)]

use sysgate_event::{Field, SyscallEvent, Value};
use sysgate_kb::symbols::{enum_set, flag_set};

use super::consts;
use super::net;
use super::structs;
use super::{DecodeOptions, Memory, Rd, failed, layouts_known, read_exact, read_upto};

const F_DUPFD: u64 = 0;
const F_GETFD: u64 = 1;
const F_SETFD: u64 = 2;
const F_GETFL: u64 = 3;
const F_SETFL: u64 = 4;
const F_GETLK: u64 = 5;
const F_SETLK: u64 = 6;
const F_SETLKW: u64 = 7;
const F_OFD_GETLK: u64 = 36;
const F_OFD_SETLK: u64 = 37;
const F_OFD_SETLKW: u64 = 38;
const F_GETLEASE: u64 = 1025;
const F_DUPFD_CLOEXEC: u64 = 1030;
const F_ADD_SEALS: u64 = 1033;
const F_GET_SEALS: u64 = 1034;

const FIONREAD: u64 = 0x541b;
const FIONBIO: u64 = 0x5421;
const TIOCGWINSZ: u64 = 0x5413;
const TIOCSWINSZ: u64 = 0x5414;

fn name(ev: &SyscallEvent) -> &'static str {
    ev.syscall.map_or("", |s| s.name)
}

fn set(ev: &mut SyscallEvent, i: usize, v: Value) {
    if let Some(slot) = ev.decoded.get_mut(i) {
        *slot = v;
    }
}

fn omit_from(ev: &mut SyscallEvent, i: usize) {
    for slot in ev.decoded.iter_mut().skip(i) {
        *slot = Value::Omitted;
    }
}

/// Makes argument `i` print at exit (decoded there by [`exit`]).
fn defer(ev: &mut SyscallEvent, i: usize) {
    set(ev, i, Value::Pending);
    let i = i as u8;
    ev.exit_from = Some(ev.exit_from.map_or(i, |j| j.min(i)));
}

fn read_u32(mem: &mut dyn Memory, addr: u64) -> Option<u32> {
    read_exact(mem, addr, 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn read_i64(mem: &mut dyn Memory, addr: u64) -> Option<i64> {
    read_exact(mem, addr, 8).map(|b| i64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
}

fn boxed(v: Value) -> Value {
    Value::Array {
        items: vec![v],
        more: false,
    }
}

fn ret_hex_with(ev: &mut SyscallEvent, label: &'static str, v: Value) {
    ev.ret_value = Some(Value::Hex(ev.ret as u64));
    ev.ret_note.push((label, v));
}

/// `IPC_PRIVATE` or the key in hex.
fn ipc_key(key: u64) -> Value {
    let key = key as u32;
    if key == 0 {
        Value::Const {
            raw: 0,
            name: "IPC_PRIVATE",
        }
    } else {
        Value::Hex(u64::from(key))
    }
}

/// `IPC_CREAT|IPC_EXCL|0600`.
fn ipc_flags(ev: &mut SyscallEvent, flags: u64) -> Value {
    let perms = flags & 0o777;
    let rest = flags & !0o777;
    let mut s = String::new();
    if rest != 0 {
        consts::IPC_GET_FLAGS.format_into(rest, &mut s);
        s.push('|');
    }
    let p = if perms == 0 {
        "000".to_string()
    } else {
        format!("{:0>3}", format!("0{perms:o}"))
    };
    s.push_str(&p);
    Value::Text(ev.push_bytes(s.as_bytes()))
}

/// Per-syscall adjustments after the generic entry decoding.
pub fn entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    // Flag sets whose order or shape differs from the knowledge base's.
    for slot in ev.decoded.iter_mut() {
        if let Value::Flags(set, bits) = *slot {
            *slot = Value::Flags(consts::override_set(set), bits);
        }
    }
    if !layouts_known(ev.arch) {
        return;
    }
    let limit = opts.string_limit;
    match name(ev) {
        "pipe2" => set(ev, 1, Value::Flags(&consts::OPEN_NOACC, a[1])),
        "dup3" => set(ev, 2, Value::Flags(&consts::OPEN_NOACC, a[2])),
        "inotify_init1" | "signalfd4" | "eventfd2" | "timerfd_create" | "epoll_create1" => {}
        "statx" => set(ev, 2, Value::Flags(&consts::STATX_AT, a[2] & 0xffff_ffff)),
        "faccessat2" => set(
            ev,
            3,
            Value::Flags(&consts::FACCESSAT_FLAGS, a[3] & 0xffff_ffff),
        ),
        "socket" | "socketpair" => set(ev, 2, net::protocol_value(a[0], a[2])),
        "setsockopt" => {
            let level = a[1] as i32;
            let optname = a[2] as i32;
            if let Some(names) = net::sockopt_names(level) {
                set(ev, 2, Value::Enum(names, optname as u32 as u64));
            }
            if a[3] != 0 {
                let len = (a[4] as u32 as usize).min(256);
                let v = match read_exact(mem, a[3], len) {
                    Some(b) => {
                        let mut cx = super::event_cx(ev, opts);
                        net::sockopt_value(level, optname, &b, &mut cx)
                    }
                    None => Value::Addr(a[3]),
                };
                set(ev, 3, v);
            }
        }
        "getsockopt" => {
            let level = a[1] as i32;
            if let Some(names) = net::sockopt_names(level) {
                set(ev, 2, Value::Enum(names, a[2] as u32 as u64));
            }
            ev.saved[4] = read_u32(mem, a[4]).map(u64::from);
            defer(ev, 3);
            set(ev, 4, Value::Pending);
        }
        "accept" | "accept4" | "getsockname" | "getpeername" => {
            ev.saved[2] = read_u32(mem, a[2]).map(u64::from);
            set(ev, 2, Value::Pending);
        }
        "recvfrom" => {
            ev.saved[5] = read_u32(mem, a[5]).map(u64::from);
            set(ev, 5, Value::Pending);
        }
        "fcntl" | "fcntl64" => fcntl_entry(ev, mem),
        "futex" | "futex_time64" => futex_entry(ev, mem, opts),
        "prctl" => prctl_entry(ev, mem, opts),
        "clone" => clone_entry(ev),
        "clone3" => defer(ev, 0),
        "sendfile" | "sendfile64" => {
            ev.saved[2] = read_i64(mem, a[2]).map(|v| v as u64);
            defer(ev, 2);
        }
        "copy_file_range" | "splice" => {
            for i in [1, 3] {
                if a[i] != 0 {
                    let v = match read_i64(mem, a[i]) {
                        Some(n) => boxed(Value::Int(n)),
                        None => Value::Unreadable(a[i]),
                    };
                    set(ev, i, v);
                }
            }
        }
        "select" | "_newselect" | "pselect6" | "pselect6_time64" => {
            let n = (a[0] as u32 as usize).min(65536);
            for (i, &p) in a.iter().enumerate().take(4).skip(1) {
                let v = fd_set_at(mem, p, n);
                set(ev, i, v);
            }
            if name(ev).starts_with("pselect6") && a[5] != 0 {
                // { const sigset_t *ss; size_t ss_len; }
                let v = match read_exact(mem, a[5], 16) {
                    Some(b) => {
                        let r = Rd(&b);
                        let ss = r.u64(0).unwrap_or(0);
                        let len = r.u64(8).unwrap_or(0);
                        let set_v = structs::sigset_at(mem, ss, len, 8);
                        Value::Record(vec![
                            Field::bare("ss", set_v),
                            Field::bare("ss_len", Value::UInt(len)),
                        ])
                    }
                    None => Value::Unreadable(a[5]),
                };
                set(ev, 5, v);
            }
        }
        "getrandom" => {}
        "preadv" | "pwritev" | "preadv2" | "pwritev2" => {
            // 64-bit: pos_l holds the whole offset; pos_h is not printed.
            set(ev, 4, Value::Omitted);
        }
        "sched_setaffinity" => {
            let len = (a[1] as usize).min(1024);
            let v = match read_exact(mem, a[2], len) {
                Some(b) => structs::cpu_mask(&b),
                None if a[2] == 0 => Value::Addr(0),
                None => Value::Unreadable(a[2]),
            };
            set(ev, 2, v);
        }
        "mincore" => defer(ev, 2),
        "process_vm_readv" | "process_vm_writev" => {
            let v = structs::iovec_addrs(mem, a[3], a[4], limit);
            set(ev, 3, v);
        }
        "getgroups" | "getgroups32" => {
            if a[1] != 0 {
                defer(ev, 1);
            }
        }
        "setgroups" | "setgroups32" => {
            let v = gid_array(mem, a[1], a[0] as u32 as usize, limit);
            set(ev, 1, v);
        }
        "personality" => {
            if a[0] as u32 == 0xffff_ffff {
                set(ev, 0, Value::Hex(0xffff_ffff));
            }
        }
        "membarrier" => {
            // cpu_id is used only with MEMBARRIER_CMD_FLAG_CPU.
            if a[1] & 1 == 0 {
                set(ev, 2, Value::Omitted);
            }
        }
        "shmget" => {
            set(ev, 0, ipc_key(a[0]));
            let v = ipc_flags(ev, a[2]);
            set(ev, 2, v);
        }
        "semget" => {
            set(ev, 0, ipc_key(a[0]));
            let v = ipc_flags(ev, a[2]);
            set(ev, 2, v);
        }
        "msgget" => {
            set(ev, 0, ipc_key(a[0]));
            let v = ipc_flags(ev, a[1]);
            set(ev, 1, v);
        }
        "semctl" => set(ev, 2, Value::Enum(&consts::SEM_CMDS, a[2] & 0xff)),
        "shmctl" => set(ev, 1, Value::Enum(&consts::SHM_CMDS, a[1] & 0xff)),
        "msgctl" => set(ev, 1, Value::Enum(&consts::MSG_CMDS, a[1] & 0xff)),
        "mremap" => {
            // new_address is used only with MREMAP_FIXED.
            if a[3] & 2 == 0 {
                set(ev, 4, Value::Omitted);
            }
        }
        "rt_sigaction" => {
            if a[3] != 8 {
                set(ev, 1, Value::Addr(a[1]));
                set(ev, 2, Value::Addr(a[2]));
            }
        }
        "ioctl" => match a[1] & 0xffff_ffff {
            FIONREAD | TIOCGWINSZ => defer(ev, 2),
            FIONBIO => {
                let v = match read_exact(mem, a[2], 4) {
                    Some(b) => boxed(Value::Int(i64::from(Rd(&b).i32(0).unwrap_or(0)))),
                    None => Value::Addr(a[2]),
                };
                set(ev, 2, v);
            }
            TIOCSWINSZ => {
                let v = match read_exact(mem, a[2], 8) {
                    Some(b) => {
                        let mut cx = super::event_cx(ev, opts);
                        structs::winsize(&b, &mut cx).unwrap_or(Value::Addr(a[2]))
                    }
                    None => Value::Addr(a[2]),
                };
                set(ev, 2, v);
            }
            _ => {
                // strace prints an undecoded ioctl argument as an address.
                set(ev, 2, Value::Addr(a[2]));
            }
        },
        "io_uring_setup" => defer(ev, 1),
        "arch_prctl" => {
            if matches!(a[0], 0x1003 | 0x1004) {
                defer(ev, 1);
            }
        }
        "rt_sigreturn" => {
            // The mask the handler's return restores: uc_sigmask of the frame at sp.
            let off = match ev.arch {
                sysgate_kb::Arch::Aarch64 => 128 + 40,
                _ => 40 + 256,
            };
            let sp = ev.stack_pointer;
            if sp != 0
                && let Some(b) = read_exact(mem, sp.wrapping_add(off), 8)
            {
                let mask = structs::sigset(&b);
                ev.decoded
                    .push(Value::Record(vec![Field::new("mask", mask)]));
            }
        }
        _ => {}
    }
}

/// Per-syscall adjustments after the generic exit decoding.
pub fn exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    if !layouts_known(ev.arch) {
        return;
    }
    let a = ev.args;
    let ok = !failed(ev);
    let ret = ev.ret;
    let limit = opts.string_limit;
    match name(ev) {
        "getsockopt" => {
            let level = a[1] as i32;
            let optname = a[2] as i32;
            let after = read_u32(mem, a[4]);
            let v = if ok && a[3] != 0 {
                let len = after.unwrap_or(0).min(256) as usize;
                match read_exact(mem, a[3], len) {
                    Some(b) => {
                        let mut cx = super::event_cx(ev, opts);
                        net::sockopt_value(level, optname, &b, &mut cx)
                    }
                    None => Value::Addr(a[3]),
                }
            } else {
                Value::Addr(a[3])
            };
            set(ev, 3, v);
            let before = ev.saved[4];
            set(
                ev,
                4,
                len_inout(a[4], before, if ok { after } else { None }),
            );
        }
        "accept" | "accept4" | "getsockname" | "getpeername" => {
            let after = read_u32(mem, a[2]);
            let v = len_inout(a[2], ev.saved[2], if ok { after } else { None });
            set(ev, 2, v);
        }
        "recvfrom" => {
            let after = read_u32(mem, a[5]);
            let v = len_inout(a[5], ev.saved[5], if ok { after } else { None });
            set(ev, 5, v);
        }
        "fcntl" | "fcntl64" => fcntl_exit(ev, mem),
        "prctl" => prctl_exit(ev, mem, opts),
        "clone" => {
            if a[0] & 0x0010_0000 != 0 {
                let v = match (ok, read_u32(mem, a[2])) {
                    (true, Some(t)) => boxed(Value::Int(i64::from(t as i32))),
                    _ => Value::Addr(a[2]),
                };
                set(
                    ev,
                    2,
                    Value::Labeled {
                        name: "parent_tid",
                        arg: 2,
                        value: Box::new(v),
                    },
                );
            }
        }
        "clone3" => {
            let size = (a[1] as usize).min(128);
            let v = match read_exact(mem, a[0], size) {
                Some(b) => {
                    let mut cx = super::event_cx(ev, opts);
                    let v = structs::clone_args(&b, &mut cx).unwrap_or(Value::Addr(a[0]));
                    let flags = Rd(&b).u64(0).unwrap_or(0);
                    let ptid = Rd(&b).u64(24).unwrap_or(0);
                    if ok && flags & 0x0010_0000 != 0 && ptid != 0 {
                        match read_u32(mem, ptid) {
                            Some(t) => Value::Changed {
                                before: Box::new(v),
                                after: Box::new(Value::Record(vec![Field::new(
                                    "parent_tid",
                                    boxed(Value::Int(i64::from(t as i32))),
                                )])),
                            },
                            None => v,
                        }
                    } else {
                        v
                    }
                }
                None if a[0] == 0 => Value::Addr(0),
                None => Value::Unreadable(a[0]),
            };
            set(ev, 0, v);
        }
        "sendfile" | "sendfile64" => {
            let v = if a[2] == 0 {
                Value::Addr(0)
            } else {
                match ev.saved[2] {
                    Some(before) => {
                        let b = boxed(Value::Int(before as i64));
                        match (ok, read_i64(mem, a[2])) {
                            (true, Some(after)) => Value::Changed {
                                before: Box::new(b),
                                after: Box::new(boxed(Value::Int(after))),
                            },
                            _ => b,
                        }
                    }
                    None => Value::Unreadable(a[2]),
                }
            };
            set(ev, 2, v);
        }
        "poll" | "ppoll" | "ppoll_time64" => {
            if ok {
                if ret == 0 {
                    ev.ret_note.push(("", Value::Sym("Timeout")));
                } else {
                    let n = a[1] as u32 as usize;
                    let shown = n.min(limit.min(super::ARRAY_MAX));
                    let b = read_upto(mem, a[0], shown * 8);
                    let mut cx = super::event_cx(ev, opts);
                    let v = structs::pollfd_array(&b, n, true, &mut cx);
                    ev.ret_note.push(("", v));
                    if name(ev) != "poll"
                        && a[2] != 0
                        && let Some(b) = read_exact(mem, a[2], 16)
                    {
                        let mut cx = super::event_cx(ev, opts);
                        if let Some(t) = structs::timespec(&b, &mut cx) {
                            ev.ret_note.push(("left", t));
                        }
                    }
                }
            }
        }
        "select" | "_newselect" | "pselect6" | "pselect6_time64" => {
            if ok {
                if ret == 0 {
                    ev.ret_note.push(("", Value::Sym("Timeout")));
                } else {
                    let n = (a[0] as u32 as usize).min(65536);
                    for (i, label) in [(1, "in"), (2, "out"), (3, "except")] {
                        if a[i] == 0 {
                            continue;
                        }
                        if let Value::NumSet { items, more } = fd_set_at(mem, a[i], n)
                            && !items.is_empty()
                        {
                            ev.ret_note.push((label, Value::NumSet { items, more }));
                        }
                    }
                    if a[4] != 0 {
                        let pselect = name(ev).starts_with("pselect");
                        if let Some(b) = read_exact(mem, a[4], 16) {
                            let mut cx = super::event_cx(ev, opts);
                            let t = if pselect {
                                structs::timespec(&b, &mut cx)
                            } else {
                                structs::timeval(&b, &mut cx)
                            };
                            if let Some(t) = t {
                                ev.ret_note.push(("left", t));
                            }
                        }
                    }
                }
            }
        }
        "getrandom" => {
            if ok && a[0] != 0 {
                let n = (ret as usize).min(limit);
                let v = match read_exact(mem, a[0], n) {
                    Some(b) => Value::HexStr {
                        bytes: ev.push_bytes(&b),
                        truncated: ret as usize > n,
                    },
                    None => Value::Unreadable(a[0]),
                };
                set(ev, 0, v);
            }
        }
        "sched_getaffinity" => {
            if ok {
                let len = (ret as usize).min(1024);
                let v = match read_exact(mem, a[2], len) {
                    Some(b) => structs::cpu_mask(&b),
                    None => Value::Unreadable(a[2]),
                };
                set(ev, 2, v);
            }
        }
        "mincore" => {
            let v = if ok {
                let pages = (a[1].div_ceil(4096)) as usize;
                let shown = pages.min(limit.min(super::ARRAY_MAX));
                match read_exact(mem, a[2], shown) {
                    Some(b) => Value::Array {
                        items: b.iter().map(|&x| Value::UInt(u64::from(x & 1))).collect(),
                        more: pages > shown,
                    },
                    None => Value::Unreadable(a[2]),
                }
            } else {
                Value::Addr(a[2])
            };
            set(ev, 2, v);
        }
        "getgroups" | "getgroups32" => {
            if a[1] != 0 {
                let v = if ok {
                    gid_array(mem, a[1], ret as usize, limit)
                } else {
                    Value::Addr(a[1])
                };
                set(ev, 1, v);
            }
        }
        "umask" => ev.ret_value = Some(Value::Octal(ret as u64)),
        "getcwd" => {
            // The returned length counts the terminating NUL, which strace does not show.
            if ok && a[0] != 0 {
                let n = (ret as usize).saturating_sub(1);
                let v = super::buffer(ev, mem, a[0], n as u64, limit);
                set(ev, 0, v);
            }
        }
        "personality" => {
            if ok && let Some(set) = flag_set("personality") {
                ev.ret_note.push(("", Value::Flags(set, ret as u64)));
            }
        }
        "sched_getscheduler" => {
            if ok && let Some(set) = enum_set("sched_policy") {
                ev.ret_note.push(("", Value::Enum(set, ret as u64)));
            }
        }
        "rt_sigtimedwait" | "rt_sigtimedwait_time64" => {
            if ok {
                ev.ret_note.push(("", Value::Signal(ret as i32)));
            }
        }
        "membarrier" => {
            if ok && a[0] == 0 && ret > 0 {
                ret_hex_with(ev, "", Value::Flags(&consts::MEMBARRIER_MASK, ret as u64));
            }
        }
        "nanosleep" | "clock_nanosleep" | "clock_nanosleep_time64" => {
            let i = if name(ev) == "nanosleep" { 1 } else { 3 };
            let interrupted = ev
                .errno()
                .is_some_and(|e| e == 4 || (512..=516).contains(&e));
            let v = if interrupted && a[i] != 0 {
                match read_exact(mem, a[i], 16) {
                    Some(b) => {
                        let mut cx = super::event_cx(ev, opts);
                        structs::timespec(&b, &mut cx).unwrap_or(Value::Addr(a[i]))
                    }
                    None => Value::Addr(a[i]),
                }
            } else {
                Value::Addr(a[i])
            };
            set(ev, i, v);
        }
        "ioctl" => match a[1] & 0xffff_ffff {
            FIONREAD => {
                let v = match (ok, read_exact(mem, a[2], 4)) {
                    (true, Some(b)) => boxed(Value::Int(i64::from(Rd(&b).i32(0).unwrap_or(0)))),
                    _ => Value::Addr(a[2]),
                };
                set(ev, 2, v);
            }
            TIOCGWINSZ => {
                let v = match (ok, read_exact(mem, a[2], 8)) {
                    (true, Some(b)) => {
                        let mut cx = super::event_cx(ev, opts);
                        structs::winsize(&b, &mut cx).unwrap_or(Value::Addr(a[2]))
                    }
                    _ => Value::Addr(a[2]),
                };
                set(ev, 2, v);
            }
            _ => {}
        },
        "io_uring_setup" => {
            let v = match read_exact(mem, a[1], 120) {
                Some(b) => {
                    let mut cx = super::event_cx(ev, opts);
                    if ok {
                        structs::io_uring_params(&b, &mut cx).unwrap_or(Value::Addr(a[1]))
                    } else {
                        structs::io_uring_params_in(&b)
                            .map(Value::Record)
                            .unwrap_or(Value::Addr(a[1]))
                    }
                }
                None => Value::Addr(a[1]),
            };
            set(ev, 1, v);
        }
        "arch_prctl" => {
            if matches!(a[0], 0x1003 | 0x1004) {
                let v = match (ok, read_exact(mem, a[1], 8)) {
                    (true, Some(b)) => boxed(Value::Addr(Rd(&b).u64(0).unwrap_or(0))),
                    _ => Value::Addr(a[1]),
                };
                set(ev, 1, v);
            }
        }
        _ => {}
    }
}

/// A socklen_t in/out argument: `[16]`, `[128 => 16]`, or `NULL`.
fn len_inout(addr: u64, before: Option<u64>, after: Option<u32>) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    match (before, after) {
        (Some(b), Some(a)) if b != u64::from(a) => boxed(Value::Changed {
            before: Box::new(Value::UInt(b)),
            after: Box::new(Value::UInt(u64::from(a))),
        }),
        (_, Some(a)) => boxed(Value::UInt(u64::from(a))),
        (Some(b), None) => boxed(Value::UInt(b)),
        (None, None) => Value::Addr(addr),
    }
}

/// An `fd_set` of `n` descriptors at `addr`: `[3 4]`.
fn fd_set_at(mem: &mut dyn Memory, addr: u64, n: usize) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let bytes = n.div_ceil(64) * 8;
    match read_exact(mem, addr, bytes) {
        Some(b) => structs::bit_list(&b, n),
        None => Value::Unreadable(addr),
    }
}

/// A gid_t array of `n` entries.
fn gid_array(mem: &mut dyn Memory, addr: u64, n: usize, limit: usize) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let shown = n.min(limit.min(super::ARRAY_MAX));
    match read_exact(mem, addr, shown * 4) {
        Some(b) => Value::Array {
            items: b
                .chunks_exact(4)
                .map(|c| Value::UInt(u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]]))))
                .collect(),
            more: n > shown,
        },
        None => Value::Unreadable(addr),
    }
}

fn fcntl_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory) {
    let a = ev.args;
    let cmd = a[1] & 0xffff_ffff;
    let arg = a[2];
    let v = match cmd {
        F_GETFD | F_GETFL | 9 | 11 | F_GETLEASE | 1032 | F_GET_SEALS | 1035 | 1037 => {
            Value::Omitted
        }
        F_SETFD => Value::Flags(
            flag_set("fdflags").unwrap_or(&consts::SEALS),
            arg & 0xffff_ffff,
        ),
        F_SETFL => Value::Flags(&consts::OPEN, arg & 0xffff_ffff),
        F_DUPFD | F_DUPFD_CLOEXEC | 8 | 1031 => Value::Int(i64::from(arg as u32 as i32)),
        10 | 1026 => Value::Signal(arg as u32 as i32),
        F_ADD_SEALS => Value::Flags(&consts::SEALS, arg & 0xffff_ffff),
        1024 => match arg as u32 {
            0 => Value::Sym("F_RDLCK"),
            1 => Value::Sym("F_WRLCK"),
            2 => Value::Sym("F_UNLCK"),
            n => Value::Int(i64::from(n as i32)),
        },
        F_SETLK | F_SETLKW | F_OFD_SETLK | F_OFD_SETLKW | 13 | 14 => {
            match read_exact(mem, arg, 32) {
                Some(b) => structs::flock_fields(&b, false).unwrap_or(Value::Addr(arg)),
                None => Value::Addr(arg),
            }
        }
        F_GETLK | F_OFD_GETLK | 12 => {
            defer(ev, 2);
            return;
        }
        _ => Value::Hex(arg),
    };
    set(ev, 2, v);
}

fn fcntl_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory) {
    let a = ev.args;
    let cmd = a[1] & 0xffff_ffff;
    let ok = !failed(ev);
    let ret = ev.ret;
    match cmd {
        F_GETLK | F_OFD_GETLK | 12 => {
            let v = match (ok, read_exact(mem, a[2], 32)) {
                (true, Some(b)) => structs::flock_fields(&b, true).unwrap_or(Value::Addr(a[2])),
                _ => Value::Addr(a[2]),
            };
            set(ev, 2, v);
        }
        F_GETFD if ok && ret != 0 => {
            if let Some(s) = flag_set("fdflags") {
                ret_hex_with(ev, "flags", Value::Flags(s, ret as u64));
            }
        }
        F_GETFL if ok => ret_hex_with(ev, "flags", Value::Flags(&consts::OPEN, ret as u64)),
        F_GET_SEALS if ok && ret != 0 => {
            ret_hex_with(ev, "seals", Value::Flags(&consts::SEALS, ret as u64));
        }
        F_GETLEASE if ok => {
            let v = match ret {
                0 => Value::Sym("F_RDLCK"),
                1 => Value::Sym("F_WRLCK"),
                2 => Value::Sym("F_UNLCK"),
                _ => return,
            };
            ev.ret_note.push(("", v));
        }
        _ => {}
    }
}

fn futex_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let cmd = (a[1] as u32) & 127;
    let val = Value::UInt(u64::from(a[2] as u32));
    let val2 = Value::UInt(u64::from(a[3] as u32));
    let val3 = a[5] as u32;
    let bitset = || {
        if val3 == u32::MAX {
            Value::Const {
                raw: -1,
                name: "FUTEX_BITSET_MATCH_ANY",
            }
        } else {
            Value::Hex(u64::from(val3))
        }
    };
    let timeout = |ev: &mut SyscallEvent, mem: &mut dyn Memory| -> Value {
        if a[3] == 0 {
            return Value::Addr(0);
        }
        match read_exact(mem, a[3], 16) {
            Some(b) => {
                let mut cx = super::event_cx(ev, opts);
                structs::timespec(&b, &mut cx).unwrap_or(Value::Addr(a[3]))
            }
            None => Value::Unreadable(a[3]),
        }
    };
    // Slots: 0 uaddr, 1 op, 2 val, 3 timeout/val2, 4 uaddr2, 5 val3.
    let (v2, v3, v4, v5): (Value, Value, Value, Value) = match cmd {
        // FUTEX_WAIT
        0 => (val, timeout(ev, mem), Value::Omitted, Value::Omitted),
        // FUTEX_LOCK_PI, FUTEX_LOCK_PI2
        6 | 13 => (
            Value::Omitted,
            timeout(ev, mem),
            Value::Omitted,
            Value::Omitted,
        ),
        // FUTEX_WAIT_BITSET
        9 => (val, timeout(ev, mem), Value::Omitted, bitset()),
        // FUTEX_WAKE_BITSET
        10 => (val, Value::Omitted, Value::Omitted, bitset()),
        // FUTEX_REQUEUE
        3 => (val, val2, Value::Addr(a[4]), Value::Omitted),
        // FUTEX_CMP_REQUEUE, FUTEX_CMP_REQUEUE_PI
        4 | 12 => (val, val2, Value::Addr(a[4]), Value::UInt(u64::from(val3))),
        // FUTEX_WAKE_OP
        5 => {
            let mut s = String::new();
            let op = (val3 >> 28) & 0x7;
            if (val3 >> 28) & 8 != 0 {
                s.push_str("FUTEX_OP_OPARG_SHIFT<<28|");
            }
            match consts::futex_op_name(op) {
                Some(n) => s.push_str(&format!("{n}<<28|")),
                None => s.push_str(&format!("{op}<<28 /* FUTEX_OP_??? */|")),
            }
            let oparg = (val3 >> 12) & 0xfff;
            if oparg == 0 {
                s.push_str("0<<12|");
            } else {
                s.push_str(&format!("{oparg:#x}<<12|"));
            }
            let cmp = (val3 >> 24) & 0xf;
            match consts::futex_cmp_name(cmp) {
                Some(n) => s.push_str(&format!("{n}<<24|")),
                None => s.push_str(&format!("{cmp}<<24 /* FUTEX_OP_CMP_??? */|")),
            }
            let cmparg = val3 & 0xfff;
            if cmparg == 0 {
                s.push('0');
            } else {
                s.push_str(&format!("{cmparg:#x}"));
            }
            let text = Value::Text(ev.push_bytes(s.as_bytes()));
            (val, val2, Value::Addr(a[4]), text)
        }
        // FUTEX_WAIT_REQUEUE_PI
        11 => (val, timeout(ev, mem), Value::Addr(a[4]), Value::Omitted),
        // FUTEX_FD, FUTEX_WAKE
        2 | 1 => (val, Value::Omitted, Value::Omitted, Value::Omitted),
        // FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI
        7 | 8 => (
            Value::Omitted,
            Value::Omitted,
            Value::Omitted,
            Value::Omitted,
        ),
        _ => (
            val,
            Value::Addr(a[3]),
            Value::Addr(a[4]),
            Value::Hex(u64::from(val3)),
        ),
    };
    set(ev, 2, v2);
    set(ev, 3, v3);
    set(ev, 4, v4);
    set(ev, 5, v5);
}

const PR_SET_PDEATHSIG: u64 = 1;
const PR_GET_PDEATHSIG: u64 = 2;
const PR_GET_DUMPABLE: u64 = 3;
const PR_SET_DUMPABLE: u64 = 4;
const PR_GET_KEEPCAPS: u64 = 7;
const PR_SET_KEEPCAPS: u64 = 8;
const PR_GET_TIMING: u64 = 13;
const PR_SET_TIMING: u64 = 14;
const PR_SET_NAME: u64 = 15;
const PR_GET_NAME: u64 = 16;
const PR_GET_SECCOMP: u64 = 21;
const PR_SET_SECCOMP: u64 = 22;
const PR_CAPBSET_READ: u64 = 23;
const PR_CAPBSET_DROP: u64 = 24;
const PR_GET_TIMERSLACK: u64 = 30;
const PR_SET_TIMERSLACK: u64 = 29;
const PR_TASK_PERF_EVENTS_DISABLE: u64 = 31;
const PR_TASK_PERF_EVENTS_ENABLE: u64 = 32;
const PR_SET_CHILD_SUBREAPER: u64 = 36;
const PR_GET_CHILD_SUBREAPER: u64 = 37;
const PR_SET_NO_NEW_PRIVS: u64 = 38;
const PR_SET_THP_DISABLE: u64 = 41;
const PR_SET_IO_FLUSHER: u64 = 57;
const PR_SET_PTRACER: u64 = 0x5961_6d61;

fn prctl_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let option = a[0] as u32 as u64;
    let hex_from = |ev: &mut SyscallEvent, i: usize| {
        for (j, &v) in a.iter().enumerate().take(5).skip(i) {
            set(ev, j, Value::Hex(v));
        }
    };
    match option {
        PR_GET_KEEPCAPS
        | PR_GET_SECCOMP
        | PR_GET_TIMERSLACK
        | PR_GET_TIMING
        | PR_GET_DUMPABLE
        | PR_TASK_PERF_EVENTS_DISABLE
        | PR_TASK_PERF_EVENTS_ENABLE => omit_from(ev, 1),
        PR_GET_CHILD_SUBREAPER | PR_GET_NAME | PR_GET_PDEATHSIG | 19 | 10 | 12 | 26 | 6 => {
            omit_from(ev, 2);
            defer(ev, 1);
        }
        PR_SET_CHILD_SUBREAPER | 20 | 9 | 11 | PR_SET_KEEPCAPS | PR_SET_TIMING => {
            set(ev, 1, Value::UInt(a[1]));
            omit_from(ev, 2);
        }
        PR_SET_DUMPABLE => {
            set(ev, 1, Value::Enum(&consts::DUMPABLE, a[1]));
            omit_from(ev, 2);
        }
        PR_CAPBSET_READ | PR_CAPBSET_DROP => {
            set(ev, 1, Value::Enum(&consts::CAP_ENUM, a[1]));
            omit_from(ev, 2);
        }
        PR_SET_NAME => {
            let mut b = Vec::new();
            let v = match mem.read_cstr(a[1], 15, &mut b) {
                Some(trunc) => {
                    let mut cx = super::event_cx(ev, opts);
                    cx.str(&b, trunc)
                }
                None => Value::Addr(a[1]),
            };
            set(ev, 1, v);
            omit_from(ev, 2);
        }
        PR_SET_PDEATHSIG => {
            set(
                ev,
                1,
                if a[1] > 128 {
                    Value::UInt(a[1])
                } else {
                    Value::Signal(a[1] as i32)
                },
            );
            omit_from(ev, 2);
        }
        PR_SET_TIMERSLACK => {
            set(ev, 1, Value::Int(a[1] as i64));
            omit_from(ev, 2);
        }
        PR_SET_PTRACER => {
            set(
                ev,
                1,
                if a[1] as i32 == -1 {
                    Value::Const {
                        raw: -1,
                        name: "PR_SET_PTRACER_ANY",
                    }
                } else {
                    Value::Int(i64::from(a[1] as i32))
                },
            );
            omit_from(ev, 2);
        }
        PR_SET_NO_NEW_PRIVS | PR_SET_THP_DISABLE | PR_SET_IO_FLUSHER => {
            set(ev, 1, Value::UInt(a[1]));
            hex_from(ev, 2);
        }
        PR_SET_SECCOMP => {
            let mode = match a[1] {
                0 => Value::Sym("SECCOMP_MODE_DISABLED"),
                1 => Value::Sym("SECCOMP_MODE_STRICT"),
                2 => Value::Sym("SECCOMP_MODE_FILTER"),
                n => Value::Hex(n),
            };
            set(ev, 1, mode);
            if a[1] == 1 {
                omit_from(ev, 2);
            } else if a[1] == 2 {
                set(ev, 2, Value::Addr(a[2]));
                omit_from(ev, 3);
            } else {
                hex_from(ev, 2);
            }
        }
        _ => hex_from(ev, 1),
    }
}

fn prctl_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    match a[0] as u32 as u64 {
        PR_GET_DUMPABLE => {
            if ok && let Some(n) = consts::DUMPABLE.name_of(ev.ret as u64) {
                ev.ret_note.push(("", Value::Sym(n)));
            }
        }
        PR_GET_NAME => {
            let v = if ok {
                let mut b = Vec::new();
                match mem.read_cstr(a[1], 16, &mut b) {
                    Some(_) => {
                        let mut cx = super::event_cx(ev, opts);
                        cx.str(&b, false)
                    }
                    None => Value::Addr(a[1]),
                }
            } else {
                Value::Addr(a[1])
            };
            set(ev, 1, v);
        }
        PR_GET_PDEATHSIG => {
            let v = match read_u32(mem, a[1]) {
                Some(s) => boxed(Value::Signal(s as i32)),
                None => Value::Addr(a[1]),
            };
            set(ev, 1, v);
        }
        PR_GET_CHILD_SUBREAPER | 19 | 10 | 12 | 26 | 6 => {
            let v = match read_u32(mem, a[1]) {
                Some(n) => boxed(Value::UInt(u64::from(n))),
                None => Value::Addr(a[1]),
            };
            set(ev, 1, v);
        }
        _ => {}
    }
}

/// strace's `clone(child_stack=…, flags=…, parent_tid=…, tls=…, child_tidptr=…)`: named
/// arguments in that order, each only when the flags use it.
fn clone_entry(ev: &mut SyscallEvent) {
    let a = ev.args;
    let flags = a[0];
    // x86_64: flags, newsp, parent_tid, child_tid, tls; aarch64 (CLONE_BACKWARDS): flags,
    // newsp, parent_tid, tls, child_tid.
    let (child_i, tls_i) = if ev.arch == sysgate_kb::Arch::Aarch64 {
        (4, 3)
    } else {
        (3, 4)
    };
    let lab = |name: &'static str, arg: u8, value: Value| Value::Labeled {
        name,
        arg,
        value: Box::new(value),
    };
    let clone_set = flag_set("clone");
    let flags_v = match clone_set {
        Some(s) => Value::Flags(s, flags),
        None => Value::Hex(flags),
    };
    let mut slots = vec![
        lab("child_stack", 1, Value::Addr(a[1])),
        lab("flags", 0, flags_v),
    ];
    if flags & 0x0010_0000 != 0 {
        slots.push(Value::Pending);
    } else {
        slots.push(Value::Omitted);
    }
    if flags & 0x0008_0000 != 0 {
        slots.push(lab("tls", tls_i as u8, Value::Addr(a[tls_i])));
    } else {
        slots.push(Value::Omitted);
    }
    if flags & (0x0100_0000 | 0x0020_0000) != 0 {
        slots.push(lab("child_tidptr", child_i as u8, Value::Addr(a[child_i])));
    } else {
        slots.push(Value::Omitted);
    }
    for (i, v) in slots.into_iter().enumerate() {
        set(ev, i, v);
    }
    if flags & 0x0010_0000 != 0 {
        // parent_tid is printed at exit (the kernel stores the child's tid there).
        defer(ev, 2);
        // Later slots print after it.
    }
}
