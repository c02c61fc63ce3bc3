//! Where the events of a multi-recording analysis come from: each [`Recording`] as its header
//! describes it, grouped into [`Run`]s — one recording, or the files of one rotated capture
//! (the same header `series`), whose process ids and descriptors belong together.
//!
//! `summary`, `advise` and `report` given several recordings key processes by run (pids collide
//! across hosts and across runs of one service) and show each run by its [`Run::label`].

use serde_json::{Value as Json, json};

/// One recording file, as its header describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recording {
    /// The file as it was given (or found in a directory).
    pub file: String,
    /// Host name of the traced machine (empty when the header has none).
    pub host: String,
    /// Boot id of the traced machine (empty in older files).
    pub boot_id: String,
    /// The traced command line (or `-p PID…`).
    pub command: Vec<String>,
    /// Wall-clock start, ns since the epoch.
    pub start_ns: u64,
    /// The continuous capture it belongs to (empty for a single recording).
    pub series: String,
    /// Its place in the series.
    pub segment: u64,
}

impl Recording {
    /// The host name, or `?` when the header has none.
    pub fn host_or_unknown(&self) -> &str {
        if self.host.is_empty() {
            "?"
        } else {
            &self.host
        }
    }

    /// The last component of the file's path.
    pub fn file_name(&self) -> &str {
        self.file
            .rsplit('/')
            .find(|s| !s.is_empty())
            .unwrap_or(&self.file)
    }
}

/// One run: a recording, or the segments of one rotated capture in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Run {
    /// How the run is shown next to its processes and findings: its host when every run is on
    /// a different host, else its (first) file's name.
    pub label: String,
    /// Its files, in segment order.
    pub recordings: Vec<Recording>,
}

impl Run {
    /// The run's host (its first file's).
    pub fn host(&self) -> &str {
        self.recordings
            .first()
            .map_or("?", Recording::host_or_unknown)
    }

    /// The run's boot id (its first file's).
    pub fn boot_id(&self) -> &str {
        self.recordings.first().map_or("", |r| r.boot_id.as_str())
    }

    /// The run as JSON: `{label, host, boot_id, command, files}`.
    pub fn to_json(&self) -> Json {
        json!({
            "label": self.label,
            "host": self.host(),
            "boot_id": self.boot_id(),
            "command": self.recordings.first().map(|r| r.command.clone()).unwrap_or_default(),
            "files": self.recordings.iter().map(|r| r.file.as_str()).collect::<Vec<_>>(),
        })
    }
}

/// Groups recordings into runs — files with the same non-empty `series` form one run, in
/// segment order; every other file is a run of its own — in the order each run first appears,
/// and labels them (see [`Run::label`]).
pub fn runs(recordings: Vec<Recording>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for rec in recordings {
        let same = (!rec.series.is_empty())
            .then(|| {
                out.iter_mut()
                    .find(|r| r.recordings.first().is_some_and(|f| f.series == rec.series))
            })
            .flatten();
        match same {
            Some(run) => run.recordings.push(rec),
            None => out.push(Run {
                label: String::new(),
                recordings: vec![rec],
            }),
        }
    }
    for run in &mut out {
        run.recordings.sort_by_key(|r| r.segment);
    }
    let distinct_hosts = {
        let mut hosts: Vec<&str> = out.iter().map(Run::host).collect();
        hosts.sort_unstable();
        hosts.dedup();
        hosts.len() == out.len()
    };
    for run in &mut out {
        run.label = if distinct_hosts {
            run.host().to_string()
        } else {
            run.recordings
                .first()
                .map_or_else(String::new, |r| r.file_name().to_string())
        };
    }
    out
}

/// What several runs are counted as: `hosts` when there are several and each is on its own
/// host, `recordings` otherwise.
pub fn unit(runs: &[Run]) -> &'static str {
    let mut hosts: Vec<&str> = runs.iter().map(Run::host).collect();
    hosts.sort_unstable();
    hosts.dedup();
    if runs.len() > 1 && hosts.len() == runs.len() {
        "hosts"
    } else {
        "recordings"
    }
}

/// Nanoseconds since the epoch as `2026-12-07 12:04:51 UTC`.
pub fn utc(ns: u64) -> String {
    let secs = (ns / 1_000_000_000) as i64;
    let rem = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        utc_date(ns),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Nanoseconds since the epoch as the UTC date `2026-12-07`.
pub fn utc_date(ns: u64) -> String {
    let days = ((ns / 1_000_000_000) as i64).div_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(file: &str, host: &str, series: &str, segment: u64) -> Recording {
        Recording {
            file: file.into(),
            host: host.into(),
            series: series.into(),
            segment,
            ..Recording::default()
        }
    }

    #[test]
    fn series_are_one_run_in_segment_order() {
        let r = runs(vec![
            rec("d/c-1.sgt", "web-1", "s1", 1),
            rec("d/other.sgt", "web-2", "", 0),
            rec("d/c-0.sgt", "web-1", "s1", 0),
        ]);
        assert_eq!(r.len(), 2);
        let files: Vec<&str> = r[0].recordings.iter().map(|x| x.file.as_str()).collect();
        assert_eq!(files, ["d/c-0.sgt", "d/c-1.sgt"]);
        assert_eq!(r[0].label, "web-1");
        assert_eq!(r[1].label, "web-2");
        assert_eq!(unit(&r), "hosts");
    }

    #[test]
    fn runs_on_one_host_are_named_by_file() {
        let r = runs(vec![
            rec("/x/a.sgt", "h", "", 0),
            rec("/x/b.sgt", "h", "", 0),
        ]);
        assert_eq!(r[0].label, "a.sgt");
        assert_eq!(r[1].label, "b.sgt");
        assert_eq!(unit(&r), "recordings");
        assert_eq!(unit(&r[..1]), "recordings");
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_796_645_091_000_000_000), "2026-12-07 12:04:51 UTC");
        assert_eq!(utc(951_782_400_000_000_000), "2000-02-29 00:00:00 UTC");
    }
}
