//! The types of the symbol tables: named values, flag sets, enumerations and errnos. How a
//! number renders through them is `symbols`'.

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
