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
sysgate trace -c -- python3 -c pass\n  sysgate trace -p 1234 -T -tt\n  sysgate trace --json -e status=failed -- make\n  \
sysgate trace -c --backend ebpf -- ./server        # in-kernel counts, the server never stops\n  \
sysgate trace --backend ebpf --all --comm nginx    # every nginx process, until Ctrl-C\n\n\
Classes for -e trace=: %file %desc %network %process %memory %ipc %signal %creds %clock %stat, and the \
categories %descriptor %time %sync %security %system %io_uring %other (see `sysgate explain --list`).\n\n\
When -e trace= selects a subset, the tracee gets a seccomp filter that stops it only for the selected \
calls, so everything else runs at full speed (--no-seccomp turns this off).\n\n\
Exit status: the traced program's exit code, or 128+N when it died of signal N; 127 when the command \
is not found, 126 when it is not executable, 1 on other errors.",
        trailing_var_arg = true
    )]
    Trace(TraceArgs),
    /// Run a program again and again with realistic syscall failures injected, one class at
    /// a time, and report where it mishandles them (crash, hang, silent data loss, ignored
    /// error, retry storm).
    #[command(
        after_help = "Examples:\n  sysgate chaos -- ./copy in.dat out.dat\n  \
sysgate chaos --classes short-write,enospc,eio-fsync --runs 3 -- ./app --selftest\n  \
sysgate chaos --json --timeout 10s -- make test\n\n\
Classes: short-write, short-read (the call moves half the bytes asked for), eintr (every other \
read/write on a pipe, socket or terminal, and blocking waits, fail with EINTR), eagain (every other \
call on a non-blocking descriptor fails with EAGAIN), enospc (a write to a file), eio-fsync, eio-close \
(a file's close), enomem (the program's largest mapping), econnreset (socket I/O). The first run is \
the baseline; each later run injects one class at a position chosen by --seed, and its exit status, \
standard output and the files it wrote are compared with the baseline's. See docs/chaos.md.\n\n\
Exit status: 0 when every class was handled, 3 when at least one mishandling was found, 1 on errors.",
        trailing_var_arg = true
    )]
    Chaos(ChaosArgs),
    /// Record a program's syscalls to a compact trace file to analyse later.
    #[command(
        after_help = "Examples:\n  sysgate record -o run.sgt -- ./server --port 8080\n  sysgate record -p 1234\n  \
sysgate summary run.sgt\n  sysgate export run.sgt > run.jsonl\n  \
sysgate record --backend ebpf --cgroup /sys/fs/cgroup/system.slice/app.service -o /var/lib/sysgate/app --rotate 256M,1h --keep 48\n  \
sysgate record --backend ebpf --all --aggregates-only -o /var/lib/sysgate/host --rotate 10m --keep 144\n\n\
Takes the same capture options as `trace`. Events go to a binary .sgt file (format: \
docs/trace-format.md); if sysgate or the machine dies mid-recording, the file keeps what was \
written and readers say where it was cut.\n\n\
With --rotate, -o names a directory: each file is sealed (footer written, fsynced, renamed from \
.sgt.part to .sgt) when it is full or old enough, and when sysgate stops (the program ends, \
SIGINT or SIGTERM), so a reader never sees half a file (docs/continuous.md).\n\n\
Exit status: the traced program's, as for `trace`.",
        trailing_var_arg = true
    )]
    Record(RecordArgs),
    /// Summarise syscalls: per syscall, category, process, file or socket, errors, latency, rate.
    #[command(
        after_help = "Examples:\n  sysgate summary run.sgt\n  sysgate summary -- python3 -c pass\n  \
sysgate summary run.sgt --section errors,files --top 10\n  sysgate summary run.sgt --json | jq .latency\n  \
sysgate summary --backend ebpf -- ./load-test\n  sysgate summary --backend ebpf --cgroup /sys/fs/cgroup/system.slice/app.service\n  \
sysgate summary web1.sgt web2.sgt captures/      # several recordings, merged\n\n\
With a FILE the summary is computed from a recording; with `-- CMD` (and the capture options of \
`trace`) the program is traced live. Both give the same numbers for the same run.\n\n\
Several recordings (files, directories of *.sgt, patterns) are merged: the tables add up, \
processes are kept apart per recording and named by host, and the `recordings` and `hosts` \
sections give each recording's and each host's own numbers.\n\n\
With --backend ebpf and no --section, the kernel aggregates (syscalls, categories, processes, \
latency from a log2 histogram, so percentiles are within a factor of √2) and nothing is streamed; \
asking for files, errors, rate or threads streams every call instead."
    )]
    Summary(SummaryArgs),
    /// One self-contained HTML page: overview, findings, a per-thread timeline, latency
    /// histograms, calls over time, categories, files, errors and call sites.
    #[command(
        after_help = "Examples:\n  sysgate record -o run.sgt -- ./app && sysgate report run.sgt -o run.html\n  \
sysgate report -o run.html -- ./app --selftest\n  sysgate report run.sgt -o - > run.html\n  \
sysgate report base.sgt new.sgt -o cmp.html          # BASE NEW: the comparison\n  \
sysgate report web1.sgt web2.sgt web3.sgt -o all.html # three or more (or --merge, or a directory): merged\n\n\
The page needs no network: data, styles and the script that draws the charts are inside it, \
so it opens from file:// and works as a CI artifact. The timeline draws every call of a small \
run; a larger one is sampled evenly (one call in 2, 4, 8… so that at most --timeline-calls are \
drawn), with every failed call and signal kept, and the page says so. Scroll to zoom, drag to \
pan, double-click to reset; hover a call for its strace line.\n\n\
Three or more recordings, a directory of them, or two with --merge give one merged page: the \
merged summary and findings (each tagged with its host or recording), a Recordings table, and \
the threads of every recording on the timeline, labelled with their host."
    )]
    Report(ReportArgs),
    /// Convert a recording to JSON Lines (the schema of `trace --json`), strace text, folded
    /// stacks or a Perfetto trace.
    #[command(
        after_help = "Examples:\n  sysgate export run.sgt > run.jsonl\n  sysgate export run.sgt --format text | less\n  \
duckdb -c \"select name, count(*) from read_json_auto('run.jsonl') where type='syscall' group by 1 order by 2 desc\"\n  \
sysgate export run.sgt --format perfetto -o run.pftrace    # open it in https://ui.perfetto.dev\n  \
trace_processor run.pftrace                                # SQL over the calls (docs/perfetto.md)\n  \
sysgate export host1/*.sgt host2/*.sgt --format parquet -o fleet/   # Hive partitions host=/date=\n  \
duckdb -c \"select syscall, sum(calls) from 'fleet/aggregates/**/*.parquet' group by 1 order by 2 desc\""
    )]
    Export(ExportArgs),
    /// Generate a least-privilege seccomp profile (OCI JSON) from one or more recordings.
    #[command(
        after_help = "Examples:\n  sysgate record -o t1.sgt -- ./server --selftest\n  \
sysgate profile t1.sgt t2.sgt -o server.json\n  sysgate profile --explain server.json t1.sgt t2.sgt\n  \
sysgate profile --update server.json --from-violations run.log\n  docker run --security-opt seccomp=server.json …\n\n\
The output is the `linux.seccomp` object of the OCI runtime spec (docker, podman, runc, crun, \
Kubernetes). Syscalls the program used are allowed; with --args safe (the default) socket domains, \
ioctl requests (low 32 bits, so high bits cannot smuggle TIOCSTI), clone namespace flags, prctl \
options and personality values are pinned to what was seen. Newer syscalls whose older twin was used \
(openat2, faccessat2, statx, close_range, rseq…) fail with ENOSYS so libc falls back; clone3 always \
does, since its flags are behind a pointer no filter reads, and clone may never ask for CLONE_UNTRACED. \
io_uring is refused unless --allow-io-uring.\n\n\
With -o FILE.json, the Landlock layer goes to FILE.landlock.json: the paths the program opened, \
created, removed and executed (file by file, with whole trees for /usr, /lib, /proc and /sys and for \
directories it made things in), the TCP ports it bound and connected to, and whether signals and \
abstract unix sockets can be kept inside the sandbox. `sysgate run` applies both."
    )]
    Profile(ProfileArgs),
    /// Run a program under a seccomp profile; report every call it refuses.
    #[command(
        after_help = "Examples:\n  sysgate run --profile server.json -- ./server\n  \
sysgate run --profile server.json --learn --log run.log -- ./server\n  \
sysgate run --profile server.json --keep-fd 3 --summary -- ./worker\n\n\
The filter is installed in the child right before execve, with no_new_privs and TSYNC; other \
architectures (i386 int 0x80) and x32 numbers are refused unless the profile lists them. Inherited \
descriptors other than 0, 1, 2 are closed first (an inherited connected socket is a way out of any \
syscall filter); --keep-fd passes one on. Refused calls stop for a supervisor that prints them with \
their arguments, then fail with the profile's errno; the kernel enforces even if the supervisor dies.\n\n\
The Landlock layer beside the profile (FILE.landlock.json, written by `sysgate profile`) confines \
paths, TCP ports, signals and abstract unix sockets; without one the program still gets a Landlock \
domain, which keeps it from ptrace, /proc/PID/mem and signals to processes outside the sandbox. \
Capabilities other than a service's basic set are dropped (--keep-cap), and sysgate itself is not \
dumpable. clone3 answers ENOSYS, clone may not ask for CLONE_UNTRACED, and io_uring is refused unless \
--allow-io-uring.\n\n\
Exit status: the program's.",
        trailing_var_arg = true
    )]
    Run(RunArgs),
    /// Find syscall anti-patterns, prove them with evidence, and say what fixing them saves.
    #[command(after_help = "Examples:\n  sysgate advise -- ./server --selftest\n  \
sysgate advise run.sgt\n  sysgate advise run.sgt --json | jq '.findings[].rule'\n  \
sysgate advise --rule unbatched-writes,small-reads -- ./etl input.csv\n  \
sysgate advise --skip spawn-storm --fail-on warning -- make test\n  sysgate advise --list-rules\n  \
sysgate advise web1.sgt web2.sgt web3.sgt             # one advisor per recording, merged\n\n\
Each finding has a rule id, a severity (info, warning, error), the evidence (counts, bytes, fds \
with their paths, pids, up to three sample calls), the estimated saving (avoided calls × the \
untraced per-call cost measured on the development machine), the fix, and docs/rules/<id>.md. \
JSON schema and cost model: docs/advise.md.\n\n\
With several recordings each is analysed on its own (the files of one rotated capture together) \
and the findings are merged: each says which host or recording it comes from, and one seen on \
several is shown once (\"on 3 of 4 hosts\"). --fail-on looks at them all.\n\n\
Exit status: 1 with --fail-on when a finding at or above that severity exists; otherwise the \
program's status for live runs and 0 for files.")]
    Advise(AdviseArgs),
    /// Compare two runs of a program: per-syscall calls, errors, time, bytes and latency, and what
    /// appeared or disappeared (syscalls, files, error kinds, advise findings); gate CI on it.
    #[command(
        after_help = "Examples:\n  sysgate record -o base.sgt -- ./app --selftest\n  \
sysgate record -o new.sgt -- ./app --selftest\n  sysgate diff base.sgt new.sgt\n  \
sysgate diff base.sgt -- ./app --selftest                   # record the new run live\n  \
sysgate diff base.sgt new.sgt --fail-on-regression 20\n  \
sysgate diff base.sgt new.sgt --threshold calls=20,errors=0 --threshold time=50\n  \
sysgate diff base.sgt new.sgt --json -o diff.json\n\n\
A metric regresses when it grows by more than its threshold in percent, for a syscall or for the \
run's total; with gating on (--fail-on-regression or --threshold), syscalls, error kinds (syscall + \
errno) and advise findings (rule + subject) that only the new run has are regressions too. Small \
numbers are noise: a syscall's metrics are compared only when one side made at least --min-calls \
calls, its time and latency only when one side also spent at least --min-time in it. Run-to-run \
time varies, under ptrace most of all; gate time on generous thresholds. See docs/diff.md.\n\n\
Exit status: 0 when nothing regressed (or without gating), 3 when something did, 1 on errors \
(unreadable recordings; with -- CMD, a program that did not exit 0), 2 on usage errors."
    )]
    Diff(DiffArgs),
    /// Measure on this machine the untraced syscall costs `advise` uses, and save them.
    #[command(after_help = "Examples:\n  sysgate bench\n  sysgate bench --quick\n  \
sysgate bench --json | jq .ns_per_call.fsync\n  sysgate bench --output costs.json && sysgate advise --costs costs.json run.sgt\n\n\
Measures in under a minute: a trivial syscall's round trip, read and write per call from 1 B to \
1 MiB on a file, a pipe and a unix socket, full reads of a file vs mmap + scan, 64 preads vs one \
io_uring submission (when io_uring is permitted), fork+exec+wait vs posix_spawn of /bin/true, stat \
of a cached path, and the other costs of docs/advise.md. Saves JSON to \
$XDG_CACHE_HOME/sysgate/costs.json (~/.cache/sysgate/costs.json), which `advise` then uses instead \
of its built-in numbers.")]
    Bench(BenchArgs),
}

/// What to trace and how: shared by `trace`, `record` and `summary`.
#[derive(Debug, Clone, Args)]
pub struct CaptureArgs {
    /// After SIGINT/SIGTERM/SIGQUIT was passed on to the program, kill it if it is still running
    /// this long after (e.g. 10s, 500ms). A second such signal kills it at once.
    #[arg(long = "kill-after", value_name = "DURATION")]
    pub kill_after: Option<String>,
    /// Attach to running processes (all their threads); repeat or separate with commas.
    #[arg(short = 'p', long = "pid", value_name = "PID", value_delimiter = ',')]
    pub pids: Vec<String>,
    /// Filter expression: `trace=NAME,%CLASS,/REGEX,?NAME,…` (or just the list; `!` negates),
    /// `status=SET` (successful, failed, unfinished, all, none; `!` negates), `signal=SET`,
    /// `read=FDS` / `write=FDS` (hex-dump all data read from / written to those descriptors
    /// under each call, e.g. `-e write=1,2`; `trace` only), `inject=`/`fault=` (see --inject).
    /// strace's spellings work:
    /// `-etrace=open`, `-e trace=open`.
    #[arg(short = 'e', value_name = "EXPR")]
    pub expr: Vec<String>,
    /// The syscalls to trace, as `-e trace=SET` (strace's `--trace=SET`).
    #[arg(long = "trace", value_name = "SET")]
    pub trace_set: Vec<String>,
    /// The results to show, as `-e status=SET` (strace's `--status=SET`).
    #[arg(long = "status", value_name = "SET")]
    pub status_set: Vec<String>,
    /// Show only calls that name PATH or use a descriptor open on it (repeatable), as strace's
    /// -P / --trace-path.
    #[arg(short = 'P', long = "trace-path", value_name = "PATH")]
    pub trace_paths: Vec<std::path::PathBuf>,
    /// Print the user stack of each call under its line, as strace -k: module, function+offset,
    /// file address, and file:line where the binary has debug information.
    #[arg(short = 'k', long = "stack-traces")]
    pub stack_traces: bool,
    /// Where to find separate debug files for stripped binaries, by build id
    /// (DIR/.build-id/ab/cdef….debug) or by name (DIR/NAME.debug, DIR/NAME) when the build id
    /// matches; searched before /usr/lib/debug. Names -k stacks live, and the stacks of a
    /// recording when it is read. Repeatable.
    #[arg(long = "debug-dir", value_name = "DIR")]
    pub debug_dirs: Vec<std::path::PathBuf>,
    /// Tamper with calls, as `-e inject=SET:ACTION…` (strace's `--inject=`): `error=ERRNO` or
    /// `retval=N` (the call does not run), `signal=SIG`, `delay_enter=D`/`delay_exit=D` (s, ms,
    /// us, ns), `poke_enter=@argN=HEX`/`poke_exit=`, `syscall=getpid` (run that instead),
    /// `when=FIRST[..LAST][+[STEP]]` (which invocations, counted per call per task).
    #[arg(long = "inject", value_name = "SET:ACTION")]
    pub inject_set: Vec<String>,
    /// Make calls fail, as `-e fault=SET[:error=ERRNO][:when=EXPR]` (strace's `--fault=`;
    /// ENOSYS unless error= says otherwise).
    #[arg(long = "fault", value_name = "SET:ERROR")]
    pub fault_set: Vec<String>,
    /// Hex-dump the data read from these descriptors, as `-e read=FDS` (strace's `--read=`).
    #[arg(long = "read", value_name = "FDS")]
    pub read_set: Vec<String>,
    /// Hex-dump the data written to these descriptors, as `-e write=FDS` (strace's `--write=`).
    #[arg(long = "write", value_name = "FDS")]
    pub write_set: Vec<String>,
    /// The delivered signals to show, as `-e signal=SET`: all (the default), none, or names and
    /// numbers (SIGINT, INT, 2) with a leading ! for all but those.
    #[arg(long = "signal", value_name = "SET")]
    pub signal_set: Vec<String>,
    /// Show only failed calls (same as -e status=failed).
    #[arg(short = 'Z', long = "failed-only")]
    pub failed_only: bool,
    /// Show only successful calls (same as -e status=successful).
    #[arg(short = 'z', long = "successful-only")]
    pub successful_only: bool,
    /// Bytes of strings and buffers to capture.
    #[arg(
        short = 's',
        long = "string-limit",
        value_name = "N",
        default_value_t = 32
    )]
    pub string_limit: usize,
    /// Show what file descriptors refer to: 3</etc/passwd>; -yy also resolves sockets to their
    /// endpoints (3<TCP:[127.0.0.1:5432->127.0.0.1:41000]>), devices to their numbers
    /// (3</dev/null<char 1:3>>) and pidfds to their process (3<pid:1234>).
    #[arg(short = 'y', action = clap::ArgAction::Count)]
    pub fd_paths: u8,
    /// Show the command of each process id, as strace -Y: `kill(1234<sleep>, SIGTERM)`,
    /// `getpid() = 1234<sh>`, `[pid  1234<sh>]` (same as --decode-pids=comm).
    #[arg(short = 'Y')]
    pub pid_comm: bool,
    /// Which process id decorations to show, as strace's --decode-pids / -e decode-pids=:
    /// comm (the process's command, like -Y) or none.
    #[arg(long = "decode-pids", value_name = "SET")]
    pub decode_pids: Option<String>,
    /// Which descriptor decorations to show, as strace's --decode-fds / -e decode-fds=: a
    /// comma list of path, socket, dev, pidfd, or all / none (-y is path, -yy is all).
    #[arg(long = "decode-fds", value_name = "SET")]
    pub decode_fds: Option<String>,
    /// How flags and named constants print: abbrev (names, the default), raw (numbers) or
    /// verbose (numbers with the names in a comment).
    #[arg(
        short = 'X',
        value_name = "FORMAT",
        value_enum,
        default_value = "abbrev"
    )]
    pub xlat: XlatArg,
    /// Follow children and threads (the default; accepted so strace habits work, also as
    /// --follow-forks). `trace -ff -o FILE` writes each task's trace to FILE.PID, as strace.
    #[arg(short = 'f', long = "follow-forks", action = clap::ArgAction::Count)]
    pub follow: u8,
    /// Trace only the first process, not its children or threads.
    #[arg(long = "no-follow")]
    pub no_follow: bool,
    /// Strings in hex: -x prints a string with non-ASCII bytes entirely as \xNN escapes, -xx
    /// every string.
    #[arg(short = 'x', action = clap::ArgAction::Count)]
    pub hex: u8,
    /// Strings in hex as strace's --strings-in-hex: none, non-ascii-chars, non-ascii, or all
    /// (the default when given without a value).
    #[arg(
        long = "strings-in-hex",
        value_name = "WHICH",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "all"
    )]
    pub strings_in_hex: Option<String>,
    /// Print environments and structures in full (strace's --no-abbrev).
    #[arg(short = 'v', long = "verbose", visible_alias = "no-abbrev")]
    pub verbose: bool,
    /// Stop on every syscall even when -e trace= selects a few (no seccomp filter in the tracee).
    #[arg(long = "no-seccomp")]
    pub no_seccomp: bool,
    /// How to capture: ptrace (stops the program at every call; decodes every structure), ebpf
    /// (a BPF program on the syscall tracepoints: the program never stops; needs root or
    /// CAP_BPF+CAP_PERFMON), or auto (ebpf when permitted, else ptrace; says which and why).
    /// eBPF decodes paths, strings, argv, socket addresses, buffer prefixes (-s), fixed-size
    /// structs (stat, timespec, sigaction, rlimit…), pollfd/epoll arrays and fd pairs; iovec
    /// contents, msghdr, ioctl and fcntl structs and getdents entries show as addresses, -y
    /// resolves fds when the event is read, and signals are not reported.
    #[arg(
        long,
        value_name = "BACKEND",
        value_enum,
        default_value = "ptrace",
        help_heading = "Backend"
    )]
    pub backend: BackendArg,
    /// eBPF: trace every process in this cgroup v2 directory and below (a container), instead
    /// of a command's process tree; without a command, until Ctrl-C.
    #[arg(long, value_name = "PATH", help_heading = "Backend")]
    pub cgroup: Option<std::path::PathBuf>,
    /// eBPF: trace a running docker, podman, containerd or CRI-O container by id (or id prefix)
    /// or name: --cgroup with the container's cgroup found for you.
    #[arg(
        long,
        value_name = "ID|NAME",
        conflicts_with = "cgroup",
        help_heading = "Backend"
    )]
    pub container: Option<String>,
    /// eBPF: trace every process on the system (but sysgate); without a command, until Ctrl-C.
    #[arg(long, help_heading = "Backend")]
    pub all: bool,
    /// eBPF with --all: only processes with this command name (as in /proc/PID/comm).
    #[arg(long, value_name = "NAME", help_heading = "Backend")]
    pub comm: Option<String>,
    /// eBPF: ring buffer size (K, M, G suffixes; rounded up to a power of two) [default: 16M].
    /// Events that do not fit are counted and reported at the end.
    #[arg(long, value_name = "SIZE", help_heading = "Backend")]
    pub buffer: Option<String>,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,
    /// Write the trace to FILE instead of standard error.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Show the time spent in each call.
    #[arg(short = 'T', long = "syscall-times")]
    pub durations: bool,
    /// Prefix lines with the time of day; -tt adds microseconds, -ttt prints epoch seconds.
    #[arg(short = 't', action = clap::ArgAction::Count)]
    pub timestamps: u8,
    /// Prefix lines with the seconds since the previous line (`     0.000123 `), after any -t stamp.
    #[arg(short = 'r', long = "relative-timestamps")]
    pub relative: bool,
    /// Count calls, errors and time per syscall and print a table at the end instead of a trace.
    #[arg(short = 'c', long = "summary-only")]
    pub count: bool,
    /// With -c: count calls and errors only, without timing them (the table has no time
    /// columns). On the eBPF backend the kernel then counts at entry and keeps no per-thread
    /// state: statistics at the cost of the bare syscall tracepoints.
    #[arg(long = "counts-only", requires = "count")]
    pub counts_only: bool,
    /// Quieter: -q leaves out detach messages, -qq also the exit and kill lines (`+++ … +++`).
    #[arg(short = 'q', long = "quiet", action = clap::ArgAction::Count)]
    pub quiet: u8,
    /// Print each call's number before its name (`[  59] execve(…)`), as strace's -n.
    #[arg(short = 'n', long = "syscall-number")]
    pub numbers: bool,
    /// The column return values are aligned to (strace's -a; default 40).
    #[arg(short = 'a', long = "columns", value_name = "N", default_value_t = 40)]
    pub columns: usize,
    /// Print one JSON object per event (JSON Lines); with -c, the table as JSON.
    #[arg(long)]
    pub json: bool,
    /// The program to run and its arguments.
    #[arg(value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct ChaosArgs {
    /// Failure classes to try, comma-separated [default: all]: short-write, short-read, eintr,
    /// eagain, enospc, eio-fsync, eio-close, enomem, econnreset.
    #[arg(long = "classes", value_name = "LIST", value_delimiter = ',')]
    pub classes: Vec<String>,
    /// Kill a run that takes longer than this and report a hang (e.g. 30s, 500ms).
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub timeout: String,
    /// Runs per class that fails one call (each at another position).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub runs: u32,
    /// Chooses the positions of the failures: the same seed gives the same runs.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Print the report as JSON (schema in docs/chaos.md).
    #[arg(long)]
    pub json: bool,
    /// The program to run and its arguments.
    #[arg(value_name = "CMD", required = true)]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub capture: CaptureArgs,
    /// The trace file to write [default: sysgate-<command>-<date>-<time>.sgt]; with --rotate,
    /// the directory of files (created if missing).
    #[arg(short = 'o', long = "output", value_name = "FILE|DIR")]
    pub output: Option<std::path::PathBuf>,
    /// Continuous capture into -o DIR: start a new file when the current one reaches SIZE
    /// (64M, 1G, or bytes) or is DURATION old (30s, 10m, 1h, 1d), or both comma-separated
    /// (256M,1h: whichever comes first). Files are named HOST-START-SEGMENT.sgt and appear
    /// only when complete (written as .sgt.part until sealed). See docs/continuous.md.
    #[arg(
        long,
        value_name = "SIZE|DURATION",
        help_heading = "Continuous capture"
    )]
    pub rotate: Option<String>,
    /// With --rotate: keep at most N complete files of this host in DIR, deleting the oldest.
    #[arg(
        long,
        value_name = "N",
        requires = "rotate",
        help_heading = "Continuous capture"
    )]
    pub keep: Option<usize>,
    /// eBPF: write the kernel's per-(process, syscall) statistics (calls, errors, time, a log2
    /// latency histogram) once a minute, or every --rotate DURATION when shorter, instead of an
    /// event per call. `sysgate summary FILE` reads them.
    #[arg(long = "aggregates-only", help_heading = "Continuous capture")]
    pub aggregates_only: bool,
    /// No progress lines (files sealed, events written); losses and errors are still reported.
    #[arg(short = 'q', long = "quiet")]
    pub quiet: bool,
    /// The program to run and its arguments.
    #[arg(value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Recordings written by `sysgate record`: files, directories (every *.sgt in them) or
    /// patterns; several are merged. Omit them and give `-- CMD` to trace live.
    #[arg(value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    #[command(flatten)]
    pub capture: CaptureArgs,
    /// Sections to show, comma-separated: recordings, hosts (with several recordings),
    /// syscalls, categories, processes, threads, files, errors, latency, rate, callsites (from
    /// recordings made with -k) [default: all].
    #[arg(long = "section", value_name = "NAME", value_delimiter = ',')]
    pub sections: Vec<String>,
    /// Order of the tables: time, calls, errors or name.
    #[arg(long, value_name = "KEY", value_enum, default_value = "time")]
    pub sort: SortArg,
    /// Show at most N rows per table.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Live runs: count calls and errors only, without timing them (tables lose their time
    /// columns, sorted by calls; no latency section). On the eBPF backend the kernel then
    /// counts at entry and keeps no per-thread state: the cost of the bare syscall tracepoints.
    #[arg(long = "counts-only")]
    pub counts_only: bool,
    /// Print the summary as one JSON document (schema in docs/summary.md).
    #[arg(long)]
    pub json: bool,
    /// Write the summary to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// The program to trace live, after `--`.
    #[arg(value_name = "CMD", last = true)]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Recordings written by `sysgate record`: JSON Lines and text are written one after the
    /// other, folded stacks summed, Parquet partitioned by host and date; Perfetto takes one.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<std::path::PathBuf>,
    /// Output format: jsonl (the schema of `trace --json`), text (strace's), folded (stacks
    /// for flamegraph.pl, inferno, speedscope; weighted by --weight) or perfetto (a binary
    /// trace for ui.perfetto.dev; docs/perfetto.md).
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// With --format folded: weigh each stack by its calls or by the time spent in them (µs).
    #[arg(long, value_name = "WEIGHT", value_enum, default_value = "calls")]
    pub weight: FoldWeight,
    /// Where to find separate debug files (or copies) of the recorded binaries, by build id,
    /// to name stacks recorded without names or lines; before /usr/lib/debug. Repeatable.
    #[arg(long = "debug-dir", value_name = "DIR")]
    pub debug_dirs: Vec<std::path::PathBuf>,
}

/// `export --weight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FoldWeight {
    /// One per call.
    Calls,
    /// Microseconds spent in the calls.
    Time,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A recording written by `sysgate record` (omit it and give `-- CMD` to trace live); two
    /// are BASE NEW, compared; three or more, or a directory, are merged.
    #[arg(value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Merge two recordings into one report instead of comparing them.
    #[arg(long)]
    pub merge: bool,
    #[command(flatten)]
    pub capture: CaptureArgs,
    /// Write the page to FILE (`-` for standard output).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        default_value = "report.html"
    )]
    pub output: Option<std::path::PathBuf>,
    /// The page's title [default: `sysgate report: ` and the recording or command].
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Most calls drawn on the timeline; a larger run is sampled evenly, failed calls kept.
    #[arg(long = "timeline-calls", value_name = "N", default_value_t = 20_000)]
    pub timeline_calls: usize,
    /// Cost model saved by `sysgate bench`, for the findings' estimated savings (as `advise`).
    #[arg(long, value_name = "FILE")]
    pub costs: Option<std::path::PathBuf>,
    /// The program to trace live, after `--`.
    #[arg(value_name = "CMD", last = true)]
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

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Recordings made by `sysgate record` (several runs of the same program are merged), and
    /// profiles (`.json`, with their Landlock layers) to merge with them: replicas, hosts, runs.
    #[arg(value_name = "TRACE")]
    pub traces: Vec<std::path::PathBuf>,
    /// Write the profile to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Argument filters: none, safe or strict (also pins socket types).
    #[arg(
        long = "args",
        value_name = "LEVEL",
        value_enum,
        default_value = "safe"
    )]
    pub args: ArgsLevel,
    /// Refuse mmap/mprotect asking for writable and executable memory at once.
    #[arg(long)]
    pub wx: bool,
    /// errno for refused calls: EPERM or ENOSYS.
    #[arg(
        long = "default-errno",
        value_name = "ERRNO",
        value_enum,
        ignore_case = true,
        default_value = "EPERM"
    )]
    pub default_errno: DefaultErrno,
    /// What happens to calls the profile does not allow: errno, kill or log.
    #[arg(
        long = "default-action",
        value_name = "ACTION",
        value_enum,
        default_value = "errno"
    )]
    pub default_action: DefaultAction,
    /// Architectures to allow, comma-separated (x86_64, aarch64; i386 only if asked).
    #[arg(long, value_name = "ARCH", value_delimiter = ',')]
    pub arch: Vec<String>,
    /// Explain PROFILE instead: each allowed syscall, how often the given traces made it, and
    /// which trace first did.
    #[arg(long, value_name = "PROFILE", conflicts_with_all = ["update", "output"])]
    pub explain: Option<std::path::PathBuf>,
    /// Widen PROFILE with the calls in a violations log (`sysgate run --learn --log LOG`).
    #[arg(long, value_name = "PROFILE", requires = "from_violations")]
    pub update: Option<std::path::PathBuf>,
    /// The violations log for --update.
    #[arg(long = "from-violations", value_name = "LOG", requires = "update")]
    pub from_violations: Option<std::path::PathBuf>,
    /// Allow io_uring if the program used it. seccomp cannot see what a ring does (open,
    /// connect, unlink…); only the Landlock layer still confines its paths and ports.
    #[arg(long = "allow-io-uring")]
    pub allow_io_uring: bool,
    /// Do not write the Landlock layer (FILE.landlock.json beside the profile).
    #[arg(long = "no-landlock")]
    pub no_landlock: bool,
    /// Also allow what this OCI runtime calls after installing the filter (runc, docker), as
    /// measured by scripts/runtime-calls.sh; without it a runtime fails to start the container.
    #[arg(long, value_name = "RUNTIME")]
    pub runtime: Option<String>,
    /// Like --runtime, with a measured list of syscall names (one per line, as
    /// scripts/runtime-calls.sh prints them).
    #[arg(
        long = "runtime-calls",
        value_name = "FILE",
        conflicts_with = "runtime"
    )]
    pub runtime_calls: Option<std::path::PathBuf>,
    /// Write the profile into this OCI bundle's config.json (as `linux.seccomp`), keeping the
    /// rest of the file.
    #[arg(long = "oci-config", value_name = "CONFIG")]
    pub oci_config: Option<std::path::PathBuf>,
    /// Compare profile NEW with --against BASE: list what NEW allows that BASE does not (syscalls,
    /// argument values, ABIs, and with both Landlock layers paths, ports and scopes). Exit status
    /// 3 when there is something, 0 when not.
    #[arg(long, value_name = "NEW", requires = "against", conflicts_with_all = ["explain", "update", "output"])]
    pub check: Option<std::path::PathBuf>,
    /// The approved profile for --check.
    #[arg(long, value_name = "BASE", requires = "check")]
    pub against: Option<std::path::PathBuf>,
    /// With --check: print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The seccomp profile (OCI `linux.seccomp` JSON, or a whole OCI config.json).
    #[arg(long, value_name = "FILE")]
    pub profile: std::path::PathBuf,
    /// Keep inherited descriptor N open (repeatable); all others above 2 are closed.
    #[arg(long = "keep-fd", value_name = "N")]
    pub keep_fd: Vec<i32>,
    /// Complain mode: report refused calls but let them run.
    #[arg(long)]
    pub learn: bool,
    /// Append every refused call to FILE as JSON Lines (for `profile --update`).
    #[arg(long, value_name = "FILE")]
    pub log: Option<std::path::PathBuf>,
    /// Print what was refused, per syscall, at the end.
    #[arg(long)]
    pub summary: bool,
    /// Let the kernel act alone: no supervisor, no reports (refused calls still fail).
    #[arg(long = "no-supervisor")]
    pub no_supervisor: bool,
    /// Also report the inherited descriptors that are closed, the Landlock rules left out, and
    /// the capabilities dropped.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// The Landlock layer (paths, ports, scopes); default: PROFILE's stem + `.landlock.json`
    /// beside it, when that file exists.
    #[arg(long, value_name = "FILE", conflicts_with = "no_landlock")]
    pub landlock: Option<std::path::PathBuf>,
    /// Apply no path or port rules. The program still gets a Landlock domain of its own, so it
    /// cannot reach processes outside the sandbox.
    #[arg(long = "no-landlock")]
    pub no_landlock: bool,
    /// Keep capability CAP (repeatable; e.g. CAP_NET_RAW). Kept by default: chown,
    /// dac_override, fowner, fsetid, kill, setgid, setuid, net_bind_service, sys_chroot,
    /// audit_write; every other one is dropped before execve.
    #[arg(long = "keep-cap", value_name = "CAP")]
    pub keep_cap: Vec<String>,
    /// Let io_uring run when the profile allows it (refused otherwise: seccomp cannot see what
    /// a ring does). The Landlock layer still confines the ring's paths and ports.
    #[arg(long = "allow-io-uring")]
    pub allow_io_uring: bool,
    /// After SIGINT/SIGTERM/SIGQUIT was passed on to the program, kill it if it is still running
    /// this long after (e.g. 10s). A second such signal kills it at once.
    #[arg(long = "kill-after", value_name = "DURATION")]
    pub kill_after: Option<String>,
    /// The program to run and its arguments.
    #[arg(value_name = "CMD", required = true)]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct AdviseArgs {
    /// Recordings written by `sysgate record`: files, directories (every *.sgt in them) or
    /// patterns; each is analysed on its own and the findings merged. Omit them and give
    /// `-- CMD` to trace live.
    #[arg(value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    #[command(flatten)]
    pub capture: CaptureArgs,
    /// Run only these rules (repeat or separate with commas; see --list-rules).
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Do not run these rules (repeat or separate with commas).
    #[arg(long = "skip", value_name = "ID")]
    pub skip: Vec<String>,
    /// Exit with status 1 when a finding at or above this severity exists: warning or error.
    #[arg(long = "fail-on", value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// Print the report as one JSON document (schema in docs/advise.md).
    #[arg(long)]
    pub json: bool,
    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// List the rules with their titles and exit.
    #[arg(long = "list-rules")]
    pub list_rules: bool,
    /// Cost model saved by `sysgate bench` [default: ~/.cache/sysgate/costs.json if it exists,
    /// else the built-in numbers].
    #[arg(long, value_name = "FILE")]
    pub costs: Option<std::path::PathBuf>,
    /// The program to trace live, after `--`.
    #[arg(value_name = "CMD", last = true)]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base recording (`sysgate record -o base.sgt -- CMD`).
    #[arg(value_name = "BASE")]
    pub base: std::path::PathBuf,
    /// The new recording; omit it and give `-- CMD` to record the new run live.
    #[arg(value_name = "NEW", conflicts_with_all = ["command", "pids"])]
    pub new: Option<std::path::PathBuf>,
    /// Turn gating on: a metric (calls, errors, time, bytes) of a syscall or of the total that
    /// grows by more than PCT percent is a regression (exit status 3).
    #[arg(
        long = "fail-on-regression",
        value_name = "PCT",
        value_parser = crate::diff::parse_pct
    )]
    pub fail_on_regression: Option<f64>,
    /// Per-metric threshold, overriding --fail-on-regression: METRIC=PCT or METRIC=off, METRIC one
    /// of calls, errors, time, bytes, p50, p99 (repeat or separate with commas). Turns gating on.
    #[arg(
        long = "threshold",
        value_name = "METRIC=PCT",
        value_delimiter = ',',
        value_parser = crate::diff::parse_threshold
    )]
    pub thresholds: Vec<(sysgate_analyze::diff::Metric, Option<f64>)>,
    /// Compare a syscall's metrics only when one side made at least N calls.
    #[arg(
        long = "min-calls",
        value_name = "N",
        default_value_t = sysgate_analyze::diff::DEFAULT_MIN_CALLS
    )]
    pub min_calls: u64,
    /// Compare a syscall's time and latency only when one side also spent at least this long in
    /// it (e.g. 1ms, 500us, 0).
    #[arg(
        long = "min-time",
        value_name = "DURATION",
        default_value = "1ms",
        value_parser = crate::diff::parse_min_time
    )]
    pub min_time: std::time::Duration,
    /// Leave these syscalls out of every comparison (repeat or separate with commas).
    #[arg(long = "ignore", value_name = "SYSCALL", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Show at most N rows per list in the text form (the JSON form has every row).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Print the comparison as one JSON document (schema in docs/diff.md).
    #[arg(long)]
    pub json: bool,
    /// Write the comparison to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub capture: CaptureArgs,
    /// The program to record as the new run, after `--`.
    #[arg(value_name = "CMD", last = true)]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Measure with few iterations (a few seconds, rougher numbers).
    #[arg(long)]
    pub quick: bool,
    /// Print the saved JSON document instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Save to FILE [default: $XDG_CACHE_HOME/sysgate/costs.json, else ~/.cache/sysgate/costs.json].
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// `--backend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendArg {
    /// eBPF when permitted, else ptrace (says which and why).
    Auto,
    /// Stop the program at every call.
    Ptrace,
    /// A BPF program on the syscall tracepoints.
    Ebpf,
}

/// `-X`: how named constants print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum XlatArg {
    /// Names only.
    Abbrev,
    /// Numbers only.
    Raw,
    /// Numbers with the names in a comment.
    Verbose,
}

impl From<XlatArg> for sysgate_event::Xlat {
    fn from(x: XlatArg) -> Self {
        match x {
            XlatArg::Abbrev => sysgate_event::Xlat::Abbrev,
            XlatArg::Raw => sysgate_event::Xlat::Raw,
            XlatArg::Verbose => sysgate_event::Xlat::Verbose,
        }
    }
}

/// `export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// JSON Lines, the schema of `trace --json`.
    #[value(alias = "json")]
    Jsonl,
    /// strace's text.
    #[value(alias = "strace")]
    Text,
    /// Folded stacks for flame-graph tools (`frame;frame;…;syscall COUNT`), from a recording
    /// made with -k; calls without a stack fold to their syscall alone.
    Folded,
    /// Perfetto's binary trace (a slice per call on its thread's track, signals as instants),
    /// for https://ui.perfetto.dev and trace_processor; needs -o FILE or a redirected output.
    Perfetto,
    /// Parquet tables for DuckDB, Spark, Trino, ClickHouse: events, aggregates per process and
    /// syscall, and findings (schema in docs/fleet.md); -o DIR writes Hive partitions
    /// (TABLE/host=H/date=D/RECORDING.parquet), -o FILE.parquet writes FILE and two beside it.
    Parquet,
}

/// `profile --args`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ArgsLevel {
    /// Names only.
    None,
    /// Socket domains, ioctl requests, clone flags, prctl options, personality values.
    Safe,
    /// Also socket types.
    Strict,
}

impl From<ArgsLevel> for sysgate_seccomp::generate::ArgLevel {
    fn from(a: ArgsLevel) -> Self {
        match a {
            ArgsLevel::None => Self::None,
            ArgsLevel::Safe => Self::Safe,
            ArgsLevel::Strict => Self::Strict,
        }
    }
}

/// `profile --default-errno`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum DefaultErrno {
    /// Operation not permitted: a real failure.
    Eperm,
    /// Function not implemented: libc falls back to older calls.
    Enosys,
}

/// `profile --default-action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DefaultAction {
    /// Fail the call with --default-errno.
    Errno,
    /// Kill the process.
    Kill,
    /// Allow it and log it in the audit log.
    Log,
}

/// `summary --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Time spent.
    Time,
    /// Number of calls.
    Calls,
    /// Number of errors.
    Errors,
    /// Name.
    Name,
}
