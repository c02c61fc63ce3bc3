//! The ptrace engine: spawn or attach, follow every thread and child, turn stops into events.
//!
//! One loop waits for any tracee (`waitpid(-1, __WALL)`), classifies the stop (syscall entry or
//! exit, seccomp trap, fork/clone/exec event, signal delivery, group-stop) and resumes the task
//! at once. Signals are re-injected exactly; group-stops use `PTRACE_LISTEN` so `kill -STOP` and
//! `kill -CONT` behave as they do untraced.

pub(crate) mod selective;
pub(crate) mod spawn;
pub(crate) mod sys;

use std::collections::HashMap;
use std::io;
use std::sync::atomic::Ordering;

use sysgate_event::{
    Phase, SigInfo, SignalEvent, Sink, SyscallEvent, Tampered, TaskChange, Verdict,
};
use sysgate_kb::Arch;

use crate::Error;
use crate::decode;
use crate::mem::Mem;
use sysgate_seccomp::compile::{TRACE_KILL, TRACE_LOG, TRACE_WATCH};

use crate::session::relay::INTERRUPTED;
pub use crate::session::{Capture, Command, Outcome, StatusFilter, Target};
use crate::session::{Emitter, begin_call};

use crate::session::inject::Counter;
use crate::session::process::CLONE_THREAD;
/// How many times the loop polls for a stop before it sleeps in `waitpid`.
const SPIN_POLLS: u32 = 64;
/// Waits per window over which polling is judged worth it or not.
const SPIN_WINDOW: u32 = 256;

/// How to trace.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to capture.
    pub capture: Capture,
    /// Let the kernel skip unselected syscalls with a seccomp filter (spawned tracees only).
    pub seccomp: bool,
    /// Run under a seccomp profile instead of tracing (`sysgate run`).
    pub sandbox: Option<Sandbox>,
}

/// How `sysgate run` confines a program.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The compiled filter, installed with `TSYNC` after `no_new_privs`, right before `execve`.
    /// In supervised form its `SECCOMP_RET_TRACE` data is the errno to return, or 0xffff to kill.
    pub filter: Vec<libc::sock_filter>,
    /// Learn mode: report refused calls and let them run.
    pub learn: bool,
    /// Inherited descriptors above 2 to keep open; every other one is closed before `execve`.
    pub keep_fds: Vec<i32>,
    /// Capabilities to drop (bit N for capability N).
    pub drop_caps: u64,
    /// The Landlock ruleset descriptor the child restricts itself with.
    pub landlock: Option<i32>,
    /// Rules the child adds to that ruleset itself (its own `/proc/self` entries).
    pub landlock_in_child: Vec<(std::ffi::CString, u64)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            capture: Capture::default(),
            seccomp: true,
            sandbox: None,
        }
    }
}

struct Task {
    tgid: u32,
    /// Waiting for the first stop after attach/fork.
    startup: bool,
    /// The first process before its first execve: its syscalls are sysgate's own.
    pre_exec: bool,
    in_syscall: bool,
    /// The current call is not reported.
    skip: bool,
    entry_mono: u64,
    ev: SyscallEvent,
    /// Asked to stop so that it can be detached.
    detaching: bool,
    /// A sandbox denial in progress: the errno to put in the return register at exit.
    deny_errno: Option<u32>,
    /// `-e inject=` invocation counters, per (ABI, syscall number).
    counters: HashMap<(u8, u32), Counter>,
    /// What `-e inject=` does to the call in progress.
    tamper: Option<Tamper>,
    /// The signal to resume with after this stop (`-e inject=…:signal=`).
    resume_sig: i32,
    /// Hold the task this long before resuming it (`delay_enter=`, `delay_exit=`).
    hold: Option<std::time::Duration>,
}

/// A call `-e inject=` is tampering with, between its entry and exit stops.
#[derive(Debug, Clone, Copy)]
struct Tamper {
    /// The index of the rule.
    rule: usize,
    /// The return value to put in place of the call's.
    ret: Option<i64>,
    /// The [`Tampered`] bits for the report.
    bits: u8,
    /// The call's arguments, for `poke_exit=`.
    args: [u64; 6],
}

impl Task {
    fn new(tid: u32, tgid: u32) -> Task {
        let mut ev = SyscallEvent::new();
        ev.tid = tid;
        ev.pid = tgid;
        Task {
            tgid,
            startup: true,
            pre_exec: false,
            in_syscall: false,
            skip: false,
            entry_mono: 0,
            ev,
            detaching: false,
            deny_errno: None,
            counters: HashMap::new(),
            tamper: None,
            resume_sig: 0,
            hold: None,
        }
    }
}

/// Runs one tracing session.
pub struct Tracer<'a> {
    opts: Options,
    out: Emitter<'a>,
    tasks: HashMap<u32, Task>,
    root: u32,
    spawned: bool,
    seccomp_active: bool,
    outcome: Option<Outcome>,
    shutting_down: Option<i32>,
    info: sys::SyscallInfo,
    /// `waitpid(WNOHANG)` polls before blocking; 0 on a single CPU, where polling would only
    /// delay the tracee.
    spin: u32,
    /// Whether the current window polls, and how the previous polls went.
    spin_enabled: bool,
    spin_waits: u32,
    spin_hits: u32,
    /// Tasks held by `-e inject=…:delay_enter=`/`delay_exit=`: (monotonic deadline, tid,
    /// signal to resume with).
    held: Vec<(u64, u32, i32)>,
    /// Stack unwinding and naming, with `-k`.
    stacks: Option<sysgate_stack::Stacks>,
}

impl<'a> Tracer<'a> {
    /// A tracer that reports to `sink`.
    pub fn new(opts: Options, sink: &'a mut dyn Sink) -> Tracer<'a> {
        let stacks = opts
            .capture
            .stacks
            .then(|| sysgate_stack::Stacks::with_debug_dirs(opts.capture.debug_dirs.clone()));
        Tracer {
            opts,
            out: Emitter::new(sink),
            tasks: HashMap::new(),
            root: 0,
            spawned: false,
            seccomp_active: false,
            outcome: None,
            shutting_down: None,
            info: sys::SyscallInfo::default(),
            spin: match std::thread::available_parallelism() {
                Ok(n) if n.get() > 1 => SPIN_POLLS,
                _ => 0,
            },
            spin_enabled: true,
            spin_waits: 0,
            spin_hits: 0,
            stacks,
            held: Vec::new(),
        }
    }

    fn base_options(&self) -> i32 {
        let mut o = libc::PTRACE_O_TRACESYSGOOD | libc::PTRACE_O_TRACEEXEC;
        if self.opts.capture.follow {
            o |= libc::PTRACE_O_TRACEFORK | libc::PTRACE_O_TRACEVFORK | libc::PTRACE_O_TRACECLONE;
        }
        o
    }

    /// Traces `target`: starts the program, or attaches to the processes.
    pub fn trace(self, target: &Target) -> Result<Outcome, Error> {
        match target {
            Target::Spawn(cmd) => self.spawn(cmd),
            Target::Attach(pids) => self.attach(pids),
            Target::Watch => Err(Error::NeedsEbpf),
        }
    }

    /// Starts `cmd` under the tracer and traces it to the end.
    pub fn spawn(mut self, cmd: &Command) -> Result<Outcome, Error> {
        if let Some(sb) = self.opts.sandbox.clone() {
            // Confinement: only seccomp stops matter; everything else runs untouched.
            let options = libc::PTRACE_O_EXITKILL
                | libc::PTRACE_O_TRACESYSGOOD
                | libc::PTRACE_O_TRACESECCOMP
                | libc::PTRACE_O_TRACEEXEC
                | libc::PTRACE_O_TRACEFORK
                | libc::PTRACE_O_TRACEVFORK
                | libc::PTRACE_O_TRACECLONE;
            let setup = spawn::Setup {
                filter: Some(&sb.filter),
                confine: true,
                keep_fds: &sb.keep_fds,
                drop_caps: sb.drop_caps,
                landlock: sb.landlock.map(|ruleset| spawn::Landlock {
                    ruleset,
                    in_child: &sb.landlock_in_child,
                }),
            };
            let pid = spawn::start(cmd, options, &setup)?;
            crate::session::relay::set_target(pid);
            self.seccomp_active = true;
            self.spawned = true;
            self.root = pid as u32;
            let mut t = Task::new(pid as u32, pid as u32);
            t.pre_exec = true;
            self.tasks.insert(pid as u32, t);
            return self.run();
        }
        // Calls to tamper with stop the tracee too, shown or not.
        let stops = self
            .opts
            .capture
            .selection
            .with(&self.opts.capture.inject.calls());
        let use_seccomp = self.opts.seccomp
            && self.opts.capture.follow
            && !self.opts.capture.inject.signals()
            && !stops.is_all()
            && stops.names().len() <= selective::MAX_SELECTED
            && spawn::seccomp_trace_available();
        let filter = use_seccomp.then(|| selective::program(&stops));
        let mut options = self.base_options() | libc::PTRACE_O_EXITKILL;
        if use_seccomp {
            options |= libc::PTRACE_O_TRACESECCOMP;
        }
        let setup = spawn::Setup {
            filter: filter.as_deref(),
            confine: false,
            keep_fds: &[],
            drop_caps: 0,
            landlock: None,
        };
        let pid = spawn::start(cmd, options, &setup)?;
        crate::session::relay::set_target(pid);
        self.seccomp_active = use_seccomp;
        self.spawned = true;
        self.root = pid as u32;
        let mut t = Task::new(pid as u32, pid as u32);
        t.pre_exec = true;
        self.tasks.insert(pid as u32, t);
        self.run()
    }

    /// Attaches to every thread of each pid and traces until they exit or sysgate is
    /// interrupted (then detaches, leaving them running).
    pub fn attach(mut self, pids: &[u32]) -> Result<Outcome, Error> {
        let options = self.base_options();
        for &pid in pids {
            let tids = crate::session::process::threads_of(pid)?;
            for tid in tids {
                if let Err(e) = sys::seize(tid as i32, options) {
                    if tid == pid {
                        self.detach_all_now();
                        return Err(spawn::attach_error(pid, e));
                    }
                    continue; // thread exited meanwhile
                }
                let _ = sys::interrupt(tid as i32);
                self.tasks.insert(tid, Task::new(tid, pid));
                self.emit_task(pid, tid, TaskChange::Attached);
            }
            // It made no execve in the trace: its name comes from /proc.
            if let Ok(comm) = std::fs::read_to_string(format!("/proc/{pid}/comm")) {
                self.emit_task(pid, pid, TaskChange::named(comm.trim_end_matches('\n')));
            }
        }
        self.root = pids.first().copied().unwrap_or(0);
        self.run()
    }

    fn detach_all_now(&mut self) {
        for (&tid, _) in self.tasks.iter() {
            let _ = sys::detach(tid as i32, 0);
        }
        self.tasks.clear();
    }

    fn emit_task(&mut self, pid: u32, tid: u32, change: TaskChange) {
        if !self.out.task(pid, tid, change) {
            self.begin_shutdown(libc::SIGPIPE);
        }
    }

    fn run(mut self) -> Result<Outcome, Error> {
        if let Some(&root) = self.tasks.keys().next()
            && self.spawned
        {
            self.emit_task(root, root, TaskChange::Attached);
        }
        loop {
            let sig = INTERRUPTED.load(Ordering::Relaxed);
            if sig != 0 {
                if self.shutting_down.is_none() {
                    self.begin_shutdown(sig);
                }
                crate::session::relay::ack();
            }
            if self.tasks.is_empty() && self.shutting_down.is_some() && !self.spawned {
                break;
            }
            let status = match self.next_stop() {
                Ok(Some(s)) => s,
                Ok(None) => continue,
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
                Err(e) if e.raw_os_error() == Some(libc::ECHILD) => break,
                Err(e) => return Err(Error::Wait(e)),
            };
            self.handle(status.0 as u32, status.1);
            if !self.spawned && self.tasks.is_empty() {
                break;
            }
        }
        self.out.finish().map_err(Error::Output)?;
        // Programs sysgate started were killed on the way out; attached ones were detached.
        if let Some(sig) = self.shutting_down
            && self.spawned
        {
            return Ok(Outcome::Interrupted(sig));
        }
        Ok(self.outcome.unwrap_or(Outcome::Detached))
    }

    /// The next stopped or exited tracee. Polls briefly before sleeping: a tracer that sleeps
    /// in `waitpid` between two stops of a busy tracee pays a cross-CPU wake-up each time, which
    /// costs more than the stop itself (and far more under virtualisation). Output is flushed
    /// only when sysgate is about to sleep, so a quiet tracee's lines appear at once.
    ///
    /// The polling adapts: over each window of [`SPIN_WINDOW`] waits it counts how often a poll
    /// found the stop, and when that falls under half (a tracee that blocks, or a CPU the poll
    /// would take away from the tracee) the next window sleeps at once.
    fn next_stop(&mut self) -> io::Result<Option<(i32, i32)>> {
        self.spin_waits += 1;
        if self.spin_waits == SPIN_WINDOW {
            self.spin_enabled = self.spin_hits * 2 >= SPIN_WINDOW || !self.spin_enabled;
            self.spin_waits = 0;
            self.spin_hits = 0;
        }
        if !self.held.is_empty() {
            self.release_held();
            if !self.held.is_empty() {
                // Some tasks wait for their deadline: poll for the others' stops meanwhile.
                if let Some(s) = sys::wait(-1, libc::WNOHANG)? {
                    return Ok(Some(s));
                }
                if !self.out.deliver(|s| s.idle()) {
                    self.begin_shutdown(libc::SIGPIPE);
                }
                let now = sys::monotonic_ns();
                let next = self.held.iter().map(|h| h.0).min().unwrap_or(now);
                let nap = next.saturating_sub(now).min(1_000_000);
                std::thread::sleep(std::time::Duration::from_nanos(nap));
                return Ok(None);
            }
        }
        let polls = if self.spin_enabled { self.spin } else { 0 };
        for _ in 0..polls {
            if let Some(s) = sys::wait(-1, libc::WNOHANG)? {
                self.spin_hits += 1;
                return Ok(Some(s));
            }
            // Let the tracee have this CPU if it is waiting for one.
            sys::yield_now();
        }
        if !self.out.deliver(|s| s.idle()) {
            self.begin_shutdown(libc::SIGPIPE);
        }
        sys::wait(-1, 0)
    }

    /// Resumes the held tasks whose deadline has passed.
    fn release_held(&mut self) {
        let now = sys::monotonic_ns();
        let mut i = 0;
        while i < self.held.len() {
            if self.held[i].0 <= now {
                let (_, tid, sig) = self.held.swap_remove(i);
                self.resume(tid, sig);
            } else {
                i += 1;
            }
        }
    }

    /// Resumes a task after a syscall stop, with the signal and after the delay `-e inject=`
    /// asked for.
    fn continue_task(&mut self, tid: u32) {
        let (hold, sig) = match self.tasks.get_mut(&tid) {
            Some(t) => (t.hold.take(), std::mem::take(&mut t.resume_sig)),
            None => (None, 0),
        };
        match hold {
            Some(d) => {
                let until = sys::monotonic_ns().saturating_add(d.as_nanos() as u64);
                self.held.push((until, tid, sig));
            }
            None => self.resume(tid, sig),
        }
    }

    fn begin_shutdown(&mut self, sig: i32) {
        if self.shutting_down.is_some() {
            return;
        }
        self.shutting_down = Some(sig);
        if self.spawned {
            let tgids: Vec<u32> = self.tasks.values().map(|t| t.tgid).collect();
            for tgid in tgids {
                let _ = sys::kill(tgid as i32, libc::SIGKILL);
            }
        } else {
            for (&tid, t) in self.tasks.iter_mut() {
                t.detaching = true;
                let _ = sys::interrupt(tid as i32);
            }
        }
    }

    fn resume(&mut self, tid: u32, sig: i32) {
        let Some(t) = self.tasks.get(&tid) else {
            return;
        };
        if t.detaching {
            let _ = sys::detach(tid as i32, sig);
            let tgid = t.tgid;
            self.tasks.remove(&tid);
            self.emit_task(tgid, tid, TaskChange::Detached);
            return;
        }
        let r = if self.seccomp_active && !t.in_syscall {
            sys::cont(tid as i32, sig)
        } else {
            sys::syscall(tid as i32, sig)
        };
        // ESRCH: the task was killed meanwhile; its exit status arrives through waitpid.
        let _ = r;
    }

    fn handle(&mut self, tid: u32, status: i32) {
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            let change = if libc::WIFEXITED(status) {
                TaskChange::Exited(libc::WEXITSTATUS(status))
            } else {
                TaskChange::Killed {
                    signal: libc::WTERMSIG(status),
                    core: libc::WCOREDUMP(status),
                }
            };
            self.task_gone(tid, change);
            return;
        }
        if !libc::WIFSTOPPED(status) {
            return;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = self.tasks.entry(tid) {
            // A new child whose parent's fork event has not been seen yet.
            slot.insert(Task::new(tid, tid));
            self.emit_task(tid, tid, TaskChange::Attached);
        }
        let sig = libc::WSTOPSIG(status);
        let event = (status >> 16) & 0xffff;
        if sig == (libc::SIGTRAP | 0x80) {
            self.syscall_stop(tid);
            return;
        }
        match event {
            0 => self.signal_stop(tid, sig),
            sys::EVENT_FORK | sys::EVENT_VFORK | sys::EVENT_CLONE => {
                self.new_child(tid, event);
                self.resume(tid, 0);
            }
            sys::EVENT_EXEC => {
                self.exec_event(tid);
                self.resume(tid, 0);
            }
            sys::EVENT_SECCOMP if self.opts.sandbox.is_some() => self.violation(tid),
            sys::EVENT_SECCOMP => {
                self.syscall_stop(tid);
            }
            sys::EVENT_STOP => {
                let startup = self.tasks.get(&tid).is_some_and(|t| t.startup);
                let detaching = self.tasks.get(&tid).is_some_and(|t| t.detaching);
                if let Some(t) = self.tasks.get_mut(&tid) {
                    t.startup = false;
                }
                let group_stop = matches!(
                    sig,
                    libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
                );
                if startup || detaching || !group_stop {
                    self.resume(tid, 0);
                } else {
                    let tgid = self.tasks.get(&tid).map_or(tid, |t| t.tgid);
                    if !self.is_pre_exec(tid) {
                        self.emit_task(tgid, tid, TaskChange::Stopped(sig));
                    }
                    let _ = sys::listen(tid as i32);
                }
            }
            _ => self.resume(tid, 0),
        }
    }

    fn is_pre_exec(&self, tid: u32) -> bool {
        self.tasks.get(&tid).is_some_and(|t| t.pre_exec)
    }

    fn signal_stop(&mut self, tid: u32, sig: i32) {
        let pre_exec = self.is_pre_exec(tid);
        let detaching = self.tasks.get(&tid).is_some_and(|t| t.detaching);
        let shown = (0..64).contains(&sig) && self.opts.capture.signals & (1u64 << sig) != 0;
        if !pre_exec && !detaching && self.shutting_down.is_none() && shown {
            let tgid = self.tasks.get(&tid).map_or(tid, |t| t.tgid);
            let info = match sys::siginfo(tid as i32) {
                Ok(si) => {
                    let (pid, uid, status, utime, stime, addr) = sys::siginfo_fields(&si);
                    SigInfo {
                        signo: si.si_signo,
                        code: si.si_code,
                        errno: si.si_errno,
                        pid,
                        uid,
                        status,
                        addr,
                        utime,
                        stime,
                    }
                }
                Err(_) => SigInfo {
                    signo: sig,
                    code: 0,
                    errno: 0,
                    pid: 0,
                    uid: 0,
                    status: 0,
                    addr: 0,
                    utime: 0,
                    stime: 0,
                },
            };
            let ev = SignalEvent {
                ts_ns: sys::realtime_ns(),
                pid: tgid,
                tid,
                info,
            };
            if !self.out.deliver(|s| s.signal(&ev)) {
                self.begin_shutdown(libc::SIGPIPE);
            }
        }
        self.resume(tid, sig);
    }

    fn new_child(&mut self, parent: u32, event: i32) {
        let Ok(child) = sys::event_msg(parent as i32) else {
            return;
        };
        let child = child as u32;
        let parent_tgid = self.tasks.get(&parent).map_or(parent, |t| t.tgid);
        let is_thread = event == sys::EVENT_CLONE && self.clone_is_thread(parent, child);
        let tgid = if is_thread { parent_tgid } else { child };
        match self.tasks.get_mut(&child) {
            Some(t) => {
                t.tgid = tgid;
                t.ev.pid = tgid;
            }
            None => {
                self.tasks.insert(child, Task::new(child, tgid));
                self.emit_task(tgid, child, TaskChange::Attached);
            }
        }
    }

    fn clone_is_thread(&mut self, parent: u32, child: u32) -> bool {
        let Some(t) = self.tasks.get(&parent) else {
            return false;
        };
        let name = if t.skip {
            ""
        } else {
            t.ev.syscall.map_or("", |s| s.name)
        };
        match name {
            "clone" => t.ev.args[0] & CLONE_THREAD != 0,
            "clone3" => {
                let mut mem = Mem::new(parent as i32);
                mem.read_word(t.ev.args[0], 8)
                    .is_some_and(|flags| flags & CLONE_THREAD != 0)
            }
            // The call was not decoded (not selected): ask the kernel.
            _ => crate::session::process::tgid_of(child).is_some_and(|tgid| tgid != child),
        }
    }

    fn exec_event(&mut self, tid: u32) {
        let former = sys::event_msg(tid as i32).map_or(tid, |m| m as u32);
        if former != tid
            && let Some(mut t) = self.tasks.remove(&former)
        {
            // A non-leader thread called execve: it now has the leader's id, and the old
            // leader is gone without a death notification.
            if let Some(old) = self.tasks.remove(&tid)
                && old.in_syscall
                && !old.skip
            {
                let mut ev = old.ev;
                ev.phase = Phase::Unfinished;
                if !self.out.deliver(|s| s.syscall_exit(&ev)) {
                    self.begin_shutdown(libc::SIGPIPE);
                }
            }
            self.emit_task(
                t.tgid,
                former,
                TaskChange::Superseded { former_tid: former },
            );
            t.ev.tid = tid;
            self.tasks.insert(tid, t);
        }
        if let Some(t) = self.tasks.get_mut(&tid) {
            t.pre_exec = false;
            if let Some(stacks) = &mut self.stacks {
                stacks.forget(t.tgid);
            }
        }
    }

    /// A call the sandbox's filter refused: report it, then deny, kill or (learn mode) allow.
    fn violation(&mut self, tid: u32) {
        let ok = sys::syscall_info(tid as i32, &mut self.info).is_ok();
        if !ok || self.info.op != sys::OP_SECCOMP {
            self.resume(tid, 0);
            return;
        }
        let info = self.info;
        let learn = self.opts.sandbox.as_ref().is_some_and(|s| s.learn);
        let data = (info.data[7] & 0xffff) as u16;
        if data == TRACE_WATCH {
            // Allowed: enter it like a traced call; the resume stops again at its exit.
            let arch = Arch::from_audit_arch(info.arch).unwrap_or(Arch::native());
            let args = info.args();
            self.enter(tid, arch, info.data[0], args);
            self.resume(tid, 0);
            return;
        }
        let verdict = if data == TRACE_LOG {
            Verdict::Logged
        } else if learn {
            Verdict::Allowed
        } else if data == TRACE_KILL {
            Verdict::Killed
        } else {
            Verdict::Denied(u32::from(data))
        };
        let opts = self.opts.capture.decode;
        let now = self.out.wall_ns(sys::monotonic_ns());
        let Some(t) = self.tasks.get_mut(&tid) else {
            return;
        };
        let arch = Arch::from_audit_arch(info.arch).unwrap_or(Arch::native());
        let ev = &mut t.ev;
        begin_call(ev, now, (t.tgid, tid), arch, info.data[0], info.args());
        let mut mem = Mem::new(tid as i32);
        decode::decode_entry(ev, &mut mem, &opts);
        let tgid = t.tgid;
        if !self.out.deliver(|s| s.violation(&t.ev, verdict)) {
            self.begin_shutdown(libc::SIGPIPE);
        }
        match verdict {
            Verdict::Logged | Verdict::Allowed => self.resume(tid, 0),
            Verdict::Killed => {
                let _ = sys::kill(tgid as i32, libc::SIGKILL);
                self.resume(tid, 0);
            }
            Verdict::Denied(errno) => {
                if sys::skip_syscall(tid as i32).is_err() {
                    // The call cannot be suppressed: fail closed.
                    let _ = sys::kill(tgid as i32, libc::SIGKILL);
                } else if let Some(t) = self.tasks.get_mut(&tid) {
                    // Stop again at the exit to replace the kernel's ENOSYS by the errno.
                    t.deny_errno = Some(errno);
                    t.in_syscall = true;
                }
                self.resume(tid, 0);
            }
        }
    }

    fn syscall_stop(&mut self, tid: u32) {
        if let Some(t) = self.tasks.get_mut(&tid)
            && let Some(errno) = t.deny_errno.take()
        {
            t.in_syscall = false;
            let _ = sys::set_return(tid as i32, -i64::from(errno));
            self.resume(tid, 0);
            return;
        }
        let info = &mut self.info;
        let ok = sys::syscall_info(tid as i32, info).is_ok();
        let op = if ok { info.op } else { 0 };
        match op {
            sys::OP_ENTRY | sys::OP_SECCOMP => {
                let arch = Arch::from_audit_arch(info.arch).unwrap_or(Arch::native());
                let nr = info.data[0];
                let args = info.args();
                let in_syscall = self.tasks.get(&tid).is_some_and(|t| t.in_syscall);
                if op == sys::OP_ENTRY && in_syscall && self.seccomp_active {
                    // Entry stop after a seccomp stop on older kernels: already entered.
                } else {
                    self.enter(tid, arch, nr, args);
                }
                // In seccomp mode the exit needs PTRACE_SYSCALL; resume() picks it.
                self.continue_task(tid);
            }
            sys::OP_EXIT => {
                let rval = info.data[0] as i64;
                let is_error = info.data[1] & 0xff != 0;
                self.exit(tid, rval, is_error);
                self.continue_task(tid);
            }
            _ => self.resume(tid, 0),
        }
    }

    fn enter(&mut self, tid: u32, arch: Arch, nr: u64, args: [u64; 6]) {
        let stack_pointer = self.info.stack_pointer;
        let mono = sys::monotonic_ns();
        let ts = self.out.wall_ns(mono);
        let opts = self.opts.capture.decode;
        let count_only = self.opts.capture.count_only;
        let status_filter = self.opts.capture.status;
        let selected = self.opts.capture.selection.contains(arch, nr as u32);
        let inject = &self.opts.capture.inject;
        let Some(t) = self.tasks.get_mut(&tid) else {
            return;
        };
        t.in_syscall = true;
        t.entry_mono = mono;
        t.tamper = None;
        let syscall = sysgate_kb::lookup(arch, nr);
        // The program's first execve is made by sysgate's own code: its stack is not the
        // program's.
        let own_exec = t.pre_exec;
        if t.pre_exec {
            let is_exec = syscall.is_some_and(|s| matches!(s.name, "execve" | "execveat"));
            if !is_exec {
                t.skip = true;
                return;
            }
            t.pre_exec = false;
        }
        if !inject.is_empty()
            && let Some(i) = inject.rule_for(arch, nr as u32)
        {
            let rule = inject.rule(i);
            let aimed = rule
                .fd_kind
                .is_none_or(|k| k.matches(t.tgid, args[0] as u32 as i32));
            let counter = t
                .counters
                .entry((arch as u8, nr as u32))
                .or_insert(rule.when);
            if aimed && counter.fires() {
                t.tamper = Some(tamper_entry(
                    tid,
                    arch,
                    &args,
                    i,
                    &rule.action,
                    &mut t.resume_sig,
                    &mut t.hold,
                ));
            }
        }
        t.skip = !selected;
        if t.skip {
            return;
        }
        let tampered = t.tamper.map_or(0, |x| x.bits);
        let ev = &mut t.ev;
        begin_call(ev, ts, (t.tgid, tid), arch, nr, args);
        ev.tampered = tampered;
        if count_only {
            ev.decoded.clear();
            return;
        }
        ev.stack_pointer = stack_pointer;
        let mut mem = Mem::new(tid as i32);
        decode::decode_entry(ev, &mut mem, &opts);
        if !self.opts.capture.paths.is_empty()
            && !crate::session::touches(ev, &self.opts.capture.paths)
        {
            t.skip = true;
            return;
        }
        if let Some(stacks) = &mut self.stacks
            && !own_exec
            && let Ok(regs) = sys::unwind_regs(tid as i32)
        {
            let mut read = |addr: u64, buf: &mut [u8]| mem.read(addr, buf);
            let pcs = stacks.unwind(t.tgid, regs, &mut read);
            ev.stack = stacks.symbolize(t.tgid, &pcs);
        }
        if status_filter.is_all() && !self.out.deliver(|s| s.syscall_entry(ev)) {
            self.begin_shutdown(libc::SIGPIPE);
        }
    }

    fn exit(&mut self, tid: u32, rval: i64, is_error: bool) {
        let mono = sys::monotonic_ns();
        let opts = self.opts.capture.decode;
        let count_only = self.opts.capture.count_only;
        let status_filter = self.opts.capture.status;
        let Some(t) = self.tasks.get_mut(&tid) else {
            return;
        };
        if !t.in_syscall {
            return; // exit of a call entered before we attached
        }
        t.in_syscall = false;
        let (mut rval, mut is_error) = (rval, is_error);
        if let Some(tp) = t.tamper.take() {
            let action = &self.opts.capture.inject.rule(tp.rule).action;
            let mut bits = tp.bits;
            for p in &action.poke_exit {
                if let Some(&addr) = tp.args.get(p.arg)
                    && sys::write_memory(tid as i32, addr, &p.data).is_ok()
                {
                    bits |= Tampered::ARGS;
                }
            }
            if let Some(d) = action.delay_exit {
                t.hold = Some(d);
                bits |= Tampered::DELAYED;
            }
            if let Some(v) = tp.ret
                && sys::set_return(tid as i32, v).is_ok()
            {
                rval = v;
                is_error = action.error.is_some();
            }
            t.ev.tampered |= bits;
        }
        if t.skip {
            t.skip = false;
            return;
        }
        let ev = &mut t.ev;
        ev.ret = rval;
        ev.is_error = is_error;
        ev.duration_ns = mono.saturating_sub(t.entry_mono);
        ev.phase = Phase::Completed;
        if !status_filter.wants(is_error) {
            return;
        }
        if !count_only {
            let mut mem = Mem::new(tid as i32);
            decode::decode_exit(ev, &mut mem, &opts);
        }
        if !self.out.deliver(|s| s.syscall_exit(ev)) {
            self.begin_shutdown(libc::SIGPIPE);
        }
    }

    fn task_gone(&mut self, tid: u32, change: TaskChange) {
        self.held.retain(|h| h.1 != tid);
        let Some(t) = self.tasks.remove(&tid) else {
            if tid == self.root {
                self.set_outcome(change);
            }
            return;
        };
        if tid == self.root {
            self.set_outcome(change);
        }
        if t.pre_exec {
            return;
        }
        if t.in_syscall && !t.skip && self.opts.capture.status.wants_unfinished() {
            let mut ev = t.ev;
            ev.phase = Phase::Unfinished;
            if !self.out.deliver(|s| s.syscall_exit(&ev)) {
                self.begin_shutdown(libc::SIGPIPE);
            }
        }
        self.emit_task(t.tgid, tid, change);
    }

    fn set_outcome(&mut self, change: TaskChange) {
        self.outcome = match change {
            TaskChange::Exited(code) => Some(Outcome::Exited(code)),
            TaskChange::Killed { signal, core } => Some(Outcome::Signaled { signal, core }),
            _ => self.outcome,
        };
    }
}

/// Applies the entry half of an `-e inject=` action to the task entering a call: the signal to
/// resume with, the call skipped (or replaced by a side-effect-free one) so that its return
/// value can be set at exit, argument memory overwritten, the task held.
fn tamper_entry(
    tid: u32,
    arch: Arch,
    args: &[u64; 6],
    rule: usize,
    action: &crate::session::inject::Action,
    resume_sig: &mut i32,
    hold: &mut Option<std::time::Duration>,
) -> Tamper {
    let mut bits = 0;
    let mut ret = None;
    if let Some(sig) = action.signal {
        *resume_sig = sig;
        bits |= Tampered::SIGNAL;
    }
    if let Some(v) = action.replaced_return() {
        let nr = action
            .syscall
            .and_then(|name| sysgate_kb::number(arch, name))
            .map_or(-1, i64::from);
        if sys::set_syscall_nr(tid as i32, nr).is_ok() {
            ret = Some(v);
            bits |= Tampered::RETVAL;
        }
    }
    for p in &action.poke_enter {
        if let Some(&addr) = args.get(p.arg)
            && sys::write_memory(tid as i32, addr, &p.data).is_ok()
        {
            bits |= Tampered::ARGS;
        }
    }
    if let Some(d) = action.delay_enter {
        *hold = Some(d);
        bits |= Tampered::DELAYED;
    }
    if let Some(i) = action.shrink
        && let Some(&n) = args.get(i)
        && n > 1
        && sys::set_arg(tid as i32, i, n / 2).is_ok()
    {
        bits |= Tampered::ARGS;
    }
    Tamper {
        rule,
        ret,
        bits,
        args: *args,
    }
}
