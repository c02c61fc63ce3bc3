#!/usr/bin/env bash
# Runs the .sgt reader fuzz target for SECONDS (default 60) on stable Rust.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); `-s none` turns off the sanitizer, which would
# need nightly. Seeds the corpus with a real recording when sysgate is built.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
mkdir -p corpus/sgt_reader
if [ -x ../target/debug/sysgate ] && [ ! -e corpus/sgt_reader/seed-true.sgt ]; then
    ../target/debug/sysgate record -o corpus/sgt_reader/seed-true.sgt -- /bin/true 2>/dev/null || true
fi
cargo fuzz run -s none sgt_reader corpus/sgt_reader -- -max_total_time="$secs"
