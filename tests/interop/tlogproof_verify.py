#!/usr/bin/python3
"""tlogproof_verify.py: an independent verifier of C2SP tlog-proof@v1 files,
written from the specifications alone (c2sp.org/tlog-proof,
c2sp.org/tlog-checkpoint, c2sp.org/signed-note, c2sp.org/tlog-cosignature,
RFC 9162 section 2.1.3.2) with Debian's python3-nacl and nothing of
recount's code.

usage: tlogproof_verify.py --vkey COMMISSION_VKEY_FILE
           [--witness COSIG_VKEY_FILE]... [--origin ORIGIN] FILE.tlog-proof...

For each FILE: the checkpoint must be signed by the --vkey key (type 0x01),
its origin must be --origin when given, and the leaf -- the text of the
signed note carried in `extra`, without its signature lines (RECORD.md
section 5) -- must be at `index` of the checkpointed tree. Each --witness
key (type 0x04) is reported as cosigned (with its time), absent or invalid;
witnesses never decide OK or FAIL (no quorum here).
Prints `OK FILE index I of SIZE` or `FAIL FILE: REASON` per file; exit 0
when every file is OK, 1 otherwise, 2 on a usage error.
"""
import argparse
import base64
import binascii
import hashlib
import struct
import sys

import nacl.exceptions
import nacl.signing

HEADER = b"c2sp.org/tlog-proof@v1"
DASH = "\u2014 ".encode()  # em dash, space: a signature line
MAX_SIGS = 100


class Bad(Exception):
    pass


def b64(s, what):
    """RFC 4648 section 4 base64, canonical only (one encoding per value)."""
    try:
        raw = base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        raise Bad("%s: not base64" % what)
    if base64.b64encode(raw) != s:
        raise Bad("%s: not canonical base64" % what)
    return raw


def decimal(s, what):
    """ASCII decimal without leading zeroes, below 2^64."""
    if not s or not s.isdigit() or not s.isascii() or (
            len(s) > 1 and s[:1] == b"0"):
        raise Bad("%s: not a decimal without leading zeroes: %r" % (what, s))
    v = int(s)
    if v >= 1 << 64:
        raise Bad("%s: too large" % what)
    return v


def key_id(name, typ, pk):
    return hashlib.sha256(name + b"\n" + bytes([typ]) + pk).digest()[:4]


def read_vkey(path, typ):
    """<name>+<8 hex key ID>+base64(type || 32-byte key): (name, id, pk)."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.endswith(b"\n") or b"\n" in data[:-1]:
        raise Bad("%s: not one line ending in a newline" % path)
    parts = data[:-1].split(b"+", 2)  # base64 may hold "+"
    if len(parts) != 3:
        raise Bad("%s: not <name>+<hex id>+<base64 key>" % path)
    name, hexid, key = parts
    if not name or any(c <= 0x20 or c == 0x7f for c in name):
        raise Bad("%s: bad key name" % path)
    if len(hexid) != 8 or hexid != hexid.lower():
        raise Bad("%s: key ID is not 8 lowercase hex digits" % path)
    raw = b64(key, path)
    if len(raw) != 33 or raw[0] != typ:
        raise Bad("%s: not a key of type 0x%02x with 32 bytes" % (path, typ))
    pk = raw[1:]
    if key_id(name, typ, pk).hex().encode() != hexid:
        raise Bad("%s: key ID does not match name and key" % path)
    return name, bytes.fromhex(hexid.decode()), pk


def split_note(note, what):
    """A signed note: (text, [(name, signature bytes)]). The text ends in a
    newline and is separated from the signatures by the last empty line.
    Of the signature lines, the first MAX_SIGS are read; a malformed one is
    ignored, as a line of an unknown key is (RECORD.md section 1: a line
    appended to a note never voids it)."""
    try:
        note.decode("utf-8")
    except UnicodeDecodeError:
        raise Bad("%s: not UTF-8" % what)
    if any(c < 0x20 and c != 0x0a for c in note) or 0x7f in note:
        raise Bad("%s: a control character" % what)
    i = note.rfind(b"\n\n")
    if i < 0:
        raise Bad("%s: no empty line before signatures" % what)
    text, sigs = note[: i + 1], note[i + 2:]
    if not sigs.endswith(b"\n"):
        raise Bad("%s: signatures do not end in a newline" % what)
    lines = []
    for line in sigs[:-1].split(b"\n")[:MAX_SIGS]:
        fields = line[len(DASH):].split(b" ")
        if not line.startswith(DASH) or len(fields) != 2 or not fields[0]:
            continue
        try:
            sig = b64(fields[1], what)
        except Bad:
            continue
        if len(sig) >= 5:
            lines.append((fields[0], sig))
    return text, lines


def ed25519_ok(pk, msg, sig):
    try:
        nacl.signing.VerifyKey(pk).verify(msg, sig)
        return True
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError,
            nacl.exceptions.TypeError):
        return False


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_ok(index, size, leaf_hash, path, root):
    """RFC 9162 section 2.1.3.2, step by step."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while fn != 0 and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def parse_proof(data):
    """(extra or None, index, [hash], checkpoint note) of a tlog-proof."""
    lines = data.split(b"\n")
    if lines[0] != HEADER:
        raise Bad("line 1 is not %s" % HEADER.decode())
    if len(lines) < 4:
        raise Bad("fewer than four lines")
    n, extra = 1, None
    if lines[n].startswith(b"extra"):
        if not lines[n].startswith(b"extra "):
            raise Bad("line 2: not extra <base64>")
        extra = b64(lines[n][6:], "line %d: extra" % (n + 1))
        n += 1
    if not lines[n].startswith(b"index "):
        raise Bad("line %d: no index line" % (n + 1))
    index = decimal(lines[n][6:], "line %d: index" % (n + 1))
    n += 1
    path = []
    while n < len(lines) and lines[n] != b"":
        h = b64(lines[n], "line %d: proof hash" % (n + 1))
        if len(h) != 32:
            raise Bad("line %d: proof hash of %d bytes" % (n + 1, len(h)))
        path.append(h)
        n += 1
    if n >= len(lines):
        raise Bad("no empty line before the checkpoint")
    if len(path) > 64:
        raise Bad("%d proof hashes, more than any tree below 2^64 needs"
                  % len(path))
    return extra, index, path, b"\n".join(lines[n + 1:])


def parse_checkpoint(text):
    """(origin, size, root) of a checkpoint note text."""
    lines = text[:-1].split(b"\n")
    if len(lines) < 3 or b"" in lines:
        raise Bad("checkpoint: fewer than three lines, or an empty one")
    size = decimal(lines[1], "checkpoint line 2: size")
    root = b64(lines[2], "checkpoint line 3: root")
    if len(root) != 32:
        raise Bad("checkpoint line 3: root of %d bytes" % len(root))
    return lines[0], size, root


def witness_status(text, sigs, w):
    """cosigned (with the time), absent or invalid: a tlog-cosignature/v1
    line by key w over the checkpoint text."""
    name, kid, pk = w
    mine = [s for nm, s in sigs if nm == name and s[:4] == kid]
    if not mine:
        return "absent"
    for s in mine:
        if len(s) != 4 + 8 + 64:
            continue
        (t,) = struct.unpack(">Q", s[4:12])
        msg = b"cosignature/v1\ntime %d\n" % t + text
        if t < 1 << 63 and ed25519_ok(pk, msg, s[12:]):
            return "cosigned %d" % t
    return "invalid"


def verify(path, vkey, witnesses, origin):
    """Raises Bad, or returns (index, size, [witness report lines])."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Bad("cannot read: %s" % e.strerror)
    extra, index, proof, note = parse_proof(data)
    text, sigs = split_note(note, "checkpoint")
    name, kid, pk = vkey
    if not any(nm == name and s[:4] == kid and len(s) == 68
               and ed25519_ok(pk, text, s[4:]) for nm, s in sigs):
        raise Bad("checkpoint not signed by %s" % name.decode())
    cp_origin, size, root = parse_checkpoint(text)
    if origin is not None and cp_origin != origin:
        raise Bad("checkpoint origin %s, expected %s"
                  % (cp_origin.decode(), origin.decode()))
    if extra is None:
        raise Bad("no extra line: the leaf is unknown")
    leaf, _ = split_note(extra, "extra")
    leaf_hash = hashlib.sha256(b"\x00" + leaf).digest()
    if not inclusion_ok(index, size, leaf_hash, proof, root):
        raise Bad("inclusion proof of index %d in a tree of %d does not "
                  "verify" % (index, size))
    report = ["  witness %s+%s: %s" % (w[0].decode(), w[1].hex(),
                                       witness_status(text, sigs, w))
              for w in witnesses]
    return index, size, report


def main(argv):
    ap = argparse.ArgumentParser(prog="tlogproof_verify.py", allow_abbrev=False,
                                 description="verifies C2SP tlog-proof files")
    ap.add_argument("--vkey", required=True, help="the log's verifier key file")
    ap.add_argument("--witness", action="append", default=[],
                    help="a cosignature (type 0x04) verifier key file")
    ap.add_argument("--origin", help="the checkpoint origin required")
    ap.add_argument("files", nargs="+", metavar="FILE.tlog-proof")
    args = ap.parse_args(argv)  # a usage error exits 2
    try:
        vkey = read_vkey(args.vkey, 0x01)
        witnesses = [read_vkey(w, 0x04) for w in args.witness]
    except (Bad, OSError) as e:
        print("tlogproof_verify.py: %s" % e, file=sys.stderr)
        return 2
    origin = None if args.origin is None else args.origin.encode()
    files = args.files
    failed = 0
    for path in files:
        try:
            index, size, report = verify(path, vkey, witnesses, origin)
            print("OK %s index %d of %d" % (path, index, size))
            for line in report:
                print(line)
        except Bad as e:
            print("FAIL %s: %s" % (path, e))
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
