#!/usr/bin/env python3
"""Draws the candidate pairs of the second held-out conflation set (heldout2.tsv).

    python3 Benchmarks/conflation/make_heldout2.py > candidates.tsv   # then label by hand
    SEED=20261203 python3 Benchmarks/conflation/make_heldout2.py      # heldout3.tsv's draw (minus pairs of the other sets)

Drawn after the stemmer's rules of the analysis-v2 work were final, by a different method
than the first sets (which mixed affix-related pairs with pairs a stemmer conflates, picked
from a list): every word of the hadith corpus occurring at least 3 times is analyzed by a
brute-force affix analysis (Benchmarks/relevance/generate.py's `cores`: optional و/ف, then
ال بال كال لل ب ل ك in front; a pronoun and an inflection suffix at the end), and pairs come
from three pools, seed 20261202:

- F (110 pairs): one word is the other with affixes added, per that analysis;
- C (60 pairs): some stemmer (fihris, light10, Snowball or ISRI) gives both words one stem,
  but the affix analysis does not relate them (where the stemmers' errors are);
- N (30 pairs): words whose longest cores share their first three letters and that neither
  the analysis nor any stemmer relates (to see whether anything is missed).

Each pair is then labelled by hand, without looking at any stemmer's output: *meet* when the
two are the same word up to clitics and inflection (number, gender, person, case, the
verb's person/number/tense marks), *apart* otherwise.
"""
import json, os, random, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "Benchmarks/relevance"))
import stemmers  # noqa: E402
import generate  # noqa: E402


def main():
    rng = random.Random(int(os.environ.get("SEED", "20261202")))
    counts = Counter()
    with open(os.path.join(ROOT, "data/hadith-full/hadith.jsonl"), encoding="utf-8") as f:
        for line in f:
            counts.update(generate.tokens(json.loads(line)["text"]))
    vocab = sorted(w for w, n in counts.items() if n >= 3 and len(w) >= 3)
    cores = {w: generate.cores(w) for w in vocab}
    longest = {w: generate.fold(w) for w in vocab}
    by_core = {}
    for w in vocab:
        for c in cores[w]:
            by_core.setdefault(c, []).append(w)

    def family(a, b):
        return longest[a] in cores[b] or longest[b] in cores[a]

    from nltk.stem.isri import ISRIStemmer
    isri = ISRIStemmer()
    fihris = dict(zip(vocab, stemmers.fihris_many(vocab)))
    stems = {
        "fihris": fihris,
        "light10": {w: stemmers.light10(w) for w in vocab},
        "snowball": {w: stemmers.snowball(w) for w in vocab},
        "isri": {w: isri.stem(w) for w in vocab},
    }

    pairs, seen = [], set()

    def add(a, b, pool):
        key = tuple(sorted((a, b)))
        if a == b or longest[a] == longest[b] or key in seen:
            return False
        seen.add(key)
        pairs.append((a, b, pool))
        return True

    # F: a word and a variant of it.
    n = 0
    shuffled = vocab[:]
    rng.shuffle(shuffled)
    for w in shuffled:
        group = [v for v in by_core.get(longest[w], []) if v != w]
        if group and add(w, rng.choice(group), "F"):
            n += 1
        if n == 110:
            break
    # C: conflated by some stemmer, unrelated by the analysis.
    n = 0
    groups = {}
    for name, table in stems.items():
        for w in vocab:
            groups.setdefault((name, table[w]), []).append(w)
    keys = sorted(k for k, ws in groups.items() if len(ws) >= 2)
    rng.shuffle(keys)
    for k in keys:
        ws = groups[k]
        a, b = rng.sample(ws, 2)
        if not family(a, b) and add(a, b, "C"):
            n += 1
        if n == 60:
            break
    # N: close in spelling, related by nothing.
    n = 0
    by_start = {}
    for w in vocab:
        by_start.setdefault(longest[w][:3], []).append(w)
    starts = sorted(k for k, ws in by_start.items() if len(ws) >= 2)
    rng.shuffle(starts)
    for k in starts:
        a, b = rng.sample(by_start[k], 2)
        if not family(a, b) and all(t[a] != t[b] for t in stems.values()) and add(a, b, "N"):
            n += 1
        if n == 30:
            break
    rng.shuffle(pairs)
    for a, b, pool in pairs:
        print(f"{a}\t{b}\t?\t{pool}")


if __name__ == "__main__":
    main()
