/// Runs a `QueryPlan` over one snapshot: builds the plan's scorers (`ScorerBuilder`) in
/// one scratch arena and hands them to the plan's algorithm.
struct QueryExecutor {
    let builder: ScorerBuilder
    /// The search's time limit (nil: none).
    var budget: QueryBudget? = nil
    var snapshot: IndexSnapshot { builder.snapshot }

    /// The best k, how many matched, and (when asked) which documents matched.
    struct Outcome {
        var top: TopDocs
        var total: SearchResults.Total
        var matched: [UInt64]?
        /// The hits in order when a sort decides it (else `top`'s order).
        var ranked: [(score: Float, doc: UInt32)]? = nil
    }

    func run(_ plan: QueryPlan, k: Int, recordMatches: Bool = false) throws -> Outcome {
        let nothing = Outcome(top: TopDocs(k: k), total: .exact(0), matched: recordMatches ? [] : nil)
        return try ScratchArena.scoped(budget: budget) { arena in
            var deleted = try snapshot.deletedDocuments()
            switch plan {
            case .empty:
                return nothing
            case .lowestDocuments(let field, let prefix):
                let label = "\(snapshot.schema.fields[field].name):\(String(decoding: prefix, as: UTF8.self))*"
                let docs = try LowestDocuments.collect(snapshot, field: field, prefix: prefix, k: k, label: label, arena: &arena)
                guard !docs.isEmpty else { return nothing }
                var top = TopDocs(k: k)
                for doc in docs { top.insert(1, doc) }
                return Outcome(top: top, total: .atLeast(docs.count))
            case .blockMaxConjunction(let words, let filterQueries):
                var scorers: [WordScorer] = []
                for word in words {
                    guard var scorer = try builder.word(word, arena: &arena) else { return nothing }
                    scorer.exactBlockBounds = words.count == 1
                    scorers.append(scorer)
                }
                guard var collector = try collector(k, filterQueries, deleted, &arena) else { return nothing }
                try BlockMaxConjunction.collect(scorers, into: &collector)
                return pruned(collector)
            case .bestOfWords(let words, let filterQueries):
                var best: [UInt32: Float] = [:]
                var visited = 0
                for word in words {
                    guard let scorer = try builder.word(word, arena: &arena) else { continue }
                    guard var collector = try collector(k, filterQueries, deleted, &arena) else { return nothing }
                    try BlockMaxConjunction.collect([scorer], into: &collector)
                    visited += collector.visited
                    for (score, doc) in collector.top.heap where score > best[doc] ?? -.infinity { best[doc] = score }
                }
                var top = TopDocs(k: k)
                for (doc, score) in best.sorted(by: { $0.key < $1.key }) { top.insert(score, doc) }  // in document order: ties keep the earlier
                return Outcome(top: top, total: .atLeast(best.count))
            case .maxScoreWords(let words, let filterQueries):
                let scorers = try words.compactMap { try builder.word($0, arena: &arena) }
                return try maxScore(scorers, filterQueries, k: k, deleted: deleted, arena: &arena) ?? nothing
            case .maxScore(let clauses, let filterQueries):
                let scorers = try clauses.compactMap { try builder.scorer($0, arena: &arena) }
                return try maxScore(scorers, filterQueries, k: k, deleted: deleted, arena: &arena) ?? nothing
            case .phrase(let phrase, let filterQueries):
                guard var scorer = try builder.phrase(phrase, arena: &arena),
                      var collector = try collector(k, filterQueries, deleted, &arena) else { return nothing }
                try ThresholdTopK.collect(&scorer, into: &collector)
                return pruned(collector)
            case .exhaustive(let query):
                guard var root = try builder.scorer(query, arena: &arena) else { return nothing }
                guard recordMatches else {
                    let collected = try Exhaustive.collect(&root, k: k, deleted: &deleted)
                    return Outcome(top: collected.top, total: .exact(collected.counted))
                }
                var matched = [UInt64](repeating: 0, count: (Int(snapshot.nextDocument) + 63) / 64)
                let collected = try Exhaustive.collect(&root, k: k, deleted: &deleted) { matched[Int($0) >> 6] |= 1 << UInt64($0 & 63) }
                return Outcome(top: collected.top, total: .exact(collected.counted), matched: matched)
            case .sorted(let query, let keys):
                guard var root = try builder.scorer(query, arena: &arena) else { return nothing }
                var values = try SortValues(keys, snapshot: snapshot, arena: &arena)
                var matched = recordMatches ? [UInt64](repeating: 0, count: (Int(snapshot.nextDocument) + 63) / 64) : nil
                let collected = try SortedTopK.collect(&root, keys: keys, values: &values, k: k, deleted: &deleted,
                                                       matched: recordMatches ? { matched![Int($0) >> 6] |= 1 << UInt64($0 & 63) } : nil)
                return Outcome(top: TopDocs(k: 0), total: .exact(collected.counted), matched: matched, ranked: collected.ranked)
            }
        }
    }

    /// MaxScore over the clauses that match anything; nil when none does or a filter matches nothing.
    private func maxScore<S: MaxScoreScorer>(_ scorers: [S], _ filterQueries: [BoundQuery], k: Int, deleted: DeletedDocuments,
                                             arena: inout ScratchArena) throws -> Outcome? {
        guard !scorers.isEmpty, var collector = try collector(k, filterQueries, deleted, &arena) else { return nil }
        try MaxScore.collect(scorers, into: &collector)
        return pruned(collector)
    }

    /// A pruned algorithm's collector; nil when a filter matches nothing.
    private func collector(_ k: Int, _ filterQueries: [BoundQuery], _ deleted: DeletedDocuments,
                           _ arena: inout ScratchArena) throws -> TopKCollector? {
        guard let filters = try builder.filters(filterQueries, arena: &arena) else { return nil }
        return TopKCollector(k: k, filters: filters, deleted: deleted)
    }

    private func pruned(_ collector: TopKCollector) -> Outcome {
        Outcome(top: collector.top, total: .atLeast(collector.visited))
    }

    /// The score breakdown of one document, from a fresh scorer of `query`.
    func explain(_ query: BoundQuery, doc: UInt32) throws -> [ScoreContribution] {
        try ScratchArena.scoped { arena in
            guard var scorer = try builder.scorer(query, arena: &arena), try scorer.seek(Int(doc)) == Int(doc) else { return [] }
            var parts: [ScoreContribution] = []
            try scorer.explain(into: &parts)
            return parts
        }
    }

    /// Numbers of the live documents a query matches.
    func matchingDocuments(_ query: BoundQuery) throws -> [UInt32] {
        try ScratchArena.scoped { arena in
            guard var root = try builder.scorer(query, arena: &arena) else { return [] }
            var deleted = try snapshot.deletedDocuments()
            var matched: [UInt32] = []
            _ = try Exhaustive.collect(&root, k: 0, deleted: &deleted) { matched.append($0) }
            return matched
        }
    }
}
