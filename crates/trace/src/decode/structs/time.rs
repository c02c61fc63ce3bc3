//! Time structures, as strace's time.c, utime.c and times.c print them: `timespec`,
//! `timeval`, `itimerspec`/`itimerval`, utimensat's and utimes' pairs (with `UTIME_NOW` /
//! `UTIME_OMIT`), `utimbuf`, `tms` and `timezone`, plus the local-time date comments
//! (`/* 2023-11-14T22:13:20+0000 */`) that stat and friends append to their timestamps.

use sysgate_event::{Field, Value};

use super::int;
use crate::decode::{Cx, Rd};

/// `UTIME_NOW`
pub const UTIME_NOW: i64 = (1 << 30) - 1;
/// `UTIME_OMIT`
pub const UTIME_OMIT: i64 = (1 << 30) - 2;

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

/// `1700000000 /* 2023-11-14T22:13:20.123456789+0000 */` (no comment for the epoch itself).
pub(super) fn time_with_date(sec: i64, frac: Option<(u64, usize)>, cx: &mut Cx) -> Value {
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

/// `struct timezone`.
pub fn timezone(b: &[u8], _: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    Some(Value::Record(vec![
        Field::new("tz_minuteswest", int(i64::from(r.i32(0)?))),
        Field::new("tz_dsttime", int(i64::from(r.i32(4)?))),
    ]))
}
