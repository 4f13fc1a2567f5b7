# An empty release: a commission that publishes its log before any sheet
# arrives signs a checkpoint of size 0 with the empty tree's root, H("").
# The empty tree is a prefix of every tree (C2SP tlog-witness: "the empty
# tree is consistent with any tree, so no proof is necessary"), so every
# later release of the origin extends it: for commit --previous, record
# --previous, diff and witness alike. A size-0 checkpoint with another root
# is no tree's and is a rewrite.
echo "empty release"
E0=$T/empty
mkdir -p "$E0"
"$G" synthetic --sheets 30 --districts 3 --out "$E0/R" --anchor-out "$E0/a.vkey" --keys-out "$E0/keys.txt" 2>"$T/err" ||
  bad "empty release: synthetic record" "$(cat "$T/err")"
keyfile "$E0/keys.txt" 1 "$E0/commission.key"
cp -r "$E0/R" "$E0/E"
rm -r "$E0/E/sheets" "$E0/E/published.note"
mkdir "$E0/E/sheets"
expect_exit 0 "commit: a release of no sheet" "$S" commit --key "$E0/commission.key" --force "$E0/E"
[ ! -s "$E0/E/log.txt" ] && [ "$(sed -n 2,3p "$E0/E/checkpoint.note" | tr '\n' ' ')" = "0 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= " ] &&
  ok "empty release: log.txt empty, checkpoint of size 0 with root H(\"\")" ||
  bad "empty release: checkpoint" "$(head -n 3 "$E0/E/checkpoint.note")"
"$V" record --anchor "$E0/a.vkey" "$E0/E" >"$T/out" 2>&1
[ "$(grep -c '^  error ' "$T/out")" = 1 ] && grep -q '^  error   OUTCOME_NOT_DETERMINED' "$T/out" &&
  ok "empty release verifies but for its undetermined outcome" || bad "empty release: findings" "$(grep '^  error' "$T/out" | head -5)"
cp -r "$E0/R" "$E0/R2"
expect_exit 0 "commit --previous the empty release" "$S" commit --key "$E0/commission.key" --previous "$E0/E" --force "$E0/R2"
cmp -s "$E0/R/log.txt" "$E0/R2/log.txt" && ok "commit --previous empty: the same log as without" || bad "commit --previous empty: another log"
expect_exit 0 "record --previous the empty checkpoint" "$V" record --anchor "$E0/a.vkey" --previous "$E0/E/checkpoint.note" "$E0/R"
if grep -q RELEASE_REWRITTEN "$T/out"; then
  bad "record --previous empty: RELEASE_REWRITTEN" "$(grep -A1 RELEASE_REWRITTEN "$T/out")"
else ok "record --previous empty: no RELEASE_REWRITTEN"; fi
expect_exit 0 "diff: the full release extends the empty one" "$V" diff --anchor "$E0/a.vkey" "$E0/E" "$E0/R"
grep -q "release log of 0 sheets" "$T/out" && ok "diff: OLD's log of 0 sheets" || bad "diff: OLD's log" "$(head -n 4 "$T/out")"
"$S" keygen --cosign --name witness.example/empty --out "$E0/w" >/dev/null 2>&1
expect_exit 0 "witness cosigns the empty release" "$S" witness --key "$E0/w.key" --anchor "$E0/a.vkey" --now 1700000000 "$E0/E"
expect_exit 0 "witness: the full release extends the empty one" "$S" witness --key "$E0/w.key" --anchor "$E0/a.vkey" --now 1700000100 "$E0/R"
grep -q "size 30 .*(extends the one of size 0)" "$T/err" && ok "witness: says it extends size 0" || bad "witness: report" "$(cat "$T/err")"
# a size-0 checkpoint signed by the commission with another root than H("")
{
  printf 'bench.example/synthetic\n0\n%s\n' LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE= # SHA-256("x")
  sed -n 4,5p "$E0/E/checkpoint.note"
} >"$E0/bogus.txt"
"$S" sign --key "$E0/commission.key" "$E0/bogus.txt" --out "$E0/bogus.note" 2>"$T/err" || bad "sign bogus checkpoint" "$(cat "$T/err")"
expect_exit 1 "record --previous: a size-0 checkpoint with another root than H(\"\")" "$V" record --anchor "$E0/a.vkey" --previous "$E0/bogus.note" "$E0/R"
grep -q "RELEASE_REWRITTEN" "$T/out" && ok "size-0 checkpoint with another root: RELEASE_REWRITTEN" || bad "bogus size 0: finding" "$(grep error "$T/out" | head -3)"
