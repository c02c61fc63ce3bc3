//! Signal structures, as strace's signal.c, sigaltstack.c and printsiginfo.c print them:
//! handlers (`SIG_DFL`, `SIG_IGN`), the kernel's `struct sigaction`, `stack_t`, `siginfo_t`
//! and signal sets (`[INT TERM]`).

use sysgate_event::{Field, SigInfo, Value};
use sysgate_kb::symbols::flag_set;

use super::uint;
use crate::decode::{Cx, Memory, Rd, consts, read_exact};

/// A signal handler: `SIG_DFL`, `SIG_IGN`, `SIG_ERR` or its address.
pub fn sighandler(h: u64) -> Value {
    match h {
        0 => Value::Const {
            raw: 0,
            name: "SIG_DFL",
        },
        1 => Value::Const {
            raw: 1,
            name: "SIG_IGN",
        },
        u64::MAX => Value::Const {
            raw: -1,
            name: "SIG_ERR",
        },
        a => Value::Addr(a),
    }
}

/// The kernel's `struct sigaction`: `{sa_handler=SIG_IGN, sa_mask=[PIPE],
/// sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f…}`.
pub fn sigaction(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let handler = r.u64(0)?;
    let flags = r.u64(8)?;
    let restorer = r.u64(16)?;
    let mask = r.u64(24)?;
    let mut f = vec![
        Field::new("sa_handler", sighandler(handler)),
        Field::new("sa_mask", Value::SigSet { mask, bits: 64 }),
        Field::new("sa_flags", Value::Flags(flag_set("sa")?, flags)),
    ];
    if flags & 0x0400_0000 != 0 {
        f.push(Field::new("sa_restorer", Value::Addr(restorer)));
    }
    Some(Value::Record(f))
}

/// `stack_t`: `{ss_sp=0x7f…, ss_flags=SS_DISABLE, ss_size=8192}`.
pub fn sigaltstack(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("ss_sp", Value::Addr(r.u64(0)?)),
        Field::new(
            "ss_flags",
            Value::Flags(&consts::SS_FLAGS, u64::from(r.u32(8)?)),
        ),
        Field::new("ss_size", uint(r.u64(16)?)),
    ]))
}

/// `siginfo_t` → the event model's [`SigInfo`].
pub fn siginfo_struct(b: &[u8]) -> Option<SigInfo> {
    let r = Rd(b);
    let signo = r.i32(0)?;
    let errno = r.i32(4)?;
    let code = r.i32(8)?;
    let mut info = SigInfo {
        signo,
        code,
        errno,
        pid: 0,
        uid: 0,
        status: 0,
        addr: 0,
        utime: 0,
        stime: 0,
    };
    let fault = matches!(signo, 4 | 7 | 8 | 11) && code > 0;
    if fault {
        info.addr = r.u64(16)?;
    } else {
        info.pid = r.i32(16)?;
        info.uid = r.u32(20)?;
        if signo == 17 {
            info.status = r.i32(24)?;
            info.utime = r.i64(32)?;
            info.stime = r.i64(40)?;
        }
    }
    Some(info)
}

/// `{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=…, …}`.
pub fn siginfo(b: &[u8], _: &mut Cx) -> Option<Value> {
    siginfo_struct(b).map(Value::SigInfo)
}

/// A signal set of `b.len()` bytes: `[INT TERM]`.
pub fn sigset(b: &[u8]) -> Value {
    let mut m = [0u8; 8];
    let n = b.len().min(8);
    m[..n].copy_from_slice(&b[..n]);
    Value::SigSet {
        mask: u64::from_le_bytes(m),
        bits: (n * 8) as u8,
    }
}

/// A signal set pointer with its size argument; the address when the size is not one the
/// kernel accepts.
pub fn sigset_at(mem: &mut dyn Memory, addr: u64, size: u64, word: usize) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    if size == 0 || size > 8 || !(size as usize).is_multiple_of(word.max(1)) {
        return Value::Addr(addr);
    }
    match read_exact(mem, addr, size as usize) {
        Some(b) => sigset(&b),
        None => Value::Unreadable(addr),
    }
}
