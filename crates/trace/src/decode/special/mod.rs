//! What strace does per syscall beyond the typed signature: arguments a command does not use
//! (fcntl, futex, prctl, membarrier), clone's named arguments in its own order, socket options
//! named by level, in/out values (`[128 => 16]`, `[2] => [7]`), output arguments of commands
//! that fill memory (F_GETLK, PR_GET_NAME, FIONREAD), and return-value annotations
//! (`= 0x8002 (flags O_RDWR)`, `= 0 (Timeout)`, `= 10 (SIGUSR1)`).
//!
//! [`entry`] runs after the generic entry decoding, [`exit`] after the generic exit decoding.
//! Both look the call up in one table, `handler`, which maps a syscall name to that call's
//! `Handler`: its entry and exit halves, defined next to each other in the file of its
//! subsystem, the way strace groups its decoders:
//!
//! - `file`: descriptors and files (pipe2, dup3, statx, faccessat2, fcntl, getcwd, umask);
//! - `io`: I/O and waiting for it (select, poll, the preadv family, sendfile, splice,
//!   getrandom, ioctl, io_uring_setup);
//! - `net`: sockets (socket, setsockopt, getsockopt, accept, getsockname, recvfrom);
//! - `process`: processes and their attributes (clone, clone3, prctl, arch_prctl,
//!   personality, groups, scheduler affinity and policy);
//! - `memory`: mincore, mremap, membarrier, process_vm_readv/writev;
//! - `ipc`: System V IPC and futex;
//! - `signal`: rt_sigaction, rt_sigreturn, rt_sigtimedwait;
//! - `keys`: add_key, request_key (keyring ids);
//! - `ptrace`: ptrace (arguments per request, register sets, siginfo, syscall info);
//! - `uring`: io_uring_register (the argument per opcode);
//! - `time`: nanosleep, clock_nanosleep.
//!
//! The helpers here (argument slots, in/out boxes, small reads) are shared by those files.

mod file;
mod io;
mod ipc;
mod keys;
mod memory;
mod net;
mod process;
mod ptrace;
mod signal;
mod time;
mod uring;

use sysgate_event::{SyscallEvent, Value};

use super::{DecodeOptions, Memory, consts, layouts_known, read_exact};

/// One half of a syscall's special handling: entry or exit.
type Hook = fn(&mut SyscallEvent, &mut dyn Memory, &DecodeOptions);

/// A syscall's special handling: what runs after the generic entry decoding, and what runs
/// after the generic exit decoding.
#[derive(Clone, Copy)]
struct Handler {
    entry: Option<Hook>,
    exit: Option<Hook>,
}

impl Handler {
    /// Handling at entry only.
    const fn entry(f: Hook) -> Handler {
        Handler {
            entry: Some(f),
            exit: None,
        }
    }

    /// Handling at exit only.
    const fn exit(f: Hook) -> Handler {
        Handler {
            entry: None,
            exit: Some(f),
        }
    }

    /// Handling at entry and at exit.
    const fn both(entry: Hook, exit: Hook) -> Handler {
        Handler {
            entry: Some(entry),
            exit: Some(exit),
        }
    }
}

/// The special handling of the syscall `name`, if it has any: the one place that says where
/// each call is handled.
fn handler(name: &str) -> Option<Handler> {
    Some(match name {
        // Descriptors and files.
        "pipe2" => file::PIPE2,
        "dup3" => file::DUP3,
        "statx" => file::STATX,
        "faccessat2" => file::FACCESSAT2,
        "fcntl" | "fcntl64" => file::FCNTL,
        "getcwd" => file::GETCWD,
        "umask" => file::UMASK,
        // Their flags argument decodes right as it is.
        "inotify_init1" | "signalfd4" | "eventfd2" | "timerfd_create" | "epoll_create1" => {
            return None;
        }
        // I/O.
        "select" | "_newselect" | "pselect6" | "pselect6_time64" => io::SELECT,
        "poll" | "ppoll" | "ppoll_time64" => io::POLL,
        "preadv" | "pwritev" | "preadv2" | "pwritev2" => io::PREADV,
        "sendfile" | "sendfile64" => io::SENDFILE,
        "copy_file_range" | "splice" => io::COPY_FILE_RANGE,
        "getrandom" => io::GETRANDOM,
        "ioctl" => io::IOCTL,
        "io_uring_setup" => io::IO_URING_SETUP,
        "io_uring_register" => uring::IO_URING_REGISTER,
        // Sockets.
        "socket" | "socketpair" => net::SOCKET,
        "setsockopt" => net::SETSOCKOPT,
        "getsockopt" => net::GETSOCKOPT,
        "accept" | "accept4" | "getsockname" | "getpeername" => net::ACCEPT,
        "recvfrom" => net::RECVFROM,
        // Processes.
        "clone" => process::CLONE,
        "clone3" => process::CLONE3,
        "prctl" => process::PRCTL,
        "arch_prctl" => process::ARCH_PRCTL,
        "personality" => process::PERSONALITY,
        "getgroups" | "getgroups32" => process::GETGROUPS,
        "setgroups" | "setgroups32" => process::SETGROUPS,
        "sched_setaffinity" => process::SCHED_SETAFFINITY,
        "sched_getaffinity" => process::SCHED_GETAFFINITY,
        "sched_getscheduler" => process::SCHED_GETSCHEDULER,
        // Memory.
        "mincore" => memory::MINCORE,
        "mremap" => memory::MREMAP,
        "membarrier" => memory::MEMBARRIER,
        "process_vm_readv" | "process_vm_writev" => memory::PROCESS_VM,
        // IPC and futexes.
        "futex" | "futex_time64" => ipc::FUTEX,
        "shmget" => ipc::SHMGET,
        "semget" => ipc::SEMGET,
        "msgget" => ipc::MSGGET,
        "semctl" => ipc::SEMCTL,
        "shmctl" => ipc::SHMCTL,
        "msgctl" => ipc::MSGCTL,
        // Signals.
        "rt_sigaction" => signal::RT_SIGACTION,
        "rt_sigreturn" => signal::RT_SIGRETURN,
        "rt_sigtimedwait" | "rt_sigtimedwait_time64" => signal::RT_SIGTIMEDWAIT,
        // Keys.
        "add_key" => keys::ADD_KEY,
        "request_key" => keys::REQUEST_KEY,
        // Tracing.
        "ptrace" => ptrace::PTRACE,
        // Time.
        "nanosleep" | "clock_nanosleep" | "clock_nanosleep_time64" => time::NANOSLEEP,
        _ => return None,
    })
}

/// Per-syscall adjustments after the generic entry decoding.
pub fn entry(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    // Flag sets whose order or shape differs from the knowledge base's.
    for slot in ev.decoded.iter_mut() {
        if let Value::Flags(set, bits) = *slot {
            *slot = Value::Flags(consts::override_set(set), bits);
        }
    }
    if !layouts_known(ev.arch) {
        return;
    }
    if let Some(f) = handler(name(ev)).and_then(|h| h.entry) {
        f(ev, mem, opts);
    }
}

/// Per-syscall adjustments after the generic exit decoding.
pub fn exit(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    if !layouts_known(ev.arch) {
        return;
    }
    if let Some(f) = handler(name(ev)).and_then(|h| h.exit) {
        f(ev, mem, opts);
    }
}

fn name(ev: &SyscallEvent) -> &'static str {
    ev.syscall.map_or("", |s| s.name)
}

fn set(ev: &mut SyscallEvent, i: usize, v: Value) {
    if let Some(slot) = ev.decoded.get_mut(i) {
        *slot = v;
    }
}

fn omit_from(ev: &mut SyscallEvent, i: usize) {
    for slot in ev.decoded.iter_mut().skip(i) {
        *slot = Value::Omitted;
    }
}

/// Makes argument `i` print at exit (decoded there by the call's exit half).
fn defer(ev: &mut SyscallEvent, i: usize) {
    set(ev, i, Value::Pending);
    let i = i as u8;
    ev.exit_from = Some(ev.exit_from.map_or(i, |j| j.min(i)));
}

fn read_u32(mem: &mut dyn Memory, addr: u64) -> Option<u32> {
    read_exact(mem, addr, 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn read_i64(mem: &mut dyn Memory, addr: u64) -> Option<i64> {
    read_exact(mem, addr, 8).map(|b| i64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
}

fn boxed(v: Value) -> Value {
    Value::Array {
        items: vec![v],
        more: false,
    }
}

fn ret_hex_with(ev: &mut SyscallEvent, label: &'static str, v: Value) {
    ev.ret_value = Some(Value::Hex(ev.ret as u64));
    ev.ret_note.push((label, v));
}
