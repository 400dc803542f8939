import QueryLanguage
import TextAnalysis

/// Turns a parsed `Query` into a `BoundQuery` for one schema.
struct QueryBinder {
    let schema: Schema
    private var analyzers = AnalyzerCache()
    /// Words typed with harakat match only compatible vocalizations (else: rank them first).
    var strictVocalization = false
    /// Free-text words also match their root at this weight (0: off).
    var rootExpansion: Float = 0
    /// Free-text words of 4 letters or more also match words within 1 edit (2 from 9
    /// letters) when they are in no document (`SearchOptions.typoTolerance`).
    var automaticTypos = false
    /// Search as you type: the word written at this range is being typed; it completes to
    /// the words of the index it begins (`BoundQuery.completion`).
    var completing: SourceRange? = nil
    /// Synonym groups (`Synonyms`): entries as analyzed keys, built on first use.
    var synonyms: Synonyms? = nil
    private var synonymKeys: [String: Int]? = nil

    init(schema: Schema) { self.schema = schema }

    mutating func analyzer(_ options: AnalyzerOptions) throws -> Analyzer { try analyzers.analyzer(options) }

    func field(_ name: String, _ range: SourceRange?) throws -> Int {
        guard let number = schema.fieldNumber(name) else {
            let known = schema.fields.map(\.name).joined(separator: ", ")
            throw QueryError("unknown field \"\(name)\" (fields: \(known.isEmpty ? "none yet" : known)); to search for the text, escape the colon: \(name)\\:",
                             column: range?.column ?? 1)
        }
        return number
    }

    mutating func bind(_ query: Query) throws -> BoundQuery {
        switch query {
        case .all:
            return .all
        case .boolean(let clauses):
            var must: [BoundQuery] = [], should: [BoundQuery] = [], mustNot: [BoundQuery] = []
            var stopWords: [BoundQuery] = []  // optional clauses that are stop words
            for clause in try withSynonyms(clauses) {
                if case .synonyms(let occur, let entries) = clause {
                    let bound = try bindEntries(entries)
                    switch occur { case .must: must.append(bound); case .should: should.append(bound); case .mustNot: mustNot.append(bound) }
                    continue
                }
                guard case .clause(let clause) = clause else { continue }
                let bound = try bind(clause.query)
                if case .none = bound { continue }
                switch clause.occur {
                case .must: must.append(bound)
                case .should where try isStopWord(clause.query): stopWords.append(bound)
                case .should: should.append(bound)
                case .mustNot: mustNot.append(bound)
                }
            }
            // In a free-text OR query a stop word counts only when nothing else does (a query
            // of stop words searches them); required, excluded and phrase stop words count.
            if must.isEmpty && should.isEmpty { should = stopWords }
            if must.isEmpty && should.isEmpty && mustNot.isEmpty { return .none }
            if must.isEmpty && should.isEmpty { return .boolean(must: [], should: [], mustNot: mustNot, filter: [.all]) }
            if must.isEmpty && mustNot.isEmpty && should.count == 1 { return should[0] }
            if should.isEmpty && mustNot.isEmpty { return .conjunction(must) }
            return .boolean(must: must.filter(\.scores), should: should, mustNot: mustNot, filter: must.filter { !$0.scores })
        case .term(nil, _, _) where synonyms != nil, .phrase(nil, _, 0, _) where synonyms != nil:
            // A lone word or phrase that is a synonym entry.
            if case .synonyms(_, let entries)? = try withSynonyms([Query.Clause(.should, query)]).first { return try bindEntries(entries) }
            let saved = synonyms
            synonyms = nil
            defer { synonyms = saved }
            return try bind(query)
        case .term(let name, let text, let range):
            if let completing, completing == range {
                return try inFields(name, range) { binder, field in
                    guard let tokens = try binder.tokens(field, text), let last = tokens.last else { return try binder.value(field, text, range) }
                    // Earlier tokens of the same written word (a clitic split off) stay words.
                    let words = tokens.dropLast().map { BoundQuery.word(field: field, stem: $0.stem, exact: $0.term) }
                    let completion = BoundQuery.completion(field: field, prefix: last.term, stem: last.stem)
                    return words.isEmpty ? completion : .boolean(must: [], should: words + [completion], mustNot: [], filter: [])
                }
            }
            return try inFields(name, range) { binder, field in try binder.term(field, text, range) }
        case .prefix(let name, let text, let range):
            return try inFields(name, range) { binder, field in try binder.prefix(field, text, range) }
        case .phrase(let name, let text, let slop, let range):
            return try inFields(name, range) { binder, field in try binder.phrase(field, text, slop, range) }
        case .range(let name, let lower, let upper, let range):
            return try self.range(field(name, range), lower, upper, range)
        case .root(let inner, let range):
            switch inner {
            case .term(let name, let text, _):
                return try inFields(name, range) { binder, field in try binder.root(field, text, range) }
            case .phrase(let name, let text, let slop, _):
                return try inFields(name, range) { binder, field in try binder.rootPhrase(field, text, slop, range) }
            default:
                return try bind(inner)
            }
        case .vocalized(let inner, _):
            let saved = strictVocalization
            strictVocalization = true
            defer { strictVocalization = saved }
            return try bind(inner)
        case .boost(let inner, let factor, _):
            return .withBoost(try bind(inner), factor)
        case .fuzzy(let name, let text, let edits, let range):
            return try inFields(name, range) { binder, field in
                guard let tokens = try binder.tokens(field, text).map(Self.contentWords) else { return try binder.value(field, text, range) }
                let words = tokens.map { token -> BoundQuery in
                    let n = edits ?? FuzzyTerms.automaticEdits(letters: token.term.withUnsafeBytes { FuzzyTerms.scalars($0) }.count)
                    return .fuzzy(field: field, stem: token.stem, exact: token.term, maxCost: 2 * n, automatic: false)
                }
                if words.isEmpty { return .none }
                return words.count == 1 ? words[0] : .boolean(must: [], should: words, mustNot: [], filter: [])
            }
        }
    }

    /// A clause, or a run of clauses that is one entry of a synonym group, with the
    /// group's entries (each a word or a phrase, in every text field).
    enum ClauseOrSynonyms {
        case clause(Query.Clause)
        case synonyms(Query.Occur, [Query])
    }

    /// The clauses, each run of adjacent free-text words (or a phrase) that is an entry of
    /// a synonym group replaced by the group (the longest run first).
    mutating func withSynonyms(_ clauses: [Query.Clause]) throws -> [ClauseOrSynonyms] {
        guard let synonyms, !synonyms.groups.isEmpty, let field = schema.textFields.first else { return clauses.map { .clause($0) } }
        let analyzer = try analyzer(schema.fields[field].analyzerOptions)
        func key(_ text: String) throws -> String {
            try analyzer.tokens(text).filter { !$0.isAlternative }.map(\.termString).joined(separator: " ")
        }
        if synonymKeys == nil {
            var keys: [String: Int] = [:]
            for (g, group) in synonyms.groups.enumerated() {
                for entry in group { let k = try key(entry); if keys[k] == nil { keys[k] = g } }   // the first group wins
            }
            synonymKeys = keys
        }
        let keys = synonymKeys!
        // The text of a clause that can be part of a run: a free-text word.
        func text(_ c: Query.Clause) -> String? {
            if case .term(nil, let t, _) = c.query { return t }
            return nil
        }
        var out: [ClauseOrSynonyms] = []
        var i = 0
        while i < clauses.count {
            var matched = false
            if case .phrase(nil, let t, 0, _) = clauses[i].query, let g = keys[try key(t)] {
                out.append(.synonyms(clauses[i].occur, entries(synonyms.groups[g], analyzer)))
                i += 1
                continue
            }
            if text(clauses[i]) != nil {
                var j = i
                while j < clauses.count, text(clauses[j]) != nil, clauses[j].occur == clauses[i].occur { j += 1 }
                var end = j
                while end > i {
                    let joined = try clauses[i..<end].map { try key(text($0)!) }.joined(separator: " ")
                    if let g = keys[joined] {
                        out.append(.synonyms(clauses[i].occur, entries(synonyms.groups[g], analyzer)))
                        i = end
                        matched = true
                        break
                    }
                    end -= 1
                }
            }
            if !matched { out.append(.clause(clauses[i])); i += 1 }
        }
        return out
    }

    /// A synonym group's entries, bound without synonyms (an entry would find itself), as
    /// the best of them.
    mutating func bindEntries(_ entries: [Query]) throws -> BoundQuery {
        let saved = synonyms
        synonyms = nil
        defer { synonyms = saved }
        let bound = try entries.map { try bind($0) }.filter { if case .none = $0 { return false }; return true }
        return bound.isEmpty ? .none : bound.count == 1 ? bound[0] : .bestOf(bound)
    }

    /// A group's entries as queries: one token a word, more a phrase.
    func entries(_ group: [String], _ analyzer: Analyzer) -> [Query] {
        group.map { entry in
            let count = (try? analyzer.tokens(entry).filter { !$0.isAlternative }.count) ?? 1
            return count <= 1 ? .term(field: nil, text: entry, range: SourceRange(0, 0)) : .phrase(field: nil, text: entry, slop: 0, range: SourceRange(0, 0))
        }
    }

    /// Binds in the named field, or in every text field (OR) when no field is named.
    mutating func inFields(_ name: String?, _ range: SourceRange, _ body: (inout QueryBinder, Int) throws -> BoundQuery) throws -> BoundQuery {
        // A field's boost from the schema scales what is bound in it.
        func boosted(_ field: Int, _ q: BoundQuery) -> BoundQuery { .withBoost(q, schema.fields[field].boost ?? 1) }
        if let name {
            let number = try field(name, range)
            return boosted(number, try body(&self, number))
        }
        let fields = schema.textFields
        let parts = try fields.map { boosted($0, try body(&self, $0)) }.filter { if case .none = $0 { return false }; return true }
        if parts.isEmpty { return .none }
        return parts.count == 1 ? parts[0] : .boolean(must: [], should: parts, mustNot: [], filter: [])
    }

    /// The tokens of `text` in a text field; nil for other fields.
    mutating func tokens(_ field: Int, _ text: String) throws -> [Token]? {
        let definition = schema.fields[field]
        // (A second spelling of a pasted Uthmani word is the document side's business.)
        return definition.type == .text ? try analyzer(definition.analyzerOptions).tokens(text).filter { !$0.isAlternative } : nil
    }

    /// Whether a clause is a single free-text word that is a stop word in every field it
    /// searches.
    mutating func isStopWord(_ query: Query) throws -> Bool {
        guard case .term(let name, let text, let range) = query else { return false }
        let fields = try name.map { [try field($0, range)] } ?? schema.textFields
        for field in fields {
            guard let tokens = try tokens(field, text), !tokens.isEmpty, tokens.allSatisfy(\.isStopWord) else { return false }
        }
        return !fields.isEmpty
    }

    mutating func term(_ field: Int, _ text: String, _ range: SourceRange) throws -> BoundQuery {
        guard let tokens = try tokens(field, text).map(Self.contentWords) else { return try value(field, text, range) }
        let expands = rootExpansion > 0 && schema.fields[field].indexesRoots
        let words = tokens.map { token -> BoundQuery in
            var word = BoundQuery.word(field: field, stem: token.stem, exact: token.term)
            if automaticTypos, !token.isStopWord {
                let edits = FuzzyTerms.automaticEdits(letters: token.term.withUnsafeBytes { FuzzyTerms.scalars($0) }.count)
                if edits > 0 { word = .fuzzy(field: field, stem: token.stem, exact: token.term, maxCost: 2 * edits, automatic: true) }
            }
            if expands, !token.isStopWord, let root = RootExtractor.root(of: token, in: text) {
                word = .boolean(must: [], should: [word, .root(field: field, root: root, weight: rootExpansion)], mustNot: [], filter: [])
            }
            guard schema.fields[field].indexesHarakat, let vocalized = Self.vocalized(field, token) else { return word }
            // Strict: only the compatible vocalizations; else they add to the word's score.
            return strictVocalization ? .boolean(must: [word, vocalized], should: [], mustNot: [], filter: [])
                : .boolean(must: [word], should: [vocalized], mustNot: [], filter: [])
        }
        if words.isEmpty { return .none }
        return words.count == 1 ? words[0] : .boolean(must: [], should: words, mustNot: [], filter: [])
    }

    /// `>>word` in a text field: the roots of its words (a word without one found by the root
    /// list matches as itself); in another field, the value.
    mutating func root(_ field: Int, _ text: String, _ range: SourceRange) throws -> BoundQuery {
        guard let tokens = try tokens(field, text), schema.fields[field].indexesRoots else {
            return try term(field, text, range)
        }
        let clauses = Self.contentWords(tokens).map { token -> BoundQuery in
            RootExtractor.root(of: token, in: text).map { .root(field: field, root: $0, weight: 1) }
                ?? .word(field: field, stem: token.stem, exact: token.term)
        }
        if clauses.isEmpty { return .none }
        return clauses.count == 1 ? clauses[0] : .boolean(must: [], should: clauses, mustNot: [], filter: [])
    }

    /// The vocalized-stem clause of a query word typed with harakat on its stem's letters.
    static func vocalized(_ field: Int, _ token: Token) -> BoundQuery? {
        token.stemVocalization.map { .vocalized(field: field, stem: token.stem, marks: $0) }
    }

    /// The words of a free-text clause: its stop words left out when it has other words (as
    /// in an OR query), all of them when it has none.
    static func contentWords(_ tokens: [Token]) -> [Token] {
        tokens.contains(where: { !$0.isStopWord }) ? tokens.filter { !$0.isStopWord } : tokens
    }

    /// A keyword or numeric field's single value (a word or a phrase in such a field).
    func value(_ field: Int, _ text: String, _ range: SourceRange) throws -> BoundQuery {
        if schema.fields[field].type == .keyword { return .keyword(field: field, value: Array(ScriptFolding.fold(text).utf8)) }
        return try self.range(field, .init(text, inclusive: true), .init(text, inclusive: true), range)
    }

    mutating func prefix(_ field: Int, _ text: String, _ range: SourceRange) throws -> BoundQuery {
        let folded = Array(ScriptFolding.fold(text).utf8)
        guard !folded.isEmpty else { return .none }
        switch schema.fields[field].type {
        case .text: return .prefix(field: field, prefix: folded)
        case .keyword: return .keywordPrefix(field: field, prefix: folded)
        default: throw QueryError("\(schema.fields[field].name) is a numeric field: use a range (\(schema.fields[field].name):[a TO b])", column: range.column)
        }
    }

    mutating func phrase(_ field: Int, _ text: String, _ slop: Int, _ range: SourceRange) throws -> BoundQuery {
        guard let tokens = try tokens(field, text) else { return try value(field, text, range) }
        guard let first = tokens.first else { return .none }
        let harakat = schema.fields[field].indexesHarakat
        if tokens.count > 1 && strictVocalization && harakat {
            // Strict: each word typed with harakat must carry compatible ones at its position.
            return .phrase(PhraseTerm(field: field, words: tokens.map { token in
                PhraseWord(term: token.term, vocalized: token.stemVocalization.map { (token.stem, $0) })
            }, offsets: tokens.map { $0.position - first.position }, slop: slop))
        }
        let vocalized = harakat ? tokens.compactMap { Self.vocalized(field, $0) } : []
        let base: BoundQuery = tokens.count == 1 ? .word(field: field, stem: first.stem, exact: first.term)
            : .phrase(PhraseTerm(field: field, words: tokens.map { PhraseWord(term: $0.term) },
                                 offsets: tokens.map { $0.position - first.position }, slop: slop))
        if vocalized.isEmpty { return base }
        // Harakat on a word (strict) or in a phrase (ranking): compatible documents must match
        // (strict) or rank first.
        if strictVocalization { return .boolean(must: [base] + vocalized, should: [], mustNot: [], filter: []) }
        return .boolean(must: [base], should: vocalized, mustNot: [], filter: [])
    }

    /// `>>"a phrase"` in a text field: the words in order, each matched by its root (a word
    /// without a confirmed root, such as a particle, by its exact form).
    mutating func rootPhrase(_ field: Int, _ text: String, _ slop: Int, _ range: SourceRange) throws -> BoundQuery {
        guard let tokens = try tokens(field, text), schema.fields[field].indexesRoots else {
            return try phrase(field, text, slop, range)
        }
        guard let first = tokens.first else { return .none }
        if tokens.count == 1 { return try root(field, text, range) }
        return .phrase(PhraseTerm(field: field, words: tokens.map { token in
            RootExtractor.root(of: token, in: text).map { PhraseWord(term: $0, isRoot: true) } ?? PhraseWord(term: token.term)
        }, offsets: tokens.map { $0.position - first.position }, slop: slop))
    }

    func range(_ field: Int, _ lower: Query.Bound?, _ upper: Query.Bound?, _ range: SourceRange) throws -> BoundQuery {
        let definition = schema.fields[field]
        switch definition.type {
        case .integer, .double:
            func number(_ bound: Query.Bound?) throws -> Double? {
                guard let bound else { return nil }
                let folded = ScriptFolding.fold(bound.value).replacingOccurrences(of: "٫", with: ".")
                guard let value = Double(folded), value.isFinite else {
                    throw QueryError("\"\(bound.value.cutForMessage)\" is not a number (field \(definition.name) is \(definition.type.rawValue))", column: range.column)
                }
                return value
            }
            let low = try number(lower), high = try number(upper)
            if let low, let high, low > high {
                throw QueryError("the range's lower bound \(lower!.value) is above its upper bound \(upper!.value)", column: range.column)
            }
            return .numericRange(field: field, isDouble: definition.type == .double, lower: low, lowerInclusive: lower?.inclusive ?? true,
                                 upper: high, upperInclusive: upper?.inclusive ?? true)
        case .keyword:
            let low = lower.map { Array(ScriptFolding.fold($0.value).utf8) }, high = upper.map { Array(ScriptFolding.fold($0.value).utf8) }
            if let low, let high, high.lexicographicallyPrecedes(low) {
                throw QueryError("the range's lower bound \(lower!.value) is above its upper bound \(upper!.value)", column: range.column)
            }
            return .keywordRange(field: field, lower: low, lowerInclusive: lower?.inclusive ?? true, upper: high, upperInclusive: upper?.inclusive ?? true)
        case .text:
            throw QueryError("ranges need a numeric or keyword field; \(definition.name) is text", column: range.column)
        }
    }
}
