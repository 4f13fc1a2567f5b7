# (v1.1) `recount-verify diff`: the golden cases of
# testvectors/diff/cases.txt (human and JSON, byte for byte; made by
# scripts/update-golden.sh through diff-lib.sh), and every diff JSON
# against docs/diff.schema.json, which must also reject what it must.
echo "diff"
# shellcheck source=tests/e2e/diff-lib.sh
. "$ROOT/tests/e2e/diff-lib.sh"
DG=$T/diffgold
if diff_goldens "$V" "$ROOT" "$DG"; then
  ok "diff: the golden cases ran (exit 0, 1 or 2)"
else bad "diff: a golden case crashed"; fi
while read -r name _ _; do
  golden_check "diff $name: --json" "$ROOT/testvectors/diff/$name.json" "$DG/$name.json"
  golden_check "diff $name: human report" "$ROOT/testvectors/diff/$name.txt" "$DG/$name.txt"
done < <(diff_cases "$ROOT")
grep -q '"changed":\["s00001.0000001"\]' "$DG/manifest-changed.json" &&
  grep -q '"code":"RELEASE_REWRITTEN"' "$DG/sheet-replaced.json" &&
  grep -q '"newly_counted":\["s00002.0000000"\]' "$DG/newly-counted.json" &&
  ok "diff: each golden case shows what it is there for" ||
  bad "diff: golden cases" "$(head -c 300 "$DG/manifest-changed.json")"

DS=$ROOT/docs/diff.schema.json
dval() { /usr/bin/python3 "$ROOT/tests/e2e/validate-json.py" "$DS" "$@"; }
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  if dval "$ROOT"/testvectors/diff/*.json "$DG"/*.json >"$T/val" 2>&1; then
    ok "diff schema: the golden diffs validate"
  else bad "diff schema: golden diffs" "$(head -c 600 "$T/val")"; fi
  # the schema rejects what it must (a test that can fail): an unknown
  # status; a finding with a string line (a definition shared with
  # report.schema.json, so its reference was resolved); a negative count;
  # a figure neither before nor after; a record report; and the record
  # schema does not take a diff
  M=$DG/manifest-changed.json
  sed 's/"status":"discrepancies"/"status":"fine"/' "$M" >"$DG/bad1.x"
  sed 's/"line":\([0-9]*\)/"line":"\1"/' "$M" >"$DG/bad2.x"
  sed 's/"ballots":\([0-9]*\)/"ballots":-\1/' "$M" >"$DG/bad3.x"
  sed 's/"before":"[0-9.]*","after":"[0-9.]*"/"before":null,"after":null/' "$M" >"$DG/bad4.x"
  nbad=0
  for f in "$DG"/bad[1-4].x "$KRD/expected.json"; do
    if cmp -s "$f" "$M"; then
      bad "diff schema: mutation $(basename "$f") changed nothing"
    elif dval "$f" >/dev/null 2>&1; then
      bad "diff schema accepts $(basename "$f")"
    else nbad=$((nbad + 1)); fi
  done
  [ "$nbad" = 5 ] && ok "diff schema: rejects an unknown status, a string line, a negative count, a figure without values, a record report"
  if /usr/bin/python3 "$ROOT/tests/e2e/validate-json.py" "$ROOT/docs/report.schema.json" "$M" >/dev/null 2>&1; then
    bad "report schema accepts a diff"
  else ok "report schema: a diff is not a record report"; fi
else
  echo "  skipped: diff schema checks (/usr/bin/python3 with python3-jsonschema not installed)"
fi
