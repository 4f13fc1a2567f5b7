# Hostile input at the command line: clear error, exit 1 or 2, no crash,
# no hang, nothing left behind, nothing overwritten.
echo "hostile input"
H=$T/hostile
"$G" synthetic --sheets 8 --districts 2 --out "$H" --anchor-out "$T/h.vkey" 2>/dev/null
verify_h() { timeout 120 "$V" record --anchor "$T/h.vkey" --json "$1"; }
has_code() { grep -q "\"code\":\"$1\"" "$T/out"; }

# a sparse 2 GiB file above the size limit: refused without being read
truncate -s 2G "$H/sheets/huge.txt"
start=$(date +%s)
verify_h "$H" >"$T/out" 2>"$T/err"
st=$? el=$(($(date +%s) - start))
if [ $st = 1 ] && has_code SHEET_FORMAT && grep -q 'above the limit' "$T/out" && [ $el -lt 10 ]; then
  ok "2 GiB sparse sheets file refused quickly (${el}s)"
else bad "2 GiB sparse sheets file" "exit $st, ${el}s"; fi
# the same record named by another path gives the same report bytes, even
# with a file it cannot read (messages name files relative to the record)
mv "$H/districts.txt" "$T/h-districts.txt"
verify_h "$H" >"$T/out" 2>/dev/null
st=$?
(cd "$H/.." && verify_h "$(basename "$H")") >"$T/out2" 2>/dev/null
st2=$?
# (the finding is checked too: two empty outputs would compare equal)
if [ $st = 1 ] && [ $st2 = 1 ] && cmp -s "$T/out" "$T/out2" && ! grep -q "$T" "$T/out" &&
  grep -qF '"file":"districts.txt","message":"districts.txt: cannot open' "$T/out"; then
  ok "report bytes do not depend on the path the record is given by"
else
  bad "report depends on the record path" "exit $st and $st2; $(cmp "$T/out" "$T/out2")"
fi
mv "$T/h-districts.txt" "$H/districts.txt"
rm "$H/sheets/huge.txt"

# a FIFO and a symlink to /dev/zero
mkfifo "$H/sheets/fifo"
ln -s /dev/zero "$H/sheets/zero"
verify_h "$H" >"$T/out" 2>"$T/err"
st=$?
if [ $st = 1 ] && grep -q 'a FIFO' "$T/out" && grep -q 'a symbolic link' "$T/out"; then
  ok "FIFO and symlink to /dev/zero are findings, not opened"
else bad "FIFO / symlink" "exit $st"; fi
rm "$H/sheets/fifo" "$H/sheets/zero"

# deeply nested directories and a symlink cycle
p="$H/sheets/deep"
for i in $(seq 1 30); do p="$p/d"; done
mkdir -p "$p"
echo x >"$p/f.txt"
mkdir -p "$H/sheets/cyc"
ln -s .. "$H/sheets/cyc/up"
ln -s ../cyc "$H/sheets/cyc/self"
verify_h "$H" >"$T/out" 2>"$T/err"
st=$?
if [ $st = 1 ] && grep -q 'nested deeper' "$T/out" && grep -q 'symbolic link' "$T/out"; then
  ok "deep nesting and symlink cycles: findings, no hang"
else bad "deep nesting / cycles" "exit $st"; fi
rm -rf "$H/sheets/deep" "$H/sheets/cyc"

# a note line of 10 MB
{ printf 'recount count-sheet v1\nelection '; head -c 10485760 /dev/zero | tr '\0' 'a'; printf '\n\n'; } >"$H/sheets/long.txt"
verify_h "$H" >"$T/out" 2>"$T/err"
st=$?
[ $st = 1 ] && has_code SHEET_FORMAT && ok "10 MB line: SHEET_FORMAT, no crash" || bad "10 MB line" "exit $st"
rm "$H/sheets/long.txt"

# 100,000 empty files
mkdir "$H/sheets/many"
(cd "$H/sheets/many" && seq -f 'e%06g' 1 100000 | xargs touch)
start=$(date +%s)
verify_h "$H" >"$T/out" 2>"$T/err"
st=$? el=$(($(date +%s) - start))
n=$(grep -o '"code":"SHEET_FORMAT","severity":"error","file":"sheets/many/e[0-9]*","message":"empty file' "$T/out" | wc -l)
[ $st = 1 ] && [ "$n" = 100000 ] &&
  ok "100,000 empty files read in ${el}s: one SHEET_FORMAT each (a file holds one or more sheets)" ||
  bad "100,000 empty files" "exit $st, $n empty-file findings"
rm -rf "$H/sheets/many"

# every sheet withheld: an empty sheets/ directory, then no sheets/ at all.
# Each station is SHEET_MISSING (found by fuzz_record: sorting the empty
# file list passed NULL to qsort, which make sanitize rejects)
mv "$H/sheets" "$T/h-sheets"
for how in "empty sheets/ directory" "no sheets/ directory"; do
  [ "$how" = "empty sheets/ directory" ] && mkdir "$H/sheets"
  verify_h "$H" >"$T/out" 2>"$T/err"
  st=$?
  n=$(grep -o '"code":"SHEET_MISSING"' "$T/out" | wc -l)
  [ $st = 1 ] && [ "$n" = 8 ] && ok "$how: exit 1, all 8 stations SHEET_MISSING" ||
    bad "$how" "exit $st, $n SHEET_MISSING; $(head -c 300 "$T/err")"
  rm -rf "$H/sheets"
done
mv "$T/h-sheets" "$H/sheets"

# the record passes again once cleaned
expect_exit 0 "cleaned record verifies" "$V" record --anchor "$T/h.vkey" "$H"

# usage and unreadable inputs exit 2
expect_exit 2 "missing record directory: exit 2" "$V" record --anchor "$T/h.vkey" "$T/no-such-dir"
expect_exit 2 "unreadable anchor: exit 2" "$V" record --anchor "$T/no-such.vkey" "$H"
printf 'not a key\n' >"$T/badkey.vkey"
expect_exit 2 "malformed anchor: exit 2" "$V" record --anchor "$T/badkey.vkey" "$H"
expect_exit 2 "no arguments: exit 2" "$V"
expect_exit 2 "bad --threads: exit 2" "$V" record --anchor "$T/h.vkey" --threads 0 "$H"
expect_exit 2 "bad --crypto: exit 2" "$V" record --anchor "$T/h.vkey" --crypto md5 "$H"

# a read-only record directory (bind mount) can be verified; commit fails cleanly
mkdir -p "$T/ro"
if mount --bind -o ro "$H" "$T/ro" 2>/dev/null || { mount --bind "$H" "$T/ro" 2>/dev/null && mount -o remount,ro,bind "$T/ro" 2>/dev/null; }; then
  # (an old mount(8) accepts -o ro with --bind and mounts read-write)
  if touch "$T/ro/.probe" 2>/dev/null; then
    rm -f "$T/ro/.probe"
    bad "read-only filesystem: the bind mount is writable, the test would not test it"
  fi
  expect_exit 0 "read-only filesystem: verify works" "$V" record --anchor "$T/h.vkey" "$T/ro"
  umount "$T/ro"
else
  chmod -R a-w "$H"
  expect_exit 0 "read-only record (no bind mount here: permissions): verify works" "$V" record --anchor "$T/h.vkey" "$H"
  chmod -R u+w "$H"
fi

# Filesystems mounted for the next two tests are unmounted even if a test
# dies half-way, before the EXIT trap removes $T.
unmount_all() { grep -o " $T/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r m; do umount "$m"; done; }
trap 'unmount_all; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
# snapshot DIR: every file's name and SHA-256, to show nothing changed
snapshot() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
# commit_refused LABEL DIR CAUSE: commit into DIR exits 2, the error names
# DIR and CAUSE, and no file under DIR is added, removed or changed
commit_refused() {
  snapshot "$2" >"$T/snap.before"
  expect_exit 2 "$1: commit exits 2" "$S" commit --key "$T/small-commission.key" "$2"
  grep -q "$3" "$T/err" && grep -q "$2" "$T/err" &&
    ok "$1: the error names the path and the cause" || bad "$1: error message" "$(head -c 300 "$T/err")"
  snapshot "$2" >"$T/snap.after"
  cmp -s "$T/snap.before" "$T/snap.after" && ok "$1: no partial file left, nothing changed" ||
    bad "$1: the record changed" "$(diff "$T/snap.before" "$T/snap.after" | head -n 5)"
}

# commit on a read-only filesystem: exit 2, a clear error, nothing written
R0=$T/ro-commit-src
cp -r "$T/small" "$R0"
rm "$R0/districts.txt" "$R0/log.txt" "$R0/checkpoint.note"
mkdir -p "$T/ro-commit"
if mount --bind "$R0" "$T/ro-commit" 2>/dev/null && mount -o remount,ro,bind "$T/ro-commit" 2>/dev/null; then
  commit_refused "read-only filesystem" "$T/ro-commit" "Read-only file system"
else
  echo "  (cannot mount here: the read-only commit case is not run; verify on a read-only record is above)"
fi
umount "$T/ro-commit" 2>/dev/null

# disk full for real: a small tmpfs, filled to the last block. commit exits
# 2, leaves no temporary or partial file and changes nothing; once space is
# freed the same commit succeeds. (t_30 covers the injected-failure path,
# which also runs where mounting is not allowed.)
F=$T/full
mkdir -p "$F"
if mount -t tmpfs -o size=2m,mode=0700 recount-e2e "$F" 2>/dev/null; then
  cp -r "$R0" "$F/rec"
  dd if=/dev/zero of="$F/filler" bs=4096 2>/dev/null
  commit_refused "disk full (tmpfs)" "$F/rec" "No space left on device"
  rm "$F/filler"
  expect_exit 0 "disk full (tmpfs): the same commit succeeds once space is freed" \
    "$S" commit --key "$T/small-commission.key" "$F/rec"
  expect_exit 0 "disk full (tmpfs): and the committed record verifies" \
    "$V" record --anchor "$T/small.vkey" "$F/rec"
  umount "$F"
else
  echo "  (cannot mount a tmpfs here: disk full is covered by the injected failure in t_30)"
fi
