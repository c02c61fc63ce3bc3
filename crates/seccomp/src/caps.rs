//! Capabilities a confined program keeps.
//!
//! A program run as root holds every capability, and several of them undo a sandbox by
//! themselves: `CAP_SYS_PTRACE` reaches other processes' memory, `CAP_SYS_ADMIN` mounts and makes
//! namespaces, `CAP_DAC_READ_SEARCH` opens files by handle outside any path rule,
//! `CAP_SYS_MODULE` loads kernel code. The launcher drops every capability but [`DEFAULT_KEEP`]
//! from the bounding, inheritable, permitted, effective and ambient sets before `execve`, so
//! neither the program nor anything it executes can hold them again.

/// Capability names, indexed by number (`CAP_` left out).
pub const NAMES: &[&str] = &[
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore",
];

/// What a service needs to start as root and give up privileges: own files, bypass file modes
/// it was given, signal its own workers, change user and group, bind ports below 1024, chroot,
/// and write audit records. The subset of Docker's default set that cannot reach outside the
/// sandbox (Docker's `mknod`, `net_raw`, `setpcap` and `setfcap` are dropped too).
pub const DEFAULT_KEEP: &[&str] = &[
    "chown",
    "dac_override",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "net_bind_service",
    "sys_chroot",
    "audit_write",
];

/// The number of a capability by name (`CAP_SYS_PTRACE`, `sys_ptrace`, any case).
pub fn number(name: &str) -> Option<u32> {
    let n = name.to_ascii_lowercase();
    let n = n.strip_prefix("cap_").unwrap_or(&n);
    NAMES.iter().position(|c| *c == n).map(|i| i as u32)
}

/// The bit mask of capabilities to drop when `keep` (names) are kept.
pub fn drop_mask(keep: &[String]) -> Result<u64, String> {
    let mut kept = 0u64;
    for k in DEFAULT_KEEP
        .iter()
        .map(|s| s.to_string())
        .chain(keep.iter().cloned())
    {
        let n = number(&k).ok_or_else(|| {
            format!("--keep-cap {k}: not a capability (e.g. CAP_NET_RAW, sys_nice)")
        })?;
        kept |= 1 << n;
    }
    // Capabilities this table does not know yet are dropped too.
    Ok(!kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_the_kernel() {
        assert_eq!(number("CAP_SYS_PTRACE"), Some(19));
        assert_eq!(number("sys_admin"), Some(21));
        assert_eq!(number("checkpoint_restore"), Some(40));
        assert_eq!(number("nope"), None);
        let m = drop_mask(&["net_raw".into()]).unwrap();
        assert_eq!(m & (1 << 13), 0, "kept on request");
        assert_ne!(m & (1 << 19), 0, "sys_ptrace dropped");
        assert_eq!(m & (1 << 10), 0, "net_bind_service kept");
        assert!(drop_mask(&["bogus".into()]).is_err());
    }
}
