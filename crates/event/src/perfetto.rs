//! Perfetto's native trace format: a [`PerfettoWriter`] sink that streams events as the
//! `TracePacket`s of a `Trace` protobuf, which <https://ui.perfetto.dev> and `trace_processor`
//! open directly.
//!
//! What is written, on one packet sequence ([`SEQUENCE_ID`]):
//!
//! - first, a `ClockSnapshot` that makes `CLOCK_REALTIME` the trace's clock (sysgate's
//!   timestamps are wall-clock ns since the epoch), with `SEQ_INCREMENTAL_STATE_CLEARED`;
//! - a `TrackDescriptor` with a `ProcessDescriptor` (pid, name, command line) for each
//!   process and one with a `ThreadDescriptor` (pid, tid, name) for each thread, written before
//!   the first event on them and again when a name changes (`execve`, `prctl(PR_SET_NAME)`, a
//!   name read when sysgate attached). A child starts with its parent's names;
//! - per syscall, a `TYPE_SLICE_BEGIN` at its entry and a `TYPE_SLICE_END` at entry +
//!   duration on its thread's track, named after the call, with categories (the syscall's
//!   family, plus `error` when it failed and `unfinished` when it never returned), debug
//!   annotations `args`, `ret`, `errno`, `duration_ns` (and `unfinished`, `injected`), and the
//!   `-k` stack as an inline call stack;
//! - per signal, a `TYPE_INSTANT` named after it (category `signal`, annotation `siginfo`);
//!   per thread lifecycle change, an instant `exited`, `killed`, `stopped`, `attached`,
//!   `detached` or `superseded` (category `task`).
//!
//! Event names, categories and annotation names are interned (`InternedData`, sent in the
//! packet that first uses them). Each packet is written as soon as its event arrives: the file
//! is the concatenation of `Trace.packet` fields (tag `0x0a`, length, bytes), so memory stays
//! bounded by the live processes and threads, never by the trace's length.
//!
//! Slices on one thread never overlap: a thread makes one call at a time, and when timestamps
//! disagree (an entry earlier than the previous call's end) the slice starts where the previous
//! one ended and keeps its own end (zero length if that is earlier), so begins and ends always
//! pair up and timestamps never go back along a track. `duration_ns` keeps the measured time.

pub mod proto;

/// The protobuf runtime the [`proto`] structs derive from, for decoding them
/// (`prost::Message::decode`).
pub use prost;

use std::collections::HashMap;
use std::io::{self, Write};

use prost::Message as _;
use sysgate_kb::symbols;

use crate::render;
use crate::{Phase, SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent, Value};
use proto::debug_annotation::{NameField as AnnotationName, Value as AnnotationValue};
use proto::trace_packet::{Data, SequenceFlags};
use proto::track_event::inline_callstack::Frame;
use proto::track_event::{InlineCallstack, NameField, Type};
use proto::{
    BuiltinClock, ClockSnapshot, DebugAnnotation, DebugAnnotationName, EventCategory, EventName,
    InternedData, ProcessDescriptor, ThreadDescriptor, TracePacket, TrackDescriptor, TrackEvent,
    clock_snapshot,
};

/// The `trusted_packet_sequence_id` of every packet sysgate writes (0 is invalid).
pub const SEQUENCE_ID: u32 = 1;

/// `prctl` option that names the calling thread.
const PR_SET_NAME: u64 = 15;
/// The kernel keeps this many bytes of a thread's name (`TASK_COMM_LEN` - 1).
const COMM_LEN: usize = 15;
/// Children whose parent's fork returned but who were not seen yet, at most.
const MAX_INHERIT: usize = 1 << 16;

/// A process with a track.
struct Process {
    uuid: u64,
    name: Option<String>,
    cmdline: Vec<String>,
    /// Time of its latest descriptor: a later one is never stamped earlier, so that readers,
    /// who apply them in time order, end with the names written last.
    desc_ts: u64,
}

/// A thread with a track.
struct Thread {
    uuid: u64,
    pid: u32,
    name: Option<String>,
    /// The latest timestamp on its track: nothing later may start before it.
    last_ts: u64,
    /// Time of its latest descriptor (as [`Process::desc_ts`]).
    desc_ts: u64,
}

/// What a child takes from its parent when it shows up.
struct Inherit {
    parent_pid: u32,
    thread_name: Option<String>,
    process_name: Option<String>,
    cmdline: Vec<String>,
}

/// A sink that writes a Perfetto trace (`.pftrace`) of the events it is given.
pub struct PerfettoWriter<W: Write> {
    out: W,
    /// Timestamp of the clock snapshot; 0 takes the first event's.
    start_ns: u64,
    started: bool,
    procs: HashMap<u32, Process>,
    threads: HashMap<u32, Thread>,
    inherit: HashMap<u32, Inherit>,
    next_uuid: u64,
    names: HashMap<String, u64>,
    categories: HashMap<&'static str, u64>,
    annotations: HashMap<&'static str, u64>,
    /// The encoded packet being written.
    frame: Vec<u8>,
    text: String,
}

impl<W: Write> PerfettoWriter<W> {
    /// A writer to `out`. `start_ns` (the recording's start, ns since the epoch) stamps the
    /// clock snapshot; 0 uses the first event's time.
    pub fn new(out: W, start_ns: u64) -> Self {
        PerfettoWriter {
            out,
            start_ns,
            started: false,
            procs: HashMap::new(),
            threads: HashMap::new(),
            inherit: HashMap::new(),
            next_uuid: 1,
            names: HashMap::new(),
            categories: HashMap::new(),
            annotations: HashMap::new(),
            frame: Vec::with_capacity(512),
            text: String::with_capacity(256),
        }
    }

    /// Consumes the writer, returning the output.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Appends one packet as a `Trace.packet` field.
    fn write(&mut self, packet: &TracePacket) -> io::Result<()> {
        self.frame.clear();
        self.frame.push(0x0a); // field 1, length-delimited
        packet
            .encode_length_delimited(&mut self.frame)
            .map_err(io::Error::other)?;
        self.out.write_all(&self.frame)
    }

    /// Writes the first packet, once: the clock snapshot that starts the sequence.
    fn start(&mut self, ts: u64) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let ts = if self.start_ns != 0 {
            self.start_ns
        } else {
            ts
        };
        let mut p = packet(
            ts,
            Data::ClockSnapshot(ClockSnapshot {
                clocks: vec![clock_snapshot::Clock {
                    clock_id: Some(BuiltinClock::Realtime as u32),
                    timestamp: Some(ts),
                    ..Default::default()
                }],
                primary_trace_clock: Some(BuiltinClock::Realtime as i32),
            }),
        );
        p.sequence_flags = Some(SequenceFlags::IncrementalStateCleared as u32);
        p.first_packet_on_sequence = Some(true);
        self.write(&p)
    }

    fn new_uuid(&mut self) -> u64 {
        let u = self.next_uuid;
        self.next_uuid += 1;
        u
    }

    fn write_process(&mut self, pid: u32, ts: u64) -> io::Result<()> {
        let Some(p) = self.procs.get_mut(&pid) else {
            return Ok(());
        };
        p.desc_ts = p.desc_ts.max(ts);
        let ts = p.desc_ts;
        let desc = TrackDescriptor {
            uuid: Some(p.uuid),
            process: Some(ProcessDescriptor {
                pid: Some(pid as i32),
                cmdline: p.cmdline.clone(),
                process_name: p.name.clone(),
            }),
            ..Default::default()
        };
        self.write(&packet(ts, Data::TrackDescriptor(desc)))
    }

    fn write_thread(&mut self, tid: u32, ts: u64) -> io::Result<()> {
        let Some(t) = self.threads.get_mut(&tid) else {
            return Ok(());
        };
        t.desc_ts = t.desc_ts.max(ts);
        let ts = t.desc_ts;
        let desc = TrackDescriptor {
            uuid: Some(t.uuid),
            thread: Some(ThreadDescriptor {
                pid: Some(t.pid as i32),
                tid: Some(i64::from(tid)),
                thread_name: t.name.clone(),
            }),
            ..Default::default()
        };
        self.write(&packet(ts, Data::TrackDescriptor(desc)))
    }

    /// Makes sure `tid` of `pid` has a track (declaring it and its process's when new, with
    /// the names inherited from the parent), and returns its uuid.
    fn track(&mut self, pid: u32, tid: u32, ts: u64) -> io::Result<u64> {
        match self.threads.get(&tid) {
            Some(t) if t.pid == pid => return Ok(t.uuid),
            // The id now belongs to another process: a new thread that reuses it.
            Some(_) => {
                self.threads.remove(&tid);
            }
            None => {}
        }
        let inherit = self.inherit.remove(&tid);
        if !self.procs.contains_key(&pid) {
            let (name, cmdline) = match &inherit {
                Some(i) if i.parent_pid != pid => (i.process_name.clone(), i.cmdline.clone()),
                _ => (None, Vec::new()),
            };
            let uuid = self.new_uuid();
            self.procs.insert(
                pid,
                Process {
                    uuid,
                    name,
                    cmdline,
                    desc_ts: 0,
                },
            );
            self.write_process(pid, ts)?;
        }
        let uuid = self.new_uuid();
        self.threads.insert(
            tid,
            Thread {
                uuid,
                pid,
                name: inherit.and_then(|i| i.thread_name),
                last_ts: 0,
                desc_ts: 0,
            },
        );
        self.write_thread(tid, ts)?;
        Ok(uuid)
    }

    /// The track of `tid` and the span `[ts, ts + dur]` cut, when needed, to start no earlier
    /// than the last thing on that track; the track's clock then moves to the span's end.
    fn place(&mut self, pid: u32, tid: u32, ts: u64, dur: u64) -> io::Result<(u64, u64, u64)> {
        let uuid = self.track(pid, tid, ts)?;
        let Some(t) = self.threads.get_mut(&tid) else {
            return Ok((uuid, ts, ts.saturating_add(dur)));
        };
        let begin = ts.max(t.last_ts);
        let end = begin.max(ts.saturating_add(dur));
        t.last_ts = end;
        Ok((uuid, begin, end))
    }

    fn name_iid(&mut self, name: &str, data: &mut InternedData) -> u64 {
        if let Some(&iid) = self.names.get(name) {
            return iid;
        }
        let iid = self.names.len() as u64 + 1;
        self.names.insert(name.to_owned(), iid);
        data.event_names.push(EventName {
            iid: Some(iid),
            name: Some(name.to_owned()),
        });
        iid
    }

    fn category_iid(&mut self, name: &'static str, data: &mut InternedData) -> u64 {
        if let Some(&iid) = self.categories.get(name) {
            return iid;
        }
        let iid = self.categories.len() as u64 + 1;
        self.categories.insert(name, iid);
        data.event_categories.push(EventCategory {
            iid: Some(iid),
            name: Some(name.to_owned()),
        });
        iid
    }

    fn annotation(
        &mut self,
        name: &'static str,
        value: AnnotationValue,
        data: &mut InternedData,
    ) -> DebugAnnotation {
        let iid = match self.annotations.get(name) {
            Some(&iid) => iid,
            None => {
                let iid = self.annotations.len() as u64 + 1;
                self.annotations.insert(name, iid);
                data.debug_annotation_names.push(DebugAnnotationName {
                    iid: Some(iid),
                    name: Some(name.to_owned()),
                });
                iid
            }
        };
        DebugAnnotation {
            name_field: Some(AnnotationName::NameIid(iid)),
            value: Some(value),
        }
    }

    /// Writes a track event that may refer to interned strings, with those first used here.
    fn write_event(&mut self, ts: u64, event: TrackEvent, data: InternedData) -> io::Result<()> {
        let mut p = packet(ts, Data::TrackEvent(event));
        p.sequence_flags = Some(SequenceFlags::NeedsIncrementalState as u32);
        if data != InternedData::default() {
            p.interned_data = Some(data);
        }
        self.write(&p)
    }

    /// An instant on `tid`'s track.
    fn instant(
        &mut self,
        pid: u32,
        tid: u32,
        ts: u64,
        name: &str,
        category: &'static str,
        annotations: Vec<(&'static str, AnnotationValue)>,
    ) -> io::Result<()> {
        let (uuid, ts, _) = self.place(pid, tid, ts, 0)?;
        let mut data = InternedData::default();
        let name_iid = self.name_iid(name, &mut data);
        let category_iids = vec![self.category_iid(category, &mut data)];
        let debug_annotations = annotations
            .into_iter()
            .map(|(n, v)| self.annotation(n, v, &mut data))
            .collect();
        let event = TrackEvent {
            category_iids,
            debug_annotations,
            r#type: Some(Type::Instant as i32),
            name_field: Some(NameField::NameIid(name_iid)),
            track_uuid: Some(uuid),
            ..Default::default()
        };
        self.write_event(ts, event, data)
    }

    /// Updates process and thread names from a call that changes them (execve, prctl) or
    /// hands them to a child (fork, clone), and re-declares the tracks whose names changed.
    fn learn_names(&mut self, ev: &SyscallEvent, ts: u64) -> io::Result<()> {
        if ev.phase != Phase::Completed || ev.is_error {
            return Ok(());
        }
        let Some(sc) = ev.syscall else {
            return Ok(());
        };
        match sc.name {
            "execve" | "execveat" => {
                let at = usize::from(sc.name == "execveat");
                let Some(path) = str_arg(ev, at) else {
                    return Ok(());
                };
                let base = path.rsplit('/').next().unwrap_or_default().to_owned();
                if base.is_empty() {
                    return Ok(());
                }
                let mut cmdline: Vec<String> = match ev.decoded.get(at + 1) {
                    Some(Value::Array { items, .. }) => items
                        .iter()
                        .filter_map(|v| match v {
                            Value::Str { bytes, .. } => Some(*bytes),
                            _ => None,
                        })
                        .map(|b| String::from_utf8_lossy(ev.slice(b)).into_owned())
                        .collect(),
                    Some(Value::StrArray { items, .. }) => items
                        .iter()
                        .map(|b| String::from_utf8_lossy(ev.slice(*b)).into_owned())
                        .collect(),
                    _ => Vec::new(),
                };
                if cmdline.is_empty() {
                    cmdline.push(path);
                }
                if let Some(p) = self.procs.get_mut(&ev.pid) {
                    p.name = Some(base.clone());
                    p.cmdline = cmdline;
                }
                self.write_process(ev.pid, ts)?;
                if let Some(t) = self.threads.get_mut(&ev.tid) {
                    t.name = Some(comm(&base));
                }
                self.write_thread(ev.tid, ts)?;
            }
            "prctl" if ev.args[0] == PR_SET_NAME => {
                let Some(name) = str_arg(ev, 1) else {
                    return Ok(());
                };
                if let Some(t) = self.threads.get_mut(&ev.tid) {
                    t.name = Some(comm(&name));
                }
                self.write_thread(ev.tid, ts)?;
            }
            "clone" | "clone3" | "fork" | "vfork"
                if ev.ret > 0 && ev.ret <= i64::from(i32::MAX) =>
            {
                let child = ev.ret as u32;
                let inherit = Inherit {
                    parent_pid: ev.pid,
                    thread_name: self.threads.get(&ev.tid).and_then(|t| t.name.clone()),
                    process_name: self.procs.get(&ev.pid).and_then(|p| p.name.clone()),
                    cmdline: self
                        .procs
                        .get(&ev.pid)
                        .map(|p| p.cmdline.clone())
                        .unwrap_or_default(),
                };
                match self.threads.get_mut(&child) {
                    // The child ran before its parent's call returned: name it now, unless it
                    // already named itself (a vfork child's execve comes first).
                    Some(t) => {
                        let child_pid = t.pid;
                        if t.name.is_none() && inherit.thread_name.is_some() {
                            t.name = inherit.thread_name;
                            self.write_thread(child, ts)?;
                        }
                        if child_pid != ev.pid
                            && let Some(p) = self.procs.get_mut(&child_pid)
                            && p.name.is_none()
                            && inherit.process_name.is_some()
                        {
                            p.name = inherit.process_name;
                            p.cmdline = inherit.cmdline;
                            self.write_process(child_pid, ts)?;
                        }
                    }
                    None => {
                        if self.inherit.len() >= MAX_INHERIT {
                            self.inherit.clear();
                        }
                        self.inherit.insert(child, inherit);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Forgets a thread that is gone (and its process with its leader), so that a later task
    /// with the same id gets a track of its own.
    fn forget(&mut self, pid: u32, tid: u32) {
        self.threads.remove(&tid);
        if tid == pid {
            self.procs.remove(&pid);
        }
    }
}

/// A packet of the sequence at `ts`.
fn packet(ts: u64, data: Data) -> TracePacket {
    TracePacket {
        timestamp: Some(ts),
        data: Some(data),
        trusted_packet_sequence_id: Some(SEQUENCE_ID),
        ..Default::default()
    }
}

/// Decoded argument `i` when it is a string read from the tracee.
fn str_arg(ev: &SyscallEvent, i: usize) -> Option<String> {
    match ev.decoded.get(i) {
        Some(Value::Str { bytes, .. }) => {
            Some(String::from_utf8_lossy(ev.slice(*bytes)).into_owned())
        }
        _ => None,
    }
}

/// A name as the kernel keeps it for a thread: at most 15 bytes.
fn comm(name: &str) -> String {
    let mut end = name.len().min(COMM_LEN);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
}

/// The `-k` stack as Perfetto wants it: outermost frame first.
fn callstack(ev: &SyscallEvent) -> Option<InlineCallstack> {
    if ev.stack.is_empty() {
        return None;
    }
    let frames = ev
        .stack
        .iter()
        .rev()
        .map(|f| Frame {
            function_name: Some(match (&f.function, &f.module) {
                (Some(func), _) => func.to_string(),
                (None, Some(m)) => format!(
                    "{}+{:#x}",
                    m.rsplit('/').next().unwrap_or(m),
                    f.module_offset
                ),
                (None, None) => format!("{:#x}", f.pc),
            }),
            source_file: f.location.as_ref().map(|(file, _)| file.to_string()),
            line_number: f.location.as_ref().map(|(_, line)| *line),
        })
        .collect();
    Some(InlineCallstack { frames })
}

impl<W: Write> Sink for PerfettoWriter<W> {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.start(ev.ts_ns)?;
        let (uuid, begin, end) = self.place(ev.pid, ev.tid, ev.ts_ns, ev.duration_ns)?;
        let completed = ev.phase == Phase::Completed;
        let errno = if completed { ev.errno() } else { None };

        let mut data = InternedData::default();
        let name_iid = self.name_iid(&ev.name(), &mut data);
        let family = ev.syscall.map_or("other", |s| s.category.name());
        let mut category_iids = vec![self.category_iid(family, &mut data)];
        if errno.is_some() {
            category_iids.push(self.category_iid("error", &mut data));
        }
        if !completed {
            category_iids.push(self.category_iid("unfinished", &mut data));
        }

        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let mut first = true;
        for v in &ev.decoded {
            if matches!(v, Value::Omitted | Value::Pending) {
                continue;
            }
            if !first {
                text.push_str(", ");
            }
            first = false;
            render::value_into(ev, v, &mut text);
        }
        let mut annotations = vec![("args", AnnotationValue::StringValue(text.clone()))];
        text.clear();
        if completed {
            render::return_value_into(ev, &mut text);
            text.drain(..text.len().min(2)); // the leading `= `
        } else {
            text.push('?');
        }
        annotations.push(("ret", AnnotationValue::StringValue(text.clone())));
        if let Some(e) = errno {
            let name = match symbols::errno(e) {
                Some(s) => s.name.to_owned(),
                None => format!("E{e}"),
            };
            annotations.push(("errno", AnnotationValue::StringValue(name)));
        }
        annotations.push(("duration_ns", AnnotationValue::UintValue(ev.duration_ns)));
        if !completed {
            annotations.push(("unfinished", AnnotationValue::BoolValue(true)));
        }
        if ev.tampered != 0 {
            text.clear();
            render::injected_note_into(ev, &mut text);
            let note = text
                .trim()
                .trim_matches(|c| c == '(' || c == ')')
                .to_owned();
            if !note.is_empty() {
                annotations.push(("injected", AnnotationValue::StringValue(note)));
            }
        }
        self.text = text;
        let debug_annotations = annotations
            .into_iter()
            .map(|(n, v)| self.annotation(n, v, &mut data))
            .collect();

        let begin_event = TrackEvent {
            category_iids,
            debug_annotations,
            r#type: Some(Type::SliceBegin as i32),
            name_field: Some(NameField::NameIid(name_iid)),
            track_uuid: Some(uuid),
            callstack: callstack(ev),
            ..Default::default()
        };
        self.write_event(begin, begin_event, data)?;
        let end_event = TrackEvent {
            r#type: Some(Type::SliceEnd as i32),
            track_uuid: Some(uuid),
            ..Default::default()
        };
        self.write_event(end, end_event, InternedData::default())?;
        self.learn_names(ev, end)
    }

    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.start(ev.ts_ns)?;
        let name = render::signal_name(ev.info.signo)
            .map_or_else(|| format!("signal {}", ev.info.signo), |n| n.into_owned());
        let mut info = String::new();
        render::siginfo_body_into(&ev.info, &mut info);
        self.instant(
            ev.pid,
            ev.tid,
            ev.ts_ns,
            &name,
            "signal",
            vec![("siginfo", AnnotationValue::StringValue(info))],
        )
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.start(ev.ts_ns)?;
        let signal = |n: i32| {
            AnnotationValue::StringValue(
                render::signal_name(n).map_or_else(|| n.to_string(), |s| s.into_owned()),
            )
        };
        match ev.change {
            TaskChange::Named { .. } => {
                let Some(name) = ev.change.comm() else {
                    return Ok(());
                };
                self.track(ev.pid, ev.tid, ev.ts_ns)?;
                if let Some(p) = self.procs.get_mut(&ev.pid) {
                    p.name = Some(name.clone());
                }
                self.write_process(ev.pid, ev.ts_ns)?;
                if let Some(t) = self.threads.get_mut(&ev.tid)
                    && t.name.is_none()
                {
                    t.name = Some(comm(&name));
                    self.write_thread(ev.tid, ev.ts_ns)?;
                }
                Ok(())
            }
            TaskChange::Attached => {
                self.instant(ev.pid, ev.tid, ev.ts_ns, "attached", "task", Vec::new())
            }
            TaskChange::Detached => {
                self.instant(ev.pid, ev.tid, ev.ts_ns, "detached", "task", Vec::new())
            }
            TaskChange::Stopped(sig) => self.instant(
                ev.pid,
                ev.tid,
                ev.ts_ns,
                "stopped",
                "task",
                vec![("signal", signal(sig))],
            ),
            TaskChange::Exited(code) => {
                self.instant(
                    ev.pid,
                    ev.tid,
                    ev.ts_ns,
                    "exited",
                    "task",
                    vec![("status", AnnotationValue::IntValue(i64::from(code)))],
                )?;
                self.forget(ev.pid, ev.tid);
                Ok(())
            }
            TaskChange::Killed { signal: sig, core } => {
                self.instant(
                    ev.pid,
                    ev.tid,
                    ev.ts_ns,
                    "killed",
                    "task",
                    vec![
                        ("signal", signal(sig)),
                        ("core_dumped", AnnotationValue::BoolValue(core)),
                    ],
                )?;
                self.forget(ev.pid, ev.tid);
                Ok(())
            }
            TaskChange::Superseded { former_tid } => {
                // A thread other than the leader ran execve: its id is gone, the process goes
                // on under the leader's.
                if self.threads.contains_key(&former_tid) {
                    self.instant(
                        ev.pid,
                        former_tid,
                        ev.ts_ns,
                        "superseded",
                        "task",
                        vec![("pid", AnnotationValue::IntValue(i64::from(ev.pid)))],
                    )?;
                }
                if former_tid != ev.pid {
                    self.threads.remove(&former_tid);
                }
                Ok(())
            }
        }
    }

    fn idle(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        // An empty recording still makes a valid trace, with its clock.
        self.start(self.start_ns)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests;
