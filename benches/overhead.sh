#!/usr/bin/env bash
# Wall-time overhead of tracing, as ratios: sysgate vs strace vs the untraced program, measured
# in one run on the same machine. Usage: benches/overhead.sh [WRITES] [THREADS] [REPEATS]
#   WRITES   1-byte writes to /dev/null in the syscall-heavy workload (default 1000000)
#   THREADS  threads in the multi-threaded workload (default 100)
#   REPEATS  runs per configuration; the median is reported (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
writes=${1:-1000000}
threads=${2:-100}
repeats=${3:-3}

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
run_workload "${writes} 1-byte writes to /dev/null (fx-writes)" target/release/fx-writes "$writes"
per_thread=$((writes / threads))
run_workload "${threads} threads x ${per_thread} 1-byte writes (fx-threads)" target/release/fx-threads "$threads" "$per_thread"
