#!/bin/bash
# run-fuzz.sh TARGET DICT SEED_DIR...: run a libFuzzer target for
# HAIL_FUZZ_SECONDS (default 60) from the seeds, writing new units and any
# crash into a temporary directory, never into the source tree.
set -u
target=$1 dict=$2; shift 2
work=$(mktemp -d -t hail-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
"$target" -max_total_time="${HAIL_FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$work/" -dict="$dict" \
  "$work/corpus" "$@" 2>"$work/log"
rc=$?
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$work/log"
if [ $rc -ne 0 ]; then
  tail -n 60 "$work/log"
  for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -f "$f" ] && { echo "artifact $(basename "$f"):"; od -c "$f" | head -n 20; }
  done
fi
exit $rc
