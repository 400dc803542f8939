"""The three stemmers compared by the conflation benchmark, each with its own normalization.

- fihris:  the `fihris analyze` command (folding + Arabic light stemmer), stop words kept.
- light10: Lucene's ArabicNormalizer + ArabicStemmer rules (light10), re-implemented here
           from their documented behaviour: one prefix from ال وال بال كال فال لل و (و only
           when the word has 4+ letters, others leave 2+), then each suffix of
           ها ان ات ون ين يه ية ه ة ي in turn when 2+ letters remain.
- snowball: Snowball Arabic through PyStemmer (what tantivy and Xapian use).
- isri:    the ISRI root stemmer of NLTK (pip install nltk).
"""
import json
import os
import re
import subprocess

HARAKAT = re.compile("[\u064B-\u0652\u0640]")  # Lucene's normalizer: tanween..sukun, tatweel


def light10_normalize(word):
    word = HARAKAT.sub("", word)
    word = re.sub("[\u0622\u0623\u0625]", "\u0627", word)  # alef madda / hamza above / below
    return word.replace("\u0649", "\u064A").replace("\u0629", "\u0647")


PREFIXES = ["ال", "وال", "بال", "كال", "فال", "لل", "و"]
SUFFIXES = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"]


def light10(word):
    s = light10_normalize(word)
    for prefix in PREFIXES:
        if len(prefix) == 1 and len(s) < 4:
            continue
        if len(s) < len(prefix) + 2:
            continue
        if s.startswith(prefix):
            s = s[len(prefix):]
            break
    for suffix in SUFFIXES:
        if len(s) >= len(suffix) + 2 and s.endswith(suffix):
            s = s[: -len(suffix)]
    return s


_snowball = None


def snowball(word):
    global _snowball
    if _snowball is None:
        import Stemmer  # pip install PyStemmer
        _snowball = Stemmer.Stemmer("arabic")
    return _snowball.stemWord(word)


def fihris_binary():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for candidate in [os.environ.get("FIHRIS"), root + "/.build/release/fihris", root + "/.build/debug/fihris"]:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit("fihris is not built: run `swift build -c release` at the repository root")


def fihris_many(words):
    """Stems of many words in one call (one word a line)."""
    out = subprocess.run([fihris_binary(), "analyze", "-", "--json", "--no-stop-words"],
                         input="\n".join(words), capture_output=True, text=True, check=True).stdout
    tokens = json.loads(out)
    if len(tokens) != len(words):
        raise SystemExit(f"fihris analyze returned {len(tokens)} tokens for {len(words)} words")
    return [t["stem"] for t in tokens]


_isri = None


def isri(word):
    """ISRI (Taghva et al. 2005), the root-based stemmer of NLTK (pip install nltk)."""
    global _isri
    if _isri is None:
        from nltk.stem.isri import ISRIStemmer
        _isri = ISRIStemmer()
    return _isri.stem(word)


STEMMERS = {"fihris": None, "light10": light10, "snowball": snowball, "isri": isri}


def stem_all(name, words):
    if name == "fihris":
        return dict(zip(words, fihris_many(words)))
    return {w: STEMMERS[name](w) for w in words}
