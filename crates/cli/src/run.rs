//! `sysgate run`: a program confined by a seccomp profile, every refused call reported.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_event::{SignalEvent, Sink, SyscallEvent, TaskEvent, Verdict, json, render};
use sysgate_kb::Arch;
use sysgate_seccomp::compile::{self, Mode};
use sysgate_seccomp::profile::Profile;
use sysgate_trace::ptrace::{Command, Options, Sandbox};

use crate::args::RunArgs;
use crate::capture::{self, ExitWith, Plan, Target};

/// Prints violations as they happen, logs them, and counts them for `--summary`.
struct Reporter {
    log: Option<BufWriter<File>>,
    counts: BTreeMap<(String, &'static str), u64>,
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

impl Sink for Reporter {
    fn violation(&mut self, ev: &SyscallEvent, verdict: Verdict) -> io::Result<()> {
        let mut call = String::new();
        render::syscall_line_into(ev, &mut call);
        // The call has not returned: drop the ` = ?` the renderer appends.
        if let Some(i) = call.rfind(") = ") {
            call.truncate(i + 1);
        }
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
        let name = comm(ev.pid);
        eprintln!("sysgate: {word} {call} in pid {} ({name}){detail}", ev.pid);
        let key = match verdict {
            Verdict::Denied(_) => "denied",
            Verdict::Killed => "killed",
            Verdict::Logged => "logged",
            Verdict::Allowed => "would deny",
        };
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
            line.push_str("}\n");
            log.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    fn syscall_exit(&mut self, _: &SyscallEvent) -> io::Result<()> {
        Ok(())
    }

    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }

    fn task(&mut self, _: &TaskEvent) -> io::Result<()> {
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

pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let profile = Profile::load(&args.profile)?;
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
    let mode = if supervised {
        Mode::Supervised
    } else {
        Mode::Enforce
    };
    let filter = compile::compile(&profile, mode);
    if filter.len() > 4096 {
        bail!(
            "{}: the compiled filter has {} instructions, more than the kernel's 4096",
            args.profile.display(),
            filter.len()
        );
    }
    if args.verbose {
        for (fd, what) in inherited_fds() {
            if args.keep_fd.contains(&fd) {
                eprintln!("sysgate: keeping inherited fd {fd} ({what})");
            } else {
                eprintln!("sysgate: closing inherited fd {fd} ({what}) before exec");
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
    };
    let opts = Options {
        sandbox: Some(Sandbox {
            filter,
            learn: args.learn,
            keep_fds: args.keep_fd.clone(),
        }),
        ..Options::default()
    };
    let plan = Plan {
        target: Target::Spawn(cmd),
        opts,
        ebpf: None,
    };
    let outcome = capture::run(plan, &mut reporter)?;
    if args.summary {
        if reporter.counts.is_empty() {
            eprintln!("sysgate: no call was refused");
        } else {
            eprintln!("sysgate: refused calls:");
            for ((name, what), n) in &reporter.counts {
                eprintln!("  {n:>8}  {what:<10} {name}");
            }
        }
    }
    Ok(capture::exit_code(outcome))
}
