# Every tampered record gives its expected exit status and findings, and
# exactly its golden reports (expected.json, expected.txt: see README.md).
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
  d=${d%/}
  name=$(basename "$d")
  [ -f "$d/expected" ] || continue
  ncases=$((ncases + 1))
  # base holds record/ and anchor.vkey: the case directory, or for a record
  # too large to commit, a copy made here by the generate.sh beside it
  if ! base=$(golden_base "$ROOT/$BIN" "$d" "$T"); then
    bad "tampered $name: generate.sh failed" "$(head -c 400 "$T/gen-$name.log")"
    continue
  fi
  mapfile -t extra < <(golden_args "$d")
  golden_json "$V" "$base" anchor.vkey "${extra[@]}" >"$T/t.json" 2>"$T/err"
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
  # the whole report, messages and line numbers included
  golden_check "tampered $name: --json report" "$d/expected.json" "$T/t.json"
  golden_txt "$V" "$base" anchor.vkey "$T" "${extra[@]}" >"$T/t.txt"
  golden_check "tampered $name: human report" "$d/expected.txt" "$T/t.txt"
  [ "$base" = "$d" ] || rm -rf "$base"
done
[ "$ncases" -ge 25 ] && ok "at least 25 tampered records ($ncases)" || bad "only $ncases tampered records"

# --crypto picks who decides a signature: the signature of case 21 (R = the
# identity point) is rejected by libsodium alone and accepted by OpenSSL
# alone, so only "both" sees the disagreement
C21=$ROOT/testvectors/tampered/21-crypto-disagreement
expect_exit 1 "tampered 21, --crypto libsodium: exit 1" golden_json "$V" "$C21" anchor.vkey --crypto libsodium
if grep -qF '"code":"SHEET_SIGNATURE","severity":"error","district":"d00001","station":"s00001.0000002"' "$T/out" &&
  ! grep -qF CRYPTO_DISAGREEMENT "$T/out"; then
  ok "tampered 21, --crypto libsodium: SHEET_SIGNATURE, no CRYPTO_DISAGREEMENT"
else
  bad "tampered 21, --crypto libsodium: findings" "$(findings_of "$T/out" | head -3 | tr '\n' ' ')"
fi
expect_exit 0 "tampered 21, --crypto openssl: OpenSSL alone accepts the sheet (exit 0)" \
  golden_json "$V" "$C21" anchor.vkey --crypto openssl
grep -qF '"verdict":"reconciled"' "$T/out" && grep -qF '"findings":[]' "$T/out" &&
  ok "tampered 21, --crypto openssl: reconciled, no finding" ||
  bad "tampered 21, --crypto openssl" "$(head -c 300 "$T/out")"
