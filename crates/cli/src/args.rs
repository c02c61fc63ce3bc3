//! Command-line syntax. Parsing only: validation happens in each command before any work starts.

use clap::{Args, Parser, Subcommand};

/// See, cost and lock down the system calls of a Linux program.
#[derive(Debug, Parser)]
#[command(
    name = "sysgate",
    version,
    about,
    long_about = None,
    after_help = "Exit status: the traced program's status for commands that run one (128+N when it \
died of signal N); otherwise 0 on success, 1 on an error, 2 on a usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Describe a syscall: numbers per architecture, typed arguments, category, idempotence.
    #[command(
        after_help = "Examples:\n  sysgate explain openat\n  sysgate explain 56 --arch aarch64\n  \
sysgate explain --list --category network\n  sysgate explain --list --arch aarch64 --json"
    )]
    Explain(ExplainArgs),
    /// Trace the system calls of a program, like strace: `sysgate trace -- ls /`.
    #[command(
        after_help = "Examples:\n  sysgate trace -- ls /\n  sysgate trace -f -e trace=openat,%network -o out.txt -- curl localhost:8080\n  \
sysgate trace -c -- python3 -c pass\n  sysgate trace -p 1234 -T -tt\n  sysgate trace --json -e status=failed -- make\n\n\
Classes for -e trace=: %file %desc %network %process %memory %ipc %signal %creds %clock %stat, and the \
categories %descriptor %time %sync %security %system %io_uring %other (see `sysgate explain --list`).\n\n\
When -e trace= selects a subset, the tracee gets a seccomp filter that stops it only for the selected \
calls, so everything else runs at full speed (--no-seccomp turns this off).\n\n\
Exit status: the traced program's exit code, or 128+N when it died of signal N; 127 when the command \
is not found, 126 when it is not executable, 1 on other errors.",
        trailing_var_arg = true
    )]
    Trace(TraceArgs),
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Attach to running processes (all their threads); repeat or separate with commas.
    #[arg(short = 'p', long = "pid", value_name = "PID", value_delimiter = ',')]
    pub pids: Vec<String>,
    /// Write the trace to FILE instead of standard error.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Filter expression: `trace=NAME,%CLASS,…` (or just the list), `status=failed|successful`.
    #[arg(short = 'e', value_name = "EXPR")]
    pub expr: Vec<String>,
    /// Show only failed calls (same as -e status=failed).
    #[arg(short = 'Z', long = "failed-only")]
    pub failed_only: bool,
    /// Show only successful calls (same as -e status=successful).
    #[arg(short = 'z', long = "successful-only")]
    pub successful_only: bool,
    /// Bytes of strings and buffers to show.
    #[arg(
        short = 's',
        long = "string-limit",
        value_name = "N",
        default_value_t = 32
    )]
    pub string_limit: usize,
    /// Show the time spent in each call.
    #[arg(short = 'T', long = "syscall-times")]
    pub durations: bool,
    /// Prefix lines with the time of day; -tt adds microseconds, -ttt prints epoch seconds.
    #[arg(short = 't', action = clap::ArgAction::Count)]
    pub timestamps: u8,
    /// Show what file descriptors refer to: 3</etc/passwd>.
    #[arg(short = 'y', long = "decode-fds")]
    pub fd_paths: bool,
    /// Count calls, errors and time per syscall and print a table at the end instead of a trace.
    #[arg(short = 'c', long = "summary-only")]
    pub count: bool,
    /// Follow children and threads (the default; accepted so strace habits work, also as -ff).
    #[arg(short = 'f', action = clap::ArgAction::Count)]
    pub follow: u8,
    /// Trace only the first process, not its children or threads.
    #[arg(long = "no-follow")]
    pub no_follow: bool,
    /// Print environments and structures in full.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// Print one JSON object per event (JSON Lines); with -c, the table as JSON.
    #[arg(long)]
    pub json: bool,
    /// Stop on every syscall even when -e trace= selects a few (no seccomp filter in the tracee).
    #[arg(long = "no-seccomp")]
    pub no_seccomp: bool,
    /// The program to run and its arguments.
    #[arg(value_name = "CMD", allow_hyphen_values = true)]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Syscall names or numbers (numbers are looked up on --arch).
    #[arg(value_name = "SYSCALL")]
    pub syscalls: Vec<String>,
    /// List every syscall of the architecture instead.
    #[arg(long)]
    pub list: bool,
    /// Architecture for numbers and --list: x86_64, aarch64 or i386 [default: this machine's].
    #[arg(long, value_name = "ARCH")]
    pub arch: Option<String>,
    /// With --list, only this category (file, descriptor, network, process, memory, ipc, signal,
    /// time, sync, security, system, io_uring, other).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
