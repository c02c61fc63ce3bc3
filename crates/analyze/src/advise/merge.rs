//! `advise` over several recordings: one [`Advisor`](super::Advisor) per run (its fd table and
//! process tree belong to one machine and one capture), then the reports merged into a
//! [`Merged`] report.
//!
//! Each finding is tagged with the run it came from. The same finding on several runs — the
//! same rule and the same subject — is shown once, with the runs it was seen on ("on 3 of 4
//! hosts"). The subject is the one `diff` matches findings by ([`FindingRef`]: the first file of
//! the evidence with process ids masked, else the syscall of the first sample call), with the
//! programs of the processes involved.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use serde_json::{Value as Json, json};

use super::cost::{fmt_count, fmt_ns};
use super::{Finding, Report, Severity, ThreadModel};
use crate::diff::FindingRef;
use crate::rules;
use crate::sources::{self, Run};

/// One finding and every run it was seen on.
#[derive(Debug, Clone)]
struct Group {
    /// The occurrence shown: the most severe, then the largest saving.
    shown: (usize, Finding),
    /// Every occurrence, by run index (in run order).
    all: Vec<(usize, Finding)>,
}

impl Group {
    fn severity(&self) -> Severity {
        self.shown.1.severity
    }

    fn time_ns(&self) -> u64 {
        self.all.iter().map(|(_, f)| f.saving.time_ns).sum()
    }

    fn calls_avoided(&self) -> u64 {
        self.all.iter().map(|(_, f)| f.saving.calls_avoided).sum()
    }
}

/// The reports of several runs as one.
#[derive(Debug, Clone)]
pub struct Merged {
    runs: Vec<(Run, Report)>,
    groups: Vec<Group>,
    unit: &'static str,
}

/// What a finding is about, the same on every run of one program: the rule, the programs of
/// its processes, and the subject `diff` matches findings by (process ids masked).
fn subject(f: &Finding, threads: &[ThreadModel]) -> String {
    let mut programs: Vec<&str> = f
        .evidence
        .pids
        .iter()
        .map(|pid| {
            threads
                .iter()
                .find(|m| m.pid == *pid)
                .map_or("?", |m| m.exe.rsplit('/').next().unwrap_or(&m.exe))
        })
        .collect();
    programs.sort_unstable();
    programs.dedup();
    let pids: BTreeSet<u32> = threads
        .iter()
        .map(|m| m.pid)
        .chain(f.evidence.pids.iter().copied())
        .chain(f.evidence.tids.iter().copied())
        .collect();
    let what = FindingRef::of(f, &pids).subject;
    format!("{}\0{}\0{what}", f.rule, programs.join(","))
}

impl Merged {
    /// Merges the report of each run (in the order given).
    pub fn new(runs: Vec<(Run, Report)>) -> Merged {
        let plain: Vec<Run> = runs.iter().map(|(r, _)| r.clone()).collect();
        let unit = sources::unit(&plain);
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<(String, usize), usize> = HashMap::new();
        for (ri, (_, report)) in runs.iter().enumerate() {
            // The k-th finding with a subject in one run matches the k-th in another, so two
            // findings of one run are never folded into one.
            let mut seen: HashMap<String, usize> = HashMap::new();
            for f in &report.findings {
                let key = subject(f, &report.threads);
                let k = seen.entry(key.clone()).or_default();
                let slot = (key, *k);
                *k += 1;
                match index.get(&slot) {
                    Some(&g) => {
                        let g = &mut groups[g];
                        let better = (f.severity, f.saving.time_ns, f.saving.calls_avoided)
                            > (
                                g.shown.1.severity,
                                g.shown.1.saving.time_ns,
                                g.shown.1.saving.calls_avoided,
                            );
                        if better {
                            g.shown = (ri, f.clone());
                        }
                        g.all.push((ri, f.clone()));
                    }
                    None => {
                        index.insert(slot, groups.len());
                        groups.push(Group {
                            shown: (ri, f.clone()),
                            all: vec![(ri, f.clone())],
                        });
                    }
                }
            }
        }
        let order = |id: &str| rules::ALL.iter().position(|r| r.id == id);
        groups.sort_by(|a, b| {
            b.severity()
                .cmp(&a.severity())
                .then(b.time_ns().cmp(&a.time_ns()))
                .then(b.calls_avoided().cmp(&a.calls_avoided()))
                .then(b.all.len().cmp(&a.all.len()))
                .then(order(a.shown.1.rule).cmp(&order(b.shown.1.rule)))
                .then(a.shown.1.message.cmp(&b.shown.1.message))
        });
        Merged { runs, groups, unit }
    }

    /// The most severe finding's severity, over every run.
    pub fn max_severity(&self) -> Option<Severity> {
        self.groups.iter().map(Group::severity).max()
    }

    /// Distinct findings (a finding seen on several runs counts once).
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether no run has a finding.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    fn count(&self, s: Severity) -> usize {
        self.groups.iter().filter(|g| g.severity() == s).count()
    }

    fn calls(&self) -> u64 {
        self.runs.iter().map(|(_, r)| r.calls).sum()
    }

    fn processes(&self) -> u64 {
        self.runs.iter().map(|(_, r)| r.processes).sum()
    }

    /// `a.sgt (host web-1)` or, counting hosts, `web-1 (a.sgt)`; a series shows its first
    /// file and how many segments.
    fn describe(&self, run: &Run) -> String {
        let files = match run.recordings.as_slice() {
            [one] => one.file.clone(),
            [first, ..] => format!("{} +{} segments", first.file, run.recordings.len() - 1),
            [] => String::new(),
        };
        if self.unit == "hosts" {
            format!("{} ({files})", run.host())
        } else {
            format!("{files} (host {})", run.host())
        }
    }

    /// The line under a finding's heading saying where it was seen.
    fn tag(&self, g: &Group) -> String {
        let (ri, _) = &g.shown;
        if g.all.len() == 1 {
            let run = &self.runs[*ri].0;
            return if self.unit == "hosts" {
                format!("host: {}", self.describe(run))
            } else {
                format!("recording: {}", self.describe(run))
            };
        }
        let mut runs: Vec<usize> = g.all.iter().map(|(r, _)| *r).collect();
        runs.dedup();
        let names: Vec<String> = runs.iter().map(|r| self.runs[*r].0.label.clone()).collect();
        let mut line = format!(
            "on {} of {} {}: {}",
            runs.len(),
            self.runs.len(),
            self.unit,
            names.join(", ")
        );
        if g.calls_avoided() > 0 || g.time_ns() > 0 {
            let _ = write!(
                line,
                "; saving on all of them ~{}, ~{}",
                rules::plural(g.calls_avoided(), "syscall"),
                fmt_ns(g.time_ns() as f64)
            );
        }
        let _ = write!(line, "; shown: {}", self.runs[*ri].0.label);
        line
    }

    /// The merged report as text; sample timestamps in local time `utc_offset_s` east of UTC.
    pub fn render(&self, utc_offset_s: i64) -> String {
        let mut s = String::new();
        let processes = self.processes();
        let what = format!(
            "{} calls of {} process{} in {} {}",
            fmt_count(self.calls()),
            processes,
            if processes == 1 { "" } else { "es" },
            self.runs.len(),
            if self.runs.len() == 1 {
                self.unit.trim_end_matches('s')
            } else {
                self.unit
            }
        );
        if self.groups.is_empty() {
            let rules = self.runs.first().map_or(0, |(_, r)| r.rules.len());
            let _ = writeln!(
                s,
                "sysgate advise: no findings ({} checked {what})",
                rules::plural(rules as u64, "rule")
            );
        } else {
            let _ = writeln!(
                s,
                "sysgate advise: {} finding{} ({} error, {} warning, {} info) in {what}",
                self.groups.len(),
                if self.groups.len() == 1 { "" } else { "s" },
                self.count(Severity::Error),
                self.count(Severity::Warning),
                self.count(Severity::Info),
            );
            if let Some((_, r)) = self.runs.first() {
                let _ = writeln!(
                    s,
                    "savings use the {} cost model of untraced per-call costs (docs/advise.md)",
                    r.costs.describe()
                );
            }
        }
        for (i, (run, r)) in self.runs.iter().enumerate() {
            let found = self
                .groups
                .iter()
                .filter(|g| g.all.iter().any(|(ri, _)| *ri == i))
                .count();
            let _ = writeln!(
                s,
                "{} {}: {}: {} calls of {} process{} over {}, {}",
                self.unit.trim_end_matches('s'),
                i + 1,
                self.describe(run),
                fmt_count(r.calls),
                r.processes,
                if r.processes == 1 { "" } else { "es" },
                fmt_ns(r.duration_ns as f64),
                match found {
                    0 => "no findings".to_string(),
                    1 => "1 finding".to_string(),
                    n => format!("{n} findings"),
                }
            );
            let mut threads = String::new();
            r.render_threads(&mut threads);
            for line in threads.lines() {
                let _ = writeln!(s, "  {line}");
            }
        }
        for (i, g) in self.groups.iter().enumerate() {
            Report::render_finding(&mut s, i + 1, &g.shown.1, Some(&self.tag(g)), utc_offset_s);
        }
        s
    }

    /// The run `i` as the `recording` object of a finding.
    fn run_json(&self, i: usize) -> Json {
        let mut j = self.runs[i].0.to_json();
        j["index"] = json!(i);
        j
    }

    /// The merged report as one JSON document: the fields of a single report (totals over the
    /// runs; `duration_ns` the longest run's), plus `unit`, `recordings` and, on each finding,
    /// `recording`, `seen_on` and `occurrences` (schema in `docs/advise.md`).
    pub fn to_json(&self) -> Json {
        let first = self.runs.first().map(|(_, r)| r);
        let threads: Vec<Json> = self
            .runs
            .iter()
            .flat_map(|(run, r)| {
                r.threads.iter().map(move |m| {
                    let mut j = m.to_json();
                    j["recording"] = json!(run.label);
                    j
                })
            })
            .collect();
        let recordings: Vec<Json> = self
            .runs
            .iter()
            .enumerate()
            .map(|(i, (_, r))| {
                let mut j = self.run_json(i);
                j["start_ns"] = json!(self.runs[i].0.recordings.first().map_or(0, |x| x.start_ns));
                j["calls"] = json!(r.calls);
                j["processes"] = json!(r.processes);
                j["signals"] = json!(r.signals);
                j["duration_ns"] = json!(r.duration_ns);
                j["counts"] = json!({
                    "error": r.count(Severity::Error),
                    "warning": r.count(Severity::Warning),
                    "info": r.count(Severity::Info),
                });
                j
            })
            .collect();
        let findings: Vec<Json> = self
            .groups
            .iter()
            .map(|g| {
                let mut j = g.shown.1.to_json();
                j["recording"] = self.run_json(g.shown.0);
                let mut runs: Vec<usize> = g.all.iter().map(|(r, _)| *r).collect();
                runs.dedup();
                j["seen_on"] = json!({"count": runs.len(), "of": self.runs.len(), "unit": self.unit});
                j["occurrences"] = Json::Array(
                    g.all
                        .iter()
                        .map(|(ri, f)| {
                            json!({
                                "recording": ri,
                                "label": self.runs[*ri].0.label,
                                "host": self.runs[*ri].0.host(),
                                "severity": f.severity.name(),
                                "message": f.message,
                                "saving": {"calls_avoided": f.saving.calls_avoided, "time_ns": f.saving.time_ns},
                            })
                        })
                        .collect(),
                );
                j
            })
            .collect();
        json!({
            "version": 1,
            "calls": self.calls(),
            "processes": self.processes(),
            "signals": self.runs.iter().map(|(_, r)| r.signals).sum::<u64>(),
            "duration_ns": self.runs.iter().map(|(_, r)| r.duration_ns).max().unwrap_or(0),
            "rules": first.map(|r| r.rules.clone()).unwrap_or_default(),
            "cost_model": first.map(|r| r.costs.to_json()),
            "threads": threads,
            "counts": {
                "error": self.count(Severity::Error),
                "warning": self.count(Severity::Warning),
                "info": self.count(Severity::Info),
            },
            "unit": self.unit,
            "recordings": recordings,
            "findings": findings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{Advisor, CostModel};
    use super::*;
    use crate::sources::Recording;
    use sysgate_event::SyscallEvent;

    /// 2 000 small writes to a temporary file named after the pid.
    fn bad(pid: u32) -> Vec<SyscallEvent> {
        let path = format!("/tmp/app-{pid}.log");
        let mut evs = vec![with_path(
            call("openat", pid, [-100i64 as u64, 0, 0o1101, 0o644, 0, 0], 3),
            &path,
        )];
        for i in 0..2000u64 {
            evs.push(at(
                call("write", pid, [3, 0x1000, 12, 0, 0, 0], 12),
                i * 1000,
                100,
            ));
        }
        evs
    }

    fn report(evs: &[SyscallEvent]) -> Report {
        let mut a = Advisor::new(&rules::ALL.iter().collect::<Vec<_>>(), CostModel::builtin());
        for e in evs {
            a.add(e);
        }
        a.report()
    }

    fn run(file: &str, host: &str) -> Run {
        Run {
            label: String::new(),
            recordings: vec![Recording {
                file: file.into(),
                host: host.into(),
                ..Recording::default()
            }],
        }
    }

    fn merged(parts: Vec<(Run, Report)>) -> Merged {
        let labelled = sources::runs(
            parts
                .iter()
                .flat_map(|(r, _)| r.recordings.clone())
                .collect(),
        );
        Merged::new(
            labelled
                .into_iter()
                .zip(parts)
                .map(|(run, (_, rep))| (run, rep))
                .collect(),
        )
    }

    #[test]
    fn the_same_finding_on_two_runs_is_grouped() {
        let m = merged(vec![
            (run("a.sgt", "h"), report(&bad(7))),
            (run("b.sgt", "h"), report(&bad(9))),
            (run("c.sgt", "h"), report(&[])),
        ]);
        assert_eq!(m.len(), 1);
        let text = m.render(0);
        assert!(
            text.contains("   on 2 of 3 recordings: a.sgt, b.sgt; saving on all of them"),
            "{text}"
        );
        assert!(
            text.contains("recording 3: c.sgt (host h): 0 calls"),
            "{text}"
        );
        let j = m.to_json();
        assert_eq!(j["unit"], "recordings");
        assert_eq!(j["recordings"].as_array().unwrap().len(), 3);
        let f = &j["findings"][0];
        assert_eq!(f["rule"], "unbatched-writes");
        assert_eq!(f["seen_on"]["count"], 2);
        assert_eq!(f["seen_on"]["of"], 3);
        assert_eq!(f["occurrences"].as_array().unwrap().len(), 2);
        assert_eq!(f["recording"]["files"][0], "a.sgt");
        assert_eq!(m.max_severity(), Some(Severity::Warning));
    }

    #[test]
    fn a_finding_of_one_host_names_it() {
        let m = merged(vec![
            (run("a.sgt", "web-1"), report(&[])),
            (run("b.sgt", "web-2"), report(&bad(7))),
        ]);
        let text = m.render(0);
        assert!(text.contains("\n   host: web-2 (b.sgt)\n"), "{text}");
        assert!(text.contains("in 2 hosts"), "{text}");
        let j = m.to_json();
        assert_eq!(j["findings"][0]["recording"]["host"], "web-2");
        assert_eq!(j["findings"][0]["recording"]["index"], 1);
        assert_eq!(j["unit"], "hosts");
    }
}
