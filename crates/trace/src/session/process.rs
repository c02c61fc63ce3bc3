//! Processes and clocks, for both engines: waiting for and signalling the programs sysgate
//! started, the threads of a process, and the two clocks events are stamped with.

use std::io;
use std::path::Path;

use libc::pid_t;

use crate::Error;

/// `CLONE_THREAD`: the new task is a thread of its parent's process, not a process.
pub const CLONE_THREAD: u64 = 0x10000;

/// `waitpid(pid, __WALL | flags)`; `Ok(None)` when WNOHANG found nothing.
pub fn wait(pid: pid_t, flags: i32) -> io::Result<Option<(pid_t, i32)>> {
    let mut status = 0;
    // SAFETY: waitpid writes the status into `status`, a live local.
    let r = unsafe { libc::waitpid(pid, &mut status, libc::__WALL | flags) };
    match r {
        -1 => Err(io::Error::last_os_error()),
        0 => Ok(None),
        p => Ok(Some((p, status))),
    }
}

/// `kill(pid, sig)`.
pub fn kill(pid: pid_t, sig: i32) -> io::Result<()> {
    // SAFETY: kill has no memory arguments.
    if unsafe { libc::kill(pid, sig) } == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Monotonic clock in nanoseconds.
pub fn monotonic_ns() -> u64 {
    clock(libc::CLOCK_MONOTONIC)
}

/// Wall clock in nanoseconds since the epoch.
pub fn realtime_ns() -> u64 {
    clock(libc::CLOCK_REALTIME)
}

fn clock(id: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into `ts`, a live local.
    unsafe { libc::clock_gettime(id, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// The thread ids of process `pid`.
pub fn threads_of(pid: u32) -> Result<Vec<u32>, Error> {
    let dir = Path::new("/proc").join(pid.to_string()).join("task");
    let entries = std::fs::read_dir(&dir).map_err(|_| Error::NoSuchProcess(pid))?;
    let mut tids: Vec<u32> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    tids.sort_unstable();
    // The leader first, so a failure to attach it is reported as the error.
    if let Some(i) = tids.iter().position(|&t| t == pid) {
        tids.swap(0, i);
    }
    Ok(tids)
}

/// The thread group id of `tid`, from `/proc`.
pub fn tgid_of(tid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
}
