//! The classic-BPF program that makes only the selected syscalls stop the tracee
//! (`SECCOMP_RET_TRACE`); everything else runs at full speed (`SECCOMP_RET_ALLOW`).

use sysgate_kb::Arch;

use crate::filter::Selection;

use sysgate_seccomp::bpf::{
    JEQ_K, JGE_K, LD_W_ABS, OFF_ARCH, OFF_NR, RET_K, X32_BIT, jump, ret, stmt,
};

/// Most syscalls worth filtering: beyond this, stopping on everything is as cheap.
pub const MAX_SELECTED: usize = 200;

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
        stmt(LD_W_ABS, OFF_ARCH),
        jump(JEQ_K, arch.audit_arch(), 1, 0),
        stmt(RET_K, ret::TRACE),
        stmt(LD_W_ABS, OFF_NR),
        jump(JGE_K, X32_BIT, 0, 1),
        stmt(RET_K, ret::TRACE),
    ];
    for nr in nrs {
        p.push(jump(JEQ_K, nr, 0, 1));
        p.push(stmt(RET_K, ret::TRACE));
    }
    p.push(stmt(RET_K, ret::ALLOW));
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p: &[libc::sock_filter], arch: u32, nr: u32) -> u32 {
        sysgate_seccomp::bpf::evaluate(p, arch, nr, &[0; 6]).expect("program returns")
    }

    #[test]
    fn only_selected_syscalls_trap() {
        let sel = Selection::parse("openat,close").unwrap();
        let p = program(&sel);
        let native = Arch::native();
        let nr = |n| sysgate_kb::number(native, n).unwrap();
        let a = native.audit_arch();
        assert_eq!(run(&p, a, nr("openat")), ret::TRACE);
        assert_eq!(run(&p, a, nr("close")), ret::TRACE);
        assert_eq!(run(&p, a, nr("execve")), ret::TRACE);
        assert_eq!(run(&p, a, nr("read")), ret::ALLOW);
        assert_eq!(run(&p, a, X32_BIT | 2), ret::TRACE);
        assert_eq!(run(&p, Arch::I386.audit_arch(), 5), ret::TRACE);
    }
}
