#!/bin/sh
# 18,500 validly signed sheets each with 999,999,999,999,999 registered,
# ballots and Yes votes: the election-wide sums exceed 2^64. Too large to
# commit (7 MB), so the test generates it: generate.sh BIN OUTDIR
set -eu
"$1/recount-gen" synthetic --sheets 18500 --districts 2 --max-counts \
  --out "$2/record" --anchor-out "$2/anchor.vkey"
