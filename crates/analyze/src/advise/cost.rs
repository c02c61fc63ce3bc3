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

use crate::calls::opens;
use serde_json::{Value as Json, json};

/// Untraced per-call costs in nanoseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct CostModel {
    /// Where the numbers come from: `built-in`, or `measured` (by `sysgate bench`).
    pub source: String,
    /// The file a measured model was loaded from.
    pub path: Option<String>,
    /// The keys of [`CostModel::entries`] the file measured (the others are built-in).
    pub measured: Vec<&'static str>,
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
            source: "built-in".into(),
            path: None,
            measured: Vec::new(),
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

    /// `{"source": "built-in", "ns_per_call": {...}}`; a measured model adds `path` and the
    /// `measured` keys.
    pub fn to_json(&self) -> Json {
        let costs: serde_json::Map<String, Json> = self
            .entries()
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let mut j = json!({"source": self.source, "ns_per_call": costs});
        if let Some(p) = &self.path {
            j["path"] = json!(p);
            j["measured"] = json!(self.measured);
        }
        j
    }

    /// How the report header names the model: `built-in`, or
    /// `measured (~/.cache/sysgate/costs.json, 21 of 25 costs)`.
    pub fn describe(&self) -> String {
        match &self.path {
            Some(p) => format!(
                "{} ({p}, {} of {} costs; the rest built-in)",
                self.source,
                self.measured.len(),
                self.entries().len()
            ),
            None => self.source.clone(),
        }
    }

    fn set(&mut self, key: &str, v: f64) -> bool {
        let slot = match key {
            "syscall" => &mut self.syscall,
            "write_file" => &mut self.write_file,
            "write_file_per_byte" => &mut self.write_file_per_byte,
            "write_null" => &mut self.write_null,
            "write_pipe" => &mut self.write_pipe,
            "send_stream" => &mut self.send_stream,
            "send_dgram" => &mut self.send_dgram,
            "read_file" => &mut self.read_file,
            "read_file_per_byte" => &mut self.read_file_per_byte,
            "fsync" => &mut self.fsync,
            "stat" => &mut self.stat,
            "open_enoent" => &mut self.open_enoent,
            "stat_enoent" => &mut self.stat_enoent,
            "open_close" => &mut self.open_close,
            "mkdir_eexist" => &mut self.mkdir_eexist,
            "fork_exec_wait" => &mut self.fork_exec_wait,
            "vfork_exec_wait" => &mut self.vfork_exec_wait,
            "fork_wait" => &mut self.fork_wait,
            "mmap_munmap" => &mut self.mmap_munmap,
            "page_fault" => &mut self.page_fault,
            "brk_pair" => &mut self.brk_pair,
            "poll_zero" => &mut self.poll_zero,
            "epoll_zero" => &mut self.epoll_zero,
            "eagain" => &mut self.eagain,
            "sched_yield" => &mut self.sched_yield,
            _ => return false,
        };
        *slot = v;
        true
    }

    /// The model saved by `sysgate bench` (`path` names it in the report): the built-in
    /// numbers with every measured `ns_per_call` entry in their place. Keys the model does not
    /// use (the size sweep) are ignored; a missing key keeps its built-in number.
    pub fn from_json(doc: &Json, path: &str) -> Result<CostModel, String> {
        let obj = doc
            .as_object()
            .ok_or_else(|| "not a JSON object".to_string())?;
        match obj.get("version").and_then(Json::as_u64) {
            Some(1) => {}
            Some(v) => return Err(format!("version {v} is not supported (expected 1)")),
            None => return Err("no \"version\" field: not written by `sysgate bench`".into()),
        }
        let costs = obj
            .get("ns_per_call")
            .and_then(Json::as_object)
            .ok_or_else(|| "no \"ns_per_call\" object".to_string())?;
        let mut m = CostModel::builtin();
        m.source = "measured".into();
        m.path = Some(path.to_string());
        let names: Vec<&'static str> = m.entries().into_iter().map(|(k, _)| k).collect();
        for name in names {
            let Some(v) = costs.get(name) else {
                continue;
            };
            let ns = v
                .as_f64()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| format!("ns_per_call.{name} is {v}, not a non-negative number"))?;
            m.set(name, ns);
            m.measured.push(name);
        }
        if m.measured.is_empty() {
            return Err("ns_per_call has none of the costs advise uses".into());
        }
        Ok(m)
    }

    /// Reads a model saved by `sysgate bench`. The error names the file and what is wrong.
    pub fn load(path: &std::path::Path) -> Result<CostModel, String> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read cost model {shown}: {e}"))?;
        let doc: Json = serde_json::from_str(&text).map_err(|e| {
            format!("cost model {shown} is not valid JSON: {e} (re-run `sysgate bench`)")
        })?;
        CostModel::from_json(&doc, &shown)
            .map_err(|e| format!("cost model {shown}: {e} (re-run `sysgate bench`)"))
    }

    /// The cost of one failed call of `name` (a path lookup that found nothing).
    pub fn failed_call(&self, name: &str) -> (f64, &'static str) {
        match name {
            opens!() => (self.open_enoent, "open_enoent"),
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
        assert!(j.get("path").is_none());
    }

    #[test]
    fn loads_measured_model_and_rejects_bad_files() {
        let doc = json!({"version": 1, "source": "measured",
            "ns_per_call": {"syscall": 90.0, "fsync": 1e6, "read_pipe_4096": 3.0}});
        let m = CostModel::from_json(&doc, "/c/costs.json").unwrap();
        assert_eq!((m.syscall, m.fsync), (90.0, 1e6));
        assert_eq!(m.stat, CostModel::builtin().stat);
        assert_eq!(m.measured, ["syscall", "fsync"]);
        assert_eq!(
            m.describe(),
            "measured (/c/costs.json, 2 of 25 costs; the rest built-in)"
        );
        let j = m.to_json();
        assert_eq!(j["source"], "measured");
        assert_eq!(j["path"], "/c/costs.json");
        assert_eq!(j["ns_per_call"]["syscall"], 90.0);

        let err = |d: Json| CostModel::from_json(&d, "x").unwrap_err();
        assert_eq!(err(json!([1])), "not a JSON object");
        assert!(err(json!({"ns_per_call": {}})).contains("no \"version\""));
        assert!(err(json!({"version": 9, "ns_per_call": {}})).contains("version 9"));
        assert!(err(json!({"version": 1})).contains("ns_per_call"));
        assert!(
            err(json!({"version": 1, "ns_per_call": {"stat": "fast"}}))
                .contains("ns_per_call.stat is \"fast\"")
        );
        assert!(err(json!({"version": 1, "ns_per_call": {"stat": -1.0}})).contains("non-negative"));
        assert!(
            err(json!({"version": 1, "ns_per_call": {"other": 1.0}})).contains("none of the costs")
        );

        let dir = std::env::temp_dir().join(format!("sysgate-cost-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("costs.json");
        std::fs::write(&p, "{not json").unwrap();
        let e = CostModel::load(&p).unwrap_err();
        assert!(
            e.starts_with(&format!("cost model {} is not valid JSON", p.display())),
            "{e}"
        );
        let e = CostModel::load(&dir.join("missing.json")).unwrap_err();
        assert!(e.starts_with("cannot read cost model"), "{e}");
        std::fs::write(&p, doc.to_string()).unwrap();
        assert_eq!(CostModel::load(&p).unwrap().syscall, 90.0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Re-measures the costs std can reach on this machine. Not a test: run it with
    /// `cargo test -p sysgate-analyze --release -- --ignored --nocapture measure_builtin_costs`
    /// and compare with [`CostModel::builtin`]. `sysgate bench` measures these and more.
    #[test]
    #[ignore = "a measurement, not a test"]
    fn measure_builtin_costs() {
        use crate::advise::measure::{Bench, std_suite};
        let mut b = Bench::new(
            false,
            Box::new(|r| eprintln!("  {:<24} {:>12.1} ns", r.key, r.ns)),
        )
        .unwrap();
        std_suite(&mut b).unwrap();
        let builtin = CostModel::builtin().entries();
        println!("{:<20} {:>12} {:>12}", "cost", "measured ns", "built-in ns");
        for (name, b_ns) in builtin {
            if let Some(ns) = b.get(name) {
                println!("{name:<20} {ns:>12.3} {b_ns:>12.3}");
            }
        }
    }
}
