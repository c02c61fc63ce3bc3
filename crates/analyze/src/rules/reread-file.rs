//! `reread-file`: the same file opened and read in full again and again.
//!
//! **What.** One process opens the same regular file, reads it to the end, closes it — and does
//! it again, dozens of times, getting the same number of bytes each time. Typical causes: a
//! template, config or lookup table loaded per request; `fs::read_to_string` inside a loop; a
//! library that re-parses its data file on every call.
//!
//! **Why.** Each pass costs an open, a `statx`, the reads, a close and a copy of every byte out
//! of the page cache (~3.8 µs for a 64 KiB file untraced here), for an answer the process
//! already had. An in-memory copy — or one `mmap`, which maps the page cache instead of copying
//! it (seed: "a tale of two interfaces") — costs nothing per use.
//!
//! **Evidence.** Per process and path: full passes (opened, read to EOF), bytes per pass,
//! syscalls per pass, the opens of the first three passes.
//!
//! **Threshold.** At least 20 full reads of one regular file by one process, with the same size
//! every time (a file that changes size is being watched, not re-read for nothing). /proc, /sys
//! and devices are ignored: their contents change on every read.
//!
//! **Fix.** Load it once and keep it in memory (re-read it only when its mtime changes, or on
//! an inotify event), or `mmap` it once. Saving = (passes − 1) × (`open_close` + reads ×
//! `read_file` + bytes × `read_file_per_byte`).

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, who};
use crate::advise::cost::{fmt_bytes, fmt_count};
use crate::advise::{Ctx, FdKind, Finding, Sample, Samples, Saving, Severity};
use crate::calls::file_read;

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "reread-file",
    title: "the same file read in full again and again",
    make: || Box::<RereadFile>::default(),
};

/// Full reads of one file needed for a finding.
pub const MIN_PASSES: u64 = 20;

struct Pass {
    pid: u32,
    label: u32,
    bytes: u64,
    reads: u64,
    calls: u64,
    eof: bool,
    open: Option<Sample>,
}

#[derive(Default)]
struct Stats {
    passes: u64,
    bytes: u64,
    reads: u64,
    calls: u64,
    min: u64,
    max: u64,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct RereadFile {
    open: HashMap<u64, Pass>,
    by_file: HashMap<(u32, u32), Stats>,
}

impl RereadFile {
    fn close(&mut self, pass: Pass) {
        if !pass.eof || pass.bytes == 0 {
            return;
        }
        let key = (pass.pid, pass.label);
        if self.by_file.len() >= MAX_KEYS && !self.by_file.contains_key(&key) {
            return;
        }
        let s = self.by_file.entry(key).or_insert_with(|| Stats {
            min: u64::MAX,
            ..Stats::default()
        });
        s.passes += 1;
        s.bytes += pass.bytes;
        s.reads += pass.reads;
        s.calls += pass.calls;
        s.min = s.min.min(pass.bytes);
        s.max = s.max.max(pass.bytes);
        if let Some(o) = pass.open
            && !s.samples.full()
        {
            s.samples.0.push(o);
        }
    }
}

impl Rule for RereadFile {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        let ok = !ev.is_error && ev.ret >= 0;
        if matches!(name, "open" | "openat" | "openat2") && ok {
            let Some(e) = cx.fd(ev.pid, ev.ret as i32) else {
                return;
            };
            if e.kind != FdKind::File || self.open.len() >= MAX_KEYS {
                return;
            }
            let want_sample = self
                .by_file
                .get(&(ev.pid, e.label))
                .is_none_or(|s| !s.samples.full());
            self.open.insert(
                e.uid,
                Pass {
                    pid: ev.pid,
                    label: e.label,
                    bytes: 0,
                    reads: 0,
                    calls: 2,
                    eof: false,
                    open: want_sample.then(|| Sample::of(ev)),
                },
            );
            return;
        }
        for (_, e) in &cx.removed {
            if let Some(p) = self.open.remove(&e.uid) {
                self.close(p);
            }
        }
        if !ok || self.open.is_empty() {
            return;
        }
        let Some(fd) = crate::advise::ctx::fd_arg(ev) else {
            return;
        };
        let Some(e) = cx.fd(ev.pid, fd) else {
            return;
        };
        let Some(p) = self.open.get_mut(&e.uid) else {
            return;
        };
        p.calls += 1;
        if matches!(name, file_read!()) {
            p.reads += 1;
            p.bytes += ev.ret as u64;
            let asked = match name {
                "read" | "pread64" => ev.args[2],
                _ => u64::MAX,
            };
            if ev.ret == 0 || (ev.ret as u64) < asked {
                p.eof = true;
            }
        }
    }

    fn process_exit(&mut self, _: &Ctx, pid: u32, _: u64) {
        let uids: Vec<u64> = self
            .open
            .iter()
            .filter(|(_, p)| p.pid == pid)
            .map(|(u, _)| *u)
            .collect();
        for u in uids {
            if let Some(p) = self.open.remove(&u) {
                self.close(p);
            }
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        let open: Vec<Pass> = self.open.drain().map(|(_, p)| p).collect();
        for p in open {
            self.close(p);
        }
        for (&(pid, label), s) in &self.by_file {
            if s.passes < MIN_PASSES || s.min != s.max {
                continue;
            }
            let path = cx.label(label);
            let size = s.max;
            let reads_per = s.reads / s.passes;
            let calls_per = s.calls / s.passes;
            let per_pass = cx.costs.open_close
                + reads_per as f64 * cx.costs.read_file
                + size as f64 * cx.costs.read_file_per_byte;
            let avoided_passes = s.passes - 1;
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} read {path} in full {} times, {} each time ({} syscalls per pass)",
                    who(cx, pid),
                    fmt_count(s.passes),
                    fmt_bytes(size),
                    calls_per
                ),
            );
            f.evidence.facts = vec![
                ("passes", s.passes),
                ("bytes_per_pass", size),
                ("syscalls_per_pass", calls_per),
                ("bytes", s.bytes),
            ];
            f.evidence.pids = vec![pid];
            f.evidence.samples = s.samples.0.clone();
            f.saving = Saving {
                calls_avoided: s.calls - calls_per,
                time_ns: (avoided_passes as f64 * per_pass) as u64,
                formula: format!(
                    "{} avoided passes × {:.1} µs (open_close + {reads_per} × read_file + {} × read_file_per_byte)",
                    fmt_count(avoided_passes),
                    per_pass / 1000.0,
                    fmt_bytes(size)
                ),
            };
            f.fix = format!(
                "load {path} once and keep it in memory (re-read it only when its mtime changes or on an inotify event), or mmap it once: {} → {}",
                plural(s.calls, "syscall"),
                calls_per
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn pass(evs: &mut Vec<SyscallEvent>, pid: u32, path: &str, size: i64) {
        evs.push(with_path(
            call("openat", pid, [-100i64 as u64, 0, 0o2000000, 0, 0, 0], 3),
            path,
        ));
        evs.push(call("read", pid, [3, 0x1000, 65536, 0, 0, 0], size));
        evs.push(call("read", pid, [3, 0x1000, 65536, 0, 0, 0], 0));
        evs.push(call("close", pid, [3, 0, 0, 0, 0, 0], 0));
    }

    #[test]
    fn fires_on_the_same_file_read_50_times() {
        let mut evs = Vec::new();
        for _ in 0..50 {
            pass(&mut evs, 7, "/srv/templates/page.html", 4096);
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message.contains("read /srv/templates/page.html in full 50 times, 4 KiB each time (4 syscalls per pass)"),
            "{}",
            f.message
        );
        assert_eq!(f.saving.calls_avoided, 196);
        assert!(f.fix.ends_with("200 syscalls → 4"), "{}", f.fix);
        assert_eq!(f.evidence.samples.len(), 3);
        assert!(
            f.evidence.samples[0]
                .line
                .starts_with("openat(AT_FDCWD, \"/srv/templates/page.html\"")
        );
    }

    #[test]
    fn silent_on_growing_files_proc_partial_reads_and_few_passes() {
        let mut evs = Vec::new();
        for i in 0..50 {
            pass(&mut evs, 7, "/var/log/growing.log", 100 + i);
            pass(&mut evs, 7, "/proc/self/stat", 300);
        }
        for _ in 0..(MIN_PASSES - 1) {
            pass(&mut evs, 7, "/etc/few", 100);
        }
        // Opened often, but only a header is read each time.
        for _ in 0..50 {
            evs.push(with_path(
                call("openat", 7, [-100i64 as u64, 0, 0, 0, 0, 0], 3),
                "/data/big.db",
            ));
            evs.push(call("read", 7, [3, 0x1000, 100, 0, 0, 0], 100));
            evs.push(call("close", 7, [3, 0, 0, 0, 0, 0], 0));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
