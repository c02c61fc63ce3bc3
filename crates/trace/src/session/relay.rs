//! What sysgate does with the signals a user or a service manager sends it.
//!
//! A supervisor that dies, or kills its program, on SIGTERM turns every graceful shutdown into a
//! crash: the program never runs its shutdown path (so a recording never contains it) and a
//! confined service cannot stop cleanly. So sysgate passes SIGINT, SIGTERM, SIGHUP, SIGQUIT,
//! SIGUSR1 and SIGUSR2 on to the program it started (to its process group when it leads one)
//! and keeps tracing until the program exits by itself; its exit status stays the program's. A
//! second SIGINT, SIGTERM or SIGQUIT, or `--kill-after` expiring, kills it. With no program of
//! its own (attached with `-p`, or watching), the first signal makes sysgate stop and detach.
//!
//! No signal is lost: the signals are blocked in every thread and taken by one thread with
//! `sigtimedwait`, so one that arrives while the tracer is busy waits in the kernel's pending set
//! instead of racing a flag check. When the tracer itself must act (detach, kill), the relay sets
//! [`INTERRUPTED`] and pokes the tracer thread with a harmless signal until the tracer
//! acknowledges, so a tracer blocked in `waitpid` wakes up.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Set by the relay when the tracer must act: detach from attached
/// processes, or kill (SIGKILL) what it started. 0 = nothing asked.
pub static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

/// The signals passed on to the program.
pub const FORWARDED: &[i32] = &[
    libc::SIGINT,
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

/// The signal that wakes the tracer thread (ignored by default, never sent to programs).
const WAKE: i32 = libc::SIGURG;

/// The process sysgate started, 0 while there is none.
static TARGET: AtomicI32 = AtomicI32::new(0);
/// The tracer thread to wake.
static TRACER: AtomicI32 = AtomicI32::new(0);
/// Set by the tracer once it has seen [`INTERRUPTED`].
static ACKED: AtomicBool = AtomicBool::new(true);
/// `--kill-after` in milliseconds, 0 for never.
static KILL_AFTER_MS: AtomicU64 = AtomicU64::new(0);
/// sysgate starts the program: signals before it exists wait for it ([`PENDING`]).
static SPAWNS: AtomicBool = AtomicBool::new(false);
/// Signals (bit N for signal N) that arrived before the program existed.
static PENDING: AtomicU64 = AtomicU64::new(0);
static INSTALL: Once = Once::new();

extern "C" fn on_wake(_: libc::c_int) {}

fn signal_set(sigs: &[i32]) -> libc::sigset_t {
    // SAFETY: sigemptyset/sigaddset initialise and fill a local set.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for &s in sigs {
            libc::sigaddset(&mut set, s);
        }
        set
    }
}

/// Starts relaying: blocks [`FORWARDED`] in this thread (and so in every thread it starts from
/// now on) and starts the relay thread. Call it from the thread that will trace, before it
/// starts other threads. `kill_after` kills the program that long after the first request to
/// stop it. `spawns` says whether sysgate starts the program (signals are passed on) or attaches
/// (the first signal detaches). Calling it again only updates the settings.
pub fn install(kill_after: Option<Duration>, spawns: bool) {
    SPAWNS.store(spawns, Ordering::Relaxed);
    KILL_AFTER_MS.store(
        kill_after.map_or(0, |d| d.as_millis().max(1) as u64),
        Ordering::Relaxed,
    );
    INSTALL.call_once(|| {
        // SAFETY: gettid has no arguments.
        TRACER.store(unsafe { libc::gettid() }, Ordering::Relaxed);
        let set = signal_set(FORWARDED);
        // SAFETY: the handler only returns (async-signal-safe); no SA_RESTART, so the tracer's
        // waitpid returns EINTR. pthread_sigmask reads a live local set.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_wake as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(WAKE, &sa, std::ptr::null_mut());
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        }
        std::thread::Builder::new()
            .name("sysgate-signals".into())
            .spawn(move || relay(set))
            .expect("start the signal relay thread");
    });
}

/// The program sysgate started (spawners call this right after `fork`). Signals that arrived
/// before it existed are passed on now.
pub fn set_target(pid: i32) {
    TARGET.store(pid, Ordering::Relaxed);
    let pending = PENDING.swap(0, Ordering::Relaxed);
    for &sig in FORWARDED {
        if pending & (1 << sig) != 0 {
            kill(pid, sig);
        }
    }
}

/// The tracer has seen [`INTERRUPTED`] and acted on it.
pub fn ack() {
    ACKED.store(true, Ordering::Relaxed);
}

/// The signal mask a program must start with: nothing blocked. Used between `fork` and `execve`
/// (async-signal-safe).
///
/// # Safety
/// Only in a forked child before `execve`.
pub unsafe fn unblock_all() {
    // SAFETY: a zeroed sigset_t is the empty set on Linux; sigprocmask reads it during the call.
    unsafe {
        let empty: libc::sigset_t = std::mem::zeroed();
        libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
    }
}

/// Asks the tracer to act on `sig` and pokes it until it does.
fn interrupt(sig: i32) {
    ACKED.store(false, Ordering::Relaxed);
    INTERRUPTED.store(sig, Ordering::Relaxed);
    let tracer = TRACER.load(Ordering::Relaxed);
    // SAFETY: getpid has no arguments.
    let me = unsafe { libc::getpid() };
    for _ in 0..500 {
        if ACKED.load(Ordering::Relaxed) {
            return;
        }
        // SAFETY: tgkill with integer arguments; the target is a thread of this process.
        unsafe { libc::syscall(libc::SYS_tgkill, me, tracer, WAKE) };
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn kill(pid: i32, sig: i32) -> bool {
    // SAFETY: kill with integer arguments.
    unsafe { libc::kill(pid, sig) == 0 }
}

/// Passes `sig` to the program: to its process group when it leads one, else to it alone.
/// A signal the terminal sent to the whole foreground group already reached a program that
/// shares sysgate's group, and is not sent twice.
fn forward(target: i32, sig: i32, info: &libc::siginfo_t) {
    // SAFETY: getpgid/getpgrp with integer arguments.
    let (pgid, ours) = unsafe { (libc::getpgid(target), libc::getpgrp()) };
    let from_tty = info.si_code == libc::SI_KERNEL;
    if from_tty && pgid == ours {
        return;
    }
    if pgid == target {
        kill(-target, sig);
    } else {
        kill(target, sig);
    }
}

/// A line on stderr; a closed stderr is no reason to stop relaying.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn name(sig: i32) -> &'static str {
    match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGUSR1 => "SIGUSR1",
        libc::SIGUSR2 => "SIGUSR2",
        _ => "signal",
    }
}

fn relay(set: libc::sigset_t) {
    let mut stopping_since: Option<Instant> = None;
    loop {
        let kill_after = match KILL_AFTER_MS.load(Ordering::Relaxed) {
            0 => None,
            ms => Some(Duration::from_millis(ms)),
        };
        if let (Some(since), Some(limit)) = (stopping_since, kill_after)
            && since.elapsed() >= limit
        {
            let target = TARGET.load(Ordering::Relaxed);
            say(&format!(
                "sysgate: pid {target} still running {:.1} s after it was asked to stop; killing it (--kill-after)",
                limit.as_secs_f64()
            ));
            stopping_since = None;
            interrupt(libc::SIGKILL);
            continue;
        }
        let timeout = libc::timespec {
            tv_sec: 0,
            tv_nsec: 100_000_000,
        };
        // SAFETY: a zeroed siginfo_t is a valid output buffer; the set and timeout are locals.
        let (sig, info) = unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let sig = libc::sigtimedwait(&set, &mut info, &timeout);
            (sig, info)
        };
        if sig <= 0 {
            continue;
        }
        let target = TARGET.load(Ordering::Relaxed);
        if target == 0 && SPAWNS.load(Ordering::Relaxed) {
            // The program is not started yet: it gets the signal when it is.
            PENDING.fetch_or(1 << sig, Ordering::Relaxed);
            if TARGET.load(Ordering::Relaxed) != 0 {
                set_target(TARGET.load(Ordering::Relaxed));
            }
            continue;
        }
        if target == 0 {
            // Attached or watching: stop and detach.
            interrupt(sig);
            continue;
        }
        let terminating = matches!(sig, libc::SIGINT | libc::SIGTERM | libc::SIGQUIT);
        if terminating && stopping_since.is_some() {
            say(&format!(
                "sysgate: {} again: killing pid {target}",
                name(sig)
            ));
            interrupt(libc::SIGKILL);
            continue;
        }
        forward(target, sig, &info);
        if terminating {
            stopping_since = Some(Instant::now());
        }
    }
}

/// Parses a duration such as `10s`, `500ms`, `2m` or `1.5` (seconds).
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let v: f64 = num
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    let secs = match unit {
        "ms" => v / 1000.0,
        "s" => v,
        "m" => v * 60.0,
        "h" => v * 3600.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("-1s"), None);
        assert_eq!(parse_duration("3d"), None);
    }
}
