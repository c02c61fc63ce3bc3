//! `sysgate record --rotate`: continuous capture into a directory of sealed, self-describing
//! `.sgt` files, and `--aggregates-only`, the kernel's statistics instead of an event per call.
//!
//! [`Rotating`] is the [`Sink`] in front of the `.sgt` [`Writer`]: it owns the current file and,
//! between two events, seals it (footer, fsync, rename from `NAME.sgt.part` to `NAME.sgt`) and
//! opens the next one with the segment number one higher. Each file starts a new `Writer`, so
//! its string table and delta state start afresh and it reads alone; each process is named
//! ([`TaskChange::Named`]) in every file it appears in. File names, the series id and the
//! layout are described in `docs/continuous.md`.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use sysgate_event::sgt::{Header, Writer};
use sysgate_event::{AggregateEvent, SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent};
use sysgate_trace::ebpf;
use sysgate_trace::session::{Outcome, Target};

use crate::args::RecordArgs;
use crate::capture::{self, Backend, Plan};
use crate::lossy::Lossy;

/// Smallest `--rotate` size: below it a file would hold a handful of events.
const MIN_SIZE: u64 = 4096;
/// Shortest `--rotate` duration.
const MIN_AGE: Duration = Duration::from_secs(1);
/// Longest interval between two snapshots of the kernel's statistics (`--aggregates-only`).
pub const MAX_INTERVAL: Duration = Duration::from_secs(60);

/// When `record --rotate` starts a new file: at a size, at an age, or at whichever comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rotation {
    /// Bytes a file may reach.
    pub size: Option<u64>,
    /// How long a file stays open.
    pub age: Option<Duration>,
}

impl Rotation {
    /// Parses `64M`, `1G`, `1048576` (sizes), `30s`, `10m`, `1h`, `1d` (durations), or one of
    /// each comma-separated (`256M,1h`). An upper-case `M` is mebibytes, a lower-case `m`
    /// minutes.
    pub fn parse(spec: &str) -> Result<Rotation> {
        let mut r = Rotation::default();
        for item in spec.split(',').map(str::trim) {
            if let Some(age) = parse_age(item) {
                if age < MIN_AGE {
                    bail!("--rotate {spec}: {item} is too short; rotate at most once a second");
                }
                if r.age.replace(age).is_some() {
                    bail!("--rotate {spec}: two durations; give at most one size and one duration");
                }
            } else if let Some(size) = parse_size(item) {
                if size < MIN_SIZE {
                    bail!("--rotate {spec}: {item} is too small; give at least 4K");
                }
                if r.size.replace(size).is_some() {
                    bail!("--rotate {spec}: two sizes; give at most one size and one duration");
                }
            } else {
                bail!(
                    "--rotate {spec}: `{item}` is neither a size (64M, 1G, 1048576) nor a duration (30s, 10m, 1h, 1d)"
                );
            }
        }
        Ok(r)
    }
}

/// `30s`, `1.5h`, `10m`, `2min`, `1d`; lower-case units only (`M` is a size).
fn parse_age(s: &str) -> Option<Duration> {
    let i = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = s.split_at(i);
    let secs = match unit {
        "ms" => 0.001,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => return None,
    };
    let v: f64 = num
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    Duration::try_from_secs_f64(v * secs).ok()
}

/// `65536`, `512K`, `64M`, `64MB`, `64MiB`, `1G`, `1T` (powers of 1024).
fn parse_size(s: &str) -> Option<u64> {
    let i = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (num, unit) = s.split_at(i);
    let shift = match unit {
        "" | "B" | "b" => 0,
        "K" | "k" | "KB" | "KiB" | "kB" => 10,
        "M" | "MB" | "MiB" => 20,
        "G" | "g" | "GB" | "GiB" => 30,
        "T" | "TB" | "TiB" => 40,
        _ => return None,
    };
    num.trim().parse::<u64>().ok()?.checked_mul(1u64 << shift)
}

/// The host name as it goes into file names: letters, digits, `.`, `_` and `-` kept,
/// anything else `_`.
pub fn host_label(hostname: &str) -> String {
    let label: String = hostname
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if label.is_empty() {
        "localhost".into()
    } else {
        label
    }
}

/// `SERIES-SEGMENT.sgt`, the segment zero-padded to six digits so that names sort in order.
pub fn file_name(series: &str, segment: u64) -> String {
    format!("{series}-{segment:06}.sgt")
}

/// The (start, segment) of a complete file of `host`'s captures (`HOST-START-SEGMENT.sgt`).
fn parse_name(name: &str, host: &str) -> Option<(u64, u64)> {
    let rest = name
        .strip_suffix(".sgt")?
        .strip_prefix(host)?
        .strip_prefix('-')?;
    let (start, segment) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) || !digits(segment) {
        return None;
    }
    Some((start.parse().ok()?, segment.parse().ok()?))
}

/// `/proc/PID/comm`, while the process lives.
fn read_comm(pid: u32) -> Option<String> {
    let s = fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    let s = s.trim_end_matches('\n');
    (!s.is_empty()).then(|| s.to_string())
}

/// Makes a rename in `dir` durable.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The file being written.
struct Open {
    writer: Writer<BufWriter<Lossy<File>>>,
    /// The same file, for the fsync that seals it.
    file: File,
    /// `NAME.sgt.part`, while it is written.
    part: PathBuf,
    /// `NAME.sgt`, once sealed.
    path: PathBuf,
    opened: Instant,
    /// Snapshot intervals ended in this file (`--aggregates-only`).
    intervals: u64,
}

impl Open {
    /// Frames written after the header.
    fn records(&self) -> u64 {
        let f = self.writer.footer();
        f.syscalls + f.signals + f.tasks + f.aggregates
    }
}

/// How [`Rotating`] runs: where, when to rotate, how many files to keep.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The directory of files.
    pub dir: PathBuf,
    /// When to start a new file.
    pub rotation: Rotation,
    /// Complete files of this host to keep (`--keep`).
    pub keep: Option<usize>,
    /// No progress lines.
    pub quiet: bool,
    /// `--aggregates-only` when `Some`: files hold aggregate records and are sealed only at the
    /// end of a snapshot interval, never between two records of one snapshot: after the
    /// number of intervals inside (`Some(n)`, from the `--rotate` duration), or when full.
    pub aggregates: Option<Option<u64>>,
}

/// What a whole continuous capture wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    /// Files sealed.
    pub files: u64,
    /// Events (or aggregate records) in them.
    pub records: u64,
    /// Syscall events in them.
    pub syscalls: u64,
    /// Bytes of them.
    pub bytes: u64,
}

/// A [`Sink`] that writes a series of `.sgt` files, sealing one and opening the next between
/// two events.
pub struct Rotating {
    settings: Settings,
    header: Header,
    host: String,
    current: Option<Open>,
    segment: u64,
    /// The last known command of each process.
    names: HashMap<u32, String>,
    /// Processes named in the current file.
    named: HashSet<u32>,
    totals: Totals,
}

impl Rotating {
    /// Opens segment 0 of the series `header.series` in `settings.dir`.
    pub fn new(settings: Settings, header: Header) -> io::Result<Rotating> {
        let mut r = Rotating {
            host: host_label(&header.hostname),
            settings,
            header,
            current: None,
            segment: 0,
            names: HashMap::new(),
            named: HashSet::new(),
            totals: Totals::default(),
        };
        r.open()?;
        Ok(r)
    }

    /// What was written so far (sealed files only).
    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// Seals the current file, if one is open; the capture is over.
    pub fn close(&mut self) -> io::Result<()> {
        self.seal()
    }

    fn open(&mut self) -> io::Result<()> {
        let name = file_name(&self.header.series, self.segment);
        let path = self.settings.dir.join(&name);
        let part = self.settings.dir.join(format!("{name}.part"));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&part)
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create {}: {e}", part.display()))
            })?;
        let sync = file.try_clone()?;
        let header = Header {
            start_ns: now_ns(),
            segment: self.segment,
            ..self.header.clone()
        };
        let out =
            BufWriter::with_capacity(256 * 1024, Lossy::new(file, part.display().to_string()));
        let writer = match self.settings.aggregates {
            Some(_) => Writer::with_aggregates(out, &header)?,
            None => Writer::new(out, &header)?,
        };
        self.current = Some(Open {
            writer,
            file: sync,
            part,
            path,
            opened: Instant::now(),
            intervals: 0,
        });
        Ok(())
    }

    /// Writes the footer, makes the file durable and gives it its final name; a file that
    /// could not be written completely keeps its `.part` name.
    fn seal(&mut self) -> io::Result<()> {
        let Some(mut o) = self.current.take() else {
            return Ok(());
        };
        o.writer.finish()?;
        let footer = o.writer.footer();
        let records = o.records();
        let bytes = o.writer.bytes_written();
        let lossy = o
            .writer
            .into_inner()
            .into_inner()
            .map_err(|e| e.into_error())?;
        if let Some(loss) = lossy.loss() {
            say!("{loss}; it keeps its .part name");
            return Ok(());
        }
        drop(lossy);
        if let Err(e) = o.file.sync_all() {
            say!(
                "sysgate: cannot sync {}: {e}; it keeps its .part name",
                o.part.display()
            );
            return Ok(());
        }
        fs::rename(&o.part, &o.path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot rename {} to {}: {e}",
                    o.part.display(),
                    o.path.display()
                ),
            )
        })?;
        sync_dir(&self.settings.dir);
        self.totals.files += 1;
        self.totals.records += records;
        self.totals.syscalls += footer.syscalls;
        self.totals.bytes += bytes;
        if !self.settings.quiet {
            let what = if self.settings.aggregates.is_some() {
                "aggregates"
            } else {
                "events"
            };
            let n = if self.settings.aggregates.is_some() {
                footer.aggregates
            } else {
                records
            };
            say!(
                "sysgate: sealed {} ({n} {what}, {})",
                o.path.display(),
                capture::human_bytes(bytes)
            );
        }
        self.prune();
        Ok(())
    }

    /// Deletes the oldest complete files of this host beyond `--keep`.
    fn prune(&self) {
        let Some(keep) = self.settings.keep else {
            return;
        };
        let Ok(entries) = fs::read_dir(&self.settings.dir) else {
            return;
        };
        let mut files: Vec<((u64, u64), PathBuf)> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name();
                let key = parse_name(name.to_str()?, &self.host)?;
                Some((key, e.path()))
            })
            .collect();
        if files.len() <= keep {
            return;
        }
        files.sort();
        for (_, path) in &files[..files.len() - keep] {
            if let Err(e) = fs::remove_file(path) {
                say!("sysgate: --keep: cannot remove {}: {e}", path.display());
            }
        }
    }

    /// Seals the current file and opens the next.
    fn rotate(&mut self) -> io::Result<()> {
        self.seal()?;
        self.segment += 1;
        // Names of processes seen in the file just sealed are kept for the next; others are
        // read again from /proc when they show up.
        let named = std::mem::take(&mut self.named);
        self.names.retain(|pid, _| named.contains(pid));
        self.open()
    }

    /// Whether the current file is due to be sealed before the next event.
    fn due(&self) -> bool {
        let Some(o) = &self.current else {
            return false;
        };
        let r = self.settings.rotation;
        r.size
            .is_some_and(|s| o.records() > 0 && o.writer.bytes_written() >= s)
            || r.age.is_some_and(|a| o.opened.elapsed() >= a)
    }

    /// Rotates first when the file is due (event files only: aggregate files rotate at the
    /// end of an interval).
    fn before_event(&mut self) -> io::Result<()> {
        if self.settings.aggregates.is_none() && self.due() {
            self.rotate()?;
        }
        Ok(())
    }

    fn writer(&mut self) -> io::Result<&mut Writer<BufWriter<Lossy<File>>>> {
        match &mut self.current {
            Some(o) => Ok(&mut o.writer),
            None => Err(io::Error::other("the recording is already sealed")),
        }
    }

    /// Names `pid` in the current file before its first event there, so that every file says
    /// which command each of its processes runs, even one that started files earlier.
    fn name(&mut self, pid: u32, ts_ns: u64) -> io::Result<()> {
        if !self.named.insert(pid) {
            return Ok(());
        }
        let Some(comm) = read_comm(pid).or_else(|| self.names.get(&pid).cloned()) else {
            return Ok(());
        };
        let ev = TaskEvent {
            ts_ns,
            pid,
            tid: pid,
            change: TaskChange::named(&comm),
        };
        self.names.insert(pid, comm);
        self.writer()?.task(&ev)
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

impl Sink for Rotating {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.before_event()?;
        self.name(ev.pid, ev.ts_ns)?;
        if !ev.is_error
            && ev.ret == 0
            && ev
                .syscall
                .is_some_and(|s| s.name == "execve" || s.name == "execveat")
            && let Some(comm) = read_comm(ev.pid)
        {
            self.names.insert(ev.pid, comm);
        }
        self.writer()?.syscall_exit(ev)
    }

    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.before_event()?;
        self.writer()?.signal(ev)
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.before_event()?;
        match ev.change {
            TaskChange::Named { .. } => {
                if let Some(comm) = ev.change.comm() {
                    self.names.insert(ev.pid, comm);
                }
                self.named.insert(ev.pid);
            }
            TaskChange::Exited(_) | TaskChange::Killed { .. } if ev.pid == ev.tid => {
                self.names.remove(&ev.pid);
            }
            _ => {}
        }
        self.writer()?.task(ev)
    }

    fn aggregate(&mut self, ev: &AggregateEvent) -> io::Result<()> {
        self.name(ev.pid, ev.end_ns)?;
        self.writer()?.aggregate(ev)
    }

    fn interval_end(&mut self, _end_ns: u64) -> io::Result<()> {
        let Some(per_file) = self.settings.aggregates else {
            return Ok(());
        };
        let Some(o) = &mut self.current else {
            return Ok(());
        };
        o.intervals += 1;
        let full = self
            .settings
            .rotation
            .size
            .is_some_and(|s| o.writer.bytes_written() >= s);
        if full || per_file.is_some_and(|k| o.intervals >= k) {
            self.rotate()?;
        }
        Ok(())
    }

    fn idle(&mut self) -> io::Result<()> {
        // A quiet program still gets its files sealed on time.
        if self.settings.aggregates.is_none() && self.due() {
            return self.rotate();
        }
        match &mut self.current {
            Some(o) => o.writer.idle(),
            None => Ok(()),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.seal()
    }
}

/// Checks `--aggregates-only` against the plan and returns the snapshot interval and, with a
/// `--rotate` duration, how many intervals go into one file.
pub fn aggregates_interval(plan: &Plan, rotation: Rotation) -> Result<(Duration, Option<u64>)> {
    if !plan.is_ebpf() {
        bail!(
            "--aggregates-only writes the statistics the eBPF program keeps in the kernel: add --backend ebpf"
        );
    }
    if plan.capture.stacks {
        bail!("-k records the stack of each call; --aggregates-only records no calls");
    }
    Ok(match rotation.age {
        Some(age) => {
            let every = age.min(MAX_INTERVAL);
            let per_file = age.as_nanos().div_ceil(every.as_nanos().max(1)) as u64;
            (every, Some(per_file))
        }
        None => (MAX_INTERVAL, None),
    })
}

/// Runs an eBPF plan with the kernel aggregating and nothing streamed, delivering the
/// statistics to `sink` every `every` ([`ebpf::run_intervals`]). Returns how the program
/// ended and how long the program took to load and attach.
pub fn capture_intervals(
    plan: Plan,
    sink: &mut dyn Sink,
    every: Duration,
) -> Result<(Outcome, Option<ebpf::Startup>)> {
    let Backend::Ebpf { scope, buffer, .. } = plan.backend else {
        bail!("--aggregates-only needs the eBPF backend: add --backend ebpf");
    };
    sysgate_trace::session::relay::install(
        plan.kill_after,
        matches!(plan.target, Target::Spawn(_)),
    );
    if matches!(plan.target, Target::Watch) {
        say!("sysgate: watching until Ctrl-C");
    }
    let opts = ebpf::Options {
        capture: plan.capture,
        scope,
        aggregate: true,
        timed: true,
        stream: false,
        buffer,
    };
    let report =
        ebpf::run_intervals(&opts, &plan.target, sink, every).map_err(capture::trace_error)?;
    capture::report_loss(&report.loss, buffer);
    Ok((report.outcome, Some(report.startup)))
}

/// `-o DIR` for `--rotate`: created when missing; anything but a directory is refused.
fn output_dir(output: Option<&Path>) -> Result<PathBuf> {
    let Some(dir) = output else {
        bail!("--rotate writes a series of files into a directory: give it with -o DIR");
    };
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => bail!(
            "-o {}: not a directory; with --rotate, -o names the directory the files go to (created if missing)",
            dir.display()
        ),
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir_all(dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?,
        Err(e) => bail!("-o {}: {e}", dir.display()),
    }
    Ok(dir.to_path_buf())
}

/// `sysgate record --rotate SPEC -o DIR …`.
pub fn run(args: &RecordArgs) -> Result<ExitCode> {
    let spec = args.rotate.as_deref().unwrap_or_default();
    let rotation = Rotation::parse(spec)?;
    if args.keep == Some(0) {
        bail!("--keep 0 would delete every file as soon as it is sealed: give N of 1 or more");
    }
    if args.output.is_none() {
        bail!("--rotate writes a series of files into a directory: give it with -o DIR");
    }
    let plan = capture::plan(&args.capture, &args.command, false)?;
    capture::refuse_dumps(&plan, "`record`")?;
    let aggregates = if args.aggregates_only {
        Some(aggregates_interval(&plan, rotation)?)
    } else {
        None
    };
    // Made only once everything else is known to be right.
    let dir = output_dir(args.output.as_deref())?;
    let command = capture::describe(&plan.target, &args.command);
    let mut header = crate::record::header(&plan, &args.capture, command);
    header.series = format!("{}-{}", host_label(&header.hostname), header.start_ns);
    let settings = Settings {
        dir: dir.clone(),
        rotation,
        keep: args.keep,
        quiet: args.quiet,
        aggregates: aggregates.map(|(_, per_file)| per_file),
    };
    let mut sink = Rotating::new(settings, header).context("cannot start the capture")?;
    let result = match aggregates {
        Some((every, _)) => capture_intervals(plan, &mut sink, every),
        None => capture::run_timed(plan, &mut sink),
    };
    // Sealed also when the capture failed: what was written stays readable.
    let closed = sink.close();
    let (outcome, _) = result?;
    closed.context("cannot seal the last file")?;
    let t = sink.totals();
    if !args.quiet {
        let what = if args.aggregates_only {
            "aggregate records".to_string()
        } else {
            format!("events ({} syscalls)", t.syscalls)
        };
        let kept = match args.keep {
            Some(n) if t.files > n as u64 => format!("; the newest {n} kept"),
            _ => String::new(),
        };
        say!(
            "sysgate: wrote {} {what} in {} files to {} ({}{kept})",
            t.records,
            t.files,
            dir.display(),
            capture::human_bytes(t.bytes)
        );
    }
    Ok(capture::exit_code(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sysgate_event::sgt::Reader;
    use sysgate_kb::Arch;

    #[test]
    fn rotation_specs() {
        let r = Rotation::parse("64M").unwrap();
        assert_eq!((r.size, r.age), (Some(64 << 20), None));
        let r = Rotation::parse("10m").unwrap();
        assert_eq!((r.size, r.age), (None, Some(Duration::from_secs(600))));
        let r = Rotation::parse("256M,1h").unwrap();
        assert_eq!(
            (r.size, r.age),
            (Some(256 << 20), Some(Duration::from_secs(3600)))
        );
        let r = Rotation::parse("30s, 1G").unwrap();
        assert_eq!(
            (r.size, r.age),
            (Some(1 << 30), Some(Duration::from_secs(30)))
        );
        assert_eq!(Rotation::parse("1048576").unwrap().size, Some(1 << 20));
        assert_eq!(Rotation::parse("256K").unwrap().size, Some(256 << 10));
        assert_eq!(
            Rotation::parse("1d").unwrap().age,
            Some(Duration::from_secs(86_400))
        );
        for (bad, says) in [
            ("5x", "neither a size"),
            ("", "neither a size"),
            ("64M,", "neither a size"),
            ("1h,2h", "two durations"),
            ("1M,2M", "two sizes"),
            ("100", "too small"),
            ("500ms", "too short"),
            ("-5M", "neither"),
        ] {
            let e = Rotation::parse(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn names_sort_and_parse_back() {
        assert_eq!(host_label("web-1.example"), "web-1.example");
        assert_eq!(host_label("a b/c"), "a_b_c");
        assert_eq!(host_label(""), "localhost");
        let n = file_name("web-1-1767225600000000000", 7);
        assert_eq!(n, "web-1-1767225600000000000-000007.sgt");
        assert_eq!(
            parse_name(&n, "web-1"),
            Some((1_767_225_600_000_000_000, 7))
        );
        assert_eq!(parse_name(&n, "web"), None, "another host's file");
        assert_eq!(parse_name(&format!("{n}.part"), "web-1"), None);
        assert_eq!(parse_name("web-1-notes.sgt", "web-1"), None);
    }

    fn header() -> Header {
        Header {
            hostname: "box".into(),
            series: "box-1".into(),
            start_ns: 1,
            ..Header::default()
        }
    }

    fn event(pid: u32, ts: u64) -> SyscallEvent {
        let mut e = SyscallEvent::new();
        e.ts_ns = ts;
        e.pid = pid;
        e.tid = pid;
        e.arch = Arch::X86_64;
        e.nr = 39;
        e.syscall = sysgate_kb::by_name("getpid");
        e.ret = i64::from(pid);
        e.phase = sysgate_event::Phase::Completed;
        e
    }

    #[derive(Default)]
    struct Count {
        calls: u64,
        named: Vec<(u32, String)>,
    }

    impl Sink for Count {
        fn syscall_exit(&mut self, _: &SyscallEvent) -> io::Result<()> {
            self.calls += 1;
            Ok(())
        }
        fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
            Ok(())
        }
        fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
            if let Some(c) = ev.change.comm() {
                self.named.push((ev.pid, c));
            }
            Ok(())
        }
    }

    fn sealed(dir: &Path) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn every_event_lands_in_exactly_one_self_standing_file() {
        let dir = std::env::temp_dir().join(format!("sysgate-rotate-unit-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let settings = Settings {
            dir: dir.clone(),
            rotation: Rotation {
                size: Some(MIN_SIZE),
                age: None,
            },
            keep: None,
            quiet: true,
            aggregates: None,
        };
        let mut r = Rotating::new(settings, header()).unwrap();
        // A process that is not this one, named once by its stream (as -p names it).
        r.task(&TaskEvent {
            ts_ns: 2,
            pid: u32::MAX - 1,
            tid: u32::MAX - 1,
            change: TaskChange::named("worker"),
        })
        .unwrap();
        let n = 5000;
        for i in 0..n {
            r.syscall_exit(&event(u32::MAX - 1, 10 + i)).unwrap();
        }
        r.finish().unwrap();
        let files = sealed(&dir);
        assert!(files.len() >= 3, "{files:?}");
        let mut calls = 0;
        for (i, f) in files.iter().enumerate() {
            assert!(f.extension().is_some_and(|e| e == "sgt"), "{f:?}");
            let mut reader = Reader::open(f).unwrap();
            assert_eq!(reader.header().segment, i as u64);
            assert_eq!(reader.header().series, "box-1");
            let mut c = Count::default();
            let stats = reader.replay(&mut c).unwrap();
            assert!(stats.footer.is_some(), "{f:?} is sealed");
            assert_eq!(
                c.named,
                [(u32::MAX - 1, "worker".to_string())],
                "{f:?} names its process"
            );
            calls += c.calls;
        }
        assert_eq!(calls, n);
        assert_eq!(r.totals().files, files.len() as u64);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn keep_deletes_the_oldest_of_this_host_only() {
        let dir = std::env::temp_dir().join(format!("sysgate-keep-unit-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        // An earlier capture of this host, another host's file and a file of the user's.
        for f in [
            "box-0-000000.sgt",
            "box-0-000001.sgt",
            "other-0-000000.sgt",
            "notes.sgt",
        ] {
            fs::write(dir.join(f), b"x").unwrap();
        }
        let settings = Settings {
            dir: dir.clone(),
            rotation: Rotation {
                size: Some(MIN_SIZE),
                age: None,
            },
            keep: Some(2),
            quiet: true,
            aggregates: None,
        };
        let mut r = Rotating::new(settings, header()).unwrap();
        for i in 0..5000 {
            r.syscall_exit(&event(1, 10 + i)).unwrap();
        }
        r.finish().unwrap();
        assert!(r.totals().files >= 3);
        let names: Vec<String> = sealed(&dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        let last = r.totals().files - 1;
        assert_eq!(
            names,
            [
                file_name("box-1", last - 1),
                file_name("box-1", last),
                "notes.sgt".to_string(),
                "other-0-000000.sgt".to_string(),
            ]
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
