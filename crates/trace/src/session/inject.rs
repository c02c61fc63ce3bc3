//! Tampering with syscalls, with strace's grammar and semantics (`-e inject=`, `-e fault=`):
//! make a call fail with an errno or succeed with a value without running it, deliver a
//! signal, delay it on entry or exit, or overwrite its argument memory — on every call of a
//! set, or on the calls a `when=` expression picks, counted per syscall per task.
//!
//! ```text
//! SET[:error=ERRNO|:retval=VALUE][:signal=SIG][:syscall=PURE][:delay_enter=D][:delay_exit=D]
//!    [:poke_enter=@argN=HEX,…][:poke_exit=@argN=HEX,…][:when=FIRST[..LAST][+[STEP]]]
//! ```
//!
//! The ptrace engine applies a [`Rule`] at the call's entry stop ([`Counter::fires`] decides
//! whether this invocation is tampered with) and finishes it at the exit stop.

use std::time::Duration;

use sysgate_kb::Arch;

use crate::filter::Selection;

/// `when=`'s `LAST` when there is none.
const LAST_INF: u16 = u16::MAX;

/// Which invocations of a call are tampered with: strace's `first`, `last` and `step`, kept per
/// task and syscall and counted down exactly as strace counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    first: u16,
    last: u16,
    step: u16,
}

impl Default for Counter {
    /// Every invocation (`when=1+`).
    fn default() -> Self {
        Counter {
            first: 1,
            last: LAST_INF,
            step: 1,
        }
    }
}

impl Counter {
    /// Parses `FIRST[..LAST][+[STEP]]`: `3` (the third call only), `2+` (the second and every
    /// later one), `1+3` (every third from the first), `2..4` (the second to the fourth).
    pub fn parse(text: &str) -> Result<Counter, String> {
        let bad = || format!("`when={text}`: use FIRST[..LAST][+[STEP]], e.g. 3, 2+, 1+2, 2..5");
        let num = |s: &str| -> Result<u16, String> {
            match s.parse::<u32>() {
                Ok(n) if (1..=0xffff).contains(&n) => Ok(n as u16),
                _ => Err(bad()),
            }
        };
        let (range, step) = match text.split_once('+') {
            Some((r, "")) => (r, Some(1)),
            Some((r, s)) => (r, Some(num(s)?)),
            None => (text, None),
        };
        let (first, last) = match range.split_once("..") {
            Some((f, l)) => {
                let (f, l) = (num(f)?, num(l)?);
                if l < f || l == LAST_INF {
                    return Err(bad());
                }
                (f, Some(l))
            }
            None => (num(range)?, None),
        };
        let step = match (step, last) {
            (Some(s), _) => s,
            (None, Some(_)) => 1,
            // `F` alone: that invocation only.
            (None, None) => 0,
        };
        Ok(Counter {
            first,
            last: last.unwrap_or(LAST_INF),
            step,
        })
    }

    /// Counts one invocation; true when this one is tampered with.
    pub fn fires(&mut self) -> bool {
        if self.first == 0 || self.last == 0 {
            return false;
        }
        if self.last != LAST_INF {
            self.last -= 1;
        }
        self.first -= 1;
        if self.first != 0 {
            return false;
        }
        self.first = self.step;
        true
    }
}

/// Bytes written over the memory an argument points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poke {
    /// The argument, 0-based (strace's `@arg1` is 0).
    pub arg: usize,
    /// What is written there.
    pub data: Vec<u8>,
}

/// What is done to a call that is tampered with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Action {
    /// Skip the call and fail it with this errno.
    pub error: Option<u16>,
    /// Skip the call and return this value.
    pub retval: Option<u64>,
    /// Deliver this signal when the call returns.
    pub signal: Option<i32>,
    /// Run this side-effect-free call (its number per ABI) instead of skipping to `-1`.
    pub syscall: Option<&'static str>,
    /// Hold the task this long before the call runs.
    pub delay_enter: Option<Duration>,
    /// Hold the task this long after the call returns.
    pub delay_exit: Option<Duration>,
    /// Memory written before the call runs.
    pub poke_enter: Vec<Poke>,
    /// Memory written after the call returns.
    pub poke_exit: Vec<Poke>,
    /// Halve this argument (a byte count) before the call runs, at least 1 left: the call
    /// really moves fewer bytes, as a short read or write does (`sysgate chaos`).
    pub shrink: Option<usize>,
}

impl Action {
    /// The value the task sees instead of the call's own: `-errno` or the value.
    pub fn replaced_return(&self) -> Option<i64> {
        match (self.error, self.retval) {
            (Some(e), _) => Some(-i64::from(e)),
            (None, Some(v)) => Some(v as i64),
            (None, None) => None,
        }
    }
}

/// Which descriptors a rule applies to, by what the call's first argument refers to
/// (`sysgate chaos` aims its failures where they happen for real).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FdKind {
    /// Anything but a shared library or the loader's cache (what the dynamic loader reads
    /// before the program runs is not the program's I/O).
    Data,
    /// A regular file on disk: not a shared library, not in /dev, /proc or /sys.
    File,
    /// A pipe, socket, FIFO or terminal: where a call can block and be interrupted.
    Blocking,
    /// A descriptor in non-blocking mode.
    NonBlocking,
    /// A socket.
    Socket,
}

impl FdKind {
    /// Whether descriptor `fd` of process `pid` is of this kind.
    pub fn matches(self, pid: u32, fd: i32) -> bool {
        if fd < 0 {
            return false;
        }
        let link = std::fs::read_link(format!("/proc/{pid}/fd/{fd}"))
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let flags = || {
            std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}"))
                .ok()
                .and_then(|i| {
                    i.lines()
                        .find_map(|l| l.strip_prefix("flags:"))
                        .and_then(|v| u64::from_str_radix(v.trim(), 8).ok())
                })
                .unwrap_or(0)
        };
        let library = || {
            let name = link.rsplit('/').next().unwrap_or("");
            name.ends_with(".so") || name.contains(".so.") || link == "/etc/ld.so.cache"
        };
        match self {
            FdKind::Data => !library(),
            FdKind::File => {
                link.starts_with('/')
                    && !["/dev/", "/proc/", "/sys/"]
                        .iter()
                        .any(|p| link.starts_with(p))
                    && !library()
                    && std::fs::metadata(format!("/proc/{pid}/fd/{fd}")).is_ok_and(|m| m.is_file())
            }
            FdKind::Blocking => {
                link.starts_with("pipe:")
                    || link.starts_with("socket:")
                    || link.starts_with("/dev/pts")
            }
            FdKind::NonBlocking => flags() & libc::O_NONBLOCK as u64 != 0,
            FdKind::Socket => link.starts_with("socket:"),
        }
    }
}

/// One `-e inject=`/`-e fault=` expression: the calls it applies to, what it does, and when.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The calls.
    pub set: Selection,
    /// Only calls whose first argument is a descriptor of this kind (chaos).
    pub fd_kind: Option<FdKind>,
    /// What is done.
    pub action: Action,
    /// Which invocations.
    pub when: Counter,
}

/// The calls strace lets `syscall=` run instead: they have no arguments and no side effects.
const PURE: [&str; 12] = [
    "getpid",
    "getppid",
    "gettid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getpgrp",
    "getuid32",
    "geteuid32",
    "getgid32",
    "getegid32",
];

/// A delay: a number (decimal fraction allowed) with an optional unit `s`, `ms`, `us` (the
/// default) or `ns`.
pub fn parse_delay(text: &str) -> Option<Duration> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let scale_ns: f64 = match unit {
        "" | "us" => 1e3,
        "s" => 1e9,
        "ms" => 1e6,
        "ns" => 1.0,
        _ => return None,
    };
    let v: f64 = num
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    let ns = v * scale_ns;
    (ns < 1e18).then(|| Duration::from_nanos(ns as u64))
}

fn parse_pokes(text: &str) -> Option<Vec<Poke>> {
    if text.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for item in text.split(',') {
        let rest = item.strip_prefix("@arg")?;
        let (n, hex) = rest.split_once('=')?;
        let arg = match n.parse::<usize>() {
            Ok(a @ 1..=7) => a - 1,
            _ => return None,
        };
        if hex.is_empty() || hex.len() % 2 != 0 || hex.len() > 2048 {
            return None;
        }
        let data = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        out.push(Poke { arg, data });
    }
    Some(out)
}

impl Rule {
    /// Parses one expression. `fault` is `-e fault=`: only `error=` and `when=` are allowed,
    /// and the error defaults to ENOSYS.
    pub fn parse(text: &str, fault: bool) -> Result<Rule, String> {
        let what = if fault { "fault" } else { "inject" };
        let invalid = |why: &str| format!("invalid {what} `{text}`: {why}");
        let mut parts = text.split(':');
        let set_text = parts.next().unwrap_or_default();
        if set_text.is_empty() {
            return Err(invalid("name the syscalls first, e.g. openat:error=ENOENT"));
        }
        let set = Selection::parse(set_text).map_err(|e| invalid(&e.to_string()))?;
        let mut action = Action::default();
        let mut when = Counter::default();
        for token in parts {
            let (key, value) = token
                .split_once('=')
                .ok_or_else(|| invalid(&format!("`{token}` is not KEY=VALUE")))?;
            let only_fault = matches!(key, "when" | "error");
            if fault && !only_fault {
                return Err(invalid(&format!(
                    "`{key}=` belongs to -e inject=; -e fault= takes error= and when="
                )));
            }
            let dup = || invalid(&format!("`{key}=` given twice"));
            match key {
                "when" => when = Counter::parse(value).map_err(|e| invalid(&e))?,
                "error" | "retval" if action.error.is_some() || action.retval.is_some() => {
                    return Err(invalid("error= and retval= exclude each other"));
                }
                "error" => {
                    let n = match value.parse::<u32>() {
                        Ok(n) => n,
                        Err(_) => sysgate_kb::symbols::errno_by_name(value)
                            .map(|e| e.num)
                            .ok_or_else(|| invalid(&format!("`{value}` is not an errno")))?,
                    };
                    if !(1..=4095).contains(&n) {
                        return Err(invalid("error= takes an errno from 1 to 4095"));
                    }
                    action.error = Some(n as u16);
                }
                "retval" => {
                    let v = parse_u64(value)
                        .ok_or_else(|| invalid(&format!("`{value}` is not a number")))?;
                    action.retval = Some(v);
                }
                "signal" if action.signal.is_some() => return Err(dup()),
                "signal" => {
                    let n = value
                        .parse::<i32>()
                        .ok()
                        .or_else(|| sysgate_kb::symbols::signal_by_name(value))
                        .filter(|n| (1..=64).contains(n))
                        .ok_or_else(|| invalid(&format!("`{value}` is not a signal")))?;
                    action.signal = Some(n);
                }
                "syscall" if action.syscall.is_some() => return Err(dup()),
                "syscall" => {
                    let name = PURE.iter().find(|p| **p == value).ok_or_else(|| {
                        invalid(&format!(
                            "syscall= takes a call without side effects ({}), not `{value}`",
                            PURE[..8].join(", ")
                        ))
                    })?;
                    action.syscall = Some(name);
                }
                "delay_enter" | "delay_exit" => {
                    let d = parse_delay(value).ok_or_else(|| {
                        invalid(&format!("`{value}` is not a delay (e.g. 10ms, 500us, 1s)"))
                    })?;
                    let slot = if key == "delay_enter" {
                        &mut action.delay_enter
                    } else {
                        &mut action.delay_exit
                    };
                    if slot.is_some() {
                        return Err(dup());
                    }
                    *slot = Some(d);
                }
                "poke_enter" | "poke_exit" => {
                    let pokes = parse_pokes(value).ok_or_else(|| {
                        invalid(&format!(
                            "`{value}`: use @argN=HEX[,@argM=HEX], N from 1 to 7, e.g. @arg2=61626364"
                        ))
                    })?;
                    let slot = if key == "poke_enter" {
                        &mut action.poke_enter
                    } else {
                        &mut action.poke_exit
                    };
                    if !slot.is_empty() {
                        return Err(dup());
                    }
                    *slot = pokes;
                }
                other => return Err(invalid(&format!("unknown key `{other}=`"))),
            }
        }
        let acts = action.error.is_some()
            || action.retval.is_some()
            || action.signal.is_some()
            || action.delay_enter.is_some()
            || action.delay_exit.is_some()
            || !action.poke_enter.is_empty()
            || !action.poke_exit.is_empty()
            || action.shrink.is_some();
        if !acts {
            if fault {
                action.error = Some(libc::ENOSYS as u16);
            } else {
                return Err(invalid(
                    "say what to do: error=, retval=, signal=, delay_enter=, delay_exit=, poke_enter= or poke_exit=",
                ));
            }
        }
        Ok(Rule {
            set,
            fd_kind: None,
            action,
            when,
        })
    }
}

fn parse_u64(text: &str) -> Option<u64> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        u64::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse::<u64>().ok()?
    };
    Some(if neg { v.wrapping_neg() } else { v })
}

/// Every rule given; for a call, the last rule whose set has it applies (as in strace, a later
/// expression overrides an earlier one for the calls they share).
#[derive(Debug, Clone, Default)]
pub struct Injections {
    rules: Vec<Rule>,
}

impl Injections {
    /// Adds a rule; it wins over earlier ones for the calls in its set.
    pub fn push(&mut self, rule: Rule) {
        self.rules.push(rule);
    }

    /// True when nothing is tampered with.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The index of the rule for syscall `nr` of `arch`.
    pub fn rule_for(&self, arch: Arch, nr: u32) -> Option<usize> {
        self.rules.iter().rposition(|r| r.set.contains(arch, nr))
    }

    /// Rule `i`.
    pub fn rule(&self, i: usize) -> &Rule {
        &self.rules[i]
    }

    /// True when a rule delivers a signal. The signal is passed when the task resumes from the
    /// call's entry stop, which only a syscall-entry stop honours (not a seccomp stop), so such
    /// a session stops at every call, as strace does.
    pub fn signals(&self) -> bool {
        self.rules.iter().any(|r| r.action.signal.is_some())
    }

    /// The calls any rule applies to (they must stop the tracee even when not shown).
    pub fn calls(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self
            .rules
            .iter()
            .flat_map(|r| r.set.names().iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(when: &str, calls: usize) -> Vec<usize> {
        let mut c = Counter::parse(when).unwrap();
        (1..=calls).filter(|_| c.fires()).collect()
    }

    #[test]
    fn when_picks_the_invocations_strace_picks() {
        assert_eq!(fired("3", 10), [3]);
        assert_eq!(fired("2+", 5), [2, 3, 4, 5]);
        assert_eq!(fired("1+3", 10), [1, 4, 7, 10]);
        assert_eq!(fired("2..4", 10), [2, 3, 4]);
        assert_eq!(fired("2..8+3", 12), [2, 5, 8]);
        let mut all = Counter::default();
        assert!((0..100).all(|_| all.fires()));
        for bad in ["0", "", "x", "3..2", "1+0", "2..", "70000"] {
            assert!(Counter::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn expressions_parse_with_strace_rules() {
        let r = Rule::parse("openat,read:error=ENOENT:when=2+", false).unwrap();
        assert_eq!(r.action.error, Some(2));
        assert!(r.set.names().contains(&"read"));
        let r = Rule::parse("write:retval=0x10:signal=USR1", false).unwrap();
        assert_eq!((r.action.retval, r.action.signal), (Some(16), Some(10)));
        let r = Rule::parse("getpid:delay_enter=1.5ms:delay_exit=20", false).unwrap();
        assert_eq!(r.action.delay_enter, Some(Duration::from_micros(1500)));
        assert_eq!(r.action.delay_exit, Some(Duration::from_micros(20)));
        let r = Rule::parse("write:poke_enter=@arg2=6869", false).unwrap();
        assert_eq!(
            r.action.poke_enter,
            [Poke {
                arg: 1,
                data: b"hi".to_vec()
            }]
        );
        assert_eq!(Rule::parse("open", true).unwrap().action.error, Some(38));
        assert_eq!(
            Rule::parse("open:error=EACCES:syscall=getpid", false)
                .unwrap()
                .action
                .syscall,
            Some("getpid")
        );
        for bad in [
            "open",
            "open:error=ENOENT:retval=1",
            "open:error=EBOGUS",
            "open:syscall=unlink:error=1",
            "open:poke_enter=@arg9=00",
            "open:poke_enter=@arg1=0",
            "open:delay_enter=3h",
            ":error=1",
            "nosuchcall:error=1",
            "open:signal=SIGBOGUS",
            "open:frobnicate=1",
        ] {
            assert!(Rule::parse(bad, false).is_err(), "{bad}");
        }
        assert!(Rule::parse("open:retval=1", true).is_err());
    }
}
