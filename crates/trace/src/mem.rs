//! Reading tracee memory: `process_vm_readv` first, `PTRACE_PEEKDATA` where that is refused.
//!
//! Reads never cross into a page the first read did not reach, so a string that ends just before
//! an unmapped page is still read, and a bad pointer costs one failed syscall.

use crate::ptrace::sys;

const PAGE: u64 = 4096;

/// A reader bound to one task.
pub struct Mem {
    pid: i32,
    use_vm: bool,
}

impl Mem {
    /// A reader for task `pid`.
    pub fn new(pid: i32) -> Mem {
        Mem { pid, use_vm: true }
    }

    /// Fills as much of `buf` from `addr` as is readable; returns the number of bytes read.
    pub fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        if addr == 0 || buf.is_empty() {
            return 0;
        }
        if self.use_vm {
            if let Ok(n) = sys::vm_read(self.pid, addr, buf)
                && n == buf.len()
            {
                return n;
            }
            // Partial or failed: retry page by page to get the readable prefix.
            let mut done = 0;
            while done < buf.len() {
                let a = addr + done as u64;
                let chunk = ((PAGE - a % PAGE) as usize).min(buf.len() - done);
                match sys::vm_read(self.pid, a, &mut buf[done..done + chunk]) {
                    Ok(0) => break,
                    Ok(n) => {
                        done += n;
                        if n < chunk {
                            break;
                        }
                    }
                    Err(e) => {
                        let code = e.raw_os_error().unwrap_or(0);
                        if done == 0 && (code == libc::ENOSYS || code == libc::EPERM) {
                            self.use_vm = false;
                            return self.read_peek(addr, buf);
                        }
                        break;
                    }
                }
            }
            return done;
        }
        self.read_peek(addr, buf)
    }

    fn read_peek(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let mut done = 0;
        while done < buf.len() {
            let a = addr + done as u64;
            let aligned = a & !7;
            let Ok(word) = sys::peek(self.pid, aligned) else {
                break;
            };
            let bytes = word.to_ne_bytes();
            let skip = (a - aligned) as usize;
            let n = (8 - skip).min(buf.len() - done);
            buf[done..done + n].copy_from_slice(&bytes[skip..skip + n]);
            done += n;
        }
        done
    }

    /// Appends the NUL-terminated string at `addr` to `out`, at most `max` bytes. Returns
    /// `None` when nothing could be read, else `Some(truncated)`.
    pub fn read_cstr(&mut self, addr: u64, max: usize, out: &mut Vec<u8>) -> Option<bool> {
        if addr == 0 {
            return None;
        }
        let mut buf = [0u8; 256];
        let mut total = 0usize;
        let mut a = addr;
        loop {
            let want = ((PAGE - a % PAGE) as usize)
                .min(buf.len())
                .min(max + 1 - total);
            let n = self.read(a, &mut buf[..want]);
            // A string that runs into unreadable memory before its NUL is not a string the
            // kernel could use (it fails with EFAULT): strace prints the pointer, and so do we.
            if n == 0 {
                return None;
            }
            if let Some(nul) = buf[..n].iter().position(|&b| b == 0) {
                out.extend_from_slice(&buf[..nul]);
                return Some(false);
            }
            let room = max - total;
            if n > room {
                out.extend_from_slice(&buf[..room]);
                return Some(true);
            }
            out.extend_from_slice(&buf[..n]);
            total += n;
            a += n as u64;
            if total >= max {
                // Exactly max bytes without a NUL: more may follow.
                let mut probe = [0u8; 1];
                let more = self.read(a, &mut probe) == 1 && probe[0] != 0;
                return Some(more);
            }
            if n < want {
                return None;
            }
        }
    }

    /// Reads one pointer-sized word (`word` is 4 or 8 bytes).
    pub fn read_word(&mut self, addr: u64, word: usize) -> Option<u64> {
        let mut b = [0u8; 8];
        if self.read(addr, &mut b[..word]) != word {
            return None;
        }
        Some(if word == 4 {
            u64::from(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        } else {
            u64::from_ne_bytes(b)
        })
    }
}
