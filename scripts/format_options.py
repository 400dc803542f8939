"""Estimates what issue 14's remaining format options would save on a corpus (docs/ARCHITECTURE.md,
"Format options measured"): one posting list per stem with the exact forms inside it (A: form
ordinals per posting; B: per-form sub-lists of the stem's ordinals) against today's exact-form
lists, and positions coded to their entropy against PackedInts.

    python3 scripts/format_options.py data/hadith-full/hadith.jsonl [--field text] [--fihris .build/release/fihris]

Data sizes only (no keys, headers or LMDB pages: compare them with each other)."""
import json, math, collections, subprocess, sys, argparse
ap = argparse.ArgumentParser(); ap.add_argument('jsonl'); ap.add_argument('--field', default='text')
ap.add_argument('--fihris', default='.build/release/fihris'); args = ap.parse_args()
SEP = 'zzsepzz'
text = ''.join((json.loads(l).get(args.field) or '').replace('\n', ' ') + ' ' + SEP + '\n' for l in open(args.jsonl) if l.strip())
toks = json.loads(subprocess.run([args.fihris, 'analyze', '-', '--json'], input=text.encode(), capture_output=True, check=True).stdout)
docs = []; cur = []
for t in toks:
    if t['normalized'] == SEP: docs.append(cur); cur = []
    else:
        if not cur: base = t['position']
        cur.append((t['normalized'], t['stem'], t['position'] - base))
print('docs', len(docs))
# postings
stem_post = collections.defaultdict(list)   # stem -> [(doc, {form: [positions]})]
form_df = collections.Counter()
for d, toks in enumerate(docs):
    per = collections.defaultdict(lambda: collections.defaultdict(list))
    for form, stem, pos in toks: per[stem][form].append(pos)
    for stem, forms in per.items():
        stem_post[stem].append((d, forms))
        for f in forms: form_df[f] += 1
stem_forms = collections.defaultdict(set)
for stem, plist in stem_post.items():
    for d, forms in plist: stem_forms[stem].update(forms)
bits = lambda x: max(1, x.bit_length())
def packed(values):  # PackedInts per 128: width byte + bits
    total = 0
    for i in range(0, len(values), 128):
        b = values[i:i+128]; w = max(v.bit_length() for v in b)
        total += 1 + (w*len(b)+7)//8
    return total
def list_bytes(docs_, freqs):
    gaps = [docs_[0]] + [docs_[i]-docs_[i-1] for i in range(1, len(docs_))]
    return packed(gaps) + packed([f-1 for f in freqs])
# current exact lists: doc gaps + freqs (postings part only, no headers)
exact_lists = collections.defaultdict(lambda: ([], []))
for stem, plist in stem_post.items():
    for d, forms in plist:
        for f, ps in forms.items():
            exact_lists[f][0].append(d); exact_lists[f][1].append(len(ps))
cur_exact = sum(list_bytes(a, b) for a, b in exact_lists.values())
hdr = 10  # short chunk header approx
print(f'exact forms {len(exact_lists)}, postings {sum(len(a) for a,_ in exact_lists.values())}, data {cur_exact/1e6:.2f} MB (+~{hdr*len(exact_lists)/1e6:.2f} MB headers, + keys)')
stem_data = sum(list_bytes([d for d,_ in pl], [sum(len(p) for p in fm.values()) for _, fm in pl]) for pl in stem_post.values())
print(f'stems {len(stem_post)}, postings {sum(len(p) for p in stem_post.values())}, data {stem_data/1e6:.2f} MB')
# option A: per posting form info inside the stem list: per block, PackedInts(form count-1), PackedInts(ordinals), PackedInts(tf-1 of each form but the last)
a = 0; one_form = 0
for stem, pl in stem_post.items():
    F = len(stem_forms[stem])
    if F == 1: one_form += 1; continue
    order = {f: i for i, (f, _) in enumerate(collections.Counter({f: form_df[f] for f in stem_forms[stem]}).most_common())}
    counts = []; ords = []; tfs = []
    for d, forms in pl:
        counts.append(len(forms) - 1)
        items = sorted(forms.items(), key=lambda x: order[x[0]])
        ords += [order[f] for f, _ in items]
        tfs += [len(p) - 1 for _, p in items[:-1]]
    a += packed(counts) + packed(ords) + (packed(tfs) if tfs else 0)
print(f'option A (form ordinals in the stem list): +{a/1e6:.2f} MB; stems with one form: {one_form}')
# option B: per-form sub-lists of stem ordinals (every form of a stem with >1 form; one-form stems need none)
b = 0; nb = 0
for stem, pl in stem_post.items():
    F = len(stem_forms[stem])
    if F == 1: continue
    idx = collections.defaultdict(lambda: ([], []))
    for i, (d, forms) in enumerate(pl):
        for f, ps in forms.items(): idx[f][0].append(i); idx[f][1].append(len(ps))
    for f, (o, t) in idx.items():
        b += list_bytes(o, t) + 3; nb += 1  # + a small header
print(f'option B (sub-lists of stem ordinals): {b/1e6:.2f} MB in {nb} sub-lists')
# positions: current exact positions (gaps within doc, packed per 128 of sum freq) vs entropy of gaps
pos_gaps = []
for stem, pl in stem_post.items():
    for d, forms in pl:
        for f, ps in forms.items():
            ps = sorted(ps); pos_gaps.append(ps[0]); pos_gaps += [ps[i]-ps[i-1] for i in range(1, len(ps))]
print(f'positions gaps {len(pos_gaps)}: packed per 128 in order ~{packed(pos_gaps)/1e6:.2f} MB (order across lists approx)')
c = collections.Counter(bits(g) for g in pos_gaps); n = len(pos_gaps)
# entropy coding of the bit-length class + raw mantissa bits (Elias-gamma-like with an adaptive model)
H = -sum(v/n*math.log2(v/n) for v in c.values()); mant = sum(v*(k-1) for k, v in c.items())/n
print(f'positions entropy-coded (length class H={H:.2f} bits + mantissa {mant:.2f} bits): {(n*(H+mant))/8/1e6:.2f} MB')
