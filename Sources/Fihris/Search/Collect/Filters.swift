/// Zero-score clauses every candidate must match (keyword terms, ranges,
/// `SearchOptions.filters`), checked lazily on the candidates of a pruned collector.
/// Keyword values, the common filter, are walked as posting cursors directly, or as bits
/// when they hold many documents; any other clause through its scorer.
struct Filters {
    private var postings: [PostingCursor]
    private var bits: [DocumentBits]
    private var others: [AnyScorer]

    init(postings: [PostingCursor] = [], bits: [DocumentBits] = [], others: [AnyScorer] = []) {
        self.postings = postings
        self.bits = bits
        self.others = others
    }

    var isEmpty: Bool { postings.isEmpty && bits.isEmpty && others.isEmpty }

    /// The first document ≥ `candidate` that every filter accepts (`candidate` itself
    /// when they all accept it; `noMoreDocs` when none is left).
    @inline(__always)
    mutating func next(_ candidate: Int) throws -> Int {
        var target = candidate
        while true {
            let a = try postings.withUnsafeMutableBufferPointer { try Leapfrog.agree($0, from: target) }
            let b = try bits.withUnsafeMutableBufferPointer { try Leapfrog.agree($0, from: a) }
            let c = try others.withUnsafeMutableBufferPointer { try Leapfrog.agree($0, from: b) }
            if c == a || c == noMoreDocs { return c }
            target = c
        }
    }

    /// Nil when every filter accepts `candidate` (or there are none); else the next
    /// document they may all accept (`noMoreDocs` when none is left). Collectors call this
    /// on each candidate and reposition their cursors on a non-nil answer.
    @inline(__always)
    mutating func skip(_ candidate: Int) throws -> Int? {
        if isEmpty { return nil }
        let allowed = try next(candidate)
        return allowed == candidate ? nil : allowed
    }
}
