#!/usr/bin/env python3
"""Draws the candidate word pairs of the conflation set from the corpus (fixed seed).

Vocabulary: words of the full hadith corpus and the news article, diacritics removed,
seen at least 3 times. Two pools, so that both kinds of stemming error can show:
  A. affix-related pairs: w and a clitic/affix variant of it, both in the vocabulary
     (proclitics و ف ب ك ل ال وال بال فال لل س وس, suffixes ه ها هم هن هما كم نا ني ي ك ة ات ون ين ان وا تم);
  B. pairs that at least one of the three stemmers (fihris, light10, snowball) conflates.
Each candidate is then labelled by hand (pairs.tsv): meet (same word up to clitics and
inflection) or apart (different words).
"""
import collections
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stemmers import stem_all  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARKS = re.compile("[\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200C-\u200F\u202A-\u202E\u2066-\u2069]")
WORD = re.compile("[\u0621-\u064A]+")


def vocabulary():
    counts = collections.Counter()
    texts = []
    with open(os.path.join(ROOT, "data/hadith-full/hadith.jsonl"), encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for line in f]
    with open(os.path.join(ROOT, "corpus/ain-al-asad-handover.txt"), encoding="utf-8") as f:
        texts.append(f.read())
    for text in texts:
        counts.update(w for w in WORD.findall(MARKS.sub("", text)) if len(w) >= 2)
    return {w: c for w, c in counts.items() if c >= 3}


PREFIXES = ["و", "ف", "ب", "ك", "ل", "ال", "وال", "بال", "فال", "لل", "س", "وس"]
SUFFIXES = ["ه", "ها", "هم", "هن", "هما", "كم", "نا", "ني", "ي", "ك", "ة", "ات", "ون", "ين", "ان", "وا", "تم"]


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--count", type=int, default=200, help="pairs drawn from each pool")
    parser.add_argument("--exclude", action="append", default=[], help="a pairs file whose pairs are not drawn again")
    args = parser.parse_args()
    excluded = set()
    for path in args.exclude:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#") and line.strip():
                    a, b = line.split("\t")[:2]
                    excluded.update({(a, b), (b, a)})
    vocab = vocabulary()
    words = sorted(vocab)
    rng = random.Random(args.seed)
    pool_a = set()
    for w in words:
        for p in PREFIXES:
            if p + w in vocab:
                pool_a.add((w, p + w))
        for s in SUFFIXES:
            if w + s in vocab:
                pool_a.add((w, w + s))
    pool_b = set()
    for name in ["fihris", "light10", "snowball"]:
        stems = stem_all(name, words)
        groups = collections.defaultdict(list)
        for w in words:
            groups[stems[w]].append(w)
        for group in groups.values():
            if len(group) >= 2:
                a, b = rng.sample(group, 2)
                pool_b.add(tuple(sorted((a, b))))
    pool_a -= excluded
    pool_b -= excluded
    a = rng.sample(sorted(pool_a), args.count)
    b = rng.sample(sorted(pool_b - set(a)), args.count)
    print(f"# vocabulary {len(vocab)} words; pool A {len(pool_a)} pairs, pool B {len(pool_b)} pairs", file=sys.stderr)
    for pool, pairs in (("A", a), ("B", b)):
        for x, y in pairs:
            print(f"{x}\t{y}\t{pool}")


if __name__ == "__main__":
    main()
