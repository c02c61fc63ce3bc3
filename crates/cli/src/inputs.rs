//! The recordings an analysis command (`summary`, `advise`, `report`) is given: files,
//! directories (every `*.sgt` in them, sorted by name; `.part` files of a capture still being
//! written are left out) and patterns the shell left unexpanded (`'logs/*.sgt'`). Every header
//! is read before any analysis starts, so a missing file, an empty directory or a file that is
//! not a recording fails at once with one line naming it; the recordings are then grouped into
//! runs (`sysgate_analyze::sources`).

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use sysgate_analyze::sources::{self, Recording, Run};

/// Recordings grouped into runs, with the paths to replay them from.
pub struct Inputs {
    /// The runs, in the order they were given.
    pub runs: Vec<Run>,
    /// For each run, the paths of its files (in the order of `runs[i].recordings`).
    pub paths: Vec<Vec<PathBuf>>,
}

impl Inputs {
    /// Recordings, over every run.
    pub fn recordings(&self) -> usize {
        self.runs.iter().map(|r| r.recordings.len()).sum()
    }

    /// Distinct hosts.
    pub fn hosts(&self) -> usize {
        let mut hosts: Vec<&str> = self.runs.iter().map(Run::host).collect();
        hosts.sort_unstable();
        hosts.dedup();
        hosts.len()
    }

    /// Each recording of run `run` with the path to read it from, in segment order.
    pub fn files(&self, run: usize) -> impl Iterator<Item = (&Recording, &Path)> {
        self.runs[run]
            .recordings
            .iter()
            .zip(self.paths[run].iter().map(PathBuf::as_path))
    }
}

/// Whether `s` has a wildcard (`*`, `?`, `[`).
pub fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Shell-style matching of one path component: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`.
fn matches(pat: &[char], name: &[char]) -> bool {
    match pat.split_first() {
        None => name.is_empty(),
        Some(('*', rest)) => (0..=name.len()).any(|i| matches(rest, &name[i..])),
        Some(('?', rest)) => !name.is_empty() && matches(rest, &name[1..]),
        Some(('[', rest)) => {
            let Some(close) = rest.iter().skip(1).position(|&c| c == ']').map(|i| i + 1) else {
                // No closing bracket: a literal `[`.
                return name.first() == Some(&'[') && matches(rest, &name[1..]);
            };
            let Some(&c) = name.first() else {
                return false;
            };
            let (negate, set) = match rest[..close].split_first() {
                Some(('!' | '^', set)) => (true, set),
                _ => (false, &rest[..close]),
            };
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == '-' {
                    hit |= (set[i]..=set[i + 2]).contains(&c);
                    i += 3;
                } else {
                    hit |= set[i] == c;
                    i += 1;
                }
            }
            hit != negate && matches(&rest[close + 1..], &name[1..])
        }
        Some((&p, rest)) => name.first() == Some(&p) && matches(rest, &name[1..]),
    }
}

/// The paths `pattern` matches, sorted; wildcards may appear in any component. Hidden names
/// match only a pattern that starts with a dot.
fn glob(pattern: &str) -> Vec<PathBuf> {
    let mut found = vec![if pattern.starts_with('/') {
        PathBuf::from("/")
    } else {
        PathBuf::new()
    }];
    for part in pattern.split('/').filter(|p| !p.is_empty()) {
        let mut next = Vec::new();
        for base in &found {
            if !is_pattern(part) {
                let p = base.join(part);
                if p.symlink_metadata().is_ok() {
                    next.push(p);
                }
                continue;
            }
            let pat: Vec<char> = part.chars().collect();
            let dir = if base.as_os_str().is_empty() {
                Path::new(".")
            } else {
                base.as_path()
            };
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') && !part.starts_with('.') {
                    continue;
                }
                let chars: Vec<char> = name.chars().collect();
                if matches(&pat, &chars) {
                    next.push(base.join(&name));
                }
            }
        }
        found = next;
    }
    found.sort();
    found
}

/// Every `*.sgt` file in `dir`, sorted by name.
fn directory(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("{}: cannot list the directory: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sgt") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        bail!(
            "{}: no recordings in this directory (no *.sgt files)",
            dir.display()
        );
    }
    Ok(files)
}

/// The files the arguments name: directories listed, patterns expanded, each file once.
pub fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for arg in args {
        let text = arg.to_string_lossy();
        let found = if arg.is_dir() {
            directory(arg)?
        } else if !arg.exists() && is_pattern(&text) {
            let mut files = Vec::new();
            for p in glob(&text) {
                if p.is_dir() {
                    files.extend(directory(&p)?);
                } else if !p.to_string_lossy().ends_with(".part") {
                    files.push(p);
                }
            }
            if files.is_empty() {
                bail!("{text}: no file matches this pattern");
            }
            files
        } else {
            vec![arg.clone()]
        };
        for f in found {
            if seen.insert(std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone())) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// Expands the arguments, reads every header (failing on the first bad file) and groups the
/// recordings into runs.
pub fn load(args: &[PathBuf]) -> Result<Inputs> {
    let files = expand(args)?;
    let mut recs = Vec::with_capacity(files.len());
    for path in &files {
        let reader = crate::capture::open_trace(path)?;
        let h = reader.header();
        recs.push(Recording {
            file: path.display().to_string(),
            host: h.hostname.clone(),
            boot_id: h.boot_id.clone(),
            command: h.command.clone(),
            start_ns: h.start_ns,
            series: h.series.clone(),
            segment: h.segment,
        });
    }
    let runs = sources::runs(recs);
    // Each recording's path, found again by its display form (unique: files are distinct).
    let paths = runs
        .iter()
        .map(|run| {
            run.recordings
                .iter()
                .map(|r| {
                    files
                        .iter()
                        .find(|p| p.display().to_string() == r.file)
                        .cloned()
                        .unwrap_or_else(|| PathBuf::from(&r.file))
                })
                .collect()
        })
        .collect();
    Ok(Inputs { runs, paths })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, n: &str) -> bool {
        let p: Vec<char> = p.chars().collect();
        let n: Vec<char> = n.chars().collect();
        matches(&p, &n)
    }

    #[test]
    fn shell_patterns() {
        assert!(m("*.sgt", "a.sgt"));
        assert!(!m("*.sgt", "a.sgt.part"));
        assert!(m("run-?.sgt", "run-1.sgt"));
        assert!(!m("run-?.sgt", "run-10.sgt"));
        assert!(m("run-[0-9]*.sgt", "run-10.sgt"));
        assert!(!m("run-[!0-9]*", "run-10.sgt"));
        assert!(m("[ab]", "b"));
        assert!(m("x[", "x["));
    }

    #[test]
    fn directories_patterns_and_errors() {
        let dir = std::env::temp_dir().join(format!("sysgate-inputs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["b.sgt", "a.sgt", "c.sgt.part", "notes.txt"] {
            std::fs::write(dir.join(f), b"x").unwrap();
        }
        let files = expand(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(files, [dir.join("a.sgt"), dir.join("b.sgt")]);
        // The same file twice is read once; a pattern the shell left alone is expanded.
        let pattern = PathBuf::from(format!("{}/*.sgt", dir.display()));
        let files = expand(&[dir.join("a.sgt"), pattern]).unwrap();
        assert_eq!(files, [dir.join("a.sgt"), dir.join("b.sgt")]);
        let err = expand(&[dir.join("sub")]).unwrap_err().to_string();
        assert!(err.contains("no recordings in this directory"), "{err}");
        let err = expand(&[dir.join("*.none")]).unwrap_err().to_string();
        assert!(err.contains("no file matches"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
