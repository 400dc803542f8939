import json, re, random, collections
counts=collections.Counter()
for line in open("data/hadith-full/hadith.jsonl"):
    t=json.loads(line)["text"]
    for w in re.findall("[\u0621-\u064A\u064B-\u065F\u0670]+",t):
        counts[re.sub("[\u064B-\u065F\u0670]","",w)]+=1
old={l.split("\t")[0] for l in open("Benchmarks/roots/roots.tsv") if not l.startswith("#")}
words=sorted(w for w,n in counts.items() if n>=3 and len(w)>=3 and w not in old)
rng=random.Random(20261201)
rng.shuffle(words)
for w in words[:380]: print(w)
