//! Sockets, as strace's net.c and sockopt decoding handle them beyond the signature: the
//! protocol named after the family, socket options named by level with their values, and
//! the socklen_t in/out arguments (`[128 => 16]`) of getsockopt, accept, getsockname,
//! getpeername and recvfrom, read before the call and again after it.

use sysgate_event::{SyscallEvent, Value};

use super::{Handler, boxed, defer, read_u32, set};
use crate::decode::{DecodeOptions, Memory, failed, net, read_exact};

/// socket, socketpair: the protocol, named for the address family.
pub(super) const SOCKET: Handler = Handler::entry(socket_entry);

fn socket_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 2, net::protocol_value(a[0], a[2]));
}

/// setsockopt: the option named by its level, and the value given.
pub(super) const SETSOCKOPT: Handler = Handler::entry(setsockopt_entry);

fn setsockopt_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let level = a[1] as i32;
    let optname = a[2] as i32;
    if let Some(names) = net::sockopt_names(level) {
        set(ev, 2, Value::Enum(names, optname as u32 as u64));
    }
    if a[3] != 0 {
        let len = (a[4] as u32 as usize).min(256);
        let v = match read_exact(mem, a[3], len) {
            Some(b) => {
                let mut cx = crate::decode::event_cx(ev, opts);
                net::sockopt_value(level, optname, &b, &mut cx)
            }
            None => Value::Addr(a[3]),
        };
        set(ev, 3, v);
    }
}

/// getsockopt: the option named by its level at entry, with the length given; the value
/// and the length in and out (`[4]`, `[16 => 8]`) at exit.
pub(super) const GETSOCKOPT: Handler = Handler::both(getsockopt_entry, getsockopt_exit);

fn getsockopt_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let level = a[1] as i32;
    if let Some(names) = net::sockopt_names(level) {
        set(ev, 2, Value::Enum(names, a[2] as u32 as u64));
    }
    ev.saved[4] = read_u32(mem, a[4]).map(u64::from);
    defer(ev, 3);
    set(ev, 4, Value::Pending);
}

fn getsockopt_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let level = a[1] as i32;
    let optname = a[2] as i32;
    let after = read_u32(mem, a[4]);
    let v = if ok && a[3] != 0 {
        let len = after.unwrap_or(0).min(256) as usize;
        match read_exact(mem, a[3], len) {
            Some(b) => {
                let mut cx = crate::decode::event_cx(ev, opts);
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

/// accept, accept4, getsockname, getpeername: the address length in and out.
pub(super) const ACCEPT: Handler = Handler::both(accept_entry, accept_exit);

fn accept_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    ev.saved[2] = read_u32(mem, a[2]).map(u64::from);
    set(ev, 2, Value::Pending);
}

fn accept_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let after = read_u32(mem, a[2]);
    let v = len_inout(a[2], ev.saved[2], if ok { after } else { None });
    set(ev, 2, v);
}

/// recvfrom: the source address length in and out.
pub(super) const RECVFROM: Handler = Handler::both(recvfrom_entry, recvfrom_exit);

fn recvfrom_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    ev.saved[5] = read_u32(mem, a[5]).map(u64::from);
    set(ev, 5, Value::Pending);
}

fn recvfrom_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let after = read_u32(mem, a[5]);
    let v = len_inout(a[5], ev.saved[5], if ok { after } else { None });
    set(ev, 5, v);
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
