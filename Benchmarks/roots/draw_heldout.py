#!/usr/bin/env python3
"""Draws words uniformly from the hadith corpus's vocabulary for a hand-labelled root table.

    python3 Benchmarks/roots/draw_heldout.py [--seed 20261201] [--count 380] [--exclude roots.tsv ...]

Words of at least 3 letters occurring at least 3 times (harakat removed), minus the words of
the tables named by --exclude (in Benchmarks/roots/), shuffled with the seed; the first
--count are printed. heldout.tsv: seed 20261201, 380, --exclude roots.tsv. blind.tsv: seed
20261202, 400, --exclude roots.tsv heldout.tsv.
"""
import argparse, collections, json, os, random, re

HERE = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=20261201)
parser.add_argument("--count", type=int, default=380)
parser.add_argument("--exclude", nargs="*", default=["roots.tsv"])
parser.add_argument("--corpus", default=os.path.join(HERE, "../../data/hadith-full/hadith.jsonl"))
args = parser.parse_args()
counts = collections.Counter()
for line in open(args.corpus, encoding="utf-8"):
    t = json.loads(line)["text"]
    for w in re.findall("[\u0621-\u064A\u064B-\u065F\u0670]+", t):
        counts[re.sub("[\u064B-\u065F\u0670]", "", w)] += 1
old = set()
for table in args.exclude:
    old |= {l.split("\t")[0] for l in open(os.path.join(HERE, table), encoding="utf-8") if not l.startswith("#")}
words = sorted(w for w, n in counts.items() if n >= 3 and len(w) >= 3 and w not in old)
rng = random.Random(args.seed)
rng.shuffle(words)
for w in words[:args.count]:
    print(w)
