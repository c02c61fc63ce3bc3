//! Typed syscall signatures, parsed once from `data/syscalls.txt`.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use crate::symbols::{self, EnumSet, FlagSet};
use crate::tables::{self, Arch};

static DATA: &str = include_str!("../data/syscalls.txt");

/// The family a syscall belongs to; `-e trace=%file` style filters and summaries group by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Paths and file contents: open, read, write, stat, rename, xattr.
    File,
    /// Descriptor plumbing: close, dup, fcntl, poll, select, epoll.
    Descriptor,
    /// Sockets.
    Network,
    /// Process lifecycle, ids, scheduling, limits.
    Process,
    /// Address space: mmap, brk, madvise, mlock.
    Memory,
    /// Pipes, SysV / POSIX IPC, eventfd.
    Ipc,
    /// Signal delivery and handling.
    Signal,
    /// Clocks, timers, sleeps.
    Time,
    /// futex, membarrier, rseq.
    Sync,
    /// seccomp, landlock, capabilities, keys, bpf, ptrace.
    Security,
    /// Mounts, modules, reboot, system information.
    System,
    /// io_uring and legacy AIO.
    IoUring,
    /// Everything else.
    Other,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 13] = [
        Category::File,
        Category::Descriptor,
        Category::Network,
        Category::Process,
        Category::Memory,
        Category::Ipc,
        Category::Signal,
        Category::Time,
        Category::Sync,
        Category::Security,
        Category::System,
        Category::IoUring,
        Category::Other,
    ];

    /// The name used in data, on the command line and in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Category::File => "file",
            Category::Descriptor => "descriptor",
            Category::Network => "network",
            Category::Process => "process",
            Category::Memory => "memory",
            Category::Ipc => "ipc",
            Category::Signal => "signal",
            Category::Time => "time",
            Category::Sync => "sync",
            Category::Security => "security",
            Category::System => "system",
            Category::IoUring => "io_uring",
            Category::Other => "other",
        }
    }

    /// Parses a category name.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == s)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether repeating a call with the same arguments is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Idempotence {
    /// Repeating it leaves the same state and gives the same result.
    Idempotent,
    /// Each call changes state further.
    NotIdempotent,
    /// It depends on the arguments.
    Depends,
}

impl Idempotence {
    /// `idempotent`, `not`, `depends`.
    pub const fn name(self) -> &'static str {
        match self {
            Idempotence::Idempotent => "idempotent",
            Idempotence::NotIdempotent => "not",
            Idempotence::Depends => "depends",
        }
    }

    fn parse(s: &str) -> Option<Idempotence> {
        match s {
            "idempotent" => Some(Idempotence::Idempotent),
            "not" => Some(Idempotence::NotIdempotent),
            "depends" => Some(Idempotence::Depends),
            _ => None,
        }
    }
}

/// What a successful return value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetType {
    /// A new file descriptor.
    Fd,
    /// A byte count.
    Size,
    /// A process or thread id.
    Pid,
    /// An address.
    Addr,
    /// A plain number (usually 0).
    Int,
    /// A mask or raw value, shown in hex.
    Hex,
    /// The call does not return on success.
    None,
}

impl RetType {
    /// The name used in data and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            RetType::Fd => "fd",
            RetType::Size => "size",
            RetType::Pid => "pid",
            RetType::Addr => "addr",
            RetType::Int => "int",
            RetType::Hex => "hex",
            RetType::None => "none",
        }
    }

    fn parse(s: &str) -> Option<RetType> {
        Some(match s {
            "fd" => RetType::Fd,
            "size" => RetType::Size,
            "pid" => RetType::Pid,
            "addr" => RetType::Addr,
            "int" => RetType::Int,
            "hex" => RetType::Hex,
            "none" => RetType::None,
            _ => return None,
        })
    }
}

/// The meaning of one syscall argument; see `data/README.md` for how each prints.
#[derive(Debug, Clone, Copy)]
pub enum ArgType {
    /// A file descriptor.
    Fd,
    /// A directory fd for `*at` calls (`AT_FDCWD`).
    DirFd,
    /// A NUL-terminated path.
    Path,
    /// A NUL-terminated string that is not a path.
    Str,
    /// Bytes read by the kernel; length in argument `len`.
    InBuf {
        /// Index of the length argument.
        len: u8,
    },
    /// Bytes filled by the kernel; capacity in argument `len`, valid length is the return value.
    OutBuf {
        /// Index of the capacity argument.
        len: u8,
    },
    /// A byte count.
    Size,
    /// A signed integer.
    Int,
    /// An unsigned integer.
    UInt,
    /// A raw value shown in hex.
    Hex,
    /// A file offset.
    Off,
    /// A memory address that is not dereferenced.
    Addr,
    /// A pointer sysgate does not decode.
    Ptr,
    /// A set of flags.
    Flags(&'static FlagSet),
    /// One value out of a set.
    Enum(&'static EnumSet),
    /// Permission (and file type) bits.
    Mode,
    /// A process id.
    Pid,
    /// A signal number.
    Signal,
    /// A user id.
    Uid,
    /// A group id.
    Gid,
    /// A clock id.
    ClockId,
    /// A struct the kernel reads.
    Struct(&'static str),
    /// A struct the kernel fills.
    OutStruct(&'static str),
    /// A socket address the kernel reads; length in argument `len`.
    SockAddr {
        /// Index of the length argument.
        len: u8,
    },
    /// A socket address the kernel fills; argument `len` points to its length.
    OutSockAddr {
        /// Index of the length-pointer argument.
        len: u8,
    },
    /// An iovec array the kernel reads; count in argument `count`.
    IoVec {
        /// Index of the count argument.
        count: u8,
    },
    /// An iovec array the kernel fills; count in argument `count`.
    OutIoVec {
        /// Index of the count argument.
        count: u8,
    },
    /// An ioctl request number.
    Ioctl,
    /// A NULL-terminated array of strings (argv, envp).
    Argv,
    /// `int[2]` filled by the kernel (pipe, socketpair).
    FdPair,
    /// A signal set the kernel reads; size in argument `size`.
    SigSet {
        /// Index of the size argument.
        size: u8,
    },
    /// A signal set the kernel fills; size in argument `size`.
    OutSigSet {
        /// Index of the size argument.
        size: u8,
    },
}

impl ArgType {
    /// True when the value can only be shown after the syscall returned (the kernel fills it).
    pub const fn is_output(&self) -> bool {
        matches!(
            self,
            ArgType::OutBuf { .. }
                | ArgType::OutStruct(_)
                | ArgType::OutSockAddr { .. }
                | ArgType::OutIoVec { .. }
                | ArgType::FdPair
                | ArgType::OutSigSet { .. }
        )
    }

    /// The spelling used in the data file and in `sysgate explain`.
    pub fn spec(&self) -> String {
        self.to_string()
    }

    fn parse(s: &'static str) -> Result<ArgType, String> {
        let (head, tail) = match s.split_once(':') {
            Some((h, t)) => (h, Some(t)),
            None => (s, None),
        };
        let index = || -> Result<u8, String> {
            let t = tail.ok_or_else(|| format!("`{head}` needs `:N`"))?;
            let n: u8 = t.parse().map_err(|_| format!("bad argument index `{t}`"))?;
            if n > 5 {
                return Err(format!("argument index {n} out of range"));
            }
            Ok(n)
        };
        let name = || -> Result<&'static str, String> {
            let t = tail.ok_or_else(|| format!("`{head}` needs `:NAME`"))?;
            Ok(t)
        };
        Ok(match head {
            "fd" => ArgType::Fd,
            "dirfd" => ArgType::DirFd,
            "path" => ArgType::Path,
            "str" => ArgType::Str,
            "inbuf" => ArgType::InBuf { len: index()? },
            "outbuf" => ArgType::OutBuf { len: index()? },
            "size" => ArgType::Size,
            "int" => ArgType::Int,
            "uint" => ArgType::UInt,
            "hex" => ArgType::Hex,
            "off" => ArgType::Off,
            "addr" => ArgType::Addr,
            "ptr" => ArgType::Ptr,
            "flags" => {
                let n = tail.unwrap_or("");
                ArgType::Flags(symbols::flag_set(n).ok_or_else(|| format!("no flag set `{n}`"))?)
            }
            "enum" => {
                let n = tail.unwrap_or("");
                ArgType::Enum(symbols::enum_set(n).ok_or_else(|| format!("no enum set `{n}`"))?)
            }
            "mode" => ArgType::Mode,
            "pid" => ArgType::Pid,
            "sig" => ArgType::Signal,
            "uid" => ArgType::Uid,
            "gid" => ArgType::Gid,
            "clockid" => ArgType::ClockId,
            "struct" => ArgType::Struct(name()?),
            "outstruct" => ArgType::OutStruct(name()?),
            "sockaddr" => ArgType::SockAddr { len: index()? },
            "outsockaddr" => ArgType::OutSockAddr { len: index()? },
            "iovec" => ArgType::IoVec { count: index()? },
            "outiovec" => ArgType::OutIoVec { count: index()? },
            "ioctl" => ArgType::Ioctl,
            "argv" => ArgType::Argv,
            "fdpair" => ArgType::FdPair,
            "sigset" => ArgType::SigSet { size: index()? },
            "outsigset" => ArgType::OutSigSet { size: index()? },
            _ => return Err(format!("unknown argument type `{s}`")),
        })
    }
}

impl fmt::Display for ArgType {
    /// The data-file spelling: `fd`, `flags:open`, `inbuf:2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgType::Fd => f.write_str("fd"),
            ArgType::DirFd => f.write_str("dirfd"),
            ArgType::Path => f.write_str("path"),
            ArgType::Str => f.write_str("str"),
            ArgType::InBuf { len } => write!(f, "inbuf:{len}"),
            ArgType::OutBuf { len } => write!(f, "outbuf:{len}"),
            ArgType::Size => f.write_str("size"),
            ArgType::Int => f.write_str("int"),
            ArgType::UInt => f.write_str("uint"),
            ArgType::Hex => f.write_str("hex"),
            ArgType::Off => f.write_str("off"),
            ArgType::Addr => f.write_str("addr"),
            ArgType::Ptr => f.write_str("ptr"),
            ArgType::Flags(s) => write!(f, "flags:{}", s.name),
            ArgType::Enum(s) => write!(f, "enum:{}", s.name),
            ArgType::Mode => f.write_str("mode"),
            ArgType::Pid => f.write_str("pid"),
            ArgType::Signal => f.write_str("sig"),
            ArgType::Uid => f.write_str("uid"),
            ArgType::Gid => f.write_str("gid"),
            ArgType::ClockId => f.write_str("clockid"),
            ArgType::Struct(n) => write!(f, "struct:{n}"),
            ArgType::OutStruct(n) => write!(f, "outstruct:{n}"),
            ArgType::SockAddr { len } => write!(f, "sockaddr:{len}"),
            ArgType::OutSockAddr { len } => write!(f, "outsockaddr:{len}"),
            ArgType::IoVec { count } => write!(f, "iovec:{count}"),
            ArgType::OutIoVec { count } => write!(f, "outiovec:{count}"),
            ArgType::Ioctl => f.write_str("ioctl"),
            ArgType::Argv => f.write_str("argv"),
            ArgType::FdPair => f.write_str("fdpair"),
            ArgType::SigSet { size } => write!(f, "sigset:{size}"),
            ArgType::OutSigSet { size } => write!(f, "outsigset:{size}"),
        }
    }
}

/// One argument of a syscall.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    /// The kernel's parameter name.
    pub name: &'static str,
    /// What it means.
    pub ty: ArgType,
}

/// Everything sysgate knows about one syscall, independent of architecture.
#[derive(Debug)]
pub struct Syscall {
    /// The kernel's name.
    pub name: &'static str,
    /// Its family.
    pub category: Category,
    /// Whether repeating it is safe.
    pub idempotence: Idempotence,
    /// Why, in one line.
    pub idempotence_reason: &'static str,
    /// What a successful return value is.
    pub ret: RetType,
    /// The arguments, in order.
    pub args: Vec<Arg>,
    /// What it does, in one sentence.
    pub description: &'static str,
}

impl Syscall {
    /// The number of this syscall on `arch`, if it exists there.
    pub fn number(&self, arch: Arch) -> Option<u32> {
        tables::number(arch, self.name)
    }

    /// The C-like signature: `openat(dirfd dfd, path filename, flags:open flags, mode mode)`.
    pub fn signature(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| format!("{} {}", a.ty.spec(), a.name))
            .collect();
        format!("{}({}) -> {}", self.name, args.join(", "), self.ret.name())
    }
}

pub(crate) struct Db {
    pub(crate) syscalls: Vec<Syscall>,
    pub(crate) by_name: HashMap<&'static str, usize>,
    /// Per arch: number → index into `syscalls`, `u16::MAX` where there is none.
    pub(crate) by_nr: [Vec<u16>; 3],
}

static DB: LazyLock<Db> = LazyLock::new(|| match parse(DATA) {
    Ok(db) => db,
    // The data file is compiled in and validated by the unit tests; a parse failure here is a
    // build defect, not a runtime condition.
    Err(e) => panic!("data/syscalls.txt: {e}"),
});

pub(crate) fn db() -> &'static Db {
    &DB
}

fn parse(data: &'static str) -> Result<Db, String> {
    let mut syscalls = Vec::new();
    let mut by_name = HashMap::new();
    for (lineno, line) in data.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let s = parse_line(line).map_err(|e| format!("line {}: {e}", lineno + 1))?;
        if by_name.insert(s.name, syscalls.len()).is_some() {
            return Err(format!("line {}: `{}` listed twice", lineno + 1, s.name));
        }
        syscalls.push(s);
    }
    let by_nr = Arch::ALL.map(|arch| {
        let mut v = Vec::new();
        for (name, nr) in tables::names(arch) {
            if let Some(&i) = by_name.get(name) {
                let nr = nr as usize;
                if v.len() <= nr {
                    v.resize(nr + 1, u16::MAX);
                }
                v[nr] = i as u16;
            }
        }
        v
    });
    Ok(Db {
        syscalls,
        by_name,
        by_nr,
    })
}

fn parse_line(line: &'static str) -> Result<Syscall, String> {
    let f: Vec<&'static str> = line.split(" | ").map(str::trim).collect();
    if f.len() != 7 {
        return Err(format!("expected 7 fields, found {}", f.len()));
    }
    let name = f[0];
    let category =
        Category::parse(f[1]).ok_or_else(|| format!("{name}: bad category `{}`", f[1]))?;
    let idempotence =
        Idempotence::parse(f[2]).ok_or_else(|| format!("{name}: bad idempotence `{}`", f[2]))?;
    let ret = RetType::parse(f[4]).ok_or_else(|| format!("{name}: bad return type `{}`", f[4]))?;
    let mut args = Vec::new();
    if f[5] != "none" {
        for a in f[5].split(',') {
            let a = a.trim();
            let (ty, an) = a
                .split_once(' ')
                .ok_or_else(|| format!("{name}: argument `{a}` needs `TYPE NAME`"))?;
            let ty = ArgType::parse(ty).map_err(|e| format!("{name}: {e}"))?;
            args.push(Arg {
                name: an.trim(),
                ty,
            });
        }
    }
    if args.len() > 6 {
        return Err(format!("{name}: more than six arguments"));
    }
    for a in &args {
        let idx = match a.ty {
            ArgType::InBuf { len }
            | ArgType::OutBuf { len }
            | ArgType::SockAddr { len }
            | ArgType::OutSockAddr { len } => Some(len),
            ArgType::IoVec { count } | ArgType::OutIoVec { count } => Some(count),
            ArgType::SigSet { size } | ArgType::OutSigSet { size } => Some(size),
            _ => None,
        };
        if let Some(i) = idx
            && usize::from(i) >= args.len()
        {
            return Err(format!(
                "{name}: `{}` refers to missing argument {i}",
                a.name
            ));
        }
    }
    if f[3].is_empty() || f[6].is_empty() {
        return Err(format!("{name}: empty reason or description"));
    }
    Ok(Syscall {
        name,
        category,
        idempotence,
        idempotence_reason: f[3],
        ret,
        args,
        description: f[6],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_parses() {
        let db = parse(DATA).unwrap_or_else(|e| panic!("{e}"));
        assert!(db.syscalls.len() >= 450);
    }

    #[test]
    fn bad_lines_are_rejected_with_a_reason() {
        let bad = [
            "x | file | not | r | int | fd a | d | extra",
            "x | nope | not | r | int | fd a | d",
            "x | file | sometimes | r | int | fd a | d",
            "x | file | not | r | int | inbuf:3 a, size b | d",
            "x | file | not | r | int | flags:nosuchset a | d",
            "x | file | not | r | int | fd | d",
        ];
        for line in bad {
            assert!(parse_line(line).is_err(), "accepted: {line}");
        }
    }

    #[test]
    fn seed_families_map_to_categories() {
        let cat = |n: &str| crate::by_name(n).unwrap().category;
        for n in ["open", "openat", "read", "write", "lseek", "newfstatat"] {
            assert_eq!(cat(n), Category::File, "{n}");
        }
        for n in ["fork", "clone", "execve", "wait4", "exit_group"] {
            assert_eq!(cat(n), Category::Process, "{n}");
        }
        for n in [
            "socket", "connect", "sendto", "recvfrom", "accept4", "bind", "listen",
        ] {
            assert_eq!(cat(n), Category::Network, "{n}");
        }
        for n in ["mmap", "munmap", "brk", "mprotect", "madvise"] {
            assert_eq!(cat(n), Category::Memory, "{n}");
        }
        for n in ["pipe2", "shmget", "msgsnd", "semop", "mq_open", "eventfd2"] {
            assert_eq!(cat(n), Category::Ipc, "{n}");
        }
        for n in ["close", "dup3", "fcntl", "epoll_wait", "poll"] {
            assert_eq!(cat(n), Category::Descriptor, "{n}");
        }
    }

    #[test]
    fn idempotence_examples_from_the_brief() {
        let idem = |n: &str| crate::by_name(n).unwrap().idempotence;
        assert_eq!(idem("chmod"), Idempotence::Idempotent);
        assert_eq!(idem("getpid"), Idempotence::Idempotent);
        assert_eq!(idem("write"), Idempotence::NotIdempotent);
        assert_eq!(idem("mkdir"), Idempotence::NotIdempotent);
        assert_eq!(idem("unlink"), Idempotence::NotIdempotent);
        assert_eq!(idem("openat"), Idempotence::Depends);
    }

    #[test]
    fn key_signatures() {
        let sig = |n: &str| crate::by_name(n).unwrap().signature();
        assert_eq!(
            sig("openat"),
            "openat(dirfd dfd, path filename, flags:open flags, mode mode) -> fd"
        );
        assert!(sig("read").starts_with("read(fd fd, outbuf:2 buf, size count)"));
        assert!(sig("write").starts_with("write(fd fd, inbuf:2 buf, size count)"));
        assert!(crate::by_name("execve").unwrap().args[1].ty.spec() == "argv");
    }
}
