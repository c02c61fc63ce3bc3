//! Symbolic names for the numbers that cross the syscall boundary.
//!
//! Decoders turn `0x80002` into `O_RDWR|O_CLOEXEC`, `-2` into `ENOENT (No such file or directory)`
//! and `0x5401` into `TCGETS`. The tables live in `symtab`, their types in `xlat`; this module
//! looks values up and formats them, so that every printer renders a constant the same way.

use std::fmt::Write as _;

use crate::symtab;
pub use crate::xlat::{EnumSet, Errno, FlagSet, Sym};

impl FlagSet {
    /// Appends the symbolic form of `value` to `out`: `O_RDWR|O_CLOEXEC`, with unknown bits as
    /// a trailing hex number (`MAP_PRIVATE|0x40000000`).
    pub fn format_into(&self, value: u64, out: &mut String) {
        let start = out.len();
        let mut rest = value;
        if self.field_mask != 0 {
            let field = value & self.field_mask;
            if self.field.is_empty() {
                if field != 0 {
                    push_sep(out, start);
                    match signal_name(field as i32) {
                        Some(name) => out.push_str(name),
                        None => {
                            let _ = write!(out, "{field}");
                        }
                    }
                }
                rest &= !self.field_mask;
            } else if let Some(s) = self.field.iter().find(|s| s.value == field) {
                out.push_str(s.name);
                rest &= !self.field_mask;
            }
        }
        for flag in self.flags {
            if flag.value != 0 && rest & flag.value == flag.value {
                push_sep(out, start);
                out.push_str(flag.name);
                rest &= !flag.value;
            }
        }
        if rest != 0 {
            push_sep(out, start);
            let _ = write!(out, "{rest:#x}");
        }
        if out.len() == start {
            out.push_str(self.zero.unwrap_or("0"));
        }
    }

    /// The symbolic form of `value` as a new string.
    pub fn format(&self, value: u64) -> String {
        let mut s = String::new();
        self.format_into(value, &mut s);
        s
    }

    /// Every name this set can print, with its value (field values first).
    pub fn symbols(&self) -> impl Iterator<Item = &'static Sym> {
        self.field.iter().chain(self.flags.iter())
    }
}

fn push_sep(out: &mut String, start: usize) {
    if out.len() > start {
        out.push('|');
    }
}

impl EnumSet {
    /// The name of `value`, if the set has one.
    pub fn name_of(&self, value: u64) -> Option<&'static str> {
        self.values
            .iter()
            .find(|s| s.value == value)
            .map(|s| s.name)
    }

    /// The value named `name`, if the set has it.
    pub fn value_of(&self, name: &str) -> Option<u64> {
        self.values.iter().find(|s| s.name == name).map(|s| s.value)
    }

    /// Appends the name of `value`, or the number in decimal when it has none.
    pub fn format_into(&self, value: u64, out: &mut String) {
        match self.name_of(value) {
            Some(name) => out.push_str(name),
            None => {
                let _ = write!(out, "{}", value as i64);
            }
        }
    }
}

/// The flag set called `name` in the signature data.
pub fn flag_set(name: &str) -> Option<&'static FlagSet> {
    symtab::FLAG_SETS.iter().copied().find(|s| s.name == name)
}

/// The enum set called `name` in the signature data.
pub fn enum_set(name: &str) -> Option<&'static EnumSet> {
    symtab::ENUM_SETS.iter().copied().find(|s| s.name == name)
}

/// All flag sets.
pub fn flag_sets() -> &'static [&'static FlagSet] {
    symtab::FLAG_SETS
}

/// All enum sets.
pub fn enum_sets() -> &'static [&'static EnumSet] {
    symtab::ENUM_SETS
}

/// The errno with number `num` (positive), including the kernel-internal restart codes
/// (`ERESTARTSYS` = 512 …) that a tracer can observe.
pub fn errno(num: u32) -> Option<&'static Errno> {
    symtab::ERRNOS.iter().find(|e| e.num == num)
}

/// The errno named `name` (`ENOENT`).
pub fn errno_by_name(name: &str) -> Option<&'static Errno> {
    symtab::ERRNOS.iter().find(|e| e.name == name)
}

/// All errno values.
pub fn errnos() -> &'static [Errno] {
    symtab::ERRNOS
}

/// The name of signal `num`: `SIGTERM`, `SIGRTMIN`, `SIGRT_3`; `None` when out of range.
pub fn signal_name(num: i32) -> Option<&'static str> {
    symtab::SIGNALS
        .iter()
        .find(|s| s.value == num as u64)
        .map(|s| s.name)
}

/// The number of the signal called `name`, in any case, with or without `SIG` (`SIGTERM`,
/// `TERM`, `sigterm`, `chld`), as strace reads signal names.
pub fn signal_by_name(name: &str) -> Option<i32> {
    let full = match name.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("SIG") => &name[3..],
        _ => name,
    };
    symtab::SIGNALS
        .iter()
        .find(|s| s.name[3..].eq_ignore_ascii_case(full))
        .map(|s| s.value as i32)
}

/// The name of an ioctl request, if sysgate knows it (`TCGETS`, `FIONREAD`).
pub fn ioctl_name(request: u64) -> Option<&'static str> {
    let request = request & 0xffff_ffff;
    symtab::IOCTLS
        .iter()
        .find(|s| s.value == request)
        .map(|s| s.name)
}

/// Appends an ioctl request: its name, or the generic `_IOC(dir, type, nr, size)` split.
pub fn format_ioctl_into(request: u64, out: &mut String) {
    if let Some(name) = ioctl_name(request) {
        out.push_str(name);
        return;
    }
    let r = request & 0xffff_ffff;
    let nr = r & 0xff;
    let ty = (r >> 8) & 0xff;
    let size = (r >> 16) & 0x3fff;
    let dir = (r >> 30) & 0x3;
    let dir = match dir {
        0 => "_IOC_NONE",
        1 => "_IOC_WRITE",
        2 => "_IOC_READ",
        _ => "_IOC_READ|_IOC_WRITE",
    };
    let _ = write!(out, "_IOC({dir}, {ty:#x}, {nr:#x}, {size:#x})");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names_are_read_as_strace_reads_them() {
        for name in ["SIGCHLD", "CHLD", "chld", "sigchld", "SigChld"] {
            assert_eq!(signal_by_name(name), Some(17), "{name}");
        }
        assert_eq!(signal_by_name("SIG"), None);
        assert_eq!(signal_by_name("CHILD"), None);
        assert_eq!(signal_by_name(""), None);
    }
}
