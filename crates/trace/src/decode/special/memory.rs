//! Memory, as strace's mem.c, membarrier.c and process_vm.c handle it beyond the signature:
//! mincore's page vector, mremap's and membarrier's arguments printed only when used,
//! membarrier's query result as flags, and process_vm_readv/writev's remote iovecs (base
//! addresses only).

use sysgate_event::{SyscallEvent, Value};

use super::{Handler, defer, ret_hex_with, set};
use crate::decode::{DecodeOptions, Memory, consts, failed, read_exact, structs};

/// mincore: the residency vector, one 0/1 per page, printed at exit.
pub(super) const MINCORE: Handler = Handler::both(mincore_entry, mincore_exit);

fn mincore_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    defer(ev, 2);
}

fn mincore_exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let limit = opts.string_limit;
    let v = if ok {
        let pages = (a[1].div_ceil(4096)) as usize;
        let shown = pages.min(limit.min(crate::decode::ARRAY_MAX));
        match read_exact(mem, a[2], shown) {
            Some(b) => Value::Array {
                items: b.iter().map(|&x| Value::UInt(u64::from(x & 1))).collect(),
                more: pages > shown,
            },
            None => Value::Unreadable(a[2]),
        }
    } else {
        Value::Addr(a[2])
    };
    set(ev, 2, v);
}

/// mremap: new_address only with MREMAP_FIXED.
pub(super) const MREMAP: Handler = Handler::entry(mremap_entry);

fn mremap_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    // new_address is used only with MREMAP_FIXED.
    if a[3] & 2 == 0 {
        set(ev, 4, Value::Omitted);
    }
}

/// membarrier: cpu_id only with MEMBARRIER_CMD_FLAG_CPU; MEMBARRIER_CMD_QUERY's result as
/// the commands supported.
pub(super) const MEMBARRIER: Handler = Handler::both(membarrier_entry, membarrier_exit);

fn membarrier_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    // cpu_id is used only with MEMBARRIER_CMD_FLAG_CPU.
    if a[1] & 1 == 0 {
        set(ev, 2, Value::Omitted);
    }
}

fn membarrier_exit(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let a = ev.args;
    let ok = !failed(ev);
    let ret = ev.ret;
    if ok && a[0] == 0 && ret > 0 {
        ret_hex_with(ev, "", Value::Flags(&consts::MEMBARRIER_MASK, ret as u64));
    }
}

/// process_vm_readv, process_vm_writev: the remote iovecs, as base addresses.
pub(super) const PROCESS_VM: Handler = Handler::entry(process_vm_entry);

fn process_vm_entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let a = ev.args;
    let limit = opts.string_limit;
    let v = structs::iovec_addrs(mem, a[3], a[4], limit);
    set(ev, 3, v);
}
