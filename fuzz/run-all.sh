#!/usr/bin/env bash
# Runs every fuzz target in turn, SECONDS each: fuzz/run-all.sh SECONDS
# Stops at the first target that finds a crash (its input is in
# fuzz/artifacts/<target>/); set FUZZ_KEEP_GOING=1 to run the rest anyway.
set -uo pipefail
seconds=${1:?usage: $0 SECONDS}
cd "$(dirname "$0")"
status=0
for target in $(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^kube-workloads-fuzz$'); do
    echo "=== $target ($seconds s)"
    if ! ./run.sh "$target" "$seconds"; then
        status=1
        echo "=== $target: crash or error" >&2
        [ "${FUZZ_KEEP_GOING:-0}" = 1 ] || exit 1
    fi
done
exit $status
