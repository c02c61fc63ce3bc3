//! The eBPF engine: syscall statistics and events without stopping the tracee.
//!
//! A BPF program (`crates/trace/bpf/sysgate.bpf.c`, compiled into the committed
//! `sysgate.bpf.o`) runs on the `raw_syscalls` tracepoints. It keeps a map of traced processes,
//! seeded with the spawned or attached pid and extended at every fork (`task:task_newtask`, which
//! carries the clone flags, so threads and processes are told apart) and emptied as they exit
//! (`sched:sched_process_exit`); or it matches a cgroup, or everything (optionally one command
//! name). For each call in scope it adds to per-(process, syscall) statistics in the kernel
//! (count, errors, total and max time, log2 latency histogram) and/or streams a fixed-size
//! record through a ring buffer, preceded by copies of the memory the decoder needs: the
//! string arguments the knowledge base marks as paths or strings, execve's argv, socket
//! addresses and, where asked, the first bytes of read/write buffers. Events that did not fit
//! are counted in the kernel and reported, never dropped silently.
//!
//! What eBPF cannot show: structures behind pointers (stat buffers, msghdr, epoll events,
//! sigactions…) are printed as addresses, fds are resolved to paths (`-y`) when the record is
//! read rather than when the call ran, and signals and group-stops are not reported.

pub mod abi;
pub mod memory;
mod ring;

use std::collections::{HashMap, HashSet};
use std::io;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use aya::maps::{Array, HashMap as BpfHashMap, MapData, PerCpuArray, ProgramArray};
use aya::programs::{BtfTracePoint, RawTracePoint, TracePoint};
use aya::{Ebpf, EbpfLoader};
use sysgate_event::fxhash::FxMap;
use sysgate_event::{
    AGGREGATE_BUCKETS, AggregateEvent, Phase, Sink, SyscallEvent, TaskChange, TaskEvent,
};
use sysgate_kb::Arch;

use crate::Error;
use crate::decode;
use crate::session::process as sys;
use crate::session::relay::INTERRUPTED;
use crate::session::{Capture, Command, Emitter, ExecImage, Outcome, Target, begin_call};
use abi::{Config, Desc, Proc, Record, Stats, StatsKey};
use memory::Captured;

/// The compiled program, aligned for the ELF parser.
#[repr(C, align(8))]
struct Aligned<B: ?Sized>(B);

static OBJECT: &Aligned<[u8]> = &Aligned(*include_bytes!("../../bpf/sysgate.bpf.o"));

/// How long the reader sleeps between looks at the ring buffer when not woken.
const POLL_MS: i32 = 10;

/// The ring buffer size when none is given: room for ~170 000 call records.
pub const DEFAULT_BUFFER: u32 = 16 << 20;

/// Which tasks are traced.
#[derive(Debug, Clone, Default)]
pub enum Scope {
    /// The spawned or attached processes and (with `follow`) their descendants.
    #[default]
    Tree,
    /// Every task in this cgroup (v2) or below it.
    Cgroup(PathBuf),
    /// Every task on the system but sysgate, or only those with this command name.
    All {
        /// The `comm` (first 15 bytes of the program name) to match.
        comm: Option<String>,
    },
}

/// How to trace.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to capture.
    pub capture: Capture,
    /// Which tasks.
    pub scope: Scope,
    /// Keep per-(process, syscall) statistics in the kernel.
    pub aggregate: bool,
    /// Stream call records to the sink.
    pub stream: bool,
    /// Time the calls. Without it (statistics only, nothing streamed) the kernel counts calls
    /// at entry and errors at exit and keeps no per-thread state: the cost of the bare
    /// tracepoints.
    pub timed: bool,
    /// Ring buffer size in bytes (a power of two, at least one page).
    pub buffer: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            capture: Capture::default(),
            scope: Scope::Tree,
            aggregate: false,
            stream: true,
            timed: true,
            buffer: DEFAULT_BUFFER,
        }
    }
}

/// Events the kernel side could not deliver or account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loss {
    /// Call, fork and exit records that did not fit in the ring buffer.
    pub events: u64,
    /// Memory captures (paths, buffers) that did not fit.
    pub memory: u64,
    /// Calls not timed because their thread found no free in-flight slot.
    pub inflight: u64,
    /// Calls not counted because the statistics table was full.
    pub stats: u64,
    /// Children not followed because the process table was full.
    pub tree: u64,
}

impl Loss {
    /// Whether anything was lost.
    pub fn any(&self) -> bool {
        *self != Loss::default()
    }
}

/// In-kernel statistics of one syscall in one process.
#[derive(Debug, Clone, Copy)]
pub struct StatsRow {
    /// Process id.
    pub pid: u32,
    /// Syscall number (native ABI).
    pub nr: u32,
    /// Calls.
    pub count: u64,
    /// Calls that returned an error.
    pub errors: u64,
    /// Total time in the call.
    pub total_ns: u64,
    /// Longest call.
    pub max_ns: u64,
    /// Calls by duration: bucket i holds durations in [2^i, 2^(i+1)) ns.
    pub hist: [u64; abi::HIST_BUCKETS],
}

/// The end of an eBPF session.
#[derive(Debug)]
pub struct Report {
    /// How the program ended.
    pub outcome: Outcome,
    /// What was lost.
    pub loss: Loss,
    /// Statistics (when `aggregate`), one row per (process, syscall); empty from
    /// [`run_intervals`], which delivered them to the sink interval by interval.
    pub stats: Vec<StatsRow>,
    /// Time to load and attach the program, and how.
    pub startup: Startup,
    /// Records read from the ring buffer.
    pub records: u64,
}

/// A session's start-up: how long loading and attaching took, and whether the streaming
/// programs run on BTF-typed tracepoints (`tp_btf`) or on raw ones.
#[derive(Debug, Clone, Copy)]
pub struct Startup {
    pub took: Duration,
    pub typed: bool,
}

impl std::fmt::Display for Startup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let via = if self.typed {
            "BTF-typed tracepoints"
        } else {
            "raw tracepoints"
        };
        write!(f, "{} ms, {via}", self.took.as_millis())
    }
}

/// Whether this process may use the eBPF backend: `Ok(why)` or `Err(why not)`. Mounts tracefs
/// at /sys/kernel/tracing when it is missing and sysgate may mount it.
pub fn permitted() -> Result<String, String> {
    let caps = effective_caps();
    const CAP_SYS_ADMIN: u32 = 21;
    const CAP_PERFMON: u32 = 38;
    const CAP_BPF: u32 = 39;
    let has = |c: u32| caps & (1u64 << c) != 0;
    // SAFETY: geteuid has no arguments or side effects.
    let root = unsafe { libc::geteuid() } == 0;
    let who = if root && has(CAP_SYS_ADMIN) {
        "running as root"
    } else if has(CAP_BPF) && has(CAP_PERFMON) {
        "CAP_BPF and CAP_PERFMON"
    } else if has(CAP_SYS_ADMIN) {
        "CAP_SYS_ADMIN"
    } else {
        return Err(
            "eBPF needs root or CAP_BPF+CAP_PERFMON (e.g. `sudo setcap cap_bpf,cap_perfmon+ep $(which sysgate)`)"
                .into(),
        );
    };
    let tracefs = tracefs().map_err(|e| format!("no tracefs: {e}"))?;
    if !tracefs.join("events/raw_syscalls/sys_enter").exists() {
        return Err(format!(
            "{} has no raw_syscalls tracepoints (kernel built without CONFIG_FTRACE_SYSCALLS?)",
            tracefs.display()
        ));
    }
    Ok(format!("{who}, tracefs at {}", tracefs.display()))
}

fn effective_caps() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("CapEff:"))
                .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
        })
        .unwrap_or(0)
}

/// The tracefs mount, mounting it at /sys/kernel/tracing when needed.
fn tracefs() -> Result<PathBuf, String> {
    for p in ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"] {
        if Path::new(p).join("events").is_dir() {
            return Ok(PathBuf::from(p));
        }
    }
    let target = c"/sys/kernel/tracing";
    // SAFETY: all pointers are NUL-terminated literals; mount does not keep them.
    let r = unsafe {
        libc::mount(
            c"tracefs".as_ptr(),
            target.as_ptr(),
            c"tracefs".as_ptr(),
            0,
            std::ptr::null(),
        )
    };
    if r != 0 {
        return Err(format!(
            "not mounted, and mounting it at /sys/kernel/tracing failed: {}",
            io::Error::last_os_error()
        ));
    }
    Ok(PathBuf::from("/sys/kernel/tracing"))
}

fn ebpf_err(what: &str, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
    Error::EbpfStep {
        what: what.to_string(),
        source: e.into(),
    }
}

/// The ring buffer's size: `--buffer` when records are streamed; otherwise nothing goes through
/// it, and one page spares the kernel allocating, zeroing and mapping (and the session
/// unmapping) the default 16 MiB.
fn ring_bytes(opts: &Options) -> u32 {
    if opts.stream {
        opts.buffer
    } else {
        // SAFETY: sysconf takes a constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        u32::try_from(page).unwrap_or(4096)
    }
}

/// Rounds a requested ring buffer size to what the kernel accepts (a power of two, at least
/// one page).
pub fn buffer_size(bytes: u64) -> u32 {
    bytes.clamp(4096, 1 << 30).next_power_of_two() as u32
}

/// The cgroup v2 id (inode number) and depth of `path`.
fn cgroup_of(path: &Path) -> Result<(u64, u32), Error> {
    use std::os::unix::fs::MetadataExt;
    let meta =
        std::fs::metadata(path).map_err(|e| ebpf_err(&format!("cgroup {}", path.display()), e))?;
    if !meta.is_dir() {
        return Err(Error::Ebpf(format!(
            "cgroup {} is not a directory",
            path.display()
        )));
    }
    let canon = std::fs::canonicalize(path).map_err(|e| ebpf_err("cgroup", e))?;
    // The depth below the cgroup2 mount that holds it.
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let root = mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, dir, fs) = (f.next()?, f.next()?, f.next()?);
            (fs == "cgroup2").then(|| PathBuf::from(dir))
        })
        .filter(|dir| canon.starts_with(dir))
        .max_by_key(|dir| dir.as_os_str().len())
        .ok_or_else(|| {
            Error::Ebpf(format!(
                "{} is not in a cgroup v2 hierarchy (eBPF matches cgroup v2 ids only)",
                path.display()
            ))
        })?;
    let level = canon
        .strip_prefix(&root)
        .map_or(0, |r| r.components().count()) as u32;
    Ok((meta.ino(), level))
}

/// Stops the attached programs from tracing anything: the scope becomes a cgroup no task is in
/// (id 0; ids start at 1). Calls already in flight still finish.
fn stop(bpf: &mut Ebpf) -> Result<(), Error> {
    let mut config: Array<&mut MapData, Config> =
        Array::try_from(bpf.map_mut("CONFIG").ok_or_else(|| missing("CONFIG"))?)
            .map_err(|e| ebpf_err("CONFIG", e))?;
    let mut cfg = config.get(&0, 0).map_err(|e| ebpf_err("CONFIG", e))?;
    cfg.mode = abi::MODE_CGROUP;
    cfg.cgroup_id = 0;
    cfg.cgroup_level = 0;
    config.set(0, cfg, 0).map_err(|e| ebpf_err("CONFIG", e))
}

/// This process's descriptors of BPF objects and perf events (what attaching made), found by
/// what `/proc/self/fd` says they are.
fn bpf_descriptors() -> (Vec<i32>, i32) {
    let mut keep = Vec::new();
    let mut highest = 0;
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        for entry in dir.flatten() {
            let Some(fd) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<i32>().ok())
            else {
                continue;
            };
            highest = highest.max(fd);
            let target = std::fs::read_link(entry.path()).unwrap_or_default();
            let target = target.to_string_lossy();
            if target.starts_with("anon_inode:bpf") || target.starts_with("anon_inode:[perf_event]")
            {
                keep.push(fd);
            }
        }
    }
    (keep, highest)
}

/// Drops `bpf` without waiting for the kernel to detach its programs. A grandchild process
/// takes the BPF and perf-event descriptors (and nothing else: not the output, not the
/// terminal), waits until this process has closed its own, and exits: the detach, with its RCU
/// grace periods, happens in that exit while this process goes on. Where no process can be
/// made, the detach happens here.
fn detach_in_background(bpf: Ebpf) {
    let (keep, highest) = bpf_descriptors();
    let mut pipe = [0i32; 2];
    // SAFETY: pipe2 writes two descriptors into the array.
    if keep.is_empty() || unsafe { libc::pipe2(pipe.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        drop(bpf);
        return;
    }
    let last = highest.max(pipe[0]).max(pipe[1]) + 64;
    // SAFETY: the child only calls async-signal-safe functions (fork, close, read, _exit) on
    // memory allocated before the fork, so the other threads' state does not matter.
    let child = unsafe { libc::fork() };
    if child == 0 {
        // SAFETY: as above; `keep` is read, never allocated or freed.
        unsafe {
            if libc::fork() != 0 {
                libc::_exit(0);
            }
            for fd in 0..=last {
                if fd != pipe[0] && !keep.contains(&fd) {
                    libc::close(fd);
                }
            }
            let mut b = 0u8;
            while libc::read(pipe[0], (&raw mut b).cast(), 1) < 0
                && *libc::__errno_location() == libc::EINTR
            {}
            libc::_exit(0);
        }
    }
    // SAFETY: closing our read end, a descriptor we own.
    unsafe { libc::close(pipe[0]) };
    if child > 0 {
        // SAFETY: reaping the intermediate child, which exits at once.
        unsafe { libc::waitpid(child, std::ptr::null_mut(), 0) };
    }
    // Our references go; the grandchild's keep the programs attached until it exits.
    drop(bpf);
    // SAFETY: closing our write end, which lets the grandchild exit.
    unsafe { libc::close(pipe[1]) };
}

/// Loads the program, fills its configuration and attaches it. `root` is the process sysgate
/// spawned, whose statistics the kernel keeps per CPU (see `read_stats`).
fn load(opts: &Options, root: Option<u32>) -> Result<(Ebpf, bool), Error> {
    // Streaming sessions on x86_64 read the syscall's registers through BTF-typed tracepoints
    // where the kernel has BTF (direct loads instead of a helper call per call); if those do
    // not load, and for every other session, the raw tracepoints.
    if opts.stream
        && Arch::native() == Arch::X86_64
        && !raw_only()
        && let Ok(bpf) = load_with(opts, root, true)
    {
        return Ok((bpf, true));
    }
    load_with(opts, root, false).map(|bpf| (bpf, false))
}

/// `SYSGATE_EBPF_RAW=1`: raw tracepoints even where BTF-typed ones would load (the tests run
/// both).
fn raw_only() -> bool {
    std::env::var_os("SYSGATE_EBPF_RAW").is_some_and(|v| v == "1")
}

/// `load`, with the streaming programs' BTF-typed variants when `typed`.
fn load_with(opts: &Options, root: Option<u32>, typed: bool) -> Result<Ebpf, Error> {
    std::thread::scope(|s| {
        // The kernel's BTF is parsed on a second thread while the object loads (aya's loader
        // parses it too, and does not lend its copy out).
        let btf = typed.then(|| s.spawn(aya::Btf::from_sys_fs));
        let btf = move || match btf.map(|j| j.join()) {
            None => Ok(None),
            Some(Ok(Ok(btf))) => Ok(Some(btf)),
            Some(Ok(Err(e))) => Err(ebpf_err("reading the kernel's BTF", e)),
            Some(Err(_)) => Err(Error::Ebpf("reading the kernel's BTF failed".into())),
        };
        load_object(opts, root, btf)
    })
}

fn load_object(
    opts: &Options,
    root: Option<u32>,
    btf: impl FnOnce() -> Result<Option<aya::Btf>, Error>,
) -> Result<Ebpf, Error> {
    let arch = Arch::native();
    let ring = ring_bytes(opts);
    let mut bpf = EbpfLoader::new()
        // The program has no CO-RE relocations to apply against the kernel's BTF. (aya 0.14
        // still parses /sys/kernel/btf/vmlinux when the loader is created: most of the
        // load-and-attach time on the test machine.)
        .btf(None)
        .map_max_entries("EVENTS", ring)
        .load(&OBJECT.0)
        .map_err(|e| ebpf_err("loading the BPF object", e))?;
    let mut cfg = Config {
        self_tgid: std::process::id(),
        nr_execve: sysgate_kb::number(arch, "execve").unwrap_or(u32::MAX),
        nr_execveat: sysgate_kb::number(arch, "execveat").unwrap_or(u32::MAX),
        buf_cap: opts.capture.decode.string_limit.min(abi::MEM_MAX) as u32,
        regs_lo: abi::arg_slots(arch).0,
        arg_idx: abi::arg_slots(arch).1,
        ring_size: u64::from(ring),
        wake_mask: if ring >= 1 << 20 { 31 } else { 0 },
        root_tgid: root.unwrap_or(0),
        nr_off: abi::nr_slot(arch),
        ..Config::default()
    };
    match &opts.scope {
        Scope::Tree => cfg.mode = abi::MODE_TREE,
        Scope::Cgroup(path) => {
            let (id, level) = cgroup_of(path)?;
            cfg.mode = abi::MODE_CGROUP;
            cfg.cgroup_id = id;
            cfg.cgroup_level = level;
        }
        Scope::All { comm } => {
            cfg.mode = abi::MODE_ALL;
            if let Some(c) = comm {
                let b = c.as_bytes();
                let n = b.len().min(15);
                cfg.comm[..n].copy_from_slice(&b[..n]);
            }
        }
    }
    if opts.aggregate {
        cfg.flags |= abi::CFG_AGGREGATE;
        if !opts.timed && !opts.stream {
            cfg.flags |= abi::CFG_NOTIME;
        }
    }
    if opts.stream {
        cfg.flags |= abi::CFG_STREAM;
        if !opts.capture.count_only {
            cfg.flags |= abi::CFG_MEMORY | abi::CFG_BUFFERS;
            if cfg.buf_cap as usize <= abi::INL_MAX {
                cfg.flags |= abi::CFG_INLINE;
            }
            if opts.capture.stacks
                && let Some((ip, sp, bp)) = abi::unwind_slots(arch)
            {
                cfg.flags |= abi::CFG_STACKS;
                cfg.ip_off = ip;
                cfg.sp_off = sp;
                cfg.bp_off = bp;
                cfg.stack_bytes = abi::MEM_MAX as u16;
            }
        }
    }
    if opts.capture.follow {
        cfg.flags |= abi::CFG_FOLLOW;
    }
    {
        let mut descs: Array<&mut MapData, Desc> =
            Array::try_from(bpf.map_mut("DESCS").ok_or_else(|| missing("DESCS"))?)
                .map_err(|e| ebpf_err("DESCS", e))?;
        for nr in 0..abi::MAX_SYSCALLS {
            let d = abi::descriptor(arch, nr, &opts.capture.selection);
            if d != Desc::default() {
                descs.set(nr, d, 0).map_err(|e| ebpf_err("DESCS", e))?;
            }
        }
    }
    {
        let mut config: Array<&mut MapData, Config> =
            Array::try_from(bpf.map_mut("CONFIG").ok_or_else(|| missing("CONFIG"))?)
                .map_err(|e| ebpf_err("CONFIG", e))?;
        config.set(0, cfg, 0).map_err(|e| ebpf_err("CONFIG", e))?;
    }
    // Finds program `$name` of type `$ty` in the object and loads it into the kernel.
    macro_rules! load_program {
        ($ty:ty, $name:expr) => {{
            let p: &mut $ty = bpf
                .program_mut($name)
                .ok_or_else(|| missing($name))?
                .try_into()
                .map_err(|e| ebpf_err($name, e))?;
            p.load()
                .map_err(|e| ebpf_err(&format!("loading {}", $name), verifier_detail(e)))?;
            p
        }};
    }
    // The same for a BTF-typed program on sys_enter.
    macro_rules! load_typed {
        ($name:expr, $btf:expr) => {{
            let p: &mut BtfTracePoint = bpf
                .program_mut($name)
                .ok_or_else(|| missing($name))?
                .try_into()
                .map_err(|e| ebpf_err($name, e))?;
            p.load("sys_enter", $btf)
                .map_err(|e| ebpf_err(&format!("loading {}", $name), verifier_detail(e)))?;
            p
        }};
    }
    // Process tracking first, so no fork between two attachments goes unseen.
    for (prog, category) in [("task_newtask", "task"), ("sched_process_exit", "sched")] {
        load_program!(TracePoint, prog)
            .attach(category, prog)
            .map_err(|e| ebpf_err(&format!("attaching {category}:{prog}"), e))?;
    }
    // The program reached by a tail call: the copying half of sys_enter, loaded only when
    // memory is copied. With BTF, its tp_btf variant (a tail-call table holds programs of one
    // type, and sys_enter's is then tp_btf too).
    let btf = btf()?;
    if cfg.flags & abi::CFG_MEMORY != 0 {
        let (fd, name) = match &btf {
            Some(btf) => (load_typed!("btf_copy_enter", btf).fd(), "btf_copy_enter"),
            None => (
                load_program!(RawTracePoint, "copy_enter").fd(),
                "copy_enter",
            ),
        };
        let fd = fd
            .and_then(|fd| fd.try_clone().map_err(Into::into))
            .map_err(|e| ebpf_err(name, e))?;
        let mut tails: ProgramArray<&mut MapData> =
            ProgramArray::try_from(bpf.map_mut("TAILS").ok_or_else(|| missing("TAILS"))?)
                .map_err(|e| ebpf_err("TAILS", e))?;
        tails
            .set(abi::T_COPY, &fd, 0)
            .map_err(|e| ebpf_err("TAILS", e))?;
    }
    let timed = cfg.flags & abi::CFG_NOTIME == 0;
    let streams = cfg.flags & abi::CFG_STREAM != 0;
    // Statistics only, timed or not, have programs of their own without the streaming code:
    // smaller, so quicker to verify (verification is most of a session's start-up).
    let programs = if streams {
        [("sys_enter", "sys_enter"), ("sys_exit", "sys_exit")]
    } else if timed {
        [("agg_sys_enter", "sys_enter"), ("agg_sys_exit", "sys_exit")]
    } else {
        [
            ("count_sys_enter", "sys_enter"),
            ("count_sys_exit", "sys_exit"),
        ]
    };
    for (name, point) in programs {
        if let (Some(btf), "sys_enter") = (&btf, name) {
            load_typed!("btf_sys_enter", btf)
                .attach()
                .map_err(|e| ebpf_err("attaching tp_btf sys_enter", e))?;
            continue;
        }
        load_program!(RawTracePoint, name)
            .attach(point)
            .map_err(|e| ebpf_err(&format!("attaching raw tracepoint {point}"), e))?;
    }
    Ok(bpf)
}

fn verifier_detail(e: aya::programs::ProgramError) -> String {
    match e {
        aya::programs::ProgramError::LoadError {
            io_error,
            verifier_log,
        } => {
            let log = verifier_log.to_string();
            let tail: Vec<&str> = log.lines().rev().take(8).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!("{io_error}\n{}", tail.join("\n"))
        }
        other => other.to_string(),
    }
}

fn missing(name: &str) -> Error {
    Error::Ebpf(format!(
        "the BPF object has no `{name}`: it does not match this sysgate (rebuild it with scripts/build-bpf.sh)"
    ))
}

/// Starts `cmd` held before `execve` until the program is in the process table.
struct Held {
    pid: i32,
    release: i32,
}

fn spawn_held(cmd: &Command) -> Result<Held, Error> {
    let mut fds = [0i32; 2];
    // SAFETY: pipe2 writes two fds into `fds`, a live local array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(Error::Spawn(io::Error::last_os_error()));
    }
    let image = ExecImage::new(cmd);
    // SAFETY: fork with everything the child needs prepared above; the child makes only raw
    // syscalls on that memory, then execs or exits.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(Error::Spawn(io::Error::last_os_error()));
    }
    if pid == 0 {
        // SAFETY: async-signal-safe calls on memory prepared before the fork.
        unsafe {
            // sysgate blocks the signals it relays; the program starts with none blocked.
            crate::session::relay::unblock_all();
            libc::close(fds[1]);
            let mut b = 0u8;
            // Blocks until the parent has put this process in the table (or died).
            while libc::read(fds[0], &mut b as *mut u8 as *mut libc::c_void, 1) < 0
                && *libc::__errno_location() == libc::EINTR
            {}
            if b != 1 {
                libc::_exit(1);
            }
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            image.exec();
        }
    }
    crate::session::relay::set_target(pid);
    // SAFETY: closing our copy of the read end, an fd this function owns.
    unsafe { libc::close(fds[0]) };
    Ok(Held {
        pid,
        release: fds[1],
    })
}

impl Held {
    fn release(&self) {
        let b = 1u8;
        // SAFETY: writes one byte from a live local to the pipe this struct owns.
        unsafe {
            libc::write(self.release, &b as *const u8 as *const libc::c_void, 1);
            libc::close(self.release);
        }
    }
}

/// Per-thread state of the stream consumer.
#[derive(Default)]
struct Thread {
    mem: Captured,
    /// An exit/exit_group whose entry was shown: it finishes when the thread exits.
    noexit: Option<SyscallEvent>,
    /// A call that returned `ERESTART*`, with the memory copied for it: shown once its thread
    /// goes on (its next call or fork), dropped if the thread dies first, as strace shows
    /// such calls (a thread killed while blocked never returns to user space).
    restarted: Option<(abi::CallRecord, Captured)>,
}

/// The kernel's `ERESTART*` returns, which a signal interrupted and user space never sees.
fn is_restart(ret: i64) -> bool {
    (-516..=-512).contains(&ret)
}

/// Turns ring-buffer records into sink events.
struct Consumer<'a> {
    out: Emitter<'a>,
    opts: &'a Options,
    arch: Arch,
    threads: FxMap<u32, Thread>,
    /// exit_group codes by process, for the exit events.
    exit_codes: FxMap<u32, i32>,
    ev: SyscallEvent,
    records: u64,
    /// Unwinding and naming of the stacks the BPF program copied (`-k`).
    stacks: Option<sysgate_stack::Stacks>,
}

impl Consumer<'_> {
    fn deliver(&mut self, f: impl FnOnce(&mut dyn Sink) -> io::Result<()>) {
        self.out.deliver(f);
    }

    fn record(&mut self, bytes: &[u8]) {
        self.records += 1;
        let Some(rec) = Record::parse(bytes) else {
            return;
        };
        match rec {
            Record::Memory {
                tid, addr, data, ..
            } => {
                self.threads.entry(tid).or_default().mem.push(addr, data);
            }
            Record::Call {
                exits,
                call,
                buffer,
            } => {
                self.release(call.tid);
                let t = self.threads.entry(call.tid).or_default();
                if let Some((addr, data)) = buffer {
                    t.mem.push(addr, data);
                }
                if exits && is_restart(call.ret) {
                    t.restarted = Some((call, std::mem::take(&mut t.mem)));
                    return;
                }
                self.call(exits, &call)
            }
            Record::Fork {
                tid: parent,
                tgid,
                child,
                ts,
                clone_flags,
            } => {
                self.release(parent);
                let pid = if clone_flags & sys::CLONE_THREAD != 0 {
                    tgid
                } else {
                    child
                };
                let ev = TaskEvent {
                    ts_ns: self.out.wall_ns(ts),
                    pid,
                    tid: child,
                    change: TaskChange::Attached,
                };
                self.deliver(|s| s.task(&ev));
            }
            Record::Exit { tid, tgid, ts } => {
                let code = self.exit_codes.get(&tgid).copied().unwrap_or(0);
                if let Some(mut t) = self.threads.remove(&tid)
                    && let Some(mut ev) = t.noexit.take()
                {
                    self.out.unfinished(&mut ev);
                }
                let ev = TaskEvent {
                    ts_ns: self.out.wall_ns(ts),
                    pid: tgid,
                    tid,
                    change: TaskChange::Exited(code),
                };
                self.deliver(|s| s.task(&ev));
            }
        }
    }

    /// Shows the call thread `tid` left in `ERESTART*`, now that the thread has gone on.
    fn release(&mut self, tid: u32) {
        let Some(t) = self.threads.get_mut(&tid) else {
            return;
        };
        let Some((call, mut mem)) = t.restarted.take() else {
            return;
        };
        // Its own copies stand in for those gathered for the thread's next call meanwhile.
        std::mem::swap(&mut t.mem, &mut mem);
        self.call(true, &call);
        if let Some(t) = self.threads.get_mut(&tid) {
            t.mem = mem;
        }
    }

    /// At the end of the session: the interrupted calls of threads still alive.
    fn release_all(&mut self) {
        let mut tids: Vec<u32> = self
            .threads
            .iter()
            .filter(|(_, t)| t.restarted.is_some())
            .map(|(&tid, _)| tid)
            .collect();
        tids.sort_unstable();
        for tid in tids {
            self.release(tid);
        }
    }

    fn call(&mut self, exits: bool, call: &abi::CallRecord) {
        let arch = self.arch;
        let name = sysgate_kb::lookup(arch, u64::from(call.nr));
        if !exits && name.is_some_and(|s| s.name == "exit_group") {
            self.exit_codes.insert(call.tgid, call.args[0] as i32);
        }
        let t = self.threads.entry(call.tid).or_default();
        if !self.opts.capture.selection.contains(arch, call.nr) {
            t.mem.clear();
            return;
        }
        let is_error = exits && (-4095..0).contains(&call.ret);
        // A call that never returns is `unfinished`.
        let wanted = if exits {
            self.opts.capture.status.wants(is_error)
        } else {
            self.opts.capture.status.wants_unfinished()
        };
        if !wanted {
            t.mem.clear();
            return;
        }
        let ev = &mut self.ev;
        let ts = self.out.wall_ns(call.ts);
        begin_call(
            ev,
            ts,
            (call.tgid, call.tid),
            arch,
            u64::from(call.nr),
            call.args,
        );
        ev.stack_pointer = 0;
        if self.opts.capture.count_only {
            ev.decoded.clear();
        } else {
            decode::decode_entry_with(ev, &mut t.mem, &self.opts.capture.decode);
        }
        // -k: the registers and the top of the stack the BPF program copied at entry.
        if let Some(stacks) = &mut self.stacks {
            use crate::decode::Memory as _;
            let mut regs = [0u8; 24];
            if t.mem.read(abi::REGS_ADDR, &mut regs) == 24 {
                let word = |i: usize| {
                    u64::from_le_bytes(regs[i * 8..i * 8 + 8].try_into().unwrap_or_default())
                };
                let mut read = |addr: u64, buf: &mut [u8]| t.mem.read(addr, buf);
                let pcs = stacks.unwind(call.tgid, (word(0), word(1), word(2)), &mut read);
                ev.stack = stacks.symbolize(call.tgid, &pcs);
            }
        }
        let show_entry = self.opts.capture.status.is_all();
        if !exits {
            let ev = ev.clone();
            t.mem.clear();
            if show_entry {
                self.deliver(|s| s.syscall_entry(&ev));
            }
            if let Some(t) = self.threads.get_mut(&call.tid) {
                t.noexit = Some(ev);
            }
            return;
        }
        ev.ret = call.ret;
        ev.is_error = is_error;
        ev.duration_ns = call.dur;
        ev.phase = Phase::Completed;
        if !self.opts.capture.count_only {
            decode::decode_exit_with(ev, &mut t.mem, &self.opts.capture.decode);
        }
        t.mem.clear();
        let ev = &self.ev;
        self.out.deliver(|s| {
            if show_entry {
                s.syscall_entry(ev)?;
            }
            s.syscall_exit(ev)
        });
    }
}

/// How often [`Intervals`] looks for processes it has not named yet: every 20 ms, less often
/// when the map is large, so that scanning takes at most 1% of the reader's time.
const NAME_SCAN: (Duration, Duration) = (Duration::from_millis(20), Duration::from_secs(1));

/// Per-interval statistics for [`run_intervals`]: the in-kernel `STATS` map is read at the end
/// of every interval and diffed against the previous read, so each (process, syscall) pair's
/// calls land in exactly one interval. The kernel's counters only grow, so a read that races
/// with an update is made good by the next one. Processes that have exited are removed from
/// the map once their last counts are out, so the map holds live processes only and an
/// always-on capture does not fill it.
struct Intervals {
    map: BpfHashMap<MapData, StatsKey, Stats>,
    every: Duration,
    /// When the current interval ends.
    due: Instant,
    /// Wall-clock start of the current interval.
    start_ns: u64,
    /// The counters as last read, per (process, syscall).
    prev: HashMap<(u32, u32), Stats>,
    /// Each process's command as last read from /proc, with the number of execs it had made
    /// then: read again when that number grows.
    names: HashMap<u32, (String, u64)>,
    /// The name last delivered to the sink per process.
    delivered: HashMap<u32, String>,
    /// execve and execveat on the native ABI.
    execs: [u32; 2],
    next_scan: Instant,
}

impl Intervals {
    fn new(map: aya::maps::Map, every: Duration) -> Result<Intervals, Error> {
        let map = BpfHashMap::try_from(map).map_err(|e| ebpf_err("STATS", e))?;
        let now = Instant::now();
        Ok(Intervals {
            map,
            every,
            due: now + every,
            start_ns: sys::realtime_ns(),
            prev: HashMap::new(),
            names: HashMap::new(),
            delivered: HashMap::new(),
            execs: ["execve", "execveat"]
                .map(|n| sysgate_kb::number(Arch::native(), n).unwrap_or(u32::MAX)),
            next_scan: now,
        })
    }

    /// Reads the command of each process in the map that is new, or has called execve since
    /// its command was read, from `/proc/PID/comm` while it still runs: a process that lives
    /// a moment keeps its name though nothing about it is streamed.
    fn learn_names(&mut self) {
        let mut pids: HashMap<u32, u64> = HashMap::new();
        for k in self.map.keys().flatten() {
            let execs = if self.execs.contains(&k.nr) {
                self.map.get(&k, 0).map_or(0, |s| s.count)
            } else {
                0
            };
            *pids.entry(k.tgid).or_default() += execs;
        }
        for (pid, execs) in pids {
            if self.names.get(&pid).is_some_and(|(_, seen)| *seen >= execs) {
                continue;
            }
            if let Ok(comm) = std::fs::read_to_string(format!("/proc/{pid}/comm")) {
                self.names
                    .insert(pid, (comm.trim_end_matches('\n').to_string(), execs));
            }
        }
    }

    /// Names the program sysgate started after the file it executes (as the kernel names it),
    /// so that a program that exits before its name could be read keeps it.
    fn started(&mut self, pid: u32, path: &std::ffi::CStr) {
        let path = path.to_bytes();
        let base = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
        let comm = String::from_utf8_lossy(&base[..base.len().min(15)]).into_owned();
        // Its one execve is the one that runs the program.
        self.names.insert(pid, (comm, 1));
    }

    /// Delivers `pid`'s name before its first aggregate, and again when it changed.
    fn name(&mut self, pid: u32, out: &mut Emitter<'_>) {
        let Some((comm, _)) = self.names.get(&pid) else {
            return;
        };
        if self.delivered.get(&pid) != Some(comm) {
            out.task(pid, pid, TaskChange::named(comm));
            self.delivered.insert(pid, comm.clone());
        }
    }

    /// Between ring-buffer reads: learns the names of new processes now and then, and ends
    /// the interval when it is due.
    fn tick(&mut self, out: &mut Emitter<'_>) -> Result<(), Error> {
        let now = Instant::now();
        if now >= self.next_scan {
            self.learn_names();
            let took = now.elapsed();
            self.next_scan = now + (took * 100).clamp(NAME_SCAN.0, NAME_SCAN.1);
        }
        if now >= self.due {
            self.snapshot(out)?;
            // A reader that fell far behind starts a fresh interval rather than a burst.
            self.due = (self.due + self.every).max(now);
        }
        Ok(())
    }

    /// Ends the current interval: delivers what each (process, syscall) pair gained since the
    /// last read, then `interval_end`, and forgets the processes that have exited.
    fn snapshot(&mut self, out: &mut Emitter<'_>) -> Result<(), Error> {
        self.learn_names();
        let end_ns = sys::realtime_ns();
        let arch = Arch::native();
        let mut rows = Vec::new();
        for item in self.map.iter() {
            let (k, s) = item.map_err(|e| ebpf_err("reading STATS", e))?;
            rows.push((k, s));
        }
        rows.sort_by_key(|(k, _)| (k.tgid, k.nr));
        for (k, s) in &rows {
            let before = self.prev.get(&(k.tgid, k.nr)).copied().unwrap_or_default();
            if let Some(ev) = interval_delta(k, s, &before, (self.start_ns, end_ns), arch) {
                self.name(k.tgid, out);
                out.deliver(|sink| sink.aggregate(&ev));
            }
            self.prev.insert((k.tgid, k.nr), *s);
        }
        out.deliver(|sink| sink.interval_end(end_ns));
        self.start_ns = end_ns;
        // A process that no longer exists made its last call before this read: its counts
        // are all out, and its entries would otherwise fill the map on a long capture.
        let gone: HashSet<u32> = rows
            .iter()
            .map(|(k, _)| k.tgid)
            .filter(|&pid| {
                sys::kill(pid as i32, 0).is_err_and(|e| e.raw_os_error() == Some(libc::ESRCH))
            })
            .collect();
        for (k, _) in rows.iter().filter(|(k, _)| gone.contains(&k.tgid)) {
            let _ = self.map.remove(k);
            self.prev.remove(&(k.tgid, k.nr));
        }
        self.names.retain(|p, _| !gone.contains(p));
        self.delivered.retain(|p, _| !gone.contains(p));
        Ok(())
    }
}

/// What the counters `now` gained over `before`, as an aggregate of the interval `span`;
/// `None` when nothing changed.
fn interval_delta(
    k: &StatsKey,
    now: &Stats,
    before: &Stats,
    span: (u64, u64),
    arch: Arch,
) -> Option<AggregateEvent> {
    let mut log2_hist = [0u64; AGGREGATE_BUCKETS];
    for (i, h) in log2_hist.iter_mut().enumerate() {
        let (a, b) = (
            now.hist.get(i).copied().unwrap_or(0),
            before.hist.get(i).copied().unwrap_or(0),
        );
        *h = a.saturating_sub(b);
    }
    let calls = now.count.saturating_sub(before.count);
    let errors = now.errors.saturating_sub(before.errors);
    let total_ns = now.total_ns.saturating_sub(before.total_ns);
    if calls == 0 && errors == 0 && total_ns == 0 && log2_hist.iter().all(|&n| n == 0) {
        return None;
    }
    // The kernel keeps the longest call of the whole run: it belongs to this interval when it
    // grew; otherwise the interval's longest call is at most its highest bucket's bound.
    let max_ns = if now.max_ns > before.max_ns {
        now.max_ns
    } else {
        match log2_hist.iter().rposition(|&n| n != 0) {
            Some(i) if i + 1 < AGGREGATE_BUCKETS => now.max_ns.min((2u64 << i) - 1),
            _ => now.max_ns,
        }
    };
    Some(AggregateEvent {
        start_ns: span.0,
        end_ns: span.1,
        pid: k.tgid,
        arch,
        nr: k.nr,
        calls,
        errors,
        total_ns,
        max_ns,
        log2_hist,
    })
}

/// Runs one eBPF session: loads and attaches the program, runs or watches `target`, streams
/// records into `sink` (when `opts.stream`) and returns the outcome, the loss counters and the
/// in-kernel statistics (when `opts.aggregate`).
pub fn run(opts: &Options, target: &Target, sink: &mut dyn Sink) -> Result<Report, Error> {
    run_with(opts, target, sink, None)
}

/// [`run`] with the in-kernel statistics delivered as they accumulate (`opts.aggregate` is
/// implied): every `every`, and once more at the end, the sink receives a
/// [`Sink::aggregate`] for each (process, syscall) pair that made calls in the interval, then
/// [`Sink::interval_end`]; processes are named ([`TaskChange::Named`]) as they are first seen.
/// Summing the intervals gives the whole run.
pub fn run_intervals(
    opts: &Options,
    target: &Target,
    sink: &mut dyn Sink,
    every: Duration,
) -> Result<Report, Error> {
    let opts = Options {
        aggregate: true,
        ..opts.clone()
    };
    run_with(
        &opts,
        target,
        sink,
        Some(every.max(Duration::from_millis(10))),
    )
}

fn run_with(
    opts: &Options,
    target: &Target,
    sink: &mut dyn Sink,
    every: Option<Duration>,
) -> Result<Report, Error> {
    let start = Instant::now();
    // Start the program first (held before execve) so that a bad command fails before the
    // BPF work, and the table can be seeded before anything of it runs.
    let held = match target {
        Target::Spawn(cmd) => Some(spawn_held(cmd)?),
        _ => None,
    };
    // The spawned process's statistics are kept per CPU, except for interval snapshots, which
    // diff the STATS hash and drop what exited processes left there.
    let root = match (&held, &opts.scope) {
        (Some(h), Scope::Tree) if every.is_none() => Some(h.pid as u32),
        _ => None,
    };
    let (mut bpf, typed) = match load(opts, root) {
        Ok(b) => b,
        Err(e) => {
            if let Some(h) = &held {
                let _ = sys::kill(h.pid, libc::SIGKILL);
                let _ = sys::wait(h.pid, 0);
            }
            return Err(e);
        }
    };
    let startup = Startup {
        took: start.elapsed(),
        typed,
    };
    if opts.stream {
        // The reader competes for CPU with the programs it traces; when they keep every core
        // busy, a reader at their priority falls behind and the ring overflows. Raise it (the
        // traced program, forked already, keeps its own priority); without the right to, stay.
        // SAFETY: setpriority takes no pointers.
        unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, -10) };
    }
    let mut ring = match bpf.take_map("EVENTS") {
        Some(aya::maps::Map::RingBuf(data)) => {
            ring::Ring::new(data, u64::from(ring_bytes(opts))).map_err(|e| ebpf_err("EVENTS", e))?
        }
        _ => return Err(missing("EVENTS")),
    };
    let tree: BpfHashMap<MapData, u32, Proc> =
        BpfHashMap::try_from(bpf.take_map("TREE").ok_or_else(|| missing("TREE"))?)
            .map_err(|e| ebpf_err("TREE", e))?;
    let mut tree = tree;
    let mut intervals = match every {
        Some(every) => Some(Intervals::new(
            bpf.take_map("STATS").ok_or_else(|| missing("STATS"))?,
            every,
        )?),
        None => None,
    };
    let mut snapshot_error: Option<Error> = None;
    let mut root: Option<u32> = None;
    match target {
        Target::Spawn(_) => {
            let h = held.as_ref().expect("spawned");
            let pid = h.pid as u32;
            let seeded = tree.insert(
                pid,
                Proc {
                    threads: 1,
                    pending: u32::from(matches!(opts.scope, Scope::Tree)),
                },
                0,
            );
            if let Err(e) = seeded {
                let _ = sys::kill(h.pid, libc::SIGKILL);
                let _ = sys::wait(h.pid, 0);
                return Err(ebpf_err("seeding the process table", e));
            }
            root = Some(pid);
            h.release();
        }
        Target::Attach(pids) => {
            for &pid in pids {
                let threads = sys::threads_of(pid)?.len() as u32;
                tree.insert(
                    pid,
                    Proc {
                        threads,
                        pending: 0,
                    },
                    0,
                )
                .map_err(|e| ebpf_err("seeding the process table", e))?;
            }
        }
        Target::Watch => {}
    }
    if let (Some(iv), Some(pid), Target::Spawn(cmd)) = (&mut intervals, root, target) {
        iv.started(pid, &cmd.path);
    }
    let mut consumer = Consumer {
        out: Emitter::new(sink),
        opts,
        arch: Arch::native(),
        threads: FxMap::default(),
        exit_codes: FxMap::default(),
        ev: SyscallEvent::new(),
        records: 0,
        stacks: opts
            .capture
            .stacks
            .then(|| sysgate_stack::Stacks::with_debug_dirs(opts.capture.debug_dirs.clone())),
    };
    if let Some(pid) = root {
        let ev = TaskEvent {
            ts_ns: sys::realtime_ns(),
            pid,
            tid: pid,
            change: TaskChange::Attached,
        };
        consumer.deliver(|s| s.task(&ev));
    }
    let ring_fd = ring.as_raw_fd();
    // The spawned program's exit wakes the poll below at once (a pidfd is readable from then
    // on), rather than at the next 10 ms tick: most of a short program's session otherwise.
    // SAFETY: pidfd_open takes a pid and flags; a failure (kernel < 5.3) leaves the tick.
    let root_fd = root
        .map(|pid| unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) } as i32)
        .filter(|&fd| fd >= 0);
    let mut root_status: Option<Outcome> = None;
    let mut interrupted: Option<i32> = None;
    let in_tree = matches!(opts.scope, Scope::Tree);
    loop {
        ring.drain(|r| consumer.record(r));
        if let Some(iv) = &mut intervals
            && snapshot_error.is_none()
            && let Err(e) = iv.tick(&mut consumer.out)
        {
            snapshot_error = Some(e);
        }
        if (consumer.out.failed() || snapshot_error.is_some()) && interrupted.is_none() {
            interrupted = Some(libc::SIGPIPE);
        }
        let sig = INTERRUPTED.load(Ordering::Relaxed);
        if sig != 0 {
            crate::session::relay::ack();
            if interrupted.is_none() {
                interrupted = Some(sig);
            }
        }
        if let Some(sig) = interrupted {
            if root.is_some() {
                // Kill what sysgate started, as the ptrace engine does.
                for pid in tree.keys().flatten().collect::<Vec<_>>() {
                    let _ = sys::kill(pid as i32, libc::SIGKILL);
                }
                if let Some(pid) = root {
                    let _ = sys::kill(pid as i32, libc::SIGKILL);
                    let _ = sys::wait(pid as i32, 0);
                }
                root_status = Some(Outcome::Interrupted(sig));
            } else {
                root_status = Some(Outcome::Detached);
            }
            break;
        }
        if let Some(pid) = root
            && root_status.is_none()
            && let Ok(Some((_, status))) = sys::wait(pid as i32, libc::WNOHANG)
        {
            root_status = Some(if libc::WIFSIGNALED(status) {
                Outcome::Signaled {
                    signal: libc::WTERMSIG(status),
                    core: libc::WCOREDUMP(status),
                }
            } else {
                Outcome::Exited(libc::WEXITSTATUS(status))
            });
            if !in_tree {
                break;
            }
        }
        let tree_done =
            in_tree && (root.is_none() || root_status.is_some()) && tree.keys().next().is_none();
        if tree_done {
            break;
        }
        consumer.out.deliver(|s| s.idle());
        let pollfd = |fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // Once the program is reaped its pidfd stays readable: left out from then on (a
        // negative fd is skipped).
        let mut pfds = [
            pollfd(ring_fd),
            pollfd(root_fd.filter(|_| root_status.is_none()).unwrap_or(-1)),
        ];
        // The program wakes this poll only when a quarter of the ring is full (wake-ups are
        // costly for the traced program), so records wait at most this long.
        // SAFETY: two pollfds in a live local array.
        unsafe { libc::poll(pfds.as_mut_ptr(), 2, POLL_MS) };
    }
    if let Some(fd) = root_fd {
        // SAFETY: our own descriptor, closed once.
        unsafe { libc::close(fd) };
    }
    // Stop the programs (nothing is in the scope they are switched to), read what is left,
    // and detach them in the background: the kernel's detach waits for RCU grace periods, tens
    // of milliseconds per tracepoint, that nobody needs to wait for.
    stop(&mut bpf)?;
    let counters = bpf
        .take_map("COUNTERS")
        .ok_or_else(|| missing("COUNTERS"))?;
    let stats_maps = match intervals {
        Some(_) => None,
        None => Some((
            bpf.take_map("STATS").ok_or_else(|| missing("STATS"))?,
            bpf.take_map("ROOT_STATS")
                .ok_or_else(|| missing("ROOT_STATS"))?,
        )),
    };
    detach_in_background(bpf);
    ring.drain(|r| consumer.record(r));
    consumer.release_all();
    if let Some(e) = snapshot_error {
        return Err(e);
    }
    let loss = read_loss(counters)?;
    let stats = match stats_maps {
        Some((map, per_cpu)) if opts.aggregate => read_stats(map, per_cpu, root)?,
        _ => Vec::new(),
    };
    if let Some(iv) = &mut intervals {
        // The last interval, up to the detach.
        iv.snapshot(&mut consumer.out)?;
    }
    consumer.out.finish().map_err(Error::Output)?;
    let outcome = match root_status {
        Some(o) => o,
        // Attached processes that all exited.
        None => match target {
            Target::Attach(pids) => Outcome::Exited(
                pids.first()
                    .and_then(|p| consumer.exit_codes.get(p))
                    .copied()
                    .unwrap_or(0),
            ),
            _ => Outcome::Detached,
        },
    };
    Ok(Report {
        outcome,
        loss,
        stats,
        startup,
        records: consumer.records,
    })
}

fn read_loss(map: aya::maps::Map) -> Result<Loss, Error> {
    let counters: PerCpuArray<MapData, u64> =
        PerCpuArray::try_from(map).map_err(|e| ebpf_err("COUNTERS", e))?;
    let get = |i: u32| -> u64 {
        counters
            .get(&i, 0)
            .map(|v| v.iter().copied().sum())
            .unwrap_or(0)
    };
    Ok(Loss {
        events: get(abi::C_LOST_EVENTS),
        memory: get(abi::C_LOST_MEMORY),
        inflight: get(abi::C_INFLIGHT_FULL),
        stats: get(abi::C_STATS_FULL),
        tree: get(abi::C_TREE_FULL),
    })
}

/// The statistics: the STATS hash, and the spawned process's (`root`) summed over the CPUs of
/// ROOT_STATS. Per-CPU counts are added with wrapping arithmetic: without timing, a call
/// counted on one CPU can be taken back on another.
fn read_stats(
    map: aya::maps::Map,
    per_cpu: aya::maps::Map,
    root: Option<u32>,
) -> Result<Vec<StatsRow>, Error> {
    let map: BpfHashMap<MapData, StatsKey, Stats> =
        BpfHashMap::try_from(map).map_err(|e| ebpf_err("STATS", e))?;
    let mut rows = Vec::new();
    if let Some(tgid) = root {
        let per_cpu: PerCpuArray<MapData, Stats> =
            PerCpuArray::try_from(per_cpu).map_err(|e| ebpf_err("ROOT_STATS", e))?;
        for nr in 0..abi::MAX_SYSCALLS {
            let cpus = per_cpu
                .get(&nr, 0)
                .map_err(|e| ebpf_err("reading ROOT_STATS", e))?;
            let mut sum = Stats::default();
            for s in cpus.iter() {
                sum.count = sum.count.wrapping_add(s.count);
                sum.errors = sum.errors.wrapping_add(s.errors);
                sum.total_ns += s.total_ns;
                sum.max_ns = sum.max_ns.max(s.max_ns);
                for (a, b) in sum.hist.iter_mut().zip(s.hist) {
                    *a += b;
                }
            }
            if sum.count != 0 {
                rows.push(StatsRow {
                    pid: tgid,
                    nr,
                    count: sum.count,
                    errors: sum.errors,
                    total_ns: sum.total_ns,
                    max_ns: sum.max_ns,
                    hist: sum.hist,
                });
            }
        }
    }
    for item in map.iter() {
        let (k, s) = item.map_err(|e| ebpf_err("reading STATS", e))?;
        rows.push(StatsRow {
            pid: k.tgid,
            nr: k.nr,
            count: s.count,
            errors: s.errors,
            total_ns: s.total_ns,
            max_ns: s.max_ns,
            hist: s.hist,
        });
    }
    rows.sort_by_key(|r| (r.pid, r.nr));
    Ok(rows)
}
