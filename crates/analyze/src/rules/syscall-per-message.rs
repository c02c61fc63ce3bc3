//! `syscall-per-message`: bursts of small sends or receives on a socket, one syscall each.
//!
//! **What.** A process sends (or reads) thousands of small messages on one socket, one
//! `send`/`write`/`sendto`/`recv` per message, back to back. Typical causes: a protocol
//! encoder that writes each field or frame straight to the socket, logging or metrics shipped
//! one line per datagram, a reader that asks for a fixed small header at a time.
//!
//! **Why.** On a stream socket each send is a kernel round trip plus an skb: 32 bytes cost
//! ~1.1 µs untraced here, 2 KiB in one send barely more. On datagram sockets the per-message
//! kernel work stays, but `sendmmsg`/`recvmmsg` or io_uring save the per-call entry (seed:
//! io_uring batching).
//!
//! **Evidence.** Per process, socket and direction: small messages (≤ 1 KiB), bytes, how many
//! came within 1 ms of the previous one, the socket type, the fd, the first three calls.
//!
//! **Threshold.** At least 1 000 small messages in one direction on one socket by one process,
//! at least half of its calls there, at least half of them in bursts. Reads count only when
//! the program asked for ≤ 1 KiB and got all of it (a reader with a big buffer that gets small
//! messages is not the problem). Stream sockets and sockets of unknown type are a warning;
//! datagram sockets, where batching saves only the syscall entry, are info.
//!
//! **Fix.** Stream: coalesce into one buffer per batch (a 64 KiB `BufWriter` flushed per
//! response, `writev`, `MSG_MORE`/`TCP_CORK`), read with a 64 KiB buffer and split in user
//! space. Datagrams: `sendmmsg`/`recvmmsg` (up to 64 per call) or io_uring. Saving = avoided
//! calls × `send_stream` (stream sends) or × `syscall` (receives and datagrams).

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::{fmt_bytes, fmt_count};
use crate::advise::{Ctx, FdKind, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "syscall-per-message",
    title: "one syscall per small message on a socket",
    make: || Box::<SyscallPerMessage>::default(),
};

/// A message of at most this many bytes is small.
pub const SMALL: u64 = 1024;
/// Small messages in one direction on one socket needed for a finding.
pub const MIN_MESSAGES: u64 = 1000;
/// A message within this long of the previous one is part of a burst.
pub const BURST_GAP_NS: u64 = 1_000_000;
const BUFFER: u64 = 64 << 10;
const BATCH: u64 = 64;

#[derive(Default)]
struct Stats {
    calls: u64,
    small: u64,
    bytes: u64,
    burst: u64,
    last_end: Option<u64>,
    kind: Option<FdKind>,
    fds: Vec<i32>,
    tids: Vec<u32>,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct SyscallPerMessage {
    by_socket: HashMap<(u32, u32, bool), Stats>,
}

impl Rule for SyscallPerMessage {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        let (out, explicit) = match name {
            "send" | "sendto" | "sendmsg" => (true, true),
            "recv" | "recvfrom" | "recvmsg" => (false, true),
            "write" | "writev" => (true, false),
            "read" | "readv" => (false, false),
            _ => return,
        };
        if ev.is_error || ev.ret < 0 {
            return;
        }
        let fd = ev.args[0] as u32 as i32;
        let Some(e) = cx.fd(ev.pid, fd) else {
            return;
        };
        let kind = match e.kind {
            k if k.is_socket() => k,
            FdKind::Unknown if explicit => FdKind::Socket,
            _ => return,
        };
        let key = (ev.pid, e.label, out);
        if self.by_socket.len() >= MAX_KEYS && !self.by_socket.contains_key(&key) {
            return;
        }
        let s = self.by_socket.entry(key).or_default();
        s.kind = Some(kind);
        s.calls += 1;
        let got = ev.ret as u64;
        let small = match name {
            "send" | "sendto" | "write" => ev.args[2] <= SMALL,
            "sendmsg" | "writev" => got <= SMALL,
            "recv" | "recvfrom" | "read" => ev.args[2] <= SMALL && got == ev.args[2] && got > 0,
            _ => false,
        };
        if !small {
            s.last_end = None;
            return;
        }
        s.small += 1;
        s.bytes += got;
        if s.last_end
            .is_some_and(|t| ev.ts_ns.saturating_sub(t) <= BURST_GAP_NS)
        {
            s.burst += 1;
        }
        s.last_end = Some(ev.ts_ns + ev.duration_ns);
        push_unique(&mut s.fds, fd, 4);
        push_unique(&mut s.tids, ev.tid, 16);
        s.samples.offer(ev);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&(pid, label, sending), s) in &self.by_socket {
            if s.small < MIN_MESSAGES || s.small * 2 < s.calls || s.burst * 2 < s.small {
                continue;
            }
            let dgram = s.kind == Some(FdKind::DgramSocket);
            let path = cx.label(label);
            let fd = s.fds.first().copied().unwrap_or(-1);
            let avg = s.bytes / s.small;
            let after = if dgram {
                s.small.div_ceil(BATCH)
            } else {
                s.bytes.div_ceil(BUFFER).max(1)
            };
            let avoided = s.small.saturating_sub(after);
            let (cost, cost_name) = if sending && !dgram {
                (
                    cx.costs.send_stream,
                    "send_stream, a 32-byte send on a stream socket",
                )
            } else {
                (cx.costs.syscall, "syscall, the entry/exit a batch saves")
            };
            let verb = if sending { "sent" } else { "received" };
            let what = if sending { "send" } else { "read" };
            let mut f = Finding::new(
                &INFO,
                if dgram {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                format!(
                    "{} {verb} {} small messages ({} on average) on fd {fd} ({path}), one syscall each, {} of them within 1 ms of the previous one",
                    who(cx, pid),
                    fmt_count(s.small),
                    fmt_bytes(avg),
                    fmt_count(s.burst)
                ),
            );
            f.evidence.facts = vec![
                ("calls", s.calls),
                ("small_messages", s.small),
                ("bytes", s.bytes),
                ("average_bytes", avg),
                ("messages_in_bursts", s.burst),
            ];
            f.evidence
                .set_file(pid, &s.fds, path, s.tids.clone(), &s.samples);
            f.saving = Saving::calls(avoided, cost, "calls", cost_name);
            let how = match (sending, dgram) {
                (true, false) => format!(
                    "coalesce the messages on fd {fd} ({path}) into one buffer per batch — a 64 KiB BufWriter flushed at the end of each response, writev, or MSG_MORE / TCP_CORK on TCP"
                ),
                (false, false) => format!(
                    "read fd {fd} ({path}) with a 64 KiB buffer and split the messages in user space"
                ),
                (true, true) => format!(
                    "send the datagrams on fd {fd} ({path}) in batches with sendmmsg (up to {BATCH} per call) or through io_uring"
                ),
                (false, true) => format!(
                    "receive the datagrams on fd {fd} ({path}) in batches with recvmmsg (up to {BATCH} per call) or through io_uring"
                ),
            };
            f.fix = format!(
                "{how}: {} of {} → ~{}",
                plural(s.small, what),
                fmt_bytes(avg),
                plural(after, what)
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
    fn fires_on_small_sends_on_a_stream_socket() {
        let mut evs = vec![call("socketpair", 7, [1, 1, 0, 5, 0, 0], 0)];
        for i in 0..5000u64 {
            evs.push(at(
                call("sendto", 7, [5, 0x1000, 32, 0, 0, 0], 32),
                i * 3000,
                1000,
            ));
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(f.message.contains("sent 5 000 small messages (32 B on average) on fd 5 (unix stream socketpair (pid 7, fd 5))"), "{}", f.message);
        assert!(
            f.fix.ends_with("5 000 sends of 32 B → ~3 sends"),
            "{}",
            f.fix
        );
        assert_eq!(f.saving.time_ns, (4997.0 * 1089.0) as u64);
    }

    #[test]
    fn datagrams_are_info_with_sendmmsg_advice() {
        let mut evs = vec![call("socket", 7, [2, 2, 0, 0, 0, 0], 4)];
        for _ in 0..5000u64 {
            evs.push(call("sendto", 7, [4, 0x1000, 100, 0, 0, 0], 100));
        }
        let f = one(run(&INFO, &evs), Severity::Info);
        assert_eq!(f.severity, Severity::Info);
        assert!(
            f.fix.contains("sendmmsg") && f.fix.ends_with("→ ~79 sends"),
            "{}",
            f.fix
        );
    }

    #[test]
    fn silent_on_big_messages_big_reads_and_files() {
        let mut evs = vec![call("socketpair", 7, [1, 1, 0, 5, 0, 0], 0)];
        for _ in 0..5000u64 {
            evs.push(call("write", 7, [5, 0x1000, 8192, 0, 0, 0], 8192));
            // The reader asks for 64 KiB and gets what is there.
            evs.push(call("read", 7, [6, 0x1000, 65536, 0, 0, 0], 40));
        }
        evs.push(with_path(
            call("openat", 7, [-100i64 as u64, 0, 1, 0, 0, 0], 9),
            "/tmp/f",
        ));
        for _ in 0..5000u64 {
            evs.push(call("write", 7, [9, 0x1000, 8, 0, 0, 0], 8));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
