//! `io_uring_register(2)` as strace prints it: the opcode by name (`/* IORING_REGISTER_??? */`
//! for the ones strace 6.1 does not know) and the argument decoded per opcode: iovec arrays
//! for buffers, descriptor arrays (with `-y` paths) for files and eventfds, the update and
//! resource-registration structures with their data and tag arrays, restrictions, ring fd
//! updates and provided-buffer rings. Arrays print the way strace prints any array: `NULL`,
//! `[]`, the address when the first element cannot be read, `... /* addr */` where a later one
//! cannot, and `...` past the `-s` limit.

use sysgate_event::{Field, SyscallEvent, Value, Xlat};

use super::{Handler, set};
use crate::decode::{DecodeOptions, Memory, Rd, consts, fd_value, read_exact};

const REGISTER_BUFFERS: u32 = 0;
const REGISTER_FILES: u32 = 2;
const REGISTER_EVENTFD: u32 = 4;
const REGISTER_FILES_UPDATE: u32 = 6;
const REGISTER_EVENTFD_ASYNC: u32 = 7;
const REGISTER_RESTRICTIONS: u32 = 11;
const REGISTER_FILES2: u32 = 13;
const REGISTER_FILES_UPDATE2: u32 = 14;
const REGISTER_BUFFERS2: u32 = 15;
const REGISTER_BUFFERS_UPDATE: u32 = 16;
const REGISTER_RING_FDS: u32 = 20;
const UNREGISTER_RING_FDS: u32 = 21;
const REGISTER_PBUF_RING: u32 = 22;
const UNREGISTER_PBUF_RING: u32 = 23;

/// `io_uring_register(fd, opcode, arg, nr_args)`.
pub(super) const IO_URING_REGISTER: Handler = Handler::entry(register_entry);

fn register_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let op = ev.args[1] as u32;
    let arg = ev.args[2];
    let nargs = ev.args[3] as u32;
    let v = register_op(ev, u64::from(op));
    set(ev, 1, v);
    let v = match op {
        REGISTER_BUFFERS => iovecs(ev, mem, arg, u64::from(nargs), opts),
        REGISTER_FILES | REGISTER_EVENTFD | REGISTER_EVENTFD_ASYNC => {
            array(ev, mem, arg, u64::from(nargs), 4, opts, |ev, b| {
                fd_value(ev, Rd(b).i32(0).unwrap_or(0), opts)
            })
        }
        REGISTER_FILES_UPDATE => files_update(ev, mem, arg, nargs, opts),
        REGISTER_RESTRICTIONS => array(ev, mem, arg, u64::from(nargs), 16, opts, |ev, b| {
            restriction(ev, b)
        }),
        REGISTER_FILES2 | REGISTER_BUFFERS2 => rsrc_register(ev, mem, arg, nargs, op, opts),
        REGISTER_FILES_UPDATE2 | REGISTER_BUFFERS_UPDATE => {
            rsrc_update(ev, mem, arg, nargs, op, opts)
        }
        REGISTER_RING_FDS => array(ev, mem, arg, u64::from(nargs), 16, opts, |ev, b| {
            let r = Rd(b);
            let offset = r.u32(0).unwrap_or(0);
            let mut f = vec![Field::new(
                "offset",
                if offset == u32::MAX {
                    Value::Int(-1)
                } else {
                    Value::UInt(u64::from(offset))
                },
            )];
            nonzero_hex(&mut f, "resv", u64::from(r.u32(4).unwrap_or(0)));
            let fd = fd_value(ev, r.u64(8).unwrap_or(0) as u32 as i32, opts);
            f.push(Field::new("data", fd));
            Value::Record(f)
        }),
        UNREGISTER_RING_FDS => array(ev, mem, arg, u64::from(nargs), 16, opts, |_, b| {
            let r = Rd(b);
            let mut f = vec![Field::new(
                "offset",
                Value::UInt(u64::from(r.u32(0).unwrap_or(0))),
            )];
            nonzero_hex(&mut f, "resv", u64::from(r.u32(4).unwrap_or(0)));
            nonzero_hex(&mut f, "data", r.u64(8).unwrap_or(0));
            Value::Record(f)
        }),
        REGISTER_PBUF_RING | UNREGISTER_PBUF_RING => buf_reg(mem, arg),
        _ => Value::Addr(arg),
    };
    set(ev, 2, v);
}

/// A register opcode: its name, or the number with strace's `IORING_REGISTER_???` comment
/// (the names' common prefix, `IORING_`, is not the one strace uses).
fn register_op(ev: &mut SyscallEvent, op: u64) -> Value {
    if consts::URING_REGISTER_OPS.name_of(op).is_some() || ev.xlat == Xlat::Raw {
        return Value::Enum(&consts::URING_REGISTER_OPS, op);
    }
    let comment = ev.push_bytes(b"IORING_REGISTER_???");
    Value::Comment {
        value: Box::new(Value::Hex(op)),
        comment,
    }
}

/// `name=0x…` when `v` is not zero (strace shows reserved fields only then).
fn nonzero_hex(f: &mut Vec<Field>, name: &'static str, v: u64) {
    if v != 0 {
        f.push(Field::new(name, Value::Hex(v)));
    }
}

/// An array of `n` elements of `size` bytes at `addr`, each shown by `elem`.
fn array(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    n: u64,
    size: usize,
    opts: &DecodeOptions,
    mut elem: impl FnMut(&mut SyscallEvent, &[u8]) -> Value,
) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    if n == 0 {
        return Value::Array {
            items: Vec::new(),
            more: false,
        };
    }
    if n.checked_mul(size as u64)
        .and_then(|len| addr.checked_add(len))
        .is_none()
    {
        return Value::Addr(addr);
    }
    let limit = if opts.verbose {
        crate::decode::ARRAY_MAX as u64
    } else {
        (opts.string_limit as u64).min(crate::decode::ARRAY_MAX as u64)
    };
    let mut items = Vec::new();
    for i in 0..n {
        let at = addr + i * size as u64;
        let Some(b) = read_exact(mem, at, size) else {
            if i == 0 {
                return Value::Addr(addr);
            }
            let s = format!("... /* {at:#x} */");
            items.push(Value::Text(ev.push_bytes(s.as_bytes())));
            return Value::Array { items, more: false };
        };
        if i >= limit {
            return Value::Array { items, more: true };
        }
        items.push(elem(ev, &b));
    }
    Value::Array { items, more: false }
}

/// `n` iovecs at `addr`, their bases as addresses.
fn iovecs(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    n: u64,
    opts: &DecodeOptions,
) -> Value {
    array(ev, mem, addr, n, 16, opts, |_, b| {
        let r = Rd(b);
        Value::Record(vec![
            Field::new("iov_base", Value::Addr(r.u64(0).unwrap_or(0))),
            Field::new("iov_len", Value::UInt(r.u64(8).unwrap_or(0))),
        ])
    })
}

/// A descriptor of a files update: `IORING_REGISTER_FILES_SKIP` (-2) by name, other values
/// below -1 as numbers, the rest as descriptors.
fn update_fd(ev: &mut SyscallEvent, b: &[u8], opts: &DecodeOptions) -> Value {
    let fd = Rd(b).i32(0).unwrap_or(0);
    match fd {
        -2 => Value::Const {
            raw: -2,
            name: "IORING_REGISTER_FILES_SKIP",
        },
        fd if fd < -1 => Value::Int(i64::from(fd)),
        fd => fd_value(ev, fd, opts),
    }
}

/// `struct io_uring_files_update` with its `nargs` descriptors.
fn files_update(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    nargs: u32,
    opts: &DecodeOptions,
) -> Value {
    let Some(b) = read_exact(mem, addr, 16) else {
        return Value::Addr(addr);
    };
    let r = Rd(&b);
    let mut f = vec![Field::new(
        "offset",
        Value::UInt(u64::from(r.u32(0).unwrap_or(0))),
    )];
    nonzero_hex(&mut f, "resv", u64::from(r.u32(4).unwrap_or(0)));
    let fds = r.u64(8).unwrap_or(0);
    let v = array(ev, mem, fds, u64::from(nargs), 4, opts, |ev, b| {
        update_fd(ev, b, opts)
    });
    f.push(Field::new("fds", v));
    Value::Record(f)
}

/// One `struct io_uring_restriction`.
fn restriction(ev: &mut SyscallEvent, b: &[u8]) -> Value {
    let r = Rd(b);
    let opcode = r.u16(0).unwrap_or(0);
    let arg = r.u8(2).unwrap_or(0);
    let op = Value::Enum(&consts::URING_RESTRICTION_OPS, u64::from(opcode));
    let mut f = Vec::new();
    match opcode {
        0 => {
            f.push(Field::new("opcode", op));
            let v = register_op(ev, u64::from(arg));
            f.push(Field::new("register_op", v));
        }
        1 => {
            f.push(Field::new("opcode", op));
            f.push(Field::new(
                "sqe_op",
                Value::Enum(&consts::URING_OPS, u64::from(arg)),
            ));
        }
        2 | 3 => {
            f.push(Field::new("opcode", op));
            f.push(Field::new(
                "sqe_flags",
                Value::Flags(&consts::URING_SQE_FLAGS, u64::from(arg)),
            ));
        }
        _ => {
            let text = if arg == 0 {
                "op: 0".to_string()
            } else {
                format!("op: {arg:#x}")
            };
            let comment = ev.push_bytes(text.as_bytes());
            f.push(Field::new(
                "opcode",
                Value::Comment {
                    value: Box::new(op),
                    comment,
                },
            ));
        }
    }
    nonzero_hex(&mut f, "resv", u64::from(r.u8(3).unwrap_or(0)));
    let resv2: Vec<u32> = (0..3).map(|i| r.u32(4 + i * 4).unwrap_or(0)).collect();
    if resv2.iter().any(|&x| x != 0) {
        let items = resv2
            .into_iter()
            .map(|x| Value::Hex(u64::from(x)))
            .collect();
        f.push(Field::new("resv2", Value::Array { items, more: false }));
    }
    Value::Record(f)
}

/// The `data` array of a resource registration or update (descriptors or iovecs), if the
/// opcode has one, then the `tags` array.
fn rsrc_arrays(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    f: &mut Vec<Field>,
    (data, tags): (u64, u64),
    nr: u32,
    op: u32,
    opts: &DecodeOptions,
) {
    let n = u64::from(nr);
    let v = match op {
        REGISTER_FILES2 => Some(array(ev, mem, data, n, 4, opts, |ev, b| {
            fd_value(ev, Rd(b).i32(0).unwrap_or(0), opts)
        })),
        REGISTER_FILES_UPDATE2 => Some(array(ev, mem, data, n, 4, opts, |ev, b| {
            update_fd(ev, b, opts)
        })),
        REGISTER_BUFFERS2 | REGISTER_BUFFERS_UPDATE => Some(iovecs(ev, mem, data, n, opts)),
        _ => None,
    };
    if let Some(v) = v {
        f.push(Field::new("data", v));
    }
    let v = array(ev, mem, tags, n, 8, opts, |_, b| {
        Value::Hex(Rd(b).u64(0).unwrap_or(0))
    });
    f.push(Field::new("tags", v));
}

/// What follows the 32 bytes strace knows of a larger structure: `/* bytes 32..N */ "\x…"`
/// when any of it is non-zero, `???` when it cannot be read.
fn trailing_bytes(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    f: &mut Vec<Field>,
    addr: u64,
    size: u32,
    opts: &DecodeOptions,
) {
    const KNOWN: u32 = 32;
    let total = size.min(4096);
    if total <= KNOWN {
        return;
    }
    let len = (total - KNOWN) as usize;
    let text = match read_exact(mem, addr.wrapping_add(u64::from(KNOWN)), len) {
        None => "???".to_string(),
        Some(b) if b.iter().all(|&x| x == 0) => return,
        Some(b) => {
            let shown = len.min(opts.string_limit);
            let mut s = format!("/* bytes {KNOWN}..{} */ \"", total - 1);
            for x in &b[..shown] {
                s.push_str(&format!("\\x{x:02x}"));
            }
            s.push('"');
            if shown < len {
                s.push_str("...");
            }
            s
        }
    };
    let v = Value::Text(ev.push_bytes(text.as_bytes()));
    f.push(Field::bare("rest", v));
}

/// `struct io_uring_rsrc_register` (`IORING_REGISTER_FILES2`, `IORING_REGISTER_BUFFERS2`) of
/// `size` bytes.
fn rsrc_register(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    size: u32,
    op: u32,
    opts: &DecodeOptions,
) -> Value {
    if size < 32 {
        return Value::Addr(addr);
    }
    let Some(b) = read_exact(mem, addr, 32) else {
        return Value::Addr(addr);
    };
    let r = Rd(&b);
    let nr = r.u32(0).unwrap_or(0);
    let mut f = vec![
        Field::new("nr", Value::UInt(u64::from(nr))),
        Field::new(
            "flags",
            Value::Flags(&consts::URING_RSRC_FLAGS, u64::from(r.u32(4).unwrap_or(0))),
        ),
    ];
    nonzero_hex(&mut f, "resv2", r.u64(8).unwrap_or(0));
    let (data, tags) = (r.u64(16).unwrap_or(0), r.u64(24).unwrap_or(0));
    rsrc_arrays(ev, mem, &mut f, (data, tags), nr, op, opts);
    trailing_bytes(ev, mem, &mut f, addr, size, opts);
    Value::Record(f)
}

/// `struct io_uring_rsrc_update2` (`IORING_REGISTER_FILES_UPDATE2`,
/// `IORING_REGISTER_BUFFERS_UPDATE`) of `size` bytes.
fn rsrc_update(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    size: u32,
    op: u32,
    opts: &DecodeOptions,
) -> Value {
    if size < 32 {
        return Value::Addr(addr);
    }
    let Some(b) = read_exact(mem, addr, 32) else {
        return Value::Addr(addr);
    };
    let r = Rd(&b);
    let nr = r.u32(24).unwrap_or(0);
    let mut f = vec![Field::new(
        "offset",
        Value::UInt(u64::from(r.u32(0).unwrap_or(0))),
    )];
    nonzero_hex(&mut f, "resv", u64::from(r.u32(4).unwrap_or(0)));
    let (data, tags) = (r.u64(8).unwrap_or(0), r.u64(16).unwrap_or(0));
    rsrc_arrays(ev, mem, &mut f, (data, tags), nr, op, opts);
    f.push(Field::new("nr", Value::UInt(u64::from(nr))));
    nonzero_hex(&mut f, "resv2", u64::from(r.u32(28).unwrap_or(0)));
    trailing_bytes(ev, mem, &mut f, addr, size, opts);
    Value::Record(f)
}

/// `struct io_uring_buf_reg` (`IORING_REGISTER_PBUF_RING`).
fn buf_reg(mem: &mut dyn Memory, addr: u64) -> Value {
    let Some(b) = read_exact(mem, addr, 40) else {
        return Value::Addr(addr);
    };
    let r = Rd(&b);
    let mut f = vec![
        Field::new("ring_addr", Value::Addr(r.u64(0).unwrap_or(0))),
        Field::new(
            "ring_entries",
            Value::UInt(u64::from(r.u32(8).unwrap_or(0))),
        ),
        Field::new("bgid", Value::UInt(u64::from(r.u16(12).unwrap_or(0)))),
    ];
    nonzero_hex(&mut f, "pad", u64::from(r.u16(14).unwrap_or(0)));
    let resv: Vec<u64> = (0..3).map(|i| r.u64(16 + i * 8).unwrap_or(0)).collect();
    if resv.iter().any(|&x| x != 0) {
        let items = resv.into_iter().map(Value::Hex).collect();
        f.push(Field::new("resv", Value::Array { items, more: false }));
    }
    Value::Record(f)
}
