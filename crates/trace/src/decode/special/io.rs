//! I/O and waiting for it, as strace's desc.c (select), poll.c, io.c, sendfile.c, splice.c,
//! getrandom.c, ioctl.c/term.c and io_uring.c handle them beyond the signature: fd_sets at
//! entry and the ready ones at exit (`= 1 (in [3], left {…})`), poll's `revents`,
//! `(Timeout)`, in/out offsets (`[0] => [512]`), getrandom's bytes in hex, the ioctl
//! arguments of the commands decoded (FIONREAD, FIONBIO, TIOCGWINSZ, TIOCSWINSZ) and
//! io_uring_setup's parameters.

use sysgate_event::{Field, SyscallEvent, Value};

use super::{Handler, boxed, defer, read_i64, set};
use crate::decode::{DecodeOptions, Memory, Rd, failed, read_exact, read_upto, structs};

const FIONREAD: u64 = 0x541b;
const FIONBIO: u64 = 0x5421;
const TIOCGWINSZ: u64 = 0x5413;
const TIOCSWINSZ: u64 = 0x5414;

/// select, _newselect, pselect6, pselect6_time64: the fd_sets (and pselect6's signal mask)
/// at entry; the ready descriptors and the time left at exit.
pub(super) const SELECT: Handler = Handler::both(select_entry, select_exit);

fn select_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let n = (a[0] as u32 as usize).min(65536);
    for (i, &p) in a.iter().enumerate().take(4).skip(1) {
        let v = fd_set_at(mem, p, n);
        set(ev, i, v);
    }
    if super::name(ev).starts_with("pselect6") && a[5] != 0 {
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

fn select_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let ret = ev.ret;
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
                let pselect = super::name(ev).starts_with("pselect");
                if let Some(b) = read_exact(mem, a[4], 16) {
                    let mut cx = crate::decode::event_cx(ev, opts);
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

/// poll, ppoll, ppoll_time64: `(Timeout)`, or the `revents` and (ppoll) the time left.
pub(super) const POLL: Handler = Handler::exit(poll_exit);

fn poll_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let ret = ev.ret;
    let limit = opts.string_limit;
    if ok {
        if ret == 0 {
            ev.ret_note.push(("", Value::Sym("Timeout")));
        } else {
            let n = a[1] as u32 as usize;
            let shown = n.min(limit.min(crate::decode::ARRAY_MAX));
            let b = read_upto(mem, a[0], shown * 8);
            let mut cx = crate::decode::event_cx(ev, opts);
            let v = structs::pollfd_array(&b, n, true, &mut cx);
            ev.ret_note.push(("", v));
            if super::name(ev) != "poll"
                && a[2] != 0
                && let Some(b) = read_exact(mem, a[2], 16)
            {
                let mut cx = crate::decode::event_cx(ev, opts);
                if let Some(t) = structs::timespec(&b, &mut cx) {
                    ev.ret_note.push(("left", t));
                }
            }
        }
    }
}

/// preadv, pwritev, preadv2, pwritev2: one offset argument on 64-bit ABIs.
pub(super) const PREADV: Handler = Handler::entry(preadv_entry);

fn preadv_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    // 64-bit: pos_l holds the whole offset; pos_h is not printed.
    set(ev, 4, Value::Omitted);
}

/// sendfile, sendfile64: the offset in and out (`[0] => [512]`).
pub(super) const SENDFILE: Handler = Handler::both(sendfile_entry, sendfile_exit);

fn sendfile_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    ev.saved[2] = read_i64(mem, a[2]).map(|v| v as u64);
    defer(ev, 2);
}

fn sendfile_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
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

/// copy_file_range, splice: the input and output offsets, boxed.
pub(super) const COPY_FILE_RANGE: Handler = Handler::entry(copy_file_range_entry);

fn copy_file_range_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
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

/// getrandom: the bytes returned, in hex.
pub(super) const GETRANDOM: Handler = Handler::exit(getrandom_exit);

fn getrandom_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let ret = ev.ret;
    let limit = opts.string_limit;
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

/// ioctl: FIONBIO's and TIOCSWINSZ's argument at entry, FIONREAD's and TIOCGWINSZ's at
/// exit; any other command's argument as an address.
pub(super) const IOCTL: Handler = Handler::both(ioctl_entry, ioctl_exit);

fn ioctl_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    match a[1] & 0xffff_ffff {
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
                    let mut cx = crate::decode::event_cx(ev, opts);
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
    }
}

fn ioctl_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    match a[1] & 0xffff_ffff {
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
                    let mut cx = crate::decode::event_cx(ev, opts);
                    structs::winsize(&b, &mut cx).unwrap_or(Value::Addr(a[2]))
                }
                _ => Value::Addr(a[2]),
            };
            set(ev, 2, v);
        }
        _ => {}
    }
}

/// io_uring_setup: the parameters, printed at exit (in full after a successful setup).
pub(super) const IO_URING_SETUP: Handler = Handler::both(io_uring_setup_entry, io_uring_setup_exit);

fn io_uring_setup_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    defer(ev, 1);
}

fn io_uring_setup_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let v = match read_exact(mem, a[1], 120) {
        Some(b) => {
            let mut cx = crate::decode::event_cx(ev, opts);
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
