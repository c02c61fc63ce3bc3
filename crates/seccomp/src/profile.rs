//! The OCI runtime-spec `linux.seccomp` profile: the format docker, podman, runc, crun and
//! Kubernetes consume. Parsed and written by hand from `serde_json::Value` so that every field
//! error names the field.
//!
//! Traps the format sets, handled here: for `SCMP_CMP_MASKED_EQ` `value` is the mask and
//! `valueTwo` the expected value; conditions inside one entry are ANDed, so alternatives are
//! separate entries.

use serde_json::{Map, Value as Json, json};
use sysgate_kb::Arch;

use crate::Error;

/// What the filter does with a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Run it.
    Allow,
    /// Fail it with an errno (the entry's `errnoRet`, else the profile's `defaultErrnoRet`).
    Errno,
    /// Kill the thread.
    KillThread,
    /// Kill the whole process.
    KillProcess,
    /// Run it and log it in the kernel audit log.
    Log,
    /// Hand it to a ptrace supervisor.
    Trace,
}

impl Action {
    /// The OCI spelling.
    pub const fn oci(self) -> &'static str {
        match self {
            Action::Allow => "SCMP_ACT_ALLOW",
            Action::Errno => "SCMP_ACT_ERRNO",
            Action::KillThread => "SCMP_ACT_KILL",
            Action::KillProcess => "SCMP_ACT_KILL_PROCESS",
            Action::Log => "SCMP_ACT_LOG",
            Action::Trace => "SCMP_ACT_TRACE",
        }
    }

    /// Parses the OCI spelling (`SCMP_ACT_KILL_THREAD` is an alias of `SCMP_ACT_KILL`).
    pub fn parse(s: &str) -> Option<Action> {
        Some(match s {
            "SCMP_ACT_ALLOW" => Action::Allow,
            "SCMP_ACT_ERRNO" => Action::Errno,
            "SCMP_ACT_KILL" | "SCMP_ACT_KILL_THREAD" => Action::KillThread,
            "SCMP_ACT_KILL_PROCESS" => Action::KillProcess,
            "SCMP_ACT_LOG" => Action::Log,
            "SCMP_ACT_TRACE" => Action::Trace,
            _ => return None,
        })
    }
}

/// A comparison of one syscall argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `!=`
    Ne,
    /// `<` (unsigned)
    Lt,
    /// `<=`
    Le,
    /// `==`
    Eq,
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `(arg & value) == value_two`
    MaskedEq,
}

impl Op {
    /// The OCI spelling.
    pub const fn oci(self) -> &'static str {
        match self {
            Op::Ne => "SCMP_CMP_NE",
            Op::Lt => "SCMP_CMP_LT",
            Op::Le => "SCMP_CMP_LE",
            Op::Eq => "SCMP_CMP_EQ",
            Op::Ge => "SCMP_CMP_GE",
            Op::Gt => "SCMP_CMP_GT",
            Op::MaskedEq => "SCMP_CMP_MASKED_EQ",
        }
    }

    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "SCMP_CMP_NE" => Op::Ne,
            "SCMP_CMP_LT" => Op::Lt,
            "SCMP_CMP_LE" => Op::Le,
            "SCMP_CMP_EQ" => Op::Eq,
            "SCMP_CMP_GE" => Op::Ge,
            "SCMP_CMP_GT" => Op::Gt,
            "SCMP_CMP_MASKED_EQ" => Op::MaskedEq,
            _ => return None,
        })
    }
}

/// One argument condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArgCond {
    /// Argument index, 0..=5.
    pub index: u8,
    /// The compared value (the mask for `MaskedEq`).
    pub value: u64,
    /// The expected value for `MaskedEq`; 0 otherwise.
    pub value_two: u64,
    /// The comparison.
    pub op: Op,
}

impl ArgCond {
    /// Whether a register value satisfies the condition.
    pub fn matches(&self, arg: u64) -> bool {
        match self.op {
            Op::Ne => arg != self.value,
            Op::Lt => arg < self.value,
            Op::Le => arg <= self.value,
            Op::Eq => arg == self.value,
            Op::Ge => arg >= self.value,
            Op::Gt => arg > self.value,
            Op::MaskedEq => arg & self.value == self.value_two,
        }
    }
}

/// One entry of `syscalls[]`: these names, under all these conditions, get this action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Syscall names.
    pub names: Vec<String>,
    /// The action.
    pub action: Action,
    /// The errno for `Errno` (and the supervisor's answer for `Trace`).
    pub errno_ret: Option<u32>,
    /// Conditions, ANDed.
    pub args: Vec<ArgCond>,
    /// Why the entry exists (OCI `comment`).
    pub comment: Option<String>,
}

/// A whole profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// What happens to calls no entry matches.
    pub default_action: Action,
    /// errno for a default `Errno` action.
    pub default_errno_ret: Option<u32>,
    /// Architectures the profile allows (`SCMP_ARCH_X86_64`…); others are denied.
    pub architectures: Vec<Arch>,
    /// The entries, in order; the first match wins.
    pub syscalls: Vec<Rule>,
}

/// `SCMP_ARCH_X86_64` etc.
pub fn arch_oci(a: Arch) -> &'static str {
    match a {
        Arch::X86_64 => "SCMP_ARCH_X86_64",
        Arch::Aarch64 => "SCMP_ARCH_AARCH64",
        Arch::I386 => "SCMP_ARCH_X86",
    }
}

fn arch_parse(s: &str) -> Option<Arch> {
    match s {
        "SCMP_ARCH_X86_64" => Some(Arch::X86_64),
        "SCMP_ARCH_AARCH64" => Some(Arch::Aarch64),
        "SCMP_ARCH_X86" => Some(Arch::I386),
        _ => None,
    }
}

impl Profile {
    /// The OCI JSON (`linux.seccomp` object).
    pub fn to_json(&self) -> Json {
        let mut doc = Map::new();
        doc.insert("defaultAction".into(), json!(self.default_action.oci()));
        if let Some(e) = self.default_errno_ret {
            doc.insert("defaultErrnoRet".into(), json!(e));
        }
        doc.insert(
            "architectures".into(),
            json!(
                self.architectures
                    .iter()
                    .map(|a| arch_oci(*a))
                    .collect::<Vec<_>>()
            ),
        );
        let rules: Vec<Json> = self
            .syscalls
            .iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("names".into(), json!(r.names));
                m.insert("action".into(), json!(r.action.oci()));
                if let Some(e) = r.errno_ret {
                    m.insert("errnoRet".into(), json!(e));
                }
                if !r.args.is_empty() {
                    m.insert(
                        "args".into(),
                        Json::Array(
                            r.args
                                .iter()
                                .map(|a| {
                                    json!({"index": a.index, "value": a.value,
                                           "valueTwo": a.value_two, "op": a.op.oci()})
                                })
                                .collect(),
                        ),
                    );
                }
                // `comment` is read but never written: the runtime-spec schema does not list it.
                Json::Object(m)
            })
            .collect();
        doc.insert("syscalls".into(), Json::Array(rules));
        Json::Object(doc)
    }

    /// Parses an OCI profile: either the `linux.seccomp` object itself or a whole OCI
    /// `config.json` containing one.
    pub fn from_json(doc: &Json) -> Result<Profile, Error> {
        let doc = doc
            .pointer("/linux/seccomp")
            .unwrap_or(doc)
            .as_object()
            .ok_or_else(|| Error::Profile("the profile must be a JSON object".into()))?;
        let field_err = |f: &str, what: &str| Error::Profile(format!("`{f}`: {what}"));
        let action = |v: Option<&Json>, f: &str| -> Result<Action, Error> {
            let s = v
                .and_then(Json::as_str)
                .ok_or_else(|| field_err(f, "missing or not a string"))?;
            Action::parse(s).ok_or_else(|| field_err(f, &format!("unknown action `{s}`")))
        };
        let errno = |v: Option<&Json>, f: &str| -> Result<Option<u32>, Error> {
            match v {
                None | Some(Json::Null) => Ok(None),
                Some(v) => v
                    .as_u64()
                    .filter(|&n| n < 4096)
                    .map(|n| Some(n as u32))
                    .ok_or_else(|| field_err(f, "must be an errno number below 4096")),
            }
        };
        let default_action = action(doc.get("defaultAction"), "defaultAction")?;
        let default_errno_ret = errno(doc.get("defaultErrnoRet"), "defaultErrnoRet")?;
        let mut architectures = Vec::new();
        if let Some(list) = doc.get("architectures") {
            for a in list
                .as_array()
                .ok_or_else(|| field_err("architectures", "must be an array"))?
            {
                let s = a.as_str().unwrap_or("");
                match arch_parse(s) {
                    Some(a) => architectures.push(a),
                    // Architectures sysgate has no table for can only be denied.
                    None if s.starts_with("SCMP_ARCH_") => {}
                    None => {
                        return Err(field_err(
                            "architectures",
                            &format!("`{s}` is not an architecture"),
                        ));
                    }
                }
            }
        }
        if architectures.is_empty() {
            architectures.push(Arch::native());
        }
        let mut syscalls = Vec::new();
        for (i, r) in doc
            .get("syscalls")
            .and_then(Json::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let f = |name: &str| format!("syscalls[{i}].{name}");
            let names: Vec<String> = r
                .get("names")
                .and_then(Json::as_array)
                .ok_or_else(|| field_err(&f("names"), "missing or not an array"))?
                .iter()
                .map(|n| n.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| field_err(&f("names"), "must hold strings"))?;
            for n in &names {
                if sysgate_kb::by_name(n).is_none() {
                    let close = sysgate_kb::suggest(n, 3);
                    let hint = if close.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean {}?)", close.join(", "))
                    };
                    return Err(field_err(
                        &f("names"),
                        &format!("unknown syscall `{n}`{hint}"),
                    ));
                }
            }
            let mut args = Vec::new();
            if let Some(list) = r.get("args").filter(|a| !a.is_null()) {
                for (j, a) in list
                    .as_array()
                    .ok_or_else(|| field_err(&f("args"), "must be an array"))?
                    .iter()
                    .enumerate()
                {
                    let g = |name: &str| format!("syscalls[{i}].args[{j}].{name}");
                    let index = a
                        .get("index")
                        .and_then(Json::as_u64)
                        .filter(|&n| n <= 5)
                        .ok_or_else(|| field_err(&g("index"), "must be 0..=5"))?;
                    let value = a.get("value").and_then(Json::as_u64).ok_or_else(|| {
                        field_err(&g("value"), "missing or not an unsigned number")
                    })?;
                    let value_two = a.get("valueTwo").and_then(Json::as_u64).unwrap_or(0);
                    let op_s = a
                        .get("op")
                        .and_then(Json::as_str)
                        .ok_or_else(|| field_err(&g("op"), "missing"))?;
                    let op = Op::parse(op_s).ok_or_else(|| {
                        field_err(&g("op"), &format!("unknown comparison `{op_s}`"))
                    })?;
                    args.push(ArgCond {
                        index: index as u8,
                        value,
                        value_two,
                        op,
                    });
                }
            }
            syscalls.push(Rule {
                names,
                action: action(r.get("action"), &f("action"))?,
                errno_ret: errno(r.get("errnoRet"), &f("errnoRet"))?,
                args,
                comment: r.get("comment").and_then(Json::as_str).map(str::to_string),
            });
        }
        Ok(Profile {
            default_action,
            default_errno_ret,
            architectures,
            syscalls,
        })
    }

    /// Reads a profile file.
    pub fn load(path: &std::path::Path) -> Result<Profile, Error> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::Io(path.display().to_string(), e))?;
        let doc: Json = serde_json::from_str(&text)
            .map_err(|e| Error::Profile(format!("{}: not valid JSON: {e}", path.display())))?;
        Profile::from_json(&doc).map_err(|e| match e {
            Error::Profile(m) => Error::Profile(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// The action and errno for a call, as the compiled filter decides it.
    pub fn decide(&self, arch: Arch, nr: u32, args: &[u64; 6]) -> (Action, Option<u32>) {
        if !self.architectures.contains(&arch) || (arch == Arch::X86_64 && nr >= 0x4000_0000) {
            return (self.default_action, self.default_errno_ret);
        }
        for r in &self.syscalls {
            let named = r
                .names
                .iter()
                .any(|n| sysgate_kb::number(arch, n) == Some(nr));
            if named && r.args.iter().all(|c| c.matches(args[c.index as usize])) {
                return (r.action, r.errno_ret.or(self.default_errno_ret));
            }
        }
        (self.default_action, self.default_errno_ret)
    }
}

/// Checks a document against the runtime-spec's `linux.seccomp` schema (config-linux.md and
/// schema/config-linux.json: required keys, value types, and the enumerations of actions,
/// architectures and operators). Returns every violation found.
pub fn validate_oci(doc: &Json) -> Vec<String> {
    const ACTIONS: &[&str] = &[
        "SCMP_ACT_KILL",
        "SCMP_ACT_KILL_PROCESS",
        "SCMP_ACT_KILL_THREAD",
        "SCMP_ACT_TRAP",
        "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE",
        "SCMP_ACT_ALLOW",
        "SCMP_ACT_LOG",
        "SCMP_ACT_NOTIFY",
    ];
    const ARCHES: &[&str] = &[
        "SCMP_ARCH_X86",
        "SCMP_ARCH_X86_64",
        "SCMP_ARCH_X32",
        "SCMP_ARCH_ARM",
        "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64",
        "SCMP_ARCH_MIPS64N32",
        "SCMP_ARCH_MIPSEL",
        "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32",
        "SCMP_ARCH_PPC",
        "SCMP_ARCH_PPC64",
        "SCMP_ARCH_PPC64LE",
        "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X",
        "SCMP_ARCH_PARISC",
        "SCMP_ARCH_PARISC64",
        "SCMP_ARCH_RISCV64",
        "SCMP_ARCH_LOONGARCH64",
    ];
    const OPS: &[&str] = &[
        "SCMP_CMP_NE",
        "SCMP_CMP_LT",
        "SCMP_CMP_LE",
        "SCMP_CMP_EQ",
        "SCMP_CMP_GE",
        "SCMP_CMP_GT",
        "SCMP_CMP_MASKED_EQ",
    ];
    const TOP: &[&str] = &[
        "defaultAction",
        "defaultErrnoRet",
        "architectures",
        "flags",
        "listenerPath",
        "listenerMetadata",
        "syscalls",
    ];
    let mut errs = Vec::new();
    let Some(obj) = doc.as_object() else {
        return vec!["not an object".into()];
    };
    for k in obj.keys() {
        if !TOP.contains(&k.as_str()) {
            errs.push(format!("unknown key `{k}`"));
        }
    }
    let is_u32 = |v: &Json| v.as_u64().is_some_and(|n| n <= u64::from(u32::MAX));
    match obj.get("defaultAction").and_then(Json::as_str) {
        Some(a) if ACTIONS.contains(&a) => {}
        _ => errs.push("defaultAction missing or not an action".into()),
    }
    if let Some(e) = obj.get("defaultErrnoRet")
        && !is_u32(e)
    {
        errs.push("defaultErrnoRet is not a uint32".into());
    }
    if let Some(a) = obj.get("architectures") {
        match a.as_array() {
            Some(list) => {
                for x in list {
                    if !x.as_str().is_some_and(|s| ARCHES.contains(&s)) {
                        errs.push(format!("architectures: `{x}` is not an architecture"));
                    }
                }
            }
            None => errs.push("architectures is not an array".into()),
        }
    }
    for (i, r) in obj
        .get("syscalls")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let Some(r) = r.as_object() else {
            errs.push(format!("syscalls[{i}] is not an object"));
            continue;
        };
        for k in r.keys() {
            if !["names", "action", "errnoRet", "args"].contains(&k.as_str()) {
                errs.push(format!("syscalls[{i}]: unknown key `{k}`"));
            }
        }
        match r.get("names").and_then(Json::as_array) {
            Some(n) if !n.is_empty() && n.iter().all(Json::is_string) => {}
            _ => errs.push(format!(
                "syscalls[{i}].names must be a non-empty array of strings"
            )),
        }
        if !r
            .get("action")
            .and_then(Json::as_str)
            .is_some_and(|a| ACTIONS.contains(&a))
        {
            errs.push(format!("syscalls[{i}].action missing or not an action"));
        }
        if let Some(e) = r.get("errnoRet")
            && !is_u32(e)
        {
            errs.push(format!("syscalls[{i}].errnoRet is not a uint32"));
        }
        for (j, a) in r
            .get("args")
            .and_then(Json::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if !a.get("index").is_some_and(is_u32) {
                errs.push(format!("syscalls[{i}].args[{j}].index is not a uint32"));
            }
            if !a.get("value").is_some_and(Json::is_u64) {
                errs.push(format!("syscalls[{i}].args[{j}].value is not a uint64"));
            }
            if let Some(v2) = a.get("valueTwo")
                && !v2.is_u64()
            {
                errs.push(format!("syscalls[{i}].args[{j}].valueTwo is not a uint64"));
            }
            if !a
                .get("op")
                .and_then(Json::as_str)
                .is_some_and(|o| OPS.contains(&o))
            {
                errs.push(format!("syscalls[{i}].args[{j}].op is not an operator"));
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_profiles_follow_the_runtime_spec_schema() {
        let p = Profile {
            default_action: Action::Errno,
            default_errno_ret: Some(1),
            architectures: vec![Arch::X86_64, Arch::I386],
            syscalls: vec![Rule {
                names: vec!["socket".into()],
                action: Action::Allow,
                errno_ret: None,
                args: vec![ArgCond {
                    index: 0,
                    value: 2,
                    value_two: 0,
                    op: Op::Eq,
                }],
                comment: Some("not written".into()),
            }],
        };
        assert_eq!(validate_oci(&p.to_json()), Vec::<String>::new());
        let bad = json!({"defaultAction": "ALLOW", "architectures": ["amd64"], "syscalls": [{"names": [], "action": "SCMP_ACT_ALLOW", "comment": "x", "args": [{"index": 0, "op": "EQ"}]}]});
        let errs = validate_oci(&bad);
        assert_eq!(errs.len(), 6, "{errs:?}");
    }

    #[test]
    fn json_round_trip_and_masked_eq_semantics() {
        let p = Profile {
            default_action: Action::Errno,
            default_errno_ret: Some(1),
            architectures: vec![Arch::X86_64],
            syscalls: vec![
                Rule {
                    names: vec!["read".into(), "write".into()],
                    action: Action::Allow,
                    errno_ret: None,
                    args: vec![],
                    comment: None,
                },
                Rule {
                    names: vec!["ioctl".into()],
                    action: Action::Allow,
                    errno_ret: None,
                    args: vec![ArgCond {
                        index: 1,
                        value: 0xffff_ffff,
                        value_two: 0x5401,
                        op: Op::MaskedEq,
                    }],
                    comment: None,
                },
            ],
        };
        let j = p.to_json();
        assert_eq!(j["syscalls"][1]["args"][0]["value"], 0xffff_ffffu64);
        assert_eq!(j["syscalls"][1]["args"][0]["valueTwo"], 0x5401);
        assert_eq!(Profile::from_json(&j).unwrap(), p);
        let ioctl = sysgate_kb::number(Arch::X86_64, "ioctl").unwrap();
        assert_eq!(
            p.decide(Arch::X86_64, ioctl, &[0, 0x5401, 0, 0, 0, 0]).0,
            Action::Allow
        );
        // TIOCSTI smuggled with high bits set does not match the allowed request…
        assert_eq!(
            p.decide(Arch::X86_64, ioctl, &[0, 0x5412, 0, 0, 0, 0]).0,
            Action::Errno
        );
        // …and high bits on an allowed request are masked away consistently.
        assert_eq!(
            p.decide(Arch::X86_64, ioctl, &[0, 0x1_0000_5401, 0, 0, 0, 0])
                .0,
            Action::Allow
        );
        assert_eq!(p.decide(Arch::I386, 3, &[0; 6]).0, Action::Errno);
        assert_eq!(
            p.decide(Arch::X86_64, 0x4000_0000, &[0; 6]).0,
            Action::Errno
        );
    }

    #[test]
    fn bad_profiles_name_the_field() {
        let cases = [
            (json!([]), "JSON object"),
            (json!({"defaultAction": "SCMP_ACT_NOPE"}), "defaultAction"),
            (
                json!({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["opne"], "action": "SCMP_ACT_ALLOW"}]}),
                "did you mean open",
            ),
            (
                json!({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 7, "value": 1, "op": "SCMP_CMP_EQ"}]}]}),
                "syscalls[0].args[0].index",
            ),
            (
                json!({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "LIKE"}]}]}),
                "unknown comparison",
            ),
            (
                json!({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["amd64"]}),
                "architectures",
            ),
        ];
        for (doc, msg) in cases {
            let e = Profile::from_json(&doc).unwrap_err().to_string();
            assert!(e.contains(msg), "{doc}: {e}");
        }
    }

    #[test]
    fn whole_oci_config_is_accepted() {
        let doc = json!({"ociVersion": "1.0.2", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW"}}});
        assert_eq!(
            Profile::from_json(&doc).unwrap().default_action,
            Action::Allow
        );
    }
}
