//! [`SyscallMap`]: values by (ABI, syscall number), for the lookup made on every call.

use crate::fxhash::FxMap;

/// Syscall numbers below this are found by index.
const INDEXED_NRS: usize = 1024;
/// ABI codes below this are found by index: every [`Arch`](sysgate_kb::Arch) as `u8`, and
/// every two-bit code of a recording's frames.
const INDEXED_ABIS: usize = 4;

/// Values by (ABI code, syscall number), looked up on every call: the numbers kernels use are
/// found by index, without hashing, and any other (x32's, a corrupt file's) in a hash map.
#[derive(Debug)]
pub struct SyscallMap<T> {
    /// Position in `entries` plus one, by (ABI × [`INDEXED_NRS`] + number); 0 for none.
    index: Vec<u16>,
    entries: Vec<T>,
    others: FxMap<(u8, u32), T>,
}

impl<T> Default for SyscallMap<T> {
    fn default() -> Self {
        SyscallMap {
            index: Vec::new(),
            entries: Vec::new(),
            others: FxMap::default(),
        }
    }
}

impl<T> SyscallMap<T> {
    /// The value of syscall `nr` of the ABI `abi` (an [`Arch`](sysgate_kb::Arch) as `u8`),
    /// made by `new` on first sight.
    #[inline]
    pub fn get_or_insert_with(&mut self, abi: u8, nr: u32, new: impl FnOnce() -> T) -> &mut T {
        let (a, i) = (usize::from(abi), nr as usize);
        if a >= INDEXED_ABIS || i >= INDEXED_NRS {
            return self.others.entry((abi, nr)).or_insert_with(new);
        }
        if self.index.is_empty() {
            self.index = vec![0; INDEXED_ABIS * INDEXED_NRS];
        }
        let slot = a * INDEXED_NRS + i;
        if self.index[slot] == 0 {
            self.entries.push(new());
            // At most INDEXED_ABIS × INDEXED_NRS entries: the position fits.
            self.index[slot] = self.entries.len() as u16;
        }
        &mut self.entries[usize::from(self.index[slot]) - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_and_hashed_numbers_keep_their_values() {
        let mut m = SyscallMap::default();
        for (abi, nr) in [(0, 1), (2, 1), (0, 0x4000_0001), (9, 1)] {
            *m.get_or_insert_with(abi, nr, || 0) += nr;
        }
        *m.get_or_insert_with(0, 1, || 0) += 1;
        assert_eq!(*m.get_or_insert_with(0, 1, || 0), 2);
        assert_eq!(*m.get_or_insert_with(2, 1, || 0), 1);
        assert_eq!(*m.get_or_insert_with(9, 1, || 0), 1);
        assert_eq!(*m.get_or_insert_with(1, 1, || 7), 7);
        assert_eq!(*m.get_or_insert_with(0, 0x4000_0001, || 0), 0x4000_0001);
    }
}
