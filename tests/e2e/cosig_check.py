#!/usr/bin/python3
"""cosig_check.py: an independent check of C2SP tlog-cosignature/v1, written
from the specification's text (c2sp.org/tlog-cosignature, signed-note), with
PyNaCl (Debian's python3-nacl) and nothing of recount.

  cosig_check.py verify VKEY_FILE CHECKPOINT_NOTE
      exit 0 when a line by the key verifies; prints its time
  cosig_check.py sign NAME SEED_HEX TIME CHECKPOINT_NOTE VKEY_OUT [RAWLEN]
      appends a cosignature line by the key of SEED_HEX at TIME (with
      RAWLEN, a line of that many decoded bytes: a wrong length) and writes
      the verifier key <name>+<id>+base64(0x04 || pk)
"""
import base64
import hashlib
import struct
import sys

import nacl.exceptions
import nacl.signing

DASH = "\u2014 ".encode()


def key_id(name, pk):
    # the key ID: SHA-256(name || 0x0A || 0x04 || public key)[:4]
    return hashlib.sha256(name + b"\n" + b"\x04" + pk).digest()[:4]


def message(text, t):
    # the signed message: "cosignature/v1", "time <T>", then the note text
    return b"cosignature/v1\ntime " + str(t).encode() + b"\n" + text


def split(note):
    i = note.rindex(b"\n\n")  # the last empty line (signed-note)
    return note[: i + 1], note[i + 2:].split(b"\n")[:-1]


def verify(vkey_file, cp):
    name, hexid, b64 = open(vkey_file, "rb").read().strip().split(b"+", 2)
    raw = base64.b64decode(b64, validate=True)
    assert raw[0] == 4 and len(raw) == 33, "not a cosignature key"
    pk = raw[1:]
    assert key_id(name, pk).hex().encode() == hexid, "key id"
    text, lines = split(open(cp, "rb").read())
    vk = nacl.signing.VerifyKey(pk)
    for line in lines:
        if not line.startswith(DASH + name + b" "):
            continue
        sig = base64.b64decode(line[len(DASH) + len(name) + 1:], validate=True)
        if len(sig) != 76 or sig[:4] != key_id(name, pk):
            continue
        (t,) = struct.unpack(">Q", sig[4:12])
        try:
            vk.verify(message(text, t), sig[12:])
        except nacl.exceptions.BadSignatureError:
            continue
        print(t)
        return 0
    return 1


def sign(name, seed_hex, t, cp, vkey_out, rawlen=76):
    name = name.encode()
    sk = nacl.signing.SigningKey(bytes.fromhex(seed_hex))
    pk = bytes(sk.verify_key)
    note = open(cp, "rb").read()
    text, _ = split(note)
    sig = sk.sign(message(text, t)).signature
    raw = (key_id(name, pk) + struct.pack(">Q", t) + sig + b"\0" * 8)[:rawlen]
    line = DASH + name + b" " + base64.b64encode(raw) + b"\n"
    open(cp, "wb").write(note + line)
    vkey = name + b"+" + key_id(name, pk).hex().encode() + b"+"
    open(vkey_out, "wb").write(vkey + base64.b64encode(b"\x04" + pk) + b"\n")
    return 0


if __name__ == "__main__":
    a = sys.argv[1:]
    if a and a[0] == "verify" and len(a) == 3:
        sys.exit(verify(a[1], a[2]))
    if a and a[0] == "sign" and len(a) in (6, 7):
        sys.exit(sign(a[1], a[2], int(a[3]), a[4], a[5],
                      int(a[6]) if len(a) == 7 else 76))
    sys.exit(__doc__)
