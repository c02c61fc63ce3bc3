//! Profile generation: what the program really did, as the tightest allow-list that still lets
//! it do it again.
//!
//! [`Observer`] is a [`Sink`]: feed it one or more recordings (several test runs of the same
//! program) and it keeps, per ABI, every syscall seen with its count and the trace that first
//! justified it, plus the scalar arguments worth filtering on. [`Observer::profile`] turns that
//! into an OCI profile.

use std::collections::{BTreeMap, BTreeSet};
use std::io;

use sysgate_event::{SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent};
use sysgate_kb::Arch;

use crate::profile::{Action, ArgCond, Op, Profile, Rule};

/// How much the generated profile filters on arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArgLevel {
    /// Names only.
    None,
    /// `socket` domains, `ioctl` requests (low 32 bits), `clone` namespace flags, `prctl`
    /// options, `personality` values.
    #[default]
    Safe,
    /// Also `socket` types.
    Strict,
}

/// Options of [`Observer::profile`].
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Argument filtering.
    pub args: ArgLevel,
    /// Refuse `mmap`/`mprotect` that ask for writable and executable memory at once.
    pub wx: bool,
    /// The default action for everything not allowed.
    pub default_action: Action,
    /// The errno of the default action (EPERM unless asked).
    pub default_errno: u32,
    /// Architectures to emit names for (the recorded ones are always included).
    pub arches: Vec<Arch>,
    /// Allow io_uring when the program used it. seccomp cannot see the operations a ring
    /// runs, so only the Landlock layer confines them; by default io_uring is refused.
    pub allow_io_uring: bool,
    /// Calls the OCI runtime makes after installing the filter (`--runtime`), allowed too.
    pub runtime_calls: Vec<String>,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            args: ArgLevel::Safe,
            wx: false,
            default_action: Action::Errno,
            default_errno: libc::EPERM as u32,
            arches: vec![Arch::native()],
            allow_io_uring: false,
            runtime_calls: Vec::new(),
        }
    }
}

/// io_uring's calls: a ring runs opens, connects and unlinks that no seccomp filter sees.
pub const IO_URING: &[&str] = &["io_uring_setup", "io_uring_enter", "io_uring_register"];

/// `CLONE_UNTRACED`: a child no tracer follows, so no supervisor would see its calls.
pub const CLONE_UNTRACED: u64 = 0x0080_0000;
/// `CLONE_PTRACE`: a child traced by its parent's tracer.
pub const CLONE_PTRACE: u64 = 0x2000;

/// Newer syscalls and the older ones libc falls back to when they fail with ENOSYS.
pub const TWINS: &[(&str, &[&str])] = &[
    ("clone3", &["clone", "fork", "vfork"]),
    ("openat2", &["openat", "open"]),
    ("faccessat2", &["faccessat", "access"]),
    (
        "statx",
        &["newfstatat", "fstat", "stat", "lstat", "fstatat64"],
    ),
    ("close_range", &["close"]),
    ("rseq", &["set_robust_list", "set_tid_address"]),
    ("epoll_pwait2", &["epoll_pwait", "epoll_wait"]),
    ("fchmodat2", &["fchmodat", "chmod"]),
    ("futex_waitv", &["futex"]),
    ("preadv2", &["preadv", "pread64"]),
    ("pwritev2", &["pwritev", "pwrite64"]),
    ("pidfd_open", &["wait4", "waitid"]),
    ("pidfd_send_signal", &["kill"]),
    ("copy_file_range", &["read", "write"]),
    ("getrandom", &["openat", "open"]),
    ("memfd_create", &["openat", "open"]),
    ("process_madvise", &["madvise"]),
    ("mseal", &["mprotect"]),
];

/// Legacy syscalls and the newer call that does the same job on architectures that never had
/// the old one (aarch64 has no `open`, `stat`, `fork`…): a profile recorded on x86_64 and written
/// for aarch64 allows the newer call there.
pub const LEGACY: &[(&str, &[&str])] = &[
    ("open", &["openat"]),
    ("creat", &["openat"]),
    ("stat", &["newfstatat", "fstatat"]),
    ("lstat", &["newfstatat", "fstatat"]),
    ("access", &["faccessat"]),
    ("readlink", &["readlinkat"]),
    ("unlink", &["unlinkat"]),
    ("rmdir", &["unlinkat"]),
    ("mkdir", &["mkdirat"]),
    ("mknod", &["mknodat"]),
    ("rename", &["renameat2", "renameat"]),
    ("link", &["linkat"]),
    ("symlink", &["symlinkat"]),
    ("chmod", &["fchmodat"]),
    ("chown", &["fchownat"]),
    ("lchown", &["fchownat"]),
    ("utimes", &["utimensat"]),
    ("futimesat", &["utimensat"]),
    ("fork", &["clone"]),
    ("vfork", &["clone"]),
    ("dup2", &["dup3"]),
    ("pipe", &["pipe2"]),
    ("poll", &["ppoll"]),
    ("select", &["pselect6"]),
    ("epoll_wait", &["epoll_pwait"]),
    ("epoll_create", &["epoll_create1"]),
    ("inotify_init", &["inotify_init1"]),
    ("eventfd", &["eventfd2"]),
    ("signalfd", &["signalfd4"]),
    ("getdents", &["getdents64"]),
    ("alarm", &["setitimer"]),
    ("pause", &["ppoll"]),
    ("getpgrp", &["getpgid"]),
    ("time", &["clock_gettime"]),
];

/// The calls a launcher makes after the filter is in place and before the program runs.
pub const LAUNCHER: &[&str] = &["execve"];

/// Calls every profile allows: refusing them breaks a program in ways no recording predicts.
/// `exit` and `exit_group` end it (a recording cut short by SIGKILL never shows them, and a
/// refused exit leaves a thread running on garbage); `rt_sigreturn` returns from a signal handler
/// (a server whose handler for SIGHUP or SIGTERM never ran while recorded would crash on its
/// first reload); `restart_syscall` is how the kernel resumes a sleep a stop interrupted.
pub const BASELINE: &[&str] = &["exit", "exit_group", "rt_sigreturn", "restart_syscall"];

/// Calls a program that starts threads makes when one ends, which a recording misses when the
/// process exits first: glibc gives the thread's stack back (`madvise`, `munmap`), wakes joiners
/// (`futex`) and ends the thread (`exit`).
pub const THREAD_END: &[&str] = &["madvise", "munmap", "futex"];

/// `CLONE_NEW*` bits (and `CLONE_NEWTIME` in the exit-signal byte).
pub const CLONE_NS_MASK: u64 = 0x7E02_0080;

/// Why a syscall is in the profile.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// Calls in all traces.
    pub calls: u64,
    /// Calls per trace (index into the list given to `profile`).
    pub per_trace: BTreeMap<usize, u64>,
    /// Distinct first-argument values of `socket`, `prctl`, `personality`; requests of `ioctl`.
    pub values: BTreeSet<u64>,
    /// Distinct (domain, type & 0xf) of `socket`.
    pub pairs: BTreeSet<(u64, u64)>,
    /// Whether a `clone` asked for a new namespace.
    pub namespaces: bool,
    /// Whether an `mmap`/`mprotect` asked for PROT_WRITE|PROT_EXEC.
    pub wx: bool,
}

/// Collects what one or more recordings did.
#[derive(Debug, Default)]
pub struct Observer {
    /// Per ABI and syscall name.
    pub seen: BTreeMap<(Arch, &'static str), Seen>,
    /// Paths, ports and signals, for the Landlock layer.
    pub access: crate::landlock::Access,
    /// Processes the recordings show killed by SIGKILL: their shutdown path is missing.
    pub killed: Vec<u32>,
    trace: usize,
}

impl Observer {
    /// An empty observer.
    pub fn new() -> Observer {
        Observer::default()
    }

    /// Marks the start of the next trace (for `--explain`'s "which trace justified it").
    pub fn next_trace(&mut self) {
        self.trace += 1;
    }

    fn observe(&mut self, ev: &SyscallEvent) {
        let Some(sc) = ev.syscall else {
            return;
        };
        self.access.observe(ev);
        let trace = self.trace;
        let s = self.seen.entry((ev.arch, sc.name)).or_default();
        s.calls += 1;
        *s.per_trace.entry(trace).or_default() += 1;
        let a = ev.args;
        match sc.name {
            "socket" => {
                s.values.insert(a[0] & 0xffff_ffff);
                s.pairs.insert((a[0] & 0xffff_ffff, a[1] & 0xf));
            }
            "ioctl" => {
                s.values.insert(a[1] & 0xffff_ffff);
            }
            "prctl" | "personality" => {
                s.values.insert(a[0] & 0xffff_ffff);
            }
            "clone" | "unshare" => s.namespaces |= a[0] & CLONE_NS_MASK != 0,
            "mmap" | "mprotect" => s.wx |= a[2] & 6 == 6,
            _ => {}
        }
    }

    /// The profile, entries sorted by name for stable diffs.
    pub fn profile(&self, opts: &GenerateOptions) -> Profile {
        let mut arches: Vec<Arch> = opts.arches.clone();
        for (a, _) in self.seen.keys() {
            if !arches.contains(a) {
                arches.push(*a);
            }
        }
        let mut plain: BTreeSet<&'static str> = BTreeSet::new();
        let mut rules: Vec<Rule> = Vec::new();
        let mut by_name: BTreeMap<&'static str, Seen> = BTreeMap::new();
        for ((_, name), s) in &self.seen {
            let e = by_name.entry(name).or_default();
            e.calls += s.calls;
            e.values.extend(&s.values);
            e.pairs.extend(&s.pairs);
            e.namespaces |= s.namespaces;
            e.wx |= s.wx;
        }
        for name in &opts.runtime_calls {
            if let Some(sc) = sysgate_kb::by_name(name) {
                by_name.entry(sc.name).or_default();
            }
        }
        let threads = by_name.contains_key("clone") || by_name.contains_key("clone3");
        for name in LAUNCHER.iter().chain(BASELINE) {
            by_name.entry(name).or_default();
        }
        if threads {
            for name in THREAD_END {
                by_name.entry(name).or_default();
            }
        }
        // Each architecture gets the call that does the job there.
        for (old, newer) in LEGACY {
            let Some(calls) = by_name.get(old).map(|s| s.calls) else {
                continue;
            };
            for &a in &arches {
                let twin = newer.iter().find(|n| sysgate_kb::number(a, n).is_some());
                if sysgate_kb::number(a, old).is_none()
                    && let Some(twin) = twin
                {
                    by_name.entry(twin).or_default().calls += calls;
                }
            }
        }
        if !opts.allow_io_uring {
            for name in IO_URING {
                by_name.remove(name);
            }
        }
        // clone3's flags are behind a pointer no filter can read: it answers ENOSYS (below) and
        // libc falls back to clone, whose flags are filtered.
        if let Some(c3) = by_name.remove("clone3") {
            let c = by_name.entry("clone").or_default();
            c.calls += c3.calls;
            c.namespaces |= c3.namespaces;
        }
        let allow = |names: Vec<String>, args: Vec<ArgCond>, comment: Option<String>| Rule {
            names,
            action: Action::Allow,
            errno_ret: None,
            args,
            comment,
        };
        for (name, s) in &by_name {
            let filter = opts.args != ArgLevel::None;
            match *name {
                "socket" if filter && !s.values.is_empty() => {
                    if opts.args == ArgLevel::Strict {
                        for (domain, ty) in &s.pairs {
                            rules.push(allow(
                                vec!["socket".into()],
                                vec![
                                    ArgCond {
                                        index: 0,
                                        value: *domain,
                                        value_two: 0,
                                        op: Op::Eq,
                                    },
                                    ArgCond {
                                        index: 1,
                                        value: 0xf,
                                        value_two: *ty,
                                        op: Op::MaskedEq,
                                    },
                                ],
                                None,
                            ));
                        }
                    } else {
                        for domain in &s.values {
                            rules.push(allow(
                                vec!["socket".into()],
                                vec![ArgCond {
                                    index: 0,
                                    value: *domain,
                                    value_two: 0,
                                    op: Op::Eq,
                                }],
                                None,
                            ));
                        }
                    }
                }
                "ioctl" if filter && !s.values.is_empty() => {
                    for req in &s.values {
                        let comment = sysgate_kb::symbols::ioctl_name(*req).map(str::to_string);
                        rules.push(allow(
                            vec!["ioctl".into()],
                            vec![ArgCond {
                                index: 1,
                                value: 0xffff_ffff,
                                value_two: *req,
                                op: Op::MaskedEq,
                            }],
                            comment,
                        ));
                    }
                }
                "prctl" | "personality" if filter && !s.values.is_empty() => {
                    for v in &s.values {
                        rules.push(allow(
                            vec![(*name).into()],
                            vec![ArgCond {
                                index: 0,
                                value: *v,
                                value_two: 0,
                                op: Op::Eq,
                            }],
                            None,
                        ));
                    }
                }
                "clone" => {
                    // Never a child the supervisor does not follow; no new namespaces unless
                    // the program made some.
                    let mut mask = CLONE_UNTRACED | CLONE_PTRACE;
                    if filter && !s.namespaces {
                        mask |= CLONE_NS_MASK;
                    }
                    rules.push(allow(
                        vec![(*name).into()],
                        vec![ArgCond {
                            index: 0,
                            value: mask,
                            value_two: 0,
                            op: Op::MaskedEq,
                        }],
                        Some("no untraced children, no new namespaces".into()),
                    ));
                }
                "unshare" if filter && !s.namespaces => {
                    rules.push(allow(
                        vec![(*name).into()],
                        vec![ArgCond {
                            index: 0,
                            value: CLONE_NS_MASK,
                            value_two: 0,
                            op: Op::MaskedEq,
                        }],
                        Some("no new namespaces".into()),
                    ));
                }
                "mmap" | "mprotect" if opts.wx && !s.wx => {
                    for prot in [0u64, 2, 4] {
                        rules.push(allow(
                            vec![(*name).into()],
                            vec![ArgCond {
                                index: 2,
                                value: 6,
                                value_two: prot,
                                op: Op::MaskedEq,
                            }],
                            Some("never writable and executable at once".into()),
                        ));
                    }
                }
                _ => {
                    plain.insert(name);
                }
            }
        }
        let mut syscalls = Vec::new();
        if !plain.is_empty() {
            syscalls.push(allow(
                plain.iter().map(|s| s.to_string()).collect(),
                vec![],
                None,
            ));
        }
        syscalls.extend(rules);
        // Newer twins of calls the program used fail with ENOSYS so libc falls back.
        let used = |n: &str| by_name.contains_key(n);
        let twins: Vec<String> = TWINS
            .iter()
            .filter(|(newer, older)| {
                !used(newer) && (older.iter().any(|o| used(o)) || *newer == "clone3")
            })
            .map(|(newer, _)| newer.to_string())
            .collect();
        if !twins.is_empty() && opts.default_errno != libc::ENOSYS as u32 {
            syscalls.push(Rule {
                names: twins,
                action: Action::Errno,
                errno_ret: Some(libc::ENOSYS as u32),
                args: vec![],
                comment: Some("newer syscalls fail with ENOSYS so libc falls back to the older ones this program used".into()),
            });
        }
        if !opts.allow_io_uring && self.io_uring_used() {
            syscalls.push(Rule {
                names: IO_URING.iter().map(|s| s.to_string()).collect(),
                action: Action::Errno,
                errno_ret: Some(libc::EPERM as u32),
                args: vec![],
                comment: Some(
                    "io_uring runs opens, connects and unlinks seccomp cannot see; allow it with --allow-io-uring"
                        .into(),
                ),
            });
        }
        Profile {
            default_action: opts.default_action,
            default_errno_ret: (opts.default_action == Action::Errno).then_some(opts.default_errno),
            architectures: arches,
            syscalls,
        }
    }

    /// Whether the recordings used io_uring.
    pub fn io_uring_used(&self) -> bool {
        self.seen.keys().any(|(_, n)| IO_URING.contains(n))
    }
}

impl Sink for Observer {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.observe(ev);
        Ok(())
    }

    fn syscall_entry(&mut self, _: &SyscallEvent) -> io::Result<()> {
        Ok(())
    }

    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.access.task(ev.pid, ev.tid);
        if let TaskChange::Killed {
            signal: libc::SIGKILL,
            ..
        } = ev.change
            && ev.pid == ev.tid
        {
            self.killed.push(ev.pid);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: [u64; 6]) -> SyscallEvent {
        let mut e = SyscallEvent::new();
        e.arch = Arch::X86_64;
        e.syscall = sysgate_kb::by_name(name);
        e.nr = sysgate_kb::number(Arch::X86_64, name).unwrap();
        e.args = args;
        e
    }

    #[test]
    fn generated_profile_allows_what_ran_and_nothing_else() {
        let mut o = Observer::new();
        for (n, a) in [
            ("read", [0; 6]),
            ("socket", [2, 0x80001, 0, 0, 0, 0]),
            ("ioctl", [1, 0x5401, 0, 0, 0, 0]),
            ("clone", [0x3d0f00, 0, 0, 0, 0, 0]),
            ("openat", [0; 6]),
        ] {
            o.syscall_exit(&call(n, a)).unwrap();
        }
        let p = o.profile(&GenerateOptions::default());
        let nr = |n| sysgate_kb::number(Arch::X86_64, n).unwrap();
        let d = |n, a: [u64; 6]| p.decide(Arch::X86_64, nr(n), &a);
        assert_eq!(d("read", [0; 6]).0, Action::Allow);
        assert_eq!(
            d("execve", [0; 6]).0,
            Action::Allow,
            "the launcher needs execve"
        );
        assert_eq!(d("write", [0; 6]), (Action::Errno, Some(1)));
        assert_eq!(d("socket", [2, 1, 0, 0, 0, 0]).0, Action::Allow);
        assert_eq!(
            d("socket", [16, 3, 0, 0, 0, 0]).0,
            Action::Errno,
            "AF_NETLINK was never used"
        );
        assert_eq!(d("ioctl", [1, 0x5401, 0, 0, 0, 0]).0, Action::Allow);
        assert_eq!(
            d("ioctl", [1, 0x5412, 0, 0, 0, 0]).0,
            Action::Errno,
            "TIOCSTI"
        );
        assert_eq!(d("ioctl", [1, 0x1_0000_5412, 0, 0, 0, 0]).0, Action::Errno);
        assert_eq!(d("clone", [0x3d0f00, 0, 0, 0, 0, 0]).0, Action::Allow);
        assert_eq!(
            d("clone", [0x3d0f00 | 0x1000_0000, 0, 0, 0, 0, 0]).0,
            Action::Errno,
            "CLONE_NEWUSER"
        );
        assert_eq!(
            d("clone3", [0; 6]),
            (Action::Errno, Some(38)),
            "clone3 → ENOSYS"
        );
        assert_eq!(d("openat2", [0; 6]), (Action::Errno, Some(38)));
        assert_eq!(d("mount", [0; 6]).0, Action::Errno);
    }

    #[test]
    fn legacy_calls_map_to_their_twins_on_other_architectures() {
        let mut o = Observer::new();
        o.syscall_exit(&call("open", [0; 6])).unwrap();
        o.syscall_exit(&call("stat", [0; 6])).unwrap();
        let p = o.profile(&GenerateOptions {
            arches: vec![Arch::X86_64, Arch::Aarch64],
            ..GenerateOptions::default()
        });
        let a = |n| sysgate_kb::number(Arch::Aarch64, n).unwrap();
        assert_eq!(
            p.decide(Arch::Aarch64, a("openat"), &[0; 6]).0,
            Action::Allow
        );
        assert_eq!(
            p.decide(Arch::Aarch64, a("fstatat"), &[0; 6]).0,
            Action::Allow
        );
        assert_eq!(
            p.decide(Arch::Aarch64, a("mkdirat"), &[0; 6]).0,
            Action::Errno
        );
        // x86_64 alone needs no twin.
        let p = o.profile(&GenerateOptions::default());
        let x = sysgate_kb::number(Arch::X86_64, "openat").unwrap();
        assert_eq!(p.decide(Arch::X86_64, x, &[0; 6]).0, Action::Errno);
    }

    #[test]
    fn strict_and_wx_options() {
        let mut o = Observer::new();
        o.syscall_exit(&call("socket", [2, 1, 0, 0, 0, 0])).unwrap();
        o.syscall_exit(&call("mmap", [0, 4096, 3, 0x22, 0, 0]))
            .unwrap();
        let p = o.profile(&GenerateOptions {
            args: ArgLevel::Strict,
            wx: true,
            ..GenerateOptions::default()
        });
        let nr = |n| sysgate_kb::number(Arch::X86_64, n).unwrap();
        assert_eq!(
            p.decide(Arch::X86_64, nr("socket"), &[2, 0x80001, 0, 0, 0, 0])
                .0,
            Action::Allow
        );
        assert_eq!(
            p.decide(Arch::X86_64, nr("socket"), &[2, 2, 0, 0, 0, 0]).0,
            Action::Errno,
            "SOCK_DGRAM"
        );
        assert_eq!(
            p.decide(Arch::X86_64, nr("mmap"), &[0, 4096, 3, 0x22, 0, 0])
                .0,
            Action::Allow
        );
        assert_eq!(
            p.decide(Arch::X86_64, nr("mmap"), &[0, 4096, 7, 0x22, 0, 0])
                .0,
            Action::Errno,
            "W|X"
        );
    }
}
