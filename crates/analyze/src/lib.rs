//! Analyses that read the event stream: the summary behind `sysgate summary` and `trace -c`,
//! and the latency histogram it uses.

#![deny(missing_docs)]

pub mod hist;
pub mod summary;
