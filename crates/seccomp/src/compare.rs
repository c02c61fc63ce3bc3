//! Profiles against each other: does a new profile allow anything the approved one does not
//! ([`wider`]), and one profile that allows what several allow ([`merge`]) — for CI gates and
//! for fleets where each replica or host recorded its own.
//!
//! [`wider`] decides per syscall on every architecture the new profile lists. Every comparison
//! a profile can make changes its answer only at the constants it names, so trying each
//! constant of either profile, its neighbours, and the extremes of each argument covers every
//! region of `==`, `!=`, `<`, `<=`, `>`, `>=`; masked comparisons are tried with the expected
//! value, its bits flipped one at a time inside the mask, and bits set outside it. Arguments no
//! condition mentions cannot change an answer and are left at zero.

use std::collections::BTreeSet;

use crate::landlock::Layer;
use crate::profile::{Action, ArgCond, Op, Profile, Rule};

/// One thing the new profile allows and the base does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Widening {
    /// What, in words: `socket(arg0=0x10) on x86_64`, `read on /etc/shadow`.
    pub what: String,
}

fn allows(action: Action) -> bool {
    matches!(action, Action::Allow | Action::Log)
}

/// Values worth trying for argument `index` of syscall `name` given both profiles' conditions.
fn candidates(rules: &[&Rule], index: u8) -> Vec<u64> {
    let mut out: BTreeSet<u64> = [0, 1, u64::MAX, 0xffff_ffff, 0x1_0000_0000].into();
    for r in rules {
        for c in r.args.iter().filter(|c| c.index == index) {
            match c.op {
                Op::MaskedEq => {
                    let (mask, want) = (c.value, c.value_two);
                    out.insert(want);
                    out.insert(want | !mask);
                    out.insert(mask);
                    for bit in 0..64 {
                        if mask & (1 << bit) != 0 {
                            out.insert(want ^ (1 << bit));
                        }
                    }
                }
                _ => {
                    out.insert(c.value);
                    out.insert(c.value.wrapping_add(1));
                    out.insert(c.value.wrapping_sub(1));
                    out.insert(c.value | 0x1_0000_0000);
                }
            }
        }
    }
    out.into_iter().collect()
}

fn names_of(p: &Profile) -> BTreeSet<String> {
    p.syscalls
        .iter()
        .flat_map(|r| r.names.iter().cloned())
        .collect()
}

/// Everything `new` allows that `base` refuses (at most `limit` findings).
pub fn wider(new: &Profile, base: &Profile, limit: usize) -> Vec<Widening> {
    let mut out = Vec::new();
    for &arch in &new.architectures {
        if !base.architectures.contains(&arch) {
            out.push(Widening {
                what: format!("the {arch} ABI (the base profile does not list it)"),
            });
            continue;
        }
        // Every syscall either profile names, plus, when the new default allows, all of them.
        let mut names = names_of(new);
        names.extend(names_of(base));
        if allows(new.default_action) {
            names.extend(sysgate_kb::table(arch).map(|(_, sc)| sc.name.to_string()));
        }
        for name in names {
            let Some(nr) = sysgate_kb::number(arch, &name) else {
                continue;
            };
            let rules: Vec<&Rule> = new
                .syscalls
                .iter()
                .chain(&base.syscalls)
                .filter(|r| r.names.contains(&name))
                .collect();
            let indices: BTreeSet<u8> = rules
                .iter()
                .flat_map(|r| r.args.iter().map(|c| c.index))
                .collect();
            let per_arg: Vec<(u8, Vec<u64>)> = indices
                .iter()
                .map(|&i| (i, candidates(&rules, i)))
                .collect();
            let mut args = [0u64; 6];
            let mut found = None;
            try_all(&per_arg, 0, &mut args, &mut |a| {
                let n = allows(new.decide(arch, nr, a).0);
                let b = allows(base.decide(arch, nr, a).0);
                if n && !b {
                    found = Some(*a);
                    return true;
                }
                false
            });
            if let Some(a) = found {
                let shown: Vec<String> = indices
                    .iter()
                    .map(|&i| format!("arg{i}={:#x}", a[i as usize]))
                    .collect();
                out.push(Widening {
                    what: if shown.is_empty() {
                        format!("{name} on {arch}")
                    } else {
                        format!("{name}({}) on {arch}", shown.join(", "))
                    },
                });
                if out.len() >= limit {
                    return out;
                }
            }
        }
    }
    out
}

/// Calls `f` on every combination of the candidates; stops when it returns true.
fn try_all(
    per_arg: &[(u8, Vec<u64>)],
    at: usize,
    args: &mut [u64; 6],
    f: &mut dyn FnMut(&[u64; 6]) -> bool,
) -> bool {
    let Some((index, values)) = per_arg.get(at) else {
        return f(args);
    };
    for &v in values {
        args[*index as usize] = v;
        if try_all(per_arg, at + 1, args, f) {
            return true;
        }
    }
    args[*index as usize] = 0;
    false
}

/// Paths, ports and scopes `new` grants that `base` does not.
pub fn wider_layer(new: &Layer, base: &Layer, cwd: &std::path::Path) -> Vec<Widening> {
    let mut out = Vec::new();
    for r in &new.fs {
        // Compared the way the base's own rules are resolved: symlinks followed, and
        // `/proc/self` as one process's own entries.
        let rule = std::path::Path::new(&r.path);
        let path = match rule.strip_prefix("/proc/self") {
            Ok(rest) => std::path::Path::new("/proc/0").join(rest),
            Err(_) => {
                let abs = crate::landlock::absolute(rule, cwd);
                std::fs::canonicalize(&abs).unwrap_or(abs)
            }
        };
        for right in &r.rights {
            if !base.permits(&path, *right, cwd, 0) {
                out.push(Widening {
                    what: format!("{} on {}", right.name(), path.display()),
                });
            }
        }
    }
    for p in new.bind_tcp.difference(&base.bind_tcp) {
        out.push(Widening {
            what: format!("binding TCP port {p}"),
        });
    }
    for p in new.connect_tcp.difference(&base.connect_tcp) {
        out.push(Widening {
            what: format!("connecting to TCP port {p}"),
        });
    }
    if base.scope_signals && !new.scope_signals {
        out.push(Widening {
            what: "signals to processes outside the sandbox".into(),
        });
    }
    if base.scope_abstract_unix && !new.scope_abstract_unix {
        out.push(Widening {
            what: "abstract unix sockets outside the sandbox".into(),
        });
    }
    if new.allow_io_uring && !base.allow_io_uring {
        out.push(Widening {
            what: "io_uring".into(),
        });
    }
    out
}

/// One profile that allows everything any of `profiles` allows: the union of their allowing
/// entries (first, so no refusal of one shadows an allowance of another), then their other
/// entries, over the union of their architectures. They must agree on the default action.
pub fn merge(profiles: &[Profile]) -> Result<Profile, String> {
    let first = profiles.first().ok_or("no profile to merge")?;
    let mut out = Profile {
        default_action: first.default_action,
        default_errno_ret: first.default_errno_ret,
        architectures: Vec::new(),
        syscalls: Vec::new(),
    };
    let mut refusals: Vec<Rule> = Vec::new();
    for (i, p) in profiles.iter().enumerate() {
        if (p.default_action, p.default_errno_ret)
            != (first.default_action, first.default_errno_ret)
        {
            return Err(format!(
                "profile {} has default {} where the first has {}: merge profiles made with the same --default-action",
                i + 1,
                p.default_action.oci(),
                first.default_action.oci()
            ));
        }
        for a in &p.architectures {
            if !out.architectures.contains(a) {
                out.architectures.push(*a);
            }
        }
        for r in &p.syscalls {
            let list = if allows(r.action) {
                &mut out.syscalls
            } else {
                &mut refusals
            };
            if !list.contains(r) {
                list.push(r.clone());
            }
        }
    }
    // Refusals of a call some profile allows would be dead after the allowances anyway; keep
    // the rest (ENOSYS for newer twins, io_uring).
    out.syscalls.extend(refusals);
    // Names listed plainly in several entries collapse into one entry.
    let mut plain: Vec<String> = Vec::new();
    out.syscalls.retain(|r| {
        if r.action == Action::Allow && r.args.is_empty() && r.errno_ret.is_none() {
            for n in &r.names {
                if !plain.contains(n) {
                    plain.push(n.clone());
                }
            }
            false
        } else {
            true
        }
    });
    if !plain.is_empty() {
        plain.sort();
        out.syscalls.insert(
            0,
            Rule {
                names: plain,
                action: Action::Allow,
                errno_ret: None,
                args: Vec::new(),
                comment: None,
            },
        );
    }
    Ok(out)
}

/// The layer that grants what any of `layers` grants.
pub fn merge_layers(layers: &[Layer]) -> Layer {
    let mut out = Layer {
        scope_signals: layers.iter().all(|l| l.scope_signals),
        scope_abstract_unix: layers.iter().all(|l| l.scope_abstract_unix),
        allow_io_uring: layers.iter().any(|l| l.allow_io_uring),
        ..Layer::default()
    };
    for l in layers {
        for r in &l.fs {
            match out.fs.iter_mut().find(|o| o.path == r.path) {
                Some(o) => o.rights.extend(r.rights.iter().copied()),
                None => out.fs.push(r.clone()),
            }
        }
        out.bind_tcp.extend(&l.bind_tcp);
        out.connect_tcp.extend(&l.connect_tcp);
    }
    out
}

/// An argument condition in words: `arg1 & 0xffffffff == 0x5401`, `arg0 EQ 0x2`.
pub fn describe(c: &ArgCond) -> String {
    match c.op {
        Op::MaskedEq => format!("arg{} & {:#x} == {:#x}", c.index, c.value, c.value_two),
        op => format!(
            "arg{} {} {:#x}",
            c.index,
            op.oci().trim_start_matches("SCMP_CMP_"),
            c.value
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sysgate_kb::Arch;

    fn rule(names: &[&str], action: Action, args: Vec<ArgCond>) -> Rule {
        Rule {
            names: names.iter().map(|s| s.to_string()).collect(),
            action,
            errno_ret: None,
            args,
            comment: None,
        }
    }

    fn eq(index: u8, value: u64) -> ArgCond {
        ArgCond {
            index,
            value,
            value_two: 0,
            op: Op::Eq,
        }
    }

    fn profile(rules: Vec<Rule>) -> Profile {
        Profile {
            default_action: Action::Errno,
            default_errno_ret: Some(1),
            architectures: vec![Arch::X86_64],
            syscalls: rules,
        }
    }

    #[test]
    fn names_and_argument_filters_are_compared() {
        let base = profile(vec![
            rule(&["read", "write"], Action::Allow, vec![]),
            rule(&["socket"], Action::Allow, vec![eq(0, 2)]),
        ]);
        assert!(wider(&base, &base, 10).is_empty());
        let narrower = profile(vec![rule(&["read"], Action::Allow, vec![])]);
        assert!(wider(&narrower, &base, 10).is_empty());
        let more_names = profile(vec![rule(
            &["read", "write", "mount"],
            Action::Allow,
            vec![],
        )]);
        let w = wider(&more_names, &base, 10);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].what.starts_with("mount on x86_64"), "{w:?}");
        let other_domain = profile(vec![
            rule(&["read", "write"], Action::Allow, vec![]),
            rule(&["socket"], Action::Allow, vec![eq(0, 2)]),
            rule(&["socket"], Action::Allow, vec![eq(0, 16)]),
        ]);
        let w = wider(&other_domain, &base, 10);
        assert_eq!(w.len(), 1);
        assert!(w[0].what.contains("socket(arg0=0x10)"), "{w:?}");
        // Unfiltered socket is wider than socket(AF_INET) only.
        let any_socket = profile(vec![
            rule(&["read", "write"], Action::Allow, vec![]),
            rule(&["socket"], Action::Allow, vec![]),
        ]);
        assert_eq!(wider(&any_socket, &base, 10).len(), 1);
        assert!(wider(&base, &any_socket, 10).is_empty());
        // A mask that lets more request values through.
        let masked = |mask| {
            profile(vec![rule(
                &["ioctl"],
                Action::Allow,
                vec![ArgCond {
                    index: 1,
                    value: mask,
                    value_two: 0x5401,
                    op: Op::MaskedEq,
                }],
            )])
        };
        assert!(!wider(&masked(0xffff), &masked(0xffff_ffff), 10).is_empty());
        assert!(wider(&masked(0xffff_ffff), &masked(0xffff), 10).is_empty());
        // A new ABI.
        let mut i386 = base.clone();
        i386.architectures.push(Arch::I386);
        assert!(wider(&i386, &base, 10)[0].what.contains("i386"));
    }

    #[test]
    fn a_merge_allows_what_each_allowed() {
        let a = profile(vec![
            rule(&["read"], Action::Allow, vec![]),
            rule(&["socket"], Action::Allow, vec![eq(0, 2)]),
            rule(&["clone3"], Action::Errno, vec![]),
        ]);
        let b = profile(vec![
            rule(&["write"], Action::Allow, vec![]),
            rule(&["socket"], Action::Allow, vec![eq(0, 10)]),
        ]);
        let m = merge(&[a.clone(), b.clone()]).unwrap();
        assert!(wider(&a, &m, 10).is_empty());
        assert!(wider(&b, &m, 10).is_empty());
        assert!(!wider(&m, &a, 10).is_empty());
        assert_eq!(m.syscalls[0].names, vec!["read", "write"]);
        let mut killer = b.clone();
        killer.default_action = Action::KillProcess;
        assert!(merge(&[a, killer]).unwrap_err().contains("default"));
    }
}
