//! Socket endpoints for `-yy`: a socket fd's inode (from `/proc/PID/fd/N` → `socket:[INODE]`)
//! resolved through the tracee's `/proc/PID/net/{tcp,tcp6,udp,udp6,unix}` tables into strace's
//! notation: `TCP:[127.0.0.1:5432->127.0.0.1:41000]`, `UDPv6:[[::1]:53]`,
//! `UNIX-STREAM:[1234,"/run/x.sock"]`, `UNIX-DGRAM:[1234]`.
//!
//! The table parsers are pure (`&str` in, endpoint out) so they can be tested on fixed text.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The inode of a `socket:[INODE]` link target.
pub fn socket_inode(link: &str) -> Option<u64> {
    link.strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// The endpoint text of socket `inode` of process `pid`, if one of its tables lists it.
pub fn endpoint(pid: u32, inode: u64) -> Option<String> {
    for (file, proto, v6) in [
        ("tcp", "TCP", false),
        ("tcp6", "TCPv6", true),
        ("udp", "UDP", false),
        ("udp6", "UDPv6", true),
    ] {
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/net/{file}"))
            && let Some(ep) = inet_endpoint(&text, inode, proto, v6)
        {
            return Some(ep);
        }
    }
    let text = std::fs::read_to_string(format!("/proc/{pid}/net/unix")).ok()?;
    unix_endpoint(&text, inode)
}

/// The protocol name of socket `fd` of process `pid` (`TCP`, `UDPv6`, `UNIX`, `NETLINK`), from
/// the `system.sockprotoname` attribute sockets expose: for sockets the tables do not list
/// (not bound yet), strace's `TCP:[INODE]`.
pub fn protocol_name(pid: u32, fd: i32) -> Option<String> {
    let path = std::ffi::CString::new(format!("/proc/{pid}/fd/{fd}")).ok()?;
    let mut buf = [0u8; 64];
    // SAFETY: path is a live NUL-terminated string, name a static one; buf is a live local and
    // its length is passed, so the kernel writes at most 64 bytes.
    let n = unsafe {
        libc::getxattr(
            path.as_ptr(),
            c"system.sockprotoname".as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    if n <= 0 {
        return None;
    }
    let b = &buf[..n as usize];
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    let name = String::from_utf8_lossy(&b[..end]).into_owned();
    (!name.is_empty()).then_some(name)
}

/// An address of `/proc/net/tcp` (`0100007F:1538`, little-endian words) as `IP:PORT`.
fn inet_addr(field: &str, v6: bool) -> Option<String> {
    let (addr, port) = field.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    if v6 {
        if addr.len() != 32 {
            return None;
        }
        let mut bytes = [0u8; 16];
        for w in 0..4 {
            let word = u32::from_str_radix(addr.get(w * 8..w * 8 + 8)?, 16).ok()?;
            bytes[w * 4..w * 4 + 4].copy_from_slice(&word.to_le_bytes());
        }
        Some(format!("[{}]:{port}", Ipv6Addr::from(bytes)))
    } else {
        let word = u32::from_str_radix(addr, 16).ok()?;
        Some(format!("{}:{port}", Ipv4Addr::from(word.to_le_bytes())))
    }
}

/// Finds `inode` in the text of a `/proc/net/{tcp,udp}[6]` table.
pub fn inet_endpoint(table: &str, inode: u64, proto: &str, v6: bool) -> Option<String> {
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 10 || cols[9].parse::<u64>().ok() != Some(inode) {
            continue;
        }
        let local = inet_addr(cols[1], v6)?;
        let remote = inet_addr(cols[2], v6)?;
        let unconnected =
            remote.ends_with(":0") && (remote.starts_with("0.0.0.0") || remote.starts_with("[::]"));
        return Some(if unconnected {
            format!("{proto}:[{local}]")
        } else {
            format!("{proto}:[{local}->{remote}]")
        });
    }
    None
}

/// Finds `inode` in the text of `/proc/net/unix`.
pub fn unix_endpoint(table: &str, inode: u64) -> Option<String> {
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 7 || cols[6].parse::<u64>().ok() != Some(inode) {
            continue;
        }
        let kind = match cols[4] {
            "0001" => "UNIX-STREAM",
            "0002" => "UNIX-DGRAM",
            "0005" => "UNIX-SEQPACKET",
            _ => "UNIX",
        };
        return Some(match cols.get(7) {
            Some(path) => match path.strip_prefix('@') {
                Some(name) => format!("{kind}:[{inode},@\"{name}\"]"),
                None => format!("{kind}:[{inode},\"{path}\"]"),
            },
            None => format!("{kind}:[{inode}]"),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TCP: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:A028 0100007F:1538 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1
";

    #[test]
    fn tcp_listening_and_connected() {
        assert_eq!(
            inet_endpoint(TCP, 4242, "TCP", false).as_deref(),
            Some("TCP:[127.0.0.1:5432]")
        );
        assert_eq!(
            inet_endpoint(TCP, 4343, "TCP", false).as_deref(),
            Some("TCP:[127.0.0.1:41000->127.0.0.1:5432]")
        );
        assert_eq!(inet_endpoint(TCP, 1, "TCP", false), None);
    }

    #[test]
    fn tcp6_loopback() {
        let t = "header\n   0: 00000000000000000000000001000000:1538 00000000000000000000000000000000:0000 0A 0 0 0 0 0 77 1\n";
        assert_eq!(
            inet_endpoint(t, 77, "TCPv6", true).as_deref(),
            Some("TCPv6:[[::1]:5432]")
        );
    }

    #[test]
    fn unix_with_and_without_path() {
        let t = "Num       RefCount Protocol Flags    Type St Inode Path
0000000000000000: 00000002 00000000 00010000 0001 01 9001 /run/x.sock
0000000000000000: 00000003 00000000 00000000 0001 03 9002
0000000000000000: 00000002 00000000 00010000 0001 01 9003 @abstract
";
        assert_eq!(
            unix_endpoint(t, 9001).as_deref(),
            Some("UNIX-STREAM:[9001,\"/run/x.sock\"]")
        );
        assert_eq!(
            unix_endpoint(t, 9002).as_deref(),
            Some("UNIX-STREAM:[9002]")
        );
        assert_eq!(
            unix_endpoint(t, 9003).as_deref(),
            Some("UNIX-STREAM:[9003,@\"abstract\"]")
        );
    }

    #[test]
    fn resolves_a_live_listener_of_this_process() {
        use std::os::fd::AsRawFd;
        let Ok(l) = std::net::TcpListener::bind("127.0.0.1:0") else {
            return; // no loopback networking here
        };
        let port = l.local_addr().map(|a| a.port()).unwrap_or(0);
        let pid = std::process::id();
        let link = std::fs::read_link(format!("/proc/{pid}/fd/{}", l.as_raw_fd()))
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let inode = socket_inode(&link).expect("a socket link");
        assert_eq!(
            endpoint(pid, inode).as_deref(),
            Some(format!("TCP:[127.0.0.1:{port}]").as_str())
        );
    }

    #[test]
    fn garbage_tables_do_not_panic() {
        for t in [
            "",
            "x",
            "h\n1 2 3",
            "h\n0: zz:zz yy:yy 0 0 0 0 0 0 5",
            "h\n0: 1:1 2:2 0 0 0 0 0 0 5",
        ] {
            let _ = inet_endpoint(t, 5, "TCP", false);
            let _ = inet_endpoint(t, 5, "TCPv6", true);
            let _ = unix_endpoint(t, 5);
        }
        assert_eq!(socket_inode("socket:[123]"), Some(123));
        assert_eq!(socket_inode("pipe:[123]"), None);
        assert_eq!(socket_inode("socket:[x]"), None);
    }
}
