//! Descriptors and files, as strace's fcntl.c, open.c, pipe.c, desc.c, stat.c, access.c
//! and umask.c handle them beyond the signature: pipe2's and dup3's `O_*` flags without an
//! access mode, statx's and faccessat2's `AT_*` flags, fcntl's command-dependent argument
//! (omitted, flags, a signal, a `struct flock` read at entry or at exit) and its annotated
//! results (`= 0x8002 (flags O_RDWR)`), getcwd's path without its NUL, umask's octal result.

use sysgate_event::{SyscallEvent, Value};
use sysgate_kb::symbols::flag_set;

use super::{Handler, defer, ret_hex_with, set};
use crate::decode::{DecodeOptions, Memory, consts, failed, read_exact, structs};

/// pipe2: `O_CLOEXEC|O_NONBLOCK`, never an access mode.
pub(super) const PIPE2: Handler = Handler::entry(pipe2_entry);

fn pipe2_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 1, Value::Flags(&consts::OPEN_NOACC, a[1]));
}

/// dup3: `O_CLOEXEC`, never an access mode.
pub(super) const DUP3: Handler = Handler::entry(dup3_entry);

fn dup3_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 2, Value::Flags(&consts::OPEN_NOACC, a[2]));
}

/// statx: the `AT_*` flags with the `AT_STATX_*` sync modes.
pub(super) const STATX: Handler = Handler::entry(statx_entry);

fn statx_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(ev, 2, Value::Flags(&consts::STATX_AT, a[2] & 0xffff_ffff));
}

/// faccessat2: the `AT_*` flags it accepts.
pub(super) const FACCESSAT2: Handler = Handler::entry(faccessat2_entry);

fn faccessat2_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    set(
        ev,
        3,
        Value::Flags(&consts::FACCESSAT_FLAGS, a[3] & 0xffff_ffff),
    );
}

/// getcwd: the path, without the terminating NUL the returned length counts.
pub(super) const GETCWD: Handler = Handler::exit(getcwd_exit);

fn getcwd_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let ret = ev.ret;
    // A path: printed whole, whatever -s says, as strace prints it.
    let _ = opts;
    // The returned length counts the terminating NUL, which strace does not show.
    if ok && a[0] != 0 {
        let n = (ret as usize).saturating_sub(1);
        let v = crate::decode::buffer(ev, mem, a[0], n as u64, crate::decode::PATH_MAX);
        set(ev, 0, v);
    }
}

/// umask: the previous mask, in octal.
pub(super) const UMASK: Handler = Handler::exit(umask_exit);

fn umask_exit(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let ret = ev.ret;
    ev.ret_value = Some(Value::Octal(ret as u64));
}

/// fcntl, fcntl64: the argument as the command uses it; F_GETLK's lock and the F_GET*
/// results at exit.
pub(super) const FCNTL: Handler = Handler::both(fcntl_entry, fcntl_exit);

const F_DUPFD: u64 = 0;
const F_GETFD: u64 = 1;
const F_SETFD: u64 = 2;
const F_GETFL: u64 = 3;
const F_SETFL: u64 = 4;
const F_GETLK: u64 = 5;
const F_SETLK: u64 = 6;
const F_SETLKW: u64 = 7;
const F_OFD_GETLK: u64 = 36;
const F_OFD_SETLK: u64 = 37;
const F_OFD_SETLKW: u64 = 38;
const F_GETLEASE: u64 = 1025;
const F_DUPFD_CLOEXEC: u64 = 1030;
const F_ADD_SEALS: u64 = 1033;
const F_GET_SEALS: u64 = 1034;

fn fcntl_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let cmd = a[1] & 0xffff_ffff;
    let arg = a[2];
    let v = match cmd {
        F_GETFD | F_GETFL | 9 | 11 | F_GETLEASE | 1032 | F_GET_SEALS | 1035 | 1037 => {
            Value::Omitted
        }
        F_SETFD => Value::Flags(
            flag_set("fdflags").unwrap_or(&consts::SEALS),
            arg & 0xffff_ffff,
        ),
        F_SETFL => Value::Flags(&consts::OPEN, arg & 0xffff_ffff),
        F_DUPFD | F_DUPFD_CLOEXEC | 8 | 1031 => Value::Int(i64::from(arg as u32 as i32)),
        10 | 1026 => Value::Signal(arg as u32 as i32),
        F_ADD_SEALS => Value::Flags(&consts::SEALS, arg & 0xffff_ffff),
        1024 => match arg as u32 {
            0 => Value::Sym("F_RDLCK"),
            1 => Value::Sym("F_WRLCK"),
            2 => Value::Sym("F_UNLCK"),
            n => Value::Int(i64::from(n as i32)),
        },
        F_SETLK | F_SETLKW | F_OFD_SETLK | F_OFD_SETLKW | 13 | 14 => {
            match read_exact(mem, arg, 32) {
                Some(b) => structs::flock_fields(&b, false).unwrap_or(Value::Addr(arg)),
                None => Value::Addr(arg),
            }
        }
        F_GETLK | F_OFD_GETLK | 12 => {
            defer(ev, 2);
            return;
        }
        _ => Value::Hex(arg),
    };
    set(ev, 2, v);
}

fn fcntl_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let cmd = a[1] & 0xffff_ffff;
    let ok = !failed(ev);
    let ret = ev.ret;
    match cmd {
        F_GETLK | F_OFD_GETLK | 12 => {
            let v = match (ok, read_exact(mem, a[2], 32)) {
                (true, Some(b)) => structs::flock_fields(&b, true).unwrap_or(Value::Addr(a[2])),
                _ => Value::Addr(a[2]),
            };
            set(ev, 2, v);
        }
        F_GETFD if ok && ret != 0 => {
            if let Some(s) = flag_set("fdflags") {
                ret_hex_with(ev, "flags", Value::Flags(s, ret as u64));
            }
        }
        F_GETFL if ok => ret_hex_with(ev, "flags", Value::Flags(&consts::OPEN, ret as u64)),
        F_GET_SEALS if ok && ret != 0 => {
            ret_hex_with(ev, "seals", Value::Flags(&consts::SEALS, ret as u64));
        }
        F_GETLEASE if ok => {
            let v = match ret {
                0 => Value::Sym("F_RDLCK"),
                1 => Value::Sym("F_WRLCK"),
                2 => Value::Sym("F_UNLCK"),
                _ => return,
            };
            ev.ret_note.push(("", v));
        }
        _ => {}
    }
}
