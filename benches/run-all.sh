#!/usr/bin/env bash
# Runs every benchmark, one after the other, and ends with one summary: each
# figure next to the baseline measured in the same run. The full output is
# kept in target/bench-all.log.
#
#   benches/run-all.sh            # all six benches (about 5 minutes on 2 cores)
#   SIM_ENVELOPE=1 benches/run-all.sh   # the sim bench at 5,000 nodes / 150,000 pods
#
# The ratio lines come from the benches themselves (controllers, workloads,
# kubelet, sim print them); for the criterion-only benches (decode, batch)
# the ratios are read from criterion's estimates under target/criterion.
set -euo pipefail
cd "$(dirname "$0")/.."
log=target/bench-all.log
mkdir -p target
: > "$log"
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
for bench in decode kubelet controllers workloads batch sim; do
    echo "== $bench" | tee -a "$summary"
    cargo bench --bench "$bench" -- --noplot 2>&1 | tee -a "$log" |
        grep -E 'ratio|growth|summary:|ns/event|^ +[0-9]+ +[0-9]+ |size_of|wall time|CPU time|events  |peak memory|choosing' |
        tee -a "$summary" || true
done

# Criterion pairs: measured / baseline (mean of the last run).
python3 - <<'PY' | tee -a "$summary"
import json, os
def mean(group, bench):
    path = os.path.join("target", "criterion", group, bench, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["mean"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None
def ratio(label, group, measured, baseline):
    a, b = mean(group, measured), mean(group, baseline)
    if a is None or b is None:
        print(f"  {label}: no estimate")
    else:
        print(f"  {label}: {a/1e6:.3f} ms vs {b/1e6:.3f} ms, ratio {a/b:.2f}")
print("== criterion pairs")
ratio("decode 10k pods, kube_workloads / k8s_openapi", "decode_10k_pods", "kube_workloads", "k8s_openapi")
ratio("encode 10k pods, kube_workloads / k8s_openapi", "encode_10k_pods", "kube_workloads", "k8s_openapi")
ratio("Job 100k indexes, reconcile / visit-every-pod", "job_100k_indexes", "reconcile", "baseline_visit_every_pod")
for group in ("next_after", "missed_schedule"):
    base = os.path.join("target", "criterion", group)
    if os.path.isdir(base):
        for bench in sorted(os.listdir(base)):
            m = mean(group, bench)
            if m is not None:
                print(f"  {group}/{bench}: {m/1e3:.2f} us")
PY
echo
echo "Summary (full output in $log):"
cat "$summary"
