//! System V IPC and futexes, as strace's ipc_*.c and futex.c handle them beyond the
//! signature: `IPC_PRIVATE` keys, `IPC_CREAT|IPC_EXCL|0600` flags, the `*ctl` commands, and
//! futex's arguments as the operation uses them (timeouts, requeue targets, bitsets and the
//! FUTEX_WAKE_OP encoding).

use sysgate_event::{SyscallEvent, Value};

use super::{Handler, set};
use crate::decode::{DecodeOptions, Memory, consts, read_exact, structs};

/// futex, futex_time64: the arguments the operation uses.
pub(super) const FUTEX: Handler = Handler::entry(futex_entry);

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
                let mut cx = crate::decode::event_cx(ev, opts);
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

/// shmget: the key and the flags with permissions.
pub(super) const SHMGET: Handler = Handler::entry(shmget_entry);

fn shmget_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 0, ipc_key(a[0]));
    let v = ipc_flags(ev, a[2]);
    set(ev, 2, v);
}

/// semget: the key and the flags with permissions.
pub(super) const SEMGET: Handler = Handler::entry(semget_entry);

fn semget_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 0, ipc_key(a[0]));
    let v = ipc_flags(ev, a[2]);
    set(ev, 2, v);
}

/// msgget: the key and the flags with permissions.
pub(super) const MSGGET: Handler = Handler::entry(msgget_entry);

fn msgget_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 0, ipc_key(a[0]));
    let v = ipc_flags(ev, a[1]);
    set(ev, 1, v);
}

/// semctl: the command, named.
pub(super) const SEMCTL: Handler = Handler::entry(semctl_entry);

fn semctl_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 2, Value::Enum(&consts::SEM_CMDS, a[2] & 0xff));
}

/// shmctl: the command, named.
pub(super) const SHMCTL: Handler = Handler::entry(shmctl_entry);

fn shmctl_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 1, Value::Enum(&consts::SHM_CMDS, a[1] & 0xff));
}

/// msgctl: the command, named.
pub(super) const MSGCTL: Handler = Handler::entry(msgctl_entry);

fn msgctl_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 1, Value::Enum(&consts::MSG_CMDS, a[1] & 0xff));
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
