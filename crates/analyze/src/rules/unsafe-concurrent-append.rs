//! `unsafe-concurrent-append`: several writers appending to one file without `O_APPEND`.
//!
//! **What.** Two or more threads or processes write the same regular file at the same time,
//! each through its own open of it, without `O_APPEND` — writing at their own offset, or doing
//! `lseek(fd, 0, SEEK_END)` and then `write`. Typical causes: several workers sharing a log
//! file each opened with `O_WRONLY|O_CREAT`, a "seek to end then write" append helper.
//!
//! **Why.** Without `O_APPEND` each open file description has its own offset: two writers
//! that both seek to the end see the same end and write over each other, or one writer's
//! stale offset overwrites what the other appended. With `O_APPEND` the kernel moves to the
//! end and writes in one atomic step (seed: atomic appends), so every record lands whole.
//!
//! **Evidence.** The file, every writer (pid, thread, fd, number of writes, end-seeks), the
//! overlap of their write windows, the first write of each of the first writers.
//!
//! **Threshold.** At least two writers — separate opens (dup and fork share one offset and are
//! safe), in at least two threads — that wrote with `write`/`writev` without `O_APPEND`, whose
//! first-to-last write windows overlap, and that did no positioned writing (`pwrite`, or
//! `lseek` other than to the end or a position query): that is random access on purpose.
//!
//! **Fix.** Open the file with `O_APPEND` in every writer (`OpenOptions::new().append(true)`,
//! `open(path, O_WRONLY|O_APPEND)`) and drop the `lseek`. The saving is correctness; the
//! avoided `lseek` calls are counted at `syscall` each.

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique};
use crate::advise::cost::fmt_count;
use crate::advise::{Ctx, FdKind, FdRef, Finding, Sample, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "unsafe-concurrent-append",
    title: "several writers appending to one file without O_APPEND",
    make: || Box::<UnsafeConcurrentAppend>::default(),
};

/// Writers remembered per file.
const MAX_WRITERS: usize = 16;
const SEEK_CUR: u64 = 1;
const SEEK_END: u64 = 2;

struct Writer {
    uid: u64,
    pid: u32,
    tid: u32,
    fd: i32,
    first: u64,
    last: u64,
    writes: u64,
    sample: Sample,
}

#[derive(Default, Clone, Copy)]
struct Seeks {
    to_end: u64,
    positioned: u64,
}

/// See the module documentation.
#[derive(Default)]
pub struct UnsafeConcurrentAppend {
    writers: HashMap<u32, Vec<Writer>>,
    seeks: HashMap<u64, Seeks>,
}

impl Rule for UnsafeConcurrentAppend {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        if !matches!(
            name,
            "write" | "writev" | "lseek" | "pwrite64" | "pwritev" | "pwritev2"
        ) || ev.is_error
            || ev.ret < 0
        {
            return;
        }
        let fd = ev.args[0] as u32 as i32;
        let Some(e) = cx.fd(ev.pid, fd) else {
            return;
        };
        if e.kind != FdKind::File || e.append || !e.known {
            return;
        }
        if name != "write" && name != "writev" {
            if self.seeks.len() >= MAX_KEYS && !self.seeks.contains_key(&e.uid) {
                return;
            }
            let s = self.seeks.entry(e.uid).or_default();
            match (name, ev.args[2]) {
                ("lseek", SEEK_END) if ev.args[1] == 0 => s.to_end += 1,
                ("lseek", SEEK_CUR) if ev.args[1] == 0 => {}
                _ => s.positioned += 1,
            }
            return;
        }
        if self.writers.len() >= MAX_KEYS && !self.writers.contains_key(&e.label) {
            return;
        }
        let ws = self.writers.entry(e.label).or_default();
        if let Some(w) = ws.iter_mut().find(|w| w.uid == e.uid) {
            w.last = ev.ts_ns;
            w.writes += 1;
        } else if ws.len() < MAX_WRITERS {
            ws.push(Writer {
                uid: e.uid,
                pid: ev.pid,
                tid: ev.tid,
                fd,
                first: ev.ts_ns,
                last: ev.ts_ns,
                writes: 1,
                sample: Sample::of(ev),
            });
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&label, ws) in &self.writers {
            let none = Seeks::default();
            let plain: Vec<&Writer> = ws
                .iter()
                .filter(|w| self.seeks.get(&w.uid).unwrap_or(&none).positioned == 0)
                .collect();
            let mut tids = Vec::new();
            for w in &plain {
                push_unique(&mut tids, w.tid, MAX_WRITERS);
            }
            let overlap = plain.iter().enumerate().any(|(i, a)| {
                plain[i + 1..]
                    .iter()
                    .any(|b| a.first <= b.last && b.first <= a.last)
            });
            if plain.len() < 2 || tids.len() < 2 || !overlap {
                continue;
            }
            let path = cx.label(label);
            let to_end: u64 = plain
                .iter()
                .map(|w| self.seeks.get(&w.uid).map_or(0, |s| s.to_end))
                .sum();
            let writes: u64 = plain.iter().map(|w| w.writes).sum();
            let list: Vec<String> = plain
                .iter()
                .map(|w| {
                    format!(
                        "pid {} thread {} fd {}: {}",
                        w.pid,
                        w.tid,
                        w.fd,
                        plural(w.writes, "write")
                    )
                })
                .collect();
            let how = if to_end > 0 {
                format!(
                    "seeking to the end first ({} lseek(…, 0, SEEK_END))",
                    fmt_count(to_end)
                )
            } else {
                "each at its own offset".to_string()
            };
            let mut f = Finding::new(
                &INFO,
                Severity::Error,
                format!(
                    "{} writers wrote {path} at the same time through separate opens without O_APPEND, {how} ({}): their records can land on the same offset and overwrite each other",
                    plain.len(),
                    list.join("; ")
                ),
            );
            f.evidence.facts = vec![
                ("writers", plain.len() as u64),
                ("writes", writes),
                ("seeks_to_end", to_end),
            ];
            f.evidence.fds = plain
                .iter()
                .map(|w| FdRef {
                    pid: w.pid,
                    fd: w.fd,
                    path: path.to_string(),
                })
                .collect();
            f.evidence.pids = Vec::new();
            for w in &plain {
                push_unique(&mut f.evidence.pids, w.pid, MAX_WRITERS);
            }
            f.evidence.tids = tids;
            f.evidence.samples = plain.iter().take(3).map(|w| w.sample.clone()).collect();
            f.evidence.samples.sort_by_key(|s| s.ts_ns);
            let mut saving = Saving::calls(to_end, cx.costs.syscall, "lseek calls", "syscall");
            saving.formula = format!(
                "correctness first: records are lost or torn without O_APPEND; also {}",
                saving.formula
            );
            f.saving = saving;
            f.fix = format!(
                "open {path} with O_APPEND in every writer (OpenOptions::new().append(true) in Rust, open(path, O_WRONLY|O_CREAT|O_APPEND) in C, mode \"a\" in Python) and drop the lseek: the kernel then finds the end and writes in one atomic step, so each write() lands whole"
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn open(pid: u32, tid: u32, fd: i64, flags: u64) -> SyscallEvent {
        on_thread(
            with_path(
                call("openat", pid, [-100i64 as u64, 0, flags, 0, 0, 0], fd),
                "/var/log/app.log",
            ),
            tid,
        )
    }

    fn append_line(evs: &mut Vec<SyscallEvent>, pid: u32, tid: u32, fd: u64, ts: u64) {
        evs.push(at(
            on_thread(call("lseek", pid, [fd, 0, 2, 0, 0, 0], 100), tid),
            ts,
            100,
        ));
        evs.push(at(
            on_thread(call("write", pid, [fd, 0x1000, 20, 0, 0, 0], 20), tid),
            ts + 1,
            100,
        ));
    }

    #[test]
    fn fires_on_two_threads_seeking_to_the_end() {
        let mut evs = vec![open(7, 7, 3, 1), open(7, 8, 4, 1)];
        for i in 0..10 {
            append_line(&mut evs, 7, 7, 3, i * 1000);
            append_line(&mut evs, 7, 8, 4, i * 1000 + 500);
        }
        let f = one(run(&INFO, &evs), Severity::Error);
        assert!(
            f.message.starts_with("2 writers wrote /var/log/app.log"),
            "{}",
            f.message
        );
        assert!(
            f.message.contains("20 lseek(…, 0, SEEK_END)"),
            "{}",
            f.message
        );
        assert!(f.fix.contains("O_APPEND"), "{}", f.fix);
        assert_eq!(f.evidence.samples.len(), 2);
    }

    #[test]
    fn silent_with_o_append_shared_offsets_sequential_writers_and_random_access() {
        let mut evs = Vec::new();
        // O_APPEND.
        evs.push(open(7, 7, 3, 1 | 0o2000));
        evs.push(open(7, 8, 4, 1 | 0o2000));
        for i in 0..10 {
            evs.push(at(call("write", 7, [3, 0, 20, 0, 0, 0], 20), i * 1000, 10));
            evs.push(at(
                on_thread(call("write", 7, [4, 0, 20, 0, 0, 0], 20), 8),
                i * 1000 + 500,
                10,
            ));
        }
        let mut quiet = run(&INFO, &evs);
        // One writer after the other.
        let mut evs = vec![open(7, 7, 3, 1), open(7, 8, 4, 1)];
        for i in 0..10 {
            append_line(&mut evs, 7, 7, 3, i * 1000);
            append_line(&mut evs, 7, 8, 4, 100_000 + i * 1000);
        }
        quiet.extend(run(&INFO, &evs));
        // Positioned writes: a database file.
        let mut evs = vec![open(7, 7, 3, 2), open(7, 8, 4, 2)];
        for i in 0..10 {
            evs.push(at(
                call("lseek", 7, [3, 4096 * i, 0, 0, 0, 0], 4096 * i as i64),
                i * 1000,
                10,
            ));
            evs.push(at(
                call("write", 7, [3, 0, 4096, 0, 0, 0], 4096),
                i * 1000 + 1,
                10,
            ));
            evs.push(at(
                on_thread(
                    call("lseek", 7, [4, 8192 * i, 0, 0, 0, 0], 8192 * i as i64),
                    8,
                ),
                i * 1000 + 500,
                10,
            ));
            evs.push(at(
                on_thread(call("write", 7, [4, 0, 4096, 0, 0, 0], 4096), 8),
                i * 1000 + 501,
                10,
            ));
        }
        quiet.extend(run(&INFO, &evs));
        assert!(quiet.is_empty(), "{quiet:#?}");
    }
}
