//! Sleeping, as strace's time.c handles it beyond the signature: nanosleep's and
//! clock_nanosleep's remaining time, decoded only when the sleep was interrupted.

use sysgate_event::{SyscallEvent, Value};

use super::{Handler, set};
use crate::decode::{DecodeOptions, Memory, read_exact, structs};

/// nanosleep, clock_nanosleep, clock_nanosleep_time64: the remaining time after an
/// interruption, else its address.
pub(super) const NANOSLEEP: Handler = Handler::exit(nanosleep_exit);

fn nanosleep_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let i = if super::name(ev) == "nanosleep" { 1 } else { 3 };
    let interrupted = ev
        .errno()
        .is_some_and(|e| e == 4 || (512..=516).contains(&e));
    let v = if interrupted && a[i] != 0 {
        match read_exact(mem, a[i], 16) {
            Some(b) => {
                let mut cx = crate::decode::event_cx(ev, opts);
                structs::timespec(&b, &mut cx).unwrap_or(Value::Addr(a[i]))
            }
            None => Value::Addr(a[i]),
        }
    } else {
        Value::Addr(a[i])
    };
    set(ev, i, v);
}
