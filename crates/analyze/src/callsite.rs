//! Where in the program a call was made: the frame of a `-k` stack that belongs to the program
//! rather than to the C library or a language runtime, named by function and `file:line`.

use sysgate_event::StackFrame;

/// The innermost frame that is the program's own: not in the C runtime (libc, the dynamic
/// loader, libpthread, libm…, the vDSO) and not in Rust's standard library; the innermost
/// frame with a module when every frame is a runtime one.
pub fn site_frame(stack: &[StackFrame]) -> Option<&StackFrame> {
    stack
        .iter()
        .find(|f| !is_runtime(f))
        .or_else(|| stack.iter().find(|f| f.module.is_some()))
}

fn is_runtime(f: &StackFrame) -> bool {
    let file = f
        .module
        .as_deref()
        .and_then(|m| m.rsplit('/').next())
        .unwrap_or("");
    let c_runtime = [
        "libc.so",
        "libc-",
        "ld-linux",
        "libpthread",
        "libdl.",
        "librt.",
        "libm.so",
    ]
    .iter()
    .any(|p| file.starts_with(p))
        || file.is_empty();
    let rust_std = f.function.as_deref().is_some_and(|n| {
        // `<&std::fs::File as std::io::Read>::read`, `<alloc::vec::Vec<u8> as …>`
        let n = n.trim_start_matches(['<', '&']).trim_start_matches("mut ");
        ["std::", "core::", "alloc::", "__rust", "_start"]
            .iter()
            .any(|p| n.starts_with(p))
    });
    c_runtime || rust_std
}

/// How a call site prints: `parse_records at src/parser.c:42 (/usr/bin/app)`, or the module and
/// offset when there is no name.
pub fn label(f: &StackFrame) -> String {
    let module = f.module.as_deref().unwrap_or("?");
    let short = module.rsplit('/').next().unwrap_or(module);
    match (&f.function, &f.location) {
        (Some(func), Some((file, line))) => {
            let file = file.rsplit('/').next().unwrap_or(file);
            format!("{func} at {file}:{line} ({short})")
        }
        (Some(func), None) => format!("{func} ({short}+{:#x})", f.module_offset),
        (None, _) => format!("{short}+{:#x}", f.module_offset),
    }
}

/// The call site of a stack, as [`label`] prints it.
pub fn site_label(stack: &[StackFrame]) -> Option<String> {
    site_frame(stack).map(label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn frame(module: &str, function: Option<&str>, loc: Option<(&str, u32)>) -> StackFrame {
        StackFrame {
            module: Some(Arc::from(module)),
            function: function.map(Arc::from),
            location: loc.map(|(f, l)| (Arc::from(f), l)),
            module_offset: 0x1189,
            ..StackFrame::default()
        }
    }

    #[test]
    fn the_site_is_the_programs_own_frame() {
        let stack = [
            frame("/usr/lib/x86_64-linux-gnu/libc.so.6", Some("write"), None),
            frame("/app/bin", Some("std::io::Write::write_all"), None),
            frame(
                "/app/bin",
                Some("<&std::fs::File as std::io::Read>::read"),
                None,
            ),
            frame(
                "/app/bin",
                Some("app::flush"),
                Some(("/src/app/main.rs", 42)),
            ),
            frame("/app/bin", Some("app::main"), Some(("/src/app/main.rs", 7))),
        ];
        assert_eq!(
            site_label(&stack).as_deref(),
            Some("app::flush at main.rs:42 (bin)")
        );
        let only_libc = [frame(
            "/usr/lib/x86_64-linux-gnu/libc.so.6",
            Some("write"),
            None,
        )];
        assert_eq!(
            site_label(&only_libc).as_deref(),
            Some("write (libc.so.6+0x1189)")
        );
        assert_eq!(site_label(&[]), None);
    }
}
