#!/usr/bin/env bash
# How many lines of `sysgate trace --backend ebpf` equal strace's on the family fixtures, after
# masking what differs between any two runs: addresses (ASLR), random bytes (getrandom), pids,
# and the column padding those change. Needs root (eBPF) and strace.
#
#   scripts/ebpf-fidelity.sh          one line per fixture and a total
#   scripts/ebpf-fidelity.sh -v       also the differing lines
set -euo pipefail
cd "$(dirname "$0")/.."
verbose=${1:-}
cargo build --release --quiet -p sysgate -p sysgate-fixtures
bin=target/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mask() {
    sed -E 's/0x[0-9a-f]{6,}/0xADDR/g; s/[0-9a-f]{8,}/HEX/g; s/\\x[0-9a-f]{2}/X/g;
            s/= [0-9]{4,}$/= PID/; s/\([0-9]{4,}, /(PID, /; s/ +/ /g' "$1"
}
total=0
same=0
for fam in file net proc mem ipc; do
    mkdir -p "$work/st-$fam" "$work/sg-$fam"
    strace -f -o "$work/st-$fam.txt" "$bin/fx-fam-$fam" "$work/st-$fam" >/dev/null 2>&1
    "$bin/sysgate" trace --backend ebpf -o "$work/sg-$fam.txt" -- "$bin/fx-fam-$fam" "$work/sg-$fam" >/dev/null 2>&1
    sed -i -E "s#$work/st-$fam#DIR#g; s#^[0-9]+ +##" "$work/st-$fam.txt"
    sed -i -E "s#$work/sg-$fam#DIR#g; s#^\\[pid +[0-9]+\\] ##" "$work/sg-$fam.txt"
    n=$(wc -l <"$work/st-$fam.txt")
    d=$(diff <(mask "$work/st-$fam.txt") <(mask "$work/sg-$fam.txt") | grep -c '^>' || true)
    printf '%-5s %4d lines, %4d identical (%.1f%%)\n' "$fam" "$n" "$((n - d))" "$(awk -v a=$((n - d)) -v b="$n" 'BEGIN {print 100 * a / b}')"
    if [ "$verbose" = -v ]; then
        diff <(mask "$work/st-$fam.txt") <(mask "$work/sg-$fam.txt") | grep '^[<>]' || true
    fi
    total=$((total + n))
    same=$((same + n - d))
done
printf 'all   %4d lines, %4d identical (%.1f%%)\n' "$total" "$same" "$(awk -v a="$same" -v b="$total" 'BEGIN {print 100 * a / b}')"
