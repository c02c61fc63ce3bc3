//! `sysgate profile`: recordings → OCI seccomp profile; `--explain`; `--update` from a
//! violations log.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sysgate_event::SyscallEvent;
use sysgate_kb::Arch;
use sysgate_seccomp::generate::{
    ArgLevel, BASELINE, GenerateOptions, LAUNCHER, Observer, THREAD_END,
};
use sysgate_seccomp::landlock::{Layer, Need, Right, companion_path};
use sysgate_seccomp::profile::{Action, Profile};

use crate::args::{DefaultAction, DefaultErrno, ProfileArgs};

fn options(args: &ProfileArgs) -> Result<GenerateOptions> {
    let level = ArgLevel::from(args.args);
    let default_errno = match args.default_errno {
        DefaultErrno::Eperm => libc::EPERM as u32,
        DefaultErrno::Enosys => libc::ENOSYS as u32,
    };
    let default_action = match args.default_action {
        DefaultAction::Errno => Action::Errno,
        DefaultAction::Kill => Action::KillProcess,
        DefaultAction::Log => Action::Log,
    };
    let mut arches = Vec::new();
    for a in &args.arch {
        arches.push(crate::explain::parse_arch(a)?);
    }
    if arches.is_empty() {
        arches.push(Arch::native());
    }
    Ok(GenerateOptions {
        args: level,
        wx: args.wx,
        default_action,
        default_errno,
        arches,
        allow_io_uring: args.allow_io_uring,
        runtime_calls: runtime_calls(args)?,
    })
}

/// The calls `--runtime` or `--runtime-calls` adds.
fn runtime_calls(args: &ProfileArgs) -> Result<Vec<String>> {
    if let Some(name) = &args.runtime {
        let rt = sysgate_seccomp::runtime::lookup(name).map_err(anyhow::Error::msg)?;
        return Ok(rt.calls().iter().map(|s| s.to_string()).collect());
    }
    let Some(path) = &args.runtime_calls else {
        return Ok(Vec::new());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --runtime-calls {}", path.display()))?;
    let mut calls = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        // Comments and the version line the measuring script prints first.
        if line.is_empty() || line.starts_with('#') || line.contains(' ') {
            continue;
        }
        if sysgate_kb::by_name(line).is_none() {
            bail!(
                "{}: line {}: `{line}` is not a syscall",
                path.display(),
                i + 1
            );
        }
        calls.push(line.to_string());
    }
    if calls.is_empty() {
        bail!("{} lists no syscalls", path.display());
    }
    Ok(calls)
}

/// Puts `profile` into an OCI bundle's config.json as `linux.seccomp`.
fn write_into_bundle(profile: &Profile, config: &Path) -> Result<()> {
    let text = std::fs::read_to_string(config)
        .with_context(|| format!("cannot read OCI config {}", config.display()))?;
    let mut doc: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", config.display()))?;
    let Some(obj) = doc.as_object_mut() else {
        bail!(
            "{}: not an OCI config (not a JSON object)",
            config.display()
        );
    };
    if !obj.contains_key("ociVersion") {
        bail!("{}: not an OCI config (no ociVersion)", config.display());
    }
    let linux = obj.entry("linux").or_insert_with(|| serde_json::json!({}));
    let Some(linux) = linux.as_object_mut() else {
        bail!("{}: `linux` is not an object", config.display());
    };
    linux.insert("seccomp".into(), profile.to_json());
    write_atomically(
        config,
        &(serde_json::to_string_pretty(&doc)? + "\n"),
        "OCI config",
    )
}

fn observe(traces: &[std::path::PathBuf]) -> Result<Observer> {
    let mut observer = Observer::new();
    for (i, path) in traces.iter().enumerate() {
        if i > 0 {
            observer.next_trace();
        }
        let mut reader = crate::capture::open_trace(path)?;
        let stats = reader.replay(&mut observer)?;
        if stats.truncated_at.is_some() {
            say!(
                "sysgate: {} was cut short; using its {} events",
                path.display(),
                stats.events
            );
        }
    }
    Ok(observer)
}

/// Writes `text` to `path` through a temporary file beside it, so a failure leaves no partial
/// or empty file behind.
fn write_atomically(path: &Path, text: &str, what: &str) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    let r = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r.with_context(|| format!("cannot write {what} {}", path.display()))
}

fn write_profile(profile: &Profile, output: Option<&Path>) -> Result<()> {
    let text = serde_json::to_string_pretty(&profile.to_json())?;
    match output {
        Some(p) => write_atomically(p, &(text + "\n"), "profile")?,
        None => {
            let mut out = io::stdout().lock();
            writeln!(out, "{text}")?;
        }
    }
    Ok(())
}

fn write_layer(layer: &Layer, path: &Path) -> Result<()> {
    let text = serde_json::to_string_pretty(&layer.to_json())?;
    write_atomically(path, &(text + "\n"), "Landlock layer")
}

pub fn run(args: &ProfileArgs) -> Result<ExitCode> {
    if let Some(path) = &args.explain {
        return explain(path, &args.traces);
    }
    if let (Some(path), Some(log)) = (&args.update, &args.from_violations) {
        return update(path, log, args);
    }
    if let (Some(new), Some(base)) = (&args.check, &args.against) {
        return check(new, base, args.json);
    }
    if args.traces.is_empty() {
        bail!(
            "give one or more recordings: `sysgate profile run.sgt -o profile.json` (make them with `sysgate record`)"
        );
    }
    let opts = options(args)?;
    // Inputs ending in .json are profiles to merge; the rest are recordings.
    let (given, traces): (Vec<_>, Vec<_>) = args
        .traces
        .iter()
        .cloned()
        .partition(|p| p.extension().is_some_and(|e| e == "json"));
    let observer = observe(&traces)?;
    if !traces.is_empty() && observer.seen.is_empty() {
        bail!("the recordings contain no syscalls; record the program doing its work first");
    }
    let mut profiles = Vec::new();
    let mut layers = Vec::new();
    if !traces.is_empty() {
        profiles.push(observer.profile(&opts));
        layers.push(observer.access.layer(opts.allow_io_uring));
    }
    for p in &given {
        profiles.push(Profile::load(p)?);
        let lp = companion_path(p);
        if lp.exists() {
            layers.push(Layer::load(&lp)?);
        } else if !args.no_landlock {
            say!(
                "sysgate: {} has no Landlock layer beside it: the merged layer would confine what it allowed; write none with --no-landlock",
                p.display()
            );
            bail!("{} has no Landlock layer ({})", p.display(), lp.display());
        }
    }
    let profile = if profiles.len() == 1 {
        profiles.pop().expect("one profile")
    } else {
        sysgate_seccomp::compare::merge(&profiles).map_err(anyhow::Error::msg)?
    };
    let layer = sysgate_seccomp::compare::merge_layers(&layers);
    if observer.io_uring_used() && !opts.allow_io_uring {
        say!(
            "sysgate: the program used io_uring; the profile refuses it (EPERM) because seccomp \
             cannot see the opens, connects and unlinks a ring runs. Profile with --allow-io-uring \
             to allow it, confined by the Landlock layer alone"
        );
    }
    let problems = sysgate_seccomp::profile::validate_oci(&profile.to_json());
    if !problems.is_empty() {
        bail!(
            "internal error: the generated profile breaks the OCI schema: {}",
            problems.join("; ")
        );
    }
    if let Some(config) = &args.oci_config {
        write_into_bundle(&profile, config)?;
        say!(
            "sysgate: wrote the profile into {} (linux.seccomp)",
            config.display()
        );
    }
    for pid in &observer.killed {
        say!(
            "sysgate: note: pid {pid} was killed by SIGKILL while recorded: its shutdown path \
             (signal handlers, closing files, exit) is not in the profile; stop the program with \
             SIGTERM or Ctrl-C while recording (sysgate passes them on)"
        );
    }
    if args.oci_config.is_none() || args.output.is_some() {
        write_profile(&profile, args.output.as_deref())?;
    }
    if let Some(p) = &args.output
        && !args.no_landlock
    {
        let lp = companion_path(p);
        write_layer(&layer, &lp)?;
        let unresolved = if observer.access.unresolved > 0 {
            format!(
                "; {} calls with an unknown directory descriptor left out",
                observer.access.unresolved
            )
        } else {
            String::new()
        };
        say!(
            "sysgate: wrote {} with {} path rules, {} bind and {} connect ports{}{unresolved}",
            lp.display(),
            layer.fs.len(),
            layer.bind_tcp.len(),
            layer.connect_tcp.len(),
            match (layer.scope_signals, layer.scope_abstract_unix) {
                (true, true) => ", signals and abstract sockets kept inside",
                (true, false) => ", signals kept inside",
                (false, true) => ", abstract sockets kept inside",
                (false, false) => "",
            }
        );
    }
    if let Some(p) = &args.output {
        let allowed: usize = profile
            .syscalls
            .iter()
            .filter(|r| r.action == Action::Allow)
            .flat_map(|r| r.names.iter())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        say!(
            "sysgate: wrote {} allowing {allowed} syscalls ({} entries) from {} recording(s){}",
            p.display(),
            profile.syscalls.len(),
            traces.len(),
            if given.is_empty() {
                String::new()
            } else {
                format!(" and {} profile(s)", given.len())
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--check NEW --against BASE`: exit 3 listing what NEW allows beyond BASE, 0 when nothing.
fn check(new: &Path, base: &Path, json: bool) -> Result<ExitCode> {
    use sysgate_seccomp::compare::{wider, wider_layer};
    let (n, b) = (Profile::load(new)?, Profile::load(base)?);
    let mut found = wider(&n, &b, 200);
    let (ln, lb) = (companion_path(new), companion_path(base));
    match (ln.exists(), lb.exists()) {
        (true, true) => {
            let cwd = std::env::current_dir()?;
            found.extend(wider_layer(&Layer::load(&ln)?, &Layer::load(&lb)?, &cwd));
        }
        (false, true) => found.push(sysgate_seccomp::compare::Widening {
            what: format!(
                "every path and port ({} has no Landlock layer)",
                new.display()
            ),
        }),
        _ => {}
    }
    let mut out = io::stdout().lock();
    if json {
        let items: Vec<&str> = found.iter().map(|w| w.what.as_str()).collect();
        writeln!(
            out,
            "{}",
            serde_json::json!({"wider": !found.is_empty(), "allows_beyond_base": items})
        )?;
    } else if found.is_empty() {
        writeln!(
            out,
            "{} allows nothing {} does not",
            new.display(),
            base.display()
        )?;
    } else {
        writeln!(
            out,
            "{} allows {} thing(s) {} does not:",
            new.display(),
            found.len(),
            base.display()
        )?;
        for w in &found {
            writeln!(out, "  {}", w.what)?;
        }
    }
    Ok(if found.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

fn explain(path: &Path, traces: &[std::path::PathBuf]) -> Result<ExitCode> {
    let profile = Profile::load(path)?;
    let observer = observe(traces)?;
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "default: {}{}; architectures: {}",
        profile.default_action.oci(),
        profile
            .default_errno_ret
            .and_then(sysgate_kb::symbols::errno)
            .map_or(String::new(), |e| format!(" ({})", e.name)),
        profile
            .architectures
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(
        out,
        "{:<22} {:<8} {:>10}  justified by",
        "syscall", "action", "calls"
    )?;
    for rule in &profile.syscalls {
        for name in &rule.names {
            // Calls per recording, over every ABI.
            let mut per_trace: std::collections::BTreeMap<usize, u64> = Default::default();
            for ((_, n), s) in &observer.seen {
                if n == name {
                    for (t, c) in &s.per_trace {
                        *per_trace.entry(*t).or_default() += c;
                    }
                }
            }
            let total: u64 = per_trace.values().sum();
            let action = match rule.action {
                Action::Allow => "allow".to_string(),
                Action::Errno => {
                    let e = rule.errno_ret.or(profile.default_errno_ret).unwrap_or(1);
                    sysgate_kb::symbols::errno(e)
                        .map_or(format!("errno {e}"), |e| e.name.to_string())
                }
                other => other
                    .oci()
                    .trim_start_matches("SCMP_ACT_")
                    .to_ascii_lowercase(),
            };
            let conds = if rule.args.is_empty() {
                String::new()
            } else {
                let c: Vec<String> = rule
                    .args
                    .iter()
                    .map(sysgate_seccomp::compare::describe)
                    .collect();
                format!(" [{}]", c.join(" && "))
            };
            let baseline = [LAUNCHER, BASELINE, THREAD_END]
                .iter()
                .any(|set| set.contains(&name.as_str()));
            let why = if total == 0 {
                if rule.action != Action::Allow {
                    "rule".to_string()
                } else if baseline {
                    "baseline (every profile)".to_string()
                } else if traces.is_empty() {
                    "-".to_string()
                } else {
                    "not in the given traces".to_string()
                }
            } else {
                per_trace
                    .iter()
                    .map(|(t, c)| {
                        let p = traces
                            .get(*t)
                            .map_or("-".into(), |p| p.display().to_string());
                        format!("{p} ×{c}")
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(
                out,
                "{:<22} {:<8} {:>10}  {why}{conds}",
                name, action, total
            )?;
        }
    }
    let io_uring = profile.syscalls.iter().any(|r| {
        r.action == Action::Allow
            && r.names
                .iter()
                .any(|n| sysgate_seccomp::generate::IO_URING.contains(&n.as_str()))
    });
    let layer_path = companion_path(path);
    let layer = layer_path
        .exists()
        .then(|| Layer::load(&layer_path))
        .transpose()?;
    if io_uring {
        writeln!(
            out,
            "\nio_uring is allowed: a ring opens, connects, unlinks and renames without the \
             syscalls seccomp filters, so none of this profile's entries apply to what it does; \
             only the Landlock layer ({}) confines its paths and ports{}",
            layer_path.display(),
            if layer.is_some() {
                ""
            } else {
                " — and there is none"
            }
        )?;
    }
    if let Some(layer) = layer {
        writeln!(out, "\nLandlock layer {}:", layer_path.display())?;
        for r in &layer.fs {
            let rights: Vec<&str> = r.rights.iter().map(|x| x.name()).collect();
            writeln!(out, "  {:<40} {:<40} {}", r.path, rights.join(","), r.why)?;
        }
        let ports = |p: &std::collections::BTreeSet<u16>| {
            if p.is_empty() {
                "none".to_string()
            } else {
                p.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
            }
        };
        writeln!(
            out,
            "  TCP bind: {}; TCP connect: {}",
            ports(&layer.bind_tcp),
            ports(&layer.connect_tcp)
        )?;
        writeln!(
            out,
            "  signals {}; abstract unix sockets {}",
            if layer.scope_signals {
                "reach only the sandbox"
            } else {
                "unscoped (the program signalled processes outside its own)"
            },
            if layer.scope_abstract_unix {
                "reach only the sandbox"
            } else {
                "unscoped (the program used one outside)"
            }
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Widens a profile with the calls listed in a `run --log` file.
fn update(path: &Path, log: &Path, args: &ProfileArgs) -> Result<ExitCode> {
    let mut profile = Profile::load(path)?;
    let f =
        File::open(log).with_context(|| format!("cannot open violations log {}", log.display()))?;
    let mut observer = Observer::new();
    let mut count = 0;
    let mut needs: Vec<Need> = Vec::new();
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", log.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {} is not JSON", log.display(), i + 1))?;
        if v["layer"] == "landlock" {
            // A path or port outside the Landlock layer: widen the layer, not the filter.
            for n in v["needs"].as_array().map(Vec::as_slice).unwrap_or_default() {
                let need = if let Some(p) = n["bind_tcp"].as_u64() {
                    Need::Bind(p as u16)
                } else if let Some(p) = n["connect_tcp"].as_u64() {
                    Need::Connect(p as u16)
                } else if let (Some(path), Some(right)) = (
                    n["path"].as_str(),
                    n["right"].as_str().and_then(Right::parse),
                ) {
                    Need::Path {
                        path: path.to_string(),
                        right,
                    }
                } else {
                    bail!(
                        "{}: line {} has a Landlock need sysgate does not know: {n}",
                        log.display(),
                        i + 1
                    );
                };
                needs.push(need);
            }
            count += 1;
            continue;
        }
        let (Some(arch), Some(nr), Some(raw)) = (
            v["arch"].as_str().and_then(Arch::parse),
            v["nr"].as_u64(),
            v["raw_args"].as_array(),
        ) else {
            bail!(
                "{}: line {} is not a sysgate violation record",
                log.display(),
                i + 1
            );
        };
        let mut ev = SyscallEvent::new();
        ev.arch = arch;
        ev.nr = nr as u32;
        ev.syscall = sysgate_kb::lookup(arch, nr);
        for (slot, a) in ev.args.iter_mut().zip(raw) {
            *slot = a.as_u64().unwrap_or(0);
        }
        sysgate_event::Sink::syscall_exit(&mut observer, &ev)?;
        count += 1;
    }
    if count == 0 {
        bail!("{} lists no violations; nothing to add", log.display());
    }
    let mut opts = options(args)?;
    opts.arches = profile.architectures.clone();
    let extra = observer.profile(&opts);
    // The new allowances go first so that they win over the old ENOSYS and kill entries; the
    // launcher's execve comes with them and is harmless to repeat.
    let mut added: Vec<_> = extra
        .syscalls
        .into_iter()
        .filter(|r| r.action == Action::Allow)
        .collect();
    let n = added.len();
    added.append(&mut profile.syscalls);
    profile.syscalls = added;
    let out = args.output.as_deref().unwrap_or(path);
    write_profile(&profile, Some(out))?;
    if !needs.is_empty() {
        let from = companion_path(path);
        if !from.exists() {
            bail!(
                "{} logs paths or ports outside a Landlock layer, but {} does not exist",
                log.display(),
                from.display()
            );
        }
        let mut layer = Layer::load(&from)?;
        let added = needs
            .iter()
            .filter(|n| layer.add(n, "added from a violations log"))
            .count();
        let to = companion_path(out);
        write_layer(&layer, &to)?;
        say!(
            "sysgate: added {added} Landlock rules or ports to {}",
            to.display()
        );
    }
    say!(
        "sysgate: added {n} entries for {count} logged calls to {}",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
