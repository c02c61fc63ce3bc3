//! Classic BPF for seccomp filters: the opcodes sysgate emits, constructors, the
//! `seccomp_data` layout, an evaluator for the same subset so that programs can be checked
//! without a kernel, and a label-based assembler ([`asm`]). Shared by the tracing filter
//! (`-e trace=`, in `sysgate-trace`) and the profile compiler.

pub(crate) mod asm;

/// `BPF_LD | BPF_W | BPF_ABS`: load a 32-bit word of `seccomp_data`.
pub const LD_W_ABS: u16 = 0x20;
/// `BPF_ALU | BPF_AND | BPF_K`.
pub const ALU_AND_K: u16 = 0x54;
/// `BPF_JMP | BPF_JA`: unconditional jump by `k`.
pub const JA: u16 = 0x05;
/// `BPF_JMP | BPF_JEQ | BPF_K`.
pub const JEQ_K: u16 = 0x15;
/// `BPF_JMP | BPF_JGT | BPF_K`.
pub const JGT_K: u16 = 0x25;
/// `BPF_JMP | BPF_JGE | BPF_K`.
pub const JGE_K: u16 = 0x35;
/// `BPF_RET | BPF_K`.
pub const RET_K: u16 = 0x06;

/// Offset of the syscall number in `struct seccomp_data`.
pub const OFF_NR: u32 = 0;
/// Offset of the `AUDIT_ARCH_*` value.
pub const OFF_ARCH: u32 = 4;
/// Offset of the six 64-bit arguments.
pub const OFF_ARGS: u32 = 16;
/// x32 syscall numbers have this bit set.
pub const X32_BIT: u32 = 0x4000_0000;

/// `SECCOMP_RET_*` values.
pub mod ret {
    /// Kill the process.
    pub const KILL_PROCESS: u32 = 0x8000_0000;
    /// Kill the thread.
    pub const KILL_THREAD: u32 = 0;
    /// Fail with errno (low 16 bits).
    pub const ERRNO: u32 = 0x0005_0000;
    /// Stop for the ptrace tracer (data in the low 16 bits).
    pub const TRACE: u32 = 0x7ff0_0000;
    /// Allow and log.
    pub const LOG: u32 = 0x7ffc_0000;
    /// Allow.
    pub const ALLOW: u32 = 0x7fff_0000;
}

/// A non-jump instruction.
pub fn stmt(code: u16, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

/// A conditional jump: skip `jt` instructions when true, `jf` when false.
pub fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

/// Runs a program (the subset above) on one `seccomp_data`; `None` for anything it does not
/// understand or a program that runs off its end.
pub fn evaluate(prog: &[libc::sock_filter], arch: u32, nr: u32, args: &[u64; 6]) -> Option<u32> {
    let mut data = [0u8; 64];
    data[0..4].copy_from_slice(&nr.to_le_bytes());
    data[4..8].copy_from_slice(&arch.to_le_bytes());
    for (i, a) in args.iter().enumerate() {
        data[16 + 8 * i..24 + 8 * i].copy_from_slice(&a.to_le_bytes());
    }
    let mut acc = 0u32;
    let mut pc = 0usize;
    // Classic BPF only jumps forward, so a program ends within its length.
    for _ in 0..=prog.len() {
        let ins = prog.get(pc)?;
        pc += 1;
        match ins.code {
            LD_W_ABS => {
                let o = ins.k as usize;
                acc = u32::from_le_bytes(data.get(o..o + 4)?.try_into().ok()?);
            }
            ALU_AND_K => acc &= ins.k,
            JA => pc += ins.k as usize,
            JEQ_K | JGT_K | JGE_K => {
                let t = match ins.code {
                    JEQ_K => acc == ins.k,
                    JGT_K => acc > ins.k,
                    _ => acc >= ins.k,
                };
                pc += usize::from(if t { ins.jt } else { ins.jf });
            }
            RET_K => return Some(ins.k),
            _ => return None,
        }
    }
    None
}
