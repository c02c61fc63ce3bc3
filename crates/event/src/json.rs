//! JSON Lines: one object per event, written by hand (no per-event allocation).
//!
//! The schema is documented in `docs/json.md`; every field named there is always present.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::render::{self, arg_type};
use crate::{
    IoDump, Phase, SignalEvent, Sink, SyscallEvent, Tampered, TaskChange, TaskEvent, Value,
};
use sysgate_kb::symbols;

/// Renders strace text with `render` into a reused buffer and appends it as a JSON string, so
/// that the text of every argument of every event does not allocate.
fn rendered_into(out: &mut String, render: impl FnOnce(&mut String)) {
    thread_local!(static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) });
    SCRATCH.with(|t| {
        let mut t = t.borrow_mut();
        t.clear();
        render(&mut t);
        string_into(&t, out);
    });
}

/// Appends the strace text of `v` as a JSON string.
fn text_into(ev: &SyscallEvent, v: &Value, out: &mut String) {
    rendered_into(out, |t| render::value_into(ev, v, t));
}

/// Appends `s` as a JSON string literal.
pub fn string_into(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn bytes_into(b: &[u8], out: &mut String) {
    string_into(&String::from_utf8_lossy(b), out);
}

/// Appends the structured JSON form of one decoded value.
pub fn value_into(ev: &SyscallEvent, v: &Value, out: &mut String) {
    match v {
        Value::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Value::UInt(n) | Value::Hex(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Fd(fd) | Value::DirFd(fd) => {
            let _ = write!(out, "{fd}");
        }
        Value::FdPath { fd, path } => {
            let _ = write!(out, "{{\"fd\":{fd},\"path\":");
            bytes_into(ev.slice(*path), out);
            out.push('}');
        }
        Value::Addr(a) | Value::Unreadable(a) => {
            let _ = write!(out, "{a}");
        }
        Value::Struct { name, addr } => {
            let _ = write!(out, "{{\"struct\":\"{name}\",\"addr\":{addr}}}");
        }
        Value::Str { bytes, truncated } => {
            out.push_str("{\"str\":");
            bytes_into(ev.slice(*bytes), out);
            let _ = write!(out, ",\"truncated\":{truncated}}}");
        }
        Value::Flags(set, bits) => {
            let _ = write!(out, "{{\"raw\":{bits},\"flags\":[");
            let text = set.format(*bits);
            for (i, name) in text.split('|').enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string_into(name, out);
            }
            out.push_str("]}");
        }
        Value::Enum(set, n) => {
            let _ = write!(out, "{{\"raw\":{},\"name\":", *n as i64);
            match set.name_of(*n) {
                Some(name) => string_into(name, out),
                None => out.push_str("null"),
            }
            out.push('}');
        }
        Value::Mode(m) => {
            let _ = write!(out, "{{\"raw\":{m},\"octal\":\"{:04o}\"}}", m & 0o7777);
        }
        Value::Signal(s) => {
            let _ = write!(out, "{{\"raw\":{s},\"name\":");
            match render::signal_name(*s) {
                Some(name) => string_into(&name, out),
                None => out.push_str("null"),
            }
            out.push('}');
        }
        Value::Ioctl(_) | Value::ClockId(_) => {
            let raw = match v {
                Value::Ioctl(r) => *r as i64,
                Value::ClockId(c) => i64::from(*c),
                _ => 0,
            };
            let _ = write!(out, "{{\"raw\":{raw},\"name\":");
            text_into(ev, v, out);
            out.push('}');
        }
        Value::StrArray { items, more } => {
            out.push_str("{\"items\":[");
            for (i, b) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                bytes_into(ev.slice(*b), out);
            }
            let _ = write!(out, "],\"truncated\":{more}}}");
        }
        Value::EnvCount { addr, count } => {
            let _ = write!(out, "{{\"addr\":{addr},\"count\":{count}}}");
        }
        Value::FdPair(a, b) => {
            let _ = write!(out, "[{a},{b}]");
        }
        Value::Record(fields) => {
            out.push('{');
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string_into(f.name, out);
                out.push(':');
                value_into(ev, &f.value, out);
            }
            out.push('}');
        }
        Value::Array { items, more } => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                value_into(ev, v, out);
            }
            if *more {
                out.push_str(if items.is_empty() {
                    "\"...\""
                } else {
                    ",\"...\""
                });
            }
            out.push(']');
        }
        Value::NumSet { items, more } => {
            out.push('[');
            for (i, n) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{n}");
            }
            if *more {
                out.push_str(if items.is_empty() {
                    "\"...\""
                } else {
                    ",\"...\""
                });
            }
            out.push(']');
        }
        Value::SigSet { mask, bits } => {
            let _ = write!(out, "{{\"raw\":{mask},\"signals\":[");
            let mut first = true;
            for i in 0..u32::from((*bits).min(64)) {
                if mask & (1u64 << i) == 0 {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                match render::signal_name(i as i32 + 1) {
                    Some(name) => string_into(&name, out),
                    None => {
                        let _ = write!(out, "{}", i + 1);
                    }
                }
            }
            out.push_str("]}");
        }
        Value::WaitStatus(st) => {
            let s = *st;
            let _ = write!(out, "{{\"raw\":{s},");
            let sig_json = |n: i32, out: &mut String| match render::signal_name(n) {
                Some(name) => string_into(&name, out),
                None => {
                    let _ = write!(out, "{n}");
                }
            };
            if s & 0xff == 0x7f {
                out.push_str("\"stopped\":true,\"signal\":");
                sig_json((s >> 8) & 0x7f, out);
            } else if s & 0x7f != 0 {
                out.push_str("\"signaled\":true,\"signal\":");
                sig_json(s & 0x7f, out);
                let _ = write!(out, ",\"core_dumped\":{}", s & 0x80 != 0);
            } else if s & 0xffff == 0xffff {
                out.push_str("\"continued\":true");
            } else {
                let _ = write!(out, "\"exited\":true,\"code\":{}", (s >> 8) & 0xff);
            }
            out.push('}');
        }
        Value::SigInfo(i) => {
            out.push_str("{\"signo\":");
            match render::signal_name(i.signo) {
                Some(name) => string_into(&name, out),
                None => {
                    let _ = write!(out, "{}", i.signo);
                }
            }
            let _ = write!(
                out,
                ",\"code\":{},\"errno\":{},\"pid\":{},\"uid\":{},\"status\":{},\"addr\":{},\"utime\":{},\"stime\":{}}}",
                i.code, i.errno, i.pid, i.uid, i.status, i.addr, i.utime, i.stime
            );
        }
        Value::Call { func, args } => {
            // Conversions whose argument is the value itself: give the value.
            let natural = match *func {
                "htons" | "htonl" | "inet_addr" | "if_nametoindex" => args.first(),
                "inet_pton" => args.get(1),
                _ => None,
            };
            match natural {
                Some(v) => value_into(ev, v, out),
                None => {
                    out.push_str("{\"call\":");
                    string_into(func, out);
                    out.push_str(",\"args\":[");
                    for (i, v) in args.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        value_into(ev, v, out);
                    }
                    out.push_str("]}");
                }
            }
        }
        Value::Sym(s) => string_into(s, out),
        Value::Const { raw, name } => {
            let _ = write!(out, "{{\"raw\":{raw},\"name\":");
            string_into(name, out);
            out.push('}');
        }
        Value::Rlim(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Octal(n) => {
            let _ = write!(out, "{{\"raw\":{n},\"octal\":\"{n:o}\"}}");
        }
        Value::Comment { value, .. } | Value::Labeled { value, .. } => value_into(ev, value, out),
        Value::Changed { before, after } => {
            out.push_str("{\"before\":");
            value_into(ev, before, out);
            out.push_str(",\"after\":");
            value_into(ev, after, out);
            out.push('}');
        }
        Value::HexStr { bytes, truncated } => {
            out.push_str("{\"hex\":\"");
            for b in ev.slice(*bytes) {
                let _ = write!(out, "{b:02x}");
            }
            let _ = write!(out, "\",\"truncated\":{truncated}}}");
        }
        Value::AbstractPath(b) => {
            out.push_str("{\"abstract\":");
            bytes_into(ev.slice(*b), out);
            out.push('}');
        }
        Value::PidComm { pid, comm } => {
            let _ = write!(out, "{{\"pid\":{pid},\"comm\":");
            bytes_into(ev.slice(*comm), out);
            out.push('}');
        }
        Value::Text(b) => bytes_into(ev.slice(*b), out),
        Value::Omitted | Value::Pending => out.push_str("null"),
    }
}

/// Appends the JSON object of a completed (or unfinished) syscall, without a newline.
pub fn syscall_into(ev: &SyscallEvent, out: &mut String) {
    let _ = write!(
        out,
        "{{\"type\":\"syscall\",\"ts_ns\":{},\"pid\":{},\"tid\":{},\"arch\":\"{}\",\"nr\":{},\"name\":",
        ev.ts_ns, ev.pid, ev.tid, ev.arch, ev.nr
    );
    string_into(&ev.name(), out);
    out.push_str(",\"category\":");
    match ev.syscall {
        Some(s) => string_into(s.category.name(), out),
        None => out.push_str("null"),
    }
    let _ = write!(
        out,
        ",\"raw_args\":[{},{},{},{},{},{}],\"args\":[",
        ev.args[0], ev.args[1], ev.args[2], ev.args[3], ev.args[4], ev.args[5]
    );
    let mut first = true;
    for (i, v) in ev.decoded.iter().enumerate() {
        if matches!(v, Value::Omitted) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str("{\"name\":");
        // A labeled value stands for the signature argument it names (clone's reordering).
        let i = match v {
            Value::Labeled { arg, .. } => usize::from(*arg),
            _ => i,
        };
        let arg = ev.syscall.and_then(|s| s.args.get(i));
        string_into(arg.map_or("?", |a| a.name), out);
        out.push_str(",\"type\":");
        // Type spellings are identifiers, digits and colons: nothing to escape.
        match arg_type(ev, i) {
            Some(t) => {
                let _ = write!(out, "\"{t}\"");
            }
            None => out.push_str("\"hex\""),
        }
        out.push_str(",\"value\":");
        value_into(ev, v, out);
        out.push_str(",\"text\":");
        text_into(ev, v, out);
        out.push('}');
    }
    out.push(']');
    match ev.phase {
        Phase::Completed => {
            let _ = write!(out, ",\"ret\":{}", ev.ret);
            match ev.errno().and_then(symbols::errno) {
                Some(e) => {
                    out.push_str(",\"errno\":");
                    string_into(e.name, out);
                }
                None if ev.errno().is_some() => {
                    let _ = write!(out, ",\"errno\":\"E{}\"", -ev.ret);
                }
                None => out.push_str(",\"errno\":null"),
            }
        }
        _ => out.push_str(",\"ret\":null,\"errno\":null"),
    }
    out.push_str(",\"ret_info\":");
    if ev.phase == Phase::Completed && ev.errno().is_none() && !ev.ret_note.is_empty() {
        out.push('{');
        for (i, (label, v)) in ev.ret_note.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string_into(if label.is_empty() { "value" } else { label }, out);
            out.push(':');
            value_into(ev, v, out);
        }
        out.push('}');
    } else {
        out.push_str("null");
    }
    out.push_str(",\"ret_text\":");
    if ev.phase == Phase::Completed {
        rendered_into(out, |t| {
            render::return_value_into(ev, t);
            // The text without the leading `= `.
            t.drain(..t.len().min(2));
        });
    } else {
        out.push_str("null");
    }
    let _ = write!(
        out,
        ",\"duration_ns\":{},\"unfinished\":{}",
        ev.duration_ns,
        ev.phase != Phase::Completed
    );
    if ev.tampered != 0 {
        out.push_str(",\"injected\":[");
        let names = [
            (Tampered::RETVAL, "retval"),
            (Tampered::ARGS, "args"),
            (Tampered::DELAYED, "delay"),
            (Tampered::SIGNAL, "signal"),
        ];
        let mut first = true;
        for (bit, name) in names {
            if ev.tampered & bit != 0 {
                if !first {
                    out.push(',');
                }
                first = false;
                string_into(name, out);
            }
        }
        out.push(']');
    }
    if !ev.stack.is_empty() {
        stack_json_into(ev, out);
    }
    if !ev.dumps.is_empty() {
        dumps_into(ev, out);
    }
    out.push('}');
}

/// `"stack":[…]`: the `-k` frames, innermost first.
fn stack_json_into(ev: &SyscallEvent, out: &mut String) {
    out.push_str(",\"stack\":[");
    for (i, f) in ev.stack.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{{\"pc\":\"{:#x}\",\"module\":", f.pc);
        match &f.module {
            Some(m) => string_into(m, out),
            None => out.push_str("null"),
        }
        let _ = write!(out, ",\"offset\":\"{:#x}\",\"function\":", f.module_offset);
        match &f.function {
            Some(n) => string_into(n, out),
            None => out.push_str("null"),
        }
        match f.function_offset {
            Some(o) => {
                let _ = write!(out, ",\"function_offset\":{o}");
            }
            None => out.push_str(",\"function_offset\":null"),
        }
        match &f.location {
            Some((file, line)) => {
                out.push_str(",\"file\":");
                string_into(file, out);
                let _ = write!(out, ",\"line\":{line}");
            }
            None => out.push_str(",\"file\":null,\"line\":null"),
        }
        let _ = write!(out, ",\"inlined\":{}}}", f.inlined);
    }
    out.push(']');
}

/// `"dumps":[…]`: the `-e read=`/`-e write=` data, one object per piece, bytes in hex.
fn dumps_into(ev: &SyscallEvent, out: &mut String) {
    out.push_str(",\"dumps\":[");
    for (i, d) in ev.dumps.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match *d {
            IoDump::Data { bytes, len } => {
                let _ = write!(out, "{{\"len\":{len},\"hex\":\"");
                for b in ev.slice(bytes) {
                    let _ = write!(out, "{b:02x}");
                }
                out.push_str("\"}");
            }
            IoDump::Buffer { index, len } => {
                let _ = write!(out, "{{\"buffer\":{index},\"len\":{len}}}");
            }
            IoDump::Vector { index, buffers } => {
                let _ = write!(out, "{{\"vector\":{index},\"buffers\":{buffers}}}");
            }
            IoDump::Unreadable { len, addr } => {
                let _ = write!(out, "{{\"unreadable\":{len},\"addr\":\"{addr:#x}\"}}");
            }
            IoDump::Cut { len } => {
                let _ = write!(out, "{{\"not_dumped\":{len}}}");
            }
        }
    }
    out.push(']');
}

/// A sink writing one JSON object per event.
pub struct JsonPrinter<W: Write> {
    out: W,
    line: String,
}

impl<W: Write> JsonPrinter<W> {
    /// A printer writing to `out`.
    pub fn new(out: W) -> Self {
        JsonPrinter {
            out,
            line: String::with_capacity(512),
        }
    }

    /// Consumes the printer, returning the writer.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn emit(&mut self) -> io::Result<()> {
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())
    }
}

impl<W: Write> Sink for JsonPrinter<W> {
    fn syscall_exit(&mut self, ev: &SyscallEvent) -> io::Result<()> {
        self.line.clear();
        syscall_into(ev, &mut self.line);
        self.emit()
    }

    fn signal(&mut self, ev: &SignalEvent) -> io::Result<()> {
        self.line.clear();
        let i = &ev.info;
        let _ = write!(
            self.line,
            "{{\"type\":\"signal\",\"ts_ns\":{},\"pid\":{},\"tid\":{},\"signal\":",
            ev.ts_ns, ev.pid, ev.tid
        );
        string_into(
            symbols::signal_name(i.signo).unwrap_or("SIG?"),
            &mut self.line,
        );
        let _ = write!(
            self.line,
            ",\"signo\":{},\"code\":{},\"sender_pid\":{},\"sender_uid\":{},\"status\":{},\"addr\":{}}}",
            i.signo, i.code, i.pid, i.uid, i.status, i.addr
        );
        self.emit()
    }

    fn aggregate(&mut self, ev: &crate::AggregateEvent) -> io::Result<()> {
        self.line.clear();
        let _ = write!(
            self.line,
            "{{\"type\":\"aggregate\",\"start_ns\":{},\"end_ns\":{},\"pid\":{},\"arch\":\"{}\",\"nr\":{},\"name\":",
            ev.start_ns, ev.end_ns, ev.pid, ev.arch, ev.nr
        );
        let syscall = sysgate_kb::lookup(ev.arch, u64::from(ev.nr));
        match syscall {
            Some(s) => string_into(s.name, &mut self.line),
            None => string_into(&format!("syscall_{:#x}", ev.nr), &mut self.line),
        }
        self.line.push_str(",\"category\":");
        match syscall {
            Some(s) => string_into(s.category.name(), &mut self.line),
            None => self.line.push_str("null"),
        }
        let _ = write!(
            self.line,
            ",\"calls\":{},\"errors\":{},\"total_ns\":{},\"max_ns\":{},\"log2_hist\":[",
            ev.calls, ev.errors, ev.total_ns, ev.max_ns
        );
        // Up to the last bucket that is not zero.
        let used = ev
            .log2_hist
            .iter()
            .rposition(|&n| n != 0)
            .map_or(0, |i| i + 1);
        for (i, n) in ev.log2_hist[..used].iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            let _ = write!(self.line, "{n}");
        }
        self.line.push_str("]}");
        self.emit()
    }

    fn task(&mut self, ev: &TaskEvent) -> io::Result<()> {
        self.line.clear();
        let _ = write!(
            self.line,
            "{{\"type\":\"task\",\"ts_ns\":{},\"pid\":{},\"tid\":{},",
            ev.ts_ns, ev.pid, ev.tid
        );
        match ev.change {
            TaskChange::Exited(code) => {
                let _ = write!(self.line, "\"event\":\"exited\",\"code\":{code}}}");
            }
            TaskChange::Killed { signal, core } => {
                let _ = write!(self.line, "\"event\":\"killed\",\"signal\":");
                string_into(
                    symbols::signal_name(signal).unwrap_or("SIG?"),
                    &mut self.line,
                );
                let _ = write!(self.line, ",\"core_dumped\":{core}}}");
            }
            TaskChange::Stopped(sig) => {
                let _ = write!(self.line, "\"event\":\"stopped\",\"signal\":");
                string_into(symbols::signal_name(sig).unwrap_or("SIG?"), &mut self.line);
                self.line.push('}');
            }
            TaskChange::Attached => self.line.push_str("\"event\":\"attached\"}"),
            TaskChange::Named { .. } => {
                self.line.push_str("\"event\":\"named\",\"comm\":");
                string_into(&ev.change.comm().unwrap_or_default(), &mut self.line);
                self.line.push('}');
            }
            TaskChange::Detached => self.line.push_str("\"event\":\"detached\"}"),
            TaskChange::Superseded { former_tid } => {
                let _ = write!(
                    self.line,
                    "\"event\":\"superseded\",\"former_tid\":{former_tid}}}"
                );
            }
        }
        self.emit()
    }

    fn idle(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregate_object_is_valid_json() {
        let mut log2_hist = [0u64; crate::AGGREGATE_BUCKETS];
        log2_hist[2] = 4;
        log2_hist[10] = 1;
        let mut p = JsonPrinter::new(Vec::new());
        p.aggregate(&crate::AggregateEvent {
            start_ns: 10,
            end_ns: 20,
            pid: 7,
            arch: sysgate_kb::Arch::X86_64,
            nr: 1,
            calls: 5,
            errors: 1,
            total_ns: 1500,
            max_ns: 1100,
            log2_hist,
        })
        .unwrap();
        let out = String::from_utf8(p.into_inner()).unwrap();
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["type"], "aggregate");
        assert_eq!(v["name"], "write");
        assert_eq!(v["calls"], 5);
        assert_eq!(v["log2_hist"].as_array().unwrap().len(), 11);
        assert_eq!(v["log2_hist"][10], 1);
    }

    #[test]
    fn syscall_object_is_valid_json() {
        let mut e = SyscallEvent::new();
        e.syscall = sysgate_kb::by_name("openat");
        e.nr = 257;
        e.phase = Phase::Completed;
        e.bytes.extend_from_slice(b"/tmp/\"x\"\n");
        e.decoded = vec![
            Value::DirFd(-100),
            Value::Str {
                bytes: crate::Bytes { start: 0, len: 9 },
                truncated: false,
            },
            Value::Flags(symbols::flag_set("open").unwrap(), 0o2000101),
            Value::Mode(0o644),
        ];
        e.ret = -2;
        e.is_error = true;
        let mut s = String::new();
        syscall_into(&e, &mut s);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["name"], "openat");
        assert_eq!(v["errno"], "ENOENT");
        assert_eq!(v["args"][1]["value"]["str"], "/tmp/\"x\"\n");
        assert_eq!(
            v["args"][2]["value"]["flags"],
            serde_json::json!(["O_WRONLY", "O_CREAT", "O_CLOEXEC"])
        );
        assert_eq!(v["args"][3]["value"]["octal"], "0644");
    }

    #[test]
    fn rich_values_are_structured_json() {
        use crate::{Field, Show};
        let mut e = SyscallEvent::new();
        e.syscall = sysgate_kb::by_name("accept4");
        e.phase = Phase::Completed;
        let ip = e.push_bytes(b"127.0.0.1");
        let hidden = Field {
            name: "st_ino",
            value: Value::UInt(7),
            show: Show::Hidden,
        };
        e.decoded = vec![
            Value::Fd(3),
            Value::Record(vec![
                Field::new(
                    "sa_family",
                    Value::Enum(symbols::enum_set("af").unwrap(), 2),
                ),
                Field::new(
                    "sin_port",
                    Value::Call {
                        func: "htons",
                        args: vec![Value::UInt(5432)],
                    },
                ),
                Field::new(
                    "sin_addr",
                    Value::Call {
                        func: "inet_addr",
                        args: vec![Value::Str {
                            bytes: ip,
                            truncated: false,
                        }],
                    },
                ),
                hidden,
            ]),
            Value::Array {
                items: vec![Value::Changed {
                    before: Box::new(Value::UInt(128)),
                    after: Box::new(Value::UInt(16)),
                }],
                more: false,
            },
            Value::Flags(symbols::flag_set("sockflags").unwrap(), 0x80000),
        ];
        e.ret = 5;
        e.ret_note.push(("", Value::SigSet { mask: 3, bits: 64 }));
        let mut s = String::new();
        syscall_into(&e, &mut s);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        let addr = &v["args"][1]["value"];
        assert_eq!(addr["sin_port"], 5432);
        assert_eq!(addr["sin_addr"]["str"], "127.0.0.1");
        assert_eq!(addr["st_ino"], 7, "hidden fields are in the JSON");
        assert_eq!(v["args"][2]["value"][0]["before"], 128);
        assert_eq!(v["ret_info"]["value"]["signals"][1], "SIGINT");
        assert!(v["args"][1]["text"].as_str().unwrap().ends_with(", ...}"));
        for w in [
            Value::WaitStatus(0x100),
            Value::NumSet {
                items: vec![0, 1],
                more: true,
            },
            Value::HexStr {
                bytes: ip,
                truncated: true,
            },
            Value::Rlim(u64::MAX),
            Value::Octal(0o22),
            Value::AbstractPath(ip),
            Value::Text(ip),
            Value::Sym("Timeout"),
        ] {
            let mut t = String::new();
            value_into(&e, &w, &mut t);
            let _: serde_json::Value =
                serde_json::from_str(&t).unwrap_or_else(|err| panic!("{t}: {err}"));
        }
    }
}
