//! The `recordings` and `hosts` sections: what each recording fed to a summary holds on its
//! own, and the same per host, from a small counter kept beside the merged tables.

use std::fmt::Write as _;

use serde_json::{Value as Json, json};

use super::*;

/// One recording's own totals.
#[derive(Debug, Clone)]
pub(crate) struct RecStats {
    pub(crate) info: Recording,
    /// The run it belongs to.
    pub(crate) run: u32,
    calls: u64,
    errors: u64,
    total_ns: u64,
    first_ts: Option<u64>,
    last_ts: u64,
    /// (calls, time) by the index of the syscall in the summary's table; (0, 0) for one
    /// this recording did not make.
    by_syscall: Vec<(u64, u64)>,
}

/// One host's totals, over its recordings.
struct HostRow {
    recordings: u64,
    calls: u64,
    errors: u64,
    total_ns: u64,
    by_syscall: HashMap<String, (u64, u64)>,
}

impl HostRow {
    /// The syscall with the most time (then the most calls), `-` with none.
    fn top_syscall(&self) -> &str {
        self.by_syscall
            .iter()
            .max_by(|a, b| (a.1.1, a.1.0).cmp(&(b.1.1, b.1.0)).then(b.0.cmp(a.0)))
            .map_or("-", |(name, _)| name.as_str())
    }
}

impl RecStats {
    pub(crate) fn new(info: Recording, run: u32) -> RecStats {
        RecStats {
            info,
            run,
            calls: 0,
            errors: 0,
            total_ns: 0,
            first_ts: None,
            last_ts: 0,
            by_syscall: Vec::new(),
        }
    }

    /// Counts one completed call, of the syscall with index `id` in the summary's table.
    pub(crate) fn add(&mut self, ev: &SyscallEvent, id: usize) {
        self.first_ts.get_or_insert(ev.ts_ns);
        self.last_ts = self.last_ts.max(ev.ts_ns + ev.duration_ns);
        self.add_counts(id, 1, u64::from(ev.is_error), ev.duration_ns);
    }

    /// Counts `calls` calls of the syscall with index `id` (statistics aggregated elsewhere).
    pub(crate) fn add_counts(&mut self, id: usize, calls: u64, errors: u64, ns: u64) {
        self.calls += calls;
        self.errors += errors;
        self.total_ns += ns;
        if self.by_syscall.len() <= id {
            self.by_syscall.resize(id + 1, (0, 0));
        }
        let s = &mut self.by_syscall[id];
        s.0 += calls;
        s.1 += ns;
    }

    /// From the first call to the end of the last.
    fn duration_s(&self) -> f64 {
        self.first_ts
            .map_or(0.0, |f| self.last_ts.saturating_sub(f) as f64 / 1e9)
    }

    /// Up to 8 characters of the boot id, `-` when unknown.
    fn short_boot(&self) -> &str {
        match self.info.boot_id.get(..8) {
            Some(s) => s,
            None if self.info.boot_id.is_empty() => "-",
            None => &self.info.boot_id,
        }
    }
}

impl Summary {
    /// Per host, over the recordings, ordered by `sort`.
    fn host_rows(&self, sort: SortKey) -> Vec<(String, HostRow)> {
        let mut hosts: HashMap<String, HostRow> = HashMap::new();
        for r in &self.recordings {
            let h = hosts
                .entry(r.info.host_or_unknown().to_string())
                .or_insert_with(|| HostRow {
                    recordings: 0,
                    calls: 0,
                    errors: 0,
                    total_ns: 0,
                    by_syscall: HashMap::new(),
                });
            h.recordings += 1;
            h.calls += r.calls;
            h.errors += r.errors;
            h.total_ns += r.total_ns;
            let made = r.by_syscall.iter().zip(&self.syscalls);
            for (&(calls, ns), slot) in made.filter(|((calls, _), _)| *calls > 0) {
                let s = h
                    .by_syscall
                    .entry(Summary::name_of(slot.arch, slot.nr))
                    .or_default();
                s.0 += calls;
                s.1 += ns;
            }
        }
        let mut rows: Vec<(String, HostRow)> = hosts.into_iter().collect();
        Summary::sorted(&mut rows, sort, |h| (h.total_ns, h.calls, h.errors));
        rows
    }

    /// Whether recordings were announced (so the `recordings` and `hosts` sections have rows).
    pub(crate) fn has_recordings(&self) -> bool {
        !self.recordings.is_empty()
    }

    /// The `recordings` section as JSON, in the order the recordings were fed.
    pub(crate) fn recordings_json(&self, top: usize) -> Json {
        Json::Array(
            self.recordings
                .iter()
                .take(top)
                .map(|r| {
                    json!({
                        "file": r.info.file,
                        "host": r.info.host_or_unknown(),
                        "boot_id": r.info.boot_id,
                        "command": r.info.command,
                        "start_ns": r.info.start_ns,
                        "duration_s": r.duration_s(),
                        "calls": r.calls,
                        "errors": r.errors,
                        "total_ns": r.total_ns,
                        "label": self.run_labels.get(r.run as usize).cloned().unwrap_or_default(),
                        "series": r.info.series,
                        "segment": r.info.segment,
                    })
                })
                .collect(),
        )
    }

    /// The `hosts` section as JSON.
    pub(crate) fn hosts_json(&self, sort: SortKey, top: usize) -> Json {
        Json::Array(
            self.host_rows(sort)
                .iter()
                .take(top)
                .map(|(host, h)| {
                    json!({
                        "host": host,
                        "recordings": h.recordings,
                        "calls": h.calls,
                        "errors": h.errors,
                        "total_ns": h.total_ns,
                        "top_syscall": h.top_syscall(),
                    })
                })
                .collect(),
        )
    }

    /// The `recordings` section as text.
    pub(crate) fn render_recordings(&self, s: &mut String, top: usize) {
        let _ = writeln!(
            s,
            "{:<16} {:<8} {:<23} {:>10} {:>10} {:>9} {:>11}  file: command",
            "host", "boot", "start", "duration", "calls", "errors", "seconds"
        );
        for r in self.recordings.iter().take(top) {
            let _ = writeln!(
                s,
                "{:<16} {:<8} {:<23} {:>10} {:>10} {:>9} {:>11.6}  {}: {}",
                r.info.host_or_unknown(),
                r.short_boot(),
                crate::sources::utc(r.info.start_ns),
                format!("{:.3} s", r.duration_s()),
                r.calls,
                r.errors,
                r.total_ns as f64 / 1e9,
                r.info.file,
                r.info.command.join(" ")
            );
        }
        if self.recordings.len() > top {
            let _ = writeln!(
                s,
                "… {} more recordings (see --top)",
                self.recordings.len() - top
            );
        }
    }

    /// The `hosts` section as text.
    pub(crate) fn render_hosts(&self, s: &mut String, sort: SortKey, top: usize) {
        let rows = self.host_rows(sort);
        let _ = writeln!(
            s,
            "{:<24} {:>10} {:>10} {:>9} {:>11}  top syscall (time)",
            "host", "recordings", "calls", "errors", "seconds"
        );
        for (host, h) in rows.iter().take(top) {
            let _ = writeln!(
                s,
                "{host:<24} {:>10} {:>10} {:>9} {:>11.6}  {}",
                h.recordings,
                h.calls,
                h.errors,
                h.total_ns as f64 / 1e9,
                h.top_syscall()
            );
        }
        if rows.len() > top {
            let _ = writeln!(s, "… {} more hosts (see --top)", rows.len() - top);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sysgate_event::Bytes;

    fn call(name: &str, pid: u32, args: [u64; 6], ret: i64, ts: u64) -> SyscallEvent {
        let mut e = SyscallEvent::new();
        e.syscall = sysgate_kb::by_name(name);
        e.arch = Arch::X86_64;
        e.nr = sysgate_kb::number(Arch::X86_64, name).unwrap();
        e.pid = pid;
        e.tid = pid;
        e.args = args;
        e.ret = ret;
        e.is_error = ret < 0;
        e.duration_ns = 1000;
        e.ts_ns = ts;
        e.phase = Phase::Completed;
        e
    }

    fn open(pid: u32, path: &str, ret: i64, ts: u64) -> SyscallEvent {
        let mut e = call("openat", pid, [0; 6], ret, ts);
        e.bytes.extend_from_slice(path.as_bytes());
        e.decoded.push(Value::DirFd(-100));
        e.decoded.push(Value::Str {
            bytes: Bytes {
                start: 0,
                len: path.len() as u32,
            },
            truncated: false,
        });
        e
    }

    fn rec(file: &str, host: &str) -> Recording {
        Recording {
            file: file.into(),
            host: host.into(),
            boot_id: "0123456789abcdef".into(),
            command: vec!["app".into()],
            start_ns: 1_700_000_000_000_000_000,
            ..Recording::default()
        }
    }

    /// The same pid on two hosts: two processes; the tables add up; per-recording rows.
    #[test]
    fn two_hosts_add_up_and_keep_their_processes_apart() {
        let mut s = Summary::with_threads();
        let day = 86_400_000_000_000u64;
        s.begin_recording(0, "web-1", rec("a.sgt", "web-1"));
        s.add(&open(10, "/etc/app.conf", 3, day));
        for i in 0..3 {
            s.add(&call("write", 10, [3, 0, 1, 0, 0, 0], 1, day + 10 + i));
        }
        // A day later on another host: the rate is counted from each run's own start.
        s.begin_recording(1, "web-2", rec("b.sgt", "web-2"));
        s.add(&open(10, "/etc/app.conf", -2, 2 * day));
        s.add(&call("write", 10, [3, 0, 1, 0, 0, 0], -9, 2 * day + 5));
        let j = s.to_json(&Section::ALL, SortKey::Calls, None);
        assert_eq!(j["calls"], 6);
        assert_eq!(j["syscalls"][0]["syscall"], "write");
        assert_eq!(j["syscalls"][0]["calls"], 4);
        assert_eq!(j["rate"]["per_second"], serde_json::json!([6]));
        let procs = j["processes"].as_array().unwrap();
        assert_eq!(procs.len(), 2, "{procs:?}");
        let mut hosts: Vec<&str> = procs.iter().map(|p| p["host"].as_str().unwrap()).collect();
        hosts.sort_unstable();
        assert_eq!(hosts, ["web-1", "web-2"]);
        assert_eq!(j["threads"].as_array().unwrap().len(), 2);
        // The file is one row, by path; fd 3 on web-2 was never opened there.
        let conf = j["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == "/etc/app.conf")
            .unwrap();
        assert_eq!(
            (&conf["opens"], &conf["writes"], &conf["errors"]),
            (&2.into(), &3.into(), &1.into())
        );
        let recs = j["recordings"].as_array().unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0]["calls"], 4);
        assert_eq!(recs[1]["errors"], 2);
        assert_eq!(recs[1]["label"], "web-2");
        let hosts = j["hosts"].as_array().unwrap();
        assert_eq!(hosts.len(), 2);
        assert_eq!(hosts[0]["top_syscall"], "write");
        let text = s.render(&Section::ALL, SortKey::Time, None);
        assert!(text.starts_with("=== recordings ===\n"), "{text}");
        assert!(text.contains("web-1: ? [10]"), "{text}");
        assert!(text.contains("\n=== hosts ===\n"), "{text}");
        assert!(text.contains("2023-11-14 22:13:20 UTC"), "{text}");
    }

    /// A live run has no recordings: the sections say so alone and are left out otherwise.
    #[test]
    fn live_runs_have_no_recordings_section() {
        let mut s = Summary::new();
        s.add(&call("write", 1, [1, 0, 1, 0, 0, 0], 1, 5));
        let j = s.to_json(&Section::ALL, SortKey::Time, None);
        assert!(j.get("recordings").is_none() && j.get("hosts").is_none());
        assert!(
            s.render(&Section::ALL, SortKey::Time, None)
                .starts_with("=== syscalls ===")
        );
        assert_eq!(
            s.render(&[Section::Recordings], SortKey::Time, None),
            "no recordings: the calls were captured live\n"
        );
    }
}
