# CLI conventions (issue 12 parts 5-7): station look-up and --extract, the
# README's openssl recipe run verbatim (also on a co-signed sheet), the
# progress line, --quiet, --version, --help on every command, --opt=value,
# man pages, make install / uninstall.
echo "cli conventions"
C=$T/cli
mkdir -p "$C"
PY=/usr/bin/python3
TV=$ROOT/testvectors

# ---- --version from formats/version.h
ver=$(sed -n 's/^#define RC_VERSION "\(.*\)"$/\1/p' formats/version.h)
for p in recount-verify recount-sign recount-gen; do
  out=$("$ROOT/$BIN/$p" --version 2>&1)
  [ "$out" = "$p (recount $ver)" ] && ok "$p --version: $out" ||
    bad "$p --version" "got '$out', want '$p (recount $ver)'"
done

# ---- --help / -h on every command, on stdout, exit 0
for c in record station receipt note; do
  for h in --help -h; do
    "$V" $c $h >"$C/help" 2>"$C/help.err"
    st=$?
    if [ $st = 0 ] && grep -q "recount-verify $c" "$C/help" && [ ! -s "$C/help.err" ]; then
      ok "recount-verify $c $h"
    else bad "recount-verify $c $h" "exit $st"; fi
  done
done
for c in $("$S" --help | awk 'NR > 1 && /^  /{print $1}'); do
  expect_exit 0 "recount-sign $c --help" "$S" $c --help
done
expect_exit 0 "recount-gen --help" "$G" synthetic --help

# ---- --opt=value is --opt value
"$V" record --anchor "$KRD/commission.vkey" --json "$KRD/record" >"$C/a.json"
"$V" record --anchor="$KRD/commission.vkey" --threads=2 --json "$KRD/record" >"$C/b.json"
st=$?
[ $st = 0 ] && cmp -s "$C/a.json" "$C/b.json" && ok "record: --anchor=FILE --threads=2 as --anchor FILE" ||
  bad "record: --anchor=FILE" "exit $st"
expect_exit 2 "record: --threads=0 still refused" "$V" record --anchor="$KRD/commission.vkey" --threads=0 "$KRD/record"
expect_exit 2 "record: unknown --nosuch=1 refused" "$V" record --nosuch=1 --anchor "$KRD/commission.vkey" "$KRD/record"

# ---- --quiet and the progress line
"$V" record --quiet --anchor "$KRD/commission.vkey" "$KRD/record" >"$C/q.out" 2>"$C/q.err"
st=$?
[ $st = 0 ] && [ ! -s "$C/q.out" ] && [ ! -s "$C/q.err" ] && ok "record --quiet: nothing printed, exit 0" ||
  bad "record --quiet" "exit $st, $(wc -c <"$C/q.out") bytes"
expect_exit 1 "record --quiet: a tampered record still exits 1" "$V" record --quiet \
  --anchor "$TV/tampered/01-forged-count/anchor.vkey" "$TV/tampered/01-forged-count/record"
[ ! -s "$T/out" ] && ok "record --quiet: no report for a tampered record" || bad "record --quiet: output"
"$V" record --anchor "$KRD/commission.vkey" "$KRD/record" >"$C/p0.out" 2>"$C/p0.err"
[ ! -s "$C/p0.err" ] && ok "record: no progress line when stderr is not a terminal" ||
  bad "record: stderr not empty" "$(head -c 200 "$C/p0.err")"
"$V" record --progress --anchor "$KRD/commission.vkey" "$KRD/record" >"$C/p1.out" 2>"$C/p1.err"
st=$?
if [ $st = 0 ] && cmp -s "$C/p0.out" "$C/p1.out" &&
  head -n 1 "$C/p1.err" | grep -q '^recount-verify: checking the record with anchor ' &&
  grep -q '^progress: 51 of 51 files, 12092 sheets, [0-9]* sheets/s$' "$C/p1.err" &&
  tail -n 1 "$C/p1.err" | grep -q '^progress: done: 51 files, 12092 sheets in [0-9.]* s$' &&
  ! grep -q "$(printf '\r')" "$C/p1.err"; then
  ok "record --progress into a file: header first, lines per batch, the done line; report unchanged"
else
  bad "record --progress" "exit $st: $(head -c 300 "$C/p1.err")"
fi
"$V" record --progress --quiet --anchor "$KRD/commission.vkey" "$KRD/record" >"$C/p2.out" 2>"$C/p2.err"
[ ! -s "$C/p2.err" ] && ok "record --quiet wins over --progress" || bad "record --quiet --progress"

# on a terminal (a pty from script(1)): the line rewrites itself with \r
# and ends with a done line; the report on stdout is not touched
if command -v script >/dev/null; then
  script -qec "'$V' record --progress --anchor '$KRD/commission.vkey' '$KRD/record' >'$C/p3.out'" /dev/null >"$C/p3.tty" 2>&1
  if grep -q "$(printf '\rprogress: done: 51 files, 12092 sheets in ')" "$C/p3.tty" &&
    grep -q "$(printf '\033\[K')" "$C/p3.tty" && cmp -s "$C/p0.out" "$C/p3.out"; then
    ok "record --progress on a terminal: one line rewritten (\\r), report unchanged"
  else bad "record --progress on a terminal" "$(cat -v "$C/p3.tty" | head -c 300)"; fi
fi

# ---- station look-up
A=(--anchor "$KRD/commission.vkey")
expect_exit 0 "station: a counted station exits 0" "$V" station "${A[@]}" "$KRD/record" akre.0002
if grep -qx '  manifest: district akre, registered 405, key TEST-KEY.akre.0002+c02b326b' "$T/out" &&
  grep -qx '  sheets/akre.txt:14  counted' "$T/out" &&
  grep -qx '    signed by station TEST-KEY.akre.0002+c02b326b: valid' "$T/out" &&
  grep -qx 'Counted: yes' "$T/out" &&
  grep -qxF "  manifest line: $(grep '^station akre.0002 ' "$KRD/record/manifest.note")" "$T/out"; then
  ok "station: manifest line (as in the manifest), file:line, signer, counted"
else bad "station: human output" "$(head -c 300 "$T/out")"; fi
expect_exit 0 "station --json" "$V" station --json "${A[@]}" "$KRD/record" akre.0002
if $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["sheets"][0]
assert d["counted"] and d["reason"] is None and d["registered"]==405 and d["district"]=="akre"
assert d["manifest_line"].startswith("station akre.0002 akre 405 TEST-KEY.akre.0002+c02b326b+")
assert (s["file"],s["line"],s["counted"])==("sheets/akre.txt",14,True)
assert s["signatures"]==[{"name":"TEST-KEY.akre.0002","key_id":"c02b326b","role":"station","valid":True}]' "$T/out"; then
  ok "station --json: the same facts as one JSON object"
else bad "station --json" "$(head -c 300 "$T/out")"; fi
expect_exit 1 "station: not in the manifest exits 1" "$V" station "${A[@]}" "$KRD/record" akre.9999
grep -q 'Counted: no — the station is not in the manifest' "$T/out" && ok "station: says it is not in the manifest" ||
  bad "station: not-in-manifest message"
expect_exit 2 "station: STATION is required" "$V" station "${A[@]}" "$KRD/record"
tp() { echo "$TV/tampered/$1"; }
expect_exit 1 "station: a forged sheet (tampered 01) exits 1" "$V" station --anchor "$(tp 01-forged-count)/anchor.vkey" \
  "$(tp 01-forged-count)/record" s00000.0000001
grep -q 'signed by station TEST-KEY.s00000.0000001+f592db62: INVALID' "$T/out" &&
  grep -q '^  error SHEET_SIGNATURE sheets/d00000.txt:14$' "$T/out" &&
  grep -q '^Counted: no — no sheet carries a valid signature by its key$' "$T/out" &&
  ok "station: a forged sheet: invalid signature, the finding, why not" || bad "station: forged" "$(cat "$T/out")"
expect_exit 1 "station: equivocation (tampered 06)" "$V" station --anchor "$(tp 06-equivocation)/anchor.vkey" \
  "$(tp 06-equivocation)/record" s00000.0000000
grep -c 'not counted$' "$T/out" | grep -qx 2 && grep -q 'equivocation); neither counts' "$T/out" &&
  ok "station: both equivocating sheets listed, neither counted" || bad "station: equivocation" "$(cat "$T/out")"
expect_exit 0 "station: duplicate (tampered 19)" "$V" station --anchor "$(tp 19-duplicate-sheet)/anchor.vkey" \
  "$(tp 19-duplicate-sheet)/record" s00002.0000003
grep -qx '  sheets/d00002.txt:40  the same text again (a duplicate) of sheet 1' "$T/out" &&
  ok "station: the duplicate named as such" || bad "station: duplicate" "$(cat "$T/out")"
expect_exit 0 "station: a bad co-signature (tampered 20) is a warning (RECORD v1.1)" "$V" station --anchor "$(tp 20-bad-cosignature)/anchor.vkey" \
  "$(tp 20-bad-cosignature)/record" s00000.0000000
grep -q 'signed by witness TEST-KEY.observers.example/krd-2017+e64356fa: INVALID' "$T/out" &&
  ok "station: the witness's line checked and shown invalid" || bad "station: witness" "$(cat "$T/out")"

# many copies of one sheet: each listed, each a duplicate of the first
DUP=$C/dup
cp -r "$KRD/record" "$DUP"
sed -n '14,26p' "$KRD/record/sheets/akre.txt" >"$C/one.note"
for i in 1 2 3 4 5 6 7 8; do cat "$C/one.note"; done >"$DUP/sheets/copies.txt"
cat "$C/one.note" >"$DUP/sheets/0-first.txt"
expect_exit 0 "station: 10 copies of one sheet" "$V" station --json "${A[@]}" "$DUP" akre.0002
if $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["sheets"]
assert [(x["file"],x["line"]) for x in s[:2]]==[("sheets/0-first.txt",1),("sheets/akre.txt",14)], s[:2]
assert len(s)==10 and s[0]["counted"] and s[0]["duplicate_of"]==0
assert all(x["duplicate_of"]==1 and not x["counted"] for x in s[1:])
assert [x["line"] for x in s[2:]]==[1+13*i for i in range(8)]' "$T/out"; then
  ok "station: every copy listed with its line, each a duplicate of the first, only the first counted"
else bad "station: copies" "$(head -c 400 "$T/out")"; fi

# a file name with terminal escapes is shown escaped
H=$C/hostile
cp -r "$KRD/record" "$H"
mv "$H/sheets/akre.txt" "$H/sheets/$(printf 'akre\033[2J.txt')"
"$V" station "${A[@]}" "$H" akre.0002 >"$C/h.out" 2>&1
! grep -q "$(printf '\033')" "$C/h.out" && grep -q 'akre\\x1b\[2J.txt:14' "$C/h.out" &&
  ok "station: control bytes in a file name are escaped" || bad "station: escape" "$(cat -v "$C/h.out")"

# ---- --extract: atomic, never overwrites, gives a note that verifies
expect_exit 0 "station --extract" "$V" station "${A[@]}" "$KRD/record" akre.0002 --extract "$C/s.note"
awk '/^$/{exit} {print}' "$C/s.note" | cmp -s - <(sed -n '14,24p' "$KRD/record/sheets/akre.txt") &&
  ok "station --extract: the counted sheet's text" || bad "station --extract: text"
grep '^station akre.0002 ' "$KRD/record/manifest.note" | cut -d' ' -f5 >"$C/s.vkey"
expect_exit 0 "station --extract: a standalone note that verifies" "$V" note --key "$C/s.vkey" "$C/s.note"
cp "$C/s.note" "$C/s.keep"
expect_exit 2 "station --extract: refuses to overwrite" "$V" station "${A[@]}" "$KRD/record" akre.0001 --extract "$C/s.note"
cmp -s "$C/s.note" "$C/s.keep" && ok "station --extract: existing file untouched" || bad "station --extract: overwritten"
grep -q 'the file exists; not overwritten' "$T/err" && ok "station --extract: says why" || bad "station --extract: message"
[ -z "$(find "$C" -name '*.tmp-*')" ] && ok "station --extract: no temporary file left" || bad "station --extract: temp left"
expect_exit 1 "station --extract: nothing counted, nothing written" "$V" station --anchor \
  "$(tp 01-forged-count)/anchor.vkey" "$(tp 01-forged-count)/record" s00000.0000001 --extract "$C/none.note"
[ ! -e "$C/none.note" ] && ok "station --extract: no file for a station that did not count" || bad "station --extract: wrote"

# ---- the README's openssl recipe, verbatim, on the shipped record and
# on a co-signed sheet (a witness's line after the station's)
sed -n '/^<!-- openssl-recipe -->$/,/^<!-- end openssl-recipe -->$/p' README.md | sed '1,2d;$d' | sed '$d' >"$C/recipe.sh"
run_recipe() { # run_recipe DIR-WITH-testvectors NAME
  mkdir -p "$1/w"
  ln -sfn "$ROOT/$BIN" "$1/w/bin"
  ln -sfn "$1/testvectors" "$1/w/testvectors"
  (cd "$1/w" && bash -e "$C/recipe.sh") >"$1/out" 2>&1
  local st=$?
  [ $st = 0 ] && grep -qx 'Signature Verified Successfully' "$1/out" && ok "README openssl recipe: $2" ||
    bad "README openssl recipe: $2" "exit $st: $(tail -n 3 "$1/out")"
}
[ "$(wc -l <"$C/recipe.sh")" -ge 5 ] && ok "README: the openssl recipe found" || bad "README: no openssl recipe"
mkdir -p "$C/r1/testvectors"
ln -s "$KRD" "$C/r1/testvectors/krd-2017"
run_recipe "$C/r1" "the shipped record"
# co-sign akre.0002's sheet in a copy of the record with an observer key
mkdir -p "$C/r2/testvectors/krd-2017" && cp -r "$KRD/record" "$KRD/commission.vkey" "$C/r2/testvectors/krd-2017/"
(cd "$C" && "$S" keygen --name observer.example >/dev/null 2>&1 &&
  "$S" cosign --key observer.example.key s.note --out s.cosigned >/dev/null 2>&1)
$PY - "$C/r2/testvectors/krd-2017/record/sheets/akre.txt" "$C/s.note" "$C/s.cosigned" <<'PYEOF'
import sys
f, old, new = sys.argv[1], open(sys.argv[2], 'rb').read(), open(sys.argv[3], 'rb').read()
b = open(f, 'rb').read()
assert b.count(old) == 1 and new.startswith(old[:-1])
open(f, 'wb').write(b.replace(old, new))
PYEOF
tail -n 1 "$C/s.cosigned" | grep -q '^— observer.example ' && ok "README openssl recipe: the co-signed sheet ends with the witness's line" ||
  bad "cosign: no observer line"
run_recipe "$C/r2" "a co-signed sheet"

# ---- man pages: their version is formats/version.h's
miss=""
for m in docs/man/recount-verify.1 docs/man/recount-sign.1 docs/man/recount-record.5; do
  grep -q "^\.TH .* \"recount $ver\" " "$m" || miss="$miss $m"
done
[ -z "$miss" ] && ok "man: .TH names recount $ver" || bad "man: version" "not $ver in:$miss"

# ---- man pages: render without a warning; every command and option of
# --help is in them
for m in docs/man/recount-verify.1 docs/man/recount-sign.1 docs/man/recount-record.5; do
  w=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$m" 2>&1)
  [ -z "$w" ] && ok "man: $m renders without a warning" || bad "man: $m" "$w"
done
if command -v man >/dev/null; then
  MANWIDTH=80 man -l docs/man/recount-verify.1 2>"$C/man.err" | grep -q 'recount-verify - check an election record' &&
    [ ! -s "$C/man.err" ] && ok "man -l recount-verify.1" || bad "man -l" "$(head -c 200 "$C/man.err")"
fi
mantext() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1"; }
check_words() { # check_words MANPAGE NAME < help text
  local miss=""
  for w in $(grep -o -- '--[a-z][a-z-]*' | sort -u); do
    mantext "$1" | grep -q -- "$w" || miss="$miss $w"
  done
  [ -z "$miss" ] && ok "man: every option of $2 is in $1" || bad "man: $2" "missing:$miss"
}
{ "$V" --help; for c in record station receipt note; do "$V" $c --help; done; } | check_words docs/man/recount-verify.1 "recount-verify --help"
{ "$S" --help; for c in $("$S" --help | awk 'NR > 1 && /^  /{print $1}'); do "$S" $c --help; done; } |
  check_words docs/man/recount-sign.1 "recount-sign --help"
miss=""
for c in record station receipt note; do mantext docs/man/recount-verify.1 | grep -q "^\.B $c\$" || miss="$miss $c"; done
for c in $("$S" --help | awk 'NR > 1 && /^  /{print $1}'); do mantext docs/man/recount-sign.1 | grep -q "^\.B $c " || miss="$miss $c"; done
[ -z "$miss" ] && ok "man: every command has its entry" || bad "man: commands" "missing:$miss"

# ---- make install / uninstall into a temporary DESTDIR (-o all: install
# the programs under test as they are, never rebuild them here)
D=$C/dest
if MAKEFLAGS= make -s -C "$ROOT" --no-print-directory -o all install BIN="$BIN" PREFIX=/opt/rc DESTDIR="$D" >"$C/inst.out" 2>&1; then
  miss=""
  for f in bin/recount-verify bin/recount-sign bin/recount-gen share/man/man1/recount-verify.1 \
    share/man/man1/recount-sign.1 share/man/man5/recount-record.5 share/doc/recount/README.md \
    share/doc/recount/SECURITY.md share/doc/recount/RECORD.md share/doc/recount/ci.md \
    share/doc/recount/report.schema.json share/doc/recount/diff.schema.json \
    share/bash-completion/completions/recount-verify share/bash-completion/completions/recount-sign; do
    [ -e "$D/opt/rc/$f" ] || miss="$miss $f"
  done
  [ -z "$miss" ] && ok "make install: programs, man pages, docs, completion under DESTDIR/PREFIX" ||
    bad "make install" "missing:$miss"
  [ "$("$D/opt/rc/bin/recount-verify" --version)" = "recount-verify (recount $ver)" ] &&
    ok "make install: the installed program runs" || bad "make install: installed program"
  bash -c ". '$D/opt/rc/share/bash-completion/completions/recount-verify'; COMP_WORDS=(recount-verify st); COMP_CWORD=1;
    _recount_verify; [ \"\${COMPREPLY[*]}\" = station ]" && ok "bash completion: completes a command" ||
    bad "bash completion"
  MAKEFLAGS= make -s -C "$ROOT" --no-print-directory uninstall BIN="$BIN" PREFIX=/opt/rc DESTDIR="$D" >>"$C/inst.out" 2>&1
  left=$(find "$D" ! -type d)
  [ -z "$left" ] && ok "make uninstall: no file left" || bad "make uninstall" "left: $left"
else
  bad "make install" "$(tail -n 5 "$C/inst.out")"
fi
cd "$ROOT" || exit 1
