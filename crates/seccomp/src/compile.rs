//! Profile → classic BPF for `seccomp(SECCOMP_SET_MODE_FILTER)`.
//!
//! The program checks the architecture first (anything the profile does not list gets the
//! default action: fail closed), then on x86_64 refuses x32 numbers (bit 30), then walks the
//! entries in order: the first entry whose syscall number and argument conditions match decides.
//! Arguments are 64-bit and compared as two 32-bit halves.

use sysgate_kb::Arch;

use crate::profile::{Action, ArgCond, Op, Profile};

use sysgate_trace::ptrace::bpf::{
    ALU_AND_K, JA, JEQ_K, JGE_K, JGT_K, LD_W_ABS, OFF_ARCH, OFF_ARGS, OFF_NR, RET_K, X32_BIT, jump,
    stmt,
};
pub use sysgate_trace::ptrace::bpf::{evaluate, ret};

pub use sysgate_trace::ptrace::{TRACE_KILL, TRACE_LOG};

/// How denied calls reach user space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The kernel applies the profile's actions by itself.
    Enforce,
    /// Denied calls stop for the ptrace supervisor (`SECCOMP_RET_TRACE`, with the errno to
    /// return, or [`TRACE_KILL`], as data), which reports them and then applies the action. If
    /// the supervisor is gone the kernel fails them with ENOSYS: still denied.
    Supervised,
}

/// The `SECCOMP_RET_*` value for an action.
fn action_ret(action: Action, errno: Option<u32>, mode: Mode) -> u32 {
    let errno = errno.unwrap_or(libc::EPERM as u32).min(0xffff);
    match (action, mode) {
        (Action::Allow, _) => ret::ALLOW,
        (Action::Log, Mode::Enforce) => ret::LOG,
        (Action::Log, Mode::Supervised) => ret::TRACE | u32::from(TRACE_LOG),
        (Action::Errno, Mode::Enforce) => ret::ERRNO | errno,
        (Action::Errno, Mode::Supervised) => ret::TRACE | errno,
        (Action::KillThread, Mode::Enforce) => ret::KILL_THREAD,
        (Action::KillProcess, Mode::Enforce) => ret::KILL_PROCESS,
        (Action::KillThread | Action::KillProcess, Mode::Supervised) => {
            ret::TRACE | u32::from(TRACE_KILL)
        }
        (Action::Trace, _) => ret::TRACE | errno,
    }
}

/// A jump whose failure target is "the end of the current entry", resolved later.
enum Ins {
    Plain(libc::sock_filter),
    /// Conditional jump: true branch skips `jt`, false branch goes to the end of the entry.
    FailIfFalse(u16, u32, u8),
    /// Conditional jump: true branch goes to the end of the entry, false skips `jf`.
    FailIfTrue(u16, u32, u8),
}

/// Instructions testing one condition; falling through means it holds.
fn condition(c: &ArgCond, out: &mut Vec<Ins>) {
    let lo_off = OFF_ARGS + 8 * u32::from(c.index);
    let hi_off = lo_off + 4;
    let (v_lo, v_hi) = (c.value as u32, (c.value >> 32) as u32);
    let ld = |off| Ins::Plain(stmt(LD_W_ABS, off));
    match c.op {
        Op::Eq => {
            out.push(ld(hi_off));
            out.push(Ins::FailIfFalse(JEQ_K, v_hi, 0));
            out.push(ld(lo_off));
            out.push(Ins::FailIfFalse(JEQ_K, v_lo, 0));
        }
        Op::MaskedEq => {
            let (e_lo, e_hi) = (c.value_two as u32, (c.value_two >> 32) as u32);
            out.push(ld(hi_off));
            out.push(Ins::Plain(stmt(ALU_AND_K, v_hi)));
            out.push(Ins::FailIfFalse(JEQ_K, e_hi, 0));
            out.push(ld(lo_off));
            out.push(Ins::Plain(stmt(ALU_AND_K, v_lo)));
            out.push(Ins::FailIfFalse(JEQ_K, e_lo, 0));
        }
        Op::Ne => {
            // Holds when either half differs.
            out.push(ld(hi_off));
            out.push(Ins::Plain(jump(JEQ_K, v_hi, 0, 2)));
            out.push(ld(lo_off));
            out.push(Ins::FailIfTrue(JEQ_K, v_lo, 0));
        }
        Op::Gt | Op::Ge => {
            // hi > v_hi: holds; hi < v_hi: fails; equal: decide on the low half.
            let last = if c.op == Op::Gt { JGT_K } else { JGE_K };
            out.push(ld(hi_off));
            out.push(Ins::Plain(jump(JGT_K, v_hi, 3, 0)));
            out.push(Ins::FailIfFalse(JEQ_K, v_hi, 0));
            out.push(ld(lo_off));
            out.push(Ins::FailIfFalse(last, v_lo, 0));
        }
        Op::Lt | Op::Le => {
            // The negation of Ge / Gt.
            let last = if c.op == Op::Lt { JGE_K } else { JGT_K };
            out.push(ld(hi_off));
            out.push(Ins::FailIfTrue(JGT_K, v_hi, 0));
            out.push(Ins::Plain(jump(JEQ_K, v_hi, 0, 2)));
            out.push(ld(lo_off));
            out.push(Ins::FailIfTrue(last, v_lo, 0));
        }
    }
}

fn resolve(block: Vec<Ins>, out: &mut Vec<libc::sock_filter>) {
    let len = block.len();
    for (i, ins) in block.into_iter().enumerate() {
        // Distance from the instruction after this one to the end of the block.
        let to_end = (len - i - 1) as u8;
        out.push(match ins {
            Ins::Plain(f) => f,
            Ins::FailIfFalse(code, k, jt) => jump(code, k, jt, to_end),
            Ins::FailIfTrue(code, k, jf) => jump(code, k, to_end, jf),
        });
    }
}

/// Compiles `profile` for the architectures it lists.
pub fn compile(profile: &Profile, mode: Mode) -> Vec<libc::sock_filter> {
    let deny = action_ret(profile.default_action, profile.default_errno_ret, mode);
    let mut arch_blocks: Vec<Vec<libc::sock_filter>> = Vec::new();
    for &arch in &profile.architectures {
        let mut b = vec![stmt(LD_W_ABS, OFF_NR)];
        if arch == Arch::X86_64 {
            b.push(jump(JGE_K, X32_BIT, 0, 1));
            b.push(stmt(RET_K, deny));
        }
        for rule in &profile.syscalls {
            let r = action_ret(
                rule.action,
                rule.errno_ret.or(profile.default_errno_ret),
                mode,
            );
            let mut nrs: Vec<u32> = rule
                .names
                .iter()
                .filter_map(|n| sysgate_kb::number(arch, n))
                .collect();
            nrs.sort_unstable();
            nrs.dedup();
            for nr in nrs {
                let mut block = vec![
                    Ins::Plain(stmt(LD_W_ABS, OFF_NR)),
                    Ins::FailIfFalse(JEQ_K, nr, 0),
                ];
                for c in &rule.args {
                    condition(c, &mut block);
                }
                block.push(Ins::Plain(stmt(RET_K, r)));
                resolve(block, &mut b);
            }
        }
        b.push(stmt(RET_K, deny));
        arch_blocks.push(b);
    }
    // Dispatch on the architecture: `jeq ARCH, 0, 1; ja BLOCK` per arch, then the default.
    let n = profile.architectures.len();
    let mut p = vec![stmt(LD_W_ABS, OFF_ARCH)];
    let dispatch_len = 2 * n + 1;
    let mut offset = 0usize;
    for (i, &arch) in profile.architectures.iter().enumerate() {
        p.push(jump(JEQ_K, arch.audit_arch(), 0, 1));
        // From the instruction after this `ja` to the start of block i.
        let after_ja = 1 + 2 * i + 2;
        let start = 1 + dispatch_len + offset;
        p.push(stmt(JA, (start - after_ja) as u32));
        offset += arch_blocks[i].len();
    }
    p.push(stmt(RET_K, deny));
    for b in arch_blocks {
        p.extend(b);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Rule;

    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// The compiled program and `Profile::decide` agree on random calls, for every operator.
    #[test]
    fn compiled_filter_matches_the_profile_semantics() {
        let ops = [Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::MaskedEq];
        let mut seed = 0x1234_5678_9abc_def1u64;
        let names = ["read", "write", "socket", "ioctl", "openat", "mmap"];
        let interesting = [
            0u64,
            1,
            2,
            0xffff_ffff,
            0x1_0000_0000,
            0x1_0000_0002,
            u64::MAX,
            0x5401,
        ];
        for _ in 0..300 {
            let mut rules = Vec::new();
            for _ in 0..(1 + rng(&mut seed) % 5) {
                let mut args = Vec::new();
                for _ in 0..(rng(&mut seed) % 3) {
                    args.push(ArgCond {
                        index: (rng(&mut seed) % 3) as u8,
                        value: interesting[(rng(&mut seed) % 8) as usize],
                        value_two: interesting[(rng(&mut seed) % 8) as usize],
                        op: ops[(rng(&mut seed) % 7) as usize],
                    });
                }
                rules.push(Rule {
                    names: vec![names[(rng(&mut seed) % 6) as usize].into()],
                    action: if rng(&mut seed).is_multiple_of(2) {
                        Action::Allow
                    } else {
                        Action::Errno
                    },
                    errno_ret: Some(38),
                    args,
                    comment: None,
                });
            }
            let p = Profile {
                default_action: Action::Errno,
                default_errno_ret: Some(1),
                architectures: vec![Arch::X86_64, Arch::I386],
                syscalls: rules,
            };
            let prog = compile(&p, Mode::Enforce);
            for _ in 0..50 {
                let arch = [Arch::X86_64, Arch::I386, Arch::Aarch64][(rng(&mut seed) % 3) as usize];
                let name = names[(rng(&mut seed) % 6) as usize];
                let Some(nr) = sysgate_kb::number(arch, name) else {
                    continue;
                };
                let args =
                    [0, 0, 0, 0, 0, 0].map(|_: u64| interesting[(rng(&mut seed) % 8) as usize]);
                let (action, errno) = p.decide(arch, nr, &args);
                let expected = action_ret(action, errno, Mode::Enforce);
                let got = evaluate(&prog, arch.audit_arch(), nr, &args);
                assert_eq!(
                    got,
                    Some(expected),
                    "{name} {args:x?} on {arch}: {:#?}",
                    p.syscalls
                );
            }
        }
    }

    #[test]
    fn x32_and_unknown_arches_fail_closed() {
        let p = Profile {
            default_action: Action::KillProcess,
            default_errno_ret: None,
            architectures: vec![Arch::X86_64],
            syscalls: vec![Rule {
                names: vec!["getpid".into()],
                action: Action::Allow,
                errno_ret: None,
                args: vec![],
                comment: None,
            }],
        };
        let prog = compile(&p, Mode::Enforce);
        let x = Arch::X86_64.audit_arch();
        assert_eq!(evaluate(&prog, x, 39, &[0; 6]), Some(ret::ALLOW));
        assert_eq!(
            evaluate(&prog, x, 39 | X32_BIT, &[0; 6]),
            Some(ret::KILL_PROCESS)
        );
        assert_eq!(
            evaluate(&prog, Arch::I386.audit_arch(), 20, &[0; 6]),
            Some(ret::KILL_PROCESS)
        );
        let sup = compile(&p, Mode::Supervised);
        assert_eq!(
            evaluate(&sup, x, 40, &[0; 6]),
            Some(ret::TRACE | u32::from(TRACE_KILL))
        );
    }
}
