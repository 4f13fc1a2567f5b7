#!/bin/sh
# make-corpus.sh — (re)creates the committed seed corpus tests/fuzz/corpus/
# from testvectors/, so it is reproducible:
#
#   tests/fuzz/make-corpus.sh        (from the repository root; needs
#                                     bin/recount-sign for the receipts:
#                                     run `make` first)
#
# Everything is cut from testvectors/krd-2017 and testvectors/tampered;
# the receipts are made by `recount-sign prove` over the small
# tampered/19-duplicate-sheet record (a krd-2017 receipt holds the 1.4 MB
# manifest, too big for a seed). Identical seeds are removed per harness.
set -eu
LC_ALL=C
export LC_ALL
cd "$(dirname "$0")/../.."
TV=testvectors
KRD=$TV/krd-2017
TAMP=$TV/tampered
OUT=tests/fuzz/corpus
SIGN=${RECOUNT_BIN:-bin}/recount-sign

if [ ! -x "$SIGN" ]; then
  echo "make-corpus: $SIGN missing: run make first" >&2
  exit 2
fi
rm -rf "$OUT"
for h in note sheet manifest district checkpoint published vkey skey receipt b64 record; do
  mkdir -p "$OUT/$h"
done

# notes FILE FIRST COUNT [text]: notes FIRST..FIRST+COUNT-1 (1-based) of a
# concatenated sheets file, framed as RECORD.md §4 says; with "text", only
# the note texts (the signed bytes).
notes() {
  awk -v first="$2" -v count="$3" -v textonly="${4:-}" '
    BEGIN { k = 1; state = "text" }
    {
      if (state == "sigs" && substr($0, 1, 4) != "\342\200\224 ") {
        k++; state = "text"
      }
      if (state == "text" && $0 == "") state = "sigs"
      if (k >= first && k < first + count &&
          (textonly == "" || state == "text"))
        print
    }' "$1"
}

# text FILE: the text of a single signed note (up to its last empty line).
text() {
  awk '{ l[NR] = $0 } $0 == "" { e = NR }
       END { for (i = 1; i < e; i++) print l[i] }' "$1"
}

# ---- note: single notes, concatenated sheets files, odd files ----
for d in akre chamchamal diaspora halabja-centre kirkuk-centre zakho; do
  [ -f "$KRD/record/sheets/$d.txt" ] || continue
  notes "$KRD/record/sheets/$d.txt" 1 1 >"$OUT/note/krd-sheet-$d"
done
notes "$KRD/record/sheets/akre.txt" 1 3 >"$OUT/note/krd-akre-3-sheets"
for f in checkpoint published manifest; do
  cp "$TAMP/01-forged-count/record/$f.note" "$OUT/note/bench-$f.note"
done
cp "$KRD/record/checkpoint.note" "$OUT/note/krd-checkpoint.note"
cp "$KRD/record/published.note" "$OUT/note/krd-published.note"
for t in 01-forged-count 06-equivocation 07-malleated-signature \
         20-bad-cosignature 21-crypto-disagreement 26-sheet-format \
         30-truncated-sheets-file; do
  for f in "$TAMP/$t/record/sheets/"*.txt; do
    cp "$f" "$OUT/note/$t-$(basename "$f")"
  done
done
cp "$TAMP/09-garbage-and-bom/record/sheets/garbage.bin" "$OUT/note/09-garbage.bin"
cp "$TAMP/09-garbage-and-bom/record/sheets/with-bom.txt" "$OUT/note/09-with-bom.txt"
# v1.1 signature lines (RECORD.md §1): malformed, past the 100th, the last
# one without its newline, one on a commission note
for tf in 40-sigline-appended-garbage:d00000 41-sigline-bad-base64-and-length:d00001 \
          42-sigline-past-100:d00002 45-sigline-partial-last-line:d00001; do
  cp "$TAMP/${tf%%:*}/record/sheets/${tf#*:}.txt" "$OUT/note/${tf%%:*}-${tf#*:}.txt"
done
cp "$TAMP/44-sigline-on-commission-notes/record/manifest.note" "$OUT/note/44-sigline-manifest.note"

# ---- sheet: sheet texts, and a few whole signed sheets ----
for d in akre amedi chamchamal choman diaspora dibis halabja-centre \
         kirkuk-centre koya zakho; do
  [ -f "$KRD/record/sheets/$d.txt" ] || continue
  notes "$KRD/record/sheets/$d.txt" 2 1 text >"$OUT/sheet/krd-$d.txt"
done
notes "$KRD/record/sheets/akre.txt" 1 1 >"$OUT/sheet/krd-akre-signed"
for t in 01-forged-count 15-wrong-election 16-wrong-district \
         17-registered-mismatch 18-overvote 26-sheet-format 21-crypto-disagreement; do
  for f in "$TAMP/$t/record/sheets/"d0000*.txt; do
    b=$(basename "$f" .txt)
    for k in 1 2 3 4; do
      notes "$f" "$k" 1 text >"$OUT/sheet/$t-$b-$k.txt"
      [ -s "$OUT/sheet/$t-$b-$k.txt" ] || rm -f "$OUT/sheet/$t-$b-$k.txt"
    done
  done
done
notes "$TAMP/01-forged-count/record/sheets/d00000.txt" 1 1 >"$OUT/sheet/bench-signed"

# ---- manifest: the test manifests (notes and texts), krd cut short ----
for t in "$TAMP"/*/; do
  t=$(basename "$t")
  [ -d "$TAMP/$t/record" ] || continue  # made at test time (generate.sh)
  cp "$TAMP/$t/record/manifest.note" "$OUT/manifest/$t.note"
  text "$TAMP/$t/record/manifest.note" >"$OUT/manifest/$t.txt"
done
text "$KRD/record/manifest.note" >"$OUT/manifest/.krd-full"
for n in 20 500; do
  awk -v n="$n" '/^station / { if (++s > n) next } { print }' \
    "$OUT/manifest/.krd-full" >"$OUT/manifest/krd-$n-stations.txt"
done
rm -f "$OUT/manifest/.krd-full"

# ---- district: districts.txt files and single records ----
cp "$KRD/record/districts.txt" "$OUT/district/krd-districts.txt"
for t in "$TAMP"/*/; do
  t=$(basename "$t")
  [ -d "$TAMP/$t/record" ] || continue  # made at test time (generate.sh)
  cp "$TAMP/$t/record/districts.txt" "$OUT/district/$t-districts.txt"
done
for k in 1 2 17 51; do
  awk -v k="$k" 'BEGIN { r = 1 } $0 == "" { r++; next } r == k { print }' \
    "$KRD/record/districts.txt" >"$OUT/district/krd-record-$k.txt"
done
awk 'BEGIN { r = 1 } $0 == "" { r++; next } r == 2 { print }' \
  "$TAMP/22-district-record-format/record/districts.txt" \
  >"$OUT/district/22-record-2.txt"

# ---- checkpoint, published: notes and texts ----
for f in checkpoint published; do
  cp "$KRD/record/$f.note" "$OUT/$f/krd.note"
  text "$KRD/record/$f.note" >"$OUT/$f/krd.txt"
  for t in "$TAMP"/*/; do
    t=$(basename "$t")
    [ -d "$TAMP/$t/record" ] || continue  # made at test time (generate.sh)
    [ -f "$TAMP/$t/record/$f.note" ] || continue
    cp "$TAMP/$t/record/$f.note" "$OUT/$f/$t.note"
    text "$TAMP/$t/record/$f.note" >"$OUT/$f/$t.txt"
  done
done

# ---- vkey: anchors, witness and station keys (no newline) ----
printf '%s' "$(cat "$KRD/commission.vkey")" >"$OUT/vkey/krd-commission"
printf '%s' "$(cat "$TAMP/01-forged-count/anchor.vkey")" >"$OUT/vkey/bench-commission"
i=0
for t in 01-forged-count 08-small-order-station-key 13-key-reused; do
  grep -E '^(witness|station) ' "$TAMP/$t/record/manifest.note" |
    awk '{ print $NF }' | while read -r k; do
      i=$((i + 1))
      printf '%s' "$k" >"$OUT/vkey/$t-$i"
    done
done
text "$KRD/record/manifest.note" | grep -E '^station ' | sed -n '1p;1000p;5000p' |
  awk '{ print $NF }' | while read -r k; do
    i=$((i + 1))
    printf '%s' "$k" >"$OUT/vkey/krd-station-$i"
  done

# ---- skey: test signer keys (no newline) ----
sed -n '1,3p;100p;2000p' "$KRD/TEST-KEYS-DO-NOT-USE.txt" | while read -r k; do
  i=$((i + 1))
  printf '%s' "$k" >"$OUT/skey/test-key-$i"
done

# ---- receipt: recount-sign prove over tampered/19 (tlog-proof receipts;
# two of them followed by "%%% manifest" and the record's manifest) ----
R19=$TAMP/19-duplicate-sheet
for s in s00000.0000000 s00001.0000002 s00002.0000003; do
  "$SIGN" prove "$R19/record" --station "$s" --anchor "$R19/anchor.vkey" \
    --out "$OUT/receipt/19-$s.tlog-proof" 2>/dev/null
done
for s in s00000.0000000 s00002.0000003; do
  { cat "$OUT/receipt/19-$s.tlog-proof"; printf '%%%%%% manifest\n'
    cat "$R19/record/manifest.note"; } >"$OUT/receipt/19-$s-manifest"
done

# ---- b64: roots, hashes, keys, signatures, edge cases (no newline) ----
i=0
{
  sed -n 's/^root //p' "$KRD/record/districts.txt" | head -n 3
  sed -n 's/^manifest //p;3p' "$KRD/record/checkpoint.note"
  awk '{ print $NF }' "$KRD/commission.vkey" | cut -d+ -f3-
  grep -E '^— ' "$KRD/record/published.note" | awk '{ print $NF }'
  sed -n '1p' "$KRD/TEST-KEYS-DO-NOT-USE.txt" | cut -d+ -f5-
  printf '%s\n' AA== AAA= AAAA QUJD QUI= QQ== //// ''
} | while IFS= read -r v; do
  i=$((i + 1))
  printf '%s' "$v" >"$OUT/b64/b64-$i"
done

# ---- record: whole records in fuzz_record's section format ----
# recseed RECORD commit|raw: the record rebuilt as fuzz_record input: the
# manifest and published texts (signed by the harness's commission key),
# every sheets/*.txt as texts with "@NAME" signer lines, other sheets files
# as they are; then either "%%% commit" or the record's own districts.txt
# and checkpoint text. Keys in texts become "@NAME" (the harness derives
# them), the record's commission becomes the harness's.
recseed() {
  cname=$(awk '{ split($1, a, "+"); print a[1] }' "$1/../anchor.vkey")
  notes2sec() {
    awk -v cname="$cname" -v kind="$1" '
      function key(name) { return name == cname ? "fuzz.example/commission" : name }
      function flush(   i) {
        if (nt == 0 && ns == 0) return
        for (i = 1; i <= ns; i++) print "@" key(sig[i])
        for (i = 1; i <= nt; i++) print txt[i]
        if (kind == "sheets") print ""
        nt = 0; ns = 0
      }
      BEGIN { state = "text" }
      {
        if (state == "sigs" && substr($0, 1, 4) != "\342\200\224 ") {
          flush(); state = "text"
        }
        if (state == "text" && $0 == "") { state = "sigs"; next }
        if (state == "sigs") { split($0, w, " "); sig[++ns] = w[2]; next }
        for (i = 1; i <= NF; i++) {
          p = index($i, "+"); rest = substr($i, p + 1)
          if (p > 1 && length(rest) == 53 && substr(rest, 9, 1) == "+" &&
              substr(rest, 1, 8) ~ /^[0-9a-f]+$/)
            $i = "@" key(substr($i, 1, p - 1))
        }
        txt[++nt] = $0
      }
      END { flush() }' "$2"
  }
  echo '%%% manifest.note sign'
  notes2sec sign "$1/manifest.note"
  (cd "$1" && find sheets -type f | sort) | while read -r f; do
    case $f in
      *.txt) echo "%%% $f sheets"; notes2sec sheets "$1/$f" ;;
      *) echo "%%% $f raw"; cat "$1/$f" ;;
    esac
  done
  if [ -f "$1/published.note" ]; then
    echo '%%% published.note sign'
    notes2sec sign "$1/published.note"
  fi
  if [ "$2" = commit ]; then
    echo '%%% commit'
  else
    if [ -f "$1/districts.txt" ]; then
      echo '%%% districts.txt raw'
      cat "$1/districts.txt"
    fi
    if [ -f "$1/checkpoint.note" ]; then
      echo '%%% checkpoint.note sign'
      notes2sec sign "$1/checkpoint.note"
    fi
  fi
}
mkdir -p "$OUT/record"
for t in "$TAMP"/*/; do
  t=$(basename "$t")
  [ -d "$TAMP/$t/record" ] || continue  # made at test time (generate.sh)
  recseed "$TAMP/$t/record" commit >"$OUT/record/$t-commit"
  recseed "$TAMP/$t/record" raw >"$OUT/record/$t-raw"
done

# ---- remove identical seeds (keep the first name in sort order) ----
for d in "$OUT"/*/; do
  (cd "$d" && ls | sort | xargs -r sha1sum | sort -s -k1,1 |
    awk 'seen[$1]++ { print $2 }' | xargs -r rm -f)
done

n=$(find "$OUT" -type f | wc -l)
sz=$(du -sk "$OUT" | cut -f1)
echo "make-corpus: $n files, ${sz} KiB in $OUT"
for d in "$OUT"/*/; do
  printf '  %s: %s\n' "$(basename "$d")" "$(ls "$d" | wc -l)"
done
