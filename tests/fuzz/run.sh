#!/bin/sh
# run.sh — fuzz each named harness for FUZZ_TIME seconds (used by `make fuzz`).
#
#   FZ=build-fuzz FUZZ_TIME=60 tests/fuzz/run.sh note sheet ...
#
# The working corpus is $FZ/corpus/<harness> (new inputs land there and are
# never committed); the committed seeds in tests/fuzz/corpus/<harness> are
# read as a second, read-only corpus directory. Crashes go to
# $FZ/artifacts/<harness>/; logs to $FZ/logs/<harness>.log. One summary line
# per harness (execs, cov, ft, corpus) is printed and appended to
# $FZ/stats.txt. Exit status 1 if any harness crashed.
set -u
FZ=${FZ:-build-fuzz}
FUZZ_TIME=${FUZZ_TIME:-60}
HERE=$(dirname "$0")
status=0

max_len() {
  case $1 in
    manifest) echo 262144 ;;
    note|receipt|district|published|record) echo 65536 ;;
    sheet) echo 20000 ;;
    checkpoint) echo 4096 ;;
    vkey|skey|b64) echo 1024 ;;
    *) echo 65536 ;;
  esac
}

for h in "$@"; do
  bin=$FZ/fuzz_$h
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin not built (run make fuzz-build)" >&2
    status=1
    continue
  fi
  mkdir -p "$FZ/corpus/$h" "$FZ/artifacts/$h" "$FZ/logs"
  dict=
  case $h in b64|skey|vkey) ;; *) dict=-dict=$HERE/recount.dict ;; esac
  log=$FZ/logs/$h.log
  echo "fuzz: $h for ${FUZZ_TIME}s (max_len $(max_len "$h"))"
  start=$(date +%s)
  "$bin" -max_total_time="$FUZZ_TIME" -max_len="$(max_len "$h")" \
    -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$FZ/artifacts/$h/" $dict \
    "$FZ/corpus/$h" "$HERE/corpus/$h" >"$log" 2>&1
  rc=$?
  # the time actually fuzzed: a run that crashes stops early
  secs=$(($(date +%s) - start))
  [ "$secs" -le "$FUZZ_TIME" ] || secs=$FUZZ_TIME
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
  [ -n "$done_line" ] || done_line=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(echo "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$done_line" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
  line="$(date -u +%Y-%m-%dT%H:%MZ) $h time=${secs}s execs=${execs:-?} exec/s=${speed:-?} cov=${cov:-?} ft=${ft:-?} corp=${corp:-?} rc=$rc"
  echo "fuzz: $line"
  echo "$line" >>"$FZ/stats.txt"
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "fuzz: $h FAILED (exit $rc); see $log and $FZ/artifacts/$h/" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*fuzz invariant failed|.*round trip differs)' "$log" | head -n 5 >&2
  fi
done
exit $status
