"""An independent builder of small election records, written from the text
of docs/RECORD.md v1.1 (sections 1-4) alone: it shares no code with recount
(neither the C programs nor scripts/make_tampered.py). Needs Debian's
/usr/bin/python3 with python3-nacl.

The checkpoint is written in the format today's verifier reads (the v1
checkpoint: origin, number of districts, election tree root, `manifest`
line); write_checkpoint() is the one place to change for the v1.1 layout.
"""

import base64
import hashlib
import os

import nacl.signing

DASH = "\u2014 ".encode()  # the em dash and space of a signature line


def b64(b):
  return base64.b64encode(b).decode()


def sha256(b):
  return hashlib.sha256(b).digest()


class Key:
  """An Ed25519 note key (C2SP signed-note, type 0x01)."""

  def __init__(self, name, seed_label=None):
    self.name = name
    seed = sha256(b"recount-conformance:" + (seed_label or name).encode())
    self.sk = nacl.signing.SigningKey(seed)
    self.pub = bytes(self.sk.verify_key)
    self.kid = sha256(name.encode() + b"\n\x01" + self.pub)[:4]

  def vkey(self):
    return "%s+%s+%s" % (self.name, self.kid.hex(), b64(b"\x01" + self.pub))

  def sig(self, text):
    return self.sk.sign(text).signature

  def line(self, text):
    return DASH + (self.name + " " + b64(self.kid + self.sig(text))).encode() \
        + b"\n"


def note(text, lines):
  """A signed note: text, an empty line, signature lines (bytes each)."""
  assert text.endswith(b"\n")
  return text + b"\n" + b"".join(lines)


# RFC 9162 section 2.1
def leaf_hash(b):
  return sha256(b"\x00" + b)


def node_hash(a, b):
  return sha256(b"\x01" + a + b)


def mth(leaves):
  n = len(leaves)
  if n == 0:
    return sha256(b"")
  if n == 1:
    return leaf_hash(leaves[0])
  k = 1
  while k * 2 < n:
    k *= 2
  return node_hash(mth(leaves[:k]), mth(leaves[k:]))


FIG = ("registered", "ballots", "invalid", "blank", "excluded")


class Sheet:

  def __init__(self, rec, station, **kw):
    st = rec.station(station)
    self.station = station
    self.election = kw.pop("election", rec.election)
    self.district = kw.pop("district", st["district"] if st else "d1")
    self.registered = kw.pop("registered", st["registered"] if st else 100)
    votes = kw.pop("votes", None)
    if votes is None:
      votes = [(c, 10 * (i + 1)) for i, c in enumerate(rec.choices)]
    self.votes = list(votes)
    self.invalid = kw.pop("invalid", 1)
    self.blank = kw.pop("blank", 2)
    self.excluded = kw.pop("excluded", 3)
    self.ballots = kw.pop("ballots", self.invalid + self.blank +
                          self.excluded + sum(v for _, v in self.votes))
    self.raw = kw.pop("raw", None)  # exact text bytes instead
    assert not kw, kw

  def text(self):
    if self.raw is not None:
      return self.raw
    s = "recount count-sheet v1\nelection %s\ndistrict %s\nstation %s\n" % (
        self.election, self.district, self.station)
    for f in FIG:
      s += "%s %s\n" % (f, getattr(self, f))
    for c, v in self.votes:
      s += "vote %s %s\n" % (c, v)
    return s.encode()


class Record:
  """A record: manifest, sheets, districts.txt, checkpoint, published."""

  def __init__(self, stations=(("s1", "d1", 100), ("s2", "d1", 100)),
               districts=("d1",), choices=("yes", "no"), election="e1",
               origin="conformance.example/e1", witnesses=()):
    self.election = election
    self.origin = origin
    self.choices = list(choices)
    self.districts = list(districts)
    self.anchor = Key("commission")
    self.stations = []
    for s in stations:
      sid, dist, reg = s[:3]
      key = s[3] if len(s) > 3 else Key("st-" + sid)
      self.stations.append({"id": sid, "district": dist, "registered": reg,
                            "key": key})
    self.witnesses = [w if isinstance(w, Key) else Key(w) for w in witnesses]
    self.files = {}  # path under sheets/ -> bytes
    self.counted = []  # (Sheet) sheets that pass every check
    self.parsed = []  # (station, district, text) parseable sheet texts
    self.published = None  # list of figure lines
    self.pub_extra = []  # extra signature lines for published.note
    self.manifest_extra = []
    self.checkpoint_extra = []
    self.manifest_override = None
    self.districts_override = None
    self.district_edit = None  # f(list of record texts) -> list

  def station(self, sid):
    for s in self.stations:
      if s["id"] == sid:
        return s
    return None

  def key_of(self, sid):
    return self.station(sid)["key"]

  def manifest_text(self):
    if self.manifest_override is not None:
      return self.manifest_override
    s = "recount manifest v1\nelection %s\norigin %s\ntitle Test election\n" \
        % (self.election, self.origin)
    for c in self.choices:
      s += "choice %s %s\n" % (c, c.capitalize())
    for d in self.districts:
      s += "district %s District %s\n" % (d, d)
    for w in self.witnesses:
      s += "witness %s\n" % w.vkey()
    for st in self.stations:
      s += "station %s %s %d %s\n" % (st["id"], st["district"],
                                      st["registered"], st["key"].vkey())
    return s.encode()

  def add(self, path, sheet, lines=None, counted=True, parseable=True,
          append=b"", signers=None):
    """Appends one signed sheet to sheets/<path>. lines: the signature lines
    (default: one by the station's key); signers: keys that sign instead;
    counted: the contract says it passes every check; parseable: its text
    is a parseable sheet (a leaf of its district's tree)."""
    text = sheet.text()
    if lines is None:
      keys = signers if signers is not None else [self.key_of(sheet.station)]
      lines = [k.line(text) for k in keys]
    self.files[path] = self.files.get(path, b"") + note(text, lines) + append
    if parseable:
      self.parsed.append((sheet.station, sheet.district, text))
    if counted:
      self.counted.append(sheet)
    return text

  def add_raw(self, path, data):
    self.files[path] = self.files.get(path, b"") + data

  def district_texts(self):
    out = []
    for d in self.districts:
      texts = sorted({(st, t) for st, dd, t in self.parsed if dd == d},
                     key=lambda p: (p[0].encode(), p[1]))
      leaves = [t for _, t in texts]
      sheets = [s for s in self.counted if s.district == d]
      nst = sum(1 for s in self.stations if s["district"] == d)
      r = "recount district v1\nelection %s\ndistrict %s\nstations %d\n" \
          "sheets %d\nroot %s\n" % (self.election, d, nst, len(leaves),
                                   b64(mth(leaves)))
      for f in FIG:
        r += "%s %d\n" % (f, sum(getattr(s, f) for s in sheets))
      for c in self.choices:
        r += "vote %s %d\n" % (c, sum(v for s in sheets
                                      for cc, v in s.votes if cc == c))
      out.append(r.encode())
    if self.district_edit:
      out = self.district_edit(out)
    return out

  def totals(self, district=None):
    sheets = [s for s in self.counted
              if district is None or s.district == district]
    t = {f: sum(getattr(s, f) for s in sheets) for f in FIG}
    t["votes"] = {c: sum(v for s in sheets for cc, v in s.votes if cc == c)
                  for c in self.choices}
    t["valid"] = sum(t["votes"].values())
    return t

  def log_entries(self):
    """(station, text) of every distinct parseable sheet text that names a
    manifest district (the leaves of all district trees, as a set), in the
    order of a first release: station id, then bytes (RECORD.md 3)."""
    return sorted({(st, t) for st, dd, t in self.parsed
                   if dd in self.districts},
                  key=lambda p: (p[0].encode(), p[1]))

  def write_checkpoint(self, d, dtexts, mtext):
    """log.txt and the v1.1 checkpoint (RECORD.md 3): origin, log size, log
    root, manifest hash, districts count and election root."""
    entries = self.log_entries()
    write(d, "log.txt", "".join("%s %s\n" % (st, b64(sha256(t)))
                                for st, t in entries).encode())
    text = ("%s\n%d\n%s\nmanifest %s\ndistricts %d %s\n" % (
        self.origin, len(entries), b64(mth([t for _, t in entries])),
        b64(sha256(mtext)), len(self.districts), b64(mth(dtexts)))).encode()
    write(d, "checkpoint.note",
          note(text, [self.anchor.line(text)] + self.checkpoint_extra))

  def write(self, d):
    os.makedirs(os.path.join(d, "sheets"), exist_ok=True)
    mtext = self.manifest_text()
    write(d, "manifest.note",
          note(mtext, [self.anchor.line(mtext)] + self.manifest_extra))
    for p, data in self.files.items():
      write(d, os.path.join("sheets", p), data)
    dtexts = self.district_texts()
    if self.districts_override is not None:
      write(d, "districts.txt", self.districts_override)
    else:
      write(d, "districts.txt", b"\n".join(dtexts))
    self.write_checkpoint(d, dtexts, mtext)
    if self.published is not None:
      text = ("recount published v1\nelection %s\n" % self.election +
              "".join(l + "\n" for l in self.published)).encode()
      write(d, "published.note",
            note(text, [self.anchor.line(text)] + self.pub_extra))
    with open(os.path.join(os.path.dirname(d.rstrip("/")),
                           os.path.basename(d.rstrip("/")) + ".vkey"),
              "w") as f:
      f.write(self.anchor.vkey() + "\n")


def write(d, rel, data):
  p = os.path.join(d, rel)
  os.makedirs(os.path.dirname(p), exist_ok=True)
  with open(p, "wb") as f:
    f.write(data)


def percent(num, den, decimals):
  """num/den * 100 rounded half up at `decimals` decimals, as text."""
  q = 10 ** decimals
  v = (2 * num * 100 * q + den) // (2 * den)
  if decimals == 0:
    return str(v)
  return "%d.%0*d" % (v // q, decimals, v % q)
