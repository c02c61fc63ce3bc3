//! strace-compatible text: values, return codes, and a [`TextPrinter`] sink that interleaves
//! threads the way strace does (`<unfinished ...>` / `<... read resumed>`).
//!
//! Split in two: `value` formats one decoded [`Value`](crate::Value) (and signal sets, wait
//! statuses, siginfo) the way strace prints it; `printer` assembles those into whole lines (the
//! arguments, the aligned return value, the `[pid N]`/timestamp prefix) and holds the
//! [`TextPrinter`] sink. Everything public is re-exported here, so paths stay
//! `sysgate_event::render::…`.

use sysgate_kb::ArgType;

use crate::SyscallEvent;

mod printer;
mod value;

pub use printer::{
    RETURN_COLUMN, TextOptions, TextPrinter, Timestamps, arguments_into, dumps_into, entry_split,
    hex_dump_into, injected_note_into, pad_to_column, return_value_into, stack_into,
    syscall_line_into,
};
pub use value::{
    escape_into, hex_escape_into, siginfo_body_into, siginfo_into, signal_name, sigset_into,
    value_into, wait_status_into,
};

/// The argument type of decoded argument `i`, when known.
pub fn arg_type(ev: &SyscallEvent, i: usize) -> Option<ArgType> {
    ev.syscall.and_then(|s| s.args.get(i)).map(|a| a.ty)
}

/// A completed event of syscall `name` with nothing decoded yet, for the tests of both halves.
#[cfg(test)]
fn test_event(name: &str) -> SyscallEvent {
    let mut e = SyscallEvent::new();
    e.syscall = sysgate_kb::by_name(name);
    e.phase = crate::Phase::Completed;
    e
}
