//! `alloc-churn`: memory mapped and unmapped over and over, or the heap break going up and down.
//!
//! **What.** A process `mmap`s anonymous memory of the same size class and `munmap`s it soon
//! after, hundreds of times; or `brk` shrinks and grows the heap again and again. Typical
//! causes: a large buffer allocated per request (glibc serves blocks above its mmap threshold
//! with a fresh mapping, and Rust's `Vec` goes through malloc), a custom allocator without a
//! free list, malloc trimming the heap top after every free.
//!
//! **Why.** A map + unmap pair costs ~3.7 µs untraced here before the memory is even used, and
//! every page of a fresh mapping is a page fault and a zeroed page the first time it is touched
//! (~1.7 µs per 4 KiB): a 1 MiB buffer remapped per request costs ~0.4 ms of faults each time.
//!
//! **Evidence.** Per process and size class: map/unmap pairs that lived under a second, their
//! size, average lifetime; or brk shrink/grow cycles; an mmap → munmap → mmap sample.
//!
//! **Threshold.** At least 200 short-lived anonymous map/unmap pairs in one size class (a
//! power of two) by one process, or at least 200 brk shrink-then-grow cycles. `MAP_FIXED` and
//! `PROT_NONE` mappings (reservations, guard pages, the loader) are ignored.
//!
//! **Fix.** Reuse the buffer (allocate once, clear it), keep a pool or an arena; with glibc
//! malloc raise `M_MMAP_THRESHOLD` / `M_TRIM_THRESHOLD` (`mallopt`, `MALLOC_MMAP_THRESHOLD_`,
//! `MALLOC_TRIM_THRESHOLD_`). Saving = (pairs − 1) × `mmap_munmap` (a lower bound: the page
//! faults of touched pages come on top), or cycles × `brk_pair`.

use std::collections::HashMap;

use sysgate_event::SyscallEvent;

use super::{MAX_KEYS, Rule, RuleInfo, plural, push_unique, who};
use crate::advise::cost::{fmt_bytes, fmt_count, fmt_ns};
use crate::advise::{Ctx, Finding, Samples, Saving, Severity};

/// The rule's identity.
pub const INFO: RuleInfo = RuleInfo {
    id: "alloc-churn",
    title: "memory mapped and unmapped over and over",
    make: || Box::<AllocChurn>::default(),
};

/// Short-lived map/unmap pairs in one size class needed for a finding.
pub const MIN_PAIRS: u64 = 200;
/// brk shrink-then-grow cycles needed for a finding.
pub const MIN_BRK_CYCLES: u64 = 200;
/// A mapping unmapped within this long is short-lived.
pub const SHORT_NS: u64 = 1_000_000_000;
const MAP_FIXED: u64 = 0x10;
const MAP_ANONYMOUS: u64 = 0x20;

#[derive(Default)]
struct Class {
    pairs: u64,
    bytes: u64,
    life_ns: u64,
    tids: Vec<u32>,
    samples: Samples,
}

#[derive(Default)]
struct Brk {
    last: u64,
    shrunk: bool,
    cycles: u64,
    samples: Samples,
}

/// See the module documentation.
#[derive(Default)]
pub struct AllocChurn {
    live: HashMap<(u32, u64), (u64, u64)>,
    classes: HashMap<(u32, u32), Class>,
    brk: HashMap<u32, Brk>,
}

fn class_of(len: u64) -> u32 {
    64 - len.max(1).next_power_of_two().leading_zeros() - 1
}

impl Rule for AllocChurn {
    fn syscall(&mut self, _: &Ctx, ev: &SyscallEvent, name: &'static str) {
        if ev.is_error {
            return;
        }
        let a = ev.args;
        match name {
            "mmap" | "mmap2" => {
                if a[3] & MAP_ANONYMOUS == 0 || a[3] & MAP_FIXED != 0 || a[2] == 0 || a[1] == 0 {
                    return;
                }
                let key = (ev.pid, class_of(a[1]));
                if self.live.len() < MAX_KEYS {
                    self.live.insert((ev.pid, ev.ret as u64), (a[1], ev.ts_ns));
                }
                if self.classes.len() < MAX_KEYS || self.classes.contains_key(&key) {
                    let c = self.classes.entry(key).or_default();
                    // mmap, munmap, mmap.
                    if matches!(c.samples.0.len(), 0 | 2) {
                        c.samples.offer(ev);
                    }
                }
            }
            "munmap" => {
                let Some((len, t0)) = self.live.remove(&(ev.pid, a[0])) else {
                    return;
                };
                if len != a[1] || ev.ts_ns.saturating_sub(t0) >= SHORT_NS {
                    return;
                }
                if let Some(c) = self.classes.get_mut(&(ev.pid, class_of(len))) {
                    c.pairs += 1;
                    c.bytes += len;
                    c.life_ns += ev.ts_ns.saturating_sub(t0);
                    push_unique(&mut c.tids, ev.tid, 16);
                    if c.samples.0.len() == 1 {
                        c.samples.offer(ev);
                    }
                }
            }
            "brk" => {
                let new = ev.ret as u64;
                if self.brk.len() >= MAX_KEYS && !self.brk.contains_key(&ev.pid) {
                    return;
                }
                let b = self.brk.entry(ev.pid).or_default();
                if b.last != 0 && a[0] != 0 {
                    if new < b.last {
                        b.shrunk = true;
                        b.samples.offer(ev);
                    } else if new > b.last && b.shrunk {
                        b.shrunk = false;
                        b.cycles += 1;
                        b.samples.offer(ev);
                    }
                }
                b.last = new;
            }
            _ => {}
        }
    }

    fn process_exit(&mut self, _: &Ctx, pid: u32, _: u64) {
        self.live.retain(|(p, _), _| *p != pid);
    }

    fn finish(&mut self, cx: &Ctx, out: &mut Vec<Finding>) {
        for (&(pid, _), c) in &self.classes {
            if c.pairs < MIN_PAIRS {
                continue;
            }
            let avg = c.bytes / c.pairs;
            let life = c.life_ns / c.pairs;
            let pages = avg.div_ceil(4096);
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} mapped and unmapped {} of anonymous memory {} times, each mapping living {} on average",
                    who(cx, pid),
                    fmt_bytes(avg),
                    fmt_count(c.pairs),
                    fmt_ns(life as f64)
                ),
            );
            f.evidence.facts = vec![
                ("pairs", c.pairs),
                ("average_bytes", avg),
                ("average_lifetime_ns", life),
            ];
            f.evidence.pids = vec![pid];
            f.evidence.tids = c.tids.clone();
            f.evidence.samples = c.samples.0.clone();
            let mut saving = Saving::calls(
                2 * (c.pairs - 1),
                cx.costs.mmap_munmap / 2.0,
                "mmap/munmap calls",
                "half of mmap_munmap per call",
            );
            saving.formula.push_str(&format!(
                "; a lower bound: each fresh mapping also faults in every page it touches, up to {pages} × {} ({})",
                fmt_ns(cx.costs.page_fault),
                fmt_ns(pages as f64 * cx.costs.page_fault)
            ));
            f.saving = saving;
            f.fix = format!(
                "allocate the {} buffer once and reuse it (or keep a pool / an arena); with glibc malloc, raise M_MMAP_THRESHOLD above {} (mallopt, or MALLOC_MMAP_THRESHOLD_={}) so such blocks stay in the heap: {} → 1",
                fmt_bytes(avg),
                fmt_bytes(avg),
                (avg * 2).next_power_of_two(),
                plural(c.pairs, "mapping")
            );
            out.push(f);
        }
        for (&pid, b) in &self.brk {
            if b.cycles < MIN_BRK_CYCLES {
                continue;
            }
            let mut f = Finding::new(
                &INFO,
                Severity::Warning,
                format!(
                    "{} shrank the heap with brk and grew it again {} times",
                    who(cx, pid),
                    fmt_count(b.cycles)
                ),
            );
            f.evidence.facts = vec![("brk_cycles", b.cycles)];
            f.evidence.pids = vec![pid];
            f.evidence.samples = b.samples.0.clone();
            f.saving = Saving::calls(
                2 * b.cycles,
                cx.costs.brk_pair / 2.0,
                "brk calls",
                "half of brk_pair per call",
            );
            f.fix = format!(
                "stop malloc from giving the heap top back and taking it again: raise M_TRIM_THRESHOLD and M_TOP_PAD (mallopt, MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_), or reuse the buffers that are freed and allocated again: {} → 0",
                plural(b.cycles, "shrink/grow cycle")
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::testing::*;

    const ANON: u64 = 0x22; // MAP_PRIVATE | MAP_ANONYMOUS

    #[test]
    fn fires_on_a_buffer_mapped_per_request() {
        let mut evs = Vec::new();
        for i in 0..500u64 {
            let addr = 0x7f00_0000_0000 + (i % 3) * 0x100000;
            evs.push(at(
                call("mmap", 7, [0, 1 << 20, 3, ANON, u64::MAX, 0], addr as i64),
                i * 100_000,
                2000,
            ));
            evs.push(at(
                call("munmap", 7, [addr, 1 << 20, 0, 0, 0, 0], 0),
                i * 100_000 + 40_000,
                2000,
            ));
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message
                .contains("mapped and unmapped 1 MiB of anonymous memory 500 times"),
            "{}",
            f.message
        );
        assert_eq!(f.saving.calls_avoided, 998);
        let lines: Vec<&str> = f.evidence.samples.iter().map(|s| s.line.as_str()).collect();
        assert!(
            lines[0].starts_with("mmap(NULL, 1048576")
                && lines[1].starts_with("munmap(")
                && lines[2].starts_with("mmap("),
            "{lines:?}"
        );
        assert!(f.fix.contains("M_MMAP_THRESHOLD"), "{}", f.fix);
    }

    #[test]
    fn fires_on_brk_up_and_down() {
        let mut evs = vec![call("brk", 7, [0; 6], 0x1000_0000)];
        for _ in 0..300 {
            evs.push(call("brk", 7, [0x1002_0000, 0, 0, 0, 0, 0], 0x1002_0000));
            evs.push(call("brk", 7, [0x1000_0000, 0, 0, 0, 0, 0], 0x1000_0000));
        }
        let f = one(run(&INFO, &evs), Severity::Warning);
        assert!(
            f.message.contains("grew it again 299 times"),
            "{}",
            f.message
        );
    }

    #[test]
    fn silent_on_long_lived_fixed_and_few_mappings() {
        let mut evs = Vec::new();
        for i in 0..500u64 {
            let addr = 0x7f00_0000_0000 + i * 0x100000;
            // Lives for 2 s.
            evs.push(at(
                call("mmap", 7, [0, 1 << 20, 3, ANON, u64::MAX, 0], addr as i64),
                i * 1000,
                2000,
            ));
            evs.push(at(
                call("munmap", 7, [addr, 1 << 20, 0, 0, 0, 0], 0),
                i * 1000 + 2_000_000_000,
                2000,
            ));
            // Guard pages and fixed maps.
            evs.push(call("mmap", 8, [0, 4096, 0, ANON, u64::MAX, 0], 0x1000));
            evs.push(call("munmap", 8, [0x1000, 4096, 0, 0, 0, 0], 0));
            evs.push(call(
                "mmap",
                9,
                [0x2000, 4096, 3, ANON | 0x10, u64::MAX, 0],
                0x2000,
            ));
            evs.push(call("munmap", 9, [0x2000, 4096, 0, 0, 0, 0], 0));
        }
        for _ in 0..(MIN_PAIRS - 1) {
            evs.push(call("mmap", 10, [0, 8192, 3, ANON, u64::MAX, 0], 0x5000));
            evs.push(call("munmap", 10, [0x5000, 8192, 0, 0, 0, 0], 0));
        }
        // The heap only grows.
        evs.push(call("brk", 11, [0; 6], 0x1000_0000));
        for i in 1..500u64 {
            evs.push(call(
                "brk",
                11,
                [0x1000_0000 + i * 4096, 0, 0, 0, 0, 0],
                (0x1000_0000 + i * 4096) as i64,
            ));
        }
        assert!(run(&INFO, &evs).is_empty());
    }
}
