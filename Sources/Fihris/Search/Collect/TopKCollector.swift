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
        try offer(doc) { score }
    }

    /// Like `offer`, scoring only live documents.
    @inline(__always)
    mutating func offer(_ doc: Int, score: () throws -> Float) throws {
        guard try !deleted.contains(doc) else { return }
        visited += 1
        let s = try score()
        if !top.isFull || s > top.threshold { top.insert(s, UInt32(doc)) }
    }
}
