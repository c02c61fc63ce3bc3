//! `sysgate chaos`: runs a program once as a baseline, then once per failure class with that
//! class injected through the ptrace engine's tampering (`-e inject=`'s machinery), and
//! compares each run with the baseline: exit status, standard output, and the files the
//! program wrote. Recoverable failures (short reads and writes, EINTR, EAGAIN) must leave the
//! result unchanged; fatal ones (ENOSPC, EIO, ENOMEM, ECONNRESET) must not end in success.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value as Json, json};
use sysgate_event::{Phase, SignalEvent, Sink, SyscallEvent, TaskEvent, Value};
use sysgate_trace::filter::Selection;
use sysgate_trace::session::inject::{Action, Counter, FdKind, Injections, Rule};
use sysgate_trace::session::{Capture, Command, Outcome, Target};

use crate::args::ChaosArgs;
use crate::capture::{Backend, Plan};

/// Exit status when a mishandling was found.
const FOUND: u8 = 3;
/// Runs more calls than this many times the baseline's (plus 1,000): a retry storm.
const STORM_FACTOR: u64 = 10;

/// One failure class.
struct Class {
    name: &'static str,
    /// What it does, for the report.
    what: &'static str,
    /// The program is expected to carry on with the same result.
    recoverable: bool,
}

const CLASSES: [Class; 9] = [
    Class {
        name: "short-write",
        what: "every write moves half the bytes asked for",
        recoverable: true,
    },
    Class {
        name: "short-read",
        what: "every read returns half the bytes asked for",
        recoverable: true,
    },
    Class {
        name: "eintr",
        what: "every other read/write on a pipe, socket or terminal, and every other sleep or wait for a child, fails with EINTR",
        recoverable: true,
    },
    Class {
        name: "eagain",
        what: "every other call on a non-blocking descriptor fails with EAGAIN",
        recoverable: true,
    },
    Class {
        name: "enospc",
        what: "one write to a file fails with ENOSPC",
        recoverable: false,
    },
    Class {
        name: "eio-fsync",
        what: "one fsync/fdatasync fails with EIO",
        recoverable: false,
    },
    Class {
        name: "eio-close",
        what: "one close of a file fails with EIO",
        recoverable: false,
    },
    Class {
        name: "enomem",
        what: "the program's largest anonymous mapping fails with ENOMEM",
        recoverable: false,
    },
    Class {
        name: "econnreset",
        what: "one read or write on a socket fails with ECONNRESET",
        recoverable: false,
    },
];

/// What a run's calls told: counts of the calls each class aims at, files written, tampering.
#[derive(Default)]
struct Watch {
    cwd: PathBuf,
    calls: u64,
    /// fd → (path, regular file, opened with O_APPEND), per process.
    fds: BTreeMap<(u32, i32), (PathBuf, bool)>,
    written: BTreeMap<PathBuf, bool>,
    file_writes: u64,
    syncs: u64,
    file_closes: u64,
    socket_io: u64,
    /// Indices (1-based, among all mmap calls) of anonymous mappings of 1 MiB or more.
    big_mmaps: Vec<u64>,
    mmaps: u64,
    tampered: u64,
    first_tampered: Option<String>,
    /// Where in the program the first tampered call was made (the runs with injection
    /// capture stacks).
    first_site: Option<String>,
}

impl Watch {
    fn new() -> Watch {
        Watch {
            cwd: std::env::current_dir().unwrap_or_default(),
            ..Watch::default()
        }
    }

    fn path_arg(ev: &SyscallEvent) -> Option<String> {
        ev.decoded.iter().find_map(|v| match v {
            Value::Str { bytes, .. } => {
                Some(String::from_utf8_lossy(ev.slice(*bytes)).into_owned())
            }
            _ => None,
        })
    }
}

impl Sink for Watch {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        if ev.phase != Phase::Completed {
            return Ok(());
        }
        self.calls += 1;
        if ev.tampered != 0 {
            self.tampered += 1;
            if self.first_tampered.is_none() {
                let mut line = String::new();
                sysgate_event::render::syscall_line_into(ev, &mut line);
                self.first_tampered = Some(line);
                self.first_site = sysgate_analyze::callsite::site_label(&ev.stack);
            }
        }
        let Some(sc) = ev.syscall else {
            return Ok(());
        };
        let fd = ev.args[0] as u32 as i32;
        let key = (ev.pid, fd);
        match sc.name {
            "open" | "openat" | "creat" if !ev.is_error && ev.ret >= 0 => {
                let flags = if sc.name == "openat" {
                    ev.args[2]
                } else {
                    ev.args[1]
                };
                let Some(p) = Watch::path_arg(ev) else {
                    return Ok(());
                };
                let path = self.cwd.join(p);
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let library = name
                    .as_deref()
                    .is_some_and(|n| n.ends_with(".so") || n.contains(".so."))
                    || path == Path::new("/etc/ld.so.cache");
                let regular = !path.starts_with("/dev")
                    && !path.starts_with("/proc")
                    && !path.starts_with("/sys")
                    && !library;
                let writes = sc.name == "creat" || flags & 3 != 0;
                if writes && regular {
                    // An appended file grows on every run: not comparable.
                    let append = flags & libc::O_APPEND as u64 != 0;
                    self.written.insert(path.clone(), append);
                }
                self.fds.insert((ev.pid, ev.ret as i32), (path, regular));
            }
            "close" => {
                if self.fds.get(&key).is_some_and(|f| f.1) {
                    self.file_closes += 1;
                }
                self.fds.remove(&key);
            }
            "write" | "pwrite64" | "writev" if self.fds.get(&key).is_some_and(|f| f.1) => {
                self.file_writes += 1;
            }
            "fsync" | "fdatasync" => self.syncs += 1,
            "sendto" | "recvfrom" | "sendmsg" | "recvmsg" => self.socket_io += 1,
            "mmap" => {
                self.mmaps += 1;
                let anon = ev.args[3] & libc::MAP_ANONYMOUS as u64 != 0;
                if anon && ev.args[1] >= 1 << 20 {
                    self.big_mmaps.push(self.mmaps);
                }
            }
            _ => {}
        }
        Ok(())
    }
    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }
    fn task(&mut self, _: &TaskEvent) -> io::Result<()> {
        Ok(())
    }
}

/// What one run did.
struct RunResult {
    outcome: Outcome,
    timed_out: bool,
    stdout: Vec<u8>,
    files: BTreeMap<PathBuf, u64>,
    watch: Watch,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Runs the program once under the tracer with `inject`, its standard output captured.
fn run_once(cmd: &[OsString], inject: Injections, timeout: Duration) -> Result<RunResult> {
    // The runs with failures unwind each call's stack, to say where the program made the
    // call it mishandled.
    let capture = Capture {
        stacks: !inject.is_empty(),
        inject,
        ..Capture::default()
    };
    let plan = Plan {
        target: Target::Spawn(Command::new(&cmd[0], &cmd[1..]).map_err(|e| {
            anyhow::Error::new(crate::capture::ExitWith(e.exit_code(), e.to_string()))
        })?),
        capture,
        backend: Backend::Ptrace {
            seccomp: true,
            sandbox: None,
        },
        kill_after: Some(Duration::from_millis(200)),
    };
    // The program's standard output goes to a file sysgate compares; sysgate writes only to
    // standard error meanwhile.
    let out_file = tempfile()?;
    io::stdout().flush()?;
    // SAFETY: dup/dup2 on descriptors this process owns; fd 1 is restored below.
    let saved = unsafe { libc::dup(1) };
    if saved < 0 {
        bail!(
            "cannot save standard output: {}",
            io::Error::last_os_error()
        );
    }
    // SAFETY: as above.
    unsafe { libc::dup2(out_file.as_raw_fd(), 1) };
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    // SAFETY: pthread_self has no arguments.
    let tracer_thread = unsafe { libc::pthread_self() };
    let timed_out = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = timed_out.clone();
    let watchdog = std::thread::spawn(move || {
        if stop_rx.recv_timeout(timeout).is_err() {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
            // Two signals: the first is passed to the program, the second kills it at once.
            for _ in 0..2 {
                // SAFETY: the tracer thread is alive until it sends on the channel.
                unsafe { libc::pthread_kill(tracer_thread, libc::SIGTERM) };
                if stop_rx.recv_timeout(Duration::from_millis(300)).is_ok() {
                    break;
                }
            }
        }
    });
    let mut watch = Watch::new();
    let result = crate::capture::run(plan, &mut watch);
    let _ = stop_tx.send(());
    let _ = watchdog.join();
    // SAFETY: restores the saved standard output.
    unsafe {
        libc::dup2(saved, 1);
        libc::close(saved);
    }
    let outcome = result?;
    let stdout = std::fs::read(out_file.path()).unwrap_or_default();
    let mut files = BTreeMap::new();
    for (path, append) in &watch.written {
        if !append && let Ok(bytes) = std::fs::read(path) {
            files.insert(path.clone(), hash(&bytes));
        }
    }
    Ok(RunResult {
        outcome,
        timed_out: timed_out.load(std::sync::atomic::Ordering::SeqCst),
        stdout,
        files,
        watch,
    })
}

/// A file removed when dropped.
struct Temp {
    file: std::fs::File,
    path: PathBuf,
}

impl Temp {
    fn path(&self) -> &Path {
        &self.path
    }
    fn as_raw_fd(&self) -> i32 {
        self.file.as_raw_fd()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn tempfile() -> Result<Temp> {
    let path = std::env::temp_dir().join(format!(
        "sysgate-chaos-{}-{:016x}",
        std::process::id(),
        rand_u64()
    ));
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    Ok(Temp { file, path })
}

fn rand_u64() -> u64 {
    let mut b = [0u8; 8];
    let _ = std::fs::File::open("/dev/urandom").and_then(|mut f| {
        use std::io::Read;
        f.read_exact(&mut b)
    });
    u64::from_le_bytes(b)
}

/// A deterministic position in 1..=n for run `k` of a class under `seed`.
fn position(seed: u64, class: &str, k: u32, n: u64) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (seed, class, k).hash(&mut h);
    1 + h.finish() % n.max(1)
}

fn rule(calls: &str, fd: Option<FdKind>, action: Action, when: &str) -> Rule {
    Rule {
        set: Selection::parse(calls).expect("built-in selection"),
        fd_kind: fd,
        action,
        when: Counter::parse(when).expect("built-in when"),
    }
}

fn error(e: i32) -> Action {
    Action {
        error: Some(e as u16),
        ..Action::default()
    }
}

/// The injections of run `k` of `class`, or None when the baseline never made the calls it
/// aims at.
fn injections(class: &str, base: &Watch, seed: u64, k: u32) -> Option<(Injections, String)> {
    let mut inj = Injections::default();
    let at = |n: u64| position(seed, class, k, n);
    let desc = match class {
        "short-write" => {
            let a = Action {
                shrink: Some(2),
                ..Action::default()
            };
            inj.push(rule("write,pwrite64", Some(FdKind::Data), a, "1+"));
            "every write halved".to_string()
        }
        "short-read" => {
            let a = Action {
                shrink: Some(2),
                ..Action::default()
            };
            inj.push(rule("read,pread64,recvfrom", Some(FdKind::Data), a, "1+"));
            "every read halved".to_string()
        }
        "eintr" => {
            inj.push(rule(
                "read,write,readv,writev,recvfrom,sendto,recvmsg,sendmsg,accept,accept4,connect",
                Some(FdKind::Blocking),
                error(libc::EINTR),
                "1+2",
            ));
            // Sleeps and waits for children block for sure; a poll may have a zero timeout,
            // which no signal interrupts, so polls are left alone.
            inj.push(rule(
                "nanosleep,clock_nanosleep,wait4",
                None,
                error(libc::EINTR),
                "1+2",
            ));
            "EINTR on every other blocking call".to_string()
        }
        "eagain" => {
            inj.push(rule(
                "read,write,recvfrom,sendto,recvmsg,sendmsg,accept,accept4",
                Some(FdKind::NonBlocking),
                error(libc::EAGAIN),
                "1+2",
            ));
            "EAGAIN on every other non-blocking call".to_string()
        }
        "enospc" => {
            if base.file_writes == 0 {
                return None;
            }
            let n = at(base.file_writes);
            inj.push(rule(
                "write,pwrite64,writev",
                Some(FdKind::File),
                error(libc::ENOSPC),
                &n.to_string(),
            ));
            format!("ENOSPC on write to a file #{n} of {}", base.file_writes)
        }
        "eio-fsync" => {
            if base.syncs == 0 {
                return None;
            }
            let n = at(base.syncs);
            inj.push(rule(
                "fsync,fdatasync",
                None,
                error(libc::EIO),
                &n.to_string(),
            ));
            format!("EIO on flush #{n} of {}", base.syncs)
        }
        "eio-close" => {
            if base.file_closes == 0 {
                return None;
            }
            let n = at(base.file_closes);
            inj.push(rule(
                "close",
                Some(FdKind::File),
                error(libc::EIO),
                &n.to_string(),
            ));
            format!("EIO on close of a file #{n} of {}", base.file_closes)
        }
        "enomem" => {
            let i = *base.big_mmaps.last()?;
            inj.push(rule("mmap", None, error(libc::ENOMEM), &i.to_string()));
            format!("ENOMEM on mmap #{i} (an anonymous mapping of 1 MiB or more)")
        }
        "econnreset" => {
            if base.socket_io == 0 {
                return None;
            }
            let n = at(base.socket_io);
            inj.push(rule(
                "read,write,recvfrom,sendto,recvmsg,sendmsg",
                Some(FdKind::Socket),
                error(libc::ECONNRESET),
                &n.to_string(),
            ));
            format!("ECONNRESET on socket I/O #{n}")
        }
        _ => return None,
    };
    Some((inj, desc))
}

fn describe(o: Outcome) -> String {
    match o {
        Outcome::Exited(c) => format!("exit status {c}"),
        Outcome::Signaled { signal, core } => {
            let name = sysgate_kb::symbols::signal_name(signal).unwrap_or("SIG?");
            format!(
                "killed by {name}{}",
                if core { " (core dumped)" } else { "" }
            )
        }
        Outcome::Interrupted(s) => format!("stopped by sysgate (signal {s})"),
        Outcome::Detached => "detached".into(),
    }
}

/// What differs between the baseline and a run: standard output, files.
fn differences(base: &RunResult, run: &RunResult) -> Vec<String> {
    let mut d = Vec::new();
    if base.stdout != run.stdout {
        d.push(format!(
            "standard output differs ({} bytes instead of {})",
            run.stdout.len(),
            base.stdout.len()
        ));
    }
    for (path, h) in &base.files {
        match run.files.get(path) {
            Some(x) if x == h => {}
            Some(_) => d.push(format!("{} differs", path.display())),
            None if run.watch.written.contains_key(path) => {
                d.push(format!("{} is missing", path.display()))
            }
            None => {}
        }
    }
    d
}

/// Judges one run against the baseline: `Some((kind, why))` when it was mishandled.
fn judge(class: &Class, base: &RunResult, run: &RunResult) -> Option<(&'static str, String)> {
    if run.timed_out {
        return Some(("hang", "the run did not end within --timeout".into()));
    }
    if let Outcome::Signaled { .. } = run.outcome {
        return Some(("crash", describe(run.outcome)));
    }
    if run.watch.calls > base.watch.calls * STORM_FACTOR + 1000 {
        return Some((
            "retry-storm",
            format!(
                "{} calls instead of the baseline's {}",
                run.watch.calls, base.watch.calls
            ),
        ));
    }
    let diffs = differences(base, run);
    let same_exit = std::mem::discriminant(&run.outcome) == std::mem::discriminant(&base.outcome)
        && describe(run.outcome) == describe(base.outcome);
    if class.recoverable {
        if !same_exit {
            return Some((
                "gave-up",
                format!(
                    "{} instead of {} on a condition a retry handles",
                    describe(run.outcome),
                    describe(base.outcome)
                ),
            ));
        }
        if !diffs.is_empty() {
            return Some(("silent-data-loss", diffs.join("; ")));
        }
        return None;
    }
    if matches!(run.outcome, Outcome::Exited(0)) {
        let mut why = "the program exited 0 after the failure".to_string();
        if !diffs.is_empty() {
            why.push_str(&format!(" and {}", diffs.join("; ")));
        }
        return Some(("ignored-error", why));
    }
    None
}

pub fn run(args: &ChaosArgs) -> Result<ExitCode> {
    let timeout = sysgate_trace::session::relay::parse_duration(&args.timeout)
        .filter(|d| !d.is_zero())
        .with_context(|| {
            format!(
                "--timeout {}: use a duration like 30s or 500ms",
                args.timeout
            )
        })?;
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let wanted: Vec<&Class> = if args.classes.is_empty() {
        CLASSES.iter().collect()
    } else {
        let mut v = Vec::new();
        for c in &args.classes {
            let class = CLASSES
                .iter()
                .find(|x| x.name == c.trim())
                .with_context(|| {
                    let names: Vec<&str> = CLASSES.iter().map(|c| c.name).collect();
                    format!("--classes: `{c}` is not one of {}", names.join(", "))
                })?;
            v.push(class);
        }
        v
    };
    // A command that cannot run is an error before anything starts.
    Command::new(&args.command[0], &args.command[1..])
        .map_err(|e| anyhow::Error::new(crate::capture::ExitWith(e.exit_code(), e.to_string())))?;
    say!("sysgate chaos: baseline run");
    let base = run_once(&args.command, Injections::default(), timeout)?;
    if base.timed_out {
        bail!(
            "the baseline run did not end within --timeout {}",
            args.timeout
        );
    }
    let mut report: Vec<Json> = Vec::new();
    let mut found = 0;
    for class in wanted {
        let tries = if class.recoverable { 1 } else { args.runs };
        for k in 0..tries {
            let Some((inj, injection)) = injections(class.name, &base.watch, args.seed, k) else {
                say!(
                    "sysgate chaos: {}: not exercised (the baseline made no such call)",
                    class.name
                );
                report.push(json!({"class": class.name, "result": "not-exercised"}));
                break;
            };
            say_partial!("sysgate chaos: {}: {injection} … ", class.name);
            let started = Instant::now();
            let r = run_once(&args.command, inj, timeout)?;
            let secs = started.elapsed().as_secs_f64();
            if r.watch.tampered == 0 {
                say!("not exercised ({secs:.1} s)");
                report.push(
                    json!({"class": class.name, "injection": injection, "result": "not-exercised"}),
                );
                continue;
            }
            match judge(class, &base, &r) {
                Some((kind, why)) => {
                    found += 1;
                    say!("{kind} ({secs:.1} s)");
                    report.push(json!({
                        "class": class.name, "what": class.what, "injection": injection,
                        "result": "finding", "kind": kind, "why": why,
                        "outcome": describe(r.outcome), "baseline": describe(base.outcome),
                        "tampered_calls": r.watch.tampered, "first_tampered": r.watch.first_tampered,
                        "site": r.watch.first_site,
                    }));
                }
                None => {
                    say!("handled ({secs:.1} s)");
                    report.push(json!({
                        "class": class.name, "injection": injection, "result": "handled",
                        "outcome": describe(r.outcome), "tampered_calls": r.watch.tampered,
                    }));
                }
            }
        }
    }
    let mut out = io::stdout().lock();
    if args.json {
        let doc = json!({
            "version": 1,
            "command": args.command.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>(),
            "seed": args.seed,
            "baseline": {"outcome": describe(base.outcome), "calls": base.watch.calls,
                          "stdout_bytes": base.stdout.len(), "files": base.files.len()},
            "classes": report,
            "findings": found,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        writeln!(
            out,
            "sysgate chaos: {found} mishandling{} in {} runs after a baseline that ended with {} ({} calls)",
            if found == 1 { "" } else { "s" },
            report.len(),
            describe(base.outcome),
            base.watch.calls
        )?;
        for r in &report {
            if r["result"] != "finding" {
                continue;
            }
            writeln!(
                out,
                "\n{} [{}]: {}\n   injected: {}\n   result: {} (baseline: {})\n   first tampered call: {}",
                r["kind"].as_str().unwrap_or_default().to_uppercase(),
                r["class"].as_str().unwrap_or_default(),
                r["why"].as_str().unwrap_or_default(),
                r["injection"].as_str().unwrap_or_default(),
                r["outcome"].as_str().unwrap_or_default(),
                r["baseline"].as_str().unwrap_or_default(),
                r["first_tampered"].as_str().unwrap_or("?")
            )?;
            if let Some(site) = r["site"].as_str() {
                writeln!(out, "   where: {site}")?;
            }
        }
    }
    out.flush()?;
    Ok(if found > 0 {
        ExitCode::from(FOUND)
    } else {
        ExitCode::SUCCESS
    })
}
