#!/usr/bin/env python3
"""Indexing speed and memory per format (issue 16): books made from the hadith corpus.

    python3 Benchmarks/ingest/run.py [--corpus data/hadith-full/hadith.jsonl] [--fihris .build/release/fihris]
                                     [--work /tmp/fihris-ingest] [--jsonl-gb 1.0] [--only epub,pdf,html,md,csv,jsonl]

Makes, under --work: a 100-chapter EPUB (Python's zipfile, XHTML chapters of hadith text), a
300-page Arabic PDF (LibreOffice headless from HTML with page breaks), 300 HTML pages, 300
Markdown files with front matter and sections, a CSV of every record, and a JSON-lines file of
--jsonl-gb gigabytes (the corpus repeated with distinct ids, written as it goes). Each is
indexed alone into a fresh index (`fihris index FOLDER --index ...`, release build) and the
script reports seconds, documents, MB of extracted text (the `text` field of `fihris export`)
and MB/s of it, and the command's peak RSS (wait4). `base` is the corpus itself as JSON lines
(the same text the EPUB, HTML, Markdown and CSV hold): the indexer's own speed, to compare
with. Run from the repository root.
"""
import argparse, io, json, os, resource, shutil, subprocess, sys, time, zipfile

def run(cmd, **kw):
    start = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    out, err = p.communicate()
    _, status, usage = os.wait4(p.pid, 0) if p.returncode is None else (0, 0, None)
    return p.returncode, out, err, time.time() - start

def timed(cmd):
    """Runs cmd; returns (seconds, peak RSS MB, stdout)."""
    start = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read(); err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed: {err.decode()[-2000:]}")
    return time.time() - start, usage.ru_maxrss / 1024, out.decode()

def records(path):
    return [json.loads(l) for l in open(path, encoding="utf-8")]

def make_epub(folder, docs):
    os.makedirs(folder, exist_ok=True)
    per = max(1, len(docs) // 100)
    z = zipfile.ZipFile(os.path.join(folder, "book.epub"), "w", zipfile.ZIP_DEFLATED)
    z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
    z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>')
    items, spine = [], []
    for c in range(100):
        body = "".join(f"<p>{d['text']}</p>" for d in docs[c * per:(c + 1) * per])
        z.writestr(f"OEBPS/c{c}.xhtml", f'<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ar" dir="rtl"><head><title>باب {c}</title></head><body><h1>باب {c + 1}</h1>{body}</body></html>')
        items.append(f'<item id="c{c}" href="c{c}.xhtml" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="c{c}"/>')
    z.writestr("OEBPS/content.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>صحيح</dc:title><dc:creator>البخاري</dc:creator><dc:language>ar</dc:language></metadata><manifest>'
               + "".join(items) + "</manifest><spine>" + "".join(spine) + "</spine></package>")
    z.close()

def make_pdf(folder, docs):
    os.makedirs(folder, exist_ok=True)
    out, i = ['<html><head><meta charset="utf-8"><title>صحيح البخاري</title></head><body dir="rtl">'], 0
    for p in range(300):
        paras = []
        while sum(len(x) for x in paras) < 1800:
            paras.append(docs[i % len(docs)]["text"]); i += 1
        for j, t in enumerate(paras):
            out.append('<p%s>%s</p>' % (' style="page-break-before: always"' if j == 0 and p > 0 else "", t))
    out.append("</body></html>")
    work = folder + "-work"
    os.makedirs(work, exist_ok=True)
    open(os.path.join(work, "book.html"), "w", encoding="utf-8").write("\n".join(out))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to",
                    "pdf:writer_web_pdf_Export", "--outdir", folder, os.path.join(work, "book.html")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(work)

def make_html(folder, docs):
    os.makedirs(folder, exist_ok=True)
    per = max(1, len(docs) // 300)
    for n in range(300):
        body = "".join(f"<p>{d['text']}</p>" for d in docs[n * per:(n + 1) * per])
        open(os.path.join(folder, f"p{n}.html"), "w", encoding="utf-8").write(
            f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>صفحة {n}</title><script>var x=1;</script></head>'
            f'<body><nav><a href="/">الرئيسية</a></nav><main><h1>صفحة {n}</h1>{body}</main><footer>حقوق</footer></body></html>')

def make_md(folder, docs):
    os.makedirs(folder, exist_ok=True)
    per = max(1, len(docs) // 300)
    for n in range(300):
        parts = [f"---\ntitle: ملف {n}\ntags: [حديث, {n % 7}]\n---\n# ملف {n}\n"]
        for k, d in enumerate(docs[n * per:(n + 1) * per]):
            parts.append(f"## باب {k}\n{d['text']}\n")
        open(os.path.join(folder, f"m{n}.md"), "w", encoding="utf-8").write("\n".join(parts))

def make_csv(folder, docs):
    import csv
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "rows.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "collection", "book", "text"])
        for d in docs: w.writerow([d["id"], d["collection"], d["book"], d["text"]])

def make_jsonl(folder, docs, gigabytes):
    os.makedirs(folder, exist_ok=True)
    target, written, copy = gigabytes * 1e9, 0, 0
    with open(os.path.join(folder, "big.jsonl"), "w", encoding="utf-8") as f:
        while written < target:
            for d in docs:
                line = json.dumps({**d, "id": f"{d['id']}#{copy}"}, ensure_ascii=False) + "\n"
                f.write(line); written += len(line.encode())
                if written >= target: break
            copy += 1

def text_megabytes(fihris, index):
    total = 0
    p = subprocess.Popen([fihris, "export", "--index", index], stdout=subprocess.PIPE)
    for line in p.stdout:
        t = json.loads(line).get("text", "")
        total += len((t if isinstance(t, str) else " ".join(t)).encode())
    p.wait()
    return total / 1e6

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="data/hadith-full/hadith.jsonl")
    ap.add_argument("--fihris", default=".build/release/fihris")
    ap.add_argument("--work", default="/tmp/fihris-ingest")
    ap.add_argument("--jsonl-gb", type=float, default=1.0)
    ap.add_argument("--only", default="base,epub,pdf,html,md,csv,jsonl")
    a = ap.parse_args()
    corpus = a.corpus if os.path.exists(a.corpus) else "corpus/hadith-sample.jsonl"
    docs = records(corpus)
    def make_base(folder, docs):
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "hadith.jsonl"), "w", encoding="utf-8") as f:
            for d in docs: f.write(json.dumps(d, ensure_ascii=False) + "\n")
    makers = {"base": make_base, "epub": make_epub, "pdf": make_pdf, "html": make_html, "md": make_md, "csv": make_csv,
              "jsonl": lambda f, d: make_jsonl(f, d, a.jsonl_gb)}
    print(f"corpus {corpus} ({len(docs)} records); fihris {a.fihris}")
    print(f"{'format':6} {'input MB':>9} {'docs':>8} {'text MB':>8} {'seconds':>8} {'text MB/s':>9} {'peak RSS MB':>11}")
    for kind in a.only.split(","):
        folder = os.path.join(a.work, kind)
        if not os.path.exists(folder): makers[kind](folder, docs)
        size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(folder) for f in fs) / 1e6
        index = os.path.join(a.work, kind + ".idx")
        shutil.rmtree(index, ignore_errors=True)
        seconds, rss, out = timed([a.fihris, "index", folder, "--index", index])
        count = int(out.split("indexed ")[1].split(" ")[0])
        mb = text_megabytes(a.fihris, index) if kind not in ("jsonl", "base") else size
        print(f"{kind:6} {size:9.1f} {count:8d} {mb:8.1f} {seconds:8.2f} {mb / seconds:9.1f} {rss:11.0f}", flush=True)

if __name__ == "__main__":
    main()
