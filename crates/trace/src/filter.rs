//! Which syscalls to show: strace's `-e trace=` expressions, compiled to a bitmap per ABI.

use sysgate_kb::{Arch, ArgType, Category, RetType, Syscall};

use crate::Error;

/// strace's classes, and sysgate's categories under their own names.
pub const CLASSES: &[(&str, &str)] = &[
    ("%file", "syscalls that take a file name"),
    ("%desc", "syscalls that take or return a file descriptor"),
    ("%network", "socket calls (category network)"),
    ("%process", "process lifecycle (category process)"),
    ("%memory", "address-space calls (category memory)"),
    ("%ipc", "pipes, SysV/POSIX IPC, eventfd (category ipc)"),
    ("%signal", "signal calls (category signal)"),
    ("%creds", "user/group id and capability calls"),
    ("%clock", "clock reads and adjustments"),
    ("%stat", "stat-family calls"),
    ("%descriptor", "category descriptor"),
    ("%time", "category time"),
    ("%sync", "category sync"),
    ("%security", "category security"),
    ("%system", "category system"),
    ("%io_uring", "category io_uring"),
    ("%other", "category other"),
];

fn in_class(class: &str, s: &Syscall) -> Option<bool> {
    let has = |f: &dyn Fn(&ArgType) -> bool| s.args.iter().any(|a| f(&a.ty));
    Some(match class {
        "file" => has(&|t| matches!(t, ArgType::Path)),
        "desc" => {
            has(&|t| matches!(t, ArgType::Fd | ArgType::DirFd | ArgType::FdPair))
                || s.ret == RetType::Fd
        }
        "creds" => {
            let n = s.name;
            (n.starts_with("get") || n.starts_with("set"))
                && (n.contains("uid") || n.contains("gid") || n.contains("groups"))
                || matches!(n, "capget" | "capset")
        }
        "clock" => {
            s.name.starts_with("clock_")
                || matches!(
                    s.name,
                    "adjtimex" | "gettimeofday" | "settimeofday" | "time"
                )
        }
        "stat" => matches!(
            s.name,
            "stat"
                | "lstat"
                | "fstat"
                | "newfstatat"
                | "statx"
                | "stat64"
                | "lstat64"
                | "fstat64"
                | "fstatat64"
        ),
        "net" => s.category == Category::Network,
        other => s.category == Category::parse(other)?,
    })
}

/// A set of syscall numbers per ABI.
#[derive(Debug, Clone)]
pub struct Selection {
    bits: [Vec<u64>; 3],
    /// The names selected, for messages and the seccomp filter.
    names: Vec<&'static str>,
}

impl Selection {
    /// Everything.
    pub fn all() -> Selection {
        Selection::from_names(sysgate_kb::all().iter().map(|s| s.name).collect())
    }

    fn from_names(names: Vec<&'static str>) -> Selection {
        let mut bits: [Vec<u64>; 3] = Default::default();
        for arch in Arch::ALL {
            let v = &mut bits[arch as usize];
            for name in &names {
                if let Some(nr) = sysgate_kb::number(arch, name) {
                    let (w, b) = (nr as usize / 64, nr % 64);
                    if v.len() <= w {
                        v.resize(w + 1, 0);
                    }
                    v[w] |= 1 << b;
                }
            }
        }
        Selection { bits, names }
    }

    /// Parses a strace `-e trace=` expression: `open,openat,%network`, `!%memory`, `all`, `none`.
    pub fn parse(expr: &str) -> Result<Selection, Error> {
        let (negate, body) = match expr.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, expr),
        };
        let mut chosen: Vec<&'static str> = Vec::new();
        for item in body.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item {
                "all" => chosen.extend(sysgate_kb::all().iter().map(|s| s.name)),
                "none" => {}
                _ if item.starts_with('%') => {
                    let class = &item[1..];
                    let mut any = false;
                    for s in sysgate_kb::all() {
                        match in_class(class, s) {
                            None => {
                                let known: Vec<&str> = CLASSES.iter().map(|c| c.0).collect();
                                return Err(Error::Selection(format!(
                                    "unknown syscall class `{item}` (known: {})",
                                    known.join(" ")
                                )));
                            }
                            Some(true) => {
                                chosen.push(s.name);
                                any = true;
                            }
                            Some(false) => {}
                        }
                    }
                    let _ = any;
                }
                _ if item.starts_with('/') => {
                    // strace matches the expression anywhere in the name, as grep does.
                    let re = regex_lite::Regex::new(&item[1..]).map_err(|e| {
                        Error::Selection(format!("`{item}` is not a regular expression: {e}"))
                    })?;
                    let before = chosen.len();
                    chosen.extend(
                        sysgate_kb::all()
                            .iter()
                            .map(|s| s.name)
                            .filter(|n| re.is_match(n)),
                    );
                    if chosen.len() == before {
                        return Err(Error::Selection(format!(
                            "`{item}` matches no syscall (prefix it with `?` to allow that)"
                        )));
                    }
                }
                _ if item.starts_with('?') => {
                    // `?NAME`: strace's "ignore if unknown".
                    if let Ok(more) = Selection::parse(&item[1..]) {
                        chosen.extend(more.names);
                    }
                }
                name => match sysgate_kb::by_name(name) {
                    Some(s) => chosen.push(s.name),
                    None => {
                        let close = sysgate_kb::suggest(name, 3);
                        let hint = if close.is_empty() {
                            String::new()
                        } else {
                            format!(" (did you mean {}?)", close.join(", "))
                        };
                        return Err(Error::Selection(format!("unknown syscall `{name}`{hint}")));
                    }
                },
            }
        }
        chosen.sort_unstable();
        chosen.dedup();
        if negate {
            let all: Vec<&'static str> = sysgate_kb::all()
                .iter()
                .map(|s| s.name)
                .filter(|n| chosen.binary_search(n).is_err())
                .collect();
            return Ok(Selection::from_names(all));
        }
        Ok(Selection::from_names(chosen))
    }

    /// Whether syscall `nr` of `arch` is selected. Numbers without a name are selected only
    /// when everything is.
    #[inline]
    pub fn contains(&self, arch: Arch, nr: u32) -> bool {
        self.bits[arch as usize]
            .get(nr as usize / 64)
            .is_some_and(|w| w & (1 << (nr % 64)) != 0)
    }

    /// The selected numbers of `arch`.
    pub fn numbers(&self, arch: Arch) -> Vec<u32> {
        let mut v = Vec::new();
        for (w, word) in self.bits[arch as usize].iter().enumerate() {
            for b in 0..64 {
                if word & (1 << b) != 0 {
                    v.push((w * 64 + b) as u32);
                }
            }
        }
        v
    }

    /// Selected names.
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    /// The calls of `self` and `names` together.
    pub fn with(&self, names: &[&'static str]) -> Selection {
        let mut all = self.names.clone();
        all.extend_from_slice(names);
        all.sort_unstable();
        all.dedup();
        Selection::from_names(all)
    }

    /// True when every known syscall is selected.
    pub fn is_all(&self) -> bool {
        self.names.len() == sysgate_kb::all().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_classes_and_negation() {
        let s = Selection::parse("openat,%network").unwrap();
        assert!(s.contains(Arch::X86_64, 257));
        assert!(s.contains(Arch::X86_64, 41)); // socket
        assert!(!s.contains(Arch::X86_64, 0)); // read
        let n = Selection::parse("!read").unwrap();
        assert!(!n.contains(Arch::X86_64, 0));
        assert!(n.contains(Arch::X86_64, 1));
        let f = Selection::parse("%file").unwrap();
        assert!(f.contains(Arch::X86_64, 257));
        assert!(!f.contains(Arch::X86_64, 3)); // close takes no path
        assert!(Selection::parse("all").unwrap().is_all());
    }

    #[test]
    fn regular_expressions_and_optional_names() {
        let s = Selection::parse("/^(read|write)$").unwrap();
        assert_eq!(s.names(), ["read", "write"]);
        // Unanchored, as strace matches: every name containing `stat`.
        let stat = Selection::parse("/stat").unwrap();
        assert!(stat.names().contains(&"newfstatat") && stat.names().contains(&"statfs"));
        assert!(!stat.names().contains(&"read"));
        assert!(Selection::parse("/^zzz").is_err());
        assert!(Selection::parse("/(").is_err());
        assert_eq!(
            Selection::parse("?nosuch,close").unwrap().names(),
            ["close"]
        );
        assert_eq!(Selection::parse("?/^zzz,read").unwrap().names(), ["read"]);
        assert!(Selection::parse("nosuch").is_err());
        let not_rw = Selection::parse("!/^(read|write)$").unwrap();
        assert!(!not_rw.contains(Arch::X86_64, 0) && not_rw.contains(Arch::X86_64, 3));
    }

    #[test]
    fn unknown_names_suggest() {
        let e = Selection::parse("opnat").unwrap_err().to_string();
        assert!(e.contains("did you mean openat"), "{e}");
        assert!(Selection::parse("%bogus").is_err());
        assert!(Selection::parse("/[a-").is_err());
    }
}
