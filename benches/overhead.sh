#!/usr/bin/env bash
# Wall-time overhead of tracing, as ratios: sysgate vs strace vs the untraced program, measured
# in one run on the same machine; then the eBPF backend (in-kernel statistics, ring-buffer
# recording, start-up cost) against the same baselines, strace -c and perf trace -s.
# Usage: benches/overhead.sh [WRITES] [THREADS] [REPEATS] [all|ebpf|floors]
#   WRITES   1-byte writes to /dev/null in the syscall-heavy workload (default 1000000)
#   THREADS  threads in the multi-threaded workload (default 100)
#   REPEATS  runs per configuration; the median is reported (default 3)
#   ebpf     only the eBPF section, with strace -f -c measured for it (the ptrace tables take
#            half an hour at 1M writes on a slow VM)
#   floors   only sysgate against the floors every tool of its kind stands on: a bare
#            PTRACE_SYSCALL loop (fx-ptrace-floor) for the ptrace engine, the two syscall
#            tracepoints enabled with no program (perf stat) for the eBPF engine; plus a session's
#            fixed cost around /bin/true and the speed of reading a real recording
set -euo pipefail
cd "$(dirname "$0")/.."
writes=${1:-1000000}
threads=${2:-100}
repeats=${3:-3}
mode=${4:-all}

command -v strace >/dev/null || { echo "strace is required (apt-get install strace)" >&2; exit 1; }
cargo build --release --quiet -p sysgate -p sysgate-fixtures
sg=target/release/sysgate
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Median wall time in seconds of a command, over $repeats runs.
median() {
    local times=()
    for _ in $(seq "$repeats"); do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.6f", b - a}')")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

run_workload() {
    local label=$1; shift
    local base sg_full st_full sg_c st_c sg_sel st_sel
    base=$(median "$@")
    sg_full=$(median "$sg" trace -o "$out/sg.txt" -- "$@")
    st_full=$(median strace -f -o "$out/st.txt" -- "$@")
    sg_c=$(median "$sg" trace -c -o "$out/sgc.txt" -- "$@")
    st_c=$(median strace -f -c -o "$out/stc.txt" -- "$@")
    last_st_c=$st_c
    sg_sel=$(median "$sg" trace -e trace=openat -o "$out/sgs.txt" -- "$@")
    st_sel=$(median strace -f -e trace=openat -o "$out/sts.txt" -- "$@")
    printf '\n%s (untraced %.3fs, median of %d)\n' "$label" "$base" "$repeats"
    printf '%-34s %10s %12s %12s\n' "mode" "seconds" "x untraced" "x strace"
    printf '%-34s %10.3f %12s %12s\n' "sysgate trace -o FILE" "$sg_full" "$(ratio "$sg_full" "$base")" "$(ratio "$sg_full" "$st_full")"
    printf '%-34s %10.3f %12s %12s\n' "strace -f -o FILE" "$st_full" "$(ratio "$st_full" "$base")" "1.00"
    printf '%-34s %10.3f %12s %12s\n' "sysgate trace -c" "$sg_c" "$(ratio "$sg_c" "$base")" "$(ratio "$sg_c" "$st_c")"
    printf '%-34s %10.3f %12s %12s\n' "strace -f -c" "$st_c" "$(ratio "$st_c" "$base")" "1.00"
    printf '%-34s %10.3f %12s %12s\n' "sysgate trace -e trace=openat" "$sg_sel" "$(ratio "$sg_sel" "$base")" "$(ratio "$sg_sel" "$st_sel")"
    printf '%-34s %10.3f %12s %12s\n' "strace -f -e trace=openat" "$st_sel" "$(ratio "$st_sel" "$base")" "1.00"
}

echo "sysgate $($sg --version | cut -d' ' -f2), $(strace -V | head -1), kernel $(uname -r), $(nproc) cores"

# Median wall time of `sysgate record --backend ebpf` over $repeats runs. Sets rec_time, and from
# the stderr of the median run rec_events ("wrote N events") and rec_lost ("N events lost", 0
# without that line); rec_lost_max is the most events lost in any run. rec_args: options added.
rec_args=()
record_ebpf() {
    local rows=()
    for _ in $(seq "$repeats"); do
        local start end events lost
        start=$(date +%s.%N)
        "$sg" record --backend ebpf "${rec_args[@]}" -o "$out/rec.sgt" -- "$@" >/dev/null 2>"$out/rec.err" || true
        end=$(date +%s.%N)
        events=$(sed -n 's/^sysgate: wrote \([0-9]*\) events.*/\1/p' "$out/rec.err")
        lost=$(sed -n 's/^sysgate: \([0-9]*\) events lost.*/\1/p' "$out/rec.err")
        rows+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.6f", b - a}') ${events:-0} ${lost:-0}")
    done
    read -r rec_time rec_events rec_lost < <(printf '%s\n' "${rows[@]}" | sort -g | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
    rec_lost_max=$(printf '%s\n' "${rows[@]}" | awk '$3 > m {m = $3} END {print m + 0}')
}

if [ "$mode" = floors ]; then
    x() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
    check() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "met" : "NOT met"}'; }
    fx=(target/release/fx-writes "$writes")
    base=$(median "${fx[@]}")
    pt_floor=$(median target/release/fx-ptrace-floor "${fx[@]}")
    pt_c=$(median "$sg" trace -c -o "$out/c.txt" -- "${fx[@]}")
    pt_full=$(median "$sg" trace -o "$out/t.txt" -- "${fx[@]}")
    st_full=$(median strace -o "$out/st.txt" -- "${fx[@]}")
    printf '\nptrace engine, %s 1-byte writes (untraced %.3fs, median of %d)\n' "$writes" "$base" "$repeats"
    printf '%-40s %9s %12s\n' "mode" "seconds" "x floor"
    printf '%-40s %9.3f %12s\n' "bare PTRACE_SYSCALL loop (the floor)" "$pt_floor" "1.00"
    printf '%-40s %9.3f %12s   target <= 1.10: %s\n' "sysgate trace -c" "$pt_c" "$(x "$pt_c" "$pt_floor")" "$(check "$(x "$pt_c" "$pt_floor")" 1.10)"
    printf '%-40s %9.3f %12s   target <= 1.30: %s\n' "sysgate trace -o FILE" "$pt_full" "$(x "$pt_full" "$pt_floor")" "$(check "$(x "$pt_full" "$pt_floor")" 1.30)"
    printf '%-40s %9.3f %12s\n' "strace -o FILE" "$st_full" "$(x "$st_full" "$pt_floor")"
    if "$sg" summary --backend ebpf -o "$out/probe.txt" -- /bin/true >/dev/null 2>&1 && command -v perf >/dev/null; then
        tp=$(median perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o "$out/p.txt" -- "${fx[@]}")
        tp_true=$(median perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o "$out/p.txt" -- /bin/true)
        true_base=$(median /bin/true)
        # perf's own start-up taken out, so the floor is the tracepoints' cost on the workload.
        tp=$(awk -v a="$tp" -v b="$tp_true" -v c="$true_base" 'BEGIN {printf "%.6f", a - b + c}')
        eb_sum=$(median "$sg" summary --backend ebpf -o "$out/s.txt" -- "${fx[@]}")
        eb_cnt=$(median "$sg" summary --backend ebpf --counts-only -o "$out/s.txt" -- "${fx[@]}")
        eb_tc=$(median "$sg" trace -c --counts-only --backend ebpf -o "$out/c.txt" -- "${fx[@]}")
        # Without buffer contents (-s 0) first: what copying them from user memory costs.
        rec_args=(-s 0)
        record_ebpf "${fx[@]}"
        rec_args=()
        eb_rec0=$rec_time
        record_ebpf "${fx[@]}"
        eb_rec=$rec_time
        # Each kind of session's own fixed cost (start, attach, detach, exit) around /bin/true:
        # a recording loads and verifies more than a summary does.
        fixed_of() { awk -v a="$(median "$@" -- /bin/true)" -v b="$true_base" 'BEGIN {printf "%.0f", (a - b) * 1000}'; }
        fixed=$(fixed_of "$sg" summary --backend ebpf -o "$out/s.txt")
        fixed_cnt=$(fixed_of "$sg" summary --backend ebpf --counts-only -o "$out/s.txt")
        fixed_tc=$(fixed_of "$sg" trace -c --counts-only --backend ebpf -o "$out/c.txt")
        fixed_rec=$(fixed_of "$sg" record --backend ebpf -o "$out/rec.sgt")
        # The floor does not pay sysgate's fixed cost: compare the per-call parts.
        per_call() { awk -v s="$1" -v f="$2" -v t="$tp" 'BEGIN {printf "%.2f", (s - f / 1000) / t}'; }
        sum_x=$(per_call "$eb_sum" "$fixed")
        cnt_x=$(per_call "$eb_cnt" "$fixed_cnt")
        tc_x=$(per_call "$eb_tc" "$fixed_tc")
        rec_x=$(per_call "$eb_rec" "$fixed_rec")
        rec0_x=$(per_call "$eb_rec0" "$fixed_rec")
        rec_ok=$(check "$rec_x" 1.50)
        [ "$rec_lost_max" = 0 ] || rec_ok="NOT met ($rec_lost_max lost)"
        printf '\neBPF engine, same workload (untraced %.3fs)\n' "$base"
        printf '%-40s %9s %12s\n' "mode" "seconds" "x floor"
        printf '%-40s %9.3f %12s\n' "tracepoints only (perf stat; the floor)" "$tp" "1.00"
        printf '%-40s %9.3f %12s   target <= 1.10: %s\n' "sysgate summary --counts-only" "$eb_cnt" "$cnt_x" "$(check "$cnt_x" 1.10)"
        printf '%-40s %9.3f %12s   target <= 1.10: %s\n' "sysgate trace -c --counts-only" "$eb_tc" "$tc_x" "$(check "$tc_x" 1.10)"
        printf '%-40s %9.3f %12s   (timed: two clock reads per call)\n' "sysgate summary (timed)" "$eb_sum" "$sum_x"
        printf '%-40s %9.3f %12s   target <= 1.50, 0 lost: %s\n' "sysgate record" "$eb_rec" "$rec_x" "$rec_ok"
        printf '%-40s %9.3f %12s   (no buffer contents: the rest is their copy)\n' "sysgate record -s 0" "$eb_rec0" "$rec0_x"
        echo "(eBPF rows: each kind of session's own fixed cost around /bin/true is taken out before dividing:" \
            "summary ${fixed} ms, --counts-only ${fixed_cnt} ms, trace -c --counts-only ${fixed_tc} ms, record ${fixed_rec} ms)"
        echo "session fixed cost around /bin/true: ${fixed} ms (target <= 60 ms: $(check "$fixed" 60))"
        echo "record: ${rec_events} events, lost ${rec_lost} (most in one run: ${rec_lost_max})"
        th=(target/release/fx-threads "$threads" "$((writes / threads))")
        record_ebpf "${th[@]}"
        echo "record, ${threads} threads x $((writes / threads)) writes: ${rec_events} events in $(printf '%.3f' "$rec_time")s," \
            "lost ${rec_lost} (most in one run: ${rec_lost_max}; counted and reported, never silent)"
    else
        echo "eBPF engine: skipped (the backend or perf is unavailable)"
    fi
    "$sg" record -o "$out/big.sgt" -- "${fx[@]}" >/dev/null 2>&1
    # One core (taskset: the replay then stays on one thread), then every core.
    read_1=$(median taskset -c 0 "$sg" summary "$out/big.sgt")
    read_s=$(median "$sg" summary "$out/big.sgt")
    events=$("$sg" summary --json --section syscalls "$out/big.sgt" | sed -n 's/^  "calls": \([0-9]*\),*$/\1/p' | head -1)
    mps() { awk -v n="${events:-0}" -v t="$1" 'BEGIN {printf "%.1f", n / t / 1e6}'; }
    echo "reading a real recording: summary of ${events:-?} events, whole process: one core ${read_1}s," \
        "$(mps "$read_1") M events/s (target >= 10: $(awk -v v="$(mps "$read_1")" 'BEGIN {print (v >= 10) ? "met" : "NOT met"}'));" \
        "$(nproc) cores ${read_s}s, $(mps "$read_s") M events/s"
    exit 0
fi
per_thread=$((writes / threads))
if [ "$mode" = ebpf ]; then
    writes_st_c=$(median strace -f -c -o "$out/stc.txt" -- target/release/fx-writes "$writes")
    threads_st_c=$(median strace -f -c -o "$out/stc.txt" -- target/release/fx-threads "$threads" "$per_thread")
else
    run_workload "${writes} 1-byte writes to /dev/null (fx-writes)" target/release/fx-writes "$writes"
    writes_st_c=$last_st_c
    run_workload "${threads} threads x ${per_thread} 1-byte writes (fx-threads)" target/release/fx-threads "$threads" "$per_thread"
    threads_st_c=$last_st_c
fi

# --- eBPF backend ---------------------------------------------------------------------------
# strace -f -c comes from the tables above (same run), or is measured first in ebpf mode.

row() { printf '%-44s %10.3f %12s %12s\n' "$1" "$2" "$(ratio "$2" "$3")" "$(ratio "$2" "$4")"; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "met" : "NOT met"}'; }

# The first non-empty line of a failed command's output, as the reason it failed.
reason() { printf '%s\n' "$1" | sed -e '/^[[:space:]]*$/d' -e 's/^Error:[[:space:]]*//' | head -1; }

echo
if ! ebpf_err=$("$sg" summary --backend ebpf -o "$out/probe.txt" -- /bin/true 2>&1 >/dev/null); then
    echo "eBPF backend: skipped, \`sysgate summary --backend ebpf -- /bin/true\` failed: $(reason "$ebpf_err")"
    exit 0
fi

perf_ok=0
if ! command -v perf >/dev/null; then
    perf_why="perf is not installed"
elif perf_err=$(perf trace -s true 2>&1); then
    perf_ok=1
else
    perf_why=$(reason "$perf_err")
fi

fx=(target/release/fx-writes "$writes")
base=$(median "${fx[@]}")
eb_sum=$(median "$sg" summary --backend ebpf -o "$out/ebs.txt" -- "${fx[@]}")
eb_c=$(median "$sg" trace -c --backend ebpf -o "$out/ebc.txt" -- "${fx[@]}")
record_ebpf "${fx[@]}"
if [ "$perf_ok" = 1 ]; then
    tp_only=$(median perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o "$out/pstat.txt" -- "${fx[@]}")
    tp_true=$(median perf stat -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -o "$out/pstat.txt" -- /bin/true)
    perf_s=$(median perf trace -s -o "$out/ptrace.txt" -- "${fx[@]}")
fi
true_base=$(median /bin/true)
true_eb=$(median "$sg" summary --backend ebpf -o "$out/ebt.txt" -- /bin/true)
startup_ms=$(awk -v a="$true_eb" -v b="$true_base" 'BEGIN {printf "%.0f", (a - b) * 1000}')
# Load + attach as sysgate measures it (from before the fork to the last attached program), the
# median over $repeats recordings of /bin/true (which also load the memory-copying program).
attach_ms=$(for _ in $(seq "$repeats"); do
    "$sg" record --backend ebpf -o "$out/t.sgt" -- /bin/true 2>&1 >/dev/null |
        sed -n 's/.*attached in \([0-9]*\) ms.*/\1/p'
done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

printf '\neBPF backend, %s 1-byte writes to /dev/null (fx-writes) (untraced %.3fs, median of %d)\n' "$writes" "$base" "$repeats"
printf '%-44s %10s %12s %12s\n' "mode" "seconds" "x untraced" "x strace"
row "untraced" "$base" "$base" "$writes_st_c"
row "sysgate summary --backend ebpf -o FILE" "$eb_sum" "$base" "$writes_st_c"
row "sysgate trace -c --backend ebpf" "$eb_c" "$base" "$writes_st_c"
row "sysgate record --backend ebpf -o FILE.sgt" "$rec_time" "$base" "$writes_st_c"
row "strace -f -c" "$writes_st_c" "$base" "$writes_st_c"
if [ "$perf_ok" = 1 ]; then
    row "perf trace -s" "$perf_s" "$base" "$writes_st_c"
    row "perf stat -e raw_syscalls:sys_{enter,exit}" "$tp_only" "$base" "$writes_st_c"
    echo "perf stat: the two syscall tracepoints counted, no BPF program: $(awk -v t="$tp_only" -v p="$tp_true" -v b="$base" -v n="$writes" 'BEGIN {printf "%.0f", (t - p - b) * 1e9 / n}') ns per call (its run on /bin/true taken out)"
    perf_events=$(sed -n 's/^ *fx-writes ([0-9]*), \([0-9]*\) events.*/\1/p' "$out/ptrace.txt" | head -1)
    echo "perf trace -s: last run counted ${perf_events:-?} events (2 per call: fewer means perf lost some)"
else
    echo "perf trace -s: unavailable: $perf_why"
fi
echo "record: ${rec_events} events in $(printf '%.3f' "$rec_time")s, $(awk -v n="$rec_events" -v t="$rec_time" 'BEGIN {printf "%.0f", n / t}') events/s;" \
    "lost ${rec_lost} (most in one run: ${rec_lost_max})"
echo "start-up: BPF load + attach ${attach_ms} ms (sysgate's own measure);" \
    "whole session around /bin/true $(awk -v t="$true_eb" 'BEGIN {printf "%.1f", t * 1000}') ms vs" \
    "$(awk -v t="$true_base" 'BEGIN {printf "%.1f", t * 1000}') ms untraced: ${startup_ms} ms (includes detaching)"
echo "per call, start-up taken out: summary $(awk -v t="$eb_sum" -v b="$base" -v s="$startup_ms" -v n="$writes" 'BEGIN {printf "%.0f", (t - b - s / 1000) * 1e9 / n}') ns," \
    "record $(awk -v t="$rec_time" -v b="$base" -v s="$startup_ms" -v n="$writes" 'BEGIN {printf "%.0f", (t - b - s / 1000) * 1e9 / n}') ns"
sum_x=$(ratio "$eb_sum" "$base")
rec_x=$(ratio "$rec_time" "$base")
rec_ok=$(verdict "$rec_x" 2)
[ "$rec_lost_max" = 0 ] || rec_ok="NOT met"
echo "target summary <= 1.2x untraced: ${sum_x}x, $(verdict "$sum_x" 1.2)"
echo "target record <= 2x untraced with 0 lost: ${rec_x}x, ${rec_lost_max} lost, ${rec_ok}"
echo "target load + attach <= 150 ms: ${attach_ms} ms, $(verdict "$attach_ms" 150)"

th=(target/release/fx-threads "$threads" "$per_thread")
base=$(median "${th[@]}")
eb_sum=$(median "$sg" summary --backend ebpf -o "$out/ebs.txt" -- "${th[@]}")
record_ebpf "${th[@]}"
printf '\neBPF backend, %s threads x %s 1-byte writes (fx-threads) (untraced %.3fs, median of %d)\n' "$threads" "$per_thread" "$base" "$repeats"
printf '%-44s %10s %12s %12s\n' "mode" "seconds" "x untraced" "x strace"
row "untraced" "$base" "$base" "$threads_st_c"
row "sysgate summary --backend ebpf -o FILE" "$eb_sum" "$base" "$threads_st_c"
row "sysgate record --backend ebpf -o FILE.sgt" "$rec_time" "$base" "$threads_st_c"
row "strace -f -c" "$threads_st_c" "$base" "$threads_st_c"
echo "record: ${rec_events} events in $(printf '%.3f' "$rec_time")s, $(awk -v n="$rec_events" -v t="$rec_time" 'BEGIN {printf "%.0f", n / t}') events/s;" \
    "lost ${rec_lost} (most in one run: ${rec_lost_max})"
