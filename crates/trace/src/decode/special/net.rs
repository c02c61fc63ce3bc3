//! Sockets, as strace's net.c and sockopt decoding handle them beyond the signature: the
//! protocol named after the family, socket options named by level with their values, and
//! the socklen_t in/out arguments (`[128 => 16]`) of getsockopt, accept, getsockname,
//! getpeername and recvfrom, read before the call and again after it.

use sysgate_event::{SyscallEvent, Value};

use super::{Handler, boxed, defer, read_u32, set};
use crate::decode::{DecodeOptions, Memory, failed, net, read_exact, structs};

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
    let (level, optname) = (a[1] as i32, a[2] as i32);
    if let Some(names) = net::sockopt_names(level) {
        set(ev, 2, Value::Enum(names, optname as u32 as u64));
    }
    // optlen is an `int`.
    let len = a[4] as u32 as i32;
    let v = set_value(ev, mem, opts, level, optname, a[3], len);
    set(ev, 3, v);
    set(ev, 4, Value::Int(i64::from(len)));
}

/// SOL_SOCKET options whose value is an `int` (strace's list).
fn int_like(name: i32) -> bool {
    matches!(
        name,
        1 | 2 | 5..=12 | 14..=16 | 18 | 19 | 27 | 29 | 30 | 32..=37 | 40..=46 | 49 | 53 | 56 | 60
            | 63..=65 | 68..=70 | 73 | 75
    )
}

const SOL_SOCKET: i32 = 1;
const SOL_NETLINK: i32 = 270;

/// `[N]` from the int at `addr`, or the address when it cannot be read.
fn int_at(mem: &mut dyn Memory, addr: u64) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    match read_exact(mem, addr, 4) {
        Some(b) => boxed(Value::Int(i64::from(i32::from_le_bytes([
            b[0], b[1], b[2], b[3],
        ])))),
        None => Value::Addr(addr),
    }
}

/// `len` bytes at `addr` as a quoted string (`-s` applies), or the address.
fn bytes_at(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    opts: &DecodeOptions,
    addr: u64,
    len: usize,
    hex: bool,
) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let shown = len.min(opts.string_limit);
    match read_exact(mem, addr, shown) {
        Some(b) => {
            let mut cx = crate::decode::event_cx(ev, opts);
            if hex {
                let bytes = cx.bytes(&b);
                Value::HexStr {
                    bytes,
                    truncated: shown < len,
                }
            } else {
                cx.str(&b, shown < len)
            }
        }
        None => Value::Addr(addr),
    }
}

/// A setsockopt value, as strace's `print_setsockopt` prints it.
fn set_value(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    opts: &DecodeOptions,
    level: i32,
    name: i32,
    addr: u64,
    len: i32,
) -> Value {
    if addr != 0 {
        match (level, name) {
            (SOL_SOCKET, 13) if len < 8 => return Value::Addr(addr),
            (SOL_SOCKET, 13) => {
                return match read_exact(mem, addr, 8) {
                    Some(b) => {
                        let mut cx = crate::decode::event_cx(ev, opts);
                        structs::linger(&b, &mut cx).unwrap_or(Value::Addr(addr))
                    }
                    None => Value::Addr(addr),
                };
            }
            (SOL_SOCKET, 74) if len < 4 => return Value::Addr(addr),
            (SOL_SOCKET, 74) => return txrehash_at(ev, mem, opts, addr),
            // SO_ATTACH_FILTER, SO_ATTACH_REUSEPORT_CBPF: the filter program is not decoded.
            (SOL_SOCKET, 26 | 51) => return Value::Addr(addr),
            (SOL_SOCKET, n) if int_like(n) => {
                return if len < 4 {
                    Value::Addr(addr)
                } else {
                    int_at(mem, addr)
                };
            }
            (SOL_NETLINK, _) => {
                return if len < 4 {
                    Value::Addr(addr)
                } else {
                    int_at(mem, addr)
                };
            }
            _ => {}
        }
    }
    if len == 4 {
        int_at(mem, addr)
    } else if len < 0 {
        Value::Addr(addr)
    } else {
        bytes_at(ev, mem, opts, addr, len as usize, false)
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
    match read_u32(mem, a[4]).filter(|_| a[4] != 0) {
        Some(ulen) => {
            ev.saved[4] = Some(u64::from(ulen));
            defer(ev, 3);
            set(ev, 4, Value::Pending);
        }
        // The length cannot be read: both pointers print as they are, at entry.
        None => {
            set(ev, 3, Value::Addr(a[3]));
            set(ev, 4, Value::Addr(a[4]));
        }
    }
}

fn getsockopt_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let Some(ulen) = ev.saved[4].map(|u| u as u32 as i32) else {
        return;
    };
    let rlen = if failed(ev) {
        None
    } else {
        read_u32(mem, a[4]).map(|r| r as i32)
    };
    let Some(rlen) = rlen else {
        set(ev, 3, Value::Addr(a[3]));
        set(ev, 4, boxed(Value::Int(i64::from(ulen))));
        return;
    };
    let v = get_value(ev, mem, opts, a[1] as i32, a[2] as i32, a[3], ulen, rlen);
    set(ev, 3, v);
    let len = if ulen != rlen {
        Value::Changed {
            before: Box::new(Value::Int(i64::from(ulen))),
            after: Box::new(Value::Int(i64::from(rlen))),
        }
    } else {
        Value::Int(i64::from(rlen))
    };
    set(ev, 4, boxed(len));
}

/// `[SOCK_TXREHASH_ENABLED]`: the int at `addr` by name, or the number.
fn txrehash_at(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    opts: &DecodeOptions,
    addr: u64,
) -> Value {
    match read_u32(mem, addr) {
        Some(v) => boxed(match v as i32 {
            0 => Value::Const {
                raw: 0,
                name: "SOCK_TXREHASH_DISABLED",
            },
            1 => Value::Const {
                raw: 1,
                name: "SOCK_TXREHASH_ENABLED",
            },
            255 => Value::Const {
                raw: 255,
                name: "SOCK_TXREHASH_DEFAULT",
            },
            n if opts.xlat == sysgate_event::Xlat::Raw => Value::Int(i64::from(n)),
            n => crate::decode::event_cx(ev, opts)
                .comment(Value::Int(i64::from(n)), "SOCK_TXREHASH_???"),
        }),
        None => Value::Addr(addr),
    }
}

/// A structure of 32-bit fields (`signed` or not) of which the kernel returned `len` bytes,
/// as strace prints one: the whole fields, then the bytes of a field cut short in hex.
fn partial_ints(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    opts: &DecodeOptions,
    addr: u64,
    len: usize,
    fields: &[(&'static str, bool)],
) -> Value {
    let len = len.min(fields.len() * 4);
    let Some(b) = read_exact(mem, addr, len) else {
        return Value::Addr(addr);
    };
    let mut cx = crate::decode::event_cx(ev, opts);
    let mut out = Vec::new();
    for (i, &(name, signed)) in fields.iter().enumerate() {
        let Some(rest) = b.get(i * 4..).filter(|r| !r.is_empty()) else {
            break;
        };
        let v = match rest.get(..4) {
            Some(c) => {
                let n = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                if signed {
                    Value::Int(i64::from(n as i32))
                } else {
                    Value::UInt(u64::from(n))
                }
            }
            None => {
                let bytes = cx.bytes(rest);
                Value::HexStr {
                    bytes,
                    truncated: false,
                }
            }
        };
        out.push(sysgate_event::Field::new(name, v));
    }
    Value::Record(out)
}

/// A getsockopt value, as strace's `print_getsockopt` prints it.
#[allow(clippy::too_many_arguments)]
fn get_value(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    opts: &DecodeOptions,
    level: i32,
    name: i32,
    addr: u64,
    ulen: i32,
    rlen: i32,
) -> Value {
    // The kernel never returns a negative length: forged by the program.
    if ulen <= 0 || rlen <= 0 {
        return Value::Addr(addr);
    }
    let len = rlen as usize;
    if addr != 0 {
        match (level, name) {
            (SOL_SOCKET, 13) => {
                return partial_ints(
                    ev,
                    mem,
                    opts,
                    addr,
                    len,
                    &[("l_onoff", true), ("l_linger", true)],
                );
            }
            (SOL_SOCKET, 17) => {
                let fields = [("pid", true), ("uid", false), ("gid", false)];
                return partial_ints(ev, mem, opts, addr, len, &fields);
            }
            // SO_TXREHASH
            (SOL_SOCKET, 74) if len >= 4 => return txrehash_at(ev, mem, opts, addr),
            (SOL_SOCKET, 74) => return bytes_at(ev, mem, opts, addr, len, true),
            // SO_ERROR: the pending error by name.
            (SOL_SOCKET, 4) if len >= 4 => {
                return match read_u32(mem, addr) {
                    Some(e) => boxed(match sysgate_kb::symbols::errno(e) {
                        Some(errno) => Value::Sym(errno.name),
                        None => Value::UInt(u64::from(e)),
                    }),
                    None => Value::Addr(addr),
                };
            }
            (SOL_SOCKET, n) if int_like(n) || n == 4 => {
                return if len >= 4 {
                    int_at(mem, addr)
                } else {
                    bytes_at(ev, mem, opts, addr, len, true)
                };
            }
            // NETLINK_LIST_MEMBERSHIPS: an array of group masks.
            (SOL_NETLINK, 9) => {
                let count = (ulen.min(rlen) as usize / 4).min(opts.string_limit);
                return match read_exact(mem, addr, count * 4) {
                    Some(b) => Value::Array {
                        items: b
                            .chunks_exact(4)
                            .map(|c| {
                                Value::UInt(u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                            })
                            .collect(),
                        more: (ulen.min(rlen) as usize / 4) > count,
                    },
                    None => Value::Addr(addr),
                };
            }
            (SOL_NETLINK, _) => return int_at(mem, addr),
            _ => {}
        }
    }
    if len == 4 {
        int_at(mem, addr)
    } else {
        bytes_at(ev, mem, opts, addr, len, false)
    }
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
