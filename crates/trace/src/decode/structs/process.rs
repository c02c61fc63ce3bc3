//! Process and system structures, as strace's resource.c, wait.c, uname.c, sched.c,
//! affinity.c, sysinfo.c, capability.c and clone.c print them: `struct rlimit`,
//! `struct rusage`, wait statuses, `struct utsname`, `struct sched_attr`, `struct sysinfo`,
//! capget/capset's header and data, clone3's `struct clone_args` and CPU masks.

use sysgate_event::{Field, Value};
use sysgate_kb::symbols::enum_set;

use super::scalar::bit_list;
use super::time::timeval;
use super::{int, uint};
use crate::decode::{Cx, Rd, consts};

/// `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}`.
pub fn rlimit(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("rlim_cur", Value::Rlim(r.u64(0)?)),
        Field::new("rlim_max", Value::Rlim(r.u64(8)?)),
    ]))
}

/// `{ru_utime={tv_sec=0, tv_usec=1}, ru_stime={…}, ...}`; every field with `-v`.
pub fn rusage(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let mut f = vec![
        Field::new("ru_utime", timeval(b.get(0..16)?, cx)?),
        Field::new("ru_stime", timeval(b.get(16..32)?, cx)?),
    ];
    const NAMES: [&str; 14] = [
        "ru_maxrss",
        "ru_ixrss",
        "ru_idrss",
        "ru_isrss",
        "ru_minflt",
        "ru_majflt",
        "ru_nswap",
        "ru_inblock",
        "ru_oublock",
        "ru_msgsnd",
        "ru_msgrcv",
        "ru_nsignals",
        "ru_nvcsw",
        "ru_nivcsw",
    ];
    for (k, name) in NAMES.iter().enumerate() {
        f.push(Field::shown_if(name, int(r.i64(32 + 8 * k)?), cx.verbose));
    }
    Some(Value::Record(f))
}

/// `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
pub fn wait_status(b: &[u8], _: &mut Cx) -> Option<Value> {
    Rd(b).i32(0).map(Value::WaitStatus)
}

/// `struct utsname`: `{sysname="Linux", nodename="host", ...}`; every field with `-v`.
pub fn utsname(b: &[u8], cx: &mut Cx) -> Option<Value> {
    const NAMES: [&str; 6] = [
        "sysname",
        "nodename",
        "release",
        "version",
        "machine",
        "domainname",
    ];
    let mut f = Vec::new();
    for (k, name) in NAMES.iter().enumerate() {
        let s = cx.cstr(b.get(65 * k..65 * (k + 1))?);
        f.push(Field::shown_if(name, s, k < 2 || cx.verbose));
    }
    Some(Value::Record(f))
}

/// `struct sched_attr`: `{size=56, sched_policy=SCHED_OTHER, …}`.
pub fn sched_attr(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let size = r.u32(0)?;
    let mut f = vec![
        Field::new("size", uint(u64::from(size))),
        Field::new(
            "sched_policy",
            Value::Enum(enum_set("sched_policy")?, u64::from(r.u32(4)?)),
        ),
        Field::new("sched_flags", Value::Flags(&consts::SCHED_FLAGS, r.u64(8)?)),
        Field::new("sched_nice", int(i64::from(r.i32(16)?))),
        Field::new("sched_priority", uint(u64::from(r.u32(20)?))),
        Field::new("sched_runtime", uint(r.u64(24)?)),
        Field::new("sched_deadline", uint(r.u64(32)?)),
        Field::new("sched_period", uint(r.u64(40)?)),
    ];
    if size >= 56 {
        f.push(Field::new("sched_util_min", uint(u64::from(r.u32(48)?))));
        f.push(Field::new("sched_util_max", uint(u64::from(r.u32(52)?))));
    }
    Some(Value::Record(f))
}

/// `struct sysinfo`.
pub fn sysinfo(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let loads = Value::Array {
        items: vec![uint(r.u64(8)?), uint(r.u64(16)?), uint(r.u64(24)?)],
        more: false,
    };
    Some(Value::Record(vec![
        Field::new("uptime", int(r.i64(0)?)),
        Field::new("loads", loads),
        Field::new("totalram", uint(r.u64(32)?)),
        Field::new("freeram", uint(r.u64(40)?)),
        Field::new("sharedram", uint(r.u64(48)?)),
        Field::new("bufferram", uint(r.u64(56)?)),
        Field::new("totalswap", uint(r.u64(64)?)),
        Field::new("freeswap", uint(r.u64(72)?)),
        Field::new("procs", uint(u64::from(r.u16(80)?))),
        Field::new("totalhigh", uint(r.u64(88)?)),
        Field::new("freehigh", uint(r.u64(96)?)),
        Field::new("mem_unit", uint(u64::from(r.u32(104)?))),
    ]))
}

/// capget/capset header: `{version=_LINUX_CAPABILITY_VERSION_3, pid=0}`.
pub fn cap_header(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let version = r.u32(0)?;
    let vname = match version {
        0x1998_0330 => Some("_LINUX_CAPABILITY_VERSION_1"),
        0x2007_1026 => Some("_LINUX_CAPABILITY_VERSION_2"),
        0x2008_0522 => Some("_LINUX_CAPABILITY_VERSION_3"),
        _ => None,
    };
    let v = match vname {
        Some(name) => Value::Const {
            raw: i64::from(version),
            name,
        },
        None => Value::Hex(u64::from(version)),
    };
    Some(Value::Record(vec![
        Field::new("version", v),
        Field::new("pid", int(i64::from(r.i32(4)?))),
    ]))
}

/// capget/capset data (two 32-bit words per set, version 3).
pub fn cap_data(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let set = |k: usize| -> Option<Value> {
        let lo = u64::from(r.u32(4 * k)?);
        let hi = u64::from(r.u32(12 + 4 * k)?);
        Some(Value::Flags(&consts::CAPS, lo | (hi << 32)))
    };
    Some(Value::Record(vec![
        Field::new("effective", set(0)?),
        Field::new("permitted", set(1)?),
        Field::new("inheritable", set(2)?),
    ]))
}

/// `struct clone_args` (clone3): the fields strace shows for the flags given.
pub fn clone_args(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    if b.len() < 64 {
        return None;
    }
    let flags = r.u64(0)?;
    let mut f = vec![Field::new(
        "flags",
        Value::Flags(&consts::CLONE_FLAGS_ONLY, flags),
    )];
    if flags & 0x1000 != 0 {
        f.push(Field::new("pidfd", Value::Addr(r.u64(8)?)));
    }
    if flags & (0x0100_0000 | 0x0020_0000) != 0 {
        f.push(Field::new("child_tid", Value::Addr(r.u64(16)?)));
    }
    if flags & 0x0010_0000 != 0 {
        f.push(Field::new("parent_tid", Value::Addr(r.u64(24)?)));
    }
    let sig = r.u64(32)?;
    f.push(Field::new(
        "exit_signal",
        if sig == 0 {
            int(0)
        } else {
            Value::Signal(sig as i32)
        },
    ));
    f.push(Field::new("stack", Value::Addr(r.u64(40)?)));
    f.push(Field::new("stack_size", Value::Hex(r.u64(48)?)));
    if flags & 0x0008_0000 != 0 {
        f.push(Field::new("tls", Value::Addr(r.u64(56)?)));
    }
    if b.len() >= 80 {
        let set_tid = r.u64(64)?;
        let set_tid_size = r.u64(72)?;
        if set_tid != 0 || set_tid_size != 0 {
            f.push(Field::new("set_tid", Value::Addr(set_tid)));
            f.push(Field::new("set_tid_size", uint(set_tid_size)));
        }
    }
    if b.len() >= 88 && flags & 0x2_0000_0000 != 0 {
        f.push(Field::new("cgroup", uint(r.u64(80)?)));
    }
    Some(Value::Record(f))
}

/// A CPU mask: `[0 1]`.
pub fn cpu_mask(b: &[u8]) -> Value {
    bit_list(b, b.len() * 8)
}
