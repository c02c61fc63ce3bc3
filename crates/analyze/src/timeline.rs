//! The calls of a run laid out per thread in time, for the HTML report's timeline: every call
//! while the run is small, then a stated sample — every k-th call, k doubling each time the
//! kept calls reach the cap — with every failed call kept (up to a cap of their own) and every
//! signal. Memory is bounded by the caps, not by the run.
//!
//! Several recordings can be laid out together ([`Timeline::begin_source`]): each is drawn from
//! its own first call, and its threads are lanes of their own (pids collide across hosts),
//! labelled with the source.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value as Json, json};
use sysgate_event::commands::Commands;
use sysgate_event::render::syscall_line_into;
use sysgate_event::{SignalEvent, SyscallEvent};

/// Characters of a call's text kept for the timeline's tooltip.
const TEXT_MAX: usize = 160;

/// One call on the timeline.
#[derive(Debug, Clone)]
struct Item {
    seq: u64,
    /// Entry time, ns from the first call of its source.
    ts: u64,
    src: u32,
    dur: u64,
    tid: u32,
    name: u32,
    error: bool,
    text: String,
}

/// What one thread did.
#[derive(Debug, Clone, Default)]
struct Thread {
    pid: u32,
    calls: u64,
    errors: u64,
}

/// The sampled timeline; feed it calls and signals, then take [`Timeline::to_json`].
#[derive(Debug)]
pub struct Timeline {
    cap: usize,
    error_cap: usize,
    stride: u64,
    seen: u64,
    items: Vec<Item>,
    errors: Vec<Item>,
    errors_seen: u64,
    names: Vec<String>,
    categories: Vec<&'static str>,
    name_ids: HashMap<String, u32>,
    /// (source, tid) → what the thread did.
    threads: BTreeMap<(u32, u32), Thread>,
    /// (source, pid) → command (the basename of its last successful execve).
    commands: HashMap<u32, Commands>,
    /// (time from the source's first call, source, tid, signal).
    signals: Vec<(u64, u32, u32, i32)>,
    /// The first call of the current source.
    first_ts: Option<u64>,
    /// The first call of each source seen so far.
    starts: HashMap<u32, u64>,
    /// The end of the latest-ending call, from its source's first call.
    end_ns: u64,
    /// The source the events belong to now, and each source's label.
    src: u32,
    sources: Vec<String>,
    /// Calls and failed calls per `rate_ns` from the first call, every call counted; the
    /// width doubles (pairs merge) whenever the run outgrows [`RATE_BUCKETS`].
    rate: Vec<(u64, u64)>,
    rate_ns: u64,
}

/// Most buckets of the calls-over-time chart.
const RATE_BUCKETS: usize = 240;

impl Timeline {
    /// A timeline that keeps at most `cap` sampled calls and `cap / 4` failed ones.
    pub fn new(cap: usize) -> Timeline {
        let cap = cap.max(16);
        Timeline {
            cap,
            error_cap: cap / 4,
            stride: 1,
            seen: 0,
            items: Vec::new(),
            errors: Vec::new(),
            errors_seen: 0,
            names: Vec::new(),
            categories: Vec::new(),
            name_ids: HashMap::new(),
            threads: BTreeMap::new(),
            commands: HashMap::new(),
            signals: Vec::new(),
            first_ts: None,
            starts: HashMap::new(),
            end_ns: 0,
            src: 0,
            sources: Vec::new(),
            rate: Vec::new(),
            rate_ns: 1_000_000,
        }
    }

    /// Announces that the calls that follow come from another source (a recording, or the
    /// segments of one capture), shown as `label` beside its threads. Its threads get lanes
    /// of their own, and its calls are placed from its own first call.
    pub fn begin_source(&mut self, label: &str) {
        if let Some(first) = self.first_ts {
            self.starts.insert(self.src, first);
        }
        let src = match self.sources.iter().position(|s| s == label) {
            Some(i) => i,
            None => {
                self.sources.push(label.to_string());
                self.sources.len() - 1
            }
        } as u32;
        self.src = src;
        self.first_ts = self.starts.get(&src).copied();
    }

    /// Counts a call `off` ns from its source's start in its bucket of the calls-over-time
    /// chart.
    fn count(&mut self, off: u64, error: bool) {
        while off / self.rate_ns >= RATE_BUCKETS as u64 {
            self.rate_ns *= 2;
            let merged = self
                .rate
                .chunks(2)
                .map(|c| c.iter().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1)))
                .collect();
            self.rate = merged;
        }
        let i = (off / self.rate_ns) as usize;
        if self.rate.len() <= i {
            self.rate.resize(i + 1, (0, 0));
        }
        self.rate[i].0 += 1;
        self.rate[i].1 += u64::from(error);
    }

    /// Adds one completed call.
    pub fn add(&mut self, ev: &SyscallEvent) {
        let seq = self.seen;
        self.seen += 1;
        let first = *self.first_ts.get_or_insert(ev.ts_ns);
        let ts = ev.ts_ns.saturating_sub(first);
        self.end_ns = self.end_ns.max(ts + ev.duration_ns);
        let src = self.src;
        let t = self.threads.entry((src, ev.tid)).or_default();
        t.pid = ev.pid;
        t.calls += 1;
        t.errors += u64::from(ev.is_error);
        self.count(ts, ev.is_error);
        let name = ev.name();
        self.commands.entry(src).or_default().observe(ev);
        if ev.is_error {
            self.errors_seen += 1;
            if self.errors.len() >= self.error_cap {
                return;
            }
        } else if !seq.is_multiple_of(self.stride) {
            return;
        }
        let id = match self.name_ids.get(&*name) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                self.names.push(name.to_string());
                self.categories
                    .push(ev.syscall.map_or("other", |s| s.category.name()));
                self.name_ids.insert(name.to_string(), id);
                id
            }
        };
        let mut text = String::new();
        syscall_line_into(ev, &mut text);
        if text.len() > TEXT_MAX {
            let mut cut = TEXT_MAX;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push('…');
        }
        let item = Item {
            seq,
            ts,
            src,
            dur: ev.duration_ns,
            tid: ev.tid,
            name: id,
            error: ev.is_error,
            text,
        };
        if ev.is_error {
            self.errors.push(item);
            return;
        }
        self.items.push(item);
        if self.items.len() >= self.cap {
            // Keep every other kept call: the sample thins evenly over the whole run.
            self.stride *= 2;
            let stride = self.stride;
            self.items.retain(|i| i.seq.is_multiple_of(stride));
        }
    }

    /// Adds a delivered signal.
    pub fn signal(&mut self, ev: &SignalEvent) {
        if self.signals.len() < self.cap / 4 {
            let first = self.first_ts.unwrap_or(ev.ts_ns);
            self.signals.push((
                ev.ts_ns.saturating_sub(first),
                self.src,
                ev.tid,
                ev.info.signo,
            ));
        }
    }

    /// Calls seen, sampled or not.
    pub fn calls(&self) -> u64 {
        self.seen
    }

    /// The timeline as the report embeds it: times in ns from the first call (of each source),
    /// the calls as columns (`t`, `d`, `lane`, `name`, `error`, `text`) ordered by time,
    /// threads as lanes (most calls first; with several sources each names its `host`), and
    /// the sampling stated.
    pub fn to_json(&self) -> Json {
        let start = self
            .starts
            .values()
            .copied()
            .chain(self.first_ts)
            .min()
            .unwrap_or(0);
        let mut lanes: Vec<(&(u32, u32), &Thread)> = self.threads.iter().collect();
        lanes.sort_by(|a, b| b.1.calls.cmp(&a.1.calls).then(a.0.cmp(b.0)));
        let lane_of: HashMap<(u32, u32), usize> = lanes
            .iter()
            .enumerate()
            .map(|(i, (key, _))| (**key, i))
            .collect();
        let mut all: Vec<&Item> = self.items.iter().chain(&self.errors).collect();
        all.sort_by_key(|i| (i.ts, i.seq));
        let col = |f: &dyn Fn(&Item) -> Json| Json::Array(all.iter().map(|i| f(i)).collect());
        let several = self.sources.len() > 1;
        json!({
            "start_ns": start,
            "duration_ns": self.end_ns,
            "names": self.names,
            "categories": self.categories,
            "threads": lanes.iter().map(|&(&(src, tid), t)| {
                let mut lane = json!({
                    "tid": tid, "pid": t.pid, "calls": t.calls, "errors": t.errors,
                    "command": self.commands.get(&src).and_then(|c| c.get(t.pid)),
                });
                if several {
                    lane["host"] = json!(self.sources[src as usize]);
                }
                lane
            }).collect::<Vec<_>>(),
            "calls": {
                "t": col(&|i| json!(i.ts)),
                "d": col(&|i| json!(i.dur)),
                "lane": col(&|i| json!(lane_of[&(i.src, i.tid)])),
                "name": col(&|i| json!(i.name)),
                "error": col(&|i| json!(u8::from(i.error))),
                "text": col(&|i| json!(i.text)),
            },
            "signals": self.signals.iter().map(|(ts, src, tid, signo)| json!({
                "t": ts, "lane": lane_of.get(&(*src, *tid)), "signo": signo,
                "name": sysgate_event::render::signal_name(*signo).map(|s| s.into_owned()),
            })).collect::<Vec<_>>(),
            "rate": {
                "bucket_ns": self.rate_ns,
                "calls": self.rate.iter().map(|b| b.0).collect::<Vec<_>>(),
                "errors": self.rate.iter().map(|b| b.1).collect::<Vec<_>>(),
            },
            "sampling": {
                "calls": self.seen,
                "shown": self.items.len() + self.errors.len(),
                "every": self.stride,
                "errors": self.errors_seen,
                "errors_shown": self.errors.len(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(ts: u64, tid: u32, error: bool) -> SyscallEvent {
        let mut ev = SyscallEvent::new();
        ev.ts_ns = ts;
        ev.pid = 1;
        ev.tid = tid;
        ev.nr = 1;
        ev.syscall = sysgate_kb::lookup(ev.arch, 1);
        ev.duration_ns = 10;
        ev.is_error = error;
        ev.ret = if error { -9 } else { 1 };
        ev
    }

    #[test]
    fn sources_keep_their_threads_apart_and_start_together() {
        let mut t = Timeline::new(100);
        t.begin_source("web-1");
        t.add(&call(1_000, 7, false));
        t.add(&call(2_000, 7, false));
        t.begin_source("web-2");
        t.add(&call(9_000_000, 7, true));
        let j = t.to_json();
        let lanes = j["threads"].as_array().unwrap();
        assert_eq!(lanes.len(), 2, "{lanes:?}");
        assert_eq!(lanes[0]["host"], "web-1");
        assert_eq!(lanes[1]["host"], "web-2");
        assert_eq!(j["calls"]["t"], json!([0, 0, 1000]));
        assert_eq!(j["calls"]["lane"], json!([0, 1, 0]));
        assert_eq!(j["duration_ns"], 1010);
        assert_eq!(j["start_ns"], 1000);
    }

    #[test]
    fn samples_evenly_and_keeps_every_error() {
        let mut t = Timeline::new(100);
        for i in 0..10_000u64 {
            t.add(&call(1000 + i * 100, 1 + (i % 3) as u32, i % 1000 == 7));
        }
        let j = t.to_json();
        let s = &j["sampling"];
        assert_eq!(s["calls"], 10_000);
        assert_eq!(s["errors"], 10);
        assert_eq!(s["errors_shown"], 10);
        let every = s["every"].as_u64().unwrap();
        assert!(every >= 128, "{s}");
        let shown = s["shown"].as_u64().unwrap();
        assert!(shown < 100 + 10, "{s}");
        // Times are from the first call, in order, and the sample spans the whole run.
        let ts: Vec<u64> = j["calls"]["t"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(ts[0], 0);
        assert!(ts.windows(2).all(|w| w[0] <= w[1]));
        assert!(*ts.last().unwrap() > 900_000, "{ts:?}");
        assert_eq!(j["threads"].as_array().unwrap().len(), 3);
        assert_eq!(j["names"][0], "write");
        // Every call is in the rate chart, in at most RATE_BUCKETS buckets.
        let rate = j["rate"]["calls"].as_array().unwrap();
        assert!(rate.len() <= RATE_BUCKETS);
        assert_eq!(
            rate.iter().map(|v| v.as_u64().unwrap()).sum::<u64>(),
            10_000
        );
        assert_eq!(
            j["rate"]["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .sum::<u64>(),
            10
        );
        assert!(
            j["calls"]["error"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| **e == 1)
                .count()
                == 10
        );
    }
}
