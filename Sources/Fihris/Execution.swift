import Foundation
import LMDBStore
import PostingsCodec
import QueryLanguage

/// How to run a search.
///
///     var options = SearchOptions(limit: 20)
///     options.filters = ["collection:bukhari", "book:[1 TO 10]"]
///     options.facets = ["collection"]
///     options.snippets = true
///     let results = try index.read { try $0.search("الصيام رمضان", options: options) }
public struct SearchOptions: Sendable {
    /// Hits to return (after `offset`). A limit as large as the index returns every match.
    public var limit: Int = 10
    /// Hits to skip (paging).
    public var offset: Int = 0
    /// The operator between adjacent clauses of a query string (nil: the schema's, else OR).
    public var defaultOperator: QueryParser.DefaultOperator?
    /// Queries every hit must also match; they do not change scores.
    public var filters: [String] = []
    /// Keyword fields to count values of, over all matches.
    public var facets: [String] = []
    /// Count every match (`.exact`) instead of a lower bound (`.atLeast`) when pruning.
    public var exactTotal: Bool = false
    /// Compute each hit's best passage with the matched words marked.
    public var snippets: Bool = false
    /// Break each hit's score down per term.
    public var explain: Bool = false
    /// Return hits' stored fields (with false, `Hit.document` holds the id only: cheaper
    /// when only ids and scores are wanted).
    public var storedFields: Bool = true
    /// BM25 parameters (nil: the schema's, else Lucene's 1.2 / 0.75).
    public var bm25: BM25?
    /// Statistics of the whole collection when this index is one shard of it (see
    /// `CollectionStatistics`); nil: this index's own.
    public var statistics: CollectionStatistics?

    public init(limit: Int = 10) { self.limit = limit }
}

/// The best passage of a text field, with the matched words' byte ranges in `text`.
public struct Snippet: Sendable, Equatable {
    public let field: String
    public let text: String
    /// UTF-8 byte ranges of whole matched words in `text`.
    public let highlights: [Range<Int>]
}

/// One value of a keyword field and how many matching documents have it.
public struct FacetCount: Sendable, Equatable {
    public let value: String
    public let count: Int
}

/// A query's stem and exact forms per field, and prefixes, for snippets.
struct MatchTerms {
    var stems: [Int: Set<[UInt8]>] = [:]
    var exacts: [Int: Set<[UInt8]>] = [:]
    var prefixes: [Int: [[UInt8]]] = [:]

    mutating func collect(_ query: BoundQuery) {
        switch query {
        case .word(let field, let stem, let exact):
            stems[field, default: []].insert(stem)
            exacts[field, default: []].insert(exact)
        case .phrase(let field, let terms, _, _):
            for t in terms { exacts[field, default: []].insert(t) }
        case .prefix(let field, let prefix):
            prefixes[field, default: []].append(prefix)
        case .boolean(let must, let should, _):
            for q in must + should { collect(q) }
        default:
            break
        }
    }
}

/// Builds iterator trees for one snapshot and collects results.
struct QueryExecutor {
    let snapshot: IndexSnapshot
    let bm25: BM25
    var statistics: CollectionStatistics? = nil

    func scoring(_ field: Int) throws -> FieldScoring {
        var stats = try snapshot.fieldStatistics(field)
        if let global = statistics?.fields[snapshot.schema.fields[field].name] {
            stats.documents = global.documents
            stats.tokens = global.tokens
        }
        let average = stats.documents > 0 ? Float(Double(stats.tokens) / Double(stats.documents)) : 1
        return FieldScoring(k1: bm25.k1, b: bm25.b, averageLength: average)
    }

    func postings(_ field: Int, _ kind: IndexLayout.TermKind, _ term: [UInt8]) throws -> PostingIterator? {
        var chunks: [PostingChunk] = []
        var positions: [UnsafeRawBufferPointer?] = []
        try snapshot.forEachChunk(field: field, kind: kind, term: term) { key, chunk in
            chunks.append(chunk)
            positions.append(kind == .exact ? try snapshot.txn.get(snapshot.layout.positions, key) : nil)
        }
        return chunks.isEmpty ? nil : PostingIterator(chunks: chunks, positions: positions)
    }

    func idf(_ df: Int) -> Float {
        let n = max(statistics?.documents ?? snapshot.liveDocuments, 1)
        return BM25.idf(documentFrequency: min(df, n), documentCount: n)
    }

    /// The document frequency to score with: the collection's when given, else this index's.
    func frequency(_ field: Int, _ kind: IndexLayout.TermKind, _ term: [UInt8], local: Int) -> Int {
        guard let statistics else { return local }
        let key = CollectionStatistics.Term(field: snapshot.schema.fields[field].name, isStem: kind == .stem,
                                            text: String(decoding: term, as: UTF8.self))
        return statistics.documentFrequencies[key] ?? local
    }

    func label(_ field: Int, _ kind: String, _ term: [UInt8]) -> String {
        "\(snapshot.schema.fields[field].name):\(String(decoding: term, as: UTF8.self)) (\(kind))"
    }

    /// The iterator of a bound query, or nil when it matches nothing.
    func iterator(_ query: BoundQuery) throws -> DocIterator? {
        switch query {
        case .none:
            return nil
        case .all:
            return AllDocsIterator(end: Int(snapshot.nextDocument))
        case .word(let field, let stem, let exact):
            guard let stemPostings = try postings(field, .stem, stem) else { return nil }
            let fieldScoring = try scoring(field)
            let stemScorer = TermScorer(postings: stemPostings, weight: idf(frequency(field, .stem, stem, local: stemPostings.documentFrequency)), scoring: fieldScoring,
                                        norms: NormsReader(snapshot, field: field), label: label(field, "stem", stem))
            var exactScorer: TermScorer?
            if bm25.exactMatchWeight > 0, let exactPostings = try postings(field, .exact, exact) {
                exactScorer = TermScorer(postings: exactPostings, weight: idf(frequency(field, .exact, exact, local: exactPostings.documentFrequency)) * bm25.exactMatchWeight,
                                         scoring: fieldScoring, norms: NormsReader(snapshot, field: field), label: label(field, "exact", exact))
            }
            return WordScorer(stem: stemScorer, exact: exactScorer)
        case .phrase(let field, let terms, let offsets, let slop):
            var lists: [PostingIterator] = []
            var weight: Float = 0
            for term in terms {
                guard let p = try postings(field, .exact, term) else { return nil }
                lists.append(p)
                weight += idf(frequency(field, .exact, term, local: p.documentFrequency))
            }
            let name = "\(snapshot.schema.fields[field].name):\"\(terms.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " "))\"" + (slop > 0 ? "~\(slop)" : "")
            return PhraseScorer(terms: lists, offsets: offsets, slop: slop, weight: weight, scoring: try scoring(field),
                                norms: NormsReader(snapshot, field: field), label: name)
        case .prefix(let field, let prefix):
            return try expansion(field, .exact, prefix: prefix, lower: nil, upper: nil, constant: 1,
                                 label: "\(snapshot.schema.fields[field].name):\(String(decoding: prefix, as: UTF8.self))*")
        case .keyword(let field, let value):
            guard let p = try postings(field, .keyword, value) else { return nil }
            return FilterIterator(p)
        case .keywordPrefix(let field, let prefix):
            return try expansion(field, .keyword, prefix: prefix, lower: nil, upper: nil, constant: 0, label: "")
        case .keywordRange(let field, let lower, let lowerInclusive, let upper, let upperInclusive):
            return try expansion(field, .keyword, prefix: nil, lower: lower.map { ($0, lowerInclusive) },
                                 upper: upper.map { ($0, upperInclusive) }, constant: 0, label: "")
        case .numericRange(let field, let isDouble, let lower, let lowerInclusive, let upper, let upperInclusive):
            var column = ColumnReader(snapshot, field: field)
            var docs: [UInt32] = []
            for d in 0..<snapshot.nextDocument {
                guard let raw = try column.raw(d) else { continue }
                let value = isDouble ? Double(bitPattern: raw) : Double(Int64(bitPattern: raw))
                if let lower, lowerInclusive ? value < lower : value <= lower { continue }
                if let upper, upperInclusive ? value > upper : value >= upper { continue }
                docs.append(d)
            }
            return docs.isEmpty ? nil : DocSetIterator(docs: docs, constant: 0, label: "")
        case .boolean(let must, let should, let mustNot):
            var required: [DocIterator] = []
            for q in must {
                guard let it = try iterator(q) else { return nil }
                required.append(it)
            }
            let optional = try should.compactMap { try iterator($0) }
            let excluded = try mustNot.compactMap { try iterator($0) }
            let base: DocIterator
            if required.isEmpty {
                guard !optional.isEmpty else { return nil }
                base = optional.count == 1 ? optional[0] : DisjunctionIterator(optional)
                return excluded.isEmpty ? base : BooleanIterator(required: base, optional: [], excluded: excluded)
            }
            base = required.count == 1 ? required[0] : ConjunctionIterator(required)
            if optional.isEmpty && excluded.isEmpty { return base }
            return BooleanIterator(required: base, optional: optional, excluded: excluded)
        }
    }

    /// The union of the terms of a field in a range of the term dictionary, as a document
    /// set with a constant score. At most `QueryBinder.maximumPrefixExpansions` terms.
    func expansion(_ field: Int, _ kind: IndexLayout.TermKind, prefix: [UInt8]?, lower: ([UInt8], Bool)?, upper: ([UInt8], Bool)?,
                   constant: Float, label: String, smallest: Int? = nil) throws -> DocIterator? {
        if let smallest {
            // Only the `smallest` lowest document numbers are wanted (a constant-score top k):
            // decode just the first block of each term's chunk, straight from the scan.
            var found = Set<UInt32>()
            var count = 0
            let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
            defer { docs.deallocate() }
            for segment in snapshot.segments {
                let base = IndexLayout.termKey(segment: segment.id, field: field, kind: kind, term: [])
                let start = base + (prefix ?? [])
                try snapshot.txn.forEach(in: snapshot.layout.postings, from: start, to: nil) { key, value in
                    guard key.starts(with: start) else { return false }
                    count += 1
                    if count > QueryBinder.maximumPrefixExpansions * max(1, snapshot.segments.count) {
                        throw QueryError("\(label.isEmpty ? "the prefix" : label) matches more than \(QueryBinder.maximumPrefixExpansions) words; narrow it", column: 1)
                    }
                    let chunk = try PostingChunk(value)
                    let n = try chunk.decodeBlock(0, docs: docs, freqs: nil)
                    for i in 0..<min(n, smallest) { found.insert(docs[i]) }
                    return true
                }
            }
            guard !found.isEmpty else { return nil }
            return DocSetIterator(docs: Array(found.sorted().prefix(smallest)), constant: constant, label: label)
        }
        var terms = Set<[UInt8]>()
        for segment in snapshot.segments {
            let base = IndexLayout.termKey(segment: segment.id, field: field, kind: kind, term: [])
            let start = base + (prefix ?? lower?.0 ?? [])
            try snapshot.txn.forEach(in: snapshot.layout.postings, from: start, to: nil) { key, _ in
                guard key.starts(with: base) else { return false }
                let term = Array(key[base.count...])
                if let prefix, !term.starts(with: prefix) { return false }
                if let (low, inclusive) = lower, !inclusive && term == low { return true }
                if let (high, inclusive) = upper {
                    if high.lexicographicallyPrecedes(term) { return false }
                    if !inclusive && term == high { return false }
                }
                terms.insert(term)
                if terms.count > QueryBinder.maximumPrefixExpansions {
                    throw QueryError("\(label.isEmpty ? "the range" : label) matches more than \(QueryBinder.maximumPrefixExpansions) words; narrow it", column: 1)
                }
                return true
            }
        }
        guard !terms.isEmpty else { return nil }
        var bits = [UInt64](repeating: 0, count: (Int(snapshot.nextDocument) + 63) / 64)
        for term in terms {
            guard let p = try postings(field, kind, term) else { continue }
            var d = try p.nextDoc()
            while d != noMoreDocs { bits[d >> 6] |= 1 << UInt64(d & 63); d = try p.nextDoc() }
        }
        var docs: [UInt32] = []
        for (w, word) in bits.enumerated() where word != 0 {
            var x = word
            while x != 0 { docs.append(UInt32(w * 64 + x.trailingZeroBitCount)); x &= x - 1 }
        }
        return DocSetIterator(docs: docs, constant: constant, label: label)
    }
}

/// Matches like its postings, scores nothing (keyword filters).
final class FilterIterator: DocIterator {
    let inner: DocIterator
    init(_ inner: DocIterator) { self.inner = inner }
    override var cost: Int { inner.cost }
    override func nextDoc() throws -> Int { doc = try inner.nextDoc(); return doc }
    override func advance(_ target: Int) throws -> Int { doc = try inner.advance(target); return doc }
}

/// A bounded heap of the k best (score, doc): ties go to the lower document number.
struct TopDocs {
    let k: Int
    private(set) var heap: [(score: Float, doc: UInt32)] = []
    init(k: Int) { self.k = k; heap.reserveCapacity(min(k, 1 << 16)) }

    @inline(__always) static func better(_ a: (score: Float, doc: UInt32), _ b: (score: Float, doc: UInt32)) -> Bool {
        a.score != b.score ? a.score > b.score : a.doc < b.doc
    }

    var isFull: Bool { heap.count >= k }
    /// The score a new document must beat (when full).
    var threshold: Float { isFull ? heap[0].score : -Float.infinity }

    mutating func insert(_ score: Float, _ doc: UInt32) {
        guard k > 0 else { return }
        let item = (score: score, doc: doc)
        if heap.count < k {
            heap.append(item)
            var i = heap.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                if Self.better(heap[p], heap[i]) { heap.swapAt(p, i); i = p } else { break }
            }
        } else if Self.better(item, heap[0]) {
            heap[0] = item
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count && Self.better(heap[worst], heap[l]) { worst = l }
                if r < heap.count && Self.better(heap[worst], heap[r]) { worst = r }
                if worst == i { break }
                heap.swapAt(i, worst)
                i = worst
            }
        }
    }

    func sorted() -> [(score: Float, doc: UInt32)] { heap.sorted(by: Self.better) }
}

/// Zero-score iterators every candidate must match (filters), checked lazily.
struct Filters {
    let iterators: [DocIterator]
    var isEmpty: Bool { iterators.isEmpty }

    /// The first document ≥ `candidate` that every filter accepts (`candidate` itself
    /// when they all accept it).
    @inline(__always)
    func next(_ candidate: Int) throws -> Int {
        var target = candidate
        var agreed = false
        while !agreed && target != noMoreDocs {
            agreed = true
            for f in iterators {
                let d = f.doc < target ? try f.advance(target) : f.doc
                if d > target { target = d; agreed = false }
            }
        }
        return target
    }
}

extension QueryExecutor {
    /// Every match, scored: exact total.
    func collectAll(_ root: DocIterator, k: Int, matched: ((UInt32) -> Void)?) throws -> (TopDocs, Int) {
        var top = TopDocs(k: k)
        var deleted = DeletedReader(snapshot)
        var total = 0
        var d = try root.nextDoc()
        while d != noMoreDocs {
            if try !deleted.isDeleted(UInt32(d)) {
                total += 1
                matched?(UInt32(d))
                if k > 0 { top.insert(try root.score(), UInt32(d)) }
            }
            d = try root.nextDoc()
        }
        return (top, total)
    }

    /// Top-k of one word with block-max skipping, without iterator objects: walks the
    /// stem's blocks directly, skipping a block whose bound (the stem's, plus the exact
    /// form's over the same documents, from skip entries) cannot beat the k-th score; reads
    /// norms through a pointer into the current 4096-document chunk; merges the exact form's
    /// decoded blocks by position; checks deletions only when the index has any, and
    /// zero-score filters on candidates. Equals exhaustive evaluation; the total is a lower
    /// bound.
    func collectWordBlocks(_ word: WordScorer, k: Int, filters: Filters = Filters(iterators: [])) throws -> (TopDocs, Int) {
        var top = TopDocs(k: k)
        let stem = word.stem.postings
        let stemWeight = word.stem.weight
        let scoring = word.stem.scoring
        let exactPostings = word.exact?.postings
        let exactWeight = word.exact?.weight ?? 0
        let field = word.stem.norms.values.field ?? 0
        let hasDeletions = try snapshot.txn.count(snapshot.layout.deleted) > 0
        var deleted = DeletedReader(snapshot)
        var visited = 0

        let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128), freqs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
        let exactDocs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128), exactFreqs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
        defer { docs.deallocate(); freqs.deallocate(); exactDocs.deallocate(); exactFreqs.deallocate() }
        // Exact-form cursor: chunk, block, position, count.
        var ec = 0, eb = -1, ei = 0, en = 0
        func exactFrequency(_ doc: UInt32) throws -> UInt32 {
            guard let exact = exactPostings else { return 0 }
            while ec < exact.chunks.count {
                let chunk = exact.chunks[ec]
                if chunk.lastDoc(ofBlock: chunk.blockCount - 1) < doc { ec += 1; eb = -1; en = 0; continue }
                var b = max(eb, 0)
                while chunk.lastDoc(ofBlock: b) < doc { b += 1 }
                if b != eb || en == 0 { en = try chunk.decodeBlock(b, docs: exactDocs, freqs: exactFreqs); eb = b; ei = 0 }
                while ei < en && exactDocs[ei] < doc { ei += 1 }
                return ei < en && exactDocs[ei] == doc ? exactFreqs[ei] : 0
            }
            return 0
        }
        var normsChunk = -1
        var norms = UnsafeRawBufferPointer(start: nil, count: 0)
        var skipUntil = 0   // the filters exclude every document below this
        for chunk in stem.chunks {
            for block in 0..<chunk.blockCount {
                let entry = chunk.skipEntry(block)
                if Int(entry.lastDoc) < skipUntil { continue }
                if top.isFull {
                    let first = block == 0 ? Int(chunk.baseDoc) : Int(chunk.lastDoc(ofBlock: block - 1)) + 1
                    let bound = scoring.score(weight: stemWeight, freq: Float(entry.maxFrequency), length: Float(entry.minLength))
                        + (word.exact?.bound(from: first, to: Int(entry.lastDoc)) ?? 0)
                    if bound <= top.threshold { continue }
                }
                let n = try chunk.decodeBlock(block, docs: docs, freqs: freqs)
                for i in 0..<n {
                    let doc = docs[i]
                    if Int(doc) < skipUntil { continue }
                    if !filters.isEmpty {
                        let allowed = try filters.next(Int(doc))
                        if allowed != Int(doc) { skipUntil = allowed; continue }
                    }
                    let c = Int(doc) >> 12
                    if c != normsChunk {
                        norms = try snapshot.txn.get(snapshot.layout.norms, IndexLayout.fieldChunkKey(field: field, chunk: c))
                            ?? UnsafeRawBufferPointer(start: nil, count: 0)
                        normsChunk = c
                    }
                    let slot = Int(doc) & 4095
                    let length = (slot + 1) * 2 <= norms.count ? Float(UInt16(littleEndian: norms.loadUnaligned(fromByteOffset: slot * 2, as: UInt16.self))) : 0
                    var score = scoring.score(weight: stemWeight, freq: Float(freqs[i]), length: length)
                    if exactPostings != nil {
                        let f = try exactFrequency(doc)
                        if f > 0 { score += scoring.score(weight: exactWeight, freq: Float(f), length: length) }
                    }
                    if hasDeletions, try deleted.isDeleted(doc) { continue }
                    visited += 1
                    if !top.isFull || score > top.threshold { top.insert(score, doc) }  // a tie loses to the earlier document
                }
            }
        }
        return (top, visited)
    }

    /// Top-k of a phrase: once k hits are held, a candidate's positions are only read when
    /// its frequency bound can beat the k-th score. Equals exhaustive evaluation.
    func collectPhrase(_ phrase: PhraseScorer, k: Int, filters: Filters = Filters(iterators: [])) throws -> (TopDocs, Int) {
        var top = TopDocs(k: k)
        var deleted = DeletedReader(snapshot)
        var visited = 0
        var d = try phrase.advance(0, threshold: -Float.infinity)
        while d != noMoreDocs {
            if !filters.isEmpty {
                let allowed = try filters.next(d)
                if allowed != d {
                    d = allowed == noMoreDocs ? noMoreDocs : try phrase.advance(allowed, threshold: top.isFull ? top.threshold : -Float.infinity)
                    continue
                }
            }
            if try !deleted.isDeleted(UInt32(d)) {
                visited += 1
                top.insert(try phrase.score(), UInt32(d))
            }
            d = try phrase.advance(d + 1, threshold: top.isFull ? top.threshold : -Float.infinity)
        }
        return (top, visited)
    }

    /// Top-k of a disjunction by MaxScore (Turtle & Flood): clauses are sorted by their
    /// score bound; once the k-th best score exceeds the bounds of the weakest clauses
    /// together, documents only they match are never visited, and a candidate stops being
    /// scored as soon as its remaining clauses cannot lift it into the top k. The result
    /// equals exhaustive evaluation; the total is a lower bound.
    func collectMaxScore(_ clauses: [DocIterator], k: Int, filters: Filters = Filters(iterators: [])) throws -> (TopDocs, Int) {
        let scorers = clauses.sorted { $0.maxScore < $1.maxScore }
        let n = scorers.count
        var bounds = [Float](repeating: 0, count: n)  // bounds[i] = Σ maxScore of scorers 0...i
        var sum: Float = 0
        for i in 0..<n { sum += scorers[i].maxScore; bounds[i] = sum }
        var top = TopDocs(k: k)
        var deleted = DeletedReader(snapshot)
        var visited = 0
        var firstEssential = 0
        for s in scorers { _ = try s.nextDoc() }
        while true {
            // The next candidate: the smallest document among the essential clauses.
            var candidate = noMoreDocs
            for i in firstEssential..<n where scorers[i].doc < candidate { candidate = scorers[i].doc }
            if candidate == noMoreDocs { break }
            if !filters.isEmpty {
                let allowed = try filters.next(candidate)
                if allowed != candidate {
                    if allowed == noMoreDocs { break }
                    for j in firstEssential..<n where scorers[j].doc < allowed { _ = try scorers[j].advance(allowed) }
                    continue
                }
            }
            var score: Float = 0
            for i in firstEssential..<n where scorers[i].doc == candidate { score += try scorers[i].score() }
            // Non-essential clauses, strongest first, while they can still matter.
            var i = firstEssential - 1
            while i >= 0 {
                if top.isFull && score + bounds[i] <= top.threshold { break }
                let s = scorers[i]
                if s.doc < candidate { _ = try s.advance(candidate) }
                if s.doc == candidate { score += try s.score() }
                i -= 1
            }
            if try !deleted.isDeleted(UInt32(candidate)) {
                visited += 1
                top.insert(score, UInt32(candidate))
                if top.isFull {
                    while firstEssential < n && bounds[firstEssential] <= top.threshold { firstEssential += 1 }
                }
            }
            if firstEssential >= n { break }
            for j in firstEssential..<n where scorers[j].doc == candidate { _ = try scorers[j].nextDoc() }
        }
        return (top, visited)
    }
}
