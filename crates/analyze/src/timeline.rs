//! The calls of a run laid out per thread in time, for the HTML report's timeline: every call
//! while the run is small, then a stated sample — every k-th call, k doubling each time the
//! kept calls reach the cap — with every failed call kept (up to a cap of their own) and every
//! signal. Memory is bounded by the caps, not by the run.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value as Json, json};
use sysgate_event::render::syscall_line_into;
use sysgate_event::{SignalEvent, SyscallEvent, Value};

/// Characters of a call's text kept for the timeline's tooltip.
const TEXT_MAX: usize = 160;

/// One call on the timeline.
#[derive(Debug, Clone)]
struct Item {
    seq: u64,
    ts: u64,
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
    threads: BTreeMap<u32, Thread>,
    /// Process id → command (the basename of its last successful execve).
    commands: HashMap<u32, String>,
    signals: Vec<(u64, u32, i32)>,
    first_ts: Option<u64>,
    last_ts: u64,
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
            last_ts: 0,
            rate: Vec::new(),
            rate_ns: 1_000_000,
        }
    }

    /// Counts a call in its bucket of the calls-over-time chart.
    fn count(&mut self, ts: u64, error: bool) {
        let off = ts.saturating_sub(self.first_ts.unwrap_or(ts));
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
        self.first_ts.get_or_insert(ev.ts_ns);
        self.last_ts = self.last_ts.max(ev.ts_ns + ev.duration_ns);
        let t = self.threads.entry(ev.tid).or_default();
        t.pid = ev.pid;
        t.calls += 1;
        t.errors += u64::from(ev.is_error);
        self.count(ev.ts_ns, ev.is_error);
        let name = ev.name();
        // A child is named after its parent until it execs.
        if matches!(&*name, "fork" | "vfork" | "clone" | "clone3")
            && ev.ret > 0
            && let Some(parent) = self.commands.get(&ev.pid).cloned()
        {
            self.commands.entry(ev.ret as u32).or_insert(parent);
        }
        if !ev.is_error
            && matches!(&*name, "execve" | "execveat")
            && let Some(path) = ev.decoded.iter().find_map(|v| match v {
                Value::Str { bytes, .. } => Some(ev.slice(*bytes)),
                _ => None,
            })
        {
            let path = String::from_utf8_lossy(path);
            let base = path.rsplit('/').next().unwrap_or(&path);
            self.commands.insert(ev.pid, base.to_string());
        }
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
            ts: ev.ts_ns,
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
            self.signals.push((ev.ts_ns, ev.tid, ev.info.signo));
        }
    }

    /// Calls seen, sampled or not.
    pub fn calls(&self) -> u64 {
        self.seen
    }

    /// The timeline as the report embeds it: times in ns from the first call, the calls as
    /// columns (`t`, `d`, `lane`, `name`, `error`, `text`) ordered by time, threads as lanes
    /// (most calls first), and the sampling stated.
    pub fn to_json(&self) -> Json {
        let start = self.first_ts.unwrap_or(0);
        let mut lanes: Vec<(&u32, &Thread)> = self.threads.iter().collect();
        lanes.sort_by(|a, b| b.1.calls.cmp(&a.1.calls).then(a.0.cmp(b.0)));
        let lane_of: HashMap<u32, usize> = lanes
            .iter()
            .enumerate()
            .map(|(i, (tid, _))| (**tid, i))
            .collect();
        let mut all: Vec<&Item> = self.items.iter().chain(&self.errors).collect();
        all.sort_by_key(|i| (i.ts, i.seq));
        let col = |f: &dyn Fn(&Item) -> Json| Json::Array(all.iter().map(|i| f(i)).collect());
        json!({
            "start_ns": start,
            "duration_ns": self.last_ts.saturating_sub(start),
            "names": self.names,
            "categories": self.categories,
            "threads": lanes.iter().map(|(tid, t)| json!({
                "tid": tid, "pid": t.pid, "calls": t.calls, "errors": t.errors,
                "command": self.commands.get(&t.pid),
            })).collect::<Vec<_>>(),
            "calls": {
                "t": col(&|i| json!(i.ts - start)),
                "d": col(&|i| json!(i.dur)),
                "lane": col(&|i| json!(lane_of[&i.tid])),
                "name": col(&|i| json!(i.name)),
                "error": col(&|i| json!(u8::from(i.error))),
                "text": col(&|i| json!(i.text)),
            },
            "signals": self.signals.iter().map(|(ts, tid, signo)| json!({
                "t": ts.saturating_sub(start), "lane": lane_of.get(tid), "signo": signo,
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
