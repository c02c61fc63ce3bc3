//! The syscall knowledge base every other part of sysgate reads.
//!
//! It answers four questions about a system call: what is it called on this architecture
//! ([`Arch`], [`lookup`], [`number`]), what are its arguments and what do they mean ([`Syscall`],
//! [`ArgType`]), which family does it belong to ([`Category`]), and is it safe to repeat
//! ([`Idempotence`]). The [`symbols`] module turns the numbers inside the arguments into names.
//!
//! Numbers come from the `syscalls` crate's per-arch tables (checked against `libc::SYS_*` in the
//! tests); signatures, categories and idempotence come from `data/syscalls.txt`, whose format is
//! described in `data/README.md` and whose argument counts are checked against the running
//! kernel's tracefs in the tests.

#![deny(missing_docs)]

mod sigs;
pub mod strace;
pub mod symbols;
mod symtab;
mod tables;
mod xlat;

pub use sigs::{Arg, ArgType, Category, Idempotence, RetType, Syscall};
pub use tables::Arch;

/// Every syscall sysgate has a signature for, in data-file order.
pub fn all() -> &'static [Syscall] {
    &sigs::db().syscalls
}

/// The signature of the syscall called `name` (the kernel's name: `openat`, `_llseek`).
pub fn by_name(name: &str) -> Option<&'static Syscall> {
    let db = sigs::db();
    db.by_name.get(name).map(|&i| &db.syscalls[i])
}

/// The syscall with number `nr` on `arch`.
#[inline]
pub fn lookup(arch: Arch, nr: u64) -> Option<&'static Syscall> {
    let db = sigs::db();
    let idx = *db.by_nr[arch as usize].get(usize::try_from(nr).ok()?)?;
    (idx != u16::MAX).then(|| &db.syscalls[idx as usize])
}

/// The number of the syscall called `name` on `arch`, if that arch has it.
pub fn number(arch: Arch, name: &str) -> Option<u32> {
    tables::number(arch, name)
}

/// All `(number, syscall)` pairs of `arch`, by number.
pub fn table(arch: Arch) -> impl Iterator<Item = (u32, &'static Syscall)> {
    let db = sigs::db();
    db.by_nr[arch as usize]
        .iter()
        .enumerate()
        .filter(|(_, i)| **i != u16::MAX)
        .map(move |(nr, &i)| (nr as u32, &db.syscalls[i as usize]))
}

/// Names close to `name` (by edit distance, then by shared prefix), best first, for
/// "did you mean" messages.
pub fn suggest(name: &str, max: usize) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = all()
        .iter()
        .map(|s| (distance(name, s.name), s.name))
        .filter(|(d, n)| *d <= 3.max(name.len() / 3) || n.contains(name) || name.contains(n))
        .collect();
    scored.sort();
    scored.into_iter().take(max).map(|(_, n)| n).collect()
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openat_numbers_per_arch() {
        assert_eq!(number(Arch::X86_64, "openat"), Some(257));
        assert_eq!(number(Arch::Aarch64, "openat"), Some(56));
        assert_eq!(number(Arch::I386, "openat"), Some(295));
        assert_eq!(lookup(Arch::X86_64, 257).unwrap().name, "openat");
        assert_eq!(lookup(Arch::Aarch64, 56).unwrap().name, "openat");
        assert!(lookup(Arch::X86_64, 100_000).is_none());
    }

    #[test]
    fn suggestions_find_typos() {
        assert_eq!(suggest("opnat", 3)[0], "openat");
        assert!(suggest("epol_wait", 5).contains(&"epoll_wait"));
    }

    #[test]
    fn every_table_entry_has_a_signature() {
        for arch in Arch::ALL {
            let missing: Vec<&str> = tables::names(arch)
                .filter(|(name, _)| by_name(name).is_none())
                .map(|(name, _)| name)
                .collect();
            assert!(missing.is_empty(), "{arch}: no signature for {missing:?}");
        }
    }

    #[test]
    fn table_sizes_cover_linux_6() {
        assert!(table(Arch::X86_64).count() >= 350);
        assert!(table(Arch::Aarch64).count() >= 290);
        assert!(table(Arch::I386).count() >= 400);
    }
}
