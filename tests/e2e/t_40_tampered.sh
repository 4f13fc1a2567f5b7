# Every tampered record gives its expected exit status and findings.
echo "tampered records"
# findings of a JSON report as "CODE district station file" lines
findings_of() {
  sed 's/{"code":/\n{"code":/g' "$1" | grep '^{"code":' | sed 's/,"message":.*//' |
    awk '{
      c = $0; sub(/^{"code":"/, "", c); sub(/".*/, "", c)
      d = "-"; s = "-"; f = "-"
      if (match($0, /"district":"[^"]*"/)) { d = substr($0, RSTART + 12, RLENGTH - 13) }
      if (match($0, /"station":"[^"]*"/)) { s = substr($0, RSTART + 11, RLENGTH - 12) }
      if (match($0, /"file":"[^"]*"/)) { f = substr($0, RSTART + 8, RLENGTH - 9) }
      print c, d, s, f }'
}
ncases=0
for d in "$ROOT"/testvectors/tampered/*/; do
  name=$(basename "$d")
  [ -f "$d/expected" ] || continue
  ncases=$((ncases + 1))
  base=$d
  if [ -x "$d/generate.sh" ]; then
    # too large to commit: generated here from the script beside it
    base=$T/gen-$name
    mkdir -p "$base"
    "$d/generate.sh" "$ROOT/$BIN" "$base" >/dev/null 2>&1
  fi
  "$V" record --anchor "$base/anchor.vkey" --json "$base/record" >"$T/t.json" 2>"$T/err"
  got_exit=$?
  want_exit=$(sed -n 's/^exit //p' "$d/expected")
  if [ "$name" = 32-count-overflow ]; then
    # an overflowing sum is reported, never wrapped: the totals stick at 2^64-1
    if grep -qF '"totals":{"registered":18446744073709551615,"ballots":18446744073709551615' "$T/t.json"; then
      ok "tampered $name: overflowing totals saturate, never wrap"
    else
      bad "tampered $name: totals wrapped" "$(head -c 200 "$T/t.json")"
    fi
  fi
  findings_of "$T/t.json" >"$T/got"
  grep -v -e '^#' -e '^must ' -e '^exit ' "$d/expected" >"$T/want"
  missing=""
  for c in $(sed -n 's/^must //p' "$d/expected"); do
    grep -q "^$c " "$T/got" || missing="$missing $c"
  done
  if [ "$got_exit" = "$want_exit" ] && [ -z "$missing" ] && cmp -s "$T/got" "$T/want"; then
    ok "tampered $name"
  else
    bad "tampered $name" "exit $got_exit (want $want_exit); missing:$missing; $(diff "$T/want" "$T/got" | head -5 | tr '\n' ' ')"
  fi
done
[ "$ncases" -ge 25 ] && ok "at least 25 tampered records ($ncases)" || bad "only $ncases tampered records"
