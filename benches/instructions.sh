#!/usr/bin/env bash
# Exact instruction counts per call of the controller benches' reconciles
# and their visit-every-object baselines, under callgrind: the same ratios
# as the timed benches, free of the host's load (a shared 2-core machine
# moves single timings by up to 2x). Not a substitute for the timed figures:
# it counts work, not cache misses. Needs valgrind.
#
# usage: benches/instructions.sh [CASE...]
#   cases: ds500 ds5000 ss1000 (workloads bench), rs1k-minimal rs10k-minimal
#   rs1k-realistic rs10k-realistic (controllers bench; rs100k-* work too but
#   take minutes under valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "instructions.sh needs valgrind" >&2; exit 1; }
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    cases=(ds500 ds5000 ss1000 rs1k-minimal rs10k-minimal rs1k-realistic rs10k-realistic)
fi
export CARGO_TERM_COLOR=never
# cargo names the executables it builds; older builds stay beside them.
binary() {
    cargo bench --no-run --bench "$1" 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p' | head -n 1
}
calls=3
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
inclusive() {
    callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null | awk -v f="support::$1" 'index($0, f) && !done { gsub(",", "", $1); print $1; done = 1 }'
}
for case in "${cases[@]}"; do
    case "$case" in
        rs*) bench=controllers ;;
        *) bench=workloads ;;
    esac
    exe="$(binary "$bench")"
    KW_INSTR_CASE="$case" KW_INSTR_CALLS="$calls" \
        valgrind --tool=callgrind --callgrind-out-file="$out" "$exe" >/dev/null 2>&1
    r="$(inclusive instr_reconcile)"
    b="$(inclusive instr_baseline)"
    awk -v c="$case" -v r="$r" -v b="$b" -v n="$calls" \
        'BEGIN { printf "%-18s reconcile %12.0f  baseline %10.0f instructions per call  ratio %6.2f\n", c, r / n, b / n, r / b }'
done
