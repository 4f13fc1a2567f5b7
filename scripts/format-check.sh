#!/bin/sh
# make format-check: every C source and header tracked by git is formatted
# as .clang-format says (clang-format 14, Debian bookworm's). `make format`
# rewrites them. The tracked files only: generated or local files are not
# judged.
set -u
cd "$(dirname "$0")/.."
CF=${CLANG_FORMAT:-}
if [ -z "$CF" ]; then
  for c in clang-format-14 clang-format; do
    command -v "$c" >/dev/null 2>&1 && { CF=$c; break; }
  done
fi
if [ -z "$CF" ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang-format >/dev/null &&
      CF=clang-format
  fi
  [ -n "$CF" ] || { echo "format-check: clang-format missing. Run as root: apt-get update && apt-get install -y clang-format" >&2; exit 2; }
fi
files=$(git ls-files '*.c' '*.h')
[ -n "$files" ] || { echo "format-check: no tracked C files (not a git checkout?)" >&2; exit 2; }
if [ "${1:-}" = fix ]; then
  # shellcheck disable=SC2086
  exec "$CF" -i --style=file $files
fi
bad=0
for f in $files; do
  if ! "$CF" --style=file "$f" | cmp -s - "$f"; then
    echo "format-check: $f is not formatted (make format; diff:)" >&2
    "$CF" --style=file "$f" | diff -u "$f" - | head -20 >&2
    bad=$((bad + 1))
  fi
done
n=$(echo "$files" | wc -l)
if [ $bad -ne 0 ]; then
  echo "format-check: $bad of $n files need formatting ($CF)" >&2
  exit 1
fi
echo "format-check: $n files formatted as .clang-format says ($CF)"
