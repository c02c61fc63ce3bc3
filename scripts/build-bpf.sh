#!/usr/bin/env bash
# Compiles sysgate's eBPF program (crates/trace/bpf/sysgate.bpf.c) into the object the loader
# embeds (crates/trace/bpf/sysgate.bpf.o). The object is committed so that `cargo build` needs
# no clang; run this after changing the C source and commit both.
#
#   scripts/build-bpf.sh           rebuild the object
#   scripts/build-bpf.sh --check   rebuild into a temporary file and fail if the committed
#                                  object differs (CI runs this)
#
# CLANG=clang-14 picks another compiler. -mcpu=v3 (kernel 5.12+ for its atomic compare-and-
# exchange, which claims in-flight slots). The flags leave out debug info so the object does not
# depend on the checkout's path.
set -euo pipefail
cd "$(dirname "$0")/.."
src=crates/trace/bpf/sysgate.bpf.c
obj=crates/trace/bpf/sysgate.bpf.o
clang=${CLANG:-clang}
if ! command -v "$clang" >/dev/null; then
    echo "build-bpf: $clang not found; install it (apt-get install clang) or set CLANG" >&2
    exit 2
fi
build() {
    "$clang" -target bpf -mcpu=v3 -O2 -Wall -Werror -fno-ident -c "$src" -o "$1"
}
case "${1:-}" in
    --check)
        tmp=$(mktemp)
        trap 'rm -f "$tmp"' EXIT
        build "$tmp"
        if ! cmp -s "$tmp" "$obj"; then
            echo "build-bpf: $obj is stale: run scripts/build-bpf.sh and commit the result" >&2
            exit 1
        fi
        echo "build-bpf: $obj matches $src ($("$clang" --version | head -1))"
        ;;
    "")
        build "$obj"
        echo "build-bpf: wrote $obj ($(stat -c %s "$obj") bytes)"
        ;;
    *)
        echo "usage: scripts/build-bpf.sh [--check]" >&2
        exit 2
        ;;
esac
