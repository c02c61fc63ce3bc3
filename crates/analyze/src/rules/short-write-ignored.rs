//! `short-write-ignored`: a write that took fewer bytes than asked, and the rest never followed.
//!
//! **What.** `write`/`send`/`sendto`/`pwrite64` returned a count smaller than the length it
//! was given — normal for pipes, sockets and non-blocking fds when the buffer is full, for
//! files at a size limit or when a signal interrupts — and the program then closed the fd, or
//! exited, or sent the whole buffer again from the start. Typical causes: `write(fd, buf, len)`
//! without a loop in C, `send` on a non-blocking socket treated as all-or-nothing, Rust's
//! `write` used where `write_all` was meant.
//!
//! **Why.** The bytes after the returned count were never written: the receiver gets a
//! truncated message or file (or, when the program resends from the start, a duplicated
//! prefix). Nothing fails, so the loss is silent.
//!
//! **Evidence.** Per process and fd: short writes whose rest was dropped, the bytes lost, the
//! short write and what came next on that fd (the close, or the resend).
//!
//! **Threshold.** One short write followed by (a) a close of that fd or the exit of the
//! process with no further write on it, or (b) a write of the same buffer with the same
//! length (a blind resend). A next write that continues at `buf + written` or asks for the
//! remaining length is a proper retry; anything else is not judged. `EAGAIN`/`EINTR` in
//! between keep the short write pending. Writes still pending when the trace ends are not
//! judged.
//!
//! **Fix.** Loop until everything is written (`write_all`, or `while off < len` with `poll`
//! for `POLLOUT` on `EAGAIN`). The saving is data, not time.

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, who};
use crate::advise::cost::fmt_count;
use crate::advise::{Ctx, FdRef, Finding, Sample, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "short-write-ignored",
    title: "a short write whose rest was never written",
    make: || Box::<ShortWriteIgnored>::default(),
};

struct Pending {
    asked: u64,
    got: u64,
    buf: u64,
    label: u32,
    sample: Sample,
}

#[derive(Default)]
struct Stats {
    dropped: u64,
    resent: u64,
    lost: u64,
    fd: i32,
    samples: Vec<Sample>,
}

/// See the module documentation.
#[derive(Default)]
pub struct ShortWriteIgnored {
    pending: HashMap<(u32, i32), Pending>,
    ignored: HashMap<(u32, u32), Stats>,
}

impl ShortWriteIgnored {
    fn record(&mut self, pid: u32, fd: i32, p: Pending, next: Option<Sample>, resent: bool) {
        let key = (pid, p.label);
        if self.ignored.len() >= MAX_KEYS && !self.ignored.contains_key(&key) {
            return;
        }
        let s = self.ignored.entry(key).or_default();
        if resent {
            s.resent += 1;
        } else {
            s.dropped += 1;
        }
        s.lost += p.asked - p.got;
        s.fd = fd;
        if s.samples.is_empty() {
            s.samples.push(p.sample);
            s.samples.extend(next);
        }
    }
}

impl Rule for ShortWriteIgnored {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        let pid = ev.pid;
        for (fd, _) in &cx.removed {
            if let Some(p) = self.pending.remove(&(pid, *fd)) {
                self.record(pid, *fd, p, Some(Sample::of(ev)), false);
            }
        }
        if !matches!(name, "write" | "pwrite64" | "send" | "sendto") {
            return;
        }
        let fd = ev.args[0] as u32 as i32;
        let (buf, asked) = (ev.args[1], ev.args[2]);
        let ok = !ev.is_error && ev.ret >= 0;
        if let Some(p) = self.pending.remove(&(pid, fd)) {
            if matches!(ev.errno(), Some(4 | 11)) {
                // EINTR, EAGAIN: still trying.
                self.pending.insert((pid, fd), p);
                return;
            }
            let continues = buf == p.buf.wrapping_add(p.got) || asked == p.asked - p.got;
            if ok && !continues && buf == p.buf && asked == p.asked {
                self.record(pid, fd, p, Some(Sample::of(ev)), true);
            }
        }
        if ok && asked > 0 && (ev.ret as u64) < asked && self.pending.len() < MAX_KEYS {
            let label = cx.fd(pid, fd).map_or(0, |e| e.label);
            self.pending.insert(
                (pid, fd),
                Pending {
                    asked,
                    got: ev.ret as u64,
                    buf,
                    label,
                    sample: Sample::of(ev),
                },
            );
        }
    }

    fn process_exit(&mut self, _: &Ctx, pid: u32, _: u64) {
        let fds: Vec<i32> = self
            .pending
            .keys()
            .filter(|(p, _)| *p == pid)
            .map(|(_, fd)| *fd)
            .collect();
        for fd in fds {
            if let Some(p) = self.pending.remove(&(pid, fd)) {
                self.record(pid, fd, p, None, false);
            }
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&(pid, label), s) in &self.ignored {
            let path = cx.label(label);
            let n = s.dropped + s.resent;
            let how = match (s.dropped, s.resent) {
                (_, 0) => "the rest was never written (the fd was closed or the process exited next)".to_string(),
                (0, _) => "the whole buffer was sent again from the start, duplicating what had gone through".to_string(),
                (d, r) => format!("{d} times the rest was dropped, {r} times the whole buffer was resent"),
            };
            let mut f = Finding::new(
                &INFO,
                Severity::Error,
                format!(
                    "{} got {} on fd {} ({path}) and {how}: {} bytes lost",
                    who(cx, pid),
                    plural(n, "short write"),
                    s.fd,
                    fmt_count(s.lost)
                ),
            );
            f.evidence.facts = vec![
                ("short_writes_dropped", s.dropped),
                ("short_writes_resent", s.resent),
                ("bytes_lost", s.lost),
            ];
            f.evidence.fds = vec![FdRef {
                pid,
                fd: s.fd,
                path: path.to_string(),
            }];
            f.evidence.pids = vec![pid];
            f.evidence.samples = s.samples.clone();
            f.saving = Saving {
                calls_avoided: 0,
                time_ns: 0,
                formula: format!(
                    "correctness, not time: {} bytes never reached {path}",
                    fmt_count(s.lost)
                ),
            };
            f.fix = format!(
                "write until everything is written: write_all in Rust; in C loop `while (off < len) {{ n = write(fd, buf + off, len - off); … off += n; }}` and on EAGAIN wait with poll(POLLOUT) before continuing from buf + off — a short count is not an error, the rest must still be written to fd {} ({path})",
                s.fd
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    #[test]
    fn fires_when_the_rest_is_dropped() {
        let evs = vec![
            call("pipe2", 7, [4, 0o4000, 0, 0, 0, 0], 0),
            call("write", 7, [5, 0x1000, 100_000, 0, 0, 0], 65536),
            call("close", 7, [5, 0, 0, 0, 0, 0], 0),
        ];
        let f = one(run(&INFO, &evs), Severity::Error);
        assert!(
            f.message.contains("got 1 short write on fd 5"),
            "{}",
            f.message
        );
        assert!(f.message.ends_with("34 464 bytes lost"), "{}", f.message);
        assert!(
            f.evidence.samples[1].line.starts_with("close(5)"),
            "{:?}",
            f.evidence.samples
        );
    }

    #[test]
    fn fires_on_a_blind_resend() {
        let evs = vec![
            call("socketpair", 7, [1, 1, 0, 4, 0, 0], 0),
            call("sendto", 7, [4, 0x1000, 5000, 0, 0, 0], 3000),
            call("sendto", 7, [4, 0x1000, 5000, 0, 0, 0], 5000),
        ];
        let f = one(run(&INFO, &evs), Severity::Error);
        assert!(
            f.message.contains("sent again from the start"),
            "{}",
            f.message
        );
    }

    #[test]
    fn silent_on_proper_retries() {
        let evs = vec![
            call("pipe2", 7, [4, 0o4000, 0, 0, 0, 0], 0),
            call("write", 7, [5, 0x1000, 100_000, 0, 0, 0], 65536),
            call("write", 7, [5, 0x1000 + 65536, 34464, 0, 0, 0], -11),
            call("poll", 7, [0x2000, 1, u64::MAX, 0, 0, 0], 1),
            call("write", 7, [5, 0x1000 + 65536, 34464, 0, 0, 0], 20000),
            call("write", 7, [5, 0x1000 + 85536, 14464, 0, 0, 0], 14464),
            call("close", 7, [5, 0, 0, 0, 0, 0], 0),
            // A full write, then close.
            call("write", 7, [1, 0x1000, 10, 0, 0, 0], 10),
            call("close", 7, [1, 0, 0, 0, 0, 0], 0),
        ];
        assert!(run(&INFO, &evs).is_empty());
    }
}
