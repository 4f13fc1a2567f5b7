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

def sheet_texts(r):
    """Every sheet text under sheets/ (bytewise path order), with its station."""
    out = []
    for f in sorted(os.listdir(r.p('sheets'))):
        if not os.path.isfile(r.p('sheets', f)) or os.path.islink(r.p('sheets', f)): continue
        for t, s in split_notes(r.read('sheets', f)):
            try: out.append((get(t, b'station').decode(), t))
            except KeyError: pass
    return out

def relog(r, prefix=None):
    """Rewrites log.txt as commit does (v1.1 RECORD.md 3): the entries of
    prefix (a list of (station, text), kept in place), then every other
    distinct sheet text in station-id order, then bytewise. Returns the
    texts in log order."""
    prefix = list(prefix or [])
    seen = {t for _, t in prefix}
    rest = sorted({(s, t) for s, t in sheet_texts(r) if t not in seen})
    order = prefix + rest
    r.write('log.txt', b''.join(s.encode() + b' ' + b64(hashlib.sha256(t).digest()).encode() + b'\n'
                                for s, t in order))
    return order

def checkpoint_text(r, com, manifest_text=None, log=None):
    """The v1.1 checkpoint over districts.txt as it is now; the log lines
    are kept from the current checkpoint unless log (texts in log order)
    is given."""
    d = r.read('districts.txt')
    recs = d.split(b'\n\n')
    recs = [x if x.endswith(b'\n') else x + b'\n' for x in recs]
    root = mth([leaf(x) for x in recs])
    mt = manifest_text or r.text('manifest.note')
    cp = r.text('checkpoint.note').split(b'\n')
    size, lroot = cp[1], cp[2]
    if log is not None:
        size, lroot = str(len(log)).encode(), b64(mth([leaf(t) for _, t in log])).encode()
    return b'\n'.join([cp[0], size, lroot,
                       b'manifest ' + b64(hashlib.sha256(mt).digest()).encode(),
                       b'districts %d ' % len(recs) + b64(root).encode()]) + b'\n'

def resign_checkpoint(r, com, manifest_text=None, log=None):
    """Recomputes checkpoint.note (v1.1) from districts.txt as it is now
    (and from log, the texts in log order, when given) and signs it."""
    r.write('checkpoint.note', com.sign(checkpoint_text(r, com, manifest_text, log)))

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
      'checkpoint with a wrong origin and number of districts, re-signed by the commission')
def _(r, com, wit, st):
    t = r.text('checkpoint.note').split(b'\n')
    t[0] = b'other.example/log'; t[4] = b'districts 4 ' + t[4].split(b' ')[2]
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

@case('33-malformed-signature-line', ['SIGLINE_IGNORED', 'SHEET_SIGNATURE'],
      'a sheet whose only signature line is not valid base64: the line is ignored (v1.1), the text is in the district tree, the sheet is not counted (no valid signature)')
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
# ---- cases 40-59: RECORD.md v1.1 contract rules (issue 11, part 1) ----
SIGN = os.path.join(ROOT, 'bin', 'recount-sign')

def key_line(k):
    return 'PRIVATE+KEY+%s+%s+%s' % (k.name, k.id.hex(), b64(b'\x01' + k.seed))

def recommit(r, com):
    """Rewrites districts.txt and checkpoint.note with recount-sign commit
    (so the commitments follow whatever format commit writes)."""
    kf = os.path.join(os.path.dirname(r.d), 'commission.key')
    fd = os.open(kf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, (key_line(com) + '\n').encode()); os.close(fd)
    p = subprocess.run([SIGN, 'commit', '--key', kf, '--force', r.d], capture_output=True)
    os.remove(kf)
    if p.returncode != 0:
        raise SystemExit('recommit failed: ' + p.stderr.decode())

def sheet_of(r, station):
    """(file, index) of the sheet of station id."""
    for f in SHEETS:
        for i, (t, s) in enumerate(r.notes(f)):
            if get(t, b'station') == station.encode(): return f, i
    raise KeyError(station)

def append_lines(r, f, idx, lines):
    n = r.notes(f); t, s = n[idx]
    n[idx] = (t, s + lines); r.set_notes(f, n)

@case('40-sigline-appended-garbage', ['SIGLINE_IGNORED'],
      '"— x AAAA" and "— x" appended to a validly signed sheet: each ignored with a warning, the sheet still counts (v1 voided it)')
def _(r, com, wit, st):
    append_lines(r, SHEETS[0], 1, [DASH + b' x AAAA\n', DASH + b' x\n'])

@case('41-sigline-bad-base64-and-length', ['SIGLINE_IGNORED'],
      'non-canonical base64, and a line by the station key decoding to 72 bytes, next to its valid signature: ignored, the sheet counts')
def _(r, com, wit, st):
    n = r.notes(SHEETS[1]); t, s = n[0]
    k = st[4]
    good = s[0].split(b' ')[-1].strip()
    bad64 = good[:-2] + b'=='                   # padding where a character was
    longer = b64(k.id + k.sk.sign(t) + b'ABCD').encode()
    n[0] = (t, s + [DASH + b' ' + k.name.encode() + b' ' + bad64 + b'\n',
                    DASH + b' ' + k.name.encode() + b' ' + longer + b'\n'])
    r.set_notes(SHEETS[1], n)

@case('42-sigline-past-100', ['SIGLINE_IGNORED'],
      '101 lines by unknown keys appended after the station signature: the first 99 ignored silently, the 2 past the 100th with one warning; the sheet counts (v1 refused more than 16)')
def _(r, com, wit, st):
    t, s = r.notes(SHEETS[2])[2]
    lines = []
    for i in range(101):
        lines.append(DASH + b' stranger%d.example ' % i + b64(bytes([i]) * 68).encode() + b'\n')
    append_lines(r, SHEETS[2], 2, lines)

@case('43-sigline-failing-beside-valid', ['SIGLINE_IGNORED'],
      'a failing line by the station\'s own key next to its valid one: ignored with a warning (v1: silently), the sheet counts')
def _(r, com, wit, st):
    f, i = sheet_of(r, 's00000.0000002')
    k = st[2]
    t, s = r.notes(f)[i]
    append_lines(r, f, i, [k.sigline(t, bytes(64))])

@case('44-sigline-on-commission-notes', ['SIGLINE_IGNORED'],
      'a malformed "— " line appended to manifest.note, checkpoint.note and published.note: three warnings, all three still signed')
def _(r, com, wit, st):
    for rel in ['manifest.note', 'checkpoint.note', 'published.note']:
        r.write(rel, r.read(rel) + DASH + b' commission.example !!!!\n')

@case('45-sigline-partial-last-line', ['SIGLINE_IGNORED'],
      'a sheets file ending in a signature line without its newline after its last sheet: that sheet still counts')
def _(r, com, wit, st):
    r.write(SHEETS[1], r.read(SHEETS[1]) + DASH + b' x AAAA')

@case('46-partial-garbage-last-line', ['SHEET_FORMAT'],
      'a sheets file ending in the first bytes of another sheet (no newline): SHEET_FORMAT for those bytes, the sheets before count')
def _(r, com, wit, st):
    r.write(SHEETS[2], r.read(SHEETS[2]) + b'recount count-sh')

@case('47-key-reused-witness-station', ['KEY_REUSED'],
      'the manifest\'s witness key is also a station\'s key (re-signed): one KEY_REUSED for the station, one for the witness')
def _(r, com, wit, st):
    m = r.text('manifest.note')
    m = m.replace(st[5].vkey().encode(), vkey(st[5].name, wit.pk).encode())
    k5 = Key(key_line(wit).replace(wit.name, st[5].name, 1).replace(wit.id.hex(), keyid(st[5].name, wit.pk).hex(), 1))
    r.write('manifest.note', com.sign(m))
    resign_checkpoint(r, com, m)
    f, i = sheet_of(r, 's00001.0000001')
    n = r.notes(f); t, s = n[i]
    n[i] = (t, [k5.sigline(t)]); r.set_notes(f, n)

@case('48-key-reused-anchor-station', ['KEY_REUSED'],
      'the anchor (commission) key registered as a station\'s key, the station\'s sheet signed with it (re-signed)')
def _(r, com, wit, st):
    m = r.text('manifest.note')
    ka = Key(key_line(com).replace(com.name, st[3].name, 1).replace(com.id.hex(), keyid(st[3].name, com.pk).hex(), 1))
    m = m.replace(st[3].vkey().encode(), ka.vkey().encode())
    r.write('manifest.note', com.sign(m))
    resign_checkpoint(r, com, m)
    f, i = sheet_of(r, 's00000.0000003')
    n = r.notes(f); t, s = n[i]
    n[i] = (t, [ka.sigline(t)]); r.set_notes(f, n)

@case('49-key-reused-anchor-witness', ['KEY_REUSED'],
      'the anchor key listed as a witness (re-signed)')
def _(r, com, wit, st):
    m = r.text('manifest.note')
    m = m.replace(wit.vkey().encode(), vkey(wit.name, com.pk).encode())
    r.write('manifest.note', com.sign(m))
    resign_checkpoint(r, com, m)

@case('50-large-district-totals', [],
      'two stations of one district with 10^15 - 1 registered voters each (manifest, sheets re-signed, recommitted): the district total 2 * 10^15 - 2 is written and checked, the published figures reconcile (v1: DISTRICT_RECORD_FORMAT, commit refused)')
def _(r, com, wit, st):
    big = 10**15 - 1
    m = r.text('manifest.note')
    lines = m.split(b'\n')
    for j, l in enumerate(lines):
        f = l.split(b' ')
        if f[0] == b'station' and f[1] in (b's00000.0000000', b's00000.0000001'):
            f[3] = b'%d' % big
            lines[j] = b' '.join(f)
    m = b'\n'.join(lines)
    r.write('manifest.note', com.sign(m))
    for sid, k in (('s00000.0000000', st[0]), ('s00000.0000001', st[1])):
        f, i = sheet_of(r, sid)
        def fix(t):
            t = replace_line(t, b'registered', b'registered %d' % big)
            bal = int(get(t, b'ballots')); y = int(get(t, b'vote yes'))
            t = replace_line(t, b'ballots', b'ballots %d' % (big - 10))
            return replace_line(t, b'vote yes', b'vote yes %d' % (y + big - 10 - bal))
        edit_sheet(r, f, i, fix, k)
    os.remove(r.p('published.note'))
    recommit(r, com)
    d = r.read('districts.txt').split(b'\n\n')[0]
    pub = b'recount published v1\nelection ' + get(m, b'election') + b'\n'
    pub += b'district d00000 registered ' + get(d, b'registered') + b'\n'
    pub += b'district d00000 ballots ' + get(d, b'ballots') + b'\n'
    pub += b'district d00000 vote yes ' + get(d, b'vote yes') + b'\n'
    r.write('published.note', com.sign(pub))

@case('51-empty-district-turnout-zero', [],
      'a manifest district with no station (recommitted), published with "turnout 0.00" and "ballots 0": 0/0 reconciles exactly when the percent is zero')
def _(r, com, wit, st):
    m = r.text('manifest.note')
    m = m.replace(b'district d00002 District 2\n', b'district d00002 District 2\ndistrict d00003 Empty\n')
    r.write('manifest.note', com.sign(m))
    os.remove(r.p('published.note'))
    recommit(r, com)
    pub = b'recount published v1\nelection ' + get(m, b'election') + b'\n'
    pub += b'district d00003 ballots 0\ndistrict d00003 turnout 0.00\n'
    r.write('published.note', com.sign(pub))

@case('52-sheet-choices', ['SHEET_CHOICES'],
      'a balanced sheet whose vote lines are in the wrong order (no before yes), signed by its station: SHEET_CHOICES, not SHEET_ARITHMETIC')
def _(r, com, wit, st):
    def f(t):
        lines = t.split(b'\n')
        iy = [i for i, l in enumerate(lines) if l.startswith(b'vote yes ')][0]
        lines[iy], lines[iy + 1] = lines[iy + 1], lines[iy]
        return b'\n'.join(lines)
    edit_sheet(r, SHEETS[1], 2, f, st[6])

@case('53-sheet-format-names-station', ['SHEET_FORMAT'],
      'a signed sheet without its "excluded" line: SHEET_FORMAT names its district and station, which has a rejected sheet (no SHEET_MISSING)')
def _(r, com, wit, st):
    edit_sheet(r, SHEETS[0], 0, lambda t: b'\n'.join(l for l in t.split(b'\n') if not l.startswith(b'excluded ')), st[0])
# ---- end of cases 40-59 ----

# ---- (v1.1, W2) cases 60-79: the release log, the v1.1 checkpoint, --previous.
# A case that needs verifier options writes them to CASE/args, one argument
# a line, relative to the case directory (golden-lib.sh golden_args reads it).
SIGN = os.path.join(ROOT, 'bin', 'recount-sign')

def log_lines(r): return r.read('log.txt').split(b'\n')[:-1]
def set_log(r, lines): r.write('log.txt', b''.join(l + b'\n' for l in lines))
def log_texts(r):
    """The sheet texts in log order (the record is intact)."""
    by = {hashlib.sha256(t).digest(): t for _, t in sheet_texts(r)}
    return [(l.split(b' ')[0].decode(), by[base64.b64decode(l.split(b' ')[1])]) for l in log_lines(r)]

def set_args(r, *args):
    open(os.path.join(os.path.dirname(r.d), 'args'), 'w').write(''.join(a + '\n' for a in args))

def keep_previous(r, text=None, key=None):
    """Writes CASE/previous.note: this release's checkpoint (or text),
    signed by key (default: the commission's, done by the caller)."""
    d = os.path.dirname(r.d)
    b = r.read('checkpoint.note') if text is None else key.sign(text)
    open(os.path.join(d, 'previous.note'), 'wb').write(b)
    set_args(r, '--previous', 'previous.note')

@case('60-log-missing', ['LOG_FORMAT'], 'log.txt deleted')
def _(r, com, wit, st):
    os.remove(r.p('log.txt'))

@case('61-log-line-malformed', ['LOG_FORMAT'],
      'a log line whose hash is not canonical base64 (padding removed)')
def _(r, com, wit, st):
    l = log_lines(r); l[4] = l[4][:-1]; set_log(r, l)

@case('62-log-sheet-missing', ['LOG_MISMATCH'],
      'a sheet left out of log.txt, the checkpoint re-signed over the shorter log')
def _(r, com, wit, st):
    order = log_texts(r); del order[5]
    l = log_lines(r); del l[5]; set_log(r, l)
    resign_checkpoint(r, com, log=order)

@case('63-log-sheet-extra', ['LOG_MISMATCH'],
      'a log line for a sheet the record does not hold (a hash of nothing)')
def _(r, com, wit, st):
    l = log_lines(r) + [b's00002.0000009 ' + b64(hashlib.sha256(b'').digest()).encode()]
    set_log(r, l)

@case('64-log-sheet-duplicated', ['LOG_MISMATCH'],
      'a log line repeated at the end')
def _(r, com, wit, st):
    l = log_lines(r); set_log(r, l + [l[2]])

@case('65-log-reordered', ['LOG_MISMATCH'],
      'two log lines swapped (the checkpoint root no longer matches)')
def _(r, com, wit, st):
    l = log_lines(r); l[0], l[1] = l[1], l[0]; set_log(r, l)

@case('66-checkpoint-log-size', ['LOG_MISMATCH'],
      'the checkpoint states a log of 13 sheets (re-signed by the commission)')
def _(r, com, wit, st):
    t = r.text('checkpoint.note').split(b'\n'); t[1] = b'13'
    r.write('checkpoint.note', com.sign(b'\n'.join(t)))

@case('67-checkpoint-log-root', ['LOG_MISMATCH'],
      'the checkpoint states another log root (re-signed by the commission)')
def _(r, com, wit, st):
    t = r.text('checkpoint.note').split(b'\n'); t[2] = b64(bytes(32)).encode()
    r.write('checkpoint.note', com.sign(b'\n'.join(t)))

@case('68-log-station-mismatch', ['LOG_MISMATCH'],
      'a log line names another station than its sheet\'s')
def _(r, com, wit, st):
    l = log_lines(r); l[3] = b's00000.0000000 ' + l[3].split(b' ')[1]; set_log(r, l)

@case('69-release-sheet-replaced', ['RELEASE_REWRITTEN'],
      'a published sheet replaced by the station (one vote moved, re-signed) and the record re-committed: same origin and size, another root; found with --previous')
def _(r, com, wit, st):
    keep_previous(r)
    n = r.notes(SHEETS[1]); t, s = n[1]
    sid = get(t, b'station').decode()
    key = [k for k in st if k.name == 'TEST-KEY.' + sid][0]
    edit_sheet(r, SHEETS[1], 1, move_vote, key)
    recommit(r, com)

@case('70-release-sheet-withdrawn', ['RELEASE_REWRITTEN'],
      'a published sheet withdrawn and the record re-committed (a log of 11); found with --previous')
def _(r, com, wit, st):
    keep_previous(r)
    n = r.notes(SHEETS[2]); del n[0]; r.set_notes(SHEETS[2], n)
    recommit(r, com)

@case('71-previous-other-origin', ['RELEASE_REWRITTEN'],
      '--previous names a checkpoint of another origin (signed by the commission)')
def _(r, com, wit, st):
    t = r.text('checkpoint.note').split(b'\n'); t[0] = b'other.example/log'
    keep_previous(r, b'\n'.join(t), com)

@case('72-previous-other-key', ['RELEASE_REWRITTEN'],
      '--previous names this very checkpoint signed by a station key, not the commission')
def _(r, com, wit, st):
    keep_previous(r, r.text('checkpoint.note'), st[0])

@case('73-previous-prefix-extends', [],
      '--previous names a signed checkpoint of the first 7 log entries: the record extends it (exit 0)')
def _(r, com, wit, st):
    order = log_texts(r)[:7]
    t = r.text('checkpoint.note').split(b'\n')
    t[1] = b'7'; t[2] = b64(mth([leaf(x) for _, x in order])).encode()
    keep_previous(r, b'\n'.join(t), com)
# ---- end of cases 60-79

# ---- cases 80-89 (v1.1): witness cosignatures (C2SP tlog-cosignature/v1)
# A witness key is made from a fixed seed; its verifier key is written to
# CASE/<name>.vkey and given with --witness; the clock is fixed by --now.
WNOW = 1700000000

class Witness:
    def __init__(self, name, seedbyte):
        from cryptography.hazmat.primitives import serialization as s
        self.name = name
        self.sk = Ed25519PrivateKey.from_private_bytes(bytes([seedbyte]) * 32)
        self.pk = self.sk.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
        self.id = hashlib.sha256(name.encode() + b'\n\x04' + self.pk).digest()[:4]
    def vkey(self): return '%s+%s+%s' % (self.name, self.id.hex(), b64(b'\x04' + self.pk))
    def line(self, text, t, flip=False):
        sig = bytearray(self.sk.sign(b'cosignature/v1\ntime %d\n' % t + text))
        if flip: sig[0] ^= 1
        raw = self.id + t.to_bytes(8, 'big') + bytes(sig)
        return DASH + b' ' + self.name.encode() + b' ' + b64(raw).encode() + b'\n'

def cosign(r, lines):
    r.write('checkpoint.note', r.read('checkpoint.note') + b''.join(lines))

def witness_args(r, ws, *more):
    d = os.path.dirname(r.d)
    args = []
    for w in ws:
        open(os.path.join(d, w.name + '.vkey'), 'w').write(w.vkey() + '\n')
        args += ['--witness', w.name + '.vkey']
    set_args(r, *(args + list(more) + ['--now', str(WNOW)]))

@case('80-witness-quorum', ['CHECKPOINT_COSIGNATURE', 'CHECKPOINT_QUORUM'],
      'three witnesses, quorum 2: w1 cosigned, w2 forged (one bit), w3 absent')
def _(r, com, wit, st):
    w = [Witness('w1.example', 0x61), Witness('w2.example', 0x62), Witness('w3.example', 0x63)]
    t = r.text('checkpoint.note')
    cosign(r, [w[0].line(t, WNOW - 60), w[1].line(t, WNOW - 30, flip=True)])
    witness_args(r, w, '--quorum', '2')

@case('81-witness-future', ['CHECKPOINT_COSIGNATURE', 'CHECKPOINT_QUORUM'],
      'the only witness cosigned with a time one hour after the verifier clock')
def _(r, com, wit, st):
    w = Witness('w1.example', 0x61)
    cosign(r, [w.line(r.text('checkpoint.note'), WNOW + 3600)])
    witness_args(r, [w])

@case('82-witness-cosigned', [],
      'two witnesses cosigned, a line of another length by a third key ignored (exit 0)')
def _(r, com, wit, st):
    w = [Witness('w1.example', 0x61), Witness('w2.example', 0x62)]
    t = r.text('checkpoint.note')
    other = DASH + b' w9.example ' + b64(b'\x01\x02\x03\x04' + bytes(68)).encode() + b'\n'
    cosign(r, [w[0].line(t, WNOW - 60), other, w[1].line(t, WNOW)])
    witness_args(r, w)
# ---- end of cases 80-89

def case_args(d):
    p = os.path.join(d, 'args')
    return open(p).read().split('\n')[:-1] if os.path.exists(p) else []

def run_verify(d):
    p = subprocess.run([VERIFY, 'record', '--anchor', 'anchor.vkey', '--json'] + case_args(d) +
                       ['record'], capture_output=True, cwd=d)
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
