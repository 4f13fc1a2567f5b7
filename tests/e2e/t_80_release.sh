# (v1.1) Releases: commit --previous keeps the earlier log in place and
# refuses a rewrite; record --previous; diff (recount-diff/v1).
echo "releases"
keyfile "$KRD/TEST-KEYS-DO-NOT-USE.txt" 1 "$T/rel-commission.key"
# a preliminary release: the first 31 districts' sheet files
cp -r "$KRD/record" "$T/rel-pre"
rm "$T/rel-pre/districts.txt" "$T/rel-pre/log.txt" "$T/rel-pre/checkpoint.note" "$T/rel-pre/published.note"
ls "$T/rel-pre/sheets" | tail -n 20 | while read -r f; do rm "$T/rel-pre/sheets/$f"; done
expect_exit 0 "release: preliminary committed" "$S" commit --key "$T/rel-commission.key" "$T/rel-pre"
# the final release: every sheet; the preliminary's entries stay first
cp -r "$KRD/record" "$T/rel-fin"
rm "$T/rel-fin/districts.txt" "$T/rel-fin/log.txt" "$T/rel-fin/checkpoint.note"
expect_exit 0 "release: final committed with --previous" "$S" commit --key "$T/rel-commission.key" --previous "$T/rel-pre" "$T/rel-fin"
npre=$(wc -l <"$T/rel-pre/log.txt")
if head -n "$npre" "$T/rel-fin/log.txt" | cmp -s - "$T/rel-pre/log.txt" &&
  [ "$(wc -l <"$T/rel-fin/log.txt")" = 12092 ] &&
  [ "$(sort "$T/rel-fin/log.txt" | uniq | wc -l)" = 12092 ]; then
  ok "release: the final log starts with the preliminary log, 12,092 entries once each"
else
  bad "release: final log" "$(head -2 "$T/rel-fin/log.txt")"
fi
expect_exit 0 "release: record --previous PRELIMINARY checkpoint: exit 0" \
  "$V" record --anchor "$KRD/commission.vkey" --previous "$T/rel-pre/checkpoint.note" "$T/rel-fin"
expect_exit 1 "release: the preliminary record with the final checkpoint as --previous: exit 1" \
  "$V" record --anchor "$KRD/commission.vkey" --json --previous "$T/rel-fin/checkpoint.note" "$T/rel-pre"
grep -qF '"code":"RELEASE_REWRITTEN","severity":"error","file":"previous:checkpoint.note"' "$T/out" &&
  ok "release: a shorter log does not extend a longer one (RELEASE_REWRITTEN)" ||
  bad "release: RELEASE_REWRITTEN expected" "$(head -c 300 "$T/out")"
expect_exit 2 "release: --previous of a file that does not exist: exit 2" \
  "$V" record --anchor "$KRD/commission.vkey" --previous "$T/nothing.note" "$T/rel-fin"

# a sheet of the preliminary release changed: commit --previous refuses
cp -r "$T/rel-fin" "$T/rel-bad"
rm "$T/rel-bad/districts.txt" "$T/rel-bad/log.txt" "$T/rel-bad/checkpoint.note"
f=$(ls "$T/rel-bad/sheets" | head -n 1)
st=$(sed -n '4s/^station //p' "$T/rel-bad/sheets/$f")
awk 'BEGIN{n=0} /^recount count-sheet v1$/{n++} !(n==1 && /^— /)' "$T/rel-bad/sheets/$f" >"$T/rel-bad.tmp"
mv "$T/rel-bad.tmp" "$T/rel-bad/sheets/$f"
# the first sheet now has no signature: commit refuses the record anyway;
# remove it instead, so only the release rule can refuse
awk 'BEGIN{n=0} /^recount count-sheet v1$/{n++} n!=1' "$T/rel-bad/sheets/$f" >"$T/rel-bad.tmp"
mv "$T/rel-bad.tmp" "$T/rel-bad/sheets/$f"
expect_exit 1 "release: commit --previous refuses when a sheet of the earlier release is gone" \
  "$S" commit --key "$T/rel-commission.key" --previous "$T/rel-pre" "$T/rel-bad"
if grep -qF "station $st: its sheet in the earlier release" "$T/err" && [ ! -e "$T/rel-bad/log.txt" ]; then
  ok "release: the refusal names station $st and writes nothing"
else
  bad "release: refusal message" "$(tail -c 300 "$T/err")"
fi

# diff
expect_exit 0 "diff: final extends preliminary (exit 0)" "$V" diff --anchor "$KRD/commission.vkey" "$T/rel-pre" "$T/rel-fin"
grep -q '^Stations newly counted: 4,626$' "$T/out" && grep -q '^Status: NEW EXTENDS OLD' "$T/out" &&
  grep -q '^  turnout  *- -> 72.16$' "$T/out" &&
  ok "diff: 4,626 stations newly counted, published figures before -> after" ||
  bad "diff: human report" "$(grep -v '^  ' "$T/out" | head -c 400)"
expect_exit 0 "diff --json: exit 0" "$V" diff --anchor "$KRD/commission.vkey" --json "$T/rel-pre" "$T/rel-fin"
cp "$T/out" "$T/diff-extends.json"
if /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "recount-diff/v1" and d["status"] == "extends"
assert len(d["newly_counted"]) == 4626 and d["new"]["log"]["size"] == 12092
assert d["old"]["log"]["size"] == 7466 and d["old"]["verdict"] == "verified"
assert d["manifest"] == {"added": [], "removed": [], "changed": []}
assert len(d["districts"]) == 51 and d["published"][0]["before"] is None
' "$T/out"; then ok "diff --json: recount-diff/v1 with the counts, logs and districts"
else bad "diff --json" "$(head -c 300 "$T/out")"; fi
expect_exit 1 "diff: the preliminary does not extend the final (exit 1)" "$V" diff --anchor "$KRD/commission.vkey" --json "$T/rel-fin" "$T/rel-pre"
cp "$T/out" "$T/diff-rewritten.json"
grep -qF '"code":"RELEASE_REWRITTEN","severity":"error","file":"old:checkpoint.note"' "$T/out" &&
  ok "diff: RELEASE_REWRITTEN against OLD's checkpoint" || bad "diff: RELEASE_REWRITTEN" "$(head -c 300 "$T/out")"
# OLD's manifest registers another key for one station (tampered case 08)
TP=$ROOT/testvectors/tampered
expect_exit 1 "diff: a station line of OLD changed in NEW: exit 1" \
  "$V" diff --anchor "$TP/73-previous-prefix-extends/anchor.vkey" --json "$TP/08-small-order-station-key/record" "$TP/73-previous-prefix-extends/record"
grep -qF '"code":"RELEASE_MANIFEST_CHANGED","severity":"error","station":"s00001.0000001","file":"manifest.note"' "$T/out" &&
  grep -qF '"changed":["s00001.0000001"]' "$T/out" &&
  ok "diff: RELEASE_MANIFEST_CHANGED names the station" || bad "diff: RELEASE_MANIFEST_CHANGED" "$(head -c 400 "$T/out")"
# every diff JSON above against docs/diff.schema.json (t_82_diff.sh checks
# the schema itself and the golden diffs)
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  if /usr/bin/python3 "$ROOT/tests/e2e/validate-json.py" "$ROOT/docs/diff.schema.json" \
    "$T/diff-extends.json" "$T/diff-rewritten.json" "$T/out" >"$T/val" 2>&1; then
    ok "diff --json: the three diffs validate against docs/diff.schema.json"
  else bad "diff --json: schema" "$(head -c 600 "$T/val")"; fi
else
  echo "  skipped: diff schema checks (/usr/bin/python3 with python3-jsonschema not installed)"
fi
expect_exit 2 "diff: one record only: exit 2" "$V" diff --anchor "$KRD/commission.vkey" "$T/rel-pre"
expect_exit 2 "diff: OLD is not a directory: exit 2" "$V" diff --anchor "$KRD/commission.vkey" "$T/nothing" "$T/rel-pre"
