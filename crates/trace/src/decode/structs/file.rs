//! File and filesystem structures, as strace's stat.c, statx.c, statfs.c, fcntl.c, open.c and
//! dirent.c print them: `struct stat` (with `makedev()` device numbers), `struct statx`,
//! `struct statfs`, `struct flock`, openat2's `struct open_how` and getdents' directory
//! entries.

use sysgate_event::{Field, Value};
use sysgate_kb::Arch;
use sysgate_kb::symbols::{enum_set, flag_set};

use super::time::{date_string, time_with_date};
use super::{int, uint};
use crate::decode::{ARRAY_MAX, Cx, Rd, consts};

/// The size of `struct stat` on `arch`.
pub fn stat_size(arch: Arch) -> usize {
    if arch == Arch::Aarch64 { 128 } else { 144 }
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
            Field::new("d_type", d_type(dtype)),
            Field::new("d_name", name),
        ]));
        off += usize::from(reclen);
    }
    Value::Array { items, more }
}

/// `d_type` of a directory entry.
pub fn d_type(t: u8) -> Value {
    let name = match t {
        0 => "DT_UNKNOWN",
        1 => "DT_FIFO",
        2 => "DT_CHR",
        4 => "DT_DIR",
        6 => "DT_BLK",
        8 => "DT_REG",
        10 => "DT_LNK",
        12 => "DT_SOCK",
        14 => "DT_WHT",
        _ => return Value::UInt(u64::from(t)),
    };
    Value::Const {
        raw: i64::from(t),
        name,
    }
}
