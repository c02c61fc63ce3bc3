//! The classic-BPF program that makes only the selected syscalls stop the tracee
//! (`SECCOMP_RET_TRACE`); everything else runs at full speed (`SECCOMP_RET_ALLOW`).

use sysgate_kb::Arch;

use crate::filter::Selection;

const BPF_LD_W_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
const BPF_JEQ_K: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const BPF_JGE_K: u16 = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const BPF_RET_K: u16 = 0x06; // BPF_RET | BPF_K
const RET_ALLOW: u32 = 0x7fff_0000;
const RET_TRACE: u32 = 0x7ff0_0000;
/// Offsets in `struct seccomp_data`.
const OFF_NR: u32 = 0;
const OFF_ARCH: u32 = 4;
/// x32 syscalls have this bit set.
const X32_BIT: u32 = 0x4000_0000;

/// Most syscalls worth filtering: beyond this, stopping on everything is as cheap.
pub const MAX_SELECTED: usize = 200;

fn stmt(code: u16, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

/// Builds the program: any other ABI (i386 via `int 0x80`, x32) traps on every call so nothing
/// escapes; on the native ABI only the selected numbers and `execve`/`execveat` trap.
pub fn program(selection: &Selection) -> Vec<libc::sock_filter> {
    let arch = Arch::native();
    let mut nrs = selection.numbers(arch);
    for name in ["execve", "execveat"] {
        if let Some(nr) = sysgate_kb::number(arch, name) {
            nrs.push(nr);
        }
    }
    nrs.sort_unstable();
    nrs.dedup();
    let mut p = vec![
        stmt(BPF_LD_W_ABS, OFF_ARCH),
        jump(BPF_JEQ_K, arch.audit_arch(), 1, 0),
        stmt(BPF_RET_K, RET_TRACE),
        stmt(BPF_LD_W_ABS, OFF_NR),
        jump(BPF_JGE_K, X32_BIT, 0, 1),
        stmt(BPF_RET_K, RET_TRACE),
    ];
    for nr in nrs {
        p.push(jump(BPF_JEQ_K, nr, 0, 1));
        p.push(stmt(BPF_RET_K, RET_TRACE));
    }
    p.push(stmt(BPF_RET_K, RET_ALLOW));
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny interpreter for the instructions `program` emits.
    fn run(p: &[libc::sock_filter], arch: u32, nr: u32) -> u32 {
        let mut acc = 0u32;
        let mut pc = 0usize;
        loop {
            let i = p[pc];
            match i.code {
                BPF_LD_W_ABS => acc = if i.k == OFF_ARCH { arch } else { nr },
                BPF_JEQ_K => {
                    pc += usize::from(if acc == i.k { i.jt } else { i.jf });
                }
                BPF_JGE_K => {
                    pc += usize::from(if acc >= i.k { i.jt } else { i.jf });
                }
                BPF_RET_K => return i.k,
                c => panic!("unexpected opcode {c:#x}"),
            }
            pc += 1;
        }
    }

    #[test]
    fn only_selected_syscalls_trap() {
        let sel = Selection::parse("openat,close").unwrap();
        let p = program(&sel);
        let native = Arch::native();
        let nr = |n| sysgate_kb::number(native, n).unwrap();
        let a = native.audit_arch();
        assert_eq!(run(&p, a, nr("openat")), RET_TRACE);
        assert_eq!(run(&p, a, nr("close")), RET_TRACE);
        assert_eq!(run(&p, a, nr("execve")), RET_TRACE);
        assert_eq!(run(&p, a, nr("read")), RET_ALLOW);
        assert_eq!(run(&p, a, X32_BIT | 2), RET_TRACE);
        assert_eq!(run(&p, Arch::I386.audit_arch(), 5), RET_TRACE);
    }
}
