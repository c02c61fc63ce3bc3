//! `sysgate report`: one self-contained HTML file — the data as JSON in the page, drawn by a
//! small script in the page (inline SVG and a canvas), no network, works from `file://`.
//!
//! The Rust side aggregates (the summary with every section, the advisor's findings, a
//! sampled per-thread timeline); the page only draws, so its size depends on the caps, not on
//! the run.
//!
//! Two recordings are BASE NEW, compared; three or more (or `--merge`, or a directory) are
//! merged: one summary over all of them, one advisor per run with the findings merged, and
//! every run's threads on the timeline.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde_json::{Value as Json, json};
use sysgate_analyze::advise::merge::Merged;
use sysgate_analyze::advise::{Advisor, CostModel};
use sysgate_analyze::diff::{Diff, Options as DiffOptions, Side};
use sysgate_analyze::summary::{Section, SortKey, Summary};
use sysgate_analyze::timeline::Timeline;
use sysgate_event::{SignalEvent, Sink, SyscallEvent, TaskEvent, Tee};

use crate::args::ReportArgs;
use crate::capture;
use crate::inputs::{self, Inputs};

/// The page around the data.
const PAGE: &str = include_str!("page.html");
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Rows kept per table of the summary (the syscalls table never comes near it).
const TABLE_ROWS: usize = 500;

/// Feeds the timeline from the event stream.
struct TimelineSink<'a>(&'a mut Timeline);

impl Sink for TimelineSink<'_> {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.0.add(ev);
        Ok(())
    }
    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.0.signal(ev);
        Ok(())
    }
    fn task(&mut self, _: &TaskEvent) -> io::Result<()> {
        Ok(())
    }
}

/// What one run (a recording or a live capture) gives the report.
pub struct Analysed {
    /// The summary, every section.
    pub summary: Summary,
    /// The advisor's report as JSON.
    pub advice: Json,
    /// The sampled timeline as JSON.
    pub timeline: Json,
    /// The exit status to pass on (a live run's).
    pub code: ExitCode,
}

/// Runs the summary, the advisor and the timeline over one source (and `extra`, when given,
/// over the same events).
pub fn analyse(
    file: Option<&Path>,
    args: &ReportArgs,
    costs: CostModel,
    extra: Option<&mut (dyn Sink + '_)>,
) -> Result<Analysed> {
    let mut summary = Summary::with_threads();
    let rules = sysgate_analyze::rules::select(&[], &[]).map_err(anyhow::Error::msg)?;
    let mut advisor = Advisor::new(&rules, costs);
    let mut timeline = Timeline::new(args.timeline_calls);
    let code = {
        let mut tl = TimelineSink(&mut timeline);
        let mut sinks: Vec<&mut dyn Sink> = vec![&mut summary, &mut advisor, &mut tl];
        if let Some(e) = extra {
            sinks.push(e);
        }
        let mut tee = Tee::new(sinks);
        capture::feed(
            file,
            &args.capture,
            &args.command,
            &mut tee,
            "nothing to report: give a trace file (`sysgate report run.sgt -o run.html`) or a command (`sysgate report -o run.html -- ./app`)",
        )?
    };
    Ok(Analysed {
        advice: advisor.report().to_json(),
        timeline: timeline.to_json(),
        summary,
        code,
    })
}

/// The summary's JSON with every section, tables cut at [`TABLE_ROWS`].
pub fn summary_json(summary: &Summary) -> Json {
    summary.to_json(&Section::ALL, SortKey::Time, Some(TABLE_ROWS))
}

/// The page: `data` embedded as JSON where no `</script>` in it can end the script.
pub fn render(data: &Json) -> Result<String> {
    let json = serde_json::to_string(data)?
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let title = data["title"].as_str().unwrap_or("sysgate report");
    let mut escaped = String::with_capacity(title.len());
    for c in title.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            c => escaped.push(c),
        }
    }
    // Each placeholder appears once in the page; replacing the data last keeps anything in it
    // from being read as a placeholder.
    Ok(PAGE
        .replacen("{{TITLE}}", &escaped, 1)
        .replacen("/*{{STYLE}}*/", STYLE, 1)
        .replacen("/*{{SCRIPT}}*/", SCRIPT, 1)
        .replacen("{{DATA}}", &json, 1))
}

/// Seconds since the epoch as `2026-12-07 12:04:51 UTC`.
fn utc(secs: i64) -> String {
    sysgate_analyze::sources::utc(secs.max(0) as u64 * 1_000_000_000)
}

/// The merged report of several recordings: the summary over all of them (processes kept
/// apart per run), one advisor per run with the findings merged, and one timeline with a
/// source per run.
fn analyse_many(rec: &Inputs, args: &ReportArgs, costs: &CostModel) -> Result<Analysed> {
    let mut summary = Summary::with_threads();
    let rules = sysgate_analyze::rules::select(&[], &[]).map_err(anyhow::Error::msg)?;
    let mut timeline = Timeline::new(args.timeline_calls);
    let mut reports = Vec::new();
    for (i, run) in rec.runs.iter().enumerate() {
        let mut advisor = Advisor::new(&rules, costs.clone());
        timeline.begin_source(&run.label);
        for (r, path) in rec.files(i) {
            summary.begin_recording(i as u32, &run.label, r.clone());
            let mut tl = TimelineSink(&mut timeline);
            let mut tee = Tee::new(vec![&mut summary, &mut advisor, &mut tl]);
            capture::replay(path, &args.capture.debug_dirs, &mut tee, "using")?;
        }
        reports.push((run.clone(), advisor.report()));
    }
    let advice = match reports.len() {
        1 => reports[0].1.to_json(),
        _ => Merged::new(reports).to_json(),
    };
    Ok(Analysed {
        summary,
        advice,
        timeline: timeline.to_json(),
        code: ExitCode::SUCCESS,
    })
}

/// `a.sgt, b.sgt, c.sgt (3 recordings on 2 hosts)`, the arguments as given (a few of them).
fn describe_many(args: &ReportArgs, rec: &Inputs) -> String {
    let mut names: Vec<String> = args
        .files
        .iter()
        .take(4)
        .map(|p| p.display().to_string())
        .collect();
    if args.files.len() > 4 {
        names.push(format!("… {} more", args.files.len() - 4));
    }
    let hosts = rec.hosts();
    format!(
        "{} ({} recordings on {} host{})",
        names.join(", "),
        rec.recordings(),
        hosts,
        if hosts == 1 { "" } else { "s" }
    )
}

/// The JSON the page draws: what was analysed, named, with the comparison when there is one.
fn page_data(args: &ReportArgs, source: &str, started: i64, a: &Analysed, diff: Json) -> Json {
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("sysgate report: {source}"));
    json!({
        "schema": 1,
        "title": title,
        "generated": utc(started),
        "sysgate": env!("CARGO_PKG_VERSION"),
        "source": source,
        "summary": summary_json(&a.summary),
        "advice": a.advice,
        "timeline": a.timeline,
        "diff": diff,
    })
}

pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    if args.timeline_calls == 0 {
        bail!("--timeline-calls must be at least 1");
    }
    let live = !(args.command.is_empty() && args.capture.pids.is_empty());
    if args.merge && args.files.len() < 2 {
        bail!("--merge combines recordings: give two or more");
    }
    // Three or more recordings, --merge, or a directory or pattern (all of its recordings):
    // one merged report. Exactly two files stay BASE NEW.
    let many = args.files.len() > 2
        || args.merge
        || args
            .files
            .iter()
            .any(|f| f.is_dir() || (!f.exists() && inputs::is_pattern(&f.to_string_lossy())));
    if many && live {
        bail!("give recordings or `-- CMD`, not both");
    }
    if args.files.len() == 2 && live {
        bail!("give two recordings or one recording and `-- CMD`, not both");
    }
    let costs = crate::advise::load_costs(args.costs.as_deref())?;
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    if many {
        let rec = inputs::load(&args.files)?;
        let a = analyse_many(&rec, args, &costs)?;
        let source = describe_many(args, &rec);
        write_page(args, &page_data(args, &source, started, &a, Json::Null))?;
        return Ok(a.code);
    }
    // BASE NEW: the comparison first, then the new run in full.
    let (file, base) = match args.files.as_slice() {
        [base, new] => (Some(new.as_path()), Some(base.as_path())),
        [one] => (Some(one.as_path()), None),
        _ => (None, None),
    };
    let mut base_snapshot = None;
    if let Some(base) = base {
        let (snapshot, _) = crate::diff::read_base(base, &args.capture.debug_dirs)?;
        base_snapshot = Some(snapshot);
    }
    let mut new_side = Side::new();
    let a = analyse(
        file,
        args,
        costs,
        base_snapshot
            .is_some()
            .then_some(&mut new_side as &mut dyn Sink),
    )?;
    let comparison = base_snapshot.map(|b| {
        let label = file.map(|p| p.display().to_string()).unwrap_or_default();
        Diff::new(&b, &new_side.snapshot(&label), &DiffOptions::default()).to_json()
    });
    let source = match (base, file) {
        (Some(b), Some(n)) => format!("{} → {}", b.display(), n.display()),
        (None, Some(p)) => p.display().to_string(),
        _ => args
            .command
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" "),
    };
    let comparison = comparison.unwrap_or(Json::Null);
    write_page(args, &page_data(args, &source, started, &a, comparison))?;
    Ok(a.code)
}

/// Writes the page to `-o` (or standard output for `-`) and says what it holds.
fn write_page(args: &ReportArgs, data: &Json) -> Result<()> {
    let page = render(data)?;
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("report.html"));
    if path.as_os_str() == "-" {
        let mut out = io::stdout().lock();
        out.write_all(page.as_bytes())?;
        out.flush()?;
    } else {
        let f = File::create(&path)
            .with_context(|| format!("cannot create output file {}", path.display()))?;
        let mut out = BufWriter::new(f);
        out.write_all(page.as_bytes())?;
        out.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
        let s = &data["timeline"]["sampling"];
        say!(
            "sysgate: wrote {} ({}; {} of {} calls on the timeline{})",
            path.display(),
            capture::human_bytes(page.len() as u64),
            s["shown"],
            s["calls"],
            match s["every"].as_u64() {
                Some(k) if k > 1 => format!(", one in {k} sampled, every failed call kept"),
                _ => String::new(),
            }
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_796_645_091), "2026-12-07 12:04:51 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn data_cannot_end_the_script() {
        let page =
            render(&json!({"title": "a <b> & c", "x": "</script><script>alert(1)"})).unwrap();
        assert!(!page.contains("</script><script>alert(1)"));
        assert!(page.contains("<\\/script>"));
        assert!(page.contains("<title>a &lt;b&gt; &amp; c</title>"));
        assert!(!page.contains("{{DATA}}"));
    }
}
