//! What a syscall costs when nobody traces it, so that `advise` can say what a fix saves.
//!
//! The built-in numbers were measured on the machine sysgate is developed on (2 vCPU AMD EPYC
//! VM, Linux 6.18, ext4 on a virtio disk, files in the page cache) with release-built Rust
//! timing loops: each loop makes N identical calls, is timed with `Instant`, runs 7 times after
//! a warm-up, and the median per-call time is kept. `docs/advise.md` lists every number and
//! the loop behind it; `measure_builtin_costs` below re-measures the ones std can reach
//! (`cargo test -p sysgate-analyze --release -- --ignored --nocapture measure_builtin_costs`).
//!
//! A saving is always *avoided calls × the untraced per-call cost* of the avoided call, never
//! the traced duration, which is dominated by ptrace stops (about 25 µs per call here).

use serde_json::{Value as Json, json};

/// Untraced per-call costs in nanoseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct CostModel {
    /// Where the numbers come from (`built-in`).
    pub source: &'static str,
    /// A trivial syscall's round trip (`getppid`).
    pub syscall: f64,
    /// `write` of a few bytes to a regular file in the page cache.
    pub write_file: f64,
    /// Extra cost per byte written to a regular file.
    pub write_file_per_byte: f64,
    /// `write` of 1 byte to `/dev/null`.
    pub write_null: f64,
    /// `write` of 32 bytes to a pipe (writer side).
    pub write_pipe: f64,
    /// `send` of 32 bytes on a unix stream socket (sender side, receiver drains in bulk).
    pub send_stream: f64,
    /// `send` + `recv` of 32 bytes on a unix datagram socket, per message.
    pub send_dgram: f64,
    /// `read`/`pread` of 1 byte from a cached regular file.
    pub read_file: f64,
    /// Extra cost per byte read from a cached file.
    pub read_file_per_byte: f64,
    /// `fsync` after a small write, ext4 on a virtio disk.
    pub fsync: f64,
    /// `stat` of a cached path.
    pub stat: f64,
    /// `openat` of a missing path (ENOENT).
    pub open_enoent: f64,
    /// `stat` of a missing path (ENOENT).
    pub stat_enoent: f64,
    /// `openat` + `close` of a cached path.
    pub open_close: f64,
    /// `mkdir` of an existing directory (EEXIST).
    pub mkdir_eexist: f64,
    /// `fork` + `execve("/bin/true")` + `wait4`.
    pub fork_exec_wait: f64,
    /// `vfork` (what `posix_spawn` does) + `execve("/bin/true")` + `wait4`.
    pub vfork_exec_wait: f64,
    /// `fork` + `_exit` + `wait4`, no exec.
    pub fork_wait: f64,
    /// `mmap` + `munmap` of anonymous memory, untouched (64 KiB … 1 MiB cost the same).
    pub mmap_munmap: f64,
    /// First touch of a fresh anonymous 4 KiB page (page fault + zeroing).
    pub page_fault: f64,
    /// `brk` up by 128 KiB and back down.
    pub brk_pair: f64,
    /// `poll` with timeout 0 on one fd, nothing ready.
    pub poll_zero: f64,
    /// `epoll_wait` with timeout 0, nothing ready.
    pub epoll_zero: f64,
    /// `read` on an empty non-blocking pipe (EAGAIN).
    pub eagain: f64,
    /// `sched_yield` with nothing else to run.
    pub sched_yield: f64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel::builtin()
    }
}

impl CostModel {
    /// The numbers measured on the development machine (see the module docs).
    pub fn builtin() -> CostModel {
        CostModel {
            source: "built-in",
            syscall: 137.0,
            write_file: 580.0,
            write_file_per_byte: 0.32,
            write_null: 165.0,
            write_pipe: 309.0,
            send_stream: 1089.0,
            send_dgram: 1517.0,
            read_file: 388.0,
            read_file_per_byte: 0.019,
            fsync: 176_000.0,
            stat: 876.0,
            open_enoent: 909.0,
            stat_enoent: 524.0,
            open_close: 1743.0,
            mkdir_eexist: 767.0,
            fork_exec_wait: 608_000.0,
            vfork_exec_wait: 490_000.0,
            fork_wait: 138_000.0,
            mmap_munmap: 3700.0,
            page_fault: 1700.0,
            brk_pair: 2970.0,
            poll_zero: 192.0,
            epoll_zero: 125.0,
            eagain: 214.0,
            sched_yield: 445.0,
        }
    }

    /// Every number with its name, for the JSON report and the docs.
    pub fn entries(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("syscall", self.syscall),
            ("write_file", self.write_file),
            ("write_file_per_byte", self.write_file_per_byte),
            ("write_null", self.write_null),
            ("write_pipe", self.write_pipe),
            ("send_stream", self.send_stream),
            ("send_dgram", self.send_dgram),
            ("read_file", self.read_file),
            ("read_file_per_byte", self.read_file_per_byte),
            ("fsync", self.fsync),
            ("stat", self.stat),
            ("open_enoent", self.open_enoent),
            ("stat_enoent", self.stat_enoent),
            ("open_close", self.open_close),
            ("mkdir_eexist", self.mkdir_eexist),
            ("fork_exec_wait", self.fork_exec_wait),
            ("vfork_exec_wait", self.vfork_exec_wait),
            ("fork_wait", self.fork_wait),
            ("mmap_munmap", self.mmap_munmap),
            ("page_fault", self.page_fault),
            ("brk_pair", self.brk_pair),
            ("poll_zero", self.poll_zero),
            ("epoll_zero", self.epoll_zero),
            ("eagain", self.eagain),
            ("sched_yield", self.sched_yield),
        ]
    }

    /// `{"source": "built-in", "ns_per_call": {...}}`.
    pub fn to_json(&self) -> Json {
        let costs: serde_json::Map<String, Json> = self
            .entries()
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        json!({"source": self.source, "ns_per_call": costs})
    }

    /// The cost of one failed call of `name` (a path lookup that found nothing).
    pub fn failed_call(&self, name: &str) -> (f64, &'static str) {
        match name {
            "open" | "openat" | "openat2" | "creat" => (self.open_enoent, "open_enoent"),
            "stat" | "lstat" | "newfstatat" | "statx" | "access" | "faccessat" | "faccessat2"
            | "readlink" | "readlinkat" | "unlink" | "unlinkat" | "rmdir" | "rename"
            | "renameat" | "renameat2" => (self.stat_enoent, "stat_enoent"),
            "mkdir" | "mkdirat" => (self.mkdir_eexist, "mkdir_eexist"),
            _ => (self.syscall, "syscall"),
        }
    }
}

/// Nanoseconds as `1.2 ms`, `350 µs`, `2.1 s`.
pub fn fmt_ns(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// A count with thin groups: `120 000`.
pub fn fmt_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Bytes as `12 B`, `64 KiB`, `1.5 MiB`.
pub fn fmt_bytes(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1 << 20) as f64)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else if n >= 1 << 10 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_count(120_000), "120 000");
        assert_eq!(fmt_count(12), "12");
        assert_eq!(fmt_count(1_234_567), "1 234 567");
        assert_eq!(fmt_bytes(65536), "64 KiB");
        assert_eq!(fmt_bytes(12), "12 B");
        assert_eq!(fmt_ns(95_000_000.0), "95.0 ms");
        assert_eq!(fmt_ns(580.0), "580 ns");
        let j = CostModel::builtin().to_json();
        assert_eq!(j["source"], "built-in");
        assert_eq!(j["ns_per_call"]["fsync"], 176_000.0);
    }

    /// Re-measures the costs std can reach on this machine. Not a test: run it with
    /// `cargo test -p sysgate-analyze --release -- --ignored --nocapture measure_builtin_costs`
    /// and compare with [`CostModel::builtin`].
    #[test]
    #[ignore = "a measurement, not a test"]
    fn measure_builtin_costs() {
        use std::fs::{self, File, OpenOptions};
        use std::io::Write;
        use std::os::unix::fs::FileExt;
        use std::time::Instant;

        fn per_call(n: u32, mut f: impl FnMut()) -> f64 {
            for _ in 0..n / 10 + 1 {
                f();
            }
            let mut runs: Vec<f64> = (0..7)
                .map(|_| {
                    let t = Instant::now();
                    for _ in 0..n {
                        f();
                    }
                    t.elapsed().as_nanos() as f64 / f64::from(n)
                })
                .collect();
            runs.sort_by(f64::total_cmp);
            runs[3]
        }
        let dir = std::env::temp_dir().join(format!("sysgate-costs-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        let mut w = OpenOptions::new()
            .create(true)
            .truncate(true)
            .write(true)
            .open(&path)
            .unwrap();
        let mut rows = vec![(
            "syscall",
            per_call(1_000_000, || {
                let _ = std::os::unix::process::parent_id();
            }),
        )];
        let mut null = OpenOptions::new().write(true).open("/dev/null").unwrap();
        rows.push((
            "write_null",
            per_call(1_000_000, || {
                null.write_all(b"x").unwrap();
            }),
        ));
        rows.push((
            "write_file",
            per_call(200_000, || {
                w.write_all(b"0123456789ab").unwrap();
            }),
        ));
        rows.push((
            "fsync",
            per_call(200, || {
                w.write_all(b"0123456789ab").unwrap();
                w.sync_all().unwrap();
            }),
        ));
        let r = File::open(&path).unwrap();
        let mut buf = vec![0u8; 65536];
        rows.push((
            "read_file",
            per_call(1_000_000, || {
                r.read_at(&mut buf[..1], 0).unwrap();
            }),
        ));
        rows.push((
            "stat",
            per_call(500_000, || {
                fs::metadata(&path).unwrap();
            }),
        ));
        let missing = dir.join("missing/lib.so");
        rows.push((
            "open_enoent",
            per_call(500_000, || {
                File::open(&missing).unwrap_err();
            }),
        ));
        rows.push((
            "open_close",
            per_call(200_000, || {
                drop(File::open(&path).unwrap());
            }),
        ));
        rows.push(("sched_yield", per_call(500_000, std::thread::yield_now)));
        rows.push((
            "vfork_exec_wait",
            per_call(200, || {
                std::process::Command::new("/bin/true").status().unwrap();
            }),
        ));
        let _ = fs::remove_dir_all(&dir);
        let builtin = CostModel::builtin().entries();
        println!("{:<18} {:>12} {:>12}", "cost", "measured ns", "built-in ns");
        for (name, ns) in rows {
            let b = builtin
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(0.0, |x| x.1);
            println!("{name:<18} {ns:>12.0} {b:>12.0}");
        }
    }
}
