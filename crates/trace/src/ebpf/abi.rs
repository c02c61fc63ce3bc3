//! The structures shared with the BPF program (`crates/trace/bpf/sysgate.bpf.c`), field for
//! field, and the per-syscall descriptors built from the knowledge base.

use sysgate_kb::{Arch, ArgType, RetType};

use crate::decode::structs;
use crate::filter::Selection;

pub const MODE_TREE: u32 = 0;
pub const MODE_CGROUP: u32 = 1;
pub const MODE_ALL: u32 = 2;

pub const CFG_AGGREGATE: u32 = 1;
pub const CFG_STREAM: u32 = 2;
pub const CFG_MEMORY: u32 = 4;
pub const CFG_BUFFERS: u32 = 8;
pub const CFG_FOLLOW: u32 = 16;
/// Copy each call's registers and the top of its user stack (`-k`).
pub const CFG_STACKS: u32 = 32;
/// With `CFG_AGGREGATE` alone: count at entry, errors at exit, time nothing.
pub const CFG_NOTIME: u32 = 64;
/// Buffer prefixes of at most `INL_MAX` bytes travel in the call record (`K_SYSCALL_BUF`).
pub const CFG_INLINE: u32 = 128;
/// The memory record at this address holds the call's instruction, stack and frame pointers.
pub const REGS_ADDR: u64 = 1;

pub const D_REPORT: u8 = 1;
pub const D_NOEXIT: u8 = 2;
pub const D_INBUF: u8 = 4;
pub const D_OUTBUF: u8 = 8;
pub const D_SOCKADDR: u8 = 16;
/// Memory besides the input buffer is copied at entry (strings, argv, structs).
pub const D_ENTRY: u8 = 32;

pub const K_SYSCALL: u32 = 1;
pub const K_NOEXIT: u32 = 2;
pub const K_MEMORY: u32 = 3;
pub const K_FORK: u32 = 4;
pub const K_EXIT: u32 = 5;
/// A `K_SYSCALL` record followed by a buffer prefix: address, length, up to `INL_MAX` bytes.
pub const K_SYSCALL_BUF: u32 = 6;

/// The slot of the tail-call table `TAILS`: sys_enter's copying half.
pub const T_COPY: u32 = 0;

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
/// The buffer prefix a call record can carry.
pub const INL_MAX: usize = 32;
/// The size of a call record; `K_SYSCALL_BUF`'s prefix follows it.
const CALL_SIZE: usize = 88;

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
    pub execs_pending: u32,
    pub comm: [u8; 16],
    pub regs_lo: u32,
    pub arg_idx: [u8; 8],
    pub wake_mask: u32,
    pub ring_size: u64,
    pub ip_off: u16,
    pub sp_off: u16,
    pub bp_off: u16,
    pub stack_bytes: u16,
    pub root_tgid: u32,
    pub root_ready: u32,
    pub nr_off: u32,
    pub spilled: u32,
}

/// Offsets in the kernel's `struct pt_regs` of the instruction, stack and frame pointers
/// (x86_64 only: stacks are unwound there).
pub fn unwind_slots(arch: Arch) -> Option<(u16, u16, u16)> {
    match arch {
        // … bp at 32 …, ip at 128, cs, flags, sp at 152.
        Arch::X86_64 => Some((128, 152, 32)),
        _ => None,
    }
}

/// Offset in the kernel's `struct pt_regs` of the syscall number, read at `sys_exit` (whose
/// tracepoint does not carry it): x86_64's `orig_ax`, arm64's `syscallno` (an `s32`, read as
/// the low half of 8 bytes).
pub fn nr_slot(arch: Arch) -> u32 {
    match arch {
        Arch::X86_64 => 120,
        // regs[31], sp, pc, pstate, orig_x0, then syscallno.
        Arch::Aarch64 => 280,
        // Not used: sysgate runs 64-bit.
        Arch::I386 => 0,
    }
}

/// Where the six syscall arguments lie in the kernel's `struct pt_regs` (the uapi layout, part
/// of the ABI), for the raw `sys_enter` tracepoint: the start of a 64-byte window and each
/// argument's 8-byte slot in it.
pub fn arg_slots(arch: Arch) -> (u32, [u8; 8]) {
    match arch {
        // r10 r9 r8 ax cx dx si di at 56..120: di, si, dx, r10, r8, r9.
        Arch::X86_64 => (56, [7, 6, 5, 0, 2, 1, 0, 0]),
        // regs[0..5] (x0 still holds the first argument at entry).
        Arch::Aarch64 => (0, [0, 1, 2, 3, 4, 5, 0, 0]),
        // 4-byte registers; not used (sysgate runs 64-bit).
        Arch::I386 => (0, [0, 1, 2, 3, 4, 5, 0, 0]),
    }
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
    pub ent_arg: [u8; 2],
    pub ext_arg: [u8; 2],
    pub ent_size: [u16; 2],
    pub ext_size: [u16; 2],
    pub pad: u32,
}

/// `Desc` sizes: variable (elements × a count from an argument or the return value).
const SIZE_VAR: u16 = 0x8000;
const COUNT_RET: u8 = 6;

fn var_size(elem: usize, count_from: u8) -> u16 {
    SIZE_VAR | (u16::from(count_from) << 12) | elem as u16
}

/// Bytes copied for the struct behind an argument of type `ty`, at entry or at exit.
fn struct_copy(ty: &ArgType, arch: Arch) -> Option<(bool, u16)> {
    let fixed = |name: &str| structs::fixed_size(name, arch).map(|s| s.min(MEM_MAX) as u16);
    Some(match ty {
        ArgType::Struct("pollfd") => (false, var_size(8, 1)),
        ArgType::Struct("sembuf") => (false, var_size(6, 2)),
        ArgType::Struct(name) => (false, fixed(name)?),
        ArgType::OutStruct("epoll_events") => {
            (true, var_size(structs::epoll_size(arch), COUNT_RET))
        }
        ArgType::OutStruct(name) => (true, fixed(name)?),
        ArgType::FdPair => (true, 8),
        ArgType::OutSockAddr { .. } => (true, 128),
        ArgType::SigSet { size } => (false, var_size(1, *size)),
        ArgType::OutSigSet { size } => (true, var_size(1, *size)),
        _ => return None,
    })
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
        /// The buffer prefix read at the call's exit (`K_SYSCALL_BUF`): its address and bytes.
        buffer: Option<(u64, &'a [u8])>,
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
            K_SYSCALL | K_NOEXIT | K_SYSCALL_BUF => {
                let mut args = [0u64; 6];
                for (i, a) in args.iter_mut().enumerate() {
                    *a = u64_at(b, 32 + 8 * i)?;
                }
                let buffer = if kind == K_SYSCALL_BUF {
                    let len = (u32_at(b, CALL_SIZE + 8)? as usize).min(INL_MAX);
                    let data = b.get(CALL_SIZE + 16..CALL_SIZE + 16 + len)?;
                    (len > 0).then(|| (u64_at(b, CALL_SIZE).unwrap_or(0), data))
                } else {
                    None
                };
                Record::Call {
                    buffer,
                    exits: kind != K_NOEXIT,
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
            ref ty => {
                if let Some((at_exit, size)) = struct_copy(ty, arch) {
                    let (args, sizes) = if at_exit {
                        (&mut d.ext_arg, &mut d.ext_size)
                    } else {
                        (&mut d.ent_arg, &mut d.ent_size)
                    };
                    if let Some(slot) = sizes.iter().position(|&s| s == 0) {
                        args[slot] = i as u8;
                        sizes[slot] = size;
                    }
                }
            }
        }
    }
    // pollfd arrays are read at entry and their revents filled at exit.
    if let Some(slot) = (0..2).find(|&s| d.ent_size[s] == var_size(8, 1))
        && let Some(free) = d.ext_size.iter().position(|&s| s == 0)
    {
        d.ext_arg[free] = d.ent_arg[slot];
        d.ext_size[free] = d.ent_size[slot];
    }
    if d.str_mask != 0
        || d.argv_mask != 0
        || d.flags & D_SOCKADDR != 0
        || d.ent_size.iter().any(|&s| s != 0)
    {
        d.flags |= D_ENTRY;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_program() {
        // The C structs in sysgate.bpf.c, by the same arithmetic.
        assert_eq!(size_of::<Config>(), 104);
        assert_eq!(size_of::<Proc>(), 8);
        assert_eq!(size_of::<StatsKey>(), 8);
        assert_eq!(size_of::<Stats>(), 32 + 8 * HIST_BUCKETS);
        assert_eq!(size_of::<Desc>(), 24);
    }

    #[test]
    fn descriptors_come_from_the_signatures() {
        let all = Selection::all();
        let a = Arch::X86_64;
        let openat = descriptor(a, 257, &all);
        assert_eq!(openat.flags, D_REPORT | D_ENTRY);
        assert_eq!(openat.str_mask, 0b10);
        let write = descriptor(a, 1, &all);
        assert_eq!(write.flags, D_REPORT | D_INBUF);
        assert_eq!((write.in_arg, write.in_len), (1, 2));
        let read = descriptor(a, 0, &all);
        assert_eq!((read.flags, read.out_arg), (D_REPORT | D_OUTBUF, 1));
        let connect = descriptor(a, 42, &all);
        assert_eq!(
            (connect.flags, connect.sa_arg, connect.sa_len),
            (D_REPORT | D_SOCKADDR | D_ENTRY, 1, 2)
        );
        let execve = descriptor(a, 59, &all);
        assert_eq!((execve.str_mask, execve.argv_mask), (0b1, 0b110));
        assert_eq!(descriptor(a, 231, &all).flags, D_REPORT | D_NOEXIT);
        // fstat copies nothing at entry: its struct is filled by the call.
        assert_eq!(descriptor(a, 5, &all).flags & D_ENTRY, 0);
        let fstat = descriptor(a, 5, &all);
        assert_eq!((fstat.ext_arg[0], fstat.ext_size[0]), (1, 144));
        let poll = descriptor(a, 7, &all);
        assert_eq!(poll.ent_size[0], var_size(8, 1));
        assert_eq!(poll.ext_size[0], var_size(8, 1));
        let nanosleep = descriptor(a, 35, &all);
        assert_eq!((nanosleep.ent_size[0], nanosleep.ext_size[0]), (16, 16));
        let pipe2 = descriptor(a, 293, &all);
        assert_eq!((pipe2.ext_arg[0], pipe2.ext_size[0]), (0, 8));
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
            Some(Record::Call {
                exits: true,
                call,
                buffer: None,
            }) => {
                assert_eq!((call.tid, call.ret), (7, -2));
            }
            other => panic!("{other:?}"),
        }
        assert!(Record::parse(&b[..40]).is_none());
        // The same call with a buffer prefix: 2 of INL_MAX bytes used.
        b[0..4].copy_from_slice(&K_SYSCALL_BUF.to_ne_bytes());
        b.resize(CALL_SIZE + 16 + INL_MAX, 0);
        b[88..96].copy_from_slice(&0x1000u64.to_ne_bytes());
        b[96..100].copy_from_slice(&2u32.to_ne_bytes());
        b[104..106].copy_from_slice(b"hi");
        match Record::parse(&b) {
            Some(Record::Call {
                exits: true,
                call,
                buffer: Some((0x1000, data)),
            }) => assert_eq!((call.tid, data), (7, &b"hi"[..])),
            other => panic!("{other:?}"),
        }
        // Nothing could be read: no region, the decoder shows the address.
        b[96..100].copy_from_slice(&0u32.to_ne_bytes());
        assert!(matches!(
            Record::parse(&b),
            Some(Record::Call { buffer: None, .. })
        ));
        assert!(Record::parse(&b[..100]).is_none());
        let mut m = vec![0u8; MEM_HEADER + 3];
        m[0..4].copy_from_slice(&K_MEMORY.to_ne_bytes());
        m[16..20].copy_from_slice(&4u32.to_ne_bytes()); // claims more than it carries
        assert!(Record::parse(&m).is_none());
        assert!(Record::parse(&[9, 0, 0, 0]).is_none());
    }
}
