#!/usr/bin/env bash
# Measures which syscalls an OCI runtime makes after it has installed a container's seccomp
# filter and before the container's program runs: the calls every profile given to that
# runtime must allow, or the container fails to start. Prints them, one per line, with the
# runtime's version first.
#
#   scripts/runtime-calls.sh runc [RUNS]     # needs root, runc, busybox-static and python3
#
# It builds a bundle whose rootfs holds static busybox, gives it an allow-everything filter (so
# the runtime installs one), records `RUNTIME run` with sysgate RUNS times (default 10), finds the
# process that installed the filter (seccomp(SECCOMP_SET_MODE_FILTER) or prctl(PR_SET_SECCOMP))
# and takes every call its threads made after that, up to its successful execve. The union over
# the runs is printed: the runtime's Go threads wake at different moments each time.
set -euo pipefail
runtime=${1:?usage: runtime-calls.sh RUNTIME [RUNS]}
runs=${2:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
sg=${SYSGATE:-$here/target/release/sysgate}
[ -x "$sg" ] || sg=$here/target/debug/sysgate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundle/rootfs/bin"
cp /bin/busybox "$work/bundle/rootfs/bin/"
ln -s busybox "$work/bundle/rootfs/bin/echo"
(cd "$work/bundle" && "$runtime" spec)
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/echo", "started"]
c["root"]["readonly"] = True
c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}
json.dump(c, open(p, "w"))
PY
"$runtime" --version | head -1
for i in $(seq "$runs"); do
    "$sg" record -o "$work/r$i.sgt" -- "$runtime" run -b "$work/bundle" "sysgate-measure-$$-$i" >/dev/null 2>&1
    "$sg" export "$work/r$i.sgt" >"$work/r$i.jsonl"
done
python3 - "$work"/r*.jsonl <<'PY'
import json, sys
PR_SET_SECCOMP, SECCOMP_SET_MODE_FILTER = 22, 1
seen = set()
for path in sys.argv[1:]:
    calls = [e for e in map(json.loads, open(path)) if e.get("type") == "syscall"]
    start = None
    for i, e in enumerate(calls):
        a = e["raw_args"]
        if (e["name"] == "prctl" and a[0] == PR_SET_SECCOMP) or (
            e["name"] == "seccomp" and a[0] == SECCOMP_SET_MODE_FILTER and e.get("ret") == 0
        ):
            start, pid = i, e["pid"]
    if start is None:
        sys.exit(f"{path}: the runtime installed no filter")
    for e in calls[start + 1:]:
        if e["pid"] != pid:
            continue
        seen.add(e["name"])
        if e["name"] == "execve" and e.get("ret") == 0:
            break
print("\n".join(sorted(seen)))
PY
