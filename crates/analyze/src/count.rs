//! Per-syscall counts, errors and time: strace's `-c` table, as a [`Sink`].

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;

use sysgate_event::{Phase, SignalEvent, Sink, SyscallEvent, TaskEvent};
use sysgate_kb::Arch;

/// Totals for one syscall.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Row {
    /// Completed calls.
    pub calls: u64,
    /// Calls that returned an error.
    pub errors: u64,
    /// Time between entry and exit, summed, in nanoseconds.
    pub total_ns: u64,
}

/// Counts completed syscalls by (ABI, name).
#[derive(Debug, Default)]
pub struct CountSummary {
    rows: HashMap<(Arch, u32), Row>,
}

impl CountSummary {
    /// An empty summary.
    pub fn new() -> CountSummary {
        CountSummary::default()
    }

    /// Adds one completed call.
    #[inline]
    pub fn add(&mut self, arch: Arch, nr: u32, is_error: bool, duration_ns: u64) {
        let row = self.rows.entry((arch, nr)).or_default();
        row.calls += 1;
        row.errors += u64::from(is_error);
        row.total_ns += duration_ns;
    }

    /// `(name, row)` for every syscall seen, merged by name.
    pub fn rows(&self) -> Vec<(String, Row)> {
        let mut by_name: HashMap<String, Row> = HashMap::new();
        for (&(arch, nr), row) in &self.rows {
            let name = match sysgate_kb::lookup(arch, u64::from(nr)) {
                Some(s) if arch == Arch::native() => s.name.to_string(),
                Some(s) => format!("{}:{}", arch, s.name),
                None => format!("syscall_{nr:#x}"),
            };
            let r = by_name.entry(name).or_default();
            r.calls += row.calls;
            r.errors += row.errors;
            r.total_ns += row.total_ns;
        }
        let mut v: Vec<(String, Row)> = by_name.into_iter().collect();
        v.sort_by(|a, b| {
            b.1.total_ns
                .cmp(&a.1.total_ns)
                .then(b.1.calls.cmp(&a.1.calls))
                .then(a.0.cmp(&b.0))
        });
        v
    }

    /// The strace-style table.
    pub fn table(&self) -> String {
        let rows = self.rows();
        let total_ns: u64 = rows.iter().map(|r| r.1.total_ns).sum();
        let total_calls: u64 = rows.iter().map(|r| r.1.calls).sum();
        let total_errors: u64 = rows.iter().map(|r| r.1.errors).sum();
        let mut s = String::new();
        let rule = "------ ----------- ----------- --------- --------- ----------------";
        let _ = writeln!(
            s,
            "% time     seconds  usecs/call     calls    errors syscall\n{rule}"
        );
        for (name, r) in &rows {
            let pct = if total_ns == 0 {
                0.0
            } else {
                r.total_ns as f64 * 100.0 / total_ns as f64
            };
            let errors = if r.errors == 0 {
                String::new()
            } else {
                r.errors.to_string()
            };
            let _ = writeln!(
                s,
                "{pct:6.2} {:11.6} {:>11} {:>9} {errors:>9} {name}",
                r.total_ns as f64 / 1e9,
                r.total_ns / 1000 / r.calls.max(1),
                r.calls
            );
        }
        let errors = if total_errors == 0 {
            String::new()
        } else {
            total_errors.to_string()
        };
        let _ = writeln!(
            s,
            "{rule}\n100.00 {:11.6} {:>11} {total_calls:>9} {errors:>9} total",
            total_ns as f64 / 1e9,
            total_ns / 1000 / total_calls.max(1)
        );
        s
    }
}

impl Sink for CountSummary {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        if ev.phase == Phase::Completed {
            self.add(ev.arch, ev.nr, ev.is_error, ev.duration_ns);
        }
        Ok(())
    }

    fn signal(&mut self, _: &SignalEvent) -> io::Result<()> {
        Ok(())
    }

    fn task(&mut self, _: &TaskEvent) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_merge_and_sort_by_time() {
        let mut c = CountSummary::new();
        let nr = |n| sysgate_kb::number(Arch::X86_64, n).unwrap();
        c.add(Arch::X86_64, nr("read"), false, 100);
        c.add(Arch::X86_64, nr("read"), true, 100);
        c.add(Arch::X86_64, nr("openat"), true, 1000);
        let rows = c.rows();
        assert_eq!(rows[0].0, "openat");
        assert_eq!(
            rows[1],
            (
                "read".to_string(),
                Row {
                    calls: 2,
                    errors: 1,
                    total_ns: 200
                }
            )
        );
        let t = c.table();
        assert!(t.contains(" total"), "{t}");
        assert!(
            t.lines()
                .any(|l| l.ends_with(" read") && l.contains("        2         1")),
            "{t}"
        );
    }
}
