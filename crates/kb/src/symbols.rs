//! Symbolic names for the numbers that cross the syscall boundary.
//!
//! Decoders turn `0x80002` into `O_RDWR|O_CLOEXEC`, `-2` into `ENOENT (No such file or directory)`
//! and `0x5401` into `TCGETS`. The tables themselves live in [`crate::symtab`]; this module holds
//! the types and the formatting rules, so that every printer renders a constant the same way.

use std::fmt::Write as _;

use crate::symtab;

/// One named value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sym {
    /// The numeric value.
    pub value: u64,
    /// The C name, e.g. `O_CLOEXEC`.
    pub name: &'static str,
}

/// Shorthand used by the tables.
pub(crate) const fn sym(value: u64, name: &'static str) -> Sym {
    Sym { value, name }
}

/// A set of single-bit (or multi-bit) flags, optionally with an enumerated field inside it.
///
/// `open(2)` flags are the classic case: the low two bits (`O_ACCMODE`) hold one of
/// `O_RDONLY`/`O_WRONLY`/`O_RDWR`, the other bits are independent flags.
#[derive(Debug)]
pub struct FlagSet {
    /// Name used in the signature data (`flags:open`).
    pub name: &'static str,
    /// Mask of the enumerated field, 0 when there is none.
    pub field_mask: u64,
    /// Values of the enumerated field (compared after masking). Empty with a non-zero mask means
    /// the field holds a signal number (clone's exit signal).
    pub field: &'static [Sym],
    /// Flags, tested in order; multi-bit entries must come before their sub-bits.
    pub flags: &'static [Sym],
    /// Name printed for 0 when the field table has none (e.g. `F_OK`), else `0`.
    pub zero: Option<&'static str>,
}

/// A set of mutually exclusive values.
#[derive(Debug)]
pub struct EnumSet {
    /// Name used in the signature data (`enum:seek`).
    pub name: &'static str,
    /// The values.
    pub values: &'static [Sym],
}

/// An errno value with its C name and the message glibc's `strerror` gives.
#[derive(Debug, Clone, Copy)]
pub struct Errno {
    /// Positive errno number.
    pub num: u32,
    /// C name, e.g. `ENOENT`.
    pub name: &'static str,
    /// Human message, e.g. `No such file or directory`.
    pub message: &'static str,
}

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

/// The number of the signal called `name` (`SIGTERM` or `TERM`).
pub fn signal_by_name(name: &str) -> Option<i32> {
    let full = name.strip_prefix("SIG").unwrap_or(name);
    symtab::SIGNALS
        .iter()
        .find(|s| &s.name[3..] == full)
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

impl PartialEq for FlagSet {
    /// Sets are identified by name.
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for FlagSet {}

impl PartialEq for EnumSet {
    /// Sets are identified by name.
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for EnumSet {}
