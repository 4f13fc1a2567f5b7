#!/usr/bin/env python3
"""Regenerates the sample texts in testvectors/texts/ (run from the
repository root). Deterministic: every Ed25519 key comes from the seed
SHA-256("recount testvectors/texts " + key name); these are TEST KEYS and
their seeds are public. Needs python3-cryptography."""
import base64, hashlib, os
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

OUT = "testvectors/texts"

def vkey(name):
    seed = hashlib.sha256(b"recount testvectors/texts " + name.encode()).digest()
    pk = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    kid = hashlib.sha256(name.encode() + b"\n\x01" + pk).digest()[:4]
    return "%s+%s+%s" % (name, kid.hex(), base64.b64encode(b"\x01" + pk).decode())

def b64(h): return base64.b64encode(h).decode()
def leaf(t): return hashlib.sha256(b"\x00" + t).digest()
def node(l, r): return hashlib.sha256(b"\x01" + l + r).digest()
def root(leaves):  # RFC 9162 §2.1.1
    if not leaves: return hashlib.sha256(b"").digest()
    if len(leaves) == 1: return leaf(leaves[0])
    k = 1
    while k * 2 < len(leaves): k *= 2
    return node(root(leaves[:k]), root(leaves[k:]))

E = "krd-2017-test"
CHOICES = [("yes", "بەڵێ (Yes)"), ("no", "نەخێر (No)")]
DISTRICTS = [("duhok", "دهۆک Duhok"), ("erbil", "هەولێر Erbil"),
             ("sulaymaniyah", "سلێمانی Sulaymaniyah")]
STATIONS = [("duhok.0001", "duhok", 412), ("erbil.0001", "erbil", 388),
            ("erbil.0002", "erbil", 1), ("sulaymaniyah.0001", "sulaymaniyah", 520)]
manifest = ["recount manifest v1", "election " + E,
            "origin test.example/" + E,
            "title ڕیفراندۆمی سەربەخۆیی کوردستان — test record"]
manifest += ["choice %s %s" % c for c in CHOICES]
manifest += ["district %s %s" % d for d in DISTRICTS]
manifest += ["witness " + vkey("observer.a"), "witness " + vkey("party-agent.b")]
manifest += ["station %s %s %d %s" % (s, d, r, vkey("station." + s)) for s, d, r in STATIONS]
manifest = ("\n".join(manifest) + "\n").encode()

# station -> (registered, ballots, invalid, blank, excluded, yes, no)
FIG = {"duhok.0001": (412, 350, 5, 2, 0, 330, 13),
       "erbil.0001": (388, 301, 4, 2, 1, 270, 24),
       "erbil.0002": (1, 0, 0, 0, 0, 0, 0)}
def sheet(s):
    d = [x for x in STATIONS if x[0] == s][0][1]
    f = FIG[s]
    t = ["recount count-sheet v1", "election " + E, "district " + d, "station " + s]
    t += ["%s %d" % kv for kv in zip(["registered", "ballots", "invalid", "blank", "excluded"], f)]
    t += ["vote yes %d" % f[5], "vote no %d" % f[6]]
    return ("\n".join(t) + "\n").encode()
sheets = {s: sheet(s) for s in FIG}

records = []
for did, _ in DISTRICTS:
    st = [s for s, d, _ in STATIONS if d == did]
    have = [s for s in st if s in sheets]
    tot = [sum(FIG[s][i] for s in have) for i in range(7)]
    t = ["recount district v1", "election " + E, "district " + did,
         "stations %d" % len(st), "sheets %d" % len(have),
         "root " + b64(root([sheets[s] for s in sorted(have)]))]
    t += ["%s %d" % kv for kv in zip(["registered", "ballots", "invalid", "blank", "excluded"], tot)]
    t += ["vote yes %d" % tot[5], "vote no %d" % tot[6]]
    records.append(("\n".join(t) + "\n").encode())

checkpoint = ("test.example/%s\n%d\n%s\nmanifest %s\n" % (
    E, len(records), b64(root(records)), b64(hashlib.sha256(manifest).digest()))).encode()

def pct(num, den, d):  # round half up, exact
    q = (2 * num * 100 * 10**d + den) // (2 * den)
    return "%d.%0*d" % (q // 10**d, d, q % 10**d) if d else "%d" % q
T = [sum(FIG[s][i] for s in FIG) for i in range(7)]
valid = T[5] + T[6]
pub = ["recount published v1", "election " + E]
pub += ["%s %d" % kv for kv in zip(["registered", "ballots", "invalid", "blank", "excluded"], T[:5])]
pub += ["valid %d" % valid, "vote yes %d" % T[5], "vote no %d" % T[6],
        "share yes " + pct(T[5], valid, 2), "share no " + pct(T[6], valid, 2),
        "turnout " + pct(T[1], T[0], 2)]
E1 = [sum(FIG[s][i] for s in FIG if s.startswith("erbil")) for i in range(7)]
pub += ["district duhok ballots %d" % FIG["duhok.0001"][1],
        "district duhok turnout " + pct(FIG["duhok.0001"][1], FIG["duhok.0001"][0], 1),
        "district erbil registered %d" % E1[0], "district erbil ballots %d" % E1[1],
        "district erbil vote yes %d" % E1[5], "district erbil vote no %d" % E1[6],
        "district erbil share yes " + pct(E1[5], E1[5] + E1[6], 4),
        "district erbil turnout " + pct(E1[1], E1[0], 0)]
published = ("\n".join(pub) + "\n").encode()

def w(name, data):
    with open(os.path.join(OUT, name), "wb") as f: f.write(data)
w("manifest.txt", manifest)
w("sheet.txt", sheets["erbil.0001"])
w("district.txt", records[1])
w("districts.txt", b"\n".join(records))
w("checkpoint.txt", checkpoint)
w("published.txt", published)
