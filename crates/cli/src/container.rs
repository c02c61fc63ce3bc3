//! `--container ID|NAME`: the cgroup v2 directory of a docker, podman, containerd or CRI-O
//! container, so that the eBPF backend can record it like `--cgroup PATH`.
//!
//! Runtimes name a container's cgroup after its full id: `docker-<id>.scope` and
//! `libpod-<id>.scope` under systemd's cgroup driver, `docker/<id>` or `libpod_parent/…/<id>`
//! under cgroupfs, `cri-containerd-<id>.scope` and `crio-<id>.scope` for Kubernetes nodes. An id
//! prefix is looked up among those directory names; anything else is taken as a name and turned
//! into an id with `docker inspect` or `podman inspect`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Result, bail};

/// Where the cgroup v2 hierarchy is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on a
/// hybrid system).
pub fn cgroup2_root() -> Option<PathBuf> {
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    mounts.lines().find_map(|l| {
        let (left, right) = l.split_once(" - ")?;
        right
            .starts_with("cgroup2 ")
            .then(|| left.split(' ').nth(4).map(PathBuf::from))
            .flatten()
    })
}

/// The id a cgroup directory's name carries, if it is a container's.
fn id_in(name: &str) -> Option<&str> {
    let core = name.strip_suffix(".scope").unwrap_or(name);
    let id = ["docker-", "libpod-", "cri-containerd-", "crio-"]
        .iter()
        .find_map(|p| core.strip_prefix(p))
        .unwrap_or(core);
    (id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
}

fn find(dir: &Path, prefix: &str, depth: u32, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let name = e.file_name();
        let name = name.to_string_lossy();
        if id_in(&name).is_some_and(|id| id.starts_with(prefix)) {
            out.push(e.path());
        } else if depth > 0 {
            find(&e.path(), prefix, depth - 1, out);
        }
    }
}

fn inspect(name: &str) -> Option<String> {
    for cli in ["docker", "podman"] {
        if let Ok(out) = Command::new(cli)
            .args(["inspect", "--format", "{{.Id}}", name])
            .output()
            && out.status.success()
        {
            let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !id.is_empty() {
                return Some(id);
            }
        }
    }
    None
}

/// The cgroup of container `which` (an id, an id prefix of 4 or more hex digits, or a name).
pub fn cgroup_of(which: &str, root: Option<&Path>) -> Result<PathBuf> {
    let root = match root {
        Some(r) => r.to_path_buf(),
        None => cgroup2_root()
            .ok_or_else(|| anyhow::anyhow!("--container: no cgroup v2 hierarchy is mounted"))?,
    };
    let looks_like_id = which.len() >= 4 && which.bytes().all(|b| b.is_ascii_hexdigit());
    let id = if looks_like_id {
        which.to_ascii_lowercase()
    } else {
        inspect(which).ok_or_else(|| {
            anyhow::anyhow!(
                "--container {which}: not an id, and neither `docker inspect` nor `podman inspect` knows that name"
            )
        })?
    };
    let mut found = Vec::new();
    find(&root, &id, 6, &mut found);
    match found.len() {
        1 => Ok(found.pop().expect("one")),
        0 => bail!(
            "--container {which}: no cgroup under {} belongs to a container with that id; is it running?",
            root.display()
        ),
        n => bail!("--container {which}: {n} containers' ids start with that; give more of the id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_under_each_runtime_layout() {
        let root = std::env::temp_dir().join(format!("sysgate-cg-{}", std::process::id()));
        let a = "a".repeat(63) + "1";
        let b = "b".repeat(64);
        let c = "c".repeat(64);
        for d in [
            format!("system.slice/docker-{a}.scope"),
            format!("machine.slice/libpod-{b}.scope/container"),
            format!("docker/{c}"),
        ] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        assert!(
            cgroup_of("aaaa", Some(&root))
                .unwrap()
                .ends_with(format!("docker-{a}.scope"))
        );
        assert!(
            cgroup_of(&b[..12], Some(&root))
                .unwrap()
                .ends_with(format!("libpod-{b}.scope"))
        );
        assert!(cgroup_of(&c, Some(&root)).unwrap().ends_with(&c));
        let e = cgroup_of("dddd", Some(&root)).unwrap_err().to_string();
        assert!(e.contains("is it running"), "{e}");
        std::fs::create_dir_all(root.join("docker").join("a".repeat(64))).unwrap();
        let e = cgroup_of("aaaa", Some(&root)).unwrap_err().to_string();
        assert!(e.contains("give more of the id"), "{e}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
