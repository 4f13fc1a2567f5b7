# The v1.1 verdicts, completeness and reports (RECORD.md v1.1 §6): every
# JSON report validates against docs/report.schema.json, the three
# verdicts and the error object, the outcome bound, hostile file names in
# the human report, and --csv.
echo "verdicts and reports"
TV=$ROOT/testvectors/tampered
SCHEMA=$ROOT/docs/report.schema.json
PY=/usr/bin/python3
have_schema() { [ -x "$PY" ] && "$PY" -c 'import jsonschema' 2>/dev/null; }
validate() { "$PY" "$ROOT/tests/e2e/validate-json.py" "$SCHEMA" "$@"; }

# every golden JSON report (t_40 and t_10 check that they are exactly what
# the verifier prints) and the JSON of the runs below
W=$T/w3
mkdir -p "$W"
if have_schema; then
  if validate "$TV"/*/expected.json "$KRD/expected.json" >"$W/val" 2>&1; then
    ok "schema: all $(ls "$TV"/*/expected.json "$KRD/expected.json" | wc -l) golden JSON reports validate"
  else bad "schema: golden JSON reports" "$(head -c 600 "$W/val")"; fi
  # and the schema rejects what it must (a test that can fail)
  sed 's/"verdict":"reconciled"/"verdict":"fine"/' "$KRD/expected.json" >"$W/badv.json"
  sed 's/"line":\([0-9]*\)/"line":"\1"/' "$TV/01-forged-count/expected.json" >"$W/badl.json"
  if ! validate "$W/badv.json" >/dev/null 2>&1 && ! validate "$W/badl.json" >/dev/null 2>&1; then
    ok "schema: an unknown verdict and a string line are rejected"
  else bad "schema accepts invalid reports"; fi
else
  echo "  skipped: schema checks (/usr/bin/python3 with python3-jsonschema not installed)"
fi
check_json() { # NAME FILE: one JSON object that validates
  if ! have_schema; then return 0; fi
  if validate "$2" >"$W/val" 2>&1; then ok "$1: JSON validates"; else
    bad "$1: JSON does not validate" "$(head -c 400 "$W/val")"; fi
}

# the three verdicts
rv() { (cd "$1" && "$V" record --anchor anchor.vkey --json "${@:2}" record); }
rv "$TV/36-missing-station-outcome-determined" >"$W/36.json" 2>"$T/err"
st=$?
if [ $st = 0 ] && grep -q '"verdict":"reconciled"' "$W/36.json" &&
  grep -q '"registered_uncounted":521,"leader":"yes","margin":2412,"outcome_can_change":false' "$W/36.json"; then
  ok "one station missing that cannot change the result: reconciled, exit 0, R = 521 reported"
else bad "missing station, outcome determined" "exit $st; $(head -c 300 "$W/36.json")"; fi
rv "$TV/35-outcome-not-determined" >"$W/35.json" 2>"$T/err"
st=$?
if [ $st = 1 ] && grep -q '"verdict":"discrepancies"' "$W/35.json" &&
  grep -q '"margin":8,"outcome_can_change":true' "$W/35.json" &&
  grep -q '"code":"OUTCOME_NOT_DETERMINED","severity":"error"' "$W/35.json"; then
  ok "one station missing that could flip the result: OUTCOME_NOT_DETERMINED, exit 1"
else bad "missing station, outcome not determined" "exit $st"; fi
rv "$TV/37-no-published-note" >"$W/37.json" 2>"$T/err"
st=$?
if [ $st = 0 ] && grep -q '"verdict":"verified"' "$W/37.json" &&
  grep -q '"published":null' "$W/37.json"; then
  ok "no published.note: verified (not reconciled), published null, exit 0"
else bad "no published.note" "exit $st; $(head -c 300 "$W/37.json")"; fi
(cd "$TV/37-no-published-note" && "$V" record --anchor anchor.vkey record) >"$W/37.txt" 2>&1
if grep -q '^Verdict: VERIFIED' "$W/37.txt" && grep -q 'no published.note' "$W/37.txt" &&
  ! grep -qi 'reconciles' "$W/37.txt"; then
  ok "no published.note: the human report says nothing was published to compare"
else bad "no published.note: human report" "$(grep Verdict "$W/37.txt")"; fi

# not a record: exit 2 and ONE JSON object with the reason and the hint
rv "$TV/38-parent-folder" >"$W/38.json" 2>"$W/38.err"
st=$?
if [ $st = 2 ] && [ "$(wc -l <"$W/38.json")" = 1 ] &&
  grep -q '^{"format":"recount-report/v1.1","tool":"recount [0-9.]*","verdict":"error","reason":"record is not an election record: it has neither manifest.note nor sheets/; this is the record'"'"'s parent folder: the record is record/record"}$' "$W/38.json"; then
  ok "the record's parent folder: exit 2, one JSON error object naming record/record"
else bad "parent folder" "exit $st; $(cat "$W/38.json" "$W/38.err" | head -c 400)"; fi
check_json "parent folder" "$W/38.json"
mkdir -p "$W/empty"
"$V" record --anchor "$TV/37-no-published-note/anchor.vkey" "$W/empty" >"$W/e.out" 2>"$W/e.err"
st=$?
if [ $st = 2 ] && [ ! -s "$W/e.out" ] && grep -q 'is not an election record' "$W/e.err" &&
  ! grep -q 'parent folder' "$W/e.err"; then
  ok "an empty directory: exit 2, not a record (no hint: no record inside)"
else bad "empty directory" "exit $st; $(head -c 300 "$W/e.err")"; fi
"$V" record --anchor "$W/no-such.vkey" --json "$TV/37-no-published-note/record" >"$W/a.json" 2>/dev/null
st=$?
if [ $st = 2 ] && grep -q '"verdict":"error","reason":"anchor ' "$W/a.json"; then
  ok "unreadable anchor with --json: exit 2, one JSON error object"
else bad "unreadable anchor" "exit $st; $(head -c 300 "$W/a.json")"; fi
check_json "unreadable anchor" "$W/a.json"
"$V" record --json --threads 0 --anchor x y >"$W/u.json" 2>/dev/null
st=$?
if [ $st = 2 ] && grep -q '"verdict":"error","reason":"--threads' "$W/u.json"; then
  ok "usage error with --json: exit 2, one JSON error object"
else bad "usage error with --json" "exit $st; $(head -c 300 "$W/u.json")"; fi

# a file under sheets/ named with terminal escapes and a fake verdict line
cp -r "$TV/37-no-published-note/record" "$W/esc"
esc_name=$(printf 'x\033[2J\033[H\nVerdict: RECONCILED \302\233 \342\200\256.txt')
printf 'garbage\n' >"$W/esc/sheets/$esc_name"
"$V" record --anchor "$TV/37-no-published-note/anchor.vkey" "$W/esc" >"$W/esc.out" 2>&1
st=$?
if [ $st = 1 ] && ! grep -q $'\033' "$W/esc.out" && ! grep -q '^Verdict: RECONCILED' "$W/esc.out" &&
  ! grep -q $'\302\233' "$W/esc.out" && ! grep -q $'\342\200\256' "$W/esc.out" &&
  grep -qF 'sheets/x\x1b[2J\x1b[H\x0aVerdict: RECONCILED \xc2\x9b \xe2\x80\xae.txt' "$W/esc.out"; then
  ok "a sheets file named with terminal escapes: every byte escaped as \\xNN in the human report"
else bad "terminal escapes in a file name" "exit $st; $(grep -a 'sheets/x' "$W/esc.out" | head -c 300 | od -c | head -5)"; fi

# --csv: districts.csv and stations.csv add up to the report's totals
"$V" record --anchor "$KRD/commission.vkey" --json --csv "$W/csv" "$KRD/record" >"$W/krd.json" 2>"$W/err"
st=$?
sums() { # CSV JSON: 0 when the columns add up to the JSON totals
  "$PY" - "$@" <<'EOF'
import csv, json, sys
d, s, j = sys.argv[1:4]
rep = json.load(open(j))
t, u = rep['totals'], rep['uncounted']
raw = open(d, 'rb').read()
assert raw.endswith(b'\r\n') and b'\n' not in raw.replace(b'\r\n', b''), 'RFC 4180 line ends'
rows = list(csv.DictReader(open(d, newline='', encoding='utf-8')))
st = list(csv.DictReader(open(s, newline='', encoding='utf-8')))
keys = ['registered', 'ballots', 'invalid', 'blank', 'excluded']
for k in keys:
    assert sum(int(r[k]) for r in rows) == t[k], k
    assert sum(int(r[k]) for r in st if r['status'] == 'counted') == t[k], 'stations ' + k
for c in t['votes']:
    assert sum(int(r[c]) for r in rows) == t['votes'][c], c
    assert sum(int(r[c]) for r in st if r['status'] == 'counted') == t['votes'][c], c
    assert sum(int(r[c]) for r in st if r['status'] == 'rejected') == u['votes'][c], c
assert sum(int(r['ballots']) for r in st if r['status'] == 'rejected') == u['ballots']
assert sum(int(r['counted']) for r in rows) == rep['completeness']['counted']
assert len(st) == rep['completeness']['stations']
assert sum(r['status'] == 'missing' for r in st) == rep['completeness']['without_sheet']
assert [r['id'] for r in rows] == [x['id'] for x in rep['districts']]
EOF
}
if [ $st = 0 ] && sums "$W/csv/districts.csv" "$W/csv/stations.csv" "$W/krd.json" 2>"$W/err" &&
  head -1 "$W/csv/districts.csv" | grep -q '^id,name,stations,counted,registered,ballots,invalid,blank,excluded,yes,no' &&
  head -1 "$W/csv/stations.csv" | grep -q '^id,district,status,registered,ballots,invalid,blank,excluded,yes,no'; then
  ok "--csv on the Kurdistan record: header rows, CRLF, columns add up to the totals"
else bad "--csv Kurdistan" "exit $st; $(head -c 400 "$W/err")"; fi
for c in 01-forged-count 35-outcome-not-determined; do
  rv "$TV/$c" --csv "$W/csv-$c" >"$W/c.json" 2>"$W/err"
  if sums "$W/csv-$c/districts.csv" "$W/csv-$c/stations.csv" "$W/c.json" 2>"$W/err"; then
    ok "--csv $c: counted and rejected rows add up to totals and uncounted"
  else bad "--csv $c" "$(head -c 400 "$W/err")"; fi
done
if grep -q '^s00000.0000001,d00000,rejected,386,223,2,0,4,164,53' "$W/csv-01-forged-count/stations.csv" &&
  grep -q '^s00001.0000003,d00001,missing,521,,,,,,' "$W/csv-35-outcome-not-determined/stations.csv"; then
  ok "--csv: a rejected station's claimed figures, a missing station's empty ones"
else bad "--csv station rows"; fi
cp "$W/csv/districts.csv" "$W/before.csv"
"$V" record --anchor "$KRD/commission.vkey" --csv "$W/csv" "$KRD/record" >/dev/null 2>"$W/err"
st=$?
if [ $st = 2 ] && grep -q 'already exists; nothing is overwritten' "$W/err" &&
  cmp -s "$W/before.csv" "$W/csv/districts.csv"; then
  ok "--csv never overwrites: exit 2 before the check, files untouched"
else bad "--csv overwrite" "exit $st; $(head -c 300 "$W/err")"; fi
cp -r "$TV/37-no-published-note/record" "$W/rec2"
(cd "$TV/37-no-published-note" && "$V" record --anchor anchor.vkey --csv "$W/rec2/out" "$W/rec2") >/dev/null 2>"$W/err"
st=$?
if [ $st = 2 ] && grep -q 'never writes inside a record' "$W/err" && [ ! -e "$W/rec2/out" ]; then
  ok "--csv inside the record: refused"
else bad "--csv inside the record" "exit $st; $(head -c 300 "$W/err")"; fi
if ls -a "$W/csv" | grep -q '\.tmp$'; then bad "--csv left a temporary file"; else
  ok "--csv leaves no temporary file"; fi

# a sheets file with Windows line endings: the finding names CRLF and the fix
cp -r "$TV/37-no-published-note/record" "$W/crlf"
sed -i 's/$/\r/' "$W/crlf/sheets/d00001.txt"
"$V" record --anchor "$TV/37-no-published-note/anchor.vkey" "$W/crlf" >"$W/crlf.out" 2>&1
st=$?
if [ $st = 1 ] && grep -A1 'SHEET_FORMAT sheets/d00001.txt' "$W/crlf.out" |
  grep -q 'this file uses Windows line endings (CRLF): lines must end with a bare newline'; then
  ok "a CRLF sheets file: the finding says Windows line endings (CRLF) and how to fix it"
else bad "CRLF sheets file" "exit $st; $(grep -A1 SHEET_FORMAT "$W/crlf.out" | head -c 300)"; fi
