//! I/O and event structures, as strace's io.c, poll.c, epoll.c, io_uring.c and term.c print
//! them: iovec arrays (with readv's transferred-bytes budget and process_vm_readv's
//! address-only form), `struct pollfd` arrays, `struct epoll_event`, `struct io_uring_params`
//! and the terminal's `struct winsize`.

use sysgate_event::{Field, SyscallEvent, Value};
use sysgate_kb::Arch;
use sysgate_kb::symbols::flag_set;

use super::{int, uint};
use crate::decode::{ARRAY_MAX, Cx, DecodeOptions, Memory, Rd, consts, read_upto};

/// The size of `struct epoll_event` on `arch` (packed on x86_64).
pub fn epoll_size(arch: Arch) -> usize {
    if arch == Arch::X86_64 { 12 } else { 16 }
}

/// `struct epoll_event`: `{events=EPOLLIN, data={u32=4, u64=4}}`.
pub fn epoll_event(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let data_off = if b.len() >= 16 && cx.arch != Arch::X86_64 {
        8
    } else {
        4
    };
    let data = r.u64(data_off)?;
    Some(Value::Record(vec![
        Field::new(
            "events",
            Value::Flags(flag_set("epoll_events")?, u64::from(r.u32(0)?)),
        ),
        Field::new(
            "data",
            Value::Record(vec![
                Field::new("u32", uint(data & 0xffff_ffff)),
                Field::new("u64", uint(data)),
            ]),
        ),
    ]))
}

/// A `pollfd` array: `[{fd=3, events=POLLIN}, {fd=-1}]` at entry; at exit (`revents`) only the
/// entries with events: `[{fd=3, revents=POLLIN}]`.
pub fn pollfd_array(b: &[u8], n: usize, revents: bool, cx: &mut Cx) -> Value {
    let set = flag_set("poll_events");
    let mut items = Vec::new();
    let shown = n.min(cx.limit).min(ARRAY_MAX);
    for c in b.chunks_exact(8).take(shown) {
        let r = Rd(c);
        let (Some(fd), Some(ev), Some(rev), Some(set)) = (r.i32(0), r.u16(4), r.u16(6), set) else {
            continue;
        };
        if revents {
            if rev != 0 {
                items.push(Value::Record(vec![
                    Field::new("fd", int(i64::from(fd))),
                    Field::new("revents", Value::Flags(set, u64::from(rev))),
                ]));
            }
        } else if fd < 0 {
            items.push(Value::Record(vec![Field::new("fd", int(i64::from(fd)))]));
        } else {
            items.push(Value::Record(vec![
                Field::new("fd", int(i64::from(fd))),
                Field::new("events", Value::Flags(set, u64::from(ev))),
            ]));
        }
    }
    let more = !revents && n > shown;
    Value::Array { items, more }
}

/// An iovec array of `count` entries at `addr`. With `budget` (readv and friends), the data
/// shown is limited to the bytes the call transferred.
pub fn iovec_array(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    count: u64,
    budget: Option<u64>,
    opts: &DecodeOptions,
) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let limit = opts.string_limit.min(ARRAY_MAX);
    let shown = (count.min(limit as u64)) as usize;
    let b = read_upto(mem, addr, shown * 16);
    if b.len() < 16 && count > 0 {
        return Value::Unreadable(addr);
    }
    let mut remaining = budget;
    let mut items = Vec::new();
    for c in b.chunks_exact(16) {
        let r = Rd(c);
        let (Some(base), Some(len)) = (r.u64(0), r.u64(8)) else {
            break;
        };
        let show = match remaining {
            Some(rem) => {
                let s = len.min(rem);
                remaining = Some(rem - s);
                s
            }
            None => len,
        };
        let data = buffer_or_addr(ev, mem, base, show, opts.string_limit);
        items.push(Value::Record(vec![
            Field::new("iov_base", data),
            Field::new("iov_len", uint(len)),
        ]));
    }
    Value::Array {
        items,
        more: count > shown as u64,
    }
}

/// The contents of `len` bytes at `addr` (up to `limit`), or the address when unreadable.
pub fn buffer_or_addr(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    len: u64,
    limit: usize,
) -> Value {
    if len == 0 {
        let bytes = ev.push_bytes(b"");
        return Value::Str {
            bytes,
            truncated: false,
        };
    }
    match crate::decode::buffer(ev, mem, addr, len, limit) {
        Value::Unreadable(a) => Value::Addr(a),
        v => v,
    }
}

/// An array of `count` iovecs printed with their base addresses only (process_vm_readv's
/// remote side).
pub fn iovec_addrs(mem: &mut dyn Memory, addr: u64, count: u64, limit: usize) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let shown = count.min(limit.min(ARRAY_MAX) as u64) as usize;
    let b = read_upto(mem, addr, shown * 16);
    if b.len() < 16 && count > 0 {
        return Value::Unreadable(addr);
    }
    let items = b
        .chunks_exact(16)
        .filter_map(|c| {
            let r = Rd(c);
            Some(Value::Record(vec![
                Field::new("iov_base", Value::Addr(r.u64(0)?)),
                Field::new("iov_len", uint(r.u64(8)?)),
            ]))
        })
        .collect();
    Value::Array {
        items,
        more: count > shown as u64,
    }
}

/// `struct io_uring_params` after a successful setup.
pub fn io_uring_params(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let sq = |o: usize| -> Option<Value> {
        let names = [
            "head",
            "tail",
            "ring_mask",
            "ring_entries",
            "flags",
            "dropped",
            "array",
        ];
        let mut f = Vec::new();
        for (k, n) in names.iter().enumerate() {
            f.push(Field::new(n, uint(u64::from(r.u32(o + 4 * k)?))));
        }
        Some(Value::Record(f))
    };
    let cq = |o: usize| -> Option<Value> {
        let names = [
            "head",
            "tail",
            "ring_mask",
            "ring_entries",
            "overflow",
            "cqes",
            "flags",
        ];
        let mut f = Vec::new();
        for (k, n) in names.iter().enumerate() {
            f.push(Field::new(n, uint(u64::from(r.u32(o + 4 * k)?))));
        }
        Some(Value::Record(f))
    };
    let mut f = io_uring_params_in(b)?;
    f.push(Field::new("sq_entries", uint(u64::from(r.u32(0)?))));
    f.push(Field::new("cq_entries", uint(u64::from(r.u32(4)?))));
    f.push(Field::new(
        "features",
        Value::Flags(&consts::URING_FEATURES, u64::from(r.u32(20)?)),
    ));
    f.push(Field::new("sq_off", sq(40)?));
    f.push(Field::new("cq_off", cq(80)?));
    Some(Value::Record(f))
}

/// The fields of `struct io_uring_params` the caller sets.
pub fn io_uring_params_in(b: &[u8]) -> Option<Vec<Field>> {
    let r = Rd(b);
    let flags = u64::from(r.u32(8)?);
    let mut f = vec![
        Field::new("flags", Value::Flags(&consts::URING_SETUP, flags)),
        Field::new("sq_thread_cpu", uint(u64::from(r.u32(12)?))),
        Field::new("sq_thread_idle", uint(u64::from(r.u32(16)?))),
    ];
    if flags & (1 << 5) != 0 {
        f.push(Field::new("wq_fd", int(i64::from(r.i32(24)?))));
    }
    Some(f)
}

/// `struct winsize`: `{ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}`.
pub fn winsize(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("ws_row", uint(u64::from(r.u16(0)?))),
        Field::new("ws_col", uint(u64::from(r.u16(2)?))),
        Field::new("ws_xpixel", uint(u64::from(r.u16(4)?))),
        Field::new("ws_ypixel", uint(u64::from(r.u16(6)?))),
    ]))
}
