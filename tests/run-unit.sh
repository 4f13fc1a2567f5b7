#!/bin/sh
# Runs every cmocka unit-test binary; fails if any fails. Prints a closing
# "N passed, N failed" line over the binaries.
pass=0; fail=0
for t in "$@"; do
  if (cd "$(dirname "$0")/.." && "$t"); then pass=$((pass+1)); else fail=$((fail+1)); echo "FAILED: $t"; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" = 0 ]
