//! The encoding primitives both directions of the `.sgt` format share: LEB128 varints, zigzag
//! signed numbers, length-prefixed strings, siginfo records, the bounds-checked payload cursor
//! the reader parses frames with, the ABI code of a syscall frame, and the knowledge-base
//! lookups (an argument's type, flag set, enum set) that decide which values are stored. The
//! writer and the reader must agree on every one of these, so they live in one place.

use sysgate_kb::symbols::{EnumSet, FlagSet};
use sysgate_kb::{Arch, ArgType};

use crate::{SigInfo, SyscallEvent};

#[inline]
pub(super) fn put_var(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[inline]
pub(super) fn zig(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

#[inline]
fn unzig(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

pub(super) fn put_siginfo(out: &mut Vec<u8>, i: &SigInfo) {
    for x in [
        i64::from(i.signo),
        i64::from(i.code),
        i64::from(i.errno),
        i64::from(i.pid),
        i64::from(i.uid),
        i64::from(i.status),
        i.addr as i64,
        i.utime,
        i.stime,
    ] {
        put_var(out, zig(x));
    }
}

pub(super) fn read_siginfo(c: &mut Cur<'_>) -> CurResult<SigInfo> {
    let mut v = [0i64; 9];
    for x in &mut v {
        *x = c.zvar()?;
    }
    Ok(SigInfo {
        signo: v[0] as i32,
        code: v[1] as i32,
        errno: v[2] as i32,
        pid: v[3] as i32,
        uid: v[4] as u32,
        status: v[5] as i32,
        addr: v[6] as u64,
        utime: v[7],
        stime: v[8],
    })
}

pub(super) fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    put_var(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// A cursor over one frame's payload; every read is bounds-checked.
pub(super) struct Cur<'a> {
    pub(super) buf: &'a [u8],
    pub(super) pos: usize,
}

pub(super) type CurResult<T> = Result<T, &'static str>;

impl<'a> Cur<'a> {
    /// A varint. Most fields are deltas under 128, one byte, read here inline; longer ones
    /// take the loop.
    #[inline(always)]
    pub(super) fn var(&mut self) -> CurResult<u64> {
        match self.buf.get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Ok(u64::from(b))
            }
            _ => self.var_long(),
        }
    }

    #[inline(never)]
    fn var_long(&mut self) -> CurResult<u64> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = *self
                .buf
                .get(self.pos)
                .ok_or("field runs past the end of its frame")?;
            self.pos += 1;
            if shift == 63 && b > 1 {
                return Err("varint overflows 64 bits");
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err("varint overflows 64 bits");
            }
        }
    }

    #[inline(always)]
    pub(super) fn zvar(&mut self) -> CurResult<i64> {
        self.var().map(unzig)
    }

    #[inline]
    pub(super) fn byte(&mut self) -> CurResult<u8> {
        let b = *self
            .buf
            .get(self.pos)
            .ok_or("field runs past the end of its frame")?;
        self.pos += 1;
        Ok(b)
    }

    pub(super) fn bytes(&mut self) -> CurResult<&'a [u8]> {
        let len = self.var()? as usize;
        let end = self.pos.checked_add(len).ok_or("length overflows")?;
        let s = self
            .buf
            .get(self.pos..end)
            .ok_or("string runs past the end of its frame")?;
        self.pos = end;
        Ok(s)
    }

    pub(super) fn string(&mut self) -> CurResult<String> {
        Ok(String::from_utf8_lossy(self.bytes()?).into_owned())
    }
}

pub(super) fn arg_type(ev: &SyscallEvent, i: usize) -> Option<ArgType> {
    ev.syscall.and_then(|s| s.args.get(i)).map(|a| a.ty)
}

/// Argument `i` as the kernel reads it (the lower 32 bits of a 32-bit argument): what the
/// decoder decoded, so what a reader must decode again.
pub(super) fn arg_register(ev: &SyscallEvent, i: usize) -> u64 {
    ev.syscall
        .and_then(|s| s.args.get(i))
        .map_or(ev.args[i], |a| a.register(ev.args[i]))
}

pub(super) fn flag_set_at(ev: &SyscallEvent, i: usize) -> Option<&'static FlagSet> {
    match arg_type(ev, i) {
        Some(ArgType::Flags(s)) => Some(s),
        _ => None,
    }
}

pub(super) fn enum_set_at(ev: &SyscallEvent, i: usize) -> Option<&'static EnumSet> {
    match arg_type(ev, i) {
        Some(ArgType::Enum(s)) => Some(s),
        _ => None,
    }
}

pub(super) fn arch_code(a: Arch) -> u8 {
    a as u8
}

pub(super) fn arch_from(code: u8) -> Arch {
    match code {
        1 => Arch::Aarch64,
        2 => Arch::I386,
        _ => Arch::X86_64,
    }
}
