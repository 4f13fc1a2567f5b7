# recount-sign: every subcommand, its refusals, and stock-openssl interop.
echo "recount-sign"
W=$T/sign
mkdir -p "$W"
cd "$W" || exit 1

expect_exit 0 "keygen: creates a key pair" "$S" keygen --name st-1
perm=$(stat -c %a st-1.key)
[ "$perm" = 600 ] && ok "keygen: signer key is mode 0600" || bad "keygen: mode $perm"
grep -q '^PRIVATE+KEY+st-1+[0-9a-f]\{8\}+' st-1.key && grep -q '^st-1+[0-9a-f]\{8\}+' st-1.vkey &&
  ok "keygen: Go sumdb/note key encodings" || bad "keygen: key encodings"
cp st-1.key st-1.key.orig
expect_exit 1 "keygen: refuses to overwrite an existing key" "$S" keygen --name st-1
cmp -s st-1.key st-1.key.orig && ok "keygen: existing key untouched" || bad "keygen: key changed"
expect_exit 2 "keygen: rejects a key name with '+'" "$S" keygen --name 'a+b'

printf 'correct horse\n' >pass.txt
printf 'wrong horse\n' >wrong.txt
expect_exit 0 "keygen --encrypt with --passphrase-file" "$S" keygen --name st-2 --encrypt --passphrase-file pass.txt
grep -q '^recount encrypted signer key v1$' st-2.key && ! grep -q PRIVATE st-2.key &&
  ok "keygen --encrypt: no plain secret in the file" || bad "keygen --encrypt: file content"

SHEET=(--election e1 --district d1 --station s1 --registered 500 --ballots 400
  --invalid 3 --blank 1 --excluded 6 --vote yes=300 --vote no=90)
expect_exit 0 "sheet: signs a balanced sheet" "$S" sheet --key st-1.key "${SHEET[@]}" --out s1.txt
expect_exit 0 "note: the sheet verifies with the station key" "$V" note --key st-1.vkey s1.txt
expect_exit 1 "note: does not verify with another key" "$V" note --key st-2.vkey s1.txt
expect_exit 1 "sheet: refuses to overwrite" "$S" sheet --key st-1.key "${SHEET[@]}" --out s1.txt
expect_exit 0 "sheet: --force overwrites" "$S" sheet --key st-1.key "${SHEET[@]}" --out s1.txt --force
expect_exit 1 "sheet: refuses figures that do not balance" "$S" sheet --key st-1.key --election e1 --district d1 \
  --station s1 --registered 500 --ballots 400 --invalid 3 --blank 1 --excluded 6 --vote yes=300 --vote no=91 --out bad.txt
[ ! -e bad.txt ] && ok "sheet: nothing written when refused" || bad "sheet: partial output left"
expect_exit 1 "sheet: refuses ballots above registered" "$S" sheet --key st-1.key --election e1 --district d1 \
  --station s1 --registered 300 --ballots 400 --invalid 3 --blank 1 --excluded 6 --vote yes=300 --vote no=90
expect_exit 2 "sheet: rejects a count with a leading zero" "$S" sheet --key st-1.key --election e1 --district d1 \
  --station s1 --registered 0500 --ballots 400 --invalid 3 --blank 1 --excluded 6 --vote yes=300 --vote no=90
expect_exit 0 "sheet: encrypted key with the right passphrase" "$S" sheet --key st-2.key --passphrase-file pass.txt \
  "${SHEET[@]}" --out s2.txt
expect_exit 1 "sheet: encrypted key with a wrong passphrase" "$S" sheet --key st-2.key --passphrase-file wrong.txt \
  "${SHEET[@]}" --out s3.txt
[ ! -e s3.txt ] && ok "sheet: nothing written on a wrong passphrase" || bad "sheet: output after wrong passphrase"
chmod 644 st-1.key
expect_exit 1 "sheet: refuses a key file readable by others" "$S" sheet --key st-1.key "${SHEET[@]}"
grep -q 'chmod 600' "$T/err" && ok "sheet: the message says how to fix the permissions" || bad "sheet: permission message"
chmod 600 st-1.key

# sign: validates the text first
printf 'recount published v1\nelection e1\nballots 400\n' >pub.txt
expect_exit 0 "sign: signs valid published figures" "$S" sign --key st-1.key pub.txt --out pub.note
printf 'recount published v1\nelection e1\nballots 0400\n' >pubbad.txt
expect_exit 1 "sign: refuses malformed text" "$S" sign --key st-1.key pubbad.txt --out pubbad.note
grep -q 'line 3' "$T/err" && ok "sign: the refusal names the line" || bad "sign: no line in message" "$(cat "$T/err")"

# cosign
cp s1.txt s1c.txt
expect_exit 0 "cosign: a witness adds its line" "$S" cosign --key st-2.key --passphrase-file pass.txt s1c.txt
expect_exit 0 "cosign: both signatures verify" "$V" note --key st-1.vkey --key st-2.vkey s1c.txt
expect_exit 1 "cosign: refuses a second line by the same key" "$S" cosign --key st-1.key s1c.txt

# export-pem and stock openssl
expect_exit 0 "export-pem" "$S" export-pem st-1.vkey --out st-1.pem
awk '/^$/{exit} {print}' s1.txt >body
tail -n 1 s1.txt | cut -d' ' -f3 | base64 -d | tail -c 64 >sig
if openssl pkeyutl -verify -pubin -inkey st-1.pem -rawin -in body -sigfile sig >/dev/null 2>&1; then
  ok "openssl pkeyutl verifies a station signature with the exported PEM"
else
  bad "openssl pkeyutl rejects the station signature"
fi
printf 'x' >>body
# (a refusal to run at all, a bad key file say, is not a rejection)
if ! openssl pkeyutl -verify -pubin -inkey st-1.pem -rawin -in body -sigfile sig >ossl.out 2>&1 &&
  grep -q 'Signature Verification Failure' ossl.out; then
  ok "openssl pkeyutl rejects an altered text"
else
  bad "openssl pkeyutl on an altered text" "$(head -c 200 ossl.out)"
fi

# usage errors
expect_exit 2 "unknown subcommand" "$S" frobnicate
expect_exit 0 "--help on a subcommand" "$S" commit --help
cd "$ROOT" || exit 1
