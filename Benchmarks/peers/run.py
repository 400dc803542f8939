#!/usr/bin/env python3
"""Fihris and its peers, side by side, in one run on this machine.

    python3 Benchmarks/peers/run.py [--corpus data/hadith-full] [--runs 3] [--engines fihris,tantivy,sqlite,xapian]

Builds the same corpus (JSON lines: id, collection, book, text) into each engine, runs the
same query set (Benchmarks/queries/hadith.jsonl: term, or, and, phrase, filter, prefix),
warm, top 10, each query timed in-process around parse + search, and prints one table:
index time, index size (without stored document text; and the whole index against tantivy
storing the same text), p50 and p99 per class, peak memory while indexing and searching
(a process's peak RSS where the engine runs as one — Fihris, Lucene, Xapian — and the
growth of the harness's RSS where it runs inside it — tantivy, SQLite), and the
ratio Fihris / peer. It installs what it needs (pip tantivy; apt python3-xapian) and says
so when a peer cannot be set up.

- fihris:  the release CLI (`swift build -c release`): `fihris index` with corpus/schema.json,
           size from `fihris stats` minus the stored documents; latency from `search --batch`.
- tantivy: pip `tantivy` (tantivy-py); text field with the `ar_stem` tokenizer (Snowball
           Arabic), positions kept, not stored; collection as a raw field; id stored.
- sqlite:  FTS5 (Python's sqlite3), unicode61 tokenizer, contentless (text not stored).
- xapian:  Debian python3-xapian, Snowball Arabic stemmer, positions kept; collection as a
           boolean filter term.
- lucene:  Lucene 9 from the Anserini fat jar inside the pip wheel pyserini==0.21.0
           (downloaded with `pip download --no-deps`, not installed), Java 17;
           ArabicAnalyzer (Lucene's normalizer + light10 stemmer), classic QueryParser;
           LuceneBench.java beside this script (compiled on the fly).
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, threading, time

MARKS = re.compile("[\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200C-\u200F\u202A-\u202E\u2066-\u2069]")


def prefold(text):
    """Fihris's basic Arabic folding, for peers that cannot do it (--prefold)."""
    text = MARKS.sub("", text)
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه")):
        text = text.replace(a, b)
    return text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLASSES = ["term", "or", "and", "phrase", "filter", "prefix"]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else None


def dir_size(path):
    total = 0
    for base, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(base, f))
    return total


fold = lambda text: text


def run_measured(cmd, input_text=None):
    """Runs `cmd` (stdin from `input_text`), returns (stdout, peak RSS in bytes) from wait4:
    the process's own peak, for engines that run as a process of their own."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as inp:
        if input_text is not None:
            inp.write(input_text.encode("utf-8"))
            inp.seek(0)
        process = subprocess.Popen(cmd, stdin=inp, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise RuntimeError(f"{cmd[0]} {cmd[1]} failed with {process.returncode}")
        out.seek(0)
        return out.read().decode("utf-8"), usage.ru_maxrss * 1024


class RSSGrowth:
    """Peak growth of this process's resident memory while the block runs (sampled every
    10 ms from /proc/self/status), for engines that run inside the harness: their memory
    beside the corpus the harness already holds."""

    @staticmethod
    def current():
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def __enter__(self):
        self.start = self.peak = self.current()
        self.running = True
        def sample():
            while self.running:
                self.peak = max(self.peak, self.current())
                time.sleep(0.01)
        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.current())
        self.growth = self.peak - self.start


def load_corpus(folder):
    docs = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".jsonl"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                docs += [json.loads(l) for l in f if l.strip()]
    return docs


def strip_query(q):
    """The generated query words, without the syntax, for engines that need their own."""
    return q


# --- engines: each returns {"index_seconds", "index_bytes", "latency": {class: [µs]}, "errors"} ---

def run_fihris(args, docs, queries, work):
    fihris = os.path.join(ROOT, ".build/release/fihris")
    if not os.access(fihris, os.X_OK):
        subprocess.run(["swift", "build", "-c", "release", "--product", "fihris"], cwd=ROOT, check=True)
    index = os.path.join(work, "fihris")
    shutil.rmtree(index, ignore_errors=True)
    start = time.perf_counter()
    _, index_rss = run_measured([fihris, "index", args.corpus, "--index", index, "--schema", os.path.join(ROOT, "corpus/schema.json")])
    seconds = time.perf_counter() - start
    if args.optimize:
        subprocess.run([fihris, "optimize", "--index", index], check=True, capture_output=True)
    stats = json.loads(subprocess.run([fihris, "stats", "--index", index, "--json"], check=True, capture_output=True, text=True).stdout)
    size = sum(db["bytes"] for db in stats["databases"] if db["name"] != "docs")
    # What the peers do not index at all (the issue lets it be a line of its own): the
    # vocalized stems and roots, their keys and values in postings + positions.
    extra = sum(k["postingBytes"] + k["positionBytes"] for k in stats.get("termKinds", []) if k["kind"] in ("vocalized", "root"))
    # The whole index, stored (compressed) documents included: the databases' pages, and the file.
    stored = sum(db["bytes"] for db in stats["databases"])
    batch = "".join(json.dumps({"id": str(i), "q": q["q"], "limit": 10}, ensure_ascii=False) + "\n"
                    for _ in range(args.runs + 1) for i, q in enumerate(queries))
    out, search_rss = run_measured([fihris, "search", "--index", index, "--batch"], batch)
    latency, errors, hits = {c: [] for c in CLASSES}, 0, {c: 0 for c in CLASSES}
    for n, line in enumerate(out.splitlines()):
        r = json.loads(line)
        if "error" in r:
            errors += n < len(queries)
            continue
        if n >= len(queries):
            latency[queries[int(r["id"])]["class"]].append(r["micros"])
        else:
            hits[queries[int(r["id"])]["class"]] += len(r["hits"])
    return {"index_seconds": seconds, "index_bytes": size, "extra_bytes": extra, "stored_bytes": stored,
            "file_bytes": stats["fileBytes"], "latency": latency, "errors": errors, "hits": hits,
            "rss": {"index": index_rss, "search": search_rss, "how": "peak RSS of `fihris index` / `fihris search --batch` (wait4)"}}


def timed_queries(queries, runs, search):
    """search(q) returns the hits' ids; timed around it. Also counts hits returned."""
    latency, errors, hits = {c: [] for c in CLASSES}, 0, {c: 0 for c in CLASSES}
    for run in range(runs + 1):
        for q in queries:
            start = time.perf_counter()
            try:
                ids = search(q)
            except Exception:
                errors += run == 0
                continue
            micros = (time.perf_counter() - start) * 1e6
            if run > 0:
                latency[q["class"]].append(micros)
            else:
                hits[q["class"]] += len(ids)
    return latency, errors, hits


def run_tantivy(args, docs, queries, work):
    try:
        import tantivy
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "tantivy"], check=True)
        import tantivy

    def build(path, stored):
        """The corpus indexed at `path`: text stemmed with positions, collection raw, the id
        stored (`stored`: the text and collection too)."""
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("collection", stored=stored, tokenizer_name="raw")
        sb.add_text_field("text", stored=stored, tokenizer_name="ar_stem", index_option="position")
        index = tantivy.Index(sb.build(), path=path)
        writer = index.writer(heap_size=256_000_000, num_threads=1)
        for d in docs:
            writer.add_document(tantivy.Document(id=d["id"], collection=d["collection"], text=fold(d["text"])))
        writer.commit()
        writer.wait_merging_threads()
        return index

    path = os.path.join(work, "tantivy")
    shutil.rmtree(path, ignore_errors=True)   # (not timed)
    start = time.perf_counter()
    with RSSGrowth() as indexing:
        index = build(path, stored=False)
    seconds = time.perf_counter() - start
    index.reload()
    searcher = index.searcher()

    def search(q):
        query = index.parse_query(fold(q["q"]), ["text"])
        return [searcher.doc(address)["id"][0] for _, address in searcher.search(query, 10).hits]

    with RSSGrowth() as searching:
        latency, errors, hits = timed_queries(queries, args.runs, search)
    # The same index storing the text too (its doc store is compressed), for the whole-index
    # comparison: size only.
    stored_path = path + "-stored"
    build(stored_path, stored=True)
    return {"index_seconds": seconds, "index_bytes": dir_size(path), "stored_bytes": dir_size(stored_path),
            "latency": latency, "errors": errors, "hits": hits,
            "rss": {"index": indexing.growth, "search": searching.growth, "how": "growth of the harness's RSS while indexing / searching in it"}}


def sqlite_query(q):
    text, cls = q["q"], q["class"]
    if cls == "or":
        return " OR ".join(text.split())
    if cls == "and":
        return " AND ".join(w.lstrip("+") for w in text.split())
    if cls == "filter":
        inner, coll = text.split(") +collection:")
        return "(" + " OR ".join(inner.lstrip("+(").split()) + ") AND collection:" + coll
    return text  # term, phrase (quoted), prefix (w*)


def run_sqlite(args, docs, queries, work):
    import sqlite3
    path = os.path.join(work, "fts5.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, collection, content='', tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT)")
    start = time.perf_counter()
    with RSSGrowth() as indexing:
        with db:
            for i, d in enumerate(docs, 1):
                db.execute("INSERT INTO t(rowid, text, collection) VALUES (?, ?, ?)", (i, fold(d["text"]), d["collection"]))
                db.execute("INSERT INTO ids VALUES (?, ?)", (i, d["id"]))
        db.execute("INSERT INTO t(t) VALUES('optimize')")
        db.commit()
    seconds = time.perf_counter() - start
    size = os.path.getsize(path)

    def search(q):
        rows = db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT 10", (fold(sqlite_query(q)),)).fetchall()
        return [db.execute("SELECT id FROM ids WHERE rowid = ?", r).fetchone()[0] for r in rows]

    with RSSGrowth() as searching:
        latency, errors, hits = timed_queries(queries, args.runs, search)
    return {"index_seconds": seconds, "index_bytes": size, "latency": latency, "errors": errors, "hits": hits,
            "rss": {"index": indexing.growth, "search": searching.growth, "how": "growth of the harness's RSS while indexing / searching in it"}}


XAPIAN_WORKER = r'''
import json, os, shutil, sys, time
import xapian
args = json.loads(sys.argv[1])
import re
MARKS = re.compile("[\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200C-\u200F\u202A-\u202E\u2066-\u2069]")
def fold(text):
    if not args["prefold"]:
        return text
    text = MARKS.sub("", text)
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه")):
        text = text.replace(a, b)
    return text
docs = [json.loads(l) for l in open(args["corpus_file"], encoding="utf-8")]
queries = [json.loads(l) for l in open(args["queries"], encoding="utf-8")]
path = args["path"]
shutil.rmtree(path, ignore_errors=True)
db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
stemmer = xapian.Stem("arabic")
tg = xapian.TermGenerator()
tg.set_stemmer(stemmer)
start = time.perf_counter()
for d in docs:
    doc = xapian.Document()
    tg.set_document(doc)
    tg.index_text(fold(d["text"]))
    doc.add_boolean_term("XC" + d["collection"])
    doc.set_data(d["id"])
    db.add_document(doc)
db.commit()
seconds = time.perf_counter() - start
db.close()
db = xapian.Database(path)
qp = xapian.QueryParser()
qp.set_database(db)
qp.set_stemmer(stemmer)
qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
qp.add_boolean_prefix("collection", "XC")
flags = xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_BOOLEAN | xapian.QueryParser.FLAG_LOVEHATE | xapian.QueryParser.FLAG_WILDCARD
enquire = xapian.Enquire(db)
classes = ["term", "or", "and", "phrase", "filter", "prefix"]
latency, errors, hits = {c: [] for c in classes}, 0, {c: 0 for c in classes}
for run in range(args["runs"] + 1):
    for q in queries:
        text = q["q"].replace("+(", "(").replace(") +collection:", ") collection:") if q["class"] == "filter" else q["q"]
        t0 = time.perf_counter()
        try:
            enquire.set_query(qp.parse_query(fold(text), flags))
            ids = [m.document.get_data() for m in enquire.get_mset(0, 10)]
        except Exception:
            errors += run == 0
            continue
        if run > 0:
            latency[q["class"]].append((time.perf_counter() - t0) * 1e6)
        else:
            hits[q["class"]] += len(ids)
size = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
print(json.dumps({"index_seconds": seconds, "index_bytes": size, "latency": latency, "errors": errors, "hits": hits}))
'''


def run_xapian(args, docs, queries, work):
    python = "/usr/bin/python3"
    check = subprocess.run([python, "-c", "import xapian"], capture_output=True)
    if check.returncode != 0:
        install = subprocess.run(["apt-get", "install", "-y", "-qq", "python3-xapian"], capture_output=True, text=True)
        if install.returncode != 0:
            raise RuntimeError("python3-xapian could not be installed: " + install.stderr.strip()[-200:])
    corpus_file = os.path.join(work, "corpus.jsonl")
    with open(corpus_file, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    out, rss = run_measured([python, "-c", XAPIAN_WORKER, json.dumps({"corpus_file": corpus_file, "queries": args.queries,
                             "path": os.path.join(work, "xapian"), "runs": args.runs, "prefold": args.prefold})])
    result = json.loads(out)
    result["rss"] = {"index": rss, "search": None, "how": "peak RSS of the Xapian worker process, indexing and searching, corpus included (wait4)"}
    return result


def run_lucene(args, docs, queries, work):
    jar_dir = os.path.join(work, "pyserini")
    jar = os.path.join(jar_dir, "pyserini/resources/jars/anserini-0.21.0-fatjar.jar")
    if not os.path.exists(jar):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", jar_dir, "pyserini==0.21.0"], check=True)
        wheel = [f for f in os.listdir(jar_dir) if f.endswith(".whl")][0]
        subprocess.run(["unzip", "-o", "-q", os.path.join(jar_dir, wheel), "pyserini/resources/jars/*", "-d", jar_dir], check=True)
    if shutil.which("javac") is None:
        raise RuntimeError("javac (Java 17) is not installed")
    classes = os.path.join(work, "lucene-classes")
    os.makedirs(classes, exist_ok=True)
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "LuceneBench.java")
    compiled = subprocess.run(["javac", "-cp", jar, "-d", classes, source], capture_output=True, text=True)
    if compiled.returncode != 0:
        raise RuntimeError("LuceneBench.java does not compile: " + compiled.stderr[-400:])
    corpus_file = os.path.join(work, "corpus.jsonl")
    with open(corpus_file, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(dict(d, text=fold(d["text"])), ensure_ascii=False) + "\n")
    index = os.path.join(work, "lucene")
    shutil.rmtree(index, ignore_errors=True)
    out, rss = run_measured(["java", "-Xmx4g", "-cp", jar + ":" + classes, "LuceneBench", corpus_file, args.queries, index, str(args.runs)])
    result = json.loads(out.strip().splitlines()[-1])
    result["rss"] = {"index": rss, "search": None, "how": "peak RSS of the JVM (-Xmx4g), indexing and searching in one process (wait4)"}
    return result


ENGINES = {"lucene": run_lucene, "fihris": run_fihris, "tantivy": run_tantivy, "sqlite": run_sqlite, "xapian": run_xapian}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=os.path.join(ROOT, "data/hadith-full"))
    parser.add_argument("--queries", default=os.path.join(ROOT, "Benchmarks/queries/hadith.jsonl"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="fihris,tantivy,lucene,sqlite,xapian")
    parser.add_argument("--work", default="/tmp/fihris-peers")
    parser.add_argument("--optimize", action="store_true", help="fihris optimize after indexing")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--prefold", action="store_true",
                        help="feed the peers text and queries with Arabic diacritics removed and letters folded")
    args = parser.parse_args()
    global fold
    fold = prefold if args.prefold else (lambda text: text)
    os.makedirs(args.work, exist_ok=True)
    docs = load_corpus(args.corpus)
    queries = [json.loads(l) for l in open(args.queries, encoding="utf-8")]
    results = {}
    for name in args.engines.split(","):
        print(f"== {name}", file=sys.stderr)
        try:
            results[name] = ENGINES[name](args, docs, queries, args.work)
        except Exception as error:
            print(f"{name} could not be set up or run: {error}", file=sys.stderr)
    if args.json:
        print(json.dumps(results))
        return
    print(f"{len(docs)} documents, {len(queries)} queries × {args.runs} runs, top 10, latency µs (p50 / p99)"
          f"{'; peers given pre-folded text' if args.prefold else '; raw text'}\n")
    header = "| engine | index s | index MB | " + " | ".join(f"{c} p50 | {c} p99" for c in CLASSES) + " |"
    print(header)
    print("|" + "---|" * (3 + 2 * len(CLASSES)))
    for name, r in results.items():
        cells = [name, f"{r['index_seconds']:.1f}", f"{r['index_bytes'] / 1e6:.1f}"]
        for c in CLASSES:
            v = r["latency"].get(c) or []
            cells += [f"{percentile(v, 50):.0f}" if v else "–", f"{percentile(v, 99):.0f}" if v else "–"]
        print("| " + " | ".join(cells) + " |" + (f" ({r['errors']} queries failed)" if r["errors"] else ""))
    if results.get("fihris", {}).get("extra_bytes"):
        f = results["fihris"]
        print(f"\nFihris index without stored text: {f['index_bytes'] / 1e6:.1f} MB, of which vocalized stems and roots "
              f"(which no peer indexes) {f['extra_bytes'] / 1e6:.1f} MB; without them {(f['index_bytes'] - f['extra_bytes']) / 1e6:.1f} MB "
              "(the 'index size (core)' ratio below)")
    if "fihris" in results and results.get("tantivy", {}).get("stored_bytes"):
        f, t = results["fihris"], results["tantivy"]
        print(f"\nWith stored text: Fihris {f['stored_bytes'] / 1e6:.1f} MB of databases ({f['file_bytes'] / 1e6:.1f} MB file), "
              f"tantivy storing the same text {t['stored_bytes'] / 1e6:.1f} MB: ratio {f['stored_bytes'] / t['stored_bytes']:.2f} "
              f"({f['file_bytes'] / t['stored_bytes']:.2f} by file)")
    print("\nPeak memory, MB (how each was measured: the last column)\n")
    print("| engine | indexing | searching | measured as |")
    print("|---|---|---|---|")
    for name, r in results.items():
        m = r.get("rss") or {}
        mb = lambda v: f"{v / 1e6:.0f}" if v is not None else "(with indexing)"
        if m:
            print(f"| {name} | {mb(m.get('index'))} | {mb(m.get('search'))} | {m.get('how', '')} |")
    print("\nHits returned (of at most 10 per query), summed per class\n")
    print("| engine | " + " | ".join(CLASSES) + " |")
    print("|" + "---|" * (1 + len(CLASSES)))
    for name, r in results.items():
        print("| " + name + " | " + " | ".join(str(r.get("hits", {}).get(c, "–")) for c in CLASSES) + " |")
    if "fihris" in results:
        print("\nRatio Fihris / peer (below 1: Fihris faster or smaller)\n")
        print("| peer | index time | index size | index size (core) | " + " | ".join(f"{c} p50 | {c} p99" for c in CLASSES) + " |")
        print("|" + "---|" * (4 + 2 * len(CLASSES)))
        f = results["fihris"]
        for name, r in results.items():
            if name == "fihris":
                continue
            cells = [name, f"{f['index_seconds'] / r['index_seconds']:.2f}", f"{f['index_bytes'] / r['index_bytes']:.2f}",
                     f"{(f['index_bytes'] - f.get('extra_bytes', 0)) / r['index_bytes']:.2f}"]
            for c in CLASSES:
                a, b = f["latency"].get(c) or [], r["latency"].get(c) or []
                for p in (50, 99):
                    cells.append(f"{percentile(a, p) / percentile(b, p):.2f}" if a and b else "–")
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
