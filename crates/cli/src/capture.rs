//! The capture options shared by `trace`, `record` and `summary`: validate them into an engine
//! plan, run the engine into a sink, and map the outcome to an exit status.

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, bail};
use sysgate_event::{Sink, Xlat};
use sysgate_trace::decode::DecodeOptions;
use sysgate_trace::filter::Selection;
use sysgate_trace::ptrace::{self, Command, Options, Outcome, StatusFilter, Tracer};

use crate::args::CaptureArgs;

/// A failure that maps to a specific exit status (127, 126).
#[derive(Debug)]
pub struct ExitWith(pub u8, pub String);

impl std::fmt::Display for ExitWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

impl std::error::Error for ExitWith {}

/// What to trace.
pub enum Target {
    /// Start this program.
    Spawn(Command),
    /// Attach to these processes.
    Attach(Vec<u32>),
}

impl Target {
    /// A short description for file headers and messages: the command line or `-p PID,…`.
    pub fn describe(&self, command: &[OsString]) -> Vec<String> {
        match self {
            Target::Spawn(_) => command
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            Target::Attach(pids) => {
                let list: Vec<String> = pids.iter().map(u32::to_string).collect();
                vec!["-p".into(), list.join(",")]
            }
        }
    }
}

/// A validated capture.
pub struct Plan {
    pub target: Target,
    pub opts: Options,
}

/// Turns the options into a plan, or one clear error, before anything is started.
pub fn plan(args: &CaptureArgs, command: &[OsString], count_only: bool) -> Result<Plan> {
    let mut selection = None;
    let mut status = StatusFilter::All;
    for e in &args.expr {
        let (key, value) = match e.split_once('=') {
            Some((k, v)) => (k, v),
            None => ("trace", e.as_str()),
        };
        match key {
            "trace" | "t" => {
                selection = Some(Selection::parse(value).with_context(|| format!("in `-e {e}`"))?);
            }
            "status" => {
                status = match value {
                    "failed" => StatusFilter::Failed,
                    "successful" => StatusFilter::Successful,
                    "all" => StatusFilter::All,
                    other => bail!("`-e status={other}`: use failed, successful or all"),
                }
            }
            other => {
                bail!("`-e {other}=…` is not supported; sysgate understands `trace=` and `status=`")
            }
        }
    }
    if args.failed_only && args.successful_only {
        bail!("-Z (failed only) and -z (successful only) exclude each other");
    }
    if args.failed_only {
        status = StatusFilter::Failed;
    }
    if args.successful_only {
        status = StatusFilter::Successful;
    }
    if args.no_follow && args.follow > 0 {
        bail!("--no-follow contradicts -f");
    }
    let target = match (args.pids.is_empty(), command.is_empty()) {
        (true, true) => bail!("nothing to trace: give a command (`-- ls /`) or a pid (`-p 1234`)"),
        (false, false) => bail!("give either a command or -p PID, not both"),
        (false, true) => {
            let mut pids = Vec::new();
            for p in &args.pids {
                let pid: u32 = p
                    .trim()
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .with_context(|| format!("`-p {p}` is not a process id"))?;
                if pid == std::process::id() {
                    bail!("sysgate cannot trace itself (pid {pid})");
                }
                pids.push(pid);
            }
            Target::Attach(pids)
        }
        (true, false) => {
            let cmd = Command::new(&command[0], &command[1..])
                .map_err(|e| anyhow::Error::new(ExitWith(e.exit_code(), e.to_string())))?;
            Target::Spawn(cmd)
        }
    };
    let xlat = match args.xlat.as_str() {
        "abbrev" => Xlat::Abbrev,
        "raw" => Xlat::Raw,
        "verbose" => Xlat::Verbose,
        other => bail!("-X {other}: use abbrev, raw or verbose"),
    };
    if args.fd_paths > 2 {
        bail!("-y can be given at most twice (-yy)");
    }
    let opts = Options {
        follow: !args.no_follow,
        decode: DecodeOptions {
            string_limit: args.string_limit,
            fd_paths: args.fd_paths > 0,
            fd_endpoints: args.fd_paths > 1,
            verbose: args.verbose,
            xlat,
        },
        selection: selection.unwrap_or_else(Selection::all),
        status,
        seccomp: !args.no_seccomp,
        count_only,
        sandbox: None,
    };
    Ok(Plan { target, opts })
}

extern "C" fn on_signal(sig: libc::c_int) {
    ptrace::INTERRUPTED.store(sig, Ordering::Relaxed);
}

fn install_signal_handlers() {
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
        // SAFETY: sigaction is given a zeroed struct with a valid handler that only stores to an
        // atomic (async-signal-safe); no SA_RESTART so waitpid returns EINTR and the loop
        // notices the request.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// Runs the plan into `sink` and returns how the program ended.
pub fn run(plan: Plan, sink: &mut dyn Sink) -> Result<Outcome> {
    install_signal_handlers();
    let tracer = Tracer::new(plan.opts, sink);
    let result = match &plan.target {
        Target::Spawn(cmd) => tracer.spawn(cmd),
        Target::Attach(pids) => tracer.attach(pids),
    };
    result.map_err(|e| {
        let code = e.exit_code();
        anyhow::Error::new(ExitWith(code, e.to_string()))
    })
}

/// The exit status sysgate passes on: the program's, 128+N for a signal.
pub fn exit_code(outcome: Outcome) -> ExitCode {
    match outcome {
        Outcome::Exited(code) => ExitCode::from(code as u8),
        Outcome::Signaled { signal, .. } => ExitCode::from(128u8.wrapping_add(signal as u8)),
        Outcome::Detached => {
            eprintln!("sysgate: detached; the processes keep running");
            ExitCode::SUCCESS
        }
        Outcome::Interrupted(sig) => ExitCode::from(128u8.wrapping_add(sig as u8)),
    }
}

/// Opens a recording, with the decoder's flag and enum sets available to the reader.
pub fn open_trace(path: &std::path::Path) -> Result<sysgate_event::sgt::Reader<std::fs::File>> {
    let sets = sysgate_event::sgt::SetResolver {
        flags: sysgate_trace::decode::consts::flag_set_named,
        enums: sysgate_trace::decode::consts::enum_set_named,
    };
    Ok(sysgate_event::sgt::Reader::open(path)?.with_sets(sets))
}

/// Feeds `sink` from a recording (`file`) or from a live capture of `command` / `-p`, the two
/// sources every analysis command accepts; returns the exit status to pass on. `what` names the
/// command's work in messages ("summarise", "analyse").
pub fn feed(
    file: Option<&std::path::Path>,
    capture: &CaptureArgs,
    command: &[OsString],
    sink: &mut dyn Sink,
    usage: &str,
) -> Result<ExitCode> {
    match (file, command.is_empty() && capture.pids.is_empty()) {
        (Some(_), false) => bail!("give either a trace file or `-- CMD` / -p PID, not both"),
        (None, true) => bail!("{usage}"),
        (Some(path), true) => {
            let mut reader = open_trace(path)?;
            let stats = reader.replay(sink)?;
            if let Some(at) = stats.truncated_at {
                eprintln!(
                    "sysgate: {} ends at byte {at} without its footer (the recording was cut short); using the {} events before it",
                    path.display(),
                    stats.events
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        (None, false) => {
            let plan = plan(capture, command, false)?;
            Ok(exit_code(run(plan, sink)?))
        }
    }
}
