//! `sysgate bench`: measures on this machine the untraced syscall costs `advise` uses, prints
//! them, and saves them where `advise` finds them (`$XDG_CACHE_HOME/sysgate/costs.json`).
//!
//! The timing harness and the measurements std can reach live in
//! `sysgate_analyze::advise::measure`; the ones that need raw `libc` calls (mmap, fork,
//! posix_spawn, poll, epoll, io_uring) are here.

use std::ffi::CString;
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::json;
use sysgate_analyze::advise::cost::fmt_ns;
use sysgate_analyze::advise::measure::{Bench, Row, scan, std_suite};

use crate::args::BenchArgs;

/// Where `bench` saves and `advise` loads the measured model: `$XDG_CACHE_HOME/sysgate/costs.json`,
/// else `~/.cache/sysgate/costs.json`.
pub fn default_costs_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?).join(".cache"),
    };
    Some(base.join("sysgate").join("costs.json"))
}

fn errno() -> io::Error {
    io::Error::last_os_error()
}

/// fork + execve("/bin/true") + wait, fork + _exit + wait, posix_spawn + wait.
fn processes(b: &mut Bench) {
    let path = CString::new("/bin/true").unwrap();
    let argv = [path.as_ptr(), std::ptr::null()];
    let envp = [std::ptr::null::<libc::c_char>()];
    let max = if b.quick { 20 } else { 400 };
    let wait = |pid: libc::pid_t| {
        let mut st = 0;
        // SAFETY: `st` is a live local.
        unsafe { libc::waitpid(pid, &mut st, 0) };
    };
    b.measure(
        "fork_exec_wait",
        "processes",
        "fork + execve(/bin/true) + wait4",
        max,
        || {
            // SAFETY: the child only calls async-signal-safe functions (execve, _exit) with
            // pointers prepared before the fork.
            let pid = unsafe { libc::fork() };
            if pid == 0 {
                // SAFETY: in the child: execve with NULL-terminated arrays of live C strings.
                unsafe {
                    libc::execve(path.as_ptr(), argv.as_ptr(), envp.as_ptr());
                    libc::_exit(127);
                }
            }
            wait(pid);
        },
    );
    b.measure(
        "vfork_exec_wait",
        "processes",
        "posix_spawn(/bin/true) + wait4",
        max,
        || {
            let mut pid = 0;
            // SAFETY: argv and envp are NULL-terminated arrays of live C strings.
            let rc = unsafe {
                libc::posix_spawn(
                    &mut pid,
                    path.as_ptr(),
                    std::ptr::null(),
                    std::ptr::null(),
                    argv.as_ptr() as *const *mut libc::c_char,
                    envp.as_ptr() as *const *mut libc::c_char,
                )
            };
            if rc == 0 {
                wait(pid);
            }
        },
    );
    b.measure(
        "fork_wait",
        "processes",
        "fork + _exit + wait4",
        max,
        || {
            // SAFETY: the child exits at once.
            let pid = unsafe { libc::fork() };
            if pid == 0 {
                // SAFETY: in the child: _exit is async-signal-safe.
                unsafe { libc::_exit(0) };
            }
            wait(pid);
        },
    );
}

/// mmap/munmap, page faults, and repeated full reads of a file vs mmap + scan.
fn memory(b: &mut Bench) -> Result<()> {
    const LEN: usize = 1 << 20;
    let anon = |len: usize| {
        // SAFETY: an anonymous private mapping; checked below.
        unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        }
    };
    b.measure(
        "mmap_munmap",
        "memory",
        "mmap + munmap of 1 MiB anonymous memory, untouched",
        1_000_000,
        || {
            let p = anon(LEN);
            assert_ne!(p, libc::MAP_FAILED);
            // SAFETY: `p` is the mapping just made.
            unsafe { libc::munmap(p, LEN) };
        },
    );
    let pages = LEN / 4096;
    let ns = b.time(100_000, || {
        let p = anon(LEN);
        assert_ne!(p, libc::MAP_FAILED);
        for i in 0..pages {
            // SAFETY: inside the mapping.
            unsafe { (p as *mut u8).add(i * 4096).write_volatile(1) };
        }
        // SAFETY: `p` is the mapping just made.
        unsafe { libc::munmap(p, LEN) };
    });
    let base = b.get("mmap_munmap").unwrap_or(0.0);
    b.add(
        "page_fault",
        "memory",
        "first touch of an anonymous 4 KiB page (256 pages of a fresh 1 MiB mapping)",
        ((ns - base) / pages as f64).max(0.0),
    );

    // The file `reread_1048576` read in full; here mapped and scanned instead.
    let path = b.dir().join("f");
    let sum = scan;
    b.measure(
        "mmap_scan_1048576",
        "files",
        "open + mmap 1 MiB + sum the bytes + munmap + close",
        100_000,
        || {
            let f = File::open(&path).unwrap();
            // SAFETY: a private read-only mapping of a file nobody writes meanwhile.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    LEN,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE,
                    f.as_raw_fd(),
                    0,
                )
            };
            assert_ne!(p, libc::MAP_FAILED);
            // SAFETY: the mapping is LEN readable bytes.
            let s = unsafe { std::slice::from_raw_parts(p as *const u8, LEN) };
            std::hint::black_box(sum(s));
            // SAFETY: `p` is the mapping just made.
            unsafe { libc::munmap(p, LEN) };
        },
    );
    let f = File::open(&path)?;
    // SAFETY: a private read-only mapping kept for the loop, unmapped after it.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            LEN,
            libc::PROT_READ,
            libc::MAP_PRIVATE,
            f.as_raw_fd(),
            0,
        )
    };
    if p == libc::MAP_FAILED {
        bail!("mmap of {}: {}", path.display(), errno());
    }
    // SAFETY: the mapping is LEN readable bytes until the munmap below.
    let s = unsafe { std::slice::from_raw_parts(p as *const u8, LEN) };
    b.measure(
        "mapped_scan_1048576",
        "files",
        "sum 1 MiB of a file mapped once (no syscall per pass)",
        100_000,
        || {
            std::hint::black_box(sum(s));
        },
    );
    // SAFETY: `p` is the mapping made above; `s` is not used after this.
    unsafe { libc::munmap(p, LEN) };
    Ok(())
}

/// Zero-timeout waits and EAGAIN.
fn waits(b: &mut Bench) -> Result<()> {
    let (r, _w) = io::pipe()?;
    let fd = r.as_raw_fd();
    b.measure(
        "poll_zero",
        "syscall",
        "poll on one fd, timeout 0, nothing ready",
        2_000_000,
        || {
            let mut p = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one live pollfd.
            unsafe { libc::poll(&mut p, 1, 0) };
        },
    );
    // SAFETY: plain syscalls on fds this function owns; closed below.
    let ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if ep < 0 {
        b.skip("epoll_zero", format!("epoll_create1: {}", errno()));
    } else {
        let mut ev = libc::epoll_event {
            events: libc::EPOLLIN as u32,
            u64: 0,
        };
        // SAFETY: `ev` is a live local.
        unsafe { libc::epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, &mut ev) };
        let mut out = [libc::epoll_event { events: 0, u64: 0 }; 8];
        b.measure(
            "epoll_zero",
            "syscall",
            "epoll_wait, timeout 0, nothing ready",
            2_000_000,
            || {
                // SAFETY: `out` has room for 8 events.
                unsafe { libc::epoll_wait(ep, out.as_mut_ptr(), 8, 0) };
            },
        );
        // SAFETY: `ep` is ours.
        unsafe { libc::close(ep) };
    }
    // SAFETY: F_SETFL on our own pipe.
    unsafe { libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK) };
    let mut buf = [0u8; 64];
    b.measure(
        "eagain",
        "syscall",
        "read on an empty non-blocking pipe (EAGAIN)",
        2_000_000,
        || {
            // SAFETY: `buf` is a live local of 64 bytes.
            unsafe { libc::read(fd, buf.as_mut_ptr().cast(), 64) };
        },
    );
    Ok(())
}

// io_uring through raw syscalls (no liburing): just enough for N reads in one submission.
const IORING_OFF_SQ_RING: i64 = 0;
const IORING_OFF_CQ_RING: i64 = 0x800_0000;
const IORING_OFF_SQES: i64 = 0x1000_0000;
const IORING_FEAT_SINGLE_MMAP: u32 = 1;
const IORING_ENTER_GETEVENTS: u32 = 1;
const IORING_OP_READ: u8 = 22;

#[repr(C)]
#[derive(Default)]
struct SqOffsets {
    head: u32,
    tail: u32,
    ring_mask: u32,
    ring_entries: u32,
    flags: u32,
    dropped: u32,
    array: u32,
    resv1: u32,
    user_addr: u64,
}

#[repr(C)]
#[derive(Default)]
struct CqOffsets {
    head: u32,
    tail: u32,
    ring_mask: u32,
    ring_entries: u32,
    overflow: u32,
    cqes: u32,
    flags: u32,
    resv1: u32,
    user_addr: u64,
}

#[repr(C)]
#[derive(Default)]
struct Params {
    sq_entries: u32,
    cq_entries: u32,
    flags: u32,
    sq_thread_cpu: u32,
    sq_thread_idle: u32,
    features: u32,
    wq_fd: u32,
    resv: [u32; 3],
    sq_off: SqOffsets,
    cq_off: CqOffsets,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct Sqe {
    opcode: u8,
    flags: u8,
    ioprio: u16,
    fd: i32,
    off: u64,
    addr: u64,
    len: u32,
    rw_flags: u32,
    user_data: u64,
    pad: [u64; 3],
}

#[repr(C)]
struct Cqe {
    user_data: u64,
    res: i32,
    flags: u32,
}

struct Ring {
    fd: i32,
    sq: *mut u8,
    sq_len: usize,
    cq: *mut u8,
    cq_len: usize,
    sqes: *mut Sqe,
    sqes_len: usize,
    p: Params,
}

impl Ring {
    fn new(entries: u32) -> io::Result<Ring> {
        let mut p = Params::default();
        // SAFETY: `p` is a live io_uring_params the kernel fills in.
        let fd = unsafe { libc::syscall(libc::SYS_io_uring_setup, entries, &mut p) } as i32;
        if fd < 0 {
            return Err(errno());
        }
        let sq_len = p.sq_off.array as usize + p.sq_entries as usize * 4;
        let cq_len = p.cq_off.cqes as usize + p.cq_entries as usize * size_of::<Cqe>();
        let map = |len: usize, off: i64| {
            // SAFETY: mapping the ring regions of our own io_uring fd.
            let m = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_SHARED | libc::MAP_POPULATE,
                    fd,
                    off,
                )
            };
            if m == libc::MAP_FAILED {
                Err(errno())
            } else {
                Ok(m.cast::<u8>())
            }
        };
        let single = p.features & IORING_FEAT_SINGLE_MMAP != 0;
        let (sq_len, cq_len) = if single {
            (sq_len.max(cq_len), 0)
        } else {
            (sq_len, cq_len)
        };
        let sq = map(sq_len, IORING_OFF_SQ_RING)?;
        let cq = if single {
            sq
        } else {
            map(cq_len, IORING_OFF_CQ_RING)?
        };
        let sqes_len = p.sq_entries as usize * size_of::<Sqe>();
        let sqes = map(sqes_len, IORING_OFF_SQES)?.cast::<Sqe>();
        Ok(Ring {
            fd,
            sq,
            sq_len,
            cq,
            cq_len,
            sqes,
            sqes_len,
            p,
        })
    }

    fn u32_at(base: *mut u8, off: u32) -> &'static std::sync::atomic::AtomicU32 {
        // SAFETY: `off` is an offset the kernel gave for a u32 inside a live ring mapping.
        unsafe {
            &*(base
                .add(off as usize)
                .cast::<std::sync::atomic::AtomicU32>())
        }
    }

    /// Submits `n` reads of `len` bytes from `fd` into `bufs` and waits for all of them.
    fn read_batch(&self, fd: i32, bufs: &mut [Vec<u8>], len: usize) -> io::Result<()> {
        use std::sync::atomic::Ordering::{Acquire, Release};
        let so = &self.p.sq_off;
        let co = &self.p.cq_off;
        let mask = Self::u32_at(self.sq, so.ring_mask).load(Acquire);
        let tail = Self::u32_at(self.sq, so.tail);
        let mut t = tail.load(Acquire);
        let array = self.sq.wrapping_add(so.array as usize).cast::<u32>();
        for (i, buf) in bufs.iter_mut().enumerate() {
            let idx = t & mask;
            // SAFETY: idx < sq_entries; both arrays are inside their mappings.
            unsafe {
                self.sqes.add(idx as usize).write(Sqe {
                    opcode: IORING_OP_READ,
                    flags: 0,
                    ioprio: 0,
                    fd,
                    off: 0,
                    addr: buf.as_mut_ptr() as u64,
                    len: len as u32,
                    rw_flags: 0,
                    user_data: i as u64,
                    pad: [0; 3],
                });
                array.add(idx as usize).write(idx);
            }
            t = t.wrapping_add(1);
        }
        tail.store(t, Release);
        let n = bufs.len() as u32;
        // SAFETY: io_uring_enter on our ring, no signal mask.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_io_uring_enter,
                self.fd,
                n,
                n,
                IORING_ENTER_GETEVENTS,
                std::ptr::null::<u8>(),
                0usize,
            )
        };
        if rc < 0 {
            return Err(errno());
        }
        let chead = Self::u32_at(self.cq, co.head);
        let ctail = Self::u32_at(self.cq, co.tail);
        let cmask = Self::u32_at(self.cq, co.ring_mask).load(Acquire);
        let mut h = chead.load(Acquire);
        let mut done = 0;
        while done < n {
            if h == ctail.load(Acquire) {
                // SAFETY: as above, waiting for the remaining completions.
                let rc = unsafe {
                    libc::syscall(
                        libc::SYS_io_uring_enter,
                        self.fd,
                        0,
                        n - done,
                        IORING_ENTER_GETEVENTS,
                        std::ptr::null::<u8>(),
                        0usize,
                    )
                };
                if rc < 0 {
                    return Err(errno());
                }
                continue;
            }
            // SAFETY: the cqe at h & mask is inside the CQ mapping.
            let cqe = unsafe {
                &*self
                    .cq
                    .add(co.cqes as usize)
                    .cast::<Cqe>()
                    .add((h & cmask) as usize)
            };
            if cqe.res < 0 {
                return Err(io::Error::from_raw_os_error(-cqe.res));
            }
            h = h.wrapping_add(1);
            done += 1;
        }
        chead.store(h, Release);
        Ok(())
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: unmapping what `new` mapped and closing its fd.
        unsafe {
            libc::munmap(self.sqes.cast(), self.sqes_len);
            if self.cq != self.sq {
                libc::munmap(self.cq.cast(), self.cq_len);
            }
            libc::munmap(self.sq.cast(), self.sq_len);
            libc::close(self.fd);
        }
    }
}

/// N individual preads vs one io_uring submission of N reads, N = 64, 4 KiB each.
fn io_uring(b: &mut Bench) -> Result<()> {
    const N: usize = 64;
    const LEN: usize = 4096;
    let key = "io_uring_64x4096";
    let ring = match Ring::new(N as u32) {
        Ok(r) => r,
        Err(e) => {
            let why = match e.raw_os_error() {
                Some(libc::EPERM) | Some(libc::EACCES) => {
                    "not permitted here (seccomp profile, kernel.io_uring_disabled or a container)"
                }
                Some(libc::ENOSYS) => "the kernel has no io_uring",
                _ => "io_uring_setup failed",
            };
            b.skip(key, format!("io_uring_setup: {e}: {why}"));
            return Ok(());
        }
    };
    let path = b.dir().join("f");
    let f = File::open(&path)?;
    let fd = f.as_raw_fd();
    let mut bufs: Vec<Vec<u8>> = (0..N).map(|_| vec![0u8; LEN]).collect();
    if let Err(e) = ring.read_batch(fd, &mut bufs, LEN) {
        b.skip(key, format!("io_uring_enter: {e}"));
        return Ok(());
    }
    let ns = b.time(100_000, || {
        for buf in bufs.iter_mut() {
            // SAFETY: `buf` has LEN bytes.
            unsafe { libc::pread(fd, buf.as_mut_ptr().cast(), LEN, 0) };
        }
    });
    b.add(
        "preads_64x4096",
        "io_uring",
        "64 preads of 4 KiB, one syscall each (per batch)",
        ns,
    );
    let ns = b.time(100_000, || {
        ring.read_batch(fd, &mut bufs, LEN).unwrap();
    });
    b.add(
        key,
        "io_uring",
        "one io_uring_enter submitting and reaping 64 reads of 4 KiB (per batch)",
        ns,
    );
    Ok(())
}

fn machine() -> serde_json::Value {
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_default();
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    json!({"kernel": kernel, "cpu": cpu, "cpus": cpus, "arch": std::env::consts::ARCH})
}

fn table(rows: &[Row]) -> String {
    const ORDER: [&str; 7] = [
        "syscall",
        "read",
        "write",
        "files",
        "memory",
        "io_uring",
        "processes",
    ];
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by_key(|r| {
        ORDER
            .iter()
            .position(|g| *g == r.group)
            .unwrap_or(ORDER.len())
    });
    let mut s = String::new();
    let mut group = "";
    for r in rows {
        if r.group != group {
            group = r.group;
            s.push_str(&format!("\n{group}\n"));
        }
        let ns = if r.key.ends_with("_per_byte") {
            format!("{:.4} ns/B", r.ns)
        } else {
            fmt_ns(r.ns)
        };
        s.push_str(&format!("  {:<24} {:>12}  {}\n", r.key, ns, r.what));
    }
    s
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    let path = match &args.output {
        Some(p) => p.clone(),
        None => default_costs_path()
            .context("cannot find the cache directory: neither XDG_CACHE_HOME nor HOME is set (use --output FILE)")?,
    };
    // Fail before measuring, not after.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "cannot create {} to save the cost model (use --output FILE)",
                dir.display()
            )
        })?;
    }
    let start = Instant::now();
    let quiet = args.json;
    let mut n = 0;
    let progress: Box<dyn FnMut(&Row)> = Box::new(move |r: &Row| {
        n += 1;
        if !quiet {
            say_partial!("\rsysgate bench: {n:>2} costs measured, last {:<32}", r.key);
        }
    });
    let mut b = Bench::new(args.quick, progress).context("cannot create a scratch directory")?;
    std_suite(&mut b).context("measuring")?;
    memory(&mut b)?;
    waits(&mut b)?;
    io_uring(&mut b)?;
    processes(&mut b);
    if !quiet {
        say_partial!("\r{:<70}\r", "");
    }
    let mut doc = b.to_json(machine());
    doc["elapsed_ms"] = json!(start.elapsed().as_millis() as u64);
    let text = serde_json::to_string_pretty(&doc)?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, format!("{text}\n"))
        .and_then(|()| std::fs::rename(&tmp, &path))
        .with_context(|| format!("cannot write the cost model to {}", path.display()))?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.json {
        writeln!(out, "{text}")?;
    } else {
        let m = &doc["machine"];
        writeln!(
            out,
            "sysgate bench: untraced costs on this machine ({}, {} cpus, Linux {}), median per call{}",
            m["cpu"].as_str().unwrap_or("?"),
            m["cpus"],
            m["kernel"].as_str().unwrap_or("?"),
            if args.quick { ", --quick" } else { "" }
        )?;
        out.write_all(table(&b.rows).as_bytes())?;
        if let (Some(r), Some(m)) = (b.get("reread_1048576"), b.get("mmap_scan_1048576")) {
            writeln!(
                out,
                "\nfull read vs mmap + scan of 1 MiB: {} vs {} per pass ({:.1}×)",
                fmt_ns(r),
                fmt_ns(m),
                r / m
            )?;
        }
        if let (Some(p), Some(u)) = (b.get("preads_64x4096"), b.get("io_uring_64x4096")) {
            writeln!(
                out,
                "64 preads vs one io_uring submission of 64: {} vs {} ({:.1}×)",
                fmt_ns(p),
                fmt_ns(u),
                p / u
            )?;
        }
        if let (Some(f), Some(s)) = (b.get("fork_exec_wait"), b.get("vfork_exec_wait")) {
            writeln!(
                out,
                "fork+exec+wait vs posix_spawn+wait of /bin/true: {} vs {} ({:.2}×)",
                fmt_ns(f),
                fmt_ns(s),
                f / s
            )?;
        }
        for s in &b.skipped {
            writeln!(out, "skipped {}: {}", s.key, s.reason)?;
        }
        writeln!(
            out,
            "\nsaved to {} in {:.1} s; `sysgate advise` uses it from now on",
            path.display(),
            start.elapsed().as_secs_f64()
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
