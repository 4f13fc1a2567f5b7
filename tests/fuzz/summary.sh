#!/bin/sh
# summary.sh — per-harness totals over every run logged in a stats file
# (default build-fuzz/stats.txt, one line per run, written by run.sh):
# runs, seconds fuzzed, executions, and cov/ft/corpus of the latest run.
#
#   tests/fuzz/summary.sh [build-fuzz/stats.txt]
set -eu
f=${1:-${FZ:-build-fuzz}/stats.txt}
[ -r "$f" ] || { echo "summary: cannot read $f (run make fuzz first)" >&2; exit 2; }
awk '
function val(k,   i, kv) {
  for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] }
  return ""
}
{
  h = $2
  if (!(h in runs)) order[n++] = h
  runs[h]++
  t = val("time"); sub(/s$/, "", t); secs[h] += t
  e = val("execs"); if (e ~ /^[0-9]+$/) execs[h] += e
  if (val("rc") != "0") bad[h]++
  cov[h] = val("cov"); ft[h] = val("ft"); corp[h] = val("corp")
}
END {
  printf "%-11s %4s %9s %8s %14s %5s %5s  %-14s %s\n", "harness", "runs", "seconds", "minutes", "executions", "cov", "ft", "corpus", "failed runs"
  for (i = 0; i < n; i++) {
    h = order[i]
    printf "%-11s %4d %9d %8.1f %14d %5s %5s  %-14s %d\n", h, runs[h], secs[h], secs[h] / 60, execs[h], cov[h], ft[h], corp[h], bad[h] + 0
    ts += secs[h]; te += execs[h]
  }
  printf "%-11s %4s %9d %8.1f %14d\n", "total", "", ts, ts / 60, te
}' "$f"
