//! Pointers to one scalar, printed boxed as strace does (`[N]` for an int, unsigned int,
//! uid/gid, offset or unsigned long the kernel reads or fills), and bitmaps printed as the
//! list of their set bits (`[3 4]`, for fd_sets and CPU masks).

use sysgate_event::Value;

use super::{int, uint};
use crate::decode::{ARRAY_MAX, Cx, Rd};

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
