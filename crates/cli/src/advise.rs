//! `sysgate advise`: syscall anti-patterns with evidence, estimated savings and fixes, from a
//! recording or a live run.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_analyze::advise::{Advisor, CostModel, Severity};
use sysgate_analyze::rules;
use sysgate_event::sgt::Reader;

use crate::args::AdviseArgs;
use crate::capture;

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
    let mut advisor = Advisor::new(&selected, CostModel::builtin());
    let code = match (
        &args.file,
        args.command.is_empty() && args.capture.pids.is_empty(),
    ) {
        (Some(_), false) => bail!("give either a trace file or `-- CMD` / -p PID, not both"),
        (None, true) => bail!(
            "nothing to analyse: give a trace file (`sysgate advise run.sgt`) or a command (`sysgate advise -- ./server`)"
        ),
        (Some(path), true) => {
            let mut reader = Reader::open(path)?;
            let stats = reader.replay(&mut advisor)?;
            if let Some(at) = stats.truncated_at {
                eprintln!(
                    "sysgate: {} ends at byte {at} without its footer (the recording was cut short); analysing the {} events before it",
                    path.display(),
                    stats.events
                );
            }
            ExitCode::SUCCESS
        }
        (None, false) => {
            let plan = capture::plan(&args.capture, &args.command, false)?;
            capture::exit_code(capture::run(plan, &mut advisor)?)
        }
    };
    let report = advisor.report();
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            File::create(p)
                .with_context(|| format!("cannot create output file {}", p.display()))?,
        ),
        None => Box::new(io::stdout()),
    };
    let mut out = BufWriter::new(out);
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report.to_json())?)?;
    } else {
        out.write_all(report.render(utc_offset()).as_bytes())?;
    }
    out.flush()?;
    if let (Some(min), Some(worst)) = (fail_on, report.max_severity())
        && worst >= min
    {
        eprintln!(
            "sysgate: failing (--fail-on {}): a finding of severity {} was reported",
            min.name(),
            worst.name()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(code)
}
