//! `-e read=SET` and `-e write=SET`: the whole data a call read from or wrote to one of the
//! chosen descriptors, kept for a hex dump under the call's line, as strace prints it.
//!
//! Writes are dumped whatever the call returned (the bytes the program handed over, `count`
//! of them); reads only when the call succeeded, and only the bytes it returned. Vectors
//! (`readv`, `sendmsg`, `recvmmsg`…) are dumped buffer by buffer. Memory is read at the exit
//! stop, in 64 KiB pieces: a piece that cannot be read ends the dump, with a line saying so
//! when part of the buffer was already shown.

use sysgate_event::{IoDump, SyscallEvent};

use super::{DecodeOptions, Memory, Rd, layouts_known, read_exact};

/// Bytes read from the tracee per piece (strace's internal buffer size).
const PIECE: u64 = 64 * 1024;
/// Most bytes dumped for one call; the rest is announced, not read.
pub const DUMP_MAX: u64 = 16 * 1024 * 1024;
/// Most iovec elements followed (the kernel's `IOV_MAX`).
const IOV_MAX: u64 = 1024;
/// Most messages of one `sendmmsg`/`recvmmsg` followed (`UIO_MAXIOV`).
const MMSG_MAX: u64 = 1024;

/// A set of file descriptors: `3,5`, `all`, `none`, `!1,2`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FdSet {
    fds: Vec<u32>,
    all: bool,
    negated: bool,
}

impl FdSet {
    /// Parses strace's descriptor-set syntax.
    pub fn parse(text: &str) -> Result<FdSet, String> {
        let (negated, list) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut set = FdSet {
            negated,
            ..FdSet::default()
        };
        for item in list.split(',').map(str::trim) {
            match item {
                "all" => set.all = true,
                "none" => {}
                "" => return Err("an empty descriptor in the list".into()),
                n => match n.parse::<u32>() {
                    Ok(fd) if fd <= i32::MAX as u32 => set.fds.push(fd),
                    _ => return Err(format!("`{n}` is not a descriptor number")),
                },
            }
        }
        set.fds.sort_unstable();
        set.fds.dedup();
        Ok(set)
    }

    /// True when `fd` is in the set.
    pub fn contains(&self, fd: i32) -> bool {
        let listed = fd >= 0 && (self.all || self.fds.binary_search(&(fd as u32)).is_ok());
        listed != self.negated
    }

    /// True when no descriptor is in the set.
    pub fn is_empty(&self) -> bool {
        !self.negated && !self.all && self.fds.is_empty()
    }
}

/// How much of the data is still to be dumped.
struct Budget {
    left: u64,
}

/// Fills `ev.dumps` for a call that read from or wrote to a descriptor in
/// `opts.dump_read`/`opts.dump_write`. Called at exit with `ev.ret` set.
pub fn exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    ev.dumps.clear();
    let Some(sc) = ev.syscall else {
        return;
    };
    // The descriptor is an `int`; strace dumps nothing for a negative one.
    let fd = ev.args[0] as u32 as i32;
    if fd < 0 || !layouts_known(ev.arch) {
        return;
    }
    let [_, a1, a2, ..] = ev.args;
    let mut budget = Budget { left: DUMP_MAX };
    if opts.dump_write.is_some_and(|s| s.contains(fd)) {
        match sc.name {
            "write" | "pwrite64" | "send" | "sendto" | "mq_timedsend" | "mq_timedsend_time64" => {
                data(ev, mem, a1, a2, &mut budget)
            }
            "writev" | "pwritev" | "pwritev2" | "vmsplice" => {
                iovecs(ev, mem, a2 as u32 as i32, a1, u64::MAX, &mut budget)
            }
            "sendmsg" => in_msghdr(ev, mem, a1, u64::MAX, &mut budget),
            "sendmmsg" => in_mmsghdrs(ev, mem, a1, &mut budget),
            _ => {}
        }
    }
    if ev.is_error || ev.ret < 0 {
        return;
    }
    let got = ev.ret as u64;
    if opts.dump_read.is_some_and(|s| s.contains(fd)) {
        match sc.name {
            "read"
            | "pread64"
            | "recv"
            | "recvfrom"
            | "mq_timedreceive"
            | "mq_timedreceive_time64" => data(ev, mem, a1, got, &mut budget),
            "readv" | "preadv" | "preadv2" => {
                iovecs(ev, mem, a2 as u32 as i32, a1, got, &mut budget)
            }
            "recvmsg" => in_msghdr(ev, mem, a1, got, &mut budget),
            "recvmmsg" | "recvmmsg_time64" => in_mmsghdrs(ev, mem, a1, &mut budget),
            _ => {}
        }
    }
}

/// One buffer of `len` bytes at `addr`.
fn data(ev: &mut SyscallEvent, mem: &mut dyn Memory, addr: u64, len: u64, budget: &mut Budget) {
    if len == 0 || len.checked_add(16).is_none() || addr.checked_add(len).is_none() {
        return;
    }
    let wanted = len.min(budget.left);
    let mut got = Vec::new();
    let mut at = 0u64;
    while at < wanted {
        let piece = (wanted - at).min(PIECE);
        let start = got.len();
        got.resize(start + piece as usize, 0);
        if mem.read(addr + at, &mut got[start..]) != piece as usize {
            got.truncate(start);
            if at == 0 {
                return;
            }
            let bytes = ev.push_bytes(&got);
            ev.dumps.push(IoDump::Data { bytes, len });
            ev.dumps.push(IoDump::Unreadable {
                len: (len - at).min(PIECE),
                addr: addr + at,
            });
            budget.left -= at;
            return;
        }
        at += piece;
    }
    let bytes = ev.push_bytes(&got);
    ev.dumps.push(IoDump::Data { bytes, len });
    budget.left -= wanted;
    if wanted < len {
        ev.dumps.push(IoDump::Cut { len: len - wanted });
    }
}

/// `count` iovecs at `addr`, at most `limit` bytes in all (a read's return value).
fn iovecs(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    count: i32,
    addr: u64,
    mut limit: u64,
    budget: &mut Budget,
) {
    if count <= 0 || addr == 0 {
        return;
    }
    let count = (count as u64).min(IOV_MAX) as usize;
    let Some(raw) = read_exact(mem, addr, count * 16) else {
        return;
    };
    for (index, iov) in raw.chunks_exact(16).enumerate() {
        let r = Rd(iov);
        let (Some(base), Some(len)) = (r.u64(0), r.u64(8)) else {
            break;
        };
        let len = len.min(limit);
        if len == 0 || budget.left == 0 {
            break;
        }
        limit -= len;
        ev.dumps.push(IoDump::Buffer {
            index: index as u32,
            len,
        });
        data(ev, mem, base, len, budget);
    }
}

/// The iovecs of the `struct msghdr` at `addr`.
fn in_msghdr(ev: &mut SyscallEvent, mem: &mut dyn Memory, addr: u64, limit: u64, b: &mut Budget) {
    let Some(hdr) = read_exact(mem, addr, 56) else {
        return;
    };
    let r = Rd(&hdr);
    if let (Some(iov), Some(iovlen)) = (r.u64(16), r.u64(24)) {
        iovecs(ev, mem, iovlen as u32 as i32, iov, limit, b);
    }
}

/// The messages of `sendmmsg`/`recvmmsg` the call handled (its return value), each announced
/// with its iovec count and dumped up to its `msg_len`.
fn in_mmsghdrs(ev: &mut SyscallEvent, mem: &mut dyn Memory, addr: u64, budget: &mut Budget) {
    if ev.is_error || ev.ret <= 0 {
        return;
    }
    let count = (ev.ret as u64).min(MMSG_MAX);
    for index in 0..count {
        let Some(at) = addr.checked_add(index * 64) else {
            return;
        };
        let Some(m) = read_exact(mem, at, 64) else {
            return;
        };
        let r = Rd(&m);
        let (Some(iov), Some(iovlen), Some(msg_len)) = (r.u64(16), r.u64(24), r.u32(56)) else {
            return;
        };
        ev.dumps.push(IoDump::Vector {
            index: index as u32,
            buffers: iovlen,
        });
        iovecs(
            ev,
            mem,
            iovlen as u32 as i32,
            iov,
            u64::from(msg_len),
            budget,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_sets_parse_like_strace() {
        let s = FdSet::parse("1,4").unwrap();
        assert!(s.contains(1) && s.contains(4) && !s.contains(0) && !s.contains(-1));
        let s = FdSet::parse("!0").unwrap();
        assert!(!s.contains(0) && s.contains(7));
        assert!(FdSet::parse("all").unwrap().contains(123_456));
        assert!(FdSet::parse("none").unwrap().is_empty());
        assert!(!FdSet::parse("!none").unwrap().is_empty());
        assert!(FdSet::parse("1,x").is_err());
        assert!(FdSet::parse("-3").is_err());
        assert!(FdSet::parse("1,,2").is_err());
    }
}
