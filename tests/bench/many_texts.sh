#!/usr/bin/env bash
# many_texts.sh BIN N OUT — a hostile record: a small synthetic record
# (OUT/record, anchor OUT/anchor.vkey) whose first station also has N more
# distinct, well-formed texts in one extra file, each with a signature
# line by a key the manifest does not know (so no signature is checked and
# the time is the engine's own). Checking it must take time linear in N
# (same-station texts are handled by hash).
set -euo pipefail
BIN=$1 N=$2 OUT=$3
rm -rf "$OUT"
mkdir -p "$OUT"
"$BIN/recount-gen" synthetic --sheets 40 --districts 4 --out "$OUT/record" \
  --anchor-out "$OUT/anchor.vkey" >/dev/null
first=$(ls "$OUT/record/sheets" | head -n 1)
# the first note of the first file: its text lines and its signature line
awk -v n="$N" '
  NR == 1, /^$/ { if ($0 != "") text[++t] = $0; next }
  !sig { sig = $0; sub(/^— [^ ]* /, "— not-a-registered-key ", sig) }
  END {
    for (k = 1; k <= t; k++) { split(text[k], f, " "); v[f[1]] = f[2] }
    total = v["ballots"]
    for (i = 0; i < n; i++) {
      inv = int(i / 200); yes = i % 200
      no = total - inv - v["blank"] - v["excluded"] - yes
      for (k = 1; k <= t; k++) {
        if (text[k] ~ /^invalid /) print "invalid " inv
        else if (text[k] ~ /^vote yes /) print "vote yes " yes
        else if (text[k] ~ /^vote no /) print "vote no " no
        else print text[k]
      }
      print ""
      print sig
    }
  }' "$OUT/record/sheets/$first" >"$OUT/record/sheets/zz-many.txt"
