//! Writes a synthetic `.sgt` recording of N events (default 5 000 000) with a backend-like mix:
//! small reads and writes on a few fds, opens of a handful of paths (some failing), closes,
//! futex waits and mmaps across 8 threads. Used by `benches/summary.sh` to measure how fast
//! `summary` and `export` read, and how many bytes an event costs.
//!
//! Usage: cargo run --release -p sysgate-analyze --example synth_trace -- OUT.sgt [N]

use std::path::PathBuf;

use sysgate_event::sgt::{Header, Writer};
use sysgate_event::{Bytes, Phase, Sink, SyscallEvent, Value};
use sysgate_kb::{Arch, ArgType};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "synth.sgt".into()));
    let n: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(5_000_000);
    let header = Header {
        sysgate_version: env!("CARGO_PKG_VERSION").into(),
        backend: "synthetic".into(),
        arch: "x86_64".into(),
        kernel: "synthetic".into(),
        hostname: "bench".into(),
        start_ns: 1_700_000_000_000_000_000,
        command: vec!["synth".into()],
        ..Header::default()
    };
    let mut w = Writer::create(&out, &header)?;
    let mut ev = SyscallEvent::new();
    let paths = [
        "/etc/app/config.toml",
        "/var/lib/app/data.db",
        "/usr/lib/libmissing.so",
    ];
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut ts = header.start_ns;
    for i in 0..n {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        ts += 500 + rng % 3000;
        let tid = 1000 + (rng >> 20) as u32 % 8;
        let pick = rng % 100;
        let (name, args, ret): (&str, [u64; 6], i64) = match pick {
            0..=39 => (
                "read",
                [3 + (rng >> 8) % 4, 0x7f00_0000_1000, 4096, 0, 0, 0],
                64,
            ),
            40..=74 => ("write", [1, 0x7f00_0000_2000, 12, 0, 0, 0], 12),
            75..=82 => {
                let p = (rng >> 12) as usize % paths.len();
                (
                    "openat",
                    [
                        (-100i64) as u64,
                        0x5555_0000_0000 + p as u64,
                        0o2000000,
                        0,
                        0,
                        0,
                    ],
                    if p == 2 { -2 } else { 5 },
                )
            }
            83..=89 => ("close", [5, 0, 0, 0, 0, 0], 0),
            90..=96 => ("futex", [0x7f00_0000_3000, 128, 2, 0, 0, 0], 0),
            _ => ("mmap", [0, 8192, 3, 0x22, u64::MAX, 0], 0x7f00_1000_0000),
        };
        ev.ts_ns = ts;
        ev.pid = 1000;
        ev.tid = tid;
        ev.arch = Arch::X86_64;
        ev.syscall = sysgate_kb::by_name(name);
        ev.nr = sysgate_kb::number(Arch::X86_64, name).unwrap_or(0);
        ev.args = args;
        ev.ret = ret;
        ev.is_error = ret < 0;
        ev.duration_ns = 200 + (rng >> 40) % 5000;
        ev.phase = Phase::Completed;
        ev.bytes.clear();
        ev.decoded.clear();
        if let Some(sc) = ev.syscall {
            for (a, arg) in sc.args.iter().enumerate() {
                let v = match arg.ty {
                    ArgType::Path => {
                        let p = paths[(args[a] & 0xf) as usize % paths.len()];
                        let start = ev.bytes.len() as u32;
                        ev.bytes.extend_from_slice(p.as_bytes());
                        Value::Str {
                            bytes: Bytes {
                                start,
                                len: p.len() as u32,
                            },
                            truncated: false,
                        }
                    }
                    ArgType::InBuf { .. } | ArgType::OutBuf { .. } => {
                        let start = ev.bytes.len() as u32;
                        let len = (ret.max(0) as usize).min(32);
                        ev.bytes
                            .extend(std::iter::repeat_n(b'a' + (i % 26) as u8, len));
                        Value::Str {
                            bytes: Bytes {
                                start,
                                len: len as u32,
                            },
                            truncated: ret > 32,
                        }
                    }
                    _ => Value::from_register(arg.ty, args[a], Arch::X86_64)
                        .unwrap_or(Value::Hex(args[a])),
                };
                ev.decoded.push(v);
            }
        }
        w.syscall_exit(&ev)?;
    }
    w.finish()?;
    eprintln!(
        "wrote {n} events, {} bytes, to {}",
        w.bytes_written(),
        out.display()
    );
    Ok(())
}
