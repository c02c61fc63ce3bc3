//! Per-architecture syscall numbers.
//!
//! The numbers are facts of the kernel ABI; the `syscalls` crate carries the kernel's tables for
//! each architecture, and the tests cross-check them with `libc::SYS_*`.

use std::fmt;

/// An architecture (syscall ABI) a tracee can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arch {
    /// x86-64, the `syscall` instruction.
    X86_64 = 0,
    /// ARM64.
    Aarch64 = 1,
    /// 32-bit x86; a 64-bit process reaches it through `int 0x80`.
    I386 = 2,
}

/// `AUDIT_ARCH_X86_64`
const AUDIT_X86_64: u32 = 0xC000_003E;
/// `AUDIT_ARCH_AARCH64`
const AUDIT_AARCH64: u32 = 0xC000_00B7;
/// `AUDIT_ARCH_I386`
const AUDIT_I386: u32 = 0x4000_0003;

impl Arch {
    /// Every architecture, in table order.
    pub const ALL: [Arch; 3] = [Arch::X86_64, Arch::Aarch64, Arch::I386];

    /// The architecture sysgate was compiled for.
    pub const fn native() -> Arch {
        if cfg!(target_arch = "aarch64") {
            Arch::Aarch64
        } else if cfg!(target_arch = "x86") {
            Arch::I386
        } else {
            Arch::X86_64
        }
    }

    /// The name used on the command line and in files: `x86_64`, `aarch64`, `i386`.
    pub const fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Aarch64 => "aarch64",
            Arch::I386 => "i386",
        }
    }

    /// Parses `x86_64`/`amd64`, `aarch64`/`arm64`, `i386`/`x86`.
    pub fn parse(s: &str) -> Option<Arch> {
        match s.to_ascii_lowercase().as_str() {
            "x86_64" | "amd64" | "x86-64" => Some(Arch::X86_64),
            "aarch64" | "arm64" => Some(Arch::Aarch64),
            "i386" | "x86" | "i686" | "ia32" => Some(Arch::I386),
            _ => None,
        }
    }

    /// The `AUDIT_ARCH_*` value the kernel reports for this ABI (seccomp data, ptrace
    /// syscall info).
    pub const fn audit_arch(self) -> u32 {
        match self {
            Arch::X86_64 => AUDIT_X86_64,
            Arch::Aarch64 => AUDIT_AARCH64,
            Arch::I386 => AUDIT_I386,
        }
    }

    /// The ABI named by an `AUDIT_ARCH_*` value.
    pub const fn from_audit_arch(value: u32) -> Option<Arch> {
        match value {
            AUDIT_X86_64 => Some(Arch::X86_64),
            AUDIT_AARCH64 => Some(Arch::Aarch64),
            AUDIT_I386 => Some(Arch::I386),
            _ => None,
        }
    }

    /// Pointer size in bytes for this ABI.
    pub const fn word_size(self) -> usize {
        match self {
            Arch::I386 => 4,
            _ => 8,
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `(name, number)` for every syscall of `arch`.
/// Syscalls newer than the `syscalls` crate's tables: (name, number), the same number on every
/// architecture here since Linux unified new syscall numbers.
const NEWER: &[(&str, u32)] = &[("file_setattr", 469)];

pub(crate) fn names(arch: Arch) -> impl Iterator<Item = (&'static str, u32)> {
    raw_names(arch)
        .map(|(n, nr)| (n.strip_prefix("r#").unwrap_or(n), nr))
        .chain(NEWER.iter().copied())
}

fn raw_names(arch: Arch) -> Box<dyn Iterator<Item = (&'static str, u32)>> {
    match arch {
        Arch::X86_64 => {
            Box::new(syscalls::x86_64::Sysno::iter().map(|s| (s.name(), s.id() as u32)))
        }
        Arch::Aarch64 => {
            Box::new(syscalls::aarch64::Sysno::iter().map(|s| (s.name(), s.id() as u32)))
        }
        Arch::I386 => Box::new(syscalls::x86::Sysno::iter().map(|s| (s.name(), s.id() as u32))),
    }
}

pub(crate) fn number(arch: Arch, name: &str) -> Option<u32> {
    names(arch).find(|(n, _)| *n == name).map(|(_, nr)| nr)
}
