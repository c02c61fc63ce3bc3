//! `sandbox-enosys-eperm`: newer syscalls refused with EPERM where ENOSYS would let libc fall
//! back.
//!
//! **What.** Syscalls added in the last kernel generations — `clone3`, `openat2`, `faccessat2`,
//! `statx`, `close_range`, `epoll_pwait2`, `fchmodat2`, `pidfd_open`, `getrandom`,
//! `preadv2`/`pwritev2`, `futex_waitv` — fail with `EPERM`. For these calls, in normal
//! operation, `EPERM` means a seccomp profile (a container runtime, systemd, a sandbox)
//! refused the call, and refused it with the wrong errno.
//!
//! **Why.** libc and language runtimes probe new syscalls and fall back to the older one
//! (`clone3` → `clone`, `faccessat2` → `faccessat`, `statx` → `fstatat`) only on `ENOSYS`
//! ("this kernel does not have it"). `EPERM` means "not allowed" and is passed to the caller:
//! thread creation fails, `access()` reports permission denied (seed: containers, ENOSYS vs
//! EPERM).
//!
//! **Evidence.** Per process: each refused syscall with its count, whether the process then
//! called the older twin, the first three refusals.
//!
//! **Threshold.** One `EPERM` from one of the calls above (whose arguments cannot legitimately
//! cause it in normal use).
//!
//! **Fix.** Make the seccomp profile return `ENOSYS` for syscalls it does not allow or know
//! (`SCMP_ACT_ERRNO(ENOSYS)`; Docker ≥ 20.10 and runc do this for newer calls; `sysgate
//! profile` emits it for twins), or allow the call. No time saving: this is compatibility.

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, push_unique, who};
use crate::advise::cost::fmt_count;
use crate::advise::{Ctx, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "sandbox-enosys-eperm",
    title: "newer syscalls refused with EPERM instead of ENOSYS",
    make: || Box::<SandboxEnosysEperm>::default(),
};

const EPERM: u32 = 1;

/// Newer syscalls with an older twin libc falls back to on ENOSYS.
pub const NEWER: &[(&str, &str)] = &[
    ("clone3", "clone"),
    ("openat2", "openat"),
    ("faccessat2", "faccessat"),
    ("statx", "newfstatat"),
    ("close_range", "close"),
    ("epoll_pwait2", "epoll_pwait"),
    ("fchmodat2", "fchmodat"),
    ("pidfd_open", "kill"),
    ("getrandom", "read"),
    ("preadv2", "preadv"),
    ("pwritev2", "pwritev"),
    ("futex_waitv", "futex"),
];

#[derive(Default)]
struct Stats {
    refused: Vec<(&'static str, u64, bool)>,
    tids: Vec<u32>,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct SandboxEnosysEperm {
    by_pid: HashMap<u32, Stats>,
}

impl Rule for SandboxEnosysEperm {
    fn syscall(&mut self, _: &Ctx, ev: &SyscallEvent, name: &'static str) {
        if let Some(s) = self.by_pid.get_mut(&ev.pid) {
            for r in &mut s.refused {
                if NEWER.iter().any(|(n, twin)| *n == r.0 && *twin == name) {
                    r.2 = true;
                }
            }
        }
        if ev.errno() != Some(EPERM) || !NEWER.iter().any(|(n, _)| *n == name) {
            return;
        }
        if self.by_pid.len() >= MAX_KEYS && !self.by_pid.contains_key(&ev.pid) {
            return;
        }
        let s = self.by_pid.entry(ev.pid).or_default();
        if let Some(r) = s.refused.iter_mut().find(|r| r.0 == name) {
            r.1 += 1;
        } else {
            s.refused.push((name, 1, false));
        }
        push_unique(&mut s.tids, ev.tid, 16);
        s.samples.offer(ev);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&pid, s) in &self.by_pid {
            let list: Vec<String> = s
                .refused
                .iter()
                .map(|(n, c, _)| format!("{n} ×{}", fmt_count(*c)))
                .collect();
            let twins: Vec<String> = s
                .refused
                .iter()
                .map(|(n, _, used)| {
                    let twin = NEWER.iter().find(|x| x.0 == *n).map_or("?", |x| x.1);
                    if *used {
                        format!("{n} → {twin} (called afterwards)")
                    } else {
                        format!("{n} → {twin} (not called: the feature failed)")
                    }
                })
                .collect();
            let total: u64 = s.refused.iter().map(|r| r.1).sum();
            let names: Vec<&str> = s.refused.iter().map(|r| r.0).collect();
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} got EPERM from newer syscalls ({}): a seccomp profile refuses them with EPERM, so libc, which falls back to the older call only on ENOSYS, reports a failure instead; fallbacks: {}",
                    who(cx, pid),
                    list.join(", "),
                    twins.join(", ")
                ),
            );
            f.evidence.facts = vec![
                ("refused_calls", total),
                ("refused_syscalls", s.refused.len() as u64),
            ];
            f.evidence.pids = vec![pid];
            f.evidence.tids = s.tids.clone();
            f.evidence.samples = s.samples.0.clone();
            f.saving = Saving {
                calls_avoided: 0,
                time_ns: 0,
                formula:
                    "compatibility, not time: with ENOSYS libc falls back and the program works"
                        .to_string(),
            };
            f.fix = format!(
                "make the seccomp profile answer {} with ENOSYS instead of EPERM (SCMP_ACT_ERRNO(ENOSYS), or \"errnoRet\": 38 in an OCI profile; Docker ≥ 20.10 and recent runc do this for newer calls, and `sysgate profile` emits it for twins), or allow the calls",
                names.join(", ")
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    #[test]
    fn fires_on_eperm_from_clone3_and_faccessat2() {
        let evs = vec![
            call("clone3", 7, [0x1000, 88, 0, 0, 0, 0], -1),
            with_path(
                call("faccessat2", 7, [-100i64 as u64, 0, 4, 0, 0, 0], -1),
                "/etc/hosts",
            ),
            with_path(
                call("faccessat", 7, [-100i64 as u64, 0, 4, 0, 0, 0], 0),
                "/etc/hosts",
            ),
        ];
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message.contains("(clone3 ×1, faccessat2 ×1)"),
            "{}",
            f.message
        );
        assert!(f.message.contains("clone3 → clone (not called: the feature failed), faccessat2 → faccessat (called afterwards)"), "{}", f.message);
        assert!(f.fix.contains("ENOSYS"), "{}", f.fix);
    }

    #[test]
    fn silent_on_enosys_and_eperm_from_other_calls() {
        let evs = vec![
            call("clone3", 7, [0x1000, 88, 0, 0, 0, 0], -38),
            call("clone", 7, [0x1200011, 0, 0, 0, 0, 0], 8),
            // EPERM is normal for kill, setuid, mount…
            call("kill", 7, [1, 9, 0, 0, 0, 0], -1),
            with_path(call("mount", 7, [0, 0, 0, 0, 0, 0], -1), "/mnt"),
        ];
        assert!(run(&INFO, &evs).is_empty());
    }
}
