#!/usr/bin/env python3
"""Known-item relevance: MRR@10, S@1 and S@10 of Fihris and three Python BM25 references.

    python3 Benchmarks/relevance/evaluate.py [--queries FILE] [--corpus DIR] [--fihris PATH]
                                             [--engines fihris,bm25+light10,...] [--json]

Each query of queries.jsonl (see generate.py) has exactly one relevant document, its target;
a query scores 1/rank when the target is among the first 10 hits (0 otherwise).

Engines:
  fihris         the release CLI: `fihris index <corpus> --index <tmp> --schema
                 corpus/schema.json`, then `fihris search --index <tmp> --batch`
                 (its default OR query, limit 10).
  bm25+light10   BM25 over the same tokens, stemmed with light10 (Benchmarks/conflation/
                 stemmers.py, Lucene's Arabic normalizer + light stemmer).
  bm25+snowball  BM25 with Snowball Arabic (PyStemmer) on the diacritics-free word.
  bm25+nostem    BM25 on normalized words only (harakat removed, أإآٱ -> ا, ى -> ي, ة -> ه).
The Python BM25: k1 1.2, b 0.75, idf log(1 + (N - df + 0.5) / (df + 0.5)), OR of the distinct
query terms, document length in tokens, top 10 with ties broken by document order. Documents
are tokenized as in generate.py (the `text` field only); no stop words are removed.
"""
import argparse
import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

sys.dont_write_bytecode = True  # leave no __pycache__ here or in Benchmarks/conflation
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from generate import HAMZA_ALEFS, tokens  # noqa: E402

ENGINES = ["fihris", "bm25+light10", "bm25+snowball", "bm25+nostem"]
K1, B = 1.2, 0.75


def nostem(word):
    return HAMZA_ALEFS.sub("\u0627", word).replace("\u0649", "\u064A").replace("\u0629", "\u0647")


def load_by_path(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def analyzer(engine):
    if engine == "bm25+nostem":
        return nostem
    if engine == "bm25+light10":
        stemmers = load_by_path("conflation_stemmers", os.path.join(ROOT, "Benchmarks", "conflation", "stemmers.py"))
        return lambda w: stemmers.light10(nostem(w))
    if engine == "bm25+snowball":
        try:
            import Stemmer
        except ImportError:
            raise SystemExit("bm25+snowball needs PyStemmer: pip install PyStemmer")
        return Stemmer.Stemmer("arabic").stemWord
    raise ValueError(engine)


def load_corpus(corpus_dir):
    docs = []
    for dirpath, dirnames, filenames in os.walk(corpus_dir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".jsonl"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        d = json.loads(line)
                        docs.append((d["id"], tokens(d.get("text", ""))))
    return docs


class BM25:
    def __init__(self, docs, stem):
        cache = {}

        def term(w):
            t = cache.get(w)
            if t is None:
                t = cache[w] = stem(w)
            return t

        self.term = term
        self.ids = [d for d, _ in docs]
        self.postings = defaultdict(list)  # term -> [(doc index, tf)] in document order
        lengths = []
        for i, (_, toks) in enumerate(docs):
            counts = Counter(term(w) for w in toks)
            lengths.append(len(toks))
            for t, tf in counts.items():
                self.postings[t].append((i, tf))
        self.n = len(docs)
        avg = sum(lengths) / self.n
        self.norm = [K1 * (1 - B + B * dl / avg) for dl in lengths]

    def search(self, query, limit=10):
        scores = defaultdict(float)
        for t in dict.fromkeys(self.term(w) for w in tokens(query)):
            plist = self.postings.get(t)
            if not plist:
                continue
            df = len(plist)
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            for i, tf in plist:
                scores[i] += idf * tf * (K1 + 1) / (tf + self.norm[i])
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [self.ids[i] for i, _ in best]


SEARCH_ARGS = []   # extra `fihris search` arguments (--search-args)


def run_fihris(binary, corpus_dir, queries):
    errors = []
    with tempfile.TemporaryDirectory(prefix="fihris-relevance-") as tmp:
        index = os.path.join(tmp, "index")
        subprocess.run([binary, "index", corpus_dir, "--index", index,
                        "--schema", os.path.join(ROOT, "corpus", "schema.json")],
                       check=True, stdout=subprocess.DEVNULL)
        stdin = "".join(json.dumps({"id": q["id"], "q": q["q"], "limit": 10}, ensure_ascii=False) + "\n"
                        for q in queries)
        out = subprocess.run([binary, "search", "--index", index, "--batch"] + SEARCH_ARGS, input=stdin,
                             capture_output=True, text=True, check=True).stdout
    results = {}
    for line in out.splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if "error" in r:
            errors.append((r.get("id"), r["error"]))
            results[r.get("id")] = []
        else:
            results[r["id"]] = [h["id"] for h in r["hits"]]
    missing = [q["id"] for q in queries if q["id"] not in results]
    errors += [(m, "no output line") for m in missing]
    return results, errors


def metrics(queries, results):
    rr = s1 = s10 = 0.0
    ranks = {}
    for q in queries:
        hits = results.get(q["id"], [])[:10]
        rank = hits.index(q["target"]) + 1 if q["target"] in hits else None
        ranks[q["id"]] = rank
        if rank:
            rr += 1 / rank
            s10 += 1
            s1 += rank == 1
    n = len(queries)
    return {"mrr10": rr / n, "s1": s1 / n, "s10": s10 / n, "queries": n}, ranks


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--search-args", default="", help="extra fihris search arguments, e.g. '--root-expansion 0.3'")
    parser.add_argument("--queries", default=os.path.join(HERE, "queries.jsonl"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "data", "hadith-full"))
    parser.add_argument("--fihris", default=os.path.join(ROOT, ".build", "release", "fihris"))
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma list of " + ", ".join(ENGINES))
    parser.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    args = parser.parse_args()
    SEARCH_ARGS.extend(args.search_args.split())
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ENGINES:
            raise SystemExit(f"unknown engine {e!r} (known: {', '.join(ENGINES)})")
    with open(args.queries, encoding="utf-8") as f:
        queries = [json.loads(line) for line in f if line.strip()]

    docs = None
    report, all_ranks, notes = {}, {}, []
    for engine in engines:
        start = time.time()
        if engine == "fihris":
            if not os.access(args.fihris, os.X_OK):
                raise SystemExit(f"{args.fihris} is not executable (swift build -c release)")
            results, errors = run_fihris(args.fihris, args.corpus, queries)
            for qid, err in errors:
                notes.append(f"fihris error on {qid}: {err}")
        else:
            if docs is None:
                docs = load_corpus(args.corpus)
            index = BM25(docs, analyzer(engine))
            results = {q["id"]: index.search(q["q"]) for q in queries}
        report[engine], all_ranks[engine] = metrics(queries, results)
        report[engine]["seconds"] = round(time.time() - start, 1)

    all_fail = [q["id"] for q in queries if all(all_ranks[e][q["id"]] is None for e in engines)]
    if args.json:
        print(json.dumps({"engines": report, "all_fail": all_fail, "notes": notes}, indent=2))
        return
    print("| engine | MRR@10 | S@1 | S@10 | queries |")
    print("|---|---|---|---|---|")
    for engine in engines:
        r = report[engine]
        print(f"| {engine} | {r['mrr10']:.3f} | {r['s1']:.3f} | {r['s10']:.3f} | {r['queries']} |")
    print(f"\nQueries every engine misses (target not in top 10): {len(all_fail)}"
          + (f" ({', '.join(all_fail[:10])}{', ...' if len(all_fail) > 10 else ''})" if all_fail else ""))
    print("Seconds per engine: " + ", ".join(f"{e} {report[e]['seconds']}" for e in engines))
    groups = sorted({q.get("replaced") for q in queries})
    print("\nMRR@10 by number of replaced words:\n")
    print("| engine | " + " | ".join(f"{g} replaced ({sum(q.get('replaced') == g for q in queries)} q.)" for g in groups) + " |")
    print("|---|" + "---|" * len(groups))
    for engine in engines:
        cells = []
        for g in groups:
            sub = [q for q in queries if q.get("replaced") == g]
            rr = sum(1 / all_ranks[engine][q["id"]] for q in sub if all_ranks[engine][q["id"]])
            cells.append(f"{rr / len(sub):.3f}")
        print(f"| {engine} | " + " | ".join(cells) + " |")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
