//! `io_uring_register(2)` as strace prints it: the opcode by name and the argument decoded
//! per opcode.

use sysgate_event::{SyscallEvent, Value};

use super::{Handler, set};
use crate::decode::{DecodeOptions, Memory, consts};

/// `io_uring_register(fd, opcode, arg, nr_args)`.
pub(super) const IO_URING_REGISTER: Handler = Handler::entry(register_entry);

fn register_entry(ev: &mut SyscallEvent, _: &mut dyn Memory, _: &DecodeOptions) {
    let op = ev.args[1] as u32;
    set(
        ev,
        1,
        Value::Enum(&consts::URING_REGISTER_OPS, u64::from(op)),
    );
}
