#!/usr/bin/env bash
# End-to-end tests of the programs. Run from anywhere; uses the programs in
# $RECOUNT_BIN (default bin/, relative to the repository root or absolute).
# Prints one line per test and a closing "e2e: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${RECOUNT_BIN:-bin}
case $BIN in
/*) BIN=$(realpath --relative-to="$ROOT" "$BIN") ;;
esac
V=$ROOT/$BIN/recount-verify
S=$ROOT/$BIN/recount-sign
G=$ROOT/$BIN/recount-gen
T=$(mktemp -d "${TMPDIR:-/tmp}/recount-e2e.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
KRD=$ROOT/testvectors/krd-2017
pass=0
fail=0
failed=()

ok() { pass=$((pass + 1)); echo "  ok   $1"; }
bad() { fail=$((fail + 1)); failed+=("$1"); echo "  FAIL $1${2:+: $2}"; }
# expect_exit CODE NAME cmd...   runs cmd, checks its exit status
expect_exit() {
  local want=$1 name=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" = "$want" ]; then ok "$name"; else
    bad "$name" "exit $got, expected $want; stderr: $(head -c 400 "$T/err")"
  fi
}
# golden_check NAME WANT GOT: GOT is byte for byte the golden file WANT;
# on a difference, the first 40 lines of diff -u WANT GOT (a JSON report,
# one line, is split after each object of an array to be readable)
golden_check() {
  local w=${2#"$ROOT"/} a=$2 b=$3
  if [ ! -f "$2" ]; then
    bad "$1" "no golden file $w (scripts/update-golden.sh makes it)"
    return
  fi
  if cmp -s "$2" "$3"; then
    ok "$1"
    return
  fi
  bad "$1" "differs from $w (diff -u golden got, first 40 lines):"
  case $w in
  *.json)
    a=$T/golden-want.split b=$T/golden-got.split
    sed -e 's/\[{/[\n{/g' -e 's/},{/},\n{/g' "$2" >"$a"
    sed -e 's/\[{/[\n{/g' -e 's/},{/},\n{/g' "$3" >"$b"
    ;;
  esac
  diff -u --label "$w" --label got "$a" "$b" | head -n 40 | cut -c 1-300 |
    sed 's/^/       /'
  echo "       (an intended change? scripts/update-golden.sh: tests/e2e/README.md)"
}
# a private copy of a signer key line as a 0600 key file
keyfile() { # keyfile LISTING LINE-NUMBER OUT
  install -m 600 /dev/null "$3"
  sed -n "$2p" "$1" >"$3"
}

# shellcheck source=tests/e2e/golden-lib.sh
. tests/e2e/golden-lib.sh
for t in tests/e2e/t_*.sh; do
  # shellcheck source=/dev/null
  . "$t"
done

echo "e2e: $pass passed, $fail failed"
if [ "$fail" != 0 ]; then
  printf '  failed: %s\n' "${failed[@]}"
  exit 1
fi
