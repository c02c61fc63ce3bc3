//! `sysgate export`: a recording as JSON Lines or strace text.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use sysgate_event::Sink;
use sysgate_event::json::JsonPrinter;
use sysgate_event::render::{TextOptions, TextPrinter};

use crate::args::{ExportArgs, ExportFormat};

pub fn run(args: &ExportArgs) -> Result<ExitCode> {
    let text = args.format == ExportFormat::Text;
    let mut reader = crate::capture::open_trace(&args.file)?;
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            File::create(p)
                .with_context(|| format!("cannot create output file {}", p.display()))?,
        ),
        None => Box::new(io::stdout()),
    };
    let out = BufWriter::with_capacity(256 * 1024, out);
    let mut json_sink;
    let mut text_sink;
    let sink: &mut dyn Sink = if text {
        text_sink = TextPrinter::new(out, TextOptions::default());
        &mut text_sink
    } else {
        json_sink = JsonPrinter::new(out);
        &mut json_sink
    };
    let stats = reader.replay(sink)?;
    sink.finish()?;
    if let Some(at) = stats.truncated_at {
        say!(
            "sysgate: {} ends at byte {at} without its footer (the recording was cut short); exported the {} events before it",
            args.file.display(),
            stats.events
        );
    }
    Ok(ExitCode::SUCCESS)
}
