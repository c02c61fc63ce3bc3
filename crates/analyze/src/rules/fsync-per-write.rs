//! `fsync-per-write`: `fsync`/`fdatasync` after (almost) every write.
//!
//! **What.** A process makes a file durable after every one or two writes: `write`, `fsync`,
//! `write`, `fsync`… — one disk flush per record. Typical causes: a journal or queue that
//! commits each record on its own, `File::sync_all()` inside a logging loop, SQLite-style
//! per-statement commits without a transaction.
//!
//! **Why.** A flush waits for the device: ~176 µs on the reference machine's virtio disk, far
//! more on real disks without a write cache, and it serialises everything behind it. Group
//! commit — one flush for all the records that arrived meanwhile — gives the same durability
//! guarantee to every caller at a fraction of the flushes.
//!
//! **Evidence.** Per process and file: flushes, writes, writes per flush, flushes per second of
//! the run, the fd and its path, a write–flush–write sample.
//!
//! **Threshold.** At least 50 flushes of one file by one process, at most 2 writes per flush
//! on average, some writes at all, and at least 5 flushes per second between the first and
//! the last one (a checkpoint every second or every few seconds is fine).
//!
//! **Fix.** Group commit: collect the records that arrive while a flush is in progress and
//! flush once for all of them, or flush every N records / T ms if the application can accept
//! that window. Estimated flushes after the fix: ⌈writes / 100⌉. Saving = avoided flushes ×
//! `fsync`.

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::fmt_count;
use crate::advise::{Ctx, Finding, Sample, Samples, Saving, Severity};
use crate::calls::file_write;

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "fsync-per-write",
    title: "a disk flush after (almost) every write",
    make: || Box::<FsyncPerWrite>::default(),
};

/// Flushes of one file needed for a finding.
pub const MIN_SYNCS: u64 = 50;
/// Most writes per flush, on average, for a finding.
pub const MAX_WRITES_PER_SYNC: u64 = 2;
/// Flushes per second (between the first and the last) needed for a finding.
pub const MIN_SYNCS_PER_S: u64 = 5;
/// Records per flush the fix assumes.
const GROUP: u64 = 100;

#[derive(Default)]
struct Stats {
    writes: u64,
    syncs: u64,
    first_sync: Option<u64>,
    last_sync: u64,
    pending_write: Option<Sample>,
    fds: Vec<i32>,
    tids: Vec<u32>,
    samples: Samples,
}

fn flushes(n: u64) -> String {
    format!("{} flush{}", fmt_count(n), if n == 1 { "" } else { "es" })
}

/// See the module documentation.
#[derive(Default)]
pub struct FsyncPerWrite {
    by_file: HashMap<(u32, u32), Stats>,
}

impl Rule for FsyncPerWrite {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        let sync = match name {
            "fsync" | "fdatasync" => true,
            file_write!() => false,
            _ => return,
        };
        if ev.is_error || ev.ret < 0 {
            return;
        }
        let fd = ev.args[0] as u32 as i32;
        let Some(entry) = cx.fd(ev.pid, fd) else {
            return;
        };
        let key = (ev.pid, entry.label);
        if self.by_file.len() >= MAX_KEYS && !self.by_file.contains_key(&key) {
            return;
        }
        let s = self.by_file.entry(key).or_default();
        if sync {
            s.syncs += 1;
            s.first_sync.get_or_insert(ev.ts_ns);
            s.last_sync = ev.ts_ns;
            push_unique(&mut s.fds, fd, 4);
            push_unique(&mut s.tids, ev.tid, 16);
            if !s.samples.full() {
                if let Some(w) = s.pending_write.take() {
                    s.samples.0.push(w);
                }
                s.samples.offer(ev);
            }
        } else {
            s.writes += 1;
            if !s.samples.full() {
                s.pending_write = Some(Sample::of(ev));
            }
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&(pid, label), s) in &self.by_file {
            let span = s.last_sync.saturating_sub(s.first_sync.unwrap_or(0)).max(1);
            let per_s = s.syncs.saturating_sub(1) * 1_000_000_000 / span;
            if s.syncs < MIN_SYNCS
                || s.writes == 0
                || s.writes > s.syncs * MAX_WRITES_PER_SYNC
                || per_s < MIN_SYNCS_PER_S
            {
                continue;
            }
            let path = cx.label(label);
            let fd = s.fds.first().copied().unwrap_or(-1);
            let after = s.writes.div_ceil(GROUP).max(1);
            let avoided = s.syncs.saturating_sub(after);
            let per_sync = s.writes as f64 / s.syncs as f64;
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} flushed fd {fd} ({path}) to disk {} times for {} ({per_sync:.1} writes per flush, {} flushes per second)",
                    who(cx, pid),
                    fmt_count(s.syncs),
                    plural(s.writes, "write"),
                    fmt_count(per_s)
                ),
            );
            f.evidence.facts = vec![
                ("flushes", s.syncs),
                ("writes", s.writes),
                ("flushes_per_second", per_s),
            ];
            f.evidence
                .set_file(pid, &s.fds, path, s.tids.clone(), &s.samples);
            f.saving = Saving::calls(
                avoided,
                cx.costs.fsync,
                "flushes",
                "fsync, a flush after a small write on ext4/virtio",
            );
            f.fix = format!(
                "group commit on fd {fd} ({path}): flush once for all the records that arrived while the previous flush ran (or every {GROUP} records / 10 ms if that window is acceptable): {} for {} → ~{}",
                flushes(s.syncs),
                plural(s.writes, "write"),
                flushes(after)
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn open(pid: u32, path: &str, fd: i64) -> SyscallEvent {
        with_path(
            call("openat", pid, [-100i64 as u64, 0, 0o1101, 0o644, 0, 0], fd),
            path,
        )
    }

    #[test]
    fn fires_on_a_flush_per_record() {
        let mut evs = vec![open(7, "/data/journal", 3)];
        for i in 0..500u64 {
            evs.push(at(
                call("write", 7, [3, 0x1000, 64, 0, 0, 0], 64),
                i * 1_000_000,
                1000,
            ));
            evs.push(at(
                call("fdatasync", 7, [3, 0, 0, 0, 0, 0], 0),
                i * 1_000_000 + 2000,
                200_000,
            ));
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message
                .contains("500 times for 500 writes (1.0 writes per flush"),
            "{}",
            f.message
        );
        assert!(
            f.fix.ends_with("500 flushes for 500 writes → ~5 flushes"),
            "{}",
            f.fix
        );
        assert_eq!(f.saving.calls_avoided, 495);
        let lines: Vec<&str> = f.evidence.samples.iter().map(|s| s.line.as_str()).collect();
        assert!(
            lines[0].starts_with("write(3")
                && lines[1].starts_with("fdatasync(3")
                && lines[2].starts_with("write(3"),
            "{lines:?}"
        );
    }

    #[test]
    fn silent_on_group_commit_and_checkpoints() {
        let mut evs = vec![open(7, "/data/journal", 3)];
        // 100 records per flush.
        for i in 0..20_000u64 {
            evs.push(at(
                call("write", 7, [3, 0x1000, 64, 0, 0, 0], 64),
                i * 10_000,
                1000,
            ));
            if i % 100 == 99 {
                evs.push(at(
                    call("fsync", 7, [3, 0, 0, 0, 0, 0], 0),
                    i * 10_000 + 5000,
                    200_000,
                ));
            }
        }
        // One write and one flush per second: a checkpoint.
        evs.push(open(7, "/data/checkpoint", 4));
        for i in 0..100u64 {
            evs.push(at(
                call("write", 7, [4, 0x1000, 64, 0, 0, 0], 64),
                i * 1_000_000_000,
                1000,
            ));
            evs.push(at(
                call("fsync", 7, [4, 0, 0, 0, 0, 0], 0),
                i * 1_000_000_000 + 1,
                1000,
            ));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
