/// Zero-score clauses every candidate must match (keyword terms, ranges,
/// `SearchOptions.filters`), checked lazily on the candidates of a pruned collector.
/// Keyword values, the common filter, are walked as posting cursors directly; any other
/// clause through its scorer.
struct Filters {
    private var postings: [PostingCursor]
    private var others: [AnyScorer]

    init(postings: [PostingCursor] = [], others: [AnyScorer] = []) {
        self.postings = postings
        self.others = others
    }

    var isEmpty: Bool { postings.isEmpty && others.isEmpty }

    /// The first document ≥ `candidate` that every filter accepts (`candidate` itself
    /// when they all accept it; `noMoreDocs` when none is left).
    @inline(__always)
    mutating func next(_ candidate: Int) throws -> Int {
        var target = candidate
        while true {
            let a = try postings.withUnsafeMutableBufferPointer { try Leapfrog.agree($0, from: target) }
            let b = try others.withUnsafeMutableBufferPointer { try Leapfrog.agree($0, from: a) }
            if b == a || b == noMoreDocs { return b }
            target = b
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
