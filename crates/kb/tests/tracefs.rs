//! The running kernel's syscall tracepoints agree with the knowledge base: every syscall the
//! kernel exposes under `events/syscalls/sys_enter_*` exists in the native table, with the same
//! number of arguments, and the arguments it reads as 32-bit types are the ones `data/widths.txt`
//! marks narrow.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

use std::io::Write as _;
use std::path::Path;

use sysgate_kb::{Arch, by_name, number};

fn skip(reason: &str) {
    // Written to the real stderr (not the captured test output) so the skip is visible.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED tracefs_signatures_match_kernel: {reason}"
    );
}

/// The table name of a tracepoint name: the kernel calls some entry points `new*`, and two by
/// their historical names.
fn table_name(event: &str) -> Option<&str> {
    if number(Arch::X86_64, event).is_some() {
        return Some(event);
    }
    match event {
        "sendfile64" => return Some("sendfile"),
        "umount" => return Some("umount2"),
        _ => {}
    }
    let stripped = event.strip_prefix("new")?;
    number(Arch::X86_64, stripped).map(|_| stripped)
}

/// Whether a tracepoint's C type is 32 bits wide.
fn narrow_ctype(t: &str) -> bool {
    let t = t.strip_prefix("const ").unwrap_or(t);
    matches!(
        t,
        "unsigned int"
            | "unsigned"
            | "int"
            | "u32"
            | "__u32"
            | "s32"
            | "__s32"
            | "key_t"
            | "rwf_t"
            | "qid_t"
            | "pid_t"
            | "uid_t"
            | "gid_t"
            | "mode_t"
            | "umode_t"
            | "clockid_t"
            | "timer_t"
            | "key_serial_t"
    )
}

/// Argument types that print all 64 bits unless marked narrow.
fn widens(ty: sysgate_kb::ArgType) -> bool {
    use sysgate_kb::ArgType::*;
    matches!(ty, UInt | Size | Hex | Off | Flags(_))
}

#[test]
fn tracefs_signatures_match_kernel() {
    let root = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.join("events/syscalls").is_dir());
    let Some(root) = root else {
        skip(
            "tracefs is not mounted or not readable (mount -t tracefs nodev /sys/kernel/tracing as root)",
        );
        return;
    };
    let dir = match std::fs::read_dir(root.join("events/syscalls")) {
        Ok(d) => d,
        Err(e) => return skip(&format!("cannot list {}: {e}", root.display())),
    };
    let mut checked = 0;
    let mut problems = Vec::new();
    for entry in dir.flatten() {
        let file_name = entry.file_name();
        let Some(event) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix("sys_enter_"))
        else {
            continue;
        };
        let format = match std::fs::read_to_string(entry.path().join("format")) {
            Ok(f) => f,
            Err(e) => return skip(&format!("cannot read {event}/format: {e}")),
        };
        // Fields after `__syscall_nr` are the arguments.
        let nargs = format
            .lines()
            .skip_while(|l| !l.contains("__syscall_nr"))
            .skip(1)
            .filter(|l| l.trim_start().starts_with("field:"))
            .count();
        let Some(name) = table_name(event) else {
            problems.push(format!("{event}: not in the x86_64 table"));
            continue;
        };
        match by_name(name) {
            None => problems.push(format!("{name}: no signature")),
            Some(sc) if sc.args.len() != nargs => problems.push(format!(
                "{name}: kernel has {nargs} arguments, knowledge base {}",
                sc.args.len()
            )),
            Some(sc) => {
                checked += 1;
                // A 32-bit C type is marked narrow, and only then (data/widths.txt).
                let ctypes: Vec<String> = format
                    .lines()
                    .skip_while(|l| !l.contains("__syscall_nr"))
                    .skip(1)
                    .filter_map(|l| l.trim_start().strip_prefix("field:"))
                    .filter_map(|f| f.split(';').next())
                    .map(|f| f.rsplit_once(' ').map_or(f, |(t, _)| t).trim().to_string())
                    .collect();
                for (a, ctype) in sc.args.iter().zip(&ctypes) {
                    if a.narrow != narrow_ctype(ctype) && widens(a.ty) {
                        problems.push(format!(
                            "{name}.{}: the kernel reads `{ctype}`, widths.txt says {}",
                            a.name,
                            if a.narrow { "32-bit" } else { "64-bit" }
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked >= 300, "only {checked} tracepoints checked");
}
