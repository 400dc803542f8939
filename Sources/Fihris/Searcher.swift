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
    let snapshot: IndexSnapshot

    init(snapshot: IndexSnapshot) throws {
        self.snapshot = snapshot
    }

    /// Number of live documents.
    public var documentCount: Int { snapshot.liveDocuments }

    /// The index's schema as of this snapshot.
    public var schema: Schema { snapshot.schema }

    /// The stored document with this id, or nil.
    public func document(id: String) throws -> Document? {
        guard let record = try snapshot.idRecord(id) else { return nil }
        return try snapshot.storedDocument(record.number)
    }

    /// The number of documents containing the analyzed `term` in a text field (the first
    /// text field when none is named), as an exact form or (`stem: true`) as a stem.
    /// Deleted documents count until their postings are merged, as in Lucene.
    public func documentFrequency(of term: String, field: String? = nil, stem: Bool = false) throws -> Int {
        guard let number = field.flatMap(snapshot.schema.fieldNumber) ?? snapshot.schema.textFields.first else { return 0 }
        guard let token = try Analyzer(snapshot.schema.fields[number].analyzerOptions).tokens(term).first else { return 0 }
        return try snapshot.documentFrequency(field: number, kind: stem ? .stem : .exact, term: stem ? token.stem : token.term)
    }

    /// One scored posting list: a query word's stem or exact form in one field.
    struct Clause {
        var field: Int
        var kind: IndexLayout.TermKind
        var term: [UInt8]
        var weight: Float
    }

    /// The clauses of a bag-of-words query over every text field: each word on its stem
    /// (weight 1) and its exact form (`exactMatchWeight`), analyzed as the field is.
    func clauses(_ query: String, exactMatchWeight: Float) throws -> [Clause] {
        var clauses: [Clause] = []
        var analyzers: [AnalyzerOptions: [Token]] = [:]
        func add(_ clause: Clause) {
            if let i = clauses.firstIndex(where: { $0.field == clause.field && $0.kind == clause.kind && $0.term == clause.term }) {
                clauses[i].weight += clause.weight
            } else {
                clauses.append(clause)
            }
        }
        for field in snapshot.schema.textFields {
            let options = snapshot.schema.fields[field].analyzerOptions
            if analyzers[options] == nil { analyzers[options] = try Analyzer(options).tokens(query) }
            for token in analyzers[options]! {
                add(Clause(field: field, kind: .stem, term: token.stem, weight: 1))
                if exactMatchWeight > 0 { add(Clause(field: field, kind: .exact, term: token.term, weight: exactMatchWeight)) }
            }
        }
        return clauses
    }

    /// Calls `body` for each live posting of a term, in document order.
    func forEachPosting(field: Int, kind: IndexLayout.TermKind, term: [UInt8], deleted: inout DeletedReader,
                        _ body: (UInt32, UInt32) throws -> Void) throws {
        var docs = [UInt32](repeating: 0, count: 128), freqs = [UInt32](repeating: 0, count: 128)
        try snapshot.forEachChunk(field: field, kind: kind, term: term) { _, chunk in
            guard chunk.baseDoc < snapshot.nextDocument else { throw FihrisError(.corrupted, "index is damaged: postings beyond the last document") }
            for block in 0..<chunk.blockCount {
                let n = try docs.withUnsafeMutableBufferPointer { d in
                    try freqs.withUnsafeMutableBufferPointer { f in try chunk.decodeBlock(block, docs: d.baseAddress!, freqs: f.baseAddress!) }
                }
                guard docs[n - 1] < snapshot.nextDocument else { throw FihrisError(.corrupted, "index is damaged: postings beyond the last document") }
                for i in 0..<n where try !deleted.isDeleted(docs[i]) { try body(docs[i], freqs[i]) }
            }
        }
    }

    /// Numbers of the live documents matching any word of `query` (delete by query).
    func matchingDocuments(_ query: String) throws -> [UInt32] {
        var matched = Set<UInt32>()
        var deleted = DeletedReader(snapshot)
        for clause in try clauses(query, exactMatchWeight: 0) {
            try forEachPosting(field: clause.field, kind: clause.kind, term: clause.term, deleted: &deleted) { doc, _ in matched.insert(doc) }
        }
        return matched.sorted()
    }

    /// Ranks documents by BM25 over the union of the query's words in every text field:
    /// each word scores on its stem (weight 1) and its exact form (`bm25.exactMatchWeight`),
    /// each field with its own length statistics. Returns the `limit` best, ties broken by
    /// index order; a limit as large as the index returns every match.
    public func search(_ query: String, limit: Int = 10, bm25: BM25 = BM25()) throws -> SearchResults {
        guard limit >= 0 else { throw FihrisError(.invalidArgument, "limit must not be negative (got \(limit))") }
        let clauses = try self.clauses(query, exactMatchWeight: bm25.exactMatchWeight)
        let n = snapshot.liveDocuments
        guard n > 0, !clauses.isEmpty else { return SearchResults(hits: [], total: .exact(0)) }

        var scores = [Float](repeating: 0, count: Int(snapshot.nextDocument))
        var matched: [UInt32] = []
        var deleted = DeletedReader(snapshot)
        let k1 = bm25.k1, b = bm25.b
        for clause in clauses {
            let df = try snapshot.documentFrequency(field: clause.field, kind: clause.kind, term: clause.term)
            guard df > 0 else { continue }
            let stats = try snapshot.fieldStatistics(clause.field)
            let averageLength = stats.documents > 0 ? Float(Double(stats.tokens) / Double(stats.documents)) : 1
            let weight = BM25.idf(documentFrequency: min(df, n), documentCount: n) * clause.weight
            var norms = NormsReader(snapshot, field: clause.field)
            try forEachPosting(field: clause.field, kind: clause.kind, term: clause.term, deleted: &deleted) { doc, tf in
                let length = Float(try norms.length(doc))
                let f = Float(tf)
                let score = weight * f * (k1 + 1) / (f + k1 * (1 - b + b * length / averageLength))
                if scores[Int(doc)] == 0 { matched.append(doc) }
                scores[Int(doc)] += score
            }
        }
        let top = TopK.select(matched, limit: limit) { scores[Int($0)] }
        let hits = try top.map { doc in
            guard let document = try snapshot.storedDocument(doc) else {
                throw FihrisError(.corrupted, "index is damaged: stored document \(doc) is missing")
            }
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
