//! The layer as a Landlock ruleset: built in sysgate (which opens every rule's path), applied by
//! the launcher in the child right before `execve`.

use std::os::fd::OwnedFd;
use std::path::Path;

use super::{Layer, Right, absolute, names};
use crate::Error;

impl Layer {
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
