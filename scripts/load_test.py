#!/usr/bin/env python3
"""Load test: N reader processes search in a loop beside one writer (index --rebuild,
delete, optimize, in turn) for a given time; every reader call must succeed, and the index
must pass `fihris check` at the end. The short version is
Tests/CLITests/ProcessTests.swift (readersBesideAWriterSeeNoErrors).

    swift build -c release
    python3 scripts/load_test.py [--readers 4] [--seconds 60] [--corpus corpus]
"""
import argparse, os, shutil, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUERIES = ["حدثنا", '"عن ابن"', "الصلاة +collection:bukhari", "صلا*", ">>كتب", "book:[1 TO 3]"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpus"))
    ap.add_argument("--fihris", default=os.path.join(ROOT, ".build/release/fihris"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="fihris-load-")
    index = os.path.join(work, "idx")
    try:
        subprocess.run([args.fihris, "index", args.corpus, "--index", index], check=True, capture_output=True)
        end = time.time() + args.seconds
        errors, counts = [], [0] * args.readers

        def reader(k):
            i = 0
            while time.time() < end:
                q = QUERIES[(i + k) % len(QUERIES)]
                r = subprocess.run([args.fihris, "search", q, "--index", index, "--limit", "5"], capture_output=True)
                if r.returncode != 0:
                    errors.append(f"reader {k}: {q}: {r.stderr.decode()[-300:]}")
                counts[k] += 1
                i += 1

        threads = [threading.Thread(target=reader, args=(k,)) for k in range(args.readers)]
        for t in threads:
            t.start()
        writes = 0
        while time.time() < end:
            for cmd in (["index", args.corpus, "--index", index, "--rebuild", "--batch-documents", "200"],
                        ["delete", "--index", index, "--query", "book:1"],
                        ["optimize", "--index", index]):
                r = subprocess.run([args.fihris] + cmd, capture_output=True)
                if r.returncode != 0:
                    errors.append(f"writer: {' '.join(cmd[:1])}: {r.stderr.decode()[-300:]}")
                writes += 1
        for t in threads:
            t.join()
        check = subprocess.run([args.fihris, "check", "--index", index], capture_output=True)
        print(f"{args.readers} readers, {sum(counts)} searches ({', '.join(map(str, counts))}); {writes} writer commands "
              f"in {args.seconds:.0f} s; errors: {len(errors)}; check: {'ok' if check.returncode == 0 else 'FAILED'}")
        for e in errors[:10]:
            print("  ", e)
        return 0 if not errors and check.returncode == 0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
