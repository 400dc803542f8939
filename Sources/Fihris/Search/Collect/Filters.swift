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
        var agreed = false
        while !agreed && target != noMoreDocs {
            agreed = true
            for k in postings.indices {
                let d = try postings[k].seek(target)
                if d > target { target = d; agreed = false }
            }
            for k in others.indices {
                let d = try others[k].seek(target)
                if d > target { target = d; agreed = false }
            }
        }
        return target
    }
}
