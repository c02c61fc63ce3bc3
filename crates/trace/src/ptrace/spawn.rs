//! Starting a program under the tracer, and attaching to running ones.
//!
//! The child stops itself with `SIGSTOP` so the parent can `PTRACE_SEIZE` it before it runs any
//! of the program's code; then (optionally) installs the seccomp filter and calls `execve`.
//! Between `fork` and `execve` the child only makes raw syscalls on memory prepared before the
//! fork.

use std::ffi::CString;
use std::io;
use std::path::Path;

use crate::Error;
use crate::ptrace::sys;
use crate::session::{Command, ExecImage};

/// Whether this kernel lets a filter return `SECCOMP_RET_TRACE`.
pub fn seccomp_trace_available() -> bool {
    const SECCOMP_GET_ACTION_AVAIL: libc::c_long = 2;
    let action: u32 = 0x7ff0_0000;
    // SAFETY: the kernel reads one u32 from `&action`, a live local.
    let r = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            SECCOMP_GET_ACTION_AVAIL,
            0,
            &action as *const u32,
        )
    };
    r == 0
}

/// What the child does between its stop and `execve`.
pub struct Setup<'a> {
    /// A seccomp filter to install.
    pub filter: Option<&'a [libc::sock_filter]>,
    /// Sandbox: close inherited fds (but `keep_fds`), set `no_new_privs` unconditionally, and
    /// install the filter with `SECCOMP_FILTER_FLAG_TSYNC`.
    pub confine: bool,
    /// Descriptors above 2 that survive `confine`.
    pub keep_fds: &'a [i32],
    /// With `confine`: capabilities (bit N for capability N) to drop from every set, the
    /// bounding set included, before `execve`.
    pub drop_caps: u64,
    /// With `confine`: a Landlock ruleset to restrict the child with, and rules the child adds
    /// to it first (paths under `/proc/self`, which only the child can open as its own).
    pub landlock: Option<Landlock<'a>>,
}

/// A Landlock ruleset prepared by the parent.
#[derive(Clone, Copy)]
pub struct Landlock<'a> {
    /// The ruleset descriptor (close-on-exec).
    pub ruleset: i32,
    /// (path, `LANDLOCK_ACCESS_FS_*` bits) added by the child.
    pub in_child: &'a [(CString, u64)],
}

/// `struct landlock_path_beneath_attr`: packed, 12 bytes.
#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// `struct __user_cap_header_struct`.
#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

/// `struct __user_cap_data_struct`.
#[repr(C)]
#[derive(Clone, Copy)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// Drops the capabilities in `mask` from the bounding and ambient sets and from the effective,
/// permitted and inheritable sets. Errors are ignored: an unprivileged process has none to drop
/// and may not touch its bounding set.
///
/// # Safety
/// Raw syscalls on locals only: safe in a forked child.
unsafe fn drop_capabilities(mask: u64) {
    const PR_CAP_AMBIENT: libc::c_int = 47;
    const PR_CAP_AMBIENT_CLEAR_ALL: libc::c_ulong = 4;
    const PR_CAPBSET_DROP: libc::c_int = 24;
    const VERSION_3: u32 = 0x2008_0522;
    // SAFETY: prctl and capget/capset with pointers to locals that live across the calls.
    unsafe {
        for cap in 0..64u64 {
            if mask & (1 << cap) != 0 {
                // EINVAL past the kernel's last capability: harmless.
                libc::prctl(PR_CAPBSET_DROP, cap as libc::c_ulong, 0, 0, 0);
            }
        }
        libc::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        let mut hdr = CapHeader {
            version: VERSION_3,
            pid: 0,
        };
        let mut data = [CapData {
            effective: 0,
            permitted: 0,
            inheritable: 0,
        }; 2];
        if libc::syscall(
            libc::SYS_capget,
            &mut hdr as *mut CapHeader,
            data.as_mut_ptr(),
        ) == 0
        {
            for (i, d) in data.iter_mut().enumerate() {
                let keep = !((mask >> (32 * i)) as u32);
                d.effective &= keep;
                d.permitted &= keep;
                d.inheritable &= keep;
            }
            libc::syscall(libc::SYS_capset, &mut hdr as *mut CapHeader, data.as_ptr());
        }
    }
}

/// Adds the child's own rules to the ruleset and restricts the child with it. Returns false when
/// the kernel refused the restriction.
///
/// # Safety
/// Raw syscalls on memory prepared before `fork`: safe in a forked child.
unsafe fn apply_landlock(l: &Landlock<'_>) -> bool {
    const LANDLOCK_RULE_PATH_BENEATH: libc::c_int = 1;
    // SAFETY: the paths are NUL-terminated CStrings owned by the parent's copy of `l`, alive in
    // the child; the attribute is a local read by the kernel during the call.
    unsafe {
        for (path, access) in l.in_child {
            let fd = libc::open(path.as_ptr(), libc::O_PATH | libc::O_CLOEXEC);
            if fd < 0 {
                continue;
            }
            let attr = PathBeneathAttr {
                allowed_access: *access,
                parent_fd: fd,
            };
            libc::syscall(
                libc::SYS_landlock_add_rule,
                l.ruleset,
                LANDLOCK_RULE_PATH_BENEATH,
                &attr as *const PathBeneathAttr,
                0,
            );
            libc::close(fd);
        }
        libc::syscall(libc::SYS_landlock_restrict_self, l.ruleset, 0) == 0
    }
}

/// `[lo, hi]` ranges of descriptors from 3 up that skip every kept one.
fn close_ranges(keep: &[i32]) -> Vec<(u32, u32)> {
    let mut keep: Vec<u32> = keep.iter().filter(|&&f| f > 2).map(|&f| f as u32).collect();
    keep.sort_unstable();
    keep.dedup();
    let mut ranges = Vec::new();
    let mut lo = 3u32;
    for k in keep {
        if k > lo {
            ranges.push((lo, k - 1));
        }
        lo = k + 1;
    }
    ranges.push((lo, u32::MAX));
    ranges
}

/// Forks, stops the child, seizes it with `options`, and lets it run to `execve`.
pub fn start(cmd: &Command, options: i32, setup: &Setup<'_>) -> Result<i32, Error> {
    let filter = setup.filter;
    let ranges = if setup.confine {
        close_ranges(setup.keep_fds)
    } else {
        Vec::new()
    };
    // SECCOMP_FILTER_FLAG_TSYNC for a sandbox. A tracing filter is not a security boundary:
    // SECCOMP_FILTER_FLAG_SPEC_ALLOW keeps the kernel from forcing speculative-store-bypass
    // mitigations on the tracee, which would slow down every one of its syscalls.
    let filter_flags: libc::c_ulong = if setup.confine { 1 } else { 4 };
    let image = ExecImage::new(cmd);
    let prog = filter.map(|f| libc::sock_fprog {
        len: f.len() as u16,
        filter: f.as_ptr() as *mut libc::sock_filter,
    });
    // SAFETY: geteuid has no arguments or side effects.
    let need_nnp = setup.confine || unsafe { libc::geteuid() } != 0;
    let msg: &[u8] = b"sysgate: cannot install the seccomp filter in the child\n";
    let landlock_msg: &[u8] = b"sysgate: the kernel refused the Landlock ruleset in the child\n";
    let landlock = if setup.confine { setup.landlock } else { None };
    let drop_caps = if setup.confine { setup.drop_caps } else { 0 };

    // SAFETY: fork is called with all memory the child needs (argv, envp, program, message)
    // prepared above; the child only makes raw syscalls on that memory and then execs or exits.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(Error::Spawn(io::Error::last_os_error()));
    }
    if pid == 0 {
        // SAFETY: async-signal-safe raw syscalls only, on pointers to memory the parent
        // prepared before fork and that stays valid in the child's copy of the address space.
        unsafe {
            // sysgate may have made itself non-dumpable (`run` does, against its program); the
            // child must be traceable until execve resets the flag.
            if setup.confine {
                libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0);
            }
            // sysgate blocks the signals it relays; the program starts with none blocked (and
            // before any filter, which need not allow rt_sigprocmask).
            crate::session::relay::unblock_all();
            libc::raise(libc::SIGSTOP);
            // sysgate's runtime ignores SIGPIPE; the program must start with the default.
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            if drop_caps != 0 {
                drop_capabilities(drop_caps);
            }
            if let Some(l) = &landlock {
                // Landlock needs no_new_privs (or CAP_SYS_ADMIN, which is gone by now).
                libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                if !apply_landlock(l) {
                    libc::write(
                        2,
                        landlock_msg.as_ptr() as *const libc::c_void,
                        landlock_msg.len(),
                    );
                    libc::_exit(126);
                }
            }
            for &(lo, hi) in &ranges {
                if libc::syscall(libc::SYS_close_range, lo, hi, 0) != 0 {
                    // Kernels before 5.9: close them one by one.
                    let mut fd = lo;
                    while fd <= hi.min(65_535) {
                        libc::close(fd as i32);
                        fd += 1;
                    }
                }
            }
            if let Some(prog) = &prog {
                if need_nnp {
                    libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                }
                let fprog = prog as *const libc::sock_fprog;
                let mut r = libc::syscall(libc::SYS_seccomp, 1, filter_flags, fprog);
                if r != 0 && !setup.confine {
                    // Kernels before 4.17 do not know SPEC_ALLOW.
                    r = libc::syscall(libc::SYS_seccomp, 1, 0, fprog);
                }
                if r != 0 {
                    libc::write(2, msg.as_ptr() as *const libc::c_void, msg.len());
                    libc::_exit(126);
                }
            }
            image.exec();
        }
    }
    // Wait for the child's self-stop, then seize it.
    loop {
        match sys::wait(pid, libc::WUNTRACED) {
            Ok(Some((_, status))) if libc::WIFSTOPPED(status) => break,
            Ok(Some(_)) => {
                return Err(Error::Spawn(io::Error::other("child exited before exec")));
            }
            Ok(None) => continue,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::Spawn(e)),
        }
    }
    if let Err(e) = sys::seize(pid, options) {
        let _ = sys::kill(pid, libc::SIGKILL);
        return Err(attach_error(pid as u32, e));
    }
    // Undo the self-stop; the seized child reports a PTRACE_EVENT_STOP first.
    let _ = sys::kill(pid, libc::SIGCONT);
    Ok(pid)
}

fn tracer_of(pid: u32) -> Option<(u32, String)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let tracer: u32 = status
        .lines()
        .find_map(|l| l.strip_prefix("TracerPid:"))?
        .trim()
        .parse()
        .ok()?;
    if tracer == 0 {
        return None;
    }
    let comm = std::fs::read_to_string(format!("/proc/{tracer}/comm")).unwrap_or_default();
    Some((tracer, comm.trim().to_string()))
}

/// The error for a failed `PTRACE_SEIZE` of `pid`, with the reason spelled out.
pub fn attach_error(pid: u32, e: io::Error) -> Error {
    match e.raw_os_error() {
        Some(libc::ESRCH) => Error::NoSuchProcess(pid),
        Some(libc::EPERM) => {
            if !Path::new(&format!("/proc/{pid}")).exists() {
                return Error::NoSuchProcess(pid);
            }
            if let Some((tracer, comm)) = tracer_of(pid) {
                return Error::AlreadyTraced { pid, tracer, comm };
            }
            let scope = std::fs::read_to_string("/proc/sys/kernel/yama/ptrace_scope")
                .ok()
                .map(|s| s.trim().to_string());
            let hint = match scope.as_deref() {
                Some("3") => "kernel.yama.ptrace_scope is 3: ptrace is disabled until reboot".into(),
                Some("2") => "kernel.yama.ptrace_scope is 2: only processes with CAP_SYS_PTRACE may attach (run as root)".into(),
                Some("1") => "kernel.yama.ptrace_scope is 1: only a parent may trace its children; run as root, grant CAP_SYS_PTRACE, or set `sysctl kernel.yama.ptrace_scope=0`".into(),
                _ => "the process belongs to another user or is not dumpable; run as root or with CAP_SYS_PTRACE".to_string(),
            };
            Error::PermissionDenied { pid, hint }
        }
        _ => Error::Attach { pid, source: e },
    }
}
