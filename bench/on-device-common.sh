# Shared by the bench/*-on-device.sh scripts (sourced): Node and Dawn from .device-carry, $out for
# the results, the builds to compare ($NEW, $OLD: dist/ folders of a build each), the machine's
# name, and run NAME LIMIT COMMAND... (appends stdout to $out/NAME.jsonl, stderr to stderr.log).
source .device-carry/on-device.sh >/dev/null 2>&1
out=${OUT:-/tmp/out}; mkdir -p "$out"
NEW=${NEW:-.bench-new/dist}
OLD=${OLD:-.bench-old/dist}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/machine.txt"
run() { local name=$1 limit=$2; shift 2; echo "== $name" >&2; local t0=$SECONDS; timeout "$limit" "$@" >> "$out/$name.jsonl" 2>> "$out/stderr.log"; echo "   rc=$? $((SECONDS - t0)) s, $(wc -l < "$out/$name.jsonl") lines" >&2; }
