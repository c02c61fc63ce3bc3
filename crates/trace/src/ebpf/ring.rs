//! The reading side of the `EVENTS` ring buffer, mapped directly.
//!
//! The kernel checks the consumer position at every reservation, and the reader checks the
//! producer position before every record it takes. Each of those positions sits on its own
//! cache line, which bounces between the two CPUs whenever its writer has stored to it since
//! the other side last looked: a cost paid per record if the reader publishes its position per
//! record (as a record-at-a-time API does). This reader takes every record the producer
//! position shows, in place, and publishes its own position once per batch.
//!
//! The layout (the kernel's `bpf_ringbuf` mmap interface): page 0 holds the consumer position
//! (read-write); from page 1, read-only, the producer position's page, then the data pages
//! mapped twice in a row, so a record that wraps around the end reads as one slice. Each
//! record starts with an 8-byte header whose first word is its length, with a busy bit while
//! the producer is still writing it and a discard bit if it was abandoned.

use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use aya::maps::MapData;

const BUSY: u32 = 1 << 31;
const DISCARD: u32 = 1 << 30;
const HEADER: u64 = 8;

/// A mapped ring buffer; owns the map so the mapping outlives no descriptor.
pub struct Ring {
    map: MapData,
    page: usize,
    size: u64,
    consumer: *mut u8,
    producer: *mut u8,
    /// Where reading goes on; published to the kernel by `drain`.
    pos: u64,
}

// SAFETY: the mappings belong to this value alone and are only touched through `&mut self`.
unsafe impl Send for Ring {}

impl Ring {
    /// Maps `map`, a ring buffer of `size` bytes (a power of two, as the kernel made it).
    pub fn new(map: MapData, size: u64) -> std::io::Result<Ring> {
        use std::os::fd::AsFd;
        let fd = map.fd().as_fd().as_raw_fd();
        // SAFETY: sysconf takes a constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
        // SAFETY: mmap of the map's descriptor at the offsets its mmap interface defines; the
        // results are checked before use and unmapped in Drop.
        let consumer = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                page,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                fd,
                0,
            )
        };
        if consumer == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: as above; the kernel maps the data pages twice itself.
        let producer = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                page + 2 * size as usize,
                libc::PROT_READ,
                libc::MAP_SHARED,
                fd,
                page as libc::off_t,
            )
        };
        if producer == libc::MAP_FAILED {
            let e = std::io::Error::last_os_error();
            // SAFETY: the mapping made just above.
            unsafe { libc::munmap(consumer, page) };
            return Err(e);
        }
        let mut ring = Ring {
            map,
            page,
            size,
            consumer: consumer.cast(),
            producer: producer.cast(),
            pos: 0,
        };
        ring.pos = ring.consumer_pos().load(Ordering::Acquire);
        Ok(ring)
    }

    fn consumer_pos(&self) -> &AtomicU64 {
        // SAFETY: the first word of the consumer page, page-aligned, alive while self is.
        unsafe { &*self.consumer.cast::<AtomicU64>() }
    }

    fn producer_pos(&self) -> u64 {
        // SAFETY: the first word of the producer page, as above. Acquire pairs with the
        // kernel's release of the position after it reserved the space.
        unsafe { &*self.producer.cast::<AtomicU64>() }.load(Ordering::Acquire)
    }

    /// Hands every committed record to `f`, in order, and returns how many. The position is
    /// published every eighth of the ring (so a long batch never holds the producer up) and at
    /// the end.
    pub fn drain(&mut self, mut f: impl FnMut(&[u8])) -> u64 {
        let mask = self.size - 1;
        let publish_every = (self.size / 8).max(HEADER);
        let mut published = self.pos;
        let mut taken = 0;
        loop {
            let end = self.producer_pos();
            if self.pos >= end {
                break;
            }
            while self.pos < end {
                let off = (self.pos & mask) as usize;
                // SAFETY: off < size, so the header lies within the first copy of the data
                // pages; records are 8-byte aligned. Acquire pairs with the kernel's commit
                // (an xchg on this word), so the record's bytes are visible once busy is clear.
                let header = unsafe { &*self.producer.add(self.page + off).cast::<AtomicU32>() }
                    .load(Ordering::Acquire);
                if header & BUSY != 0 {
                    break;
                }
                let len = u64::from(header & !(BUSY | DISCARD));
                if header & DISCARD == 0 {
                    // SAFETY: a committed record of `len` bytes after its header; it may run
                    // past the end of the first copy into the second, which is mapped.
                    let data = unsafe {
                        std::slice::from_raw_parts(
                            self.producer.add(self.page + off + HEADER as usize),
                            len as usize,
                        )
                    };
                    f(data);
                    taken += 1;
                }
                self.pos += (len + HEADER + 7) & !7;
                if self.pos - published >= publish_every {
                    self.consumer_pos().store(self.pos, Ordering::Release);
                    published = self.pos;
                }
            }
            if self.pos < end {
                break; // a record still being written
            }
        }
        if self.pos != published {
            self.consumer_pos().store(self.pos, Ordering::Release);
        }
        taken
    }
}

impl AsRawFd for Ring {
    fn as_raw_fd(&self) -> RawFd {
        use std::os::fd::AsFd;
        self.map.fd().as_fd().as_raw_fd()
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: the two mappings made in new, unmapped once.
        unsafe {
            libc::munmap(self.consumer.cast(), self.page);
            libc::munmap(self.producer.cast(), self.page + 2 * self.size as usize);
        }
    }
}
