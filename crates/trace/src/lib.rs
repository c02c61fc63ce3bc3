//! sysgate's capture backends and decoders.
//!
//! [`ptrace`] runs or attaches to programs and pushes [`sysgate_event`] events into a sink;
//! [`ebpf`] does the same from a BPF program on the syscall tracepoints, without stopping them;
//! [`decode`] turns raw registers and tracee memory into decoded values using the knowledge
//! base; [`filter`] compiles strace-style `-e trace=` selections.

pub mod decode;
pub mod ebpf;
pub mod filter;
pub mod mem;
pub mod ptrace;
pub mod session;
pub mod sockets;

use std::io;

/// Everything that can go wrong while tracing, with the pid or program it concerns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The program was not found in PATH or at the given path (exit status 127).
    #[error("command not found: {0}")]
    NotFound(String),
    /// The program exists but cannot be executed (exit status 126).
    #[error("not executable: {0} (check its permissions, or that it is not a directory)")]
    NotExecutable(String),
    /// An argument contained a NUL byte.
    #[error("argument contains a NUL byte: {0:?}")]
    NulInArgument(String),
    /// fork or the initial stop failed.
    #[error("cannot start the program: {0}")]
    Spawn(#[source] io::Error),
    /// There is no process with this id.
    #[error("no such process: {0}")]
    NoSuchProcess(u32),
    /// Another tracer (a debugger, strace) is attached already.
    #[error("process {pid} is already traced by pid {tracer} ({comm}); detach that tracer first")]
    AlreadyTraced {
        /// The target.
        pid: u32,
        /// The tracer's pid.
        tracer: u32,
        /// The tracer's command name.
        comm: String,
    },
    /// The kernel refused ptrace.
    #[error("permission denied attaching to process {pid}: {hint}")]
    PermissionDenied {
        /// The target.
        pid: u32,
        /// What to change.
        hint: String,
    },
    /// Another attach failure.
    #[error("cannot attach to process {pid}: {source}")]
    Attach {
        /// The target.
        pid: u32,
        /// The kernel's error.
        #[source]
        source: io::Error,
    },
    /// waitpid failed.
    #[error("waiting for the tracee failed: {0}")]
    Wait(#[source] io::Error),
    /// Writing the output failed.
    #[error("writing the trace failed: {0}")]
    Output(#[source] io::Error),
    /// The eBPF backend cannot run here, for this reason.
    #[error("eBPF: {0}")]
    Ebpf(String),
    /// A step of the eBPF backend failed (loading, attaching, a map), with the error that made it
    /// fail as its source.
    #[error("eBPF: {what}: {source}")]
    EbpfStep {
        /// The step.
        what: String,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A bad `-e trace=` expression.
    #[error("{0}")]
    Selection(String),
    /// A target the ptrace engine cannot trace (a cgroup or the whole system).
    #[error("watching a cgroup or the whole system needs the eBPF backend (--backend ebpf)")]
    NeedsEbpf,
}

impl Error {
    /// The exit status a shell would use for this failure (127 not found, 126 not executable).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::NotFound(_) => 127,
            Error::NotExecutable(_) => 126,
            _ => 1,
        }
    }
}
