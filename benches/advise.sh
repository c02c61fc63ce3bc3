#!/usr/bin/env bash
# How good are `advise`'s estimated savings? For every rule whose finding on its bad fixture
# has a time saving, run the bad and the good fixture untraced (median of REPEATS wall times),
# and compare the measured difference with the saving `advise --json` estimates from a recording
# of the bad fixture. Prints one row per rule with ratio = estimated / measured (1.00 is exact;
# the target is within 2x either way).
# Usage: benches/advise.sh [REPEATS] [-- ADVISE-ARGS…]   e.g. benches/advise.sh 5 -- --costs costs.json
# The cost model is advise's default: ~/.cache/sysgate/costs.json (`sysgate bench`) when it
# exists, else the built-in numbers; the header says which.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
shift || true
[ "${1:-}" = "--" ] && shift
advise_args=("$@")
command -v jq >/dev/null || { echo "jq is required (apt-get install jq)" >&2; exit 1; }
cargo build --release --quiet -p sysgate -p sysgate-fixtures
root=$PWD
sg=$root/target/release/sysgate
fx=$root/target/release
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" # fixtures write their scratch files here

# Median wall time in nanoseconds of a command, over $repeats runs.
median_ns() {
    local times=()
    "$@" >/dev/null 2>&1 || true # warm-up: page cache, dynamic loader
    for _ in $(seq "$repeats"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        times+=("$((end - start))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ms() { awk -v n="$1" 'BEGIN {printf "%.2f", n / 1e6}'; }

model=""
rows=()
for rule in $("$sg" advise --list-rules | awk '{print $1}'); do
    bad=$fx/fx-bad-$rule good=$fx/fx-good-$rule
    [ -x "$bad" ] && [ -x "$good" ] || continue
    "$sg" record -o "$dir/bad.sgt" -- "$bad" >/dev/null 2>&1 || true
    "$sg" advise --json --rule "$rule" ${advise_args[@]+"${advise_args[@]}"} "$dir/bad.sgt" >"$dir/advise.json"
    [ -n "$model" ] || model=$(jq -r '.cost_model | .source + (if .path then " (" + .path + ")" else "" end)' "$dir/advise.json")
    est=$(jq --arg r "$rule" '[.findings[] | select(.rule == $r) | .saving.time_ns] | add // 0' "$dir/advise.json")
    # Latency findings (blocking-*) estimate how long others were stalled, not work avoided.
    avoided=$(jq --arg r "$rule" '[.findings[] | select(.rule == $r) | .saving.calls_avoided] | add // 0' "$dir/advise.json")
    [ "$est" -gt 0 ] || continue
    t_bad=$(median_ns "$bad")
    t_good=$(median_ns "$good")
    diff=$((t_bad - t_good))
    ratio=$(awk -v e="$est" -v d="$diff" 'BEGIN { if (d <= 0) print "n/a"; else printf "%.2f", e / d }')
    verdict=$(awk -v e="$est" -v d="$diff" 'BEGIN { if (d <= 0) print "no measurable gain"; else { r = e / d; print (r >= 0.5 && r <= 2) ? "within 2x" : "outside 2x" } }')
    [ "$avoided" -gt 0 ] || verdict="$verdict (stall time, not work avoided)"
    rows+=("$(printf '%-34s %10s %10s %12s %12s %7s  %s' "$rule" "$(ms "$t_bad")" "$(ms "$t_good")" "$(ms "$diff")" "$(ms "$est")" "$ratio" "$verdict")")
done

echo "sysgate $("$sg" --version | cut -d' ' -f2), kernel $(uname -r), $(nproc) cores; median of $repeats untraced runs; cost model: $model"
printf '%-34s %10s %10s %12s %12s %7s  %s\n' "rule" "bad ms" "good ms" "measured ms" "estimated ms" "ratio" ""
printf '%s\n' "${rows[@]}"
