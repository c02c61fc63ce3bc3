//! What a capture is, whichever engine runs it: what to capture ([`Capture`]) and from whom
//! ([`Target`]), the program to start ([`Command`]), how it
//! ended ([`Outcome`]), which finished calls to report ([`StatusFilter`]), processes and clocks
//! ([`process`]), signals sent to sysgate ([`relay`]), and the [`Emitter`] that hands events to a
//! sink. The ptrace and eBPF engines only turn stops or ring-buffer records into emitter calls.

mod command;
pub mod emit;
pub mod process;
pub mod relay;

pub use command::Command;
pub(crate) use command::ExecImage;
pub use emit::{Emitter, begin_call};

use crate::decode::DecodeOptions;
use crate::filter::Selection;

/// What to capture, whichever engine captures it.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Follow forks, vforks and clones.
    pub follow: bool,
    /// What to decode.
    pub decode: DecodeOptions,
    /// Which syscalls to report.
    pub selection: Selection,
    /// Which results to report.
    pub status: StatusFilter,
    /// Decode nothing: the consumer only counts.
    pub count_only: bool,
    /// Which delivered signals to report (bit N for signal N; strace's `-e signal=`).
    pub signals: u64,
    /// Report only calls that name one of these paths or use a descriptor open on one (strace's
    /// `-P`); empty for every call.
    pub paths: Vec<std::path::PathBuf>,
}

/// Whether a decoded call touches one of `paths`: a path argument that names one (as given, or
/// once resolved), or a descriptor argument open on one.
pub fn touches(ev: &sysgate_event::SyscallEvent, paths: &[std::path::PathBuf]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    use sysgate_event::Value;
    let names = |p: &std::path::Path| {
        paths
            .iter()
            .any(|want| want == p || std::fs::canonicalize(p).is_ok_and(|c| &c == want))
    };
    ev.decoded.iter().any(|v| match v {
        Value::Str { bytes, .. } => {
            let b = ev.slice(*bytes);
            b.first() == Some(&b'/') && names(std::path::Path::new(std::ffi::OsStr::from_bytes(b)))
        }
        Value::Fd(fd) | Value::DirFd(fd) if *fd >= 0 => {
            std::fs::read_link(format!("/proc/{}/fd/{fd}", ev.pid)).is_ok_and(|p| names(&p))
        }
        Value::FdPath { path, .. } => {
            let b = ev.slice(*path);
            names(std::path::Path::new(std::ffi::OsStr::from_bytes(b)))
        }
        _ => false,
    })
}

impl Default for Capture {
    fn default() -> Self {
        Capture {
            follow: true,
            decode: DecodeOptions::default(),
            selection: Selection::all(),
            status: StatusFilter::All,
            count_only: false,
            signals: u64::MAX,
            paths: Vec::new(),
        }
    }
}

/// What to run or watch.
#[derive(Debug)]
pub enum Target {
    /// Start this program.
    Spawn(Command),
    /// Watch these running processes (all their threads, and with `follow` their children).
    Attach(Vec<u32>),
    /// Watch a wider scope (a cgroup, the whole system) until interrupted: eBPF only.
    Watch,
}

/// Which finished calls to report (strace's `-e status=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Every call.
    #[default]
    All,
    /// Only calls that returned an error (`-Z`).
    Failed,
    /// Only calls that succeeded (`-z`).
    Successful,
}

impl StatusFilter {
    /// Whether a finished call with this outcome is reported.
    pub fn wants(self, is_error: bool) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Failed => is_error,
            StatusFilter::Successful => !is_error,
        }
    }
}

/// How the traced program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The first process exited with this code.
    Exited(i32),
    /// The first process was killed by this signal.
    Signaled {
        /// The signal number.
        signal: i32,
        /// Whether it dumped core.
        core: bool,
    },
    /// sysgate detached from attached processes, which keep running.
    Detached,
    /// sysgate was interrupted by this signal and killed the programs it started.
    Interrupted(i32),
}
