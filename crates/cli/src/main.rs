//! The `sysgate` binary: parses the command line, dispatches to the library crates, renders.

/// Writes a line to stderr, ignoring failure: a closed or broken stderr must not turn a
/// message into a panic (`eprintln!` panics when the write fails).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`say!`] without the newline (progress lines).
macro_rules! say_partial {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod advise;
mod args;
mod bench;
mod capture;
mod chaos;
mod container;
mod diff;
mod explain;
mod export;
mod inputs;
mod lossy;
mod parquet;
mod profile;
mod record;
mod report;
mod rotate;
mod run;
mod summary;
mod trace;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let code = err.downcast_ref::<capture::ExitWith>().map_or(1, |e| e.0);
            let _ = writeln!(io::stderr(), "sysgate: error: {}", one_line(&err));
            ExitCode::from(code)
        }
    }
}

/// Help and version print as clap prints them; a usage error is one line (`sysgate: error: …`,
/// with the values it accepts) and exit status 2.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(e.exit_code() as u8);
    }
    let text = e.to_string();
    let line: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .collect();
    let line = line.join(" ");
    let line = line.strip_prefix("error: ").unwrap_or(&line);
    say!("sysgate: error: {line} (see `sysgate --help`)");
    ExitCode::from(2)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Explain(args) => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            explain::run(&args, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Trace(args) => trace::run(&args),
        Command::Record(args) => record::run(&args),
        Command::Chaos(args) => chaos::run(&args),
        Command::Summary(args) => summary::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Profile(args) => profile::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Advise(args) => advise::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Bench(args) => bench::run(&args),
    }
}

/// The error and its causes on one line, each cause once: a library error that already names
/// its source in its message is not followed by the same text again.
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
