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
//! **Transactions.** A database commits a transaction by writing and flushing several files: a
//! rollback journal (twice), the database, sometimes the directory. No single file then shows
//! one or two writes per flush, but the process still makes its data durable per record. So
//! the flushed files of a process are also looked at together: when every one of them is
//! flushed at least 50 times, the least-flushed one counts the transactions, and those are small
//! (at most 32 writes each) and frequent (at least 5 per second), the finding says durability
//! is per transaction and the fix is to batch the commits.
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
/// Most writes per transaction for a per-transaction finding.
pub const MAX_WRITES_PER_TXN: u64 = 32;

#[derive(Default)]
struct Stats {
    writes: u64,
    bytes: u64,
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
            s.bytes += ev.ret as u64;
            if !s.samples.full() {
                s.pending_write = Some(Sample::of(ev));
            }
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        let mut reported: Vec<u32> = Vec::new();
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
            reported.push(pid);
        }
        self.per_transaction(cx, &reported, out);
    }
}

impl FsyncPerWrite {
    /// The flushed files of each process taken together (see the module documentation).
    fn per_transaction(&self, cx: &Ctx, reported: &[u32], out: &mut Vec<Finding>) {
        let mut by_pid: HashMap<u32, Vec<(u32, &Stats)>> = HashMap::new();
        for (&(pid, label), s) in &self.by_file {
            if s.syncs > 0 && !reported.contains(&pid) {
                by_pid.entry(pid).or_default().push((label, s));
            }
        }
        let mut pids: Vec<u32> = by_pid.keys().copied().collect();
        pids.sort_unstable();
        for pid in pids {
            let mut files = by_pid.remove(&pid).unwrap_or_default();
            // Files flushed once or a few times (a directory at creation) are not part of each
            // transaction.
            files.retain(|(_, s)| s.syncs >= MIN_SYNCS);
            if files.is_empty() {
                continue;
            }
            files.sort_by_key(|(label, s)| (std::cmp::Reverse(s.syncs), *label));
            let txns = files.iter().map(|(_, s)| s.syncs).min().unwrap_or(0);
            let syncs: u64 = files.iter().map(|(_, s)| s.syncs).sum();
            let writes: u64 = files.iter().map(|(_, s)| s.writes).sum();
            let bytes: u64 = files.iter().map(|(_, s)| s.bytes).sum();
            let first = files
                .iter()
                .filter_map(|(_, s)| s.first_sync)
                .min()
                .unwrap_or(0);
            let last = files.iter().map(|(_, s)| s.last_sync).max().unwrap_or(0);
            let span = last.saturating_sub(first).max(1);
            let per_s = txns.saturating_sub(1) * 1_000_000_000 / span;
            if txns < MIN_SYNCS
                || writes == 0
                || writes > txns * MAX_WRITES_PER_TXN
                || per_s < MIN_SYNCS_PER_S
            {
                continue;
            }
            let names: Vec<&str> = files.iter().map(|(l, _)| cx.label(*l)).collect();
            let after = txns.div_ceil(GROUP).max(1);
            let avoided = syncs.saturating_sub(after * (syncs / txns.max(1)));
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} made its data durable per transaction: {} across {} ({}) for ~{} transactions of ~{:.1} writes ({} bytes) each, {} per second",
                    who(cx, pid),
                    flushes(syncs),
                    plural(files.len() as u64, "file"),
                    names.join(", "),
                    fmt_count(txns),
                    writes as f64 / txns as f64,
                    fmt_count(bytes / txns),
                    fmt_count(per_s)
                ),
            );
            f.evidence.facts = vec![
                ("flushes", syncs),
                ("transactions", txns),
                ("writes", writes),
                ("bytes", bytes),
                ("transactions_per_second", per_s),
            ];
            let (label, main) = files[0];
            f.evidence.set_file(
                pid,
                &main.fds,
                cx.label(label),
                main.tids.clone(),
                &main.samples,
            );
            f.saving = Saving::calls(
                avoided,
                cx.costs.fsync,
                "flushes",
                "fsync, a flush after a small write on ext4/virtio",
            );
            f.fix = format!(
                "batch the commits: put many records in one transaction (BEGIN … COMMIT around a batch in SQLite, or WAL with synchronous=NORMAL; group commit in a custom log): {} for ~{} transactions → ~{} for ~{} batches of {GROUP}",
                flushes(syncs),
                fmt_count(txns),
                flushes(syncs.div_ceil(txns.max(1)) * after),
                fmt_count(after)
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
