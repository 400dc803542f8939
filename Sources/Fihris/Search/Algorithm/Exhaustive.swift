/// Exhaustive evaluation: every match is visited and scored. The reference that every
/// pruned algorithm equals (same top k, same scores); the only one that counts matches
/// exactly, so it serves exact totals, facets and delete-by-query.
enum Exhaustive {
    /// Scores every live match of `root` into the top `k` (none when k is 0), calling
    /// `matched` with each; `counted` is the exact number of live matches.
    static func collect<S: Scorer>(_ root: inout S, k: Int, deleted: inout DeletedDocuments,
                                   matched: ((UInt32) -> Void)? = nil) throws -> Collected {
        var top = TopDocs(k: k)
        var total = 0
        var d = try root.next()
        while d != noMoreDocs {
            if try !deleted.contains(d) {
                total += 1
                matched?(UInt32(d))
                if k > 0 { top.insert(try root.score(), UInt32(d)) }
            }
            d = try root.next()
        }
        return Collected(top: top, counted: total)
    }
}
