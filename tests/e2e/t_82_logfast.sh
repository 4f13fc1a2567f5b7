# The release log checked in one pass (engine/release_fast.c) must report
# exactly what the whole-log check (engine/release.c) reports. --previous
# with the record's own checkpoint makes the engine take the whole-log
# check (and adds no finding when the log extends it), so the two reports
# of each log below must be the same, apart from RELEASE_REWRITTEN
# findings of the --previous file itself.
echo "release log: one pass and whole log agree"
PY=/usr/bin/python3
"$G" synthetic --sheets 400 --districts 4 --out "$T/lf-base" \
  --anchor-out "$T/lf.vkey" >/dev/null 2>&1 || bad "release log: recount-gen"
lf_same() { # lf_same NAME RECORD
  local name=$1 rec=$2
  cp "$T/lf-base/checkpoint.note" "$T/lf-prev.note"
  "$V" record --anchor "$T/lf.vkey" --json "$rec" >"$T/lf-fast.json" 2>/dev/null
  local e1=$?
  "$V" record --anchor "$T/lf.vkey" --json \
    --previous "$T/lf-prev.note" "$rec" >"$T/lf-slow.json" 2>/dev/null
  local e2=$?
  local diff
  diff=$("$PY" - "$T/lf-fast.json" "$T/lf-slow.json" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
prev = [f for f in b["findings"] if f.get("file", "").startswith("previous:")]
b["findings"] = [f for f in b["findings"] if f not in prev]
if prev and a["verdict"] == "reconciled":
    print("--previous findings on a log that is right:", prev[:2])
elif not prev and a != b:
    print("reports differ")
elif prev and (a["findings"] != b["findings"] or a["log"] != b["log"]):
    print("findings or log differ")
print(len(a["findings"]), "findings", a["log"], file=sys.stderr)
EOF
  )
  if [ -z "$diff" ] && [ "$e1" = "$e2" ]; then
    ok "release log: $name: one pass = whole log"
  else
    bad "release log: $name" "exit $e1 / $e2; $diff"
  fi
}
# a synthetic record: its log in station order
lf_same "a record whose log is right" "$T/lf-base"
grep -qF '"log":{"size":400,"root":"' "$T/lf-fast.json" &&
  grep -qF '"verdict":"reconciled"' "$T/lf-fast.json" &&
  ok "release log: the log's root reported, the record reconciles" ||
  bad "release log: no log root" "$(grep -o '"log":[^}]*}' "$T/lf-fast.json")"
lf_case() { # lf_case NAME SCRIPT: log.txt rewritten by the shell SCRIPT
  rm -rf "$T/lf-rec"
  cp -r "$T/lf-base" "$T/lf-rec"
  (cd "$T/lf-rec" && eval "$2")
  lf_same "$1" "$T/lf-rec"
}
lf_case "a log in reverse order" 'tac log.txt >l && mv l log.txt'
lf_case "a log with one line left out" 'sed -i 200d log.txt'
lf_case "a log with a line twice" 'sed -i 300p log.txt'
lf_case "a log whose lines 10 and 11 name each other's station" \
  'awk "NR==10{a=\$1} NR==11{b=\$1} {l[NR]=\$0} END{for(i=1;i<=NR;i++){s=l[i]; if(i==10)sub(/^[^ ]+/,b,s); if(i==11)sub(/^[^ ]+/,a,s); print s}}" log.txt >l && mv l log.txt'
lf_case "a log line with another hash" \
  'sed -i "3s/ ./ A/" log.txt'
lf_case "a log with a line that does not parse" 'sed -i "390s/ /  /" log.txt'
lf_case "a log without its last line end" 'truncate -s -1 log.txt'
lf_case "a log with a Windows line end" 'sed -i "100s/\$/\r/" log.txt'
lf_case "a sheet file removed: log lines name sheets the record lacks" \
  'rm "sheets/$(ls sheets | head -n 1)"'
lf_case "an empty log" ': >log.txt'
