# docs/ci.md: its shell script (the block between <!-- ci-script:begin -->
# and <!-- ci-script:end -->) run exactly as written, with /bin/sh, on the
# shipped Kurdistan record with the programs built here first on PATH and
# nothing from the network: exit 0 and the JSON, HTML and CSV reports it
# promises; exit 1 on a tampered record with the reports still kept; a
# second run into the same OUT refused, the first run's reports untouched.
# Then the GitHub Actions workflow of the same page parses as YAML (Debian
# python3-yaml; skipped with the reason when it is not installed) and its
# run steps are valid shell.
echo "docs/ci.md (CI script and workflow)"
CI=$T/ci
mkdir -p "$CI"
awk '/^<!-- ci-script:begin/ { on = 1; next } /^<!-- ci-script:end/ { on = 0 }
  on && /^```/ { next } on { print }' "$ROOT/docs/ci.md" >"$CI/ci-verify.sh"
head -n 1 "$CI/ci-verify.sh" | grep -qx '#!/bin/sh' &&
  grep -q '^recount-verify record ' "$CI/ci-verify.sh" &&
  ok "ci.md: the shell script found between its markers" ||
  bad "ci.md: no shell script between <!-- ci-script:begin --> and <!-- ci-script:end -->" "$(head -c 300 "$CI/ci-verify.sh")"
# ci_run NAME RECORD ANCHOR OUT: the script, from CI, its output in
# CI/NAME.out; returns its exit status
ci_run() {
  (cd "$CI" && env PATH="$ROOT/$BIN:$PATH" RECORD="$2" ANCHOR="$3" OUT="$4" \
    /bin/sh ci-verify.sh) >"$CI/$1.out" 2>&1
}
ci_run krd "$KRD/record" "$KRD/commission.vkey" "$CI/out"
st=$?
[ "$st" = 0 ] && grep -qx 'record verifies' "$CI/krd.out" &&
  ok "ci.md script: the Kurdistan record verifies (exit 0)" ||
  bad "ci.md script: exit $st" "$(tail -n 5 "$CI/krd.out")"
# the artifacts it promises: report.json (the one JSON report, the
# shipped golden one byte for byte), report.html, csv/
cmp -s "$CI/out/report.json" "$KRD/expected.json" &&
  ok "ci.md script: out/report.json is the record's JSON report" ||
  bad "ci.md script: report.json" "$(head -c 200 "$CI/out/report.json")"
cmp -s "$CI/out/report.html" "$KRD/expected.html" &&
  ok "ci.md script: out/report.html is the record's HTML report" ||
  bad "ci.md script: report.html" "$(head -c 200 "$CI/out/report.html")"
[ "$(wc -l <"$CI/out/csv/stations.csv")" = 12093 ] && [ -s "$CI/out/csv/districts.csv" ] &&
  ok "ci.md script: out/csv/ holds districts.csv and stations.csv (12,092 stations)" ||
  bad "ci.md script: csv" "$(ls -l "$CI/out/csv" 2>&1)"
# a tampered record: exit 1, the reports kept
TR=$ROOT/testvectors/tampered/01-forged-count
ci_run tampered "$TR/record" "$TR/anchor.vkey" "$CI/out-t"
st=$?
[ "$st" = 1 ] && grep -q 'does NOT verify' "$CI/tampered.out" &&
  grep -q '"verdict":"discrepancies"' "$CI/out-t/report.json" && [ -s "$CI/out-t/report.html" ] &&
  ok "ci.md script: a tampered record fails the job (exit 1) and keeps its reports" ||
  bad "ci.md script: tampered exit $st" "$(tail -n 3 "$CI/tampered.out")"
# the same OUT again: refused before anything is written
cp "$CI/out/report.json" "$CI/keep.json"
ci_run again "$KRD/record" "$KRD/commission.vkey" "$CI/out"
st=$?
[ "$st" = 2 ] && grep -q 'is not empty' "$CI/again.out" && cmp -s "$CI/out/report.json" "$CI/keep.json" &&
  ok "ci.md script: a second run into the same OUT is refused (exit 2), the reports untouched" ||
  bad "ci.md script: second run exit $st" "$(tail -n 3 "$CI/again.out")"

# the workflow: YAML that parses, the steps the page describes, each run
# step valid bash (GitHub runs them with bash -e)
awk '/^<!-- ci-workflow:begin/ { on = 1; next } /^<!-- ci-workflow:end/ { on = 0 }
  on && /^```/ { next } on { print }' "$ROOT/docs/ci.md" >"$CI/recount.yml"
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
  if /usr/bin/python3 - "$CI/recount.yml" "$CI/step" >"$CI/yaml.out" 2>&1 <<'PYEOF'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
steps = wf["jobs"]["verify"]["steps"]
assert wf["jobs"]["verify"]["runs-on"] and "name" in wf
# "on" is a YAML 1.1 boolean key: PyYAML reads it as True
assert True in wf or "on" in wf
runs = [s["run"] for s in steps if "run" in s]
assert any("recount-verify record" in r and "--json" in r and "--html" in r
           for r in runs), "no verify step"
up = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")]
assert up and up[0]["if"] == "always()" and up[0]["with"]["path"] == "out/"
for i, r in enumerate(runs):
    open("%s%d.sh" % (sys.argv[2], i), "w").write(r)
print(len(runs))
PYEOF
  then
    nrun=$(cat "$CI/yaml.out")
    bash_ok=1
    for ((i = 0; i < nrun; i++)); do bash -n "$CI/step$i.sh" 2>>"$CI/yaml.out" || bash_ok=0; done
    [ "$bash_ok" = 1 ] && ok "ci.md workflow: parses as YAML, keeps out/ always, its $nrun run steps are valid shell" ||
      bad "ci.md workflow: a run step is not valid shell" "$(tail -n 3 "$CI/yaml.out")"
  else
    bad "ci.md workflow" "$(tail -n 3 "$CI/yaml.out")"
  fi
else
  echo "  skipped: ci.md workflow YAML (Debian's python3-yaml is not installed for /usr/bin/python3)"
fi
