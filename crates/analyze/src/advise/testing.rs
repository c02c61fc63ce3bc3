//! Synthetic events for the rules' unit tests.

use sysgate_event::{Bytes, Phase, SyscallEvent, TaskChange, TaskEvent, Value};
use sysgate_kb::{Arch, ArgType};

use super::{Advisor, CostModel, Finding, Severity};
use crate::rules::RuleInfo;

/// A completed x86_64 call of `name` by process `pid` (thread `pid`) with raw `args`, returning
/// `ret` (`-errno` for failures); every argument decoded from its register (buffers as `"x…"`).
pub fn call(name: &str, pid: u32, args: [u64; 6], ret: i64) -> SyscallEvent {
    let mut e = SyscallEvent::new();
    let sc = sysgate_kb::by_name(name).unwrap_or_else(|| panic!("unknown syscall {name}"));
    e.syscall = Some(sc);
    e.arch = Arch::X86_64;
    e.nr = sysgate_kb::number(Arch::X86_64, name).unwrap_or(0);
    e.pid = pid;
    e.tid = pid;
    e.args = args;
    e.ret = ret;
    e.is_error = (-4095..0).contains(&ret);
    e.duration_ns = 1000;
    e.ts_ns = 1_700_000_000_000_000_000;
    e.phase = Phase::Completed;
    for (i, a) in sc.args.iter().enumerate() {
        let v = match a.ty {
            ArgType::InBuf { len } => {
                let n = (args[len as usize] as usize).min(32);
                let start = e.bytes.len() as u32;
                e.bytes.extend(std::iter::repeat_n(b'x', n));
                Value::Str {
                    bytes: Bytes {
                        start,
                        len: n as u32,
                    },
                    truncated: args[len as usize] as usize > n,
                }
            }
            ArgType::OutBuf { .. } if ret > 0 => {
                let n = (ret as usize).min(32);
                let start = e.bytes.len() as u32;
                e.bytes.extend(std::iter::repeat_n(b'x', n));
                Value::Str {
                    bytes: Bytes {
                        start,
                        len: n as u32,
                    },
                    truncated: ret as usize > n,
                }
            }
            ArgType::FdPair => Value::FdPair(args[i] as i32, args[i] as i32 + 1),
            ty => Value::from_register(ty, args[i], Arch::X86_64).unwrap_or(Value::Addr(args[i])),
        };
        e.decoded.push(v);
    }
    e
}

/// Sets every path argument of `ev` to `path`.
pub fn with_path(mut ev: SyscallEvent, path: &str) -> SyscallEvent {
    let sig = ev.syscall.expect("known syscall");
    for (i, a) in sig.args.iter().enumerate() {
        if matches!(a.ty, ArgType::Path) {
            let start = ev.bytes.len() as u32;
            ev.bytes.extend_from_slice(path.as_bytes());
            ev.decoded[i] = Value::Str {
                bytes: Bytes {
                    start,
                    len: path.len() as u32,
                },
                truncated: false,
            };
        }
    }
    ev
}

/// `ev` at time `ts_ns` (ns since an arbitrary start) lasting `dur_ns`.
pub fn at(mut ev: SyscallEvent, ts_ns: u64, dur_ns: u64) -> SyscallEvent {
    ev.ts_ns = 1_700_000_000_000_000_000 + ts_ns;
    ev.duration_ns = dur_ns;
    ev
}

/// `ev` made by thread `tid`.
pub fn on_thread(mut ev: SyscallEvent, tid: u32) -> SyscallEvent {
    ev.tid = tid;
    ev
}

/// Process `pid` exiting at `ts_ns`.
pub fn exit(pid: u32, ts_ns: u64) -> TaskEvent {
    TaskEvent {
        ts_ns: 1_700_000_000_000_000_000 + ts_ns,
        pid,
        tid: pid,
        change: TaskChange::Exited(0),
    }
}

/// Runs `events` through an advisor with only `rule`, returns the findings.
pub fn run(rule: &'static RuleInfo, events: &[SyscallEvent]) -> Vec<Finding> {
    let mut a = Advisor::new(&[rule], CostModel::builtin());
    for e in events {
        a.add(e);
    }
    a.report().findings
}

/// Like [`run`], with task events interleaved: `Ok` syscalls and `Err` exits.
pub fn run_with_tasks(
    rule: &'static RuleInfo,
    events: Vec<Result<SyscallEvent, TaskEvent>>,
) -> Vec<Finding> {
    use sysgate_event::Sink;
    let mut a = Advisor::new(&[rule], CostModel::builtin());
    for e in events {
        match e {
            Ok(ev) => a.add(&ev),
            Err(t) => a.task(&t).unwrap(),
        }
    }
    a.report().findings
}

/// Asserts exactly one finding, at least `min` severe, and returns it.
pub fn one(findings: Vec<Finding>, min: Severity) -> Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = findings.into_iter().next().unwrap();
    assert!(f.severity >= min, "{f:#?}");
    assert!(!f.fix.is_empty() && !f.message.is_empty(), "{f:#?}");
    f
}
