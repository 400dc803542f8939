import QueryLanguage

/// How to run a search.
///
///     var options = SearchOptions(limit: 20)
///     try options.addFilter("collection:bukhari book:[1 TO 10]")
///     options.facets = ["collection"]
///     options.snippets = true
///     let results = try index.read { try $0.search("الصيام رمضان", options: options) }
public struct SearchOptions: Sendable {
    /// Hits to return (after `offset`). A limit as large as the index returns every match.
    public var limit: Int = 10
    /// Hits to skip (paging).
    public var offset: Int = 0
    /// The operator between adjacent clauses of a query string (nil: the schema's, else OR).
    public var defaultOperator: QueryParser.DefaultOperator?
    /// `.strict` (the default): a malformed query string is an `invalidQuery` error naming
    /// the column. `.lenient`, for search boxes: well-formed operators work, anything else
    /// (an unclosed quote or bracket, a colon after a word that is no field, a range on a
    /// text field) is searched as text, never an error. CLI: `--plain`.
    public var queryMode: QueryParser.Mode = .strict
    /// و, أو (او) and ليس standing alone are AND, OR and NOT in query strings (off by
    /// default). CLI: `--arabic-operators`.
    public var arabicOperators = false
    /// Queries every hit must also match; they do not change scores. Parsed queries (see
    /// `addFilter(_:)` to add one written in the query syntax).
    public var filters: [Query] = []
    /// Keyword fields to count values of, over all matches (filters included).
    /// A numeric field with ranges counts documents per range: `"book:0-10,10-20,20-"`
    /// (from inclusive, to exclusive). Counted over every match, filters included.
    public var facets: [String] = []
    /// The order of the hits (empty: relevance, the score best first). With any other keys
    /// every match is visited and counted exactly; documents are scored only where the keys
    /// before the first score key could place them among the hits. CLI: `--sort book:asc,score:desc`.
    public var sort: [SortKey] = []
    /// Count every match (`.exact`) instead of a lower bound (`.atLeast`) when pruning.
    public var exactTotal: Bool = false
    /// Compute each hit's best passage with the matched words marked.
    public var snippets: Bool = false
    /// Passage length, passages per field, whole-field highlighting, which fields, tags
    /// (with `snippets`). CLI: `--snippet-words`, `--snippets`, `--highlight-whole`,
    /// `--snippet-fields`, `--highlight-tags`.
    public var snippetOptions = SnippetOptions()
    /// Break each hit's score down per term.
    public var explain: Bool = false
    /// What harakat typed in a query word do (`عَلَّمَ`): `.rank` (the default) puts documents
    /// whose word is written with compatible harakat first; `.strict` matches only those
    /// (in words, phrases and filters; in a phrase, per document). A word typed without
    /// harakat is unaffected. CLI: `fihris search --vocalized`.
    public var vocalization: VocalizationMatching = .rank
    /// Free-text words also match other words of their root (`RootExtractor`), scored at
    /// this weight of a root match (nil or 0: off, the default; see the README for what it
    /// does to ranking): a document with the word scores as before plus its root's share, and
    /// a document with only another word of the root comes in at that weight.
    public var rootExpansion: Float?
    /// Typos: `.off` (the default) matches words as typed (after folding; `word~1` and
    /// `word~2` in a query still allow edits); `.automatic` lets a free-text word of 4
    /// letters or more that is in no document match the words within 1 edit of it (2 from
    /// 9 letters; Damerau–Levenshtein after folding, confusable letters half an edit), a
    /// document scoring its best such word at 0.5 per edit. CLI: `--typos auto`.
    public var typoTolerance: TypoTolerance = .off
    /// Synonym groups for this search (nil: the schema's). CLI: `--synonyms FILE`.
    public var synonyms: Synonyms?
    /// Search as you type: the last word of a query string, when nothing follows it, is
    /// taken as the beginning of a word — it matches the 10 most frequent words of the
    /// index it begins, a document scoring its best — and the earlier words as typed.
    /// CLI: `--as-you-type`.
    public var asYouType = false
    /// Below this many matching documents, `SearchResults.suggestions` names the nearest
    /// words of the index for each query word found in no document (0: never).
    public var suggestBelow = 5
    /// The longest a search may run before it stops with a `budgetExceeded` error (nil: no
    /// limit, the library's default; the CLI's is 10 s, `--time-limit`). Checked as posting
    /// blocks and positions are decoded, so a search stops within a few milliseconds of it.
    public var timeBudget: Duration?
    /// Return hits' stored fields (with false, `Hit.document` holds the id only: cheaper
    /// when only ids and scores are wanted).
    public var storedFields: Bool = true
    /// BM25 parameters (nil: the schema's, else Lucene's 1.2 / 0.75).
    public var bm25: BM25?
    /// Statistics of the whole collection when this index is one shard of it (see
    /// `CollectionStatistics`); nil: this index's own.
    public var statistics: CollectionStatistics?

    public init(limit: Int = 10) { self.limit = limit }

    /// Adds a filter written in the query syntax; adjacent clauses are all required (AND).
    /// Throws a `QueryError` naming the column when it does not parse.
    public mutating func addFilter(_ query: String) throws(QueryError) {
        filters.append(try QueryParser(defaultOperator: .and).parse(query))
    }
}

/// Whether misspelled words match (`SearchOptions.typoTolerance`).
public enum TypoTolerance: String, Sendable, Equatable, CaseIterable {
    case off
    case automatic = "auto"
}

/// How harakat typed in a query are used (`SearchOptions.vocalization`).
public enum VocalizationMatching: Sendable, Equatable {
    /// Compatible vocalizations rank first; every folded match still matches.
    case rank
    /// Only compatible vocalizations match.
    case strict
}
