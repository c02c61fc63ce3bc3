//! Processes and their attributes, as strace's clone.c, prctl.c, personality.c, uid.c,
//! affinity.c and sched.c handle them beyond the signature: clone's named arguments in
//! strace's order with `parent_tid` filled in at exit, clone3's `struct clone_args`,
//! prctl's option-dependent arguments and results, arch_prctl's FS/GS base, personality's
//! flags, group lists, CPU masks and the scheduling policy returned.

use sysgate_event::{Field, SyscallEvent, Value};
use sysgate_kb::symbols::{enum_set, flag_set};

use super::{Handler, boxed, defer, omit_from, read_u32, set};
use crate::decode::{DecodeOptions, Memory, Rd, consts, failed, read_exact, structs};

/// clone: `child_stack=…, flags=…, parent_tid=…, tls=…, child_tidptr=…`, each only when the
/// flags use it; `parent_tid` holds the child's tid at exit.
pub(super) const CLONE: Handler = Handler::both(clone_entry, clone_exit);

/// strace's `clone(child_stack=…, flags=…, parent_tid=…, tls=…, child_tidptr=…)`: named
/// arguments in that order, each only when the flags use it.
fn clone_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
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

fn clone_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
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

/// clone3: `struct clone_args`, printed at exit with `parent_tid` as the kernel left it.
pub(super) const CLONE3: Handler = Handler::both(clone3_entry, clone3_exit);

fn clone3_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    defer(ev, 0);
}

fn clone3_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let size = (a[1] as usize).min(128);
    let v = match read_exact(mem, a[0], size) {
        Some(b) => {
            let mut cx = crate::decode::event_cx(ev, opts);
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

/// prctl: the arguments the option uses, named where strace names them; what the PR_GET_*
/// options store or return at exit.
pub(super) const PRCTL: Handler = Handler::both(prctl_entry, prctl_exit);

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
                    let mut cx = crate::decode::event_cx(ev, opts);
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
                        let mut cx = crate::decode::event_cx(ev, opts);
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

/// arch_prctl: ARCH_GET_FS/ARCH_GET_GS's base, printed at exit.
pub(super) const ARCH_PRCTL: Handler = Handler::both(arch_prctl_entry, arch_prctl_exit);

fn arch_prctl_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    if matches!(a[0], 0x1003 | 0x1004) {
        defer(ev, 1);
    }
}

fn arch_prctl_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    if matches!(a[0], 0x1003 | 0x1004) {
        let v = match (ok, read_exact(mem, a[1], 8)) {
            (true, Some(b)) => boxed(Value::Addr(Rd(&b).u64(0).unwrap_or(0))),
            _ => Value::Addr(a[1]),
        };
        set(ev, 1, v);
    }
}

/// personality: the query value `0xffffffff` in hex; the previous persona as flags.
pub(super) const PERSONALITY: Handler = Handler::both(personality_entry, personality_exit);

fn personality_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    if a[0] as u32 == 0xffff_ffff {
        set(ev, 0, Value::Hex(0xffff_ffff));
    }
}

fn personality_exit(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let ok = !failed(ev);
    let ret = ev.ret;
    if ok && let Some(set) = flag_set("personality") {
        ev.ret_note.push(("", Value::Flags(set, ret as u64)));
    }
}

/// getgroups, getgroups32: the list, printed at exit (unless only the count was asked).
pub(super) const GETGROUPS: Handler = Handler::both(getgroups_entry, getgroups_exit);

fn getgroups_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    if a[1] != 0 {
        defer(ev, 1);
    }
}

fn getgroups_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let ret = ev.ret;
    let limit = opts.string_limit;
    if a[1] != 0 {
        let v = if ok {
            gid_array(mem, a[1], ret as usize, limit)
        } else {
            Value::Addr(a[1])
        };
        set(ev, 1, v);
    }
}

/// setgroups, setgroups32: the list given.
pub(super) const SETGROUPS: Handler = Handler::entry(setgroups_entry);

fn setgroups_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let limit = opts.string_limit;
    let v = gid_array(mem, a[1], a[0] as u32 as usize, limit);
    set(ev, 1, v);
}

/// A gid_t array of `n` entries.
fn gid_array(mem: &mut dyn Memory, addr: u64, n: usize, limit: usize) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let shown = n.min(limit.min(crate::decode::ARRAY_MAX));
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

/// sched_setaffinity: the CPU mask given.
pub(super) const SCHED_SETAFFINITY: Handler = Handler::entry(sched_setaffinity_entry);

fn sched_setaffinity_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let len = (a[1] as usize).min(1024);
    let v = match read_exact(mem, a[2], len) {
        Some(b) => structs::cpu_mask(&b),
        None if a[2] == 0 => Value::Addr(0),
        None => Value::Unreadable(a[2]),
    };
    set(ev, 2, v);
}

/// sched_getaffinity: the CPU mask returned (as many bytes as the call returned).
pub(super) const SCHED_GETAFFINITY: Handler = Handler::exit(sched_getaffinity_exit);

fn sched_getaffinity_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let ret = ev.ret;
    if ok {
        let len = (ret as usize).min(1024);
        let v = match read_exact(mem, a[2], len) {
            Some(b) => structs::cpu_mask(&b),
            None => Value::Unreadable(a[2]),
        };
        set(ev, 2, v);
    }
}

/// sched_getscheduler: the policy returned, named (`= 0 (SCHED_OTHER)`).
pub(super) const SCHED_GETSCHEDULER: Handler = Handler::exit(sched_getscheduler_exit);

fn sched_getscheduler_exit(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let ok = !failed(ev);
    let ret = ev.ret;
    if ok && let Some(set) = enum_set("sched_policy") {
        ev.ret_note.push(("", Value::Enum(set, ret as u64)));
    }
}
