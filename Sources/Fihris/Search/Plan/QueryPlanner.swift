/// Chooses the algorithm of a search: a pure function of the bound query, the bound
/// filters, what is asked and two facts about the index (Lucene's Query → Weight →
/// Scorer choice; tantivy's `SpecializedScorer`). No index access, so a table test covers
/// every choice.
enum QueryPlanner {
    /// What the search asks and what the index is like.
    struct Request: Equatable {
        /// Hits wanted (offset + limit; 0: count only).
        var k: Int
        var exactTotal = false
        var facets = false
        var liveDocuments: Int
        var hasDeletions = false
        /// Sort keys, empty for relevance (the score, best first).
        var sort: [BoundSortKey] = []
    }

    static func plan(_ query: BoundQuery, filters: [BoundQuery], _ request: Request) -> QueryPlan {
        if case .none = query { return .empty }
        if !request.sort.isEmpty { return .sorted(filters.isEmpty ? query : .conjunction([query] + filters), keys: request.sort) }
        let counting = request.exactTotal || request.facets
        if case .prefix(let field, let prefix) = query, filters.isEmpty, !counting, request.k > 0, !request.hasDeletions {
            return .lowestDocuments(field: field, prefix: prefix)
        }
        let whole = filters.isEmpty ? query : .conjunction([query] + filters)
        // Pruning needs a top k smaller than the index, and no exact count.
        guard !counting, request.k > 0, request.k < request.liveDocuments else { return .exhaustive(whole) }

        // The required scoring clauses, and the filters candidates must pass.
        var scoring = [query]
        var allFilters = filters
        if case .boolean(let must, let should, let mustNot, let filter) = query, should.isEmpty, mustNot.isEmpty {
            scoring = must
            allFilters = filter + filters
        }
        let words = scoring.compactMap(\.word)
        if words.count == scoring.count, !words.isEmpty {
            return .blockMaxConjunction(words: words, filters: allFilters)
        }
        guard scoring.count == 1 else { return .exhaustive(whole) }
        switch scoring[0] {
        case .phrase(let phrase):
            return .phrase(phrase, filters: allFilters)
        case .bestOf(let clauses) where clauses.allSatisfy({ $0.word != nil }):
            return .bestOfWords(words: clauses.compactMap(\.word), filters: allFilters)
        case .boolean(let must, let nested, let mustNot, let filter) where must.isEmpty && mustNot.isEmpty && filter.isEmpty:
            // Optional clauses that are themselves optional-only Booleans (a word OR its root,
            // with root expansion) are spliced in, so MaxScore can skip each part on its own.
            let should = BoundQuery.spliced(nested)
            let words = should.compactMap(\.word)
            if words.count == should.count { return .maxScoreWords(words: words, filters: allFilters) }
            return .maxScore(clauses: should, filters: allFilters)
        default:
            return .exhaustive(whole)
        }
    }
}

extension BoundQuery {
    /// Optional clauses with the clauses of optional-only Booleans among them in their place,
    /// recursively: the same matches (any clause) and the same scores (the sum of the
    /// matching clauses' scores).
    static func spliced(_ should: [BoundQuery]) -> [BoundQuery] {
        should.flatMap { clause -> [BoundQuery] in
            if case .boolean(let must, let inner, let mustNot, let filter) = clause, must.isEmpty, mustNot.isEmpty, filter.isEmpty {
                return spliced(inner)
            }
            return [clause]
        }
    }

    /// The word, when this is one.
    var word: WordTerm? {
        if case .word(let field, let stem, let exact) = self { return WordTerm(field: field, stem: stem, exact: exact) }
        if case .boosted(.word(let field, let stem, let exact), let factor) = self {
            return WordTerm(field: field, stem: stem, exact: exact, boost: factor)
        }
        return nil
    }
}
