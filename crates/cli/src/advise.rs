//! `sysgate advise`: syscall anti-patterns with evidence, estimated savings and fixes, from
//! recordings or a live run. Several recordings get one advisor per run (a recording, or the
//! files of one rotated capture), and their reports are merged.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_analyze::advise::merge::Merged;
use sysgate_analyze::advise::{Advisor, CostModel, Severity};
use sysgate_analyze::rules;

use crate::args::AdviseArgs;
use crate::{capture, inputs};

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

fn list_rules(out: &mut dyn Write) -> io::Result<()> {
    for r in rules::ALL {
        writeln!(out, "{:<34} {}", r.id, r.title)?;
    }
    Ok(())
}

/// The measured model from `--costs FILE` (which must load) or from the default path of
/// `sysgate bench` when a file is there; the built-in numbers otherwise.
pub fn load_costs(explicit: Option<&Path>) -> Result<CostModel> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match crate::bench::default_costs_path() {
            Some(p) if p.exists() => p,
            _ => return Ok(CostModel::builtin()),
        },
    };
    CostModel::load(&path).map_err(anyhow::Error::msg)
}

pub fn run(args: &AdviseArgs) -> Result<ExitCode> {
    let selected = rules::select(&args.rules, &args.skip).map_err(anyhow::Error::msg)?;
    if selected.is_empty() {
        bail!("--rule and --skip leave no rule to run");
    }
    let fail_on = match args.fail_on.as_deref() {
        None => None,
        Some(s) => Some(
            Severity::parse(s)
                .filter(|s| *s != Severity::Info)
                .with_context(|| format!("`--fail-on {s}`: use warning or error"))?,
        ),
    };
    if args.list_rules {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        list_rules(&mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let costs = load_costs(args.costs.as_deref())?;
    let live = !(args.command.is_empty() && args.capture.pids.is_empty());
    if live && !args.files.is_empty() {
        bail!("give either a trace file or `-- CMD` / -p PID, not both");
    }
    // One advisor per run: its fd table and process tree belong to one machine and capture.
    let mut reports = Vec::new();
    let mut code = ExitCode::SUCCESS;
    if args.files.is_empty() {
        let mut advisor = Advisor::new(&selected, costs);
        code = capture::feed(
            None,
            &args.capture,
            &args.command,
            &mut advisor,
            "nothing to analyse: give a trace file (`sysgate advise run.sgt`) or a command (`sysgate advise -- ./server`)",
        )?;
        reports.push((Default::default(), advisor.report()));
    } else {
        let rec = inputs::load(&args.files)?;
        for (i, run) in rec.runs.iter().enumerate() {
            let mut advisor = Advisor::new(&selected, costs.clone());
            for (_, path) in rec.files(i) {
                capture::replay(path, &args.capture.debug_dirs, &mut advisor, "using")?;
            }
            reports.push((run.clone(), advisor.report()));
        }
    }
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            File::create(p)
                .with_context(|| format!("cannot create output file {}", p.display()))?,
        ),
        None => Box::new(io::stdout()),
    };
    let mut out = BufWriter::new(out);
    let worst = if reports.len() == 1 {
        let (_, report) = &reports[0];
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&report.to_json())?)?;
        } else {
            out.write_all(report.render(utc_offset()).as_bytes())?;
        }
        report.max_severity()
    } else {
        let merged = Merged::new(reports);
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&merged.to_json())?)?;
        } else {
            out.write_all(merged.render(utc_offset()).as_bytes())?;
        }
        merged.max_severity()
    };
    out.flush()?;
    if let (Some(min), Some(worst)) = (fail_on, worst)
        && worst >= min
    {
        say!(
            "sysgate: failing (--fail-on {}): a finding of severity {} was reported",
            min.name(),
            worst.name()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(code)
}
