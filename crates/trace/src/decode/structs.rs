//! Structure decoders: pure functions from the bytes of a C structure (already read from the
//! tracee) to a [`Value`], in strace's notation, plus the dispatcher that reads each structure
//! named in the knowledge base (`struct:NAME` / `outstruct:NAME`).
//!
//! Layouts are the 64-bit Linux ones (x86_64; aarch64 where it differs). A pure decoder returns
//! `None` when the bytes are too short for the structure; the caller then prints the address.

use sysgate_event::{Field, SigInfo, SyscallEvent, Value};
use sysgate_kb::Arch;
use sysgate_kb::symbols::{enum_set, flag_set};

use super::consts;
use super::{ARRAY_MAX, Cx, DecodeOptions, Memory, Rd, failed, read_exact, read_upto};

/// `UTIME_NOW`
pub const UTIME_NOW: i64 = (1 << 30) - 1;
/// `UTIME_OMIT`
pub const UTIME_OMIT: i64 = (1 << 30) - 2;

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

/// The size of `struct stat` on `arch`.
pub fn stat_size(arch: Arch) -> usize {
    if arch == Arch::Aarch64 { 128 } else { 144 }
}

/// The size of `struct epoll_event` on `arch` (packed on x86_64).
pub fn epoll_size(arch: Arch) -> usize {
    if arch == Arch::X86_64 { 12 } else { 16 }
}

fn int(n: i64) -> Value {
    Value::Int(n)
}

fn uint(n: u64) -> Value {
    Value::UInt(n)
}

/// `{tv_sec=1, tv_nsec=0}`.
pub fn timespec(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("tv_sec", int(r.i64(0)?)),
        Field::new("tv_nsec", int(r.i64(8)?)),
    ]))
}

/// `{tv_sec=1, tv_usec=0}`.
pub fn timeval(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("tv_sec", int(r.i64(0)?)),
        Field::new("tv_usec", int(r.i64(8)?)),
    ]))
}

/// `{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}`.
pub fn itimerspec(b: &[u8], cx: &mut Cx) -> Option<Value> {
    Some(Value::Record(vec![
        Field::new("it_interval", timespec(b.get(0..16)?, cx)?),
        Field::new("it_value", timespec(b.get(16..32)?, cx)?),
    ]))
}

/// `{it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=0}}`.
pub fn itimerval(b: &[u8], cx: &mut Cx) -> Option<Value> {
    Some(Value::Record(vec![
        Field::new("it_interval", timeval(b.get(0..16)?, cx)?),
        Field::new("it_value", timeval(b.get(16..32)?, cx)?),
    ]))
}

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

/// `makedev(0x8, 0x1)` from a Linux `dev_t`.
pub fn makedev(dev: u64) -> Value {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    Value::Call {
        func: "makedev",
        args: vec![Value::Hex(major), Value::Hex(minor)],
    }
}

/// `1700000000 /* 2023-11-14T22:13:20.123456789+0000 */` (no comment for the epoch itself).
fn time_with_date(sec: i64, frac: Option<(u64, usize)>, cx: &mut Cx) -> Value {
    match date_string(sec, frac) {
        Some(d) if sec != 0 || frac.is_some_and(|(f, _)| f != 0) => cx.comment(int(sec), &d),
        _ => int(sec),
    }
}

/// `2009-02-13T23:31:30.000000005+0000` in local time, as strace's comments show dates.
pub fn date_string(sec: i64, frac: Option<(u64, usize)>) -> Option<String> {
    // SAFETY: `tm` is a live zeroed local that localtime_r fills; `t` is a live local; the
    // function keeps no pointer to either.
    let tm = unsafe {
        let t: libc::time_t = sec;
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        tm
    };
    let off = tm.tm_gmtoff;
    let sign = if off < 0 { '-' } else { '+' };
    let off = off.unsigned_abs();
    // strace leaves out a zero fraction.
    let frac = match frac {
        Some((f, digits)) if f != 0 => format!(".{f:0digits$}"),
        _ => String::new(),
    };
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{frac}{sign}{:02}{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        off / 3600,
        off / 60 % 60
    ))
}

/// `struct stat`: `{st_mode=S_IFREG|0644, st_size=33699, ...}`; in full with `-v`.
pub fn stat(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let aarch64 = cx.arch == Arch::Aarch64 || b.len() == 128;
    let (dev, ino, mode, nlink, uid, gid, rdev, size, blksize, blocks) = if aarch64 {
        (
            r.u64(0)?,
            r.u64(8)?,
            r.u32(16)?,
            u64::from(r.u32(20)?),
            r.u32(24)?,
            r.u32(28)?,
            r.u64(32)?,
            r.i64(48)?,
            i64::from(r.i32(56)?),
            r.i64(64)?,
        )
    } else {
        (
            r.u64(0)?,
            r.u64(8)?,
            r.u32(24)?,
            r.u64(16)?,
            r.u32(28)?,
            r.u32(32)?,
            r.u64(40)?,
            r.i64(48)?,
            r.i64(56)?,
            r.i64(64)?,
        )
    };
    let v = cx.verbose;
    let mut f = vec![
        Field::shown_if("st_dev", makedev(dev), v),
        Field::shown_if("st_ino", uint(ino), v),
        Field::new("st_mode", Value::Mode(mode)),
        Field::shown_if("st_nlink", uint(nlink), v),
        Field::shown_if("st_uid", uint(u64::from(uid)), v),
        Field::shown_if("st_gid", uint(u64::from(gid)), v),
        Field::shown_if("st_blksize", int(blksize), v),
        Field::shown_if("st_blocks", int(blocks), v),
    ];
    let kind = mode & 0o170000;
    if kind == 0o020000 || kind == 0o060000 {
        f.push(Field::new("st_rdev", makedev(rdev)));
    } else {
        f.push(Field::new("st_size", int(size)));
    }
    for (k, name) in ["st_atime", "st_mtime", "st_ctime"].into_iter().enumerate() {
        let sec = r.i64(72 + 16 * k)?;
        let nsec = r.u64(80 + 16 * k)?;
        let t = time_with_date(sec, Some((nsec, 9)), cx);
        f.push(Field::shown_if(name, t, v));
        let nname = ["st_atime_nsec", "st_mtime_nsec", "st_ctime_nsec"][k];
        f.push(Field::shown_if(nname, uint(nsec), v));
    }
    Some(Value::Record(f))
}

fn statx_ts(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let sec = r.i64(0)?;
    let nsec = r.u32(8)?;
    let rec = Value::Record(vec![
        Field::new("tv_sec", int(sec)),
        Field::new("tv_nsec", uint(u64::from(nsec))),
    ]);
    Some(match date_string(sec, Some((u64::from(nsec), 9))) {
        Some(d) if sec != 0 || nsec != 0 => cx.comment(rec, &d),
        _ => rec,
    })
}

/// `struct statx`: `{stx_mask=STATX_BASIC_STATS, stx_attributes=0, stx_mode=S_IFREG|0644,
/// stx_size=512, ...}`; in full with `-v`.
pub fn statx(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let v = cx.verbose;
    let mask_set = flag_set("statx_mask")?;
    let mut f = vec![
        Field::new("stx_mask", Value::Flags(mask_set, u64::from(r.u32(0)?))),
        Field::shown_if("stx_blksize", uint(u64::from(r.u32(4)?)), v),
        Field::new(
            "stx_attributes",
            Value::Flags(&consts::STATX_ATTRS, r.u64(8)?),
        ),
        Field::shown_if("stx_nlink", uint(u64::from(r.u32(16)?)), v),
        Field::shown_if("stx_uid", uint(u64::from(r.u32(20)?)), v),
        Field::shown_if("stx_gid", uint(u64::from(r.u32(24)?)), v),
        Field::new("stx_mode", Value::Mode(u32::from(r.u16(28)?))),
        Field::shown_if("stx_ino", uint(r.u64(32)?), v),
        Field::new("stx_size", uint(r.u64(40)?)),
        Field::shown_if("stx_blocks", uint(r.u64(48)?), v),
        Field::shown_if(
            "stx_attributes_mask",
            Value::Flags(&consts::STATX_ATTRS, r.u64(56)?),
            v,
        ),
    ];
    let mask = r.u32(0)?;
    for (k, name) in ["stx_atime", "stx_btime", "stx_ctime", "stx_mtime"]
        .into_iter()
        .enumerate()
    {
        // The birth time is shown only when the filesystem reported it.
        if name == "stx_btime" && mask & 0x800 == 0 {
            continue;
        }
        let t = statx_ts(b.get(64 + 16 * k..80 + 16 * k)?, cx)?;
        f.push(Field::shown_if(name, t, v));
    }
    for (k, name) in [
        "stx_rdev_major",
        "stx_rdev_minor",
        "stx_dev_major",
        "stx_dev_minor",
    ]
    .into_iter()
    .enumerate()
    {
        f.push(Field::shown_if(
            name,
            uint(u64::from(r.u32(128 + 4 * k)?)),
            v,
        ));
    }
    if mask & 0x1000 != 0 {
        f.push(Field::shown_if("stx_mnt_id", Value::Hex(r.u64(144)?), v));
    }
    if mask & 0x2000 != 0 {
        let mem = uint(u64::from(r.u32(152)?));
        let off = uint(u64::from(r.u32(156)?));
        f.push(Field::shown_if("stx_dio_mem_align", mem, v));
        f.push(Field::shown_if("stx_dio_offset_align", off, v));
    }
    Some(Value::Record(f))
}

/// `struct statfs`: `{f_type=PROC_SUPER_MAGIC, f_bsize=4096, …, f_flags=ST_VALID|ST_RELATIME}`.
pub fn statfs(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let ftype = r.i64(0)? as u64;
    let ftype_v = match consts::fs_magic_name(ftype) {
        Some(name) => Value::Const {
            raw: ftype as i64,
            name,
        },
        None => Value::Hex(ftype),
    };
    let fsid = Value::Record(vec![Field::new(
        "val",
        Value::Array {
            items: vec![
                Value::Hex(u64::from(r.u32(56)?)),
                Value::Hex(u64::from(r.u32(60)?)),
            ],
            more: false,
        },
    )]);
    Some(Value::Record(vec![
        Field::new("f_type", ftype_v),
        Field::new("f_bsize", int(r.i64(8)?)),
        Field::new("f_blocks", uint(r.u64(16)?)),
        Field::new("f_bfree", uint(r.u64(24)?)),
        Field::new("f_bavail", uint(r.u64(32)?)),
        Field::new("f_files", uint(r.u64(40)?)),
        Field::new("f_ffree", uint(r.u64(48)?)),
        Field::new("f_fsid", fsid),
        Field::new("f_namelen", int(r.i64(64)?)),
        Field::new("f_frsize", int(r.i64(72)?)),
        Field::new("f_flags", Value::Flags(&consts::STATFS_FLAGS, r.u64(80)?)),
    ]))
}

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

/// `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
pub fn wait_status(b: &[u8], _: &mut Cx) -> Option<Value> {
    Rd(b).i32(0).map(Value::WaitStatus)
}

/// `[N]` from a C int.
pub fn int_box(b: &[u8], _: &mut Cx) -> Option<Value> {
    Some(Value::Array {
        items: vec![int(i64::from(Rd(b).i32(0)?))],
        more: false,
    })
}

/// `[N]` from an unsigned int.
pub fn uint_box(b: &[u8], _: &mut Cx) -> Option<Value> {
    Some(Value::Array {
        items: vec![uint(u64::from(Rd(b).u32(0)?))],
        more: false,
    })
}

/// `[N]` from a uid/gid (`-1` for the all-ones value).
pub fn uid_box(b: &[u8], _: &mut Cx) -> Option<Value> {
    let v = Rd(b).u32(0)?;
    Some(Value::Array {
        items: vec![int(if v == u32::MAX { -1 } else { i64::from(v) })],
        more: false,
    })
}

/// `[N]` from a 64-bit signed value (an offset).
pub fn long_box(b: &[u8], _: &mut Cx) -> Option<Value> {
    Some(Value::Array {
        items: vec![int(Rd(b).i64(0)?)],
        more: false,
    })
}

/// `[N]` from a 64-bit unsigned value.
pub fn ulong_box(b: &[u8], _: &mut Cx) -> Option<Value> {
    Some(Value::Array {
        items: vec![uint(Rd(b).u64(0)?)],
        more: false,
    })
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

/// `struct flock`: `{l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}` (with `l_pid`
/// when `with_pid`).
pub fn flock_fields(b: &[u8], with_pid: bool) -> Option<Value> {
    let r = Rd(b);
    let ltype = r.i16(0)?;
    let ltype_v = match ltype {
        0 => Value::Sym("F_RDLCK"),
        1 => Value::Sym("F_WRLCK"),
        2 => Value::Sym("F_UNLCK"),
        n => Value::Int(i64::from(n)),
    };
    let mut f = vec![
        Field::new("l_type", ltype_v),
        Field::new(
            "l_whence",
            Value::Enum(enum_set("seek")?, r.i16(2)? as u16 as u64),
        ),
        Field::new("l_start", int(r.i64(8)?)),
        Field::new("l_len", int(r.i64(16)?)),
    ];
    if with_pid {
        f.push(Field::new("l_pid", int(i64::from(r.i32(24)?))));
    }
    Some(Value::Record(f))
}

/// `struct flock` as a lock request.
pub fn flock(b: &[u8], _: &mut Cx) -> Option<Value> {
    flock_fields(b, false)
}

/// `struct mq_attr`: `{mq_flags=0, mq_maxmsg=4, mq_msgsize=32, mq_curmsgs=0}`.
pub fn mq_attr(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let flags = r.i64(0)? as u64;
    let flags_v = if flags == 0 {
        int(0)
    } else {
        Value::Flags(&consts::MQ_FLAGS, flags)
    };
    Some(Value::Record(vec![
        Field::new("mq_flags", flags_v),
        Field::new("mq_maxmsg", int(r.i64(8)?)),
        Field::new("mq_msgsize", int(r.i64(16)?)),
        Field::new("mq_curmsgs", int(r.i64(24)?)),
    ]))
}

fn utime_ts(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let sec = r.i64(0)?;
    let nsec = r.i64(8)?;
    Some(match nsec {
        UTIME_NOW => Value::Const {
            raw: UTIME_NOW,
            name: "UTIME_NOW",
        },
        UTIME_OMIT => Value::Const {
            raw: UTIME_OMIT,
            name: "UTIME_OMIT",
        },
        _ => {
            let rec = Value::Record(vec![
                Field::new("tv_sec", int(sec)),
                Field::new("tv_nsec", int(nsec)),
            ]);
            match date_string(sec, Some((nsec as u64, 9))) {
                Some(d) if (sec != 0 || nsec != 0) && (0..1_000_000_000).contains(&nsec) => {
                    cx.comment(rec, &d)
                }
                _ => rec,
            }
        }
    })
}

/// utimensat's `[{tv_sec=0, tv_nsec=0}, UTIME_OMIT]`.
pub fn timespec_pair(b: &[u8], cx: &mut Cx) -> Option<Value> {
    Some(Value::Array {
        items: vec![utime_ts(b.get(0..16)?, cx)?, utime_ts(b.get(16..32)?, cx)?],
        more: false,
    })
}

/// utimes' `[{tv_sec=…, tv_usec=…}, {…}]`.
pub fn timeval_pair(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let mut items = Vec::new();
    for k in 0..2 {
        let r = Rd(b.get(16 * k..16 * k + 16)?);
        let sec = r.i64(0)?;
        let usec = r.i64(8)?;
        let rec = Value::Record(vec![
            Field::new("tv_sec", int(sec)),
            Field::new("tv_usec", int(usec)),
        ]);
        items.push(match date_string(sec, Some((usec as u64, 6))) {
            Some(d) if (sec != 0 || usec != 0) && (0..1_000_000).contains(&usec) => {
                cx.comment(rec, &d)
            }
            _ => rec,
        });
    }
    Some(Value::Array { items, more: false })
}

/// `struct utimbuf`: `{actime=… /* date */, modtime=… /* date */}`.
pub fn utimbuf(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let a = time_with_date(r.i64(0)?, None, cx);
    let m = time_with_date(r.i64(8)?, None, cx);
    Some(Value::Record(vec![
        Field::new("actime", a),
        Field::new("modtime", m),
    ]))
}

/// `struct tms`.
pub fn tms(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("tms_utime", int(r.i64(0)?)),
        Field::new("tms_stime", int(r.i64(8)?)),
        Field::new("tms_cutime", int(r.i64(16)?)),
        Field::new("tms_cstime", int(r.i64(24)?)),
    ]))
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

/// `struct timezone`.
pub fn timezone(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("tz_minuteswest", int(i64::from(r.i32(0)?))),
        Field::new("tz_dsttime", int(i64::from(r.i32(4)?))),
    ]))
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

/// `struct linger`: `{l_onoff=1, l_linger=5}`.
pub fn linger(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("l_onoff", int(i64::from(r.i32(0)?))),
        Field::new("l_linger", int(i64::from(r.i32(4)?))),
    ]))
}

/// `struct ucred`: `{pid=1234, uid=0, gid=0}`.
pub fn ucred(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("pid", int(i64::from(r.i32(0)?))),
        Field::new("uid", uint(u64::from(r.u32(4)?))),
        Field::new("gid", uint(u64::from(r.u32(8)?))),
    ]))
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

/// `struct open_how`: `{flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}` (mode only
/// with `O_CREAT`/`O_TMPFILE`, as strace prints it).
pub fn open_how(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let flags = r.u64(0)?;
    let mut f = vec![Field::new("flags", Value::Flags(flag_set("open")?, flags))];
    if flags & (0o100 | 0o20000000) != 0 {
        f.push(Field::new("mode", Value::Mode(r.u64(8)? as u32)));
    }
    f.push(Field::new(
        "resolve",
        Value::Flags(&consts::RESOLVE_FLAGS, r.u64(16)?),
    ));
    Some(Value::Record(f))
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

/// `struct sembuf`: `{sem_num=0, sem_op=2, sem_flg=IPC_NOWAIT}`.
pub fn sembuf(b: &[u8]) -> Option<Value> {
    let r = Rd(b);
    let flg = r.i16(4)? as u16 as u64;
    Some(Value::Record(vec![
        Field::new("sem_num", uint(u64::from(r.u16(0)?))),
        Field::new("sem_op", int(i64::from(r.i16(2)?))),
        Field::new(
            "sem_flg",
            if flg == 0 {
                int(0)
            } else {
                Value::Flags(&consts::SEM_FLAGS, flg)
            },
        ),
    ]))
}

/// `struct msgbuf` with `size` bytes of text: `{mtype=7, mtext="hello"}`.
pub fn msgbuf(b: &[u8], size: usize, cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let mtype = r.i64(0)?;
    let text = b.get(8..).unwrap_or_default();
    let text = &text[..text.len().min(size)];
    let s = cx.str(text, size > text.len().max(cx.limit));
    Some(Value::Record(vec![
        Field::new("mtype", int(mtype)),
        Field::new("mtext", s),
    ]))
}

/// Number of directory entries in a getdents buffer (walking `d_reclen`).
pub fn dirent_count(b: &[u8]) -> usize {
    let mut off = 0usize;
    let mut n = 0usize;
    while let Some(reclen) = Rd(b).u16(off + 16) {
        if reclen == 0 {
            break;
        }
        n += 1;
        off += usize::from(reclen);
    }
    n
}

/// The entries of a getdents buffer, for `-v`.
pub fn dirents(b: &[u8], dirent64: bool, cx: &mut Cx) -> Value {
    let mut items = Vec::new();
    let mut off = 0usize;
    let mut more = false;
    while let Some(reclen) = Rd(b).u16(off + 16) {
        if reclen < 19 {
            break;
        }
        let end = (off + usize::from(reclen)).min(b.len());
        let rec = &b[off..end];
        if items.len() >= cx.limit.min(ARRAY_MAX) {
            more = true;
            break;
        }
        let r = Rd(rec);
        let (Some(ino), Some(doff)) = (r.u64(0), r.i64(8)) else {
            break;
        };
        let (dtype, name) = if dirent64 {
            (r.u8(18).unwrap_or(0), rec.get(19..).unwrap_or_default())
        } else {
            (
                rec.last().copied().unwrap_or(0),
                rec.get(18..rec.len().saturating_sub(1)).unwrap_or_default(),
            )
        };
        let name = cx.cstr(name);
        items.push(Value::Record(vec![
            Field::new("d_ino", uint(ino)),
            Field::new("d_off", int(doff)),
            Field::new("d_reclen", uint(u64::from(reclen))),
            Field::new("d_type", consts::dtype(dtype)),
            Field::new("d_name", name),
        ]));
        off += usize::from(reclen);
    }
    Value::Array { items, more }
}

/// A CPU mask: `[0 1]`.
pub fn cpu_mask(b: &[u8]) -> Value {
    bit_list(b, b.len() * 8)
}

/// The members of a bitmap of `nbits` bits, as `[3 4]`.
pub fn bit_list(b: &[u8], nbits: usize) -> Value {
    let mut items = Vec::new();
    let mut more = false;
    for (i, byte) in b.iter().enumerate() {
        if *byte == 0 {
            continue;
        }
        for bit in 0..8 {
            let n = i * 8 + bit;
            if n >= nbits {
                break;
            }
            if byte & (1 << bit) != 0 {
                if items.len() >= ARRAY_MAX {
                    more = true;
                    break;
                }
                items.push(n as u32);
            }
        }
    }
    Value::NumSet { items, more }
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
    match super::buffer(ev, mem, addr, len, limit) {
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
