//! What an OCI runtime calls after it has installed a container's filter and before the
//! container's program runs. A profile given to that runtime must allow these, or the container
//! fails to start with a message about the runtime, not the program (runc: `ensure /proc/self/fd
//! is on procfs: operation not permitted`).
//!
//! The sets are measured, not guessed: `scripts/runtime-calls.sh RUNTIME` records the runtime
//! starting a busybox container ten times under sysgate, finds the process that installed the
//! filter and takes every call its threads made after that up to the container's `execve`. runc
//! is a Go program whose scheduler may also run at any moment after the filter, so its set adds
//! the calls the Go runtime makes to park, wake, preempt and grow threads.

/// One runtime's set.
#[derive(Debug)]
pub struct Runtime {
    /// `runc`, `docker`…
    pub name: &'static str,
    /// Where and on what version the set was measured.
    pub measured_on: &'static str,
    /// The calls measured.
    pub measured: &'static [&'static str],
    /// Written in Go: the Go runtime's calls are added.
    pub go: bool,
}

impl Runtime {
    /// Every call the runtime may make after the filter is in place, sorted.
    pub fn calls(&self) -> Vec<&'static str> {
        let go: &[&str] = if self.go { GO_RUNTIME } else { &[] };
        let mut all: Vec<&'static str> = self.measured.iter().chain(go).copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// runc 1.1.5 (Debian 12), measured with `scripts/runtime-calls.sh runc 10`.
const RUNC_MEASURED: &[&str] = &[
    "close",
    "epoll_ctl",
    "epoll_pwait",
    "execve",
    "fstatfs",
    "futex",
    "getdents64",
    "getpid",
    "nanosleep",
    "openat",
    "sched_yield",
    "write",
];

/// The Go runtime's own calls between any two of the program's (scheduling, preemption by
/// signal, stacks and heap): not in every measurement, possible in any.
const GO_RUNTIME: &[&str] = &[
    "clone",
    "getpid",
    "gettid",
    "madvise",
    "mmap",
    "munmap",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "sigaltstack",
    "tgkill",
];

/// The runtimes sysgate has a measured set for.
pub const RUNTIMES: &[Runtime] = &[
    Runtime {
        name: "runc",
        measured_on: "runc 1.1.5 (Debian 12)",
        measured: RUNC_MEASURED,
        go: true,
    },
    Runtime {
        name: "docker",
        measured_on: "runc 1.1.5 (Debian 12), the runtime docker runs containers with",
        measured: RUNC_MEASURED,
        go: true,
    },
];

/// The set for `name`, or a one-line reason there is none.
pub fn lookup(name: &str) -> Result<&'static Runtime, String> {
    if let Some(r) = RUNTIMES.iter().find(|r| r.name == name) {
        return Ok(r);
    }
    match name {
        "crun" | "podman" => Err(format!(
            "--runtime {name}: no measured set yet (crun does not run on the machine the sets are \
             measured on); measure it with `scripts/runtime-calls.sh crun` and pass the list with \
             --runtime-calls FILE, or use --runtime runc if {name} runs containers with runc"
        )),
        _ => Err(format!(
            "--runtime {name}: use runc or docker (or --runtime-calls FILE with a measured list)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runc_is_the_measured_set_and_the_go_runtime() {
        let runc = lookup("runc").unwrap().calls();
        for c in RUNC_MEASURED.iter().chain(GO_RUNTIME) {
            assert!(runc.contains(c), "{c}");
        }
        for r in RUNTIMES {
            for c in r.calls() {
                assert!(sysgate_kb::by_name(c).is_some(), "{}: {c}", r.name);
            }
        }
        assert!(lookup("crun").unwrap_err().contains("runtime-calls.sh"));
        assert!(lookup("lxc").is_err());
    }
}
