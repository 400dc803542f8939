/// What every pruned algorithm does with its candidates: checks them against the filters
/// and the deleted documents, keeps the best k, counts what it saw.
struct TopKCollector {
    private(set) var top: TopDocs
    var filters: Filters
    private var deleted: DeletedDocuments
    /// Live candidates offered (a lower bound of the matches).
    private(set) var visited = 0

    init(k: Int, filters: Filters, deleted: DeletedDocuments) {
        (top, self.filters, self.deleted) = (TopDocs(k: k), filters, deleted)
    }

    var isFull: Bool { top.isFull }
    /// The score a candidate must beat (-infinity until k are held).
    var threshold: Float { top.threshold }

    /// Nil when every filter accepts `candidate`; else the next document they may all
    /// accept (`noMoreDocs` when none is left).
    @inline(__always)
    mutating func skip(_ candidate: Int) throws -> Int? { try filters.skip(candidate) }

    /// Offers a scored candidate that passed the filters: kept when live and among the best k.
    @inline(__always)
    mutating func offer(_ doc: Int, _ score: Float) throws {
        if try admit(doc) { insert(doc, score) }
    }

    /// Whether a candidate that passed the filters is live (then it counts as visited, and
    /// its score goes to `insert`): callers score only live documents. (Not a closure
    /// passed to `offer`: the compiler stopped inlining that into the block-max loop.)
    @inline(__always)
    mutating func admit(_ doc: Int) throws -> Bool {
        guard try !deleted.contains(doc) else { return false }
        visited += 1
        return true
    }

    /// Keeps an admitted candidate when it is among the best k.
    @inline(__always)
    mutating func insert(_ doc: Int, _ score: Float) {
        if !top.isFull || score > top.threshold { top.insert(score, UInt32(doc)) }
    }
}
