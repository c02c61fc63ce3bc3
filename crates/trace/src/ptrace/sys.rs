//! Thin wrappers over the raw ptrace, wait and memory syscalls. All of the engine's `unsafe`
//! lives here.

use std::io;

use libc::{c_long, c_void, pid_t};

pub const PTRACE_SEIZE: libc::c_uint = 0x4206;
pub const PTRACE_INTERRUPT: libc::c_uint = 0x4207;
pub const PTRACE_LISTEN: libc::c_uint = 0x4208;
pub const PTRACE_GET_SYSCALL_INFO: libc::c_uint = 0x420e;

pub const EVENT_FORK: i32 = 1;
pub const EVENT_VFORK: i32 = 2;
pub const EVENT_CLONE: i32 = 3;
pub const EVENT_EXEC: i32 = 4;
pub const EVENT_SECCOMP: i32 = 7;
pub const EVENT_STOP: i32 = 128;

pub const OP_ENTRY: u8 = 1;
pub const OP_EXIT: u8 = 2;
pub const OP_SECCOMP: u8 = 3;

/// `struct ptrace_syscall_info` with the union flattened into words.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct SyscallInfo {
    pub op: u8,
    pub pad: [u8; 3],
    pub arch: u32,
    pub instruction_pointer: u64,
    pub stack_pointer: u64,
    /// entry/seccomp: `nr, args[6]` (seccomp adds `ret_data` as the low half of word 7);
    /// exit: `rval, is_error`.
    pub data: [u64; 8],
}

impl SyscallInfo {
    /// The six arguments of an entry or seccomp stop.
    pub fn args(&self) -> [u64; 6] {
        [
            self.data[1],
            self.data[2],
            self.data[3],
            self.data[4],
            self.data[5],
            self.data[6],
        ]
    }
}

pub use crate::session::process::{kill, monotonic_ns, realtime_ns, wait};

fn check(ret: c_long) -> io::Result<c_long> {
    if ret == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// ptrace request with integer-like address and data.
pub fn ptrace(req: libc::c_uint, pid: pid_t, addr: usize, data: usize) -> io::Result<c_long> {
    // SAFETY: every request issued through this wrapper passes integers (options, signal
    // numbers) or null, never a pointer the kernel writes through.
    check(unsafe { libc::ptrace(req, pid, addr as *mut c_void, data as *mut c_void) })
}

pub fn seize(pid: pid_t, options: i32) -> io::Result<()> {
    ptrace(PTRACE_SEIZE, pid, 0, options as usize).map(drop)
}

pub fn syscall(pid: pid_t, sig: i32) -> io::Result<()> {
    ptrace(libc::PTRACE_SYSCALL, pid, 0, sig as usize).map(drop)
}

pub fn cont(pid: pid_t, sig: i32) -> io::Result<()> {
    ptrace(libc::PTRACE_CONT, pid, 0, sig as usize).map(drop)
}

pub fn listen(pid: pid_t) -> io::Result<()> {
    ptrace(PTRACE_LISTEN, pid, 0, 0).map(drop)
}

pub fn interrupt(pid: pid_t) -> io::Result<()> {
    ptrace(PTRACE_INTERRUPT, pid, 0, 0).map(drop)
}

pub fn detach(pid: pid_t, sig: i32) -> io::Result<()> {
    ptrace(libc::PTRACE_DETACH, pid, 0, sig as usize).map(drop)
}

pub fn event_msg(pid: pid_t) -> io::Result<u64> {
    let mut msg: libc::c_ulong = 0;
    // SAFETY: GETEVENTMSG writes one c_ulong to the address we pass, which is `msg`, alive for
    // the duration of the call.
    check(unsafe {
        libc::ptrace(
            libc::PTRACE_GETEVENTMSG,
            pid,
            std::ptr::null_mut::<c_void>(),
            &mut msg as *mut libc::c_ulong as *mut c_void,
        )
    })?;
    Ok(msg as u64)
}

pub fn syscall_info(pid: pid_t, info: &mut SyscallInfo) -> io::Result<usize> {
    // SAFETY: the kernel writes at most `size` (our struct's size) bytes into `info`, an
    // exclusively borrowed, properly aligned SyscallInfo.
    check(unsafe {
        libc::ptrace(
            PTRACE_GET_SYSCALL_INFO,
            pid,
            std::mem::size_of::<SyscallInfo>() as *mut c_void,
            info as *mut SyscallInfo as *mut c_void,
        )
    })
    .map(|n| n as usize)
}

pub fn siginfo(pid: pid_t) -> io::Result<libc::siginfo_t> {
    // SAFETY: siginfo_t is plain old data; all-zero is a valid value.
    let mut si: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: GETSIGINFO writes one siginfo_t into `si`, which outlives the call.
    check(unsafe {
        libc::ptrace(
            libc::PTRACE_GETSIGINFO,
            pid,
            std::ptr::null_mut::<c_void>(),
            &mut si as *mut libc::siginfo_t as *mut c_void,
        )
    })?;
    Ok(si)
}

pub fn peek(pid: pid_t, addr: u64) -> io::Result<u64> {
    // PEEKDATA returns the word; -1 is ambiguous, so errno must be cleared and checked.
    // SAFETY: __errno_location returns this thread's errno slot.
    unsafe { *libc::__errno_location() = 0 };
    // SAFETY: PEEKDATA reads tracee memory and returns it; no local memory is written.
    let word = unsafe { libc::ptrace(libc::PTRACE_PEEKDATA, pid, addr as *mut c_void, 0usize) };
    if word == -1 {
        let err = io::Error::last_os_error();
        if err.raw_os_error().unwrap_or(0) != 0 {
            return Err(err);
        }
    }
    Ok(word as u64)
}

/// Reads tracee memory into `buf` with one `process_vm_readv`; returns the bytes read.
pub fn vm_read(pid: pid_t, addr: u64, buf: &mut [u8]) -> io::Result<usize> {
    let local = libc::iovec {
        iov_base: buf.as_mut_ptr() as *mut c_void,
        iov_len: buf.len(),
    };
    let remote = libc::iovec {
        iov_base: addr as *mut c_void,
        iov_len: buf.len(),
    };
    // SAFETY: `local` describes `buf`, exclusively borrowed and valid for buf.len() bytes; the
    // remote iovec is only interpreted in the tracee's address space by the kernel.
    let n = unsafe { libc::process_vm_readv(pid, &local, 1, &remote, 1, 0) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Makes the syscall the tracee is entering a no-op (number -1), so the kernel skips it.
#[cfg(target_arch = "x86_64")]
pub fn skip_syscall(pid: pid_t) -> io::Result<()> {
    /// `offsetof(struct user_regs_struct, orig_rax)`
    const ORIG_RAX: usize = 15 * 8;
    ptrace(libc::PTRACE_POKEUSER, pid, ORIG_RAX, usize::MAX).map(drop)
}

/// The instruction, stack and frame pointers of a stopped tracee, for unwinding its stack.
#[cfg(target_arch = "x86_64")]
pub fn unwind_regs(pid: pid_t) -> io::Result<(u64, u64, u64)> {
    // SAFETY: user_regs_struct is plain integers; all-zero is a valid value.
    let mut regs: libc::user_regs_struct = unsafe { std::mem::zeroed() };
    ptrace(
        libc::PTRACE_GETREGS,
        pid,
        0,
        &mut regs as *mut libc::user_regs_struct as usize,
    )?;
    Ok((regs.rip, regs.rsp, regs.rbp))
}

/// Stacks are unwound on x86_64 only.
#[cfg(not(target_arch = "x86_64"))]
pub fn unwind_regs(_pid: pid_t) -> io::Result<(u64, u64, u64)> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Sets argument `i` (0–5) of the syscall the tracee is entering.
#[cfg(target_arch = "x86_64")]
pub fn set_arg(pid: pid_t, i: usize, value: u64) -> io::Result<()> {
    /// Offsets in `struct user_regs_struct` of rdi, rsi, rdx, r10, r8, r9.
    const ARGS: [usize; 6] = [14, 13, 12, 7, 9, 8];
    let off = *ARGS
        .get(i)
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
    ptrace(libc::PTRACE_POKEUSER, pid, off * 8, value as usize).map(drop)
}

/// See [`set_arg`].
#[cfg(not(target_arch = "x86_64"))]
pub fn set_arg(_pid: pid_t, _i: usize, _value: u64) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Replaces the number of the syscall the tracee is entering (`-1` skips it).
#[cfg(target_arch = "x86_64")]
pub fn set_syscall_nr(pid: pid_t, nr: i64) -> io::Result<()> {
    /// `offsetof(struct user_regs_struct, orig_rax)`
    const ORIG_RAX: usize = 15 * 8;
    ptrace(libc::PTRACE_POKEUSER, pid, ORIG_RAX, nr as usize).map(drop)
}

/// See [`set_syscall_nr`].
#[cfg(not(target_arch = "x86_64"))]
pub fn set_syscall_nr(_pid: pid_t, _nr: i64) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Writes `data` into the tracee's memory at `addr` (through `/proc/PID/mem`, which also
/// writes read-only mappings, as a debugger does).
pub fn write_memory(pid: pid_t, addr: u64, data: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    let mem = std::fs::OpenOptions::new()
        .write(true)
        .open(format!("/proc/{pid}/mem"))?;
    mem.write_all_at(data, addr)
}

/// Sets the return value the tracee sees, at a syscall-exit stop.
#[cfg(target_arch = "x86_64")]
pub fn set_return(pid: pid_t, value: i64) -> io::Result<()> {
    /// `offsetof(struct user_regs_struct, rax)`
    const RAX: usize = 10 * 8;
    ptrace(libc::PTRACE_POKEUSER, pid, RAX, value as usize).map(drop)
}

/// Register rewriting is implemented for x86_64 only; elsewhere the sandbox runs unsupervised.
#[cfg(not(target_arch = "x86_64"))]
pub fn skip_syscall(_pid: pid_t) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// See [`skip_syscall`].
#[cfg(not(target_arch = "x86_64"))]
pub fn set_return(_pid: pid_t, _value: i64) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// `sched_yield`.
pub fn yield_now() {
    // SAFETY: sched_yield has no arguments.
    unsafe { libc::sched_yield() };
}

/// Fields of a siginfo that are not exposed as methods by libc, read from the raw union
/// (layout of the kernel's `siginfo_t` on 64-bit Linux: the union starts at byte 16).
pub fn siginfo_fields(si: &libc::siginfo_t) -> (i32, u32, i32, i64, i64, u64) {
    // SAFETY: siginfo_t is 128 bytes of plain data; reading it as bytes is always valid.
    let raw: &[u8; 128] = unsafe { &*(si as *const libc::siginfo_t as *const [u8; 128]) };
    let i32_at = |o: usize| i32::from_ne_bytes(raw[o..o + 4].try_into().unwrap_or([0; 4]));
    let i64_at = |o: usize| i64::from_ne_bytes(raw[o..o + 8].try_into().unwrap_or([0; 8]));
    let pid = i32_at(16);
    let uid = i32_at(20) as u32;
    let status = i32_at(24);
    let utime = i64_at(32);
    let stime = i64_at(40);
    let addr = i64_at(16) as u64;
    (pid, uid, status, utime, stime, addr)
}
