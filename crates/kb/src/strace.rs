//! Symbol tables as strace prints them where the kernel's own tables do not say it (or say it in
//! another order): structure field flags, socket options per level, filesystem magics,
//! capabilities, and strace 6.1's order of the `O_*` flags. The decoder prints with them and a
//! recording's reader finds them by name ([`flag_set_named`], [`enum_set_named`]).

use std::sync::LazyLock;

use crate::symbols::flag_set;
use crate::xlat::{EnumSet, FlagSet, Sym};

const fn s(value: u64, name: &'static str) -> Sym {
    Sym { value, name }
}

const OPEN_FLAGS: &[Sym] = &[
    s(0o100, "O_CREAT"),
    s(0o200, "O_EXCL"),
    s(0o400, "O_NOCTTY"),
    s(0o1000, "O_TRUNC"),
    s(0o2000, "O_APPEND"),
    s(0o4000, "O_NONBLOCK"),
    s(0o4010000, "O_SYNC"),
    s(0o4000000, "__O_SYNC"),
    s(0o10000, "O_DSYNC"),
    s(0o40000, "O_DIRECT"),
    s(0o100000, "O_LARGEFILE"),
    s(0o400000, "O_NOFOLLOW"),
    s(0o1000000, "O_NOATIME"),
    s(0o2000000, "O_CLOEXEC"),
    s(0o10000000, "O_PATH"),
    s(0o20200000, "O_TMPFILE"),
    s(0o20000000, "__O_TMPFILE"),
    s(0o200000, "O_DIRECTORY"),
    s(0o20000, "FASYNC"),
];

/// `open(2)` flags in strace's order, with the access mode.
pub static OPEN: FlagSet = FlagSet {
    name: "open",
    field_mask: 0o3,
    field: &[s(0, "O_RDONLY"), s(1, "O_WRONLY"), s(2, "O_RDWR")],
    flags: OPEN_FLAGS,
    zero: None,
};

/// `O_*` flags without an access mode (pipe2, dup3, accept4-like calls).
pub static OPEN_NOACC: FlagSet = FlagSet {
    name: "open_flags",
    field_mask: 0,
    field: &[],
    flags: OPEN_FLAGS,
    zero: None,
};

/// A flag set of the knowledge base replaced by a local one with strace's order.
pub fn override_set(set: &'static FlagSet) -> &'static FlagSet {
    match set.name {
        "open" => &OPEN,
        _ => set,
    }
}

/// statx's flags argument: the sync type (`AT_STATX_SYNC_AS_STAT` when zero) and `AT_*` flags.
pub static STATX_AT: FlagSet = FlagSet {
    name: "statx_flags",
    field_mask: 0x6000,
    field: &[
        s(0, "AT_STATX_SYNC_AS_STAT"),
        s(0x2000, "AT_STATX_FORCE_SYNC"),
        s(0x4000, "AT_STATX_DONT_SYNC"),
    ],
    flags: &[
        s(0x100, "AT_SYMLINK_NOFOLLOW"),
        s(0x200, "AT_REMOVEDIR"),
        s(0x400, "AT_SYMLINK_FOLLOW"),
        s(0x800, "AT_NO_AUTOMOUNT"),
        s(0x1000, "AT_EMPTY_PATH"),
        s(0x8000, "AT_RECURSIVE"),
    ],
    zero: None,
};

/// `stx_attributes`.
pub static STATX_ATTRS: FlagSet = FlagSet {
    name: "statx_attrs",
    field_mask: 0,
    field: &[],
    flags: &[
        s(0x4, "STATX_ATTR_COMPRESSED"),
        s(0x10, "STATX_ATTR_IMMUTABLE"),
        s(0x20, "STATX_ATTR_APPEND"),
        s(0x40, "STATX_ATTR_NODUMP"),
        s(0x800, "STATX_ATTR_ENCRYPTED"),
        s(0x1000, "STATX_ATTR_AUTOMOUNT"),
        s(0x2000, "STATX_ATTR_MOUNT_ROOT"),
        s(0x100000, "STATX_ATTR_VERITY"),
        s(0x200000, "STATX_ATTR_DAX"),
    ],
    zero: None,
};

/// `f_flags` of statfs.
pub static STATFS_FLAGS: FlagSet = FlagSet {
    name: "statfs_flags",
    field_mask: 0,
    field: &[],
    flags: &[
        s(1, "ST_RDONLY"),
        s(2, "ST_NOSUID"),
        s(4, "ST_NODEV"),
        s(8, "ST_NOEXEC"),
        s(16, "ST_SYNCHRONOUS"),
        s(32, "ST_VALID"),
        s(64, "ST_MANDLOCK"),
        s(1024, "ST_NOATIME"),
        s(2048, "ST_NODIRATIME"),
        s(4096, "ST_RELATIME"),
        s(8192, "ST_NOSYMFOLLOW"),
    ],
    zero: None,
};

/// `ss_flags` of sigaltstack.
pub static SS_FLAGS: FlagSet = FlagSet {
    name: "ss_flags",
    field_mask: 0,
    field: &[],
    flags: &[
        s(1, "SS_ONSTACK"),
        s(2, "SS_DISABLE"),
        s(1 << 31, "SS_AUTODISARM"),
    ],
    zero: None,
};

/// `sched_flags` of sched_attr.
pub static SCHED_FLAGS: FlagSet = FlagSet {
    name: "sched_flags",
    field_mask: 0,
    field: &[],
    flags: &[
        s(0x1, "SCHED_FLAG_RESET_ON_FORK"),
        s(0x2, "SCHED_FLAG_RECLAIM"),
        s(0x4, "SCHED_FLAG_DL_OVERRUN"),
        s(0x8, "SCHED_FLAG_KEEP_POLICY"),
        s(0x10, "SCHED_FLAG_KEEP_PARAMS"),
        s(0x20, "SCHED_FLAG_UTIL_CLAMP_MIN"),
        s(0x40, "SCHED_FLAG_UTIL_CLAMP_MAX"),
    ],
    zero: None,
};

/// io_uring_setup flags known to strace 6.1.
pub static URING_SETUP: FlagSet = FlagSet {
    name: "uring_setup",
    field_mask: 0,
    field: &[],
    flags: &[
        s(1 << 0, "IORING_SETUP_IOPOLL"),
        s(1 << 1, "IORING_SETUP_SQPOLL"),
        s(1 << 2, "IORING_SETUP_SQ_AFF"),
        s(1 << 3, "IORING_SETUP_CQSIZE"),
        s(1 << 4, "IORING_SETUP_CLAMP"),
        s(1 << 5, "IORING_SETUP_ATTACH_WQ"),
        s(1 << 6, "IORING_SETUP_R_DISABLED"),
        s(1 << 7, "IORING_SETUP_SUBMIT_ALL"),
        s(1 << 8, "IORING_SETUP_COOP_TASKRUN"),
        s(1 << 9, "IORING_SETUP_TASKRUN_FLAG"),
        s(1 << 10, "IORING_SETUP_SQE128"),
        s(1 << 11, "IORING_SETUP_CQE32"),
        s(1 << 12, "IORING_SETUP_SINGLE_ISSUER"),
        s(1 << 13, "IORING_SETUP_DEFER_TASKRUN"),
    ],
    zero: None,
};

/// io_uring features known to strace 6.1.
pub static URING_FEATURES: FlagSet = FlagSet {
    name: "uring_features",
    field_mask: 0,
    field: &[],
    flags: &[
        s(1 << 0, "IORING_FEAT_SINGLE_MMAP"),
        s(1 << 1, "IORING_FEAT_NODROP"),
        s(1 << 2, "IORING_FEAT_SUBMIT_STABLE"),
        s(1 << 3, "IORING_FEAT_RW_CUR_POS"),
        s(1 << 4, "IORING_FEAT_CUR_PERSONALITY"),
        s(1 << 5, "IORING_FEAT_FAST_POLL"),
        s(1 << 6, "IORING_FEAT_POLL_32BITS"),
        s(1 << 7, "IORING_FEAT_SQPOLL_NONFIXED"),
        s(1 << 8, "IORING_FEAT_EXT_ARG"),
        s(1 << 9, "IORING_FEAT_NATIVE_WORKERS"),
        s(1 << 10, "IORING_FEAT_RSRC_TAGS"),
        s(1 << 11, "IORING_FEAT_CQE_SKIP"),
        s(1 << 12, "IORING_FEAT_LINKED_FILE"),
    ],
    zero: None,
};

/// `mq_flags`.
pub static MQ_FLAGS: FlagSet = FlagSet {
    name: "mq_flags",
    field_mask: 0,
    field: &[],
    flags: &[s(0o4000, "O_NONBLOCK")],
    zero: None,
};

/// openat2's `resolve`.
pub static RESOLVE_FLAGS: FlagSet = FlagSet {
    name: "resolve",
    field_mask: 0,
    field: &[],
    flags: &[
        s(0x1, "RESOLVE_NO_XDEV"),
        s(0x2, "RESOLVE_NO_MAGICLINKS"),
        s(0x4, "RESOLVE_NO_SYMLINKS"),
        s(0x8, "RESOLVE_BENEATH"),
        s(0x10, "RESOLVE_IN_ROOT"),
        s(0x20, "RESOLVE_CACHED"),
    ],
    zero: None,
};

/// `sem_flg`.
pub static SEM_FLAGS: FlagSet = FlagSet {
    name: "sem_flg",
    field_mask: 0,
    field: &[],
    flags: &[s(0o4000, "IPC_NOWAIT"), s(0x1000, "SEM_UNDO")],
    zero: None,
};

/// SysV `*get` flags without the permission bits (printed in octal after them).
pub static IPC_GET_FLAGS: FlagSet = FlagSet {
    name: "ipc_get",
    field_mask: 0,
    field: &[],
    flags: &[
        s(0o1000, "IPC_CREAT"),
        s(0o2000, "IPC_EXCL"),
        s(0o4000, "IPC_NOWAIT"),
    ],
    zero: None,
};

/// File seals (`F_ADD_SEALS`, `F_GET_SEALS`).
pub static SEALS: FlagSet = FlagSet {
    name: "seals",
    field_mask: 0,
    field: &[],
    flags: &[
        s(0x1, "F_SEAL_SEAL"),
        s(0x2, "F_SEAL_SHRINK"),
        s(0x4, "F_SEAL_GROW"),
        s(0x8, "F_SEAL_WRITE"),
        s(0x10, "F_SEAL_FUTURE_WRITE"),
        s(0x20, "F_SEAL_EXEC"),
    ],
    zero: None,
};

/// membarrier commands as the bit mask `MEMBARRIER_CMD_QUERY` returns (strace 6.1's names).
pub static MEMBARRIER_MASK: FlagSet = FlagSet {
    name: "membarrier_mask",
    field_mask: 0,
    field: &[],
    flags: &[
        s(1 << 0, "MEMBARRIER_CMD_GLOBAL"),
        s(1 << 1, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"),
        s(1 << 2, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"),
        s(1 << 3, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"),
        s(1 << 4, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"),
        s(1 << 5, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"),
        s(
            1 << 6,
            "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE",
        ),
        s(1 << 7, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"),
        s(1 << 8, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"),
    ],
    zero: None,
};

const CAP_NAMES: [&str; 41] = [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

static CAP_SYMS: LazyLock<Vec<Sym>> = LazyLock::new(|| {
    CAP_NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| s(i as u64, n))
        .collect()
});
static CAP_BITS: LazyLock<Vec<Sym>> = LazyLock::new(|| {
    CAP_NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| s(1u64 << i, n))
        .collect()
});

/// Capability numbers (`PR_CAPBSET_READ`).
pub static CAP_ENUM: LazyLock<EnumSet> = LazyLock::new(|| EnumSet {
    name: "cap",
    values: CAP_SYMS.as_slice(),
});

/// Capability sets (capget/capset).
pub static CAPS: LazyLock<FlagSet> = LazyLock::new(|| FlagSet {
    name: "caps",
    field_mask: 0,
    field: &[],
    flags: CAP_BITS.as_slice(),
    zero: None,
});

/// clone3's flags: the clone flags without an exit-signal byte.
pub static CLONE_FLAGS_ONLY: LazyLock<FlagSet> = LazyLock::new(|| FlagSet {
    name: "clone_flags",
    field_mask: 0,
    field: &[],
    flags: flag_set("clone").map_or(&[], |f| f.flags),
    zero: None,
});

/// Socket options of `SOL_SOCKET`, as strace 6.1 names them.
pub static SO: EnumSet = EnumSet {
    name: "so",
    values: &[
        s(1, "SO_DEBUG"),
        s(2, "SO_REUSEADDR"),
        s(3, "SO_TYPE"),
        s(4, "SO_ERROR"),
        s(5, "SO_DONTROUTE"),
        s(6, "SO_BROADCAST"),
        s(7, "SO_SNDBUF"),
        s(8, "SO_RCVBUF"),
        s(9, "SO_KEEPALIVE"),
        s(10, "SO_OOBINLINE"),
        s(11, "SO_NO_CHECK"),
        s(12, "SO_PRIORITY"),
        s(13, "SO_LINGER"),
        s(14, "SO_BSDCOMPAT"),
        s(15, "SO_REUSEPORT"),
        s(16, "SO_PASSCRED"),
        s(17, "SO_PEERCRED"),
        s(18, "SO_RCVLOWAT"),
        s(19, "SO_SNDLOWAT"),
        s(20, "SO_RCVTIMEO_OLD"),
        s(21, "SO_SNDTIMEO_OLD"),
        s(22, "SO_SECURITY_AUTHENTICATION"),
        s(23, "SO_SECURITY_ENCRYPTION_TRANSPORT"),
        s(24, "SO_SECURITY_ENCRYPTION_NETWORK"),
        s(25, "SO_BINDTODEVICE"),
        s(26, "SO_ATTACH_FILTER"),
        s(27, "SO_DETACH_FILTER"),
        s(28, "SO_PEERNAME"),
        s(29, "SO_TIMESTAMP_OLD"),
        s(30, "SO_ACCEPTCONN"),
        s(31, "SO_PEERSEC"),
        s(32, "SO_SNDBUFFORCE"),
        s(33, "SO_RCVBUFFORCE"),
        s(34, "SO_PASSSEC"),
        s(35, "SO_TIMESTAMPNS_OLD"),
        s(36, "SO_MARK"),
        s(37, "SO_TIMESTAMPING_OLD"),
        s(38, "SO_PROTOCOL"),
        s(39, "SO_DOMAIN"),
        s(40, "SO_RXQ_OVFL"),
        s(41, "SO_WIFI_STATUS"),
        s(42, "SO_PEEK_OFF"),
        s(43, "SO_NOFCS"),
        s(44, "SO_LOCK_FILTER"),
        s(45, "SO_SELECT_ERR_QUEUE"),
        s(46, "SO_BUSY_POLL"),
        s(47, "SO_MAX_PACING_RATE"),
        s(48, "SO_BPF_EXTENSIONS"),
        s(49, "SO_INCOMING_CPU"),
        s(50, "SO_ATTACH_BPF"),
        s(51, "SO_ATTACH_REUSEPORT_CBPF"),
        s(52, "SO_ATTACH_REUSEPORT_EBPF"),
        s(53, "SO_CNX_ADVICE"),
        s(54, "SCM_TIMESTAMPING_OPT_STATS"),
        s(55, "SO_MEMINFO"),
        s(56, "SO_INCOMING_NAPI_ID"),
        s(57, "SO_COOKIE"),
        s(58, "SCM_TIMESTAMPING_PKTINFO"),
        s(59, "SO_PEERGROUPS"),
        s(60, "SO_ZEROCOPY"),
        s(61, "SO_TXTIME"),
        s(62, "SO_BINDTOIFINDEX"),
        s(63, "SO_TIMESTAMP_NEW"),
        s(64, "SO_TIMESTAMPNS_NEW"),
        s(65, "SO_TIMESTAMPING_NEW"),
        s(66, "SO_RCVTIMEO_NEW"),
        s(67, "SO_SNDTIMEO_NEW"),
        s(68, "SO_DETACH_REUSEPORT_BPF"),
        s(69, "SO_PREFER_BUSY_POLL"),
        s(70, "SO_BUSY_POLL_BUDGET"),
        s(71, "SO_NETNS_COOKIE"),
        s(72, "SO_BUF_LOCK"),
        s(73, "SO_RESERVE_MEM"),
        s(74, "SO_TXREHASH"),
        s(75, "SO_RCVMARK"),
    ],
};

/// `SOL_TCP` options.
pub static TCP_OPTS: EnumSet = EnumSet {
    name: "tcp",
    values: &[
        s(1, "TCP_NODELAY"),
        s(2, "TCP_MAXSEG"),
        s(3, "TCP_CORK"),
        s(4, "TCP_KEEPIDLE"),
        s(5, "TCP_KEEPINTVL"),
        s(6, "TCP_KEEPCNT"),
        s(7, "TCP_SYNCNT"),
        s(8, "TCP_LINGER2"),
        s(9, "TCP_DEFER_ACCEPT"),
        s(10, "TCP_WINDOW_CLAMP"),
        s(11, "TCP_INFO"),
        s(12, "TCP_QUICKACK"),
        s(13, "TCP_CONGESTION"),
        s(14, "TCP_MD5SIG"),
        s(16, "TCP_THIN_LINEAR_TIMEOUTS"),
        s(17, "TCP_THIN_DUPACK"),
        s(18, "TCP_USER_TIMEOUT"),
        s(19, "TCP_REPAIR"),
        s(20, "TCP_REPAIR_QUEUE"),
        s(21, "TCP_QUEUE_SEQ"),
        s(22, "TCP_REPAIR_OPTIONS"),
        s(23, "TCP_FASTOPEN"),
        s(24, "TCP_TIMESTAMP"),
        s(25, "TCP_NOTSENT_LOWAT"),
        s(26, "TCP_CC_INFO"),
        s(27, "TCP_SAVE_SYN"),
        s(28, "TCP_SAVED_SYN"),
        s(29, "TCP_REPAIR_WINDOW"),
        s(30, "TCP_FASTOPEN_CONNECT"),
        s(31, "TCP_ULP"),
        s(32, "TCP_MD5SIG_EXT"),
        s(33, "TCP_FASTOPEN_KEY"),
        s(34, "TCP_FASTOPEN_NO_COOKIE"),
        s(35, "TCP_ZEROCOPY_RECEIVE"),
        s(36, "TCP_INQ"),
        s(37, "TCP_TX_DELAY"),
    ],
};

/// `SOL_IP` options.
pub static IP_OPTS: EnumSet = EnumSet {
    name: "ip",
    values: &[
        s(1, "IP_TOS"),
        s(2, "IP_TTL"),
        s(3, "IP_HDRINCL"),
        s(4, "IP_OPTIONS"),
        s(5, "IP_ROUTER_ALERT"),
        s(6, "IP_RECVOPTS"),
        s(7, "IP_RETOPTS"),
        s(8, "IP_PKTINFO"),
        s(9, "IP_PKTOPTIONS"),
        s(10, "IP_MTU_DISCOVER"),
        s(11, "IP_RECVERR"),
        s(12, "IP_RECVTTL"),
        s(13, "IP_RECVTOS"),
        s(14, "IP_MTU"),
        s(15, "IP_FREEBIND"),
        s(16, "IP_IPSEC_POLICY"),
        s(17, "IP_XFRM_POLICY"),
        s(18, "IP_PASSSEC"),
        s(19, "IP_TRANSPARENT"),
        s(20, "IP_ORIGDSTADDR"),
        s(21, "IP_MINTTL"),
        s(22, "IP_NODEFRAG"),
        s(23, "IP_CHECKSUM"),
        s(24, "IP_BIND_ADDRESS_NO_PORT"),
        s(25, "IP_RECVFRAGSIZE"),
        s(26, "IP_RECVERR_RFC4884"),
        s(32, "IP_MULTICAST_IF"),
        s(33, "IP_MULTICAST_TTL"),
        s(34, "IP_MULTICAST_LOOP"),
        s(35, "IP_ADD_MEMBERSHIP"),
        s(36, "IP_DROP_MEMBERSHIP"),
        s(37, "IP_UNBLOCK_SOURCE"),
        s(38, "IP_BLOCK_SOURCE"),
        s(39, "IP_ADD_SOURCE_MEMBERSHIP"),
        s(40, "IP_DROP_SOURCE_MEMBERSHIP"),
        s(41, "IP_MSFILTER"),
        s(49, "IP_MULTICAST_ALL"),
        s(50, "IP_UNICAST_IF"),
    ],
};

/// `SOL_IPV6` options.
pub static IPV6_OPTS: EnumSet = EnumSet {
    name: "ipv6",
    values: &[
        s(1, "IPV6_ADDRFORM"),
        s(2, "IPV6_2292PKTINFO"),
        s(3, "IPV6_2292HOPOPTS"),
        s(4, "IPV6_2292DSTOPTS"),
        s(5, "IPV6_2292RTHDR"),
        s(6, "IPV6_2292PKTOPTIONS"),
        s(7, "IPV6_CHECKSUM"),
        s(8, "IPV6_2292HOPLIMIT"),
        s(9, "IPV6_NEXTHOP"),
        s(10, "IPV6_AUTHHDR"),
        s(11, "IPV6_FLOWINFO"),
        s(16, "IPV6_UNICAST_HOPS"),
        s(17, "IPV6_MULTICAST_IF"),
        s(18, "IPV6_MULTICAST_HOPS"),
        s(19, "IPV6_MULTICAST_LOOP"),
        s(20, "IPV6_ADD_MEMBERSHIP"),
        s(21, "IPV6_DROP_MEMBERSHIP"),
        s(22, "IPV6_ROUTER_ALERT"),
        s(23, "IPV6_MTU_DISCOVER"),
        s(24, "IPV6_MTU"),
        s(25, "IPV6_RECVERR"),
        s(26, "IPV6_V6ONLY"),
        s(27, "IPV6_JOIN_ANYCAST"),
        s(28, "IPV6_LEAVE_ANYCAST"),
        s(32, "IPV6_FLOWLABEL_MGR"),
        s(33, "IPV6_FLOWINFO_SEND"),
        s(49, "IPV6_RECVPKTINFO"),
        s(50, "IPV6_PKTINFO"),
        s(51, "IPV6_RECVHOPLIMIT"),
        s(52, "IPV6_HOPLIMIT"),
        s(66, "IPV6_RECVTCLASS"),
        s(67, "IPV6_TCLASS"),
        s(80, "IPV6_FREEBIND"),
    ],
};

/// `SOL_UDP` options.
pub static UDP_OPTS: EnumSet = EnumSet {
    name: "udp",
    values: &[
        s(1, "UDP_CORK"),
        s(100, "UDP_ENCAP"),
        s(101, "UDP_NO_CHECK6_TX"),
        s(102, "UDP_NO_CHECK6_RX"),
        s(103, "UDP_SEGMENT"),
        s(104, "UDP_GRO"),
    ],
};

/// `SOL_NETLINK` options.
pub static NETLINK_OPTS: EnumSet = EnumSet {
    name: "netlink_opts",
    values: &[
        s(1, "NETLINK_ADD_MEMBERSHIP"),
        s(2, "NETLINK_DROP_MEMBERSHIP"),
        s(3, "NETLINK_PKTINFO"),
        s(4, "NETLINK_BROADCAST_ERROR"),
        s(5, "NETLINK_NO_ENOBUFS"),
        s(6, "NETLINK_RX_RING"),
        s(7, "NETLINK_TX_RING"),
        s(8, "NETLINK_LISTEN_ALL_NSID"),
        s(9, "NETLINK_LIST_MEMBERSHIPS"),
        s(10, "NETLINK_CAP_ACK"),
        s(11, "NETLINK_EXT_ACK"),
        s(12, "NETLINK_GET_STRICT_CHK"),
    ],
};

/// Netlink protocols.
pub static NETLINK: EnumSet = EnumSet {
    name: "netlink",
    values: &[
        s(0, "NETLINK_ROUTE"),
        s(1, "NETLINK_UNUSED"),
        s(2, "NETLINK_USERSOCK"),
        s(3, "NETLINK_FIREWALL"),
        s(4, "NETLINK_SOCK_DIAG"),
        s(5, "NETLINK_NFLOG"),
        s(6, "NETLINK_XFRM"),
        s(7, "NETLINK_SELINUX"),
        s(8, "NETLINK_ISCSI"),
        s(9, "NETLINK_AUDIT"),
        s(10, "NETLINK_FIB_LOOKUP"),
        s(11, "NETLINK_CONNECTOR"),
        s(12, "NETLINK_NETFILTER"),
        s(13, "NETLINK_IP6_FW"),
        s(14, "NETLINK_DNRTMSG"),
        s(15, "NETLINK_KOBJECT_UEVENT"),
        s(16, "NETLINK_GENERIC"),
        s(18, "NETLINK_SCSITRANSPORT"),
        s(19, "NETLINK_ECRYPTFS"),
        s(20, "NETLINK_RDMA"),
        s(21, "NETLINK_CRYPTO"),
        s(22, "NETLINK_SMC"),
    ],
};

/// `prctl(PR_SET_DUMPABLE)` values.
pub static DUMPABLE: EnumSet = EnumSet {
    name: "dumpable",
    values: &[
        s(0, "SUID_DUMP_DISABLE"),
        s(1, "SUID_DUMP_USER"),
        s(2, "SUID_DUMP_ROOT"),
    ],
};

/// `SCM_*` control message types of `SOL_SOCKET`.
pub fn scm_name(t: i32) -> Option<&'static str> {
    Some(match t {
        1 => "SCM_RIGHTS",
        2 => "SCM_CREDENTIALS",
        3 => "SCM_SECURITY",
        4 => "SCM_PIDFD",
        29 => "SO_TIMESTAMP_OLD",
        35 => "SO_TIMESTAMPNS_OLD",
        37 => "SO_TIMESTAMPING_OLD",
        63 => "SO_TIMESTAMP_NEW",
        64 => "SO_TIMESTAMPNS_NEW",
        65 => "SO_TIMESTAMPING_NEW",
        _ => return None,
    })
}

/// Names of filesystem magics (statfs `f_type`).
pub fn fs_magic_name(m: u64) -> Option<&'static str> {
    Some(match m {
        0xef53 => "EXT2_SUPER_MAGIC",
        0x0102_1994 => "TMPFS_MAGIC",
        0x9fa0 => "PROC_SUPER_MAGIC",
        0x6265_6572 => "SYSFS_MAGIC",
        0x794c_7630 => "OVERLAYFS_SUPER_MAGIC",
        0x9123_683e => "BTRFS_SUPER_MAGIC",
        0x5846_5342 => "XFS_SUPER_MAGIC",
        0x6367_7270 => "CGROUP2_SUPER_MAGIC",
        0x0027_e0eb => "CGROUP_SUPER_MAGIC",
        0x1cd1 => "DEVPTS_SUPER_MAGIC",
        0x6969 => "NFS_SUPER_MAGIC",
        0x7371_7368 => "SQUASHFS_MAGIC",
        0x0102_1997 => "V9FS_MAGIC",
        0x6573_5546 => "FUSE_SUPER_MAGIC",
        0x8584_58f6 => "RAMFS_MAGIC",
        0x6462_6720 => "DEBUGFS_MAGIC",
        0x7472_6163 => "TRACEFS_MAGIC",
        0x7363_6673 => "SECURITYFS_MAGIC",
        0xcafe_4a11 => "BPF_FS_MAGIC",
        0x1980_0202 => "MQUEUE_MAGIC",
        0x9584_58f6 => "HUGETLBFS_MAGIC",
        0x534f_434b => "SOCKFS_MAGIC",
        0x5049_5045 => "PIPEFS_MAGIC",
        0x0904_1934 => "ANON_INODE_FS_MAGIC",
        0x4d44 => "MSDOS_SUPER_MAGIC",
        0x9660 => "ISOFS_SUPER_MAGIC",
        0x6e73_6673 => "NSFS_MAGIC",
        0x2011_bab0 => "EXFAT_SUPER_MAGIC",
        0xf2f5_2010 => "F2FS_SUPER_MAGIC",
        0x00c3_6400 => "CEPH_SUPER_MAGIC",
        0xfe53_4d42 => "SMB2_SUPER_MAGIC",
        0x6573_5543 => "FUSE_CTL_SUPER_MAGIC",
        0x4244 => "HFS_SUPER_MAGIC",
        0x5346_544e => "NTFS_SB_MAGIC",
        0x1373 => "DEVFS_SUPER_MAGIC",
        0x6165_676c => "PSTOREFS_MAGIC",
        0xde5e_81e4 => "EFIVARFS_MAGIC",
        0x0000_9fa2 => "USBDEVICE_SUPER_MAGIC",
        _ => return None,
    })
}

/// `FUTEX_OP_*` operations of FUTEX_WAKE_OP.
pub fn futex_op_name(op: u32) -> Option<&'static str> {
    Some(match op {
        0 => "FUTEX_OP_SET",
        1 => "FUTEX_OP_ADD",
        2 => "FUTEX_OP_OR",
        3 => "FUTEX_OP_ANDN",
        4 => "FUTEX_OP_XOR",
        _ => return None,
    })
}

/// `FUTEX_OP_CMP_*` comparisons of FUTEX_WAKE_OP.
pub fn futex_cmp_name(cmp: u32) -> Option<&'static str> {
    Some(match cmp {
        0 => "FUTEX_OP_CMP_EQ",
        1 => "FUTEX_OP_CMP_NE",
        2 => "FUTEX_OP_CMP_LT",
        3 => "FUTEX_OP_CMP_LE",
        4 => "FUTEX_OP_CMP_GT",
        5 => "FUTEX_OP_CMP_GE",
        _ => return None,
    })
}

/// `semctl` commands.
pub static SEM_CMDS: EnumSet = EnumSet {
    name: "semctl",
    values: &[
        s(0, "IPC_RMID"),
        s(1, "IPC_SET"),
        s(2, "IPC_STAT"),
        s(3, "IPC_INFO"),
        s(11, "GETPID"),
        s(12, "GETVAL"),
        s(13, "GETALL"),
        s(14, "GETNCNT"),
        s(15, "GETZCNT"),
        s(16, "SETVAL"),
        s(17, "SETALL"),
        s(18, "SEM_STAT"),
        s(19, "SEM_INFO"),
        s(20, "SEM_STAT_ANY"),
    ],
};

/// `shmctl` commands.
pub static SHM_CMDS: EnumSet = EnumSet {
    name: "shmctl",
    values: &[
        s(0, "IPC_RMID"),
        s(1, "IPC_SET"),
        s(2, "IPC_STAT"),
        s(3, "IPC_INFO"),
        s(11, "SHM_LOCK"),
        s(12, "SHM_UNLOCK"),
        s(13, "SHM_STAT"),
        s(14, "SHM_INFO"),
        s(15, "SHM_STAT_ANY"),
    ],
};

/// `msgctl` commands.
pub static MSG_CMDS: EnumSet = EnumSet {
    name: "msgctl",
    values: &[
        s(0, "IPC_RMID"),
        s(1, "IPC_SET"),
        s(2, "IPC_STAT"),
        s(3, "IPC_INFO"),
        s(11, "MSG_STAT"),
        s(12, "MSG_INFO"),
        s(13, "MSG_STAT_ANY"),
    ],
};

/// faccessat2's flags (`AT_EACCESS` shares its value with `AT_REMOVEDIR`).
pub static FACCESSAT_FLAGS: FlagSet = FlagSet {
    name: "faccessat_flags",
    field_mask: 0,
    field: &[],
    flags: &[
        s(0x100, "AT_SYMLINK_NOFOLLOW"),
        s(0x200, "AT_EACCESS"),
        s(0x1000, "AT_EMPTY_PATH"),
    ],
    zero: None,
};

/// `ptrace(2)` requests strace 6.1 names on x86_64 and aarch64 (later requests print as
/// unknown).
pub static PTRACE_REQUESTS: EnumSet = EnumSet {
    name: "ptrace_request",
    values: &[
        s(0, "PTRACE_TRACEME"),
        s(0x1, "PTRACE_PEEKTEXT"),
        s(0x2, "PTRACE_PEEKDATA"),
        s(0x3, "PTRACE_PEEKUSER"),
        s(0x4, "PTRACE_POKETEXT"),
        s(0x5, "PTRACE_POKEDATA"),
        s(0x6, "PTRACE_POKEUSER"),
        s(0x7, "PTRACE_CONT"),
        s(0x8, "PTRACE_KILL"),
        s(0x9, "PTRACE_SINGLESTEP"),
        s(0xc, "PTRACE_GETREGS"),
        s(0xd, "PTRACE_SETREGS"),
        s(0xe, "PTRACE_GETFPREGS"),
        s(0xf, "PTRACE_SETFPREGS"),
        s(0x10, "PTRACE_ATTACH"),
        s(0x11, "PTRACE_DETACH"),
        s(0x12, "PTRACE_GETFPXREGS"),
        s(0x13, "PTRACE_SETFPXREGS"),
        s(0x15, "PTRACE_OLDSETOPTIONS"),
        s(0x18, "PTRACE_SYSCALL"),
        s(0x19, "PTRACE_GET_THREAD_AREA"),
        s(0x1a, "PTRACE_SET_THREAD_AREA"),
        s(0x1e, "PTRACE_ARCH_PRCTL"),
        s(0x1f, "PTRACE_SYSEMU"),
        s(0x20, "PTRACE_SYSEMU_SINGLESTEP"),
        s(0x21, "PTRACE_SINGLEBLOCK"),
        s(0x4200, "PTRACE_SETOPTIONS"),
        s(0x4201, "PTRACE_GETEVENTMSG"),
        s(0x4202, "PTRACE_GETSIGINFO"),
        s(0x4203, "PTRACE_SETSIGINFO"),
        s(0x4204, "PTRACE_GETREGSET"),
        s(0x4205, "PTRACE_SETREGSET"),
        s(0x4206, "PTRACE_SEIZE"),
        s(0x4207, "PTRACE_INTERRUPT"),
        s(0x4208, "PTRACE_LISTEN"),
        s(0x4209, "PTRACE_PEEKSIGINFO"),
        s(0x420a, "PTRACE_GETSIGMASK"),
        s(0x420b, "PTRACE_SETSIGMASK"),
        s(0x420c, "PTRACE_SECCOMP_GET_FILTER"),
        s(0x420d, "PTRACE_SECCOMP_GET_METADATA"),
        s(0x420e, "PTRACE_GET_SYSCALL_INFO"),
        s(0x420f, "PTRACE_GET_RSEQ_CONFIGURATION"),
    ],
};

/// `PTRACE_SETOPTIONS`/`PTRACE_SEIZE` options.
pub static PTRACE_OPTIONS: FlagSet = FlagSet {
    name: "ptrace_options",
    field_mask: 0,
    field: &[],
    flags: &[
        s(0x1, "PTRACE_O_TRACESYSGOOD"),
        s(0x2, "PTRACE_O_TRACEFORK"),
        s(0x4, "PTRACE_O_TRACEVFORK"),
        s(0x8, "PTRACE_O_TRACECLONE"),
        s(0x10, "PTRACE_O_TRACEEXEC"),
        s(0x20, "PTRACE_O_TRACEVFORKDONE"),
        s(0x40, "PTRACE_O_TRACEEXIT"),
        s(0x80, "PTRACE_O_TRACESECCOMP"),
        s(0x100000, "PTRACE_O_EXITKILL"),
        s(0x200000, "PTRACE_O_SUSPEND_SECCOMP"),
    ],
    zero: None,
};

/// `PTRACE_PEEKSIGINFO` flags.
pub static PEEKSIGINFO_FLAGS: FlagSet = FlagSet {
    name: "ptrace_peeksiginfo_flags",
    field_mask: 0,
    field: &[],
    flags: &[s(0x1, "PTRACE_PEEKSIGINFO_SHARED")],
    zero: None,
};

/// `PTRACE_GET_SYSCALL_INFO` stop kinds.
pub static SYSCALL_INFO_OP: EnumSet = EnumSet {
    name: "ptrace_syscall_info_op",
    values: &[
        s(0, "PTRACE_SYSCALL_INFO_NONE"),
        s(1, "PTRACE_SYSCALL_INFO_ENTRY"),
        s(2, "PTRACE_SYSCALL_INFO_EXIT"),
        s(3, "PTRACE_SYSCALL_INFO_SECCOMP"),
    ],
};

/// ELF note types (`NT_*`), the register sets of `PTRACE_GETREGSET`/`PTRACE_SETREGSET`.
pub static NT_TYPES: EnumSet = EnumSet {
    name: "nt_type",
    values: &[
        s(1, "NT_PRSTATUS"),
        s(2, "NT_FPREGSET"),
        s(3, "NT_PRPSINFO"),
        s(4, "NT_PRXREG"),
        s(5, "NT_PLATFORM"),
        s(6, "NT_AUXV"),
        s(7, "NT_GWINDOWS"),
        s(8, "NT_ASRS"),
        s(10, "NT_PSTATUS"),
        s(13, "NT_PSINFO"),
        s(14, "NT_PRCRED"),
        s(15, "NT_UTSNAME"),
        s(16, "NT_LWPSTATUS"),
        s(17, "NT_LWPSINFO"),
        s(20, "NT_PRFPXREG"),
        s(0x100, "NT_PPC_VMX"),
        s(0x101, "NT_PPC_SPE"),
        s(0x102, "NT_PPC_VSX"),
        s(0x103, "NT_PPC_TAR"),
        s(0x104, "NT_PPC_PPR"),
        s(0x105, "NT_PPC_DSCR"),
        s(0x106, "NT_PPC_EBB"),
        s(0x107, "NT_PPC_PMU"),
        s(0x108, "NT_PPC_TM_CGPR"),
        s(0x109, "NT_PPC_TM_CFPR"),
        s(0x10a, "NT_PPC_TM_CVMX"),
        s(0x10b, "NT_PPC_TM_CVSX"),
        s(0x10c, "NT_PPC_TM_SPR"),
        s(0x10d, "NT_PPC_TM_CTAR"),
        s(0x10e, "NT_PPC_TM_CPPR"),
        s(0x10f, "NT_PPC_TM_CDSCR"),
        s(0x110, "NT_PPC_PKEY"),
        s(0x200, "NT_386_TLS"),
        s(0x201, "NT_386_IOPERM"),
        s(0x202, "NT_X86_XSTATE"),
        s(0x300, "NT_S390_HIGH_GPRS"),
        s(0x301, "NT_S390_TIMER"),
        s(0x302, "NT_S390_TODCMP"),
        s(0x303, "NT_S390_TODPREG"),
        s(0x304, "NT_S390_CTRS"),
        s(0x305, "NT_S390_PREFIX"),
        s(0x306, "NT_S390_LAST_BREAK"),
        s(0x307, "NT_S390_SYSTEM_CALL"),
        s(0x308, "NT_S390_TDB"),
        s(0x309, "NT_S390_VXRS_LOW"),
        s(0x30a, "NT_S390_VXRS_HIGH"),
        s(0x30b, "NT_S390_GS_CB"),
        s(0x30c, "NT_S390_GS_BC"),
        s(0x30d, "NT_S390_RI_CB"),
        s(0x30e, "NT_S390_PV_CPU_DATA"),
        s(0x400, "NT_ARM_VFP"),
        s(0x401, "NT_ARM_TLS"),
        s(0x402, "NT_ARM_HW_BREAK"),
        s(0x403, "NT_ARM_HW_WATCH"),
        s(0x404, "NT_ARM_SYSTEM_CALL"),
        s(0x405, "NT_ARM_SVE"),
        s(0x406, "NT_ARM_PAC_MASK"),
        s(0x407, "NT_ARM_PACA_KEYS"),
        s(0x408, "NT_ARM_PACG_KEYS"),
        s(0x409, "NT_ARM_TAGGED_ADDR_CTRL"),
        s(0x40a, "NT_ARM_PAC_ENABLED_KEYS"),
        s(0x40b, "NT_ARM_SSVE"),
        s(0x40c, "NT_ARM_ZA"),
        s(0x500, "NT_METAG_CBUF"),
        s(0x501, "NT_METAG_RPIPE"),
        s(0x502, "NT_METAG_TLS"),
        s(0x600, "NT_ARC_V2"),
        s(0x700, "NT_VMCOREDD"),
        s(0x800, "NT_MIPS_DSP"),
        s(0x801, "NT_MIPS_FP_MODE"),
        s(0x802, "NT_MIPS_MSA"),
        s(0xa00, "NT_LOONGARCH_CPUCFG"),
        s(0xa01, "NT_LOONGARCH_CSR"),
        s(0xa02, "NT_LOONGARCH_LSX"),
        s(0xa03, "NT_LOONGARCH_LASX"),
        s(0xa04, "NT_LOONGARCH_LBT"),
        s(0x46494c45, "NT_FILE"),
        s(0x46e62b7f, "NT_PRXFPREG"),
        s(0x53494749, "NT_SIGINFO"),
    ],
};

/// `AUDIT_ARCH_*` values of the architectures sysgate traces (others print as unknown).
pub static AUDIT_ARCH: EnumSet = EnumSet {
    name: "audit_arch",
    values: &[
        s(0xc00000b7, "AUDIT_ARCH_AARCH64"),
        s(0x40000003, "AUDIT_ARCH_I386"),
        s(0xc000003e, "AUDIT_ARCH_X86_64"),
    ],
};

/// `io_uring_register(2)` opcodes strace 6.1 names (later ones print as unknown).
pub static URING_REGISTER_OPS: EnumSet = EnumSet {
    name: "uring_register_op",
    values: &[
        s(0, "IORING_REGISTER_BUFFERS"),
        s(1, "IORING_UNREGISTER_BUFFERS"),
        s(2, "IORING_REGISTER_FILES"),
        s(3, "IORING_UNREGISTER_FILES"),
        s(4, "IORING_REGISTER_EVENTFD"),
        s(5, "IORING_UNREGISTER_EVENTFD"),
        s(6, "IORING_REGISTER_FILES_UPDATE"),
        s(7, "IORING_REGISTER_EVENTFD_ASYNC"),
        s(8, "IORING_REGISTER_PROBE"),
        s(9, "IORING_REGISTER_PERSONALITY"),
        s(10, "IORING_UNREGISTER_PERSONALITY"),
        s(11, "IORING_REGISTER_RESTRICTIONS"),
        s(12, "IORING_REGISTER_ENABLE_RINGS"),
        s(13, "IORING_REGISTER_FILES2"),
        s(14, "IORING_REGISTER_FILES_UPDATE2"),
        s(15, "IORING_REGISTER_BUFFERS2"),
        s(16, "IORING_REGISTER_BUFFERS_UPDATE"),
        s(17, "IORING_REGISTER_IOWQ_AFF"),
        s(18, "IORING_UNREGISTER_IOWQ_AFF"),
        s(19, "IORING_REGISTER_IOWQ_MAX_WORKERS"),
        s(20, "IORING_REGISTER_RING_FDS"),
        s(21, "IORING_UNREGISTER_RING_FDS"),
        s(22, "IORING_REGISTER_PBUF_RING"),
        s(23, "IORING_UNREGISTER_PBUF_RING"),
    ],
};

/// `struct io_uring_restriction` opcodes.
pub static URING_RESTRICTION_OPS: EnumSet = EnumSet {
    name: "uring_restriction_op",
    values: &[
        s(0, "IORING_RESTRICTION_REGISTER_OP"),
        s(1, "IORING_RESTRICTION_SQE_OP"),
        s(2, "IORING_RESTRICTION_SQE_FLAGS_ALLOWED"),
        s(3, "IORING_RESTRICTION_SQE_FLAGS_REQUIRED"),
    ],
};

/// `struct io_uring_rsrc_register` flags.
pub static URING_RSRC_FLAGS: FlagSet = FlagSet {
    name: "uring_rsrc_flags",
    field_mask: 0,
    field: &[],
    flags: &[s(0x1, "IORING_RSRC_REGISTER_SPARSE")],
    zero: None,
};

/// `io_uring_register(IORING_REGISTER_IOWQ_MAX_WORKERS)` array indices.
pub static URING_IOWQ_ACCT: EnumSet = EnumSet {
    name: "uring_iowq_acct",
    values: &[s(0, "IO_WQ_BOUND"), s(1, "IO_WQ_UNBOUND")],
};

/// `struct io_uring_probe_op` flags.
pub static URING_OP_FLAGS: FlagSet = FlagSet {
    name: "uring_op_flags",
    field_mask: 0,
    field: &[],
    flags: &[s(0x1, "IO_URING_OP_SUPPORTED")],
    zero: None,
};

/// io_uring operations strace 6.1 names (`IORING_OP_*`).
pub static URING_OPS: EnumSet = EnumSet {
    name: "uring_op",
    values: &[
        s(0, "IORING_OP_NOP"),
        s(1, "IORING_OP_READV"),
        s(2, "IORING_OP_WRITEV"),
        s(3, "IORING_OP_FSYNC"),
        s(4, "IORING_OP_READ_FIXED"),
        s(5, "IORING_OP_WRITE_FIXED"),
        s(6, "IORING_OP_POLL_ADD"),
        s(7, "IORING_OP_POLL_REMOVE"),
        s(8, "IORING_OP_SYNC_FILE_RANGE"),
        s(9, "IORING_OP_SENDMSG"),
        s(10, "IORING_OP_RECVMSG"),
        s(11, "IORING_OP_TIMEOUT"),
        s(12, "IORING_OP_TIMEOUT_REMOVE"),
        s(13, "IORING_OP_ACCEPT"),
        s(14, "IORING_OP_ASYNC_CANCEL"),
        s(15, "IORING_OP_LINK_TIMEOUT"),
        s(16, "IORING_OP_CONNECT"),
        s(17, "IORING_OP_FALLOCATE"),
        s(18, "IORING_OP_OPENAT"),
        s(19, "IORING_OP_CLOSE"),
        s(20, "IORING_OP_FILES_UPDATE"),
        s(21, "IORING_OP_STATX"),
        s(22, "IORING_OP_READ"),
        s(23, "IORING_OP_WRITE"),
        s(24, "IORING_OP_FADVISE"),
        s(25, "IORING_OP_MADVISE"),
        s(26, "IORING_OP_SEND"),
        s(27, "IORING_OP_RECV"),
        s(28, "IORING_OP_OPENAT2"),
        s(29, "IORING_OP_EPOLL_CTL"),
        s(30, "IORING_OP_SPLICE"),
        s(31, "IORING_OP_PROVIDE_BUFFERS"),
        s(32, "IORING_OP_REMOVE_BUFFERS"),
        s(33, "IORING_OP_TEE"),
        s(34, "IORING_OP_SHUTDOWN"),
        s(35, "IORING_OP_RENAMEAT"),
        s(36, "IORING_OP_UNLINKAT"),
        s(37, "IORING_OP_MKDIRAT"),
        s(38, "IORING_OP_SYMLINKAT"),
        s(39, "IORING_OP_LINKAT"),
        s(40, "IORING_OP_MSG_RING"),
        s(41, "IORING_OP_FSETXATTR"),
        s(42, "IORING_OP_SETXATTR"),
        s(43, "IORING_OP_FGETXATTR"),
        s(44, "IORING_OP_GETXATTR"),
        s(45, "IORING_OP_SOCKET"),
        s(46, "IORING_OP_URING_CMD"),
    ],
};

/// `IOSQE_*` submission flags.
pub static URING_SQE_FLAGS: FlagSet = FlagSet {
    name: "uring_sqe_flags",
    field_mask: 0,
    field: &[],
    flags: &[
        s(0x1, "IOSQE_FIXED_FILE"),
        s(0x2, "IOSQE_IO_DRAIN"),
        s(0x4, "IOSQE_IO_LINK"),
        s(0x8, "IOSQE_IO_HARDLINK"),
        s(0x10, "IOSQE_ASYNC"),
        s(0x20, "IOSQE_BUFFER_SELECT"),
        s(0x40, "IOSQE_CQE_SKIP_SUCCESS"),
    ],
    zero: None,
};

/// The flag set called `name`: the decoder's own sets first (they print in strace's order),
/// then the knowledge base's. A recording stores set names; this is how a reader gets the sets
/// back.
pub fn flag_set_named(name: &str) -> Option<&'static FlagSet> {
    let local: [&'static FlagSet; 23] = [
        &OPEN,
        &OPEN_NOACC,
        &STATX_AT,
        &STATX_ATTRS,
        &STATFS_FLAGS,
        &SS_FLAGS,
        &SCHED_FLAGS,
        &URING_SETUP,
        &URING_FEATURES,
        &MQ_FLAGS,
        &RESOLVE_FLAGS,
        &SEM_FLAGS,
        &IPC_GET_FLAGS,
        &SEALS,
        &MEMBARRIER_MASK,
        &FACCESSAT_FLAGS,
        &CAPS,
        &CLONE_FLAGS_ONLY,
        &PTRACE_OPTIONS,
        &PEEKSIGINFO_FLAGS,
        &URING_RSRC_FLAGS,
        &URING_OP_FLAGS,
        &URING_SQE_FLAGS,
    ];
    local
        .into_iter()
        .find(|s| s.name == name)
        .or_else(|| flag_set(name))
}

/// The enum set called `name`; see [`flag_set_named`].
pub fn enum_set_named(name: &str) -> Option<&'static EnumSet> {
    let local: [&'static EnumSet; 20] = [
        &CAP_ENUM,
        &SO,
        &TCP_OPTS,
        &IP_OPTS,
        &IPV6_OPTS,
        &UDP_OPTS,
        &NETLINK,
        &NETLINK_OPTS,
        &DUMPABLE,
        &SEM_CMDS,
        &SHM_CMDS,
        &MSG_CMDS,
        &PTRACE_REQUESTS,
        &SYSCALL_INFO_OP,
        &NT_TYPES,
        &AUDIT_ARCH,
        &URING_REGISTER_OPS,
        &URING_RESTRICTION_OPS,
        &URING_IOWQ_ACCT,
        &URING_OPS,
    ];
    local
        .into_iter()
        .find(|s| s.name == name)
        .or_else(|| crate::symbols::enum_set(name))
}
