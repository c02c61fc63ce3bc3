//! Least-privilege seccomp from real behaviour.
//!
//! [`generate`] turns recordings into an OCI `linux.seccomp` [`profile`] and a [`landlock`]
//! layer; [`compile`] turns a profile into the classic-BPF program the kernel runs ([`bpf`] holds
//! the opcodes, the evaluator and the assembler, which the tracer's own filter uses too);
//! [`harden`] is what `run` puts in front of any profile; [`compare`] merges and checks profiles.
//! Running a program under the filter, with the ptrace supervisor that reports violations, lives
//! in `sysgate-trace` (the same engine that traces), which depends on this crate.

#![deny(missing_docs)]

pub mod bpf;
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
