//! `sysgate advise`: find the syscall anti-patterns of a program, prove them with evidence from
//! the trace, and say what fixing them saves.
//!
//! The [`Advisor`] is a [`Sink`]. It keeps a shared [`Ctx`] (fd table with open flags, process
//! tree, program names) and hands every completed syscall to the enabled rules
//! ([`crate::rules`]), each of which keeps compact per-key state: counters and at most three
//! sample calls per fd, path, process or thread. Nothing grows with the number of events. When
//! the run ends each rule turns its state into [`Finding`]s; the [`Report`] sorts them (errors
//! first, then by estimated saving) and renders text or JSON (schema in `docs/advise.md`).

pub mod cost;
pub mod ctx;
pub mod finding;
pub mod measure;
pub mod merge;
#[cfg(test)]
pub(crate) mod testing;
pub mod threads;

use std::fmt::Write as _;
use std::io;

use serde_json::{Value as Json, json};
use sysgate_event::{Phase, SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent};

pub use self::cost::CostModel;
use self::cost::{fmt_count, fmt_ns};
pub use self::ctx::{Ctx, FdEntry, FdKind};
pub use self::finding::{Evidence, FdRef, Finding, Sample, Samples, Saving, Severity};
pub use self::threads::ThreadModel;
use self::threads::Threads;
use crate::rules::{self, Rule, RuleInfo};

/// Feeds events to the rules.
pub struct Advisor {
    cx: Ctx,
    rules: Vec<(&'static RuleInfo, Box<dyn Rule>)>,
    signals: u64,
    processes: u64,
    threads: Threads,
    /// The run's calls priced by the cost model (what they would cost untraced), in ns.
    model_ns: f64,
}

/// A performance finding whose saving is under this share of the run's estimated syscall
/// time is reported as INFO.
pub const MINOR_SHARE: f64 = 0.01;

/// The rules whose findings are about time only (the others are about correctness or
/// latency and keep their severity whatever the saving).
const PERFORMANCE_RULES: [&str; 10] = [
    "small-reads",
    "unbatched-writes",
    "fsync-per-write",
    "stat-storm",
    "failed-probe-storm",
    "reread-file",
    "spawn-storm",
    "alloc-churn",
    "busy-poll",
    "syscall-per-message",
];

impl Advisor {
    /// An advisor running `rules` with the cost model `costs`.
    pub fn new(rules: &[&'static RuleInfo], costs: CostModel) -> Advisor {
        Advisor {
            cx: Ctx::new(costs),
            rules: rules.iter().map(|r| (*r, (r.make)())).collect(),
            signals: 0,
            processes: 0,
            threads: Threads::default(),
            model_ns: 0.0,
        }
    }

    /// What one call costs untraced, by the cost model: flushes, reads and writes by size,
    /// stats, opens, process creation and mappings; any other call (waits included, whose
    /// time is not work) as a trivial syscall.
    fn price(&self, ev: &SyscallEvent, name: &str) -> f64 {
        let c = &self.cx.costs;
        let bytes = if ev.is_error {
            0.0
        } else {
            ev.ret.max(0) as f64
        };
        match name {
            "fsync" | "fdatasync" | "sync_file_range" | "msync" => c.fsync,
            crate::calls::file_read!() => c.read_file + c.read_file_per_byte * bytes,
            crate::calls::file_write!() => c.write_file + c.write_file_per_byte * bytes,
            "newfstatat" | "stat" | "lstat" | "fstat" | "statx" | "access" | "faccessat"
            | "faccessat2" | "readlink" | "readlinkat" => {
                if ev.is_error {
                    c.stat_enoent
                } else {
                    c.stat
                }
            }
            crate::calls::opens!() => {
                if ev.is_error {
                    c.open_enoent
                } else {
                    c.open_close / 2.0
                }
            }
            "fork" | "vfork" | "clone" | "clone3" => c.fork_wait,
            "execve" | "execveat" => (c.fork_exec_wait - c.fork_wait).max(c.syscall),
            "mmap" | "munmap" => c.mmap_munmap / 2.0,
            _ => c.syscall,
        }
    }

    /// An advisor running every rule with the built-in costs.
    pub fn all() -> Advisor {
        let all: Vec<&'static RuleInfo> = rules::ALL.iter().collect();
        Advisor::new(&all, CostModel::builtin())
    }

    /// Adds one completed syscall.
    pub fn add(&mut self, ev: &SyscallEvent) {
        let Some(sc) = ev.syscall else {
            return;
        };
        let name = sc.name;
        self.model_ns += self.price(ev, name);
        self.cx.apply(ev, name);
        self.threads.syscall(ev, name);
        for (_, r) in &mut self.rules {
            r.syscall(&self.cx, ev, name);
        }
    }

    /// Runs every rule's final analysis and returns the report.
    pub fn report(&mut self) -> Report {
        let mut findings = Vec::new();
        for (_, r) in &mut self.rules {
            r.finish(&self.cx, &mut findings);
        }
        // Severity follows the share of the run: avoiding a millisecond in a run whose calls
        // cost a second is worth knowing, not a warning.
        let minor = self.model_ns * MINOR_SHARE;
        for f in &mut findings {
            if f.severity == Severity::Warning
                && PERFORMANCE_RULES.contains(&f.rule)
                && (f.saving.time_ns as f64) < minor
            {
                f.severity = Severity::Info;
                f.saving.formula.push_str(&format!(
                    "; under {:.0}% of the {} the run's calls cost, so INFO",
                    MINOR_SHARE * 100.0,
                    cost::fmt_ns(self.model_ns)
                ));
            }
        }
        let order = |id: &str| rules::ALL.iter().position(|r| r.id == id);
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(b.saving.time_ns.cmp(&a.saving.time_ns))
                .then(b.saving.calls_avoided.cmp(&a.saving.calls_avoided))
                .then(order(a.rule).cmp(&order(b.rule)))
                .then(a.message.cmp(&b.message))
        });
        let processes = self.processes.max(self.cx.procs().count() as u64);
        Report {
            findings,
            rules: self.rules.iter().map(|(i, _)| i.id).collect(),
            calls: self.cx.calls,
            processes,
            signals: self.signals,
            duration_ns: self
                .cx
                .first_ns
                .map_or(0, |f| self.cx.last_ns.saturating_sub(f)),
            costs: self.cx.costs.clone(),
            threads: self.threads.models(&self.cx),
        }
    }
}

impl Sink for Advisor {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        if ev.phase == Phase::Completed {
            self.add(ev);
        }
        Ok(())
    }

    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        self.signals += 1;
        Ok(())
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        match ev.change {
            TaskChange::Named { .. } => {
                let comm = ev.change.comm().unwrap_or_default();
                self.cx.name_process(ev.pid, &comm, ev.ts_ns);
            }
            TaskChange::Exited(_) | TaskChange::Killed { .. } => {
                if ev.pid == ev.tid {
                    self.processes += 1;
                    for (_, r) in &mut self.rules {
                        r.process_exit(&self.cx, ev.pid, ev.ts_ns);
                    }
                    self.cx.process_gone(ev.pid);
                } else {
                    for (_, r) in &mut self.rules {
                        r.thread_exit(&self.cx, ev.pid, ev.tid, ev.ts_ns);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The findings of a run, sorted, with what was analysed.
#[derive(Debug, Clone)]
pub struct Report {
    /// Findings, errors first, then by estimated saving.
    pub findings: Vec<Finding>,
    /// The rules that ran.
    pub rules: Vec<&'static str>,
    /// Completed syscalls analysed.
    pub calls: u64,
    /// Processes seen.
    pub processes: u64,
    /// Signals delivered.
    pub signals: u64,
    /// From the first call to the end of the last, ns.
    pub duration_ns: u64,
    /// The cost model used.
    pub costs: CostModel,
    /// The thread model of each process, by pid.
    pub threads: Vec<ThreadModel>,
}

fn time_of_day(ts_ns: u64, utc_offset_s: i64) -> String {
    let secs = (ts_ns / 1_000_000_000) as i64;
    let micros = (ts_ns % 1_000_000_000) / 1000;
    let local = (secs + utc_offset_s).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}.{micros:06}",
        local / 3600,
        local / 60 % 60,
        local % 60
    )
}

impl Report {
    /// The most severe finding's severity.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    pub(crate) fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }

    /// One line per process with its thread model; single-threaded processes are counted in one
    /// line, since a run that spawns hundreds of them would otherwise fill the screen.
    pub(crate) fn render_threads(&self, s: &mut String) {
        let mut single = 0u64;
        let mut shown = 0u64;
        for m in &self.threads {
            if m.model == "single-threaded" && self.threads.len() > 1 {
                single += 1;
                continue;
            }
            if shown == 10 {
                let _ = writeln!(
                    s,
                    "threads: … {} more processes (see --json)",
                    self.threads.len() as u64 - single - shown
                );
                break;
            }
            shown += 1;
            let exe = m.exe.rsplit('/').next().unwrap_or(&m.exe);
            let name = if exe == "?" {
                String::new()
            } else {
                format!(" ({exe})")
            };
            let _ = writeln!(
                s,
                "threads: pid {}{name}: {}, {} — {}",
                m.pid,
                m.model,
                rules::plural(m.threads, "thread"),
                m.evidence
            );
        }
        if single > 0 {
            let _ = writeln!(
                s,
                "threads: {}{} process{} single-threaded",
                fmt_count(single),
                if shown > 0 { " other" } else { "" },
                if single == 1 { "" } else { "es" }
            );
        }
    }

    /// The report as text; sample timestamps are shown in local time `utc_offset_s` east of
    /// UTC, like `strace -tt`.
    pub fn render(&self, utc_offset_s: i64) -> String {
        let mut s = String::new();
        let what = format!(
            "{} calls of {} process{} over {}",
            fmt_count(self.calls),
            self.processes,
            if self.processes == 1 { "" } else { "es" },
            fmt_ns(self.duration_ns as f64)
        );
        if self.findings.is_empty() {
            let _ = writeln!(
                s,
                "sysgate advise: no findings ({} checked {what})",
                rules::plural(self.rules.len() as u64, "rule")
            );
            self.render_threads(&mut s);
            return s;
        }
        let _ = writeln!(
            s,
            "sysgate advise: {} finding{} ({} error, {} warning, {} info) in {what}",
            self.findings.len(),
            if self.findings.len() == 1 { "" } else { "s" },
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Info),
        );
        let _ = writeln!(
            s,
            "savings use the {} cost model of untraced per-call costs (docs/advise.md)",
            self.costs.describe()
        );
        self.render_threads(&mut s);
        for (i, f) in self.findings.iter().enumerate() {
            Report::render_finding(&mut s, i + 1, f, None, utc_offset_s);
        }
        s
    }

    /// One finding as text, numbered `n`; `tag` (a line such as `host: web-2`) goes under its
    /// heading.
    pub(crate) fn render_finding(
        s: &mut String,
        n: usize,
        f: &Finding,
        tag: Option<&str>,
        utc_offset_s: i64,
    ) {
        let _ = writeln!(
            s,
            "\n{}. {} [{}] {}",
            n,
            f.severity.name().to_uppercase(),
            f.rule,
            f.title
        );
        if let Some(tag) = tag {
            let _ = writeln!(s, "   {tag}");
        }
        let _ = writeln!(s, "   {}", f.message);
        let facts: Vec<String> = f
            .evidence
            .facts
            .iter()
            .map(|(k, v)| format!("{} {}", k.replace('_', " "), fmt_count(*v)))
            .collect();
        if !facts.is_empty() {
            let _ = writeln!(s, "   evidence: {}", facts.join(" · "));
        }
        for fd in &f.evidence.fds {
            let _ = writeln!(s, "     pid {} fd {} → {}", fd.pid, fd.fd, fd.path);
        }
        if f.evidence.tids.len() > 1 || f.evidence.pids.len() > 1 {
            let list = |v: &[u32]| {
                let mut out: Vec<String> = v.iter().take(8).map(u32::to_string).collect();
                if v.len() > 8 {
                    out.push(format!("… {} more", v.len() - 8));
                }
                out.join(", ")
            };
            let _ = writeln!(
                s,
                "     pids: {}; threads: {}",
                list(&f.evidence.pids),
                list(&f.evidence.tids)
            );
        }
        let sites = f.sites();
        if !sites.is_empty() {
            let n = f.evidence.samples.len();
            let list: Vec<String> = sites
                .iter()
                .take(3)
                .map(|(site, k)| format!("{site} ({k} of {n} samples)"))
                .collect();
            let _ = writeln!(s, "   where: {}", list.join("; "));
        }
        for smp in &f.evidence.samples {
            let _ = writeln!(
                s,
                "     [pid {:>5}] {} {}",
                smp.tid,
                time_of_day(smp.ts_ns, utc_offset_s),
                smp.line
            );
        }
        if f.saving.calls_avoided == 0 && f.saving.time_ns > 0 {
            let _ = writeln!(
                s,
                "   saving: ~{} ({})",
                fmt_ns(f.saving.time_ns as f64),
                f.saving.formula
            );
        } else if f.saving.calls_avoided > 0 || f.saving.time_ns > 0 {
            let _ = writeln!(
                s,
                "   saving: ~{}, ~{} ({})",
                rules::plural(f.saving.calls_avoided, "syscall"),
                fmt_ns(f.saving.time_ns as f64),
                f.saving.formula
            );
        } else if !f.saving.formula.is_empty() {
            let _ = writeln!(s, "   saving: {}", f.saving.formula);
        }
        match sites.first() {
            Some((site, _)) => {
                let _ = writeln!(s, "   fix (at {site}): {}", f.fix);
            }
            None => {
                let _ = writeln!(s, "   fix: {}", f.fix);
            }
        }
        let _ = writeln!(s, "   docs: {}", f.doc());
    }

    /// The report as one JSON document (schema in `docs/advise.md`).
    pub fn to_json(&self) -> Json {
        json!({
            "version": 1,
            "calls": self.calls,
            "processes": self.processes,
            "signals": self.signals,
            "duration_ns": self.duration_ns,
            "rules": self.rules,
            "cost_model": self.costs.to_json(),
            "threads": self.threads.iter().map(ThreadModel::to_json).collect::<Vec<_>>(),
            "counts": {
                "error": self.count(Severity::Error),
                "warning": self.count(Severity::Warning),
                "info": self.count(Severity::Info),
            },
            "findings": self.findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    /// Small writes (a warning with a time saving) and a dropped short write (an error).
    fn events() -> Vec<SyscallEvent> {
        let mut evs = vec![with_path(
            call("openat", 7, [-100i64 as u64, 0, 0o1101, 0o644, 0, 0], 3),
            "/var/log/app.log",
        )];
        for i in 0..2000u64 {
            evs.push(at(
                call("write", 7, [3, 0x1000, 12, 0, 0, 0], 12),
                i * 1000,
                100,
            ));
        }
        evs.push(call("pipe2", 7, [4, 0o4000, 0, 0, 0, 0], 0));
        evs.push(call("write", 7, [5, 0x1000, 100_000, 0, 0, 0], 65536));
        evs.push(call("close", 7, [5, 0, 0, 0, 0, 0], 0));
        evs
    }

    #[test]
    fn report_sorts_errors_first_and_renders_text_and_json() {
        let mut a = Advisor::all();
        for e in events() {
            a.add(&e);
        }
        let r = a.report();
        let rules: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["short-write-ignored", "unbatched-writes"]);
        assert_eq!(r.max_severity(), Some(Severity::Error));
        assert_eq!(r.calls, 2004);
        let text = r.render(0);
        assert!(
            text.starts_with("sysgate advise: 2 findings (1 error, 1 warning, 0 info)"),
            "{text}"
        );
        assert!(text.contains("1. ERROR [short-write-ignored]"), "{text}");
        assert!(text.contains("2. WARNING [unbatched-writes]"), "{text}");
        assert!(
            text.contains("docs: docs/rules/unbatched-writes.md"),
            "{text}"
        );
        assert!(
            text.contains("[pid     7] 22:13:20.000000 write(3, \"xxxxxxxxxxxx\", 12) = 12"),
            "{text}"
        );
        let j = r.to_json();
        assert_eq!(j["version"], 1);
        assert_eq!(j["counts"]["error"], 1);
        assert_eq!(
            j["rules"].as_array().unwrap().len(),
            crate::rules::ALL.len()
        );
        let w = &j["findings"][1];
        assert_eq!(w["rule"], "unbatched-writes");
        assert_eq!(w["severity"], "warning");
        assert_eq!(w["evidence"]["facts"]["small_writes"], 2000);
        assert_eq!(w["evidence"]["fds"][0]["path"], "/var/log/app.log");
        assert_eq!(w["evidence"]["samples"].as_array().unwrap().len(), 3);
        assert_eq!(w["saving"]["calls_avoided"], 1999);
        assert_eq!(w["doc"], "docs/rules/unbatched-writes.md");
        assert_eq!(j["cost_model"]["source"], "built-in");
    }

    #[test]
    fn quiet_report_and_selection() {
        let only = crate::rules::select(&["small-reads".into()], &[]).unwrap();
        let mut a = Advisor::new(&only, CostModel::builtin());
        for e in events() {
            a.add(&e);
        }
        let r = a.report();
        assert!(r.findings.is_empty());
        assert_eq!(r.max_severity(), None);
        assert!(
            r.render(0)
                .starts_with("sysgate advise: no findings (1 rule checked 2 004 calls")
        );
    }

    #[test]
    fn state_stays_bounded_by_keys_not_events() {
        // A million small writes to one file keep one key and three samples.
        let mut a = Advisor::all();
        a.add(&with_path(
            call("openat", 7, [-100i64 as u64, 0, 1, 0, 0, 0], 3),
            "/tmp/x",
        ));
        let w = call("write", 7, [3, 0x1000, 1, 0, 0, 0], 1);
        for _ in 0..200_000 {
            a.add(&w);
        }
        let r = a.report();
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == "unbatched-writes")
            .unwrap();
        assert_eq!(f.evidence.samples.len(), Samples::MAX);
        assert_eq!(f.evidence.fds.len(), 1);
    }
}
