//! `small-reads`: many small reads on one fd where a buffer would do.
//!
//! **What.** A process calls `read`/`pread64` on the same file, pipe or device thousands of
//! times asking for at most 1 KiB each time, and the kernel hands over everything that was
//! asked for (so more data was there: the small size is the program's choice, not the
//! data's). Typical causes: unbuffered `File` reads in Rust, `read(fd, &c, 1)` loops in C,
//! `getc` on an unbuffered stream, parsers that read a header field by field.
//!
//! **Why.** Every read costs a kernel round trip (~0.4 µs untraced here) whatever its size;
//! copying 64 KiB costs about as much as four tiny reads. Ten thousand 1-byte reads spend all
//! their time entering and leaving the kernel.
//!
//! **Evidence.** Per process and file: the number of reads, how many asked for ≤ 1 KiB, how
//! many of those were filled completely, the bytes they returned, the average request, the fd
//! and its path, and the first three calls.
//!
//! **Threshold.** At least 1 000 small reads on one file by one process, forming at least half
//! of its reads on that file, at least half of them filled completely. Sockets
//! (`syscall-per-message`), eventfd/timerfd/signalfd (fixed-size records by design) and
//! terminals (interactive input comes a key at a time) are left out.
//!
//! **Fix.** Read through a 64 KiB buffer (`BufReader::with_capacity(64 << 10, f)`, `fread`
//! with `setvbuf`), or read the whole file at once; estimated calls after the fix =
//! ⌈bytes / 64 KiB⌉ + one read per EOF seen. Saving = avoided reads × `read_file`.

use std::collections::{HashMap, HashSet};

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::{fmt_bytes, fmt_count};
use crate::advise::{Ctx, FdKind, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "small-reads",
    title: "many small reads where a buffer would do",
    make: || Box::<SmallReads>::default(),
};

/// A read asking for at most this many bytes is small.
pub const SMALL: u64 = 1024;
/// Small reads on one file needed for a finding.
pub const MIN_SMALL_READS: u64 = 1000;
/// The buffer the fix suggests.
const BUFFER: u64 = 64 << 10;
/// `TCGETS`: succeeds only on terminals.
const TCGETS: u64 = 0x5401;

#[derive(Default)]
struct Stats {
    reads: u64,
    small: u64,
    filled: u64,
    small_bytes: u64,
    requested: u64,
    eofs: u64,
    fds: Vec<i32>,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct SmallReads {
    by_file: HashMap<(u32, u32), Stats>,
    /// Terminals (a successful `TCGETS`, or a /dev/pts, /dev/tty path): interactive input
    /// arrives a key at a time and cannot be read ahead.
    ttys: HashSet<(u32, u32)>,
}

fn is_tty_path(p: &str) -> bool {
    p.starts_with("/dev/pts/") || p.starts_with("/dev/tty") || p == "/dev/console"
}

impl Rule for SmallReads {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        if name == "ioctl"
            && ev.args[1] == TCGETS
            && !ev.is_error
            && let Some(e) = cx.fd(ev.pid, ev.args[0] as u32 as i32)
            && self.ttys.len() < MAX_KEYS
        {
            self.ttys.insert((ev.pid, e.label));
            return;
        }
        if !matches!(name, "read" | "pread64") || ev.is_error || ev.ret < 0 {
            return;
        }
        let fd = ev.args[0] as u32 as i32;
        let Some(entry) = cx.fd(ev.pid, fd) else {
            return;
        };
        if entry.kind.is_socket() || entry.kind == FdKind::Special {
            return;
        }
        let key = (ev.pid, entry.label);
        if self.by_file.len() >= MAX_KEYS && !self.by_file.contains_key(&key) {
            return;
        }
        let s = self.by_file.entry(key).or_default();
        s.reads += 1;
        let asked = ev.args[2];
        let got = ev.ret as u64;
        if got == 0 {
            s.eofs += 1;
        }
        if asked <= SMALL && asked > 0 {
            s.small += 1;
            s.small_bytes += got;
            s.requested += asked;
            if got == asked {
                s.filled += 1;
            }
            push_unique(&mut s.fds, fd, 4);
            s.samples.offer(ev);
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&(pid, label), s) in &self.by_file {
            if s.small < MIN_SMALL_READS || s.small * 2 < s.reads || s.filled * 2 < s.small {
                continue;
            }
            let path = cx.label(label);
            if self.ttys.contains(&(pid, label)) || is_tty_path(path) {
                continue;
            }
            let fd = s.fds.first().copied().unwrap_or(-1);
            let avg = s.requested / s.small;
            let after = s.small_bytes.div_ceil(BUFFER).max(1) + s.eofs.min(s.small);
            let avoided = s.small.saturating_sub(after);
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} read fd {fd} ({path}) {} times asking for ≤ {} ({} on average); {} of them got all they asked for",
                    who(cx, pid),
                    fmt_count(s.small),
                    fmt_bytes(SMALL),
                    fmt_bytes(avg),
                    fmt_count(s.filled)
                ),
            );
            f.evidence.facts = vec![
                ("reads", s.reads),
                ("small_reads", s.small),
                ("filled_small_reads", s.filled),
                ("bytes", s.small_bytes),
                ("average_request_bytes", avg),
            ];
            let mut tids: Vec<u32> = s.samples.0.iter().map(|x| x.tid).collect();
            tids.dedup();
            f.evidence.set_file(pid, &s.fds, path, tids, &s.samples);
            f.saving = Saving::calls(
                avoided,
                cx.costs.read_file,
                "reads",
                "read_file, a 1-byte read of a cached file",
            );
            f.fix = format!(
                "read fd {fd} ({path}) through a 64 KiB buffer (BufReader::with_capacity(64 << 10, file) in Rust, fread with setvbuf in C) or read it whole: {} of {} → ~{}",
                plural(s.small, "read"),
                fmt_bytes(avg),
                plural(after, "read")
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
            call("openat", pid, [-100i64 as u64, 0, 0, 0, 0, 0], fd),
            path,
        )
    }

    #[test]
    fn fires_on_byte_by_byte_reads() {
        let mut evs = vec![open(7, "/tmp/data.csv", 3)];
        for i in 0..5000 {
            evs.push(at(
                call("read", 7, [3, 0x1000, 1, 0, 0, 0], 1),
                i * 1000,
                300,
            ));
        }
        evs.push(call("read", 7, [3, 0x1000, 1, 0, 0, 0], 0));
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert_eq!(f.rule, "small-reads");
        assert!(f.message.contains("fd 3 (/tmp/data.csv)"), "{}", f.message);
        assert_eq!(f.evidence.samples.len(), 3);
        assert!(
            f.evidence.samples[0]
                .line
                .starts_with("read(3, \"x\", 1) = 1"),
            "{:?}",
            f.evidence.samples
        );
        assert!(f.fix.contains("5 001 reads of 1 B → ~2 reads"), "{}", f.fix);
        assert_eq!(f.saving.calls_avoided, 4999);
        assert_eq!(f.saving.time_ns, (4999.0 * 388.0) as u64);
    }

    #[test]
    fn silent_on_big_reads_partial_reads_and_sockets() {
        let mut evs = vec![open(7, "/tmp/big", 3)];
        for _ in 0..5000 {
            evs.push(call("read", 7, [3, 0x1000, 65536, 0, 0, 0], 65536));
        }
        // A pipe that delivers little at a time: the program asked for 512 but got 10.
        evs.push(call("pipe2", 7, [5, 0, 0, 0, 0, 0], 0));
        for _ in 0..5000 {
            evs.push(call("read", 7, [5, 0x1000, 512, 0, 0, 0], 10));
        }
        evs.push(call("socketpair", 7, [1, 1, 0, 8, 0, 0], 0));
        for _ in 0..5000 {
            evs.push(call("read", 7, [8, 0x1000, 1, 0, 0, 0], 1));
        }
        // A terminal read a key at a time.
        evs.push(call("ioctl", 7, [0, TCGETS, 0x1000, 0, 0, 0], 0));
        for _ in 0..5000 {
            evs.push(call("read", 7, [0, 0x1000, 1, 0, 0, 0], 1));
        }
        // Under the threshold.
        evs.push(open(7, "/tmp/small", 10));
        for _ in 0..(MIN_SMALL_READS - 1) {
            evs.push(call("read", 7, [10, 0x1000, 1, 0, 0, 0], 1));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
