//! Tracee memory as the BPF program captured it: the decoder reads paths, argv, socket
//! addresses and buffer prefixes from these copies instead of the (possibly gone) process.

use crate::decode::Memory;

/// The regions captured for one call of one thread.
#[derive(Debug, Default)]
pub struct Captured {
    regions: Vec<(u64, Vec<u8>)>,
    used: usize,
}

impl Captured {
    /// Remembers `data` as the contents of memory at `addr`. A string the program cut at its
    /// capture size simply has no NUL, so the decoder shows it as truncated.
    pub fn push(&mut self, addr: u64, data: &[u8]) {
        if self.used == self.regions.len() {
            self.regions.push((addr, Vec::with_capacity(data.len())));
        }
        let slot = &mut self.regions[self.used];
        slot.0 = addr;
        slot.1.clear();
        slot.1.extend_from_slice(data);
        self.used += 1;
    }

    /// Forgets every region, keeping the allocations for the next call.
    pub fn clear(&mut self) {
        self.used = 0;
    }

    /// Whether anything is captured.
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }
}

impl Memory for Captured {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        // Latest first: a later capture of the same address (a buffer at exit) wins.
        for (start, data) in self.regions[..self.used].iter().rev() {
            let end = start + data.len() as u64;
            if addr >= *start && addr < end {
                let off = (addr - start) as usize;
                let n = buf.len().min(data.len() - off);
                buf[..n].copy_from_slice(&data[off..off + n]);
                return n;
            }
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_inside_regions_only() {
        let mut m = Captured::default();
        m.push(0x1000, b"/etc/passwd\0");
        m.push(0x2000, b"abc");
        let mut out = Vec::new();
        assert_eq!(m.read_cstr(0x1000, 4096, &mut out), Some(false));
        assert_eq!(out, b"/etc/passwd");
        out.clear();
        // A string cut by the capture size reads as truncated.
        assert_eq!(m.read_cstr(0x2000, 4096, &mut out), Some(true));
        assert_eq!(out, b"abc");
        let mut b = [0u8; 8];
        assert_eq!(m.read(0x1005, &mut b), 7);
        assert_eq!(m.read(0x3000, &mut b), 0);
        m.clear();
        assert!(m.is_empty());
        assert_eq!(m.read(0x1000, &mut b), 0);
    }
}
