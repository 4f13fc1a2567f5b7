#!/usr/bin/python3
"""selftest.py [TMPDIR [RECORD VKEY]...]: tests tlogproof_verify.py without any of recount's
code. It builds RFC 9162 trees over signed sheet-like notes with its own
recursive MTH and PATH (RFC 9162 sections 2.1.1 and 2.1.3.1), signs
checkpoints with PyNaCl keys, cosigns them (tlog-cosignature/v1), writes
tlog-proof files and checks that the verifier accepts every index of every
tree of 1..17 leaves and rejects each kind of damage. With RECORD VKEY
(a record made by recount-sign commit and its commission key), it also
builds proofs of that record's log from its files alone.
Prints `ok NAME` or `FAIL NAME: why` per case; exit 1 when one fails, 77
when /usr/bin/python3 has no nacl."""
import base64
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

try:
    import nacl.signing
except ImportError:
    print("skip: %s has no nacl (python3-nacl)" % sys.executable)
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
VERIFY = os.path.join(HERE, "tlogproof_verify.py")
ORIGIN = b"khec.example/selftest"
T_COSIG = 1700000000
failures = 0


def check(name, cond, why=""):
    global failures
    if cond:
        print("ok %s" % name)
    else:
        failures += 1
        print("FAIL %s: %s" % (name, why))


def sha(b):
    return hashlib.sha256(b).digest()


def mth(hashes):
    """RFC 9162 2.1.1: the Merkle Tree Hash of a list of leaves, given as
    their leaf hashes SHA-256(0x00 || leaf)."""
    n = len(hashes)
    if n == 0:
        return sha(b"")
    if n == 1:
        return hashes[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return sha(b"\x01" + mth(hashes[:k]) + mth(hashes[k:]))


def path(m, hashes):
    """RFC 9162 2.1.3.1: PATH(m, D[n]), from the leaf's sibling upwards."""
    n = len(hashes)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return path(m, hashes[:k]) + [mth(hashes[k:])]
    return path(m - k, hashes[k:]) + [mth(hashes[:k])]


def leaf_hash(text):
    return sha(b"\x00" + text)


class Key:
    def __init__(self, name, seed_byte, typ):
        self.name = name
        self.sk = nacl.signing.SigningKey(bytes([seed_byte]) * 32)
        self.pk = bytes(self.sk.verify_key)
        self.typ = typ
        self.id = sha(name + b"\n" + bytes([typ]) + self.pk)[:4]

    def vkey(self, d):
        p = os.path.join(d, "%s.vkey" % self.id.hex())
        with open(p, "wb") as f:
            f.write(self.name + b"+" + self.id.hex().encode() + b"+" +
                    base64.b64encode(bytes([self.typ]) + self.pk) + b"\n")
        return p

    def line(self, payload):
        return "\u2014 ".encode() + self.name + b" " + \
            base64.b64encode(self.id + payload) + b"\n"

    def sign_note(self, text):
        return self.line(self.sk.sign(text).signature)

    def cosign(self, text, t, tamper=False):
        msg = b"cosignature/v1\ntime %d\n" % t + text
        sig = bytearray(self.sk.sign(msg).signature)
        if tamper:
            sig[0] ^= 1
        return self.line(struct.pack(">Q", t) + bytes(sig))


def sheet(i, station_key):
    text = (b"recount sheet v1\nelection selftest\nstation d1.%04d\n"
            b"ballots %d\nvote yes %d\n" % (i, 100 + i, 50 + i))
    return text, text + b"\n" + station_key.sign_note(text)


def proof_file(extra, index, hashes, note):
    out = b"c2sp.org/tlog-proof@v1\n"
    if extra is not None:
        out += b"extra " + base64.b64encode(extra) + b"\n"
    out += b"index %d\n" % index
    out += b"".join(base64.b64encode(h) + b"\n" for h in hashes)
    return out + b"\n" + note


def run(args):
    p = subprocess.run([sys.executable, VERIFY] + args, capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def cases(d):
    log = Key(ORIGIN, 1, 0x01)
    other = Key(ORIGIN, 2, 0x01)
    station = Key(b"d1.station", 3, 0x01)
    w1, w2, w3 = (Key(b"w%d.example" % i, 10 + i, 0x04) for i in (1, 2, 3))
    sheets = [sheet(i, station) for i in range(17)]

    def checkpoint(n, extra_line=b"manifest x\n"):
        leaves = [leaf_hash(t) for t, _ in sheets[:n]]
        text = ORIGIN + b"\n%d\n" % n + base64.b64encode(mth(leaves)) + \
            b"\n" + extra_line
        return text, text + b"\n" + log.sign_note(text) + \
            w1.cosign(text, T_COSIG) + w3.cosign(text, T_COSIG, tamper=True)

    # every index of every tree of 1..17 leaves
    files = []
    for n in range(1, 18):
        _, note = checkpoint(n)
        leaves = [leaf_hash(t) for t, _ in sheets[:n]]
        for m in range(n):
            p = os.path.join(d, "n%d-m%d.tlog-proof" % (n, m))
            with open(p, "wb") as f:
                f.write(proof_file(sheets[m][1], m, path(m, leaves), note))
            files.append((p, m, n))
    vk = log.vkey(d)
    st, out, err = run(["--vkey", vk] + [p for p, _, _ in files])
    want = "".join("OK %s index %d of %d\n" % f for f in files)
    check("all %d proofs of trees of 1..17 leaves verify" % len(files),
          st == 0 and out == want, "exit %d: %s %s" % (st, out[:300], err))

    # witnesses: cosigned, absent, invalid
    p7 = os.path.join(d, "n7-m3.tlog-proof")
    st, out, err = run(["--vkey", vk, "--origin", ORIGIN.decode(),
                        "--witness", w1.vkey(d), "--witness", w2.vkey(d),
                        "--witness", w3.vkey(d), p7])
    want = ("OK %s index 3 of 7\n"
            "  witness w1.example+%s: cosigned %d\n"
            "  witness w2.example+%s: absent\n"
            "  witness w3.example+%s: invalid\n"
            % (p7, w1.id.hex(), T_COSIG, w2.id.hex(), w3.id.hex()))
    check("witnesses: cosigned, absent, invalid", st == 0 and out == want,
          "exit %d: %r %s" % (st, out, err))

    # damage: each must FAIL (exit 1) with its reason
    text7, note7 = checkpoint(7)
    leaves7 = [leaf_hash(t) for t, _ in sheets[:7]]
    good = proof_file(sheets[3][1], 3, path(3, leaves7), note7)
    hashes = path(3, leaves7)
    flipped = [hashes[0]] + [bytes([hashes[1][0] ^ 1]) + hashes[1][1:]] + \
        hashes[2:]
    bad_leaf = bytearray(sheets[3][1])
    bad_leaf[bad_leaf.index(b"vote yes") + 9] ^= 1
    bad_root = note7.replace(text7.split(b"\n")[2], base64.b64encode(
        sha(b"another root")), 1)
    h0 = base64.b64encode(hashes[0])
    noncanon = h0[:-2] + bytes([h0[-2] ^ 1]) + h0[-1:]  # unused bits set
    cases = [
        ("a proof hash flipped", proof_file(sheets[3][1], 3, flipped, note7),
         "does not verify"),
        ("another index", good.replace(b"index 3\n", b"index 4\n"),
         "does not verify"),
        ("the index past the tree", good.replace(b"index 3\n", b"index 7\n"),
         "does not verify"),
        ("a leading zero in the index",
         good.replace(b"index 3\n", b"index 03\n"), "leading zeroes"),
        ("a byte of the leaf changed",
         proof_file(bytes(bad_leaf), 3, hashes, note7), "does not verify"),
        ("another leaf's note", proof_file(sheets[4][1], 3, hashes, note7),
         "does not verify"),
        ("a proof hash missing",
         proof_file(sheets[3][1], 3, hashes[:-1], note7), "does not verify"),
        ("a proof hash too many",
         proof_file(sheets[3][1], 3, hashes + [hashes[0]], note7),
         "does not verify"),
        ("the checkpoint root changed",
         proof_file(sheets[3][1], 3, hashes, bad_root), "not signed"),
        ("non-canonical base64", good.replace(h0, noncanon),
         "not canonical"),
        ("no extra line", proof_file(None, 3, hashes, note7), "no extra"),
        ("another header", good.replace(b"@v1", b"@v2", 1), "line 1"),
        ("no empty line before the checkpoint",
         good.replace(b"\n\n" + ORIGIN, b"\n" + ORIGIN), "proof hash"),
        ("a checkpoint without signatures",
         proof_file(sheets[3][1], 3, hashes, text7), "no empty line"),
    ]
    junk = note7 + "\u2014 ".encode() + b"junk !!!\n" + b"not a signature\n"
    p = os.path.join(d, "junk.tlog-proof")
    with open(p, "wb") as f:
        f.write(proof_file(sheets[3][1], 3, hashes, junk))
    st, out, err = run(["--vkey", vk, "--witness", w1.vkey(d), p])
    check("malformed lines appended to the checkpoint are ignored",
          st == 0 and out == "OK %s index 3 of 7\n  witness w1.example+%s: "
          "cosigned %d\n" % (p, w1.id.hex(), T_COSIG),
          "exit %d: %r %s" % (st, out, err))
    for name, data, reason in cases:
        p = os.path.join(d, "bad.tlog-proof")
        with open(p, "wb") as f:
            f.write(data)
        st, out, err = run(["--vkey", vk, p])
        check("rejected: " + name, st == 1 and out.startswith("FAIL %s: " % p)
              and reason in out, "exit %d: %r %s" % (st, out, err))
    st, out, _ = run(["--vkey", other.vkey(d), p7])
    check("rejected: another commission key", st == 1 and "not signed" in out,
          "exit %d: %r" % (st, out))
    st, out, _ = run(["--vkey", vk, "--origin", "khec.example/other", p7])
    check("rejected: another origin", st == 1 and "origin" in out,
          "exit %d: %r" % (st, out))
    # one good and one bad file: both reported, exit 1
    st, out, _ = run(["--vkey", vk, p7, p])
    check("one good, one bad file: exit 1, two lines",
          st == 1 and out.startswith("OK ") and out.count("\n") == 2,
          "exit %d: %r" % (st, out))
    # usage errors: exit 2
    for name, args in [("no --vkey", [p7]),
                       ("a note key as a witness",
                        ["--vkey", vk, "--witness", vk, p7]),
                       ("a cosignature key as the log's",
                        ["--vkey", w1.vkey(d), p7]),
                       ("an unknown option", ["--vkey", vk, "-x", p7])]:
        st, out, err = run(args)
        check("usage: " + name + " exits 2", st == 2 and out == "",
              "exit %d: %r" % (st, out))


def sheet_notes(record):
    """{SHA-256 of a sheet text: its signed note} over RECORD/sheets, framed
    as RECORD.md section 4 says (text to the first empty line, then the
    lines that begin with an em dash)."""
    notes = {}
    for top, dirs, names in os.walk(os.path.join(record, "sheets")):
        dirs.sort()
        for name in sorted(names):
            with open(os.path.join(top, name), "rb") as f:
                data = f.read()
            while data:
                end = data.index(b"\n\n") + 1
                text, pos = data[:end], end + 1
                while data.startswith("\u2014 ".encode(), pos):
                    pos = data.index(b"\n", pos) + 1
                notes[sha(text)] = (text, data[:pos])
                data = data[pos:]
    return notes


def record_cases(d, record, vkey):
    """Proofs built here from a record made by recount-sign commit: its
    checkpoint's root must be the RFC 9162 root of log.txt's sheets, and
    the verifier must accept a proof of its first, second, middle and last
    entries."""
    notes = sheet_notes(record)
    with open(os.path.join(record, "log.txt"), "rb") as f:
        entries = [line.split(b" ")[1] for line in f.read().splitlines()]
    texts = [notes.get(base64.b64decode(e)) for e in entries]
    if None in texts or not texts:
        check("%s: every entry of log.txt is a sheet of sheets/" % record,
              False, "entry %d is not" % texts.index(None) if texts else
              "log.txt is empty")
        return
    hashes = [leaf_hash(t) for t, _ in texts]
    with open(os.path.join(record, "checkpoint.note"), "rb") as f:
        note = f.read()
    lines = note.split(b"\n")
    n = len(hashes)
    check("%s: the checkpoint's size and root are those of log.txt's %d "
          "sheets" % (record, n), lines[1] == b"%d" % n and
          base64.b64decode(lines[2]) == mth(hashes), lines[1:3])
    files = []
    for m in sorted({0, 1 % n, n // 2, n - 1}):
        p = os.path.join(d, "record-%d.tlog-proof" % m)
        with open(p, "wb") as f:
            f.write(proof_file(texts[m][1], m, path(m, hashes), note))
        files.append((p, m, n))
    st, out, err = run(["--vkey", vkey] + [p for p, _, _ in files])
    check("%s: proofs of entries %s verify" % (
        record, ", ".join(str(m) for _, m, _ in files)),
        st == 0 and out == "".join("OK %s index %d of %d\n" % f
                                   for f in files),
        "exit %d: %r %s" % (st, out[:300], err))


def main():
    with tempfile.TemporaryDirectory(
            dir=sys.argv[1] if len(sys.argv) > 1 else None) as d:
        cases(d)
        for i in range(2, len(sys.argv) - 1, 2):
            record_cases(d, sys.argv[i], sys.argv[i + 1])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
