#!/usr/bin/env bash
# Cost of stack traces (-k), as ratios measured in one run: sysgate trace -k and strace -k on
# the same workload, each against the same tool without -k and against the untraced program.
# The workload is fx-writes (N 1-byte writes from one call site), traced in full and with
# -e trace=write (stacks are taken only for the calls shown).
# Usage: benches/stacks.sh [WRITES] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
writes=${1:-100000}
repeats=${2:-3}

command -v strace >/dev/null || { echo "strace is required (apt-get install strace)" >&2; exit 1; }
cargo build --release --quiet -p sysgate -p sysgate-fixtures
sg=target/release/sysgate
prog=(target/release/fx-writes "$writes")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! strace -k -o /dev/null true 2>/dev/null; then
    echo "this strace has no -k (built without unwinding): only sysgate is measured" >&2
    st_k=false
else
    st_k=true
fi

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

echo "sysgate $($sg --version | cut -d' ' -f2), $(strace -V | head -1), kernel $(uname -r), $(nproc) cores"
base=$(median "${prog[@]}")
printf '\n%s writes (untraced %.3fs, median of %d)\n' "$writes" "$base" "$repeats"
printf '%-40s %10s %12s %14s %10s\n' "mode" "seconds" "x untraced" "x same w/o -k" "x strace"
for sel in "" "-e trace=write"; do
    # shellcheck disable=SC2086
    sg_plain=$(median "$sg" trace $sel -o "$out/a" -- "${prog[@]}")
    # shellcheck disable=SC2086
    sg_k=$(median "$sg" trace -k $sel -o "$out/b" -- "${prog[@]}")
    st_plain=NaN; st_kk=NaN
    if $st_k; then
        # shellcheck disable=SC2086
        st_plain=$(median strace -f $sel -o "$out/c" "${prog[@]}")
        # shellcheck disable=SC2086
        st_kk=$(median strace -f -k $sel -o "$out/d" "${prog[@]}")
    fi
    label=${sel:-all calls}
    printf '%-40s %10.3f %12s %14s %10s\n' "sysgate trace -k ($label)" "$sg_k" "$(ratio "$sg_k" "$base")" "$(ratio "$sg_k" "$sg_plain")" "$(ratio "$sg_k" "$st_kk")"
    printf '%-40s %10.3f %12s %14s %10s\n' "strace -k ($label)" "$st_kk" "$(ratio "$st_kk" "$base")" "$(ratio "$st_kk" "$st_plain")" "1.00"
done
