#!/usr/bin/env python3
"""Builds testvectors/tampered/: one small record per way a record can be
wrong. Dev-time tool (needs python3-cryptography); its output is committed
and `make check` runs the verifier over it.

Each case directory holds record/ (and anchor.vkey), and `expected`:
  # <what was done>
  must <CODE> ...        the codes that define the case (written by hand here)
  exit <status>
  <CODE> <district|-> <station|-> <file|->   every finding, in report order
The finding list is the verifier's output at the time the case was made,
reviewed by hand; the test diffs it, so any change of behaviour shows.

Usage: scripts/make_tampered.py [--expected-only]
"""
import base64, hashlib, json, os, random, shutil, subprocess, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'testvectors', 'tampered')
GEN = os.path.join(ROOT, 'bin', 'recount-gen')
VERIFY = os.path.join(ROOT, 'bin', 'recount-verify')
DASH = '\u2014'.encode()
L = 2**252 + 27742317777372353535851937790883648493

def b64(b): return base64.b64encode(b).decode()

class Key:
    def __init__(self, line):
        assert line.startswith('PRIVATE+KEY+')
        self.name, kid, b = line[12:].split('+', 2)
        raw = base64.b64decode(b)
        self.seed = raw[1:]
        self.sk = Ed25519PrivateKey.from_private_bytes(self.seed)
        from cryptography.hazmat.primitives import serialization as s
        self.pk = self.sk.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
        self.id = keyid(self.name, self.pk)
    def vkey(self): return vkey(self.name, self.pk)
    def sigline(self, text, sig=None):
        sig = sig if sig is not None else self.sk.sign(text)
        return DASH + b' ' + self.name.encode() + b' ' + b64(self.id + sig).encode() + b'\n'
    def sign(self, text): return text + b'\n' + self.sigline(text)

def keyid(name, pk): return hashlib.sha256(name.encode() + b'\n\x01' + pk).digest()[:4]
def vkey(name, pk): return '%s+%s+%s' % (name, keyid(name, pk).hex(), b64(b'\x01' + pk))

def leaf(b): return hashlib.sha256(b'\x00' + b).digest()
def node(l, r): return hashlib.sha256(b'\x01' + l + r).digest()
def mth(leaves):
    if not leaves: return hashlib.sha256(b'').digest()
    if len(leaves) == 1: return leaves[0]
    k = 1
    while k * 2 < len(leaves): k *= 2
    return node(mth(leaves[:k]), mth(leaves[k:]))

def split_notes(b):
    """Frames a sheets file into (text, [siglines]) per RECORD.md §4."""
    out = []
    while b:
        i = b.index(b'\n\n')
        text = b[:i + 1]
        rest = b[i + 2:]
        sigs = []
        while rest.startswith(DASH + b' '):
            j = rest.index(b'\n')
            sigs.append(rest[:j + 1])
            rest = rest[j + 1:]
        out.append((text, sigs))
        b = rest
    return out

def join_notes(notes): return b''.join(t + b'\n' + b''.join(s) for t, s in notes)

class Rec:
    def __init__(self, d): self.d = d
    def p(self, *a): return os.path.join(self.d, *a)
    def read(self, *a): return open(self.p(*a), 'rb').read()
    def write(self, rel, b):
        os.makedirs(os.path.dirname(self.p(rel)), exist_ok=True)
        open(self.p(rel), 'wb').write(b)
    def text(self, rel): return self.read(rel).split(b'\n\n')[0] + b'\n'
    def notes(self, rel): return split_notes(self.read(rel))
    def set_notes(self, rel, n): self.write(rel, join_notes(n))

def base(workdir):
    rec = os.path.join(workdir, 'record')
    subprocess.run([GEN, 'synthetic', '--sheets', '12', '--districts', '3', '--out', rec,
                    '--anchor-out', os.path.join(workdir, 'anchor.vkey'),
                    '--keys-out', os.path.join(workdir, 'keys.txt')], check=True)
    lines = open(os.path.join(workdir, 'keys.txt')).read().split('\n')
    keys = [Key(l) for l in lines if l]
    os.remove(os.path.join(workdir, 'keys.txt'))
    return Rec(rec), keys[0], keys[1], keys[2:]

SHEETS = ['sheets/d00000.txt', 'sheets/d00001.txt', 'sheets/d00002.txt']

def replace_line(text, kw, new):
    lines = text.split(b'\n')
    for i, l in enumerate(lines):
        if l.startswith(kw + b' '):
            lines[i] = new
            return b'\n'.join(lines)
    raise KeyError(kw)

def get(text, kw):
    for l in text.split(b'\n'):
        if l.startswith(kw + b' '): return l[len(kw) + 1:]
    raise KeyError(kw)

def resign_checkpoint(r, com, manifest_text=None):
    """Recomputes checkpoint.note from districts.txt as it is now."""
    d = r.read('districts.txt')
    recs = d.split(b'\n\n')
    recs = [x if x.endswith(b'\n') else x + b'\n' for x in recs]
    root = mth([leaf(x) for x in recs])
    mt = manifest_text or r.text('manifest.note')
    cp = r.text('checkpoint.note').split(b'\n')
    text = b'\n'.join([cp[0], str(len(recs)).encode(), b64(root).encode(),
                       b'manifest ' + b64(hashlib.sha256(mt).digest()).encode()]) + b'\n'
    r.write('checkpoint.note', com.sign(text))

def resign(r, rel, key): r.write(rel, key.sign(r.text(rel)))

def edit_sheet(r, f, idx, fn, key=None):
    n = r.notes(f)
    t, s = n[idx]
    t2 = fn(t)
    n[idx] = (t2, [key.sigline(t2)] if key else s)
    r.set_notes(f, n)
    return t2

def move_vote(t, d=1):
    y, no = int(get(t, b'vote yes')), int(get(t, b'vote no'))
    t = replace_line(t, b'vote yes', b'vote yes %d' % (y + d))
    return replace_line(t, b'vote no', b'vote no %d' % (no - d))

CASES = []
def case(name, must, what):
    def deco(fn):
        CASES.append((name, must, what, fn)); return fn
    return deco

@case('01-forged-count', ['SHEET_SIGNATURE', 'DISTRICT_ROOT_MISMATCH'],
      'one vote moved from no to yes in a sheet after it was signed')
def _(r, com, wit, st):
    edit_sheet(r, SHEETS[0], 1, move_vote)

@case('02-signed-by-other-station', ['SHEET_SIGNATURE'],
      'a sheet re-signed with another station\'s key (its own signature removed)')
def _(r, com, wit, st):
    n = r.notes(SHEETS[0]); t, s = n[2]
    n[2] = (t, [st[0].sigline(t)]); r.set_notes(SHEETS[0], n)

@case('03-withheld-sheet-still-counted', ['SHEET_MISSING', 'DISTRICT_ROOT_MISMATCH', 'DISTRICT_TOTAL_MISMATCH', 'PUBLISHED_MISMATCH'],
      'a sheet removed from the evidence while the district record and published figures still count it')
def _(r, com, wit, st):
    n = r.notes(SHEETS[1]); del n[3]; r.set_notes(SHEETS[1], n)

@case('04-inflated-district-resigned-checkpoint', ['DISTRICT_TOTAL_MISMATCH'],
      'district record inflated (ballots and yes +1000) and the checkpoint recomputed and re-signed by the commission')
def _(r, com, wit, st):
    d = r.read('districts.txt').split(b'\n\n')
    x = d[2]
    x = replace_line(x, b'ballots', b'ballots %d' % (int(get(x, b'ballots')) + 1000))
    x = replace_line(x, b'vote yes', b'vote yes %d' % (int(get(x, b'vote yes')) + 1000))
    d[2] = x
    r.write('districts.txt', b'\n\n'.join(d))
    resign_checkpoint(r, com)

@case('05-checkpoint-wrong-key', ['CHECKPOINT_SIGNATURE'],
      'checkpoint signed by a station key instead of the commission key')
def _(r, com, wit, st):
    r.write('checkpoint.note', st[0].sign(r.text('checkpoint.note')))

@case('06-equivocation', ['SHEET_EQUIVOCATION', 'DISTRICT_ROOT_MISMATCH'],
      'a station signed two different sheets; the second is in another file')
def _(r, com, wit, st):
    t, s = r.notes(SHEETS[0])[0]
    t2 = move_vote(t, 5)
    r.write('sheets/zz-late.txt', st[0].sign(t2))

@case('07-malleated-signature', ['SHEET_SIGNATURE'],
      'a sheet signature with S replaced by S+L (same point equation, non-canonical S)')
def _(r, com, wit, st):
    n = r.notes(SHEETS[2]); t, s = n[0]
    k = st[8]
    sig = k.sk.sign(t)
    S = int.from_bytes(sig[32:], 'little') + L
    n[0] = (t, [k.sigline(t, sig[:32] + S.to_bytes(32, 'little'))]); r.set_notes(SHEETS[2], n)

@case('08-small-order-station-key', ['KEY_WEAK', 'SHEET_SIGNATURE'],
      'the manifest registers a small-order point as a station key (manifest and checkpoint re-signed)')
def _(r, com, wit, st):
    m = r.text('manifest.note')
    small = bytes.fromhex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05')
    old = st[5].vkey().encode()
    new = vkey(st[5].name, small).encode()
    m = m.replace(old, new)
    r.write('manifest.note', com.sign(m))
    resign_checkpoint(r, com, m)

@case('09-garbage-and-bom', ['SHEET_FORMAT'],
      'a file of random bytes and a file starting with a UTF-8 BOM under sheets/')
def _(r, com, wit, st):
    rnd = random.Random(9)
    r.write('sheets/garbage.bin', bytes(rnd.randrange(256) for _ in range(700)))
    t, s = r.notes(SHEETS[0])[0]
    r.write('sheets/with-bom.txt', b'\xef\xbb\xbf' + t + b'\n' + b''.join(s))

@case('10-two-bad-sheets-two-districts', ['SHEET_ARITHMETIC', 'DISTRICT_ROOT_MISMATCH'],
      'two sheets in different districts whose figures do not balance, each validly signed by its station')
def _(r, com, wit, st):
    f = lambda t: replace_line(t, b'vote no', b'vote no %d' % (int(get(t, b'vote no')) + 7))
    edit_sheet(r, SHEETS[0], 3, f, st[3])
    edit_sheet(r, SHEETS[2], 1, f, st[9])

@case('11-manifest-altered', ['MANIFEST_SIGNATURE', 'CHECKPOINT_MISMATCH'],
      'the manifest title changed after the commission signed it')
def _(r, com, wit, st):
    b = r.read('manifest.note').replace(b'title Synthetic', b'title Altered', 1)
    r.write('manifest.note', b)

@case('12-manifest-format', ['MANIFEST_FORMAT'],
      'the manifest has a trailing space on the title line (re-signed, checkpoint re-signed)')
def _(r, com, wit, st):
    m = r.text('manifest.note')
    i = m.index(b'\n', m.index(b'title '))
    m = m[:i] + b' ' + m[i:]
    r.write('manifest.note', com.sign(m))
    resign_checkpoint(r, com, m)

@case('13-key-reused', ['KEY_REUSED'],
      'two stations registered with the same key; the second station\'s sheet re-signed with it')
def _(r, com, wit, st):
    m = r.text('manifest.note')
    m = m.replace(st[7].vkey().encode(), st[6].vkey().encode())
    r.write('manifest.note', com.sign(m))
    resign_checkpoint(r, com, m)
    n = r.notes(SHEETS[1]); t, s = n[3]
    n[3] = (t, [st[6].sigline(t)]); r.set_notes(SHEETS[1], n)

@case('14-unknown-station', ['SHEET_UNKNOWN_STATION'],
      'a validly signed sheet for a station that is not in the manifest')
def _(r, com, wit, st):
    t, s = r.notes(SHEETS[0])[0]
    t2 = replace_line(t, b'station', b'station s00000.9999999')
    r.write('sheets/extra.txt', st[0].sign(t2))

@case('15-wrong-election', ['SHEET_WRONG_ELECTION'],
      'a sheet naming another election, signed by its station')
def _(r, com, wit, st):
    edit_sheet(r, SHEETS[1], 0, lambda t: replace_line(t, b'election', b'election other'), st[4])

@case('16-wrong-district', ['SHEET_WRONG_DISTRICT'],
      'a sheet naming a district other than its station\'s, signed by its station')
def _(r, com, wit, st):
    edit_sheet(r, SHEETS[1], 1, lambda t: replace_line(t, b'district', b'district d00002'), st[5])

@case('17-registered-mismatch', ['SHEET_REGISTERED_MISMATCH'],
      'a sheet whose registered figure differs from the manifest, signed by its station')
def _(r, com, wit, st):
    edit_sheet(r, SHEETS[2], 2, lambda t: replace_line(t, b'registered', b'registered %d' % (int(get(t, b'registered')) + 1)), st[10])

@case('18-overvote', ['SHEET_OVERVOTE'],
      'a sheet with more ballots than registered voters (balanced, signed by its station)')
def _(r, com, wit, st):
    def f(t):
        reg = int(get(t, b'registered')); b = int(get(t, b'ballots'))
        extra = reg - b + 10
        t = replace_line(t, b'ballots', b'ballots %d' % (b + extra))
        return replace_line(t, b'vote yes', b'vote yes %d' % (int(get(t, b'vote yes')) + extra))
    edit_sheet(r, SHEETS[0], 2, f, st[2])

@case('19-duplicate-sheet', ['SHEET_DUPLICATE'],
      'the same signed sheet appears twice (in a second file): a warning, counted once, exit 0')
def _(r, com, wit, st):
    t, s = r.notes(SHEETS[2])[3]
    r.write('sheets/copy/again.txt', t + b'\n' + b''.join(s))

@case('20-bad-cosignature', ['COSIGNATURE_INVALID'],
      'a witness line whose signature does not verify; the sheet still counts')
def _(r, com, wit, st):
    n = r.notes(SHEETS[0]); t, s = n[0]
    n[0] = (t, s + [wit.sigline(t, bytes(64))]); r.set_notes(SHEETS[0], n)

@case('21-crypto-disagreement', ['CRYPTO_DISAGREEMENT', 'SHEET_SIGNATURE'],
      'a station signature with R = the identity point and S = k*a: OpenSSL accepts it, libsodium rejects it')
def _(r, com, wit, st):
    n = r.notes(SHEETS[1]); t, s = n[2]
    k = st[6]
    h = hashlib.sha512(k.seed).digest()
    a = bytearray(h[:32]); a[0] &= 248; a[31] &= 127; a[31] |= 64
    a = int.from_bytes(a, 'little')
    R = b'\x01' + bytes(31)
    kk = int.from_bytes(hashlib.sha512(R + k.pk + t).digest(), 'little') % L
    S = (kk * a) % L
    n[2] = (t, [k.sigline(t, R + S.to_bytes(32, 'little'))]); r.set_notes(SHEETS[1], n)

@case('22-district-record-format', ['DISTRICT_RECORD_FORMAT'],
      'a district record with its "blank" line removed (checkpoint re-signed over the records as given)')
def _(r, com, wit, st):
    d = r.read('districts.txt').split(b'\n\n')
    d[1] = b'\n'.join(l for l in d[1].split(b'\n') if not l.startswith(b'blank '))
    r.write('districts.txt', b'\n\n'.join(d))
    resign_checkpoint(r, com)

@case('23-published-altered', ['PUBLISHED_SIGNATURE'],
      'the published "vote no" figure changed after the commission signed it')
def _(r, com, wit, st):
    b = r.read('published.note')
    t = r.text('published.note')
    t2 = replace_line(t, b'vote no', b'vote no %d' % (int(get(t, b'vote no')) + 1))
    r.write('published.note', b.replace(t, t2))

@case('24-published-format', ['PUBLISHED_FORMAT'],
      'published figures out of order (turnout before ballots), re-signed')
def _(r, com, wit, st):
    t = r.text('published.note').split(b'\n')
    tl = [l for l in t if l.startswith(b'turnout')][0]
    t = [l for l in t if not l.startswith(b'turnout')]
    t.insert(2, tl)
    r.write('published.note', com.sign(b'\n'.join(t)))

@case('25-published-mismatch', ['PUBLISHED_MISMATCH'],
      'published yes count and share do not match the sheets (re-signed by the commission)')
def _(r, com, wit, st):
    t = r.text('published.note')
    t = replace_line(t, b'vote yes', b'vote yes %d' % (int(get(t, b'vote yes')) + 100))
    t = replace_line(t, b'share yes', b'share yes 99.99')
    r.write('published.note', com.sign(t))

@case('26-sheet-format', ['SHEET_FORMAT'],
      'a sheet whose count has a leading zero (validly signed)')
def _(r, com, wit, st):
    edit_sheet(r, SHEETS[2], 0, lambda t: replace_line(t, b'blank', b'blank 0' + get(t, b'blank')), st[8])

@case('27-checkpoint-mismatch', ['CHECKPOINT_MISMATCH'],
      'checkpoint with a wrong tree size and origin, re-signed by the commission')
def _(r, com, wit, st):
    t = r.text('checkpoint.note').split(b'\n')
    t[0] = b'other.example/log'; t[1] = b'4'
    r.write('checkpoint.note', com.sign(b'\n'.join(t)))

@case('28-symlink-in-sheets', ['SHEET_FORMAT'],
      'a symbolic link under sheets/ (not followed)')
def _(r, com, wit, st):
    os.symlink('../manifest.note', r.p('sheets/link.txt'))

@case('29-district-root-only', ['DISTRICT_ROOT_MISMATCH'],
      'a district record whose root was replaced (checkpoint re-signed)')
def _(r, com, wit, st):
    d = r.read('districts.txt').split(b'\n\n')
    d[0] = replace_line(d[0], b'root', b'root ' + b64(bytes(32)).encode())
    r.write('districts.txt', b'\n\n'.join(d))
    resign_checkpoint(r, com)

@case('30-truncated-sheets-file', ['SHEET_FORMAT', 'SHEET_MISSING'],
      'a sheets file cut in the middle of its third sheet: the first two still count')
def _(r, com, wit, st):
    b = r.read(SHEETS[1])
    n = split_notes(b)
    keep = len(join_notes(n[:2]))
    r.write(SHEETS[1], b[:keep + 60])

@case('31-missing-checkpoint', ['CHECKPOINT_SIGNATURE'],
      'checkpoint.note deleted')
def _(r, com, wit, st):
    os.remove(r.p('checkpoint.note'))

@case('33-malformed-signature-line', ['SHEET_FORMAT', 'SHEET_SIGNATURE'],
      'a sheet whose signature line is not valid base64: its text still counts in the district tree, it is not counted')
def _(r, com, wit, st):
    n = r.notes(SHEETS[0]); t, s = n[1]
    n[1] = (t, [s[0][:-6] + b'!!!!=\n']); r.set_notes(SHEETS[0], n)

@case('34-empty-sheets-file', ['SHEET_FORMAT'],
      'an empty file under sheets/ (a sheets file holds one or more sheets); the record is otherwise intact')
def _(r, com, wit, st):
    r.write('sheets/empty.txt', b'')

# ---- v1.1 verdicts and completeness (W3: cases 35-38) ----
def commit_and_publish(r, com, workdir):
    """Rebuilds districts.txt and the checkpoint with recount-sign commit and
    writes an honest published.note of the counted sheets' totals."""
    kf = os.path.join(workdir, 'commission.key')
    fd = os.open(kf, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, ('PRIVATE+KEY+%s+%s+%s\n' % (com.name, com.id.hex(),
                                             b64(b'\x01' + com.seed))).encode())
    os.close(fd)
    subprocess.run([os.path.join(ROOT, 'bin', 'recount-sign'), 'commit', '--key', kf,
                    '--force', r.d], check=True, capture_output=True)
    os.remove(kf)
    if os.path.exists(r.p('published.note')): os.remove(r.p('published.note'))
    t = run_verify(workdir)[1]['totals']
    def pct(n, d): q = (n * 10000 * 2 + d) // (2 * d); return '%d.%02d' % (q // 100, q % 100)
    lines = ['recount published v1', 'election bench']
    lines += ['%s %d' % (k, t[k]) for k in ('registered', 'ballots', 'invalid', 'blank',
                                              'excluded', 'valid')]
    lines += ['vote %s %d' % (c, n) for c, n in t['votes'].items()]
    lines += ['share %s %s' % (c, pct(n, t['valid'])) for c, n in t['votes'].items()]
    lines += ['turnout %s' % pct(t['ballots'], t['registered'])]
    r.write('published.note', com.sign(('\n'.join(lines) + '\n').encode()))

def station_keys(r, st):
    by_vkey = {k.vkey(): k for k in st}
    out = {}
    for l in r.text('manifest.note').split(b'\n'):
        if l.startswith(b'station '):
            f = l.split(b' ')
            out[f[1]] = by_vkey[f[4].decode()]
    return out

@case('35-outcome-not-determined', ['OUTCOME_NOT_DETERMINED', 'SHEET_MISSING'],
      'the counted sheets nearly tie (yes and no split each station in half) and one station has no sheet: its registered voters exceed the margin; districts, checkpoint and published figures are honest over the counted sheets')
def _(r, com, wit, st):
    keys = station_keys(r, st)
    for f in SHEETS:
        n = r.notes(f)
        for i, (t, s) in enumerate(n):
            v = int(get(t, b'vote yes')) + int(get(t, b'vote no'))
            t = replace_line(t, b'vote yes', b'vote yes %d' % ((v + 1) // 2))
            t = replace_line(t, b'vote no', b'vote no %d' % (v // 2))
            n[i] = (t, [keys[get(t, b'station')].sigline(t)])
        r.set_notes(f, n)
    n = r.notes(SHEETS[1]); del n[3]; r.set_notes(SHEETS[1], n)
    commit_and_publish(r, com, os.path.dirname(r.d))

@case('36-missing-station-outcome-determined', ['SHEET_MISSING'],
      'one station has no sheet but its registered voters are fewer than the margin: honest districts, checkpoint and published figures over the counted sheets reconcile (exit 0)')
def _(r, com, wit, st):
    n = r.notes(SHEETS[1]); del n[3]; r.set_notes(SHEETS[1], n)
    commit_and_publish(r, com, os.path.dirname(r.d))

@case('37-no-published-note', [],
      'an intact record without published.note: verified, nothing published to reconcile (exit 0)')
def _(r, com, wit, st):
    os.remove(r.p('published.note'))

@case('38-parent-folder', [],
      'the record given is the folder that holds the record: not a record, exit 2 with a hint naming record/record')
def _(r, com, wit, st):
    inner = r.d + '.inner'
    os.rename(r.d, inner)
    os.makedirs(r.d)
    os.rename(inner, os.path.join(r.d, 'record'))
# ---- end of the W3 block ----

def run_verify(d):
    p = subprocess.run([VERIFY, 'record', '--anchor', os.path.join(d, 'anchor.vkey'), '--json',
                        os.path.join(d, 'record')], capture_output=True)
    return p.returncode, json.loads(p.stdout)

def expected_text(what, must, code, rep):
    out = ['# ' + what, 'must ' + ' '.join(must), 'exit %d' % code]
    for f in rep.get('findings', []):
        out.append(' '.join([f['code'], f.get('district', '-'), f.get('station', '-'), f.get('file', '-')]))
    return '\n'.join(out) + '\n'

def main():
    only = '--expected-only' in sys.argv
    os.makedirs(OUT, exist_ok=True)
    for name, must, what, fn in CASES:
        if len(sys.argv) > 2 and name not in sys.argv[2:]: continue
        d = os.path.join(OUT, name)
        if not only:
            if os.path.exists(d): shutil.rmtree(d)
            os.makedirs(d)
            r, com, wit, st = base(d)
            fn(r, com, wit, st)
        code, rep = run_verify(d)
        codes = {f['code'] for f in rep.get('findings', [])}
        missing = [m for m in must if m not in codes]
        if missing: print('%s: MISSING %s' % (name, missing))
        open(os.path.join(d, 'expected'), 'w').write(expected_text(what, must, code, rep))
        print('%-42s exit %d  %s' % (name, code, ' '.join(sorted(codes))))

if __name__ == '__main__':
    main()
