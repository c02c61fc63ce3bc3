//! Signals, as strace's signal.c and sigreturn.c handle them beyond the signature:
//! rt_sigaction's structures only with the kernel's sigset size, the mask rt_sigreturn
//! restores (read from the signal frame at the stack pointer), and the signal
//! rt_sigtimedwait returns.

use sysgate_event::{Field, SyscallEvent, Value};

use super::{Handler, set};
use crate::decode::{DecodeOptions, Memory, failed, read_exact, structs};

/// rt_sigaction: the actions as addresses when the sigset size is not the kernel's.
pub(super) const RT_SIGACTION: Handler = Handler::entry(rt_sigaction_entry);

fn rt_sigaction_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    if a[3] != 8 {
        set(ev, 1, Value::Addr(a[1]));
        set(ev, 2, Value::Addr(a[2]));
    }
}

/// rt_sigreturn: `{mask=[…]}`, the mask the handler's return restores.
pub(super) const RT_SIGRETURN: Handler = Handler::entry(rt_sigreturn_entry);

fn rt_sigreturn_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
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

/// rt_sigtimedwait, rt_sigtimedwait_time64: the signal returned, named.
pub(super) const RT_SIGTIMEDWAIT: Handler = Handler::exit(rt_sigtimedwait_exit);

fn rt_sigtimedwait_exit(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let ok = !failed(ev);
    let ret = ev.ret;
    if ok {
        ev.ret_note.push(("", Value::Signal(ret as i32)));
    }
}
