//! Profile → classic BPF for `seccomp(SECCOMP_SET_MODE_FILTER)`.
//!
//! The program checks the architecture first (anything the profile does not list gets the
//! default action: fail closed), then on x86_64 refuses x32 numbers (bit 30), then walks the
//! entries in order: the first entry whose syscall number and argument conditions match decides.
//! Arguments are 64-bit and compared as two 32-bit halves.
//!
//! Conditional jumps in classic BPF skip at most 255 instructions (`jt`/`jf` are 8-bit), and an
//! entry with many conditions is longer than that. The code is therefore written for a small
//! assembler (`Asm`) whose jumps go to labels; laying it out replaces every branch that cannot
//! reach its label with a short branch to an unconditional `JA` (32-bit offset).

use sysgate_kb::Arch;

use crate::profile::{Action, ArgCond, Op, Profile};

use crate::bpf::asm::{Asm, Label, Target};
use crate::bpf::{
    ALU_AND_K, JEQ_K, JGE_K, JGT_K, LD_W_ABS, OFF_ARCH, OFF_ARGS, OFF_NR, RET_K, X32_BIT, stmt,
};
pub use crate::bpf::{evaluate, ret};

/// `SECCOMP_RET_TRACE` data asking the supervisor to kill the process.
pub const TRACE_KILL: u16 = 0xffff;
/// `SECCOMP_RET_TRACE` data for a call that is only logged.
pub const TRACE_LOG: u16 = 0xfffe;
/// `SECCOMP_RET_TRACE` data for an allowed call the supervisor follows to its exit, so that a
/// refusal by another layer (Landlock) is reported: it reaches the sink as an ordinary call.
pub const TRACE_WATCH: u16 = 0xfffd;

/// The longest program the kernel accepts (`BPF_MAXINSNS`): `seccomp(SECCOMP_SET_MODE_FILTER)`
/// fails with `EINVAL` beyond it. [`compile`] does not check; refuse with
/// `if prog.len() > MAX_INSNS`.
pub const MAX_INSNS: usize = 4096;

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

/// The return of an entry. In supervised mode an entry that answers ENOSYS is applied by the
/// kernel alone: ENOSYS entries are compatibility answers (a newer call whose older twin libc
/// falls back to), not violations worth a report. Calls no entry names are always reported.
fn rule_ret(rule: &crate::profile::Rule, default_errno: Option<u32>, mode: Mode) -> u32 {
    let errno = rule.errno_ret.or(default_errno);
    if rule.action == Action::Errno && errno == Some(libc::ENOSYS as u32) {
        return ret::ERRNO | libc::ENOSYS as u32;
    }
    action_ret(rule.action, errno, mode)
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

/// Instructions testing one condition: they fall through when it holds and go to `fail` when
/// it does not.
fn condition(c: &ArgCond, fail: Label, asm: &mut Asm) {
    use Target::{Next, To};
    let lo_off = OFF_ARGS + 8 * u32::from(c.index);
    let hi_off = lo_off + 4;
    let (v_lo, v_hi) = (c.value as u32, (c.value >> 32) as u32);
    let fail = To(fail);
    let holds = asm.label();
    match c.op {
        Op::Eq => {
            asm.plain(stmt(LD_W_ABS, hi_off));
            asm.jump(JEQ_K, v_hi, Next, fail);
            asm.plain(stmt(LD_W_ABS, lo_off));
            asm.jump(JEQ_K, v_lo, Next, fail);
        }
        Op::MaskedEq => {
            let (e_lo, e_hi) = (c.value_two as u32, (c.value_two >> 32) as u32);
            asm.plain(stmt(LD_W_ABS, hi_off));
            asm.plain(stmt(ALU_AND_K, v_hi));
            asm.jump(JEQ_K, e_hi, Next, fail);
            asm.plain(stmt(LD_W_ABS, lo_off));
            asm.plain(stmt(ALU_AND_K, v_lo));
            asm.jump(JEQ_K, e_lo, Next, fail);
        }
        Op::Ne => {
            // Holds when either half differs.
            asm.plain(stmt(LD_W_ABS, hi_off));
            asm.jump(JEQ_K, v_hi, Next, To(holds));
            asm.plain(stmt(LD_W_ABS, lo_off));
            asm.jump(JEQ_K, v_lo, fail, Next);
        }
        Op::Gt | Op::Ge => {
            // hi > v_hi: holds; hi < v_hi: fails; equal: decide on the low half.
            let last = if c.op == Op::Gt { JGT_K } else { JGE_K };
            asm.plain(stmt(LD_W_ABS, hi_off));
            asm.jump(JGT_K, v_hi, To(holds), Next);
            asm.jump(JEQ_K, v_hi, Next, fail);
            asm.plain(stmt(LD_W_ABS, lo_off));
            asm.jump(last, v_lo, Next, fail);
        }
        Op::Lt | Op::Le => {
            // The negation of Ge / Gt.
            let last = if c.op == Op::Lt { JGE_K } else { JGT_K };
            asm.plain(stmt(LD_W_ABS, hi_off));
            asm.jump(JGT_K, v_hi, fail, Next);
            asm.jump(JEQ_K, v_hi, Next, To(holds));
            asm.plain(stmt(LD_W_ABS, lo_off));
            asm.jump(last, v_lo, fail, Next);
        }
    }
    asm.bind(holds);
}

/// Compiles `profile` for the architectures it lists.
///
/// The result may be longer than the kernel accepts; see [`MAX_INSNS`].
pub fn compile(profile: &Profile, mode: Mode) -> Vec<libc::sock_filter> {
    use Target::{Next, To};
    let deny = action_ret(profile.default_action, profile.default_errno_ret, mode);
    let mut asm = Asm::default();
    // Dispatch on the architecture: one `jeq ARCH` per arch, then the default.
    let blocks: Vec<Label> = profile.architectures.iter().map(|_| asm.label()).collect();
    asm.plain(stmt(LD_W_ABS, OFF_ARCH));
    for (&arch, &block) in profile.architectures.iter().zip(&blocks) {
        asm.jump(JEQ_K, arch.audit_arch(), To(block), Next);
    }
    asm.plain(stmt(RET_K, deny));
    for (&arch, &block) in profile.architectures.iter().zip(&blocks) {
        asm.bind(block);
        asm.plain(stmt(LD_W_ABS, OFF_NR));
        if arch == Arch::X86_64 {
            let native = asm.label();
            asm.jump(JGE_K, X32_BIT, Next, To(native));
            asm.plain(stmt(RET_K, deny));
            asm.bind(native);
        }
        for rule in &profile.syscalls {
            let r = rule_ret(rule, profile.default_errno_ret, mode);
            let mut nrs: Vec<u32> = rule
                .names
                .iter()
                .filter_map(|n| sysgate_kb::number(arch, n))
                .collect();
            nrs.sort_unstable();
            nrs.dedup();
            for nr in nrs {
                let end = asm.label();
                asm.plain(stmt(LD_W_ABS, OFF_NR));
                asm.jump(JEQ_K, nr, Next, To(end));
                for c in &rule.args {
                    condition(c, end, &mut asm);
                }
                asm.plain(stmt(RET_K, r));
                asm.bind(end);
            }
        }
        asm.plain(stmt(RET_K, deny));
    }
    asm.assemble()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Rule;

    /// Every comparison, the syscalls and the argument values the randomized checks draw from.
    const OPS: [Op; 7] = [Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::MaskedEq];
    const NAMES: [&str; 6] = ["read", "write", "socket", "ioctl", "openat", "mmap"];
    const INTERESTING: [u64; 8] = [
        0,
        1,
        2,
        0xffff_ffff,
        0x1_0000_0000,
        0x1_0000_0002,
        u64::MAX,
        0x5401,
    ];

    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// The compiled program and `Profile::decide` agree on random calls, for every operator.
    #[test]
    fn compiled_filter_matches_the_profile_semantics() {
        let ops = OPS;
        let mut seed = 0x1234_5678_9abc_def1u64;
        let (names, interesting) = (NAMES, INTERESTING);
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

    fn cond(index: u8, op: Op, value: u64, value_two: u64) -> ArgCond {
        ArgCond {
            index,
            value,
            value_two,
            op,
        }
    }

    fn rule(name: &str, action: Action, errno_ret: Option<u32>, args: Vec<ArgCond>) -> Rule {
        Rule {
            names: vec![name.into()],
            action,
            errno_ret,
            args,
            comment: None,
        }
    }

    /// What the compiled program must return: `Profile::decide` through `action_ret`.
    fn expected(p: &Profile, arch: Arch, nr: u32, args: &[u64; 6], mode: Mode) -> u32 {
        let (action, errno) = p.decide(arch, nr, args);
        action_ret(action, errno, mode)
    }

    /// Instructions `rule` compiles to, as the only entry of a one-architecture profile.
    fn entry_len(rule: &Rule) -> usize {
        let mut p = Profile {
            default_action: Action::Errno,
            default_errno_ret: Some(1),
            architectures: vec![Arch::X86_64],
            syscalls: vec![],
        };
        let empty = compile(&p, Mode::Enforce).len();
        p.syscalls.push(rule.clone());
        compile(&p, Mode::Enforce).len() - empty
    }

    /// `openat` flags the `MaskedEq` entry wants: bit 0 set, every other masked bit clear.
    const OPENAT_FLAGS: u64 = 1;
    /// Bits no `MaskedEq` condition of the `openat` entry looks at.
    const OPENAT_FREE: [u32; 4] = [1, 2, 3, 40];

    /// One entry per operator family, each longer than an 8-bit jump can cross, each followed by
    /// a short entry for the same syscall that only a correct "fail → end of entry" reaches.
    fn long_entries_profile() -> Profile {
        let ioctl = (1..=80).map(|v| cond(1, Op::Ne, v, 0)).collect();
        let read = (0..72)
            .map(|i| cond((i % 6) as u8, Op::Eq, READ_VALS[i % 6], 0))
            .collect();
        let mut openat: Vec<ArgCond> = (0..64u32)
            .filter(|b| !OPENAT_FREE.contains(b))
            .map(|b| cond(2, Op::MaskedEq, 1 << b, OPENAT_FLAGS & (1 << b)))
            .collect();
        for m in [
            0xf0,
            0x0f00,
            0xff00_0000,
            0xf_0000_0000,
            0xff00_0000_0000_0000,
        ] {
            openat.push(cond(2, Op::MaskedEq, m, OPENAT_FLAGS & m));
        }
        for m in [0x11, 0x1_0000_0001, 0x8000_0000_0000_0001, 0x31, 0x101] {
            openat.push(cond(2, Op::MaskedEq, m, OPENAT_FLAGS & m));
        }
        let mmap = (0..40u64)
            .flat_map(|i| {
                [
                    cond(1, Op::Gt, 0x1000 * i, 0),
                    cond(1, Op::Lt, 0x1_0000_0000 + 0x100 * (i + 1), 0),
                ]
            })
            .collect();
        let mprotect = (0..35u64)
            .flat_map(|i| [cond(2, Op::Ge, i, 0), cond(2, Op::Le, u64::MAX - i, 0)])
            .collect();
        Profile {
            default_action: Action::Errno,
            default_errno_ret: Some(1),
            architectures: vec![Arch::X86_64, Arch::I386],
            syscalls: vec![
                rule("ioctl", Action::Allow, None, ioctl),
                rule("ioctl", Action::Errno, Some(25), vec![]),
                rule("read", Action::Allow, None, read),
                rule("read", Action::Errno, Some(5), vec![]),
                rule("openat", Action::Errno, Some(13), openat),
                rule("openat", Action::Allow, None, vec![]),
                rule("mmap", Action::Allow, None, mmap),
                rule("mmap", Action::Errno, Some(12), vec![]),
                rule("mprotect", Action::Allow, None, mprotect),
                rule("mprotect", Action::Log, None, vec![]),
            ],
        }
    }

    /// The six arguments the `read` entry's `Eq` conditions want.
    const READ_VALS: [u64; 6] = [3, 0x1_0000_0007, 4096, 0, u64::MAX, 0x8000_0000];

    /// Entries whose "fail → end of entry" jump is longer than 255 instructions still send every
    /// call exactly where `Profile::decide` does: matches, misses, and high-half variants.
    #[test]
    fn long_entries_match_the_profile_semantics() {
        let p = long_entries_profile();
        for r in p.syscalls.iter().filter(|r| !r.args.is_empty()) {
            let n = entry_len(r);
            eprintln!(
                "{} entry: {} conditions, {n} instructions",
                r.names[0],
                r.args.len()
            );
            assert!(n > 255, "{}: only {n} instructions", r.names[0]);
        }
        // Every argument of every probe is taken from here (plus the per-syscall bases below).
        let mut values: Vec<u64> = vec![
            0,
            1,
            2,
            33,
            34,
            35,
            100,
            0x27000,
            0x27001,
            0x28000,
            0x7fff_ffff,
            0x8000_0000,
            0xffff_ffff,
            0x1_0000_0000,
            0x1_0000_00ff,
            0x1_0000_0100,
            0x1_0000_0101,
            u64::MAX - 35,
            u64::MAX - 34,
            u64::MAX - 33,
            u64::MAX,
        ];
        for v in 0..=82u64 {
            values.extend([v, v | 1 << 32, v | 1 << 63, v | 0xffff_ffff_0000_0000]);
        }
        for b in 0..64 {
            values.extend([OPENAT_FLAGS ^ 1 << b, OPENAT_FLAGS | 1 << b, 1 << b]);
        }
        for v in READ_VALS {
            values.extend([v, v ^ 1, v ^ 1 << 32, v.wrapping_add(1), v ^ 1 << 63]);
        }
        values.sort_unstable();
        values.dedup();
        let mut zero = READ_VALS;
        zero[1] = 0;
        let mut openat = READ_VALS;
        openat[2] = OPENAT_FLAGS | 1 << 40 | 1 << 2;
        let mut mmap = READ_VALS;
        mmap[1] = 0x30000;
        let mut mprotect = READ_VALS;
        mprotect[2] = 100;
        let probes: [(&str, [u64; 6], &[usize]); 6] = [
            ("ioctl", zero, &[0, 1]),
            ("read", READ_VALS, &[0, 1, 2, 3, 4, 5]),
            ("openat", openat, &[1, 2]),
            ("mmap", mmap, &[0, 1]),
            ("mprotect", mprotect, &[2, 3]),
            ("getpid", READ_VALS, &[0]),
        ];
        for mode in [Mode::Enforce, Mode::Supervised] {
            let prog = compile(&p, mode);
            for arch in [Arch::X86_64, Arch::I386, Arch::Aarch64] {
                for &(name, base, indexes) in &probes {
                    let Some(nr) = sysgate_kb::number(arch, name) else {
                        continue;
                    };
                    let (mut allowed, mut denied) = (0, 0);
                    let mut check = |args: [u64; 6]| {
                        let want = expected(&p, arch, nr, &args, mode);
                        let got = evaluate(&prog, arch.audit_arch(), nr, &args);
                        assert_eq!(got, Some(want), "{name} {args:x?} on {arch} ({mode:?})");
                        if want == ret::ALLOW {
                            allowed += 1;
                        } else {
                            denied += 1;
                        }
                    };
                    check(base);
                    for &i in indexes {
                        for &v in &values {
                            let mut args = base;
                            args[i] = v;
                            check(args);
                        }
                    }
                    if name != "getpid" && arch != Arch::Aarch64 {
                        assert!(
                            allowed > 0 && denied > 0,
                            "{name} on {arch}: {allowed}/{denied}"
                        );
                    }
                }
            }
        }
    }

    /// The randomized semantics check with entries of up to 100 conditions, built around a
    /// witness call so that long entries do match sometimes.
    #[test]
    fn long_random_entries_match_the_profile_semantics() {
        let ops = OPS;
        let mut seed = 0x0bad_cafe_dead_beefu64;
        let (names, interesting) = (NAMES, INTERESTING);
        let arch_sets = [
            vec![Arch::X86_64],
            vec![Arch::X86_64, Arch::I386],
            vec![Arch::I386, Arch::Aarch64, Arch::X86_64],
        ];
        // Near a witness value, or one of the interesting ones.
        let pick = |seed: &mut u64, w: u64| match rng(seed) % 4 {
            0 => interesting[(rng(seed) % 8) as usize],
            1 => w.wrapping_add(1),
            2 => w.wrapping_sub(1),
            _ => w,
        };
        let mut long_entries = 0;
        let mut matched = 0;
        for _ in 0..120 {
            let mut rules = Vec::new();
            let mut witnesses = Vec::new();
            for _ in 0..(1 + rng(&mut seed) % 4) {
                let w = [0; 6].map(|_: u64| match rng(&mut seed) % 3 {
                    0 => interesting[(rng(&mut seed) % 8) as usize],
                    1 => rng(&mut seed) % 100,
                    _ => rng(&mut seed),
                });
                // Half the entries hold for their witness; the rest fail now and then.
                let strict = rng(&mut seed).is_multiple_of(2);
                let mut args = Vec::new();
                let n = rng(&mut seed) % 101;
                while (args.len() as u64) < n {
                    let index = (rng(&mut seed) % 6) as u8;
                    let op = ops[(rng(&mut seed) % 7) as usize];
                    let wi = w[index as usize];
                    let (value, value_two) = if op == Op::MaskedEq {
                        let mask = match rng(&mut seed) % 3 {
                            0 => interesting[(rng(&mut seed) % 8) as usize],
                            1 => 1 << (rng(&mut seed) % 64),
                            _ => rng(&mut seed),
                        };
                        (
                            mask,
                            (wi & mask) ^ u64::from(rng(&mut seed).is_multiple_of(40)),
                        )
                    } else {
                        (pick(&mut seed, wi), 0)
                    };
                    let c = cond(index, op, value, value_two);
                    if c.matches(wi) || (!strict && rng(&mut seed).is_multiple_of(50)) {
                        args.push(c);
                    }
                }
                if args.len() > 63 {
                    long_entries += 1;
                }
                rules.push(rule(
                    names[(rng(&mut seed) % 6) as usize],
                    [Action::Allow, Action::Errno, Action::Log][(rng(&mut seed) % 3) as usize],
                    Some((rng(&mut seed) % 100) as u32),
                    args,
                ));
                witnesses.push(w);
            }
            let p = Profile {
                default_action: Action::Errno,
                default_errno_ret: Some(1),
                architectures: arch_sets[(rng(&mut seed) % 3) as usize].clone(),
                syscalls: rules,
            };
            let prog = compile(&p, Mode::Enforce);
            for _ in 0..60 {
                let arch = [Arch::X86_64, Arch::I386, Arch::Aarch64][(rng(&mut seed) % 3) as usize];
                let r = (rng(&mut seed) % p.syscalls.len() as u64) as usize;
                let name = if rng(&mut seed).is_multiple_of(4) {
                    names[(rng(&mut seed) % 6) as usize]
                } else {
                    p.syscalls[r].names[0].as_str()
                };
                let Some(nr) = sysgate_kb::number(arch, name) else {
                    continue;
                };
                let mut args = witnesses[r];
                for _ in 0..(rng(&mut seed) % 3) {
                    let i = (rng(&mut seed) % 6) as usize;
                    args[i] = pick(&mut seed, args[i]);
                }
                let want = expected(&p, arch, nr, &args, Mode::Enforce);
                if want != action_ret(p.default_action, p.default_errno_ret, Mode::Enforce) {
                    matched += 1;
                }
                let got = evaluate(&prog, arch.audit_arch(), nr, &args);
                assert_eq!(
                    got,
                    Some(want),
                    "{name} {args:x?} on {arch}: {:#?}",
                    p.syscalls
                );
            }
        }
        // The generator does produce long entries, and calls that match them.
        assert!(long_entries > 50, "{long_entries} long entries");
        assert!(matched > 500, "{matched} matching calls");
    }

    /// `SECCOMP_SET_MODE_FILTER`.
    const SET_MODE_FILTER: libc::c_long = 1;

    /// Installs `prog` in a forked child and makes the `probes` there; the child exits 0 when
    /// every probe was allowed or denied (`EPERM`) as expected, `1 + i` when probe `i` was not,
    /// and 64 + errno / 96 + errno / 128 + errno when `PR_SET_NO_NEW_PRIVS`, a trivial filter or
    /// `prog` could not be installed. Returns the wait status.
    ///
    /// # Safety
    ///
    /// Every probe must be a syscall that takes no pointers and has no effect beyond its result
    /// (such as `getpriority` or `getppid`), so that making it with arbitrary integers is sound.
    unsafe fn run_in_filtered_child(
        prog: &[libc::sock_filter],
        probes: &[(u32, [u64; 6], bool)],
    ) -> i32 {
        let allow_all = [stmt(RET_K, ret::ALLOW)];
        let trivial = libc::sock_fprog {
            len: 1,
            filter: allow_all.as_ptr().cast_mut(),
        };
        let fprog = libc::sock_fprog {
            len: u16::try_from(prog.len()).expect("program fits the kernel's u16 length"),
            filter: prog.as_ptr().cast_mut(),
        };
        // SAFETY: the test harness is multi-threaded, so the child may only do what is
        // async-signal-safe. It runs only the block below: raw syscalls, errno reads, and
        // `_exit`, on memory allocated before the fork (the two programs, the probes); it
        // neither allocates nor takes locks, and never returns into the harness.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork: {}", std::io::Error::last_os_error());
        if pid == 0 {
            let errno = || std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            // SAFETY: prctl takes integers; seccomp reads the `sock_fprog` it is given and the
            // `len` instructions it points at: `trivial`/`allow_all` and `fprog`/`prog` are live
            // for the whole block (this process's copy of them). The probes are pointer-free
            // syscalls (this function's contract). `_exit` does not return.
            unsafe {
                if libc::syscall(libc::SYS_prctl, libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                    libc::_exit(64 + errno().clamp(0, 31));
                }
                if libc::syscall(libc::SYS_seccomp, SET_MODE_FILTER, 0, &raw const trivial) != 0 {
                    libc::_exit(96 + errno().clamp(0, 31));
                }
                if libc::syscall(libc::SYS_seccomp, SET_MODE_FILTER, 0, &raw const fprog) != 0 {
                    libc::_exit(128 + errno().clamp(0, 127));
                }
                for (i, &(nr, a, allowed)) in probes.iter().enumerate() {
                    let a = a.map(|v| v as libc::c_long);
                    let r = libc::syscall(nr as libc::c_long, a[0], a[1], a[2], a[3], a[4], a[5]);
                    let denied = r == -1
                        && std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
                    if denied == allowed {
                        libc::_exit(1 + i as i32);
                    }
                }
                libc::_exit(0)
            }
        }
        let mut status = 0;
        loop {
            // SAFETY: `pid` is our child and `status` a live local the kernel writes.
            let r = unsafe { libc::waitpid(pid, &mut status, 0) };
            if r == pid {
                return status;
            }
            let err = std::io::Error::last_os_error();
            assert_eq!(
                err.kind(),
                std::io::ErrorKind::Interrupted,
                "waitpid: {err}"
            );
        }
    }

    /// The kernel runs a compiled entry longer than 255 instructions the way `Profile::decide`
    /// reads it: `getpriority` is allowed only when arg0 is none of 70 values.
    #[test]
    fn kernel_enforces_a_long_entry() {
        const NAME: &str = "kernel_enforces_a_long_entry";
        let arch = Arch::native();
        // PRIO_PROCESS (0) is listed, PRIO_PGRP (1) and PRIO_USER (2) are not.
        let listed: Vec<u64> = std::iter::once(0).chain(3..=71).collect();
        assert_eq!(listed.len(), 70);
        let getpriority = rule(
            "getpriority",
            Action::Allow,
            None,
            listed.iter().map(|&v| cond(0, Op::Ne, v, 0)).collect(),
        );
        let p = Profile {
            default_action: Action::Errno,
            default_errno_ret: Some(libc::EPERM as u32),
            architectures: vec![arch],
            syscalls: vec![
                rule("exit_group", Action::Allow, None, vec![]),
                rule("exit", Action::Allow, None, vec![]),
                getpriority,
            ],
        };
        let n = entry_len(&p.syscalls[2]);
        eprintln!("getpriority entry: 70 conditions, {n} instructions");
        assert!(n > 255, "only {n} instructions");
        let prog = compile(&p, Mode::Enforce);
        assert!(prog.len() <= MAX_INSNS, "{} instructions", prog.len());
        let nr = |name| sysgate_kb::number(arch, name).expect(name);
        let calls = [
            (nr("getpriority"), [0, 0, 0, 0, 0, 0]),
            (nr("getpriority"), [1, 0, 0, 0, 0, 0]),
            (nr("getpriority"), [71, 0, 0, 0, 0, 0]),
            (nr("getpriority"), [72, 0, 0, 0, 0, 0]),
            (nr("getpriority"), [1 << 32, 0, 0, 0, 0, 0]),
            (nr("getpriority"), [0x1_0000_0005, 0, 0, 0, 0, 0]),
            (nr("getppid"), [0, 0, 0, 0, 0, 0]),
        ];
        let probes = calls.map(|(nr, args)| {
            let allowed = match p.decide(arch, nr, &args) {
                (Action::Allow, _) => true,
                (Action::Errno, Some(e)) if e == libc::EPERM as u32 => false,
                other => panic!("unexpected decision {other:?}"),
            };
            let want = if allowed {
                ret::ALLOW
            } else {
                ret::ERRNO | libc::EPERM as u32
            };
            assert_eq!(evaluate(&prog, arch.audit_arch(), nr, &args), Some(want));
            (nr, args, allowed)
        });
        assert_eq!(
            probes.map(|p| p.2),
            [false, true, false, true, true, true, false]
        );
        // SAFETY: the probes are getpriority and getppid: integer arguments, no side effects.
        let status = unsafe { run_in_filtered_child(&prog, &probes) };
        assert!(
            libc::WIFEXITED(status),
            "child did not exit normally: status {status:#x}"
        );
        match libc::WEXITSTATUS(status) {
            0 => {}
            c @ 1..=63 => panic!(
                "the kernel disagrees with Profile::decide on probe {:?}",
                calls[c as usize - 1]
            ),
            c @ 64..=127 => {
                let what = if c < 96 {
                    "prctl(PR_SET_NO_NEW_PRIVS)"
                } else {
                    "seccomp(SECCOMP_SET_MODE_FILTER) with a one-instruction filter"
                };
                eprintln!("SKIPPED {NAME}: {what} failed with errno {}", (c - 64) % 32);
            }
            c => panic!(
                "the kernel refused the compiled program: {}",
                std::io::Error::from_raw_os_error(c - 128)
            ),
        }
    }
}
