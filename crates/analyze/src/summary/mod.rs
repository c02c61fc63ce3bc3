//! `sysgate summary`: everything the strace `-c` table says, and what it does not — per
//! category, per process, per file or socket, errors with their most frequent arguments, latency
//! percentiles and the call rate over time.
//!
//! [`Summary`] is a [`Sink`]: it reads the event stream once, live or from a file, and keeps
//! state proportional to the number of distinct syscalls, tasks, files and error keys, never to
//! the number of events.

use std::collections::HashMap;
use std::io;

use sysgate_event::{
    Phase, SignalEvent, Sink, SyscallEvent, TaskChange, TaskEvent, Value, ValuesRead, ValuesReadFn,
};
use sysgate_kb::{Arch, Category, Syscall};

use crate::advise::threads::ThreadCall;
use crate::calls::{file_read, file_write, opens};
use crate::hist::Histogram;
use crate::sources::Recording;

mod json;
mod recordings;
mod text;

use self::recordings::RecStats;

/// Distinct failing arguments remembered per (syscall, errno).
const MAX_ERROR_ARGS: usize = 64;
/// Distinct files and sockets remembered.
const MAX_FILES: usize = 100_000;

/// Sections of the report, in print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// One row per recording (several recordings): host, boot, command, start, duration,
    /// calls, errors, time.
    Recordings,
    /// One row per host (recordings from several hosts), with its top syscall.
    Hosts,
    /// The strace `-c` table.
    Syscalls,
    /// Calls and time per category.
    Categories,
    /// Calls and time per process and thread.
    Processes,
    /// Opens, reads, writes and bytes per file or socket.
    Files,
    /// Failures by syscall and errno, with the most frequent arguments.
    Errors,
    /// p50/p90/p99/max per syscall.
    Latency,
    /// Calls per second over time.
    Rate,
    /// Threads per process and the inferred threading model, with its evidence.
    Threads,
    /// The program's call sites by calls and time (recordings made with `-k`).
    Callsites,
}

impl Section {
    /// Every section.
    pub const ALL: [Section; 11] = [
        Section::Recordings,
        Section::Hosts,
        Section::Syscalls,
        Section::Categories,
        Section::Processes,
        Section::Threads,
        Section::Files,
        Section::Errors,
        Section::Latency,
        Section::Rate,
        Section::Callsites,
    ];

    /// The name used on the command line and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Section::Recordings => "recordings",
            Section::Hosts => "hosts",
            Section::Syscalls => "syscalls",
            Section::Categories => "categories",
            Section::Processes => "processes",
            Section::Files => "files",
            Section::Errors => "errors",
            Section::Latency => "latency",
            Section::Rate => "rate",
            Section::Threads => "threads",
            Section::Callsites => "callsites",
        }
    }

    /// Parses a section name.
    pub fn parse(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// Sort order of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Total time, largest first (strace's default).
    #[default]
    Time,
    /// Calls, most first.
    Calls,
    /// Errors, most first.
    Errors,
    /// Name, alphabetical.
    Name,
}

impl SortKey {
    /// Parses `time`, `calls`, `errors`, `name`.
    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s {
            "time" => SortKey::Time,
            "calls" => SortKey::Calls,
            "errors" => SortKey::Errors,
            "name" => SortKey::Name,
            _ => return None,
        })
    }
}

/// One (process, syscall) row of statistics aggregated outside the summary.
#[derive(Debug, Clone, Copy)]
pub struct Aggregate<'a> {
    /// Process id.
    pub pid: u32,
    /// Syscall number.
    pub nr: u32,
    /// Calls.
    pub calls: u64,
    /// Calls that failed.
    pub errors: u64,
    /// Total time in the calls.
    pub total_ns: u64,
    /// Longest call.
    pub max_ns: u64,
    /// Calls by duration, bucket i holding [2^i, 2^(i+1)) ns.
    pub log2_hist: &'a [u64],
}

#[derive(Debug, Clone, Default)]
struct SysStats {
    calls: u64,
    errors: u64,
    total_ns: u64,
    hist: Histogram,
}

#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    calls: u64,
    errors: u64,
    total_ns: u64,
}

#[derive(Debug, Clone, Default)]
struct TaskStats {
    pid: u32,
    calls: u64,
    total_ns: u64,
}

#[derive(Debug, Clone, Default)]
struct FileStats {
    opens: u64,
    reads: u64,
    writes: u64,
    bytes_in: u64,
    bytes_out: u64,
    errors: u64,
    /// fsync, fdatasync and sync_file_range calls on it.
    flushes: u64,
}

#[derive(Debug, Clone, Default)]
struct ErrorStats {
    count: u64,
    args: HashMap<String, u64>,
}

use sysgate_event::fxhash::FxMap;
use sysgate_event::syscall_map::SyscallMap;

/// The whole summary; feed it events, then render it.
///
/// Several recordings can be fed one after the other, each announced with
/// [`Summary::begin_recording`]: the tables add up, while processes, threads and descriptors are
/// kept per run (the `run` of the recording: pids collide across hosts), and the call rate is
/// counted from each run's first call.
#[derive(Debug, Default)]
pub struct Summary {
    /// (ABI, syscall number) → index into `syscalls`.
    syscall_ids: SyscallMap<u32>,
    syscalls: Vec<SyscallSlot>,
    /// (run, tid) → what the thread did.
    tasks: FxMap<(u32, u32), TaskStats>,
    /// (run, pid) → command.
    comm: FxMap<(u32, u32), String>,
    /// (run, pid, fd) → index into `files`.
    fds: FxMap<(u32, u32, i32), u32>,
    files: Vec<(String, FileStats)>,
    file_ids: HashMap<String, u32>,
    errors: FxMap<(Arch, u32, u32), ErrorStats>,
    /// Threading-model evidence per run (only when the threads section is wanted).
    threads: Option<Vec<crate::advise::threads::Threads>>,
    per_second: Vec<u64>,
    /// Call site label → calls, time and calls per syscall (with `-k` stacks).
    sites: HashMap<String, SiteStats>,
    /// The first call of the current run.
    first_ts: Option<u64>,
    /// The first call of each run seen so far.
    run_starts: FxMap<u32, u64>,
    /// The end of the latest-ending call, in ns from its run's first call.
    end_ns: u64,
    signals: u64,
    /// The run the events belong to now (0 without [`Summary::begin_recording`]).
    run: u32,
    /// Each run's label, by run number.
    run_labels: Vec<String>,
    /// The recordings fed, with their own totals.
    recordings: Vec<RecStats>,
    /// Calls were counted, not timed (`--counts-only`): the tables leave time out.
    untimed: bool,
}

/// What the summary keeps per (ABI, syscall number), found with one lookup per call: the
/// syscall's statistics, and what its name means to the other tables, worked out once. The
/// categories table is the sum of these by category, so it is not kept per call.
#[derive(Debug)]
struct SyscallSlot {
    arch: Arch,
    nr: u32,
    stats: SysStats,
    category: Category,
    /// What it does to the file table.
    role: Role,
    /// What it shows of a threading model.
    thread_call: ThreadCall,
}

/// What one call site did.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteStats {
    pub(crate) calls: u64,
    pub(crate) total_ns: u64,
    pub(crate) by_syscall: HashMap<String, u64>,
}

/// What a syscall means for the file table and the per-file counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Socket,
    Accept,
    Pipe,
    SocketPair,
    Dup,
    Fcntl,
    Close,
    Fork,
    Clone,
    Exec,
    Read,
    Write,
    Flush,
    Other,
}

fn role_of(name: &str) -> Role {
    match name {
        opens!() => Role::Open,
        "socket" => Role::Socket,
        "accept" | "accept4" => Role::Accept,
        "pipe" | "pipe2" => Role::Pipe,
        "socketpair" => Role::SocketPair,
        "dup" | "dup2" | "dup3" => Role::Dup,
        "fcntl" => Role::Fcntl,
        "close" => Role::Close,
        "fork" | "vfork" | "clone3" => Role::Fork,
        "clone" => Role::Clone,
        "execve" | "execveat" => Role::Exec,
        file_read!() | "recvfrom" | "recvmsg" => Role::Read,
        file_write!() | "sendto" | "sendmsg" => Role::Write,
        "fsync" | "fdatasync" | "sync_file_range" => Role::Flush,
        _ => Role::Other,
    }
}

fn std_name(fd: i32) -> String {
    match fd {
        0 => "<stdin>".into(),
        1 => "<stdout>".into(),
        2 => "<stderr>".into(),
        n => format!("<fd {n}>"),
    }
}

fn first_text(ev: &SyscallEvent) -> Option<String> {
    ev.decoded.iter().find_map(|v| match v {
        Value::Str { bytes, truncated } => {
            let mut s = String::from_utf8_lossy(ev.slice(*bytes)).into_owned();
            if *truncated {
                s.push_str("...");
            }
            Some(s)
        }
        Value::FdPath { path, .. } => Some(String::from_utf8_lossy(ev.slice(*path)).into_owned()),
        _ => None,
    })
}

/// `a/./b/../c` → `a/c`, lexically (the path as the call named it, not following links).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Summary {
    /// An empty summary.
    pub fn new() -> Summary {
        Summary::default()
    }

    /// An empty summary that also infers each process's threading model (the `threads`
    /// section), at some cost per event.
    pub fn with_threads() -> Summary {
        Summary {
            threads: Some(vec![Default::default()]),
            ..Summary::default()
        }
    }

    /// Marks the summary as made of counts without times (`--counts-only`): the text tables
    /// drop their time columns (the syscall table takes strace's `-U calls,errors,name`
    /// layout) and the JSON document says `"timed": false`.
    pub fn set_untimed(&mut self) {
        self.untimed = true;
    }

    /// Announces that the events that follow come from `rec`, part of run number `run` (runs
    /// are numbered from 0; the segments of one rotated capture share one run and come in
    /// order) labelled `label`. Processes and descriptors are kept apart per run; the
    /// `recordings` and `hosts` sections count per recording and per host.
    pub fn begin_recording(&mut self, run: u32, label: &str, rec: Recording) {
        if let Some(first) = self.first_ts {
            self.run_starts.insert(self.run, first);
        }
        self.run = run;
        self.first_ts = self.run_starts.get(&run).copied();
        let i = run as usize;
        if self.run_labels.len() <= i {
            self.run_labels.resize(i + 1, String::new());
        }
        self.run_labels[i] = label.to_string();
        if let Some(t) = &mut self.threads
            && t.len() <= i
        {
            t.resize_with(i + 1, Default::default);
        }
        self.recordings.push(RecStats::new(rec, run));
    }

    /// Runs fed (at least 1).
    fn run_count(&self) -> usize {
        self.run_labels.len().max(1)
    }

    /// The label of run `run` when there are several, for the per-process rows.
    fn run_label(&self, run: u32) -> Option<&str> {
        (self.run_count() > 1).then(|| self.run_labels[run as usize].as_str())
    }

    /// The command of (run, pid), when known.
    fn command(&self, run: u32, pid: u32) -> Option<&String> {
        self.comm.get(&(run, pid))
    }

    /// Call sites with what they did, by time (or calls with [`SortKey::Calls`]).
    pub(crate) fn site_rows(&self, sort: SortKey) -> Vec<(&String, &SiteStats)> {
        let mut rows: Vec<_> = self.sites.iter().collect();
        rows.sort_by(|a, b| match sort {
            SortKey::Calls | SortKey::Errors => b.1.calls.cmp(&a.1.calls).then(a.0.cmp(b.0)),
            SortKey::Name => a.0.cmp(b.0),
            SortKey::Time => b.1.total_ns.cmp(&a.1.total_ns).then(a.0.cmp(b.0)),
        });
        rows
    }

    /// The syscalls of a call site, most frequent first: `write×3000, fsync×3`.
    pub(crate) fn site_calls(st: &SiteStats) -> String {
        let mut v: Vec<_> = st.by_syscall.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .take(4)
            .map(|(n, c)| format!("{n}×{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn name_of(arch: Arch, nr: u32) -> String {
        match sysgate_kb::lookup(arch, u64::from(nr)) {
            Some(s) if arch == Arch::native() => s.name.to_string(),
            Some(s) => format!("{arch}:{}", s.name),
            None => format!("syscall_{nr:#x}"),
        }
    }

    /// The file an open names, resolved: an absolute path as it is; a relative one against the
    /// directory fd it is relative to (a file the summary knows) or the working directory `-y`
    /// recorded with `AT_FDCWD`; as given when neither is known. So `openat(5, "__pycache__")`
    /// in two directories are two files, not one.
    fn open_label(&self, pid: u32, ev: &SyscallEvent) -> Option<String> {
        let (idx, path) = ev.decoded.iter().enumerate().find_map(|(i, v)| match v {
            Value::Str { bytes, truncated } => {
                let mut s = String::from_utf8_lossy(ev.slice(*bytes)).into_owned();
                if *truncated {
                    s.push_str("...");
                }
                Some((i, s))
            }
            _ => None,
        })?;
        if path.starts_with('/') {
            return Some(normalize(&path));
        }
        let base = match ev.decoded.first() {
            _ if idx == 0 => None,
            Some(Value::FdPath { path: dir, .. }) => {
                Some(String::from_utf8_lossy(ev.slice(*dir)).into_owned())
            }
            Some(Value::DirFd(fd) | Value::Fd(fd)) if *fd >= 0 => self
                .fds
                .get(&(self.run, pid, *fd))
                .map(|&id| self.files[id as usize].0.clone()),
            _ => None,
        };
        match base {
            Some(b) if b.starts_with('/') => Some(normalize(&format!("{b}/{path}"))),
            _ => Some(path),
        }
    }

    /// The file numbered for `label`, created on first sight (up to `MAX_FILES`).
    fn file_id(&mut self, label: String) -> Option<u32> {
        if let Some(&id) = self.file_ids.get(&label) {
            return Some(id);
        }
        if self.files.len() >= MAX_FILES {
            return None;
        }
        let id = self.files.len() as u32;
        self.files.push((label.clone(), FileStats::default()));
        self.file_ids.insert(label, id);
        Some(id)
    }

    /// The file behind (pid, fd); an fd never seen opened is named after its number and
    /// remembered, so later calls on it cost one lookup.
    fn fd_file(&mut self, pid: u32, fd: i32) -> Option<u32> {
        if let Some(&id) = self.fds.get(&(self.run, pid, fd)) {
            return Some(id);
        }
        let id = self.file_id(std_name(fd))?;
        self.fds.insert((self.run, pid, fd), id);
        Some(id)
    }

    fn bind(&mut self, pid: u32, fd: i32, label: String) {
        if let Some(id) = self.file_id(label) {
            self.fds.insert((self.run, pid, fd), id);
        }
    }

    fn track_files(&mut self, ev: &SyscallEvent, role: Role) {
        let pid = ev.pid;
        let run = self.run;
        let ok = !ev.is_error && ev.ret >= 0;
        let fd0 = ev.args[0] as u32 as i32;
        match role {
            Role::Open => {
                let label = self.open_label(pid, ev).unwrap_or_else(|| "?".into());
                if let Some(id) = self.file_id(label) {
                    if ok {
                        self.fds.insert((run, pid, ev.ret as i32), id);
                    }
                    let f = &mut self.files[id as usize].1;
                    f.opens += 1;
                    f.errors += u64::from(!ok);
                }
            }
            Role::Socket | Role::Accept if ok => {
                let label = match ev.ret_path {
                    Some(p) => String::from_utf8_lossy(ev.slice(p)).into_owned(),
                    None if role == Role::Socket => format!("socket (pid {pid}, fd {})", ev.ret),
                    None => format!("connection (pid {pid}, fd {})", ev.ret),
                };
                self.bind(pid, ev.ret as i32, label);
            }
            Role::Pipe | Role::SocketPair if ok => {
                if let Some(Value::FdPair(a, b)) =
                    ev.decoded.iter().find(|v| matches!(v, Value::FdPair(..)))
                {
                    let kind = if role == Role::SocketPair {
                        "socketpair"
                    } else {
                        "pipe"
                    };
                    let (a, b) = (*a, *b);
                    self.bind(pid, a, format!("{kind} (pid {pid}, fd {a})"));
                    self.bind(pid, b, format!("{kind} (pid {pid}, fd {b})"));
                }
            }
            Role::Dup if ok => {
                if let Some(id) = self.fd_file(pid, fd0) {
                    self.fds.insert((run, pid, ev.ret as i32), id);
                }
            }
            Role::Fcntl if ok && matches!(ev.args[1], 0 | 1030) => {
                if let Some(id) = self.fd_file(pid, fd0) {
                    self.fds.insert((run, pid, ev.ret as i32), id);
                }
            }
            Role::Close if ok => {
                self.fds.remove(&(run, pid, fd0));
            }
            Role::Fork | Role::Clone if ok && ev.ret > 0 => {
                let child = ev.ret as u32;
                let thread = role == Role::Clone && ev.args[0] & 0x10000 != 0;
                if !thread && child != pid {
                    let inherited: Vec<(i32, u32)> = self
                        .fds
                        .iter()
                        .filter(|((r, p, _), _)| (*r, *p) == (run, pid))
                        .map(|((_, _, fd), id)| (*fd, *id))
                        .collect();
                    for (fd, id) in inherited {
                        self.fds.insert((run, child, fd), id);
                    }
                    if let Some(c) = self.comm.get(&(run, pid)).cloned() {
                        self.comm.entry((run, child)).or_insert(c);
                    }
                }
            }
            Role::Exec if ok => {
                if let Some(path) = first_text(ev) {
                    self.comm.insert((run, pid), basename(&path).to_string());
                }
            }
            Role::Read | Role::Write => {
                if let Some(id) = self.fd_file(pid, fd0) {
                    let f = &mut self.files[id as usize].1;
                    let bytes = if ok { ev.ret as u64 } else { 0 };
                    if role == Role::Read {
                        f.reads += 1;
                        f.bytes_in += bytes;
                    } else {
                        f.writes += 1;
                        f.bytes_out += bytes;
                    }
                    f.errors += u64::from(!ok);
                }
            }
            Role::Flush => {
                if let Some(id) = self.fd_file(pid, fd0) {
                    let f = &mut self.files[id as usize].1;
                    f.flushes += 1;
                    f.errors += u64::from(!ok);
                }
            }
            _ => {}
        }
    }

    /// Adds one completed syscall.
    pub fn add(&mut self, ev: &SyscallEvent) {
        let first = *self.first_ts.get_or_insert(ev.ts_ns);
        self.end_ns = self
            .end_ns
            .max((ev.ts_ns + ev.duration_ns).saturating_sub(first));
        let id = self.syscall_id(ev.arch, ev.nr, ev.syscall);
        if let Some(r) = self.recordings.last_mut() {
            r.add(ev, id);
        }
        let second = (ev.ts_ns.saturating_sub(first) / 1_000_000_000) as usize;
        if second < 366 * 86_400 {
            if self.per_second.len() <= second {
                self.per_second.resize(second + 1, 0);
            }
            self.per_second[second] += 1;
        }
        if let Some(site) = crate::callsite::site_label(&ev.stack) {
            let st = self.sites.entry(site).or_default();
            st.calls += 1;
            st.total_ns += ev.duration_ns;
            *st.by_syscall.entry(ev.name().into_owned()).or_default() += 1;
        }
        let slot = &mut self.syscalls[id];
        let (role, thread_call) = (slot.role, slot.thread_call);
        let s = &mut slot.stats;
        s.calls += 1;
        s.errors += u64::from(ev.is_error);
        s.total_ns += ev.duration_ns;
        s.hist.record(ev.duration_ns);
        let t = self.tasks.entry((self.run, ev.tid)).or_default();
        t.pid = ev.pid;
        t.calls += 1;
        t.total_ns += ev.duration_ns;
        if let Some(errno) = ev.errno() {
            let e = self.errors.entry((ev.arch, ev.nr, errno)).or_default();
            e.count += 1;
            if let Some(arg) = first_text(ev) {
                if e.args.len() < MAX_ERROR_ARGS || e.args.contains_key(&arg) {
                    *e.args.entry(arg).or_default() += 1;
                } else {
                    *e.args.entry("(other arguments)".into()).or_default() += 1;
                }
            }
        }
        if let (Some(t), Some(_)) = (&mut self.threads, ev.syscall) {
            t[self.run as usize].call(ev, thread_call);
        }
        if role != Role::Other {
            self.track_files(ev, role);
        }
    }

    /// The index in `syscalls` of (`arch`, `nr`), which is `syscall` (`None` when the knowledge
    /// base does not know the number), made on first sight.
    fn syscall_id(&mut self, arch: Arch, nr: u32, syscall: Option<&'static Syscall>) -> usize {
        let next = self.syscalls.len() as u32;
        let id = *self.syscall_ids.get_or_insert_with(arch as u8, nr, || next);
        if id == next {
            self.syscalls.push(SyscallSlot {
                arch,
                nr,
                stats: SysStats::default(),
                category: syscall.map_or(Category::Other, |s| s.category),
                role: syscall.map_or(Role::Other, |s| role_of(s.name)),
                thread_call: syscall.map_or(ThreadCall::Other, |s| ThreadCall::of(s.name)),
            });
        }
        id as usize
    }

    /// Adds statistics aggregated elsewhere (the eBPF backend's in-kernel table). Durations
    /// come as a log2 histogram; each bucket counts at its geometric middle (√2 × its lower
    /// bound), capped by the exact maximum, so percentiles are within a factor of √2.
    pub fn add_aggregate(&mut self, arch: Arch, a: Aggregate<'_>) {
        if a.calls == 0 {
            return;
        }
        let id = self.syscall_id(arch, a.nr, sysgate_kb::lookup(arch, u64::from(a.nr)));
        if let Some(r) = self.recordings.last_mut() {
            r.add_counts(id, a.calls, a.errors, a.total_ns);
        }
        let s = &mut self.syscalls[id].stats;
        s.calls += a.calls;
        s.errors += a.errors;
        s.total_ns += a.total_ns;
        for (i, &n) in a.log2_hist.iter().enumerate() {
            let mid = if i == 0 {
                1
            } else {
                ((1u64 << i) as f64 * std::f64::consts::SQRT_2) as u64
            };
            s.hist.record_n(mid.min(a.max_ns), n);
        }
        s.hist.raise_max(a.max_ns);
        let t = self.tasks.entry((self.run, a.pid)).or_default();
        t.pid = a.pid;
        t.calls += a.calls;
        t.total_ns += a.total_ns;
    }

    /// Completed syscalls seen.
    pub fn calls(&self) -> u64 {
        self.syscalls.iter().map(|s| s.stats.calls).sum()
    }

    /// Calls, errors and time per category, as rows named by category.
    fn category_rows(&self, sort: SortKey) -> Vec<(String, Totals)> {
        let mut by_category: FxMap<Category, Totals> = FxMap::default();
        for slot in &self.syscalls {
            let c = by_category.entry(slot.category).or_default();
            c.calls += slot.stats.calls;
            c.errors += slot.stats.errors;
            c.total_ns += slot.stats.total_ns;
        }
        let mut rows: Vec<(String, Totals)> = by_category
            .into_iter()
            .map(|(c, t)| (c.name().to_string(), t))
            .collect();
        Summary::sorted(&mut rows, sort, |t| (t.total_ns, t.calls, t.errors));
        rows
    }

    fn sorted<T>(rows: &mut [(String, T)], key: SortKey, f: impl Fn(&T) -> (u64, u64, u64)) {
        rows.sort_by(|a, b| {
            let (ta, ca, ea) = f(&a.1);
            let (tb, cb, eb) = f(&b.1);
            match key {
                SortKey::Time => tb.cmp(&ta).then(cb.cmp(&ca)),
                SortKey::Calls => cb.cmp(&ca).then(tb.cmp(&ta)),
                SortKey::Errors => eb.cmp(&ea).then(cb.cmp(&ca)),
                SortKey::Name => std::cmp::Ordering::Equal,
            }
            .then(a.0.cmp(&b.0))
        });
    }

    fn syscall_rows(&self, sort: SortKey) -> Vec<(String, SysStats)> {
        let mut merged: HashMap<String, SysStats> = HashMap::new();
        for slot in &self.syscalls {
            let s = &slot.stats;
            let m = merged
                .entry(Summary::name_of(slot.arch, slot.nr))
                .or_default();
            m.calls += s.calls;
            m.errors += s.errors;
            m.total_ns += s.total_ns;
            m.hist.merge(&s.hist);
        }
        let mut rows: Vec<(String, SysStats)> = merged.into_iter().collect();
        Summary::sorted(&mut rows, sort, |s| (s.total_ns, s.calls, s.errors));
        rows
    }

    fn process_rows(&self, sort: SortKey) -> Vec<(String, TaskStats)> {
        let mut rows: Vec<(String, TaskStats)> = self
            .tasks
            .iter()
            .map(|(&(run, tid), t)| {
                let comm = self.command(run, t.pid).map_or("?", String::as_str);
                let mut label = if tid == t.pid {
                    format!("{comm} [{tid}]")
                } else {
                    format!("{comm} [{}/{tid}]", t.pid)
                };
                if let Some(run) = self.run_label(run) {
                    label = format!("{run}: {label}");
                }
                (label, t.clone())
            })
            .collect();
        Summary::sorted(&mut rows, sort, |t| (t.total_ns, t.calls, 0));
        rows
    }

    fn file_rows(&self, sort: SortKey) -> Vec<(String, FileStats)> {
        let mut rows: Vec<(String, FileStats)> = self.files.clone();
        Summary::sorted(&mut rows, sort, |f| {
            (
                f.bytes_in + f.bytes_out,
                f.opens + f.reads + f.writes,
                f.errors,
            )
        });
        rows
    }

    fn error_rows(&self) -> Vec<(String, String, &ErrorStats)> {
        let mut rows: Vec<(String, String, &ErrorStats)> = self
            .errors
            .iter()
            .map(|(&(arch, nr, errno), e)| {
                let ename = sysgate_kb::symbols::errno(errno)
                    .map_or_else(|| format!("E{errno}"), |e| e.name.to_string());
                (Summary::name_of(arch, nr), ename, e)
            })
            .collect();
        rows.sort_by(|a, b| {
            b.2.count
                .cmp(&a.2.count)
                .then(a.0.cmp(&b.0))
                .then(a.1.cmp(&b.1))
        });
        rows
    }

    fn top_args(e: &ErrorStats, n: usize) -> Vec<(&str, u64)> {
        let mut v: Vec<(&str, u64)> = e.args.iter().map(|(k, c)| (k.as_str(), *c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    /// The thread model of each process, with the label of its run when there are several.
    pub(crate) fn thread_models(&self) -> Vec<(Option<&str>, crate::advise::ThreadModel)> {
        let Some(per_run) = &self.threads else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (run, t) in per_run.iter().enumerate() {
            let run = run as u32;
            let exe = |pid| {
                self.command(run, pid)
                    .cloned()
                    .unwrap_or_else(|| "?".into())
            };
            out.extend(
                t.models_named(&exe)
                    .into_iter()
                    .map(|m| (self.run_label(run), m)),
            );
        }
        out
    }

    /// From the first call to the end of the last; with several runs, the longest run.
    fn duration_s(&self) -> f64 {
        self.end_ns as f64 / 1e9
    }
}

impl Sink for Summary {
    /// The values of failed calls name their arguments in the errors section; of the calls that
    /// succeed, only those that name a file or make descriptors are looked into (`track_files`).
    fn values_read(&self) -> ValuesReadFn {
        |syscall| match syscall.map(|s| role_of(s.name)) {
            Some(Role::Open | Role::Exec | Role::Pipe | Role::SocketPair) => ValuesRead::All,
            _ => ValuesRead::Failed,
        }
    }

    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        if ev.phase == Phase::Completed {
            self.add(ev);
        }
        Ok(())
    }

    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        self.signals += 1;
        Ok(())
    }

    /// Aggregate records of a recording (`record --aggregates-only`) count as the kernel's
    /// statistics do live.
    fn aggregate(&mut self, ev: &sysgate_event::AggregateEvent) -> io::Result<()> {
        if ev.calls > 0 {
            let first = *self.first_ts.get_or_insert(ev.start_ns);
            self.end_ns = self.end_ns.max(ev.end_ns.saturating_sub(first));
        }
        self.add_aggregate(
            ev.arch,
            Aggregate {
                pid: ev.pid,
                nr: ev.nr,
                calls: ev.calls,
                errors: ev.errors,
                total_ns: ev.total_ns,
                max_ns: ev.max_ns,
                log2_hist: &ev.log2_hist,
            },
        );
        Ok(())
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        let run = self.run;
        if let Some(comm) = ev.change.comm() {
            self.comm.entry((run, ev.pid)).or_insert(comm);
        }
        if let TaskChange::Exited(_) | TaskChange::Killed { .. } = ev.change
            && ev.pid == ev.tid
        {
            self.fds.retain(|(r, p, _), _| (*r, *p) != (run, ev.pid));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sysgate_event::Bytes;

    fn ev(
        name: &str,
        args: [u64; 6],
        ret: i64,
        path: Option<&str>,
        dur: u64,
        ts: u64,
    ) -> SyscallEvent {
        let mut e = SyscallEvent::new();
        e.syscall = sysgate_kb::by_name(name);
        e.arch = Arch::X86_64;
        e.nr = sysgate_kb::number(Arch::X86_64, name).unwrap();
        e.pid = 10;
        e.tid = 10;
        e.args = args;
        e.ret = ret;
        e.is_error = ret < 0;
        e.duration_ns = dur;
        e.ts_ns = ts;
        e.phase = Phase::Completed;
        if let Some(p) = path {
            e.bytes.extend_from_slice(p.as_bytes());
            e.decoded.push(Value::DirFd(-100));
            e.decoded.push(Value::Str {
                bytes: Bytes {
                    start: 0,
                    len: p.len() as u32,
                },
                truncated: false,
            });
        }
        e
    }

    #[test]
    fn relative_opens_are_resolved_against_their_directory_fd() {
        let mut s = Summary::new();
        let open_at = |dirfd: i32, path: &str, ret: i64| {
            let mut e = ev(
                "openat",
                [dirfd as u64, 0, 0, 0, 0, 0],
                ret,
                Some(path),
                10,
                1,
            );
            e.decoded[0] = Value::DirFd(dirfd);
            e
        };
        s.add(&open_at(-100, "/srv/a", 3));
        s.add(&open_at(3, "__pycache__", 4));
        s.add(&open_at(-100, "/srv/b/./c/..", 5));
        s.add(&open_at(5, "__pycache__", 6));
        s.add(&open_at(-100, "relative/name", 7));
        let text = s.render(&[Section::Files], SortKey::Name, None);
        for want in [
            "/srv/a/__pycache__",
            "/srv/b/__pycache__",
            "/srv/b",
            "relative/name",
        ] {
            assert!(
                text.lines().any(|l| l.ends_with(&format!("  {want}"))),
                "{want} missing:\n{text}"
            );
        }
    }

    #[test]
    fn files_errors_and_rates() {
        let mut s = Summary::new();
        let sec = 1_000_000_000;
        s.add(&ev("openat", [0; 6], 3, Some("/data/app.log"), 1000, sec));
        for i in 0..10 {
            s.add(&ev("write", [3, 0, 12, 0, 0, 0], 12, None, 100, sec + i));
        }
        for i in 0..900 {
            s.add(&ev(
                "openat",
                [0; 6],
                -2,
                Some("/usr/lib/libfoo.so"),
                50,
                2 * sec + i,
            ));
        }
        s.add(&ev("fdatasync", [3, 0, 0, 0, 0, 0], 0, None, 100, 3 * sec));
        s.add(&ev("fsync", [3, 0, 0, 0, 0, 0], 0, None, 100, 3 * sec));
        s.add(&ev("read", [0, 0, 10, 0, 0, 0], 5, None, 100, 3 * sec));
        s.add(&ev("close", [3, 0, 0, 0, 0, 0], 0, None, 10, 3 * sec));
        let text = s.render(&Section::ALL, SortKey::Time, None);
        // Each table under its heading; the flushes of the file counted.
        assert!(text.starts_with("=== syscalls ===\n"), "{text}");
        assert!(text.contains("\n=== files and sockets ===\n"), "{text}");
        let cut = s.render(&[Section::Syscalls], SortKey::Time, Some(2));
        assert!(
            !cut.contains("==="),
            "the -c table alone has no heading: {cut}"
        );
        assert!(cut.contains("… 4 more syscalls (see --top)"), "{cut}");
        assert!(text.contains("/data/app.log"), "{text}");
        let log = text
            .lines()
            .find(|l| l.ends_with("  /data/app.log"))
            .unwrap();
        let cols: Vec<&str> = log.split_whitespace().collect();
        assert_eq!(
            &cols[..8],
            &["1", "0", "10", "0", "120", "12", "2", "0"],
            "{log}"
        );
        assert!(
            text.lines()
                .any(|l| l.ends_with("<stdin>") && l.contains(" 5 ")),
            "{text}"
        );
        let err = text.lines().find(|l| l.contains("ENOENT")).unwrap();
        assert!(
            err.contains("900") && err.contains("\"/usr/lib/libfoo.so\" ×900"),
            "{err}"
        );
        let j = s.to_json(&Section::ALL, SortKey::Calls, Some(1));
        assert_eq!(j["syscalls"][0]["syscall"], "openat");
        assert_eq!(j["syscalls"][0]["calls"], 901);
        assert_eq!(j["rate"]["per_second"], json!([11, 900, 4]));
        assert_eq!(j["errors"][0]["top_args"][0]["count"], 900);
    }
}
