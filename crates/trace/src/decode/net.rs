//! Socket decoders: addresses of every common family (pure, over the address bytes), message
//! headers with their iovecs and control messages (SCM_RIGHTS, SCM_CREDENTIALS), and socket
//! option values.

use std::net::{Ipv4Addr, Ipv6Addr};

use sysgate_event::{Field, SyscallEvent, Value};
use sysgate_kb::symbols::{EnumSet, enum_set, flag_set};

use super::consts;
use super::structs;
use super::{ARRAY_MAX, Cx, DecodeOptions, Memory, Rd, read_upto};

/// Largest socket address decoded (`sizeof(struct sockaddr_storage)`).
pub const SOCKADDR_MAX: usize = 128;

fn int(n: i64) -> Value {
    Value::Int(n)
}

fn htons(n: u16) -> Value {
    Value::Call {
        func: "htons",
        args: vec![Value::UInt(u64::from(n))],
    }
}

fn family_value(family: u16) -> Value {
    match enum_set("af") {
        Some(set) => Value::Enum(set, u64::from(family)),
        None => Value::UInt(u64::from(family)),
    }
}

/// The name of interface `index`, if it exists on this machine.
fn ifname(index: u32) -> Option<String> {
    let mut buf = [0u8; 64];
    // SAFETY: buf is a live local of 64 bytes, more than IF_NAMESIZE (16) that
    // if_indextoname writes at most; it returns NULL or a pointer into buf.
    let p = unsafe { libc::if_indextoname(index, buf.as_mut_ptr().cast()) };
    if p.is_null() {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0)?;
    Some(String::from_utf8_lossy(&buf[..end]).into_owned())
}

/// A socket address of `b.len()` bytes (the length the caller gave or the kernel returned):
/// `{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}`.
pub fn sockaddr(b: &[u8], cx: &mut Cx) -> Option<Value> {
    let r = Rd(b);
    let family = r.u16(0)?;
    let mut f = vec![Field::new("sa_family", family_value(family))];
    match family {
        // AF_UNIX
        1 => {
            let path = b.get(2..).unwrap_or_default();
            if path.is_empty() {
            } else if path[0] == 0 {
                let name = &path[1..];
                let n = name.len().min(108);
                let bytes = cx.bytes(&name[..n]);
                f.push(Field::new("sun_path", Value::AbstractPath(bytes)));
            } else {
                let end = path.iter().position(|&c| c == 0).unwrap_or(path.len());
                let bytes = cx.bytes(&path[..end]);
                f.push(Field::new(
                    "sun_path",
                    Value::Str {
                        bytes,
                        truncated: false,
                    },
                ));
            }
        }
        // AF_INET
        2 if b.len() >= 8 => {
            let port = u16::from_be_bytes(r.arr(2)?);
            let addr = Ipv4Addr::from(r.arr::<4>(4)?);
            let s = cx.bytes(addr.to_string().as_bytes());
            f.push(Field::new("sin_port", htons(port)));
            f.push(Field::new(
                "sin_addr",
                Value::Call {
                    func: "inet_addr",
                    args: vec![Value::Str {
                        bytes: s,
                        truncated: false,
                    }],
                },
            ));
        }
        // AF_INET6
        10 if b.len() >= 24 => {
            let port = u16::from_be_bytes(r.arr(2)?);
            let flow = u32::from_be_bytes(r.arr(4)?);
            let addr = Ipv6Addr::from(r.arr::<16>(8)?);
            let s = cx.bytes(addr.to_string().as_bytes());
            f.push(Field::new("sin6_port", htons(port)));
            f.push(Field::new(
                "sin6_flowinfo",
                Value::Call {
                    func: "htonl",
                    args: vec![Value::UInt(u64::from(flow))],
                },
            ));
            f.push(Field::bare(
                "sin6_addr",
                Value::Call {
                    func: "inet_pton",
                    args: vec![
                        family_value(10),
                        Value::Str {
                            bytes: s,
                            truncated: false,
                        },
                        Value::Sym("&sin6_addr"),
                    ],
                },
            ));
            if let Some(scope) = r.u32(24) {
                f.push(Field::new("sin6_scope_id", Value::UInt(u64::from(scope))));
            }
        }
        // AF_NETLINK
        16 if b.len() >= 12 => {
            f.push(Field::new("nl_pid", int(i64::from(r.i32(4)?))));
            let groups = r.u32(8)?;
            f.push(Field::new("nl_groups", cx.text(&format!("{groups:08x}"))));
        }
        // AF_PACKET
        17 if b.len() >= 12 => {
            let proto = u16::from_be_bytes(r.arr(2)?);
            let proto_v = match proto {
                0x0003 => Value::Call {
                    func: "htons",
                    args: vec![Value::Sym("ETH_P_ALL")],
                },
                0x0800 => Value::Call {
                    func: "htons",
                    args: vec![Value::Sym("ETH_P_IP")],
                },
                0x0806 => Value::Call {
                    func: "htons",
                    args: vec![Value::Sym("ETH_P_ARP")],
                },
                0x86dd => Value::Call {
                    func: "htons",
                    args: vec![Value::Sym("ETH_P_IPV6")],
                },
                p => htons(p),
            };
            f.push(Field::new("sll_protocol", proto_v));
            let idx_v = ifindex(r.u32(4)?, cx);
            f.push(Field::new("sll_ifindex", idx_v));
            if b.len() >= 20 {
                let hatype = r.u16(8)?;
                let hat_v = match hatype {
                    1 => Value::Sym("ARPHRD_ETHER"),
                    772 => Value::Sym("ARPHRD_LOOPBACK"),
                    776 => Value::Sym("ARPHRD_SIT"),
                    65534 => Value::Sym("ARPHRD_NONE"),
                    n => Value::UInt(u64::from(n)),
                };
                f.push(Field::new("sll_hatype", hat_v));
                let pkttype = r.u8(10)?;
                let pkt_v = match pkttype {
                    0 => Value::Sym("PACKET_HOST"),
                    1 => Value::Sym("PACKET_BROADCAST"),
                    2 => Value::Sym("PACKET_MULTICAST"),
                    3 => Value::Sym("PACKET_OTHERHOST"),
                    4 => Value::Sym("PACKET_OUTGOING"),
                    n => Value::UInt(u64::from(n)),
                };
                f.push(Field::new("sll_pkttype", pkt_v));
                let halen = r.u8(11)?;
                f.push(Field::new("sll_halen", Value::UInt(u64::from(halen))));
                let addr = b
                    .get(12..12 + usize::from(halen).min(8))
                    .unwrap_or_default();
                f.push(Field::new(
                    "sll_addr",
                    Value::Array {
                        items: addr.iter().map(|&x| Value::Hex(u64::from(x))).collect(),
                        more: false,
                    },
                ));
            }
        }
        _ => {
            let data = b.get(2..).unwrap_or_default();
            let v = cx.str(data, false);
            f.push(Field::new("sa_data", v));
        }
    }
    Some(Value::Record(f))
}

/// The socket address at `addr`, `len` bytes long.
pub fn sockaddr_at(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    len: usize,
    opts: &DecodeOptions,
) -> Value {
    if addr == 0 {
        return Value::Addr(0);
    }
    if len < 2 {
        return Value::Addr(addr);
    }
    let b = read_upto(mem, addr, len.min(SOCKADDR_MAX));
    if b.len() < 2 {
        return Value::Unreadable(addr);
    }
    let mut cx = super::event_cx(ev, opts);
    sockaddr(&b, &mut cx).unwrap_or(Value::Unreadable(addr))
}

/// An interface index: `if_nametoindex("lo")` when an interface has it, else the number.
fn ifindex(index: u32, cx: &mut Cx) -> Value {
    match ifname(index) {
        Some(name) if index > 0 => {
            let s = cx.bytes(name.as_bytes());
            Value::Call {
                func: "if_nametoindex",
                args: vec![Value::Str {
                    bytes: s,
                    truncated: false,
                }],
            }
        }
        _ => Value::UInt(u64::from(index)),
    }
}

/// `inet_addr("1.2.3.4")` for four bytes in network order.
fn inet_addr(b: [u8; 4], cx: &mut Cx) -> Value {
    let s = cx.bytes(Ipv4Addr::from(b).to_string().as_bytes());
    Value::Call {
        func: "inet_addr",
        args: vec![Value::Str {
            bytes: s,
            truncated: false,
        }],
    }
}

/// The kernel's limit on control data (`net.core.optmem_max`), which strace also reads at most.
fn optmem_max() -> u64 {
    static MAX: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *MAX.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/net/core/optmem_max")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(20480)
    })
}

/// Control messages of a `msg_control` buffer whose bytes are all of `b` (what was read of the
/// buffer, at most [`optmem_max`] bytes):
/// `[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}]`.
/// Like strace, a header that does not fit ends the list with `... /* ADDR */` (the address of
/// what is left), and a buffer longer than what was read ends it with `...`.
pub fn cmsgs(b: &[u8], cx: &mut Cx) -> Value {
    cmsgs_at(b, b.len() as u64, 0, cx)
}

fn cmsgs_at(b: &[u8], in_len: u64, addr: u64, cx: &mut Cx) -> Value {
    const HDR: usize = 16;
    let mut items = Vec::new();
    let mut off = 0usize;
    let mut left = b.len();
    while left >= HDR {
        let r = Rd(&b[off..]);
        let (Some(cmsg_len), Some(level), Some(ty)) = (r.u64(0), r.i32(8), r.i32(12)) else {
            break;
        };
        let level_v = match enum_set("sol") {
            Some(set) => Value::Enum(set, level as u32 as u64),
            None => int(i64::from(level)),
        };
        let mut f = vec![
            Field::new("cmsg_len", Value::UInt(cmsg_len)),
            Field::new("cmsg_level", level_v),
        ];
        let len = (cmsg_len.min(left as u64)) as usize;
        let data = if len > HDR {
            &b[off + HDR..off + len]
        } else {
            &[][..]
        };
        cmsg_type_data(level, ty, data, cx, &mut f);
        items.push(Value::Record(f));
        if len < HDR {
            left -= HDR;
            break;
        }
        // Each message is padded to the word size.
        let step = cmsg_len.saturating_add(7) & !7;
        if step >= left as u64 {
            left = 0;
            break;
        }
        off += step as usize;
        left -= step as usize;
    }
    let more = if left > 0 {
        let at = addr.wrapping_add(b.len() as u64 - left as u64);
        let v = cx.comment(Value::Sym("..."), &format!("{at:#x}"));
        items.push(v);
        false
    } else {
        (b.len() as u64) < in_len
    };
    Value::Array { items, more }
}

/// `cmsg_type` and, for the types strace decodes, `cmsg_data` (when there are enough bytes).
fn cmsg_type_data(level: i32, ty: i32, data: &[u8], cx: &mut Cx, f: &mut Vec<Field>) {
    match level {
        // SOL_SOCKET
        1 => {
            let t = match consts::scm_name(ty) {
                Some(name) => Value::Const {
                    raw: i64::from(ty),
                    name,
                },
                None => cx.comment(Value::Hex(ty as u32 as u64), "SCM_???"),
            };
            f.push(Field::new("cmsg_type", t));
            match ty {
                1 if data.len() >= 4 => {
                    let shown = data.len() / 4;
                    let fds = data
                        .chunks_exact(4)
                        .take(cx.limit.min(ARRAY_MAX))
                        .map(|c| int(i64::from(i32::from_le_bytes([c[0], c[1], c[2], c[3]]))))
                        .collect::<Vec<_>>();
                    let more = fds.len() < shown;
                    f.push(Field::new("cmsg_data", Value::Array { items: fds, more }));
                }
                2 if data.len() >= 12 => {
                    if let Some(v) = structs::ucred(data, cx) {
                        f.push(Field::new("cmsg_data", v));
                    }
                }
                3 if !data.is_empty() => {
                    let v = cx.str(data, false);
                    f.push(Field::new("cmsg_data", v));
                }
                // SO_TIMESTAMP{,NS,ING}_{OLD,NEW}: one timeval or timespec, or three timespecs
                // (64-bit fields on x86_64 either way); `???` when the data is too short.
                29 | 35 | 37 | 63 | 64 | 65 if !data.is_empty() => {
                    let sub = if matches!(ty, 29 | 63) {
                        "tv_usec"
                    } else {
                        "tv_nsec"
                    };
                    let count = if matches!(ty, 37 | 65) { 3 } else { 1 };
                    let stamp = |c: &[u8]| {
                        let r = Rd(c);
                        Value::Record(vec![
                            Field::new("tv_sec", int(r.i64(0).unwrap_or(0))),
                            Field::new(sub, int(r.i64(8).unwrap_or(0))),
                        ])
                    };
                    let v = if data.len() < 16 * count {
                        Value::Sym("???")
                    } else if count == 1 {
                        stamp(data)
                    } else {
                        Value::Array {
                            items: data.chunks_exact(16).take(3).map(stamp).collect(),
                            more: false,
                        }
                    };
                    f.push(Field::new("cmsg_data", v));
                }
                _ => {}
            }
        }
        // SOL_IP
        0 => {
            let name = match ty {
                1 => Some("IP_TOS"),
                2 => Some("IP_TTL"),
                3 => Some("SCM_SECURITY"),
                6 => Some("IP_RECVOPTS"),
                7 => Some("IP_RETOPTS"),
                8 => Some("IP_PKTINFO"),
                11 => Some("IP_RECVERR"),
                20 => Some("IP_ORIGDSTADDR"),
                23 => Some("IP_CHECKSUM"),
                _ => None,
            };
            let t = match name {
                Some(name) => Value::Const {
                    raw: i64::from(ty),
                    name,
                },
                None => cx.comment(Value::Hex(ty as u32 as u64), "IP_???"),
            };
            f.push(Field::new("cmsg_type", t));
            let r = Rd(data);
            let limit = cx.limit.min(ARRAY_MAX);
            let v = match ty {
                // IP_PKTINFO
                8 if data.len() >= 12 => {
                    let index = ifindex(r.u32(0).unwrap_or(0), cx);
                    let spec = inet_addr(r.arr(4).unwrap_or_default(), cx);
                    let addr = inet_addr(r.arr(8).unwrap_or_default(), cx);
                    Some(Value::Record(vec![
                        Field::new("ipi_ifindex", index),
                        Field::new("ipi_spec_dst", spec),
                        Field::new("ipi_addr", addr),
                    ]))
                }
                // IP_TTL, IP_CHECKSUM: unsigned ints.
                2 | 23 if data.len() >= 4 => Some(Value::Array {
                    items: data
                        .chunks_exact(4)
                        .take(limit)
                        .map(|c| {
                            Value::UInt(u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                        })
                        .collect(),
                    more: data.len() / 4 > limit,
                }),
                // IP_TOS, IP_RECVOPTS, IP_RETOPTS: bytes in hex.
                1 | 6 | 7 if !data.is_empty() => Some(Value::Array {
                    items: data
                        .iter()
                        .take(limit)
                        .map(|&b| Value::Hex(u64::from(b)))
                        .collect(),
                    more: data.len() > limit,
                }),
                // IP_RECVERR: struct sock_extended_err and the offender's address.
                11 if data.len() >= 32 => {
                    let u = |off: usize| Value::UInt(u64::from(r.u32(off).unwrap_or(0)));
                    let b = |off: usize| Value::UInt(u64::from(r.u8(off).unwrap_or(0)));
                    let offender = sockaddr(&data[16..32], cx).unwrap_or(Value::Sym("???"));
                    Some(Value::Record(vec![
                        Field::new("ee_errno", u(0)),
                        Field::new("ee_origin", b(4)),
                        Field::new("ee_type", b(5)),
                        Field::new("ee_code", b(6)),
                        Field::new("ee_info", u(8)),
                        Field::new("ee_data", u(12)),
                        Field::new("offender", offender),
                    ]))
                }
                // IP_ORIGDSTADDR: a sockaddr_in.
                20 if data.len() >= 16 => sockaddr(&data[..data.len().min(128)], cx),
                // SCM_SECURITY's number: a security context string.
                3 if !data.is_empty() => Some(cx.str(data, false)),
                _ => None,
            };
            if let Some(v) = v {
                f.push(Field::new("cmsg_data", v));
            }
        }
        _ => f.push(Field::new("cmsg_type", Value::Hex(ty as u32 as u64))),
    }
}

/// A `struct msghdr` at `addr`. With `received`, the iovec data shown is limited to the bytes
/// the call returned and the control data is what the kernel filled in.
pub fn msghdr_at(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    opts: &DecodeOptions,
    received: bool,
) -> Value {
    let budget = received.then_some(ev.ret.max(0) as u64);
    msghdr_with_budget(ev, mem, addr, opts, budget)
}

fn msghdr_with_budget(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    opts: &DecodeOptions,
    budget: Option<u64>,
) -> Value {
    let b = read_upto(mem, addr, 56);
    if b.len() < 56 {
        return Value::Unreadable(addr);
    }
    msghdr_fields(ev, mem, &b, opts, budget)
        .map(Value::Record)
        .unwrap_or(Value::Unreadable(addr))
}

fn msghdr_fields(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    b: &[u8],
    opts: &DecodeOptions,
    budget: Option<u64>,
) -> Option<Vec<Field>> {
    let r = Rd(b);
    let name = r.u64(0)?;
    let namelen = r.u32(8)?;
    let iov = r.u64(16)?;
    let iovlen = r.u64(24)?;
    let control = r.u64(32)?;
    let controllen = r.u64(40)?;
    let flags = r.i32(48)?;
    let name_v = if name == 0 {
        Value::Addr(0)
    } else {
        sockaddr_at(ev, mem, name, namelen as usize, opts)
    };
    let iov_v = structs::iovec_array(ev, mem, iov, iovlen, budget, opts);
    let mut f = vec![
        Field::new("msg_name", name_v),
        Field::new("msg_namelen", Value::UInt(u64::from(namelen))),
        Field::new("msg_iov", iov_v),
        Field::new("msg_iovlen", Value::UInt(iovlen)),
    ];
    if controllen > 0 {
        let want = controllen.min(optmem_max()) as usize;
        let mut cb = vec![0u8; if control == 0 || want < 16 { 0 } else { want }];
        let ctl = match mem.read(control, &mut cb) {
            n if n == want && want >= 16 => {
                let mut cx = super::event_cx(ev, opts);
                cmsgs_at(&cb, controllen, control, &mut cx)
            }
            _ => Value::Addr(control),
        };
        f.push(Field::new("msg_control", ctl));
    }
    f.push(Field::new("msg_controllen", Value::UInt(controllen)));
    let msg_flags = flag_set("msg")?;
    f.push(Field::new(
        "msg_flags",
        Value::Flags(msg_flags, flags as u32 as u64),
    ));
    Some(f)
}

/// sendmmsg/recvmmsg vectors, decoded at exit: the first `ret` entries with their `msg_len`.
pub fn mmsghdr_array(
    ev: &mut SyscallEvent,
    mem: &mut dyn Memory,
    addr: u64,
    opts: &DecodeOptions,
) -> Value {
    if super::failed(ev) {
        return Value::Addr(addr);
    }
    let n = (ev.ret.max(0) as usize).min(opts.string_limit.min(ARRAY_MAX));
    let received = ev.syscall.is_some_and(|s| s.name.starts_with("recvmmsg"));
    let b = read_upto(mem, addr, n * 64);
    let mut items = Vec::new();
    for c in b.chunks_exact(64) {
        let msg_len = Rd(c).u32(56).unwrap_or(0);
        let budget = received.then_some(u64::from(msg_len));
        let Some(hdr) = msghdr_fields(ev, mem, &c[..56], opts, budget) else {
            break;
        };
        items.push(Value::Record(vec![
            Field::new("msg_hdr", Value::Record(hdr)),
            Field::new("msg_len", Value::UInt(u64::from(msg_len))),
        ]));
    }
    Value::Array {
        items,
        more: (ev.ret.max(0) as usize) > n,
    }
}

/// The option-name table of a socket level.
pub fn sockopt_names(level: i32) -> Option<&'static EnumSet> {
    Some(match level {
        1 => &consts::SO,
        0 => &consts::IP_OPTS,
        6 => &consts::TCP_OPTS,
        17 => &consts::UDP_OPTS,
        41 => &consts::IPV6_OPTS,
        270 => &consts::NETLINK_OPTS,
        _ => return None,
    })
}

/// A socket option value of `b.len()` bytes: `[1]` for an int, `{l_onoff=1, l_linger=5}` for
/// SO_LINGER, `{pid=…, uid=…, gid=…}` for SO_PEERCRED, else the raw bytes.
pub fn sockopt_value(level: i32, name: i32, b: &[u8], cx: &mut Cx) -> Value {
    match (level, name) {
        (1, 13) if b.len() >= 8 => structs::linger(b, cx),
        (1, 17) if b.len() >= 12 => structs::ucred(b, cx),
        _ if b.len() == 4 => structs::int_box(b, cx),
        _ => None,
    }
    .unwrap_or_else(|| cx.str(b, false))
}

/// socket()'s protocol argument for a family: `IPPROTO_TCP`, `NETLINK_ROUTE`, or a number.
pub fn protocol_value(family: u64, proto: u64) -> Value {
    match family {
        2 | 10 => match enum_set("ipproto") {
            Some(set) => Value::Enum(set, proto as u32 as u64),
            None => Value::UInt(proto),
        },
        16 => Value::Enum(&consts::NETLINK, proto as u32 as u64),
        17 => {
            let p = u16::from_be(proto as u16);
            match p {
                3 => Value::Call {
                    func: "htons",
                    args: vec![Value::Sym("ETH_P_ALL")],
                },
                n => htons(n),
            }
        }
        _ => Value::UInt(proto as u32 as u64),
    }
}

#[cfg(test)]
pub(crate) fn all_pure() -> Vec<(&'static str, super::structs::PureDecoder)> {
    fn cm(b: &[u8], cx: &mut Cx) -> Option<Value> {
        Some(cmsgs(b, cx))
    }
    fn so(b: &[u8], cx: &mut Cx) -> Option<Value> {
        let level = b.first().map_or(1, |&x| i32::from(x % 3));
        let name = b.get(1).map_or(13, |&x| i32::from(x % 20));
        Some(sockopt_value(
            level,
            name,
            b.get(2..).unwrap_or_default(),
            cx,
        ))
    }
    vec![("sockaddr", sockaddr), ("cmsgs", cm), ("sockopt", so)]
}
