//! The second layer of a profile: which paths and TCP ports the program may use, enforced by
//! Landlock.
//!
//! seccomp sees only scalar registers; a recording sees every path a program opened, created,
//! removed and executed and every port it bound or connected to. [`Access`] collects those from
//! the same events the seccomp [`Observer`](crate::generate::Observer) reads, and
//! [`Access::layer`] generalises them into a [`Layer`]: file rules for what was touched one by
//! one, directory rules where the program made things (its temp, log or data directories) and
//! for the read-only system trees (`/usr`, `/lib`…), plus the ports, and whether signals and
//! abstract unix sockets can be scoped to the sandbox.
//!
//! The layer is its own JSON file next to the OCI profile (`app.json` → `app.landlock.json`), so
//! the profile stays what runtimes accept. [`Layer::ruleset`] turns it into a Landlock ruleset
//! descriptor that the launcher applies to the child right before `execve`; [`Layer::permits`]
//! answers the same question in user space for reports and learn mode.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value as Json, json};
use sysgate_event::{SyscallEvent, Value};

use crate::Error;

/// One filesystem right, as Landlock names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Right {
    /// `execve` the file.
    Execute,
    /// Open for writing.
    WriteFile,
    /// Open for reading.
    ReadFile,
    /// Open or list a directory.
    ReadDir,
    /// Remove an empty directory.
    RemoveDir,
    /// Unlink a file.
    RemoveFile,
    /// Create a character device.
    MakeChar,
    /// Create a directory.
    MakeDir,
    /// Create a regular file.
    MakeReg,
    /// Create a unix socket file.
    MakeSock,
    /// Create a FIFO.
    MakeFifo,
    /// Create a block device.
    MakeBlock,
    /// Create a symbolic link.
    MakeSym,
    /// Link or rename across directories (ABI 2).
    Refer,
    /// Truncate (ABI 3).
    Truncate,
    /// ioctl on a device file (ABI 5).
    IoctlDev,
}

/// Every right with its JSON name.
pub const RIGHTS: &[(Right, &str)] = &[
    (Right::Execute, "execute"),
    (Right::WriteFile, "write_file"),
    (Right::ReadFile, "read_file"),
    (Right::ReadDir, "read_dir"),
    (Right::RemoveDir, "remove_dir"),
    (Right::RemoveFile, "remove_file"),
    (Right::MakeChar, "make_char"),
    (Right::MakeDir, "make_dir"),
    (Right::MakeReg, "make_reg"),
    (Right::MakeSock, "make_sock"),
    (Right::MakeFifo, "make_fifo"),
    (Right::MakeBlock, "make_block"),
    (Right::MakeSym, "make_sym"),
    (Right::Refer, "refer"),
    (Right::Truncate, "truncate"),
    (Right::IoctlDev, "ioctl_dev"),
];

impl Right {
    /// The JSON name.
    pub fn name(self) -> &'static str {
        RIGHTS
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("?", |(_, n)| n)
    }

    /// The right with this JSON name.
    pub fn parse(s: &str) -> Option<Right> {
        RIGHTS.iter().find(|(_, n)| *n == s).map(|(r, _)| *r)
    }

    /// Rights Landlock accepts on a rule for a file that is not a directory.
    pub fn applies_to_files(self) -> bool {
        matches!(
            self,
            Right::Execute | Right::WriteFile | Right::ReadFile | Right::Truncate | Right::IoctlDev
        )
    }

    fn landlock(self) -> landlock::AccessFs {
        use landlock::AccessFs as A;
        match self {
            Right::Execute => A::Execute,
            Right::WriteFile => A::WriteFile,
            Right::ReadFile => A::ReadFile,
            Right::ReadDir => A::ReadDir,
            Right::RemoveDir => A::RemoveDir,
            Right::RemoveFile => A::RemoveFile,
            Right::MakeChar => A::MakeChar,
            Right::MakeDir => A::MakeDir,
            Right::MakeReg => A::MakeReg,
            Right::MakeSock => A::MakeSock,
            Right::MakeFifo => A::MakeFifo,
            Right::MakeBlock => A::MakeBlock,
            Right::MakeSym => A::MakeSym,
            Right::Refer => A::Refer,
            Right::Truncate => A::Truncate,
            Right::IoctlDev => A::IoctlDev,
        }
    }
}

/// A set of rights.
pub type Rights = BTreeSet<Right>;

/// One filesystem rule: `rights` on `path` and, for a directory, everything beneath it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsRule {
    /// Absolute, or relative to the directory the program starts in.
    pub path: String,
    /// What is allowed.
    pub rights: Rights,
    /// Why the rule exists (calls and an example).
    pub why: String,
}

/// The Landlock layer of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layer {
    /// Filesystem rules.
    pub fs: Vec<FsRule>,
    /// TCP ports the program may bind.
    pub bind_tcp: BTreeSet<u16>,
    /// TCP ports the program may connect to.
    pub connect_tcp: BTreeSet<u16>,
    /// Signals can only reach processes inside the sandbox (ABI 6).
    pub scope_signals: bool,
    /// Abstract unix sockets outside the sandbox cannot be reached (ABI 6).
    pub scope_abstract_unix: bool,
    /// io_uring was allowed deliberately (`--allow-io-uring`).
    pub allow_io_uring: bool,
}

/// The format version written in `sysgate_landlock`.
pub const FORMAT: u64 = 1;

/// The layer file that goes with a profile: `app.json` → `app.landlock.json`.
pub fn companion_path(profile: &Path) -> PathBuf {
    let stem = profile
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "profile".into());
    profile.with_file_name(format!("{stem}.landlock.json"))
}

impl Layer {
    /// A layer that confines nothing on the filesystem or network but still makes a Landlock
    /// domain: processes inside cannot ptrace, open `/proc/PID/mem` of, or (with `scope_signals`)
    /// signal processes outside it.
    pub fn domain_only() -> Layer {
        let mut all = Rights::new();
        all.extend(RIGHTS.iter().map(|(r, _)| *r));
        Layer {
            fs: vec![FsRule {
                path: "/".into(),
                rights: all,
                why: "no path rules: only the process boundary".into(),
            }],
            scope_signals: true,
            ..Layer::default()
        }
    }

    /// The JSON document.
    pub fn to_json(&self) -> Json {
        let fs: Vec<Json> = self
            .fs
            .iter()
            .map(|r| {
                json!({
                    "path": r.path,
                    "access": r.rights.iter().map(|x| x.name()).collect::<Vec<_>>(),
                    "why": r.why,
                })
            })
            .collect();
        let mut m = Map::new();
        m.insert("sysgate_landlock".into(), json!(FORMAT));
        m.insert("fs".into(), Json::Array(fs));
        m.insert(
            "net".into(),
            json!({"bind_tcp": self.bind_tcp, "connect_tcp": self.connect_tcp}),
        );
        m.insert(
            "scope".into(),
            json!({"signal": self.scope_signals, "abstract_unix_socket": self.scope_abstract_unix}),
        );
        m.insert("allow_io_uring".into(), json!(self.allow_io_uring));
        Json::Object(m)
    }

    /// Parses the JSON document; every error names the field.
    pub fn from_json(doc: &Json) -> Result<Layer, Error> {
        let bad = |f: &str, what: &str| Error::Profile(format!("landlock layer: `{f}`: {what}"));
        let obj = doc
            .as_object()
            .ok_or_else(|| bad("(top)", "must be a JSON object"))?;
        match obj.get("sysgate_landlock").and_then(Json::as_u64) {
            Some(FORMAT) => {}
            Some(v) => return Err(bad("sysgate_landlock", &format!("unknown version {v}"))),
            None => {
                return Err(bad(
                    "sysgate_landlock",
                    "missing: not a sysgate Landlock layer",
                ));
            }
        }
        let mut layer = Layer::default();
        for (i, r) in obj
            .get("fs")
            .and_then(Json::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let path = r
                .get("path")
                .and_then(Json::as_str)
                .filter(|p| !p.is_empty())
                .ok_or_else(|| bad(&format!("fs[{i}].path"), "missing or empty"))?;
            let mut rights = Rights::new();
            for a in r
                .get("access")
                .and_then(Json::as_array)
                .ok_or_else(|| bad(&format!("fs[{i}].access"), "missing or not an array"))?
            {
                let s = a.as_str().unwrap_or("");
                let names: Vec<&str> = RIGHTS.iter().map(|(_, n)| *n).collect();
                rights.insert(Right::parse(s).ok_or_else(|| {
                    bad(
                        &format!("fs[{i}].access"),
                        &format!("unknown right `{s}` (one of {})", names.join(", ")),
                    )
                })?);
            }
            layer.fs.push(FsRule {
                path: path.to_string(),
                rights,
                why: r
                    .get("why")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string(),
            });
        }
        let ports = |key: &str| -> Result<BTreeSet<u16>, Error> {
            let mut out = BTreeSet::new();
            if let Some(list) = doc.pointer(&format!("/net/{key}")) {
                for p in list
                    .as_array()
                    .ok_or_else(|| bad(&format!("net.{key}"), "must be an array"))?
                {
                    let n = p.as_u64().filter(|&n| n <= 65535).ok_or_else(|| {
                        bad(&format!("net.{key}"), &format!("`{p}` is not a port"))
                    })?;
                    out.insert(n as u16);
                }
            }
            Ok(out)
        };
        layer.bind_tcp = ports("bind_tcp")?;
        layer.connect_tcp = ports("connect_tcp")?;
        let flag = |ptr: &str| -> Result<bool, Error> {
            match doc.pointer(ptr) {
                None => Ok(false),
                Some(v) => v
                    .as_bool()
                    .ok_or_else(|| bad(ptr.trim_start_matches('/'), "must be true or false")),
            }
        };
        layer.scope_signals = flag("/scope/signal")?;
        layer.scope_abstract_unix = flag("/scope/abstract_unix_socket")?;
        layer.allow_io_uring = flag("/allow_io_uring")?;
        Ok(layer)
    }

    /// Reads a layer file.
    pub fn load(path: &Path) -> Result<Layer, Error> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::Io(path.display().to_string(), e))?;
        let doc: Json = serde_json::from_str(&text)
            .map_err(|e| Error::Profile(format!("{}: not valid JSON: {e}", path.display())))?;
        Layer::from_json(&doc).map_err(|e| match e {
            Error::Profile(m) => Error::Profile(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// Whether the rules grant process `pid` `need` on `path` (absolute, symlinks resolved by
    /// the caller). A rule grants a right on its own path and, for a directory, on everything
    /// beneath; `/proc/self` in a rule is the process's own `/proc/PID`.
    pub fn permits(&self, path: &Path, need: Right, cwd: &Path, pid: u32) -> bool {
        self.fs.iter().any(|r| {
            let base = match Path::new(&r.path).strip_prefix("/proc/self") {
                Ok(rest) => Path::new("/proc").join(pid.to_string()).join(rest),
                Err(_) => {
                    let base = absolute(Path::new(&r.path), cwd);
                    std::fs::canonicalize(&base).unwrap_or(base)
                }
            };
            r.rights.contains(&need) && path.starts_with(&base)
        })
    }

    /// Whether a TCP `bind` (or `connect`) to `port` is allowed.
    pub fn permits_port(&self, port: u16, bind: bool) -> bool {
        if bind {
            self.bind_tcp.contains(&port)
        } else {
            self.connect_tcp.contains(&port)
        }
    }

    /// Builds the Landlock ruleset in this process (it opens every rule's path, relative ones
    /// against `cwd`) for the launcher to apply in the child. Rules under `/proc/self` name the
    /// child's own entries, so they are handed over to be added in the child.
    pub fn ruleset(&self, cwd: &Path) -> Result<Prepared, Error> {
        use landlock::{
            Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, NetPort, PathBeneath,
            PathFd, Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
        };
        let abi = kernel_abi();
        let mut notes = Vec::new();
        if abi == 0 {
            notes.push(
                "Landlock is not available on this kernel: paths, ports and the process boundary \
                 are not confined by it (capabilities are still dropped)"
                    .into(),
            );
            return Ok(Prepared {
                fd: None,
                in_child: Vec::new(),
                notes,
            });
        }
        let labi = landlock::ABI::from(abi);
        let err = |what: &str, e: &dyn std::fmt::Display| {
            Error::Profile(format!("landlock layer: {what}: {e}"))
        };
        let mut handled = AccessFs::from_all(labi);
        if abi >= 9 {
            // Connecting to pathname unix sockets is not something recordings turn into rules yet.
            handled.remove(AccessFs::ResolveUnix);
        }
        if abi < 2 {
            notes.push(format!(
                "Landlock ABI {abi}: renames and links across directories are refused (needs ABI 2)"
            ));
        }
        if abi < 3 {
            notes.push(format!(
                "Landlock ABI {abi}: truncation is not confined (needs ABI 3)"
            ));
        }
        let mut ruleset = Ruleset::default()
            .set_compatibility(CompatLevel::BestEffort)
            .handle_access(handled)
            .map_err(|e| err("handled rights", &e))?;
        if abi >= 4 {
            ruleset = ruleset
                .handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp)
                .map_err(|e| err("handled network rights", &e))?;
        } else {
            notes.push(format!(
                "Landlock ABI {abi}: TCP ports are not confined (needs ABI 4, Linux 6.7)"
            ));
        }
        let mut scopes = BitFlags::<Scope>::empty();
        if self.scope_signals {
            scopes |= Scope::Signal;
        }
        if self.scope_abstract_unix {
            scopes |= Scope::AbstractUnixSocket;
        }
        if !scopes.is_empty() {
            if abi >= 6 {
                ruleset = ruleset.scope(scopes).map_err(|e| err("scopes", &e))?;
            } else {
                notes.push(format!(
                    "Landlock ABI {abi}: signals and abstract unix sockets are not scoped to the sandbox (needs ABI 6, Linux 6.12)"
                ));
            }
        }
        let mut created = ruleset.create().map_err(|e| err("create", &e))?;
        let mut in_child = Vec::new();
        for r in &self.fs {
            let path = absolute(Path::new(&r.path), cwd);
            if path.starts_with("/proc/self") {
                let mut access = BitFlags::<AccessFs>::empty();
                for right in r.rights.iter().filter(|x| x.applies_to_files()) {
                    access |= right.landlock();
                }
                access &= handled;
                if let Ok(c) = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
                    && !access.is_empty()
                {
                    in_child.push((c, access.bits()));
                }
                continue;
            }
            let fd = match PathFd::new(&path) {
                Ok(fd) => fd,
                Err(_) => {
                    notes.push(format!(
                        "{} does not exist here: its rule ({}) is left out",
                        path.display(),
                        names(&r.rights)
                    ));
                    continue;
                }
            };
            let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
            let mut access = BitFlags::<AccessFs>::empty();
            for right in &r.rights {
                match (right, is_dir) {
                    // A directory opened for reading is listed, not read as a file.
                    (Right::ReadFile, true) => access |= AccessFs::ReadDir | AccessFs::ReadFile,
                    (x, false) if !x.applies_to_files() => {}
                    (x, _) => access |= x.landlock(),
                }
            }
            access &= handled;
            if access.is_empty() {
                continue;
            }
            created = created
                .add_rule(PathBeneath::new(fd, access))
                .map_err(|e| err(&format!("rule for {}", path.display()), &e))?;
        }
        if abi >= 4 {
            for &p in &self.bind_tcp {
                created = created
                    .add_rule(NetPort::new(p, AccessNet::BindTcp))
                    .map_err(|e| err(&format!("bind port {p}"), &e))?;
            }
            for &p in &self.connect_tcp {
                created = created
                    .add_rule(NetPort::new(p, AccessNet::ConnectTcp))
                    .map_err(|e| err(&format!("connect port {p}"), &e))?;
            }
        }
        let fd: Option<OwnedFd> = created.into();
        Ok(Prepared {
            fd,
            in_child,
            notes,
        })
    }
}

/// A ruleset ready for the launcher.
#[derive(Debug)]
pub struct Prepared {
    /// The ruleset; `None` when the kernel has no Landlock.
    pub fd: Option<OwnedFd>,
    /// File rules the child adds itself before it restricts itself: (path, access bits).
    pub in_child: Vec<(std::ffi::CString, u64)>,
    /// What the kernel or this machine could not honour, one line each.
    pub notes: Vec<String>,
}

fn names(r: &Rights) -> String {
    r.iter().map(|x| x.name()).collect::<Vec<_>>().join(",")
}

/// The Landlock ABI version of the running kernel; 0 when it has none.
pub fn kernel_abi() -> i32 {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: with a NULL attribute and size 0 and the VERSION flag the kernel reads no memory
    // and only returns the ABI version (or an error).
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<libc::c_void>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    if v < 0 { 0 } else { v as i32 }
}

/// `path` made absolute against `cwd`, with `.` and `..` folded lexically.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::from("/");
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    out
}

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

/// One thing a single call needs from the layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// A right on a path (for creations and removals, on the directory): absolute, or relative
    /// to the process's working directory.
    Path {
        /// Where.
        path: String,
        /// What.
        right: Right,
    },
    /// Binding a TCP port.
    Bind(u16),
    /// Connecting to a TCP port.
    Connect(u16),
}

impl Layer {
    /// Whether the layer grants `need`; `resolve` turns a rule-style path into an absolute one
    /// with symlinks followed (relative ones against the process's working directory).
    pub fn grants(
        &self,
        need: &Need,
        resolve: &dyn Fn(&str) -> PathBuf,
        cwd: &Path,
        pid: u32,
    ) -> bool {
        match need {
            Need::Path { path, right } => self.permits(&resolve(path), *right, cwd, pid),
            Need::Bind(p) => self.permits_port(*p, true),
            Need::Connect(p) => self.permits_port(*p, false),
        }
    }

    /// Widens the layer so that it grants `need` (for `profile --update`): a file rule on the
    /// path, or the port. Returns false when it already did.
    pub fn add(&mut self, need: &Need, why: &str) -> bool {
        match need {
            Need::Bind(p) => self.bind_tcp.insert(*p),
            Need::Connect(p) => self.connect_tcp.insert(*p),
            Need::Path { path, right } => {
                if let Some(r) = self.fs.iter_mut().find(|r| &r.path == path) {
                    return r.rights.insert(*right);
                }
                self.fs.push(FsRule {
                    path: path.clone(),
                    rights: [*right].into(),
                    why: why.into(),
                });
                true
            }
        }
    }
}

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
    fn permits_follows_beneath_semantics() {
        let l = Layer {
            fs: vec![
                FsRule {
                    path: "/usr".into(),
                    rights: [Right::ReadFile].into(),
                    why: String::new(),
                },
                FsRule {
                    path: "/etc/hostname".into(),
                    rights: [Right::ReadFile].into(),
                    why: String::new(),
                },
            ],
            connect_tcp: [6379].into(),
            ..Layer::default()
        };
        let cwd = Path::new("/");
        assert!(l.permits(Path::new("/usr/lib/os-release"), Right::ReadFile, cwd, 1));
        assert!(!l.permits(Path::new("/usr/lib/os-release"), Right::WriteFile, cwd, 1));
        assert!(l.permits(Path::new("/etc/hostname"), Right::ReadFile, cwd, 1));
        assert!(!l.permits(Path::new("/etc/shadow"), Right::ReadFile, cwd, 1));
        assert!(l.permits_port(6379, false) && !l.permits_port(6380, false));
        assert!(!l.permits_port(6379, true));
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
    fn bad_layers_name_the_field() {
        for (doc, msg) in [
            (json!([]), "JSON object"),
            (json!({"fs": []}), "sysgate_landlock"),
            (
                json!({"sysgate_landlock": 1, "fs": [{"path": "/x", "access": ["read"]}]}),
                "unknown right `read`",
            ),
            (
                json!({"sysgate_landlock": 1, "net": {"bind_tcp": [70000]}}),
                "net.bind_tcp",
            ),
        ] {
            let e = Layer::from_json(&doc).unwrap_err().to_string();
            assert!(e.contains(msg), "{doc}: {e}");
        }
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
