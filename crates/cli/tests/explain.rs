//! `sysgate explain` from the outside: numbers, listing sizes, JSON, and bad input.

use std::process::Command;

fn sysgate(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sysgate"))
        .args(args)
        .output()
        .expect("run sysgate");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn openat_numbers_on_each_arch() {
    let (code, out, err) = sysgate(&["explain", "openat"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("x86_64 257"), "{out}");
    assert!(out.contains("aarch64 56"), "{out}");
    assert!(out.contains("category     file"), "{out}");
    assert!(out.contains("idempotence  depends"), "{out}");
    assert!(out.contains("filename") && out.contains("path"), "{out}");
}

#[test]
fn lookup_by_number_per_arch() {
    let (code, out, _) = sysgate(&["explain", "56", "--arch", "aarch64"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("openat — "), "{out}");
    let (code, out, _) = sysgate(&["explain", "257", "--arch", "x86_64", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["name"], "openat");
    assert_eq!(v["numbers"]["x86_64"], 257);
    assert_eq!(v["numbers"]["aarch64"], 56);
    assert_eq!(v["args"][1]["type"], "path");
}

#[test]
fn list_json_sizes() {
    for (arch, min) in [("x86_64", 350), ("aarch64", 290)] {
        let (code, out, err) = sysgate(&["explain", "--list", "--json", "--arch", arch]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let items = v.as_array().unwrap();
        assert!(items.len() >= min, "{arch}: {} syscalls", items.len());
        for item in items {
            assert!(
                item["category"].is_string() && item["idempotence"].is_string(),
                "{item}"
            );
        }
    }
}

#[test]
fn list_by_category() {
    let (code, out, _) = sysgate(&["explain", "--list", "--category", "network"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.contains(" socket ")), "{out}");
    assert!(!out.lines().any(|l| l.contains(" openat ")), "{out}");
}

#[test]
fn unknown_names_suggest_close_ones() {
    let (code, out, err) = sysgate(&["explain", "opnat"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("unknown syscall `opnat`") && err.contains("openat"),
        "{err}"
    );
    let (code, _, err) = sysgate(&["explain", "999", "--arch", "x86_64"]);
    assert_eq!(code, 1);
    assert!(err.contains("no syscall has number 999 on x86_64"), "{err}");
    let (code, _, err) = sysgate(&["explain", "read", "--arch", "sparc"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown architecture `sparc`"), "{err}");
    let (code, _, err) = sysgate(&["explain", "--list", "--category", "disk"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown category `disk`"), "{err}");
    let (code, _, err) = sysgate(&["explain"]);
    assert_eq!(code, 1);
    assert!(err.contains("--list"), "{err}");
}
