//! Round-trip tests of the `.sgt` format: they need both halves, a [`Writer`] to record events
//! and a [`Reader`] to replay them, so they sit beside the two rather than inside either.

use std::io;
use std::path::Path;

use super::codec::arg_type;
use super::*;
use crate::{Bytes, Phase, SigInfo, SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent, Value};
use sysgate_kb::Arch;

fn header() -> Header {
    Header {
        sysgate_version: "0.1.0".into(),
        backend: "ptrace".into(),
        arch: "x86_64".into(),
        kernel: "6.1".into(),
        hostname: "box".into(),
        boot_id: "2b1e0f6c-0d7a-4a8e-9d0c-5f1f2a3b4c5d".into(),
        scope: "cgroup:/sys/fs/cgroup/unified/app".into(),
        series: "box-1796645091".into(),
        segment: 3,
        start_ns: 1_000_000_000,
        command: vec!["cat".into(), "/etc/passwd".into()],
    }
}

fn openat(path: &[u8], ret: i64, tid: u32) -> SyscallEvent {
    let mut e = SyscallEvent::new();
    e.ts_ns = 1_000_000_500;
    e.pid = 7;
    e.tid = tid;
    e.arch = Arch::X86_64;
    e.nr = 257;
    e.syscall = sysgate_kb::by_name("openat");
    e.args = [(-100i64) as u64, 0x7fff_0000_1000, 0o2000000, 0, 0, 0];
    e.bytes.extend_from_slice(path);
    e.decoded = vec![
        Value::DirFd(-100),
        Value::Str {
            bytes: Bytes {
                start: 0,
                len: path.len() as u32,
            },
            truncated: false,
        },
        Value::Flags(sysgate_kb::symbols::flag_set("open").unwrap(), 0o2000000),
        Value::Omitted,
    ];
    e.ret = ret;
    e.is_error = ret < 0;
    e.duration_ns = 1234;
    e.phase = Phase::Completed;
    e
}

#[derive(Default)]
struct Collect {
    lines: Vec<String>,
}

impl Sink for Collect {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        let mut s = format!("{} {} {} ", ev.ts_ns, ev.pid, ev.tid);
        crate::render::syscall_line_into(ev, &mut s);
        self.lines.push(s);
        Ok(())
    }
    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        let i = &ev.info;
        self.lines.push(format!(
            "signal {} {} {} {} {} {}",
            ev.tid, i.signo, i.code, i.pid, i.status, i.stime
        ));
        Ok(())
    }
    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.lines.push(format!("task {} {:?}", ev.tid, ev.change));
        Ok(())
    }
}

fn record(events: &[SyscallEvent], finish: bool) -> Vec<u8> {
    let mut w = Writer::new(Vec::new(), &header()).unwrap();
    for e in events {
        w.syscall_exit(e).unwrap();
    }
    w.signal(&SignalEvent {
        ts_ns: 1_000_000_900,
        pid: 7,
        tid: 8,
        info: SigInfo {
            signo: 17,
            code: 1,
            errno: 0,
            pid: 9,
            uid: 0,
            status: 3,
            addr: 0,
            utime: 1,
            stime: 2,
        },
    })
    .unwrap();
    w.task(&TaskEvent {
        ts_ns: 1_000_001_000,
        pid: 7,
        tid: 7,
        change: TaskChange::Exited(3),
    })
    .unwrap();
    if finish {
        w.finish().unwrap();
    }
    w.into_inner()
}

/// Replays `bytes` on one thread and on two, which must deliver the same events and end the
/// same way, whether the file is whole, cut short or corrupt.
fn replay(bytes: &[u8]) -> Result<(Vec<String>, ReplayStats), ReadError> {
    let mut one = Collect::default();
    let mut two = Collect::default();
    let (r1, r2) = (
        Reader::new(bytes, Path::new("t.sgt")).and_then(|mut r| {
            assert_eq!(r.header(), &header());
            r.replay(&mut one)
        }),
        Reader::new(bytes, Path::new("t.sgt")).and_then(|mut r| r.replay_pipelined(&mut two)),
    );
    assert_eq!(one.lines, two.lines);
    match (&r1, &r2) {
        (Ok(s1), Ok(s2)) => assert_eq!(s1, s2),
        (Err(e1), Err(e2)) => assert_eq!(e1.to_string(), e2.to_string()),
        _ => panic!("one thread: {r1:?}; two: {r2:?}"),
    }
    Ok((one.lines, r1?))
}

#[test]
fn round_trip_keeps_every_field() {
    let events = vec![
        openat(b"/etc/passwd", 3, 7),
        openat(b"/etc/passwd", -2, 8),
        openat(b"/x", 4, 7),
    ];
    let bytes = record(&events, true);
    let (lines, stats) = replay(&bytes).unwrap();
    let mut expected: Vec<String> = events
        .iter()
        .map(|e| {
            let mut s = format!("{} {} {} ", e.ts_ns, e.pid, e.tid);
            crate::render::syscall_line_into(e, &mut s);
            s
        })
        .collect();
    expected.push("signal 8 17 1 9 3 2".into());
    expected.push("task 7 Exited(3)".into());
    assert_eq!(lines, expected);
    assert_eq!(stats.truncated_at, None);
    assert_eq!(stats.footer.unwrap().syscalls, 3);
    assert_eq!(stats.events, 5);
}

#[test]
fn repeated_paths_are_interned() {
    let one = record(
        &[openat(b"/usr/lib/x86_64-linux-gnu/libc.so.6", 3, 7)],
        true,
    )
    .len();
    let many: Vec<SyscallEvent> = (0..100)
        .map(|_| openat(b"/usr/lib/x86_64-linux-gnu/libc.so.6", 3, 7))
        .collect();
    let hundred = record(&many, true).len();
    // Without interning each event would carry the 35-byte path.
    assert!(
        (hundred - one) / 99 <= 20,
        "{} bytes per repeated event",
        (hundred - one) / 99
    );
}

#[test]
fn truncated_files_replay_their_prefix() {
    let events: Vec<SyscallEvent> = (0..10).map(|i| openat(b"/etc/passwd", i, 7)).collect();
    let bytes = record(&events, true);
    let (full, _) = replay(&bytes).unwrap();
    for cut in 14..bytes.len() {
        match replay(&bytes[..cut]) {
            Ok((lines, stats)) => {
                assert!(stats.truncated_at.is_some(), "cut at {cut} not reported");
                assert!(lines.len() <= full.len());
                assert_eq!(lines[..], full[..lines.len()]);
            }
            Err(e) => {
                // Only a cut inside the header is an error.
                assert!(
                    e.to_string().contains("inside the header"),
                    "cut at {cut}: {e}"
                );
            }
        }
    }
}

#[test]
fn bad_files_get_clear_errors() {
    let e = replay(b"hello world, not a trace").unwrap_err().to_string();
    assert!(e.contains("not a sysgate trace"), "{e}");
    let mut newer = record(&[], true);
    newer[8..10].copy_from_slice(&(VERSION + 1).to_le_bytes());
    let e = replay(&newer).unwrap_err().to_string();
    assert!(e.contains("newer than this sysgate reads"), "{e}");
    let mut huge = record(&[], false);
    let at = huge.len();
    huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x7f, 1]);
    let e = replay(&huge).unwrap_err().to_string();
    assert!(
        e.contains(&format!("byte {at}")) && e.contains("exceeds"),
        "{e}"
    );
}

#[test]
fn random_corruption_never_panics() {
    let events: Vec<SyscallEvent> = (0..20)
        .map(|i| openat(b"/etc/passwd", i, 7 + (i as u32 % 3)))
        .collect();
    let bytes = record(&events, true);
    let body = 14 + u32::from_le_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]) as usize;
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..3000 {
        let mut b = bytes.clone();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let i = body + (seed as usize % (b.len() - body));
            b[i] = (seed >> 32) as u8;
        }
        let _ = replay(&b);
    }
}

#[test]
fn scalar_defaults_match_what_is_stored() {
    let e = openat(b"/a", 3, 7);
    for (i, v) in e.decoded.iter().enumerate().take(1) {
        let t = arg_type(&e, i).unwrap();
        assert_eq!(Value::from_register(t, e.args[i], e.arch).as_ref(), Some(v));
    }
}

#[derive(Default)]
struct Aggregates {
    rows: Vec<crate::AggregateEvent>,
    tasks: Vec<TaskChange>,
}

impl Sink for Aggregates {
    fn syscall_exit(&mut self, _: &SyscallEvent) -> io::Result<()> {
        Ok(())
    }
    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }
    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.tasks.push(ev.change);
        Ok(())
    }
    fn aggregate(&mut self, ev: &crate::AggregateEvent) -> io::Result<()> {
        self.rows.push(*ev);
        Ok(())
    }
}

fn aggregate_row(pid: u32, nr: u32, calls: u64) -> crate::AggregateEvent {
    let mut log2_hist = [0u64; crate::AGGREGATE_BUCKETS];
    log2_hist[3] = calls - 1;
    log2_hist[31] = 1;
    crate::AggregateEvent {
        start_ns: 1_000_000_000,
        end_ns: 61_000_000_000,
        pid,
        arch: Arch::X86_64,
        nr,
        calls,
        errors: 2,
        total_ns: 123_456,
        max_ns: u64::MAX / 3,
        log2_hist,
    }
}

#[test]
fn aggregate_records_round_trip_in_version_3_files() {
    let rows = [aggregate_row(7, 1, 1000), aggregate_row(8, 0, 5)];
    let mut w = Writer::with_aggregates(Vec::new(), &header()).unwrap();
    w.task(&TaskEvent {
        ts_ns: 1_000_000_000,
        pid: 7,
        tid: 7,
        change: TaskChange::named("worker"),
    })
    .unwrap();
    for r in &rows {
        w.aggregate(r).unwrap();
    }
    w.finish().unwrap();
    let bytes = w.into_inner();
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 3);
    let mut r = Reader::new(&bytes[..], Path::new("a.sgt")).unwrap();
    let mut got = Aggregates::default();
    let stats = r.replay(&mut got).unwrap();
    assert_eq!(got.rows, rows);
    assert_eq!(got.tasks, [TaskChange::named("worker")]);
    let footer = stats.footer.unwrap();
    assert_eq!((footer.aggregates, footer.tasks), (2, 1));
    assert_eq!(
        footer.end_ns, 61_000_000_000,
        "the end of the last interval"
    );
    assert_eq!(stats.events, 3);
}

#[test]
fn event_files_stay_version_2_and_refuse_aggregates() {
    let bytes = record(&[openat(b"/etc/passwd", 3, 7)], true);
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), EVENTS_VERSION);
    let (_, stats) = replay(&bytes).unwrap();
    assert_eq!(stats.footer.unwrap().aggregates, 0);
    let mut w = Writer::new(Vec::new(), &header()).unwrap();
    let e = w.aggregate(&aggregate_row(7, 1, 10)).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
}

/// Counts failures only: reads the values of failed calls.
#[derive(Default)]
struct FailuresOnly {
    calls: Vec<SyscallEvent>,
}

impl Sink for FailuresOnly {
    fn values_read(&self) -> crate::ValuesReadFn {
        |_| crate::ValuesRead::Failed
    }
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.calls.push(ev.clone());
        Ok(())
    }
    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }
    fn task(&mut self, _: &TaskEvent) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn values_are_left_out_where_the_sink_does_not_read_them() {
    let events: Vec<SyscallEvent> = (0..6)
        .map(|i| openat(b"/etc/passwd", if i % 3 == 0 { -2 } else { 3 }, 7))
        .collect();
    let bytes = record(&events, true);
    for pipelined in [false, true] {
        let mut sink = FailuresOnly::default();
        let mut r = Reader::new(&bytes[..], Path::new("t.sgt")).unwrap();
        if pipelined {
            r.replay_pipelined(&mut sink).unwrap();
        } else {
            r.replay(&mut sink).unwrap();
        }
        assert_eq!(sink.calls.len(), events.len());
        for (got, sent) in sink.calls.iter().zip(&events) {
            if sent.is_error {
                assert_eq!(got.decoded, sent.decoded);
            } else {
                assert!(got.decoded.is_empty(), "{:?}", got.decoded);
            }
            assert_eq!(
                (got.ts_ns, got.tid, got.nr, got.args, got.ret, got.is_error),
                (
                    sent.ts_ns,
                    sent.tid,
                    sent.nr,
                    sent.args,
                    sent.ret,
                    sent.is_error
                )
            );
        }
    }
}

#[test]
fn long_recordings_replay_alike_on_two_threads() {
    // Several batches' worth, with a new string now and then among them.
    let events: Vec<SyscallEvent> = (0..5000)
        .map(|i| {
            let path = format!("/srv/data/{}", i / 100);
            openat(path.as_bytes(), i % 7 - 2, 7 + (i as u32 % 5))
        })
        .collect();
    let (lines, stats) = replay(&record(&events, true)).unwrap();
    assert_eq!(lines.len(), 5002);
    assert_eq!(stats.events, 5002);
}
