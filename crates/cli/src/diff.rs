//! `sysgate diff BASE NEW` / `sysgate diff BASE -- CMD`: two runs compared, with CI gating.
//!
//! Each side is read once into a [`Side`] (summary, advisor, bytes per syscall); the base also
//! feeds the profile [`Observer`], so that profile drift is measured against the profile
//! `sysgate profile BASE` would write. The comparison itself lives in
//! [`sysgate_analyze::diff`].

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use sysgate_analyze::diff::{Diff, Metric, Options, Side, Snapshot, Thresholds};
use sysgate_event::Tee;
use sysgate_seccomp::generate::{GenerateOptions, Observer};
use sysgate_seccomp::profile::Action;
use sysgate_trace::session::Outcome;

use crate::args::DiffArgs;
use crate::capture::{self, ExitWith};

/// Rows per list in the text form when --top is not given.
const DEFAULT_TOP: usize = 25;

/// The exit status of a comparison that found a regression (as `chaos` and `profile --check`).
const REGRESSION: u8 = 3;

/// A usage error found after parsing: exit status 2, as clap's own.
fn usage(message: String) -> anyhow::Error {
    anyhow::Error::new(ExitWith(2, message))
}

/// `--fail-on-regression PCT` and the PCT of `--threshold`: a non-negative number, `%` allowed.
pub fn parse_pct(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim();
    t.parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && *p >= 0.0)
        .ok_or_else(|| format!("`{s}` is not a percentage (give a number ≥ 0, such as 20 or 12.5)"))
}

/// `--threshold METRIC=PCT` or `METRIC=off`.
pub fn parse_threshold(s: &str) -> Result<(Metric, Option<f64>), String> {
    let names = || {
        Metric::ALL
            .iter()
            .map(|m| m.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((metric, pct)) = s.split_once('=') else {
        return Err(format!(
            "`{s}`: give METRIC=PCT or METRIC=off, METRIC one of {}",
            names()
        ));
    };
    let metric = metric.trim();
    let m = Metric::parse(metric)
        .ok_or_else(|| format!("`{s}`: unknown metric `{metric}` (known: {})", names()))?;
    match pct.trim() {
        "off" | "none" => Ok((m, None)),
        p => Ok((m, Some(parse_pct(p).map_err(|e| format!("`{s}`: {e}"))?))),
    }
}

/// `--min-time`: `1ms`, `500us`, `250µs`, `2000ns`, `0.5s`, `0`.
pub fn parse_min_time(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let scale = match unit.trim() {
        "ns" => 1e-9,
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "" if num.parse::<f64>() == Ok(0.0) => 0.0,
        _ => {
            return Err(format!(
                "`{s}` is not a duration (give one such as 1ms, 500us, 2000ns or 0)"
            ));
        }
    };
    num.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| Duration::from_secs_f64(v * scale))
        .ok_or_else(|| format!("`{s}` is not a duration (give one such as 1ms, 500us or 0)"))
}

/// The comparison options from the command line: --fail-on-regression sets calls, errors,
/// time and bytes, then each --threshold sets or clears one metric.
fn options(args: &DiffArgs) -> Result<Options> {
    let gate = if args.fail_on_regression.is_some() || !args.thresholds.is_empty() {
        let mut t = args
            .fail_on_regression
            .map_or_else(Thresholds::default, Thresholds::uniform);
        for &(m, pct) in &args.thresholds {
            t.set(m, pct);
        }
        Some(t)
    } else {
        None
    };
    let mut ignore = BTreeSet::new();
    for name in args
        .ignore
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        if sysgate_kb::by_name(name).is_none() {
            return Err(usage(format!(
                "--ignore {name}: not a syscall (see `sysgate explain --list`)"
            )));
        }
        ignore.insert(name.to_string());
    }
    Ok(Options {
        min_calls: args.min_calls,
        min_time_ns: u64::try_from(args.min_time.as_nanos()).unwrap_or(u64::MAX),
        ignore,
        gate,
    })
}

/// The syscall names a profile generated from `observer` with the defaults of `sysgate
/// profile` allows (with or without argument conditions); calls it answers with an errno are
/// not among them.
fn allowed(observer: &Observer) -> BTreeSet<String> {
    observer
        .profile(&GenerateOptions::default())
        .syscalls
        .iter()
        .filter(|r| r.action == Action::Allow)
        .flat_map(|r| r.names.iter().cloned())
        .collect()
}

/// Replays the recording at `path` into `sink`. `which` names the side in errors.
fn replay(
    path: &Path,
    debug_dirs: &[std::path::PathBuf],
    sink: &mut dyn sysgate_event::Sink,
    which: &str,
) -> Result<()> {
    capture::replay(path, debug_dirs, sink, "using")
        .with_context(|| format!("cannot read the {which} recording"))?;
    Ok(())
}

/// The base side of a comparison from its recording: its snapshot, with the syscalls the
/// profile generated from it would allow; and how many calls it holds.
pub fn read_base(path: &Path, debug_dirs: &[std::path::PathBuf]) -> Result<(Snapshot, u64)> {
    let mut side = Side::new();
    let mut observer = Observer::new();
    replay(
        path,
        debug_dirs,
        &mut Tee::new(vec![&mut side, &mut observer]),
        "base",
    )?;
    let calls = side.calls();
    let mut snapshot = side.snapshot(&path.display().to_string());
    snapshot.allowed = Some(allowed(&observer));
    Ok((snapshot, calls))
}

/// `./app --selftest` for the new run's label.
fn command_label(command: &[OsString], pids: &[String]) -> String {
    if command.is_empty() {
        format!("-p {}", pids.join(","))
    } else {
        command
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How a live program ended, when that makes its run unfit to compare; `None` for a clean
/// exit or a detach.
fn failure(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Exited(0) | Outcome::Detached => None,
        Outcome::Exited(code) => Some(format!("exited with status {code}")),
        Outcome::Signaled { signal, .. } => Some(format!("was killed by signal {signal}")),
        Outcome::Interrupted(sig) => Some(format!("was interrupted (signal {sig})")),
    }
}

pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    if args.top == Some(0) {
        return Err(usage("--top must be at least 1".into()));
    }
    let options = options(args)?;
    let live = args.new.is_none();
    if live && args.command.is_empty() && args.capture.pids.is_empty() {
        return Err(usage(
            "nothing to compare with: give the new recording (`sysgate diff base.sgt new.sgt`) or a command (`sysgate diff base.sgt -- ./app`)".into(),
        ));
    }

    let (base, calls) = read_base(&args.base, &args.capture.debug_dirs)?;
    if calls == 0 {
        bail!(
            "the base recording {} contains no syscalls",
            args.base.display()
        );
    }

    let mut new = Side::new();
    let (label, failed) = match &args.new {
        Some(path) => {
            replay(path, &args.capture.debug_dirs, &mut new, "new")?;
            (path.display().to_string(), None)
        }
        None => {
            let plan = capture::plan(&args.capture, &args.command, false)?;
            capture::refuse_dumps(&plan, "`diff`")?;
            capture::refuse_inject(&plan, "`diff`")?;
            let outcome = capture::run(plan, &mut new)?;
            (
                command_label(&args.command, &args.capture.pids),
                failure(&outcome),
            )
        }
    };
    if new.calls() == 0 {
        bail!("the new run ({label}) contains no syscalls");
    }
    let new: Snapshot = new.snapshot(&label);

    let diff = Diff::new(&base, &new, &options);
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            File::create(p)
                .with_context(|| format!("cannot create output file {}", p.display()))?,
        ),
        None => Box::new(io::stdout()),
    };
    let mut out = BufWriter::new(out);
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&diff.to_json())?)?;
    } else {
        out.write_all(
            diff.render(Some(args.top.unwrap_or(DEFAULT_TOP)))
                .as_bytes(),
        )?;
    }
    out.flush()?;

    if let Some(how) = failed {
        bail!(
            "the program {how}; the comparison above is of a failed run (record it with `sysgate record` to compare it anyway)"
        );
    }
    if diff.regressed() {
        let first = diff.regressions[0].describe();
        let more = diff.regressions.len() - 1;
        say!(
            "sysgate: failing: {first}{}",
            if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            }
        );
        return Ok(ExitCode::from(REGRESSION));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_thresholds_and_durations() {
        assert_eq!(parse_pct("20"), Ok(20.0));
        assert_eq!(parse_pct("12.5%"), Ok(12.5));
        assert!(parse_pct("-1").is_err());
        assert!(parse_pct("lots").is_err());
        assert_eq!(parse_threshold("calls=20"), Ok((Metric::Calls, Some(20.0))));
        assert_eq!(parse_threshold("time=off"), Ok((Metric::Time, None)));
        assert_eq!(
            parse_threshold("p99_ns=100"),
            Ok((Metric::P99, Some(100.0)))
        );
        let e = parse_threshold("latency=5").unwrap_err();
        assert!(
            e.contains("unknown metric `latency`") && e.contains("p99"),
            "{e}"
        );
        assert!(parse_threshold("calls").is_err());
        assert_eq!(parse_min_time("1ms"), Ok(Duration::from_millis(1)));
        assert_eq!(parse_min_time("500us"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_min_time("0"), Ok(Duration::ZERO));
        assert!(parse_min_time("5").is_err());
        assert!(parse_min_time("1 fortnight").is_err());
    }
}
