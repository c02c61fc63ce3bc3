//! `sysgate explain`: what a syscall is, on every architecture, from the knowledge base.

use std::io::Write;

use anyhow::{Result, bail};
use serde_json::{Value as Json, json};
use sysgate_kb::{Arch, Category, Syscall};

use crate::args::ExplainArgs;

pub fn run(args: &ExplainArgs, out: &mut dyn Write) -> Result<()> {
    let arch = match &args.arch {
        Some(a) => parse_arch(a)?,
        None => Arch::native(),
    };
    let category = match &args.category {
        Some(c) => Some(Category::parse(c).ok_or_else(|| {
            let names: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
            anyhow::anyhow!("unknown category `{c}` (known: {})", names.join(", "))
        })?),
        None => None,
    };
    if args.list || args.syscalls.is_empty() {
        if !args.list {
            bail!("name a syscall (`sysgate explain openat`) or use `--list`");
        }
        return list(arch, category, args.json, out);
    }
    let mut found = Vec::new();
    for query in &args.syscalls {
        found.push(resolve(query, arch)?);
    }
    if args.json {
        let docs: Vec<Json> = found.iter().map(|s| to_json(s)).collect();
        let doc = if docs.len() == 1 {
            docs.into_iter().next().unwrap_or(Json::Null)
        } else {
            Json::Array(docs)
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        for (i, s) in found.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            render(s, out)?;
        }
    }
    Ok(())
}

pub fn parse_arch(s: &str) -> Result<Arch> {
    Arch::parse(s)
        .ok_or_else(|| anyhow::anyhow!("unknown architecture `{s}` (known: x86_64, aarch64, i386)"))
}

/// A syscall by name, or by number on `arch`.
fn resolve(query: &str, arch: Arch) -> Result<&'static Syscall> {
    if let Ok(nr) = query.parse::<u64>() {
        return sysgate_kb::lookup(arch, nr)
            .ok_or_else(|| anyhow::anyhow!("no syscall has number {nr} on {arch}"));
    }
    if let Some(s) = sysgate_kb::by_name(query) {
        return Ok(s);
    }
    let close = sysgate_kb::suggest(query, 4);
    if close.is_empty() {
        bail!("unknown syscall `{query}` (see `sysgate explain --list`)");
    }
    bail!(
        "unknown syscall `{query}` (did you mean {}?)",
        close.join(", ")
    )
}

fn numbers(s: &Syscall) -> Vec<(Arch, Option<u32>)> {
    Arch::ALL.iter().map(|&a| (a, s.number(a))).collect()
}

fn render(s: &Syscall, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "{} — {}", s.name, s.description)?;
    let nums: Vec<String> = numbers(s)
        .into_iter()
        .map(|(a, n)| match n {
            Some(n) => format!("{a} {n}"),
            None => format!("{a} —"),
        })
        .collect();
    writeln!(out, "  number       {}", nums.join(" · "))?;
    writeln!(out, "  category     {}", s.category)?;
    writeln!(out, "  returns      {}", s.ret.name())?;
    writeln!(
        out,
        "  idempotence  {} — {}",
        s.idempotence.name(),
        s.idempotence_reason
    )?;
    if s.args.is_empty() {
        writeln!(out, "  arguments    none")?;
    } else {
        writeln!(out, "  arguments")?;
        for (i, a) in s.args.iter().enumerate() {
            let dir = if a.ty.is_output() { "out" } else { "in " };
            writeln!(out, "    {i}  {dir}  {:<18} {}", a.name, a.ty.spec())?;
        }
    }
    Ok(())
}

fn to_json(s: &Syscall) -> Json {
    let mut nums = serde_json::Map::new();
    for (a, n) in numbers(s) {
        nums.insert(a.name().into(), n.map_or(Json::Null, Json::from));
    }
    json!({
        "name": s.name,
        "numbers": nums,
        "category": s.category.name(),
        "idempotence": s.idempotence.name(),
        "idempotence_reason": s.idempotence_reason,
        "returns": s.ret.name(),
        "args": s.args.iter().map(|a| json!({
            "name": a.name,
            "type": a.ty.spec(),
            "direction": if a.ty.is_output() { "out" } else { "in" },
        })).collect::<Vec<_>>(),
        "description": s.description,
    })
}

fn list(arch: Arch, category: Option<Category>, as_json: bool, out: &mut dyn Write) -> Result<()> {
    let rows: Vec<(u32, &Syscall)> = sysgate_kb::table(arch)
        .filter(|(_, s)| category.is_none_or(|c| s.category == c))
        .collect();
    if as_json {
        let docs: Vec<Json> = rows
            .iter()
            .map(|(nr, s)| {
                let mut doc = to_json(s);
                doc["number"] = json!(nr);
                doc["arch"] = json!(arch.name());
                doc
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&docs)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{:>5}  {:<24} {:<11} {:<11} description",
        "nr", "name", "category", "idempotent"
    )?;
    for (nr, s) in &rows {
        writeln!(
            out,
            "{nr:>5}  {:<24} {:<11} {:<11} {}",
            s.name,
            s.category.name(),
            s.idempotence.name(),
            s.description
        )?;
    }
    writeln!(out, "{} syscalls on {arch}", rows.len())?;
    Ok(())
}
