#!/usr/bin/env bash
# Runs one fuzz target for a given number of seconds:
#   fuzz/run.sh TARGET SECONDS [extra libFuzzer args...]
# Installs cargo-fuzz when missing. Works on the stable toolchain through
# RUSTC_BOOTSTRAP=1 (cargo-fuzz passes nightly-only -Z flags). Set
# FUZZ_SANITIZER=none to build without AddressSanitizer (faster; the
# targets are safe Rust, so ASan adds little). New corpus entries are
# written to a scratch directory, not to the committed fuzz/corpus/<target>;
# crashes land in fuzz/artifacts/<target>/ (git-ignored).
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 TARGET SECONDS [libFuzzer args...]" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2
cd "$(dirname "$0")"
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
sanitizer=${FUZZ_SANITIZER:-address}
work=target/fuzz-corpus/$target
mkdir -p "$work" "artifacts/$target"
export RUSTC_BOOTSTRAP=1
# Seeds are read from corpus/<target> (read-only use: libFuzzer writes new
# inputs only to the first directory, the scratch one).
exec nice -n "${FUZZ_NICE:-19}" cargo fuzz run -a -s "$sanitizer" "$target" "$work" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-4096}" -timeout="${FUZZ_TIMEOUT:-10}" \
    -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1 "$@"
