# recount-sign manifest: the manifest from a registry's CSV tables
# (testvectors/csv/README.md), its golden output, every refusal with its
# exact message, witnesses, and the command line.
echo "recount-sign manifest"
CSV=$ROOT/testvectors/csv
W=$T/manifest
mkdir -p "$W"
cd "$CSV" || exit 1
MA=(--election test-2026 --origin recount.example/test-2026
  --title "Test referendum 2026" --choice yes=Yes --choice "no=No / Na")
BOMNOTE='recount-sign manifest: note: districts.csv starts with a UTF-8 byte order mark; it is skipped'

expect_exit 0 "manifest: builds the 4-station election from the tables" \
  "$S" manifest "${MA[@]}" --witness observers.vkey --districts districts.csv --stations stations.csv
cmp -s "$T/out" manifest.txt && ok "manifest: output equals the golden manifest.txt" ||
  bad "manifest: output differs from manifest.txt" "$(diff "$T/out" manifest.txt | head -5)"
[ "$(cat "$T/err")" = "$BOMNOTE" ] && ok "manifest: the skipped BOM is noted on stderr" ||
  bad "manifest: BOM note" "$(cat "$T/err")"

expect_exit 0 "manifest: --out" "$S" manifest "${MA[@]}" --witness observers.vkey \
  --districts districts.csv --stations stations.csv --out "$W/m.txt"
cmp -s "$W/m.txt" manifest.txt && [ ! -s "$T/out" ] && ok "manifest: --out writes the manifest, nothing on stdout" ||
  bad "manifest: --out content"
printf 'keep\n' >"$W/exists.txt"
expect_exit 1 "manifest: refuses to overwrite --out" "$S" manifest "${MA[@]}" \
  --districts districts.csv --stations stations.csv --out "$W/exists.txt"
[ "$(cat "$W/exists.txt")" = keep ] && ok "manifest: existing --out untouched" || bad "manifest: --out overwritten"

# sign the written manifest with the commission's test key: golden note
keyfile "$CSV/TEST-KEYS-DO-NOT-USE.txt" 2 "$W/commission.key"
expect_exit 0 "manifest: recount-sign sign accepts the manifest" \
  "$S" sign --key "$W/commission.key" "$W/m.txt" --out "$W/m.note"
cmp -s "$W/m.note" manifest.note && ok "manifest: signed manifest equals the golden manifest.note" ||
  bad "manifest: signed manifest differs from manifest.note"
expect_exit 0 "manifest: the signed manifest verifies with the commission key" \
  "$V" note --key commission.vkey "$W/m.note"

# the same tables in other shapes: LF/no BOM, CRLF, columns reordered,
# absolute paths from another directory (key files stay relative to
# stations.csv)
tail -c +4 districts.csv | tr -d '\r' >"$W/districts.csv"
{ printf 'key,registered,id,district\r\n'
  tail -n +2 stations.csv | awk -F, '{ printf "%s,%s,%s,%s\r\n", $4, $3, $1, $2 }'
} >"$W/stations.csv"
mkdir -p "$W/keys" && cp keys/s3.vkey keys/s4.vkey "$W/keys/"
(cd / && "$S" manifest "${MA[@]}" --witness "$CSV/observers.vkey" --districts "$W/districts.csv" \
  --stations "$W/stations.csv" >"$T/out" 2>"$T/err")
cmp -s "$T/out" manifest.txt && [ ! -s "$T/err" ] &&
  ok "manifest: LF, no BOM, CRLF, reordered columns, run elsewhere: same manifest, no note" ||
  bad "manifest: other table shapes" "$(head -c 300 "$T/err")"

# witnesses
expect_exit 0 "manifest: without --witness" "$S" manifest "${MA[@]}" --districts districts.csv --stations stations.csv
grep -v '^witness ' manifest.txt | cmp -s - "$T/out" && ok "manifest: no witness line without --witness" ||
  bad "manifest: without --witness"
expect_exit 0 "manifest: two witnesses" "$S" manifest "${MA[@]}" --witness observers.vkey \
  --witness keys/spare.vkey --districts districts.csv --stations stations.csv
[ "$(grep '^witness ' "$T/out")" = "witness $(cat observers.vkey)
witness $(cat keys/spare.vkey)" ] && ok "manifest: witness lines in command-line order" ||
  bad "manifest: two witnesses" "$(grep '^witness' "$T/out")"
expect_exit 1 "manifest: refuses a witness given twice" "$S" manifest "${MA[@]}" --witness observers.vkey \
  --witness observers.vkey --districts districts.csv --stations stations.csv
grep -qx 'recount-sign manifest: --witness observers.vkey: the same public key as --witness observers.vkey' "$T/err" &&
  ok "manifest: the duplicate witness message" || bad "manifest: duplicate witness message" "$(cat "$T/err")"
expect_exit 1 "manifest: refuses a weak witness key" "$S" manifest "${MA[@]}" --witness keys/weak.vkey \
  --districts districts.csv --stations stations.csv
grep -qx 'recount-sign manifest: --witness keys/weak.vkey: weak key (a point of small order)' "$T/err" &&
  ok "manifest: the weak witness message" || bad "manifest: weak witness message" "$(cat "$T/err")"
expect_exit 1 "manifest: refuses a witness that is also a station" "$S" manifest "${MA[@]}" \
  --witness keys/s3.vkey --districts districts.csv --stations stations.csv
grep -qx 'recount-sign manifest: stations.csv row 4, column key: the same public key as --witness keys/s3.vkey' "$T/err" &&
  ok "manifest: the station-is-witness message" || bad "manifest: station-is-witness message" "$(cat "$T/err")"

# every refusal: exact standard error, exit 1, nothing written
nbad=0
for f in bad/*.csv; do
  b=$(basename "$f" .csv)
  case $b in
    districts-*) d=$f s=stations.csv ;;
    *) d=districts.csv s=$f ;;
  esac
  "$S" manifest "${MA[@]}" --witness observers.vkey --districts "$d" --stations "$s" \
    --out "$W/$b.txt" >"$T/out" 2>"$T/err"
  st=$?
  if [ "$st" = 1 ] && cmp -s "$T/err" "bad/$b.expected" && [ ! -e "$W/$b.txt" ]; then
    nbad=$((nbad + 1))
  else
    bad "manifest: refusal $b" "exit $st; $(diff "$T/err" "bad/$b.expected" | head -4)"
  fi
done
[ "$nbad" -ge 20 ] && ok "manifest: $nbad bad tables refused with the exact expected messages" ||
  bad "manifest: only $nbad bad tables as expected"
grep -qx 'recount-sign manifest: bad/stations-bad-count.csv row 3, column registered: "12a" is not a count (0, or 1 to 15 digits without a leading zero)' \
  bad/stations-bad-count.expected && ok "manifest: the bad-count message names file, row and column" ||
  bad "manifest: bad-count message"

# the command line
expect_exit 2 "manifest: --stations is required" "$S" manifest "${MA[@]}" --districts districts.csv
expect_exit 2 "manifest: a missing table is an I/O error" "$S" manifest "${MA[@]}" \
  --districts nonexistent.csv --stations stations.csv
expect_exit 2 "manifest: a bad --choice" "$S" manifest --election test-2026 --origin o.example/x --title T \
  --choice Yes=Yes --districts districts.csv --stations stations.csv
grep -qx 'recount-sign manifest: --choice "Yes=Yes": expected ID=NAME with ID \[a-z0-9\]\[a-z0-9._-\]{0,63}' "$T/err" &&
  ok "manifest: the bad --choice message" || bad "manifest: bad --choice message" "$(cat "$T/err")"
expect_exit 2 "manifest: a choice given twice" "$S" manifest "${MA[@]}" --choice yes=Again \
  --districts districts.csv --stations stations.csv
expect_exit 2 "manifest: a bad --election" "$S" manifest --election Test --origin o.example/x --title T \
  --choice yes=Yes --districts districts.csv --stations stations.csv
expect_exit 2 "manifest: an origin with a space" "$S" manifest --election e --origin 'o x' --title T \
  --choice yes=Yes --districts districts.csv --stations stations.csv
expect_exit 2 "manifest: a title with a control character" "$S" manifest --election e --origin o --title "$(printf 'a\tb')" \
  --choice yes=Yes --districts districts.csv --stations stations.csv
expect_exit 2 "manifest: an unknown option" "$S" manifest --frobnicate
expect_exit 0 "manifest: --help" "$S" manifest --help
grep -q 'id,district,registered,key' "$T/out" && ok "manifest: --help describes the tables" || bad "manifest: --help text"
cd "$ROOT" || exit 1
