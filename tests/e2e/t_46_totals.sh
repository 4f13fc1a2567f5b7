# RECORD.md v1.1 §2: district records and published figures carry any total
# below 2^64. Two stations of 10^15 - 1 registered voters in one district:
# recount-sign commit writes the district total 2 * 10^15 - 2 (08b0583 made
# it refuse such a record) and the record verifies.
echo "large totals"
LT=$T/large
"$G" synthetic --sheets 2 --districts 1 --out "$LT" --anchor-out "$T/large.vkey" \
  --keys-out "$T/large-keys.txt" 2>"$T/err" || bad "large totals: generation" "$(cat "$T/err")"
keyfile "$T/large-keys.txt" 1 "$T/large-commission.key"
keyfile "$T/large-keys.txt" 3 "$T/large-st0.key"
keyfile "$T/large-keys.txt" 4 "$T/large-st1.key"
BIG=999999999999999
sed -n '1,/^$/p' "$LT/manifest.note" | sed '$d' |
  sed "s/^\(station s00000\.000000[01] d00000\) [0-9]* /\1 $BIG /" >"$T/large-manifest.txt"
rm -f "$LT/manifest.note" "$LT/districts.txt" "$LT/checkpoint.note" "$LT/log.txt" "$LT/published.note"
rm -rf "$LT/sheets" && mkdir "$LT/sheets"
"$S" sign --key "$T/large-commission.key" "$T/large-manifest.txt" --out "$LT/manifest.note" >/dev/null 2>"$T/err" ||
  bad "large totals: manifest signed" "$(cat "$T/err")"
for i in 0 1; do
  "$S" sheet --key "$T/large-st$i.key" --election bench --district d00000 \
    --station "s00000.000000$i" --registered $BIG --ballots $((BIG - 9)) \
    --invalid 4 --blank 3 --excluded 2 --vote yes=$((BIG - 20)) --vote no=2 \
    --out "$LT/sheets/s$i.txt" >/dev/null 2>"$T/err" || bad "large totals: sheet $i" "$(cat "$T/err")"
done
expect_exit 0 "large totals: commit writes a district total of 2 * 10^15 - 2 (v1: refused)" \
  "$S" commit --key "$T/large-commission.key" "$LT"
grep -qx "registered $((2 * BIG))" "$LT/districts.txt" && grep -qx "vote yes $((2 * (BIG - 20)))" "$LT/districts.txt" &&
  ok "large totals: districts.txt holds the totals" || bad "large totals: districts.txt" "$(head -c 400 "$LT/districts.txt")"
"$V" record --anchor "$T/large.vkey" --json "$LT" >"$T/large.json" 2>"$T/err"
st=$?
[ "$st" = 0 ] && grep -q "\"registered\":$((2 * BIG))," "$T/large.json" && ! grep -q '"code"' "$T/large.json" &&
  ok "large totals: the committed record verifies with no finding" ||
  bad "large totals: verify" "exit $st, $(head -c 400 "$T/large.json")"
# a total of 2^64 is beyond any sum: refused as a district record format
sed -i "s/^registered $((2 * BIG))\$/registered 18446744073709551616/" "$LT/districts.txt"
"$V" record --anchor "$T/large.vkey" --json "$LT" >"$T/large.json" 2>"$T/err"
grep -q '"code":"DISTRICT_RECORD_FORMAT"' "$T/large.json" && grep -q 'below 2^64' "$T/large.json" &&
  ok "large totals: 2^64 in a district record is DISTRICT_RECORD_FORMAT" ||
  bad "large totals: 2^64" "$(head -c 400 "$T/large.json")"
