//! Analyses that read the event stream. Today: the per-syscall count table (`trace -c`).

#![deny(missing_docs)]

pub mod count;
