//! The summary as JSON (schema in `docs/summary.md`).

use serde_json::{Value as Json, json};

use super::*;

impl Summary {
    /// The whole report as JSON (schema in `docs/summary.md`).
    pub fn to_json(&self, sections: &[Section], sort: SortKey, top: Option<usize>) -> Json {
        let top = top.unwrap_or(usize::MAX);
        let mut doc = serde_json::Map::new();
        doc.insert("calls".into(), json!(self.calls()));
        doc.insert("signals".into(), json!(self.signals));
        doc.insert("duration_s".into(), json!(self.duration_s()));
        if self.untimed {
            doc.insert("timed".into(), json!(false));
        }
        for sec in sections {
            let v = match sec {
                // Only from recordings (`begin_recording`); a live run has none.
                Section::Recordings | Section::Hosts if !self.has_recordings() => continue,
                Section::Recordings => self.recordings_json(top),
                Section::Hosts => self.hosts_json(sort, top),
                Section::Syscalls => Json::Array(
                    self.syscall_rows(sort)
                        .iter()
                        .take(top)
                        .map(|(n, r)| json!({"syscall": n, "calls": r.calls, "errors": r.errors, "total_ns": r.total_ns}))
                        .collect(),
                ),
                Section::Categories => {
                    let rows = self.category_rows(sort);
                    Json::Array(
                        rows.iter()
                            .map(|(n, t)| json!({"category": n, "calls": t.calls, "errors": t.errors, "total_ns": t.total_ns}))
                            .collect(),
                    )
                }
                Section::Processes => Json::Array(
                    self.tasks
                        .iter()
                        .map(|(&(run, tid), t)| {
                            let mut row = json!({"pid": t.pid, "tid": tid, "command": self.command(run, t.pid), "calls": t.calls, "total_ns": t.total_ns});
                            self.tag_run(&mut row, run);
                            row
                        })
                        .take(top)
                        .collect(),
                ),
                Section::Files => Json::Array(
                    self.file_rows(sort)
                        .iter()
                        .take(top)
                        .map(|(n, f)| {
                            json!({"file": n, "opens": f.opens, "reads": f.reads, "writes": f.writes,
                                   "bytes_in": f.bytes_in, "bytes_out": f.bytes_out, "flushes": f.flushes,
                                   "errors": f.errors})
                        })
                        .collect(),
                ),
                Section::Errors => Json::Array(
                    self.error_rows()
                        .iter()
                        .take(top)
                        .map(|(n, errno, e)| {
                            let args: Vec<Json> = Summary::top_args(e, 10)
                                .into_iter()
                                .map(|(a, c)| json!({"arg": a, "count": c}))
                                .collect();
                            json!({"syscall": n, "errno": errno, "count": e.count, "top_args": args})
                        })
                        .collect(),
                ),
                Section::Latency => Json::Array(
                    self.syscall_rows(sort)
                        .iter()
                        .take(top)
                        .map(|(n, r)| {
                            json!({"syscall": n, "calls": r.calls, "p50_ns": r.hist.quantile(0.5),
                                   "p90_ns": r.hist.quantile(0.9), "p99_ns": r.hist.quantile(0.99), "max_ns": r.hist.max(),
                                   "log2_ns": r.hist.log2()})
                        })
                        .collect(),
                ),
                Section::Rate => {
                    let peak = self.per_second.iter().copied().max().unwrap_or(0);
                    json!({"per_second": self.per_second, "peak_per_second": peak})
                }
                Section::Threads => Json::Array(
                    self.thread_models()
                        .iter()
                        .map(|(label, m)| {
                            let mut row = m.to_json();
                            if let Some(label) = label {
                                row["recording"] = json!(label);
                            }
                            row
                        })
                        .collect(),
                ),
                Section::Callsites => Json::Array(
                    self.site_rows(sort)
                        .iter()
                        .take(top)
                        .map(|(label, st)| {
                            json!({"site": label, "calls": st.calls, "total_ns": st.total_ns,
                                   "syscalls": st.by_syscall})
                        })
                        .collect(),
                ),
            };
            doc.insert(sec.name().into(), v);
        }
        Json::Object(doc)
    }

    /// With several runs, names the run of a per-process row: `recording` (its label) and
    /// `host`.
    fn tag_run(&self, row: &mut Json, run: u32) {
        if let Some(label) = self.run_label(run) {
            row["recording"] = json!(label);
            row["host"] = json!(
                self.recordings
                    .iter()
                    .find(|r| r.run == run)
                    .map_or("?", |r| r.info.host_or_unknown())
            );
        }
    }
}
