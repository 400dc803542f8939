/// Zero-score clauses every candidate must match (keyword terms, ranges,
/// `SearchOptions.filters`), checked lazily on the candidates of a pruned collector.
struct Filters {
    private var cursors: [AnyScorer]

    init(_ cursors: [AnyScorer] = []) { self.cursors = cursors }

    var isEmpty: Bool { cursors.isEmpty }

    /// The first document ≥ `candidate` that every filter accepts (`candidate` itself
    /// when they all accept it; `noMoreDocs` when none is left).
    @inline(__always)
    mutating func next(_ candidate: Int) throws -> Int {
        var target = candidate
        var agreed = false
        while !agreed && target != noMoreDocs {
            agreed = true
            for k in cursors.indices {
                let d = try cursors[k].seek(target)
                if d > target { target = d; agreed = false }
            }
        }
        return target
    }
}
