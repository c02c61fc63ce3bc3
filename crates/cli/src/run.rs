//! `sysgate run`: a program confined by a seccomp profile, every refused call reported.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_event::{
    SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent, Value, Verdict, json, render,
};
use sysgate_kb::Arch;
use sysgate_seccomp::compile::{self, Mode};
use sysgate_seccomp::harden::{CROSS_PROCESS, WATCHED, harden, watch};
use sysgate_seccomp::landlock::{Access, Layer, Need, absolute, companion_path};
use sysgate_seccomp::profile::Profile;
use sysgate_trace::ptrace::Sandbox;
use sysgate_trace::session::{Capture, Command, Target};

use crate::args::RunArgs;
use crate::capture::{self, Backend, ExitWith, Plan};

/// Prints violations as they happen, logs them, and counts them for `--summary`.
struct Reporter {
    log: Option<BufWriter<File>>,
    counts: BTreeMap<(String, &'static str), u64>,
    /// The Landlock layer, when it has rules to report against.
    layer: Option<Layer>,
    /// Learn mode: the layer is not applied; calls outside it are reported as they run.
    learn: bool,
    /// Where `sysgate run` started (the program's first working directory).
    cwd: PathBuf,
    /// Processes and threads of the sandbox.
    inside: std::collections::HashSet<u32>,
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A rule-style path of process `pid` made absolute with symlinks followed as far as it exists.
fn resolve_for(pid: u32, path: &str, fallback: &Path) -> PathBuf {
    let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_else(|_| fallback.into());
    let abs = absolute(Path::new(path), &cwd);
    if let Ok(p) = std::fs::canonicalize(&abs) {
        return p;
    }
    // Not there (yet): resolve the directory and keep the name.
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(abs.clone()),
        _ => abs,
    }
}

impl Reporter {
    /// For a refused call that reaches another process: the target, when it is not one of the
    /// sandbox's own processes.
    fn outside_target(&self, ev: &SyscallEvent) -> Option<u32> {
        let refused = [libc::EPERM, libc::EACCES]
            .iter()
            .any(|&e| ev.ret == -i64::from(e));
        if !ev.is_error || !refused {
            return None;
        }
        let arg = match ev.syscall?.name {
            // `/proc/PID/mem`, `/proc/PID/environ`…: ptrace-class access to another process.
            "open" | "openat" => {
                let i = usize::from(ev.syscall?.name == "openat");
                let Some(Value::Str { bytes, .. }) = ev.decoded.get(i) else {
                    return None;
                };
                let path = String::from_utf8_lossy(ev.slice(*bytes)).into_owned();
                let pid: u32 = path
                    .strip_prefix("/proc/")?
                    .split('/')
                    .next()?
                    .parse()
                    .ok()?;
                return (!self.inside.contains(&pid)).then_some(pid);
            }
            "ptrace" => 1,
            "process_vm_readv" | "process_vm_writev" | "kill" | "tkill" | "tgkill"
            | "rt_sigqueueinfo" | "rt_tgsigqueueinfo" | "pidfd_open" | "pidfd_getfd" | "kcmp" => 0,
            _ => return None,
        };
        let target = ev.args[arg] as u32 as i32;
        (target > 0 && !self.inside.contains(&(target as u32))).then_some(target as u32)
    }

    /// One report line, its count, and its log record (`extra` is appended to the JSON object).
    fn report(
        &mut self,
        ev: &SyscallEvent,
        word: &str,
        key: &'static str,
        detail: &str,
        extra: &str,
    ) -> io::Result<()> {
        let mut call = String::new();
        render::syscall_line_into(ev, &mut call);
        // Drop the return the renderer appends (` = ?` for a call that has not returned).
        if let Some(i) = call.rfind(") = ") {
            call.truncate(i + 1);
        }
        let name = comm(ev.pid);
        let raw = high_bits_note(ev);
        say!(
            "sysgate: {word} {call}{raw} in pid {} ({name}){detail}",
            ev.pid
        );
        *self
            .counts
            .entry((ev.name().into_owned(), key))
            .or_default() += 1;
        if let Some(log) = &mut self.log {
            let mut line = String::new();
            json::syscall_into(ev, &mut line);
            // Extend the syscall object with the verdict and the command name.
            line.pop();
            line.push_str(",\"verdict\":");
            json::string_into(key, &mut line);
            line.push_str(",\"comm\":");
            json::string_into(&name, &mut line);
            if self.learn {
                // What the supervisor read; the kernel reads its own copy later, and another
                // thread may change the memory in between.
                line.push_str(",\"args_read_at_stop\":true");
            }
            line.push_str(extra);
            line.push_str("}\n");
            log.write_all(line.as_bytes())?;
        }
        Ok(())
    }
}

impl Sink for Reporter {
    fn violation(&mut self, ev: &SyscallEvent, verdict: Verdict) -> io::Result<()> {
        let (word, detail) = match verdict {
            Verdict::Denied(e) => (
                "denied",
                sysgate_kb::symbols::errno(e)
                    .map_or(format!(" (errno {e})"), |e| format!(" ({})", e.name)),
            ),
            Verdict::Killed => ("killed for", String::new()),
            Verdict::Logged => ("logged", String::new()),
            Verdict::Allowed => ("would deny", String::new()),
        };
        let key = match verdict {
            Verdict::Denied(_) => "denied",
            Verdict::Killed => "killed",
            Verdict::Logged => "logged",
            Verdict::Allowed => "would deny",
        };
        self.report(ev, word, key, &detail, "")
    }

    /// A call the Landlock layer governs, after it returned: reported when the layer refused
    /// it (or, learning, would have).
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        if let Some(target) = self.outside_target(ev) {
            let errno = (-ev.ret) as u32;
            let e = sysgate_kb::symbols::errno(errno)
                .map_or(format!("errno {errno}"), |e| e.name.to_string());
            let detail = format!(
                " ({e}; pid {target} ({}) is outside the sandbox)",
                comm(target)
            );
            let extra = format!(",\"layer\":\"landlock\",\"outside_pid\":{target}");
            return self.report(ev, "denied", "denied", &detail, &extra);
        }
        let Some(layer) = &self.layer else {
            return Ok(());
        };
        let refused = ev.is_error && ev.ret == -i64::from(libc::EACCES);
        if !self.learn && !refused {
            return Ok(());
        }
        let pid = ev.pid;
        let cwd = self.cwd.clone();
        let resolve = |p: &str| resolve_for(pid, p, &cwd);
        let outside: Vec<Need> = Access::needs(ev)
            .into_iter()
            .filter(|n| !layer.grants(n, &resolve, &cwd, pid))
            .collect();
        if outside.is_empty() {
            return Ok(());
        }
        let mut extra = String::from(",\"layer\":\"landlock\",\"needs\":[");
        for (i, n) in outside.iter().enumerate() {
            if i > 0 {
                extra.push(',');
            }
            match n {
                Need::Path { path, right } => {
                    extra.push_str("{\"path\":");
                    json::string_into(&resolve(path).display().to_string(), &mut extra);
                    extra.push_str(",\"right\":");
                    json::string_into(right.name(), &mut extra);
                    extra.push('}');
                }
                Need::Bind(p) => extra.push_str(&format!("{{\"bind_tcp\":{p}}}")),
                Need::Connect(p) => extra.push_str(&format!("{{\"connect_tcp\":{p}}}")),
            }
        }
        extra.push(']');
        let what: Vec<String> = outside
            .iter()
            .map(|n| match n {
                Need::Path { path, right } => {
                    format!("{} on {}", right.name(), resolve(path).display())
                }
                Need::Bind(p) => format!("bind to TCP port {p}"),
                Need::Connect(p) => format!("connect to TCP port {p}"),
            })
            .collect();
        if self.learn {
            let detail = format!(" (Landlock: {})", what.join(", "));
            self.report(ev, "would deny", "would deny", &detail, &extra)
        } else {
            let detail = format!(" (EACCES; Landlock: {})", what.join(", "));
            self.report(ev, "denied", "denied", &detail, &extra)
        }
    }

    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        match ev.change {
            TaskChange::Attached => {
                self.inside.insert(ev.pid);
                self.inside.insert(ev.tid);
            }
            TaskChange::Exited(_) | TaskChange::Killed { .. } if ev.pid == ev.tid => {
                self.inside.remove(&ev.pid);
            }
            _ => {}
        }
        Ok(())
    }

    fn idle(&mut self) -> io::Result<()> {
        match &mut self.log {
            Some(l) => l.flush(),
            None => Ok(()),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.idle()
    }
}

/// Inherited descriptors (no close-on-exec) above 2, with what they are.
fn inherited_fds() -> Vec<(i32, String)> {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    let mut fds: Vec<i32> = dir
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .filter(|&fd| fd > 2)
        .collect();
    fds.sort_unstable();
    fds.into_iter()
        .filter(|&fd| {
            // SAFETY: F_GETFD on a number has no memory arguments; a closed fd returns -1.
            let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
            flags >= 0 && flags & libc::FD_CLOEXEC == 0
        })
        .map(|fd| {
            let what = std::fs::read_link(format!("/proc/self/fd/{fd}"))
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            (fd, what)
        })
        .collect()
}

/// Arguments whose decoded form shows only the low 32 bits, while the filter compared all 64:
/// ` (raw arg0=0x100000002)`, so a report shows the value that was really refused.
fn high_bits_note(ev: &SyscallEvent) -> String {
    let mut note = String::new();
    for (i, v) in ev.decoded.iter().enumerate().take(6) {
        let raw = ev.args[i];
        let high = raw >> 32;
        let narrow = matches!(
            v,
            Value::Int(_)
                | Value::Fd(_)
                | Value::DirFd(_)
                | Value::Enum(..)
                | Value::Mode(_)
                | Value::Signal(_)
                | Value::ClockId(_)
        );
        if narrow && high != 0 && high != 0xffff_ffff {
            note.push_str(&format!(" (raw arg{i}={raw:#x})"));
        }
    }
    note
}

/// The Landlock layer to apply: the one named, the one beside the profile, or (none found, or
/// `--no-landlock`) a domain with no path rules, which still keeps the program from reaching
/// processes outside the sandbox.
fn landlock_layer(args: &RunArgs) -> Result<(Layer, Option<PathBuf>)> {
    if args.no_landlock {
        return Ok((Layer::domain_only(), None));
    }
    if let Some(p) = &args.landlock {
        return Ok((Layer::load(p)?, Some(p.clone())));
    }
    let beside = companion_path(&args.profile);
    if beside.exists() {
        return Ok((Layer::load(&beside)?, Some(beside)));
    }
    if args.verbose {
        say!(
            "sysgate: no Landlock layer at {}: paths and ports are not confined",
            beside.display()
        );
    }
    Ok((Layer::domain_only(), None))
}

pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let mut profile = Profile::load(&args.profile)?;
    let (layer, layer_path) = landlock_layer(args)?;
    let drop_caps = sysgate_seccomp::caps::drop_mask(&args.keep_cap).map_err(anyhow::Error::msg)?;
    let allow_io_uring = args.allow_io_uring || layer.allow_io_uring;
    for note in harden(&mut profile, allow_io_uring) {
        if args.verbose || note.starts_with("io_uring") {
            say!("sysgate: {note}");
        }
    }
    if !profile.architectures.contains(&Arch::native()) {
        bail!(
            "{}: the profile does not allow this machine's architecture ({})",
            args.profile.display(),
            Arch::native()
        );
    }
    for &fd in &args.keep_fd {
        // SAFETY: F_GETFD on a number has no memory arguments.
        if fd < 3 || unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
            bail!("--keep-fd {fd}: not an open descriptor above 2");
        }
    }
    let cmd = Command::new(&args.command[0], &args.command[1..])
        .map_err(|e| anyhow::Error::new(ExitWith(e.exit_code(), e.to_string())))?;
    let supervised = !args.no_supervisor && cfg!(target_arch = "x86_64");
    if args.learn && !supervised {
        bail!("--learn needs the supervisor (x86_64, without --no-supervisor)");
    }
    if args.learn {
        say!(
            "sysgate: learning: paths and arguments are read when each call stops; another thread \
             can change them before the kernel reads its own copy, so the log shows what the \
             program asked for, not proof of what ran"
        );
    }
    let mode = if supervised {
        Mode::Supervised
    } else {
        Mode::Enforce
    };
    // With path and port rules, the supervisor follows the calls they govern to their exit, so
    // a refusal by Landlock is reported like one by seccomp.
    let has_rules = layer_path.is_some();
    if supervised {
        watch(&mut profile, CROSS_PROCESS);
        if has_rules {
            watch(&mut profile, WATCHED);
        }
    }
    let filter = compile::compile(&profile, mode);
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    // Learning applies no path or port rule (calls outside them are reported instead) but keeps
    // the process boundary.
    let applied = if args.learn && has_rules {
        Layer {
            scope_signals: layer.scope_signals,
            ..Layer::domain_only()
        }
    } else {
        layer.clone()
    };
    let prepared = applied.ruleset(&cwd).with_context(|| {
        format!(
            "cannot build the Landlock ruleset{}",
            layer_path
                .as_ref()
                .map_or(String::new(), |p| format!(" from {}", p.display()))
        )
    })?;
    let mut missing = 0;
    for note in &prepared.notes {
        if note.contains("does not exist here") {
            missing += 1;
            if !args.verbose {
                continue;
            }
        }
        say!("sysgate: {note}");
    }
    if missing > 0 && !args.verbose {
        say!(
            "sysgate: {missing} Landlock rules name paths missing here and are left out (-v lists them)"
        );
    }
    // The program must not be able to read or write sysgate's memory through /proc, whatever
    // capabilities it keeps.
    // SAFETY: prctl with integer arguments only.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
    if filter.len() > compile::MAX_INSNS {
        bail!(
            "{}: the compiled filter has {} instructions, more than the kernel's 4096",
            args.profile.display(),
            filter.len()
        );
    }
    if args.verbose {
        for (fd, what) in inherited_fds() {
            if args.keep_fd.contains(&fd) {
                say!("sysgate: keeping inherited fd {fd} ({what})");
            } else {
                say!("sysgate: closing inherited fd {fd} ({what}) before exec");
            }
        }
    }
    let log = match &args.log {
        Some(p) => Some(BufWriter::new(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .with_context(|| format!("cannot open log file {}", p.display()))?,
        )),
        None => None,
    };
    let mut reporter = Reporter {
        log,
        counts: BTreeMap::new(),
        layer: has_rules.then_some(layer),
        learn: args.learn,
        cwd,
        inside: Default::default(),
    };
    let plan = Plan {
        target: Target::Spawn(cmd),
        capture: Capture::default(),
        backend: Backend::Ptrace {
            seccomp: false,
            sandbox: Some(Sandbox {
                filter,
                learn: args.learn,
                keep_fds: args.keep_fd.clone(),
                drop_caps,
                landlock: prepared.fd.as_ref().map(|f| f.as_raw_fd()),
                landlock_in_child: prepared.in_child.clone(),
            }),
        },
        kill_after: capture::kill_after(args.kill_after.as_deref())?,
    };
    let outcome = capture::run(plan, &mut reporter)?;
    if args.summary {
        if reporter.counts.is_empty() {
            say!("sysgate: no call was refused");
        } else {
            say!("sysgate: refused calls:");
            for ((name, what), n) in &reporter.counts {
                say!("  {n:>8}  {what:<10} {name}");
            }
        }
    }
    Ok(capture::exit_code(outcome))
}
