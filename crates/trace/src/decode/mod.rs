//! Raw registers + tracee memory → [`Value`]s, driven by the knowledge base's argument types.
//!
//! Input arguments are decoded at syscall entry (the tracee may change or unmap them before
//! the call returns); output arguments at exit, and only when the call succeeded (on failure
//! they print as addresses, like strace).
//!
//! The work is split so that almost everything can be tested without a process:
//!
//! - [`Memory`] abstracts tracee reads; [`crate::mem::Mem`] is the real one, tests use a fake.
//! - [`structs`] and [`net`] hold *pure* decoders, `fn(&[u8], &mut Cx) -> Option<Value>` over
//!   bytes already read, plus the few that follow pointers through a [`Memory`].
//! - [`special`] holds what strace does per syscall beyond the signature: arguments a command
//!   does not use (fcntl, futex, prctl), clone's named arguments, return-value annotations
//!   (`= 0x8002 (flags O_RDWR)`, `(Timeout)`), in/out values (`[128 => 16]`).
//! - [`consts`] has the symbol tables strace prints that the knowledge base does not carry.
//!
//! Every count read from the tracee is capped, and every length is checked against the bytes
//! actually read: hostile or garbage input yields an address or a shortened value, never a panic.

/// The symbol tables the decoder prints with, from the knowledge base.
pub use sysgate_kb::strace as consts;
pub mod dump;
pub mod net;
pub mod special;
pub mod structs;

use sysgate_event::{Bytes, HexStrings, SyscallEvent, Value, Xlat};
use sysgate_kb::{Arch, ArgType, RetType};

use crate::mem::Mem;

/// Longest path read (PATH_MAX).
pub(crate) const PATH_MAX: usize = 4096;
/// Most argv elements shown.
const ARGV_MAX: usize = 64;
/// Most environment entries counted.
const ENV_MAX: usize = 4096;
/// Most elements of any array decoded (strace also stops at `-s` elements).
pub const ARRAY_MAX: usize = 1024;
/// Largest structure or buffer read in one piece.
pub const READ_MAX: usize = 64 * 1024;
/// `O_CREAT`
const O_CREAT: u64 = 0o100;
/// `O_TMPFILE` without `O_DIRECTORY`
const O_TMPFILE: u64 = 0o20000000;

/// What to decode and how much.
#[derive(Debug, Clone, Copy)]
pub struct DecodeOptions {
    /// Bytes shown of strings and buffers (`-s`); also the most array elements shown.
    pub string_limit: usize,
    /// Show what fds refer to (`-y`): `3</etc/passwd>`, `4<socket:[1234]>`.
    pub fd_paths: bool,
    /// Show structures and environments in full (`-v`).
    pub verbose: bool,
    /// Show a character or block device's numbers after its path: `3</dev/null<char 1:3>>`
    /// (`-yy`, `--decode-fds=dev`).
    pub fd_devices: bool,
    /// Show the process a pidfd refers to: `3<pid:1234>` (`-yy`, `--decode-fds=pidfd`).
    pub fd_pidfds: bool,
    /// Resolve sockets to their endpoints through `/proc/PID/net`
    /// (`-yy`): `3<TCP:[127.0.0.1:5432->127.0.0.1:41000]>`, `5<UNIX:[1234,"/run/x.sock"]>`.
    pub fd_endpoints: bool,
    /// How flags and named constants print (`-X abbrev|raw|verbose`).
    pub xlat: Xlat,
    /// Which strings print in hex (`-x`, `-xx`).
    pub hex: HexStrings,
    /// The calls whose structures are shown (`-e verbose=SET`); the others print pointers to
    /// structures as addresses. `None`: every call.
    pub verbose_set: Option<&'static crate::filter::Selection>,
    /// Show the command of each process id (`-Y`, `--decode-pids=comm`): `1234<sleep>`.
    pub pid_comm: bool,
    /// Descriptors whose reads are hex-dumped (`-e read=`).
    pub dump_read: Option<&'static dump::FdSet>,
    /// Descriptors whose writes are hex-dumped (`-e write=`).
    pub dump_write: Option<&'static dump::FdSet>,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            string_limit: 32,
            fd_paths: false,
            fd_devices: false,
            fd_pidfds: false,
            verbose: false,
            fd_endpoints: false,
            xlat: Xlat::Abbrev,
            hex: HexStrings::None,
            pid_comm: false,
            verbose_set: None,
            dump_read: None,
            dump_write: None,
        }
    }
}

/// Reads of tracee memory. [`Mem`] is the real implementation; tests use an in-memory map.
pub trait Memory {
    /// Fills as much of `buf` from `addr` as is readable; returns the number of bytes read.
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize;

    /// Appends the NUL-terminated string at `addr` to `out`, at most `max` bytes. Returns
    /// `None` when nothing could be read, else `Some(truncated)`.
    fn read_cstr(&mut self, addr: u64, max: usize, out: &mut Vec<u8>) -> Option<bool> {
        if addr == 0 {
            return None;
        }
        let mut chunk = [0u8; 64];
        let mut total = 0usize;
        let mut a = addr;
        loop {
            let want = chunk.len().min(max + 1 - total).max(1);
            let n = self.read(a, &mut chunk[..want]);
            if n == 0 {
                return if total == 0 { None } else { Some(true) };
            }
            if let Some(nul) = chunk[..n].iter().position(|&b| b == 0) {
                let take = nul.min(max - total);
                out.extend_from_slice(&chunk[..take]);
                return Some(nul > max - total);
            }
            let room = max - total;
            if n > room {
                out.extend_from_slice(&chunk[..room]);
                return Some(true);
            }
            out.extend_from_slice(&chunk[..n]);
            total += n;
            a = a.wrapping_add(n as u64);
            if total >= max {
                let mut probe = [0u8; 1];
                return Some(self.read(a, &mut probe) == 1 && probe[0] != 0);
            }
            if n < want {
                return Some(true);
            }
        }
    }
}

impl Memory for Mem {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        Mem::read(self, addr, buf)
    }

    fn read_cstr(&mut self, addr: u64, max: usize, out: &mut Vec<u8>) -> Option<bool> {
        Mem::read_cstr(self, addr, max, out)
    }
}

/// Reads exactly `len` bytes (capped at [`READ_MAX`]), or `None`.
pub fn read_exact(mem: &mut dyn Memory, addr: u64, len: usize) -> Option<Vec<u8>> {
    if addr == 0 || len > READ_MAX {
        return None;
    }
    let mut v = vec![0u8; len];
    (mem.read(addr, &mut v) == len).then_some(v)
}

/// Reads up to `len` bytes (capped at [`READ_MAX`]); returns what was readable.
pub fn read_upto(mem: &mut dyn Memory, addr: u64, len: usize) -> Vec<u8> {
    if addr == 0 {
        return Vec::new();
    }
    let mut v = vec![0u8; len.min(READ_MAX)];
    let n = mem.read(addr, &mut v);
    v.truncate(n);
    v
}

/// Little-endian field reads from a byte slice, `None` past the end.
#[derive(Clone, Copy)]
pub struct Rd<'a>(pub &'a [u8]);

impl Rd<'_> {
    /// `N` bytes at `off`.
    pub fn arr<const N: usize>(&self, off: usize) -> Option<[u8; N]> {
        self.0.get(off..off.checked_add(N)?)?.try_into().ok()
    }
    /// u8 at `off`.
    pub fn u8(&self, off: usize) -> Option<u8> {
        self.0.get(off).copied()
    }
    /// u16 at `off`.
    pub fn u16(&self, off: usize) -> Option<u16> {
        self.arr(off).map(u16::from_le_bytes)
    }
    /// i16 at `off`.
    pub fn i16(&self, off: usize) -> Option<i16> {
        self.arr(off).map(i16::from_le_bytes)
    }
    /// u32 at `off`.
    pub fn u32(&self, off: usize) -> Option<u32> {
        self.arr(off).map(u32::from_le_bytes)
    }
    /// i32 at `off`.
    pub fn i32(&self, off: usize) -> Option<i32> {
        self.arr(off).map(i32::from_le_bytes)
    }
    /// u64 at `off`.
    pub fn u64(&self, off: usize) -> Option<u64> {
        self.arr(off).map(u64::from_le_bytes)
    }
    /// i64 at `off`.
    pub fn i64(&self, off: usize) -> Option<i64> {
        self.arr(off).map(i64::from_le_bytes)
    }
}

/// What a pure decoder needs besides the bytes: the event's arena for strings, the limits.
pub struct Cx<'a> {
    /// The event's byte arena ([`SyscallEvent::bytes`]).
    pub arena: &'a mut Vec<u8>,
    /// Bytes of strings shown, and elements of arrays (`-s`).
    pub limit: usize,
    /// Show every field (`-v`).
    pub verbose: bool,
    /// The ABI of the call (layouts differ on aarch64).
    pub arch: Arch,
}

impl Cx<'_> {
    /// A context over `arena` with default limits, for tests and tools.
    pub fn new(arena: &mut Vec<u8>) -> Cx<'_> {
        Cx {
            arena,
            limit: 32,
            verbose: false,
            arch: Arch::native(),
        }
    }

    /// Copies `data` into the arena.
    pub fn bytes(&mut self, data: &[u8]) -> Bytes {
        sysgate_event::push_arena(self.arena, data)
    }

    /// A string value of `data` cut at the limit; `more` forces the `...` mark.
    pub fn str(&mut self, data: &[u8], more: bool) -> Value {
        let n = data.len().min(self.limit);
        let bytes = self.bytes(&data[..n]);
        Value::Str {
            bytes,
            truncated: more || data.len() > n,
        }
    }

    /// A string value of the NUL-terminated prefix of `data`.
    pub fn cstr(&mut self, data: &[u8]) -> Value {
        let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
        self.str(&data[..end], false)
    }

    /// Text already in strace notation.
    pub fn text(&mut self, s: &str) -> Value {
        Value::Text(self.bytes(s.as_bytes()))
    }

    /// `v /* comment */`.
    pub fn comment(&mut self, v: Value, comment: &str) -> Value {
        let comment = self.bytes(comment.as_bytes());
        Value::Comment {
            value: Box::new(v),
            comment,
        }
    }
}

fn cx<'a>(ev: &'a mut SyscallEvent, opts: &DecodeOptions) -> Cx<'a> {
    let arch = ev.arch;
    Cx {
        arena: &mut ev.bytes,
        limit: opts.string_limit,
        verbose: opts.verbose,
        arch,
    }
}

/// True when structures of this ABI are decoded (64-bit x86_64 and aarch64 layouts); i386
/// calls print structure pointers as addresses.
pub fn layouts_known(arch: Arch) -> bool {
    arch.word_size() == 8
}

/// True when the call failed, so output arguments print as addresses.
pub fn failed(ev: &SyscallEvent) -> bool {
    ev.is_error || ev.ret < 0
}

fn cstr(ev: &mut SyscallEvent, mem: &mut dyn Memory, addr: u64, max: usize) -> Value {
    let start = ev.bytes.len();
    match mem.read_cstr(addr, max, &mut ev.bytes) {
        None => {
            ev.bytes.truncate(start);
            if addr == 0 {
                Value::Addr(0)
            } else {
                Value::Unreadable(addr)
            }
        }
        Some(truncated) => Value::Str {
            bytes: Bytes {
                start: start as u32,
                len: (ev.bytes.len() - start) as u32,
            },
            truncated,
        },
    }
}

/// A buffer of `len` bytes at `addr`, shown up to `limit` bytes.
pub fn buffer(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    len: u64,
    limit: usize,
) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    let want = usize::try_from(len)
        .unwrap_or(usize::MAX)
        .min(limit)
        .min(READ_MAX);
    let start = ev.bytes.len();
    ev.bytes.resize(start + want, 0);
    let got = mem.read(addr, &mut ev.bytes[start..]);
    if got < want {
        ev.bytes.truncate(start);
        return Value::Unreadable(addr);
    }
    Value::Str {
        bytes: Bytes {
            start: start as u32,
            len: want as u32,
        },
        truncated: len > want as u64,
    }
}

impl DecodeOptions {
    /// True when any descriptor decoration is on (`-y`, `-yy`, `--decode-fds=`).
    pub fn decorates_fds(&self) -> bool {
        self.fd_paths || self.fd_endpoints || self.fd_devices || self.fd_pidfds
    }
}

/// An fd, with what it refers to when `-y` (or `--decode-fds=`) is on.
pub fn fd_value(ev: &mut SyscallEvent, fd: i32, opts: &DecodeOptions) -> Value {
    if opts.decorates_fds()
        && fd >= 0
        && let Some(p) = fd_path_opts(ev.pid, fd, opts)
    {
        let path = ev.push_bytes(p.as_bytes());
        return Value::FdPath { fd, path };
    }
    Value::Fd(fd)
}

/// What `/proc/PID/fd/FD` points to: a path, `socket:[123]`, `pipe:[456]`.
pub fn fd_path(pid: u32, fd: i32) -> Option<String> {
    let link = std::fs::read_link(format!("/proc/{pid}/fd/{fd}")).ok()?;
    Some(link.to_string_lossy().into_owned())
}

/// What strace prints inside `<…>` for the descriptor, by the kinds asked for: the path
/// (`path`), a socket's endpoints (`socket`), a device's path and numbers (`dev`:
/// `/dev/null<char 1:3>`), a pidfd's process (`pidfd`: `pid:1234`); `None` when none applies.
fn fd_path_opts(pid: u32, fd: i32, opts: &DecodeOptions) -> Option<String> {
    let p = fd_path(pid, fd)?;
    if let Some(inode) = crate::sockets::socket_inode(&p) {
        if opts.fd_endpoints {
            if let Some(ep) = crate::sockets::endpoint(pid, inode) {
                return Some(ep);
            }
            if let Some(proto) = crate::sockets::protocol_name(pid, fd) {
                return Some(format!("{proto}:[{inode}]"));
            }
        }
        return opts.fd_paths.then_some(p);
    }
    if opts.fd_pidfds && p == "anon_inode:[pidfd]" {
        let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).ok();
        if let Some(target) = info.as_deref().and_then(|i| {
            i.lines()
                .find_map(|l| l.strip_prefix("Pid:"))
                .map(|v| v.trim().to_string())
        }) {
            return Some(format!("pid:{target}"));
        }
    }
    if opts.fd_devices {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        if let Ok(m) = std::fs::metadata(format!("/proc/{pid}/fd/{fd}")) {
            let kind = if m.file_type().is_char_device() {
                Some("char")
            } else if m.file_type().is_block_device() {
                Some("block")
            } else {
                None
            };
            if let Some(kind) = kind {
                let (major, minor) = (libc::major(m.rdev()), libc::minor(m.rdev()));
                return Some(format!("{p}<{kind} {major}:{minor}>"));
            }
        }
    }
    opts.fd_paths.then_some(p)
}

/// Decodes argument `i` (an input argument at entry, or an output one at exit).
fn decode_one(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    ty: ArgType,
    i: usize,
    opts: &DecodeOptions,
) -> Value {
    // What the kernel reads: the lower half of a register for a 32-bit argument.
    let raw = ev
        .syscall
        .and_then(|s| s.args.get(i))
        .map_or(ev.args[i], |a| a.register(ev.args[i]));
    let arch = ev.arch;
    let word = arch.word_size();
    let raw = if word == 4 { raw & 0xffff_ffff } else { raw };
    let arg = |ev: &SyscallEvent, j: u8| {
        let v = ev.args[usize::from(j)];
        if word == 4 { v & 0xffff_ffff } else { v }
    };
    match ty {
        ArgType::Fd => fd_value(ev, raw as u32 as i32, opts),
        ArgType::DirFd => {
            let fd = raw as u32 as i32;
            if fd == -100 {
                // With -y, the directory AT_FDCWD stands for: `AT_FDCWD</home/user>`.
                match std::fs::read_link(format!("/proc/{}/cwd", ev.pid)) {
                    Ok(cwd) if opts.fd_paths => {
                        let path = ev.push_bytes(cwd.as_os_str().as_encoded_bytes());
                        Value::FdPath { fd, path }
                    }
                    _ => Value::DirFd(fd),
                }
            } else {
                match fd_value(ev, fd, opts) {
                    Value::Fd(fd) => Value::DirFd(fd),
                    other => other,
                }
            }
        }
        ArgType::Path => cstr(ev, mem, raw, PATH_MAX),
        ArgType::Str => cstr(ev, mem, raw, opts.string_limit),
        ArgType::InBuf { len } => {
            let n = arg(ev, len);
            buffer(ev, mem, raw, n, opts.string_limit)
        }
        ArgType::OutBuf { .. } => {
            if failed(ev) {
                Value::Addr(raw)
            } else {
                buffer(ev, mem, raw, ev.ret as u64, opts.string_limit)
            }
        }
        // Plain registers decode the same way here and when a recording is read back.
        ArgType::Size
        | ArgType::UInt
        | ArgType::Int
        | ArgType::Pid
        | ArgType::Uid
        | ArgType::Gid
        | ArgType::Off
        | ArgType::Hex
        | ArgType::Addr
        | ArgType::Ptr
        | ArgType::Flags(_)
        | ArgType::Enum(_)
        | ArgType::Mode
        | ArgType::Signal
        | ArgType::ClockId
        | ArgType::Ioctl => Value::from_register(ty, raw, arch).unwrap_or(Value::Hex(raw)),
        ArgType::Struct(name) | ArgType::OutStruct(name) => {
            if matches!(ty, ArgType::OutStruct(_)) && failed(ev) {
                return Value::Addr(raw);
            }
            // wait4 with WNOHANG that found no child to reap wrote no status.
            if name == "wait_status" && ev.ret == 0 {
                return Value::Addr(raw);
            }
            if raw == 0 {
                return Value::Addr(0);
            }
            if !layouts_known(arch) {
                return Value::Struct { name, addr: raw };
            }
            match name {
                "msghdr" => {
                    let recv = !failed(ev)
                        && ev.syscall.is_some_and(|s| {
                            matches!(s.name, "recvmsg" | "recvmmsg" | "recvmmsg_time64")
                        });
                    net::msghdr_at(ev, mem, raw, opts, recv)
                }
                "mmsghdr" => net::mmsghdr_array(ev, mem, raw, opts),
                _ => structs::decode_named(ev, mem, name, i, raw, opts),
            }
        }
        ArgType::SockAddr { len } => {
            if raw == 0 {
                return Value::Addr(0);
            }
            let n = arg(ev, len) as u32 as usize;
            net::sockaddr_at(ev, mem, raw, n, opts)
        }
        ArgType::OutSockAddr { len } => {
            if raw == 0 || failed(ev) || !layouts_known(arch) {
                return Value::Addr(raw);
            }
            let lp = arg(ev, len);
            let mut b = [0u8; 4];
            if lp == 0 || mem.read(lp, &mut b) != 4 {
                return Value::Addr(raw);
            }
            let n = u32::from_le_bytes(b) as usize;
            // The kernel reports the full length even when it truncated the address.
            let cap = ev.saved[usize::from(len)].map_or(n, |c| c as usize);
            net::sockaddr_at(ev, mem, raw, n.min(cap), opts)
        }
        ArgType::IoVec { count } => {
            let n = arg(ev, count);
            structs::iovec_array(ev, mem, raw, n, None, opts)
        }
        ArgType::OutIoVec { count } => {
            if failed(ev) {
                return Value::Addr(raw);
            }
            let n = arg(ev, count);
            let total = ev.ret as u64;
            structs::iovec_array(ev, mem, raw, n, Some(total), opts)
        }
        ArgType::SigSet { size } | ArgType::OutSigSet { size } => {
            if matches!(ty, ArgType::OutSigSet { .. }) && failed(ev) {
                return Value::Addr(raw);
            }
            let n = arg(ev, size);
            structs::sigset_at(mem, raw, n, word)
        }
        ArgType::FdPair => {
            if failed(ev) || raw == 0 {
                return Value::Addr(raw);
            }
            let mut b = [0u8; 8];
            if mem.read(raw, &mut b) == 8 {
                let a = i32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
                let c = i32::from_ne_bytes([b[4], b[5], b[6], b[7]]);
                Value::FdPair(a, c)
            } else {
                Value::Unreadable(raw)
            }
        }
        ArgType::Argv => {
            let is_env = i == 2 || (i == 3 && ev.syscall.is_some_and(|s| s.name == "execveat"));
            if is_env && !opts.verbose {
                let mut count = 0u32;
                let mut a = raw;
                while (count as usize) < ENV_MAX {
                    match read_word(mem, a, word) {
                        Some(0) | None => break,
                        Some(_) => {
                            count += 1;
                            a = a.wrapping_add(word as u64);
                        }
                    }
                }
                if raw == 0 {
                    return Value::Addr(0);
                }
                return Value::EnvCount { addr: raw, count };
            }
            if raw == 0 {
                return Value::Addr(0);
            }
            let mut items = Vec::new();
            let mut a = raw;
            let mut more = false;
            loop {
                let Some(p) = read_word(mem, a, word) else {
                    if items.is_empty() {
                        return Value::Unreadable(raw);
                    }
                    more = true;
                    break;
                };
                if p == 0 {
                    break;
                }
                if items.len() == ARGV_MAX {
                    more = true;
                    break;
                }
                let start = ev.bytes.len();
                let truncated = mem
                    .read_cstr(p, opts.string_limit, &mut ev.bytes)
                    .unwrap_or(false);
                items.push(Value::Str {
                    bytes: Bytes {
                        start: start as u32,
                        len: (ev.bytes.len() - start) as u32,
                    },
                    truncated,
                });
                a = a.wrapping_add(word as u64);
            }
            Value::Array { items, more }
        }
    }
}

/// Reads one pointer-sized word (`word` is 4 or 8 bytes).
pub fn read_word(mem: &mut dyn Memory, addr: u64, word: usize) -> Option<u64> {
    let mut b = [0u8; 8];
    let word = word.min(8);
    if addr == 0 || mem.read(addr, &mut b[..word]) != word {
        return None;
    }
    Some(if word == 4 {
        u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    } else {
        u64::from_le_bytes(b)
    })
}

/// Fills `ev.decoded` with the entry-time arguments; output arguments become
/// [`Value::Pending`]. `ev.args`, `ev.arch`, `ev.pid` and `ev.syscall` must be set.
pub fn decode_entry(ev: &mut SyscallEvent, mem: &mut Mem, opts: &DecodeOptions) {
    decode_entry_with(ev, mem, opts);
}

/// [`decode_entry`] over any [`Memory`].
pub fn decode_entry_with(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    ev.decoded.clear();
    ev.bytes.clear();
    ev.ret_path = None;
    ev.ret_value = None;
    ev.ret_note.clear();
    ev.saved = [None; 6];
    ev.exit_from = None;
    ev.dumps.clear();
    ev.xlat = opts.xlat;
    ev.hex = opts.hex;
    let Some(sc) = ev.syscall else {
        for i in 0..6 {
            ev.decoded.push(Value::Hex(ev.args[i]));
        }
        return;
    };
    for (i, arg) in sc.args.iter().enumerate() {
        let v = if arg.ty.is_output() {
            Value::Pending
        } else {
            decode_one(ev, mem, arg.ty, i, opts)
        };
        ev.decoded.push(v);
    }
    // open/openat show their mode only when it is used.
    if matches!(sc.name, "open" | "openat") {
        let flags_idx = if sc.name == "open" { 1 } else { 2 };
        let flags = ev.args[flags_idx];
        if flags & (O_CREAT | O_TMPFILE) == 0
            && let Some(v) = ev.decoded.get_mut(flags_idx + 1)
        {
            *v = Value::Omitted;
        }
    }
    special::entry(ev, mem, opts);
    terse(ev, opts);
    if opts.pid_comm {
        for i in 0..sc.args.len().min(ev.decoded.len()) {
            if matches!(sc.args[i].ty, ArgType::Pid)
                && let Value::Int(pid) = ev.decoded[i]
                && let Some(comm) = comm_of(pid)
            {
                let comm = ev.push_bytes(comm.as_bytes());
                ev.decoded[i] = Value::PidComm { pid, comm };
            }
        }
    }
}

/// `-e verbose=`: a call outside the set shows its structures and arrays as their addresses.
fn terse(ev: &mut SyscallEvent, opts: &DecodeOptions) {
    let Some(set) = opts.verbose_set else {
        return;
    };
    if set.contains(ev.arch, ev.nr) {
        return;
    }
    // Socket option values are shown only for verbose calls, whatever their shape.
    let sockopt = ev
        .syscall
        .is_some_and(|s| matches!(s.name, "getsockopt" | "setsockopt"));
    for i in 0..ev.decoded.len().min(6) {
        let shaped = matches!(
            ev.decoded[i],
            Value::Record(_) | Value::Array { .. } | Value::Struct { .. } | Value::Unreadable(_)
        );
        let optval = sockopt && i == 3 && !matches!(ev.decoded[i], Value::Pending);
        if shaped || optval {
            ev.decoded[i] = Value::Addr(ev.args[i]);
        }
    }
}

/// The command name of process `pid` (`/proc/PID/comm`), for `-Y`.
pub fn comm_of(pid: i64) -> Option<String> {
    if pid <= 0 {
        return None;
    }
    let c = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    Some(c.trim_end_matches('\n').to_string())
}

/// Decodes the output arguments once the call returned (`ev.ret`, `ev.is_error` set).
pub fn decode_exit(ev: &mut SyscallEvent, mem: &mut Mem, opts: &DecodeOptions) {
    decode_exit_with(ev, mem, opts);
}

/// [`decode_exit`] over any [`Memory`].
pub fn decode_exit_with(ev: &mut SyscallEvent, mem: &mut dyn Memory, opts: &DecodeOptions) {
    let Some(sc) = ev.syscall else {
        return;
    };
    for (i, arg) in sc.args.iter().enumerate() {
        if arg.ty.is_output() && i < ev.decoded.len() && ev.decoded[i] == Value::Pending {
            ev.decoded[i] = decode_one(ev, mem, arg.ty, i, opts);
        }
    }
    special::exit(ev, mem, opts);
    terse(ev, opts);
    if opts.dump_read.is_some() || opts.dump_write.is_some() {
        dump::exit(ev, mem, opts);
    }
    // Anything a special case left undecided prints as the raw value.
    for i in 0..ev.decoded.len() {
        if ev.decoded[i] == Value::Pending {
            ev.decoded[i] = Value::Addr(ev.args[i]);
        }
    }
    if opts.pid_comm
        && sc.ret == RetType::Pid
        && !ev.is_error
        && let Some(comm) = comm_of(ev.ret)
    {
        ev.ret_path = Some(ev.push_bytes(comm.as_bytes()));
    }
    if opts.decorates_fds()
        && sc.ret == RetType::Fd
        && !ev.is_error
        && ev.ret >= 0
        && let Some(p) = fd_path_opts(ev.pid, ev.ret as i32, opts)
    {
        ev.ret_path = Some(ev.push_bytes(p.as_bytes()));
    }
}

/// The decoder context of an event.
pub fn event_cx<'a>(ev: &'a mut SyscallEvent, opts: &DecodeOptions) -> Cx<'a> {
    cx(ev, opts)
}

#[cfg(test)]
mod tests;
