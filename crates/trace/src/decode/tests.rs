//! Unit tests of the decoders, over bytes and a fake tracee memory, plus property tests that
//! feed random bytes, counts and pointers to every decoder and check they return.

use sysgate_event::{Phase, SyscallEvent, Value, json, render};
use sysgate_kb::Arch;

use super::*;

/// Tracee memory made of a few mapped regions.
#[derive(Default)]
struct FakeMem {
    regions: Vec<(u64, Vec<u8>)>,
}

impl FakeMem {
    fn map(&mut self, addr: u64, bytes: &[u8]) -> u64 {
        self.regions.push((addr, bytes.to_vec()));
        addr
    }
}

impl Memory for FakeMem {
    fn read(&mut self, addr: u64, buf: &mut [u8]) -> usize {
        let mut done = 0;
        while done < buf.len() {
            let a = addr.wrapping_add(done as u64);
            let Some((base, data)) = self
                .regions
                .iter()
                .find(|(b, d)| a >= *b && a < b.saturating_add(d.len() as u64))
            else {
                break;
            };
            let off = (a - base) as usize;
            let n = (data.len() - off).min(buf.len() - done);
            buf[done..done + n].copy_from_slice(&data[off..off + n]);
            done += n;
        }
        done
    }
}

/// A small deterministic PRNG (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn text_of(ev: &SyscallEvent, v: &Value) -> String {
    let mut s = String::new();
    render::value_into(ev, v, &mut s);
    s
}

fn json_of(ev: &SyscallEvent, v: &Value) -> String {
    let mut s = String::new();
    json::value_into(ev, v, &mut s);
    s
}

/// Decodes `b` with a pure decoder and renders it.
fn pure(f: fn(&[u8], &mut Cx) -> Option<Value>, b: &[u8], verbose: bool) -> String {
    let mut ev = SyscallEvent::new();
    let v = {
        let mut cx = Cx::new(&mut ev.bytes);
        cx.verbose = verbose;
        cx.arch = Arch::X86_64;
        f(b, &mut cx).expect("decodes")
    };
    text_of(&ev, &v)
}

fn le64(v: &[u64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn stat_bytes(mode: u32, size: i64, rdev: u64) -> Vec<u8> {
    let mut b = vec![0u8; 144];
    b[0..8].copy_from_slice(&0x801u64.to_le_bytes());
    b[8..16].copy_from_slice(&1234u64.to_le_bytes());
    b[16..24].copy_from_slice(&1u64.to_le_bytes());
    b[24..28].copy_from_slice(&mode.to_le_bytes());
    b[40..48].copy_from_slice(&rdev.to_le_bytes());
    b[48..56].copy_from_slice(&size.to_le_bytes());
    b[56..64].copy_from_slice(&4096i64.to_le_bytes());
    b[64..72].copy_from_slice(&72i64.to_le_bytes());
    b
}

#[test]
fn stat_abbreviated_and_verbose() {
    let b = stat_bytes(0o100644, 33699, 0);
    assert_eq!(
        pure(structs::stat, &b, false),
        "{st_mode=S_IFREG|0644, st_size=33699, ...}"
    );
    let v = pure(structs::stat, &b, true);
    assert!(
        v.starts_with("{st_dev=makedev(0x8, 0x1), st_ino=1234, st_mode=S_IFREG|0644, st_nlink=1"),
        "{v}"
    );
    assert!(
        v.contains("st_size=33699, st_atime=0, st_atime_nsec=0"),
        "{v}"
    );
    let dev = stat_bytes(0o20666, 0, 0x103);
    assert_eq!(
        pure(structs::stat, &dev, false),
        "{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}"
    );
    let suid = stat_bytes(0o104755, 1, 0);
    assert!(pure(structs::stat, &suid, false).contains("S_IFREG|S_ISUID|0755"));
}

#[test]
fn rlimits_like_strace() {
    let b = le64(&[8192 * 1024, u64::MAX]);
    assert_eq!(
        pure(structs::rlimit, &b, false),
        "{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}"
    );
    let b = le64(&[1024, 20000]);
    assert_eq!(
        pure(structs::rlimit, &b, false),
        "{rlim_cur=1024, rlim_max=20000}"
    );
}

#[test]
fn times_and_timers() {
    assert_eq!(
        pure(structs::timespec, &le64(&[1, 5]), false),
        "{tv_sec=1, tv_nsec=5}"
    );
    assert_eq!(
        pure(structs::itimerval, &le64(&[0, 0, 2, 500_000]), false),
        "{it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=2, tv_usec=500000}}"
    );
    let pair = le64(&[0, 0, 9, structs::UTIME_OMIT as u64]);
    assert_eq!(
        pure(structs::timespec_pair, &pair, false),
        "[{tv_sec=0, tv_nsec=0}, UTIME_OMIT]"
    );
    let now = le64(&[0, structs::UTIME_NOW as u64, 1_234_567_890, 5]);
    let t = pure(structs::timespec_pair, &now, false);
    assert!(
        t.starts_with("[UTIME_NOW, {tv_sec=1234567890, tv_nsec=5} /* 2009-02-1"),
        "{t}"
    );
}

#[test]
fn sigaction_and_signal_sets() {
    let mut b = le64(&[1, 0x0400_0000 | 0x1000_0000, 0x7f00_0000_1234, 1 << 12]);
    assert_eq!(
        pure(structs::sigaction, &b, false),
        "{sa_handler=SIG_IGN, sa_mask=[PIPE], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f0000001234}"
    );
    b[8..16].copy_from_slice(&4u64.to_le_bytes());
    b[24..32].copy_from_slice(&((1u64 << 1) | (1 << 14)).to_le_bytes());
    assert_eq!(
        pure(structs::sigaction, &b, false),
        "{sa_handler=SIG_IGN, sa_mask=[INT TERM], sa_flags=SA_SIGINFO}"
    );
    let ev = SyscallEvent::new();
    let most = !((1u64 << 31) | (1 << 32));
    assert_eq!(
        text_of(&ev, &structs::sigset(&most.to_le_bytes())),
        "~[RTMIN RT_1]"
    );
    assert_eq!(text_of(&ev, &structs::sigset(&0u64.to_le_bytes())), "[]");
    assert_eq!(text_of(&ev, &structs::sigset(&[])), "[]");
}

#[test]
fn wait_statuses() {
    let ev = SyscallEvent::new();
    let t = |s: i32| text_of(&ev, &Value::WaitStatus(s));
    assert_eq!(t(0), "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]");
    assert_eq!(t(3 << 8), "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]");
    assert_eq!(t(9), "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]");
    assert_eq!(
        t(11 | 0x80),
        "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}]"
    );
    assert_eq!(t(0x137f), "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]");
    assert_eq!(t(0xffff), "[{WIFCONTINUED(s)}]");
    assert_eq!(
        t(0x3057f),
        "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP} | PTRACE_EVENT_CLONE << 16]"
    );
}

fn sockaddr_text(b: &[u8]) -> String {
    pure(net::sockaddr, b, false)
}

#[test]
fn socket_addresses() {
    let mut v4 = vec![2, 0, 0x15, 0x38, 127, 0, 0, 1];
    v4.extend([0; 8]);
    assert_eq!(
        sockaddr_text(&v4),
        "{sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr(\"127.0.0.1\")}"
    );
    let mut v6 = vec![10, 0, 0x14, 0xe9, 0, 0, 0, 0];
    v6.extend([0; 15]);
    v6.push(1);
    v6.extend([0; 4]);
    assert_eq!(
        sockaddr_text(&v6),
        "{sa_family=AF_INET6, sin6_port=htons(5353), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}"
    );
    let mut un = vec![1, 0];
    un.extend(b"/tmp/s\0");
    assert_eq!(
        sockaddr_text(&un),
        "{sa_family=AF_UNIX, sun_path=\"/tmp/s\"}"
    );
    let mut abs = vec![1, 0, 0];
    abs.extend(b"name");
    assert_eq!(
        sockaddr_text(&abs),
        "{sa_family=AF_UNIX, sun_path=@\"name\"}"
    );
    assert_eq!(sockaddr_text(&[1, 0]), "{sa_family=AF_UNIX}");
    let nl = [16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(
        sockaddr_text(&nl),
        "{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}"
    );
    assert_eq!(
        sockaddr_text(&[99, 0, 1, 2]),
        "{sa_family=0x63 /* AF_??? */, sa_data=\"\\1\\2\"}"
    );
    // Too short for the family: the bytes that are there.
    assert_eq!(
        sockaddr_text(&[2, 0, 1]),
        "{sa_family=AF_INET, sa_data=\"\\1\"}"
    );
}

#[test]
fn control_messages() {
    let mut b = Vec::new();
    b.extend(20u64.to_le_bytes());
    b.extend(1i32.to_le_bytes());
    b.extend(1i32.to_le_bytes());
    b.extend(5i32.to_le_bytes());
    b.extend([0; 4]);
    b.extend(28u64.to_le_bytes());
    b.extend(1i32.to_le_bytes());
    b.extend(2i32.to_le_bytes());
    b.extend(42i32.to_le_bytes());
    b.extend(0u32.to_le_bytes());
    b.extend(0u32.to_le_bytes());
    let mut ev = SyscallEvent::new();
    let v = {
        let mut cx = Cx::new(&mut ev.bytes);
        net::cmsgs(&b, &mut cx)
    };
    assert_eq!(
        text_of(&ev, &v),
        "[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}, {cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=42, uid=0, gid=0}}]"
    );
    // A zero length must not loop forever; a huge one must not overflow.
    let mut z = 0u64.to_le_bytes().to_vec();
    z.extend([1, 0, 0, 0, 1, 0, 0, 0]);
    let mut cx = Cx::new(&mut ev.bytes);
    let _ = net::cmsgs(&z, &mut cx);
    let mut h = u64::MAX.to_le_bytes().to_vec();
    h.extend([1, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0]);
    let _ = net::cmsgs(&h, &mut cx);
}

#[test]
fn poll_and_epoll() {
    let mut b = Vec::new();
    for (fd, ev, rev) in [(3i32, 1u16, 1u16), (-1, 4, 0), (4, 5, 0)] {
        b.extend(fd.to_le_bytes());
        b.extend(ev.to_le_bytes());
        b.extend(rev.to_le_bytes());
    }
    let mut e = SyscallEvent::new();
    let (entry, exit) = {
        let mut cx = Cx::new(&mut e.bytes);
        (
            structs::pollfd_array(&b, 3, false, &mut cx),
            structs::pollfd_array(&b, 3, true, &mut cx),
        )
    };
    assert_eq!(
        text_of(&e, &entry),
        "[{fd=3, events=POLLIN}, {fd=-1}, {fd=4, events=POLLIN|POLLOUT}]"
    );
    assert_eq!(text_of(&e, &exit), "[{fd=3, revents=POLLIN}]");
    let mut ep = (0x8000_0001u32).to_le_bytes().to_vec();
    ep.extend(0x1_0000_0007u64.to_le_bytes());
    assert_eq!(
        pure(structs::epoll_event, &ep, false),
        "{events=EPOLLIN|EPOLLET, data={u32=7, u64=4294967303}}"
    );
}

#[test]
fn statfs_and_dirents() {
    let mut b = vec![0u8; 120];
    b[0..8].copy_from_slice(&0x9fa0u64.to_le_bytes());
    b[8..16].copy_from_slice(&4096u64.to_le_bytes());
    b[56..60].copy_from_slice(&0x15u32.to_le_bytes());
    b[64..72].copy_from_slice(&255u64.to_le_bytes());
    b[72..80].copy_from_slice(&4096u64.to_le_bytes());
    b[80..88].copy_from_slice(&(32u64 | 4096).to_le_bytes());
    assert_eq!(
        pure(structs::statfs, &b, false),
        "{f_type=PROC_SUPER_MAGIC, f_bsize=4096, f_blocks=0, f_bfree=0, f_bavail=0, f_files=0, f_ffree=0, f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}"
    );
    let mut d = Vec::new();
    for name in [&b"."[..], b"..", b"file"] {
        let reclen = (19 + name.len() + 1).div_ceil(8) * 8;
        let mut rec = vec![0u8; reclen];
        rec[0..8].copy_from_slice(&7u64.to_le_bytes());
        rec[16..18].copy_from_slice(&(reclen as u16).to_le_bytes());
        rec[18] = 4;
        rec[19..19 + name.len()].copy_from_slice(name);
        d.extend(rec);
    }
    assert_eq!(structs::dirent_count(&d), 3);
    assert_eq!(structs::dirent_count(&d[..10]), 0);
    let mut e = SyscallEvent::new();
    let v = {
        let mut cx = Cx::new(&mut e.bytes);
        structs::dirents(&d, true, &mut cx)
    };
    assert!(
        text_of(&e, &v)
            .starts_with("[{d_ino=7, d_off=0, d_reclen=24, d_type=DT_DIR, d_name=\".\"}"),
        "{}",
        text_of(&e, &v)
    );
}

#[test]
fn masks_and_sets() {
    let e = SyscallEvent::new();
    assert_eq!(text_of(&e, &structs::cpu_mask(&[3, 0, 0, 0])), "[0 1]");
    assert_eq!(text_of(&e, &structs::bit_list(&[0x18], 5)), "[3 4]");
    assert_eq!(text_of(&e, &structs::bit_list(&[0x18], 4)), "[3]");
}

fn event(name: &str, args: [u64; 6]) -> SyscallEvent {
    let mut ev = SyscallEvent::new();
    ev.arch = Arch::X86_64;
    ev.syscall = sysgate_kb::by_name(name);
    ev.args = args;
    ev
}

fn run_call(ev: &mut SyscallEvent, mem: &mut FakeMem, ret: i64, opts: &DecodeOptions) -> String {
    decode_entry_with(ev, mem, opts);
    ev.ret = ret;
    ev.is_error = ret < 0 && ret > -4096;
    ev.phase = Phase::Completed;
    decode_exit_with(ev, mem, opts);
    let mut s = String::new();
    render::syscall_line_into(ev, &mut s);
    s
}

#[test]
fn whole_calls_through_fake_memory() {
    let opts = DecodeOptions::default();
    let mut mem = FakeMem::default();
    let path = mem.map(0x1000, b"/etc/x\0");
    let st = mem.map(0x2000, &stat_bytes(0o100644, 5, 0));
    let mut ev = event("newfstatat", [(-100i64) as u64, path, st, 0, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, 0, &opts),
        "newfstatat(AT_FDCWD, \"/etc/x\", {st_mode=S_IFREG|0644, st_size=5, ...}, 0) = 0"
    );
    // On failure the output structure prints as its address.
    let mut ev = event("newfstatat", [(-100i64) as u64, path, st, 0, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, -2, &opts),
        "newfstatat(AT_FDCWD, \"/etc/x\", 0x2000, 0) = -1 ENOENT (No such file or directory)"
    );
    // fcntl: no argument for F_GETFL, flags note on the return value.
    let mut ev = event("fcntl", [3, 3, 0xdead, 0, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, 0x8002, &opts),
        "fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)"
    );
    // futex: only the arguments the operation uses.
    let mut ev = event("futex", [0x3000, 129, 1, 0, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, 0, &opts),
        "futex(0x3000, FUTEX_WAKE_PRIVATE, 1) = 0"
    );
    // accept4 with an in/out address length.
    let addr = mem.map(
        0x4000,
        &[2, 0, 0x15, 0x38, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    let len = mem.map(0x5000, &16u32.to_le_bytes());
    let mut ev = event("accept4", [3, addr, len, 0x80000, 0, 0]);
    decode_entry_with(&mut ev, &mut mem, &opts);
    ev.saved[2] = Some(128);
    ev.ret = 5;
    ev.phase = Phase::Completed;
    decode_exit_with(&mut ev, &mut mem, &opts);
    let mut s = String::new();
    render::syscall_line_into(&ev, &mut s);
    assert_eq!(
        s,
        "accept4(3, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16], SOCK_CLOEXEC) = 5"
    );
    // writev with its iovecs.
    let data = mem.map(0x6000, b"hello world");
    let mut iov = le64(&[data, 5, data + 5, 6]);
    iov.truncate(32);
    let iovs = mem.map(0x7000, &iov);
    let mut ev = event("writev", [1, iovs, 2, 0, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, 11, &opts),
        "writev(1, [{iov_base=\"hello\", iov_len=5}, {iov_base=\" world\", iov_len=6}], 2) = 11"
    );
    // A huge count is capped, not followed.
    let mut ev = event("writev", [1, iovs, u64::MAX, 0, 0, 0]);
    let line = run_call(&mut ev, &mut mem, 11, &opts);
    assert!(line.starts_with("writev(1, [{iov_base=\"hello\""), "{line}");
    // getrandom in hex.
    let rnd = mem.map(0x8000, &[0x3c, 0x67]);
    let mut ev = event("getrandom", [rnd, 2, 1, 0, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, 2, &opts),
        "getrandom(\"\\x3c\\x67\", 2, GRND_NONBLOCK) = 2"
    );
    // clone's named arguments.
    let mut ev = event("clone", [0x0120_0011, 0, 0, 0x9000, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, 77, &opts),
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x9000) = 77"
    );
    // prctl: only the arguments the option uses.
    let name = mem.map(0xa000, b"worker\0");
    let mut ev = event("prctl", [15, name, 0, 0, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, 0, &opts),
        "prctl(PR_SET_NAME, \"worker\") = 0"
    );
    // Unknown enum values print like strace's `0x… /* PREFIX_??? */`.
    let mut ev = event("prlimit64", [0, 999, 0, 0xb000, 0, 0]);
    assert_eq!(
        run_call(&mut ev, &mut mem, -22, &opts),
        "prlimit64(0, 0x3e7 /* RLIMIT_??? */, NULL, 0xb000) = -1 EINVAL (Invalid argument)"
    );
}

#[test]
fn xlat_styles() {
    let mut mem = FakeMem::default();
    let path = mem.map(0x1000, b"/x\0");
    for (xlat, want) in [
        (
            Xlat::Abbrev,
            "openat(AT_FDCWD, \"/x\", O_RDONLY|O_CLOEXEC) = 3",
        ),
        (Xlat::Raw, "openat(-100, \"/x\", 0x80000) = 3"),
        (
            Xlat::Verbose,
            "openat(-100 /* AT_FDCWD */, \"/x\", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 3",
        ),
    ] {
        let opts = DecodeOptions {
            xlat,
            ..DecodeOptions::default()
        };
        let mut ev = event("openat", [(-100i64) as u64, path, 0x80000, 0, 0, 0]);
        assert_eq!(run_call(&mut ev, &mut mem, 3, &opts), want);
    }
}

#[test]
fn hostile_inputs_are_refused_not_trusted() {
    // Every pure decoder on every prefix of a plausible structure: None or a value, no panic.
    let mut rng = Rng(7);
    let big = rng.bytes(400);
    for (name, f) in structs::all_pure().into_iter().chain(net::all_pure()) {
        for n in 0..big.len() {
            let mut ev = SyscallEvent::new();
            let mut cx = Cx::new(&mut ev.bytes);
            let _ = f(&big[..n], &mut cx);
            let _ = name;
        }
    }
    // Short inputs give None for fixed structures.
    let mut arena = Vec::new();
    let mut cx = Cx::new(&mut arena);
    assert!(structs::stat(&[0; 10], &mut cx).is_none());
    assert!(structs::rlimit(&[0; 15], &mut cx).is_none());
    assert!(structs::siginfo(&[], &mut cx).is_none());
    // Lengths beyond what was read are not trusted.
    let e = SyscallEvent::new();
    let v = structs::bit_list(&[0xff], 1_000_000);
    assert_eq!(text_of(&e, &v), "[0 1 2 3 4 5 6 7]");
}

#[test]
fn random_bytes_never_panic_any_pure_decoder() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let decoders: Vec<_> = structs::all_pure()
        .into_iter()
        .chain(net::all_pure())
        .collect();
    for case in 0..6000 {
        let len = rng.below(300) as usize;
        let b = rng.bytes(len);
        let (_, f) = decoders[case % decoders.len()];
        let mut ev = SyscallEvent::new();
        let verbose = rng.below(2) == 0;
        let v = {
            let mut cx = Cx::new(&mut ev.bytes);
            cx.verbose = verbose;
            cx.limit = rng.below(64) as usize;
            f(&b, &mut cx)
        };
        if let Some(v) = v {
            let t = text_of(&ev, &v);
            assert!(!t.is_empty());
            let j = json_of(&ev, &v);
            assert!(serde_json_like(&j), "bad JSON {j}");
        }
        // Free-standing helpers too.
        let _ = structs::dirent_count(&b);
        let mut cx = Cx::new(&mut ev.bytes);
        let _ = structs::dirents(&b, case % 2 == 0, &mut cx);
        let _ = structs::pollfd_array(&b, rng.next() as usize, case % 3 == 0, &mut cx);
        let _ = structs::sembuf(&b);
        let _ = structs::msgbuf(&b, rng.next() as usize, &mut cx);
        let _ = net::cmsgs(&b, &mut cx);
        let _ = structs::cpu_mask(&b);
        let _ = structs::bit_list(&b, rng.next() as usize);
        let _ = structs::sigset(&b);
        let _ = structs::siginfo_struct(&b);
    }
}

/// A cheap well-formedness check (balanced brackets outside strings), since serde_json is not
/// a dependency of this crate.
fn serde_json_like(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut esc = false;
    for c in s.chars() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '{' | '[' => depth += 1,
            '}' | ']' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && !in_str
}

#[test]
fn random_calls_through_random_memory_never_panic() {
    let mut rng = Rng(0xfeed_beef_0000_0042);
    let all: Vec<&'static sysgate_kb::Syscall> = sysgate_kb::all().iter().collect();
    for case in 0..4000 {
        let mut mem = FakeMem::default();
        // A few regions with random bytes, some pointing into each other.
        let bases = [0x10_000u64, 0x20_000, 0x30_000];
        for (k, base) in bases.iter().enumerate() {
            let len = rng.below(600) as usize;
            let mut b = rng.bytes(len);
            // Sprinkle pointers to the regions so decoders follow them.
            for chunk in b.chunks_exact_mut(8).step_by(3) {
                let target = bases[(k + chunk[0] as usize) % 3] + rng.below(64);
                chunk.copy_from_slice(&target.to_le_bytes());
            }
            mem.map(*base, &b);
        }
        let sc = all[case % all.len()];
        let mut ev = SyscallEvent::new();
        ev.arch = if case % 7 == 0 {
            Arch::I386
        } else {
            Arch::X86_64
        };
        ev.syscall = Some(sc);
        for a in ev.args.iter_mut() {
            *a = match rng.below(5) {
                0 => 0,
                1 => bases[rng.below(3) as usize] + rng.below(700),
                2 => rng.below(64),
                3 => u64::MAX - rng.below(4),
                _ => rng.next(),
            };
        }
        ev.stack_pointer = bases[rng.below(3) as usize];
        let opts = DecodeOptions {
            string_limit: rng.below(80) as usize,
            verbose: rng.below(2) == 0,
            ..DecodeOptions::default()
        };
        decode_entry_with(&mut ev, &mut mem, &opts);
        let mut s = String::new();
        render::syscall_line_into(&ev, &mut s);
        ev.ret = match rng.below(3) {
            0 => -(rng.below(140) as i64),
            1 => rng.below(1000) as i64,
            _ => rng.next() as i64,
        };
        ev.is_error = ev.ret < 0 && ev.ret > -4096;
        ev.phase = Phase::Completed;
        decode_exit_with(&mut ev, &mut mem, &opts);
        s.clear();
        render::syscall_line_into(&ev, &mut s);
        assert!(s.starts_with(sc.name) || s.starts_with('['), "{s}");
        let mut j = String::new();
        json::syscall_into(&ev, &mut j);
        assert!(serde_json_like(&j), "{}: bad JSON {j}", sc.name);
        assert!(ev.decoded.iter().all(|v| *v != Value::Pending), "{s}");
    }
}

#[test]
fn reads_and_writes_on_chosen_descriptors_are_dumped_as_strace_dumps_them() {
    let reads: &'static dump::FdSet = Box::leak(Box::new(dump::FdSet::parse("0").unwrap()));
    let writes: &'static dump::FdSet = Box::leak(Box::new(dump::FdSet::parse("1").unwrap()));
    let opts = DecodeOptions {
        dump_read: Some(reads),
        dump_write: Some(writes),
        ..DecodeOptions::default()
    };
    let dumped = |ev: &SyscallEvent| {
        let mut s = String::new();
        render::dumps_into(ev, &mut s);
        s
    };
    let mut mem = FakeMem::default();
    let buf = mem.map(0x1000, b"0123456789abcde");
    // A write dumps what it was given; the same call on fd 2 is not dumped.
    let mut ev = event("write", [1, buf, 15, 0, 0, 0]);
    run_call(&mut ev, &mut mem, 15, &opts);
    assert_eq!(
        dumped(&ev),
        " | 00000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65     0123456789abcde  |\n"
    );
    let mut ev = event("write", [2, buf, 15, 0, 0, 0]);
    run_call(&mut ev, &mut mem, 15, &opts);
    assert_eq!(dumped(&ev), "");
    // A read dumps only what it returned, and nothing when it failed.
    let mut ev = event("read", [0, buf, 15, 0, 0, 0]);
    run_call(&mut ev, &mut mem, 3, &opts);
    assert_eq!(
        dumped(&ev),
        " | 00000  30 31 32                                          012              |\n"
    );
    let mut ev = event("read", [0, buf, 15, 0, 0, 0]);
    run_call(&mut ev, &mut mem, -14, &opts);
    assert_eq!(dumped(&ev), "");
    // readv: buffer by buffer, up to the bytes returned.
    let a = mem.map(0x3000, &[0u8; 20]);
    let mut iov = Vec::new();
    for (base, len) in [(buf, 4u64), (a, 20)] {
        iov.extend_from_slice(&base.to_le_bytes());
        iov.extend_from_slice(&len.to_le_bytes());
    }
    let iov = mem.map(0x4000, &iov);
    let mut ev = event("readv", [0, iov, 2, 0, 0, 0]);
    run_call(&mut ev, &mut mem, 21, &opts);
    assert_eq!(
        dumped(&ev),
        " * 4 bytes in buffer 0\n | 00000  30 31 32 33                                       0123             |\n * 17 bytes in buffer 1\n | 00000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  ................ |\n | 00010  00                                                .                |\n"
    );
    // A buffer that is unreadable from the start prints nothing.
    let mut ev = event("write", [1, 0x9000, 4, 0, 0, 0]);
    run_call(&mut ev, &mut mem, -14, &opts);
    assert_eq!(dumped(&ev), "");
}
