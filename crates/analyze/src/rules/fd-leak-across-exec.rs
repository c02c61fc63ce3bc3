//! `fd-leak-across-exec`: files and sockets without close-on-exec inherited by a new program.
//!
//! **What.** A process runs `execve` while it holds fds that were opened without `O_CLOEXEC`
//! (or `SOCK_CLOEXEC`, or whose flag was cleared): the new program inherits them without
//! asking — an open file, a listening or connected socket. Typical causes: C code that opens
//! with `open(path, O_RDONLY)` / `socket(…, SOCK_STREAM, 0)` and later `fork`+`exec`s a
//! helper, `dup`/`dup2` (which always clear the flag), libraries older than `O_CLOEXEC`.
//!
//! **Why.** The child can read and write what it inherited (seed: a sandboxed process with an
//! inherited connected socket can exfiltrate data whatever its syscall filter says); a leaked
//! listening socket keeps the port bound after the parent exits; a leaked write end keeps a
//! pipe or a lock open; the child's fd table fills with things it never closes.
//!
//! **Evidence.** The program executed, who executed it, each leaked fd with its path and
//! kind, the `execve` and the opens of the leaked fds.
//!
//! **Threshold.** One leaked regular file, directory, device or socket (fd ≥ 3) that the trace
//! saw being opened without close-on-exec. Pipes are left out (they are usually passed on
//! purpose: make's jobserver, coprocesses), and so are fds inherited from before the trace,
//! fds whose flags the trace cannot see, and fds whose number appears in the new program's
//! arguments (`--fd 3`: passed on purpose).
//!
//! **Fix.** Open with `O_CLOEXEC`/`SOCK_CLOEXEC` (Rust's std does by default), use `dup3`/
//! `F_DUPFD_CLOEXEC`, set `FD_CLOEXEC`, or `close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)` before
//! exec; pass fds on deliberately. The saving is security, not time.

use std::collections::HashMap;

use sysgate_event::{SyscallEvent, Value};

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique};
use crate::advise::{Ctx, FdKind, FdRef, Finding, Sample, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "fd-leak-across-exec",
    title: "files and sockets without close-on-exec inherited by a new program",
    make: || Box::<FdLeakAcrossExec>::default(),
};

struct Pending {
    exec: Sample,
    argv: Vec<String>,
}

#[derive(Default)]
struct Stats {
    execs: u64,
    leaked: Vec<(i32, u32, FdKind)>,
    pids: Vec<u32>,
    exec: Option<Sample>,
    opens: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct FdLeakAcrossExec {
    opens: HashMap<u64, Sample>,
    pending: HashMap<u32, Pending>,
    by_program: HashMap<(u32, u32), Stats>,
}

fn interesting(kind: FdKind) -> bool {
    matches!(
        kind,
        FdKind::File
            | FdKind::Dir
            | FdKind::Device
            | FdKind::StreamSocket
            | FdKind::DgramSocket
            | FdKind::Socket
    )
}

fn kind_name(kind: FdKind) -> &'static str {
    match kind {
        FdKind::Dir => "directory",
        FdKind::Device => "device",
        FdKind::StreamSocket | FdKind::DgramSocket | FdKind::Socket => "socket",
        _ => "file",
    }
}

fn argv(ev: &SyscallEvent) -> Vec<String> {
    ev.decoded
        .iter()
        .find_map(|v| match v {
            Value::StrArray { items, .. } => Some(
                items
                    .iter()
                    .map(|b| String::from_utf8_lossy(ev.slice(*b)).into_owned())
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

fn mentions(argv: &[String], fd: i32) -> bool {
    let n = fd.to_string();
    argv.iter().skip(1).any(|a| {
        a == &n
            || a.strip_suffix(n.as_str())
                .is_some_and(|p| p.ends_with(['=', ',', ':']))
    })
}

impl FdLeakAcrossExec {
    /// `forked_ns`, for a child linked to its parent only after it exec'd: when the parent's
    /// fork began. The child's table was copied from the parent's as it is at link time, so
    /// descriptors the parent opened after the fork are not the child's.
    fn check(&mut self, cx: &Ctx, pid: u32, exec: Sample, argv: &[String], forked_ns: Option<u64>) {
        let mut leaked: Vec<(i32, u32, FdKind, u64)> = cx
            .fds_of(pid)
            .filter(|(fd, e)| {
                *fd > 2
                    && e.known
                    && !e.cloexec
                    && interesting(e.kind)
                    && !mentions(argv, *fd)
                    && forked_ns.is_none_or(|t| e.opened_ns <= t || e.opener == pid)
            })
            .map(|(fd, e)| (fd, e.label, e.kind, e.uid))
            .collect();
        if leaked.is_empty() {
            return;
        }
        leaked.sort_by_key(|l| l.0);
        let who = cx.proc(pid).and_then(|p| p.parent).unwrap_or(pid);
        let exe = cx.proc(pid).and_then(|p| p.exe).unwrap_or(0);
        let key = (who, exe);
        if self.by_program.len() >= MAX_KEYS && !self.by_program.contains_key(&key) {
            return;
        }
        let s = self.by_program.entry(key).or_default();
        s.execs += 1;
        push_unique(&mut s.pids, pid, 8);
        if s.exec.is_none() {
            s.exec = Some(exec);
        }
        for (fd, label, kind, uid) in leaked {
            if !s.leaked.iter().any(|l| l.0 == fd && l.1 == label) && s.leaked.len() < 8 {
                s.leaked.push((fd, label, kind));
                if let Some(o) = self.opens.get(&uid)
                    && s.opens.0.len() < 2
                {
                    s.opens.0.push(o.clone());
                }
            }
        }
    }
}

impl Rule for FdLeakAcrossExec {
    fn syscall(&mut self, cx: &Ctx, ev: &SyscallEvent, name: &'static str) {
        // Forget the open of an fd its creator closed, so that state follows the open fds.
        for (_, e) in &cx.removed {
            if e.opener == ev.pid {
                self.opens.remove(&e.uid);
            }
        }
        if ev.is_error || ev.ret < 0 {
            return;
        }
        match name {
            "open" | "openat" | "creat" | "socket" | "accept" | "accept4" | "dup" | "dup2"
            | "dup3" | "fcntl" | "socketpair" => {
                let fds: Vec<i32> = if name == "socketpair" {
                    ev.decoded
                        .iter()
                        .find_map(|v| match v {
                            Value::FdPair(a, b) => Some(vec![*a, *b]),
                            _ => None,
                        })
                        .unwrap_or_default()
                } else {
                    vec![ev.ret as i32]
                };
                for fd in fds {
                    if let Some(e) = cx.fd(ev.pid, fd)
                        && !e.cloexec
                        && interesting(e.kind)
                        && self.opens.len() < MAX_KEYS
                    {
                        self.opens.entry(e.uid).or_insert_with(|| Sample::of(ev));
                    }
                }
            }
            "execve" | "execveat" => {
                let argv = argv(ev);
                if cx.proc(ev.pid).is_some_and(|p| p.linked) {
                    self.check(cx, ev.pid, Sample::of(ev), &argv, None);
                } else if self.pending.len() < MAX_KEYS {
                    self.pending.insert(
                        ev.pid,
                        Pending {
                            exec: Sample::of(ev),
                            argv,
                        },
                    );
                }
            }
            _ => {}
        }
        for &child in &cx.linked_now {
            if let Some(p) = self.pending.remove(&child) {
                self.check(cx, child, p.exec, &p.argv, Some(ev.ts_ns));
            }
        }
    }

    fn process_exit(&mut self, _: &Ctx, pid: u32, _: u64) {
        self.pending.remove(&pid);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&(who, exe), s) in &self.by_program {
            let program = if exe == 0 { "?" } else { cx.label(exe) };
            let list: Vec<String> = s
                .leaked
                .iter()
                .map(|(fd, l, k)| format!("fd {fd} ({}, {})", cx.label(*l), kind_name(*k)))
                .collect();
            let by = if s.pids == [who] {
                crate::rules::who(cx, who)
            } else {
                format!("children of {}", crate::rules::who(cx, who))
            };
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{by} executed {program} {} with {} open that had no close-on-exec flag: {}",
                    if s.execs == 1 {
                        "once".to_string()
                    } else {
                        format!("{} times", s.execs)
                    },
                    plural(s.leaked.len() as u64, "fd"),
                    list.join(", ")
                ),
            );
            f.evidence.facts = vec![
                ("execs", s.execs),
                ("leaked_fds", s.leaked.len() as u64),
                (
                    "leaked_sockets",
                    s.leaked.iter().filter(|l| l.2.is_socket()).count() as u64,
                ),
            ];
            let pid = s.pids.first().copied().unwrap_or(who);
            f.evidence.fds = s
                .leaked
                .iter()
                .map(|(fd, l, _)| FdRef {
                    pid,
                    fd: *fd,
                    path: cx.label(*l).to_string(),
                })
                .collect();
            f.evidence.pids = s.pids.clone();
            let mut samples = s.opens.0.clone();
            samples.extend(s.exec.clone());
            samples.truncate(3);
            f.evidence.samples = samples;
            f.saving = Saving {
                calls_avoided: 0,
                time_ns: 0,
                formula: format!(
                    "security, not time: {program} can read and write what it inherited; a leaked listening socket stays bound after the parent exits"
                ),
            };
            let fds: Vec<String> = s
                .leaked
                .iter()
                .map(|(fd, l, _)| format!("fd {fd} ({})", cx.label(*l)))
                .collect();
            f.fix = format!(
                "create {} with close-on-exec: O_CLOEXEC for open, SOCK_CLOEXEC for socket/accept4, dup3/F_DUPFD_CLOEXEC instead of dup/dup2, or fcntl(fd, F_SETFD, FD_CLOEXEC) (Rust's std sets it by default); or call close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) just before exec and pass on only the fds {program} needs, on purpose",
                fds.join(", ")
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    fn exec(pid: u32) -> SyscallEvent {
        with_path(call("execve", pid, [0; 6], 0), "/usr/bin/helper")
    }

    #[test]
    fn fires_when_a_child_execs_with_a_file_and_a_socket() {
        let evs = vec![
            with_path(
                call("openat", 10, [-100i64 as u64, 0, 0, 0, 0, 0], 3),
                "/etc/secret",
            ),
            call("socket", 10, [2, 1, 0, 0, 0, 0], 4),
            with_path(
                call("openat", 10, [-100i64 as u64, 0, 0o2000000, 0, 0, 0], 5),
                "/etc/fine",
            ),
            call("pipe2", 10, [6, 0, 0, 0, 0, 0], 0),
            call("fork", 10, [0; 6], 11),
            call("dup2", 11, [6, 1, 0, 0, 0, 0], 1),
            exec(11),
        ];
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message.contains("executed /usr/bin/helper once with 2 fds open that had no close-on-exec flag: fd 3 (/etc/secret, file), fd 4 (IPv4 stream socket (pid 10, fd 4), socket)"),
            "{}",
            f.message
        );
        let lines: Vec<&str> = f.evidence.samples.iter().map(|s| s.line.as_str()).collect();
        assert!(
            lines[0].starts_with("openat(AT_FDCWD, \"/etc/secret\"")
                && lines[2].starts_with("execve(\"/usr/bin/helper\""),
            "{lines:?}"
        );
    }

    #[test]
    fn fires_after_vfork_when_the_parent_returns_late() {
        let evs = vec![
            with_path(
                call("openat", 10, [-100i64 as u64, 0, 0, 0, 0, 0], 3),
                "/etc/secret",
            ),
            exec(12),
            call("vfork", 10, [0; 6], 12),
        ];
        one(run(&INFO, &evs), Severity::Warning);
    }

    #[test]
    fn silent_with_cloexec_closed_fds_pipes_and_passed_fds() {
        let evs = vec![
            with_path(
                call("openat", 10, [-100i64 as u64, 0, 0o2000000, 0, 0, 0], 3),
                "/etc/a",
            ),
            with_path(
                call("openat", 10, [-100i64 as u64, 0, 0, 0, 0, 0], 4),
                "/etc/b",
            ),
            call("pipe", 10, [5, 0, 0, 0, 0, 0], 0),
            call("fork", 10, [0; 6], 11),
            call("close", 11, [4, 0, 0, 0, 0, 0], 0),
            exec(11),
        ];
        assert!(run(&INFO, &evs).is_empty());
        let mut passed = exec(13);
        let start = passed.bytes.len() as u32;
        passed.bytes.extend_from_slice(b"helper--fd=3");
        passed.decoded[1] = Value::StrArray {
            items: vec![
                sysgate_event::Bytes { start, len: 6 },
                sysgate_event::Bytes {
                    start: start + 6,
                    len: 6,
                },
            ],
            more: false,
        };
        let evs = vec![
            with_path(
                call("openat", 10, [-100i64 as u64, 0, 0, 0, 0, 0], 3),
                "/etc/c",
            ),
            call("fork", 10, [0; 6], 13),
            passed,
        ];
        assert!(run(&INFO, &evs).is_empty());
    }
}
