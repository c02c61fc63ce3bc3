#!/usr/bin/env bash
# Reading and recording speed of .sgt files, measured in one run:
#   - `sysgate summary` and `sysgate export` on a synthetic 5M-event recording (events/s, one core)
#   - peak memory of `summary` on 1M and 5M events (it must not grow with the trace)
#   - bytes per event of a real recording (fx-writes), with and without buffer contents
#   - recording overhead: `record -o FILE` against `trace -o /dev/null` on the same workload
# Usage: benches/summary.sh [EVENTS] [WRITES] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-5000000}
writes=${2:-200000}
repeats=${3:-3}
cargo build --release --quiet -p sysgate -p sysgate-fixtures
cargo build --release --quiet -p sysgate-analyze --example synth_trace
sg=target/release/sysgate
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

secs() { # wall seconds of a command, median of $repeats
    local t=()
    for _ in $(seq "$repeats"); do
        local s e
        s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
        t+=("$(awk -v a="$s" -v b="$e" 'BEGIN {printf "%.6f", b - a}')")
    done
    printf '%s\n' "${t[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

target/release/examples/synth_trace "$dir/big.sgt" "$events" 2>/dev/null
target/release/examples/synth_trace "$dir/small.sgt" 1000000 2>/dev/null
size=$(stat -c %s "$dir/big.sgt")
t_sum=$(secs "$sg" summary "$dir/big.sgt")
t_exp=$(secs "$sg" export "$dir/big.sgt")
echo "synthetic recording: $events events, $(awk -v s="$size" -v n="$events" 'BEGIN {printf "%.1f", s / n}') bytes/event"
awk -v n="$events" -v t="$t_sum" 'BEGIN {printf "summary: %.2f s, %.2f M events/s\n", t, n / t / 1e6}'
awk -v n="$events" -v t="$t_exp" 'BEGIN {printf "export (JSON Lines): %.2f s, %.2f M events/s\n", t, n / t / 1e6}'
if [ -x /usr/bin/time ]; then
    echo "summary peak memory: $(peak_kib "$sg" summary "$dir/small.sgt") KiB at 1M events, $(peak_kib "$sg" summary "$dir/big.sgt") KiB at $events events"
fi

"$sg" record -o "$dir/w.sgt" -- target/release/fx-writes "$writes" 2>"$dir/rec.txt"
"$sg" record -s 0 -o "$dir/w0.sgt" -- target/release/fx-writes "$writes" 2>"$dir/rec0.txt"
echo "real recording of $writes 1-byte writes: $(grep -o '[0-9.]* bytes/event' "$dir/rec.txt") (-s 0: $(grep -o '[0-9.]* bytes/event' "$dir/rec0.txt"))"
t_trace=$(secs "$sg" trace -o /dev/null -- target/release/fx-writes "$writes")
t_rec=$(secs "$sg" record -o "$dir/r.sgt" -- target/release/fx-writes "$writes")
awk -v a="$t_rec" -v b="$t_trace" 'BEGIN {printf "record %.2f s vs trace -o /dev/null %.2f s: %.2fx\n", a, b, a / b}'
