//! `sysgate summary`: the full report, from recordings (several are merged) or a live run.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_analyze::summary::{Section, SortKey, Summary};

use crate::args::{SortArg, SummaryArgs};
use crate::{capture, inputs};

/// The sections the eBPF backend's in-kernel statistics fill without streaming events.
const AGGREGATED: [Section; 4] = [
    Section::Syscalls,
    Section::Categories,
    Section::Processes,
    Section::Latency,
];

/// Rows per table in the text summary when --top is not given.
const DEFAULT_TOP: usize = 25;

pub fn run(args: &SummaryArgs) -> Result<ExitCode> {
    let mut sections = if args.sections.is_empty() {
        Section::ALL.to_vec()
    } else {
        let mut v = Vec::new();
        for s in &args.sections {
            let sec = Section::parse(s.trim()).with_context(|| {
                let names: Vec<&str> = Section::ALL.iter().map(|s| s.name()).collect();
                format!("unknown section `{s}` (known: {})", names.join(", "))
            })?;
            v.push(sec);
        }
        v
    };
    if args.counts_only {
        if sections.contains(&Section::Latency) && !args.sections.is_empty() {
            bail!("--counts-only times nothing: the latency section needs times");
        }
        sections.retain(|s| *s != Section::Latency);
    }
    let sort = match args.sort {
        // Without times, the largest counts first.
        SortArg::Time if args.counts_only => SortKey::Calls,
        SortArg::Time => SortKey::Time,
        SortArg::Calls => SortKey::Calls,
        SortArg::Errors => SortKey::Errors,
        SortArg::Name => SortKey::Name,
    };
    if args.top == Some(0) {
        bail!("--top must be at least 1");
    }
    let live = !(args.command.is_empty() && args.capture.pids.is_empty());
    if live && !args.files.is_empty() {
        bail!("give either a trace file or `-- CMD` / -p PID, not both");
    }
    let watch = args.capture.all || args.capture.cgroup.is_some();
    if args.counts_only && !args.files.is_empty() {
        bail!("--counts-only is for live runs: a recording's calls are timed already");
    }
    let recordings = if args.files.is_empty() {
        None
    } else {
        Some(inputs::load(&args.files)?)
    };
    // The per-recording and per-host tables, by default only when there is more than one.
    if let Some(rec) = &recordings
        && args.sections.is_empty()
    {
        sections.retain(|s| match s {
            Section::Recordings => rec.recordings() > 1,
            Section::Hosts => rec.hosts() > 1,
            _ => true,
        });
    }
    let plan = if (live || watch) && recordings.is_none() {
        let plan = capture::plan(&args.capture, &args.command, false)?;
        capture::refuse_dumps(&plan, "`summary`")?;
        capture::refuse_inject(&plan, "`summary`")?;
        Some(plan)
    } else {
        None
    };
    let kernel_only = plan.as_ref().is_some_and(|p| p.is_ebpf())
        && (args.sections.is_empty() || sections.iter().all(|s| AGGREGATED.contains(s)));
    if kernel_only && args.sections.is_empty() {
        sections = AGGREGATED.to_vec();
        if args.counts_only {
            sections.retain(|s| *s != Section::Latency);
            say!(
                "sysgate: eBPF in-kernel counts (syscalls, categories, processes); \
                 `--section files,errors,rate,threads` streams the calls for the other sections"
            );
        } else {
            say!(
                "sysgate: eBPF in-kernel statistics (syscalls, categories, processes, latency); \
                 `--section files,errors,rate,threads` streams the calls for the other sections"
            );
        }
    }
    let mut summary = if sections.contains(&Section::Threads) {
        Summary::with_threads()
    } else {
        Summary::new()
    };
    if args.counts_only {
        summary.set_untimed();
    }
    let code = match (plan, &recordings) {
        (Some(plan), _) if kernel_only => capture::exit_code(capture::run_counting(
            plan,
            &mut summary,
            !args.counts_only,
        )?),
        (Some(plan), _) => capture::exit_code(capture::run(plan, &mut summary)?),
        (None, Some(rec)) => {
            for (i, run) in rec.runs.iter().enumerate() {
                for (r, path) in rec.files(i) {
                    summary.begin_recording(i as u32, &run.label, r.clone());
                    capture::replay(path, &args.capture.debug_dirs, &mut summary, "using")?;
                }
            }
            ExitCode::SUCCESS
        }
        (None, None) => capture::feed(
            None,
            &args.capture,
            &args.command,
            &mut summary,
            "nothing to summarise: give a trace file (`sysgate summary run.sgt`) or a command (`sysgate summary -- ls /`)",
        )?,
    };
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            File::create(p)
                .with_context(|| format!("cannot create output file {}", p.display()))?,
        ),
        None => Box::new(io::stdout()),
    };
    let mut out = BufWriter::new(out);
    if args.json {
        let doc = summary.to_json(&sections, sort, args.top);
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        // A long run's tables are cut to 25 rows unless --top says otherwise (JSON is not).
        let top = args.top.or(Some(DEFAULT_TOP));
        out.write_all(summary.render(&sections, sort, top).as_bytes())?;
    }
    out.flush()?;
    Ok(code)
}
