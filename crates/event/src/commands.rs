//! Which program each process runs, as the call stream tells it: the basename of its last
//! successful `execve`, inherited across fork until it execs, or the name sysgate read at
//! attach ([`TaskChange::Named`](crate::TaskChange::Named)).

use crate::fxhash::FxMap;
use crate::{SyscallEvent, TaskEvent, Value};

/// Process id → command.
#[derive(Debug, Default, Clone)]
pub struct Commands {
    by_pid: FxMap<u32, String>,
}

impl Commands {
    /// Learns from a completed call; returns the process whose command it set, if any.
    pub fn observe(&mut self, ev: &SyscallEvent) -> Option<u32> {
        let sc = ev.syscall?;
        match sc.name {
            "execve" | "execveat" if !ev.is_error => {
                let path = ev.decoded.iter().find_map(|v| match v {
                    Value::Str { bytes, .. } => Some(ev.slice(*bytes)),
                    _ => None,
                })?;
                let path = String::from_utf8_lossy(path);
                let base = path.rsplit('/').next().unwrap_or(&path).to_string();
                self.by_pid.insert(ev.pid, base);
                Some(ev.pid)
            }
            // A child is named after its parent until it execs (which may come first).
            "fork" | "vfork" | "clone" | "clone3" if ev.ret > 0 => {
                let child = ev.ret as u32;
                if self.by_pid.contains_key(&child) {
                    return None;
                }
                let parent = self.by_pid.get(&ev.pid)?.clone();
                self.by_pid.insert(child, parent);
                Some(child)
            }
            _ => None,
        }
    }

    /// Learns from a task event (the name of an attached process); returns its process.
    pub fn task(&mut self, ev: &TaskEvent) -> Option<u32> {
        let comm = ev.change.comm()?;
        self.by_pid.insert(ev.pid, comm);
        Some(ev.pid)
    }

    /// The command of process `pid`, when known.
    pub fn get(&self, pid: u32) -> Option<&str> {
        self.by_pid.get(&pid).map(String::as_str)
    }
}
