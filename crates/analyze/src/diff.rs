//! `sysgate diff`: two runs of a program compared, for people and for CI.
//!
//! Each run becomes a [`Snapshot`], built from what the existing analyses already computed: the
//! run's [`Summary`] (calls, errors, time and latency percentiles per syscall, files, error
//! kinds) and its advise [`Report`] (findings), plus the bytes each syscall moved, the one number
//! the summary does not keep per syscall. [`Side`] is the [`Sink`] that fills all three from one
//! pass over the events, live or from a recording.
//!
//! [`Diff::new`] compares two snapshots under [`Options`]: per syscall and in total, each
//! [`Metric`] as base → new with the change in absolute terms and in percent; the syscalls,
//! files, error kinds (syscall + errno) and findings (rule + subject) that appeared or
//! disappeared; the syscalls the new run makes that the base run's generated seccomp profile
//! would refuse (profile drift); and, when [`Options::gate`] holds thresholds, the
//! [`Regression`]s a CI job fails on. Small numbers are noise: a syscall's counts are compared
//! only when one side made at least [`Options::min_calls`] calls, and its time and latency only
//! when, in addition, one side spent at least [`Options::min_time_ns`] in it.
//!
//! [`Diff::render`] is the text form, [`Diff::to_json`] the machine form (schema in
//! `docs/diff.md`; other reports embed it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io;

use serde_json::{Value as Json, json};
use sysgate_event::{Phase, SignalEvent, Sink, SyscallEvent, TaskEvent};
use sysgate_kb::Arch;

use crate::advise::cost::{fmt_bytes, fmt_count, fmt_ns};
use crate::advise::{Advisor, Finding, Report, Severity};
use crate::calls::{file_read, file_write};
use crate::summary::{Section, SortKey, Summary};

/// The version of the JSON document ([`Diff::to_json`]).
pub const VERSION: u64 = 1;
/// Default of [`Options::min_calls`].
pub const DEFAULT_MIN_CALLS: u64 = 10;
/// Default of [`Options::min_time_ns`]: one millisecond.
pub const DEFAULT_MIN_TIME_NS: u64 = 1_000_000;

/// What is compared for each syscall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// Completed calls.
    Calls,
    /// Calls that failed.
    Errors,
    /// Total time in the calls, ns.
    Time,
    /// Bytes moved by successful reads, writes, sends, receives and copies.
    Bytes,
    /// Median call duration, ns.
    P50,
    /// 99th percentile of the call duration, ns.
    P99,
}

impl Metric {
    /// Every metric, in display order.
    pub const ALL: [Metric; 6] = [
        Metric::Calls,
        Metric::Errors,
        Metric::Time,
        Metric::Bytes,
        Metric::P50,
        Metric::P99,
    ];

    /// The name on the command line (`--threshold time=50`) and in regressions.
    pub const fn name(self) -> &'static str {
        match self {
            Metric::Calls => "calls",
            Metric::Errors => "errors",
            Metric::Time => "time",
            Metric::Bytes => "bytes",
            Metric::P50 => "p50",
            Metric::P99 => "p99",
        }
    }

    /// The key in JSON, with its unit (`time_ns`).
    pub const fn key(self) -> &'static str {
        match self {
            Metric::Calls => "calls",
            Metric::Errors => "errors",
            Metric::Time => "time_ns",
            Metric::Bytes => "bytes",
            Metric::P50 => "p50_ns",
            Metric::P99 => "p99_ns",
        }
    }

    /// Parses a [`Metric::name`] or a [`Metric::key`].
    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL
            .into_iter()
            .find(|m| m.name() == s || m.key() == s)
    }

    /// Whether the metric is a duration, compared only above the time floor.
    pub const fn is_time(self) -> bool {
        matches!(self, Metric::Time | Metric::P50 | Metric::P99)
    }

    /// Whether the total of a run has it (percentiles of different syscalls do not add up).
    pub const fn has_total(self) -> bool {
        matches!(
            self,
            Metric::Calls | Metric::Errors | Metric::Time | Metric::Bytes
        )
    }

    fn index(self) -> usize {
        self as usize
    }

    /// A value of this metric for people: a count, a duration or a size.
    pub fn format(self, v: u64) -> String {
        match self {
            Metric::Calls | Metric::Errors => fmt_count(v),
            Metric::Time | Metric::P50 | Metric::P99 => fmt_ns(v as f64),
            Metric::Bytes => fmt_bytes(v),
        }
    }
}

/// One syscall's numbers in one run (or a run's totals, without percentiles).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyscallStats {
    /// Completed calls.
    pub calls: u64,
    /// Failed calls.
    pub errors: u64,
    /// Total time in the calls, ns.
    pub total_ns: u64,
    /// Bytes moved.
    pub bytes: u64,
    /// Median duration, ns.
    pub p50_ns: u64,
    /// 99th percentile duration, ns.
    pub p99_ns: u64,
}

impl SyscallStats {
    /// The value of `m`.
    pub fn get(&self, m: Metric) -> u64 {
        match m {
            Metric::Calls => self.calls,
            Metric::Errors => self.errors,
            Metric::Time => self.total_ns,
            Metric::Bytes => self.bytes,
            Metric::P50 => self.p50_ns,
            Metric::P99 => self.p99_ns,
        }
    }

    fn add(&mut self, o: &SyscallStats) {
        self.calls += o.calls;
        self.errors += o.errors;
        self.total_ns += o.total_ns;
        self.bytes += o.bytes;
    }
}

/// An advise finding reduced to what identifies it across runs: the rule and its subject.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRef {
    /// The rule id (`small-reads`).
    pub rule: String,
    /// What the finding is about, stable from run to run: the path of the first descriptor in
    /// its evidence (pseudo-files such as `pipe (pid 7, fd 3)` lose their pid and fd; process
    /// ids inside paths become `{pid}`), else the syscall of its first sample call, else empty.
    pub subject: String,
    /// Its severity.
    pub severity: Severity,
    /// The rule's title.
    pub title: String,
    /// The finding's one-line message.
    pub message: String,
}

impl FindingRef {
    /// The reference of `f`, found in a run whose process and thread ids are `pids`.
    pub fn of(f: &Finding, pids: &BTreeSet<u32>) -> FindingRef {
        let subject = match f.evidence.fds.first() {
            Some(fd) => {
                let label = fd.path.split(" (pid ").next().unwrap_or(&fd.path);
                stable(label, pids)
            }
            None => f
                .evidence
                .samples
                .first()
                .and_then(|s| s.line.split('(').next())
                .unwrap_or_default()
                .to_string(),
        };
        FindingRef {
            rule: f.rule.to_string(),
            subject,
            severity: f.severity,
            title: f.title.to_string(),
            message: f.message.clone(),
        }
    }

    fn key(&self) -> (&str, &str) {
        (&self.rule, &self.subject)
    }

    fn to_json(&self) -> Json {
        json!({
            "rule": self.rule,
            "subject": self.subject,
            "severity": self.severity.name(),
            "title": self.title,
            "message": self.message,
            "doc": format!("docs/rules/{}.md", self.rule),
        })
    }

    fn describe(&self) -> String {
        if self.subject.is_empty() {
            self.rule.clone()
        } else {
            format!("{} ({})", self.rule, self.subject)
        }
    }
}

/// A syscall that failed with an errno, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorKind {
    /// The syscall (`openat`).
    pub syscall: String,
    /// The errno name (`ENOENT`).
    pub errno: String,
    /// Failures of this kind in the run that has it.
    pub count: u64,
}

impl ErrorKind {
    fn to_json(&self) -> Json {
        json!({"syscall": self.syscall, "errno": self.errno, "count": self.count})
    }
}

/// What one run contributes to a comparison.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// How the run is named in reports: the recording's path or the command.
    pub label: String,
    /// Per syscall (the summary's names: `read`, `i386:getpid` for another ABI).
    pub syscalls: BTreeMap<String, SyscallStats>,
    /// The paths the run opened, read or wrote, with process ids inside them replaced by
    /// `{pid}` (`/proc/{pid}/maps`); inherited descriptors, pipes and sockets are left out.
    pub files: BTreeSet<String>,
    /// Failures by (syscall, errno name).
    pub errors: BTreeMap<(String, String), u64>,
    /// The advise findings.
    pub findings: Vec<FindingRef>,
    /// From the first call to the end of the last, ns.
    pub duration_ns: u64,
    /// The syscall names the seccomp profile generated from this run allows, when the caller
    /// computed it (`sysgate profile` lives above this crate); profile drift falls back to
    /// "syscalls this run did not make" without it.
    pub allowed: Option<BTreeSet<String>>,
}

/// The summary's name of a syscall: plain on this machine's ABI, `arch:name` on another.
fn syscall_name(arch: Arch, nr: u32) -> String {
    match sysgate_kb::lookup(arch, u64::from(nr)) {
        Some(s) if arch == Arch::native() => s.name.to_string(),
        Some(s) => format!("{arch}:{}", s.name),
        None => format!("syscall_{nr:#x}"),
    }
}

/// `path` with every number that is one of `pids` replaced by `{pid}`, so that the same file of
/// two runs has the same name (`/tmp/app-{pid}.sock`).
fn stable(path: &str, pids: &BTreeSet<u32>) -> String {
    let mut out = String::with_capacity(path.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        let is_pid = digits
            .parse::<u32>()
            .is_ok_and(|n| n > 1 && pids.contains(&n));
        if is_pid {
            out.push_str("{pid}");
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in path.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// Whether a summary file label names a path (not `<stdout>`, `<fd 5>`, `pipe (pid 7, fd 3)`,
/// a socket endpoint or `?`).
fn is_path(label: &str) -> bool {
    !(label.is_empty()
        || label == "?"
        || label.starts_with('<')
        || label.contains(" (pid ")
        || label.contains(":["))
}

impl Snapshot {
    /// The snapshot of a run from its summary, its advise report and the bytes moved per
    /// syscall (by the summary's syscall names). Reads the summary through its JSON form, the
    /// summary's public shape, so both stay one definition.
    pub fn new(summary: &Summary, report: &Report, bytes: &BTreeMap<String, u64>) -> Snapshot {
        let doc = summary.to_json(
            &[
                Section::Syscalls,
                Section::Latency,
                Section::Files,
                Section::Errors,
                Section::Processes,
            ],
            SortKey::Name,
            None,
        );
        let rows = |key: &str| doc[key].as_array().cloned().unwrap_or_default();
        let num = |v: &Json, key: &str| v[key].as_u64().unwrap_or(0);
        let text = |v: &Json, key: &str| v[key].as_str().unwrap_or_default().to_string();
        let mut syscalls: BTreeMap<String, SyscallStats> = BTreeMap::new();
        for r in rows("syscalls") {
            let name = text(&r, "syscall");
            let s = syscalls.entry(name.clone()).or_default();
            s.calls = num(&r, "calls");
            s.errors = num(&r, "errors");
            s.total_ns = num(&r, "total_ns");
            s.bytes = bytes.get(&name).copied().unwrap_or(0);
        }
        for r in rows("latency") {
            if let Some(s) = syscalls.get_mut(&text(&r, "syscall")) {
                s.p50_ns = num(&r, "p50_ns");
                s.p99_ns = num(&r, "p99_ns");
            }
        }
        let mut pids: BTreeSet<u32> = BTreeSet::new();
        for r in rows("processes") {
            for key in ["pid", "tid"] {
                if let Some(n) = r[key].as_u64().and_then(|n| u32::try_from(n).ok()) {
                    pids.insert(n);
                }
            }
        }
        for f in &report.findings {
            pids.extend(&f.evidence.pids);
            pids.extend(&f.evidence.tids);
        }
        let files = rows("files")
            .iter()
            .map(|r| text(r, "file"))
            .filter(|l| is_path(l))
            .map(|l| stable(&l, &pids))
            .collect();
        let mut errors: BTreeMap<(String, String), u64> = BTreeMap::new();
        for r in rows("errors") {
            *errors
                .entry((text(&r, "syscall"), text(&r, "errno")))
                .or_default() += num(&r, "count");
        }
        Snapshot {
            label: String::new(),
            syscalls,
            files,
            errors,
            findings: report
                .findings
                .iter()
                .map(|f| FindingRef::of(f, &pids))
                .collect(),
            duration_ns: report.duration_ns,
            allowed: None,
        }
    }

    /// The totals over the syscalls not in `ignore` (no percentiles).
    fn totals(&self, ignore: &BTreeSet<String>) -> SyscallStats {
        let mut t = SyscallStats::default();
        for (name, s) in &self.syscalls {
            if !ignored(ignore, name) {
                t.add(s);
            }
        }
        t
    }
}

/// Whether `name` (possibly `arch:name`) is in `ignore`.
fn ignored(ignore: &BTreeSet<String>, name: &str) -> bool {
    ignore.contains(name) || ignore.contains(bare(name))
}

/// `read` of `i386:read`.
fn bare(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Whether a successful call of `name` returns the number of bytes it moved.
fn moves_bytes(name: &str) -> bool {
    matches!(
        name,
        file_read!()
            | file_write!()
            | "recvfrom"
            | "recvmsg"
            | "sendto"
            | "sendmsg"
            | "sendfile"
            | "splice"
            | "tee"
            | "vmsplice"
            | "copy_file_range"
    )
}

/// One run being read: a [`Sink`] that feeds a [`Summary`] and an [`Advisor`] with every rule
/// (built-in costs, so both sides are judged alike on any machine) and counts the bytes each
/// syscall moved. [`Side::snapshot`] turns it into a [`Snapshot`].
pub struct Side {
    summary: Summary,
    advisor: Advisor,
    bytes: BTreeMap<(Arch, u32), u64>,
}

impl Default for Side {
    fn default() -> Self {
        Side::new()
    }
}

impl Side {
    /// An empty side.
    pub fn new() -> Side {
        Side {
            summary: Summary::new(),
            advisor: Advisor::all(),
            bytes: BTreeMap::new(),
        }
    }

    /// Completed syscalls seen so far.
    pub fn calls(&self) -> u64 {
        self.summary.calls()
    }

    /// The summary of what was seen.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Runs the advisor's rules and returns the snapshot, named `label`.
    pub fn snapshot(&mut self, label: &str) -> Snapshot {
        let report = self.advisor.report();
        let mut bytes: BTreeMap<String, u64> = BTreeMap::new();
        for (&(arch, nr), &b) in &self.bytes {
            *bytes.entry(syscall_name(arch, nr)).or_default() += b;
        }
        let mut snap = Snapshot::new(&self.summary, &report, &bytes);
        snap.label = label.to_string();
        snap
    }
}

impl Sink for Side {
    fn syscall_entry(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.summary.syscall_entry(ev)?;
        self.advisor.syscall_entry(ev)
    }

    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.summary.syscall_exit(ev)?;
        self.advisor.syscall_exit(ev)?;
        if ev.phase == Phase::Completed
            && !ev.is_error
            && ev.ret > 0
            && ev.syscall.is_some_and(|s| moves_bytes(s.name))
        {
            *self.bytes.entry((ev.arch, ev.nr)).or_default() += ev.ret as u64;
        }
        Ok(())
    }

    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.summary.signal(ev)?;
        self.advisor.signal(ev)
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.summary.task(ev)?;
        self.advisor.task(ev)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.summary.finish()?;
        self.advisor.finish()
    }
}

/// Percent thresholds per metric: a metric that grows by more than its threshold is a
/// regression; a metric without one is not gated.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Thresholds {
    pct: [Option<f64>; 6],
}

impl Thresholds {
    /// `pct` for calls, errors, time and bytes (`--fail-on-regression PCT`); the latency
    /// percentiles are gated only when asked for one by one.
    pub fn uniform(pct: f64) -> Thresholds {
        let mut t = Thresholds::default();
        for m in Metric::ALL.into_iter().filter(|m| m.has_total()) {
            t.set(m, Some(pct));
        }
        t
    }

    /// Sets (or with `None` clears) the threshold of `m`.
    pub fn set(&mut self, m: Metric, pct: Option<f64>) {
        self.pct[m.index()] = pct;
    }

    /// The threshold of `m`.
    pub fn get(&self, m: Metric) -> Option<f64> {
        self.pct[m.index()]
    }

    fn to_json(self) -> Json {
        let map: serde_json::Map<String, Json> = Metric::ALL
            .iter()
            .map(|m| (m.name().to_string(), json!(self.get(*m))))
            .collect();
        Json::Object(map)
    }

    /// `calls 20%, time 50%`.
    fn describe(&self) -> String {
        let set: Vec<String> = Metric::ALL
            .iter()
            .filter_map(|m| {
                self.get(*m)
                    .map(|p| format!("{} {}%", m.name(), trim_pct(p)))
            })
            .collect();
        if set.is_empty() {
            "no metric thresholds".into()
        } else {
            set.join(", ")
        }
    }
}

/// How a comparison is made.
#[derive(Debug, Clone)]
pub struct Options {
    /// A syscall's metrics are compared only when one side made at least this many calls.
    pub min_calls: u64,
    /// A syscall's time and latency are compared only when, besides, one side spent at least
    /// this long in it, ns.
    pub min_time_ns: u64,
    /// Syscalls left out of every comparison (plain names also match other ABIs' `arch:name`).
    pub ignore: BTreeSet<String>,
    /// Thresholds when gating (CI): then new syscalls, new error kinds and new findings are
    /// regressions too. `None`: report only.
    pub gate: Option<Thresholds>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_calls: DEFAULT_MIN_CALLS,
            min_time_ns: DEFAULT_MIN_TIME_NS,
            ignore: BTreeSet::new(),
            gate: None,
        }
    }
}

/// A metric in both runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// In the base run.
    pub base: u64,
    /// In the new run.
    pub new: u64,
}

impl Change {
    /// new − base.
    pub fn delta(&self) -> i64 {
        (i128::from(self.new) - i128::from(self.base))
            .clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// The change in percent of the base; `None` when the base is 0 and the new run is not.
    pub fn pct(&self) -> Option<f64> {
        match (self.base, self.new) {
            (0, 0) => Some(0.0),
            (0, _) => None,
            (b, n) => Some((n as f64 - b as f64) * 100.0 / b as f64),
        }
    }

    /// Whether it grew by more than `pct` percent (growth from 0 is more than any percent).
    pub fn grew_by_more_than(&self, pct: f64) -> bool {
        self.new > self.base && self.pct().is_none_or(|p| p > pct)
    }

    /// The size of the change for sorting: |percent|, infinite from 0.
    fn magnitude(&self) -> f64 {
        self.pct().map_or(f64::INFINITY, f64::abs)
    }

    fn to_json(self) -> Json {
        json!({
            "base": self.base,
            "new": self.new,
            "delta": self.delta(),
            "pct": self.pct().map(round2),
        })
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `20`, `12.5`.
fn trim_pct(p: f64) -> String {
    let s = format!("{p:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `+873.8%`, `-12.0%`, `+<0.1%` (a change too small for one decimal), `new`.
fn fmt_pct(c: &Change) -> String {
    match c.pct() {
        Some(p) if p != 0.0 && p.abs() < 0.05 => {
            format!("{}<0.1%", if p > 0.0 { '+' } else { '-' })
        }
        Some(p) => format!("{p:+.1}%"),
        None => "new".into(),
    }
}

/// `+1 203`, `-3.2 ms`, `0`.
fn fmt_delta(m: Metric, c: &Change) -> String {
    let d = c.delta();
    if d == 0 {
        return "0".into();
    }
    let sign = if d > 0 { '+' } else { '-' };
    format!("{sign}{}", m.format(d.unsigned_abs()))
}

/// How a syscall's presence changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Made in both runs.
    Both,
    /// Made only in the new run.
    Appeared,
    /// Made only in the base run.
    Disappeared,
}

impl Status {
    /// `both`, `appeared`, `disappeared`.
    pub const fn name(self) -> &'static str {
        match self {
            Status::Both => "both",
            Status::Appeared => "appeared",
            Status::Disappeared => "disappeared",
        }
    }
}

/// One syscall compared.
#[derive(Debug, Clone, PartialEq)]
pub struct SyscallDiff {
    /// The summary's name.
    pub syscall: String,
    /// In which runs it was made.
    pub status: Status,
    /// Its numbers in the base run (zero when absent).
    pub base: SyscallStats,
    /// Its numbers in the new run (zero when absent).
    pub new: SyscallStats,
    /// Whether its counts (calls, errors, bytes) are above the noise floor.
    pub counts_compared: bool,
    /// Whether its time and latency are above the noise floor.
    pub time_compared: bool,
}

impl SyscallDiff {
    fn new(syscall: &str, base: SyscallStats, new: SyscallStats, o: &Options) -> SyscallDiff {
        let status = match (base.calls, new.calls) {
            (0, n) if n > 0 => Status::Appeared,
            (b, 0) if b > 0 => Status::Disappeared,
            _ => Status::Both,
        };
        let counts_compared = base.calls.max(new.calls) >= o.min_calls;
        SyscallDiff {
            syscall: syscall.to_string(),
            status,
            base,
            new,
            counts_compared,
            time_compared: counts_compared && base.total_ns.max(new.total_ns) >= o.min_time_ns,
        }
    }

    /// Metric `m` in both runs.
    pub fn change(&self, m: Metric) -> Change {
        Change {
            base: self.base.get(m),
            new: self.new.get(m),
        }
    }

    /// Whether `m` is above the noise floor.
    pub fn compared(&self, m: Metric) -> bool {
        if m.is_time() {
            self.time_compared
        } else {
            self.counts_compared
        }
    }

    /// The largest relative change of a compared metric (infinite for a syscall that appeared
    /// or disappeared, 0 when nothing compared changed).
    pub fn magnitude(&self) -> f64 {
        if self.status != Status::Both {
            return f64::INFINITY;
        }
        Metric::ALL
            .iter()
            .filter(|m| self.compared(**m))
            .map(|m| self.change(*m).magnitude())
            .fold(0.0, f64::max)
    }

    fn to_json(&self) -> Json {
        let mut o = serde_json::Map::new();
        o.insert("syscall".into(), json!(self.syscall));
        o.insert("status".into(), json!(self.status.name()));
        for m in Metric::ALL {
            o.insert(m.key().into(), self.change(m).to_json());
        }
        o.insert("counts_compared".into(), json!(self.counts_compared));
        o.insert("time_compared".into(), json!(self.time_compared));
        Json::Object(o)
    }
}

/// Why a comparison fails a CI gate.
#[derive(Debug, Clone, PartialEq)]
pub enum Regression {
    /// A metric of a syscall (or of the whole run, `syscall: None`) grew by more than its
    /// threshold.
    Metric {
        /// The syscall; `None` for the run's total.
        syscall: Option<String>,
        /// Which metric.
        metric: Metric,
        /// Its values.
        change: Change,
        /// The threshold it crossed, percent.
        threshold: f64,
    },
    /// The new run makes a syscall the base run never made.
    NewSyscall {
        /// The syscall.
        syscall: String,
        /// Its calls in the new run.
        calls: u64,
    },
    /// A syscall fails with an errno it never failed with in the base run.
    NewError(ErrorKind),
    /// An advise finding the base run did not have.
    NewFinding(FindingRef),
}

impl Regression {
    /// One line for people: `read: calls 100 → 1 000 (+900.0%, threshold 20%)`.
    pub fn describe(&self) -> String {
        match self {
            Regression::Metric {
                syscall,
                metric,
                change,
                threshold,
            } => format!(
                "{}: {} {} → {} ({}, threshold {}%)",
                syscall.as_deref().unwrap_or("total"),
                metric.name(),
                metric.format(change.base),
                metric.format(change.new),
                fmt_pct(change),
                trim_pct(*threshold)
            ),
            Regression::NewSyscall { syscall, calls } => {
                format!(
                    "new syscall {syscall} ({})",
                    crate::rules::plural(*calls, "call")
                )
            }
            Regression::NewError(e) => {
                format!(
                    "new error {} {} (×{})",
                    e.syscall,
                    e.errno,
                    fmt_count(e.count)
                )
            }
            Regression::NewFinding(f) => format!("new finding {}", f.describe()),
        }
    }

    fn to_json(&self) -> Json {
        match self {
            Regression::Metric {
                syscall,
                metric,
                change,
                threshold,
            } => json!({
                "kind": "metric",
                "syscall": syscall,
                "metric": metric.name(),
                "base": change.base,
                "new": change.new,
                "pct": change.pct().map(round2),
                "threshold_pct": threshold,
            }),
            Regression::NewSyscall { syscall, calls } => {
                json!({"kind": "new-syscall", "syscall": syscall, "calls": calls})
            }
            Regression::NewError(e) => json!({
                "kind": "new-error", "syscall": e.syscall, "errno": e.errno, "count": e.count,
            }),
            Regression::NewFinding(f) => json!({
                "kind": "new-finding", "rule": f.rule, "subject": f.subject,
                "severity": f.severity.name(),
            }),
        }
    }
}

/// Where profile drift was measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriftBasis {
    /// The seccomp profile generated from the base run ([`Snapshot::allowed`]).
    Profile,
    /// The base run's syscalls (no profile was computed).
    Syscalls,
}

/// A run's headline numbers in a comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunInfo {
    /// The run's label.
    pub label: String,
    /// Totals over the compared syscalls.
    pub totals: SyscallStats,
    /// Distinct syscalls.
    pub syscalls: usize,
    /// Advise findings.
    pub findings: usize,
    /// From the first call to the end of the last, ns.
    pub duration_ns: u64,
}

impl RunInfo {
    fn of(s: &Snapshot, ignore: &BTreeSet<String>) -> RunInfo {
        RunInfo {
            label: s.label.clone(),
            totals: s.totals(ignore),
            syscalls: s.syscalls.keys().filter(|n| !ignored(ignore, n)).count(),
            findings: s.findings.len(),
            duration_ns: s.duration_ns,
        }
    }

    fn to_json(&self) -> Json {
        json!({
            "label": self.label,
            "calls": self.totals.calls,
            "errors": self.totals.errors,
            "time_ns": self.totals.total_ns,
            "bytes": self.totals.bytes,
            "syscalls": self.syscalls,
            "findings": self.findings,
            "duration_ns": self.duration_ns,
        })
    }

    /// `1 234 calls (5 errors), 12.3 ms in syscalls, 1.2 MiB moved, 2 findings`.
    fn describe(&self) -> String {
        format!(
            "{} ({}), {} in syscalls, {} moved, {}",
            crate::rules::plural(self.totals.calls, "call"),
            crate::rules::plural(self.totals.errors, "error"),
            fmt_ns(self.totals.total_ns as f64),
            fmt_bytes(self.totals.bytes),
            crate::rules::plural(self.findings as u64, "finding"),
        )
    }
}

/// Two runs compared.
#[derive(Debug, Clone)]
pub struct Diff {
    /// How they were compared.
    pub options: Options,
    /// The base run.
    pub base: RunInfo,
    /// The new run.
    pub new: RunInfo,
    /// The totals compared (calls, errors, time, bytes), with the noise floor applied to them
    /// as to a syscall.
    pub total: SyscallDiff,
    /// Every syscall of either run but the ignored ones, largest change first.
    pub syscalls: Vec<SyscallDiff>,
    /// Paths only the new run used.
    pub files_appeared: Vec<String>,
    /// Paths only the base run used.
    pub files_disappeared: Vec<String>,
    /// (syscall, errno) pairs only the new run has, with their counts there.
    pub errors_appeared: Vec<ErrorKind>,
    /// (syscall, errno) pairs only the base run has, with their counts there.
    pub errors_resolved: Vec<ErrorKind>,
    /// Findings (by rule and subject) only the new run has.
    pub findings_appeared: Vec<FindingRef>,
    /// Findings (by rule and subject) only the base run has.
    pub findings_resolved: Vec<FindingRef>,
    /// Syscalls the new run makes that the base run did not and that its profile would refuse,
    /// with their calls.
    pub drift: Vec<(String, u64)>,
    /// What drift was measured against.
    pub drift_basis: DriftBasis,
    /// With [`Options::gate`]: what fails the gate.
    pub regressions: Vec<Regression>,
}

/// Keys of `a` missing from `b`, as error kinds with `a`'s counts.
fn error_kinds_missing(
    a: &BTreeMap<(String, String), u64>,
    b: &BTreeMap<(String, String), u64>,
    ignore: &BTreeSet<String>,
) -> Vec<ErrorKind> {
    let mut v: Vec<ErrorKind> = a
        .iter()
        .filter(|(k, _)| !b.contains_key(*k) && !ignored(ignore, &k.0))
        .map(|((s, e), n)| ErrorKind {
            syscall: s.clone(),
            errno: e.clone(),
            count: *n,
        })
        .collect();
    v.sort_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then_with(|| x.syscall.cmp(&y.syscall))
            .then_with(|| x.errno.cmp(&y.errno))
    });
    v
}

/// The findings of `a` beyond those of `b` with the same rule and subject (as multisets: two
/// findings of one key in `a` against one in `b` leave one).
fn findings_missing(a: &[FindingRef], b: &[FindingRef]) -> Vec<FindingRef> {
    let mut left: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in b {
        *left.entry(f.key()).or_default() += 1;
    }
    let mut out = Vec::new();
    for f in a {
        match left.get_mut(&f.key()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(f.clone()),
        }
    }
    out.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| x.rule.cmp(&y.rule))
            .then_with(|| x.subject.cmp(&y.subject))
    });
    out
}

impl Diff {
    /// Compares `base` with `new`.
    pub fn new(base: &Snapshot, new: &Snapshot, options: &Options) -> Diff {
        let o = options;
        let names: BTreeSet<&String> = base
            .syscalls
            .keys()
            .chain(new.syscalls.keys())
            .filter(|n| !ignored(&o.ignore, n))
            .collect();
        let mut syscalls: Vec<SyscallDiff> = names
            .iter()
            .map(|n| {
                let b = base.syscalls.get(*n).copied().unwrap_or_default();
                let w = new.syscalls.get(*n).copied().unwrap_or_default();
                SyscallDiff::new(n, b, w, o)
            })
            .collect();
        syscalls.sort_by(|a, b| {
            b.magnitude()
                .total_cmp(&a.magnitude())
                .then_with(|| {
                    b.base
                        .calls
                        .max(b.new.calls)
                        .cmp(&a.base.calls.max(a.new.calls))
                })
                .then_with(|| a.syscall.cmp(&b.syscall))
        });
        let total = SyscallDiff::new("total", base.totals(&o.ignore), new.totals(&o.ignore), o);
        let files_appeared = new.files.difference(&base.files).cloned().collect();
        let files_disappeared = base.files.difference(&new.files).cloned().collect();
        let errors_appeared = error_kinds_missing(&new.errors, &base.errors, &o.ignore);
        let errors_resolved = error_kinds_missing(&base.errors, &new.errors, &o.ignore);
        let findings_appeared = findings_missing(&new.findings, &base.findings);
        let findings_resolved = findings_missing(&base.findings, &new.findings);
        let drift_basis = if base.allowed.is_some() {
            DriftBasis::Profile
        } else {
            DriftBasis::Syscalls
        };
        let mut drift: Vec<(String, u64)> = syscalls
            .iter()
            .filter(|s| s.status == Status::Appeared)
            .filter(|s| {
                base.allowed
                    .as_ref()
                    .is_none_or(|a| !a.contains(bare(&s.syscall)))
            })
            .map(|s| (s.syscall.clone(), s.new.calls))
            .collect();
        drift.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut diff = Diff {
            options: o.clone(),
            base: RunInfo::of(base, &o.ignore),
            new: RunInfo::of(new, &o.ignore),
            total,
            syscalls,
            files_appeared,
            files_disappeared,
            errors_appeared,
            errors_resolved,
            findings_appeared,
            findings_resolved,
            drift,
            drift_basis,
            regressions: Vec::new(),
        };
        if let Some(gate) = o.gate {
            diff.regressions = diff.find_regressions(&gate);
        }
        diff
    }

    /// The regressions under `gate`: metrics of the syscalls both runs made (largest change
    /// first), of the total, then new syscalls, new error kinds and new findings.
    fn find_regressions(&self, gate: &Thresholds) -> Vec<Regression> {
        let mut out = Vec::new();
        let mut metric = |row: &SyscallDiff, syscall: Option<&str>| {
            for m in Metric::ALL {
                let Some(threshold) = gate.get(m) else {
                    continue;
                };
                if syscall.is_none() && !m.has_total() {
                    continue;
                }
                let change = row.change(m);
                if row.compared(m) && change.grew_by_more_than(threshold) {
                    out.push(Regression::Metric {
                        syscall: syscall.map(str::to_string),
                        metric: m,
                        change,
                        threshold,
                    });
                }
            }
        };
        for s in self.syscalls.iter().filter(|s| s.status == Status::Both) {
            metric(s, Some(&s.syscall));
        }
        metric(&self.total, None);
        for s in self.appeared() {
            out.push(Regression::NewSyscall {
                syscall: s.syscall.clone(),
                calls: s.new.calls,
            });
        }
        out.extend(
            self.errors_appeared
                .iter()
                .cloned()
                .map(Regression::NewError),
        );
        out.extend(
            self.findings_appeared
                .iter()
                .cloned()
                .map(Regression::NewFinding),
        );
        out
    }

    /// Whether gating found a regression.
    pub fn regressed(&self) -> bool {
        !self.regressions.is_empty()
    }

    /// Syscalls only the new run made, most calls first.
    pub fn appeared(&self) -> impl Iterator<Item = &SyscallDiff> {
        self.syscalls
            .iter()
            .filter(|s| s.status == Status::Appeared)
    }

    /// Syscalls only the base run made, most calls first.
    pub fn disappeared(&self) -> impl Iterator<Item = &SyscallDiff> {
        self.syscalls
            .iter()
            .filter(|s| s.status == Status::Disappeared)
    }

    /// The metric changes above the noise floor of syscalls both runs made, largest relative
    /// change first: (syscall, metric, change, whether it is a regression).
    pub fn changes(&self) -> Vec<(&str, Metric, Change, bool)> {
        let mut v: Vec<(&str, Metric, Change, bool)> = Vec::new();
        for s in self.syscalls.iter().filter(|s| s.status == Status::Both) {
            for m in Metric::ALL {
                let c = s.change(m);
                if c.base != c.new && s.compared(m) {
                    v.push((&s.syscall, m, c, self.is_regression(Some(&s.syscall), m)));
                }
            }
        }
        v.sort_by(|a, b| {
            b.2.magnitude()
                .total_cmp(&a.2.magnitude())
                .then_with(|| b.2.delta().unsigned_abs().cmp(&a.2.delta().unsigned_abs()))
                .then_with(|| a.0.cmp(b.0))
                .then_with(|| a.1.cmp(&b.1))
        });
        v
    }

    /// Metric changes of syscalls both runs made that the noise floor left out.
    fn below_floor(&self) -> usize {
        self.syscalls
            .iter()
            .filter(|s| s.status == Status::Both)
            .map(|s| {
                Metric::ALL
                    .iter()
                    .filter(|m| !s.compared(**m) && s.change(**m).base != s.change(**m).new)
                    .count()
            })
            .sum()
    }

    fn is_regression(&self, syscall: Option<&str>, m: Metric) -> bool {
        self.regressions.iter().any(|r| {
            matches!(r, Regression::Metric { syscall: s, metric, .. }
                if s.as_deref() == syscall && *metric == m)
        })
    }

    /// The comparison as one JSON document (schema in `docs/diff.md`).
    pub fn to_json(&self) -> Json {
        let o = &self.options;
        let mut total = serde_json::Map::new();
        for m in Metric::ALL.into_iter().filter(|m| m.has_total()) {
            total.insert(m.key().into(), self.total.change(m).to_json());
        }
        let list = |v: &[String]| json!(v);
        json!({
            "version": VERSION,
            "base": self.base.to_json(),
            "new": self.new.to_json(),
            "options": {
                "min_calls": o.min_calls,
                "min_time_ns": o.min_time_ns,
                "ignore": o.ignore,
                "thresholds": o.gate.map(Thresholds::to_json),
            },
            "total": total,
            "syscalls": self.syscalls.iter().map(SyscallDiff::to_json).collect::<Vec<_>>(),
            "appeared": self.appeared().map(|s| json!({"syscall": s.syscall, "calls": s.new.calls})).collect::<Vec<_>>(),
            "disappeared": self.disappeared().map(|s| json!({"syscall": s.syscall, "calls": s.base.calls})).collect::<Vec<_>>(),
            "files": {
                "appeared": list(&self.files_appeared),
                "disappeared": list(&self.files_disappeared),
            },
            "errors": {
                "appeared": self.errors_appeared.iter().map(ErrorKind::to_json).collect::<Vec<_>>(),
                "resolved": self.errors_resolved.iter().map(ErrorKind::to_json).collect::<Vec<_>>(),
            },
            "findings": {
                "appeared": self.findings_appeared.iter().map(FindingRef::to_json).collect::<Vec<_>>(),
                "resolved": self.findings_resolved.iter().map(FindingRef::to_json).collect::<Vec<_>>(),
            },
            "profile_drift": {
                "basis": match self.drift_basis {
                    DriftBasis::Profile => "profile",
                    DriftBasis::Syscalls => "syscalls",
                },
                "syscalls": self.drift.iter().map(|(s, n)| json!({"syscall": s, "calls": n})).collect::<Vec<_>>(),
            },
            "gated": o.gate.is_some(),
            "regressed": self.regressed(),
            "regressions": self.regressions.iter().map(Regression::to_json).collect::<Vec<_>>(),
        })
    }

    /// The comparison as text: headline numbers, the changed metrics in an aligned table
    /// (largest first, at most `top` rows), then every list that is not empty, and with gating
    /// the regressions.
    pub fn render(&self, top: Option<usize>) -> String {
        let top = top.unwrap_or(usize::MAX);
        let o = &self.options;
        let mut s = String::new();
        let _ = writeln!(s, "sysgate diff: {} → {}", self.base.label, self.new.label);
        let _ = writeln!(s, "  base: {}", self.base.describe());
        let _ = writeln!(s, "  new:  {}", self.new.describe());
        let total: Vec<String> = Metric::ALL
            .into_iter()
            .filter(|m| m.has_total())
            .map(|m| {
                let c = self.total.change(m);
                if c.base == c.new {
                    format!("{} unchanged", m.name())
                } else {
                    format!("{} {}", m.name(), fmt_pct(&c))
                }
            })
            .collect();
        let _ = writeln!(s, "  total: {}", total.join(" · "));

        let changes = self.changes();
        let floor = format!(
            "noise floor: {} on one side, and {} for time and latency",
            crate::rules::plural(o.min_calls, "call"),
            fmt_ns(o.min_time_ns as f64)
        );
        if changes.is_empty() {
            let _ = writeln!(s, "\nno syscall changed above the noise floor ({floor})");
        } else {
            let _ = writeln!(s, "\nchanged, largest first ({floor}):");
            let mut rows: Vec<[String; 7]> = vec![[
                "syscall".into(),
                "metric".into(),
                "base".into(),
                "new".into(),
                "change".into(),
                "%".into(),
                String::new(),
            ]];
            for (name, m, c, reg) in changes.iter().take(top) {
                rows.push([
                    name.to_string(),
                    m.name().into(),
                    m.format(c.base),
                    m.format(c.new),
                    fmt_delta(*m, c),
                    fmt_pct(c),
                    if *reg {
                        "REGRESSION".into()
                    } else {
                        String::new()
                    },
                ]);
            }
            table(&mut s, &rows);
            if changes.len() > top {
                let _ = writeln!(s, "  … {} more changes (see --top)", changes.len() - top);
            }
        }
        let below = self.below_floor();
        if below > 0 {
            let _ = writeln!(
                s,
                "  ({below} change{} under the noise floor not shown)",
                if below == 1 { "" } else { "s" }
            );
        }

        let calls_list = |v: Vec<(String, u64)>| -> String {
            let n = v.len();
            let mut out: Vec<String> = v
                .into_iter()
                .take(top)
                .map(|(name, c)| format!("{name} ×{}", fmt_count(c)))
                .collect();
            if n > top {
                out.push(format!("… {} more", n - top));
            }
            out.join(", ")
        };
        let appeared: Vec<(String, u64)> = self
            .appeared()
            .map(|x| (x.syscall.clone(), x.new.calls))
            .collect();
        let disappeared: Vec<(String, u64)> = self
            .disappeared()
            .map(|x| (x.syscall.clone(), x.base.calls))
            .collect();
        let mut lists = String::new();
        if !appeared.is_empty() {
            let _ = writeln!(lists, "new syscalls: {}", calls_list(appeared));
        }
        if !disappeared.is_empty() {
            let _ = writeln!(lists, "gone syscalls: {}", calls_list(disappeared));
        }
        if !self.drift.is_empty() {
            let against = match self.drift_basis {
                DriftBasis::Profile => "the profile generated from the base run would refuse",
                DriftBasis::Syscalls => "the base run never made",
            };
            let _ = writeln!(
                lists,
                "profile drift ({against}): {}",
                calls_list(self.drift.clone())
            );
        }
        let errors = |v: &[ErrorKind]| -> String {
            let mut out: Vec<String> = v
                .iter()
                .take(top)
                .map(|e| format!("{} {} ×{}", e.syscall, e.errno, fmt_count(e.count)))
                .collect();
            if v.len() > top {
                out.push(format!("… {} more", v.len() - top));
            }
            out.join(", ")
        };
        if !self.errors_appeared.is_empty() {
            let _ = writeln!(lists, "new errors: {}", errors(&self.errors_appeared));
        }
        if !self.errors_resolved.is_empty() {
            let _ = writeln!(lists, "resolved errors: {}", errors(&self.errors_resolved));
        }
        // A heading with the count, at most `top` lines, and how many more.
        let mut list = |what: &str, lines: Vec<String>| {
            if lines.is_empty() {
                return;
            }
            let _ = writeln!(lists, "{what} ({}):", lines.len());
            for l in lines.iter().take(top) {
                let _ = writeln!(lists, "  {l}");
            }
            if lines.len() > top {
                let _ = writeln!(lists, "  … {} more", lines.len() - top);
            }
        };
        list("new files", self.files_appeared.clone());
        list("gone files", self.files_disappeared.clone());
        let finding = |f: &FindingRef| {
            let subject = if f.subject.is_empty() {
                String::new()
            } else {
                format!(" {}", f.subject)
            };
            format!(
                "{} [{}]{subject}: {}",
                f.severity.name().to_uppercase(),
                f.rule,
                f.message
            )
        };
        list(
            "new findings",
            self.findings_appeared.iter().map(finding).collect(),
        );
        list(
            "resolved findings",
            self.findings_resolved.iter().map(finding).collect(),
        );
        if !lists.is_empty() {
            s.push('\n');
            s.push_str(&lists);
        }

        if let Some(gate) = &o.gate {
            s.push('\n');
            if self.regressions.is_empty() {
                let _ = writeln!(s, "no regressions ({})", gate.describe());
            } else {
                let _ = writeln!(
                    s,
                    "{} ({}; new syscalls, error kinds and findings count too):",
                    crate::rules::plural(self.regressions.len() as u64, "regression"),
                    gate.describe()
                );
                for r in &self.regressions {
                    let _ = writeln!(s, "  {}", r.describe());
                }
            }
        }
        s
    }
}

/// Appends `rows` (the first is the heading) as a table, two spaces between columns; the first
/// two columns are left-aligned, the numbers right-aligned, the last column as it is.
fn table<const N: usize>(s: &mut String, rows: &[[String; N]]) {
    let mut width = [0usize; N];
    for r in rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            let pad = width[i].saturating_sub(c.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            if i < 2 {
                line.push_str(c);
                if i + 1 < N {
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            } else if i + 1 == N {
                line.push_str(c);
            } else {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(c);
            }
        }
        let _ = writeln!(s, "  {}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::{at, call, with_path};

    /// What one synthetic run does, as process `pid`: opens /data/in and a lock file named
    /// after the pid, reads 4 KiB `reads` times and 16 bytes `small` times from /data/in,
    /// calls getcwd `extra` times, fails to open /etc/missing.conf `missing` times, closes;
    /// every call lasts `dur` ns.
    #[derive(Clone, Copy)]
    struct Plan {
        pid: u32,
        reads: u64,
        small: u64,
        extra: u64,
        missing: u64,
        dur: u64,
    }

    impl Plan {
        fn new(pid: u32, reads: u64) -> Plan {
            Plan {
                pid,
                reads,
                small: 0,
                extra: 0,
                missing: 0,
                dur: 1000,
            }
        }

        fn side(self) -> Side {
            let pid = self.pid;
            let mut evs = vec![
                with_path(
                    call("openat", pid, [-100i64 as u64, 0, 0, 0, 0, 0], 3),
                    "/data/in",
                ),
                with_path(
                    call("openat", pid, [-100i64 as u64, 0, 0o101, 0o644, 0, 0], 4),
                    &format!("/tmp/app-{pid}.lock"),
                ),
            ];
            for _ in 0..self.reads {
                evs.push(call("read", pid, [3, 0x1000, 4096, 0, 0, 0], 4096));
            }
            for _ in 0..self.small {
                evs.push(call("read", pid, [3, 0x1000, 16, 0, 0, 0], 16));
            }
            for _ in 0..self.extra {
                evs.push(call("getcwd", pid, [0x1000, 4096, 0, 0, 0, 0], 5));
            }
            for _ in 0..self.missing {
                evs.push(with_path(
                    call("openat", pid, [-100i64 as u64, 0, 0, 0, 0, 0], -2),
                    "/etc/missing.conf",
                ));
            }
            evs.push(call("close", pid, [3, 0, 0, 0, 0, 0], 0));
            let mut side = Side::new();
            for (i, ev) in evs.into_iter().enumerate() {
                side.syscall_exit(&at(ev, i as u64 * 10_000, self.dur))
                    .unwrap();
            }
            side
        }

        fn snap(self) -> Snapshot {
            self.side().snapshot(&format!("run-{}", self.pid))
        }
    }

    fn snap(pid: u32, reads: u64, extra: u64, missing: u64, dur: u64) -> Snapshot {
        Plan {
            extra,
            missing,
            dur,
            ..Plan::new(pid, reads)
        }
        .snap()
    }

    fn gated(pct: f64) -> Options {
        Options {
            gate: Some(Thresholds::uniform(pct)),
            ..Options::default()
        }
    }

    #[test]
    fn snapshot_takes_the_summary_numbers_and_counts_bytes() {
        let s = snap(40, 100, 0, 0, 1000);
        let read = s.syscalls["read"];
        assert_eq!(read.calls, 100);
        assert_eq!(read.errors, 0);
        assert_eq!(read.total_ns, 100 * 1000);
        assert_eq!(read.bytes, 100 * 4096);
        // The histogram's bucket of 1 µs starts at 992 ns.
        assert!((900..=1000).contains(&read.p50_ns), "{read:?}");
        assert_eq!(s.syscalls["openat"].bytes, 0);
        // The pid inside the lock file's name is made stable.
        assert!(s.files.contains("/data/in"), "{:?}", s.files);
        assert!(s.files.contains("/tmp/app-{pid}.lock"), "{:?}", s.files);
        assert!(!s.files.iter().any(|f| f.starts_with('<')), "{:?}", s.files);
        assert_eq!(s.label, "run-40");
    }

    #[test]
    fn the_same_run_twice_is_no_regression() {
        let a = snap(40, 100, 0, 0, 1000);
        let b = snap(41, 100, 0, 0, 1000);
        let d = Diff::new(&a, &b, &gated(0.0));
        assert!(!d.regressed(), "{:?}", d.regressions);
        assert!(d.changes().is_empty());
        assert!(d.files_appeared.is_empty() && d.files_disappeared.is_empty());
        assert!(d.render(None).contains("no regressions"));
        assert!(
            d.render(None)
                .contains("no syscall changed above the noise floor")
        );
    }

    #[test]
    fn ten_times_the_reads_is_a_named_regression() {
        let a = snap(40, 100, 0, 0, 1000);
        let b = snap(41, 1000, 0, 0, 1000);
        let d = Diff::new(&a, &b, &gated(20.0));
        assert!(d.regressed());
        let read_calls = d.regressions.iter().find(|r| {
            matches!(r, Regression::Metric { syscall: Some(s), metric: Metric::Calls, .. } if s == "read")
        });
        assert!(read_calls.is_some(), "{:?}", d.regressions);
        assert!(d.regressions.iter().any(|r| matches!(
            r,
            Regression::Metric {
                syscall: None,
                metric: Metric::Calls,
                ..
            }
        )));
        // read leads the table: calls, bytes and time all +900%.
        let changes = d.changes();
        assert_eq!(changes[0].0, "read");
        assert_eq!(changes[0].2.pct(), Some(900.0));
        let text = d.render(None);
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("read") && l.contains("calls"))
            .unwrap();
        assert!(
            line.contains("100") && line.contains("1 000") && line.contains("+900.0%"),
            "{line}"
        );
        assert!(line.ends_with("REGRESSION"), "{line}");
        assert!(
            text.contains("read: calls 100 → 1 000 (+900.0%, threshold 20%)"),
            "{text}"
        );
        // The other direction is an improvement, not a regression.
        assert!(!Diff::new(&b, &a, &gated(20.0)).regressed());
    }

    #[test]
    fn thresholds_per_metric_and_the_noise_floor() {
        let a = snap(40, 100, 0, 0, 1000);
        let b = snap(41, 110, 0, 0, 30_000);
        // Reads +10%: under a 20% calls threshold; time ×33 but the gate has no time threshold.
        let mut t = Thresholds::default();
        t.set(Metric::Calls, Some(20.0));
        let o = Options {
            gate: Some(t),
            ..Options::default()
        };
        assert!(!Diff::new(&a, &b, &o).regressed());
        t.set(Metric::Time, Some(50.0));
        let o = Options {
            gate: Some(t),
            ..Options::default()
        };
        let d = Diff::new(&a, &b, &o);
        assert!(d.regressions.iter().any(|r| matches!(
            r,
            Regression::Metric { syscall: Some(s), metric: Metric::Time, .. } if s == "read"
        )));
        // openat (2 calls) and close (1 call) are under the floor: their time is not gated.
        assert!(!d.regressions.iter().any(|r| matches!(
            r,
            Regression::Metric { syscall: Some(s), .. } if s != "read"
        )));
        // With a 10 ms floor on time the read time (3.3 ms) is noise too.
        let o = Options {
            gate: Some(t),
            min_time_ns: 10_000_000,
            ..Options::default()
        };
        let d = Diff::new(&a, &b, &o);
        assert!(!d.regressed(), "{:?}", d.regressions);
        assert!(d.render(None).contains("under the noise floor not shown"));
    }

    #[test]
    fn new_syscalls_errors_and_findings_are_listed_and_gated() {
        let a = snap(40, 100, 0, 0, 1000);
        // 1 500 reads of 16 bytes from one file fire small-reads.
        let b = Plan {
            small: 1500,
            extra: 2,
            missing: 3,
            ..Plan::new(41, 100)
        }
        .snap();
        let d = Diff::new(&a, &b, &Options::default());
        assert!(!d.regressed(), "no gate, no regressions");
        assert_eq!(
            d.appeared().map(|s| s.syscall.as_str()).collect::<Vec<_>>(),
            ["getcwd"]
        );
        assert_eq!(d.drift, [("getcwd".to_string(), 2)]);
        assert_eq!(d.drift_basis, DriftBasis::Syscalls);
        assert_eq!(
            d.errors_appeared,
            [ErrorKind {
                syscall: "openat".into(),
                errno: "ENOENT".into(),
                count: 3
            }]
        );
        assert!(
            d.findings_appeared
                .iter()
                .any(|f| f.rule == "small-reads" && f.subject == "/data/in"),
            "{:?}",
            d.findings_appeared
        );
        assert!(d.findings_resolved.is_empty());
        let text = d.render(None);
        assert!(text.contains("new syscalls: getcwd ×2"), "{text}");
        assert!(text.contains("new errors: openat ENOENT ×3"), "{text}");
        assert!(text.contains("[small-reads] /data/in:"), "{text}");
        // Gated: each counts as a regression; ignoring getcwd removes it everywhere.
        let d = Diff::new(&a, &b, &gated(1000.0));
        let kinds: Vec<&str> = d
            .regressions
            .iter()
            .map(|r| match r {
                Regression::Metric { .. } => "metric",
                Regression::NewSyscall { .. } => "syscall",
                Regression::NewError(_) => "error",
                Regression::NewFinding(_) => "finding",
            })
            .collect();
        assert!(
            kinds.contains(&"syscall") && kinds.contains(&"error") && kinds.contains(&"finding")
        );
        let mut o = gated(1000.0);
        o.ignore.insert("getcwd".into());
        let d = Diff::new(&a, &b, &o);
        assert!(d.appeared().next().is_none());
        assert!(d.drift.is_empty());
        assert!(!d.syscalls.iter().any(|s| s.syscall == "getcwd"));
        // The reverse direction resolves them.
        let r = Diff::new(&b, &a, &Options::default());
        assert_eq!(r.disappeared().count(), 1);
        assert_eq!(r.errors_resolved.len(), 1);
        assert!(r.findings_resolved.iter().any(|f| f.rule == "small-reads"));
    }

    #[test]
    fn drift_against_a_profile() {
        let a = snap(40, 100, 0, 0, 1000);
        let b = snap(41, 100, 2, 0, 1000);
        let mut with_profile = a.clone();
        with_profile.allowed = Some(["openat", "read", "close"].map(String::from).into());
        let d = Diff::new(&with_profile, &b, &Options::default());
        assert_eq!(d.drift_basis, DriftBasis::Profile);
        assert_eq!(d.drift, [("getcwd".to_string(), 2)]);
        // A syscall the profile allows though the base run never made it is no drift.
        with_profile
            .allowed
            .as_mut()
            .unwrap()
            .insert("getcwd".into());
        let d = Diff::new(&with_profile, &b, &Options::default());
        assert!(d.drift.is_empty());
        assert_eq!(d.appeared().count(), 1);
        let j = d.to_json();
        assert_eq!(j["profile_drift"]["basis"], "profile");
    }

    #[test]
    fn json_carries_every_section() {
        let a = snap(40, 100, 0, 0, 1000);
        let b = snap(41, 1000, 1, 2, 1000);
        let d = Diff::new(&a, &b, &gated(20.0));
        let j = d.to_json();
        assert_eq!(j["version"], VERSION);
        assert_eq!(j["base"]["label"], "run-40");
        assert_eq!(j["new"]["calls"], b.totals(&BTreeSet::new()).calls);
        assert_eq!(j["total"]["calls"]["base"], 103);
        assert_eq!(j["total"]["bytes"]["new"], 1000 * 4096);
        assert!(j["total"].get("p50_ns").is_none());
        let read = j["syscalls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["syscall"] == "read")
            .unwrap();
        assert_eq!(read["status"], "both");
        assert_eq!(read["calls"]["delta"], 900);
        assert_eq!(read["calls"]["pct"], 900.0);
        assert_eq!(read["p99_ns"]["base"], a.syscalls["read"].p99_ns);
        assert_eq!(read["counts_compared"], true);
        assert_eq!(j["appeared"][0]["syscall"], "getcwd");
        assert_eq!(j["appeared"][0]["calls"], 1);
        let getcwd = j["syscalls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["syscall"] == "getcwd")
            .unwrap();
        assert_eq!(getcwd["calls"]["pct"], Json::Null);
        assert_eq!(j["errors"]["appeared"][0]["errno"], "ENOENT");
        assert_eq!(j["files"]["appeared"][0], "/etc/missing.conf");
        assert_eq!(j["options"]["thresholds"]["calls"], 20.0);
        assert_eq!(j["options"]["thresholds"]["p99"], Json::Null);
        assert_eq!(j["gated"], true);
        assert_eq!(j["regressed"], true);
        let kinds: BTreeSet<&str> = j["regressions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["metric", "new-error", "new-syscall"].into_iter().collect()
        );
        let ungated = Diff::new(&a, &b, &Options::default()).to_json();
        assert_eq!(ungated["options"]["thresholds"], Json::Null);
        assert_eq!(ungated["regressions"], json!([]));
    }

    #[test]
    fn changes_and_percentages() {
        let c = Change { base: 0, new: 5 };
        assert_eq!(c.pct(), None);
        assert!(c.grew_by_more_than(1e9));
        assert!(!Change { base: 0, new: 0 }.grew_by_more_than(0.0));
        assert!(!Change { base: 10, new: 12 }.grew_by_more_than(20.0));
        assert!(Change { base: 10, new: 13 }.grew_by_more_than(20.0));
        assert!(!Change { base: 10, new: 5 }.grew_by_more_than(0.0));
        assert_eq!(Change { base: 10, new: 5 }.delta(), -5);
        assert_eq!(fmt_pct(&Change { base: 8, new: 6 }), "-25.0%");
        assert_eq!(
            fmt_pct(&Change {
                base: 16000,
                new: 15996
            }),
            "-<0.1%"
        );
        assert_eq!(fmt_pct(&Change { base: 0, new: 6 }), "new");
        assert_eq!(
            fmt_delta(
                Metric::Time,
                &Change {
                    base: 0,
                    new: 2_500_000
                }
            ),
            "+2.5 ms"
        );
        assert_eq!(trim_pct(20.0), "20");
        assert_eq!(trim_pct(12.5), "12.5");
        assert_eq!(Metric::parse("time"), Some(Metric::Time));
        assert_eq!(Metric::parse("p99_ns"), Some(Metric::P99));
        assert_eq!(Metric::parse("latency"), None);
    }

    #[test]
    fn stable_names() {
        let pids: BTreeSet<u32> = [1, 4242, 4243].into();
        assert_eq!(stable("/proc/4242/maps", &pids), "/proc/{pid}/maps");
        assert_eq!(stable("/tmp/x-4243-42424", &pids), "/tmp/x-{pid}-42424");
        assert_eq!(stable("/dev/tty1", &pids), "/dev/tty1");
        assert!(!is_path("<stdout>"));
        assert!(!is_path("pipe (pid 4, fd 3)"));
        assert!(!is_path("TCP:[127.0.0.1:5432->127.0.0.1:41000]"));
        assert!(is_path("relative/name"));
    }

    #[test]
    fn top_cuts_the_text_table() {
        let a = snap(40, 100, 0, 0, 1000);
        let b = snap(41, 1000, 0, 0, 2000);
        let d = Diff::new(&a, &b, &Options::default());
        assert!(d.changes().len() > 1);
        let text = d.render(Some(1));
        assert!(text.contains("more changes (see --top)"), "{text}");
    }
}
