//! The structures shared with the BPF program (`crates/trace/bpf/sysgate.bpf.c`), field for
//! field, and the per-syscall descriptors built from the knowledge base.

use sysgate_kb::{Arch, ArgType, RetType};

use crate::filter::Selection;

pub const MODE_TREE: u32 = 0;
pub const MODE_CGROUP: u32 = 1;
pub const MODE_ALL: u32 = 2;

pub const CFG_AGGREGATE: u32 = 1;
pub const CFG_STREAM: u32 = 2;
pub const CFG_MEMORY: u32 = 4;
pub const CFG_BUFFERS: u32 = 8;
pub const CFG_FOLLOW: u32 = 16;

pub const D_REPORT: u8 = 1;
pub const D_NOEXIT: u8 = 2;
pub const D_INBUF: u8 = 4;
pub const D_OUTBUF: u8 = 8;
pub const D_SOCKADDR: u8 = 16;

pub const K_SYSCALL: u32 = 1;
pub const K_NOEXIT: u32 = 2;
pub const K_MEMORY: u32 = 3;
pub const K_FORK: u32 = 4;
pub const K_EXIT: u32 = 5;

pub const C_LOST_EVENTS: u32 = 0;
pub const C_LOST_MEMORY: u32 = 1;
pub const C_INFLIGHT_FULL: u32 = 2;
pub const C_STATS_FULL: u32 = 3;
pub const C_TREE_FULL: u32 = 4;

pub const MAX_SYSCALLS: u32 = 1024;
pub const HIST_BUCKETS: usize = 32;
/// The largest buffer prefix the program captures.
pub const MEM_MAX: usize = 4095;
pub const MEM_HEADER: usize = 24;

#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Config {
    pub mode: u32,
    pub flags: u32,
    pub self_tgid: u32,
    pub cgroup_level: u32,
    pub cgroup_id: u64,
    pub buf_cap: u32,
    pub nr_execve: u32,
    pub nr_execveat: u32,
    pub pad: u32,
    pub comm: [u8; 16],
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Proc {
    pub threads: u32,
    pub pending: u32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct StatsKey {
    pub tgid: u32,
    pub nr: u32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub count: u64,
    pub errors: u64,
    pub total_ns: u64,
    pub max_ns: u64,
    pub hist: [u64; HIST_BUCKETS],
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Desc {
    pub flags: u8,
    pub str_mask: u8,
    pub argv_mask: u8,
    pub in_arg: u8,
    pub in_len: u8,
    pub out_arg: u8,
    pub sa_arg: u8,
    pub sa_len: u8,
}

// SAFETY: plain `repr(C)` integers and arrays without padding; every bit pattern is valid.
unsafe impl aya::Pod for Config {}
// SAFETY: as above.
unsafe impl aya::Pod for Proc {}
// SAFETY: as above.
unsafe impl aya::Pod for StatsKey {}
// SAFETY: as above.
unsafe impl aya::Pod for Stats {}
// SAFETY: as above.
unsafe impl aya::Pod for Desc {}

/// A completed call (`K_SYSCALL`) or one that never returns (`K_NOEXIT`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CallRecord {
    pub tid: u32,
    pub tgid: u32,
    pub nr: u32,
    pub ts: u64,
    pub dur: u64,
    pub args: [u64; 6],
    pub ret: i64,
}

/// One parsed ring-buffer record.
#[derive(Debug)]
pub enum Record<'a> {
    Call {
        exits: bool,
        call: CallRecord,
    },
    Memory {
        tid: u32,
        addr: u64,
        data: &'a [u8],
        truncated: bool,
    },
    Fork {
        tid: u32,
        tgid: u32,
        child: u32,
        ts: u64,
        clone_flags: u64,
    },
    Exit {
        tid: u32,
        tgid: u32,
        ts: u64,
    },
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_ne_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

impl Record<'_> {
    /// Parses one record; `None` for a short or unknown one (the program and loader disagree).
    pub fn parse(b: &[u8]) -> Option<Record<'_>> {
        let kind = u32_at(b, 0)?;
        Some(match kind {
            K_SYSCALL | K_NOEXIT => {
                let mut args = [0u64; 6];
                for (i, a) in args.iter_mut().enumerate() {
                    *a = u64_at(b, 32 + 8 * i)?;
                }
                Record::Call {
                    exits: kind == K_SYSCALL,
                    call: CallRecord {
                        tid: u32_at(b, 4)?,
                        tgid: u32_at(b, 8)?,
                        nr: u32_at(b, 12)?,
                        ts: u64_at(b, 16)?,
                        dur: u64_at(b, 24)?,
                        args,
                        ret: u64_at(b, 80)? as i64,
                    },
                }
            }
            K_MEMORY => {
                let len = u32_at(b, 16)? as usize;
                Record::Memory {
                    tid: u32_at(b, 4)?,
                    addr: u64_at(b, 8)?,
                    truncated: u32_at(b, 20)? != 0,
                    data: b.get(MEM_HEADER..MEM_HEADER + len)?,
                }
            }
            K_FORK | K_EXIT => {
                let tid = u32_at(b, 4)?;
                let tgid = u32_at(b, 8)?;
                let ts = u64_at(b, 16)?;
                if kind == K_EXIT {
                    Record::Exit { tid, tgid, ts }
                } else {
                    Record::Fork {
                        tid,
                        tgid,
                        child: u32_at(b, 12)?,
                        ts,
                        clone_flags: u64_at(b, 24)?,
                    }
                }
            }
            _ => return None,
        })
    }
}

/// The descriptor of syscall `nr`: whether it is selected, and which arguments point at
/// memory the decoder will want (strings, argv arrays, socket addresses, buffers).
pub fn descriptor(arch: Arch, nr: u32, selection: &Selection) -> Desc {
    let mut d = Desc::default();
    if selection.contains(arch, nr) {
        d.flags |= D_REPORT;
    }
    let Some(sc) = sysgate_kb::lookup(arch, u64::from(nr)) else {
        return d;
    };
    if sc.ret == RetType::None && matches!(sc.name, "exit" | "exit_group") {
        d.flags |= D_NOEXIT;
    }
    for (i, arg) in sc.args.iter().enumerate().take(6) {
        let bit = 1u8 << i;
        match arg.ty {
            ArgType::Path | ArgType::Str => d.str_mask |= bit,
            ArgType::Argv => d.argv_mask |= bit,
            ArgType::InBuf { len } if d.flags & D_INBUF == 0 => {
                d.flags |= D_INBUF;
                d.in_arg = i as u8;
                d.in_len = len;
            }
            ArgType::OutBuf { .. } if d.flags & D_OUTBUF == 0 => {
                d.flags |= D_OUTBUF;
                d.out_arg = i as u8;
            }
            ArgType::SockAddr { len } if d.flags & D_SOCKADDR == 0 => {
                d.flags |= D_SOCKADDR;
                d.sa_arg = i as u8;
                d.sa_len = len;
            }
            _ => {}
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_program() {
        // The C structs in sysgate.bpf.c, by the same arithmetic.
        assert_eq!(size_of::<Config>(), 56);
        assert_eq!(size_of::<Proc>(), 8);
        assert_eq!(size_of::<StatsKey>(), 8);
        assert_eq!(size_of::<Stats>(), 32 + 8 * HIST_BUCKETS);
        assert_eq!(size_of::<Desc>(), 8);
    }

    #[test]
    fn descriptors_come_from_the_signatures() {
        let all = Selection::all();
        let a = Arch::X86_64;
        let openat = descriptor(a, 257, &all);
        assert_eq!(openat.flags, D_REPORT);
        assert_eq!(openat.str_mask, 0b10);
        let write = descriptor(a, 1, &all);
        assert_eq!(write.flags, D_REPORT | D_INBUF);
        assert_eq!((write.in_arg, write.in_len), (1, 2));
        let read = descriptor(a, 0, &all);
        assert_eq!((read.flags, read.out_arg), (D_REPORT | D_OUTBUF, 1));
        let connect = descriptor(a, 42, &all);
        assert_eq!(
            (connect.flags, connect.sa_arg, connect.sa_len),
            (D_REPORT | D_SOCKADDR, 1, 2)
        );
        let execve = descriptor(a, 59, &all);
        assert_eq!((execve.str_mask, execve.argv_mask), (0b1, 0b110));
        assert_eq!(descriptor(a, 231, &all).flags, D_REPORT | D_NOEXIT);
        let only_open = Selection::parse("openat").unwrap();
        assert_eq!(descriptor(a, 1, &only_open).flags & D_REPORT, 0);
    }

    #[test]
    fn records_parse_and_short_ones_are_refused() {
        let mut b = vec![0u8; 88];
        b[0..4].copy_from_slice(&K_SYSCALL.to_ne_bytes());
        b[4..8].copy_from_slice(&7u32.to_ne_bytes());
        b[80..88].copy_from_slice(&(-2i64).to_ne_bytes());
        match Record::parse(&b) {
            Some(Record::Call { exits: true, call }) => {
                assert_eq!((call.tid, call.ret), (7, -2));
            }
            other => panic!("{other:?}"),
        }
        assert!(Record::parse(&b[..40]).is_none());
        let mut m = vec![0u8; MEM_HEADER + 3];
        m[0..4].copy_from_slice(&K_MEMORY.to_ne_bytes());
        m[16..20].copy_from_slice(&4u32.to_ne_bytes()); // claims more than it carries
        assert!(Record::parse(&m).is_none());
        assert!(Record::parse(&[9, 0, 0, 0]).is_none());
    }
}
