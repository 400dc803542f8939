import csv, json, random, re, subprocess, collections, sys
BW = {"'":"ء","|":"آ",">":"أ","&":"ؤ","<":"إ","}":"ئ","A":"ا","b":"ب","p":"ة","t":"ت","v":"ث","j":"ج","H":"ح","x":"خ","d":"د","*":"ذ","r":"ر","z":"ز","s":"س","$":"ش","S":"ص","D":"ض","T":"ط","Z":"ظ","E":"ع","g":"غ","_":"","f":"ف","q":"ق","k":"ك","l":"ل","m":"م","n":"ن","h":"ه","w":"و","Y":"ى","y":"ي","{":"ٱ"}
def bw(s): return "".join(BW.get(c,"") for c in s)
def fold(s):
    s=re.sub("[\u064B-\u065F\u0670\u0640]","",s)
    for a,b in (("أ","ا"),("إ","ا"),("آ","ا"),("ٱ","ا"),("ى","ي"),("ة","ه"),("ء","ا"),("ؤ","ا"),("ئ","ا")): s=s.replace(a,b)
    return s
lemmas={}
for path,lemcol in (("/tmp/verbpv.csv","LEMMA"),("/tmp/adj.csv","LEMMA")):
    for row in csv.DictReader(open(path,encoding="utf-8")):
        root=row.get("ROOT","")
        if not root or "." not in root: continue
        parts=root.split(".")
        if len(parts) not in (3,4) or any(len(p)!=1 for p in parts): continue
        lem=bw(row[lemcol].split("_")[0])
        lemmas.setdefault(fold(lem), set()).add(fold("".join(bw(p) for p in parts)))
# corpus vocabulary
counts=collections.Counter()
for line in open("/work/main/data/hadith-full/hadith.jsonl"):
    t=json.loads(line)["text"]
    for w in re.findall("[\u0621-\u064A\u064B-\u065F\u0670]+",t):
        counts[re.sub("[\u064B-\u065F\u0670]","",w)]+=1
words=[w for w,n in counts.items() if n>=2]
out=subprocess.run(["/work/main/.build/release/fihris","analyze","-","--json","--no-stop-words"],input="\n".join(words),capture_output=True,text=True).stdout
toks=json.loads(out)
stem_of={}
for t in toks: stem_of[t["surface"]]=t["stem"]
by_stem=collections.defaultdict(list)
for w in words:
    s=stem_of.get(w)
    if s: by_stem[fold(s)].append(w)
rng=random.Random(20261207)
cands=sorted(k for k,v in lemmas.items() if len(v)==1 and len(k)>=3 and (k in by_stem))
rng.shuffle(cands)
rows=[]
for k in cands:
    root=next(iter(lemmas[k]))
    forms=sorted(by_stem[k])
    w=rng.choice(forms)
    rows.append((w,root,"camel-lemma"))
    if len(rows)>=320: break
for w,r,src in rows: print(f"{w}\t{r}\t{src}")
