//! `unbatched-writes`: many small writes to one fd, line by line or byte by byte.
//!
//! **What.** A process calls `write`/`pwrite64`/`writev` on the same file, pipe or terminal
//! thousands of times with at most 1 KiB each, in bursts (each small write follows the
//! previous one within 1 ms). Typical causes: an unbuffered `File` or `println!` in a loop
//! (Rust's stdout is line-buffered), `fprintf` on an unbuffered stream, a logger that writes
//! every line itself.
//!
//! **Why.** Each write costs a kernel round trip (~0.6 µs to a cached file untraced here)
//! whatever its size; 64 KiB in one call costs about as much as 40 tiny writes.
//!
//! **Evidence.** Per process and file: writes, small writes, bytes, average size, how many
//! came in a burst, the fd and its path, the first three small writes.
//!
//! **Threshold.** At least 1 000 small writes on one file by one process, forming at least
//! half of its writes there, and at least half of them within 1 ms of the previous one.
//! Sockets are left to `syscall-per-message`; eventfd and friends are ignored.
//!
//! **Fix.** Wrap the fd in a 64 KiB buffered writer (`BufWriter::with_capacity(64 << 10, f)`,
//! `setvbuf(f, NULL, _IOFBF, 1 << 16)`), or gather pieces with `writev`; estimated calls after
//! the fix = ⌈bytes / 64 KiB⌉. Saving = avoided writes × the per-call cost of a write to that
//! kind of fd (`write_file`, `write_pipe`, `write_null`).

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::{fmt_bytes, fmt_count};
use crate::advise::{Ctx, FdKind, Finding, Samples, Saving, Severity};
use crate::calls::file_write;

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "unbatched-writes",
    title: "many small writes to one fd",
    make: || Box::<UnbatchedWrites>::default(),
};

/// A write of at most this many bytes is small.
pub const SMALL: u64 = 1024;
/// Small writes on one file needed for a finding.
pub const MIN_SMALL_WRITES: u64 = 1000;
/// A small write within this long of the previous one is part of a burst.
pub const BURST_GAP_NS: u64 = 1_000_000;
/// The buffer the fix suggests.
const BUFFER: u64 = 64 << 10;

#[derive(Default)]
struct Stats {
    writes: u64,
    small: u64,
    small_bytes: u64,
    burst: u64,
    last_small_end: Option<u64>,
    kind: Option<FdKind>,
    fds: Vec<i32>,
    tids: Vec<u32>,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct UnbatchedWrites {
    by_file: HashMap<(u32, u32), Stats>,
}

impl Rule for UnbatchedWrites {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        if !matches!(name, file_write!()) || ev.is_error || ev.ret < 0 {
            return;
        }
        let fd = ev.args[0] as u32 as i32;
        let Some(entry) = cx.fd(ev.pid, fd) else {
            return;
        };
        if entry.kind.is_socket() || matches!(entry.kind, FdKind::Special | FdKind::Virtual) {
            return;
        }
        let key = (ev.pid, entry.label);
        if self.by_file.len() >= MAX_KEYS && !self.by_file.contains_key(&key) {
            return;
        }
        let s = self.by_file.entry(key).or_default();
        s.kind = Some(entry.kind);
        s.writes += 1;
        let size = match name {
            "write" | "pwrite64" => ev.args[2],
            _ => ev.ret as u64,
        };
        if size <= SMALL {
            s.small += 1;
            s.small_bytes += ev.ret as u64;
            if s.last_small_end
                .is_some_and(|t| ev.ts_ns.saturating_sub(t) <= BURST_GAP_NS)
            {
                s.burst += 1;
            }
            s.last_small_end = Some(ev.ts_ns + ev.duration_ns);
            push_unique(&mut s.fds, fd, 4);
            push_unique(&mut s.tids, ev.tid, 16);
            s.samples.offer(ev);
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&(pid, label), s) in &self.by_file {
            if s.small < MIN_SMALL_WRITES || s.small * 2 < s.writes || s.burst * 2 < s.small {
                continue;
            }
            let path = cx.label(label);
            let fd = s.fds.first().copied().unwrap_or(-1);
            let avg = s.small_bytes / s.small;
            let after = s.small_bytes.div_ceil(BUFFER).max(1);
            let avoided = s.small.saturating_sub(after);
            let (cost, cost_name) = match s.kind {
                Some(FdKind::File) => (
                    cx.costs.write_file,
                    "write_file, a small write to a cached file",
                ),
                _ if path == "/dev/null" => (
                    cx.costs.write_null,
                    "write_null, a 1-byte write to /dev/null",
                ),
                _ => (cx.costs.write_pipe, "write_pipe, a small write to a pipe"),
            };
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} wrote to fd {fd} ({path}) {} times with ≤ {} ({} on average), {} of them within 1 ms of the previous one",
                    who(cx, pid),
                    fmt_count(s.small),
                    fmt_bytes(SMALL),
                    fmt_bytes(avg),
                    fmt_count(s.burst)
                ),
            );
            f.evidence.facts = vec![
                ("writes", s.writes),
                ("small_writes", s.small),
                ("bytes", s.small_bytes),
                ("average_bytes", avg),
                ("writes_in_bursts", s.burst),
            ];
            f.evidence
                .set_file(pid, &s.fds, path, s.tids.clone(), &s.samples);
            f.saving = Saving::calls(avoided, cost, "writes", cost_name);
            f.fix = format!(
                "wrap fd {fd} ({path}) in a 64 KiB buffered writer (BufWriter::with_capacity(64 << 10, file) in Rust, setvbuf(f, NULL, _IOFBF, 1 << 16) in C) or gather pieces with writev: {} of {} → ~{}",
                plural(s.small, "write"),
                fmt_bytes(avg),
                plural(after, "write")
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
    fn fires_on_line_by_line_writes() {
        let mut evs = vec![open(7, "/var/log/app.log", 3)];
        for i in 0..120_000 {
            evs.push(at(
                call("write", 7, [3, 0x1000, 12, 0, 0, 0], 12),
                i * 2000,
                500,
            ));
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.fix
                .contains("wrap fd 3 (/var/log/app.log) in a 64 KiB buffered writer")
                && f.fix.ends_with("120 000 writes of 12 B → ~22 writes"),
            "{}",
            f.fix
        );
        assert_eq!(f.saving.calls_avoided, 120_000 - 22);
        assert_eq!(f.saving.time_ns, ((120_000 - 22) as f64 * 580.0) as u64);
        assert_eq!(f.evidence.fds[0].path, "/var/log/app.log");
        assert_eq!(f.evidence.samples.len(), 3);
    }

    #[test]
    fn silent_on_big_sparse_or_few_writes() {
        let mut evs = vec![open(7, "/tmp/big", 3)];
        for _ in 0..5000 {
            evs.push(call("write", 7, [3, 0x1000, 65536, 0, 0, 0], 65536));
        }
        // A log line every 10 ms is not a burst.
        evs.push(open(7, "/tmp/slow.log", 4));
        for i in 0..5000 {
            evs.push(at(
                call("write", 7, [4, 0x1000, 40, 0, 0, 0], 40),
                i * 10_000_000,
                500,
            ));
        }
        evs.push(open(7, "/tmp/few", 5));
        for _ in 0..(MIN_SMALL_WRITES - 1) {
            evs.push(call("write", 7, [5, 0x1000, 1, 0, 0, 0], 1));
        }
        // Sockets belong to syscall-per-message.
        evs.push(call("socketpair", 7, [1, 1, 0, 8, 0, 0], 0));
        for _ in 0..5000 {
            evs.push(call("write", 7, [8, 0x1000, 1, 0, 0, 0], 1));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
