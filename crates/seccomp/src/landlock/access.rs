//! From recordings to a layer: every path a program opened, created, removed and executed and
//! every port it used, generalised into rules.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use sysgate_event::{SyscallEvent, Value};

use super::{FsRule, Layer, Need, Right, Rights, absolute};

/// Read-only trees every dynamically linked program reads from; read rights there are granted on
/// the whole tree rather than file by file. Nothing secret lives there.
const SYSTEM_TREES: &[&str] = &[
    "/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin",
];

/// Trees whose entries are per process or per device (`/proc/1234/…`): read rights go on the
/// tree, since the names differ from run to run.
const VOLATILE_TREES: &[&str] = &["/proc", "/sys"];

const O_ACCMODE: u64 = 3;
const O_CREAT: u64 = 0o100;
const O_TRUNC: u64 = 0o1000;
const O_DIRECTORY: u64 = 0o200000;
const O_PATH: u64 = 0o10000000;
const O_TMPFILE: u64 = 0o20000000 | O_DIRECTORY;
const AT_FDCWD: i32 = -100;
const AT_REMOVEDIR: u64 = 0x200;

/// What one process knows about where relative paths point.
#[derive(Debug, Default, Clone)]
struct Where {
    /// The working directory, when a `chdir` made it known; `None` is "where it started".
    cwd: Option<String>,
    /// Directory descriptors opened by path.
    fds: HashMap<i32, String>,
}

/// The paths, ports and signals of one or more recordings.
#[derive(Debug, Default)]
pub struct Access {
    /// Rights wanted on exact paths, with the number of calls and an example call.
    exact: BTreeMap<String, (Rights, u64, String)>,
    /// Rights wanted beneath directories (where files were made or removed).
    beneath: BTreeMap<String, (Rights, u64, String)>,
    /// Directories the program made itself.
    made_dirs: BTreeSet<String>,
    bind: BTreeSet<u16>,
    connect: BTreeSet<u16>,
    /// Processes (and threads) seen, and the targets of signals sent.
    pids: BTreeSet<i64>,
    signal_targets: BTreeSet<i64>,
    abstract_unix: bool,
    procs: HashMap<u32, Where>,
    /// io_uring was used.
    pub io_uring: bool,
    /// Calls whose directory descriptor could not be resolved (their paths are not in the layer).
    pub unresolved: u64,
}

fn str_arg(ev: &SyscallEvent, i: usize) -> Option<String> {
    match ev.decoded.get(i)? {
        Value::Str {
            bytes,
            truncated: false,
        } => Some(String::from_utf8_lossy(ev.slice(*bytes)).into_owned()),
        _ => None,
    }
}

/// Errors an open returns after the path was found and access to it checked (Landlock's check
/// comes first): a device with no driver or terminal (`/dev/tty` without one), a read-only file
/// system, an existing file with `O_EXCL`. Under Landlock they would turn into EACCES, so the
/// path needs its rule as much as a successful open does.
fn opened_then_failed(ret: i64) -> bool {
    [
        libc::ENXIO,
        libc::ENODEV,
        libc::EBUSY,
        libc::EROFS,
        libc::EISDIR,
        libc::ETXTBSY,
        libc::EEXIST,
        libc::EAGAIN,
    ]
    .iter()
    .any(|&e| ret == -i64::from(e))
}

/// The port of a decoded `sockaddr_in`/`sockaddr_in6`.
fn port_of(v: &Value) -> Option<u16> {
    let Value::Record(fields) = v else {
        return None;
    };
    fields.iter().find_map(|f| match (&f.name, &f.value) {
        (&("sin_port" | "sin6_port"), Value::Call { args, .. }) => match args.first() {
            Some(Value::UInt(p)) => u16::try_from(*p).ok(),
            Some(Value::Int(p)) => u16::try_from(*p).ok(),
            _ => None,
        },
        _ => None,
    })
}

fn is_abstract(v: &Value) -> bool {
    match v {
        Value::AbstractPath(_) => true,
        Value::Record(fields) => fields.iter().any(|f| is_abstract(&f.value)),
        _ => false,
    }
}

fn parent(path: &str) -> String {
    match Path::new(path).parent() {
        Some(p) if p.as_os_str().is_empty() => ".".into(),
        Some(p) => p.display().to_string(),
        None => "/".into(),
    }
}

impl Access {
    /// An empty collection.
    pub fn new() -> Access {
        Access::default()
    }

    /// The path argument `i` made absolute where the process's state allows (relative to its
    /// starting directory otherwise); `dirfd` is the index of its directory-descriptor argument.
    fn path(&mut self, ev: &SyscallEvent, dirfd: Option<usize>, i: usize) -> Option<String> {
        let p = str_arg(ev, i)?;
        if p.is_empty() {
            return None;
        }
        let w = self.procs.entry(ev.pid).or_default();
        if p.starts_with('/') {
            return Some(
                absolute(Path::new(&p), Path::new("/"))
                    .display()
                    .to_string(),
            );
        }
        let fd = dirfd.map_or(AT_FDCWD, |d| ev.args[d] as u32 as i32);
        let base = if fd == AT_FDCWD {
            w.cwd.clone()
        } else {
            match w.fds.get(&fd) {
                Some(b) => Some(b.clone()),
                None => {
                    self.unresolved += 1;
                    return None;
                }
            }
        };
        Some(match base {
            Some(b) => absolute(Path::new(&p), Path::new(&b)).display().to_string(),
            // Relative to where the program starts: kept relative, resolved by `run`.
            None => {
                let folded = absolute(Path::new(&p), Path::new("/"));
                let rel = folded.strip_prefix("/").unwrap_or(&folded);
                if rel.as_os_str().is_empty() {
                    ".".into()
                } else {
                    rel.display().to_string()
                }
            }
        })
    }

    fn want(&mut self, path: String, rights: &[Right], ev: &SyscallEvent, beneath: bool) {
        let map = if beneath {
            &mut self.beneath
        } else {
            &mut self.exact
        };
        let e = map
            .entry(path)
            .or_insert_with(|| (Rights::new(), 0, ev.name().into_owned()));
        e.0.extend(rights.iter().copied());
        e.1 += 1;
    }

    /// What one call needs from a layer to succeed, as if it had: the rights on its paths and
    /// its ports, before any generalisation.
    pub fn needs(ev: &SyscallEvent) -> Vec<Need> {
        let mut a = Access::new();
        let mut ok = ev.clone();
        ok.is_error = false;
        ok.ret = 0;
        ok.phase = sysgate_event::Phase::Completed;
        a.observe(&ok);
        let mut out = Vec::new();
        for (path, (rights, _, _)) in a.exact.iter().chain(&a.beneath) {
            for right in rights {
                // Rights added for convenience, not required by the call itself.
                if *right == Right::IoctlDev {
                    continue;
                }
                out.push(Need::Path {
                    path: path.clone(),
                    right: *right,
                });
            }
        }
        out.extend(a.bind.iter().map(|&p| Need::Bind(p)));
        out.extend(a.connect.iter().map(|&p| Need::Connect(p)));
        out
    }

    /// A process or thread of the recording.
    pub fn task(&mut self, pid: u32, tid: u32) {
        self.pids.insert(i64::from(pid));
        self.pids.insert(i64::from(tid));
    }

    /// Takes one completed call.
    pub fn observe(&mut self, ev: &SyscallEvent) {
        let Some(sc) = ev.syscall else {
            return;
        };
        self.pids.insert(i64::from(ev.pid));
        self.pids.insert(i64::from(ev.tid));
        let a = ev.args;
        let ok = !ev.is_error;
        let in_progress = ev.is_error && ev.ret == -i64::from(libc::EINPROGRESS);
        match sc.name {
            "open" | "openat" | "creat" | "openat2" if ok || opened_then_failed(ev.ret) => {
                let (dirfd, pi, flags) = match sc.name {
                    "open" => (None, 0, a[1]),
                    "creat" => (None, 0, 0o1 | O_CREAT | O_TRUNC),
                    // openat2's flags are in a struct; treat it as a read.
                    "openat2" => (Some(0), 1, 0),
                    _ => (Some(0), 1, a[2]),
                };
                let Some(path) = self.path(ev, dirfd, pi) else {
                    return;
                };
                if flags & O_PATH != 0 {
                    return;
                }
                if ok && flags & O_DIRECTORY != 0 && flags & O_TMPFILE != O_TMPFILE {
                    self.procs
                        .entry(ev.pid)
                        .or_default()
                        .fds
                        .insert(ev.ret as i32, path.clone());
                }
                let mut rights = Vec::new();
                match flags & O_ACCMODE {
                    0 => rights.push(if flags & O_DIRECTORY != 0 {
                        Right::ReadDir
                    } else {
                        Right::ReadFile
                    }),
                    1 => rights.push(Right::WriteFile),
                    _ => rights.extend([Right::ReadFile, Right::WriteFile]),
                }
                if flags & O_TRUNC != 0 {
                    rights.push(Right::Truncate);
                }
                if path.starts_with("/dev/") {
                    rights.push(Right::IoctlDev);
                }
                if flags & O_TMPFILE == O_TMPFILE {
                    rights.push(Right::MakeReg);
                    self.want(path, &rights, ev, true);
                } else if flags & O_CREAT != 0 && tree_of_devices(&path).is_none() {
                    rights.push(Right::MakeReg);
                    rights.push(Right::ReadFile);
                    self.want(parent(&path), &rights, ev, true);
                } else {
                    self.want(path, &rights, ev, false);
                }
            }
            "execve" | "execveat" if ok || ev.phase != sysgate_event::Phase::Completed => {
                let path = if sc.name == "execve" {
                    self.path(ev, None, 0)
                } else {
                    self.path(ev, Some(0), 1)
                };
                if let Some(path) = path {
                    self.want(path, &[Right::Execute, Right::ReadFile], ev, false);
                }
            }
            "chdir" if ok => {
                if let Some(p) = self.path(ev, None, 0) {
                    self.procs.entry(ev.pid).or_default().cwd = Some(p);
                }
            }
            "mkdir" | "mkdirat" if ok => {
                let path = if sc.name == "mkdir" {
                    self.path(ev, None, 0)
                } else {
                    self.path(ev, Some(0), 1)
                };
                if let Some(path) = path {
                    self.made_dirs.insert(path.clone());
                    self.want(parent(&path), &[Right::MakeDir], ev, true);
                }
            }
            "mknod" | "mknodat" if ok => {
                let (path, mode) = if sc.name == "mknod" {
                    (self.path(ev, None, 0), a[1])
                } else {
                    (self.path(ev, Some(0), 1), a[2])
                };
                let right = match mode as u32 & libc::S_IFMT {
                    libc::S_IFIFO => Right::MakeFifo,
                    libc::S_IFSOCK => Right::MakeSock,
                    libc::S_IFCHR => Right::MakeChar,
                    libc::S_IFBLK => Right::MakeBlock,
                    _ => Right::MakeReg,
                };
                if let Some(path) = path {
                    self.want(parent(&path), &[right], ev, true);
                }
            }
            "unlink" | "unlinkat" | "rmdir" if ok => {
                let (path, dir) = match sc.name {
                    "unlink" => (self.path(ev, None, 0), false),
                    "rmdir" => (self.path(ev, None, 0), true),
                    _ => (self.path(ev, Some(0), 1), a[2] & AT_REMOVEDIR != 0),
                };
                let right = if dir {
                    Right::RemoveDir
                } else {
                    Right::RemoveFile
                };
                if let Some(path) = path {
                    self.want(parent(&path), &[right], ev, true);
                }
            }
            "rename" | "renameat" | "renameat2" | "link" | "linkat" if ok => {
                let (from, to) = match sc.name {
                    "rename" | "link" => (self.path(ev, None, 0), self.path(ev, None, 1)),
                    _ => (self.path(ev, Some(0), 1), self.path(ev, Some(2), 3)),
                };
                let (Some(from), Some(to)) = (from, to) else {
                    return;
                };
                let moves = sc.name.starts_with("rename");
                let (pf, pt) = (parent(&from), parent(&to));
                let mut at_to = vec![Right::MakeReg, Right::WriteFile, Right::ReadFile];
                if pf != pt {
                    at_to.push(Right::Refer);
                    let mut at_from = vec![Right::Refer];
                    if moves {
                        at_from.push(Right::RemoveFile);
                    }
                    self.want(pf, &at_from, ev, true);
                } else if moves {
                    at_to.push(Right::RemoveFile);
                }
                self.want(pt, &at_to, ev, true);
            }
            "symlink" | "symlinkat" if ok => {
                let path = if sc.name == "symlink" {
                    self.path(ev, None, 1)
                } else {
                    self.path(ev, Some(1), 2)
                };
                if let Some(path) = path {
                    self.want(parent(&path), &[Right::MakeSym], ev, true);
                }
            }
            "truncate" if ok => {
                if let Some(path) = self.path(ev, None, 0) {
                    self.want(path, &[Right::Truncate], ev, false);
                }
            }
            "bind" if ok => {
                if let Some(p) = ev.decoded.get(1).and_then(port_of) {
                    self.bind.insert(p);
                }
            }
            "connect" if ok || in_progress => {
                if let Some(v) = ev.decoded.get(1) {
                    if let Some(p) = port_of(v) {
                        self.connect.insert(p);
                    }
                    self.abstract_unix |= is_abstract(v);
                }
            }
            "sendto" | "sendmsg" if ok && ev.decoded.iter().any(is_abstract) => {
                self.abstract_unix = true;
            }
            "kill" | "tkill" | "rt_sigqueueinfo" => {
                self.signal_targets.insert(a[0] as u32 as i32 as i64);
            }
            "tgkill" | "rt_tgsigqueueinfo" => {
                self.signal_targets.insert(a[0] as u32 as i32 as i64);
            }
            "io_uring_setup" => self.io_uring = true,
            "clone" | "clone3" | "fork" | "vfork" if ok && ev.ret > 0 => {
                self.pids.insert(ev.ret);
            }
            "close" if ok => {
                if let Some(w) = self.procs.get_mut(&ev.pid) {
                    w.fds.remove(&(a[0] as u32 as i32));
                }
            }
            _ => {}
        }
    }

    /// The layer: exact rules for paths touched one by one, tree rules for the system trees,
    /// `/proc` and `/sys`, and for directories the program made things in.
    pub fn layer(&self, allow_io_uring: bool) -> Layer {
        let mut trees: BTreeMap<String, (Rights, u64, String)> = BTreeMap::new();
        let mut exact: BTreeMap<String, (Rights, u64, String)> = BTreeMap::new();
        let tree_of = |p: &str| -> Option<&'static str> {
            SYSTEM_TREES
                .iter()
                .chain(VOLATILE_TREES)
                .find(|t| Path::new(p).starts_with(t))
                .copied()
        };
        for (path, (rights, n, example)) in &self.exact {
            // Landlock rules hold inodes: a symlink's rule must name what it points to.
            // Relative paths stay relative: `run` resolves them where the program starts.
            let real = if Path::new(path).is_absolute() {
                std::fs::canonicalize(path)
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|_| path.clone())
            } else {
                path.clone()
            };
            let path = &real;
            let read_only = rights
                .iter()
                .all(|r| matches!(r, Right::ReadFile | Right::ReadDir | Right::Execute));
            match tree_of(path) {
                // Executing stays file by file even in the system trees; reading does not.
                Some(tree) if read_only => {
                    let e = trees
                        .entry(tree.to_string())
                        .or_insert_with(|| (Rights::new(), 0, example.clone()));
                    e.0.insert(Right::ReadFile);
                    e.0.insert(Right::ReadDir);
                    e.1 += n;
                    if rights.contains(&Right::Execute) {
                        let e = exact
                            .entry(path.clone())
                            .or_insert_with(|| (Rights::new(), 0, example.clone()));
                        e.0.insert(Right::Execute);
                        e.0.insert(Right::ReadFile);
                        e.1 += n;
                    }
                }
                _ => {
                    let path = proc_self(path);
                    let e = exact
                        .entry(path)
                        .or_insert_with(|| (Rights::new(), 0, example.clone()));
                    e.0.extend(rights.iter().copied());
                    e.1 += n;
                }
            }
        }
        // The program's interpreters are opened for execution by the kernel too.
        let executed: Vec<String> = exact
            .iter()
            .filter(|(_, (r, _, _))| r.contains(&Right::Execute))
            .map(|(p, _)| p.clone())
            .collect();
        for p in executed {
            for interp in interpreters(Path::new(&p)) {
                let e = exact
                    .entry(interp)
                    .or_insert_with(|| (Rights::new(), 0, format!("interpreter of {p}")));
                e.0.insert(Right::Execute);
                e.0.insert(Right::ReadFile);
            }
        }
        // Where things were made: the nearest directory that existed before the program ran,
        // with reading and writing beneath it.
        for (dir, (rights, n, example)) in &self.beneath {
            let mut d = dir.clone();
            while self.made_dirs.contains(&d) {
                d = parent(&d);
            }
            let e = trees
                .entry(d)
                .or_insert_with(|| (Rights::new(), 0, example.clone()));
            e.0.extend(rights.iter().copied());
            e.0.extend([Right::ReadFile, Right::ReadDir, Right::WriteFile]);
            if rights.contains(&Right::MakeReg) {
                e.0.insert(Right::Truncate);
            }
            if rights.contains(&Right::MakeDir) {
                e.0.extend([Right::MakeReg, Right::RemoveDir, Right::RemoveFile]);
            }
            e.1 += n;
        }
        let mut fs: Vec<FsRule> = Vec::new();
        for (path, (rights, n, example)) in &trees {
            fs.push(FsRule {
                path: path.clone(),
                rights: rights.clone(),
                why: format!("tree: {n} calls, e.g. {example}"),
            });
        }
        for (path, (rights, n, example)) in &exact {
            // Left out when a tree rule already grants all of it.
            let covered = trees
                .iter()
                .any(|(t, (tr, _, _))| Path::new(path).starts_with(t) && rights.is_subset(tr));
            if covered {
                continue;
            }
            fs.push(FsRule {
                path: path.clone(),
                rights: rights.clone(),
                why: if *n == 0 {
                    example.clone()
                } else {
                    format!("{n} calls, e.g. {example}")
                },
            });
        }
        let outside = self
            .signal_targets
            .iter()
            .any(|&t| t == -1 || (t > 0 && !self.pids.contains(&t)));
        Layer {
            fs,
            bind_tcp: self.bind.clone(),
            connect_tcp: self.connect.clone(),
            scope_signals: !outside,
            scope_abstract_unix: !self.abstract_unix,
            allow_io_uring,
        }
    }
}

/// Device and kernel trees, where `O_CREAT` opens existing nodes rather than making files.
fn tree_of_devices(path: &str) -> Option<&'static str> {
    ["/dev", "/proc", "/sys"]
        .into_iter()
        .find(|t| Path::new(path).starts_with(t))
}

/// `/proc/1234/x` → `/proc/self/x`: a process's own entries are found under `self` at run time.
fn proc_self(path: &str) -> String {
    let mut parts = path.splitn(4, '/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(""), Some("proc"), Some(pid), rest) if pid.bytes().all(|b| b.is_ascii_digit()) => {
            match rest {
                Some(r) => format!("/proc/self/{r}"),
                None => "/proc/self".into(),
            }
        }
        _ => path.to_string(),
    }
}

/// The programs the kernel opens to execute `path`: the `#!` interpreter of a script, or the
/// `PT_INTERP` dynamic loader of an ELF file (and, for a script, its interpreter's loader).
pub fn interpreters(path: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = Some(path.to_path_buf());
    for _ in 0..4 {
        let Some(p) = next.take() else { break };
        let Ok(bytes) = std::fs::read(&p) else { break };
        if let Some(rest) = bytes.strip_prefix(b"#!") {
            let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
            let text = String::from_utf8_lossy(line);
            if let Some(interp) = text.split_whitespace().next() {
                out.push(interp.to_string());
                next = Some(PathBuf::from(interp));
            }
        } else if let Some(interp) = elf_interp(&bytes) {
            out.push(interp);
        }
    }
    out
}

/// `PT_INTERP` of a 64-bit little-endian ELF image.
fn elf_interp(b: &[u8]) -> Option<String> {
    if b.get(..5)? != b"\x7fELF\x02" {
        return None;
    }
    let u16_at = |o: usize| Some(u16::from_le_bytes(b.get(o..o + 2)?.try_into().ok()?));
    let u64_at = |o: usize| Some(u64::from_le_bytes(b.get(o..o + 8)?.try_into().ok()?));
    let phoff = u64_at(0x20)? as usize;
    let phentsize = usize::from(u16_at(0x36)?);
    let phnum = usize::from(u16_at(0x38)?);
    for i in 0..phnum {
        let ph = phoff + i * phentsize;
        let ty = u32::from_le_bytes(b.get(ph..ph + 4)?.try_into().ok()?);
        if ty == 3 {
            let off = u64_at(ph + 8)? as usize;
            let size = u64_at(ph + 32)? as usize;
            let s = b.get(off..off + size)?;
            let s = s.strip_suffix(b"\0").unwrap_or(s);
            return Some(String::from_utf8_lossy(s).into_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::names;
    use super::*;
    use sysgate_kb::Arch;

    fn call(name: &str, args: [u64; 6], paths: &[(usize, &str)], ret: i64) -> SyscallEvent {
        let mut e = SyscallEvent::new();
        e.arch = Arch::X86_64;
        e.pid = 100;
        e.tid = 100;
        e.syscall = sysgate_kb::by_name(name);
        e.nr = sysgate_kb::number(Arch::X86_64, name).unwrap();
        e.args = args;
        e.ret = ret;
        e.is_error = ret < 0;
        e.phase = sysgate_event::Phase::Completed;
        e.decoded = vec![Value::Omitted; 6];
        for (i, p) in paths {
            let bytes = e.push_bytes(p.as_bytes());
            e.decoded[*i] = Value::Str {
                bytes,
                truncated: false,
            };
        }
        e
    }

    const CWD: u64 = (-100i64) as u64;

    #[test]
    fn reads_writes_creations_and_trees() {
        let mut a = Access::new();
        for ev in [
            call(
                "openat",
                [CWD, 0, 0o2000000, 0, 0, 0],
                &[(1, "/etc/ld.so.cache")],
                3,
            ),
            call(
                "openat",
                [CWD, 0, 0, 0, 0, 0],
                &[(1, "/usr/lib/x86_64-linux-gnu/libc.so.6")],
                3,
            ),
            call(
                "openat",
                [CWD, 0, 0o101 | 0o1000, 0o644, 0, 0],
                &[(1, "/var/tmp/app/out.log")],
                3,
            ),
            call("openat", [CWD, 0, 0o2, 0, 0, 0], &[(1, "/dev/null")], 3),
            call(
                "openat",
                [CWD, 0, 0, 0, 0, 0],
                &[(1, "/proc/4242/status")],
                3,
            ),
            call("openat", [CWD, 0, 0, 0, 0, 0], &[(1, "data/in.txt")], 3),
            call("openat", [CWD, 0, 0, 0, 0, 0], &[(1, "/etc/missing")], -2),
            call(
                "mkdir",
                [0, 0o755, 0, 0, 0, 0],
                &[(0, "/var/tmp/app/cache")],
                0,
            ),
            call(
                "openat",
                [CWD, 0, 0o101, 0o644, 0, 0],
                &[(1, "/var/tmp/app/cache/x")],
                3,
            ),
            call("unlink", [0; 6], &[(0, "/var/tmp/app/cache/x")], 0),
        ] {
            a.observe(&ev);
        }
        let l = a.layer(false);
        let rule = |p: &str| l.fs.iter().find(|r| r.path == p).map(|r| names(&r.rights));
        assert_eq!(rule("/etc/ld.so.cache").as_deref(), Some("read_file"));
        assert_eq!(rule("/usr").as_deref(), Some("read_file,read_dir"));
        assert_eq!(rule("/proc").as_deref(), Some("read_file,read_dir"));
        assert_eq!(rule("data/in.txt").as_deref(), Some("read_file"));
        assert_eq!(rule("/etc/missing"), None, "failed opens need no rule");
        assert_eq!(
            rule("/dev/null").as_deref(),
            Some("write_file,read_file,ioctl_dev")
        );
        let app = rule("/var/tmp/app").expect("the directory things were made in");
        for r in [
            "make_reg",
            "make_dir",
            "remove_file",
            "write_file",
            "truncate",
        ] {
            assert!(app.contains(r), "{app}");
        }
        assert_eq!(
            rule("/var/tmp/app/cache"),
            None,
            "made by the program: its parent"
        );
        assert!(l.scope_signals && l.scope_abstract_unix);
        assert_eq!(Layer::from_json(&l.to_json()).unwrap(), l);
    }

    #[test]
    fn signals_to_outside_processes_keep_signals_unscoped() {
        let mut a = Access::new();
        a.observe(&call("kill", [100, 15, 0, 0, 0, 0], &[], 0));
        assert!(a.layer(false).scope_signals, "own pid");
        a.observe(&call("kill", [1, 0, 0, 0, 0, 0], &[], 0));
        assert!(!a.layer(false).scope_signals, "pid 1 is outside");
    }

    #[test]
    fn elf_interpreter_of_a_real_binary() {
        let Ok(exe) = std::fs::canonicalize("/bin/sh") else {
            return;
        };
        let interp = interpreters(&exe);
        if cfg!(target_env = "gnu") {
            assert!(
                interp.iter().any(|i| i.contains("ld-linux")),
                "{exe:?}: {interp:?}"
            );
        }
    }
}
