//! What every profile gets when `sysgate run` applies it, whoever wrote it.
//!
//! A profile is a list of allowed calls; some allowances open more than their name says. These
//! entries go first (the first matching entry wins), so they hold whatever the rest allows:
//!
//! - `clone` with `CLONE_UNTRACED` or `CLONE_PTRACE` is refused: an untraced child is one the
//!   supervisor never sees, and a parent that ptraces it could resume the calls the filter hands
//!   to a tracer.
//! - `clone3` answers ENOSYS when `clone` is allowed: its flags sit behind a pointer no filter
//!   can read (new namespaces, `CLONE_UNTRACED`), and libc falls back to `clone` on ENOSYS.
//! - io_uring is refused unless allowed deliberately: a ring opens, connects and unlinks without
//!   making those syscalls, so seccomp never sees them.

use crate::generate::{CLONE_PTRACE, CLONE_UNTRACED, IO_URING};
use crate::profile::{Action, ArgCond, Op, Profile, Rule};

/// Whether any entry allows `name`, under some arguments.
fn allowed(p: &Profile, name: &str) -> bool {
    p.syscalls
        .iter()
        .any(|r| r.action == Action::Allow && r.names.iter().any(|n| n == name))
}

fn errno_rule(names: &[&str], errno: i32, args: Vec<ArgCond>, why: &str) -> Rule {
    Rule {
        names: names.iter().map(|s| s.to_string()).collect(),
        action: Action::Errno,
        errno_ret: Some(errno as u32),
        args,
        comment: Some(why.into()),
    }
}

/// Puts the entries above in front of `profile`'s; returns one line for each allowance it
/// narrowed, for the user.
pub fn harden(profile: &mut Profile, allow_io_uring: bool) -> Vec<String> {
    let mut notes = Vec::new();
    let mut front = Vec::new();
    for bit in [CLONE_UNTRACED, CLONE_PTRACE] {
        front.push(errno_rule(
            &["clone"],
            libc::EPERM,
            vec![ArgCond {
                index: 0,
                value: bit,
                value_two: bit,
                op: Op::MaskedEq,
            }],
            "a child the supervisor does not follow",
        ));
    }
    // Only an allowed clone3 is narrowed: an entry that refuses it already holds.
    let clone3 = allowed(profile, "clone3");
    if clone3 {
        front.push(errno_rule(
            &["clone3"],
            libc::ENOSYS,
            vec![],
            "flags behind a pointer: libc falls back to clone",
        ));
        if !allowed(profile, "clone") {
            // The program's threads and children need the older call now.
            profile.syscalls.push(Rule {
                names: vec!["clone".into()],
                action: Action::Allow,
                errno_ret: None,
                args: vec![ArgCond {
                    index: 0,
                    value: crate::generate::CLONE_NS_MASK,
                    value_two: 0,
                    op: Op::MaskedEq,
                }],
                comment: Some("clone3's fallback, without new namespaces".into()),
            });
        }
        {
            notes.push(
                "clone3 answers ENOSYS (its flags are behind a pointer seccomp cannot read); \
                 libc falls back to clone, whose flags are filtered"
                    .into(),
            );
        }
    }
    if !allow_io_uring && IO_URING.iter().any(|n| allowed(profile, n)) {
        front.push(errno_rule(
            IO_URING,
            libc::EPERM,
            vec![],
            "io_uring runs calls seccomp cannot see",
        ));
        notes.push(
            "io_uring is refused: seccomp cannot see the opens, connects and unlinks a ring runs; \
             pass --allow-io-uring (the Landlock layer still confines its paths and ports)"
                .into(),
        );
    }
    front.append(&mut profile.syscalls);
    profile.syscalls = front;
    notes
}

/// Calls whose refusal by Landlock (a path or a port outside the layer) the supervisor reports.
pub const WATCHED: &[&str] = &[
    "open",
    "openat",
    "openat2",
    "creat",
    "execve",
    "execveat",
    "mkdir",
    "mkdirat",
    "mknod",
    "mknodat",
    "unlink",
    "unlinkat",
    "rmdir",
    "rename",
    "renameat",
    "renameat2",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "truncate",
    "bind",
    "connect",
];

/// Calls that reach another process: refused by the Landlock domain (ptrace-class access,
/// signals with the signal scope) when the target is outside the sandbox.
pub const CROSS_PROCESS: &[&str] = &[
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kill",
    "tkill",
    "tgkill",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "pidfd_open",
    "pidfd_getfd",
    "kcmp",
];

/// For a supervised run: the allowed calls in `names` stop for the supervisor
/// (`SECCOMP_RET_TRACE` with [`TRACE_WATCH`](crate::compile::TRACE_WATCH)), which follows them
/// to their exit to report a refusal by Landlock. Conditions and order are kept; only the action
/// changes. The result is for the compiler, never written as an OCI profile.
pub fn watch(profile: &mut Profile, names: &[&str]) {
    let mut out = Vec::with_capacity(profile.syscalls.len());
    for r in profile.syscalls.drain(..) {
        if r.action != Action::Allow {
            out.push(r);
            continue;
        }
        let (watched, rest): (Vec<String>, Vec<String>) = r
            .names
            .iter()
            .cloned()
            .partition(|n| names.contains(&n.as_str()));
        if !watched.is_empty() {
            out.push(Rule {
                names: watched,
                action: Action::Trace,
                errno_ret: Some(u32::from(crate::compile::TRACE_WATCH)),
                args: r.args.clone(),
                comment: None,
            });
        }
        if !rest.is_empty() {
            out.push(Rule { names: rest, ..r });
        }
    }
    profile.syscalls = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use sysgate_kb::Arch;

    fn profile(names: &[&str]) -> Profile {
        Profile {
            default_action: Action::Errno,
            default_errno_ret: Some(1),
            architectures: vec![Arch::native()],
            syscalls: vec![Rule {
                names: names.iter().map(|s| s.to_string()).collect(),
                action: Action::Allow,
                errno_ret: None,
                args: vec![],
                comment: None,
            }],
        }
    }

    #[test]
    fn untraced_children_clone3_and_io_uring_are_closed() {
        let a = Arch::native();
        let nr = |n| sysgate_kb::number(a, n).unwrap();
        let mut p = profile(&["clone", "clone3", "io_uring_setup", "read"]);
        let notes = harden(&mut p, false);
        assert_eq!(notes.len(), 2, "{notes:?}");
        let d = |p: &Profile, n, a0| p.decide(a, nr(n), &[a0, 0, 0, 0, 0, 0]);
        assert_eq!(d(&p, "clone", 0x11).0, Action::Allow);
        assert_eq!(
            d(&p, "clone", 0x11 | CLONE_UNTRACED),
            (Action::Errno, Some(1))
        );
        assert_eq!(d(&p, "clone", 0x11 | CLONE_PTRACE).0, Action::Errno);
        assert_eq!(d(&p, "clone3", 0), (Action::Errno, Some(38)));
        assert_eq!(d(&p, "io_uring_setup", 0), (Action::Errno, Some(1)));
        assert_eq!(d(&p, "read", 0).0, Action::Allow);

        let mut p = profile(&["clone3", "io_uring_setup"]);
        harden(&mut p, true);
        assert_eq!(d(&p, "clone", 0x3d0f00).0, Action::Allow, "fallback added");
        assert_eq!(
            d(&p, "clone", 0x1000_0000).0,
            Action::Errno,
            "CLONE_NEWUSER"
        );
        assert_eq!(
            d(&p, "io_uring_setup", 0).0,
            Action::Allow,
            "allowed on request"
        );
    }
}
