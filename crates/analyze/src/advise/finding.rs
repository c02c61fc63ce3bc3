//! What a rule reports: a [`Finding`] with its [`Severity`], the [`Evidence`] (counts, sample
//! calls, the fd or path), the estimated [`Saving`] and the fix.

use serde_json::{Value as Json, json};
use sysgate_event::SyscallEvent;

use super::cost::{fmt_count, fmt_ns};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; costs little.
    Info,
    /// Costs measurable time or resources.
    Warning,
    /// Loses data, leaks access, or breaks under load.
    Error,
}

impl Severity {
    /// `info`, `warning`, `error`.
    pub const fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning`, `error`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// One call kept as proof, rendered like an strace line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Entry time, ns since the epoch.
    pub ts_ns: u64,
    /// Process id.
    pub pid: u32,
    /// Thread id.
    pub tid: u32,
    /// `write(3, "hello\n", 6) = 6`.
    pub line: String,
    /// Where in the program the call was made, when it was captured with `-k`:
    /// `parse at parser.c:42 (app)`.
    pub site: Option<String>,
}

impl Sample {
    /// The strace rendering of `ev`.
    pub fn of(ev: &SyscallEvent) -> Sample {
        let mut line = String::new();
        sysgate_event::render::syscall_line_into(ev, &mut line);
        Sample {
            ts_ns: ev.ts_ns,
            pid: ev.pid,
            tid: ev.tid,
            line,
            site: crate::callsite::site_label(&ev.stack),
        }
    }
}

/// At most [`Samples::MAX`] sample calls.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples(pub Vec<Sample>);

impl Samples {
    /// Samples kept per key.
    pub const MAX: usize = 3;

    /// Keeps `ev` if there is room.
    pub fn offer(&mut self, ev: &SyscallEvent) {
        if self.0.len() < Self::MAX {
            self.0.push(Sample::of(ev));
        }
    }

    /// True when full.
    pub fn full(&self) -> bool {
        self.0.len() >= Self::MAX
    }
}

/// An fd named in the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct FdRef {
    /// The process.
    pub pid: u32,
    /// The fd number.
    pub fd: i32,
    /// What it refers to.
    pub path: String,
}

/// What proves a finding.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Named counts (`writes`, `bytes`, `median_bytes`, …).
    pub facts: Vec<(&'static str, u64)>,
    /// Fds involved, with what they refer to.
    pub fds: Vec<FdRef>,
    /// Processes involved.
    pub pids: Vec<u32>,
    /// Threads involved.
    pub tids: Vec<u32>,
    /// Up to three calls, strace-style.
    pub samples: Vec<Sample>,
}

impl Evidence {
    /// Fills in one process's descriptors that all refer to `path`, the threads involved and the
    /// sample calls: the evidence of every per-file rule.
    pub fn set_file(
        &mut self,
        pid: u32,
        fds: &[i32],
        path: &str,
        tids: Vec<u32>,
        samples: &Samples,
    ) {
        self.fds = fds
            .iter()
            .map(|&fd| FdRef {
                pid,
                fd,
                path: path.to_string(),
            })
            .collect();
        self.pids = vec![pid];
        self.tids = tids;
        self.samples = samples.0.clone();
    }
}

/// What the fix saves, from the cost model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Saving {
    /// Syscalls the fix avoids.
    pub calls_avoided: u64,
    /// Untraced time the fix saves, ns (avoided calls × per-call cost).
    pub time_ns: u64,
    /// How it was computed.
    pub formula: String,
}

impl Saving {
    /// `avoided` calls of a kind that costs `per_call_ns` (`cost` names the model entry).
    pub fn calls(avoided: u64, per_call_ns: f64, what: &str, cost: &str) -> Saving {
        Saving {
            calls_avoided: avoided,
            time_ns: (avoided as f64 * per_call_ns) as u64,
            formula: format!(
                "{} avoided {what} × {} ({cost})",
                fmt_count(avoided),
                fmt_ns(per_call_ns)
            ),
        }
    }
}

/// One anti-pattern found in the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule id (`unbatched-writes`).
    pub rule: &'static str,
    /// The rule's title.
    pub title: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// What was seen, in one line.
    pub message: String,
    /// The proof.
    pub evidence: Evidence,
    /// What fixing it saves.
    pub saving: Saving,
    /// What to change, concretely.
    pub fix: String,
}

impl Finding {
    /// The call sites of the sample calls, most frequent first, with how many samples each
    /// (empty when the calls were captured without stacks).
    pub fn sites(&self) -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = Vec::new();
        for site in self.evidence.samples.iter().filter_map(|s| s.site.clone()) {
            match v.iter_mut().find(|(x, _)| *x == site) {
                Some(e) => e.1 += 1,
                None => v.push((site, 1)),
            }
        }
        v.sort_by_key(|b| std::cmp::Reverse(b.1));
        v
    }

    /// The user documentation of the rule.
    pub fn doc(&self) -> String {
        format!("docs/rules/{}.md", self.rule)
    }

    /// The finding as JSON (schema in `docs/advise.md`).
    pub fn to_json(&self) -> Json {
        let facts: serde_json::Map<String, Json> = self
            .evidence
            .facts
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        json!({
            "rule": self.rule,
            "title": self.title,
            "severity": self.severity.name(),
            "message": self.message,
            "evidence": {
                "facts": facts,
                "fds": self.evidence.fds.iter().map(|f| json!({"pid": f.pid, "fd": f.fd, "path": f.path})).collect::<Vec<_>>(),
                "pids": self.evidence.pids,
                "tids": self.evidence.tids,
                "samples": self.evidence.samples.iter().map(|s| json!({"ts_ns": s.ts_ns, "pid": s.pid, "tid": s.tid, "line": s.line, "site": s.site})).collect::<Vec<_>>(),
                "sites": self.sites().iter().map(|(site, n)| json!({"site": site, "samples": n})).collect::<Vec<_>>(),
            },
            "saving": {
                "calls_avoided": self.saving.calls_avoided,
                "time_ns": self.saving.time_ns,
                "formula": self.saving.formula,
            },
            "fix": self.fix,
            "doc": self.doc(),
        })
    }
}
