import Foundation
import LMDBStore
import PostingsCodec
import TextAnalysis

/// BM25 parameters (Lucene's defaults).
public struct BM25: Sendable, Equatable {
    /// Term-frequency saturation.
    public var k1: Float = 1.2
    /// Length normalization (0 = none, 1 = full).
    public var b: Float = 0.75
    public init(k1: Float = 1.2, b: Float = 0.75, exactMatchWeight: Float = 0.5) {
        self.k1 = k1
        self.b = b
        self.exactMatchWeight = exactMatchWeight
    }

    /// Weight of a match on the exact (normalized) form, added to the stem match: among
    /// documents matching a query word's stem, those with the very form typed rank higher.
    public var exactMatchWeight: Float = 0.5

    /// Lucene's idf: never negative, so a match always adds to the score.
    @inline(__always)
    static func idf(documentFrequency: Int, documentCount: Int) -> Float {
        let n = Double(documentCount), df = Double(documentFrequency)
        return Float(log(1 + (n - df + 0.5) / (df + 0.5)))
    }
}

/// Search results: the best hits in rank order and how many documents matched.
public struct SearchResults: Sendable {
    public enum Total: Sendable, Equatable, CustomStringConvertible {
        /// Exactly this many documents matched.
        case exact(Int)
        /// At least this many matched (pruned search did not count them all).
        case atLeast(Int)

        public var count: Int {
            switch self { case .exact(let n), .atLeast(let n): n }
        }
        public var description: String {
            switch self { case .exact(let n): "\(n)"; case .atLeast(let n): "≥\(n)" }
        }
    }

    public struct Hit: Sendable {
        public let id: String
        public let score: Float
        /// The stored document (id, title, fields).
        public let document: Document
    }

    public let hits: [Hit]
    public let total: Total
}

/// Searches one snapshot of an index; valid only inside `SearchIndex.read`.
public struct Searcher: ~Copyable {
    let txn: TransactionView
    let layout: IndexLayout
    /// Number of documents (document numbers are 0..<documentCount).
    public let documentCount: Int
    let tokenCount: UInt64
    let norms: UnsafeRawBufferPointer

    init(transaction: TransactionView, layout: IndexLayout) throws {
        let documentCount = Int(IndexLayout.uint64(try transaction.get(layout.meta, IndexLayout.MetaKey.documents)))
        let tokenCount = IndexLayout.uint64(try transaction.get(layout.meta, IndexLayout.MetaKey.tokens))
        let norms = try transaction.get(layout.meta, IndexLayout.MetaKey.norms) ?? UnsafeRawBufferPointer(start: nil, count: 0)
        guard norms.count == documentCount * 4 else {
            throw FihrisError(.corrupted, "index is damaged: \(norms.count / 4) field lengths for \(documentCount) documents")
        }
        self.txn = transaction
        self.layout = layout
        self.documentCount = documentCount
        self.tokenCount = tokenCount
        self.norms = norms
    }

    /// The stored document with this number.
    public func document(number: Int) throws -> Document {
        guard number >= 0 && number < documentCount else {
            throw FihrisError(.invalidArgument, "document number \(number) is outside 0..<\(documentCount)")
        }
        guard let raw = try txn.get(layout.docs, IndexLayout.documentKey(UInt32(number))) else {
            throw FihrisError(.corrupted, "index is damaged: stored document \(number) is missing")
        }
        return try StoredDocumentCodec.decode(raw)
    }

    /// The stored document with this id, or nil.
    public func document(id: String) throws -> Document? {
        guard let raw = try txn.get(layout.ids, id), raw.count == 4 else { return nil }
        return try document(number: Int(raw.loadUnaligned(as: UInt32.self).littleEndian))
    }

    /// The number of documents containing this normalized form (`stem: false`) or stem.
    public func documentFrequency(of term: String, stem: Bool = false) throws -> Int {
        guard let raw = try txn.get(stem ? layout.stems : layout.terms, term) else { return 0 }
        return try PostingList.documentFrequency(raw)
    }

    /// Ranks documents by BM25 over the union of the query's words (each word analyzed as
    /// in documents): the stems score with weight 1, the exact forms add
    /// `bm25.exactMatchWeight`. Returns the `limit` best, ties broken by index order.
    public func search(_ query: String, limit: Int = 10, bm25: BM25 = BM25()) throws -> SearchResults {
        guard limit >= 0 else { throw FihrisError(.invalidArgument, "limit must not be negative (got \(limit))") }
        let analyzer = try Analyzer(SearchIndex.analysis)
        var clauses: [(db: Database, term: [UInt8], weight: Float)] = []
        func add(_ db: Database, _ term: [UInt8], _ weight: Float) {
            if let i = clauses.firstIndex(where: { $0.db == db && $0.term == term }) {
                clauses[i].weight += weight
            } else {
                clauses.append((db, term, weight))
            }
        }
        for token in try analyzer.tokens(query) {
            add(layout.stems, token.stem, 1)
            if bm25.exactMatchWeight > 0 { add(layout.terms, token.term, bm25.exactMatchWeight) }
        }
        guard documentCount > 0, !clauses.isEmpty else { return SearchResults(hits: [], total: .exact(0)) }

        let averageLength = Float(Double(tokenCount) / Double(documentCount))
        var scores = [Float](repeating: 0, count: documentCount)
        var matched: [UInt32] = []
        let k1 = bm25.k1, b = bm25.b
        // LMDB values are only 2-byte aligned: read lengths unaligned.
        let lengths = norms
        for clause in clauses {
            guard let postings = try txn.get(clause.db, clause.term) else { continue }
            let df = try PostingList.documentFrequency(postings)
            let weight = BM25.idf(documentFrequency: df, documentCount: documentCount) * clause.weight
            try PostingList.forEach(postings, documentLimit: UInt32(documentCount)) { doc, tf in
                let length = Float(UInt32(littleEndian: lengths.loadUnaligned(fromByteOffset: Int(doc) &* 4, as: UInt32.self)))
                let f = Float(tf)
                let score = weight * f * (k1 + 1) / (f + k1 * (1 - b + b * length / averageLength))
                if scores[Int(doc)] == 0 { matched.append(doc) }
                scores[Int(doc)] += score
            }
        }
        let top = TopK.select(matched, limit: limit) { scores[Int($0)] }
        let hits = try top.map { doc in
            let document = try self.document(number: Int(doc))
            return SearchResults.Hit(id: document.id, score: scores[Int(doc)], document: document)
        }
        return SearchResults(hits: hits, total: .exact(matched.count))
    }
}

/// Selection of the k best candidates by score (descending), ties by document number.
enum TopK {
    static func select(_ candidates: [UInt32], limit: Int, score: (UInt32) -> Float) -> [UInt32] {
        func better(_ a: UInt32, _ b: UInt32) -> Bool {
            let sa = score(a), sb = score(b)
            return sa != sb ? sa > sb : a < b
        }
        if candidates.count <= limit { return candidates.sorted(by: better) }
        // A bounded min-heap (worst of the kept at the root) keeps the k best.
        var heap: [UInt32] = []
        heap.reserveCapacity(limit)
        for candidate in candidates where limit > 0 {
            if heap.count < limit {
                heap.append(candidate)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    if better(heap[parent], heap[i]) { heap.swapAt(parent, i); i = parent } else { break }
                }
            } else if better(candidate, heap[0]) {
                heap[0] = candidate
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var worst = i
                    if l < heap.count && better(heap[worst], heap[l]) { worst = l }
                    if r < heap.count && better(heap[worst], heap[r]) { worst = r }
                    if worst == i { break }
                    heap.swapAt(i, worst)
                    i = worst
                }
            }
        }
        return heap.sorted(by: better)
    }
}
