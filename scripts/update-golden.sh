#!/usr/bin/env bash
# update-golden.sh [BIN_DIR] — regenerates the golden files of the record
# reports: expected.json and expected.txt (and expected.html where there
# is one) of every tampered record
# (testvectors/tampered/*/, the cases with an `expected` file) and of the
# Kurdistan record (testvectors/krd-2017/), with the programs in BIN_DIR
# (default bin; relative to the repository root). `make golden` runs it.
#
# It only rewrites the files; `git diff` shows what changed. Regenerate for
# an intended change of the verifier's output, read the whole diff and
# explain it in the commit (tests/e2e/README.md).
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
BIN=${1:-bin}
case $BIN in
/*) ;;
*) BIN=$ROOT/$BIN ;;
esac
V=$BIN/recount-verify
for p in recount-verify recount-gen; do
  if [ ! -x "$BIN/$p" ]; then
    echo "update-golden: $BIN/$p missing: run make first" >&2
    exit 2
  fi
done
LC_ALL=C
export LC_ALL
# shellcheck source=tests/e2e/golden-lib.sh
. tests/e2e/golden-lib.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/recount-golden.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

written=0
changed=0
failed=0
# put NEW DEST: moves NEW to DEST, counting whether DEST changed
put() {
  written=$((written + 1))
  if ! cmp -s "$1" "$2"; then
    changed=$((changed + 1))
    echo "  changed ${2#"$ROOT"/}"
  fi
  mv "$1" "$2"
}
# golden CASE ANCHOR: writes CASE/expected.json and CASE/expected.txt
golden() {
  local c=${1%/} base st st2 extra=()
  mapfile -t extra < <(golden_args "$c")
  if ! base=$(golden_base "$BIN" "$c" "$T"); then
    failed=$((failed + 1))
    echo "update-golden: ${c#"$ROOT"/}/generate.sh failed:" >&2
    cat "$T/gen-$(basename "$c").log" >&2
    return
  fi
  golden_json "$V" "$base" "$2" "${extra[@]}" >"$T/new.json"
  st=$?
  put "$T/new.json" "$c/expected.json"
  golden_txt "$V" "$base" "$2" "$T" "${extra[@]}" >"$T/new.txt"
  st2=$?
  put "$T/new.txt" "$c/expected.txt"
  # 0, 1 and 2 are the verifier's answers; anything else is a crash or a
  # sanitizer's report, written down but not a golden file to keep
  if [ "$st" -gt 2 ] || [ "$st2" -gt 2 ]; then
    failed=$((failed + 1))
    echo "update-golden: ${c#"$ROOT"/}: recount-verify exited $st (--json)" \
      "and $st2: a crash, see the files" >&2
  fi
  # the HTML report, for the cases that have one (t_80_html.sh)
  if [ -f "$c/expected.html" ]; then
    rm -f "$T/new.html"
    golden_html "$V" "$base" "$2" "$T/new.html"
    [ -f "$T/new.html" ] && put "$T/new.html" "$c/expected.html"
  fi
  [ "$base" = "$c" ] || rm -rf "$base"
}

for d in "$ROOT"/testvectors/tampered/*/; do
  [ -f "$d/expected" ] || continue
  golden "$d" anchor.vkey
done
golden "$ROOT/testvectors/krd-2017" commission.vkey
# observers' copies and evidence (testvectors/observed/cases.txt)
. tests/e2e/observed-lib.sh
observed_goldens "$V" "$ROOT/testvectors/observed" "$T" "$T/observed"
for f in "$T"/observed/*.txt; do
  put "$f" "$ROOT/testvectors/observed/expected/$(basename "$f")"
done

# recount-verify diff (testvectors/diff/cases.txt, t_82_diff.sh)
# shellcheck source=tests/e2e/diff-lib.sh
. tests/e2e/diff-lib.sh
if ! diff_goldens "$V" "$ROOT" "$T/diff"; then
  failed=$((failed + 1))
  echo "update-golden: recount-verify diff crashed on a case of" \
    "testvectors/diff/cases.txt: see the files" >&2
fi
for f in "$T"/diff/*.json "$T"/diff/*.txt; do
  put "$f" "$ROOT/testvectors/diff/$(basename "$f")"
done

# recount-verify receipt (testvectors/receipts/cases.txt, t_32_receipt.sh)
# shellcheck source=tests/e2e/receipt-lib.sh
. tests/e2e/receipt-lib.sh
if ! receipt_goldens "$V" "$ROOT" "$T/receipts"; then
  failed=$((failed + 1))
  echo "update-golden: recount-verify receipt crashed on a case of" \
    "testvectors/receipts/cases.txt: see the files" >&2
fi
mkdir -p "$ROOT/testvectors/receipts/expected"
for f in "$T"/receipts/*.json "$T"/receipts/*.txt; do
  put "$f" "$ROOT/testvectors/receipts/expected/$(basename "$f")"
done

echo "update-golden: $written files written, $changed changed (see git diff)"
[ "$failed" = 0 ] || exit 1
