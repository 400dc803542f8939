/// Top k of a scorer whose matching check is dear (phrases: reading positions): once k
/// hits are held, a candidate is only checked when a cheap bound of its score (the phrase's
/// rarest word's frequency) can beat the k-th score.
///
/// Invariant: the top k (documents and scores) equal `Exhaustive`'s; `counted` is a lower
/// bound of the matches.
enum ThresholdTopK {
    static func collect<S: ThresholdScorer>(_ scorer: inout S, k: Int, filters: inout Filters,
                                            deleted: inout DeletedDocuments) throws -> Collected {
        var top = TopDocs(k: k)
        var visited = 0
        var d = try scorer.seek(0, beating: -.infinity)
        while d != noMoreDocs {
            if let allowed = try filters.skip(d) {
                d = allowed == noMoreDocs ? noMoreDocs : try scorer.seek(allowed, beating: top.threshold)
                continue
            }
            if try !deleted.contains(d) {
                visited += 1
                top.insert(try scorer.score(), UInt32(d))
            }
            d = try scorer.seek(d + 1, beating: top.threshold)
        }
        return Collected(top: top, counted: visited)
    }
}
