/// Top k of a scorer whose matching check is dear (phrases: reading positions): once k
/// hits are held, a candidate is only checked when a cheap bound of its score (the phrase's
/// rarest word's frequency) can beat the k-th score.
///
/// Invariant: the top k (documents and scores) equal `Exhaustive`'s; `counted` is a lower
/// bound of the matches.
enum ThresholdTopK {
    static func collect<S: ThresholdScorer>(_ scorer: inout S, into collector: inout TopKCollector) throws {
        var d = try scorer.seek(0, beating: -.infinity)
        while d != noMoreDocs {
            if let allowed = try collector.skip(d) {
                d = allowed == noMoreDocs ? noMoreDocs : try scorer.seek(allowed, beating: collector.threshold)
                continue
            }
            if try collector.admit(d) { collector.insert(d, try scorer.score()) }
            d = try scorer.seek(d + 1, beating: collector.threshold)
        }
    }
}
