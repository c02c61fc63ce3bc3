//! `spawn-storm`: many short-lived child processes.
//!
//! **What.** One process starts dozens or hundreds of children that each live less than a
//! second: `fork`/`clone` + `execve` + `wait4`, over and over. Typical causes: shelling out
//! per item (`sh -c`, `git`, `convert`, `curl` in a loop), a script calling `basename`,
//! `readlink`, `sed` for string work, health checks that spawn a command.
//!
//! **Why.** A spawn costs far more than the work it usually does: fork + exec + wait of
//! `/bin/true` takes ~0.6 ms untraced here (~0.5 ms with vfork/`posix_spawn`), plus the dynamic
//! loader's dozens of syscalls in every child.
//!
//! **Evidence.** Per parent: short-lived children, what they ran, their average lifetime and
//! syscalls, whether `fork` (copying the address space) or `vfork`/`CLONE_VM` was used, and a
//! fork → execve → wait sample.
//!
//! **Threshold.** At least 50 children of one parent that each lived under 1 s.
//!
//! **Fix.** Do the work in-process (a library instead of a command), or keep one long-lived
//! worker and send it requests; if spawning is unavoidable, use `posix_spawn`/vfork (what
//! Rust's `std::process::Command` does) instead of `fork` + `exec`. Saving = (children − 1)
//! × `fork_exec_wait` (or `vfork_exec_wait` when the parent already used vfork).

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, who};
use crate::advise::cost::{fmt_count, fmt_ns};
use crate::advise::ctx::CLONE_THREAD;
use crate::advise::{Ctx, Finding, Sample, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "spawn-storm",
    title: "many short-lived child processes",
    make: || Box::<SpawnStorm>::default(),
};

/// Short-lived children of one parent needed for a finding.
pub const MIN_CHILDREN: u64 = 50;
/// A child that lived less than this is short-lived.
pub const SHORT_NS: u64 = 1_000_000_000;
/// `CLONE_VM`.
const CLONE_VM: u64 = 0x100;

#[derive(Default)]
struct Stats {
    short: u64,
    lifetime_ns: u64,
    child_calls: u64,
    forked: u64,
    exes: Vec<(u32, u64)>,
    fork: Option<Sample>,
    exec: Option<Sample>,
    wait: Option<Sample>,
}

/// See the module documentation.
#[derive(Default)]
pub struct SpawnStorm {
    by_parent: HashMap<u32, Stats>,
    /// Live children → whether they were made by a full fork (no `CLONE_VM`).
    forked: HashMap<u32, bool>,
}

impl Rule for SpawnStorm {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        let ok = !ev.is_error && ev.ret > 0;
        match name {
            "fork" | "vfork" | "clone" | "clone3" if ok => {
                if name == "clone" && ev.args[0] & CLONE_THREAD != 0 {
                    return;
                }
                let full_fork = match name {
                    "fork" => true,
                    "clone" => ev.args[0] & CLONE_VM == 0,
                    _ => false,
                };
                if self.forked.len() < MAX_KEYS {
                    self.forked.insert(ev.ret as u32, full_fork);
                }
                if self.by_parent.len() < MAX_KEYS || self.by_parent.contains_key(&ev.pid) {
                    let s = self.by_parent.entry(ev.pid).or_default();
                    if s.fork.is_none() {
                        s.fork = Some(Sample::of(ev));
                    }
                }
            }
            "execve" | "execveat" if !ev.is_error => {
                if let Some(parent) = cx.proc(ev.pid).and_then(|p| p.parent)
                    && let Some(s) = self.by_parent.get_mut(&parent)
                    && s.exec.is_none()
                {
                    s.exec = Some(Sample::of(ev));
                }
            }
            "wait4" | "waitid" if ok => {
                if let Some(s) = self.by_parent.get_mut(&ev.pid)
                    && s.wait.is_none()
                {
                    s.wait = Some(Sample::of(ev));
                }
            }
            _ => {}
        }
    }

    fn process_exit(&mut self, cx: &Ctx, pid: u32, ts_ns: u64) {
        let full_fork = self.forked.remove(&pid);
        let Some(p) = cx.proc(pid) else {
            return;
        };
        let Some(parent) = p.parent else {
            return;
        };
        let life = ts_ns.saturating_sub(p.start_ns);
        if life >= SHORT_NS {
            return;
        }
        let Some(s) = self.by_parent.get_mut(&parent) else {
            return;
        };
        s.short += 1;
        s.lifetime_ns += life;
        s.child_calls += p.calls;
        s.forked += u64::from(full_fork == Some(true));
        let exe = p.exe.unwrap_or(0);
        if let Some((_, n)) = s.exes.iter_mut().find(|(l, _)| *l == exe) {
            *n += 1;
        } else if s.exes.len() < 8 {
            s.exes.push((exe, 1));
        }
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&parent, s) in &self.by_parent {
            if s.short < MIN_CHILDREN {
                continue;
            }
            let mut exes = s.exes.clone();
            exes.sort_by_key(|e| std::cmp::Reverse(e.1));
            let ran: Vec<String> = exes
                .iter()
                .map(|(l, n)| {
                    let exe = if *l == 0 { "(no exec)" } else { cx.label(*l) };
                    format!("{exe} ×{}", fmt_count(*n))
                })
                .collect();
            let avg_life = s.lifetime_ns / s.short;
            let avg_calls = s.child_calls / s.short;
            let mostly_fork = s.forked * 2 > s.short;
            let per_spawn = if mostly_fork {
                cx.costs.fork_exec_wait
            } else {
                cx.costs.vfork_exec_wait
            };
            let avoided = s.short - 1;
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} started {} short-lived processes ({}), each living {} and making {} syscalls on average",
                    who(cx, parent),
                    fmt_count(s.short),
                    ran.join(", "),
                    fmt_ns(avg_life as f64),
                    fmt_count(avg_calls)
                ),
            );
            f.evidence.facts = vec![
                ("short_lived_children", s.short),
                ("average_lifetime_ns", avg_life),
                ("average_child_syscalls", avg_calls),
                ("full_forks", s.forked),
            ];
            f.evidence.pids = vec![parent];
            f.evidence.samples = [&s.fork, &s.exec, &s.wait]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            f.saving = Saving {
                calls_avoided: s.child_calls.saturating_sub(avg_calls) + 2 * avoided,
                time_ns: (avoided as f64 * per_spawn) as u64,
                formula: format!(
                    "{} avoided spawns × {} ({}); calls: the children's syscalls plus a fork and a wait each",
                    fmt_count(avoided),
                    fmt_ns(per_spawn),
                    if mostly_fork {
                        "fork_exec_wait"
                    } else {
                        "vfork_exec_wait"
                    }
                ),
            };
            let spawn_tip = if mostly_fork {
                format!(
                    "; if you must spawn, use posix_spawn or vfork (Rust's std::process::Command does) instead of fork + exec: ~{} less per spawn",
                    fmt_ns(cx.costs.fork_exec_wait - cx.costs.vfork_exec_wait)
                )
            } else {
                String::new()
            };
            f.fix = format!(
                "do the work in-process (a library call instead of a command), or keep one long-lived worker process and send it requests over a pipe or socket{spawn_tip}: {} → 1",
                plural(s.short, "process")
            )
            .replace("processs", "processes");
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn spawn(
        evs: &mut Vec<Result<SyscallEvent, sysgate_event::TaskEvent>>,
        child: u32,
        t: u64,
        life: u64,
    ) {
        evs.push(Ok(at(
            call("fork", 10, [0; 6], i64::from(child)),
            t,
            50_000,
        )));
        evs.push(Ok(at(
            with_path(call("execve", child, [0; 6], 0), "/bin/true"),
            t + 100_000,
            300_000,
        )));
        evs.push(Ok(at(call("exit_group", child, [0; 6], 0), t + life, 0)));
        evs.push(Err(exit(child, t + life)));
        evs.push(Ok(at(
            call(
                "wait4",
                10,
                [u64::from(child), 0, 0, 0, 0, 0],
                i64::from(child),
            ),
            t + life + 10,
            1000,
        )));
    }

    #[test]
    fn fires_on_100_short_children() {
        let mut evs = vec![Ok(call("getpid", 10, [0; 6], 10))];
        for i in 0..100u32 {
            spawn(&mut evs, 1000 + i, u64::from(i) * 5_000_000, 2_000_000);
        }
        let f = one(run_with_tasks(&INFO, evs), Severity::Warning);
        assert!(
            f.message
                .contains("100 short-lived processes (/bin/true ×100)"),
            "{}",
            f.message
        );
        assert!(f.fix.contains("posix_spawn"), "{}", f.fix);
        assert_eq!(f.saving.time_ns, (99.0 * 608_000.0) as u64);
        let lines: Vec<&str> = f.evidence.samples.iter().map(|s| s.line.as_str()).collect();
        assert!(
            lines[0].starts_with("fork()")
                && lines[1].starts_with("execve(\"/bin/true\"")
                && lines[2].starts_with("wait4("),
            "{lines:?}"
        );
    }

    #[test]
    fn silent_on_long_lived_or_few_children() {
        let mut evs = vec![Ok(call("getpid", 10, [0; 6], 10))];
        for i in 0..49u32 {
            spawn(&mut evs, 1000 + i, u64::from(i) * 5_000_000, 2_000_000);
        }
        for i in 0..100u32 {
            spawn(&mut evs, 2000 + i, u64::from(i) * 5_000_000, 2_000_000_000);
        }
        assert!(run_with_tasks(&INFO, evs).is_empty());
    }
}
