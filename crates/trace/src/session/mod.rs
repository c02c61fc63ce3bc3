//! What a capture is, whichever engine runs it: what to capture ([`Capture`]) and from whom
//! ([`Target`]), the program to start ([`Command`]), how it
//! ended ([`Outcome`]), which finished calls to report ([`StatusFilter`]), processes and clocks
//! ([`process`]), signals sent to sysgate ([`relay`]), and the [`Emitter`] that hands events to a
//! sink. The ptrace and eBPF engines only turn stops or ring-buffer records into emitter calls.

mod command;
pub mod emit;
pub mod inject;
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
    /// Capture the user stack of every reported call (`-k`).
    pub stacks: bool,
    /// Where separate debug files of stripped binaries are looked for (`--debug-dir`), before
    /// the system's.
    pub debug_dirs: Vec<std::path::PathBuf>,
    /// Calls to tamper with (`-e inject=`, `-e fault=`; ptrace only).
    pub inject: inject::Injections,
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
        Value::Fd(fd) | Value::DirFd(fd) | Value::FdPath { fd, .. } if *fd >= 0 => {
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
            status: StatusFilter::ALL,
            count_only: false,
            signals: u64::MAX,
            stacks: false,
            debug_dirs: Vec::new(),
            inject: inject::Injections::default(),
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

/// Which calls to report by how they ended (strace's `-e status=`): a set of outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusFilter(u8);

impl Default for StatusFilter {
    fn default() -> Self {
        StatusFilter::ALL
    }
}

impl StatusFilter {
    /// Calls that returned without an error.
    pub const SUCCESSFUL: StatusFilter = StatusFilter(1);
    /// Calls that returned an error (`-Z`).
    pub const FAILED: StatusFilter = StatusFilter(2);
    /// Calls that never returned: `exit_group`, or a call cut short by the task's death.
    pub const UNFINISHED: StatusFilter = StatusFilter(4);
    /// Every call.
    pub const ALL: StatusFilter = StatusFilter(7);

    /// Parses strace's list: `successful`, `failed`, `unfinished`, `all` or `none`, comma
    /// separated, optionally negated as a whole with a leading `!`.
    pub fn parse(list: &str) -> Result<StatusFilter, String> {
        let (negate, list) = match list.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, list),
        };
        let mut bits = 0;
        for word in list.split(',') {
            bits |= match word.trim() {
                "successful" => StatusFilter::SUCCESSFUL.0,
                "failed" => StatusFilter::FAILED.0,
                "unfinished" => StatusFilter::UNFINISHED.0,
                "all" => StatusFilter::ALL.0,
                "none" => 0,
                "unavailable" | "detached" => {
                    return Err(format!(
                        "`{word}`: sysgate does not report calls whose end it cannot see; \
                         use successful, failed, unfinished, all or none"
                    ));
                }
                "" => return Err("an empty status name".to_string()),
                other => {
                    return Err(format!(
                        "`{other}` is not a status: use successful, failed, unfinished, all or none"
                    ));
                }
            };
        }
        if negate {
            bits = !bits & StatusFilter::ALL.0;
        }
        Ok(StatusFilter(bits))
    }

    /// Whether every call is reported, so that entries can be shown before their outcome.
    pub fn is_all(self) -> bool {
        self == StatusFilter::ALL
    }

    /// Whether a finished call with this outcome is reported.
    pub fn wants(self, is_error: bool) -> bool {
        let bit = if is_error {
            StatusFilter::FAILED
        } else {
            StatusFilter::SUCCESSFUL
        };
        self.0 & bit.0 != 0
    }

    /// Whether calls that never returned are reported.
    pub fn wants_unfinished(self) -> bool {
        self.0 & StatusFilter::UNFINISHED.0 != 0
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

#[cfg(test)]
mod tests {
    use super::StatusFilter;

    #[test]
    fn status_lists_parse_as_strace_reads_them() {
        let p = |s| StatusFilter::parse(s).unwrap();
        assert_eq!(p("all"), StatusFilter::ALL);
        assert!(!p("none").is_all() && !p("none").wants(true) && !p("none").wants(false));
        let f = p("failed,unfinished");
        assert!(f.wants(true) && !f.wants(false) && f.wants_unfinished() && !f.is_all());
        let not_failed = p("!failed");
        assert!(!not_failed.wants(true) && not_failed.wants(false));
        assert!(not_failed.wants_unfinished());
        assert_eq!(p("!none"), StatusFilter::ALL);
        assert!(StatusFilter::parse("detached").is_err());
        assert!(StatusFilter::parse("failed,").is_err());
        assert!(StatusFilter::parse("fail").unwrap_err().contains("`fail`"));
    }
}
