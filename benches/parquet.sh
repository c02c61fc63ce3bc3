#!/usr/bin/env bash
# Parquet export against the other ways out of a recording, measured in one run on the same
# synthetic recording: events/s of `export --format parquet` (all three tables, advisor
# included), of `export --format jsonl` and of `summary` (the .sgt read alone), and bytes per
# event of .sgt, JSON Lines and Parquet (events table; all tables), plus peak memory.
# Usage: benches/parquet.sh [EVENTS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
repeats=${2:-3}
cargo build --release --quiet -p sysgate
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

target/release/examples/synth_trace "$dir/run.sgt" "$events" 2>/dev/null
t_pq=$(secs "$sg" export --format parquet "$dir/run.sgt" -o "$dir/fleet")
t_js=$(secs "$sg" export "$dir/run.sgt" -o "$dir/run.jsonl")
t_sum=$(secs "$sg" summary "$dir/run.sgt")
sgt=$(stat -c %s "$dir/run.sgt")
js=$(stat -c %s "$dir/run.jsonl")
pq_events=$(find "$dir/fleet/events" -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {print s}')
pq_all=$(find "$dir/fleet" -name '*.parquet' -printf '%s\n' | awk '{s += $1} END {print s}')
echo "synthetic recording: $events events"
awk -v n="$events" -v t="$t_pq" 'BEGIN {printf "export --format parquet: %.2f s, %.2f M events/s\n", t, n / t / 1e6}'
awk -v n="$events" -v t="$t_js" 'BEGIN {printf "export --format jsonl:   %.2f s, %.2f M events/s\n", t, n / t / 1e6}'
awk -v n="$events" -v t="$t_sum" 'BEGIN {printf "summary (read alone):   %.2f s, %.2f M events/s\n", t, n / t / 1e6}'
awk -v n="$events" -v a="$sgt" -v b="$js" -v c="$pq_events" -v d="$pq_all" 'BEGIN {
    printf "bytes/event: .sgt %.1f, JSON Lines %.1f, Parquet events %.1f (all three tables %.1f)\n", a / n, b / n, c / n, d / n }'
if [ -x /usr/bin/time ]; then
    rm -rf "$dir/fleet"
    echo "parquet export peak memory: $(peak_kib "$sg" export --format parquet "$dir/run.sgt" -o "$dir/fleet") KiB"
fi
