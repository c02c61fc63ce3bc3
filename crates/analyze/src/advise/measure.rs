//! Measures untraced syscall costs on this machine: the timing harness and the measurements
//! std can reach. `sysgate bench` runs [`std_suite`] and adds the ones that need `libc` (mmap,
//! fork, posix_spawn, io_uring); the ignored test `measure_builtin_costs` runs [`std_suite`]
//! alone. The result is saved as JSON (schema in `docs/advise.md`) and loaded by
//! [`super::cost::CostModel::from_json`].
//!
//! Every number is the median over several timed runs (after a warm-up) of a loop of identical
//! calls, divided by the loop's length. The loop length is chosen so that one run takes about
//! [`Bench::target_ns`]: a full bench takes well under a minute, `--quick` a few seconds.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::os::unix::net::{UnixDatagram, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value as Json, json};

/// Sizes of the read/write sweep, 1 B … 1 MiB.
pub const SIZES: [usize; 6] = [1, 32, 512, 4096, 65536, 1 << 20];

/// One measured cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The key in `ns_per_call` (`write_pipe`, `read_file_4096`).
    pub key: String,
    /// The table section (`syscall`, `read`, `write`, `files`, `processes`, …).
    pub group: &'static str,
    /// What one call is, in words.
    pub what: String,
    /// Median nanoseconds per call.
    pub ns: f64,
}

/// A measurement that could not run, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The key it would have had.
    pub key: String,
    /// Why it did not run.
    pub reason: String,
}

/// The timing harness and what it measured so far.
pub struct Bench {
    /// Few, short runs (`sysgate bench --quick`).
    pub quick: bool,
    /// The time one timed run aims at.
    pub target_ns: f64,
    /// Timed runs per measurement (the median is kept).
    pub runs: usize,
    /// Measured costs, in order.
    pub rows: Vec<Row>,
    /// Measurements that could not run.
    pub skipped: Vec<Skipped>,
    progress: Box<dyn FnMut(&Row)>,
    dir: PathBuf,
}

impl Bench {
    /// A harness working in a fresh directory under the temp dir; `progress` sees each row as
    /// it is measured.
    pub fn new(quick: bool, progress: Box<dyn FnMut(&Row)>) -> std::io::Result<Bench> {
        let dir = std::env::temp_dir().join(format!("sysgate-bench-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        Ok(Bench {
            quick,
            target_ns: if quick { 2e6 } else { 40e6 },
            runs: if quick { 3 } else { 5 },
            rows: Vec::new(),
            skipped: Vec::new(),
            progress,
            dir,
        })
    }

    /// The scratch directory (removed on drop).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Median ns per call of `f`, with a loop length fitted to [`Bench::target_ns`].
    pub fn time(&self, max_calls: u32, mut f: impl FnMut()) -> f64 {
        let t = Instant::now();
        f();
        let first = t.elapsed().as_nanos().max(1) as f64;
        // A short warm-up that also gives a better estimate than the first (cold) call.
        let warm = ((self.target_ns / 10.0 / first) as u32).clamp(1, max_calls);
        let t = Instant::now();
        for _ in 0..warm {
            f();
        }
        let est = (t.elapsed().as_nanos() as f64 / f64::from(warm)).max(1.0);
        let n = ((self.target_ns / est) as u32).clamp(1, max_calls);
        let mut runs: Vec<f64> = (0..self.runs)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..n {
                    f();
                }
                t.elapsed().as_nanos() as f64 / f64::from(n)
            })
            .collect();
        runs.sort_by(f64::total_cmp);
        runs[runs.len() / 2]
    }

    /// Records a measured cost.
    pub fn add(
        &mut self,
        key: impl Into<String>,
        group: &'static str,
        what: impl Into<String>,
        ns: f64,
    ) {
        let row = Row {
            key: key.into(),
            group,
            what: what.into(),
            ns,
        };
        (self.progress)(&row);
        self.rows.push(row);
    }

    /// Times `f` (at most `max_calls` per run) and records it.
    pub fn measure(
        &mut self,
        key: &str,
        group: &'static str,
        what: &str,
        max_calls: u32,
        f: impl FnMut(),
    ) {
        let ns = self.time(max_calls, f);
        self.add(key, group, what, ns);
    }

    /// Records a measurement that could not run.
    pub fn skip(&mut self, key: &str, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            key: key.into(),
            reason: reason.into(),
        });
    }

    /// A measured cost by key.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.rows.iter().find(|r| r.key == key).map(|r| r.ns)
    }

    /// The saved document: `ns_per_call` (the keys of [`super::CostModel`] plus the sweep),
    /// the rows with their descriptions, what was skipped, and where it was measured.
    pub fn to_json(&self, machine: Json) -> Json {
        let costs: serde_json::Map<String, Json> = self
            .rows
            .iter()
            .map(|r| (r.key.clone(), json!((r.ns * 1000.0).round() / 1000.0)))
            .collect();
        let measured_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        json!({
            "version": 1,
            "source": "measured",
            "tool": "sysgate bench",
            "measured_at": measured_at,
            "quick": self.quick,
            "machine": machine,
            "ns_per_call": costs,
            "rows": self.rows.iter().map(|r| json!({"key": r.key, "group": r.group, "what": r.what, "ns": (r.ns * 1000.0).round() / 1000.0})).collect::<Vec<_>>(),
            "skipped": self.skipped.iter().map(|s| json!({"key": s.key, "reason": s.reason})).collect::<Vec<_>>(),
        })
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Touches every byte of `b` cheaply (a wrapping sum of 8-byte words), so that reading a file
/// in full and scanning a mapping of it compare the interfaces, not the summing loop.
pub fn scan(b: &[u8]) -> u64 {
    let words = b.chunks_exact(8);
    let tail = words.remainder().iter().map(|&x| u64::from(x)).sum::<u64>();
    words
        .map(|w| u64::from_ne_bytes(w.try_into().unwrap_or([0; 8])))
        .fold(tail, u64::wrapping_add)
}

/// The size suffix of a sweep key: bytes in decimal (`read_pipe_4096`).
pub fn size_key(n: usize) -> String {
    n.to_string()
}

fn sz(n: usize) -> String {
    super::cost::fmt_bytes(n as u64)
}

/// Writes of `size` bytes on `w` while a thread drains the other end in bulk: ns per write.
fn stream_write(
    b: &Bench,
    size: usize,
    mut w: impl Write,
    mut r: impl Read + Send + 'static,
) -> f64 {
    let drain = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 20];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
        }
    });
    let data = vec![b'x'; size];
    let ns = b.time(2_000_000, || {
        w.write_all(&data).unwrap();
    });
    drop(w);
    let _ = drain.join();
    ns
}

/// Reads of `size` bytes on `r` while a thread keeps the other end full: ns per read.
fn stream_read(
    b: &Bench,
    size: usize,
    mut r: impl Read,
    mut w: impl Write + Send + 'static,
) -> f64 {
    let fill = std::thread::spawn(move || {
        let buf = vec![b'x'; 1 << 20];
        while w.write_all(&buf).is_ok() {}
    });
    let mut buf = vec![0u8; size];
    let ns = b.time(2_000_000, || {
        r.read_exact(&mut buf).unwrap();
    });
    drop(r);
    let _ = fill.join();
    ns
}

/// Reads or writes of each size on a pipe and a unix stream socket.
fn sweep_streams(b: &mut Bench) {
    for &size in &SIZES {
        let (r, w) = std::io::pipe().unwrap();
        let ns = stream_write(b, size, w, r);
        b.add(
            format!("write_pipe_{}", size_key(size)),
            "write",
            format!("write {} to a pipe (reader drains)", sz(size)),
            ns,
        );
        let (r, w) = std::io::pipe().unwrap();
        let ns = stream_read(b, size, r, w);
        b.add(
            format!("read_pipe_{}", size_key(size)),
            "read",
            format!("read {} from a full pipe", sz(size)),
            ns,
        );
        let (x, y) = UnixStream::pair().unwrap();
        let ns = stream_write(b, size, x, y);
        b.add(
            format!("write_unix_{}", size_key(size)),
            "write",
            format!("write {} to a unix stream socket (peer drains)", sz(size)),
            ns,
        );
        let (x, y) = UnixStream::pair().unwrap();
        let ns = stream_read(b, size, x, y);
        b.add(
            format!("read_unix_{}", size_key(size)),
            "read",
            format!(
                "read {} from a unix stream socket (peer keeps it full)",
                sz(size)
            ),
            ns,
        );
    }
}

/// The measurements std can reach. Keys without a size suffix are the [`super::CostModel`]
/// entries of the same name.
pub fn std_suite(b: &mut Bench) -> std::io::Result<()> {
    let dir = b.dir().to_path_buf();
    b.measure("syscall", "syscall", "getppid()", 5_000_000, || {
        let _ = std::os::unix::process::parent_id();
    });
    b.measure(
        "sched_yield",
        "syscall",
        "sched_yield(), nothing else to run",
        2_000_000,
        std::thread::yield_now,
    );
    let mut null = OpenOptions::new().write(true).open("/dev/null")?;
    b.measure(
        "write_null",
        "write",
        "write 1 B to /dev/null",
        5_000_000,
        || {
            null.write_all(b"x").unwrap();
        },
    );

    // Regular files in the page cache.
    let path = dir.join("f");
    let mut w = OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(&path)?;
    w.write_all(&vec![b'x'; 1 << 20])?;
    let mut data = vec![b'x'; 1 << 20];
    let mut buf = vec![0u8; 1 << 20];
    for &size in &SIZES {
        let ns = b.time(2_000_000, || {
            w.write_all_at(&data[..size], 0).unwrap();
        });
        b.add(
            format!("write_file_{size}"),
            "write",
            format!("pwrite {} to a cached file", sz(size)),
            ns,
        );
        let ns = b.time(2_000_000, || {
            w.read_exact_at(&mut buf[..size], 0).unwrap();
        });
        b.add(
            format!("read_file_{size}"),
            "read",
            format!("pread {} from a cached file", sz(size)),
            ns,
        );
    }
    let slope = |b: &Bench, op: &str| {
        let lo = b.get(&format!("{op}_file_1")).unwrap_or(0.0);
        let hi = b.get(&format!("{op}_file_{}", 1 << 20)).unwrap_or(0.0);
        ((hi - lo) / f64::from((1u32 << 20) - 1)).max(0.0)
    };
    let (wpb, rpb) = (slope(b, "write"), slope(b, "read"));
    b.add(
        "write_file_per_byte",
        "write",
        "extra ns per byte written to a cached file (1 B → 1 MiB)",
        wpb,
    );
    b.add(
        "read_file_per_byte",
        "read",
        "extra ns per byte read from a cached file (1 B → 1 MiB)",
        rpb,
    );
    let ns = b.time(2_000_000, || {
        w.read_exact_at(&mut buf[..1], 0).unwrap();
    });
    b.add("read_file", "read", "pread 1 B from a cached file", ns);
    let app = dir.join("append");
    let mut a = OpenOptions::new().create(true).append(true).open(&app)?;
    b.measure(
        "write_file",
        "write",
        "write 12 B appended to a cached file",
        1_000_000,
        || {
            a.write_all(b"0123456789ab").unwrap();
        },
    );
    let fs_max = if b.quick { 20 } else { 300 };
    b.measure("fsync", "write", "write 12 B + fsync", fs_max, || {
        a.write_all(b"0123456789ab").unwrap();
        a.sync_all().unwrap();
    });
    drop(a);
    data.clear();

    // Repeated full reads of a 1 MiB file (the mmap + scan side needs libc: `sysgate bench`).
    let sum = scan;
    let mut all = Vec::with_capacity(1 << 20);
    b.measure(
        "reread_1048576",
        "files",
        "open + read 1 MiB in full + close + sum the bytes",
        100_000,
        || {
            all.clear();
            File::open(&path).unwrap().read_to_end(&mut all).unwrap();
            std::hint::black_box(sum(&all));
        },
    );

    // Path lookups.
    b.measure("stat", "files", "stat of a cached path", 2_000_000, || {
        fs::metadata(&path).unwrap();
    });
    let missing = dir.join("missing/lib.so");
    b.measure(
        "stat_enoent",
        "files",
        "stat of a missing path (ENOENT)",
        2_000_000,
        || {
            fs::metadata(&missing).unwrap_err();
        },
    );
    b.measure(
        "open_enoent",
        "files",
        "openat of a missing path (ENOENT)",
        2_000_000,
        || {
            File::open(&missing).unwrap_err();
        },
    );
    b.measure(
        "open_close",
        "files",
        "openat + close of a cached path",
        2_000_000,
        || {
            drop(File::open(&path).unwrap());
        },
    );
    b.measure(
        "mkdir_eexist",
        "files",
        "mkdir of an existing directory (EEXIST)",
        2_000_000,
        || {
            fs::create_dir(&dir).unwrap_err();
        },
    );

    // Pipes and sockets.
    sweep_streams(b);
    for (key, from) in [
        ("write_pipe", "write_pipe_32"),
        ("send_stream", "write_unix_32"),
    ] {
        if let Some(ns) = b.get(from) {
            b.add(key, "write", format!("= {from}"), ns);
        }
    }
    let (x, y) = UnixDatagram::pair()?;
    let mut dbuf = [0u8; 64];
    b.measure(
        "send_dgram",
        "write",
        "send + recv of 32 B on a unix datagram socket",
        2_000_000,
        || {
            x.send(&[b'x'; 32]).unwrap();
            y.recv(&mut dbuf).unwrap();
        },
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harness_takes_the_median_and_saves_json() {
        let mut b = Bench::new(true, Box::new(|_| {})).unwrap();
        b.target_ns = 1e5;
        let mut n = 0u64;
        let ns = b.time(1000, || n += 1);
        assert!(ns >= 0.0 && n > 0);
        b.add("syscall", "syscall", "getppid()", 120.5);
        b.skip("io_uring_read_64", "io_uring_setup: EPERM");
        let j = b.to_json(json!({"kernel": "x"}));
        assert_eq!(j["source"], "measured");
        assert_eq!(j["ns_per_call"]["syscall"], 120.5);
        assert_eq!(j["skipped"][0]["reason"], "io_uring_setup: EPERM");
        let m = crate::advise::CostModel::from_json(&j, "costs.json").unwrap();
        assert_eq!(m.syscall, 120.5);
        assert_eq!(m.fsync, crate::advise::CostModel::builtin().fsync);
    }
}
