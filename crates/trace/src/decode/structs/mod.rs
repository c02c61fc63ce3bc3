//! Structure decoders: pure functions from the bytes of a C structure (already read from the
//! tracee) to a [`Value`], in strace's notation, plus the dispatcher that reads each structure
//! named in the knowledge base (`struct:NAME` / `outstruct:NAME`).
//!
//! Layouts are the 64-bit Linux ones (x86_64; aarch64 where it differs). A pure decoder returns
//! `None` when the bytes are too short for the structure; the caller then prints the address.
//!
//! This file holds the dispatch: the size and decoder of every fixed-size structure
//! ([`fixed_size`]) and [`decode_named`], which reads a named structure from the tracee. The
//! decoders themselves are grouped by subsystem, as strace groups its own, and re-exported
//! here so that `structs::NAME` reaches each of them:
//!
//! - `file`: stat, statx, statfs, flock, open_how, directory entries;
//! - `time`: timespec, timeval, itimerspec/itimerval, utime pairs, utimbuf, tms, timezone;
//! - `process`: rlimit, rusage, wait status, utsname, sched_attr, sysinfo, capabilities,
//!   clone_args, CPU masks;
//! - `signal`: handlers, sigaction, sigaltstack, siginfo, signal sets;
//! - `io`: iovec, pollfd, epoll_event, io_uring_params, winsize;
//! - `ipc`: sembuf, msgbuf, mq_attr;
//! - `socket`: linger, ucred;
//! - `scalar`: one boxed scalar (`[N]`) and bitmaps (`[3 4]`).

mod file;
mod io;
mod ipc;
mod process;
mod scalar;
mod signal;
mod socket;
mod time;

pub use file::{
    dirent_count, dirents, flock, flock_fields, makedev, open_how, stat, stat_size, statfs, statx,
};
pub use io::{
    buffer_or_addr, epoll_event, epoll_size, io_uring_params, io_uring_params_in, iovec_addrs,
    iovec_array, pollfd_array, winsize,
};
pub use ipc::{mq_attr, msgbuf, sembuf};
pub use process::{
    cap_data, cap_header, clone_args, cpu_mask, rlimit, rusage, sched_attr, sysinfo, utsname,
    wait_status,
};
pub use scalar::{bit_list, int_box, long_box, uid_box, uint_box, ulong_box};
pub use signal::{sigaction, sigaltstack, sighandler, siginfo, siginfo_struct, sigset, sigset_at};
pub use socket::{linger, ucred};
pub use time::{
    UTIME_NOW, UTIME_OMIT, date_string, itimerspec, itimerval, timespec, timespec_pair, timeval,
    timeval_pair, timezone, tms, utimbuf,
};

use sysgate_event::{SyscallEvent, Value};
use sysgate_kb::Arch;

use super::{ARRAY_MAX, Cx, DecodeOptions, Memory, failed, read_exact, read_upto};

/// The size and decoder of a fixed-size struct the kernel reads or fills, by the name the
/// knowledge base uses (`struct:NAME`, `outstruct:NAME`).
fn fixed(name: &str, arch: Arch) -> Option<(usize, PureDecoder)> {
    match name {
        "stat" => Some((stat_size(arch), stat)),
        "statx" => Some((256, statx)),
        "statfs" => Some((120, statfs)),
        "timespec" => Some((16, timespec)),
        "timeval" => Some((16, timeval)),
        "itimerspec" => Some((32, itimerspec)),
        "itimerval" => Some((32, itimerval)),
        "rlimit" | "rlimit64" => Some((16, rlimit)),
        "rusage" => Some((144, rusage)),
        "wait_status" => Some((4, wait_status)),
        "siginfo" => Some((128, siginfo)),
        "sigaction" => Some((32, sigaction)),
        "sigaltstack" => Some((24, sigaltstack)),
        "utsname" => Some((390, utsname)),
        "sched_param" => Some((4, int_box)),
        "io_uring_params" => Some((120, io_uring_params)),
        "flock" => Some((32, flock)),
        "mq_attr" => Some((32, mq_attr)),
        "timespec_pair" => Some((32, timespec_pair)),
        "timeval_pair" => Some((32, timeval_pair)),
        "utimbuf" => Some((16, utimbuf)),
        "tms" => Some((32, tms)),
        "timezone" => Some((8, timezone)),
        "sysinfo" => Some((112, sysinfo)),
        "int" | "sockopt_int" => Some((4, int_box)),
        "uint32" => Some((4, uint_box)),
        "uid32" => Some((4, uid_box)),
        "loff" => Some((8, long_box)),
        "ulong" => Some((8, ulong_box)),
        "epoll_event" => Some((epoll_size(arch), epoll_event)),
        "linger" => Some((8, linger)),
        "ucred" => Some((12, ucred)),
        "winsize" => Some((8, winsize)),
        "cap_header" => Some((8, cap_header)),
        "cap_data" => Some((24, cap_data)),
        _ => None,
    }
}

/// Bytes of a fixed-size struct named in the knowledge base, for `arch`; `None` for
/// variable-size or undecoded ones. The eBPF backend copies this much at the pointer.
pub fn fixed_size(name: &str, arch: Arch) -> Option<usize> {
    fixed(name, arch).map(|(size, _)| size)
}

/// Reads the structure `name` at `addr` for argument `i` and decodes it (socket messages are
/// [`super::net`]'s).
pub fn decode_named(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    name: &'static str,
    i: usize,
    addr: u64,
    opts: &DecodeOptions,
) -> Value {
    let args = ev.args;
    let arch = ev.arch;
    let limit = opts.string_limit.min(ARRAY_MAX);
    // Fixed-size structures: (size, decoder).
    let fixed = fixed(name, arch);
    if let Some((size, f)) = fixed {
        let Some(b) = read_exact(mem, addr, size) else {
            return Value::Unreadable(addr);
        };
        let mut cx = super::event_cx(ev, opts);
        return f(&b, &mut cx).unwrap_or(Value::Unreadable(addr));
    }
    match name {
        "pollfd" => {
            let n = args[1] as u32 as usize;
            let shown = n.min(limit);
            let b = read_upto(mem, addr, shown * 8);
            if b.len() < 8 && n > 0 {
                return Value::Unreadable(addr);
            }
            let mut cx = super::event_cx(ev, opts);
            pollfd_array(&b, n, false, &mut cx)
        }
        "epoll_events" => {
            if failed(ev) {
                return Value::Addr(addr);
            }
            let n = (ev.ret.max(0) as usize).min(limit);
            let size = epoll_size(arch);
            let b = read_upto(mem, addr, n * size);
            let more = (ev.ret.max(0) as usize) > n;
            let mut cx = super::event_cx(ev, opts);
            let items = b
                .chunks_exact(size)
                .filter_map(|c| epoll_event(c, &mut cx))
                .collect();
            Value::Array { items, more }
        }
        "sembuf" => {
            let n = args[2] as u32 as usize;
            let shown = n.min(limit);
            let b = read_upto(mem, addr, shown * 6);
            if b.len() < 6 && n > 0 {
                return Value::Unreadable(addr);
            }
            Value::Array {
                items: b.chunks_exact(6).filter_map(sembuf).collect(),
                more: n > shown,
            }
        }
        "msgbuf" => {
            let want = (args[2] as usize)
                .min(opts.string_limit)
                .min(super::READ_MAX);
            let b = read_upto(mem, addr, 8 + want);
            if b.len() < 8 {
                return Value::Unreadable(addr);
            }
            let mut cx = super::event_cx(ev, opts);
            msgbuf(&b, args[2] as usize, &mut cx).unwrap_or(Value::Unreadable(addr))
        }
        "linux_dirent64" | "linux_dirent" => {
            if failed(ev) {
                return Value::Addr(addr);
            }
            let b = read_upto(mem, addr, ev.ret.max(0) as usize);
            let dirent64 = name == "linux_dirent64";
            if opts.verbose {
                let mut cx = super::event_cx(ev, opts);
                return dirents(&b, dirent64, &mut cx);
            }
            let n = dirent_count(&b);
            let mut cx = super::event_cx(ev, opts);
            let text = format!("{n} entries");
            cx.comment(Value::Addr(addr), &text)
        }
        "sched_attr" => {
            let b = read_upto(mem, addr, 128);
            let mut cx = super::event_cx(ev, opts);
            sched_attr(&b, &mut cx).unwrap_or(Value::Unreadable(addr))
        }
        "open_how" => {
            let size = args[3] as usize;
            if size < 24 {
                return Value::Addr(addr);
            }
            let Some(b) = read_exact(mem, addr, 24) else {
                return Value::Unreadable(addr);
            };
            let mut cx = super::event_cx(ev, opts);
            open_how(&b, &mut cx).unwrap_or(Value::Unreadable(addr))
        }
        "clone_args" => {
            let size = (args[1] as usize).min(128);
            let Some(b) = read_exact(mem, addr, size) else {
                return Value::Unreadable(addr);
            };
            let mut cx = super::event_cx(ev, opts);
            clone_args(&b, &mut cx).unwrap_or(Value::Addr(addr))
        }
        "timespec_rem" => {
            // nanosleep's remaining time: only meaningful when the sleep was interrupted.
            let _ = i;
            Value::Addr(addr)
        }
        _ => Value::Struct { name, addr },
    }
}

fn int(n: i64) -> Value {
    Value::Int(n)
}

fn uint(n: u64) -> Value {
    Value::UInt(n)
}

/// A pure decoder.
pub type PureDecoder = fn(&[u8], &mut Cx) -> Option<Value>;

#[cfg(test)]
pub(crate) fn all_pure() -> Vec<(&'static str, PureDecoder)> {
    vec![
        ("timespec", timespec),
        ("timeval", timeval),
        ("itimerspec", itimerspec),
        ("itimerval", itimerval),
        ("rlimit", rlimit),
        ("rusage", rusage),
        ("stat", stat),
        ("statx", statx),
        ("statfs", statfs),
        ("sigaction", sigaction),
        ("sigaltstack", sigaltstack),
        ("siginfo", siginfo),
        ("wait_status", wait_status),
        ("int_box", int_box),
        ("uint_box", uint_box),
        ("uid_box", uid_box),
        ("long_box", long_box),
        ("ulong_box", ulong_box),
        ("utsname", utsname),
        ("sched_attr", sched_attr),
        ("io_uring_params", io_uring_params),
        ("flock", flock),
        ("mq_attr", mq_attr),
        ("timespec_pair", timespec_pair),
        ("timeval_pair", timeval_pair),
        ("utimbuf", utimbuf),
        ("tms", tms),
        ("timezone", timezone),
        ("sysinfo", sysinfo),
        ("epoll_event", epoll_event),
        ("linger", linger),
        ("ucred", ucred),
        ("winsize", winsize),
        ("cap_header", cap_header),
        ("cap_data", cap_data),
        ("open_how", open_how),
        ("clone_args", clone_args),
    ]
}
