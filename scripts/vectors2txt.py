#!/usr/bin/env python3
"""Converts the JSON test vectors in testvectors/ into line-based text files
that the C tests read (C has no JSON parser here). Run from the repository
root; the output is committed. Each .txt starts with a '# source:' line.
Empty fields are written as '-'."""
import gzip, json, os

E = 'testvectors/ed25519'
N = 'testvectors/notes'
def h(x): return x if x else '-'

def out(path, src, lines):
    with open(path, 'w') as f:
        f.write('# source: %s\n' % src)
        for l in lines: f.write(l + '\n')

d = json.load(open(E + '/rfc8032_ed25519_7.1.json'))
out(E + '/rfc8032.txt', 'RFC 8032 section 7.1 (rfc8032_ed25519_7.1.json); fields: name seed pk msg sig',
    ['%s %s %s %s %s' % (v['name'].replace(' ', '_'), v['secret_key'], v['public_key'], h(v['message']), v['signature']) for v in d['vectors']])

w = json.load(open(E + '/wycheproof_ed25519_test.json'))
lines = []
for g in w['testGroups']:
    for t in g['tests']:
        lines.append('%d %s %s %s %s' % (t['tcId'], g['publicKey']['pk'], h(t['msg']), h(t['sig']), t['result']))
out(E + '/wycheproof.txt', 'C2SP/wycheproof testvectors_v1/ed25519_test.json @ dac1dd47; fields: tcId pk msg sig result', lines)

s = json.load(open(E + '/speccheck_cases.json'))
out(E + '/speccheck.txt', 'novifinancial/ed25519-speccheck cases.json @ 65519336; fields: index pk msg sig',
    ['%d %s %s %s' % (i, c['pub_key'], h(c['message']), c['signature']) for i, c in enumerate(s)])

c = json.load(open(E + '/cctv_ed25519vectors.json'))
out(E + '/cctv.txt', 'C2SP/CCTV ed25519/ed25519vectors.json @ 1e3d2860; fields: number pk msg(hex) sig flags',
    ['%d %s %s %s %s' % (v['number'], v['key'], v['msg'].encode().hex(), v['sig'], ','.join(v['flags'] or []) or '-') for v in c])

sn = json.load(open(N + '/signed_note_vectors.json'))
keys = {k['name']: k for k in sn['keys']}
lines = []
for v in sn['valid_notes']:
    lines.append('valid %s %s' % (v['note'].encode().hex(), ','.join(v['verifiers'])))
for v in sn['invalid_notes']:
    if 'note' in v: note = v['note'].encode()
    elif 'note_hex' in v: note = bytes.fromhex(v['note_hex'])
    else:
        t = v['note_template']
        note = (t['text'] + '\n' + t['sig_line'] * t['repeat']).encode()
    # recount's rule: the note verifies when at least one known key verifies
    # and no known key fails; lines by unknown keys are ignored. Two cases
    # differ from Go's sumdb/note: identical duplicate lines are accepted
    # (Go de-duplicates them too: expect 'ok'), and a verifier listed twice
    # is accepted (Go: "ambiguous key"); recount's manifests forbid listing a
    # key twice, so the situation cannot arise there.
    ok = v.get('expect') == 'ok' or v['desc'].startswith('same verifier listed twice')
    lines.append('%s %s %s' % ('valid' if ok else 'invalid', note.hex(), ','.join(v['verifiers']) or '-'))
for v in sn['bad_vkeys']:
    if 'vkey' in v: lines.append('badvkey %s' % v['vkey'])
for k in sn['keys']:
    lines.append('key %s %s %s' % (k['vkey'], k.get('skey') or '-', k['key_id']))
v0 = sn['valid_notes'][0]['sign_check']
lines.append('signcheck %s %s %s' % (v0['skey'], v0['text'].encode().hex(), v0['expected_output'].encode().hex()))
out(N + '/signed_notes.txt', 'signed_note_vectors.json (golang/mod sumdb/note @ fe2ec04f, transparency-dev/formats @ 0b850f1a, C2SP signed-note.md); fields: kind hex(note) verifiers', lines)
