//! Least-privilege seccomp from real behaviour.
//!
//! [`generate`] turns recordings into an OCI `linux.seccomp` [`profile`]; [`compile`] turns a
//! profile into the classic-BPF program the kernel runs. Running a program under the filter, with
//! the ptrace supervisor that reports violations, lives in `sysgate-trace` (the same engine that
//! traces), driven by the CLI's `sysgate run`.

#![deny(missing_docs)]

pub mod caps;
pub mod compare;
pub mod compile;
pub mod generate;
pub mod harden;
pub mod landlock;
pub mod profile;
pub mod runtime;

use std::io;

/// What can go wrong reading or writing profiles.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A profile that does not follow the OCI format, with the field at fault.
    #[error("invalid seccomp profile: {0}")]
    Profile(String),
    /// A file could not be read or written.
    #[error("{0}: {1}")]
    Io(String, #[source] io::Error),
}
