#!/usr/bin/env python3
"""A plain Python loop over a record's sheets verifying each station
signature with libsodium's crypto_sign_verify_detached, called through
ctypes: the same C call PyNaCl's VerifyKey.verify makes (PyNaCl itself is
not installable offline here). Parsing is minimal: station id from the
sheet text, key from the manifest. Prints sheets and seconds.
  pynacl_like.py RECORD"""
import base64, ctypes, ctypes.util, os, sys, time

def main(rec):
    so = ctypes.CDLL(ctypes.util.find_library('sodium') or 'libsodium.so.23')
    so.sodium_init()
    verify = so.crypto_sign_ed25519_verify_detached
    keys = {}
    for line in open(os.path.join(rec, 'manifest.note'), 'rb'):
        if line.startswith(b'station '):
            p = line.split()
            keys[p[1]] = base64.b64decode(p[4].split(b'+', 2)[2])[1:]
    t0 = time.monotonic()
    n = ok = 0
    sd = os.path.join(rec, 'sheets')
    for f in sorted(os.listdir(sd)):
        b = open(os.path.join(sd, f), 'rb').read()
        pos = 0
        while pos < len(b):
            i = b.index(b'\n\n', pos)
            text = b[pos:i + 1]
            j = b.index(b'\n', i + 2)
            sig = base64.b64decode(b[i + 2:j].split(b' ')[2])[4:]
            st = text.split(b'\n')[3].split(b' ')[1]
            n += 1
            ok += verify(sig, text, ctypes.c_ulonglong(len(text)), keys[st]) == 0
            pos = j + 1
    dt = time.monotonic() - t0
    print('python_sheets %d\npython_valid %d\npython_s %.3f' % (n, ok, dt))

main(sys.argv[1])
