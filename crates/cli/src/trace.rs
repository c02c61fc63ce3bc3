//! `sysgate trace`: run the ptrace engine into a text, JSON or counting sink.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_analyze::summary::{Section, SortKey, Summary};
use sysgate_event::json::JsonPrinter;
use sysgate_event::render::{TextOptions, TextPrinter, Timestamps};
use sysgate_event::{SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent};

use crate::args::TraceArgs;
use crate::capture;
use crate::lossy::Lossy;

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

/// The trace's destination. A write error other than a closed pipe (a full disk) is reported
/// and the rest of the trace dropped while the program runs on (see [`Lossy`]).
fn open_output(path: Option<&std::path::Path>) -> Result<Lossy<Box<dyn Write>>> {
    Ok(match path {
        Some(path) => Lossy::new(
            Box::new(
                File::create(path)
                    .with_context(|| format!("cannot create output file {}", path.display()))?,
            ),
            path.display().to_string(),
        ),
        None => Lossy::new(Box::new(io::stderr()), "standard error"),
    })
}

/// strace's `-ff -o FILE`: each task's trace goes to `FILE.TID`, without pid prefixes. A file
/// is opened at the task's first line and closed when the task ends.
struct PerTaskFiles {
    base: std::path::PathBuf,
    opts: TextOptions,
    open: std::collections::HashMap<u32, TextPrinter<BufWriter<File>>>,
}

impl PerTaskFiles {
    fn printer(&mut self, tid: u32) -> io::Result<&mut TextPrinter<BufWriter<File>>> {
        if !self.open.contains_key(&tid) {
            let mut name = self.base.clone().into_os_string();
            name.push(format!(".{tid}"));
            let file = File::create(&name).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot create {}: {e}",
                        std::path::Path::new(&name).display()
                    ),
                )
            })?;
            let mut printer = TextPrinter::new(BufWriter::new(file), self.opts);
            // The printer counts live tasks to decide on `[pid N]`: one per file.
            printer.task(&TaskEvent {
                ts_ns: 0,
                pid: tid,
                tid,
                change: TaskChange::Attached,
            })?;
            self.open.insert(tid, printer);
        }
        Ok(self.open.get_mut(&tid).expect("inserted above"))
    }
}

impl Sink for PerTaskFiles {
    fn syscall_entry(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.printer(ev.tid)?.syscall_entry(ev)
    }

    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.printer(ev.tid)?.syscall_exit(ev)
    }

    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.printer(ev.tid)?.signal(ev)
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        if ev.change == TaskChange::Attached {
            return self.printer(ev.tid).map(drop);
        }
        self.printer(ev.tid)?.task(ev)?;
        if matches!(
            ev.change,
            TaskChange::Exited(_) | TaskChange::Killed { .. } | TaskChange::Detached
        ) && let Some(mut done) = self.open.remove(&ev.tid)
        {
            done.finish()?;
            done.into_inner().flush()?;
        }
        Ok(())
    }

    fn idle(&mut self) -> io::Result<()> {
        for p in self.open.values_mut() {
            p.idle()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        for (_, mut p) in self.open.drain() {
            p.finish()?;
            p.into_inner().flush()?;
        }
        Ok(())
    }
}

/// The text printer's options from the command line.
fn text_options(args: &TraceArgs) -> TextOptions {
    TextOptions {
        timestamps: match args.timestamps {
            0 => Timestamps::None,
            1 => Timestamps::Seconds,
            2 => Timestamps::Micros,
            _ => Timestamps::Epoch,
        },
        durations: args.durations,
        always_pid: false,
        // strace -f -o FILE starts every line with the pid (-ff: one file per pid, no prefix).
        plain_pids: args.capture.follow == 1 && args.output.is_some(),
        utc_offset_s: utc_offset(),
        columns: args.columns,
        quiet: args.quiet,
        numbers: args.numbers,
        relative: args.relative,
        pid_comm: args.capture.pid_comm
            || matches!(args.capture.decode_pids.as_deref(), Some("comm" | "all"))
            || args
                .capture
                .expr
                .iter()
                .any(|e| matches!(e.as_str(), "decode-pids=comm" | "decode-pids=all")),
    }
}

pub fn run(args: &TraceArgs) -> Result<ExitCode> {
    if args.timestamps > 3 {
        bail!("-t can be given at most three times (-ttt)");
    }
    if args.capture.follow > 1 {
        let Some(base) = args.output.clone() else {
            bail!("-ff writes one file per task, FILE.TID: add -o FILE");
        };
        if args.count || args.json {
            bail!("-ff writes text traces: it does not combine with -c or --json");
        }
        let plan = capture::plan(&args.capture, &args.command, false)?;
        // FILE itself is not made: the traces go to FILE.TID.
        let mut files = PerTaskFiles {
            base,
            opts: text_options(args),
            open: std::collections::HashMap::new(),
        };
        let outcome = capture::run(plan, &mut files)?;
        return Ok(capture::exit_code(outcome));
    }
    let plan = capture::plan(&args.capture, &args.command, args.count)?;
    if args.count {
        capture::refuse_dumps(&plan, "`-c`")?;
    }
    let mut out = BufWriter::with_capacity(64 * 1024, open_output(args.output.as_deref())?);

    if args.count {
        let mut summary = Summary::new();
        let sort = if args.counts_only {
            summary.set_untimed();
            SortKey::Calls
        } else {
            SortKey::Time
        };
        let outcome = capture::run_counting(plan, &mut summary, !args.counts_only)?;
        if args.json {
            let doc = summary.to_json(&[Section::Syscalls], sort, None);
            writeln!(out, "{}", serde_json::to_string_pretty(&doc["syscalls"])?)?;
        } else {
            out.write_all(summary.render(&[Section::Syscalls], sort, None).as_bytes())?;
        }
        out.flush()?;
        return Ok(capture::exit_code(outcome));
    }

    let (outcome, out) = if args.json {
        let mut json = JsonPrinter::new(out);
        let outcome = capture::run(plan, &mut json)?;
        (outcome, json.into_inner())
    } else {
        let mut text = TextPrinter::new(out, text_options(args));
        let outcome = capture::run(plan, &mut text)?;
        (outcome, text.into_inner())
    };
    if let Some(loss) = out.get_ref().loss() {
        say!("{loss}");
    }
    Ok(capture::exit_code(outcome))
}
