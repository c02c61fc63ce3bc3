//! The capture options shared by `trace`, `record` and `summary`: validate them into an engine
//! plan, run the engine into a sink, and map the outcome to an exit status.

use std::ffi::OsString;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_event::{HexStrings, Sink, Xlat};
use sysgate_trace::decode::DecodeOptions;
use sysgate_trace::decode::dump::FdSet;
use sysgate_trace::ebpf;
use sysgate_trace::filter::Selection;
use sysgate_trace::ptrace::Sandbox;
use sysgate_trace::ptrace::{Options, Tracer};
use sysgate_trace::session::inject::{Injections, Rule};
use sysgate_trace::session::{Capture, Command, Outcome, StatusFilter, Target};

use crate::args::{BackendArg, CaptureArgs};

/// A failure that maps to a specific exit status (127, 126).
#[derive(Debug)]
pub struct ExitWith(pub u8, pub String);

impl std::fmt::Display for ExitWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1)
    }
}

impl std::error::Error for ExitWith {}

/// A short description of `target` for file headers and messages: the command line or
/// `-p PID,…`.
pub fn describe(target: &Target, command: &[OsString]) -> Vec<String> {
    match target {
        Target::Spawn(_) => command
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
        Target::Attach(pids) => {
            let list: Vec<String> = pids.iter().map(u32::to_string).collect();
            vec!["-p".into(), list.join(",")]
        }
        Target::Watch => vec!["--watch".into()],
    }
}

/// The engine a plan runs on, with its own options.
pub enum Backend {
    /// ptrace: `seccomp` lets a filter skip unselected calls; `sandbox` confines (`run`).
    Ptrace {
        /// Let the kernel skip unselected syscalls with a seccomp filter.
        seccomp: bool,
        /// Run under a profile instead of tracing.
        sandbox: Option<Sandbox>,
    },
    /// eBPF: the scope, the ring buffer, and whether the kernel aggregates or streams.
    Ebpf {
        /// Which tasks.
        scope: ebpf::Scope,
        /// Ring buffer size in bytes.
        buffer: u32,
        /// Keep statistics in the kernel.
        aggregate: bool,
        /// Stream call records.
        stream: bool,
    },
}

/// A validated capture: one option set, one target, one backend.
pub struct Plan {
    pub target: Target,
    pub capture: Capture,
    pub backend: Backend,
    /// Kill the program this long after it was asked to stop (`--kill-after`).
    pub kill_after: Option<std::time::Duration>,
}

impl Plan {
    /// The backend's name, for file headers.
    pub fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Ptrace { .. } => "ptrace",
            Backend::Ebpf { .. } => "ebpf",
        }
    }

    /// Whether the eBPF engine runs it.
    pub fn is_ebpf(&self) -> bool {
        matches!(self.backend, Backend::Ebpf { .. })
    }
}

/// `16M`, `512K`, `1G`, `65536`.
fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last()? {
        (i, 'k' | 'K') => (&s[..i], 1u64 << 10),
        (i, 'm' | 'M') => (&s[..i], 1 << 20),
        (i, 'g' | 'G') => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    num.trim().parse::<u64>().ok()?.checked_mul(mult)
}

/// Picks the backend: `ptrace`, `ebpf`, or `auto` (ebpf when permitted, saying why).
fn choose_backend(args: &CaptureArgs) -> Result<bool> {
    let ebpf_only =
        args.cgroup.is_some() || args.all || args.comm.is_some() || args.buffer.is_some();
    match args.backend {
        BackendArg::Ptrace if ebpf_only => {
            bail!("--cgroup, --all, --comm and --buffer need the eBPF backend: add --backend ebpf")
        }
        BackendArg::Ptrace => Ok(false),
        BackendArg::Ebpf => match ebpf::permitted() {
            Ok(_) => Ok(true),
            Err(why) => bail!("cannot use the eBPF backend: {why}; or use --backend ptrace"),
        },
        BackendArg::Auto => match ebpf::permitted() {
            Ok(why) => {
                say!("sysgate: backend ebpf ({why})");
                Ok(true)
            }
            Err(why) if ebpf_only => bail!("cannot use the eBPF backend: {why}"),
            Err(why) => {
                say!("sysgate: backend ptrace ({why})");
                Ok(false)
            }
        },
    }
}

/// Turns the options into a plan, or one clear error, before anything is started.
pub fn plan(args: &CaptureArgs, command: &[OsString], count_only: bool) -> Result<Plan> {
    if let Some(which) = &args.container {
        let mut with_cgroup = args.clone();
        let cgroup = crate::container::cgroup_of(which, None)?;
        say!("sysgate: container {which}: cgroup {}", cgroup.display());
        with_cgroup.cgroup = Some(cgroup);
        with_cgroup.container = None;
        return plan(&with_cgroup, command, count_only);
    }
    let mut selection = None;
    let mut status = StatusFilter::ALL;
    let mut signals = u64::MAX;
    let long_forms = args
        .trace_set
        .iter()
        .map(|v| format!("trace={v}"))
        .chain(args.status_set.iter().map(|v| format!("status={v}")))
        .chain(args.signal_set.iter().map(|v| format!("signal={v}")))
        .chain(args.read_set.iter().map(|v| format!("read={v}")))
        .chain(args.write_set.iter().map(|v| format!("write={v}")))
        .chain(args.inject_set.iter().map(|v| format!("inject={v}")))
        .chain(args.fault_set.iter().map(|v| format!("fault={v}")));
    let mut inject = Injections::default();
    let mut decode_fds = args.decode_fds.clone();
    let mut decode_pids = args.decode_pids.clone();
    let mut verbose_set = None;
    let mut dump_read = None;
    let mut dump_write = None;
    let exprs: Vec<String> = args.expr.iter().cloned().chain(long_forms).collect();
    for e in &exprs {
        let (key, value) = match e.split_once('=') {
            Some((k, v)) => (k, v),
            None => ("trace", e.as_str()),
        };
        match key {
            "trace" | "t" => {
                selection = Some(Selection::parse(value).with_context(|| format!("in `-e {e}`"))?);
            }
            "status" => {
                status = StatusFilter::parse(value)
                    .map_err(|why| anyhow::anyhow!("`-e status={value}`: {why}"))?;
            }
            "signal" | "signals" | "s" => {
                signals = signal_set(value).with_context(|| format!("in `-e {e}`"))?
            }
            "read" | "reads" | "r" | "write" | "writes" | "w" => {
                let set = FdSet::parse(value).map_err(|why| anyhow::anyhow!("`-e {e}`: {why}"))?;
                let set = (!set.is_empty()).then(|| &*Box::leak(Box::new(set)));
                if key.starts_with('r') {
                    dump_read = set;
                } else {
                    dump_write = set;
                }
            }
            "decode-fds" | "decode-fd" => decode_fds = Some(value.to_string()),
            "decode-pids" | "decode-pid" => decode_pids = Some(value.to_string()),
            "verbose" | "v" => {
                let set = Selection::parse(value).with_context(|| format!("in `-e {e}`"))?;
                verbose_set = (!set.is_all()).then(|| &*Box::leak(Box::new(set)));
            }
            "inject" | "fault" => {
                inject
                    .push(Rule::parse(value, key == "fault").map_err(|why| anyhow::anyhow!(why))?);
            }
            other => {
                bail!(
                    "`-e {other}=…` is not supported; sysgate understands `trace=`, `status=`, `signal=`, `read=`, `write=`, `inject=`, `fault=`, `verbose=`, `decode-fds=` and `decode-pids=`"
                )
            }
        }
    }
    if args.failed_only && args.successful_only {
        bail!("-Z (failed only) and -z (successful only) exclude each other");
    }
    if args.failed_only {
        status = StatusFilter::FAILED;
    }
    if args.successful_only {
        status = StatusFilter::SUCCESSFUL;
    }
    if args.no_follow && args.follow > 0 {
        bail!("--no-follow contradicts -f");
    }
    let dumps = dump_read.is_some() || dump_write.is_some();
    let needs_ptrace = if !inject.is_empty() {
        Some("`-e inject=`/`-e fault=` change the program's registers and memory")
    } else if dumps {
        Some("`-e read=`/`-e write=` read the program's buffers")
    } else {
        None
    };
    if let Some(why) = needs_ptrace
        && matches!(args.backend, BackendArg::Ebpf)
    {
        bail!("{why}, which needs --backend ptrace");
    }
    let use_ebpf = match needs_ptrace {
        Some(why) if matches!(args.backend, BackendArg::Auto) => {
            say!("sysgate: backend ptrace ({why})");
            false
        }
        _ => choose_backend(args)?,
    };
    let wide = args.cgroup.is_some() || args.all;
    if args.cgroup.is_some() && args.all {
        bail!("--cgroup and --all exclude each other");
    }
    if args.comm.is_some() && !args.all {
        bail!("--comm filters --all: add --all");
    }
    if wide && !args.pids.is_empty() {
        bail!("-p watches a process tree; --cgroup and --all choose other scopes: give one");
    }
    let target = match (args.pids.is_empty(), command.is_empty()) {
        (true, true) if wide => Target::Watch,
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
    let xlat = Xlat::from(args.xlat);
    if args.fd_paths > 2 {
        bail!("-y can be given at most twice (-yy)");
    }
    // path, socket, dev, pidfd
    let mut fds = match args.fd_paths {
        0 => [false; 4],
        1 => [true, false, false, false],
        _ => [true; 4],
    };
    if let Some(set) = &decode_fds {
        fds = decode_fd_set(set)?;
    }
    let pid_comm = match decode_pids.as_deref() {
        None => args.pid_comm,
        Some("comm" | "all") => true,
        Some("none") => false,
        Some(other) => bail!(
            "--decode-pids={other}: sysgate knows comm (the process's command) and none; ids are shown as the traced program sees them"
        ),
    };
    let hex = match (args.strings_in_hex.as_deref(), args.hex) {
        (Some("none"), _) => HexStrings::None,
        (Some("non-ascii-chars"), _) => HexStrings::NonAsciiChars,
        (Some("non-ascii"), _) => HexStrings::NonAscii,
        (Some("all"), _) => HexStrings::All,
        (Some(other), _) => {
            bail!("--strings-in-hex={other}: use none, non-ascii-chars, non-ascii or all")
        }
        (None, 0) => HexStrings::None,
        (None, 1) => HexStrings::NonAscii,
        (None, _) => HexStrings::All,
    };
    let capture = Capture {
        follow: !args.no_follow,
        decode: DecodeOptions {
            string_limit: args.string_limit,
            fd_paths: fds[0],
            fd_endpoints: fds[1],
            fd_devices: fds[2],
            fd_pidfds: fds[3],
            pid_comm,
            verbose_set,
            verbose: args.verbose,
            xlat,
            hex,
            dump_read,
            dump_write,
        },
        selection: selection.unwrap_or_else(Selection::all),
        status,
        count_only,
        signals,
        stacks: args.stack_traces,
        debug_dirs: args.debug_dirs.clone(),
        inject,
        paths: args
            .trace_paths
            .iter()
            .flat_map(|p| {
                // The path as given, and where it leads.
                let mut both = vec![p.clone()];
                both.extend(std::fs::canonicalize(p).ok());
                both
            })
            .collect(),
    };
    let backend = if use_ebpf {
        let buffer = match &args.buffer {
            Some(s) => {
                let n = parse_size(s)
                    .filter(|&n| n > 0)
                    .with_context(|| format!("--buffer {s}: give a size such as 64K, 16M or 1G"))?;
                ebpf::buffer_size(n)
            }
            None => ebpf::DEFAULT_BUFFER,
        };
        let scope = match (&args.cgroup, args.all) {
            (Some(path), _) => ebpf::Scope::Cgroup(path.clone()),
            (None, true) => ebpf::Scope::All {
                comm: args.comm.clone(),
            },
            (None, false) => ebpf::Scope::Tree,
        };
        Backend::Ebpf {
            scope,
            buffer,
            aggregate: false,
            stream: true,
        }
    } else {
        Backend::Ptrace {
            seccomp: !args.no_seccomp,
            sandbox: None,
        }
    };
    let kill_after = kill_after(args.kill_after.as_deref())?;
    Ok(Plan {
        target,
        capture,
        backend,
        kill_after,
    })
}

/// `-e signal=SET`: `all`, `none`, or names and numbers (`SIGINT`, `INT`, `2`), with a
/// leading `!` for all but those. Bit N stands for signal N.
fn signal_set(value: &str) -> Result<u64> {
    let (negate, list) = match value.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let mut mask = 0u64;
    for item in list.split(',').map(str::trim) {
        match item {
            "all" => mask = u64::MAX,
            "none" => {}
            _ => {
                let n = item
                    .parse::<i32>()
                    .ok()
                    .or_else(|| sysgate_kb::symbols::signal_by_name(item))
                    .filter(|n| (1..64).contains(n))
                    .with_context(|| format!("`{item}` is not a signal"))?;
                mask |= 1 << n;
            }
        }
    }
    Ok(if negate { !mask } else { mask })
}

/// `--decode-fds=SET`: which of path, socket, dev, pidfd to show (`all`, `none`, `!` negates).
fn decode_fd_set(value: &str) -> Result<[bool; 4]> {
    let (negate, list) = match value.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let mut set = [false; 4];
    for item in list.split(',').map(str::trim) {
        match item {
            "all" => set = [true; 4],
            "none" => {}
            "path" => set[0] = true,
            "socket" => set[1] = true,
            "dev" => set[2] = true,
            "pidfd" => set[3] = true,
            other => bail!(
                "--decode-fds={value}: `{other}` is not one of path, socket, dev, pidfd, all, none"
            ),
        }
    }
    if negate {
        set = set.map(|b| !b);
    }
    Ok(set)
}

/// `--kill-after DURATION`.
pub fn kill_after(arg: Option<&str>) -> Result<Option<std::time::Duration>> {
    arg.map(|s| {
        sysgate_trace::session::relay::parse_duration(s).ok_or_else(|| {
            anyhow::anyhow!("--kill-after {s}: use a duration like 10s, 500ms or 2m")
        })
    })
    .transpose()
}

pub(crate) fn trace_error(e: sysgate_trace::Error) -> anyhow::Error {
    let code = e.exit_code();
    anyhow::Error::new(ExitWith(code, e.to_string()))
}

/// Refuses `-e read=`/`-e write=` for commands that keep no text trace to dump into.
pub fn refuse_dumps(plan: &Plan, what: &str) -> Result<()> {
    let d = &plan.capture.decode;
    if d.dump_read.is_some() || d.dump_write.is_some() {
        bail!(
            "`-e read=`/`-e write=` add hex dumps to `sysgate trace`'s output; {what} does not keep the data"
        );
    }
    Ok(())
}

/// Refuses `-e inject=`/`-e fault=` for commands whose output would not show which calls were
/// tampered with.
pub fn refuse_inject(plan: &Plan, what: &str) -> Result<()> {
    if !plan.capture.inject.is_empty() {
        bail!(
            "`-e inject=`/`-e fault=` work with `sysgate trace` (text or --json, where tampered calls are marked); {what} would not mark them"
        );
    }
    Ok(())
}

/// Runs the plan into `sink` and returns how the program ended.
pub fn run(plan: Plan, sink: &mut dyn Sink) -> Result<Outcome> {
    run_timed(plan, sink).map(|(outcome, _)| outcome)
}

/// [`run`], also returning how long the eBPF backend took to load and attach its program.
pub fn run_timed(plan: Plan, sink: &mut dyn Sink) -> Result<(Outcome, Option<ebpf::Startup>)> {
    sysgate_trace::session::relay::install(
        plan.kill_after,
        matches!(plan.target, Target::Spawn(_)),
    );
    match plan.backend {
        Backend::Ebpf {
            scope,
            buffer,
            aggregate,
            stream,
        } => {
            let opts = ebpf::Options {
                capture: plan.capture,
                scope,
                aggregate,
                stream,
                timed: true,
                buffer,
            };
            run_ebpf(&opts, &plan.target, sink).map(|r| (r.outcome, Some(r.startup)))
        }
        Backend::Ptrace { seccomp, sandbox } => {
            let opts = Options {
                capture: plan.capture,
                seccomp,
                sandbox,
            };
            let outcome = Tracer::new(opts, sink)
                .trace(&plan.target)
                .map_err(trace_error)?;
            Ok((outcome, None))
        }
    }
}

/// Runs an eBPF session and reports what the kernel could not deliver.
fn run_ebpf(opts: &ebpf::Options, target: &Target, sink: &mut dyn Sink) -> Result<ebpf::Report> {
    if matches!(target, Target::Watch) {
        say!("sysgate: watching until Ctrl-C");
    }
    let report = ebpf::run(opts, target, sink).map_err(trace_error)?;
    report_loss(&report.loss, opts.buffer);
    Ok(report)
}

pub(crate) fn report_loss(loss: &ebpf::Loss, buffer: u32) {
    let size = human_bytes(u64::from(buffer));
    let lines = [
        (
            loss.events,
            format!("events lost (the ring buffer was full); increase --buffer (now {size})"),
        ),
        (
            loss.memory,
            format!(
                "argument captures lost (those paths and buffers show as addresses); increase --buffer (now {size})"
            ),
        ),
        (
            loss.inflight,
            "calls not timed (their thread found no free in-flight slot among 16384)".to_string(),
        ),
        (
            loss.stats,
            "calls not counted (more than 16384 process/syscall pairs)".to_string(),
        ),
        (
            loss.tree,
            "child processes not followed (more than 65536 processes in the tree)".to_string(),
        ),
    ];
    for (n, what) in lines {
        if n > 0 {
            say!("sysgate: {n} {what}");
        }
    }
}

/// Runs the plan for a statistics-only consumer: with eBPF, the kernel aggregates and
/// nothing is streamed (`timed` false: counts only, at the cost of the bare tracepoints);
/// with ptrace, `summary` reads the events.
pub fn run_counting(
    plan: Plan,
    summary: &mut sysgate_analyze::summary::Summary,
    timed: bool,
) -> Result<Outcome> {
    let Backend::Ebpf { scope, buffer, .. } = plan.backend else {
        return run(plan, summary);
    };
    sysgate_trace::session::relay::install(
        plan.kill_after,
        matches!(plan.target, Target::Spawn(_)),
    );
    let opts = ebpf::Options {
        capture: plan.capture,
        scope,
        aggregate: true,
        stream: false,
        timed,
        buffer,
    };
    let report = run_ebpf(&opts, &plan.target, summary)?;
    let arch = sysgate_kb::Arch::native();
    for r in &report.stats {
        summary.add_aggregate(
            arch,
            sysgate_analyze::summary::Aggregate {
                pid: r.pid,
                nr: r.nr,
                calls: r.count,
                errors: r.errors,
                total_ns: r.total_ns,
                max_ns: r.max_ns,
                log2_hist: &r.hist,
            },
        );
    }
    Ok(report.outcome)
}

/// The exit status sysgate passes on: the program's, 128+N for a signal.
pub fn exit_code(outcome: Outcome) -> ExitCode {
    match outcome {
        Outcome::Exited(code) => ExitCode::from(code as u8),
        Outcome::Signaled { signal, .. } => ExitCode::from(128u8.wrapping_add(signal as u8)),
        Outcome::Detached => {
            say!("sysgate: detached; the processes keep running");
            ExitCode::SUCCESS
        }
        Outcome::Interrupted(sig) => ExitCode::from(128u8.wrapping_add(sig as u8)),
    }
}

/// Opens a recording.
pub fn open_trace(path: &std::path::Path) -> Result<sysgate_event::sgt::Reader<std::fs::File>> {
    Ok(sysgate_event::sgt::Reader::open(path)?)
}

/// Recordings from this size on are decoded on a thread of their own when a core is free.
const PIPELINE_BYTES: u64 = 4 << 20;

/// Feeds `sink` from the recording at `path`, naming its stacks again where files of the same
/// builds are found here (in `debug_dirs`, then the system's). A recording cut short is said
/// so, with `verb` saying what was done with the events before the cut ("using", "exported").
pub fn replay(
    path: &std::path::Path,
    debug_dirs: &[std::path::PathBuf],
    sink: &mut dyn Sink,
    verb: &str,
) -> Result<sysgate_event::sgt::ReplayStats> {
    let mut reader = open_trace(path)?;
    let mut renaming = sysgate_stack::Renaming::new(sink, debug_dirs.to_vec());
    // Decoding on a second thread pays for starting it from a few hundred thousand events on.
    let long = std::fs::metadata(path).is_ok_and(|m| m.len() >= PIPELINE_BYTES);
    let spare_core = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let stats = if long && spare_core {
        reader.replay_pipelined(&mut renaming)?
    } else {
        reader.replay(&mut renaming)?
    };
    if let Some(at) = stats.truncated_at {
        say!(
            "sysgate: {} ends at byte {at} without its footer (the recording was cut short); {verb} the {} events before it",
            path.display(),
            stats.events
        );
    }
    Ok(stats)
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
            replay(path, &capture.debug_dirs, sink, "using")?;
            Ok(ExitCode::SUCCESS)
        }
        (None, false) => {
            let plan = plan(capture, command, false)?;
            refuse_dumps(&plan, "this command")?;
            refuse_inject(&plan, "this command")?;
            Ok(exit_code(run(plan, sink)?))
        }
    }
}

/// `1.2 MiB`.
pub fn human_bytes(b: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < units.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", units[u])
    }
}
