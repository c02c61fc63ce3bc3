//! `sysgate export`: a recording as JSON Lines, strace text, folded stacks or a Perfetto trace.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal as _, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;

use sysgate_event::json::JsonPrinter;
use sysgate_event::perfetto::PerfettoWriter;
use sysgate_event::render::{TextOptions, TextPrinter};
use sysgate_event::{SignalEvent, Sink, SyscallEvent, TaskEvent};

use crate::args::{ExportArgs, ExportFormat, FoldWeight};

/// Folded stacks: `outer;…;inner;syscall` → weight.
struct Folded {
    weight: FoldWeight,
    stacks: BTreeMap<String, u64>,
    with_stack: u64,
}

impl Sink for Folded {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        let mut key = String::new();
        for f in ev.stack.iter().rev() {
            let name = match (&f.function, &f.module) {
                (Some(func), _) => func.to_string(),
                (None, Some(m)) => format!(
                    "{}+{:#x}",
                    m.rsplit('/').next().unwrap_or(m),
                    f.module_offset
                ),
                (None, None) => format!("{:#x}", f.pc),
            };
            key.push_str(&name.replace(';', ":"));
            key.push(';');
        }
        self.with_stack += u64::from(!ev.stack.is_empty());
        key.push_str(&ev.name());
        let w = match self.weight {
            FoldWeight::Calls => 1,
            FoldWeight::Time => ev.duration_ns / 1000,
        };
        *self.stacks.entry(key).or_default() += w;
        Ok(())
    }
    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }
    fn task(&mut self, _: &TaskEvent) -> io::Result<()> {
        Ok(())
    }
}

/// Replays every recording in `files` into `sink` in turn.
fn replay_all(
    files: &[std::path::PathBuf],
    debug_dirs: &[std::path::PathBuf],
    sink: &mut dyn Sink,
    verb: &str,
) -> Result<()> {
    for path in files {
        crate::capture::replay(path, debug_dirs, sink, verb)?;
    }
    Ok(())
}

pub fn run(args: &ExportArgs) -> Result<ExitCode> {
    if args.format == ExportFormat::Perfetto && args.output.is_none() && io::stdout().is_terminal()
    {
        return Err(crate::capture::ExitWith(
            2,
            "--format perfetto writes a binary trace: give -o FILE (or redirect standard output)"
                .into(),
        )
        .into());
    }
    // Directories and patterns name their recordings.
    let files = &crate::inputs::expand(&args.files)?;
    if args.format == ExportFormat::Parquet && args.output.is_none() {
        return Err(crate::capture::ExitWith(
            2,
            "--format parquet writes files: give -o DIR (Hive partitions host=/date=) or -o FILE.parquet".into(),
        )
        .into());
    }
    // A file that is not a recording fails before the output is created.
    for f in files {
        crate::capture::open_trace(f)?;
    }
    if let (ExportFormat::Parquet, Some(dest)) = (args.format, &args.output) {
        let started = std::time::Instant::now();
        let out = crate::parquet::Output::of(dest);
        let w = crate::parquet::export(files, &out, &args.debug_dirs)?;
        let secs = started.elapsed().as_secs_f64();
        say!(
            "sysgate: wrote {} events from {} recording{} to {} ({}, {:.1} bytes/event, {:.0} events/s)",
            w.events,
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            dest.display(),
            crate::capture::human_bytes(w.bytes),
            w.bytes as f64 / w.events.max(1) as f64,
            w.events as f64 / secs.max(1e-9)
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.format == ExportFormat::Perfetto && files.len() > 1 {
        bail!(
            "--format perfetto takes one recording ({} given): process ids of different runs would share tracks",
            files.len()
        );
    }
    let text = args.format == ExportFormat::Text;
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            File::create(p)
                .with_context(|| format!("cannot create output file {}", p.display()))?,
        ),
        None => Box::new(io::stdout()),
    };
    let mut out = BufWriter::with_capacity(256 * 1024, out);
    if args.format == ExportFormat::Folded {
        let mut folded = Folded {
            weight: args.weight,
            stacks: BTreeMap::new(),
            with_stack: 0,
        };
        replay_all(files, &args.debug_dirs, &mut folded, "folded")?;
        for (k, w) in &folded.stacks {
            if *w > 0 {
                writeln!(out, "{k} {w}")?;
            }
        }
        out.flush()?;
        if folded.with_stack == 0 {
            say!(
                "sysgate: no stacks in {} (record with -k): each call folded to its syscall alone",
                if files.len() == 1 {
                    files[0].display().to_string()
                } else {
                    format!("{} recordings", files.len())
                }
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.format == ExportFormat::Perfetto {
        // The recording's start stamps the trace's clock snapshot.
        let start = crate::capture::open_trace(&files[0])?.header().start_ns;
        let mut writer = PerfettoWriter::new(out, start);
        replay_all(files, &args.debug_dirs, &mut writer, "exported")?;
        writer.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut json_sink;
    let mut text_sink;
    let sink: &mut dyn Sink = if text {
        text_sink = TextPrinter::new(out, TextOptions::default());
        &mut text_sink
    } else {
        json_sink = JsonPrinter::new(out);
        &mut json_sink
    };
    replay_all(files, &args.debug_dirs, sink, "exported")?;
    sink.finish()?;
    Ok(ExitCode::SUCCESS)
}
