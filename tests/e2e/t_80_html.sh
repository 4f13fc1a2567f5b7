# shellcheck shell=bash
# recount-verify record --html FILE: the HTML report. Golden files for the
# Kurdistan record and two tampered ones; the same bytes whatever the
# thread count; self-contained (no script, nothing loaded); never
# overwrites; hostile names escaped; rendered by headless Chromium.
echo "HTML report"
H=$T/html
mkdir -p "$H"

# html_golden NAME CASE ANCHOR: CASE's HTML report equals CASE/expected.html
html_golden() {
  rm -f "$H/$1.html"
  golden_html "$V" "$2" "$3" "$H/$1.html"
  if [ ! -f "$H/$1.html" ]; then
    bad "html: $1: no report written"
    return
  fi
  golden_check "html: $1: golden report" "$2/expected.html" "$H/$1.html"
}
html_golden krd "$KRD" commission.vkey
html_golden forged "$ROOT/testvectors/tampered/01-forged-count" anchor.vkey
html_golden twobad "$ROOT/testvectors/tampered/10-two-bad-sheets-two-districts" anchor.vkey
html_golden undetermined "$ROOT/testvectors/tampered/35-outcome-not-determined" anchor.vkey
html_golden unpublished "$ROOT/testvectors/tampered/37-no-published-note" anchor.vkey

# the verdict banner says it in words
grep -q '<p class="word">RECONCILED</p>' "$H/krd.html" &&
  grep -q '<p class="word">DISCREPANCIES</p>' "$H/forged.html" &&
  grep -q '<p class="word">VERIFIED</p>' "$H/unpublished.html" &&
  grep -q 'The record has no published.note' "$H/unpublished.html" &&
  ok "html: verdict banners (reconciled, verified, discrepancies)" ||
  bad "html: verdict banner missing"
# the stations not counted are listed with what their sheets claim
grep -q 'Stations not counted (1)' "$H/forged.html" &&
  grep -q 'With the claims of the sheets not counted' "$H/forged.html" &&
  ok "html: a rejected station and its claimed figures are shown" ||
  bad "html: rejected station not shown"
# the stations left out could change who leads: said in the banner and
# in the completeness section
grep -q '<strong>they could change who leads</strong>' "$H/undetermined.html" &&
  grep -q 'the counted sheets do not determine who leads' "$H/undetermined.html" &&
  grep -q 'they could not change who leads' "$H/forged.html" &&
  ok "html: whether the stations not counted could change the outcome" ||
  bad "html: outcome bound not stated"
# findings grouped by district, linked from the district table
if grep -q '<section id="d-' "$H/twobad.html" &&
  for id in $(grep -o 'href="#d-[^"]*"' "$H/twobad.html" | sed 's/href="#//; s/"//'); do
    grep -q "id=\"$id\"" "$H/twobad.html" || exit 1
  done; then
  ok "html: every link to a district's findings has its anchor"
else
  bad "html: a findings link has no anchor"
fi

# self-contained: no script, no link, nothing fetched (the one URL is the
# SVG namespace, url() only names the hatch pattern), a CSP that forbids
# both, and a print stylesheet
loads=0
for h in krd forged twobad; do
  sed -e 's|xmlns="http://www.w3.org/2000/svg"||g' -e 's|url(#hatch)||g' "$H/$h.html" |
    grep -qi -e '<script' -e '<link' -e '<iframe' -e '<img' -e 'src=' \
      -e '://' -e 'url(' -e '@import' && loads=1
done
if [ $loads = 0 ] &&
  grep -q "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"" "$H/krd.html" &&
  grep -q '@media print' "$H/krd.html"; then
  ok "html: self-contained (no script or link, nothing fetched; CSP; print stylesheet)"
else
  bad "html: the report loads or runs something, or has no CSP or print stylesheet"
fi

# the same bytes with 1, 3 threads and the default
same=1
for th in 1 3; do
  rm -f "$H/krd.$th.html"
  golden_html "$V" "$KRD" commission.vkey "$H/krd.$th.html" --threads $th
  cmp -s "$H/krd.$th.html" "$H/krd.html" || same=0
done
[ $same = 1 ] && ok "html: identical bytes with 1, 2 (default) and 3 threads" ||
  bad "html: the report depends on the thread count"

# never overwrites: refused before the check runs (exit 2), file untouched
echo keep >"$H/exists.html"
expect_exit 2 "html: an existing FILE is refused (exit 2)" \
  "$V" record --anchor "$KRD/commission.vkey" --html "$H/exists.html" "$KRD/record"
[ "$(cat "$H/exists.html")" = keep ] && grep -q 'already exists' "$T/err" &&
  [ ! -s "$T/out" ] &&
  ok "html: the existing file is left as it was, before any check" ||
  bad "html: existing file" "$(cat "$T/err")"
expect_exit 2 "html: a FILE in a missing directory: exit 2" \
  "$V" record --anchor "$KRD/commission.vkey" --html "$H/no/such/dir.html" "$KRD/record"
grep -q 'no/such/dir.html: cannot create' "$T/err" &&
  ok "html: the error names the file" || bad "html: error message" "$(cat "$T/err")"
ls "$H" | grep -q '\.tmp-' && bad "html: a temporary file was left behind" ||
  ok "html: no temporary file left behind"
# --html with --json: the JSON on stdout is unchanged
rm -f "$H/j.html"
(cd "$KRD" && "$V" record --anchor commission.vkey --json --html "$H/j.html" record) >"$T/j.json"
cmp -s "$T/j.json" "$KRD/expected.json" && cmp -s "$H/j.html" "$H/krd.html" &&
  ok "html: with --json, stdout is the JSON report and the HTML the same" ||
  bad "html: --json with --html"

# hostile names: a district display name with markup, sheet files named
# with terminal escapes, an invalid byte, a bidirectional override
head -n 1 "$KRD/districts.csv" >"$H/d.csv"
grep -E '^(choman|diaspora|special-halabja),' "$KRD/districts.csv" |
  sed 's/,Diaspora e-voting,/,"<script>alert(1)<\/script> \&amp; ""x"" — هەولێر",/' >>"$H/d.csv"
"$G" krd --csv "$H/d.csv" --out "$H/rec" --anchor-out "$H/a.vkey" >/dev/null 2>&1
printf 'garbage\n' >"$H/rec/sheets/$(printf '\033[2J\033[HVerdict: RECONCILED')"
printf 'junk\n' >"$H/rec/sheets/$(printf 'bad-\377-<b>-\342\200\256evil.txt')"
rm -f "$H/hostile.html"
"$V" record --anchor "$H/a.vkey" --html "$H/hostile.html" "$H/rec" >/dev/null 2>&1
if [ -f "$H/hostile.html" ] &&
  ! grep -q -e '<script' -e '<b>' "$H/hostile.html" &&
  grep -qF '<bdi>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &quot;x&quot; — هەولێر</bdi>' "$H/hostile.html" &&
  ! LC_ALL=C grep -q "$(printf '\033')" "$H/hostile.html" &&
  ! grep -q "$(printf '\342\200\256')" "$H/hostile.html" &&
  grep -qF '<span class="esc">\x1B</span>[2J' "$H/hostile.html" &&
  grep -qF 'bad-<span class="esc">\xFF</span>-&lt;b&gt;-<span class="esc">\xE2</span>' "$H/hostile.html" &&
  /usr/bin/python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$H/hostile.html"; then
  ok "html: hostile names escaped (markup, terminal escapes, invalid UTF-8 as \\xNN, bidi override), valid UTF-8"
else
  bad "html: hostile names" "$(grep -a -o '.\{40\}\(script\|x1B\|xFF\).\{40\}' "$H/hostile.html" | head -3)"
fi

# valgrind: the HTML report of a record with findings in two districts
# and of the hostile record, no memory error or leak
if command -v valgrind >/dev/null 2>&1 && [ "${RECOUNT_NO_VALGRIND:-}" = "" ]; then
  VGH="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
  rm -f "$H/vg1.html" "$H/vg2.html"
  (cd "$ROOT/testvectors/tampered/10-two-bad-sheets-two-districts" &&
    $VGH "$V" record --anchor anchor.vkey --html "$H/vg1.html" record) >/dev/null 2>"$H/vg1"
  st1=$?
  $VGH "$V" record --anchor "$H/a.vkey" --html "$H/vg2.html" "$H/rec" >/dev/null 2>"$H/vg2"
  st2=$?
  if [ $st1 = 1 ] && [ $st2 = 1 ] && cmp -s "$H/vg1.html" "$H/twobad.html" &&
    cmp -s "$H/vg2.html" "$H/hostile.html"; then
    ok "html: valgrind clean, same bytes"
  else
    bad "html: valgrind" "exits $st1 $st2; $(head -c 600 "$H/vg1" "$H/vg2")"
  fi
fi

# headless Chromium renders it (the screenshot stays in the build directory)
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "  skip html: render (skipped: chromium not installed)"
else
  PNG=$ROOT/build/krd-report.png
  mkdir -p "$ROOT/build"
  rm -f "$PNG"
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --user-data-dir="$H/chromium" --screenshot="$PNG" \
    --window-size=1280,2400 "file://$H/krd.html" >"$H/chromium.log" 2>&1
  # a PNG of 1280 x 2400 pixels (the IHDR chunk), well above a blank page
  dims=$(od -An -tx1 -j16 -N8 "$PNG" 2>/dev/null | tr -d ' \n')
  size=$(stat -c %s "$PNG" 2>/dev/null || echo 0)
  if [ "$dims" = 0000050000000960 ] && [ "$size" -gt 60000 ]; then
    ok "html: headless Chromium renders it (build/krd-report.png, $size bytes)"
  else
    bad "html: Chromium render" "dims $dims, $size bytes: $(tail -c 300 "$H/chromium.log")"
  fi
fi
