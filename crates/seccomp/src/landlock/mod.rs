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

mod access;
mod ruleset;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value as Json, json};

use crate::Error;

pub use access::{Access, interpreters};
pub use ruleset::{Prepared, kernel_abi};

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
}

fn names(r: &Rights) -> String {
    r.iter().map(|x| x.name()).collect::<Vec<_>>().join(",")
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
