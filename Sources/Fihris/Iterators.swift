import PostingsCodec

/// Past the last document.
let noMoreDocs = Int(UInt32.max)

/// A document-at-a-time iterator over matching documents in increasing number, with the
/// contract of Lucene's DocIdSetIterator / tantivy's DocSet: `doc` is -1 before the first
/// call, `noMoreDocs` when exhausted; `advance(target)` (target > doc) moves to the first
/// match at or after `target`. `score()` is only valid on a current document.
class DocIterator {
    // Hot per-document state: no dynamic exclusivity checks (each iterator is used by one
    // thread, and never re-entered while it mutates itself).
    @exclusivity(unchecked) var doc = -1
    /// An upper bound of `score()` over all documents.
    var maxScore: Float = 0
    /// Roughly how many documents it can match (to order conjunctions).
    var cost: Int { 0 }
    func nextDoc() throws -> Int { fatalError("abstract") }
    func advance(_ target: Int) throws -> Int {
        var d = doc
        while d < target { d = try nextDoc() }
        return d
    }
    func score() throws -> Float { 0 }
    /// The contributions to the current document's score, for `--explain`.
    func explain(_ out: inout [(String, Float)]) throws {}
}

/// The postings of one term across segments.
final class PostingIterator: DocIterator {
    let chunks: [PostingChunk]
    let positionsValues: [UnsafeRawBufferPointer?]
    let documentFrequency: Int
    @exclusivity(unchecked) private var chunkIndex = 0
    @exclusivity(unchecked) private var block = -1
    @exclusivity(unchecked) private var i = 0
    @exclusivity(unchecked) private var n = 0
    private let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
    private let freqs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
    private var blockPositions: [UInt32] = []
    private var positionsBlock = -1
    private var positionStarts = [Int](repeating: 0, count: 129)

    init(chunks: [PostingChunk], positions: [UnsafeRawBufferPointer?]) {
        self.chunks = chunks
        self.positionsValues = positions
        documentFrequency = chunks.reduce(0) { $0 + $1.documentCount }
    }

    deinit {
        docs.deallocate()
        freqs.deallocate()
    }

    override var cost: Int { documentFrequency }
    var freq: UInt32 { freqs[i] }

    private func load(_ newBlock: Int) throws {
        block = newBlock
        n = try chunks[chunkIndex].decodeBlock(block, docs: docs, freqs: freqs)
        i = 0
        positionsBlock = -1
    }

    override func nextDoc() throws -> Int {
        if doc == noMoreDocs { return doc }
        i += 1
        if i >= n {
            if block + 1 < (chunkIndex < chunks.count ? chunks[chunkIndex].blockCount : 0) {
                try load(block + 1)
            } else {
                chunkIndex += 1
                guard chunkIndex < chunks.count else { doc = noMoreDocs; return doc }
                try load(0)
            }
        }
        doc = Int(docs[i])
        return doc
    }

    override func advance(_ target: Int) throws -> Int {
        if doc == noMoreDocs { return doc }
        // Skip whole chunks, then whole blocks, by their last document.
        while chunkIndex < chunks.count && Int(chunks[chunkIndex].lastDoc(ofBlock: chunks[chunkIndex].blockCount - 1)) < target {
            chunkIndex += 1
            block = -1
            n = 0
        }
        guard chunkIndex < chunks.count else { doc = noMoreDocs; return doc }
        let chunk = chunks[chunkIndex]
        var b = max(block, 0)
        while Int(chunk.lastDoc(ofBlock: b)) < target { b += 1 }
        if b != block || n == 0 { try load(b) }
        while Int(docs[i]) < target { i += 1 }
        doc = Int(docs[i])
        return doc
    }

    /// The positions of the current document (exact-form lists only).
    func positions() throws -> ArraySlice<UInt32> {
        guard let value = positionsValues[chunkIndex] else { return [] }
        if positionsBlock != block {
            try chunks[chunkIndex].decodePositions(block, from: value, freqs: freqs, count: n, into: &blockPositions)
            var sum = 0
            for k in 0..<n { positionStarts[k] = sum; sum += Int(freqs[k]) }
            positionStarts[n] = sum
            positionsBlock = block
        }
        return blockPositions[positionStarts[i]..<positionStarts[i + 1]]
    }

    private var boundChunk = 0
    private var boundBlock = 0

    /// The best `score(maxFreq, minLength)` over the blocks holding documents in
    /// `from...to`, reading only skip entries; ranges must move forward between calls.
    func bound(from: Int, to: Int, _ score: (UInt32, UInt16) -> Float) -> Float {
        var best: Float = 0
        // Move the scan cursor to the first block that can hold `from`.
        while boundChunk < chunks.count {
            let chunk = chunks[boundChunk]
            while boundBlock < chunk.blockCount && Int(chunk.lastDoc(ofBlock: boundBlock)) < from { boundBlock += 1 }
            if boundBlock < chunk.blockCount { break }
            boundChunk += 1
            boundBlock = 0
        }
        var c = boundChunk, b = boundBlock
        while c < chunks.count {
            let chunk = chunks[c]
            let first = b == 0 ? Int(chunk.baseDoc) : Int(chunk.lastDoc(ofBlock: b - 1)) + 1
            if first > to { break }
            let entry = chunk.skipEntry(b)
            best = max(best, score(UInt32(entry.maxFrequency), entry.minLength))
            b += 1
            if b >= chunk.blockCount { c += 1; b = 0 }
        }
        return best
    }

    /// The best BM25 contribution any document of the list can reach.
    func bound(_ score: (UInt32, UInt16) -> Float) -> Float {
        var best: Float = 0
        for chunk in chunks {
            for b in 0..<chunk.blockCount {
                let entry = chunk.skipEntry(b)
                best = max(best, score(UInt32(entry.maxFrequency), entry.minLength))
            }
        }
        return best
    }
}

/// BM25 parameters of one field, shared by its term scorers.
struct FieldScoring {
    let k1: Float
    let b: Float
    let averageLength: Float
    /// k1·(1 − b) and k1·b / avgdl: the length normalization as one multiply-add.
    private let base: Float
    private let perToken: Float

    init(k1: Float, b: Float, averageLength: Float) {
        self.k1 = k1
        self.b = b
        self.averageLength = averageLength
        base = k1 * (1 - b)
        perToken = k1 * b / averageLength
    }

    @inline(__always)
    func score(weight: Float, freq: Float, length: Float) -> Float {
        weight * freq * (k1 + 1) / (freq + (base + perToken * length))
    }
}

/// BM25 of one term in one field.
final class TermScorer: DocIterator {
    let postings: PostingIterator
    let weight: Float
    let scoring: FieldScoring
    @exclusivity(unchecked) var norms: NormsReader
    let label: String

    init(postings: PostingIterator, weight: Float, scoring: FieldScoring, norms: NormsReader, label: String) {
        self.postings = postings
        self.weight = weight
        self.scoring = scoring
        self.norms = norms
        self.label = label
        super.init()
        maxScore = postings.bound { freq, length in scoring.score(weight: weight, freq: Float(freq), length: Float(length)) }
    }

    override var cost: Int { postings.cost }
    override func nextDoc() throws -> Int { doc = try postings.nextDoc(); return doc }
    override func advance(_ target: Int) throws -> Int { doc = try postings.advance(target); return doc }
    override func score() throws -> Float {
        scoring.score(weight: weight, freq: Float(postings.freq), length: Float(try norms.length(UInt32(doc))))
    }
    override func explain(_ out: inout [(String, Float)]) throws { out.append((label, try score())) }

    /// The best score any document in `from...to` can reach (skip entries only).
    func bound(from: Int, to: Int) -> Float {
        postings.bound(from: from, to: to) { f, l in scoring.score(weight: weight, freq: Float(f), length: Float(l)) }
    }
}

/// A query word: matches its stem; scores the stem plus, when present, the exact form.
final class WordScorer: DocIterator {
    let stem: TermScorer
    let exact: TermScorer?

    init(stem: TermScorer, exact: TermScorer?) {
        self.stem = stem
        self.exact = exact
        super.init()
        maxScore = stem.maxScore + (exact?.maxScore ?? 0)
    }

    override var cost: Int { stem.cost }
    override func nextDoc() throws -> Int { doc = try stem.nextDoc(); return doc }
    override func advance(_ target: Int) throws -> Int { doc = try stem.advance(target); return doc }
    override func score() throws -> Float {
        var s = try stem.score()
        if let exact {
            if exact.doc < doc { _ = try exact.advance(doc) }
            if exact.doc == doc { s += try exact.score() }
        }
        return s
    }
    override func explain(_ out: inout [(String, Float)]) throws {
        try stem.explain(&out)
        if let exact {
            if exact.doc < doc { _ = try exact.advance(doc) }
            if exact.doc == doc { try exact.explain(&out) }
        }
    }
}

/// Documents where exact forms appear at the phrase's relative positions (within `slop`).
final class PhraseScorer: DocIterator {
    let terms: [PostingIterator]
    let offsets: [Int]
    let slop: Int
    let weight: Float
    let scoring: FieldScoring
    @exclusivity(unchecked) var norms: NormsReader
    let label: String
    @exclusivity(unchecked) private var frequency = 0

    init(terms: [PostingIterator], offsets: [Int], slop: Int, weight: Float, scoring: FieldScoring, norms: NormsReader, label: String) {
        self.terms = terms
        self.offsets = offsets
        self.slop = slop
        self.weight = weight
        self.scoring = scoring
        self.norms = norms
        self.label = label
        super.init()
        // A phrase occurs at most as often as its rarest word in a document.
        let bound = terms.map { $0.bound { f, l in scoring.score(weight: weight, freq: Float(f), length: Float(l)) } }.min() ?? 0
        maxScore = bound
    }

    override var cost: Int { terms.map(\.cost).min() ?? 0 }

    override func nextDoc() throws -> Int { try advance(doc + 1) }

    override func advance(_ target: Int) throws -> Int { try advance(target, threshold: -Float.infinity) }

    /// Moves to the next document at or after `target` holding the phrase, skipping the
    /// position check of documents whose score cannot exceed `threshold` (the phrase occurs
    /// at most as often as its rarest word, so frequencies alone bound the score).
    func advance(_ target: Int, threshold: Float) throws -> Int {
        var candidate = target
        while true {
            // Leapfrog to a document holding every word.
            var agreed = false
            while !agreed {
                agreed = true
                for term in terms {
                    let d = term.doc < candidate ? try term.advance(candidate) : term.doc
                    if d == noMoreDocs { doc = noMoreDocs; return doc }
                    if d > candidate { candidate = d; agreed = false }
                }
            }
            if threshold > -Float.infinity {
                var least = UInt32.max
                for term in terms { least = min(least, term.freq) }
                let bound = scoring.score(weight: weight, freq: Float(least), length: Float(try norms.length(UInt32(candidate))))
                if bound <= threshold { candidate += 1; continue }
            }
            frequency = try matches()
            if frequency > 0 { doc = candidate; return doc }
            candidate += 1
        }
    }

    /// How many times the phrase occurs in the current document.
    private func matches() throws -> Int {
        let lists = try terms.map { try $0.positions() }
        var count = 0
        if slop == 0 {
            // Every word at (start + its offset): positions ascend, so walk each list once.
            var cursors = lists.map(\.startIndex)
            outer: for p in lists[0] {
                let start = Int(p) - offsets[0]
                for k in 1..<lists.count {
                    let wanted = start + offsets[k]
                    while cursors[k] < lists[k].endIndex && Int(lists[k][cursors[k]]) < wanted { cursors[k] += 1 }
                    if cursors[k] == lists[k].endIndex { break outer }
                    if Int(lists[k][cursors[k]]) != wanted { continue outer }
                }
                count += 1
            }
            return count
        }
        // Proximity: one occurrence of each word whose aligned starts lie within `slop`.
        for p in lists[0] {
            let start = Int(p) - offsets[0]
            var lowest = start, highest = start
            var all = true
            for k in 1..<lists.count {
                var best: Int?
                for q in lists[k] {
                    let aligned = Int(q) - offsets[k]
                    if abs(aligned - start) <= slop, best == nil || abs(aligned - start) < abs(best! - start) { best = aligned }
                }
                guard let best else { all = false; break }
                lowest = min(lowest, best)
                highest = max(highest, best)
            }
            if all && highest - lowest <= slop { count += 1 }
        }
        return count
    }

    override func score() throws -> Float {
        scoring.score(weight: weight, freq: Float(frequency), length: Float(try norms.length(UInt32(doc))))
    }
    override func explain(_ out: inout [(String, Float)]) throws { out.append((label, try score())) }
}

/// A sorted set of documents (materialized filters: ranges, prefixes), constant score.
final class DocSetIterator: DocIterator {
    let docs: [UInt32]
    let constant: Float
    let label: String
    private var i = -1

    init(docs: [UInt32], constant: Float, label: String) {
        self.docs = docs
        self.constant = constant
        self.label = label
        super.init()
        maxScore = constant
    }

    override var cost: Int { docs.count }
    override func nextDoc() throws -> Int {
        i += 1
        doc = i < docs.count ? Int(docs[i]) : noMoreDocs
        return doc
    }
    override func advance(_ target: Int) throws -> Int {
        // Galloping search from the current position.
        var low = max(i, 0), step = 1
        while low + step < docs.count && Int(docs[low + step]) < target { low += step; step *= 2 }
        var high = min(low + step, docs.count)
        while low < high {
            let mid = (low + high) / 2
            if Int(docs[mid]) < target { low = mid + 1 } else { high = mid }
        }
        i = low
        doc = i < docs.count ? Int(docs[i]) : noMoreDocs
        return doc
    }
    override func score() throws -> Float { constant }
    override func explain(_ out: inout [(String, Float)]) throws { if constant > 0 { out.append((label, constant)) } }
}

/// Every document number below `end`.
final class AllDocsIterator: DocIterator {
    let end: Int
    init(end: Int) { self.end = end }
    override var cost: Int { end }
    override func nextDoc() throws -> Int { try advance(doc + 1) }
    override func advance(_ target: Int) throws -> Int {
        doc = target < end ? target : noMoreDocs
        return doc
    }
}

/// Documents matching every sub-iterator; the score is the sum.
final class ConjunctionIterator: DocIterator {
    let subs: [DocIterator]

    init(_ subs: [DocIterator]) {
        self.subs = subs.sorted { $0.cost < $1.cost }
        super.init()
        maxScore = subs.reduce(0) { $0 + $1.maxScore }
    }

    override var cost: Int { subs.first?.cost ?? 0 }
    override func nextDoc() throws -> Int { try align(try subs[0].nextDoc()) }
    override func advance(_ target: Int) throws -> Int { try align(try subs[0].advance(target)) }

    private func align(_ start: Int) throws -> Int {
        var candidate = start
        outer: while candidate != noMoreDocs {
            for sub in subs.dropFirst() {
                let d = sub.doc < candidate ? try sub.advance(candidate) : sub.doc
                if d > candidate {
                    candidate = try subs[0].advance(d)
                    continue outer
                }
            }
            break
        }
        doc = candidate
        return doc
    }

    override func score() throws -> Float {
        var s: Float = 0
        for sub in subs { s += try sub.score() }
        return s
    }
    override func explain(_ out: inout [(String, Float)]) throws { for sub in subs { try sub.explain(&out) } }
}

/// Documents matching any sub-iterator; the score is the sum over those that match.
final class DisjunctionIterator: DocIterator {
    let subs: [DocIterator]

    init(_ subs: [DocIterator]) {
        self.subs = subs
        super.init()
        maxScore = subs.reduce(0) { $0 + $1.maxScore }
    }

    override var cost: Int { subs.reduce(0) { $0 + $1.cost } }
    override func nextDoc() throws -> Int { try advance(doc + 1) }
    override func advance(_ target: Int) throws -> Int {
        var lowest = noMoreDocs
        for sub in subs {
            let d = sub.doc < target ? try sub.advance(target) : sub.doc
            lowest = min(lowest, d)
        }
        doc = lowest
        return doc
    }
    override func score() throws -> Float {
        var s: Float = 0
        for sub in subs where sub.doc == doc { s += try sub.score() }
        return s
    }
    override func explain(_ out: inout [(String, Float)]) throws { for sub in subs where sub.doc == doc { try sub.explain(&out) } }
}

/// A required iterator with optional scorers (added when they match) and exclusions.
final class BooleanIterator: DocIterator {
    let required: DocIterator
    let optional: [DocIterator]
    let excluded: [DocIterator]

    init(required: DocIterator, optional: [DocIterator], excluded: [DocIterator]) {
        self.required = required
        self.optional = optional
        self.excluded = excluded
        super.init()
        maxScore = required.maxScore + optional.reduce(0) { $0 + $1.maxScore }
    }

    override var cost: Int { required.cost }
    override func nextDoc() throws -> Int { try skipExcluded(try required.nextDoc()) }
    override func advance(_ target: Int) throws -> Int { try skipExcluded(try required.advance(target)) }

    private func skipExcluded(_ start: Int) throws -> Int {
        var candidate = start
        while candidate != noMoreDocs {
            var hit = false
            for x in excluded {
                let d = x.doc < candidate ? try x.advance(candidate) : x.doc
                if d == candidate { hit = true; break }
            }
            if !hit { break }
            candidate = try required.nextDoc()
        }
        doc = candidate
        return doc
    }

    override func score() throws -> Float {
        var s = try required.score()
        for o in optional {
            if o.doc < doc { _ = try o.advance(doc) }
            if o.doc == doc { s += try o.score() }
        }
        return s
    }
    override func explain(_ out: inout [(String, Float)]) throws {
        try required.explain(&out)
        for o in optional {
            if o.doc < doc { _ = try o.advance(doc) }
            if o.doc == doc { try o.explain(&out) }
        }
    }
}
