/// A word of a text field, as the planner hands it to a word scorer.
struct WordTerm: Equatable {
    var field: Int
    var stem: [UInt8]
    var exact: [UInt8]
    /// The word's score factor (`word^2`, a field's boost).
    var boost: Float = 1
}

/// How a search runs: which algorithm, over which clauses, with which filters. Made by
/// `QueryPlanner.plan`, run by `QueryExecutor`.
enum QueryPlan: Equatable {
    /// Matches nothing.
    case empty
    /// A lone prefix (every match scores 1): its k lowest documents (`LowestDocuments`).
    case lowestDocuments(field: Int, prefix: [UInt8])
    /// Words that must all match, one or more, block-max pruned (`BlockMaxConjunction`).
    case blockMaxConjunction(words: [WordTerm], filters: [BoundQuery])
    /// Words of which any may match, MaxScore-pruned (`MaxScore` over word scorers).
    case maxScoreWords(words: [WordTerm], filters: [BoundQuery])
    /// The best of several words (a completion, a fuzzy word's neighbours): each word's
    /// block-max top k, merged by the best score — exact, since a document among the k
    /// best by its best word is among that word's k best.
    case bestOfWords(words: [WordTerm], filters: [BoundQuery])
    /// Clauses of which any may match, MaxScore-pruned (`MaxScore` over any scorers).
    case maxScore(clauses: [BoundQuery], filters: [BoundQuery])
    /// A phrase, position checks pruned by a frequency bound (`ThresholdTopK`).
    case phrase(PhraseTerm, filters: [BoundQuery])
    /// Every match scored and counted (`Exhaustive`): exact totals, facets, and queries
    /// that have no pruned algorithm.
    case exhaustive(BoundQuery)
    /// Every match visited and counted, the first k by sort keys (`SortedTopK`): scored
    /// only where the keys before the score could place a document among them.
    case sorted(BoundQuery, keys: [BoundSortKey])

    /// The algorithm and its inputs' sizes, for tests and `--explain`.
    var summary: String {
        func count(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
        switch self {
        case .empty: return "empty"
        case .lowestDocuments: return "lowestDocuments"
        case .blockMaxConjunction(let words, let filters): return "blockMaxConjunction(\(count(words.count, "word")), \(count(filters.count, "filter")))"
        case .maxScoreWords(let words, let filters): return "maxScoreWords(\(count(words.count, "word")), \(count(filters.count, "filter")))"
        case .bestOfWords(let words, let filters): return "bestOfWords(\(count(words.count, "word")), \(count(filters.count, "filter")))"
        case .maxScore(let clauses, let filters): return "maxScore(\(count(clauses.count, "clause")), \(count(filters.count, "filter")))"
        case .phrase(let phrase, let filters): return "phrase(\(count(phrase.words.count, "word")), \(count(filters.count, "filter")))"
        case .exhaustive: return "exhaustive"
        case .sorted(_, let keys): return "sorted(\(count(keys.count, "key")))"
        }
    }
}
