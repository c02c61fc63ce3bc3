//! The symbol tables behind [`crate::symbols`]: flag sets, enum sets, errno values, signal names
//! and ioctl request numbers.
//!
//! Every value is the Linux UAPI value for **x86_64** (which is also the generic value for most
//! constants). Where aarch64 differs (only `O_DIRECTORY`, `O_NOFOLLOW`, `O_DIRECT` and
//! `O_LARGEFILE` among the sets here) the x86_64 value is used and a comment says so. Names are the
//! C names strace prints. Flag lists are tested in order by [`FlagSet::format_into`], so a
//! multi-bit entry (`O_SYNC`, `O_TMPFILE`, `STATX_ALL`, `MS_MGC_VAL`…) always precedes the single
//! bits it contains.

use crate::xlat::{EnumSet, Errno, FlagSet, Sym, sym};

// ---------------------------------------------------------------------------------------------
// Flag sets
// ---------------------------------------------------------------------------------------------

/// Every flag set, looked up by name from the signature data (`flags:NAME`).
pub(crate) static FLAG_SETS: &[&FlagSet] = &[
    &OPEN,
    &PERF_FLAGS,
    &AT,
    &PROT,
    &MAP,
    &MREMAP,
    &MSYNC,
    &MLOCK,
    &MLOCKALL,
    &MSG,
    &SOCKTYPE,
    &SOCKFLAGS,
    &CLONE,
    &SA,
    &FDFLAGS,
    &EPOLL_EVENTS,
    &EPOLL_CREATE,
    &POLL_EVENTS,
    &ACCESS,
    &WAIT,
    &EFD,
    &TFD,
    &TFD_SETTIME,
    &SFD,
    &IN_INIT,
    &IN_MASK,
    &MFD,
    &RENAME,
    &SPLICE,
    &GRND,
    &XATTR,
    &IPC,
    &SHM,
    &MOUNT,
    &UMOUNT,
    &LOCK,
    &TIMER,
    &STATX_MASK,
    &CLOSE_RANGE,
    &PIDFD,
    &RWF,
    &SECCOMP_FILTER,
    &URING_ENTER,
    &URING_SETUP,
    &PERSONALITY,
    &MEMPOLICY,
    &FAN_INIT,
    &FAN_MARK,
    &MEMFD_SECRET,
    &SYNC_FILE_RANGE,
    &FALLOCATE,
    &LANDLOCK,
    &MEMBARRIER_FLAGS,
    &OPEN_TREE,
    &MOVE_MOUNT,
    &FSOPEN,
    &FSMOUNT,
];

/// `open(2)` flags: the `O_ACCMODE` field plus the independent bits (asm-generic/fcntl.h).
static OPEN: FlagSet = FlagSet {
    name: "open",
    field_mask: 0o3,
    field: &[sym(0, "O_RDONLY"), sym(1, "O_WRONLY"), sym(2, "O_RDWR")],
    flags: &[
        sym(0o100, "O_CREAT"),
        sym(0o200, "O_EXCL"),
        sym(0o400, "O_NOCTTY"),
        sym(0o1000, "O_TRUNC"),
        sym(0o2000, "O_APPEND"),
        sym(0o4000, "O_NONBLOCK"),
        // O_SYNC is __O_SYNC|O_DSYNC and must be tested before O_DSYNC.
        sym(0o4010000, "O_SYNC"),
        sym(0o10000, "O_DSYNC"),
        // x86_64 value; aarch64 uses 0o200000 for O_DIRECT.
        sym(0o40000, "O_DIRECT"),
        // x86_64 value (glibc defines O_LARGEFILE as 0 on 64-bit, the kernel bit is still 0o100000
        // and strace shows it when set); aarch64 uses 0o400000.
        sym(0o100000, "O_LARGEFILE"),
        // O_TMPFILE is __O_TMPFILE|O_DIRECTORY and must be tested before O_DIRECTORY.
        sym(0o20200000, "O_TMPFILE"),
        // x86_64 value; aarch64 uses 0o40000 for O_DIRECTORY.
        sym(0o200000, "O_DIRECTORY"),
        // x86_64 value; aarch64 uses 0o100000 for O_NOFOLLOW.
        sym(0o400000, "O_NOFOLLOW"),
        sym(0o1000000, "O_NOATIME"),
        sym(0o2000000, "O_CLOEXEC"),
        sym(0o10000000, "O_PATH"),
        // O_ASYNC; strace prints the BSD name.
        sym(0o20000, "FASYNC"),
    ],
    zero: None,
};

/// `AT_*` flags of the `*at` calls (AT_FDCWD is a dirfd value, not a flag). AT_EACCESS shares
/// 0x200 with AT_REMOVEDIR and is not listed.
static AT: FlagSet = FlagSet {
    name: "at",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x100, "AT_SYMLINK_NOFOLLOW"),
        sym(0x200, "AT_REMOVEDIR"),
        sym(0x400, "AT_SYMLINK_FOLLOW"),
        sym(0x800, "AT_NO_AUTOMOUNT"),
        sym(0x1000, "AT_EMPTY_PATH"),
        sym(0x2000, "AT_STATX_FORCE_SYNC"),
        sym(0x4000, "AT_STATX_DONT_SYNC"),
        sym(0x8000, "AT_RECURSIVE"),
    ],
    zero: None,
};

/// Memory protection bits (`mmap`, `mprotect`, `pkey_mprotect`).
/// perf_event_open(2) flags.
static PERF_FLAGS: FlagSet = FlagSet {
    name: "perf",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "PERF_FLAG_FD_NO_GROUP"),
        sym(0x2, "PERF_FLAG_FD_OUTPUT"),
        sym(0x4, "PERF_FLAG_PID_CGROUP"),
        sym(0x8, "PERF_FLAG_FD_CLOEXEC"),
    ],
    zero: None,
};

static PROT: FlagSet = FlagSet {
    name: "prot",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "PROT_READ"),
        sym(0x2, "PROT_WRITE"),
        sym(0x4, "PROT_EXEC"),
        sym(0x8, "PROT_SEM"),
        sym(0x0100_0000, "PROT_GROWSDOWN"),
        sym(0x0200_0000, "PROT_GROWSUP"),
    ],
    zero: Some("PROT_NONE"),
};

/// `mmap(2)` flags: the `MAP_TYPE` field plus the independent bits (x86_64 values).
static MAP: FlagSet = FlagSet {
    name: "map",
    field_mask: 0xf,
    field: &[
        sym(0x1, "MAP_SHARED"),
        sym(0x2, "MAP_PRIVATE"),
        sym(0x3, "MAP_SHARED_VALIDATE"),
        sym(0x8, "MAP_DROPPABLE"),
    ],
    flags: &[
        sym(0x10, "MAP_FIXED"),
        sym(0x20, "MAP_ANONYMOUS"),
        sym(0x40, "MAP_32BIT"),
        sym(0x80, "MAP_ABOVE4G"),
        sym(0x100, "MAP_GROWSDOWN"),
        sym(0x800, "MAP_DENYWRITE"),
        sym(0x1000, "MAP_EXECUTABLE"),
        sym(0x2000, "MAP_LOCKED"),
        sym(0x4000, "MAP_NORESERVE"),
        sym(0x8000, "MAP_POPULATE"),
        sym(0x10000, "MAP_NONBLOCK"),
        sym(0x20000, "MAP_STACK"),
        sym(0x40000, "MAP_HUGETLB"),
        sym(0x80000, "MAP_SYNC"),
        sym(0x100000, "MAP_FIXED_NOREPLACE"),
        // Huge page sizes are log2(size) << MAP_HUGE_SHIFT (26), only meaningful with
        // MAP_HUGETLB; they overlap MAP_UNINITIALIZED and so come first.
        sym(21 << 26, "MAP_HUGE_2MB"),
        sym(30 << 26, "MAP_HUGE_1GB"),
        sym(0x4000000, "MAP_UNINITIALIZED"),
    ],
    zero: None,
};

/// `mremap(2)` flags.
static MREMAP: FlagSet = FlagSet {
    name: "mremap",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "MREMAP_MAYMOVE"),
        sym(2, "MREMAP_FIXED"),
        sym(4, "MREMAP_DONTUNMAP"),
    ],
    zero: None,
};

/// `msync(2)` flags.
static MSYNC: FlagSet = FlagSet {
    name: "msync",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "MS_ASYNC"),
        sym(2, "MS_INVALIDATE"),
        sym(4, "MS_SYNC"),
    ],
    zero: None,
};

/// `mlock2(2)` flags.
static MLOCK: FlagSet = FlagSet {
    name: "mlock",
    field_mask: 0,
    field: &[],
    flags: &[sym(1, "MLOCK_ONFAULT")],
    zero: None,
};

/// `mlockall(2)` flags.
static MLOCKALL: FlagSet = FlagSet {
    name: "mlockall",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "MCL_CURRENT"),
        sym(2, "MCL_FUTURE"),
        sym(4, "MCL_ONFAULT"),
    ],
    zero: None,
};

/// `send`/`recv` message flags (linux/socket.h); kernel-internal bits are left out.
static MSG: FlagSet = FlagSet {
    name: "msg",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "MSG_OOB"),
        sym(0x2, "MSG_PEEK"),
        sym(0x4, "MSG_DONTROUTE"),
        sym(0x8, "MSG_CTRUNC"),
        sym(0x10, "MSG_PROBE"),
        sym(0x20, "MSG_TRUNC"),
        sym(0x40, "MSG_DONTWAIT"),
        sym(0x80, "MSG_EOR"),
        sym(0x100, "MSG_WAITALL"),
        sym(0x200, "MSG_FIN"),
        sym(0x400, "MSG_SYN"),
        sym(0x800, "MSG_CONFIRM"),
        sym(0x1000, "MSG_RST"),
        sym(0x2000, "MSG_ERRQUEUE"),
        sym(0x4000, "MSG_NOSIGNAL"),
        sym(0x8000, "MSG_MORE"),
        sym(0x10000, "MSG_WAITFORONE"),
        sym(0x40000, "MSG_BATCH"),
        sym(0x2000000, "MSG_SOCK_DEVMEM"),
        sym(0x4000000, "MSG_ZEROCOPY"),
        sym(0x20000000, "MSG_FASTOPEN"),
        sym(0x40000000, "MSG_CMSG_CLOEXEC"),
    ],
    zero: None,
};

/// `socket(2)` type: the socket type in the low nibble plus SOCK_CLOEXEC/SOCK_NONBLOCK.
static SOCKTYPE: FlagSet = FlagSet {
    name: "socktype",
    field_mask: 0xf,
    field: &[
        sym(1, "SOCK_STREAM"),
        sym(2, "SOCK_DGRAM"),
        sym(3, "SOCK_RAW"),
        sym(4, "SOCK_RDM"),
        sym(5, "SOCK_SEQPACKET"),
        sym(6, "SOCK_DCCP"),
        sym(10, "SOCK_PACKET"),
    ],
    flags: &[sym(0o2000000, "SOCK_CLOEXEC"), sym(0o4000, "SOCK_NONBLOCK")],
    zero: None,
};

/// `accept4(2)` / `socketpair` flags only.
static SOCKFLAGS: FlagSet = FlagSet {
    name: "sockflags",
    field_mask: 0,
    field: &[],
    flags: &[sym(0o2000000, "SOCK_CLOEXEC"), sym(0o4000, "SOCK_NONBLOCK")],
    zero: None,
};

/// `clone(2)` / `unshare(2)` / `setns(2)` flags; the low byte (CSIGNAL) is the exit signal.
static CLONE: FlagSet = FlagSet {
    name: "clone",
    field_mask: 0xff,
    field: &[],
    flags: &[
        sym(0x100, "CLONE_VM"),
        sym(0x200, "CLONE_FS"),
        sym(0x400, "CLONE_FILES"),
        sym(0x800, "CLONE_SIGHAND"),
        sym(0x1000, "CLONE_PIDFD"),
        sym(0x2000, "CLONE_PTRACE"),
        sym(0x4000, "CLONE_VFORK"),
        sym(0x8000, "CLONE_PARENT"),
        sym(0x10000, "CLONE_THREAD"),
        sym(0x20000, "CLONE_NEWNS"),
        sym(0x40000, "CLONE_SYSVSEM"),
        sym(0x80000, "CLONE_SETTLS"),
        sym(0x100000, "CLONE_PARENT_SETTID"),
        sym(0x200000, "CLONE_CHILD_CLEARTID"),
        sym(0x400000, "CLONE_DETACHED"),
        sym(0x800000, "CLONE_UNTRACED"),
        sym(0x1000000, "CLONE_CHILD_SETTID"),
        sym(0x2000000, "CLONE_NEWCGROUP"),
        sym(0x4000000, "CLONE_NEWUTS"),
        sym(0x8000000, "CLONE_NEWIPC"),
        sym(0x10000000, "CLONE_NEWUSER"),
        sym(0x20000000, "CLONE_NEWPID"),
        sym(0x40000000, "CLONE_NEWNET"),
        sym(0x80000000, "CLONE_IO"),
        // clone3-only bits above 32.
        sym(0x100000000, "CLONE_CLEAR_SIGHAND"),
        sym(0x200000000, "CLONE_INTO_CGROUP"),
        // CLONE_NEWTIME lives inside the CSIGNAL byte (usable with clone3 and unshare only), so
        // with this set's field_mask it is never printed; it is listed for lookups by name.
        sym(0x80, "CLONE_NEWTIME"),
    ],
    zero: None,
};

/// `sigaction` `sa_flags` (x86_64 values), in strace's order.
static SA: FlagSet = FlagSet {
    name: "sa",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x04000000, "SA_RESTORER"),
        sym(0x08000000, "SA_ONSTACK"),
        sym(0x10000000, "SA_RESTART"),
        sym(0x40000000, "SA_NODEFER"),
        sym(0x80000000, "SA_RESETHAND"),
        sym(0x4, "SA_SIGINFO"),
        sym(0x1, "SA_NOCLDSTOP"),
        sym(0x2, "SA_NOCLDWAIT"),
        sym(0x400, "SA_UNSUPPORTED"),
        sym(0x800, "SA_EXPOSE_TAGBITS"),
    ],
    zero: None,
};

/// File descriptor flags (`F_GETFD`/`F_SETFD`).
static FDFLAGS: FlagSet = FlagSet {
    name: "fdflags",
    field_mask: 0,
    field: &[],
    flags: &[sym(1, "FD_CLOEXEC")],
    zero: None,
};

/// `epoll_event.events` bits.
static EPOLL_EVENTS: FlagSet = FlagSet {
    name: "epoll_events",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "EPOLLIN"),
        sym(0x2, "EPOLLPRI"),
        sym(0x4, "EPOLLOUT"),
        sym(0x8, "EPOLLERR"),
        sym(0x10, "EPOLLHUP"),
        sym(0x20, "EPOLLNVAL"),
        sym(0x40, "EPOLLRDNORM"),
        sym(0x80, "EPOLLRDBAND"),
        sym(0x100, "EPOLLWRNORM"),
        sym(0x200, "EPOLLWRBAND"),
        sym(0x400, "EPOLLMSG"),
        sym(0x2000, "EPOLLRDHUP"),
        sym(1 << 28, "EPOLLEXCLUSIVE"),
        sym(1 << 29, "EPOLLWAKEUP"),
        sym(1 << 30, "EPOLLONESHOT"),
        sym(1 << 31, "EPOLLET"),
    ],
    zero: None,
};

/// `epoll_create1(2)` flags.
static EPOLL_CREATE: FlagSet = FlagSet {
    name: "epoll_create",
    field_mask: 0,
    field: &[],
    flags: &[sym(0o2000000, "EPOLL_CLOEXEC")],
    zero: None,
};

/// `pollfd.events` / `revents` bits (x86_64 = asm-generic values).
static POLL_EVENTS: FlagSet = FlagSet {
    name: "poll_events",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "POLLIN"),
        sym(0x2, "POLLPRI"),
        sym(0x4, "POLLOUT"),
        sym(0x8, "POLLERR"),
        sym(0x10, "POLLHUP"),
        sym(0x20, "POLLNVAL"),
        sym(0x40, "POLLRDNORM"),
        sym(0x80, "POLLRDBAND"),
        sym(0x100, "POLLWRNORM"),
        sym(0x200, "POLLWRBAND"),
        sym(0x400, "POLLMSG"),
        sym(0x1000, "POLLREMOVE"),
        sym(0x2000, "POLLRDHUP"),
    ],
    zero: None,
};

/// `access(2)` mode.
static ACCESS: FlagSet = FlagSet {
    name: "access",
    field_mask: 0,
    field: &[],
    flags: &[sym(4, "R_OK"), sym(2, "W_OK"), sym(1, "X_OK")],
    zero: Some("F_OK"),
};

/// `wait4`/`waitid` options. WSTOPPED (waitid) is the same bit as WUNTRACED; WUNTRACED is used.
static WAIT: FlagSet = FlagSet {
    name: "wait",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "WNOHANG"),
        sym(0x2, "WUNTRACED"),
        sym(0x4, "WEXITED"),
        sym(0x8, "WCONTINUED"),
        sym(0x1000000, "WNOWAIT"),
        sym(0x20000000, "__WNOTHREAD"),
        sym(0x40000000, "__WALL"),
        sym(0x80000000, "__WCLONE"),
    ],
    zero: None,
};

/// `eventfd2(2)` flags.
static EFD: FlagSet = FlagSet {
    name: "efd",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "EFD_SEMAPHORE"),
        sym(0o2000000, "EFD_CLOEXEC"),
        sym(0o4000, "EFD_NONBLOCK"),
    ],
    zero: None,
};

/// `timerfd_create(2)` flags.
static TFD: FlagSet = FlagSet {
    name: "tfd",
    field_mask: 0,
    field: &[],
    flags: &[sym(0o2000000, "TFD_CLOEXEC"), sym(0o4000, "TFD_NONBLOCK")],
    zero: None,
};

/// `timerfd_settime(2)` flags.
static TFD_SETTIME: FlagSet = FlagSet {
    name: "tfd_settime",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "TFD_TIMER_ABSTIME"),
        sym(2, "TFD_TIMER_CANCEL_ON_SET"),
    ],
    zero: None,
};

/// `signalfd4(2)` flags.
static SFD: FlagSet = FlagSet {
    name: "sfd",
    field_mask: 0,
    field: &[],
    flags: &[sym(0o2000000, "SFD_CLOEXEC"), sym(0o4000, "SFD_NONBLOCK")],
    zero: None,
};

/// `inotify_init1(2)` flags.
static IN_INIT: FlagSet = FlagSet {
    name: "in_init",
    field_mask: 0,
    field: &[],
    flags: &[sym(0o2000000, "IN_CLOEXEC"), sym(0o4000, "IN_NONBLOCK")],
    zero: None,
};

/// `inotify_add_watch(2)` mask.
static IN_MASK: FlagSet = FlagSet {
    name: "in_mask",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "IN_ACCESS"),
        sym(0x2, "IN_MODIFY"),
        sym(0x4, "IN_ATTRIB"),
        sym(0x8, "IN_CLOSE_WRITE"),
        sym(0x10, "IN_CLOSE_NOWRITE"),
        sym(0x20, "IN_OPEN"),
        sym(0x40, "IN_MOVED_FROM"),
        sym(0x80, "IN_MOVED_TO"),
        sym(0x100, "IN_CREATE"),
        sym(0x200, "IN_DELETE"),
        sym(0x400, "IN_DELETE_SELF"),
        sym(0x800, "IN_MOVE_SELF"),
        sym(0x2000, "IN_UNMOUNT"),
        sym(0x4000, "IN_Q_OVERFLOW"),
        sym(0x8000, "IN_IGNORED"),
        sym(0x1000000, "IN_ONLYDIR"),
        sym(0x2000000, "IN_DONT_FOLLOW"),
        sym(0x4000000, "IN_EXCL_UNLINK"),
        sym(0x10000000, "IN_MASK_CREATE"),
        sym(0x20000000, "IN_MASK_ADD"),
        sym(0x40000000, "IN_ISDIR"),
        sym(0x80000000, "IN_ONESHOT"),
    ],
    zero: None,
};

/// `memfd_create(2)` flags.
static MFD: FlagSet = FlagSet {
    name: "mfd",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "MFD_CLOEXEC"),
        sym(0x2, "MFD_ALLOW_SEALING"),
        sym(0x4, "MFD_HUGETLB"),
        sym(0x8, "MFD_NOEXEC_SEAL"),
        sym(0x10, "MFD_EXEC"),
        // log2(page size) << MFD_HUGE_SHIFT (26), with MFD_HUGETLB.
        sym(21 << 26, "MFD_HUGE_2MB"),
        sym(30 << 26, "MFD_HUGE_1GB"),
    ],
    zero: None,
};

/// `renameat2(2)` flags.
static RENAME: FlagSet = FlagSet {
    name: "rename",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "RENAME_NOREPLACE"),
        sym(2, "RENAME_EXCHANGE"),
        sym(4, "RENAME_WHITEOUT"),
    ],
    zero: None,
};

/// `splice`/`tee`/`vmsplice` flags.
static SPLICE: FlagSet = FlagSet {
    name: "splice",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "SPLICE_F_MOVE"),
        sym(2, "SPLICE_F_NONBLOCK"),
        sym(4, "SPLICE_F_MORE"),
        sym(8, "SPLICE_F_GIFT"),
    ],
    zero: None,
};

/// `getrandom(2)` flags.
static GRND: FlagSet = FlagSet {
    name: "grnd",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "GRND_NONBLOCK"),
        sym(2, "GRND_RANDOM"),
        sym(4, "GRND_INSECURE"),
    ],
    zero: None,
};

/// `setxattr(2)` flags.
static XATTR: FlagSet = FlagSet {
    name: "xattr",
    field_mask: 0,
    field: &[],
    flags: &[sym(1, "XATTR_CREATE"), sym(2, "XATTR_REPLACE")],
    zero: None,
};

/// SysV IPC `*get`/`msgsnd`/`msgrcv` flags with the permission bits. SHM_HUGETLB (0o4000) and
/// SHM_NORESERVE (0o10000) of shmget share bits with IPC_NOWAIT and MSG_NOERROR; the latter are
/// listed. The permission bits are named with their `S_I*` names so that `IPC_CREAT|0600` prints
/// as `IPC_CREAT|S_IRUSR|S_IWUSR` rather than as a hex remainder.
static IPC: FlagSet = FlagSet {
    name: "ipc",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0o1000, "IPC_CREAT"),
        sym(0o2000, "IPC_EXCL"),
        sym(0o4000, "IPC_NOWAIT"),
        sym(0o10000, "MSG_NOERROR"),
        sym(0o20000, "MSG_EXCEPT"),
        sym(0o40000, "MSG_COPY"),
        sym(0o400, "S_IRUSR"),
        sym(0o200, "S_IWUSR"),
        sym(0o100, "S_IXUSR"),
        sym(0o40, "S_IRGRP"),
        sym(0o20, "S_IWGRP"),
        sym(0o10, "S_IXGRP"),
        sym(0o4, "S_IROTH"),
        sym(0o2, "S_IWOTH"),
        sym(0o1, "S_IXOTH"),
    ],
    zero: None,
};

/// `shmat(2)` flags.
static SHM: FlagSet = FlagSet {
    name: "shm",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0o10000, "SHM_RDONLY"),
        sym(0o20000, "SHM_RND"),
        sym(0o40000, "SHM_REMAP"),
        sym(0o100000, "SHM_EXEC"),
    ],
    zero: None,
};

/// `mount(2)` flags. MS_MGC_VAL is the magic old callers put in the upper 16 bits; it is a
/// multi-bit value and is tested first.
static MOUNT: FlagSet = FlagSet {
    name: "mount",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0xC0ED0000, "MS_MGC_VAL"),
        sym(1 << 0, "MS_RDONLY"),
        sym(1 << 1, "MS_NOSUID"),
        sym(1 << 2, "MS_NODEV"),
        sym(1 << 3, "MS_NOEXEC"),
        sym(1 << 4, "MS_SYNCHRONOUS"),
        sym(1 << 5, "MS_REMOUNT"),
        sym(1 << 6, "MS_MANDLOCK"),
        sym(1 << 7, "MS_DIRSYNC"),
        sym(1 << 8, "MS_NOSYMFOLLOW"),
        sym(1 << 10, "MS_NOATIME"),
        sym(1 << 11, "MS_NODIRATIME"),
        sym(1 << 12, "MS_BIND"),
        sym(1 << 13, "MS_MOVE"),
        sym(1 << 14, "MS_REC"),
        sym(1 << 15, "MS_SILENT"),
        sym(1 << 16, "MS_POSIXACL"),
        sym(1 << 17, "MS_UNBINDABLE"),
        sym(1 << 18, "MS_PRIVATE"),
        sym(1 << 19, "MS_SLAVE"),
        sym(1 << 20, "MS_SHARED"),
        sym(1 << 21, "MS_RELATIME"),
        sym(1 << 22, "MS_KERNMOUNT"),
        sym(1 << 23, "MS_I_VERSION"),
        sym(1 << 24, "MS_STRICTATIME"),
        sym(1 << 25, "MS_LAZYTIME"),
        sym(1 << 26, "MS_SUBMOUNT"),
        sym(1 << 27, "MS_NOREMOTELOCK"),
        sym(1 << 28, "MS_NOSEC"),
        sym(1 << 29, "MS_BORN"),
        sym(1 << 30, "MS_ACTIVE"),
        sym(1 << 31, "MS_NOUSER"),
    ],
    zero: None,
};

/// `umount2(2)` flags.
static UMOUNT: FlagSet = FlagSet {
    name: "umount",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "MNT_FORCE"),
        sym(2, "MNT_DETACH"),
        sym(4, "MNT_EXPIRE"),
        sym(8, "UMOUNT_NOFOLLOW"),
    ],
    zero: None,
};

/// `flock(2)` operation (the LOCK_MAND bits are obsolete but still defined).
static LOCK: FlagSet = FlagSet {
    name: "lock",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "LOCK_SH"),
        sym(2, "LOCK_EX"),
        sym(4, "LOCK_NB"),
        sym(8, "LOCK_UN"),
        sym(32, "LOCK_MAND"),
        sym(64, "LOCK_READ"),
        sym(128, "LOCK_WRITE"),
    ],
    zero: None,
};

/// `clock_nanosleep`/`timer_settime` flags.
static TIMER: FlagSet = FlagSet {
    name: "timer",
    field_mask: 0,
    field: &[],
    flags: &[sym(1, "TIMER_ABSTIME")],
    zero: None,
};

/// `statx(2)` mask (composite masks first, as strace does).
static STATX_MASK: FlagSet = FlagSet {
    name: "statx_mask",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0xfff, "STATX_ALL"),
        sym(0x7ff, "STATX_BASIC_STATS"),
        sym(0x1, "STATX_TYPE"),
        sym(0x2, "STATX_MODE"),
        sym(0x4, "STATX_NLINK"),
        sym(0x8, "STATX_UID"),
        sym(0x10, "STATX_GID"),
        sym(0x20, "STATX_ATIME"),
        sym(0x40, "STATX_MTIME"),
        sym(0x80, "STATX_CTIME"),
        sym(0x100, "STATX_INO"),
        sym(0x200, "STATX_SIZE"),
        sym(0x400, "STATX_BLOCKS"),
        sym(0x800, "STATX_BTIME"),
        sym(0x1000, "STATX_MNT_ID"),
        sym(0x2000, "STATX_DIOALIGN"),
        sym(0x4000, "STATX_MNT_ID_UNIQUE"),
        sym(0x8000, "STATX_SUBVOL"),
        sym(0x10000, "STATX_WRITE_ATOMIC"),
        sym(0x20000, "STATX_DIO_READ_ALIGN"),
        sym(0x80000000, "STATX__RESERVED"),
    ],
    zero: None,
};

/// `close_range(2)` flags.
static CLOSE_RANGE: FlagSet = FlagSet {
    name: "close_range",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1 << 1, "CLOSE_RANGE_UNSHARE"),
        sym(1 << 2, "CLOSE_RANGE_CLOEXEC"),
    ],
    zero: None,
};

/// `pidfd_open(2)` flags.
static PIDFD: FlagSet = FlagSet {
    name: "pidfd",
    field_mask: 0,
    field: &[],
    flags: &[sym(0o200, "PIDFD_THREAD"), sym(0o4000, "PIDFD_NONBLOCK")],
    zero: None,
};

/// `preadv2`/`pwritev2` flags.
static RWF: FlagSet = FlagSet {
    name: "rwf",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "RWF_HIPRI"),
        sym(0x2, "RWF_DSYNC"),
        sym(0x4, "RWF_SYNC"),
        sym(0x8, "RWF_NOWAIT"),
        sym(0x10, "RWF_APPEND"),
        sym(0x20, "RWF_NOAPPEND"),
        sym(0x40, "RWF_ATOMIC"),
        sym(0x80, "RWF_DONTCACHE"),
    ],
    zero: None,
};

/// `seccomp(SECCOMP_SET_MODE_FILTER)` flags.
static SECCOMP_FILTER: FlagSet = FlagSet {
    name: "seccomp_filter",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1 << 0, "SECCOMP_FILTER_FLAG_TSYNC"),
        sym(1 << 1, "SECCOMP_FILTER_FLAG_LOG"),
        sym(1 << 2, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
        sym(1 << 3, "SECCOMP_FILTER_FLAG_NEW_LISTENER"),
        sym(1 << 4, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"),
        sym(1 << 5, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
    ],
    zero: None,
};

/// `io_uring_enter(2)` flags.
static URING_ENTER: FlagSet = FlagSet {
    name: "uring_enter",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1 << 0, "IORING_ENTER_GETEVENTS"),
        sym(1 << 1, "IORING_ENTER_SQ_WAKEUP"),
        sym(1 << 2, "IORING_ENTER_SQ_WAIT"),
        sym(1 << 3, "IORING_ENTER_EXT_ARG"),
        sym(1 << 4, "IORING_ENTER_REGISTERED_RING"),
        sym(1 << 5, "IORING_ENTER_ABS_TIMER"),
        sym(1 << 6, "IORING_ENTER_EXT_ARG_REG"),
        sym(1 << 7, "IORING_ENTER_NO_IOWAIT"),
    ],
    zero: None,
};

/// `io_uring_params.flags` for `io_uring_setup(2)`.
static URING_SETUP: FlagSet = FlagSet {
    name: "uring_setup",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1 << 0, "IORING_SETUP_IOPOLL"),
        sym(1 << 1, "IORING_SETUP_SQPOLL"),
        sym(1 << 2, "IORING_SETUP_SQ_AFF"),
        sym(1 << 3, "IORING_SETUP_CQSIZE"),
        sym(1 << 4, "IORING_SETUP_CLAMP"),
        sym(1 << 5, "IORING_SETUP_ATTACH_WQ"),
        sym(1 << 6, "IORING_SETUP_R_DISABLED"),
        sym(1 << 7, "IORING_SETUP_SUBMIT_ALL"),
        sym(1 << 8, "IORING_SETUP_COOP_TASKRUN"),
        sym(1 << 9, "IORING_SETUP_TASKRUN_FLAG"),
        sym(1 << 10, "IORING_SETUP_SQE128"),
        sym(1 << 11, "IORING_SETUP_CQE32"),
        sym(1 << 12, "IORING_SETUP_SINGLE_ISSUER"),
        sym(1 << 13, "IORING_SETUP_DEFER_TASKRUN"),
        sym(1 << 14, "IORING_SETUP_NO_MMAP"),
        sym(1 << 15, "IORING_SETUP_REGISTERED_FD_ONLY"),
        sym(1 << 16, "IORING_SETUP_NO_SQARRAY"),
        sym(1 << 17, "IORING_SETUP_HYBRID_IOPOLL"),
    ],
    zero: None,
};

/// `personality(2)`: the PER_* execution domain in the low byte (PER_MASK) plus the flag bits.
/// The field names are the low-byte values (PER_SVR4 is really `1|STICKY_TIMEOUTS|MMAP_PAGE_ZERO`,
/// which prints as `PER_SVR4|MMAP_PAGE_ZERO|STICKY_TIMEOUTS`).
static PERSONALITY: FlagSet = FlagSet {
    name: "personality",
    field_mask: 0xff,
    field: &[
        sym(0x00, "PER_LINUX"),
        sym(0x01, "PER_SVR4"),
        sym(0x02, "PER_SVR3"),
        sym(0x03, "PER_SCOSVR3"),
        sym(0x04, "PER_WYSEV386"),
        sym(0x05, "PER_ISCR4"),
        sym(0x06, "PER_BSD"),
        sym(0x07, "PER_XENIX"),
        sym(0x08, "PER_LINUX32"),
        sym(0x09, "PER_IRIX32"),
        sym(0x0a, "PER_IRIXN32"),
        sym(0x0b, "PER_IRIX64"),
        sym(0x0c, "PER_RISCOS"),
        sym(0x0d, "PER_SOLARIS"),
        sym(0x0e, "PER_UW7"),
        sym(0x0f, "PER_OSF4"),
        sym(0x10, "PER_HPUX"),
    ],
    flags: &[
        sym(0x0020000, "UNAME26"),
        sym(0x0040000, "ADDR_NO_RANDOMIZE"),
        sym(0x0080000, "FDPIC_FUNCPTRS"),
        sym(0x0100000, "MMAP_PAGE_ZERO"),
        sym(0x0200000, "ADDR_COMPAT_LAYOUT"),
        sym(0x0400000, "READ_IMPLIES_EXEC"),
        sym(0x0800000, "ADDR_LIMIT_32BIT"),
        sym(0x1000000, "SHORT_INODE"),
        sym(0x2000000, "WHOLE_SECONDS"),
        sym(0x4000000, "STICKY_TIMEOUTS"),
        sym(0x8000000, "ADDR_LIMIT_3GB"),
    ],
    zero: None,
};

/// `get_mempolicy(2)` flags.
static MEMPOLICY: FlagSet = FlagSet {
    name: "mempolicy",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1 << 0, "MPOL_F_NODE"),
        sym(1 << 1, "MPOL_F_ADDR"),
        sym(1 << 2, "MPOL_F_MEMS_ALLOWED"),
    ],
    zero: None,
};

/// `fanotify_init(2)` flags: the notification class (FAN_ALL_CLASS_BITS) plus flag bits.
static FAN_INIT: FlagSet = FlagSet {
    name: "fan_init",
    field_mask: 0xc,
    field: &[
        sym(0x0, "FAN_CLASS_NOTIF"),
        sym(0x4, "FAN_CLASS_CONTENT"),
        sym(0x8, "FAN_CLASS_PRE_CONTENT"),
    ],
    flags: &[
        sym(0x1, "FAN_CLOEXEC"),
        sym(0x2, "FAN_NONBLOCK"),
        sym(0x10, "FAN_UNLIMITED_QUEUE"),
        sym(0x20, "FAN_UNLIMITED_MARKS"),
        sym(0x40, "FAN_ENABLE_AUDIT"),
        sym(0x80, "FAN_REPORT_PIDFD"),
        sym(0x100, "FAN_REPORT_TID"),
        sym(0x200, "FAN_REPORT_FID"),
        sym(0x400, "FAN_REPORT_DIR_FID"),
        sym(0x800, "FAN_REPORT_NAME"),
        sym(0x1000, "FAN_REPORT_TARGET_FID"),
        sym(0x2000, "FAN_REPORT_FD_ERROR"),
        sym(0x4000, "FAN_REPORT_MNT"),
    ],
    zero: None,
};

/// `fanotify_mark(2)` flags (FAN_MARK_MNTNS = MOUNT|FILESYSTEM comes before both).
static FAN_MARK: FlagSet = FlagSet {
    name: "fan_mark",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x1, "FAN_MARK_ADD"),
        sym(0x2, "FAN_MARK_REMOVE"),
        sym(0x4, "FAN_MARK_DONT_FOLLOW"),
        sym(0x8, "FAN_MARK_ONLYDIR"),
        sym(0x110, "FAN_MARK_MNTNS"),
        sym(0x10, "FAN_MARK_MOUNT"),
        sym(0x20, "FAN_MARK_IGNORED_MASK"),
        sym(0x40, "FAN_MARK_IGNORED_SURV_MODIFY"),
        sym(0x80, "FAN_MARK_FLUSH"),
        sym(0x100, "FAN_MARK_FILESYSTEM"),
        sym(0x200, "FAN_MARK_EVICTABLE"),
        sym(0x400, "FAN_MARK_IGNORE"),
    ],
    zero: None,
};

/// `memfd_secret(2)` flags.
static MEMFD_SECRET: FlagSet = FlagSet {
    name: "memfd_secret",
    field_mask: 0,
    field: &[],
    flags: &[sym(0o2000000, "O_CLOEXEC")],
    zero: None,
};

/// `sync_file_range(2)` flags.
static SYNC_FILE_RANGE: FlagSet = FlagSet {
    name: "sync_file_range",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "SYNC_FILE_RANGE_WAIT_BEFORE"),
        sym(2, "SYNC_FILE_RANGE_WRITE"),
        sym(4, "SYNC_FILE_RANGE_WAIT_AFTER"),
    ],
    zero: None,
};

/// `fallocate(2)` mode.
static FALLOCATE: FlagSet = FlagSet {
    name: "fallocate",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x01, "FALLOC_FL_KEEP_SIZE"),
        sym(0x02, "FALLOC_FL_PUNCH_HOLE"),
        sym(0x04, "FALLOC_FL_NO_HIDE_STALE"),
        sym(0x08, "FALLOC_FL_COLLAPSE_RANGE"),
        sym(0x10, "FALLOC_FL_ZERO_RANGE"),
        sym(0x20, "FALLOC_FL_INSERT_RANGE"),
        sym(0x40, "FALLOC_FL_UNSHARE_RANGE"),
        sym(0x80, "FALLOC_FL_WRITE_ZEROES"),
    ],
    zero: None,
};

/// `landlock_create_ruleset(2)` flags.
static LANDLOCK: FlagSet = FlagSet {
    name: "landlock",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1 << 0, "LANDLOCK_CREATE_RULESET_VERSION"),
        sym(1 << 1, "LANDLOCK_CREATE_RULESET_ERRATA"),
    ],
    zero: None,
};

/// `membarrier(2)` flags.
static MEMBARRIER_FLAGS: FlagSet = FlagSet {
    name: "membarrier_flags",
    field_mask: 0,
    field: &[],
    flags: &[sym(1, "MEMBARRIER_CMD_FLAG_CPU")],
    zero: None,
};

/// `open_tree(2)` flags: OPEN_TREE_* plus the AT_* flags it accepts.
static OPEN_TREE: FlagSet = FlagSet {
    name: "open_tree",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(1, "OPEN_TREE_CLONE"),
        sym(0o2000000, "OPEN_TREE_CLOEXEC"),
        sym(0x100, "AT_SYMLINK_NOFOLLOW"),
        sym(0x800, "AT_NO_AUTOMOUNT"),
        sym(0x1000, "AT_EMPTY_PATH"),
        sym(0x8000, "AT_RECURSIVE"),
    ],
    zero: None,
};

/// `move_mount(2)` flags.
static MOVE_MOUNT: FlagSet = FlagSet {
    name: "move_mount",
    field_mask: 0,
    field: &[],
    flags: &[
        sym(0x01, "MOVE_MOUNT_F_SYMLINKS"),
        sym(0x02, "MOVE_MOUNT_F_AUTOMOUNTS"),
        sym(0x04, "MOVE_MOUNT_F_EMPTY_PATH"),
        sym(0x10, "MOVE_MOUNT_T_SYMLINKS"),
        sym(0x20, "MOVE_MOUNT_T_AUTOMOUNTS"),
        sym(0x40, "MOVE_MOUNT_T_EMPTY_PATH"),
        sym(0x100, "MOVE_MOUNT_SET_GROUP"),
        sym(0x200, "MOVE_MOUNT_BENEATH"),
    ],
    zero: None,
};

/// `fsopen(2)` flags.
static FSOPEN: FlagSet = FlagSet {
    name: "fsopen",
    field_mask: 0,
    field: &[],
    flags: &[sym(1, "FSOPEN_CLOEXEC")],
    zero: None,
};

/// `fsmount(2)` flags.
static FSMOUNT: FlagSet = FlagSet {
    name: "fsmount",
    field_mask: 0,
    field: &[],
    flags: &[sym(1, "FSMOUNT_CLOEXEC")],
    zero: None,
};

// ---------------------------------------------------------------------------------------------
// Enum sets
// ---------------------------------------------------------------------------------------------

/// Every enum set, looked up by name from the signature data (`enum:NAME`).
pub(crate) static ENUM_SETS: &[&EnumSet] = &[
    &FCNTL,
    &SEEK,
    &AF,
    &IPPROTO,
    &SOL,
    &SO,
    &SHUT,
    &SIG,
    &SIGHOW,
    &PR,
    &ARCH_PRCTL,
    &RLIMIT,
    &CLOCK,
    &ITIMER,
    &MADV,
    &FADV,
    &EPOLL_CTL,
    &FUTEX,
    &PTRACE,
    &SCHED_POLICY,
    &PRIO_WHICH,
    &RUSAGE_WHO,
    &IPC_CMD,
    &SECCOMP_OP,
    &BPF_CMD,
    &KEYCTL,
    &MEMBARRIER_CMD,
    &IDTYPE,
    &SOCKETCALL,
    &IPC_CALL,
    &QUOTACTL,
    &REBOOT,
    &SYSLOG,
    &MEMPOLICY_MODE,
    &URING_REGISTER,
    &IOPRIO_WHICH,
    &SYSFS,
    &KCMP,
    &FSCONFIG,
];

/// `fcntl(2)` commands. F_GETLK64/F_SETLK64/F_SETLKW64 are the 32-bit (i386) numbers; on 64-bit
/// they equal F_GETLK/F_SETLK/F_SETLKW.
static FCNTL: EnumSet = EnumSet {
    name: "fcntl",
    values: &[
        sym(0, "F_DUPFD"),
        sym(1, "F_GETFD"),
        sym(2, "F_SETFD"),
        sym(3, "F_GETFL"),
        sym(4, "F_SETFL"),
        sym(5, "F_GETLK"),
        sym(6, "F_SETLK"),
        sym(7, "F_SETLKW"),
        sym(8, "F_SETOWN"),
        sym(9, "F_GETOWN"),
        sym(10, "F_SETSIG"),
        sym(11, "F_GETSIG"),
        sym(12, "F_GETLK64"),
        sym(13, "F_SETLK64"),
        sym(14, "F_SETLKW64"),
        sym(15, "F_SETOWN_EX"),
        sym(16, "F_GETOWN_EX"),
        sym(17, "F_GETOWNER_UIDS"),
        sym(36, "F_OFD_GETLK"),
        sym(37, "F_OFD_SETLK"),
        sym(38, "F_OFD_SETLKW"),
        sym(1024, "F_SETLEASE"),
        sym(1025, "F_GETLEASE"),
        sym(1026, "F_NOTIFY"),
        sym(1027, "F_DUPFD_QUERY"),
        sym(1028, "F_CREATED_QUERY"),
        sym(1029, "F_CANCELLK"),
        sym(1030, "F_DUPFD_CLOEXEC"),
        sym(1031, "F_SETPIPE_SZ"),
        sym(1032, "F_GETPIPE_SZ"),
        sym(1033, "F_ADD_SEALS"),
        sym(1034, "F_GET_SEALS"),
        sym(1035, "F_GET_RW_HINT"),
        sym(1036, "F_SET_RW_HINT"),
        sym(1037, "F_GET_FILE_RW_HINT"),
        sym(1038, "F_SET_FILE_RW_HINT"),
    ],
};

/// `lseek(2)` whence.
static SEEK: EnumSet = EnumSet {
    name: "seek",
    values: &[
        sym(0, "SEEK_SET"),
        sym(1, "SEEK_CUR"),
        sym(2, "SEEK_END"),
        sym(3, "SEEK_DATA"),
        sym(4, "SEEK_HOLE"),
    ],
};

/// Address families (linux/socket.h).
static AF: EnumSet = EnumSet {
    name: "af",
    values: &[
        sym(0, "AF_UNSPEC"),
        sym(1, "AF_UNIX"),
        sym(2, "AF_INET"),
        sym(3, "AF_AX25"),
        sym(4, "AF_IPX"),
        sym(5, "AF_APPLETALK"),
        sym(6, "AF_NETROM"),
        sym(7, "AF_BRIDGE"),
        sym(8, "AF_ATMPVC"),
        sym(9, "AF_X25"),
        sym(10, "AF_INET6"),
        sym(11, "AF_ROSE"),
        sym(12, "AF_DECnet"),
        sym(13, "AF_NETBEUI"),
        sym(14, "AF_SECURITY"),
        sym(15, "AF_KEY"),
        sym(16, "AF_NETLINK"),
        sym(17, "AF_PACKET"),
        sym(18, "AF_ASH"),
        sym(19, "AF_ECONET"),
        sym(20, "AF_ATMSVC"),
        sym(21, "AF_RDS"),
        sym(22, "AF_SNA"),
        sym(23, "AF_IRDA"),
        sym(24, "AF_PPPOX"),
        sym(25, "AF_WANPIPE"),
        sym(26, "AF_LLC"),
        sym(27, "AF_IB"),
        sym(28, "AF_MPLS"),
        sym(29, "AF_CAN"),
        sym(30, "AF_TIPC"),
        sym(31, "AF_BLUETOOTH"),
        sym(32, "AF_IUCV"),
        sym(33, "AF_RXRPC"),
        sym(34, "AF_ISDN"),
        sym(35, "AF_PHONET"),
        sym(36, "AF_IEEE802154"),
        sym(37, "AF_CAIF"),
        sym(38, "AF_ALG"),
        sym(39, "AF_NFC"),
        sym(40, "AF_VSOCK"),
        sym(41, "AF_KCM"),
        sym(42, "AF_QIPCRTR"),
        sym(43, "AF_SMC"),
        sym(44, "AF_XDP"),
        sym(45, "AF_MCTP"),
    ],
};

/// IP protocol numbers (linux/in.h, linux/in6.h for the IPv6 extension headers).
static IPPROTO: EnumSet = EnumSet {
    name: "ipproto",
    values: &[
        sym(0, "IPPROTO_IP"),
        sym(1, "IPPROTO_ICMP"),
        sym(2, "IPPROTO_IGMP"),
        sym(4, "IPPROTO_IPIP"),
        sym(6, "IPPROTO_TCP"),
        sym(8, "IPPROTO_EGP"),
        sym(12, "IPPROTO_PUP"),
        sym(17, "IPPROTO_UDP"),
        sym(22, "IPPROTO_IDP"),
        sym(29, "IPPROTO_TP"),
        sym(33, "IPPROTO_DCCP"),
        sym(41, "IPPROTO_IPV6"),
        sym(43, "IPPROTO_ROUTING"),
        sym(44, "IPPROTO_FRAGMENT"),
        sym(46, "IPPROTO_RSVP"),
        sym(47, "IPPROTO_GRE"),
        sym(50, "IPPROTO_ESP"),
        sym(51, "IPPROTO_AH"),
        sym(58, "IPPROTO_ICMPV6"),
        sym(59, "IPPROTO_NONE"),
        sym(60, "IPPROTO_DSTOPTS"),
        sym(92, "IPPROTO_MTP"),
        sym(94, "IPPROTO_BEETPH"),
        sym(98, "IPPROTO_ENCAP"),
        sym(103, "IPPROTO_PIM"),
        sym(108, "IPPROTO_COMP"),
        sym(115, "IPPROTO_L2TP"),
        sym(132, "IPPROTO_SCTP"),
        sym(135, "IPPROTO_MH"),
        sym(136, "IPPROTO_UDPLITE"),
        sym(137, "IPPROTO_MPLS"),
        sym(143, "IPPROTO_ETHERNET"),
        sym(255, "IPPROTO_RAW"),
        sym(256, "IPPROTO_SMC"),
        sym(262, "IPPROTO_MPTCP"),
    ],
};

/// Socket option levels.
static SOL: EnumSet = EnumSet {
    name: "sol",
    values: &[
        sym(0, "SOL_IP"),
        sym(1, "SOL_SOCKET"),
        sym(6, "SOL_TCP"),
        sym(17, "SOL_UDP"),
        sym(41, "SOL_IPV6"),
        sym(58, "SOL_ICMPV6"),
        sym(132, "SOL_SCTP"),
        sym(136, "SOL_UDPLITE"),
        sym(255, "SOL_RAW"),
        sym(256, "SOL_IPX"),
        sym(257, "SOL_AX25"),
        sym(258, "SOL_ATALK"),
        sym(259, "SOL_NETROM"),
        sym(260, "SOL_ROSE"),
        sym(261, "SOL_DECNET"),
        sym(262, "SOL_X25"),
        sym(263, "SOL_PACKET"),
        sym(264, "SOL_ATM"),
        sym(265, "SOL_AAL"),
        sym(266, "SOL_IRDA"),
        sym(267, "SOL_NETBEUI"),
        sym(268, "SOL_LLC"),
        sym(269, "SOL_DCCP"),
        sym(270, "SOL_NETLINK"),
        sym(271, "SOL_TIPC"),
        sym(272, "SOL_RXRPC"),
        sym(273, "SOL_PPPOL2TP"),
        sym(274, "SOL_BLUETOOTH"),
        sym(275, "SOL_PNPIPE"),
        sym(276, "SOL_RDS"),
        sym(277, "SOL_IUCV"),
        sym(278, "SOL_CAIF"),
        sym(279, "SOL_ALG"),
        sym(280, "SOL_NFC"),
        sym(281, "SOL_KCM"),
        sym(282, "SOL_TLS"),
        sym(283, "SOL_XDP"),
        sym(284, "SOL_MPTCP"),
        sym(285, "SOL_MCTP"),
        sym(286, "SOL_SMC"),
        sym(287, "SOL_VSOCK"),
    ],
};

/// `SOL_SOCKET` option names (asm-generic/socket.h, x86_64). The 64-bit time variants are
/// printed with their `_OLD` names, as strace does.
static SO: EnumSet = EnumSet {
    name: "so",
    values: &[
        sym(1, "SO_DEBUG"),
        sym(2, "SO_REUSEADDR"),
        sym(3, "SO_TYPE"),
        sym(4, "SO_ERROR"),
        sym(5, "SO_DONTROUTE"),
        sym(6, "SO_BROADCAST"),
        sym(7, "SO_SNDBUF"),
        sym(8, "SO_RCVBUF"),
        sym(9, "SO_KEEPALIVE"),
        sym(10, "SO_OOBINLINE"),
        sym(11, "SO_NO_CHECK"),
        sym(12, "SO_PRIORITY"),
        sym(13, "SO_LINGER"),
        sym(14, "SO_BSDCOMPAT"),
        sym(15, "SO_REUSEPORT"),
        sym(16, "SO_PASSCRED"),
        sym(17, "SO_PEERCRED"),
        sym(18, "SO_RCVLOWAT"),
        sym(19, "SO_SNDLOWAT"),
        sym(20, "SO_RCVTIMEO_OLD"),
        sym(21, "SO_SNDTIMEO_OLD"),
        sym(22, "SO_SECURITY_AUTHENTICATION"),
        sym(23, "SO_SECURITY_ENCRYPTION_TRANSPORT"),
        sym(24, "SO_SECURITY_ENCRYPTION_NETWORK"),
        sym(25, "SO_BINDTODEVICE"),
        sym(26, "SO_ATTACH_FILTER"),
        sym(27, "SO_DETACH_FILTER"),
        sym(28, "SO_PEERNAME"),
        sym(29, "SO_TIMESTAMP_OLD"),
        sym(30, "SO_ACCEPTCONN"),
        sym(31, "SO_PEERSEC"),
        sym(32, "SO_SNDBUFFORCE"),
        sym(33, "SO_RCVBUFFORCE"),
        sym(34, "SO_PASSSEC"),
        sym(35, "SO_TIMESTAMPNS_OLD"),
        sym(36, "SO_MARK"),
        sym(37, "SO_TIMESTAMPING_OLD"),
        sym(38, "SO_PROTOCOL"),
        sym(39, "SO_DOMAIN"),
        sym(40, "SO_RXQ_OVFL"),
        sym(41, "SO_WIFI_STATUS"),
        sym(42, "SO_PEEK_OFF"),
        sym(43, "SO_NOFCS"),
        sym(44, "SO_LOCK_FILTER"),
        sym(45, "SO_SELECT_ERR_QUEUE"),
        sym(46, "SO_BUSY_POLL"),
        sym(47, "SO_MAX_PACING_RATE"),
        sym(48, "SO_BPF_EXTENSIONS"),
        sym(49, "SO_INCOMING_CPU"),
        sym(50, "SO_ATTACH_BPF"),
        sym(51, "SO_ATTACH_REUSEPORT_CBPF"),
        sym(52, "SO_ATTACH_REUSEPORT_EBPF"),
        sym(53, "SO_CNX_ADVICE"),
        sym(54, "SCM_TIMESTAMPING_OPT_STATS"),
        sym(55, "SO_MEMINFO"),
        sym(56, "SO_INCOMING_NAPI_ID"),
        sym(57, "SO_COOKIE"),
        sym(58, "SCM_TIMESTAMPING_PKTINFO"),
        sym(59, "SO_PEERGROUPS"),
        sym(60, "SO_ZEROCOPY"),
        sym(61, "SO_TXTIME"),
        sym(62, "SO_BINDTOIFINDEX"),
        sym(63, "SO_TIMESTAMP_NEW"),
        sym(64, "SO_TIMESTAMPNS_NEW"),
        sym(65, "SO_TIMESTAMPING_NEW"),
        sym(66, "SO_RCVTIMEO_NEW"),
        sym(67, "SO_SNDTIMEO_NEW"),
        sym(68, "SO_DETACH_REUSEPORT_BPF"),
        sym(69, "SO_PREFER_BUSY_POLL"),
        sym(70, "SO_BUSY_POLL_BUDGET"),
        sym(71, "SO_NETNS_COOKIE"),
        sym(72, "SO_BUF_LOCK"),
        sym(73, "SO_RESERVE_MEM"),
        sym(74, "SO_TXREHASH"),
        sym(75, "SO_RCVMARK"),
        sym(76, "SO_PASSPIDFD"),
        sym(77, "SO_PEERPIDFD"),
        sym(78, "SO_DEVMEM_LINEAR"),
        sym(79, "SO_DEVMEM_DMABUF"),
        sym(80, "SO_DEVMEM_DONTNEED"),
        sym(81, "SCM_TS_OPT_ID"),
        sym(82, "SO_RCVPRIORITY"),
        sym(83, "SO_PASSRIGHTS"),
        sym(84, "SO_INQ"),
    ],
};

/// `shutdown(2)` how.
static SHUT: EnumSet = EnumSet {
    name: "shut",
    values: &[sym(0, "SHUT_RD"), sym(1, "SHUT_WR"), sym(2, "SHUT_RDWR")],
};

/// Signal names as an enum set (same table as [`SIGNALS`]).
static SIG: EnumSet = EnumSet {
    name: "sig",
    values: SIGNAL_LIST,
};

/// `sigprocmask(2)` how.
static SIGHOW: EnumSet = EnumSet {
    name: "sighow",
    values: &[
        sym(0, "SIG_BLOCK"),
        sym(1, "SIG_UNBLOCK"),
        sym(2, "SIG_SETMASK"),
    ],
};

/// `prctl(2)` options.
static PR: EnumSet = EnumSet {
    name: "pr",
    values: &[
        sym(1, "PR_SET_PDEATHSIG"),
        sym(2, "PR_GET_PDEATHSIG"),
        sym(3, "PR_GET_DUMPABLE"),
        sym(4, "PR_SET_DUMPABLE"),
        sym(5, "PR_GET_UNALIGN"),
        sym(6, "PR_SET_UNALIGN"),
        sym(7, "PR_GET_KEEPCAPS"),
        sym(8, "PR_SET_KEEPCAPS"),
        sym(9, "PR_GET_FPEMU"),
        sym(10, "PR_SET_FPEMU"),
        sym(11, "PR_GET_FPEXC"),
        sym(12, "PR_SET_FPEXC"),
        sym(13, "PR_GET_TIMING"),
        sym(14, "PR_SET_TIMING"),
        sym(15, "PR_SET_NAME"),
        sym(16, "PR_GET_NAME"),
        sym(19, "PR_GET_ENDIAN"),
        sym(20, "PR_SET_ENDIAN"),
        sym(21, "PR_GET_SECCOMP"),
        sym(22, "PR_SET_SECCOMP"),
        sym(23, "PR_CAPBSET_READ"),
        sym(24, "PR_CAPBSET_DROP"),
        sym(25, "PR_GET_TSC"),
        sym(26, "PR_SET_TSC"),
        sym(27, "PR_GET_SECUREBITS"),
        sym(28, "PR_SET_SECUREBITS"),
        sym(29, "PR_SET_TIMERSLACK"),
        sym(30, "PR_GET_TIMERSLACK"),
        sym(31, "PR_TASK_PERF_EVENTS_DISABLE"),
        sym(32, "PR_TASK_PERF_EVENTS_ENABLE"),
        sym(33, "PR_MCE_KILL"),
        sym(34, "PR_MCE_KILL_GET"),
        sym(35, "PR_SET_MM"),
        sym(36, "PR_SET_CHILD_SUBREAPER"),
        sym(37, "PR_GET_CHILD_SUBREAPER"),
        sym(38, "PR_SET_NO_NEW_PRIVS"),
        sym(39, "PR_GET_NO_NEW_PRIVS"),
        sym(40, "PR_GET_TID_ADDRESS"),
        sym(41, "PR_SET_THP_DISABLE"),
        sym(42, "PR_GET_THP_DISABLE"),
        sym(43, "PR_MPX_ENABLE_MANAGEMENT"),
        sym(44, "PR_MPX_DISABLE_MANAGEMENT"),
        sym(45, "PR_SET_FP_MODE"),
        sym(46, "PR_GET_FP_MODE"),
        sym(47, "PR_CAP_AMBIENT"),
        sym(50, "PR_SVE_SET_VL"),
        sym(51, "PR_SVE_GET_VL"),
        sym(52, "PR_GET_SPECULATION_CTRL"),
        sym(53, "PR_SET_SPECULATION_CTRL"),
        sym(54, "PR_PAC_RESET_KEYS"),
        sym(55, "PR_SET_TAGGED_ADDR_CTRL"),
        sym(56, "PR_GET_TAGGED_ADDR_CTRL"),
        sym(57, "PR_SET_IO_FLUSHER"),
        sym(58, "PR_GET_IO_FLUSHER"),
        sym(59, "PR_SET_SYSCALL_USER_DISPATCH"),
        sym(60, "PR_PAC_SET_ENABLED_KEYS"),
        sym(61, "PR_PAC_GET_ENABLED_KEYS"),
        sym(62, "PR_SCHED_CORE"),
        sym(63, "PR_SME_SET_VL"),
        sym(64, "PR_SME_GET_VL"),
        sym(65, "PR_SET_MDWE"),
        sym(66, "PR_GET_MDWE"),
        sym(67, "PR_SET_MEMORY_MERGE"),
        sym(68, "PR_GET_MEMORY_MERGE"),
        sym(69, "PR_RISCV_V_SET_CONTROL"),
        sym(70, "PR_RISCV_V_GET_CONTROL"),
        sym(71, "PR_RISCV_SET_ICACHE_FLUSH_CTX"),
        sym(72, "PR_PPC_GET_DEXCR"),
        sym(73, "PR_PPC_SET_DEXCR"),
        sym(74, "PR_GET_SHADOW_STACK_STATUS"),
        sym(75, "PR_SET_SHADOW_STACK_STATUS"),
        sym(76, "PR_LOCK_SHADOW_STACK_STATUS"),
        sym(77, "PR_TIMER_CREATE_RESTORE_IDS"),
        sym(78, "PR_FUTEX_HASH"),
        sym(0x41555856, "PR_GET_AUXV"),
        sym(0x53564d41, "PR_SET_VMA"),
        sym(0x59616d61, "PR_SET_PTRACER"),
    ],
};

/// `arch_prctl(2)` codes (x86).
static ARCH_PRCTL: EnumSet = EnumSet {
    name: "arch_prctl",
    values: &[
        sym(0x1001, "ARCH_SET_GS"),
        sym(0x1002, "ARCH_SET_FS"),
        sym(0x1003, "ARCH_GET_FS"),
        sym(0x1004, "ARCH_GET_GS"),
        sym(0x1011, "ARCH_GET_CPUID"),
        sym(0x1012, "ARCH_SET_CPUID"),
        sym(0x1021, "ARCH_GET_XCOMP_SUPP"),
        sym(0x1022, "ARCH_GET_XCOMP_PERM"),
        sym(0x1023, "ARCH_REQ_XCOMP_PERM"),
        sym(0x1024, "ARCH_GET_XCOMP_GUEST_PERM"),
        sym(0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"),
        sym(0x2001, "ARCH_MAP_VDSO_X32"),
        sym(0x2002, "ARCH_MAP_VDSO_32"),
        sym(0x2003, "ARCH_MAP_VDSO_64"),
        sym(0x4001, "ARCH_GET_UNTAG_MASK"),
        sym(0x4002, "ARCH_ENABLE_TAGGED_ADDR"),
        sym(0x4003, "ARCH_GET_MAX_TAG_BITS"),
        sym(0x4004, "ARCH_FORCE_TAGGED_SVA"),
        sym(0x5001, "ARCH_SHSTK_ENABLE"),
        sym(0x5002, "ARCH_SHSTK_DISABLE"),
        sym(0x5003, "ARCH_SHSTK_LOCK"),
        sym(0x5004, "ARCH_SHSTK_UNLOCK"),
        sym(0x5005, "ARCH_SHSTK_STATUS"),
    ],
};

/// Resource limits.
static RLIMIT: EnumSet = EnumSet {
    name: "rlimit",
    values: &[
        sym(0, "RLIMIT_CPU"),
        sym(1, "RLIMIT_FSIZE"),
        sym(2, "RLIMIT_DATA"),
        sym(3, "RLIMIT_STACK"),
        sym(4, "RLIMIT_CORE"),
        sym(5, "RLIMIT_RSS"),
        sym(6, "RLIMIT_NPROC"),
        sym(7, "RLIMIT_NOFILE"),
        sym(8, "RLIMIT_MEMLOCK"),
        sym(9, "RLIMIT_AS"),
        sym(10, "RLIMIT_LOCKS"),
        sym(11, "RLIMIT_SIGPENDING"),
        sym(12, "RLIMIT_MSGQUEUE"),
        sym(13, "RLIMIT_NICE"),
        sym(14, "RLIMIT_RTPRIO"),
        sym(15, "RLIMIT_RTTIME"),
    ],
};

/// Clock ids.
static CLOCK: EnumSet = EnumSet {
    name: "clock",
    values: &[
        sym(0, "CLOCK_REALTIME"),
        sym(1, "CLOCK_MONOTONIC"),
        sym(2, "CLOCK_PROCESS_CPUTIME_ID"),
        sym(3, "CLOCK_THREAD_CPUTIME_ID"),
        sym(4, "CLOCK_MONOTONIC_RAW"),
        sym(5, "CLOCK_REALTIME_COARSE"),
        sym(6, "CLOCK_MONOTONIC_COARSE"),
        sym(7, "CLOCK_BOOTTIME"),
        sym(8, "CLOCK_REALTIME_ALARM"),
        sym(9, "CLOCK_BOOTTIME_ALARM"),
        sym(10, "CLOCK_SGI_CYCLE"),
        sym(11, "CLOCK_TAI"),
    ],
};

/// Interval timers.
static ITIMER: EnumSet = EnumSet {
    name: "itimer",
    values: &[
        sym(0, "ITIMER_REAL"),
        sym(1, "ITIMER_VIRTUAL"),
        sym(2, "ITIMER_PROF"),
    ],
};

/// `madvise(2)` advice.
static MADV: EnumSet = EnumSet {
    name: "madv",
    values: &[
        sym(0, "MADV_NORMAL"),
        sym(1, "MADV_RANDOM"),
        sym(2, "MADV_SEQUENTIAL"),
        sym(3, "MADV_WILLNEED"),
        sym(4, "MADV_DONTNEED"),
        sym(8, "MADV_FREE"),
        sym(9, "MADV_REMOVE"),
        sym(10, "MADV_DONTFORK"),
        sym(11, "MADV_DOFORK"),
        sym(12, "MADV_MERGEABLE"),
        sym(13, "MADV_UNMERGEABLE"),
        sym(14, "MADV_HUGEPAGE"),
        sym(15, "MADV_NOHUGEPAGE"),
        sym(16, "MADV_DONTDUMP"),
        sym(17, "MADV_DODUMP"),
        sym(18, "MADV_WIPEONFORK"),
        sym(19, "MADV_KEEPONFORK"),
        sym(20, "MADV_COLD"),
        sym(21, "MADV_PAGEOUT"),
        sym(22, "MADV_POPULATE_READ"),
        sym(23, "MADV_POPULATE_WRITE"),
        sym(24, "MADV_DONTNEED_LOCKED"),
        sym(25, "MADV_COLLAPSE"),
        sym(100, "MADV_HWPOISON"),
        sym(101, "MADV_SOFT_OFFLINE"),
        sym(102, "MADV_GUARD_INSTALL"),
        sym(103, "MADV_GUARD_REMOVE"),
    ],
};

/// `posix_fadvise(2)` advice (x86_64 values; s390x uses 6/7 for DONTNEED/NOREUSE).
static FADV: EnumSet = EnumSet {
    name: "fadv",
    values: &[
        sym(0, "POSIX_FADV_NORMAL"),
        sym(1, "POSIX_FADV_RANDOM"),
        sym(2, "POSIX_FADV_SEQUENTIAL"),
        sym(3, "POSIX_FADV_WILLNEED"),
        sym(4, "POSIX_FADV_DONTNEED"),
        sym(5, "POSIX_FADV_NOREUSE"),
    ],
};

/// `epoll_ctl(2)` operations.
static EPOLL_CTL: EnumSet = EnumSet {
    name: "epoll_ctl",
    values: &[
        sym(1, "EPOLL_CTL_ADD"),
        sym(2, "EPOLL_CTL_DEL"),
        sym(3, "EPOLL_CTL_MOD"),
    ],
};

/// `futex(2)` operations with the FUTEX_PRIVATE_FLAG (128) and FUTEX_CLOCK_REALTIME (256) bits
/// spelled out the way strace prints them.
static FUTEX: EnumSet = EnumSet {
    name: "futex",
    values: &[
        sym(0, "FUTEX_WAIT"),
        sym(1, "FUTEX_WAKE"),
        sym(2, "FUTEX_FD"),
        sym(3, "FUTEX_REQUEUE"),
        sym(4, "FUTEX_CMP_REQUEUE"),
        sym(5, "FUTEX_WAKE_OP"),
        sym(6, "FUTEX_LOCK_PI"),
        sym(7, "FUTEX_UNLOCK_PI"),
        sym(8, "FUTEX_TRYLOCK_PI"),
        sym(9, "FUTEX_WAIT_BITSET"),
        sym(10, "FUTEX_WAKE_BITSET"),
        sym(11, "FUTEX_WAIT_REQUEUE_PI"),
        sym(12, "FUTEX_CMP_REQUEUE_PI"),
        sym(13, "FUTEX_LOCK_PI2"),
        sym(128, "FUTEX_WAIT_PRIVATE"),
        sym(129, "FUTEX_WAKE_PRIVATE"),
        sym(130, "FUTEX_FD_PRIVATE"),
        sym(131, "FUTEX_REQUEUE_PRIVATE"),
        sym(132, "FUTEX_CMP_REQUEUE_PRIVATE"),
        sym(133, "FUTEX_WAKE_OP_PRIVATE"),
        sym(134, "FUTEX_LOCK_PI_PRIVATE"),
        sym(135, "FUTEX_UNLOCK_PI_PRIVATE"),
        sym(136, "FUTEX_TRYLOCK_PI_PRIVATE"),
        sym(137, "FUTEX_WAIT_BITSET_PRIVATE"),
        sym(138, "FUTEX_WAKE_BITSET_PRIVATE"),
        sym(139, "FUTEX_WAIT_REQUEUE_PI_PRIVATE"),
        sym(140, "FUTEX_CMP_REQUEUE_PI_PRIVATE"),
        sym(141, "FUTEX_LOCK_PI2_PRIVATE"),
        sym(256, "FUTEX_WAIT|FUTEX_CLOCK_REALTIME"),
        sym(265, "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME"),
        sym(267, "FUTEX_WAIT_REQUEUE_PI|FUTEX_CLOCK_REALTIME"),
        sym(269, "FUTEX_LOCK_PI2|FUTEX_CLOCK_REALTIME"),
        sym(384, "FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME"),
        sym(393, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"),
        sym(395, "FUTEX_WAIT_REQUEUE_PI_PRIVATE|FUTEX_CLOCK_REALTIME"),
        sym(397, "FUTEX_LOCK_PI2_PRIVATE|FUTEX_CLOCK_REALTIME"),
    ],
};

/// `ptrace(2)` requests (generic plus x86_64-specific).
static PTRACE: EnumSet = EnumSet {
    name: "ptrace",
    values: &[
        sym(0, "PTRACE_TRACEME"),
        sym(1, "PTRACE_PEEKTEXT"),
        sym(2, "PTRACE_PEEKDATA"),
        sym(3, "PTRACE_PEEKUSER"),
        sym(4, "PTRACE_POKETEXT"),
        sym(5, "PTRACE_POKEDATA"),
        sym(6, "PTRACE_POKEUSER"),
        sym(7, "PTRACE_CONT"),
        sym(8, "PTRACE_KILL"),
        sym(9, "PTRACE_SINGLESTEP"),
        sym(12, "PTRACE_GETREGS"),
        sym(13, "PTRACE_SETREGS"),
        sym(14, "PTRACE_GETFPREGS"),
        sym(15, "PTRACE_SETFPREGS"),
        sym(16, "PTRACE_ATTACH"),
        sym(17, "PTRACE_DETACH"),
        sym(18, "PTRACE_GETFPXREGS"),
        sym(19, "PTRACE_SETFPXREGS"),
        sym(21, "PTRACE_OLDSETOPTIONS"),
        sym(24, "PTRACE_SYSCALL"),
        sym(25, "PTRACE_GET_THREAD_AREA"),
        sym(26, "PTRACE_SET_THREAD_AREA"),
        sym(30, "PTRACE_ARCH_PRCTL"),
        sym(31, "PTRACE_SYSEMU"),
        sym(32, "PTRACE_SYSEMU_SINGLESTEP"),
        sym(33, "PTRACE_SINGLEBLOCK"),
        sym(0x4200, "PTRACE_SETOPTIONS"),
        sym(0x4201, "PTRACE_GETEVENTMSG"),
        sym(0x4202, "PTRACE_GETSIGINFO"),
        sym(0x4203, "PTRACE_SETSIGINFO"),
        sym(0x4204, "PTRACE_GETREGSET"),
        sym(0x4205, "PTRACE_SETREGSET"),
        sym(0x4206, "PTRACE_SEIZE"),
        sym(0x4207, "PTRACE_INTERRUPT"),
        sym(0x4208, "PTRACE_LISTEN"),
        sym(0x4209, "PTRACE_PEEKSIGINFO"),
        sym(0x420a, "PTRACE_GETSIGMASK"),
        sym(0x420b, "PTRACE_SETSIGMASK"),
        sym(0x420c, "PTRACE_SECCOMP_GET_FILTER"),
        sym(0x420d, "PTRACE_SECCOMP_GET_METADATA"),
        sym(0x420e, "PTRACE_GET_SYSCALL_INFO"),
        sym(0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
        sym(0x4210, "PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG"),
        sym(0x4211, "PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG"),
        sym(0x4212, "PTRACE_SET_SYSCALL_INFO"),
    ],
};

/// Scheduling policies, alone and with SCHED_RESET_ON_FORK (0x40000000) as strace prints them.
static SCHED_POLICY: EnumSet = EnumSet {
    name: "sched_policy",
    values: &[
        sym(0, "SCHED_OTHER"),
        sym(1, "SCHED_FIFO"),
        sym(2, "SCHED_RR"),
        sym(3, "SCHED_BATCH"),
        sym(4, "SCHED_ISO"),
        sym(5, "SCHED_IDLE"),
        sym(6, "SCHED_DEADLINE"),
        sym(7, "SCHED_EXT"),
        sym(0x40000000, "SCHED_OTHER|SCHED_RESET_ON_FORK"),
        sym(0x40000001, "SCHED_FIFO|SCHED_RESET_ON_FORK"),
        sym(0x40000002, "SCHED_RR|SCHED_RESET_ON_FORK"),
        sym(0x40000003, "SCHED_BATCH|SCHED_RESET_ON_FORK"),
        sym(0x40000005, "SCHED_IDLE|SCHED_RESET_ON_FORK"),
        sym(0x40000006, "SCHED_DEADLINE|SCHED_RESET_ON_FORK"),
        sym(0x40000007, "SCHED_EXT|SCHED_RESET_ON_FORK"),
    ],
};

/// `getpriority`/`setpriority` which.
static PRIO_WHICH: EnumSet = EnumSet {
    name: "prio_which",
    values: &[
        sym(0, "PRIO_PROCESS"),
        sym(1, "PRIO_PGRP"),
        sym(2, "PRIO_USER"),
    ],
};

/// `getrusage(2)` who. RUSAGE_CHILDREN is -1, stored sign-extended to 64 bits.
static RUSAGE_WHO: EnumSet = EnumSet {
    name: "rusage_who",
    values: &[
        sym(0, "RUSAGE_SELF"),
        sym(-1i64 as u64, "RUSAGE_CHILDREN"),
        sym(1, "RUSAGE_THREAD"),
    ],
};

/// SysV IPC `*ctl` commands. The shm, sem and msg specific commands reuse the numbers 11..=15;
/// one set serves shmctl, semctl and msgctl, so the shm names come first and win for
/// [`EnumSet::name_of`] (the sem and msg names remain available to [`EnumSet::value_of`]).
static IPC_CMD: EnumSet = EnumSet {
    name: "ipc_cmd",
    values: &[
        sym(0, "IPC_RMID"),
        sym(1, "IPC_SET"),
        sym(2, "IPC_STAT"),
        sym(3, "IPC_INFO"),
        sym(11, "SHM_LOCK"),
        sym(12, "SHM_UNLOCK"),
        sym(13, "SHM_STAT"),
        sym(14, "SHM_INFO"),
        sym(15, "SHM_STAT_ANY"),
        sym(11, "GETPID"),
        sym(12, "GETVAL"),
        sym(13, "GETALL"),
        sym(14, "GETNCNT"),
        sym(15, "GETZCNT"),
        sym(16, "SETVAL"),
        sym(17, "SETALL"),
        sym(18, "SEM_STAT"),
        sym(19, "SEM_INFO"),
        sym(20, "SEM_STAT_ANY"),
        sym(11, "MSG_STAT"),
        sym(12, "MSG_INFO"),
        sym(13, "MSG_STAT_ANY"),
    ],
};

/// `seccomp(2)` operations.
static SECCOMP_OP: EnumSet = EnumSet {
    name: "seccomp_op",
    values: &[
        sym(0, "SECCOMP_SET_MODE_STRICT"),
        sym(1, "SECCOMP_SET_MODE_FILTER"),
        sym(2, "SECCOMP_GET_ACTION_AVAIL"),
        sym(3, "SECCOMP_GET_NOTIF_SIZES"),
    ],
};

/// `bpf(2)` commands.
static BPF_CMD: EnumSet = EnumSet {
    name: "bpf_cmd",
    values: &[
        sym(0, "BPF_MAP_CREATE"),
        sym(1, "BPF_MAP_LOOKUP_ELEM"),
        sym(2, "BPF_MAP_UPDATE_ELEM"),
        sym(3, "BPF_MAP_DELETE_ELEM"),
        sym(4, "BPF_MAP_GET_NEXT_KEY"),
        sym(5, "BPF_PROG_LOAD"),
        sym(6, "BPF_OBJ_PIN"),
        sym(7, "BPF_OBJ_GET"),
        sym(8, "BPF_PROG_ATTACH"),
        sym(9, "BPF_PROG_DETACH"),
        sym(10, "BPF_PROG_TEST_RUN"),
        sym(11, "BPF_PROG_GET_NEXT_ID"),
        sym(12, "BPF_MAP_GET_NEXT_ID"),
        sym(13, "BPF_PROG_GET_FD_BY_ID"),
        sym(14, "BPF_MAP_GET_FD_BY_ID"),
        sym(15, "BPF_OBJ_GET_INFO_BY_FD"),
        sym(16, "BPF_PROG_QUERY"),
        sym(17, "BPF_RAW_TRACEPOINT_OPEN"),
        sym(18, "BPF_BTF_LOAD"),
        sym(19, "BPF_BTF_GET_FD_BY_ID"),
        sym(20, "BPF_TASK_FD_QUERY"),
        sym(21, "BPF_MAP_LOOKUP_AND_DELETE_ELEM"),
        sym(22, "BPF_MAP_FREEZE"),
        sym(23, "BPF_BTF_GET_NEXT_ID"),
        sym(24, "BPF_MAP_LOOKUP_BATCH"),
        sym(25, "BPF_MAP_LOOKUP_AND_DELETE_BATCH"),
        sym(26, "BPF_MAP_UPDATE_BATCH"),
        sym(27, "BPF_MAP_DELETE_BATCH"),
        sym(28, "BPF_LINK_CREATE"),
        sym(29, "BPF_LINK_UPDATE"),
        sym(30, "BPF_LINK_GET_FD_BY_ID"),
        sym(31, "BPF_LINK_GET_NEXT_ID"),
        sym(32, "BPF_ENABLE_STATS"),
        sym(33, "BPF_ITER_CREATE"),
        sym(34, "BPF_LINK_DETACH"),
        sym(35, "BPF_PROG_BIND_MAP"),
        sym(36, "BPF_TOKEN_CREATE"),
        sym(37, "BPF_PROG_STREAM_READ_BY_FD"),
    ],
};

/// `keyctl(2)` operations.
static KEYCTL: EnumSet = EnumSet {
    name: "keyctl",
    values: &[
        sym(0, "KEYCTL_GET_KEYRING_ID"),
        sym(1, "KEYCTL_JOIN_SESSION_KEYRING"),
        sym(2, "KEYCTL_UPDATE"),
        sym(3, "KEYCTL_REVOKE"),
        sym(4, "KEYCTL_CHOWN"),
        sym(5, "KEYCTL_SETPERM"),
        sym(6, "KEYCTL_DESCRIBE"),
        sym(7, "KEYCTL_CLEAR"),
        sym(8, "KEYCTL_LINK"),
        sym(9, "KEYCTL_UNLINK"),
        sym(10, "KEYCTL_SEARCH"),
        sym(11, "KEYCTL_READ"),
        sym(12, "KEYCTL_INSTANTIATE"),
        sym(13, "KEYCTL_NEGATE"),
        sym(14, "KEYCTL_SET_REQKEY_KEYRING"),
        sym(15, "KEYCTL_SET_TIMEOUT"),
        sym(16, "KEYCTL_ASSUME_AUTHORITY"),
        sym(17, "KEYCTL_GET_SECURITY"),
        sym(18, "KEYCTL_SESSION_TO_PARENT"),
        sym(19, "KEYCTL_REJECT"),
        sym(20, "KEYCTL_INSTANTIATE_IOV"),
        sym(21, "KEYCTL_INVALIDATE"),
        sym(22, "KEYCTL_GET_PERSISTENT"),
        sym(23, "KEYCTL_DH_COMPUTE"),
        sym(24, "KEYCTL_PKEY_QUERY"),
        sym(25, "KEYCTL_PKEY_ENCRYPT"),
        sym(26, "KEYCTL_PKEY_DECRYPT"),
        sym(27, "KEYCTL_PKEY_SIGN"),
        sym(28, "KEYCTL_PKEY_VERIFY"),
        sym(29, "KEYCTL_RESTRICT_KEYRING"),
        sym(30, "KEYCTL_MOVE"),
        sym(31, "KEYCTL_CAPABILITIES"),
        sym(32, "KEYCTL_WATCH_KEY"),
    ],
};

/// `membarrier(2)` commands.
static MEMBARRIER_CMD: EnumSet = EnumSet {
    name: "membarrier_cmd",
    values: &[
        sym(0, "MEMBARRIER_CMD_QUERY"),
        sym(1 << 0, "MEMBARRIER_CMD_GLOBAL"),
        sym(1 << 1, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
        sym(1 << 2, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
        sym(1 << 3, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
        sym(1 << 4, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
        sym(1 << 5, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
        sym(
            1 << 6,
            "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE",
        ),
        sym(1 << 7, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
        sym(1 << 8, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
        sym(1 << 9, "MEMBARRIER_CMD_GET_REGISTRATIONS"),
    ],
};

/// `waitid(2)` id types.
static IDTYPE: EnumSet = EnumSet {
    name: "idtype",
    values: &[
        sym(0, "P_ALL"),
        sym(1, "P_PID"),
        sym(2, "P_PGID"),
        sym(3, "P_PIDFD"),
    ],
};

/// `socketcall(2)` calls (i386 multiplexer, linux/net.h).
static SOCKETCALL: EnumSet = EnumSet {
    name: "socketcall",
    values: &[
        sym(1, "SYS_SOCKET"),
        sym(2, "SYS_BIND"),
        sym(3, "SYS_CONNECT"),
        sym(4, "SYS_LISTEN"),
        sym(5, "SYS_ACCEPT"),
        sym(6, "SYS_GETSOCKNAME"),
        sym(7, "SYS_GETPEERNAME"),
        sym(8, "SYS_SOCKETPAIR"),
        sym(9, "SYS_SEND"),
        sym(10, "SYS_RECV"),
        sym(11, "SYS_SENDTO"),
        sym(12, "SYS_RECVFROM"),
        sym(13, "SYS_SHUTDOWN"),
        sym(14, "SYS_SETSOCKOPT"),
        sym(15, "SYS_GETSOCKOPT"),
        sym(16, "SYS_SENDMSG"),
        sym(17, "SYS_RECVMSG"),
        sym(18, "SYS_ACCEPT4"),
        sym(19, "SYS_RECVMMSG"),
        sym(20, "SYS_SENDMMSG"),
    ],
};

/// `ipc(2)` calls (i386 multiplexer, linux/ipc.h). The upper 16 bits of the argument carry a
/// version number; these are the low-16-bit call numbers.
static IPC_CALL: EnumSet = EnumSet {
    name: "ipc_call",
    values: &[
        sym(1, "SEMOP"),
        sym(2, "SEMGET"),
        sym(3, "SEMCTL"),
        sym(4, "SEMTIMEDOP"),
        sym(11, "MSGSND"),
        sym(12, "MSGRCV"),
        sym(13, "MSGGET"),
        sym(14, "MSGCTL"),
        sym(21, "SHMAT"),
        sym(22, "SHMDT"),
        sym(23, "SHMGET"),
        sym(24, "SHMCTL"),
    ],
};

/// `quotactl(2)` sub-commands. The syscall argument is `QCMD(cmd, type)` =
/// `(cmd << 8) | type`; these are the `cmd` values before the shift (linux/quota.h and the XFS
/// `XQM_CMD` commands of linux/dqblk_xfs.h).
static QUOTACTL: EnumSet = EnumSet {
    name: "quotactl",
    values: &[
        sym(0x800001, "Q_SYNC"),
        sym(0x800002, "Q_QUOTAON"),
        sym(0x800003, "Q_QUOTAOFF"),
        sym(0x800004, "Q_GETFMT"),
        sym(0x800005, "Q_GETINFO"),
        sym(0x800006, "Q_SETINFO"),
        sym(0x800007, "Q_GETQUOTA"),
        sym(0x800008, "Q_SETQUOTA"),
        sym(0x800009, "Q_GETNEXTQUOTA"),
        sym(0x5801, "Q_XQUOTAON"),
        sym(0x5802, "Q_XQUOTAOFF"),
        sym(0x5803, "Q_XGETQUOTA"),
        sym(0x5804, "Q_XSETQLIM"),
        sym(0x5805, "Q_XGETQSTAT"),
        sym(0x5806, "Q_XQUOTARM"),
        sym(0x5807, "Q_XQUOTASYNC"),
        sym(0x5808, "Q_XGETQSTATV"),
        sym(0x5809, "Q_XGETNEXTQUOTA"),
    ],
};

/// `reboot(2)` commands, plus the magic numbers of its first two arguments.
static REBOOT: EnumSet = EnumSet {
    name: "reboot",
    values: &[
        sym(0x01234567, "LINUX_REBOOT_CMD_RESTART"),
        sym(0xCDEF0123, "LINUX_REBOOT_CMD_HALT"),
        sym(0x89ABCDEF, "LINUX_REBOOT_CMD_CAD_ON"),
        sym(0x00000000, "LINUX_REBOOT_CMD_CAD_OFF"),
        sym(0x4321FEDC, "LINUX_REBOOT_CMD_POWER_OFF"),
        sym(0xA1B2C3D4, "LINUX_REBOOT_CMD_RESTART2"),
        sym(0xD000FCE2, "LINUX_REBOOT_CMD_SW_SUSPEND"),
        sym(0x45584543, "LINUX_REBOOT_CMD_KEXEC"),
        sym(0xfee1dead, "LINUX_REBOOT_MAGIC1"),
        sym(672274793, "LINUX_REBOOT_MAGIC2"),
        sym(85072278, "LINUX_REBOOT_MAGIC2A"),
        sym(369367448, "LINUX_REBOOT_MAGIC2B"),
        sym(537993216, "LINUX_REBOOT_MAGIC2C"),
    ],
};

/// `syslog(2)` actions.
static SYSLOG: EnumSet = EnumSet {
    name: "syslog",
    values: &[
        sym(0, "SYSLOG_ACTION_CLOSE"),
        sym(1, "SYSLOG_ACTION_OPEN"),
        sym(2, "SYSLOG_ACTION_READ"),
        sym(3, "SYSLOG_ACTION_READ_ALL"),
        sym(4, "SYSLOG_ACTION_READ_CLEAR"),
        sym(5, "SYSLOG_ACTION_CLEAR"),
        sym(6, "SYSLOG_ACTION_CONSOLE_OFF"),
        sym(7, "SYSLOG_ACTION_CONSOLE_ON"),
        sym(8, "SYSLOG_ACTION_CONSOLE_LEVEL"),
        sym(9, "SYSLOG_ACTION_SIZE_UNREAD"),
        sym(10, "SYSLOG_ACTION_SIZE_BUFFER"),
    ],
};

/// NUMA policy modes (`set_mempolicy`, `mbind`).
static MEMPOLICY_MODE: EnumSet = EnumSet {
    name: "mempolicy_mode",
    values: &[
        sym(0, "MPOL_DEFAULT"),
        sym(1, "MPOL_PREFERRED"),
        sym(2, "MPOL_BIND"),
        sym(3, "MPOL_INTERLEAVE"),
        sym(4, "MPOL_LOCAL"),
        sym(5, "MPOL_PREFERRED_MANY"),
        sym(6, "MPOL_WEIGHTED_INTERLEAVE"),
    ],
};

/// `io_uring_register(2)` opcodes.
static URING_REGISTER: EnumSet = EnumSet {
    name: "uring_register",
    values: &[
        sym(0, "IORING_REGISTER_BUFFERS"),
        sym(1, "IORING_UNREGISTER_BUFFERS"),
        sym(2, "IORING_REGISTER_FILES"),
        sym(3, "IORING_UNREGISTER_FILES"),
        sym(4, "IORING_REGISTER_EVENTFD"),
        sym(5, "IORING_UNREGISTER_EVENTFD"),
        sym(6, "IORING_REGISTER_FILES_UPDATE"),
        sym(7, "IORING_REGISTER_EVENTFD_ASYNC"),
        sym(8, "IORING_REGISTER_PROBE"),
        sym(9, "IORING_REGISTER_PERSONALITY"),
        sym(10, "IORING_UNREGISTER_PERSONALITY"),
        sym(11, "IORING_REGISTER_RESTRICTIONS"),
        sym(12, "IORING_REGISTER_ENABLE_RINGS"),
        sym(13, "IORING_REGISTER_FILES2"),
        sym(14, "IORING_REGISTER_FILES_UPDATE2"),
        sym(15, "IORING_REGISTER_BUFFERS2"),
        sym(16, "IORING_REGISTER_BUFFERS_UPDATE"),
        sym(17, "IORING_REGISTER_IOWQ_AFF"),
        sym(18, "IORING_UNREGISTER_IOWQ_AFF"),
        sym(19, "IORING_REGISTER_IOWQ_MAX_WORKERS"),
        sym(20, "IORING_REGISTER_RING_FDS"),
        sym(21, "IORING_UNREGISTER_RING_FDS"),
        sym(22, "IORING_REGISTER_PBUF_RING"),
        sym(23, "IORING_UNREGISTER_PBUF_RING"),
        sym(24, "IORING_REGISTER_SYNC_CANCEL"),
        sym(25, "IORING_REGISTER_FILE_ALLOC_RANGE"),
        sym(26, "IORING_REGISTER_PBUF_STATUS"),
        sym(27, "IORING_REGISTER_NAPI"),
        sym(28, "IORING_UNREGISTER_NAPI"),
        sym(29, "IORING_REGISTER_CLOCK"),
        sym(30, "IORING_REGISTER_CLONE_BUFFERS"),
        sym(31, "IORING_REGISTER_SEND_MSG_RING"),
        sym(32, "IORING_REGISTER_ZCRX_IFQ"),
        sym(33, "IORING_REGISTER_RESIZE_RINGS"),
        sym(34, "IORING_REGISTER_MEM_REGION"),
    ],
};

/// `ioprio_get`/`ioprio_set` which.
static IOPRIO_WHICH: EnumSet = EnumSet {
    name: "ioprio_which",
    values: &[
        sym(1, "IOPRIO_WHO_PROCESS"),
        sym(2, "IOPRIO_WHO_PGRP"),
        sym(3, "IOPRIO_WHO_USER"),
    ],
};

/// `sysfs(2)` options 1..=3 have no C names (strace prints them as numbers), so the set is
/// empty and values print in decimal.
static SYSFS: EnumSet = EnumSet {
    name: "sysfs",
    values: &[],
};

/// `kcmp(2)` types.
static KCMP: EnumSet = EnumSet {
    name: "kcmp",
    values: &[
        sym(0, "KCMP_FILE"),
        sym(1, "KCMP_VM"),
        sym(2, "KCMP_FILES"),
        sym(3, "KCMP_FS"),
        sym(4, "KCMP_SIGHAND"),
        sym(5, "KCMP_IO"),
        sym(6, "KCMP_SYSVSEM"),
        sym(7, "KCMP_EPOLL_TFD"),
    ],
};

/// `fsconfig(2)` commands.
static FSCONFIG: EnumSet = EnumSet {
    name: "fsconfig",
    values: &[
        sym(0, "FSCONFIG_SET_FLAG"),
        sym(1, "FSCONFIG_SET_STRING"),
        sym(2, "FSCONFIG_SET_BINARY"),
        sym(3, "FSCONFIG_SET_PATH"),
        sym(4, "FSCONFIG_SET_PATH_EMPTY"),
        sym(5, "FSCONFIG_SET_FD"),
        sym(6, "FSCONFIG_CMD_CREATE"),
        sym(7, "FSCONFIG_CMD_RECONFIGURE"),
        sym(8, "FSCONFIG_CMD_CREATE_EXCL"),
    ],
};

// ---------------------------------------------------------------------------------------------
// Errno values
// ---------------------------------------------------------------------------------------------

/// Every Linux errno (1..=133; 41 and 58 are unused) with glibc's `strerror` text, then the
/// kernel-internal codes (512..) that a tracer can see in a syscall's return value. Aliases use
/// the primary name: EAGAIN (EWOULDBLOCK), EDEADLK (EDEADLOCK), EOPNOTSUPP (ENOTSUP).
pub(crate) static ERRNOS: &[Errno] = &[
    errno(1, "EPERM", "Operation not permitted"),
    errno(2, "ENOENT", "No such file or directory"),
    errno(3, "ESRCH", "No such process"),
    errno(4, "EINTR", "Interrupted system call"),
    errno(5, "EIO", "Input/output error"),
    errno(6, "ENXIO", "No such device or address"),
    errno(7, "E2BIG", "Argument list too long"),
    errno(8, "ENOEXEC", "Exec format error"),
    errno(9, "EBADF", "Bad file descriptor"),
    errno(10, "ECHILD", "No child processes"),
    errno(11, "EAGAIN", "Resource temporarily unavailable"),
    errno(12, "ENOMEM", "Cannot allocate memory"),
    errno(13, "EACCES", "Permission denied"),
    errno(14, "EFAULT", "Bad address"),
    errno(15, "ENOTBLK", "Block device required"),
    errno(16, "EBUSY", "Device or resource busy"),
    errno(17, "EEXIST", "File exists"),
    errno(18, "EXDEV", "Invalid cross-device link"),
    errno(19, "ENODEV", "No such device"),
    errno(20, "ENOTDIR", "Not a directory"),
    errno(21, "EISDIR", "Is a directory"),
    errno(22, "EINVAL", "Invalid argument"),
    errno(23, "ENFILE", "Too many open files in system"),
    errno(24, "EMFILE", "Too many open files"),
    errno(25, "ENOTTY", "Inappropriate ioctl for device"),
    errno(26, "ETXTBSY", "Text file busy"),
    errno(27, "EFBIG", "File too large"),
    errno(28, "ENOSPC", "No space left on device"),
    errno(29, "ESPIPE", "Illegal seek"),
    errno(30, "EROFS", "Read-only file system"),
    errno(31, "EMLINK", "Too many links"),
    errno(32, "EPIPE", "Broken pipe"),
    errno(33, "EDOM", "Numerical argument out of domain"),
    errno(34, "ERANGE", "Numerical result out of range"),
    errno(35, "EDEADLK", "Resource deadlock avoided"),
    errno(36, "ENAMETOOLONG", "File name too long"),
    errno(37, "ENOLCK", "No locks available"),
    errno(38, "ENOSYS", "Function not implemented"),
    errno(39, "ENOTEMPTY", "Directory not empty"),
    errno(40, "ELOOP", "Too many levels of symbolic links"),
    errno(42, "ENOMSG", "No message of desired type"),
    errno(43, "EIDRM", "Identifier removed"),
    errno(44, "ECHRNG", "Channel number out of range"),
    errno(45, "EL2NSYNC", "Level 2 not synchronized"),
    errno(46, "EL3HLT", "Level 3 halted"),
    errno(47, "EL3RST", "Level 3 reset"),
    errno(48, "ELNRNG", "Link number out of range"),
    errno(49, "EUNATCH", "Protocol driver not attached"),
    errno(50, "ENOCSI", "No CSI structure available"),
    errno(51, "EL2HLT", "Level 2 halted"),
    errno(52, "EBADE", "Invalid exchange"),
    errno(53, "EBADR", "Invalid request descriptor"),
    errno(54, "EXFULL", "Exchange full"),
    errno(55, "ENOANO", "No anode"),
    errno(56, "EBADRQC", "Invalid request code"),
    errno(57, "EBADSLT", "Invalid slot"),
    errno(59, "EBFONT", "Bad font file format"),
    errno(60, "ENOSTR", "Device not a stream"),
    errno(61, "ENODATA", "No data available"),
    errno(62, "ETIME", "Timer expired"),
    errno(63, "ENOSR", "Out of streams resources"),
    errno(64, "ENONET", "Machine is not on the network"),
    errno(65, "ENOPKG", "Package not installed"),
    errno(66, "EREMOTE", "Object is remote"),
    errno(67, "ENOLINK", "Link has been severed"),
    errno(68, "EADV", "Advertise error"),
    errno(69, "ESRMNT", "Srmount error"),
    errno(70, "ECOMM", "Communication error on send"),
    errno(71, "EPROTO", "Protocol error"),
    errno(72, "EMULTIHOP", "Multihop attempted"),
    errno(73, "EDOTDOT", "RFS specific error"),
    errno(74, "EBADMSG", "Bad message"),
    errno(75, "EOVERFLOW", "Value too large for defined data type"),
    errno(76, "ENOTUNIQ", "Name not unique on network"),
    errno(77, "EBADFD", "File descriptor in bad state"),
    errno(78, "EREMCHG", "Remote address changed"),
    errno(79, "ELIBACC", "Can not access a needed shared library"),
    errno(80, "ELIBBAD", "Accessing a corrupted shared library"),
    errno(81, "ELIBSCN", ".lib section in a.out corrupted"),
    errno(
        82,
        "ELIBMAX",
        "Attempting to link in too many shared libraries",
    ),
    errno(83, "ELIBEXEC", "Cannot exec a shared library directly"),
    errno(
        84,
        "EILSEQ",
        "Invalid or incomplete multibyte or wide character",
    ),
    errno(
        85,
        "ERESTART",
        "Interrupted system call should be restarted",
    ),
    errno(86, "ESTRPIPE", "Streams pipe error"),
    errno(87, "EUSERS", "Too many users"),
    errno(88, "ENOTSOCK", "Socket operation on non-socket"),
    errno(89, "EDESTADDRREQ", "Destination address required"),
    errno(90, "EMSGSIZE", "Message too long"),
    errno(91, "EPROTOTYPE", "Protocol wrong type for socket"),
    errno(92, "ENOPROTOOPT", "Protocol not available"),
    errno(93, "EPROTONOSUPPORT", "Protocol not supported"),
    errno(94, "ESOCKTNOSUPPORT", "Socket type not supported"),
    errno(95, "EOPNOTSUPP", "Operation not supported"),
    errno(96, "EPFNOSUPPORT", "Protocol family not supported"),
    errno(
        97,
        "EAFNOSUPPORT",
        "Address family not supported by protocol",
    ),
    errno(98, "EADDRINUSE", "Address already in use"),
    errno(99, "EADDRNOTAVAIL", "Cannot assign requested address"),
    errno(100, "ENETDOWN", "Network is down"),
    errno(101, "ENETUNREACH", "Network is unreachable"),
    errno(102, "ENETRESET", "Network dropped connection on reset"),
    errno(103, "ECONNABORTED", "Software caused connection abort"),
    errno(104, "ECONNRESET", "Connection reset by peer"),
    errno(105, "ENOBUFS", "No buffer space available"),
    errno(106, "EISCONN", "Transport endpoint is already connected"),
    errno(107, "ENOTCONN", "Transport endpoint is not connected"),
    errno(
        108,
        "ESHUTDOWN",
        "Cannot send after transport endpoint shutdown",
    ),
    errno(109, "ETOOMANYREFS", "Too many references: cannot splice"),
    errno(110, "ETIMEDOUT", "Connection timed out"),
    errno(111, "ECONNREFUSED", "Connection refused"),
    errno(112, "EHOSTDOWN", "Host is down"),
    errno(113, "EHOSTUNREACH", "No route to host"),
    errno(114, "EALREADY", "Operation already in progress"),
    errno(115, "EINPROGRESS", "Operation now in progress"),
    errno(116, "ESTALE", "Stale file handle"),
    errno(117, "EUCLEAN", "Structure needs cleaning"),
    errno(118, "ENOTNAM", "Not a XENIX named type file"),
    errno(119, "ENAVAIL", "No XENIX semaphores available"),
    errno(120, "EISNAM", "Is a named type file"),
    errno(121, "EREMOTEIO", "Remote I/O error"),
    errno(122, "EDQUOT", "Disk quota exceeded"),
    errno(123, "ENOMEDIUM", "No medium found"),
    errno(124, "EMEDIUMTYPE", "Wrong medium type"),
    errno(125, "ECANCELED", "Operation canceled"),
    errno(126, "ENOKEY", "Required key not available"),
    errno(127, "EKEYEXPIRED", "Key has expired"),
    errno(128, "EKEYREVOKED", "Key has been revoked"),
    errno(129, "EKEYREJECTED", "Key was rejected by service"),
    errno(130, "EOWNERDEAD", "Owner died"),
    errno(131, "ENOTRECOVERABLE", "State not recoverable"),
    errno(132, "ERFKILL", "Operation not possible due to RF-kill"),
    errno(133, "EHWPOISON", "Memory page has hardware error"),
    // Kernel-internal codes (include/linux/errno.h); never returned to user space except where
    // a tracer observes them at syscall exit.
    errno(512, "ERESTARTSYS", "To be restarted if SA_RESTART is set"),
    errno(513, "ERESTARTNOINTR", "To be restarted"),
    errno(514, "ERESTARTNOHAND", "To be restarted if no handler"),
    errno(515, "ENOIOCTLCMD", "No ioctl command"),
    errno(516, "ERESTART_RESTARTBLOCK", "Interrupted by signal"),
    errno(517, "EPROBE_DEFER", "Driver requests probe retry"),
    errno(518, "EOPENSTALE", "Open found a stale dentry"),
    errno(519, "ENOPARAM", "Parameter not supported"),
    errno(521, "EBADHANDLE", "Illegal NFS file handle"),
    errno(522, "ENOTSYNC", "Update synchronization mismatch"),
    errno(523, "EBADCOOKIE", "Cookie is stale"),
    errno(524, "ENOTSUPP", "Operation is not supported"),
    errno(525, "ETOOSMALL", "Buffer or request is too small"),
    errno(526, "ESERVERFAULT", "An untranslatable error occurred"),
    errno(527, "EBADTYPE", "Type not supported by server"),
    errno(
        528,
        "EJUKEBOX",
        "Request initiated, but will not complete before timeout",
    ),
    errno(529, "EIOCBQUEUED", "iocb queued, will get completion event"),
    errno(530, "ERECALLCONFLICT", "Conflict with recalled state"),
    errno(531, "ENOGRACE", "NFS file lock reclaim refused"),
];

/// Shorthand used by the errno table.
const fn errno(num: u32, name: &'static str, message: &'static str) -> Errno {
    Errno { num, name, message }
}

// ---------------------------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------------------------

/// Signal names by number (x86_64 numbering). 32 and 33 are reserved by glibc for its own use
/// (NPTL cancellation and setxid), so they get neutral names and the application-visible
/// SIGRTMIN is 34; 35..=63 are SIGRT_1..=SIGRT_29 and 64 is SIGRTMAX. Every name starts with
/// `SIG` ([`crate::symbols::signal_by_name`] relies on it).
pub(crate) static SIGNALS: &[Sym] = SIGNAL_LIST;

const SIGNAL_LIST: &[Sym] = &[
    sym(1, "SIGHUP"),
    sym(2, "SIGINT"),
    sym(3, "SIGQUIT"),
    sym(4, "SIGILL"),
    sym(5, "SIGTRAP"),
    sym(6, "SIGABRT"),
    sym(7, "SIGBUS"),
    sym(8, "SIGFPE"),
    sym(9, "SIGKILL"),
    sym(10, "SIGUSR1"),
    sym(11, "SIGSEGV"),
    sym(12, "SIGUSR2"),
    sym(13, "SIGPIPE"),
    sym(14, "SIGALRM"),
    sym(15, "SIGTERM"),
    sym(16, "SIGSTKFLT"),
    sym(17, "SIGCHLD"),
    sym(18, "SIGCONT"),
    sym(19, "SIGSTOP"),
    sym(20, "SIGTSTP"),
    sym(21, "SIGTTIN"),
    sym(22, "SIGTTOU"),
    sym(23, "SIGURG"),
    sym(24, "SIGXCPU"),
    sym(25, "SIGXFSZ"),
    sym(26, "SIGVTALRM"),
    sym(27, "SIGPROF"),
    sym(28, "SIGWINCH"),
    sym(29, "SIGIO"),
    sym(30, "SIGPWR"),
    sym(31, "SIGSYS"),
    sym(32, "SIG_32"),
    sym(33, "SIG_33"),
    sym(34, "SIGRTMIN"),
    sym(35, "SIGRT_1"),
    sym(36, "SIGRT_2"),
    sym(37, "SIGRT_3"),
    sym(38, "SIGRT_4"),
    sym(39, "SIGRT_5"),
    sym(40, "SIGRT_6"),
    sym(41, "SIGRT_7"),
    sym(42, "SIGRT_8"),
    sym(43, "SIGRT_9"),
    sym(44, "SIGRT_10"),
    sym(45, "SIGRT_11"),
    sym(46, "SIGRT_12"),
    sym(47, "SIGRT_13"),
    sym(48, "SIGRT_14"),
    sym(49, "SIGRT_15"),
    sym(50, "SIGRT_16"),
    sym(51, "SIGRT_17"),
    sym(52, "SIGRT_18"),
    sym(53, "SIGRT_19"),
    sym(54, "SIGRT_20"),
    sym(55, "SIGRT_21"),
    sym(56, "SIGRT_22"),
    sym(57, "SIGRT_23"),
    sym(58, "SIGRT_24"),
    sym(59, "SIGRT_25"),
    sym(60, "SIGRT_26"),
    sym(61, "SIGRT_27"),
    sym(62, "SIGRT_28"),
    sym(63, "SIGRT_29"),
    sym(64, "SIGRTMAX"),
];

// ---------------------------------------------------------------------------------------------
// ioctl requests
// ---------------------------------------------------------------------------------------------

/// `_IOC` direction bits (asm-generic/ioctl.h; x86_64 and aarch64 use the generic layout).
const IOC_NONE: u64 = 0;
const IOC_WRITE: u64 = 1;
const IOC_READ: u64 = 2;

/// `_IOC(dir, type, nr, size)`: `dir << 30 | size << 16 | type << 8 | nr`.
const fn ioc(dir: u64, ty: u8, nr: u8, size: u64) -> u64 {
    (dir << 30) | (size << 16) | ((ty as u64) << 8) | nr as u64
}

/// `_IO(type, nr)`.
const fn io(ty: u8, nr: u8) -> u64 {
    ioc(IOC_NONE, ty, nr, 0)
}

/// `_IOR(type, nr, T)` with `size_of::<T>()` = `size`.
const fn ior(ty: u8, nr: u8, size: u64) -> u64 {
    ioc(IOC_READ, ty, nr, size)
}

/// `_IOW(type, nr, T)` with `size_of::<T>()` = `size`.
const fn iow(ty: u8, nr: u8, size: u64) -> u64 {
    ioc(IOC_WRITE, ty, nr, size)
}

/// `_IOWR(type, nr, T)` with `size_of::<T>()` = `size`.
const fn iowr(ty: u8, nr: u8, size: u64) -> u64 {
    ioc(IOC_READ | IOC_WRITE, ty, nr, size)
}

/// Known ioctl requests with their x86_64 numbers (struct sizes are the x86_64 LP64 sizes).
/// Aliases sharing a number (TIOCINQ/SIOCINQ = FIONREAD, SIOCOUTQ = TIOCOUTQ,
/// BTRFS_IOC_CLONE = FICLONE) appear once, under the name strace prints.
pub(crate) static IOCTLS: &[Sym] = &[
    // Terminals (asm-generic/ioctls.h).
    sym(0x5401, "TCGETS"),
    sym(0x5402, "TCSETS"),
    sym(0x5403, "TCSETSW"),
    sym(0x5404, "TCSETSF"),
    sym(0x5405, "TCGETA"),
    sym(0x5406, "TCSETA"),
    sym(0x5407, "TCSETAW"),
    sym(0x5408, "TCSETAF"),
    sym(0x5409, "TCSBRK"),
    sym(0x540A, "TCXONC"),
    sym(0x540B, "TCFLSH"),
    sym(0x540C, "TIOCEXCL"),
    sym(0x540D, "TIOCNXCL"),
    sym(0x540E, "TIOCSCTTY"),
    sym(0x540F, "TIOCGPGRP"),
    sym(0x5410, "TIOCSPGRP"),
    sym(0x5411, "TIOCOUTQ"),
    sym(0x5412, "TIOCSTI"),
    sym(0x5413, "TIOCGWINSZ"),
    sym(0x5414, "TIOCSWINSZ"),
    sym(0x5415, "TIOCMGET"),
    sym(0x5416, "TIOCMBIS"),
    sym(0x5417, "TIOCMBIC"),
    sym(0x5418, "TIOCMSET"),
    sym(0x5419, "TIOCGSOFTCAR"),
    sym(0x541A, "TIOCSSOFTCAR"),
    sym(0x541B, "FIONREAD"),
    sym(0x541C, "TIOCLINUX"),
    sym(0x541D, "TIOCCONS"),
    sym(0x541E, "TIOCGSERIAL"),
    sym(0x541F, "TIOCSSERIAL"),
    sym(0x5420, "TIOCPKT"),
    sym(0x5421, "FIONBIO"),
    sym(0x5422, "TIOCNOTTY"),
    sym(0x5423, "TIOCSETD"),
    sym(0x5424, "TIOCGETD"),
    sym(0x5425, "TCSBRKP"),
    sym(0x5427, "TIOCSBRK"),
    sym(0x5428, "TIOCCBRK"),
    sym(0x5429, "TIOCGSID"),
    sym(ior(b'T', 0x2A, 44), "TCGETS2"),
    sym(iow(b'T', 0x2B, 44), "TCSETS2"),
    sym(iow(b'T', 0x2C, 44), "TCSETSW2"),
    sym(iow(b'T', 0x2D, 44), "TCSETSF2"),
    sym(0x542E, "TIOCGRS485"),
    sym(0x542F, "TIOCSRS485"),
    sym(ior(b'T', 0x30, 4), "TIOCGPTN"),
    sym(iow(b'T', 0x31, 4), "TIOCSPTLCK"),
    sym(ior(b'T', 0x32, 4), "TIOCGDEV"),
    sym(0x5432, "TCGETX"),
    sym(0x5433, "TCSETX"),
    sym(0x5434, "TCSETXF"),
    sym(0x5435, "TCSETXW"),
    sym(iow(b'T', 0x36, 4), "TIOCSIG"),
    sym(0x5437, "TIOCVHANGUP"),
    sym(ior(b'T', 0x38, 4), "TIOCGPKT"),
    sym(ior(b'T', 0x39, 4), "TIOCGPTLCK"),
    sym(ior(b'T', 0x40, 4), "TIOCGEXCL"),
    sym(io(b'T', 0x41), "TIOCGPTPEER"),
    sym(0x5450, "FIONCLEX"),
    sym(0x5451, "FIOCLEX"),
    sym(0x5452, "FIOASYNC"),
    sym(0x5453, "TIOCSERCONFIG"),
    sym(0x5454, "TIOCSERGWILD"),
    sym(0x5455, "TIOCSERSWILD"),
    sym(0x5456, "TIOCGLCKTRMIOS"),
    sym(0x5457, "TIOCSLCKTRMIOS"),
    sym(0x5458, "TIOCSERGSTRUCT"),
    sym(0x5459, "TIOCSERGETLSR"),
    sym(0x545A, "TIOCSERGETMULTI"),
    sym(0x545B, "TIOCSERSETMULTI"),
    sym(0x545C, "TIOCMIWAIT"),
    sym(0x545D, "TIOCGICOUNT"),
    sym(0x5460, "FIOQSIZE"),
    // Generic file ioctls (linux/fs.h).
    sym(io(0x00, 1), "FIBMAP"),
    sym(io(0x00, 2), "FIGETBSZ"),
    sym(iowr(b'X', 119, 4), "FIFREEZE"),
    sym(iowr(b'X', 120, 4), "FITHAW"),
    sym(iowr(b'X', 121, 24), "FITRIM"),
    sym(iow(0x94, 9, 4), "FICLONE"),
    sym(iow(0x94, 13, 32), "FICLONERANGE"),
    sym(iowr(0x94, 54, 24), "FIDEDUPERANGE"),
    sym(ior(0x94, 49, 256), "FS_IOC_GETFSLABEL"),
    sym(iow(0x94, 50, 256), "FS_IOC_SETFSLABEL"),
    sym(ior(b'f', 1, 8), "FS_IOC_GETFLAGS"),
    sym(iow(b'f', 2, 8), "FS_IOC_SETFLAGS"),
    sym(ior(b'v', 1, 8), "FS_IOC_GETVERSION"),
    sym(iow(b'v', 2, 8), "FS_IOC_SETVERSION"),
    sym(iowr(b'f', 11, 32), "FS_IOC_FIEMAP"),
    sym(ior(b'f', 1, 4), "FS_IOC32_GETFLAGS"),
    sym(iow(b'f', 2, 4), "FS_IOC32_SETFLAGS"),
    sym(ior(b'X', 31, 28), "FS_IOC_FSGETXATTR"),
    sym(iow(b'X', 32, 28), "FS_IOC_FSSETXATTR"),
    // Block devices (linux/fs.h).
    sym(io(0x12, 93), "BLKROSET"),
    sym(io(0x12, 94), "BLKROGET"),
    sym(io(0x12, 95), "BLKRRPART"),
    sym(io(0x12, 96), "BLKGETSIZE"),
    sym(io(0x12, 97), "BLKFLSBUF"),
    sym(io(0x12, 98), "BLKRASET"),
    sym(io(0x12, 99), "BLKRAGET"),
    sym(io(0x12, 100), "BLKFRASET"),
    sym(io(0x12, 101), "BLKFRAGET"),
    sym(io(0x12, 102), "BLKSECTSET"),
    sym(io(0x12, 103), "BLKSECTGET"),
    sym(io(0x12, 104), "BLKSSZGET"),
    sym(ior(0x12, 112, 8), "BLKBSZGET"),
    sym(iow(0x12, 113, 8), "BLKBSZSET"),
    sym(ior(0x12, 114, 8), "BLKGETSIZE64"),
    sym(io(0x12, 119), "BLKDISCARD"),
    sym(io(0x12, 120), "BLKIOMIN"),
    sym(io(0x12, 121), "BLKIOOPT"),
    sym(io(0x12, 122), "BLKALIGNOFF"),
    sym(io(0x12, 123), "BLKPBSZGET"),
    sym(io(0x12, 124), "BLKDISCARDZEROES"),
    sym(io(0x12, 125), "BLKSECDISCARD"),
    sym(io(0x12, 126), "BLKROTATIONAL"),
    sym(io(0x12, 127), "BLKZEROOUT"),
    sym(ior(0x12, 128, 8), "BLKGETDISKSEQ"),
    sym(0x0301, "HDIO_GETGEO"),
    sym(0x2285, "SG_IO"),
    sym(0x5331, "CDROM_GET_CAPABILITY"),
    // Loop devices (linux/loop.h).
    sym(0x4C00, "LOOP_SET_FD"),
    sym(0x4C01, "LOOP_CLR_FD"),
    sym(0x4C02, "LOOP_SET_STATUS"),
    sym(0x4C03, "LOOP_GET_STATUS"),
    sym(0x4C04, "LOOP_SET_STATUS64"),
    sym(0x4C05, "LOOP_GET_STATUS64"),
    sym(0x4C06, "LOOP_CHANGE_FD"),
    sym(0x4C07, "LOOP_SET_CAPACITY"),
    sym(0x4C08, "LOOP_SET_DIRECT_IO"),
    sym(0x4C09, "LOOP_SET_BLOCK_SIZE"),
    sym(0x4C0A, "LOOP_CONFIGURE"),
    sym(0x4C80, "LOOP_CTL_ADD"),
    sym(0x4C81, "LOOP_CTL_REMOVE"),
    sym(0x4C82, "LOOP_CTL_GET_FREE"),
    // Sockets (asm-generic/sockios.h, linux/sockios.h).
    sym(0x8901, "FIOSETOWN"),
    sym(0x8902, "SIOCSPGRP"),
    sym(0x8903, "FIOGETOWN"),
    sym(0x8904, "SIOCGPGRP"),
    sym(0x8905, "SIOCATMARK"),
    sym(0x8906, "SIOCGSTAMP"),
    sym(0x8907, "SIOCGSTAMPNS"),
    sym(0x890B, "SIOCADDRT"),
    sym(0x890C, "SIOCDELRT"),
    sym(0x890D, "SIOCRTMSG"),
    sym(0x8910, "SIOCGIFNAME"),
    sym(0x8911, "SIOCSIFLINK"),
    sym(0x8912, "SIOCGIFCONF"),
    sym(0x8913, "SIOCGIFFLAGS"),
    sym(0x8914, "SIOCSIFFLAGS"),
    sym(0x8915, "SIOCGIFADDR"),
    sym(0x8916, "SIOCSIFADDR"),
    sym(0x8917, "SIOCGIFDSTADDR"),
    sym(0x8918, "SIOCSIFDSTADDR"),
    sym(0x8919, "SIOCGIFBRDADDR"),
    sym(0x891A, "SIOCSIFBRDADDR"),
    sym(0x891B, "SIOCGIFNETMASK"),
    sym(0x891C, "SIOCSIFNETMASK"),
    sym(0x891D, "SIOCGIFMETRIC"),
    sym(0x891E, "SIOCSIFMETRIC"),
    sym(0x891F, "SIOCGIFMEM"),
    sym(0x8920, "SIOCSIFMEM"),
    sym(0x8921, "SIOCGIFMTU"),
    sym(0x8922, "SIOCSIFMTU"),
    sym(0x8923, "SIOCSIFNAME"),
    sym(0x8924, "SIOCSIFHWADDR"),
    sym(0x8925, "SIOCGIFENCAP"),
    sym(0x8926, "SIOCSIFENCAP"),
    sym(0x8927, "SIOCGIFHWADDR"),
    sym(0x8929, "SIOCGIFSLAVE"),
    sym(0x8930, "SIOCSIFSLAVE"),
    sym(0x8931, "SIOCADDMULTI"),
    sym(0x8932, "SIOCDELMULTI"),
    sym(0x8933, "SIOCGIFINDEX"),
    sym(0x8934, "SIOCSIFPFLAGS"),
    sym(0x8935, "SIOCGIFPFLAGS"),
    sym(0x8936, "SIOCDIFADDR"),
    sym(0x8937, "SIOCSIFHWBROADCAST"),
    sym(0x8938, "SIOCGIFCOUNT"),
    sym(0x8940, "SIOCGIFBR"),
    sym(0x8941, "SIOCSIFBR"),
    sym(0x8942, "SIOCGIFTXQLEN"),
    sym(0x8943, "SIOCSIFTXQLEN"),
    sym(0x8946, "SIOCETHTOOL"),
    sym(0x8947, "SIOCGMIIPHY"),
    sym(0x8948, "SIOCGMIIREG"),
    sym(0x8949, "SIOCSMIIREG"),
    sym(0x894A, "SIOCWANDEV"),
    sym(0x894B, "SIOCOUTQNSD"),
    sym(0x894C, "SIOCGSKNS"),
    sym(0x8953, "SIOCDARP"),
    sym(0x8954, "SIOCGARP"),
    sym(0x8955, "SIOCSARP"),
    sym(0x89A0, "SIOCBRADDBR"),
    sym(0x89A1, "SIOCBRDELBR"),
    sym(0x89A2, "SIOCBRADDIF"),
    sym(0x89A3, "SIOCBRDELIF"),
    sym(0x89B0, "SIOCSHWTSTAMP"),
    sym(0x89B1, "SIOCGHWTSTAMP"),
    sym(0x8B01, "SIOCGIWNAME"),
    // TUN/TAP (linux/if_tun.h).
    sym(iow(b'T', 200, 4), "TUNSETNOCSUM"),
    sym(iow(b'T', 201, 4), "TUNSETDEBUG"),
    sym(iow(b'T', 202, 4), "TUNSETIFF"),
    sym(iow(b'T', 203, 4), "TUNSETPERSIST"),
    sym(iow(b'T', 204, 4), "TUNSETOWNER"),
    sym(iow(b'T', 205, 4), "TUNSETLINK"),
    sym(iow(b'T', 206, 4), "TUNSETGROUP"),
    sym(ior(b'T', 207, 4), "TUNGETFEATURES"),
    sym(iow(b'T', 208, 4), "TUNSETOFFLOAD"),
    sym(iow(b'T', 209, 4), "TUNSETTXFILTER"),
    sym(ior(b'T', 210, 4), "TUNGETIFF"),
    sym(ior(b'T', 211, 4), "TUNGETSNDBUF"),
    sym(iow(b'T', 212, 4), "TUNSETSNDBUF"),
    sym(ior(b'T', 215, 4), "TUNGETVNETHDRSZ"),
    sym(iow(b'T', 216, 4), "TUNSETVNETHDRSZ"),
    sym(iow(b'T', 217, 4), "TUNSETQUEUE"),
    sym(iow(b'T', 218, 4), "TUNSETIFINDEX"),
    // Namespaces (linux/nsfs.h).
    sym(io(0xb7, 0x1), "NS_GET_USERNS"),
    sym(io(0xb7, 0x2), "NS_GET_PARENT"),
    sym(io(0xb7, 0x3), "NS_GET_NSTYPE"),
    sym(io(0xb7, 0x4), "NS_GET_OWNER_UID"),
    sym(ior(0xb7, 0x5, 8), "NS_GET_MNTNS_ID"),
    sym(ior(0xb7, 0x6, 4), "NS_GET_PID_FROM_PIDNS"),
    sym(ior(0xb7, 0x7, 4), "NS_GET_TGID_FROM_PIDNS"),
    sym(ior(0xb7, 0x8, 4), "NS_GET_PID_IN_PIDNS"),
    sym(ior(0xb7, 0x9, 4), "NS_GET_TGID_IN_PIDNS"),
    // perf_event (linux/perf_event.h).
    sym(io(b'$', 0), "PERF_EVENT_IOC_ENABLE"),
    sym(io(b'$', 1), "PERF_EVENT_IOC_DISABLE"),
    sym(io(b'$', 2), "PERF_EVENT_IOC_REFRESH"),
    sym(io(b'$', 3), "PERF_EVENT_IOC_RESET"),
    sym(iow(b'$', 4, 8), "PERF_EVENT_IOC_PERIOD"),
    sym(io(b'$', 5), "PERF_EVENT_IOC_SET_OUTPUT"),
    sym(iow(b'$', 6, 8), "PERF_EVENT_IOC_SET_FILTER"),
    sym(ior(b'$', 7, 8), "PERF_EVENT_IOC_ID"),
    sym(iow(b'$', 8, 4), "PERF_EVENT_IOC_SET_BPF"),
    sym(iow(b'$', 9, 4), "PERF_EVENT_IOC_PAUSE_OUTPUT"),
    sym(iowr(b'$', 10, 8), "PERF_EVENT_IOC_QUERY_BPF"),
    sym(iow(b'$', 11, 8), "PERF_EVENT_IOC_MODIFY_ATTRIBUTES"),
    // seccomp user notification (linux/seccomp.h): struct seccomp_notif is 80 bytes,
    // seccomp_notif_resp and seccomp_notif_addfd 24.
    sym(iowr(b'!', 0, 80), "SECCOMP_IOCTL_NOTIF_RECV"),
    sym(iowr(b'!', 1, 24), "SECCOMP_IOCTL_NOTIF_SEND"),
    sym(iow(b'!', 2, 8), "SECCOMP_IOCTL_NOTIF_ID_VALID"),
    sym(iow(b'!', 3, 24), "SECCOMP_IOCTL_NOTIF_ADDFD"),
    sym(iow(b'!', 4, 8), "SECCOMP_IOCTL_NOTIF_SET_FLAGS"),
    // /dev/random (linux/random.h).
    sym(ior(b'R', 0x00, 4), "RNDGETENTCNT"),
    sym(iow(b'R', 0x01, 4), "RNDADDTOENTCNT"),
    sym(ior(b'R', 0x02, 8), "RNDGETPOOL"),
    sym(iow(b'R', 0x03, 8), "RNDADDENTROPY"),
    sym(io(b'R', 0x04), "RNDZAPENTCNT"),
    sym(io(b'R', 0x06), "RNDCLEARPOOL"),
    sym(io(b'R', 0x07), "RNDRESEEDCRNG"),
    // Console keyboard and virtual terminals (linux/kd.h, linux/vt.h).
    sym(0x4B2F, "KIOCSOUND"),
    sym(0x4B30, "KDMKTONE"),
    sym(0x4B31, "KDGETLED"),
    sym(0x4B32, "KDSETLED"),
    sym(0x4B33, "KDGKBTYPE"),
    sym(0x4B3A, "KDSETMODE"),
    sym(0x4B3B, "KDGETMODE"),
    sym(0x4B44, "KDGKBMODE"),
    sym(0x4B45, "KDSKBMODE"),
    sym(0x4B46, "KDGKBENT"),
    sym(0x4B47, "KDSKBENT"),
    sym(0x4B62, "KDGKBMETA"),
    sym(0x4B63, "KDSKBMETA"),
    sym(0x5600, "VT_OPENQRY"),
    sym(0x5601, "VT_GETMODE"),
    sym(0x5602, "VT_SETMODE"),
    sym(0x5603, "VT_GETSTATE"),
    sym(0x5604, "VT_SENDSIG"),
    sym(0x5605, "VT_RELDISP"),
    sym(0x5606, "VT_ACTIVATE"),
    sym(0x5607, "VT_WAITACTIVE"),
    sym(0x5608, "VT_DISALLOCATE"),
    sym(0x5609, "VT_RESIZE"),
    sym(0x560A, "VT_RESIZEX"),
    sym(0x560B, "VT_LOCKSWITCH"),
    sym(0x560C, "VT_UNLOCKSWITCH"),
    sym(0x560D, "VT_GETHIFONTMASK"),
    sym(0x560E, "VT_WAITEVENT"),
    sym(0x560F, "VT_SETACTIVATE"),
    // userfaultfd (linux/userfaultfd.h).
    sym(iowr(0xAA, 0x00, 32), "UFFDIO_REGISTER"),
    sym(ior(0xAA, 0x01, 16), "UFFDIO_UNREGISTER"),
    sym(ior(0xAA, 0x02, 16), "UFFDIO_WAKE"),
    sym(iowr(0xAA, 0x03, 40), "UFFDIO_COPY"),
    sym(iowr(0xAA, 0x04, 32), "UFFDIO_ZEROPAGE"),
    sym(iowr(0xAA, 0x3F, 24), "UFFDIO_API"),
    // KVM (linux/kvm.h).
    sym(io(0xAE, 0x00), "KVM_GET_API_VERSION"),
    sym(io(0xAE, 0x01), "KVM_CREATE_VM"),
    sym(io(0xAE, 0x03), "KVM_CHECK_EXTENSION"),
    sym(io(0xAE, 0x04), "KVM_GET_VCPU_MMAP_SIZE"),
    sym(io(0xAE, 0x41), "KVM_CREATE_VCPU"),
    sym(io(0xAE, 0x80), "KVM_RUN"),
    // Misc devices.
    sym(ior(b'E', 0x01, 4), "EVIOCGVERSION"),
    sym(ior(b'E', 0x02, 8), "EVIOCGID"),
    sym(ior(b'p', 0x09, 36), "RTC_RD_TIME"),
    sym(iow(b'p', 0x0a, 36), "RTC_SET_TIME"),
    sym(ior(b'V', 0, 104), "VIDIOC_QUERYCAP"),
    sym(0x0703, "I2C_SLAVE"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A libc constant of any integer type as the u64 the tables hold: negative 32-bit values
    /// (bit 31 set in a `c_int`, e.g. EPOLLET) are taken as their unsigned 32-bit pattern.
    macro_rules! c {
        ($e:expr) => {
            to_u64($e as i64)
        };
    }

    fn to_u64(v: i64) -> u64 {
        if (i64::from(i32::MIN)..0).contains(&v) {
            v as u32 as u64
        } else {
            v as u64
        }
    }

    fn flag(set: &FlagSet, name: &str) -> u64 {
        set.symbols()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("flag set `{}` has no {name}", set.name))
            .value
    }

    fn en(set: &EnumSet, name: &str) -> u64 {
        set.value_of(name)
            .unwrap_or_else(|| panic!("enum set `{}` has no {name}", set.name))
    }

    fn ioctl(name: &str) -> u64 {
        IOCTLS
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no ioctl {name}"))
            .value
    }

    fn signal(name: &str) -> u64 {
        SIGNALS
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no signal {name}"))
            .value
    }

    #[test]
    fn flag_values_match_libc() {
        let checks: &[(&FlagSet, &str, u64)] = &[
            (&OPEN, "O_RDONLY", c!(libc::O_RDONLY)),
            (&OPEN, "O_WRONLY", c!(libc::O_WRONLY)),
            (&OPEN, "O_RDWR", c!(libc::O_RDWR)),
            (&OPEN, "O_CREAT", c!(libc::O_CREAT)),
            (&OPEN, "O_EXCL", c!(libc::O_EXCL)),
            (&OPEN, "O_NOCTTY", c!(libc::O_NOCTTY)),
            (&OPEN, "O_TRUNC", c!(libc::O_TRUNC)),
            (&OPEN, "O_APPEND", c!(libc::O_APPEND)),
            (&OPEN, "O_NONBLOCK", c!(libc::O_NONBLOCK)),
            (&OPEN, "O_DSYNC", c!(libc::O_DSYNC)),
            (&OPEN, "O_SYNC", c!(libc::O_SYNC)),
            (&OPEN, "FASYNC", c!(libc::O_ASYNC)),
            (&OPEN, "O_DIRECT", c!(libc::O_DIRECT)),
            (&OPEN, "O_DIRECTORY", c!(libc::O_DIRECTORY)),
            (&OPEN, "O_NOFOLLOW", c!(libc::O_NOFOLLOW)),
            (&OPEN, "O_NOATIME", c!(libc::O_NOATIME)),
            (&OPEN, "O_CLOEXEC", c!(libc::O_CLOEXEC)),
            (&OPEN, "O_PATH", c!(libc::O_PATH)),
            (&OPEN, "O_TMPFILE", c!(libc::O_TMPFILE)),
            (&AT, "AT_SYMLINK_NOFOLLOW", c!(libc::AT_SYMLINK_NOFOLLOW)),
            (&AT, "AT_REMOVEDIR", c!(libc::AT_REMOVEDIR)),
            (&AT, "AT_SYMLINK_FOLLOW", c!(libc::AT_SYMLINK_FOLLOW)),
            (&AT, "AT_NO_AUTOMOUNT", c!(libc::AT_NO_AUTOMOUNT)),
            (&AT, "AT_EMPTY_PATH", c!(libc::AT_EMPTY_PATH)),
            (&AT, "AT_STATX_FORCE_SYNC", c!(libc::AT_STATX_FORCE_SYNC)),
            (&AT, "AT_STATX_DONT_SYNC", c!(libc::AT_STATX_DONT_SYNC)),
            (&AT, "AT_RECURSIVE", c!(libc::AT_RECURSIVE)),
            (&PROT, "PROT_READ", c!(libc::PROT_READ)),
            (&PROT, "PROT_WRITE", c!(libc::PROT_WRITE)),
            (&PROT, "PROT_EXEC", c!(libc::PROT_EXEC)),
            (&PROT, "PROT_GROWSDOWN", c!(libc::PROT_GROWSDOWN)),
            (&PROT, "PROT_GROWSUP", c!(libc::PROT_GROWSUP)),
            (&MAP, "MAP_SHARED", c!(libc::MAP_SHARED)),
            (&MAP, "MAP_PRIVATE", c!(libc::MAP_PRIVATE)),
            (&MAP, "MAP_SHARED_VALIDATE", c!(libc::MAP_SHARED_VALIDATE)),
            (&MAP, "MAP_FIXED", c!(libc::MAP_FIXED)),
            (&MAP, "MAP_ANONYMOUS", c!(libc::MAP_ANONYMOUS)),
            (&MAP, "MAP_32BIT", c!(libc::MAP_32BIT)),
            (&MAP, "MAP_GROWSDOWN", c!(libc::MAP_GROWSDOWN)),
            (&MAP, "MAP_DENYWRITE", c!(libc::MAP_DENYWRITE)),
            (&MAP, "MAP_EXECUTABLE", c!(libc::MAP_EXECUTABLE)),
            (&MAP, "MAP_LOCKED", c!(libc::MAP_LOCKED)),
            (&MAP, "MAP_NORESERVE", c!(libc::MAP_NORESERVE)),
            (&MAP, "MAP_POPULATE", c!(libc::MAP_POPULATE)),
            (&MAP, "MAP_NONBLOCK", c!(libc::MAP_NONBLOCK)),
            (&MAP, "MAP_STACK", c!(libc::MAP_STACK)),
            (&MAP, "MAP_HUGETLB", c!(libc::MAP_HUGETLB)),
            (&MAP, "MAP_SYNC", c!(libc::MAP_SYNC)),
            (&MAP, "MAP_FIXED_NOREPLACE", c!(libc::MAP_FIXED_NOREPLACE)),
            (&MAP, "MAP_HUGE_2MB", c!(libc::MAP_HUGE_2MB)),
            (&MAP, "MAP_HUGE_1GB", c!(libc::MAP_HUGE_1GB)),
            (&MREMAP, "MREMAP_MAYMOVE", c!(libc::MREMAP_MAYMOVE)),
            (&MREMAP, "MREMAP_FIXED", c!(libc::MREMAP_FIXED)),
            (&MSYNC, "MS_ASYNC", c!(libc::MS_ASYNC)),
            (&MSYNC, "MS_INVALIDATE", c!(libc::MS_INVALIDATE)),
            (&MSYNC, "MS_SYNC", c!(libc::MS_SYNC)),
            (&MLOCK, "MLOCK_ONFAULT", c!(libc::MLOCK_ONFAULT)),
            (&MLOCKALL, "MCL_CURRENT", c!(libc::MCL_CURRENT)),
            (&MLOCKALL, "MCL_FUTURE", c!(libc::MCL_FUTURE)),
            (&MLOCKALL, "MCL_ONFAULT", c!(libc::MCL_ONFAULT)),
            (&MSG, "MSG_OOB", c!(libc::MSG_OOB)),
            (&MSG, "MSG_PEEK", c!(libc::MSG_PEEK)),
            (&MSG, "MSG_DONTROUTE", c!(libc::MSG_DONTROUTE)),
            (&MSG, "MSG_CTRUNC", c!(libc::MSG_CTRUNC)),
            (&MSG, "MSG_TRUNC", c!(libc::MSG_TRUNC)),
            (&MSG, "MSG_DONTWAIT", c!(libc::MSG_DONTWAIT)),
            (&MSG, "MSG_EOR", c!(libc::MSG_EOR)),
            (&MSG, "MSG_WAITALL", c!(libc::MSG_WAITALL)),
            (&MSG, "MSG_FIN", c!(libc::MSG_FIN)),
            (&MSG, "MSG_SYN", c!(libc::MSG_SYN)),
            (&MSG, "MSG_CONFIRM", c!(libc::MSG_CONFIRM)),
            (&MSG, "MSG_RST", c!(libc::MSG_RST)),
            (&MSG, "MSG_ERRQUEUE", c!(libc::MSG_ERRQUEUE)),
            (&MSG, "MSG_NOSIGNAL", c!(libc::MSG_NOSIGNAL)),
            (&MSG, "MSG_MORE", c!(libc::MSG_MORE)),
            (&MSG, "MSG_WAITFORONE", c!(libc::MSG_WAITFORONE)),
            (&MSG, "MSG_ZEROCOPY", c!(libc::MSG_ZEROCOPY)),
            (&MSG, "MSG_FASTOPEN", c!(libc::MSG_FASTOPEN)),
            (&MSG, "MSG_CMSG_CLOEXEC", c!(libc::MSG_CMSG_CLOEXEC)),
            (&SOCKTYPE, "SOCK_STREAM", c!(libc::SOCK_STREAM)),
            (&SOCKTYPE, "SOCK_DGRAM", c!(libc::SOCK_DGRAM)),
            (&SOCKTYPE, "SOCK_RAW", c!(libc::SOCK_RAW)),
            (&SOCKTYPE, "SOCK_RDM", c!(libc::SOCK_RDM)),
            (&SOCKTYPE, "SOCK_SEQPACKET", c!(libc::SOCK_SEQPACKET)),
            (&SOCKTYPE, "SOCK_DCCP", c!(libc::SOCK_DCCP)),
            (&SOCKTYPE, "SOCK_NONBLOCK", c!(libc::SOCK_NONBLOCK)),
            (&SOCKTYPE, "SOCK_CLOEXEC", c!(libc::SOCK_CLOEXEC)),
            (&SOCKFLAGS, "SOCK_NONBLOCK", c!(libc::SOCK_NONBLOCK)),
            (&SOCKFLAGS, "SOCK_CLOEXEC", c!(libc::SOCK_CLOEXEC)),
            (&CLONE, "CLONE_VM", c!(libc::CLONE_VM)),
            (&CLONE, "CLONE_FS", c!(libc::CLONE_FS)),
            (&CLONE, "CLONE_FILES", c!(libc::CLONE_FILES)),
            (&CLONE, "CLONE_SIGHAND", c!(libc::CLONE_SIGHAND)),
            (&CLONE, "CLONE_PIDFD", c!(libc::CLONE_PIDFD)),
            (&CLONE, "CLONE_PTRACE", c!(libc::CLONE_PTRACE)),
            (&CLONE, "CLONE_VFORK", c!(libc::CLONE_VFORK)),
            (&CLONE, "CLONE_PARENT", c!(libc::CLONE_PARENT)),
            (&CLONE, "CLONE_THREAD", c!(libc::CLONE_THREAD)),
            (&CLONE, "CLONE_NEWNS", c!(libc::CLONE_NEWNS)),
            (&CLONE, "CLONE_SYSVSEM", c!(libc::CLONE_SYSVSEM)),
            (&CLONE, "CLONE_SETTLS", c!(libc::CLONE_SETTLS)),
            (&CLONE, "CLONE_PARENT_SETTID", c!(libc::CLONE_PARENT_SETTID)),
            (
                &CLONE,
                "CLONE_CHILD_CLEARTID",
                c!(libc::CLONE_CHILD_CLEARTID),
            ),
            (&CLONE, "CLONE_DETACHED", c!(libc::CLONE_DETACHED)),
            (&CLONE, "CLONE_UNTRACED", c!(libc::CLONE_UNTRACED)),
            (&CLONE, "CLONE_CHILD_SETTID", c!(libc::CLONE_CHILD_SETTID)),
            (&CLONE, "CLONE_NEWCGROUP", c!(libc::CLONE_NEWCGROUP)),
            (&CLONE, "CLONE_NEWUTS", c!(libc::CLONE_NEWUTS)),
            (&CLONE, "CLONE_NEWIPC", c!(libc::CLONE_NEWIPC)),
            (&CLONE, "CLONE_NEWUSER", c!(libc::CLONE_NEWUSER)),
            (&CLONE, "CLONE_NEWPID", c!(libc::CLONE_NEWPID)),
            (&CLONE, "CLONE_NEWNET", c!(libc::CLONE_NEWNET)),
            (&CLONE, "CLONE_IO", c!(libc::CLONE_IO)),
            (&CLONE, "CLONE_NEWTIME", c!(libc::CLONE_NEWTIME)),
            (&SA, "SA_NOCLDSTOP", c!(libc::SA_NOCLDSTOP)),
            (&SA, "SA_NOCLDWAIT", c!(libc::SA_NOCLDWAIT)),
            (&SA, "SA_SIGINFO", c!(libc::SA_SIGINFO)),
            (&SA, "SA_ONSTACK", c!(libc::SA_ONSTACK)),
            (&SA, "SA_RESTART", c!(libc::SA_RESTART)),
            (&SA, "SA_NODEFER", c!(libc::SA_NODEFER)),
            (&SA, "SA_RESETHAND", c!(libc::SA_RESETHAND)),
            (&FDFLAGS, "FD_CLOEXEC", c!(libc::FD_CLOEXEC)),
            (&EPOLL_EVENTS, "EPOLLIN", c!(libc::EPOLLIN)),
            (&EPOLL_EVENTS, "EPOLLPRI", c!(libc::EPOLLPRI)),
            (&EPOLL_EVENTS, "EPOLLOUT", c!(libc::EPOLLOUT)),
            (&EPOLL_EVENTS, "EPOLLERR", c!(libc::EPOLLERR)),
            (&EPOLL_EVENTS, "EPOLLHUP", c!(libc::EPOLLHUP)),
            (&EPOLL_EVENTS, "EPOLLRDNORM", c!(libc::EPOLLRDNORM)),
            (&EPOLL_EVENTS, "EPOLLRDBAND", c!(libc::EPOLLRDBAND)),
            (&EPOLL_EVENTS, "EPOLLWRNORM", c!(libc::EPOLLWRNORM)),
            (&EPOLL_EVENTS, "EPOLLWRBAND", c!(libc::EPOLLWRBAND)),
            (&EPOLL_EVENTS, "EPOLLMSG", c!(libc::EPOLLMSG)),
            (&EPOLL_EVENTS, "EPOLLRDHUP", c!(libc::EPOLLRDHUP)),
            (&EPOLL_EVENTS, "EPOLLEXCLUSIVE", c!(libc::EPOLLEXCLUSIVE)),
            (&EPOLL_EVENTS, "EPOLLWAKEUP", c!(libc::EPOLLWAKEUP)),
            (&EPOLL_EVENTS, "EPOLLONESHOT", c!(libc::EPOLLONESHOT)),
            (&EPOLL_EVENTS, "EPOLLET", c!(libc::EPOLLET)),
            (&EPOLL_CREATE, "EPOLL_CLOEXEC", c!(libc::EPOLL_CLOEXEC)),
            (&POLL_EVENTS, "POLLIN", c!(libc::POLLIN)),
            (&POLL_EVENTS, "POLLPRI", c!(libc::POLLPRI)),
            (&POLL_EVENTS, "POLLOUT", c!(libc::POLLOUT)),
            (&POLL_EVENTS, "POLLERR", c!(libc::POLLERR)),
            (&POLL_EVENTS, "POLLHUP", c!(libc::POLLHUP)),
            (&POLL_EVENTS, "POLLNVAL", c!(libc::POLLNVAL)),
            (&POLL_EVENTS, "POLLRDNORM", c!(libc::POLLRDNORM)),
            (&POLL_EVENTS, "POLLRDBAND", c!(libc::POLLRDBAND)),
            (&POLL_EVENTS, "POLLWRNORM", c!(libc::POLLWRNORM)),
            (&POLL_EVENTS, "POLLWRBAND", c!(libc::POLLWRBAND)),
            (&POLL_EVENTS, "POLLRDHUP", c!(libc::POLLRDHUP)),
            (&ACCESS, "R_OK", c!(libc::R_OK)),
            (&ACCESS, "W_OK", c!(libc::W_OK)),
            (&ACCESS, "X_OK", c!(libc::X_OK)),
            (&WAIT, "WNOHANG", c!(libc::WNOHANG)),
            (&WAIT, "WUNTRACED", c!(libc::WUNTRACED)),
            (&WAIT, "WUNTRACED", c!(libc::WSTOPPED)),
            (&WAIT, "WEXITED", c!(libc::WEXITED)),
            (&WAIT, "WCONTINUED", c!(libc::WCONTINUED)),
            (&WAIT, "WNOWAIT", c!(libc::WNOWAIT)),
            (&WAIT, "__WNOTHREAD", c!(libc::__WNOTHREAD)),
            (&WAIT, "__WALL", c!(libc::__WALL)),
            (&WAIT, "__WCLONE", c!(libc::__WCLONE)),
            (&EFD, "EFD_SEMAPHORE", c!(libc::EFD_SEMAPHORE)),
            (&EFD, "EFD_CLOEXEC", c!(libc::EFD_CLOEXEC)),
            (&EFD, "EFD_NONBLOCK", c!(libc::EFD_NONBLOCK)),
            (&TFD, "TFD_CLOEXEC", c!(libc::TFD_CLOEXEC)),
            (&TFD, "TFD_NONBLOCK", c!(libc::TFD_NONBLOCK)),
            (
                &TFD_SETTIME,
                "TFD_TIMER_ABSTIME",
                c!(libc::TFD_TIMER_ABSTIME),
            ),
            (
                &TFD_SETTIME,
                "TFD_TIMER_CANCEL_ON_SET",
                c!(libc::TFD_TIMER_CANCEL_ON_SET),
            ),
            (&SFD, "SFD_CLOEXEC", c!(libc::SFD_CLOEXEC)),
            (&SFD, "SFD_NONBLOCK", c!(libc::SFD_NONBLOCK)),
            (&IN_INIT, "IN_CLOEXEC", c!(libc::IN_CLOEXEC)),
            (&IN_INIT, "IN_NONBLOCK", c!(libc::IN_NONBLOCK)),
            (&IN_MASK, "IN_ACCESS", c!(libc::IN_ACCESS)),
            (&IN_MASK, "IN_MODIFY", c!(libc::IN_MODIFY)),
            (&IN_MASK, "IN_ATTRIB", c!(libc::IN_ATTRIB)),
            (&IN_MASK, "IN_CLOSE_WRITE", c!(libc::IN_CLOSE_WRITE)),
            (&IN_MASK, "IN_CLOSE_NOWRITE", c!(libc::IN_CLOSE_NOWRITE)),
            (&IN_MASK, "IN_OPEN", c!(libc::IN_OPEN)),
            (&IN_MASK, "IN_MOVED_FROM", c!(libc::IN_MOVED_FROM)),
            (&IN_MASK, "IN_MOVED_TO", c!(libc::IN_MOVED_TO)),
            (&IN_MASK, "IN_CREATE", c!(libc::IN_CREATE)),
            (&IN_MASK, "IN_DELETE", c!(libc::IN_DELETE)),
            (&IN_MASK, "IN_DELETE_SELF", c!(libc::IN_DELETE_SELF)),
            (&IN_MASK, "IN_MOVE_SELF", c!(libc::IN_MOVE_SELF)),
            (&IN_MASK, "IN_UNMOUNT", c!(libc::IN_UNMOUNT)),
            (&IN_MASK, "IN_Q_OVERFLOW", c!(libc::IN_Q_OVERFLOW)),
            (&IN_MASK, "IN_IGNORED", c!(libc::IN_IGNORED)),
            (&IN_MASK, "IN_ONLYDIR", c!(libc::IN_ONLYDIR)),
            (&IN_MASK, "IN_DONT_FOLLOW", c!(libc::IN_DONT_FOLLOW)),
            (&IN_MASK, "IN_EXCL_UNLINK", c!(libc::IN_EXCL_UNLINK)),
            (&IN_MASK, "IN_MASK_CREATE", c!(libc::IN_MASK_CREATE)),
            (&IN_MASK, "IN_MASK_ADD", c!(libc::IN_MASK_ADD)),
            (&IN_MASK, "IN_ISDIR", c!(libc::IN_ISDIR)),
            (&IN_MASK, "IN_ONESHOT", c!(libc::IN_ONESHOT)),
            (&MFD, "MFD_CLOEXEC", c!(libc::MFD_CLOEXEC)),
            (&MFD, "MFD_ALLOW_SEALING", c!(libc::MFD_ALLOW_SEALING)),
            (&MFD, "MFD_HUGETLB", c!(libc::MFD_HUGETLB)),
            (&MFD, "MFD_NOEXEC_SEAL", c!(libc::MFD_NOEXEC_SEAL)),
            (&MFD, "MFD_EXEC", c!(libc::MFD_EXEC)),
            (&MFD, "MFD_HUGE_2MB", c!(libc::MFD_HUGE_2MB)),
            (&MFD, "MFD_HUGE_1GB", c!(libc::MFD_HUGE_1GB)),
            (&RENAME, "RENAME_NOREPLACE", c!(libc::RENAME_NOREPLACE)),
            (&RENAME, "RENAME_EXCHANGE", c!(libc::RENAME_EXCHANGE)),
            (&RENAME, "RENAME_WHITEOUT", c!(libc::RENAME_WHITEOUT)),
            (&SPLICE, "SPLICE_F_MOVE", c!(libc::SPLICE_F_MOVE)),
            (&SPLICE, "SPLICE_F_NONBLOCK", c!(libc::SPLICE_F_NONBLOCK)),
            (&SPLICE, "SPLICE_F_MORE", c!(libc::SPLICE_F_MORE)),
            (&SPLICE, "SPLICE_F_GIFT", c!(libc::SPLICE_F_GIFT)),
            (&GRND, "GRND_NONBLOCK", c!(libc::GRND_NONBLOCK)),
            (&GRND, "GRND_RANDOM", c!(libc::GRND_RANDOM)),
            (&GRND, "GRND_INSECURE", c!(libc::GRND_INSECURE)),
            (&XATTR, "XATTR_CREATE", c!(libc::XATTR_CREATE)),
            (&XATTR, "XATTR_REPLACE", c!(libc::XATTR_REPLACE)),
            (&IPC, "IPC_CREAT", c!(libc::IPC_CREAT)),
            (&IPC, "IPC_EXCL", c!(libc::IPC_EXCL)),
            (&IPC, "IPC_NOWAIT", c!(libc::IPC_NOWAIT)),
            (&IPC, "MSG_NOERROR", c!(libc::MSG_NOERROR)),
            (&IPC, "MSG_EXCEPT", c!(libc::MSG_EXCEPT)),
            (&IPC, "MSG_COPY", c!(libc::MSG_COPY)),
            (&IPC, "S_IRUSR", c!(libc::S_IRUSR)),
            (&IPC, "S_IWUSR", c!(libc::S_IWUSR)),
            (&IPC, "S_IXOTH", c!(libc::S_IXOTH)),
            (&SHM, "SHM_RDONLY", c!(libc::SHM_RDONLY)),
            (&SHM, "SHM_RND", c!(libc::SHM_RND)),
            (&SHM, "SHM_REMAP", c!(libc::SHM_REMAP)),
            (&SHM, "SHM_EXEC", c!(libc::SHM_EXEC)),
            (&MOUNT, "MS_RDONLY", c!(libc::MS_RDONLY)),
            (&MOUNT, "MS_NOSUID", c!(libc::MS_NOSUID)),
            (&MOUNT, "MS_NODEV", c!(libc::MS_NODEV)),
            (&MOUNT, "MS_NOEXEC", c!(libc::MS_NOEXEC)),
            (&MOUNT, "MS_SYNCHRONOUS", c!(libc::MS_SYNCHRONOUS)),
            (&MOUNT, "MS_REMOUNT", c!(libc::MS_REMOUNT)),
            (&MOUNT, "MS_MANDLOCK", c!(libc::MS_MANDLOCK)),
            (&MOUNT, "MS_DIRSYNC", c!(libc::MS_DIRSYNC)),
            (&MOUNT, "MS_NOSYMFOLLOW", c!(libc::MS_NOSYMFOLLOW)),
            (&MOUNT, "MS_NOATIME", c!(libc::MS_NOATIME)),
            (&MOUNT, "MS_NODIRATIME", c!(libc::MS_NODIRATIME)),
            (&MOUNT, "MS_BIND", c!(libc::MS_BIND)),
            (&MOUNT, "MS_MOVE", c!(libc::MS_MOVE)),
            (&MOUNT, "MS_REC", c!(libc::MS_REC)),
            (&MOUNT, "MS_SILENT", c!(libc::MS_SILENT)),
            (&MOUNT, "MS_POSIXACL", c!(libc::MS_POSIXACL)),
            (&MOUNT, "MS_UNBINDABLE", c!(libc::MS_UNBINDABLE)),
            (&MOUNT, "MS_PRIVATE", c!(libc::MS_PRIVATE)),
            (&MOUNT, "MS_SLAVE", c!(libc::MS_SLAVE)),
            (&MOUNT, "MS_SHARED", c!(libc::MS_SHARED)),
            (&MOUNT, "MS_RELATIME", c!(libc::MS_RELATIME)),
            (&MOUNT, "MS_KERNMOUNT", c!(libc::MS_KERNMOUNT)),
            (&MOUNT, "MS_I_VERSION", c!(libc::MS_I_VERSION)),
            (&MOUNT, "MS_STRICTATIME", c!(libc::MS_STRICTATIME)),
            (&MOUNT, "MS_LAZYTIME", c!(libc::MS_LAZYTIME)),
            (&MOUNT, "MS_ACTIVE", c!(libc::MS_ACTIVE)),
            (&MOUNT, "MS_NOUSER", c!(libc::MS_NOUSER)),
            (&MOUNT, "MS_MGC_VAL", c!(libc::MS_MGC_VAL)),
            (&UMOUNT, "MNT_FORCE", c!(libc::MNT_FORCE)),
            (&UMOUNT, "MNT_DETACH", c!(libc::MNT_DETACH)),
            (&UMOUNT, "MNT_EXPIRE", c!(libc::MNT_EXPIRE)),
            (&UMOUNT, "UMOUNT_NOFOLLOW", c!(libc::UMOUNT_NOFOLLOW)),
            (&LOCK, "LOCK_SH", c!(libc::LOCK_SH)),
            (&LOCK, "LOCK_EX", c!(libc::LOCK_EX)),
            (&LOCK, "LOCK_NB", c!(libc::LOCK_NB)),
            (&LOCK, "LOCK_UN", c!(libc::LOCK_UN)),
            (&TIMER, "TIMER_ABSTIME", c!(libc::TIMER_ABSTIME)),
            (&STATX_MASK, "STATX_TYPE", c!(libc::STATX_TYPE)),
            (&STATX_MASK, "STATX_MODE", c!(libc::STATX_MODE)),
            (&STATX_MASK, "STATX_NLINK", c!(libc::STATX_NLINK)),
            (&STATX_MASK, "STATX_UID", c!(libc::STATX_UID)),
            (&STATX_MASK, "STATX_GID", c!(libc::STATX_GID)),
            (&STATX_MASK, "STATX_ATIME", c!(libc::STATX_ATIME)),
            (&STATX_MASK, "STATX_MTIME", c!(libc::STATX_MTIME)),
            (&STATX_MASK, "STATX_CTIME", c!(libc::STATX_CTIME)),
            (&STATX_MASK, "STATX_INO", c!(libc::STATX_INO)),
            (&STATX_MASK, "STATX_SIZE", c!(libc::STATX_SIZE)),
            (&STATX_MASK, "STATX_BLOCKS", c!(libc::STATX_BLOCKS)),
            (
                &STATX_MASK,
                "STATX_BASIC_STATS",
                c!(libc::STATX_BASIC_STATS),
            ),
            (&STATX_MASK, "STATX_BTIME", c!(libc::STATX_BTIME)),
            (&STATX_MASK, "STATX_ALL", c!(libc::STATX_ALL)),
            (&STATX_MASK, "STATX_MNT_ID", c!(libc::STATX_MNT_ID)),
            (&STATX_MASK, "STATX_DIOALIGN", c!(libc::STATX_DIOALIGN)),
            (&STATX_MASK, "STATX__RESERVED", c!(libc::STATX__RESERVED)),
            (
                &CLOSE_RANGE,
                "CLOSE_RANGE_UNSHARE",
                c!(libc::CLOSE_RANGE_UNSHARE),
            ),
            (
                &CLOSE_RANGE,
                "CLOSE_RANGE_CLOEXEC",
                c!(libc::CLOSE_RANGE_CLOEXEC),
            ),
            (&PIDFD, "PIDFD_NONBLOCK", c!(libc::PIDFD_NONBLOCK)),
            (&RWF, "RWF_HIPRI", c!(libc::RWF_HIPRI)),
            (&RWF, "RWF_DSYNC", c!(libc::RWF_DSYNC)),
            (&RWF, "RWF_SYNC", c!(libc::RWF_SYNC)),
            (&RWF, "RWF_NOWAIT", c!(libc::RWF_NOWAIT)),
            (&RWF, "RWF_APPEND", c!(libc::RWF_APPEND)),
            (
                &SECCOMP_FILTER,
                "SECCOMP_FILTER_FLAG_TSYNC",
                c!(libc::SECCOMP_FILTER_FLAG_TSYNC),
            ),
            (
                &SECCOMP_FILTER,
                "SECCOMP_FILTER_FLAG_LOG",
                c!(libc::SECCOMP_FILTER_FLAG_LOG),
            ),
            (
                &SECCOMP_FILTER,
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                c!(libc::SECCOMP_FILTER_FLAG_SPEC_ALLOW),
            ),
            (
                &SECCOMP_FILTER,
                "SECCOMP_FILTER_FLAG_NEW_LISTENER",
                c!(libc::SECCOMP_FILTER_FLAG_NEW_LISTENER),
            ),
            (
                &SECCOMP_FILTER,
                "SECCOMP_FILTER_FLAG_TSYNC_ESRCH",
                c!(libc::SECCOMP_FILTER_FLAG_TSYNC_ESRCH),
            ),
            (
                &PERSONALITY,
                "ADDR_NO_RANDOMIZE",
                c!(libc::ADDR_NO_RANDOMIZE),
            ),
            (&PERSONALITY, "MMAP_PAGE_ZERO", c!(libc::MMAP_PAGE_ZERO)),
            (
                &PERSONALITY,
                "ADDR_COMPAT_LAYOUT",
                c!(libc::ADDR_COMPAT_LAYOUT),
            ),
            (
                &PERSONALITY,
                "READ_IMPLIES_EXEC",
                c!(libc::READ_IMPLIES_EXEC),
            ),
            (&PERSONALITY, "ADDR_LIMIT_32BIT", c!(libc::ADDR_LIMIT_32BIT)),
            (&PERSONALITY, "SHORT_INODE", c!(libc::SHORT_INODE)),
            (&PERSONALITY, "WHOLE_SECONDS", c!(libc::WHOLE_SECONDS)),
            (&PERSONALITY, "STICKY_TIMEOUTS", c!(libc::STICKY_TIMEOUTS)),
            (&PERSONALITY, "ADDR_LIMIT_3GB", c!(libc::ADDR_LIMIT_3GB)),
            (&FAN_INIT, "FAN_CLASS_NOTIF", c!(libc::FAN_CLASS_NOTIF)),
            (&FAN_INIT, "FAN_CLASS_CONTENT", c!(libc::FAN_CLASS_CONTENT)),
            (
                &FAN_INIT,
                "FAN_CLASS_PRE_CONTENT",
                c!(libc::FAN_CLASS_PRE_CONTENT),
            ),
            (&FAN_INIT, "FAN_CLOEXEC", c!(libc::FAN_CLOEXEC)),
            (&FAN_INIT, "FAN_NONBLOCK", c!(libc::FAN_NONBLOCK)),
            (
                &FAN_INIT,
                "FAN_UNLIMITED_QUEUE",
                c!(libc::FAN_UNLIMITED_QUEUE),
            ),
            (
                &FAN_INIT,
                "FAN_UNLIMITED_MARKS",
                c!(libc::FAN_UNLIMITED_MARKS),
            ),
            (&FAN_INIT, "FAN_ENABLE_AUDIT", c!(libc::FAN_ENABLE_AUDIT)),
            (&FAN_INIT, "FAN_REPORT_PIDFD", c!(libc::FAN_REPORT_PIDFD)),
            (&FAN_INIT, "FAN_REPORT_TID", c!(libc::FAN_REPORT_TID)),
            (&FAN_INIT, "FAN_REPORT_FID", c!(libc::FAN_REPORT_FID)),
            (
                &FAN_INIT,
                "FAN_REPORT_DIR_FID",
                c!(libc::FAN_REPORT_DIR_FID),
            ),
            (&FAN_INIT, "FAN_REPORT_NAME", c!(libc::FAN_REPORT_NAME)),
            (
                &FAN_INIT,
                "FAN_REPORT_TARGET_FID",
                c!(libc::FAN_REPORT_TARGET_FID),
            ),
            (&FAN_MARK, "FAN_MARK_ADD", c!(libc::FAN_MARK_ADD)),
            (&FAN_MARK, "FAN_MARK_REMOVE", c!(libc::FAN_MARK_REMOVE)),
            (
                &FAN_MARK,
                "FAN_MARK_DONT_FOLLOW",
                c!(libc::FAN_MARK_DONT_FOLLOW),
            ),
            (&FAN_MARK, "FAN_MARK_ONLYDIR", c!(libc::FAN_MARK_ONLYDIR)),
            (&FAN_MARK, "FAN_MARK_MOUNT", c!(libc::FAN_MARK_MOUNT)),
            (
                &FAN_MARK,
                "FAN_MARK_IGNORED_MASK",
                c!(libc::FAN_MARK_IGNORED_MASK),
            ),
            (
                &FAN_MARK,
                "FAN_MARK_IGNORED_SURV_MODIFY",
                c!(libc::FAN_MARK_IGNORED_SURV_MODIFY),
            ),
            (&FAN_MARK, "FAN_MARK_FLUSH", c!(libc::FAN_MARK_FLUSH)),
            (
                &FAN_MARK,
                "FAN_MARK_FILESYSTEM",
                c!(libc::FAN_MARK_FILESYSTEM),
            ),
            (
                &FAN_MARK,
                "FAN_MARK_EVICTABLE",
                c!(libc::FAN_MARK_EVICTABLE),
            ),
            (&FAN_MARK, "FAN_MARK_IGNORE", c!(libc::FAN_MARK_IGNORE)),
            (&MEMFD_SECRET, "O_CLOEXEC", c!(libc::O_CLOEXEC)),
            (
                &SYNC_FILE_RANGE,
                "SYNC_FILE_RANGE_WAIT_BEFORE",
                c!(libc::SYNC_FILE_RANGE_WAIT_BEFORE),
            ),
            (
                &SYNC_FILE_RANGE,
                "SYNC_FILE_RANGE_WRITE",
                c!(libc::SYNC_FILE_RANGE_WRITE),
            ),
            (
                &SYNC_FILE_RANGE,
                "SYNC_FILE_RANGE_WAIT_AFTER",
                c!(libc::SYNC_FILE_RANGE_WAIT_AFTER),
            ),
            (
                &FALLOCATE,
                "FALLOC_FL_KEEP_SIZE",
                c!(libc::FALLOC_FL_KEEP_SIZE),
            ),
            (
                &FALLOCATE,
                "FALLOC_FL_PUNCH_HOLE",
                c!(libc::FALLOC_FL_PUNCH_HOLE),
            ),
            (
                &FALLOCATE,
                "FALLOC_FL_COLLAPSE_RANGE",
                c!(libc::FALLOC_FL_COLLAPSE_RANGE),
            ),
            (
                &FALLOCATE,
                "FALLOC_FL_ZERO_RANGE",
                c!(libc::FALLOC_FL_ZERO_RANGE),
            ),
            (
                &FALLOCATE,
                "FALLOC_FL_INSERT_RANGE",
                c!(libc::FALLOC_FL_INSERT_RANGE),
            ),
            (
                &FALLOCATE,
                "FALLOC_FL_UNSHARE_RANGE",
                c!(libc::FALLOC_FL_UNSHARE_RANGE),
            ),
            (&OPEN_TREE, "OPEN_TREE_CLONE", c!(libc::OPEN_TREE_CLONE)),
            (&OPEN_TREE, "OPEN_TREE_CLOEXEC", c!(libc::OPEN_TREE_CLOEXEC)),
            (&OPEN_TREE, "AT_RECURSIVE", c!(libc::AT_RECURSIVE)),
            (
                &MOVE_MOUNT,
                "MOVE_MOUNT_F_SYMLINKS",
                c!(libc::MOVE_MOUNT_F_SYMLINKS),
            ),
            (
                &MOVE_MOUNT,
                "MOVE_MOUNT_F_AUTOMOUNTS",
                c!(libc::MOVE_MOUNT_F_AUTOMOUNTS),
            ),
            (
                &MOVE_MOUNT,
                "MOVE_MOUNT_F_EMPTY_PATH",
                c!(libc::MOVE_MOUNT_F_EMPTY_PATH),
            ),
            (
                &MOVE_MOUNT,
                "MOVE_MOUNT_T_SYMLINKS",
                c!(libc::MOVE_MOUNT_T_SYMLINKS),
            ),
            (
                &MOVE_MOUNT,
                "MOVE_MOUNT_T_AUTOMOUNTS",
                c!(libc::MOVE_MOUNT_T_AUTOMOUNTS),
            ),
            (
                &MOVE_MOUNT,
                "MOVE_MOUNT_T_EMPTY_PATH",
                c!(libc::MOVE_MOUNT_T_EMPTY_PATH),
            ),
            (
                &MOVE_MOUNT,
                "MOVE_MOUNT_SET_GROUP",
                c!(libc::MOVE_MOUNT_SET_GROUP),
            ),
            (
                &MOVE_MOUNT,
                "MOVE_MOUNT_BENEATH",
                c!(libc::MOVE_MOUNT_BENEATH),
            ),
            (&FSOPEN, "FSOPEN_CLOEXEC", c!(libc::FSOPEN_CLOEXEC)),
            (&FSMOUNT, "FSMOUNT_CLOEXEC", c!(libc::FSMOUNT_CLOEXEC)),
        ];
        for &(set, name, want) in checks {
            assert_eq!(flag(set, name), want, "flags:{} {name}", set.name);
        }
        assert!(checks.len() >= 80);
    }

    #[test]
    fn enum_values_match_libc() {
        let checks: &[(&EnumSet, &str, u64)] = &[
            (&FCNTL, "F_DUPFD", c!(libc::F_DUPFD)),
            (&FCNTL, "F_GETFD", c!(libc::F_GETFD)),
            (&FCNTL, "F_SETFD", c!(libc::F_SETFD)),
            (&FCNTL, "F_GETFL", c!(libc::F_GETFL)),
            (&FCNTL, "F_SETFL", c!(libc::F_SETFL)),
            (&FCNTL, "F_GETLK", c!(libc::F_GETLK)),
            (&FCNTL, "F_SETLK", c!(libc::F_SETLK)),
            (&FCNTL, "F_SETLKW", c!(libc::F_SETLKW)),
            (&FCNTL, "F_SETOWN", c!(libc::F_SETOWN)),
            (&FCNTL, "F_GETOWN", c!(libc::F_GETOWN)),
            (&FCNTL, "F_OFD_GETLK", c!(libc::F_OFD_GETLK)),
            (&FCNTL, "F_OFD_SETLK", c!(libc::F_OFD_SETLK)),
            (&FCNTL, "F_OFD_SETLKW", c!(libc::F_OFD_SETLKW)),
            (&FCNTL, "F_SETLEASE", c!(libc::F_SETLEASE)),
            (&FCNTL, "F_GETLEASE", c!(libc::F_GETLEASE)),
            (&FCNTL, "F_NOTIFY", c!(libc::F_NOTIFY)),
            (&FCNTL, "F_CANCELLK", c!(libc::F_CANCELLK)),
            (&FCNTL, "F_DUPFD_CLOEXEC", c!(libc::F_DUPFD_CLOEXEC)),
            (&FCNTL, "F_SETPIPE_SZ", c!(libc::F_SETPIPE_SZ)),
            (&FCNTL, "F_GETPIPE_SZ", c!(libc::F_GETPIPE_SZ)),
            (&FCNTL, "F_ADD_SEALS", c!(libc::F_ADD_SEALS)),
            (&FCNTL, "F_GET_SEALS", c!(libc::F_GET_SEALS)),
            (&SEEK, "SEEK_SET", c!(libc::SEEK_SET)),
            (&SEEK, "SEEK_CUR", c!(libc::SEEK_CUR)),
            (&SEEK, "SEEK_END", c!(libc::SEEK_END)),
            (&SEEK, "SEEK_DATA", c!(libc::SEEK_DATA)),
            (&SEEK, "SEEK_HOLE", c!(libc::SEEK_HOLE)),
            (&AF, "AF_UNSPEC", c!(libc::AF_UNSPEC)),
            (&AF, "AF_UNIX", c!(libc::AF_UNIX)),
            (&AF, "AF_INET", c!(libc::AF_INET)),
            (&AF, "AF_AX25", c!(libc::AF_AX25)),
            (&AF, "AF_IPX", c!(libc::AF_IPX)),
            (&AF, "AF_APPLETALK", c!(libc::AF_APPLETALK)),
            (&AF, "AF_BRIDGE", c!(libc::AF_BRIDGE)),
            (&AF, "AF_INET6", c!(libc::AF_INET6)),
            (&AF, "AF_DECnet", c!(libc::AF_DECnet)),
            (&AF, "AF_KEY", c!(libc::AF_KEY)),
            (&AF, "AF_NETLINK", c!(libc::AF_NETLINK)),
            (&AF, "AF_PACKET", c!(libc::AF_PACKET)),
            (&AF, "AF_RDS", c!(libc::AF_RDS)),
            (&AF, "AF_IRDA", c!(libc::AF_IRDA)),
            (&AF, "AF_PPPOX", c!(libc::AF_PPPOX)),
            (&AF, "AF_LLC", c!(libc::AF_LLC)),
            (&AF, "AF_IB", c!(libc::AF_IB)),
            (&AF, "AF_MPLS", c!(libc::AF_MPLS)),
            (&AF, "AF_CAN", c!(libc::AF_CAN)),
            (&AF, "AF_TIPC", c!(libc::AF_TIPC)),
            (&AF, "AF_BLUETOOTH", c!(libc::AF_BLUETOOTH)),
            (&AF, "AF_ALG", c!(libc::AF_ALG)),
            (&AF, "AF_NFC", c!(libc::AF_NFC)),
            (&AF, "AF_VSOCK", c!(libc::AF_VSOCK)),
            (&AF, "AF_XDP", c!(libc::AF_XDP)),
            (&IPPROTO, "IPPROTO_IP", c!(libc::IPPROTO_IP)),
            (&IPPROTO, "IPPROTO_ICMP", c!(libc::IPPROTO_ICMP)),
            (&IPPROTO, "IPPROTO_IGMP", c!(libc::IPPROTO_IGMP)),
            (&IPPROTO, "IPPROTO_TCP", c!(libc::IPPROTO_TCP)),
            (&IPPROTO, "IPPROTO_UDP", c!(libc::IPPROTO_UDP)),
            (&IPPROTO, "IPPROTO_IPV6", c!(libc::IPPROTO_IPV6)),
            (&IPPROTO, "IPPROTO_GRE", c!(libc::IPPROTO_GRE)),
            (&IPPROTO, "IPPROTO_ESP", c!(libc::IPPROTO_ESP)),
            (&IPPROTO, "IPPROTO_AH", c!(libc::IPPROTO_AH)),
            (&IPPROTO, "IPPROTO_ICMPV6", c!(libc::IPPROTO_ICMPV6)),
            (&IPPROTO, "IPPROTO_SCTP", c!(libc::IPPROTO_SCTP)),
            (&IPPROTO, "IPPROTO_UDPLITE", c!(libc::IPPROTO_UDPLITE)),
            (&IPPROTO, "IPPROTO_RAW", c!(libc::IPPROTO_RAW)),
            (&IPPROTO, "IPPROTO_MPTCP", c!(libc::IPPROTO_MPTCP)),
            (&SOL, "SOL_IP", c!(libc::SOL_IP)),
            (&SOL, "SOL_SOCKET", c!(libc::SOL_SOCKET)),
            (&SOL, "SOL_TCP", c!(libc::SOL_TCP)),
            (&SOL, "SOL_UDP", c!(libc::SOL_UDP)),
            (&SOL, "SOL_IPV6", c!(libc::SOL_IPV6)),
            (&SOL, "SOL_ICMPV6", c!(libc::SOL_ICMPV6)),
            (&SOL, "SOL_RAW", c!(libc::SOL_RAW)),
            (&SOL, "SOL_PACKET", c!(libc::SOL_PACKET)),
            (&SOL, "SOL_NETLINK", c!(libc::SOL_NETLINK)),
            (&SOL, "SOL_TLS", c!(libc::SOL_TLS)),
            (&SOL, "SOL_XDP", c!(libc::SOL_XDP)),
            (&SO, "SO_DEBUG", c!(libc::SO_DEBUG)),
            (&SO, "SO_REUSEADDR", c!(libc::SO_REUSEADDR)),
            (&SO, "SO_TYPE", c!(libc::SO_TYPE)),
            (&SO, "SO_ERROR", c!(libc::SO_ERROR)),
            (&SO, "SO_DONTROUTE", c!(libc::SO_DONTROUTE)),
            (&SO, "SO_BROADCAST", c!(libc::SO_BROADCAST)),
            (&SO, "SO_SNDBUF", c!(libc::SO_SNDBUF)),
            (&SO, "SO_RCVBUF", c!(libc::SO_RCVBUF)),
            (&SO, "SO_KEEPALIVE", c!(libc::SO_KEEPALIVE)),
            (&SO, "SO_OOBINLINE", c!(libc::SO_OOBINLINE)),
            (&SO, "SO_NO_CHECK", c!(libc::SO_NO_CHECK)),
            (&SO, "SO_PRIORITY", c!(libc::SO_PRIORITY)),
            (&SO, "SO_LINGER", c!(libc::SO_LINGER)),
            (&SO, "SO_REUSEPORT", c!(libc::SO_REUSEPORT)),
            (&SO, "SO_PASSCRED", c!(libc::SO_PASSCRED)),
            (&SO, "SO_PEERCRED", c!(libc::SO_PEERCRED)),
            (&SO, "SO_RCVLOWAT", c!(libc::SO_RCVLOWAT)),
            (&SO, "SO_SNDLOWAT", c!(libc::SO_SNDLOWAT)),
            (&SO, "SO_RCVTIMEO_OLD", c!(libc::SO_RCVTIMEO)),
            (&SO, "SO_SNDTIMEO_OLD", c!(libc::SO_SNDTIMEO)),
            (&SO, "SO_BINDTODEVICE", c!(libc::SO_BINDTODEVICE)),
            (&SO, "SO_ATTACH_FILTER", c!(libc::SO_ATTACH_FILTER)),
            (&SO, "SO_DETACH_FILTER", c!(libc::SO_DETACH_FILTER)),
            (&SO, "SO_TIMESTAMP_OLD", c!(libc::SO_TIMESTAMP)),
            (&SO, "SO_ACCEPTCONN", c!(libc::SO_ACCEPTCONN)),
            (&SO, "SO_PEERSEC", c!(libc::SO_PEERSEC)),
            (&SO, "SO_SNDBUFFORCE", c!(libc::SO_SNDBUFFORCE)),
            (&SO, "SO_RCVBUFFORCE", c!(libc::SO_RCVBUFFORCE)),
            (&SO, "SO_PASSSEC", c!(libc::SO_PASSSEC)),
            (&SO, "SO_MARK", c!(libc::SO_MARK)),
            (&SO, "SO_PROTOCOL", c!(libc::SO_PROTOCOL)),
            (&SO, "SO_DOMAIN", c!(libc::SO_DOMAIN)),
            (&SO, "SO_RXQ_OVFL", c!(libc::SO_RXQ_OVFL)),
            (&SO, "SO_PEEK_OFF", c!(libc::SO_PEEK_OFF)),
            (&SO, "SO_BUSY_POLL", c!(libc::SO_BUSY_POLL)),
            (&SO, "SO_INCOMING_CPU", c!(libc::SO_INCOMING_CPU)),
            (&SO, "SO_ATTACH_BPF", c!(libc::SO_ATTACH_BPF)),
            (&SO, "SO_COOKIE", c!(libc::SO_COOKIE)),
            (&SO, "SO_ZEROCOPY", c!(libc::SO_ZEROCOPY)),
            (&SO, "SO_TXTIME", c!(libc::SO_TXTIME)),
            (&SO, "SO_BINDTOIFINDEX", c!(libc::SO_BINDTOIFINDEX)),
            (&SHUT, "SHUT_RD", c!(libc::SHUT_RD)),
            (&SHUT, "SHUT_WR", c!(libc::SHUT_WR)),
            (&SHUT, "SHUT_RDWR", c!(libc::SHUT_RDWR)),
            (&SIGHOW, "SIG_BLOCK", c!(libc::SIG_BLOCK)),
            (&SIGHOW, "SIG_UNBLOCK", c!(libc::SIG_UNBLOCK)),
            (&SIGHOW, "SIG_SETMASK", c!(libc::SIG_SETMASK)),
            (&PR, "PR_SET_PDEATHSIG", c!(libc::PR_SET_PDEATHSIG)),
            (&PR, "PR_GET_PDEATHSIG", c!(libc::PR_GET_PDEATHSIG)),
            (&PR, "PR_GET_DUMPABLE", c!(libc::PR_GET_DUMPABLE)),
            (&PR, "PR_SET_DUMPABLE", c!(libc::PR_SET_DUMPABLE)),
            (&PR, "PR_SET_KEEPCAPS", c!(libc::PR_SET_KEEPCAPS)),
            (&PR, "PR_SET_NAME", c!(libc::PR_SET_NAME)),
            (&PR, "PR_GET_NAME", c!(libc::PR_GET_NAME)),
            (&PR, "PR_GET_SECCOMP", c!(libc::PR_GET_SECCOMP)),
            (&PR, "PR_SET_SECCOMP", c!(libc::PR_SET_SECCOMP)),
            (&PR, "PR_CAPBSET_READ", c!(libc::PR_CAPBSET_READ)),
            (&PR, "PR_CAPBSET_DROP", c!(libc::PR_CAPBSET_DROP)),
            (&PR, "PR_SET_SECUREBITS", c!(libc::PR_SET_SECUREBITS)),
            (&PR, "PR_SET_TIMERSLACK", c!(libc::PR_SET_TIMERSLACK)),
            (&PR, "PR_SET_MM", c!(libc::PR_SET_MM)),
            (
                &PR,
                "PR_SET_CHILD_SUBREAPER",
                c!(libc::PR_SET_CHILD_SUBREAPER),
            ),
            (
                &PR,
                "PR_GET_CHILD_SUBREAPER",
                c!(libc::PR_GET_CHILD_SUBREAPER),
            ),
            (&PR, "PR_SET_NO_NEW_PRIVS", c!(libc::PR_SET_NO_NEW_PRIVS)),
            (&PR, "PR_GET_NO_NEW_PRIVS", c!(libc::PR_GET_NO_NEW_PRIVS)),
            (&PR, "PR_SET_THP_DISABLE", c!(libc::PR_SET_THP_DISABLE)),
            (&PR, "PR_CAP_AMBIENT", c!(libc::PR_CAP_AMBIENT)),
            (
                &PR,
                "PR_SET_SPECULATION_CTRL",
                c!(libc::PR_SET_SPECULATION_CTRL),
            ),
            (&PR, "PR_SCHED_CORE", c!(libc::PR_SCHED_CORE)),
            (&PR, "PR_SET_MDWE", c!(libc::PR_SET_MDWE)),
            (&PR, "PR_SET_VMA", c!(libc::PR_SET_VMA)),
            (&PR, "PR_SET_PTRACER", c!(libc::PR_SET_PTRACER)),
            (&RLIMIT, "RLIMIT_CPU", c!(libc::RLIMIT_CPU)),
            (&RLIMIT, "RLIMIT_FSIZE", c!(libc::RLIMIT_FSIZE)),
            (&RLIMIT, "RLIMIT_DATA", c!(libc::RLIMIT_DATA)),
            (&RLIMIT, "RLIMIT_STACK", c!(libc::RLIMIT_STACK)),
            (&RLIMIT, "RLIMIT_CORE", c!(libc::RLIMIT_CORE)),
            (&RLIMIT, "RLIMIT_RSS", c!(libc::RLIMIT_RSS)),
            (&RLIMIT, "RLIMIT_NPROC", c!(libc::RLIMIT_NPROC)),
            (&RLIMIT, "RLIMIT_NOFILE", c!(libc::RLIMIT_NOFILE)),
            (&RLIMIT, "RLIMIT_MEMLOCK", c!(libc::RLIMIT_MEMLOCK)),
            (&RLIMIT, "RLIMIT_AS", c!(libc::RLIMIT_AS)),
            (&RLIMIT, "RLIMIT_LOCKS", c!(libc::RLIMIT_LOCKS)),
            (&RLIMIT, "RLIMIT_SIGPENDING", c!(libc::RLIMIT_SIGPENDING)),
            (&RLIMIT, "RLIMIT_MSGQUEUE", c!(libc::RLIMIT_MSGQUEUE)),
            (&RLIMIT, "RLIMIT_NICE", c!(libc::RLIMIT_NICE)),
            (&RLIMIT, "RLIMIT_RTPRIO", c!(libc::RLIMIT_RTPRIO)),
            (&RLIMIT, "RLIMIT_RTTIME", c!(libc::RLIMIT_RTTIME)),
            (&CLOCK, "CLOCK_REALTIME", c!(libc::CLOCK_REALTIME)),
            (&CLOCK, "CLOCK_MONOTONIC", c!(libc::CLOCK_MONOTONIC)),
            (
                &CLOCK,
                "CLOCK_PROCESS_CPUTIME_ID",
                c!(libc::CLOCK_PROCESS_CPUTIME_ID),
            ),
            (
                &CLOCK,
                "CLOCK_THREAD_CPUTIME_ID",
                c!(libc::CLOCK_THREAD_CPUTIME_ID),
            ),
            (&CLOCK, "CLOCK_MONOTONIC_RAW", c!(libc::CLOCK_MONOTONIC_RAW)),
            (
                &CLOCK,
                "CLOCK_REALTIME_COARSE",
                c!(libc::CLOCK_REALTIME_COARSE),
            ),
            (
                &CLOCK,
                "CLOCK_MONOTONIC_COARSE",
                c!(libc::CLOCK_MONOTONIC_COARSE),
            ),
            (&CLOCK, "CLOCK_BOOTTIME", c!(libc::CLOCK_BOOTTIME)),
            (
                &CLOCK,
                "CLOCK_REALTIME_ALARM",
                c!(libc::CLOCK_REALTIME_ALARM),
            ),
            (
                &CLOCK,
                "CLOCK_BOOTTIME_ALARM",
                c!(libc::CLOCK_BOOTTIME_ALARM),
            ),
            (&CLOCK, "CLOCK_TAI", c!(libc::CLOCK_TAI)),
            (&ITIMER, "ITIMER_REAL", c!(libc::ITIMER_REAL)),
            (&ITIMER, "ITIMER_VIRTUAL", c!(libc::ITIMER_VIRTUAL)),
            (&ITIMER, "ITIMER_PROF", c!(libc::ITIMER_PROF)),
            (&MADV, "MADV_NORMAL", c!(libc::MADV_NORMAL)),
            (&MADV, "MADV_RANDOM", c!(libc::MADV_RANDOM)),
            (&MADV, "MADV_SEQUENTIAL", c!(libc::MADV_SEQUENTIAL)),
            (&MADV, "MADV_WILLNEED", c!(libc::MADV_WILLNEED)),
            (&MADV, "MADV_DONTNEED", c!(libc::MADV_DONTNEED)),
            (&MADV, "MADV_FREE", c!(libc::MADV_FREE)),
            (&MADV, "MADV_REMOVE", c!(libc::MADV_REMOVE)),
            (&MADV, "MADV_DONTFORK", c!(libc::MADV_DONTFORK)),
            (&MADV, "MADV_DOFORK", c!(libc::MADV_DOFORK)),
            (&MADV, "MADV_MERGEABLE", c!(libc::MADV_MERGEABLE)),
            (&MADV, "MADV_UNMERGEABLE", c!(libc::MADV_UNMERGEABLE)),
            (&MADV, "MADV_HUGEPAGE", c!(libc::MADV_HUGEPAGE)),
            (&MADV, "MADV_NOHUGEPAGE", c!(libc::MADV_NOHUGEPAGE)),
            (&MADV, "MADV_DONTDUMP", c!(libc::MADV_DONTDUMP)),
            (&MADV, "MADV_DODUMP", c!(libc::MADV_DODUMP)),
            (&MADV, "MADV_WIPEONFORK", c!(libc::MADV_WIPEONFORK)),
            (&MADV, "MADV_KEEPONFORK", c!(libc::MADV_KEEPONFORK)),
            (&MADV, "MADV_COLD", c!(libc::MADV_COLD)),
            (&MADV, "MADV_PAGEOUT", c!(libc::MADV_PAGEOUT)),
            (&MADV, "MADV_POPULATE_READ", c!(libc::MADV_POPULATE_READ)),
            (&MADV, "MADV_POPULATE_WRITE", c!(libc::MADV_POPULATE_WRITE)),
            (&MADV, "MADV_HWPOISON", c!(libc::MADV_HWPOISON)),
            (&MADV, "MADV_SOFT_OFFLINE", c!(libc::MADV_SOFT_OFFLINE)),
            (&FADV, "POSIX_FADV_NORMAL", c!(libc::POSIX_FADV_NORMAL)),
            (&FADV, "POSIX_FADV_RANDOM", c!(libc::POSIX_FADV_RANDOM)),
            (
                &FADV,
                "POSIX_FADV_SEQUENTIAL",
                c!(libc::POSIX_FADV_SEQUENTIAL),
            ),
            (&FADV, "POSIX_FADV_WILLNEED", c!(libc::POSIX_FADV_WILLNEED)),
            (&FADV, "POSIX_FADV_DONTNEED", c!(libc::POSIX_FADV_DONTNEED)),
            (&FADV, "POSIX_FADV_NOREUSE", c!(libc::POSIX_FADV_NOREUSE)),
            (&EPOLL_CTL, "EPOLL_CTL_ADD", c!(libc::EPOLL_CTL_ADD)),
            (&EPOLL_CTL, "EPOLL_CTL_DEL", c!(libc::EPOLL_CTL_DEL)),
            (&EPOLL_CTL, "EPOLL_CTL_MOD", c!(libc::EPOLL_CTL_MOD)),
            (&FUTEX, "FUTEX_WAIT", c!(libc::FUTEX_WAIT)),
            (&FUTEX, "FUTEX_WAKE", c!(libc::FUTEX_WAKE)),
            (&FUTEX, "FUTEX_FD", c!(libc::FUTEX_FD)),
            (&FUTEX, "FUTEX_REQUEUE", c!(libc::FUTEX_REQUEUE)),
            (&FUTEX, "FUTEX_CMP_REQUEUE", c!(libc::FUTEX_CMP_REQUEUE)),
            (&FUTEX, "FUTEX_WAKE_OP", c!(libc::FUTEX_WAKE_OP)),
            (&FUTEX, "FUTEX_LOCK_PI", c!(libc::FUTEX_LOCK_PI)),
            (&FUTEX, "FUTEX_UNLOCK_PI", c!(libc::FUTEX_UNLOCK_PI)),
            (&FUTEX, "FUTEX_TRYLOCK_PI", c!(libc::FUTEX_TRYLOCK_PI)),
            (&FUTEX, "FUTEX_WAIT_BITSET", c!(libc::FUTEX_WAIT_BITSET)),
            (&FUTEX, "FUTEX_WAKE_BITSET", c!(libc::FUTEX_WAKE_BITSET)),
            (
                &FUTEX,
                "FUTEX_WAIT_REQUEUE_PI",
                c!(libc::FUTEX_WAIT_REQUEUE_PI),
            ),
            (
                &FUTEX,
                "FUTEX_CMP_REQUEUE_PI",
                c!(libc::FUTEX_CMP_REQUEUE_PI),
            ),
            (&FUTEX, "FUTEX_LOCK_PI2", c!(libc::FUTEX_LOCK_PI2)),
            (
                &FUTEX,
                "FUTEX_WAIT_PRIVATE",
                c!(libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG),
            ),
            (
                &FUTEX,
                "FUTEX_WAKE_PRIVATE",
                c!(libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG),
            ),
            (
                &FUTEX,
                "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME",
                c!(libc::FUTEX_WAIT_BITSET | libc::FUTEX_CLOCK_REALTIME),
            ),
            (
                &FUTEX,
                "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME",
                c!(libc::FUTEX_WAIT_BITSET | libc::FUTEX_PRIVATE_FLAG | libc::FUTEX_CLOCK_REALTIME),
            ),
            (&PTRACE, "PTRACE_TRACEME", c!(libc::PTRACE_TRACEME)),
            (&PTRACE, "PTRACE_PEEKTEXT", c!(libc::PTRACE_PEEKTEXT)),
            (&PTRACE, "PTRACE_PEEKDATA", c!(libc::PTRACE_PEEKDATA)),
            (&PTRACE, "PTRACE_PEEKUSER", c!(libc::PTRACE_PEEKUSER)),
            (&PTRACE, "PTRACE_POKETEXT", c!(libc::PTRACE_POKETEXT)),
            (&PTRACE, "PTRACE_POKEDATA", c!(libc::PTRACE_POKEDATA)),
            (&PTRACE, "PTRACE_POKEUSER", c!(libc::PTRACE_POKEUSER)),
            (&PTRACE, "PTRACE_CONT", c!(libc::PTRACE_CONT)),
            (&PTRACE, "PTRACE_KILL", c!(libc::PTRACE_KILL)),
            (&PTRACE, "PTRACE_SINGLESTEP", c!(libc::PTRACE_SINGLESTEP)),
            (&PTRACE, "PTRACE_GETREGS", c!(libc::PTRACE_GETREGS)),
            (&PTRACE, "PTRACE_SETREGS", c!(libc::PTRACE_SETREGS)),
            (&PTRACE, "PTRACE_ATTACH", c!(libc::PTRACE_ATTACH)),
            (&PTRACE, "PTRACE_DETACH", c!(libc::PTRACE_DETACH)),
            (&PTRACE, "PTRACE_SYSCALL", c!(libc::PTRACE_SYSCALL)),
            (&PTRACE, "PTRACE_SYSEMU", c!(libc::PTRACE_SYSEMU)),
            (&PTRACE, "PTRACE_SETOPTIONS", c!(libc::PTRACE_SETOPTIONS)),
            (&PTRACE, "PTRACE_GETEVENTMSG", c!(libc::PTRACE_GETEVENTMSG)),
            (&PTRACE, "PTRACE_GETSIGINFO", c!(libc::PTRACE_GETSIGINFO)),
            (&PTRACE, "PTRACE_SETSIGINFO", c!(libc::PTRACE_SETSIGINFO)),
            (&PTRACE, "PTRACE_GETREGSET", c!(libc::PTRACE_GETREGSET)),
            (&PTRACE, "PTRACE_SETREGSET", c!(libc::PTRACE_SETREGSET)),
            (&PTRACE, "PTRACE_SEIZE", c!(libc::PTRACE_SEIZE)),
            (&PTRACE, "PTRACE_INTERRUPT", c!(libc::PTRACE_INTERRUPT)),
            (&PTRACE, "PTRACE_LISTEN", c!(libc::PTRACE_LISTEN)),
            (&PTRACE, "PTRACE_PEEKSIGINFO", c!(libc::PTRACE_PEEKSIGINFO)),
            (
                &PTRACE,
                "PTRACE_GET_SYSCALL_INFO",
                c!(libc::PTRACE_GET_SYSCALL_INFO),
            ),
            (&SCHED_POLICY, "SCHED_OTHER", c!(libc::SCHED_OTHER)),
            (&SCHED_POLICY, "SCHED_FIFO", c!(libc::SCHED_FIFO)),
            (&SCHED_POLICY, "SCHED_RR", c!(libc::SCHED_RR)),
            (&SCHED_POLICY, "SCHED_BATCH", c!(libc::SCHED_BATCH)),
            (&SCHED_POLICY, "SCHED_IDLE", c!(libc::SCHED_IDLE)),
            (&SCHED_POLICY, "SCHED_DEADLINE", c!(libc::SCHED_DEADLINE)),
            (
                &SCHED_POLICY,
                "SCHED_FIFO|SCHED_RESET_ON_FORK",
                c!(libc::SCHED_FIFO | libc::SCHED_RESET_ON_FORK),
            ),
            (&PRIO_WHICH, "PRIO_PROCESS", c!(libc::PRIO_PROCESS)),
            (&PRIO_WHICH, "PRIO_PGRP", c!(libc::PRIO_PGRP)),
            (&PRIO_WHICH, "PRIO_USER", c!(libc::PRIO_USER)),
            (&RUSAGE_WHO, "RUSAGE_SELF", c!(libc::RUSAGE_SELF)),
            (
                &RUSAGE_WHO,
                "RUSAGE_CHILDREN",
                libc::RUSAGE_CHILDREN as i64 as u64,
            ),
            (&RUSAGE_WHO, "RUSAGE_THREAD", c!(libc::RUSAGE_THREAD)),
            (&IPC_CMD, "IPC_RMID", c!(libc::IPC_RMID)),
            (&IPC_CMD, "IPC_SET", c!(libc::IPC_SET)),
            (&IPC_CMD, "IPC_STAT", c!(libc::IPC_STAT)),
            (&IPC_CMD, "IPC_INFO", c!(libc::IPC_INFO)),
            (&IPC_CMD, "SHM_LOCK", c!(libc::SHM_LOCK)),
            (&IPC_CMD, "SHM_UNLOCK", c!(libc::SHM_UNLOCK)),
            (&IPC_CMD, "GETPID", c!(libc::GETPID)),
            (&IPC_CMD, "GETVAL", c!(libc::GETVAL)),
            (&IPC_CMD, "GETALL", c!(libc::GETALL)),
            (&IPC_CMD, "GETNCNT", c!(libc::GETNCNT)),
            (&IPC_CMD, "GETZCNT", c!(libc::GETZCNT)),
            (&IPC_CMD, "SETVAL", c!(libc::SETVAL)),
            (&IPC_CMD, "SETALL", c!(libc::SETALL)),
            (&IPC_CMD, "SEM_STAT", c!(libc::SEM_STAT)),
            (&IPC_CMD, "SEM_INFO", c!(libc::SEM_INFO)),
            (&IPC_CMD, "MSG_STAT", c!(libc::MSG_STAT)),
            (&IPC_CMD, "MSG_INFO", c!(libc::MSG_INFO)),
            (
                &SECCOMP_OP,
                "SECCOMP_SET_MODE_STRICT",
                c!(libc::SECCOMP_SET_MODE_STRICT),
            ),
            (
                &SECCOMP_OP,
                "SECCOMP_SET_MODE_FILTER",
                c!(libc::SECCOMP_SET_MODE_FILTER),
            ),
            (
                &SECCOMP_OP,
                "SECCOMP_GET_ACTION_AVAIL",
                c!(libc::SECCOMP_GET_ACTION_AVAIL),
            ),
            (
                &SECCOMP_OP,
                "SECCOMP_GET_NOTIF_SIZES",
                c!(libc::SECCOMP_GET_NOTIF_SIZES),
            ),
            (&IDTYPE, "P_ALL", c!(libc::P_ALL)),
            (&IDTYPE, "P_PID", c!(libc::P_PID)),
            (&IDTYPE, "P_PGID", c!(libc::P_PGID)),
            (&IDTYPE, "P_PIDFD", c!(libc::P_PIDFD)),
            (&QUOTACTL, "Q_SYNC", c!(libc::Q_SYNC)),
            (&QUOTACTL, "Q_QUOTAON", c!(libc::Q_QUOTAON)),
            (&QUOTACTL, "Q_QUOTAOFF", c!(libc::Q_QUOTAOFF)),
            (&QUOTACTL, "Q_GETFMT", c!(libc::Q_GETFMT)),
            (&QUOTACTL, "Q_GETINFO", c!(libc::Q_GETINFO)),
            (&QUOTACTL, "Q_SETINFO", c!(libc::Q_SETINFO)),
            (&QUOTACTL, "Q_GETQUOTA", c!(libc::Q_GETQUOTA)),
            (&QUOTACTL, "Q_SETQUOTA", c!(libc::Q_SETQUOTA)),
            (
                &REBOOT,
                "LINUX_REBOOT_CMD_RESTART",
                c!(libc::LINUX_REBOOT_CMD_RESTART),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_CMD_HALT",
                c!(libc::LINUX_REBOOT_CMD_HALT),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_CMD_CAD_ON",
                c!(libc::LINUX_REBOOT_CMD_CAD_ON),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_CMD_CAD_OFF",
                c!(libc::LINUX_REBOOT_CMD_CAD_OFF),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_CMD_POWER_OFF",
                c!(libc::LINUX_REBOOT_CMD_POWER_OFF),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_CMD_RESTART2",
                c!(libc::LINUX_REBOOT_CMD_RESTART2),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_CMD_SW_SUSPEND",
                c!(libc::LINUX_REBOOT_CMD_SW_SUSPEND),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_CMD_KEXEC",
                c!(libc::LINUX_REBOOT_CMD_KEXEC),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_MAGIC1",
                c!(libc::LINUX_REBOOT_MAGIC1),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_MAGIC2",
                c!(libc::LINUX_REBOOT_MAGIC2),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_MAGIC2A",
                c!(libc::LINUX_REBOOT_MAGIC2A),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_MAGIC2B",
                c!(libc::LINUX_REBOOT_MAGIC2B),
            ),
            (
                &REBOOT,
                "LINUX_REBOOT_MAGIC2C",
                c!(libc::LINUX_REBOOT_MAGIC2C),
            ),
            (&MEMPOLICY_MODE, "MPOL_DEFAULT", c!(libc::MPOL_DEFAULT)),
            (&MEMPOLICY_MODE, "MPOL_PREFERRED", c!(libc::MPOL_PREFERRED)),
            (&MEMPOLICY_MODE, "MPOL_BIND", c!(libc::MPOL_BIND)),
            (
                &MEMPOLICY_MODE,
                "MPOL_INTERLEAVE",
                c!(libc::MPOL_INTERLEAVE),
            ),
            (&MEMPOLICY_MODE, "MPOL_LOCAL", c!(libc::MPOL_LOCAL)),
        ];
        for &(set, name, want) in checks {
            assert_eq!(en(set, name), want, "enum:{} {name}", set.name);
        }
        assert!(checks.len() >= 80);
    }

    #[test]
    fn signals_match_libc() {
        let checks: &[(&str, i32)] = &[
            ("SIGHUP", libc::SIGHUP),
            ("SIGINT", libc::SIGINT),
            ("SIGQUIT", libc::SIGQUIT),
            ("SIGILL", libc::SIGILL),
            ("SIGTRAP", libc::SIGTRAP),
            ("SIGABRT", libc::SIGABRT),
            ("SIGBUS", libc::SIGBUS),
            ("SIGFPE", libc::SIGFPE),
            ("SIGKILL", libc::SIGKILL),
            ("SIGUSR1", libc::SIGUSR1),
            ("SIGSEGV", libc::SIGSEGV),
            ("SIGUSR2", libc::SIGUSR2),
            ("SIGPIPE", libc::SIGPIPE),
            ("SIGALRM", libc::SIGALRM),
            ("SIGTERM", libc::SIGTERM),
            ("SIGSTKFLT", libc::SIGSTKFLT),
            ("SIGCHLD", libc::SIGCHLD),
            ("SIGCONT", libc::SIGCONT),
            ("SIGSTOP", libc::SIGSTOP),
            ("SIGTSTP", libc::SIGTSTP),
            ("SIGTTIN", libc::SIGTTIN),
            ("SIGTTOU", libc::SIGTTOU),
            ("SIGURG", libc::SIGURG),
            ("SIGXCPU", libc::SIGXCPU),
            ("SIGXFSZ", libc::SIGXFSZ),
            ("SIGVTALRM", libc::SIGVTALRM),
            ("SIGPROF", libc::SIGPROF),
            ("SIGWINCH", libc::SIGWINCH),
            ("SIGIO", libc::SIGIO),
            ("SIGPWR", libc::SIGPWR),
            ("SIGSYS", libc::SIGSYS),
        ];
        for &(name, num) in checks {
            assert_eq!(signal(name), num as u64, "{name}");
        }
        // glibc's SIGRTMIN/SIGRTMAX, i.e. after its two reserved signals.
        #[cfg(target_env = "gnu")]
        {
            assert_eq!(signal("SIGRTMIN"), libc::SIGRTMIN() as u64);
            assert_eq!(signal("SIGRTMAX"), libc::SIGRTMAX() as u64);
        }
        let nums: Vec<u64> = SIGNALS.iter().map(|s| s.value).collect();
        assert_eq!(nums, (1..=64).collect::<Vec<u64>>());
        assert!(
            SIGNALS
                .iter()
                .all(|s| s.name.starts_with("SIG") && s.name.len() > 3)
        );
        assert_eq!(signal("SIGRT_1"), 35);
        assert_eq!(signal("SIGRT_29"), 63);
        assert!(std::ptr::eq(SIG.values, SIGNALS) || SIG.values == SIGNALS);
    }

    #[test]
    fn ioctls_match_libc() {
        let checks: &[(&str, u64)] = &[
            ("TCGETS", c!(libc::TCGETS)),
            ("TCSETS", c!(libc::TCSETS)),
            ("TCSETSW", c!(libc::TCSETSW)),
            ("TCSETSF", c!(libc::TCSETSF)),
            ("TCGETA", c!(libc::TCGETA)),
            ("TCSETA", c!(libc::TCSETA)),
            ("TCSETAW", c!(libc::TCSETAW)),
            ("TCSETAF", c!(libc::TCSETAF)),
            ("TCSBRK", c!(libc::TCSBRK)),
            ("TCXONC", c!(libc::TCXONC)),
            ("TCFLSH", c!(libc::TCFLSH)),
            ("TIOCEXCL", c!(libc::TIOCEXCL)),
            ("TIOCNXCL", c!(libc::TIOCNXCL)),
            ("TIOCSCTTY", c!(libc::TIOCSCTTY)),
            ("TIOCGPGRP", c!(libc::TIOCGPGRP)),
            ("TIOCSPGRP", c!(libc::TIOCSPGRP)),
            ("TIOCOUTQ", c!(libc::TIOCOUTQ)),
            ("TIOCSTI", c!(libc::TIOCSTI)),
            ("TIOCGWINSZ", c!(libc::TIOCGWINSZ)),
            ("TIOCSWINSZ", c!(libc::TIOCSWINSZ)),
            ("TIOCMGET", c!(libc::TIOCMGET)),
            ("TIOCMBIS", c!(libc::TIOCMBIS)),
            ("TIOCMBIC", c!(libc::TIOCMBIC)),
            ("TIOCMSET", c!(libc::TIOCMSET)),
            ("FIONREAD", c!(libc::FIONREAD)),
            ("FIONREAD", c!(libc::TIOCINQ)),
            ("TIOCCONS", c!(libc::TIOCCONS)),
            ("TIOCGSERIAL", c!(libc::TIOCGSERIAL)),
            ("TIOCPKT", c!(libc::TIOCPKT)),
            ("FIONBIO", c!(libc::FIONBIO)),
            ("TIOCNOTTY", c!(libc::TIOCNOTTY)),
            ("TIOCSETD", c!(libc::TIOCSETD)),
            ("TIOCGETD", c!(libc::TIOCGETD)),
            ("TIOCSBRK", c!(libc::TIOCSBRK)),
            ("TIOCCBRK", c!(libc::TIOCCBRK)),
            ("TIOCGSID", c!(libc::TIOCGSID)),
            ("TCGETS2", c!(libc::TCGETS2)),
            ("TCSETS2", c!(libc::TCSETS2)),
            ("TCSETSW2", c!(libc::TCSETSW2)),
            ("TCSETSF2", c!(libc::TCSETSF2)),
            ("TIOCGPTN", c!(libc::TIOCGPTN)),
            ("TIOCSPTLCK", c!(libc::TIOCSPTLCK)),
            ("TIOCGDEV", c!(libc::TIOCGDEV)),
            ("TIOCSIG", c!(libc::TIOCSIG)),
            ("TIOCVHANGUP", c!(libc::TIOCVHANGUP)),
            ("TIOCGPKT", c!(libc::TIOCGPKT)),
            ("TIOCGPTLCK", c!(libc::TIOCGPTLCK)),
            ("TIOCGEXCL", c!(libc::TIOCGEXCL)),
            ("TIOCGPTPEER", c!(libc::TIOCGPTPEER)),
            ("FIONCLEX", c!(libc::FIONCLEX)),
            ("FIOCLEX", c!(libc::FIOCLEX)),
            ("FIOASYNC", c!(libc::FIOASYNC)),
            ("FIOQSIZE", c!(libc::FIOQSIZE)),
            ("TIOCMIWAIT", c!(libc::TIOCMIWAIT)),
            ("TIOCGICOUNT", c!(libc::TIOCGICOUNT)),
            ("FICLONE", c!(libc::FICLONE)),
            ("FICLONERANGE", c!(libc::FICLONERANGE)),
            ("FS_IOC_GETFLAGS", c!(libc::FS_IOC_GETFLAGS)),
            ("FS_IOC_SETFLAGS", c!(libc::FS_IOC_SETFLAGS)),
            ("FS_IOC_GETVERSION", c!(libc::FS_IOC_GETVERSION)),
            ("FS_IOC_SETVERSION", c!(libc::FS_IOC_SETVERSION)),
            ("FS_IOC32_GETFLAGS", c!(libc::FS_IOC32_GETFLAGS)),
            ("FS_IOC32_SETFLAGS", c!(libc::FS_IOC32_SETFLAGS)),
            ("BLKSSZGET", c!(libc::BLKSSZGET)),
            ("BLKIOMIN", c!(libc::BLKIOMIN)),
            ("BLKIOOPT", c!(libc::BLKIOOPT)),
            ("BLKPBSZGET", c!(libc::BLKPBSZGET)),
            ("SIOCADDRT", c!(libc::SIOCADDRT)),
            ("SIOCDELRT", c!(libc::SIOCDELRT)),
            ("SIOCGIFNAME", c!(libc::SIOCGIFNAME)),
            ("SIOCGIFCONF", c!(libc::SIOCGIFCONF)),
            ("SIOCGIFFLAGS", c!(libc::SIOCGIFFLAGS)),
            ("SIOCSIFFLAGS", c!(libc::SIOCSIFFLAGS)),
            ("SIOCGIFADDR", c!(libc::SIOCGIFADDR)),
            ("SIOCSIFADDR", c!(libc::SIOCSIFADDR)),
            ("SIOCGIFNETMASK", c!(libc::SIOCGIFNETMASK)),
            ("SIOCGIFMTU", c!(libc::SIOCGIFMTU)),
            ("SIOCSIFMTU", c!(libc::SIOCSIFMTU)),
            ("SIOCGIFHWADDR", c!(libc::SIOCGIFHWADDR)),
            ("SIOCGIFINDEX", c!(libc::SIOCGIFINDEX)),
            ("SIOCETHTOOL", c!(libc::SIOCETHTOOL)),
            ("TUNSETIFF", c!(libc::TUNSETIFF)),
            ("TUNSETPERSIST", c!(libc::TUNSETPERSIST)),
            ("TUNGETIFF", c!(libc::TUNGETIFF)),
            ("TUNGETFEATURES", c!(libc::TUNGETFEATURES)),
            (
                "SECCOMP_IOCTL_NOTIF_RECV",
                c!(libc::SECCOMP_IOCTL_NOTIF_RECV),
            ),
            (
                "SECCOMP_IOCTL_NOTIF_SEND",
                c!(libc::SECCOMP_IOCTL_NOTIF_SEND),
            ),
            (
                "SECCOMP_IOCTL_NOTIF_ID_VALID",
                c!(libc::SECCOMP_IOCTL_NOTIF_ID_VALID),
            ),
            (
                "SECCOMP_IOCTL_NOTIF_ADDFD",
                c!(libc::SECCOMP_IOCTL_NOTIF_ADDFD),
            ),
            (
                "SECCOMP_IOCTL_NOTIF_SET_FLAGS",
                c!(libc::SECCOMP_IOCTL_NOTIF_SET_FLAGS),
            ),
        ];
        for &(name, want) in checks {
            assert_eq!(ioctl(name), want, "{name}");
        }
        assert!(checks.len() >= 60);
        assert!(IOCTLS.len() >= 60);
        assert!(
            IOCTLS.iter().all(|s| s.value <= 0xffff_ffff),
            "requests are 32-bit"
        );
    }

    /// A few encodings computed by hand from `_IOC`, as a check of the `io*` helpers.
    #[test]
    fn ioctl_encodings() {
        assert_eq!(ioctl("TIOCGPTN"), 0x8004_5430);
        assert_eq!(ioctl("TIOCSPTLCK"), 0x4004_5431);
        assert_eq!(ioctl("TCGETS2"), 0x802c_542a);
        assert_eq!(ioctl("BLKGETSIZE64"), 0x8008_1272);
        assert_eq!(ioctl("BLKSSZGET"), 0x1268);
        assert_eq!(ioctl("FICLONE"), 0x4004_9409);
        assert_eq!(ioctl("FICLONERANGE"), 0x4020_940d);
        assert_eq!(ioctl("FIDEDUPERANGE"), 0xc018_9436);
        assert_eq!(ioctl("FS_IOC_FIEMAP"), 0xc020_660b);
        assert_eq!(ioctl("FS_IOC_GETFLAGS"), 0x8008_6601);
        assert_eq!(ioctl("TUNSETIFF"), 0x4004_54ca);
        assert_eq!(ioctl("NS_GET_USERNS"), 0xb701);
        assert_eq!(ioctl("SECCOMP_IOCTL_NOTIF_RECV"), 0xc050_2100);
        assert_eq!(ioctl("SECCOMP_IOCTL_NOTIF_SEND"), 0xc018_2101);
        assert_eq!(ioctl("SECCOMP_IOCTL_NOTIF_ID_VALID"), 0x4008_2102);
        assert_eq!(ioctl("SECCOMP_IOCTL_NOTIF_ADDFD"), 0x4018_2103);
        assert_eq!(ioctl("RNDGETENTCNT"), 0x8004_5200);
        assert_eq!(ioctl("PERF_EVENT_IOC_ENABLE"), 0x2400);
        assert_eq!(ioctl("UFFDIO_API"), 0xc018_aa3f);
    }

    #[test]
    fn errno_numbers_match_libc() {
        let checks: &[(&str, i32)] = &[
            ("EPERM", libc::EPERM),
            ("ENOENT", libc::ENOENT),
            ("ESRCH", libc::ESRCH),
            ("EINTR", libc::EINTR),
            ("EIO", libc::EIO),
            ("EBADF", libc::EBADF),
            ("ECHILD", libc::ECHILD),
            ("EAGAIN", libc::EAGAIN),
            ("EAGAIN", libc::EWOULDBLOCK),
            ("ENOMEM", libc::ENOMEM),
            ("EACCES", libc::EACCES),
            ("EFAULT", libc::EFAULT),
            ("EBUSY", libc::EBUSY),
            ("EEXIST", libc::EEXIST),
            ("ENOTDIR", libc::ENOTDIR),
            ("EISDIR", libc::EISDIR),
            ("EINVAL", libc::EINVAL),
            ("EMFILE", libc::EMFILE),
            ("ENOTTY", libc::ENOTTY),
            ("ENOSPC", libc::ENOSPC),
            ("ESPIPE", libc::ESPIPE),
            ("EPIPE", libc::EPIPE),
            ("ERANGE", libc::ERANGE),
            ("EDEADLK", libc::EDEADLK),
            ("EDEADLK", libc::EDEADLOCK),
            ("ENAMETOOLONG", libc::ENAMETOOLONG),
            ("ENOSYS", libc::ENOSYS),
            ("ENOTEMPTY", libc::ENOTEMPTY),
            ("ELOOP", libc::ELOOP),
            ("ENODATA", libc::ENODATA),
            ("EOVERFLOW", libc::EOVERFLOW),
            ("ENOTSOCK", libc::ENOTSOCK),
            ("EOPNOTSUPP", libc::EOPNOTSUPP),
            ("EOPNOTSUPP", libc::ENOTSUP),
            ("EAFNOSUPPORT", libc::EAFNOSUPPORT),
            ("EADDRINUSE", libc::EADDRINUSE),
            ("ECONNRESET", libc::ECONNRESET),
            ("ENOTCONN", libc::ENOTCONN),
            ("ETIMEDOUT", libc::ETIMEDOUT),
            ("ECONNREFUSED", libc::ECONNREFUSED),
            ("EINPROGRESS", libc::EINPROGRESS),
            ("ESTALE", libc::ESTALE),
            ("ECANCELED", libc::ECANCELED),
            ("EOWNERDEAD", libc::EOWNERDEAD),
            ("ENOTRECOVERABLE", libc::ENOTRECOVERABLE),
            ("ERFKILL", libc::ERFKILL),
            ("EHWPOISON", libc::EHWPOISON),
        ];
        for &(name, num) in checks {
            let e = ERRNOS
                .iter()
                .find(|e| e.name == name)
                .unwrap_or_else(|| panic!("{name}"));
            assert_eq!(e.num, num as u32, "{name}");
        }
    }

    /// Every errno 1..=133 that Linux defines (all but 41 and 58) is present, with exactly the
    /// message glibc's strerror gives (std's Display is "MESSAGE (os error N)").
    #[test]
    fn errno_messages_match_strerror() {
        for n in 1..=133u32 {
            let entry = ERRNOS.iter().find(|e| e.num == n);
            if n == 41 || n == 58 {
                assert!(entry.is_none(), "errno {n} is unused on Linux");
                continue;
            }
            let entry = entry.unwrap_or_else(|| panic!("errno {n} missing"));
            #[cfg(target_env = "gnu")]
            {
                let text = std::io::Error::from_raw_os_error(n as i32).to_string();
                let suffix = format!(" (os error {n})");
                let message = text.strip_suffix(&suffix).unwrap_or(&text);
                assert_eq!(entry.message, message, "errno {n} ({})", entry.name);
            }
        }
        assert_eq!(ERRNOS.iter().filter(|e| e.num <= 133).count(), 131);
        assert!(
            ERRNOS
                .iter()
                .all(|e| e.num > 0 && e.name.starts_with('E') && !e.message.is_empty())
        );
        let restart = ERRNOS.iter().find(|e| e.name == "ERESTARTSYS").unwrap();
        assert_eq!(
            (restart.num, restart.message),
            (512, "To be restarted if SA_RESTART is set")
        );
    }

    fn assert_unique<'a>(what: &str, names: impl Iterator<Item = &'a str>) {
        let mut seen = std::collections::HashSet::new();
        for name in names {
            assert!(seen.insert(name), "duplicate name {name} in {what}");
        }
    }

    #[test]
    fn no_duplicate_names() {
        for set in FLAG_SETS {
            assert_unique(
                &format!("flags:{}", set.name),
                set.symbols().map(|s| s.name),
            );
        }
        for set in ENUM_SETS {
            assert_unique(
                &format!("enum:{}", set.name),
                set.values.iter().map(|s| s.name),
            );
        }
        assert_unique("flag set names", FLAG_SETS.iter().map(|s| s.name));
        assert_unique("enum set names", ENUM_SETS.iter().map(|s| s.name));
        assert_unique("errnos", ERRNOS.iter().map(|e| e.name));
        assert_unique("signals", SIGNALS.iter().map(|s| s.name));
        assert_unique("ioctls", IOCTLS.iter().map(|s| s.name));
        let mut nums = std::collections::HashSet::new();
        assert!(
            ERRNOS.iter().all(|e| nums.insert(e.num)),
            "duplicate errno number"
        );
        let mut requests = std::collections::HashSet::new();
        for s in IOCTLS {
            assert!(
                requests.insert(s.value),
                "duplicate ioctl number {:#x} ({})",
                s.value,
                s.name
            );
        }
    }

    /// Multi-bit flags must be tested before the flags they contain, and field values must fit
    /// their mask.
    #[test]
    fn flag_order_and_fields() {
        for set in FLAG_SETS {
            for (i, a) in set.flags.iter().enumerate() {
                assert_ne!(a.value, 0, "flags:{} {} is zero", set.name, a.name);
                for b in &set.flags[i + 1..] {
                    let b_contains_a = b.value & a.value == a.value && b.value != a.value;
                    assert!(
                        !b_contains_a,
                        "flags:{}: {} must come before {}",
                        set.name, b.name, a.name
                    );
                }
            }
            for f in set.field {
                assert_eq!(
                    f.value & !set.field_mask,
                    0,
                    "flags:{} {} outside the field",
                    set.name,
                    f.name
                );
            }
        }
    }

    #[test]
    fn formatting_examples() {
        assert_eq!(OPEN.format(0), "O_RDONLY");
        assert_eq!(OPEN.format(0o2000002), "O_RDWR|O_CLOEXEC");
        assert_eq!(OPEN.format(0o101 | 0o1000), "O_WRONLY|O_CREAT|O_TRUNC");
        assert_eq!(OPEN.format(0o4010001), "O_WRONLY|O_SYNC");
        assert_eq!(OPEN.format(0o10001), "O_WRONLY|O_DSYNC");
        assert_eq!(OPEN.format(0o20200002), "O_RDWR|O_TMPFILE");
        assert_eq!(
            OPEN.format(0o200000 | 0o2000000),
            "O_RDONLY|O_DIRECTORY|O_CLOEXEC"
        );
        assert_eq!(MAP.format(0x22), "MAP_PRIVATE|MAP_ANONYMOUS");
        assert_eq!(MAP.format(0x802), "MAP_PRIVATE|MAP_DENYWRITE");
        assert_eq!(PROT.format(0), "PROT_NONE");
        assert_eq!(PROT.format(5), "PROT_READ|PROT_EXEC");
        assert_eq!(ACCESS.format(0), "F_OK");
        assert_eq!(ACCESS.format(6), "R_OK|W_OK");
        assert_eq!(AT.format(0), "0");
        assert_eq!(AT.format(0x1100), "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
        assert_eq!(
            SOCKTYPE.format(0x80801),
            "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK"
        );
        assert_eq!(STATX_MASK.format(0x7ff), "STATX_BASIC_STATS");
        assert_eq!(STATX_MASK.format(0xfff), "STATX_ALL");
        assert_eq!(MOUNT.format(0xC0ED_0001), "MS_MGC_VAL|MS_RDONLY");
        assert_eq!(MOUNT.format(0x1000 | 0x4000), "MS_BIND|MS_REC");
        assert_eq!(EPOLL_EVENTS.format(0x8000_0001), "EPOLLIN|EPOLLET");
        assert_eq!(
            FUTEX.name_of(393),
            Some("FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME")
        );
        assert_eq!(FUTEX.name_of(128), Some("FUTEX_WAIT_PRIVATE"));
        assert_eq!(IPC_CMD.name_of(11), Some("SHM_LOCK"));
        assert_eq!(IPC_CMD.value_of("SETVAL"), Some(16));
    }

    /// The backticked names of a README paragraph starting with `start` (up to the blank line).
    fn readme_names<'a>(readme: &'a str, start: &str) -> Vec<&'a str> {
        let begin = readme
            .find(start)
            .unwrap_or_else(|| panic!("README has no `{start}`"));
        let para = &readme[begin..];
        let para = &para[..para.find("\n\n").unwrap_or(para.len())];
        para.split('`').skip(1).step_by(2).collect()
    }

    #[test]
    fn every_readme_set_exists() {
        let readme = include_str!("../data/README.md");
        let flags = readme_names(readme, "Flag sets:");
        let enums = readme_names(readme, "Enum sets:");
        assert!(
            flags.len() >= 50 && enums.len() >= 35,
            "README paragraphs not found"
        );
        for name in &flags {
            assert!(
                FLAG_SETS.iter().any(|s| s.name == *name),
                "flag set `{name}` is missing"
            );
        }
        for name in &enums {
            assert!(
                ENUM_SETS.iter().any(|s| s.name == *name),
                "enum set `{name}` is missing"
            );
        }
        for set in FLAG_SETS {
            assert!(
                flags.contains(&set.name),
                "flag set `{}` is not in the README",
                set.name
            );
        }
        for set in ENUM_SETS {
            assert!(
                enums.contains(&set.name),
                "enum set `{}` is not in the README",
                set.name
            );
        }
    }
}
