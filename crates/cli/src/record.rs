//! `sysgate record`: trace into a `.sgt` file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use sysgate_event::sgt::{Header, Writer};

use crate::args::RecordArgs;
use crate::capture;
use crate::lossy::Lossy;

/// `uname` fields: (kernel release, host name).
pub fn uname() -> (String, String) {
    // SAFETY: utsname is plain data; uname fills it; the fields are NUL-terminated arrays.
    unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut u) != 0 {
            return (String::new(), String::new());
        }
        let field = |f: &[libc::c_char]| {
            let bytes: Vec<u8> = f
                .iter()
                .take_while(|&&c| c != 0)
                .map(|&c| c as u8)
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        };
        (field(&u.release), field(&u.nodename))
    }
}

/// This boot's id (`/proc/sys/kernel/random/boot_id`), empty when unreadable.
pub fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The eBPF scope of a capture, as the header keeps it: `cgroup:PATH`, `container:ID`, `all`
/// (with `comm:NAME`), or empty for a command or `-p`.
pub fn scope(capture: &crate::args::CaptureArgs) -> String {
    if let Some(c) = &capture.cgroup {
        format!("cgroup:{}", c.display())
    } else if let Some(c) = &capture.container {
        format!("container:{c}")
    } else if capture.all {
        match &capture.comm {
            Some(comm) => format!("all comm:{comm}"),
            None => "all".into(),
        }
    } else {
        String::new()
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// `sysgate-<cmd>-<YYYYmmdd-HHMMSS>.sgt` in the current directory.
fn default_name(command: &[String]) -> PathBuf {
    let cmd = command
        .first()
        .map(|c| c.rsplit('/').next().unwrap_or(c).to_string())
        .filter(|c| c != "-p")
        .unwrap_or_else(|| format!("pid{}", command.get(1).map_or("", String::as_str)));
    let cmd: String = cmd
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    // SAFETY: time(NULL) has no pointer arguments; localtime_r writes into `tm`, a live local.
    let stamp = unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        libc::localtime_r(&now, &mut tm);
        format!(
            "{:04}{:02}{:02}-{:02}{:02}{:02}",
            tm.tm_year + 1900,
            tm.tm_mon + 1,
            tm.tm_mday,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec
        )
    };
    PathBuf::from(format!("sysgate-{cmd}-{stamp}.sgt"))
}

/// The header of a recording of `plan`, started now.
pub fn header(
    plan: &capture::Plan,
    capture: &crate::args::CaptureArgs,
    command: Vec<String>,
) -> Header {
    let (kernel, hostname) = uname();
    Header {
        sysgate_version: env!("CARGO_PKG_VERSION").into(),
        backend: plan.backend().into(),
        arch: sysgate_kb::Arch::native().name().into(),
        kernel,
        hostname,
        start_ns: now_ns(),
        command,
        boot_id: boot_id(),
        scope: scope(capture),
        ..Header::default()
    }
}

pub fn run(args: &RecordArgs) -> Result<ExitCode> {
    if args.rotate.is_some() {
        return crate::rotate::run(args);
    }
    let plan = capture::plan(&args.capture, &args.command, false)?;
    capture::refuse_dumps(&plan, "`record`")?;
    // One file of aggregate records, a snapshot a minute.
    let intervals = if args.aggregates_only {
        Some(crate::rotate::aggregates_interval(&plan, Default::default())?.0)
    } else {
        None
    };
    let command = capture::describe(&plan.target, &args.command);
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| default_name(&command));
    let header = header(&plan, &args.capture, command);
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create trace file {}", path.display()))?;
    // A full disk is reported and the program runs on; the recording keeps what was written.
    let out =
        std::io::BufWriter::with_capacity(256 * 1024, Lossy::new(file, path.display().to_string()));
    let mut writer = match intervals {
        Some(_) => Writer::with_aggregates(out, &header),
        None => Writer::new(out, &header),
    }
    .with_context(|| format!("cannot write trace file {}", path.display()))?;
    let started = std::time::Instant::now();
    let (outcome, attach) = match intervals {
        Some(every) => crate::rotate::capture_intervals(plan, &mut writer, every)?,
        None => capture::run_timed(plan, &mut writer)?,
    };
    let elapsed = started.elapsed();
    let f = writer.footer();
    let events = f.syscalls + f.signals + f.tasks;
    let bytes = writer.bytes_written();
    let ebpf_note = attach.map_or(String::new(), |startup| {
        let run = elapsed.saturating_sub(startup.took).as_secs_f64();
        // A rate over a run of a few milliseconds would mostly measure process start-up.
        let rate = if run >= 0.5 {
            format!(", {:.0} events/s", events as f64 / run)
        } else {
            String::new()
        };
        format!("; eBPF programs attached in {startup}{rate}")
    });
    match writer.into_inner().get_ref().loss() {
        Some(loss) => say!(
            "{loss}; of {events} events ({} syscalls) only those before the failure are in it",
            f.syscalls
        ),
        None if args.quiet => {}
        None if args.aggregates_only => say!(
            "sysgate: wrote {} aggregate records to {} ({}{ebpf_note})",
            f.aggregates,
            path.display(),
            capture::human_bytes(bytes)
        ),
        None => say!(
            "sysgate: wrote {events} events ({} syscalls) to {} ({}, {:.1} bytes/event{ebpf_note})",
            f.syscalls,
            path.display(),
            capture::human_bytes(bytes),
            bytes as f64 / events.max(1) as f64
        ),
    }
    Ok(capture::exit_code(outcome))
}
