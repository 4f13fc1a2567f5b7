#!/bin/sh
# Builds the committed tree twice, in two different directories, and
# compares the binaries byte for byte.
set -eu
top=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for d in a b-longer-path; do
  mkdir -p "$work/$d"
  git -C "$top" archive HEAD | tar -x -C "$work/$d"
  make -C "$work/$d" --no-print-directory -s all >/dev/null
done
status=0
for f in recount-sign recount-verify recount-gen; do
  if cmp -s "$work/a/bin/$f" "$work/b-longer-path/bin/$f"; then
    echo "reproducible: $f identical ($(sha256sum <"$work/a/bin/$f" | cut -c1-16))"
  else
    echo "reproducible: $f DIFFERS"; status=1
  fi
done
exit $status
