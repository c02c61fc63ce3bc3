//! Analyses that read the event stream: the summary behind `sysgate summary` and `trace -c`,
//! the latency histogram it uses, and the anti-pattern advisor behind `sysgate advise` with its
//! rules.

#![deny(missing_docs)]

pub mod advise;
pub(crate) mod calls;
pub mod callsite;
pub mod diff;
pub mod hist;
pub mod rules;
pub mod sources;
pub mod summary;
pub mod timeline;
