# The engine's own rules: one findings table, each code raised where the
# table says, and hostile records that must not cost quadratic time.
echo "engine"
"$ROOT/scripts/findings-table.sh" >"$T/findings-def.md"
sed -n '/^| code | severity | meaning |$/,/^$/p' "$ROOT/docs/RECORD.md" | sed '/^$/d' >"$T/findings-doc.md"
# The v1.1 codes of the contract that no stage raises yet. This list may
# only shrink: a code implemented gets its row in engine/findings.def and
# leaves this list (the test fails while it is in both).
NOT_YET=""
cp "$T/findings-doc.md" "$T/findings-doc-impl.md"
both=""
for c in $NOT_YET; do
  grep -q "^| $c | " "$T/findings-doc.md" || both="$both $c(not in the doc)"
  grep -q "^| $c | " "$T/findings-def.md" && both="$both $c(in findings.def)"
  grep -v "^| $c | " "$T/findings-doc-impl.md" >"$T/findings-tmp.md"
  mv "$T/findings-tmp.md" "$T/findings-doc-impl.md"
done
[ -z "$both" ] && ok "every code of the doc has its row in findings.def (none left to implement${NOT_YET:+: }$(echo $NOT_YET))" ||
  bad "the not-yet-implemented list is stale" "$both"
if [ -s "$T/findings-def.md" ] && cmp -s "$T/findings-def.md" "$T/findings-doc-impl.md"; then
  ok "every row of findings.def is in the table of docs/RECORD.md (code, severity, meaning, order), and every other row is listed as not implemented"
else
  bad "findings.def differs from docs/RECORD.md" "$(diff "$T/findings-doc-impl.md" "$T/findings-def.md" | head -6 | tr '\n' ' ')"
fi
# every RC_F_<code> in engine/*.c is in a file its row names, and each named
# file raises it
wrong=""
while read -r code files; do
  got=$(cd "$ROOT" && grep -lw "RC_F_$code" engine/*.c | sort | tr '\n' ' ')
  want=$(printf '%s\n' $files | sort | tr '\n' ' ')
  [ "$got" = "$want" ] || wrong="$wrong $code(in: $got; table: $want)"
done <<EOT
$("$ROOT/scripts/findings-table.sh" --files)
EOT
[ -z "$wrong" ] && ok "each finding code is raised only in the files its row names" ||
  bad "finding codes raised outside their files" "$wrong"
# one station with 40,000 distinct texts in one file: linear time (the
# baseline's pairwise search and re-reading sort took 24 s; now ~0.5 s)
"$ROOT/tests/bench/many_texts.sh" "$ROOT/$BIN" 40000 "$T/many" >/dev/null 2>"$T/err" ||
  bad "many texts: generation" "$(head -c 300 "$T/err")"
start=$(date +%s%N)
"$V" record --anchor "$T/many/anchor.vkey" --json "$T/many/record" >"$T/many.json" 2>"$T/err"
st=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
nsig=$(grep -o '"code":"SHEET_SIGNATURE"' "$T/many.json" | wc -l)
if [ "$st" = 1 ] && [ "$ms" -lt 10000 ] && [ "$nsig" = 40000 ] &&
  grep -q '"id":"d00000","stations":10,"sheets":40010,' "$T/many.json"; then
  ok "one station with 40,000 texts: checked in ${ms} ms (limit 10 s), every text in its tree"
else
  bad "one station with 40,000 texts" "exit $st, ${ms} ms, $nsig SHEET_SIGNATURE"
fi
# the layers: recount-verify's sources cannot include a signing header,
# the engine cannot include the report module or a signing header
inc_verify=$(MAKEFLAGS= make -s -C "$ROOT" --no-print-directory print-INC_verify 2>/dev/null)
inc_engine=$(MAKEFLAGS= make -s -C "$ROOT" --no-print-directory print-INC_engine 2>/dev/null)
cpp_ok() { (cd "$ROOT" && printf '#include "%s"\n' "$2" | ${CC:-cc} -E $1 -x c - >/dev/null 2>&1); }
if [ -n "$inc_verify" ] && cpp_ok "$inc_verify" record.h && cpp_ok "$inc_verify" report.h &&
  ! cpp_ok "$inc_verify" skey.h && ! cpp_ok "$inc_verify" commit.h &&
  ! cpp_ok "$inc_engine" report.h && ! cpp_ok "$inc_engine" skey.h; then
  ok "layers: verify/ and engine/ cannot include signing headers, engine/ not the report module"
else
  bad "layers: include paths let a layer see what it must not" "verify: $inc_verify; engine: $inc_engine"
fi
