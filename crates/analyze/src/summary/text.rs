//! The summary as text: the strace `-c` table and one table per section.

use std::fmt::Write as _;

use super::*;

impl Summary {
    /// The report as text, with the chosen sections.
    pub fn render(&self, sections: &[Section], sort: SortKey, top: Option<usize>) -> String {
        let mut s = String::new();
        let top = top.unwrap_or(usize::MAX);
        let mut first = true;
        for sec in sections {
            // Call sites exist only in recordings made with -k: say so when asked for them
            // alone, leave them out of the full report otherwise.
            if *sec == Section::Callsites && self.sites.is_empty() {
                if sections.len() == 1 {
                    s.push_str("no call sites: the calls were captured without stacks (record or summarise with -k)\n");
                }
                continue;
            }
            // Likewise the recordings of a live run.
            if matches!(sec, Section::Recordings | Section::Hosts) && !self.has_recordings() {
                if sections.len() == 1 {
                    s.push_str("no recordings: the calls were captured live\n");
                }
                continue;
            }
            if !first {
                s.push('\n');
            }
            first = false;
            // Headings when there is more than one table (the -c table alone stays strace's).
            if sections.len() > 1 {
                let title = match sec {
                    Section::Recordings => "recordings",
                    Section::Hosts => "hosts",
                    Section::Syscalls => "syscalls",
                    Section::Categories => "categories",
                    Section::Processes => "processes and threads",
                    Section::Threads => "threading model",
                    Section::Files => "files and sockets",
                    Section::Errors => "errors",
                    Section::Latency => "latency",
                    Section::Rate => "rate",
                    Section::Callsites => "call sites",
                };
                let _ = writeln!(s, "=== {title} ===");
            }
            match sec {
                Section::Recordings => self.render_recordings(&mut s, top),
                Section::Hosts => self.render_hosts(&mut s, sort, top),
                Section::Syscalls => self.render_syscalls(&mut s, sort, top),
                Section::Categories => self.render_categories(&mut s, sort),
                Section::Processes => self.render_processes(&mut s, sort, top),
                Section::Files => self.render_files(&mut s, sort, top),
                Section::Errors => self.render_errors(&mut s, top),
                Section::Latency => self.render_latency(&mut s, sort, top),
                Section::Rate => self.render_rate(&mut s),
                Section::Threads => self.render_threads(&mut s),
                Section::Callsites => self.render_sites(&mut s, sort, top),
            }
        }
        s
    }

    /// strace's `-c -U calls,errors,name` table, for counts without times.
    fn render_syscall_counts(&self, s: &mut String, sort: SortKey, top: usize) {
        let rows = self.syscall_rows(sort);
        let rule = "--------- --------- ----------------";
        let _ = writeln!(s, "    calls    errors syscall\n{rule}");
        let errors = |n: u64| if n == 0 { String::new() } else { n.to_string() };
        for (name, r) in rows.iter().take(top) {
            let _ = writeln!(s, "{:>9} {:>9} {name}", r.calls, errors(r.errors));
        }
        if rows.len() > top {
            let _ = writeln!(s, "… {} more syscalls (see --top)", rows.len() - top);
        }
        let calls: u64 = rows.iter().map(|r| r.1.calls).sum();
        let failed: u64 = rows.iter().map(|r| r.1.errors).sum();
        let _ = writeln!(s, "{rule}\n{calls:>9} {:>9} total", errors(failed));
    }

    fn render_syscalls(&self, s: &mut String, sort: SortKey, top: usize) {
        if self.untimed {
            return self.render_syscall_counts(s, sort, top);
        }
        let rows = self.syscall_rows(sort);
        let total_ns: u64 = rows.iter().map(|r| r.1.total_ns).sum();
        let total_calls: u64 = rows.iter().map(|r| r.1.calls).sum();
        let total_errors: u64 = rows.iter().map(|r| r.1.errors).sum();
        let rule = "------ ----------- ----------- --------- --------- ----------------";
        let _ = writeln!(
            s,
            "% time     seconds  usecs/call     calls    errors syscall\n{rule}"
        );
        for (name, r) in rows.iter().take(top) {
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
        if rows.len() > top {
            let _ = writeln!(s, "… {} more syscalls (see --top)", rows.len() - top);
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
    }

    fn render_categories(&self, s: &mut String, sort: SortKey) {
        let rows = self.category_rows(sort);
        if self.untimed {
            let _ = writeln!(s, "{:<12} {:>10} {:>9}", "category", "calls", "errors");
            for (name, t) in rows {
                let _ = writeln!(s, "{name:<12} {:>10} {:>9}", t.calls, t.errors);
            }
            return;
        }
        let total: u64 = rows.iter().map(|r| r.1.total_ns).sum();
        let _ = writeln!(
            s,
            "{:<12} {:>10} {:>9} {:>11} {:>7}",
            "category", "calls", "errors", "seconds", "% time"
        );
        for (name, t) in rows {
            let pct = if total == 0 {
                0.0
            } else {
                t.total_ns as f64 * 100.0 / total as f64
            };
            let _ = writeln!(
                s,
                "{name:<12} {:>10} {:>9} {:>11.6} {pct:>7.2}",
                t.calls,
                t.errors,
                t.total_ns as f64 / 1e9
            );
        }
    }

    fn render_processes(&self, s: &mut String, sort: SortKey, top: usize) {
        let rows = self.process_rows(sort);
        if self.untimed {
            let _ = writeln!(s, "{:<40} {:>10}", "process [pid/tid]", "calls");
        } else {
            let _ = writeln!(
                s,
                "{:<40} {:>10} {:>11}",
                "process [pid/tid]", "calls", "seconds"
            );
        }
        for (name, t) in rows.iter().take(top) {
            if self.untimed {
                let _ = writeln!(s, "{name:<40} {:>10}", t.calls);
                continue;
            }
            let _ = writeln!(
                s,
                "{name:<40} {:>10} {:>11.6}",
                t.calls,
                t.total_ns as f64 / 1e9
            );
        }
        if rows.len() > top {
            let _ = writeln!(s, "… {} more", rows.len() - top);
        }
    }

    fn render_files(&self, s: &mut String, sort: SortKey, top: usize) {
        let rows = self.file_rows(sort);
        let _ = writeln!(
            s,
            "{:>6} {:>9} {:>9} {:>12} {:>12} {:>9} {:>8} {:>7}  file or socket",
            "opens", "reads", "writes", "bytes in", "bytes out", "B/call", "flushes", "errors"
        );
        for (name, f) in rows.iter().take(top) {
            let calls = f.reads + f.writes;
            let per = (f.bytes_in + f.bytes_out).checked_div(calls).unwrap_or(0);
            let _ = writeln!(
                s,
                "{:>6} {:>9} {:>9} {:>12} {:>12} {per:>9} {:>8} {:>7}  {name}",
                f.opens, f.reads, f.writes, f.bytes_in, f.bytes_out, f.flushes, f.errors
            );
        }
        if rows.len() > top {
            let _ = writeln!(
                s,
                "… {} more files and sockets (see --top)",
                rows.len() - top
            );
        }
    }

    fn render_errors(&self, s: &mut String, top: usize) {
        let rows = self.error_rows();
        if rows.is_empty() {
            let _ = writeln!(s, "no failed calls");
            return;
        }
        let _ = writeln!(
            s,
            "{:>9}  {:<20} {:<16} most frequent arguments",
            "count", "syscall", "errno"
        );
        for (name, errno, e) in rows.iter().take(top) {
            let args: Vec<String> = Summary::top_args(e, 3)
                .into_iter()
                .map(|(a, c)| format!("{a:?} ×{c}"))
                .collect();
            let _ = writeln!(
                s,
                "{:>9}  {name:<20} {errno:<16} {}",
                e.count,
                args.join(", ")
            );
        }
    }

    fn render_latency(&self, s: &mut String, sort: SortKey, top: usize) {
        let rows = self.syscall_rows(sort);
        let _ = writeln!(
            s,
            "{:<20} {:>9} {:>10} {:>10} {:>10} {:>10}",
            "syscall", "calls", "p50 us", "p90 us", "p99 us", "max us"
        );
        for (name, r) in rows.iter().take(top) {
            let us = |q: f64| r.hist.quantile(q) as f64 / 1000.0;
            let _ = writeln!(
                s,
                "{name:<20} {:>9} {:>10.1} {:>10.1} {:>10.1} {:>10.1}",
                r.calls,
                us(0.5),
                us(0.9),
                us(0.99),
                r.hist.max() as f64 / 1000.0
            );
        }
    }

    fn render_threads(&self, s: &mut String) {
        let models = self.thread_models();
        if self.threads.is_none() {
            let _ = writeln!(s, "threading model: not collected");
            return;
        }
        let _ = writeln!(
            s,
            "{:<28} {:>8}  {:<22} evidence",
            "process [pid]", "threads", "model"
        );
        for (label, m) in &models {
            let process = match label {
                Some(label) => format!("{label}: {} [{}]", m.exe, m.pid),
                None => format!("{} [{}]", m.exe, m.pid),
            };
            let _ = writeln!(
                s,
                "{:<28} {:>8}  {:<22} {}",
                process, m.threads, m.model, m.evidence
            );
        }
    }

    fn render_sites(&self, s: &mut String, sort: SortKey, top: usize) {
        let rows = self.site_rows(sort);
        let total_ns: u64 = rows.iter().map(|r| r.1.total_ns).sum::<u64>().max(1);
        let _ = writeln!(
            s,
            "{:>6} {:>10} {:>11}  {:<40} syscalls",
            "% time", "calls", "seconds", "call site"
        );
        for (label, st) in rows.iter().take(top) {
            let _ = writeln!(
                s,
                "{:>6.2} {:>10} {:>11.6}  {:<40} {}",
                st.total_ns as f64 * 100.0 / total_ns as f64,
                st.calls,
                st.total_ns as f64 / 1e9,
                label,
                Summary::site_calls(st)
            );
        }
        if rows.len() > top {
            let _ = writeln!(s, "… {} more call sites (see --top)", rows.len() - top);
        }
    }

    fn render_rate(&self, s: &mut String) {
        let calls = self.calls();
        let secs = self.duration_s();
        let peak = self
            .per_second
            .iter()
            .copied()
            .enumerate()
            .max_by_key(|(_, c)| *c);
        let mean = if secs > 0.0 {
            calls as f64 / secs
        } else {
            calls as f64
        };
        let _ = writeln!(
            s,
            "{calls} calls in {secs:.3} s: {mean:.0} calls/s on average"
        );
        if let Some((sec, c)) = peak {
            let _ = writeln!(s, "peak {c} calls in second {sec} of the run");
        }
        if self.per_second.len() > 1 {
            let max = self.per_second.iter().copied().max().unwrap_or(1).max(1);
            for (i, c) in self.per_second.iter().enumerate().take(60) {
                let bar = "#".repeat(((*c as f64 / max as f64) * 40.0).ceil() as usize);
                let _ = writeln!(s, "{i:>5}s {c:>10} {bar}");
            }
            if self.per_second.len() > 60 {
                let _ = writeln!(
                    s,
                    "… {} more seconds (see --json)",
                    self.per_second.len() - 60
                );
            }
        }
    }
}
