//! Tests of [`PerfettoWriter`]: the wire layout checked byte by byte against Perfetto's field
//! numbers, and the trace's content decoded back with the [`proto`] structs.

use std::collections::HashMap;

use super::proto::debug_annotation::{NameField as AnnotationName, Value as AnnotationValue};
use super::proto::trace_packet::Data;
use super::proto::track_event::{NameField, Type};
use super::proto::{Trace, TrackDescriptor};
use super::*;
use crate::SigInfo;

// ---- a protobuf wire reader that knows nothing of the structs -------------------------------

/// One field of a message: number and its varint value or length-delimited bytes.
#[derive(Debug, Clone, PartialEq)]
enum Wire {
    Varint(u64),
    Bytes(Vec<u8>),
}

fn varint(b: &[u8], pos: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = b[*pos];
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

/// The fields of one message, in order (only wire types 0 and 2 occur in sysgate's traces).
fn fields(b: &[u8]) -> Vec<(u64, Wire)> {
    let mut pos = 0;
    let mut out = Vec::new();
    while pos < b.len() {
        let key = varint(b, &mut pos);
        let (num, wt) = (key >> 3, key & 7);
        match wt {
            0 => out.push((num, Wire::Varint(varint(b, &mut pos)))),
            2 => {
                let len = varint(b, &mut pos) as usize;
                out.push((num, Wire::Bytes(b[pos..pos + len].to_vec())));
                pos += len;
            }
            other => panic!("field {num} has wire type {other}"),
        }
    }
    out
}

fn field(fs: &[(u64, Wire)], num: u64) -> Vec<Wire> {
    fs.iter()
        .filter(|(n, _)| *n == num)
        .map(|(_, w)| w.clone())
        .collect()
}

fn one(fs: &[(u64, Wire)], num: u64) -> Wire {
    let v = field(fs, num);
    assert_eq!(v.len(), 1, "field {num} in {fs:?}");
    v[0].clone()
}

fn sub(fs: &[(u64, Wire)], num: u64) -> Vec<(u64, Wire)> {
    match one(fs, num) {
        Wire::Bytes(b) => fields(&b),
        w => panic!("field {num} is {w:?}, not a message"),
    }
}

fn text(fs: &[(u64, Wire)], num: u64) -> String {
    match one(fs, num) {
        Wire::Bytes(b) => String::from_utf8(b).unwrap(),
        w => panic!("field {num} is {w:?}, not a string"),
    }
}

// ---- events ---------------------------------------------------------------------------------

fn call(name: &str, pid: u32, tid: u32, ts: u64, dur: u64, ret: i64) -> SyscallEvent {
    let mut e = SyscallEvent::new();
    e.syscall = sysgate_kb::by_name(name);
    assert!(e.syscall.is_some(), "{name}");
    e.ts_ns = ts;
    e.pid = pid;
    e.tid = tid;
    e.duration_ns = dur;
    e.ret = ret;
    e.is_error = (-4095..0).contains(&ret);
    e.phase = Phase::Completed;
    e
}

fn close(pid: u32, tid: u32, ts: u64, dur: u64, fd: i32, ret: i64) -> SyscallEvent {
    let mut e = call("close", pid, tid, ts, dur, ret);
    e.args[0] = fd as u64;
    e.decoded = vec![Value::Fd(fd)];
    e
}

fn execve(pid: u32, ts: u64, path: &str, argv: &[&str]) -> SyscallEvent {
    let mut e = call("execve", pid, pid, ts, 100, 0);
    let p = e.push_bytes(path.as_bytes());
    // As the decoder gives argv: an array of strings.
    let items: Vec<Value> = argv
        .iter()
        .map(|a| Value::Str {
            bytes: e.push_bytes(a.as_bytes()),
            truncated: false,
        })
        .collect();
    e.decoded = vec![
        Value::Str {
            bytes: p,
            truncated: false,
        },
        Value::Array { items, more: false },
        Value::EnvCount {
            addr: 0x7ffd_0000,
            count: 3,
        },
    ];
    e
}

fn run(events: impl FnOnce(&mut PerfettoWriter<Vec<u8>>) -> io::Result<()>) -> Vec<u8> {
    let mut w = PerfettoWriter::new(Vec::new(), 1_000);
    events(&mut w).unwrap();
    w.finish().unwrap();
    w.into_inner()
}

/// A track event with its interned strings resolved.
#[derive(Debug)]
struct Ev {
    ts: u64,
    ty: Type,
    track: u64,
    name: Option<String>,
    categories: Vec<String>,
    args: HashMap<String, AnnotationValue>,
}

/// The packets, the track events resolved, and each track's last descriptor.
fn decode(bytes: &[u8]) -> (Trace, Vec<Ev>, HashMap<u64, TrackDescriptor>) {
    let trace = Trace::decode(bytes).expect("a Trace message");
    let mut names = HashMap::new();
    let mut cats = HashMap::new();
    let mut anns = HashMap::new();
    let mut events = Vec::new();
    let mut tracks = HashMap::new();
    for p in &trace.packet {
        assert_eq!(p.trusted_packet_sequence_id, Some(SEQUENCE_ID));
        if let Some(d) = &p.interned_data {
            for n in &d.event_names {
                names.insert(n.iid.unwrap(), n.name.clone().unwrap());
            }
            for n in &d.event_categories {
                cats.insert(n.iid.unwrap(), n.name.clone().unwrap());
            }
            for n in &d.debug_annotation_names {
                anns.insert(n.iid.unwrap(), n.name.clone().unwrap());
            }
        }
        match &p.data {
            Some(Data::TrackDescriptor(d)) => {
                tracks.insert(d.uuid.unwrap(), d.clone());
            }
            Some(Data::TrackEvent(e)) => events.push(Ev {
                ts: p.timestamp.unwrap(),
                ty: Type::try_from(e.r#type.unwrap()).unwrap(),
                track: e.track_uuid.unwrap(),
                name: e.name_field.as_ref().map(|n| match n {
                    NameField::NameIid(i) => names[i].clone(),
                    NameField::Name(s) => s.clone(),
                }),
                categories: e.category_iids.iter().map(|i| cats[i].clone()).collect(),
                args: e
                    .debug_annotations
                    .iter()
                    .map(|a| {
                        let n = match a.name_field.as_ref().unwrap() {
                            AnnotationName::NameIid(i) => anns[i].clone(),
                            AnnotationName::Name(s) => s.clone(),
                        };
                        (n, a.value.clone().unwrap())
                    })
                    .collect(),
            }),
            _ => {}
        }
    }
    (trace, events, tracks)
}

fn thread_track(tracks: &HashMap<u64, TrackDescriptor>, tid: i64) -> u64 {
    let mut found: Vec<u64> = tracks
        .iter()
        .filter(|(_, d)| d.thread.as_ref().is_some_and(|t| t.tid == Some(tid)))
        .map(|(u, _)| *u)
        .collect();
    found.sort();
    *found
        .last()
        .unwrap_or_else(|| panic!("no track for tid {tid}"))
}

fn string(v: &AnnotationValue) -> &str {
    match v {
        AnnotationValue::StringValue(s) => s,
        other => panic!("{other:?} is not a string"),
    }
}

// ---- tests ----------------------------------------------------------------------------------

#[test]
fn field_numbers_on_the_wire() {
    let mut fail = call("openat", 7, 7, 5_000, 40, -2);
    let path = fail.push_bytes(b"/nope");
    fail.decoded = vec![
        Value::DirFd(-100),
        Value::Str {
            bytes: path,
            truncated: false,
        },
    ];
    let bytes = run(|w| w.syscall_exit(&fail));
    // Trace: nothing but field 1, length-delimited.
    let packets: Vec<Vec<u8>> = fields(&bytes)
        .into_iter()
        .map(|(n, w)| match (n, w) {
            (1, Wire::Bytes(b)) => b,
            other => panic!("Trace field {other:?}"),
        })
        .collect();
    // clock snapshot, process, thread, begin, end.
    assert_eq!(packets.len(), 5);

    let clock = fields(&packets[0]);
    assert_eq!(one(&clock, 8), Wire::Varint(1_000)); // timestamp
    assert_eq!(one(&clock, 10), Wire::Varint(1)); // trusted_packet_sequence_id
    assert_eq!(one(&clock, 13), Wire::Varint(1)); // SEQ_INCREMENTAL_STATE_CLEARED
    assert_eq!(one(&clock, 87), Wire::Varint(1)); // first_packet_on_sequence
    let snap = sub(&clock, 6); // clock_snapshot
    assert_eq!(one(&snap, 2), Wire::Varint(1)); // primary_trace_clock = REALTIME
    let c = sub(&snap, 1); // clocks
    assert_eq!(one(&c, 1), Wire::Varint(1)); // clock_id
    assert_eq!(one(&c, 2), Wire::Varint(1_000)); // timestamp

    let proc_packet = fields(&packets[1]);
    let desc = sub(&proc_packet, 60); // track_descriptor
    let Wire::Varint(proc_uuid) = one(&desc, 1) else {
        panic!()
    };
    let process = sub(&desc, 3); // process
    assert_eq!(one(&process, 1), Wire::Varint(7)); // pid

    let thread_packet = fields(&packets[2]);
    let desc = sub(&thread_packet, 60);
    let Wire::Varint(thread_uuid) = one(&desc, 1) else {
        panic!()
    };
    assert_ne!(proc_uuid, thread_uuid);
    let thread = sub(&desc, 4); // thread
    assert_eq!(one(&thread, 1), Wire::Varint(7)); // pid
    assert_eq!(one(&thread, 2), Wire::Varint(7)); // tid

    let begin = fields(&packets[3]);
    assert_eq!(one(&begin, 8), Wire::Varint(5_000));
    assert_eq!(one(&begin, 13), Wire::Varint(2)); // SEQ_NEEDS_INCREMENTAL_STATE
    let interned = sub(&begin, 12); // interned_data
    let name = sub(&interned, 2); // event_names
    assert_eq!(text(&name, 2), "openat");
    let Wire::Varint(name_iid) = one(&name, 1) else {
        panic!()
    };
    let cat_names: Vec<String> = field(&interned, 1) // event_categories
        .into_iter()
        .map(|w| match w {
            Wire::Bytes(b) => text(&fields(&b), 2),
            w => panic!("{w:?}"),
        })
        .collect();
    assert_eq!(cat_names, ["file", "error"]);
    let ann_names: Vec<String> = field(&interned, 3) // debug_annotation_names
        .into_iter()
        .map(|w| match w {
            Wire::Bytes(b) => text(&fields(&b), 2),
            w => panic!("{w:?}"),
        })
        .collect();
    assert_eq!(ann_names, ["args", "ret", "errno", "duration_ns"]);
    let ev = sub(&begin, 11); // track_event
    assert_eq!(one(&ev, 9), Wire::Varint(1)); // type = TYPE_SLICE_BEGIN
    assert_eq!(one(&ev, 11), Wire::Varint(thread_uuid)); // track_uuid
    assert_eq!(one(&ev, 10), Wire::Varint(name_iid)); // name_iid
    // category_iids: proto2, so one unpacked varint per category.
    assert_eq!(field(&ev, 3), [Wire::Varint(1), Wire::Varint(2)]);
    let anns = field(&ev, 4); // debug_annotations
    assert_eq!(anns.len(), 4);
    let Wire::Bytes(args) = &anns[0] else {
        panic!()
    };
    let args = fields(args);
    assert_eq!(one(&args, 1), Wire::Varint(1)); // name_iid
    assert_eq!(text(&args, 6), "AT_FDCWD, \"/nope\""); // string_value
    let Wire::Bytes(dur) = &anns[3] else { panic!() };
    assert_eq!(one(&fields(dur), 3), Wire::Varint(40)); // uint_value

    let end = fields(&packets[4]);
    assert_eq!(one(&end, 8), Wire::Varint(5_040));
    let ev = sub(&end, 11);
    assert_eq!(one(&ev, 9), Wire::Varint(2)); // TYPE_SLICE_END
    assert_eq!(one(&ev, 11), Wire::Varint(thread_uuid));
}

#[test]
fn a_syscall_is_one_slice_with_its_text() {
    let mut open = call("openat", 7, 7, 5_000, 40, -2);
    let path = open.push_bytes(b"/nope");
    open.decoded = vec![
        Value::DirFd(-100),
        Value::Str {
            bytes: path,
            truncated: false,
        },
    ];
    let bytes = run(|w| {
        w.syscall_exit(&open)?;
        w.syscall_exit(&close(7, 7, 6_000, 10, 3, 0))
    });
    let (_, events, _) = decode(&bytes);
    assert_eq!(events.len(), 4);
    let b = &events[0];
    assert_eq!(
        (b.ty, b.name.as_deref()),
        (Type::SliceBegin, Some("openat"))
    );
    assert_eq!(b.categories, ["file", "error"]);
    assert_eq!(string(&b.args["args"]), "AT_FDCWD, \"/nope\"");
    assert_eq!(
        string(&b.args["ret"]),
        "-1 ENOENT (No such file or directory)"
    );
    assert_eq!(string(&b.args["errno"]), "ENOENT");
    assert_eq!(b.args["duration_ns"], AnnotationValue::UintValue(40));
    let c = &events[2];
    assert_eq!(c.name.as_deref(), Some("close"));
    assert_eq!(c.categories, ["descriptor"]);
    assert_eq!(string(&c.args["ret"]), "0");
    assert!(!c.args.contains_key("errno"));
    assert_eq!((events[3].ty, events[3].ts), (Type::SliceEnd, 6_010));
}

#[test]
fn slices_on_a_thread_never_overlap() {
    let mut unfinished = call("read", 7, 7, 2_000, 0, 0);
    unfinished.phase = Phase::Unfinished;
    let bytes = run(|w| {
        w.syscall_exit(&close(7, 7, 1_000, 500, 3, 0))?;
        // Starts before the previous call ended (clocks disagree): starts at 1_500 instead
        // and keeps its end.
        w.syscall_exit(&close(7, 7, 1_200, 400, 4, 0))?;
        // Zero length.
        w.syscall_exit(&close(7, 7, 1_900, 0, 5, 0))?;
        // Another thread overlaps freely.
        w.syscall_exit(&close(7, 8, 1_100, 900, 6, 0))?;
        w.syscall_exit(&unfinished)
    });
    let (_, events, tracks) = decode(&bytes);
    let t7 = thread_track(&tracks, 7);
    let on7: Vec<(Type, u64)> = events
        .iter()
        .filter(|e| e.track == t7)
        .map(|e| (e.ty, e.ts))
        .collect();
    assert_eq!(
        on7,
        [
            (Type::SliceBegin, 1_000),
            (Type::SliceEnd, 1_500),
            (Type::SliceBegin, 1_500),
            (Type::SliceEnd, 1_600),
            (Type::SliceBegin, 1_900),
            (Type::SliceEnd, 1_900),
            (Type::SliceBegin, 2_000),
            (Type::SliceEnd, 2_000),
        ]
    );
    let read = events
        .iter()
        .find(|e| e.name.as_deref() == Some("read"))
        .unwrap();
    assert_eq!(read.categories, ["file", "unfinished"]);
    assert_eq!(string(&read.args["ret"]), "?");
    assert_eq!(read.args["unfinished"], AnnotationValue::BoolValue(true));
    let t8 = thread_track(&tracks, 8);
    let on8: Vec<u64> = events
        .iter()
        .filter(|e| e.track == t8)
        .map(|e| e.ts)
        .collect();
    assert_eq!(on8, [1_100, 2_000]);
}

#[test]
fn names_come_from_exec_fork_and_prctl() {
    let clone = call("clone", 10, 10, 3_000, 50, 11);
    let mut prctl = call("prctl", 10, 11, 4_000, 5, 0);
    let name = prctl.push_bytes(b"a-very-long-worker-name");
    prctl.args[0] = 15;
    prctl.decoded = vec![
        Value::Int(15),
        Value::Str {
            bytes: name,
            truncated: false,
        },
    ];
    let bytes = run(|w| {
        w.syscall_exit(&execve(
            10,
            2_000,
            "/usr/bin/some-long-program-name",
            &["prog", "-v"],
        ))?;
        w.syscall_exit(&clone)?;
        // The thread clone made.
        w.syscall_exit(&close(10, 11, 3_500, 5, 3, 0))?;
        w.syscall_exit(&prctl)?;
        // A child process that ran before its parent's fork returned.
        w.syscall_exit(&close(12, 12, 4_100, 5, 3, 0))?;
        w.syscall_exit(&call("fork", 10, 10, 4_000, 500, 12))
    });
    let (_, _, tracks) = decode(&bytes);
    let process = |pid: i32| {
        tracks
            .values()
            .find_map(|d| d.process.clone().filter(|p| p.pid == Some(pid)))
            .unwrap()
    };
    let thread = |tid: i64| tracks[&thread_track(&tracks, tid)].thread.clone().unwrap();
    let p10 = process(10);
    assert_eq!(p10.process_name.as_deref(), Some("some-long-program-name"));
    assert_eq!(p10.cmdline, ["prog", "-v"]);
    assert_eq!(thread(10).thread_name.as_deref(), Some("some-long-progr"));
    assert_eq!(thread(11).pid, Some(10));
    assert_eq!(thread(11).thread_name.as_deref(), Some("a-very-long-wor"));
    let p12 = process(12);
    assert_eq!(p12.process_name.as_deref(), Some("some-long-program-name"));
    assert_eq!(thread(12).thread_name.as_deref(), Some("some-long-progr"));
}

#[test]
fn signals_and_task_changes_are_instants() {
    let info = SigInfo {
        signo: 17,
        code: 1,
        errno: 0,
        pid: 8,
        uid: 0,
        status: 0,
        addr: 0,
        utime: 0,
        stime: 0,
    };
    let bytes = run(|w| {
        w.task(&TaskEvent {
            ts_ns: 1_000,
            pid: 7,
            tid: 7,
            change: TaskChange::named("server"),
        })?;
        w.syscall_exit(&close(7, 7, 2_000, 500, 3, 0))?;
        // Stamped inside the call it follows: moved to its end.
        w.signal(&SignalEvent {
            ts_ns: 2_100,
            pid: 7,
            tid: 7,
            info,
        })?;
        w.task(&TaskEvent {
            ts_ns: 3_000,
            pid: 7,
            tid: 7,
            change: TaskChange::Killed {
                signal: 9,
                core: false,
            },
        })?;
        // The pid again, after the process died: a new process.
        w.syscall_exit(&close(7, 7, 4_000, 5, 3, 0))
    });
    let (_, events, tracks) = decode(&bytes);
    let sig = events
        .iter()
        .find(|e| e.name.as_deref() == Some("SIGCHLD"))
        .unwrap();
    assert_eq!((sig.ty, sig.ts), (Type::Instant, 2_500));
    assert_eq!(sig.categories, ["signal"]);
    assert!(string(&sig.args["siginfo"]).starts_with("{si_signo=SIGCHLD, si_code=CLD_EXITED"));
    let killed = events
        .iter()
        .find(|e| e.name.as_deref() == Some("killed"))
        .unwrap();
    assert_eq!(killed.ty, Type::Instant);
    assert_eq!(string(&killed.args["signal"]), "SIGKILL");
    assert_eq!(killed.track, sig.track);
    let named: Vec<&TrackDescriptor> = tracks
        .values()
        .filter(|d| d.process.as_ref().is_some_and(|p| p.pid == Some(7)))
        .collect();
    assert_eq!(named.len(), 2, "{named:?}");
    assert!(
        named
            .iter()
            .any(|d| { d.process.as_ref().unwrap().process_name.as_deref() == Some("server") })
    );
    let last = events.last().unwrap();
    assert_ne!(last.track, sig.track);
}

#[test]
fn an_empty_recording_is_a_valid_trace() {
    let bytes = run(|_| Ok(()));
    let (trace, events, tracks) = decode(&bytes);
    assert_eq!(trace.packet.len(), 1);
    assert!(matches!(trace.packet[0].data, Some(Data::ClockSnapshot(_))));
    assert!(events.is_empty() && tracks.is_empty());
}

#[test]
fn stacks_become_inline_callstacks() {
    use std::sync::Arc;
    let mut e = close(7, 7, 1_000, 5, 3, 0);
    e.stack = vec![
        crate::StackFrame {
            pc: 0x1000,
            module: Some(Arc::from("/usr/lib/libc.so.6")),
            module_offset: 0x123,
            ..Default::default()
        },
        crate::StackFrame {
            pc: 0x2000,
            function: Some(Arc::from("main")),
            location: Some((Arc::from("src/main.rs"), 12)),
            ..Default::default()
        },
    ];
    let bytes = run(|w| w.syscall_exit(&e));
    let trace = Trace::decode(bytes.as_slice()).unwrap();
    let stack = trace
        .packet
        .iter()
        .find_map(|p| match &p.data {
            Some(Data::TrackEvent(ev)) => ev.callstack.clone(),
            _ => None,
        })
        .unwrap();
    let names: Vec<&str> = stack
        .frames
        .iter()
        .map(|f| f.function_name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["main", "libc.so.6+0x123"]);
    assert_eq!(stack.frames[0].source_file.as_deref(), Some("src/main.rs"));
    assert_eq!(stack.frames[0].line_number, Some(12));
}
