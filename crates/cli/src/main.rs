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
mod container;
mod explain;
mod export;
mod profile;
mod record;
mod run;
mod summary;
mod trace;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let code = err.downcast_ref::<capture::ExitWith>().map_or(1, |e| e.0);
            let _ = writeln!(io::stderr(), "sysgate: error: {err:#}");
            ExitCode::from(code)
        }
    }
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
        Command::Summary(args) => summary::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Profile(args) => profile::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Advise(args) => advise::run(&args),
        Command::Bench(args) => bench::run(&args),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
