#!/usr/bin/env python3
"""Generates the benchmark query set reproducibly (fixed seed) from the hadith corpus, the
way users type: no diacritics, a mix of frequent and rare words, in five classes:

  term    one word
  or      two or three words (default operator OR)
  and     two or three words, all required (+a +b)
  phrase  two or three consecutive words of a document, quoted
  filter  two or three words (OR) restricted to one collection: +(a b) +collection:X
  prefix  the first three letters of a word, with *

    python3 Benchmarks/queries/generate_queries.py [--per-class 200] > Benchmarks/queries/hadith.jsonl

Output: JSON lines {"id", "class", "q"}, the input of `fihris search --batch` and
`fihris bench`.
"""
import argparse, collections, json, os, random, re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MARKS = re.compile("[\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200C-\u200F\u202A-\u202E\u2066-\u2069]")
WORD = re.compile("[\u0621-\u064A]+")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-class", type=int, default=200)
    parser.add_argument("--corpus", default=os.path.join(ROOT, "data/hadith-full/hadith.jsonl"))
    args = parser.parse_args()
    rng = random.Random(20261129)
    docs = [json.loads(l) for l in open(args.corpus, encoding="utf-8")]
    texts = [WORD.findall(MARKS.sub("", d["text"])) for d in docs]
    counts = collections.Counter(w for t in texts for w in t if len(w) >= 3)
    ranked = [w for w, _ in counts.most_common()]
    frequent, rare = ranked[:300], [w for w in ranked[300:] if counts[w] >= 3]

    def word():
        return rng.choice(frequent) if rng.random() < 0.5 else rng.choice(rare)

    def words(n):
        return " ".join(word() for _ in range(n))

    out = []
    for i in range(args.per_class):
        out.append(("term", word()))
        out.append(("or", words(rng.choice([2, 3]))))
        out.append(("and", " ".join("+" + word() for _ in range(rng.choice([2, 3])))))
        t = rng.choice([t for t in texts if len(t) > 6])
        n = rng.choice([2, 3])
        start = rng.randrange(len(t) - n)
        out.append(("phrase", '"' + " ".join(t[start:start + n]) + '"'))
        out.append(("filter", "+(" + words(rng.choice([2, 3])) + ") +collection:" + rng.choice(["bukhari", "muslim"])))
        out.append(("prefix", rng.choice([w for w in frequent + rare if len(w) >= 4])[:3] + "*"))
    for k, (cls, q) in enumerate(out):
        print(json.dumps({"id": f"{cls}-{k}", "class": cls, "q": q}, ensure_ascii=False))


if __name__ == "__main__":
    main()
