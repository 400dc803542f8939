import Foundation
import QueryLanguage

/// A query resolved against a schema: fields are numbers, words are analyzed with their
/// field's analyzer, range bounds are parsed.
indirect enum BoundQuery: Equatable {
    /// A word of a text field: matches its stem, scores the stem (weight 1) plus the exact
    /// form (`exactMatchWeight`).
    case word(field: Int, stem: [UInt8], exact: [UInt8])
    /// Words at consecutive positions (offsets from the first), within `slop` moves.
    case phrase(PhraseTerm)
    /// Exact forms of a text field starting with `prefix` (constant score 1).
    case prefix(field: Int, prefix: [UInt8])
    /// Tokens of the stem `stem` whose harakat on the stem's letters are compatible with
    /// `marks` (one byte per letter, `Vocalization.isCompatible`): a constant score, the
    /// word's best BM25 contribution, so compatible documents rank above those that only
    /// match after folding.
    case vocalized(field: Int, stem: [UInt8], marks: [UInt8])
    /// Words whose root (`RootExtractor`) is `root`: BM25 on the root's postings, times
    /// `weight` (1 for `>>word`; the expansion weight when a free-text word adds its root).
    case root(field: Int, root: [UInt8], weight: Float)
    /// A keyword value (a filter: score 0).
    case keyword(field: Int, value: [UInt8])
    /// Keyword values starting with `prefix` (a filter).
    case keywordPrefix(field: Int, prefix: [UInt8])
    /// Keyword values in a byte-order range (a filter).
    case keywordRange(field: Int, lower: [UInt8]?, lowerInclusive: Bool, upper: [UInt8]?, upperInclusive: Bool)
    /// Values of a numeric column in a range (a filter); bounds as doubles or integers.
    case numericRange(field: Int, isDouble: Bool, lower: Double?, lowerInclusive: Bool, upper: Double?, upperInclusive: Bool)
    /// `must` clauses score and restrict; `should` clauses score (and restrict only when
    /// there are no required clauses); `mustNot` clauses exclude; `filter` clauses restrict
    /// without scoring (required clauses that cannot score: keyword values, ranges).
    case boolean(must: [BoundQuery], should: [BoundQuery], mustNot: [BoundQuery], filter: [BoundQuery])
    case all
    /// A word, prefix, vocalized stem or `all` whose score is multiplied by a factor (other
    /// clauses take a boost inside them: `withBoost(_:_:)`).
    case boosted(BoundQuery, Float)
    /// A word and the words of its field within `maxCost` half edits of its stem or exact
    /// form (`FuzzyTerms`), expanded against the index before planning
    /// (`FuzzyExpansion.resolve`); `automatic`: only when the word's stem is in no document.
    case fuzzy(field: Int, stem: [UInt8], exact: [UInt8], maxCost: Int, automatic: Bool)
    /// Documents matching any clause, scored by the best clause that matches (Lucene's
    /// DisjunctionMaxQuery): a fuzzy word's expansions, so that a document holding several
    /// neighbours of a misspelled word does not outscore one holding the word meant.
    case bestOf([BoundQuery])
    /// A word being typed: the words of the field its folded form begins, the most
    /// frequent `FuzzyExpansion.maximumCompletions`, each scored as a word, a document its
    /// best (`FuzzyExpansion.resolve`); `stem`: the typed word's own stem (a whole word).
    case completion(field: Int, prefix: [UInt8], stem: [UInt8])
    /// Matches nothing (e.g. a clause made only of stop words: it is dropped from Booleans).
    case none
}


/// A phrase of a text field: its words at their offsets from the first, within `slop` moves.
struct PhraseTerm: Equatable {
    var field: Int
    var words: [PhraseWord]
    var offsets: [Int]
    var slop: Int
    /// The phrase's score factor (`"…"^2`, a field's boost).
    var boost: Float = 1
}

/// One word of a phrase: the posting list whose positions it reads — an exact form (kind
/// `e`), or in a root phrase (`>>"…"`) the word's root (kind `r`) — and, in a strict phrase
/// (`="…"`), the harakat its token must carry at that position.
struct PhraseWord: Equatable {
    var term: [UInt8]
    var isRoot = false
    /// The word's stem and the marks typed on its letters (`Vocalization.isCompatible`).
    var vocalized: (stem: [UInt8], marks: [UInt8])?

    static func == (a: PhraseWord, b: PhraseWord) -> Bool {
        a.term == b.term && a.isRoot == b.isRoot && a.vocalized?.stem == b.vocalized?.stem && a.vocalized?.marks == b.vocalized?.marks
    }
}

extension BoundQuery {
    /// Whether matching it can add to a document's score (words, phrases, prefixes); a
    /// required clause that cannot is a filter.
    var scores: Bool {
        switch self {
        case .word, .phrase, .prefix, .vocalized, .root, .fuzzy, .bestOf, .completion: true
        case .keyword, .keywordPrefix, .keywordRange, .numericRange, .all, .none: false
        case .boolean(let must, let should, _, _): (must + should).contains { $0.scores }
        case .boosted(let inner, _): inner.scores
        }
    }

    /// This query with its score multiplied by `factor`: a Boolean's scoring clauses each
    /// (a sum scaled is its parts scaled), a phrase's and a root's own weight, nested boosts
    /// multiplied, filters unchanged; a word, prefix, vocalized stem or `all` wrapped.
    static func withBoost(_ query: BoundQuery, _ factor: Float) -> BoundQuery {
        if factor == 1 { return query }
        switch query {
        case .boolean(let must, let should, let mustNot, let filter):
            return .boolean(must: must.map { withBoost($0, factor) }, should: should.map { withBoost($0, factor) }, mustNot: mustNot, filter: filter)
        case .phrase(var phrase):
            phrase.boost *= factor
            return .phrase(phrase)
        case .root(let field, let root, let weight):
            return .root(field: field, root: root, weight: weight * factor)
        case .boosted(let inner, let f):
            return f * factor == 1 ? inner : .boosted(inner, f * factor)
        case .bestOf(let clauses):
            return .bestOf(clauses.map { withBoost($0, factor) })
        case .word, .prefix, .vocalized, .all, .fuzzy, .completion:
            return .boosted(query, factor)
        case .keyword, .keywordPrefix, .keywordRange, .numericRange, .none:
            return query
        }
    }

    /// A Boolean of required clauses only: its scoring clauses and its filters.
    static func conjunction(_ clauses: [BoundQuery]) -> BoundQuery {
        let filters = clauses.filter { !$0.scores }
        let must = clauses.filter(\.scores)
        if must.count == 1 && filters.isEmpty { return must[0] }
        if must.isEmpty && filters.count == 1 { return filters[0] }
        return .boolean(must: must, should: [], mustNot: [], filter: filters)
    }
}
