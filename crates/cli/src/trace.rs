//! `sysgate trace`: run the ptrace engine into a text, JSON or counting sink.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_analyze::summary::{Section, SortKey, Summary};
use sysgate_event::Sink;
use sysgate_event::json::JsonPrinter;
use sysgate_event::render::{TextOptions, TextPrinter, Timestamps};

use crate::args::TraceArgs;
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

fn open_output(path: Option<&std::path::Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => Box::new(
            File::create(path)
                .with_context(|| format!("cannot create output file {}", path.display()))?,
        ),
        None => Box::new(io::stderr()),
    })
}

pub fn run(args: &TraceArgs) -> Result<ExitCode> {
    if args.timestamps > 3 {
        bail!("-t can be given at most three times (-ttt)");
    }
    let plan = capture::plan(&args.capture, &args.command, args.count)?;
    let mut out = BufWriter::with_capacity(64 * 1024, open_output(args.output.as_deref())?);

    if args.count {
        let mut summary = Summary::new();
        let outcome = capture::run_counting(plan, &mut summary)?;
        if args.json {
            let doc = summary.to_json(&[Section::Syscalls], SortKey::Time, None);
            writeln!(out, "{}", serde_json::to_string_pretty(&doc["syscalls"])?)?;
        } else {
            out.write_all(
                summary
                    .render(&[Section::Syscalls], SortKey::Time, None)
                    .as_bytes(),
            )?;
        }
        out.flush()?;
        return Ok(capture::exit_code(outcome));
    }

    let text_opts = TextOptions {
        timestamps: match args.timestamps {
            0 => Timestamps::None,
            1 => Timestamps::Seconds,
            2 => Timestamps::Micros,
            _ => Timestamps::Epoch,
        },
        durations: args.durations,
        always_pid: false,
        // strace -f -o FILE starts every line with the pid.
        plain_pids: args.capture.follow > 0 && args.output.is_some(),
        utc_offset_s: utc_offset(),
        columns: args.columns,
        quiet: args.quiet,
        numbers: args.numbers,
        relative: args.relative,
    };
    let mut text;
    let mut json;
    let sink: &mut dyn Sink = if args.json {
        json = JsonPrinter::new(out);
        &mut json
    } else {
        text = TextPrinter::new(out, text_opts);
        &mut text
    };
    let outcome = capture::run(plan, sink)?;
    Ok(capture::exit_code(outcome))
}
