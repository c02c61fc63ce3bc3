//! What every rule needs to know about the traced programs and that no single event says: which
//! file or socket an fd refers to (with its open flags), which process forked which, and what a
//! process runs. The [`Ctx`] is updated once per event, before the rules see the event.
//!
//! State is proportional to the number of open fds, processes and distinct labels, never to
//! the number of events; every map has a cap.

use std::collections::HashMap;

use sysgate_event::{SyscallEvent, Value};
use sysgate_kb::{ArgType, RetType};

use super::cost::CostModel;
use crate::calls::opens;

/// Most distinct labels (paths, socket names) kept; later ones share one "(other)" label.
const MAX_LABELS: usize = 200_000;
/// Most fd-table entries kept over all processes.
const MAX_FDS: usize = 500_000;
/// Most processes remembered.
const MAX_PROCS: usize = 100_000;
/// Fds remembered as closed by a child before its parent's fork returned.
const MAX_EARLY_CLOSED: usize = 64;

/// `O_APPEND`.
pub const O_APPEND: u64 = 0o2000;
/// `O_CLOEXEC` (also `SOCK_CLOEXEC`, `EPOLL_CLOEXEC`, `EFD_CLOEXEC`, `TFD_CLOEXEC`, `IN_CLOEXEC`).
pub const O_CLOEXEC: u64 = 0o2000000;
/// `O_NONBLOCK` (also `SOCK_NONBLOCK`).
pub const O_NONBLOCK: u64 = 0o4000;
/// `O_ACCMODE`.
const O_ACCMODE: u64 = 3;
/// `O_DIRECTORY`.
const O_DIRECTORY: u64 = 0o200000;
/// `CLONE_THREAD`.
pub const CLONE_THREAD: u64 = 0x10000;
/// `AT_FDCWD`.
const AT_FDCWD: i32 = -100;

/// What an fd refers to, as far as the trace tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FdKind {
    /// A path that is not a device, /proc or /sys: a regular file as far as sysgate knows.
    File,
    /// A directory (opened with `O_DIRECTORY`).
    Dir,
    /// A character or block device under /dev (`/dev/null`, a terminal).
    Device,
    /// A file under /proc or /sys: contents made up on each read.
    Virtual,
    /// A stream socket (TCP, unix stream, seqpacket).
    StreamSocket,
    /// A datagram socket (UDP, unix datagram).
    DgramSocket,
    /// A socket of unknown type (inherited, or `-y` said `socket:[…]`).
    Socket,
    /// One end of a pipe or FIFO.
    Pipe,
    /// epoll, eventfd, timerfd, signalfd, inotify, memfd, pidfd and the like.
    Special,
    /// Inherited from before the trace started, nothing else known.
    Unknown,
}

impl FdKind {
    /// True for sockets of any type.
    pub fn is_socket(self) -> bool {
        matches!(
            self,
            FdKind::StreamSocket | FdKind::DgramSocket | FdKind::Socket
        )
    }
}

/// One open fd of one process.
#[derive(Debug, Clone, Copy)]
pub struct FdEntry {
    /// What it refers to ([`Ctx::label`]).
    pub label: u32,
    /// Its kind.
    pub kind: FdKind,
    /// The open file description: shared by `dup` and `fork`, new for every open.
    pub uid: u64,
    /// Close-on-exec is set.
    pub cloexec: bool,
    /// Opened with `O_APPEND` (or set by `fcntl(F_SETFL)`).
    pub append: bool,
    /// Opened for writing.
    pub writable: bool,
    /// Non-blocking (`O_NONBLOCK`, `SOCK_NONBLOCK`).
    pub nonblock: bool,
    /// Opened during the trace (so its flags are known), not inherited from before it.
    pub known: bool,
    /// When it was opened (or first seen).
    pub opened_ns: u64,
    /// The process that created it (0 until it is in a table); children that inherit it
    /// through fork keep the creator's pid.
    pub opener: u32,
}

/// One traced process (thread group).
#[derive(Debug, Clone, Default)]
pub struct Proc {
    /// The parent, once its fork/clone returned.
    pub parent: Option<u32>,
    /// The program it runs: the last successful execve's path ([`Ctx::label`]).
    pub exe: Option<u32>,
    /// First seen (fork return or first event).
    pub start_ns: u64,
    /// Last successful execve.
    pub exec_ns: Option<u64>,
    /// Completed syscalls of all its threads.
    pub calls: u64,
    /// The parent's fd table has been copied in.
    pub linked: bool,
    /// It ran execve before its parent's fork returned (vfork, posix_spawn).
    pub exec_before_link: bool,
    /// Fds it closed (or replaced with dup2) before the link.
    early_closed: Vec<i32>,
}

/// The shared state, updated before the rules see each event.
#[derive(Debug)]
pub struct Ctx {
    fds: HashMap<(u32, i32), FdEntry>,
    labels: Vec<String>,
    by_label: HashMap<String, u32>,
    procs: HashMap<u32, Proc>,
    /// Children whose parent's fork returned before the child was seen: child → parent.
    pending: HashMap<u32, u32>,
    next_uid: u64,
    /// Entries the current event removed from the table (close, dup2 over an open fd, exec).
    pub removed: Vec<(i32, FdEntry)>,
    /// Processes linked to their parent by the current event (parent's fork returned late).
    pub linked_now: Vec<u32>,
    /// First event's time.
    pub first_ns: Option<u64>,
    /// Latest event's end.
    pub last_ns: u64,
    /// Completed syscalls seen.
    pub calls: u64,
    /// Per-call costs.
    pub costs: CostModel,
}

fn std_name(fd: i32) -> String {
    match fd {
        0 => "<stdin>".into(),
        1 => "<stdout>".into(),
        2 => "<stderr>".into(),
        n => format!("<fd {n}>"),
    }
}

/// The path arguments of a call (kb type `Path`), as bytes.
pub fn paths(ev: &SyscallEvent) -> impl Iterator<Item = &[u8]> {
    let sig = ev.syscall.map(|s| s.args.as_slice()).unwrap_or_default();
    sig.iter()
        .zip(ev.decoded.iter())
        .filter_map(move |(a, v)| match (a.ty, v) {
            (ArgType::Path, Value::Str { bytes, .. }) => Some(ev.slice(*bytes)),
            _ => None,
        })
}

/// The first path argument, lossily as text.
pub fn first_path(ev: &SyscallEvent) -> Option<String> {
    paths(ev)
        .next()
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// The index of the first `Fd` argument of the call's signature.
pub fn fd_arg_index(ev: &SyscallEvent) -> Option<usize> {
    ev.syscall?
        .args
        .iter()
        .position(|a| matches!(a.ty, ArgType::Fd))
}

/// The first `Fd` argument's value.
pub fn fd_arg(ev: &SyscallEvent) -> Option<i32> {
    fd_arg_index(ev).map(|i| ev.args[i] as u32 as i32)
}

/// The `-y` path the event carries for argument `i`, if it was recorded with `-y`.
fn fd_path_value(ev: &SyscallEvent, i: usize) -> Option<String> {
    match ev.decoded.get(i) {
        Some(Value::FdPath { path, .. }) => {
            Some(String::from_utf8_lossy(ev.slice(*path)).into_owned())
        }
        _ => None,
    }
}

fn kind_of_path(path: &str, flags: u64) -> FdKind {
    if flags & O_DIRECTORY != 0 {
        FdKind::Dir
    } else if path.starts_with("/dev/") {
        FdKind::Device
    } else if path.starts_with("/proc/") || path.starts_with("/sys/") || path == "/proc" {
        FdKind::Virtual
    } else {
        FdKind::File
    }
}

/// The kind of an fd from its `-y` / `/proc/PID/fd` text.
fn kind_of_link(link: &str) -> FdKind {
    if link.starts_with("socket:") || link.starts_with("UNIX") || link.starts_with("TCP") {
        FdKind::Socket
    } else if link.starts_with("pipe:") {
        FdKind::Pipe
    } else if link.starts_with("anon_inode:") {
        FdKind::Special
    } else if link.starts_with('/') {
        kind_of_path(link, 0)
    } else {
        FdKind::Unknown
    }
}

fn sock_kind(ty: u64) -> FdKind {
    match ty & 0xf {
        1 | 5 => FdKind::StreamSocket,
        2 | 3 => FdKind::DgramSocket,
        _ => FdKind::Socket,
    }
}

fn family(domain: u64) -> &'static str {
    match domain {
        1 => "unix",
        2 => "IPv4",
        10 => "IPv6",
        16 => "netlink",
        17 => "packet",
        _ => "other",
    }
}

fn sock_type_name(ty: u64) -> &'static str {
    match ty & 0xf {
        1 => "stream",
        2 => "datagram",
        3 => "raw",
        5 => "seqpacket",
        _ => "",
    }
}

impl Ctx {
    /// An empty context using `costs`.
    pub fn new(costs: CostModel) -> Ctx {
        let mut cx = Ctx {
            fds: HashMap::new(),
            labels: Vec::new(),
            by_label: HashMap::new(),
            procs: HashMap::new(),
            pending: HashMap::new(),
            next_uid: 1,
            removed: Vec::new(),
            linked_now: Vec::new(),
            first_ns: None,
            last_ns: 0,
            calls: 0,
            costs,
        };
        cx.intern("(other)");
        cx
    }

    /// The id of `label`, adding it when there is room.
    pub fn intern(&mut self, label: &str) -> u32 {
        if let Some(&id) = self.by_label.get(label) {
            return id;
        }
        if self.labels.len() >= MAX_LABELS {
            return 0;
        }
        let id = self.labels.len() as u32;
        self.labels.push(label.to_string());
        self.by_label.insert(label.to_string(), id);
        id
    }

    /// The text of a label id.
    pub fn label(&self, id: u32) -> &str {
        self.labels.get(id as usize).map_or("?", String::as_str)
    }

    /// The id of `label` if it was seen.
    pub fn label_id(&self, label: &str) -> Option<u32> {
        self.by_label.get(label).copied()
    }

    /// The entry of `fd` in process `pid`.
    pub fn fd(&self, pid: u32, fd: i32) -> Option<&FdEntry> {
        self.fds.get(&(pid, fd))
    }

    /// `fd 3 (/var/log/app.log)`.
    pub fn describe_fd(&self, pid: u32, fd: i32) -> String {
        match self.fd(pid, fd) {
            Some(e) => format!("fd {fd} ({})", self.label(e.label)),
            None => format!("fd {fd}"),
        }
    }

    /// The open fds of `pid`.
    pub fn fds_of(&self, pid: u32) -> impl Iterator<Item = (i32, &FdEntry)> {
        self.fds
            .iter()
            .filter(move |((p, _), _)| *p == pid)
            .map(|((_, fd), e)| (*fd, e))
    }

    /// A process.
    pub fn proc(&self, pid: u32) -> Option<&Proc> {
        self.procs.get(&pid)
    }

    /// Every known process.
    pub fn procs(&self) -> impl Iterator<Item = (u32, &Proc)> {
        self.procs.iter().map(|(p, v)| (*p, v))
    }

    /// The program `pid` runs, as text (`?` when unknown).
    pub fn exe(&self, pid: u32) -> &str {
        self.procs
            .get(&pid)
            .and_then(|p| p.exe)
            .map_or("?", |l| self.label(l))
    }

    /// `pid 123 (python3)`.
    pub fn describe_pid(&self, pid: u32) -> String {
        let exe = self.exe(pid);
        if exe == "?" {
            format!("pid {pid}")
        } else {
            format!("pid {pid} ({})", exe.rsplit('/').next().unwrap_or(exe))
        }
    }

    fn uid(&mut self) -> u64 {
        self.next_uid += 1;
        self.next_uid
    }

    fn insert(&mut self, pid: u32, fd: i32, mut e: FdEntry) {
        if fd < 0 {
            return;
        }
        if e.opener == 0 {
            e.opener = pid;
        }
        if self.fds.len() >= MAX_FDS && !self.fds.contains_key(&(pid, fd)) {
            return;
        }
        if let Some(old) = self.fds.insert((pid, fd), e) {
            self.removed.push((fd, old));
        }
    }

    fn remove(&mut self, pid: u32, fd: i32) {
        if let Some(old) = self.fds.remove(&(pid, fd)) {
            self.removed.push((fd, old));
        }
        if let Some(p) = self.procs.get_mut(&pid)
            && !p.linked
            && p.early_closed.len() < MAX_EARLY_CLOSED
        {
            p.early_closed.push(fd);
        }
    }

    fn new_entry(&mut self, label: &str, kind: FdKind, ts: u64) -> FdEntry {
        let label = self.intern(label);
        FdEntry {
            label,
            kind,
            uid: self.uid(),
            cloexec: false,
            append: false,
            writable: true,
            nonblock: false,
            known: true,
            opened_ns: ts,
            opener: 0,
        }
    }

    /// Makes sure an fd used by a successful call has an entry: inherited fds (stdin, a socket
    /// passed by the parent of the traced program) are added as unknown.
    fn ensure(&mut self, ev: &SyscallEvent, i: usize) {
        let fd = ev.args[i] as u32 as i32;
        if fd < 0 || self.fds.contains_key(&(ev.pid, fd)) {
            return;
        }
        let (label, kind) = match fd_path_value(ev, i) {
            Some(link) => {
                let k = kind_of_link(&link);
                (link, k)
            }
            None => (std_name(fd), FdKind::Unknown),
        };
        let mut e = self.new_entry(&label, kind, ev.ts_ns);
        e.known = false;
        e.cloexec = true;
        self.insert(ev.pid, fd, e);
    }

    /// Names a process sysgate attached to (it made no execve in the trace).
    pub fn name_process(&mut self, pid: u32, comm: &str, ts: u64) {
        let label = self.intern(comm);
        if let Some(p) = self.proc_mut(pid, ts)
            && p.exe.is_none()
        {
            p.exe = Some(label);
        }
    }

    fn proc_mut(&mut self, pid: u32, ts: u64) -> Option<&mut Proc> {
        if !self.procs.contains_key(&pid) {
            if self.procs.len() >= MAX_PROCS {
                return None;
            }
            let mut p = Proc {
                start_ns: ts,
                ..Proc::default()
            };
            // A child seen after its parent's fork returned: inherit the parent's fds now.
            if let Some(parent) = self.pending.remove(&pid) {
                p.parent = Some(parent);
                p.linked = true;
                self.procs.insert(pid, p);
                self.copy_fds(parent, pid, false, &[]);
            } else {
                // The first process of the trace, or a child whose parent's fork has not
                // returned yet; it is linked when it does.
                p.linked = self.procs.is_empty();
                self.procs.insert(pid, p);
            }
        }
        self.procs.get_mut(&pid)
    }

    fn copy_fds(&mut self, from: u32, to: u32, drop_cloexec: bool, skip: &[i32]) {
        let inherited: Vec<(i32, FdEntry)> = self
            .fds
            .iter()
            .filter(|((p, fd), e)| *p == from && !skip.contains(fd) && !(drop_cloexec && e.cloexec))
            .map(|((_, fd), e)| (*fd, *e))
            .collect();
        for (fd, e) in inherited {
            if self.fds.len() >= MAX_FDS {
                break;
            }
            self.fds.entry((to, fd)).or_insert(e);
        }
    }

    /// A fork-like call returned `child` in `parent`. `process` is false when the call may
    /// have made a thread (`clone3`, whose flags are in memory): the child becomes a process
    /// only when an event shows it as one.
    fn forked(&mut self, parent: u32, child: u32, ts: u64, process: bool) {
        match self.procs.get_mut(&child) {
            Some(p) if !p.linked => {
                p.parent = Some(parent);
                p.linked = true;
                let skip = std::mem::take(&mut p.early_closed);
                let drop_cloexec = p.exec_before_link;
                self.copy_fds(parent, child, drop_cloexec, &skip);
                self.linked_now.push(child);
            }
            Some(_) => {}
            None => {
                if self.pending.len() < MAX_PROCS {
                    self.pending.insert(child, parent);
                }
                if process && let Some(p) = self.proc_mut(child, ts) {
                    p.start_ns = ts;
                }
            }
        }
    }

    /// Forgets a process that exited.
    pub fn process_gone(&mut self, pid: u32) {
        self.fds.retain(|(p, _), _| *p != pid);
        self.pending.remove(&pid);
    }

    /// Applies one completed syscall to the fd table and the process list.
    pub fn apply(&mut self, ev: &SyscallEvent, name: &str) {
        self.removed.clear();
        self.linked_now.clear();
        self.calls += 1;
        let first = *self.first_ns.get_or_insert(ev.ts_ns);
        let _ = first;
        self.last_ns = self.last_ns.max(ev.ts_ns + ev.duration_ns);
        // A thread of a pending clone3: it is not a new process.
        if ev.tid != ev.pid && self.pending.contains_key(&ev.tid) {
            self.pending.remove(&ev.tid);
        }
        if let Some(p) = self.proc_mut(ev.pid, ev.ts_ns) {
            p.calls += 1;
        }
        let ok = !ev.is_error && ev.ret >= 0;
        let pid = ev.pid;
        let ts = ev.ts_ns;
        if ok && let Some(i) = fd_arg_index(ev) {
            self.ensure(ev, i);
        }
        let a = ev.args;
        let fd0 = a[0] as u32 as i32;
        match name {
            opens!() if ok => {
                let path = first_path(ev).unwrap_or_else(|| "?".into());
                let path = if name == "openat" && !path.starts_with('/') {
                    let dirfd = a[0] as u32 as i32;
                    match self.fd(pid, dirfd) {
                        Some(d) if dirfd != AT_FDCWD && d.known => {
                            format!("{}/{path}", self.label(d.label).trim_end_matches('/'))
                        }
                        _ => path,
                    }
                } else {
                    path
                };
                let (flags, known) = match name {
                    "open" => (a[1], true),
                    "openat" => (a[2], true),
                    "creat" => (0o1101, true),
                    _ => (0, false),
                };
                let mut e = self.new_entry(&path, kind_of_path(&path, flags), ts);
                e.cloexec = !known || flags & O_CLOEXEC != 0;
                e.append = known && flags & O_APPEND != 0;
                e.writable = !known || flags & O_ACCMODE != 0;
                e.nonblock = known && flags & O_NONBLOCK != 0;
                self.insert(pid, ev.ret as i32, e);
            }
            "socket" if ok => {
                let label = format!(
                    "{} {} socket (pid {pid}, fd {})",
                    family(a[0]),
                    sock_type_name(a[1]),
                    ev.ret
                )
                .replace("  ", " ");
                let mut e = self.new_entry(&label, sock_kind(a[1]), ts);
                e.cloexec = a[1] & O_CLOEXEC != 0;
                e.nonblock = a[1] & O_NONBLOCK != 0;
                self.insert(pid, ev.ret as i32, e);
            }
            "accept" | "accept4" if ok => {
                let kind = self.fd(pid, fd0).map_or(FdKind::Socket, |l| l.kind);
                let label = match ev.ret_path {
                    Some(p) => String::from_utf8_lossy(ev.slice(p)).into_owned(),
                    None => format!("connection (pid {pid}, fd {})", ev.ret),
                };
                let mut e = self.new_entry(&label, kind, ts);
                let flags = if name == "accept4" { a[3] } else { 0 };
                e.cloexec = flags & O_CLOEXEC != 0;
                e.nonblock = flags & O_NONBLOCK != 0;
                self.insert(pid, ev.ret as i32, e);
            }
            "pipe" | "pipe2" | "socketpair" if ok => {
                if let Some(Value::FdPair(x, y)) =
                    ev.decoded.iter().find(|v| matches!(v, Value::FdPair(..)))
                {
                    let (x, y) = (*x, *y);
                    let (kind, flags, what) = if name == "socketpair" {
                        (
                            sock_kind(a[1]),
                            a[1],
                            format!("{} {} socketpair", family(a[0]), sock_type_name(a[1]))
                                .replace("  ", " "),
                        )
                    } else {
                        (
                            FdKind::Pipe,
                            if name == "pipe2" { a[1] } else { 0 },
                            "pipe".to_string(),
                        )
                    };
                    for fd in [x, y] {
                        let mut e =
                            self.new_entry(&format!("{what} (pid {pid}, fd {fd})"), kind, ts);
                        e.cloexec = flags & O_CLOEXEC != 0;
                        e.nonblock = flags & O_NONBLOCK != 0;
                        self.insert(pid, fd, e);
                    }
                }
            }
            "dup" | "dup2" | "dup3" if ok => {
                let new = ev.ret as i32;
                if new != fd0
                    && let Some(mut e) = self.fd(pid, fd0).copied()
                {
                    e.cloexec = name == "dup3" && a[2] & O_CLOEXEC != 0;
                    if name != "dup" {
                        self.remove(pid, new);
                    }
                    self.insert(pid, new, e);
                }
            }
            "fcntl" if ok => match a[1] {
                // F_DUPFD, F_DUPFD_CLOEXEC
                0 | 1030 => {
                    if let Some(mut e) = self.fd(pid, fd0).copied() {
                        e.cloexec = a[1] == 1030;
                        self.insert(pid, ev.ret as i32, e);
                    }
                }
                // F_SETFD
                2 => {
                    if let Some(e) = self.fds.get_mut(&(pid, fd0)) {
                        e.cloexec = a[2] & 1 != 0;
                        e.known = true;
                    }
                }
                // F_SETFL
                4 => {
                    if let Some(e) = self.fds.get_mut(&(pid, fd0)) {
                        e.append = a[2] & O_APPEND != 0;
                        e.nonblock = a[2] & O_NONBLOCK != 0;
                    }
                }
                _ => {}
            },
            // FIOCLEX, FIONCLEX
            "ioctl" if ok && matches!(a[1], 0x5451 | 0x5450) => {
                if let Some(e) = self.fds.get_mut(&(pid, fd0)) {
                    e.cloexec = a[1] == 0x5451;
                }
            }
            "close" => {
                // Linux releases the fd even when close fails with EINTR or EIO.
                if ok || ev.errno().is_some_and(|e| e != 9) {
                    self.remove(pid, fd0);
                }
            }
            "close_range" if ok => {
                let (lo, hi) = (a[0] as u32, a[1] as u32);
                let fds: Vec<i32> = self
                    .fds_of(pid)
                    .map(|(fd, _)| fd)
                    .filter(|fd| (lo..=hi).contains(&(*fd as u32)))
                    .collect();
                for fd in fds {
                    if a[2] & 4 != 0 {
                        // CLOSE_RANGE_CLOEXEC
                        if let Some(e) = self.fds.get_mut(&(pid, fd)) {
                            e.cloexec = true;
                        }
                    } else {
                        self.remove(pid, fd);
                    }
                }
            }
            "execve" | "execveat" if ok => {
                let exe = first_path(ev).map(|p| self.intern(&p));
                let linked = self.procs.get(&pid).is_some_and(|p| p.linked);
                if let Some(p) = self.procs.get_mut(&pid) {
                    p.exe = exe;
                    p.exec_ns = Some(ts);
                    if !linked {
                        p.exec_before_link = true;
                    }
                }
                let gone: Vec<i32> = self
                    .fds_of(pid)
                    .filter(|(_, e)| e.cloexec && e.known)
                    .map(|(fd, _)| fd)
                    .collect();
                for fd in gone {
                    if let Some(old) = self.fds.remove(&(pid, fd)) {
                        self.removed.push((fd, old));
                    }
                }
            }
            "fork" | "vfork" | "clone" | "clone3" if ok && ev.ret > 0 => {
                let thread = name == "clone" && a[0] & CLONE_THREAD != 0;
                let child = ev.ret as u32;
                if !thread && child != pid {
                    self.forked(pid, child, ts, name != "clone3");
                }
            }
            _ => {
                // Any other call that returns a new fd: epoll, eventfd, timerfd, memfd, pidfd…
                if ok
                    && ev.syscall.is_some_and(|s| s.ret == RetType::Fd)
                    && !self.fds.contains_key(&(pid, ev.ret as i32))
                {
                    let label = format!("{name} (pid {pid}, fd {})", ev.ret);
                    let mut e = self.new_entry(&label, FdKind::Special, ts);
                    // The flags of these calls differ; assume close-on-exec so that no rule
                    // reports a leak it cannot prove.
                    e.cloexec = true;
                    self.insert(pid, ev.ret as i32, e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::{call, with_path};

    #[test]
    fn tracks_opens_dups_forks_and_exec() {
        let mut cx = Ctx::new(CostModel::builtin());
        let ev = with_path(
            call("openat", 10, [-100i64 as u64, 0, 0o1 | 0o2000, 0, 0, 0], 3),
            "/tmp/log",
        );
        cx.apply(&ev, "openat");
        let e = *cx.fd(10, 3).unwrap();
        assert!(e.append && e.writable && !e.cloexec && e.known);
        assert_eq!(cx.label(e.label), "/tmp/log");
        cx.apply(&call("dup2", 10, [3, 7, 0, 0, 0, 0], 7), "dup2");
        assert_eq!(cx.fd(10, 7).unwrap().uid, e.uid);
        cx.apply(&call("fork", 10, [0; 6], 11), "fork");
        cx.apply(&call("getpid", 11, [0; 6], 11), "getpid");
        assert_eq!(cx.fd(11, 3).unwrap().uid, e.uid);
        assert_eq!(cx.proc(11).unwrap().parent, Some(10));
        cx.apply(&call("close", 11, [7, 0, 0, 0, 0, 0], 0), "close");
        assert!(cx.fd(11, 7).is_none() && cx.fd(10, 7).is_some());
        assert_eq!(cx.removed.len(), 1);
        let ex = with_path(call("execve", 11, [0; 6], 0), "/bin/true");
        cx.apply(&ex, "execve");
        assert_eq!(cx.exe(11), "/bin/true");
        assert!(cx.fd(11, 3).is_some(), "no O_CLOEXEC: survives exec");
    }

    #[test]
    fn late_parent_link_after_vfork_exec() {
        let mut cx = Ctx::new(CostModel::builtin());
        cx.apply(&call("getpid", 10, [0; 6], 10), "getpid");
        let ev = with_path(
            call("openat", 10, [-100i64 as u64, 0, 0, 0, 0, 0], 4),
            "/etc/x",
        );
        cx.apply(&ev, "openat");
        // The child runs and execs before vfork returns in the parent.
        cx.apply(&call("close", 12, [4, 0, 0, 0, 0, 0], 0), "close");
        let ex = with_path(call("execve", 12, [0; 6], 0), "/bin/true");
        cx.apply(&ex, "execve");
        cx.apply(&call("vfork", 10, [0; 6], 12), "vfork");
        assert_eq!(cx.linked_now, vec![12]);
        assert!(cx.fd(12, 4).is_none(), "closed before the link");
    }
}
