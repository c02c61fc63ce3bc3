//! `sysgate trace`: validate the options, pick the sinks, run the ptrace engine, report.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, bail};
use sysgate_analyze::count::CountSummary;
use sysgate_event::Sink;
use sysgate_event::json::JsonPrinter;
use sysgate_event::render::{TextOptions, TextPrinter, Timestamps};
use sysgate_trace::decode::DecodeOptions;
use sysgate_trace::filter::Selection;
use sysgate_trace::ptrace::{self, Command, Options, Outcome, StatusFilter, Tracer};

use crate::args::TraceArgs;

/// A failure that maps to a specific exit status (127, 126).
#[derive(Debug)]
pub struct ExitWith(pub u8, pub String);

impl std::fmt::Display for ExitWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

impl std::error::Error for ExitWith {}

enum Target {
    Spawn(Command),
    Attach(Vec<u32>),
}

struct Plan {
    target: Target,
    opts: Options,
    text: TextOptions,
    count: bool,
    json: bool,
}

fn plan(args: &TraceArgs) -> Result<Plan> {
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
    if args.timestamps > 3 {
        bail!("-t can be given at most three times (-ttt)");
    }
    let target = match (args.pids.is_empty(), args.command.is_empty()) {
        (true, true) => {
            bail!("nothing to trace: give a command (`sysgate trace -- ls /`) or a pid (`-p 1234`)")
        }
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
            let cmd = Command::new(&args.command[0], &args.command[1..])
                .map_err(|e| anyhow::Error::new(ExitWith(e.exit_code(), e.to_string())))?;
            Target::Spawn(cmd)
        }
    };
    let opts = Options {
        follow: !args.no_follow,
        decode: DecodeOptions {
            string_limit: args.string_limit,
            fd_paths: args.fd_paths,
            verbose: args.verbose,
        },
        selection: selection.unwrap_or_else(Selection::all),
        status,
        seccomp: !args.no_seccomp,
        count_only: args.count,
    };
    let text = TextOptions {
        timestamps: match args.timestamps {
            0 => Timestamps::None,
            1 => Timestamps::Seconds,
            2 => Timestamps::Micros,
            _ => Timestamps::Epoch,
        },
        durations: args.durations,
        always_pid: false,
        utc_offset_s: utc_offset(),
    };
    Ok(Plan {
        target,
        opts,
        text,
        count: args.count,
        json: args.json,
    })
}

fn utc_offset() -> i64 {
    // SAFETY: time(NULL) has no pointer arguments; localtime_r writes into `tm`, a live local.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return 0;
        }
        tm.tm_gmtoff
    }
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

pub fn run(args: &TraceArgs) -> Result<ExitCode> {
    let plan = plan(args)?;
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path)
                .with_context(|| format!("cannot create output file {}", path.display()))?,
        ),
        None => Box::new(io::stderr()),
    };
    let out = BufWriter::with_capacity(64 * 1024, out);
    install_signal_handlers();

    let mut count = CountSummary::new();
    let mut text;
    let mut json;
    let sink: &mut dyn Sink = if plan.count {
        &mut count
    } else if plan.json {
        json = JsonPrinter::new(out);
        &mut json
    } else {
        text = TextPrinter::new(out, plan.text);
        &mut text
    };
    let tracer = Tracer::new(plan.opts, sink);
    let result = match &plan.target {
        Target::Spawn(cmd) => tracer.spawn(cmd),
        Target::Attach(pids) => tracer.attach(pids),
    };
    let outcome = result.map_err(|e| {
        let code = e.exit_code();
        anyhow::Error::new(ExitWith(code, e.to_string()))
    })?;
    if plan.count {
        let mut w: Box<dyn Write> = match &args.output {
            Some(path) => Box::new(
                File::create(path)
                    .with_context(|| format!("cannot create output file {}", path.display()))?,
            ),
            None => Box::new(io::stderr()),
        };
        if plan.json {
            let rows: Vec<serde_json::Value> = count
                .rows()
                .into_iter()
                .map(|(name, r)| {
                    serde_json::json!({
                        "syscall": name,
                        "calls": r.calls,
                        "errors": r.errors,
                        "total_ns": r.total_ns,
                    })
                })
                .collect();
            writeln!(w, "{}", serde_json::to_string_pretty(&rows)?)?;
        } else {
            w.write_all(count.table().as_bytes())?;
        }
        w.flush()?;
    }
    Ok(match outcome {
        Outcome::Exited(code) => ExitCode::from(code as u8),
        Outcome::Signaled { signal, .. } => ExitCode::from(128u8.wrapping_add(signal as u8)),
        Outcome::Detached => {
            let _ = writeln!(
                io::stderr(),
                "sysgate: detached; the processes keep running"
            );
            ExitCode::SUCCESS
        }
        Outcome::Interrupted(sig) => ExitCode::from(128u8.wrapping_add(sig as u8)),
    })
}
