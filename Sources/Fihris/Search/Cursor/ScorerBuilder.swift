import Foundation
import TextAnalysis

/// Builds scorers over one snapshot: BM25 weights from this index's statistics or the
/// collection's (`SearchOptions.statistics`), posting cursors from the snapshot, buffers
/// from the caller's arena.
struct ScorerBuilder {
    let snapshot: IndexSnapshot
    let bm25: BM25
    var statistics: CollectionStatistics? = nil

    func scoring(_ field: Int) throws -> FieldScoring {
        var stats = try snapshot.fieldStatistics(field)
        if let global = statistics?.fields[snapshot.schema.fields[field].name] {
            stats.documents = global.documents
            stats.tokens = global.tokens
        }
        let average = stats.documents > 0 ? Float(Double(stats.tokens) / Double(stats.documents)) : 1
        return FieldScoring(k1: bm25.k1, b: bm25.b, averageLength: average)
    }

    /// The idf of a term: from the collection's document frequency when given, else this
    /// index's.
    func idf(_ term: TermID, localFrequency: Int) -> Float {
        var df = localFrequency
        if let statistics {
            let key = CollectionStatistics.Term(field: snapshot.schema.fields[term.field].name, isStem: term.kind == .stem,
                                                text: String(decoding: term.text, as: UTF8.self))
            df = statistics.documentFrequencies[key] ?? localFrequency
        }
        let n = max(statistics?.documents ?? snapshot.liveDocuments, 1)
        return BM25.idf(documentFrequency: min(df, n), documentCount: n)
    }

    func label(_ term: TermID) -> String {
        "\(snapshot.schema.fields[term.field].name):\(String(decoding: term.text, as: UTF8.self)) (\(term.kind))"
    }

    /// A word's scorer, or nil when its stem is in no document.
    func word(_ word: WordTerm, arena: inout ScratchArena) throws -> WordScorer? {
        let stemID = TermID(field: word.field, kind: .stem, text: word.stem)
        guard let stemList = try snapshot.postings(stemID) else { return nil }
        let exactID = TermID(field: word.field, kind: .exact, text: word.exact)
        let exactList = bm25.exactMatchWeight > 0 ? try snapshot.postings(exactID) : nil
        return WordScorer(
            stem: PostingCursor(stemList, arena: &arena), stemWeight: idf(stemID, localFrequency: stemList.documentFrequency) * word.boost,
            exact: exactList.map { PostingCursor($0, arena: &arena) },
            exactWeight: exactList.map { idf(exactID, localFrequency: $0.documentFrequency) * bm25.exactMatchWeight * word.boost } ?? 0,
            scoring: try scoring(word.field), norms: snapshot.norms(word.field)) { [self] stem in label(stem ? stemID : exactID) }
    }

    /// A phrase's scorer, or nil when one of its words is in no document (or, strict, in no
    /// compatible vocalization).
    func phrase(_ phrase: PhraseTerm, arena: inout ScratchArena) throws -> PhraseScorer? {
        var cursors: [PostingCursor] = [], restrictions: [(slot: Int, cursor: PostingCursor)] = []
        var weight: Float = 0
        for (slot, word) in phrase.words.enumerated() {
            let id = TermID(field: phrase.field, kind: word.isRoot ? .root : .exact, text: word.term)
            guard let list = try snapshot.postings(id, withPositions: true) else { return nil }
            cursors.append(PostingCursor(list, arena: &arena))
            weight += idf(id, localFrequency: list.documentFrequency)
            guard let (stem, marks) = word.vocalized else { continue }
            let compatible = try vocalizations(field: phrase.field, stem: stem, marks: marks)
            if compatible.isEmpty { return nil }
            for term in compatible {
                guard let list = try snapshot.postings(TermID(field: phrase.field, kind: .vocalized, text: term), withPositions: true) else { continue }
                restrictions.append((slot, PostingCursor(list, arena: &arena)))
            }
        }
        let words = phrase.words.map { word in
            var text = String(decoding: word.term, as: UTF8.self)
            if let (stem, marks) = word.vocalized { text += "[" + Vocalization.describe(String(decoding: stem, as: UTF8.self), marks) + "]" }
            return word.isRoot ? ">>" + text : text
        }.joined(separator: " ")
        let strict = phrase.words.contains { $0.vocalized != nil } ? "=" : ""
        let label = "\(snapshot.schema.fields[phrase.field].name):\(strict)\"\(words)\"" + (phrase.slop > 0 ? "~\(phrase.slop)" : "")
        return PhraseScorer(phrase, terms: cursors, restrictions: restrictions, weight: weight * phrase.boost, scoring: try scoring(phrase.field),
                            norms: snapshot.norms(phrase.field), label: label + (phrase.boost != 1 ? "^" + Query.number(phrase.boost) : ""))
    }

    /// The vocalized terms of `stem` whose harakat are compatible with `marks`, in key order.
    func vocalizations(field: Int, stem: [UInt8], marks: [UInt8]) throws -> [[UInt8]] {
        let prefix = VocalizedTerm.prefix(stem)
        let label = "\(snapshot.schema.fields[field].name):\(Vocalization.describe(String(decoding: stem, as: UTF8.self), marks)) (vocalized)"
        return try TermExpansion.terms(snapshot, field: field, kind: .vocalized, .init(prefix: prefix), label: label) { term in
            Vocalization.isCompatible(query: marks, document: Array(term[prefix.count...]))
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The documents where the stem `stem` is written with harakat compatible with `marks`,
    /// scoring the word's best BM25 contribution (its stem's idf × (k1 + 1) × (1 + the
    /// exact-match weight)); nil when there are none.
    func vocalized(field: Int, stem: [UInt8], marks: [UInt8], arena: inout ScratchArena) throws -> DocumentList? {
        let stemID = TermID(field: field, kind: .stem, text: stem)
        guard let stemList = try snapshot.postings(stemID) else { return nil }
        let constant = idf(stemID, localFrequency: stemList.documentFrequency) * (bm25.k1 + 1) * (1 + bm25.exactMatchWeight)
        let prefix = VocalizedTerm.prefix(stem)
        let label = "\(snapshot.schema.fields[field].name):\(Vocalization.describe(String(decoding: stem, as: UTF8.self), marks)) (vocalized)"
        return try TermExpansion.documents(snapshot, field: field, kind: .vocalized, .init(prefix: prefix), constant: constant,
                                           label: label, arena: &arena) { term in
            Vocalization.isCompatible(query: marks, document: Array(term[prefix.count...]))
        }
    }

    /// Zero-score cursors for filters; nil when one of them matches nothing.
    func filters(_ queries: [BoundQuery], arena: inout ScratchArena) throws -> Filters? {
        var postings: [PostingCursor] = [], bits: [DocumentBits] = [], others: [AnyScorer] = []
        for query in queries {
            if case .keyword(let field, let value) = query {
                let term = TermID(field: field, kind: .keyword, text: value)
                guard let list = try snapshot.postings(term) else { return nil }
                // A value in one document of 32 or more: as bits (built once per process and
                // list, `IndexSnapshot.documentBits`), a check per candidate instead of
                // decoding the whole list block by block.
                if list.documentFrequency * 32 >= Int(snapshot.nextDocument) {
                    bits.append(DocumentBits(try snapshot.documentBits(term, list, arena: &arena), cost: list.documentFrequency))
                } else {
                    postings.append(PostingCursor(list, arena: &arena))
                }
            } else {
                guard let cursor = try scorer(query, arena: &arena) else { return nil }
                others.append(cursor)
            }
        }
        return Filters(postings: postings, bits: bits, others: others)
    }

    /// The scorer of any bound query, or nil when it matches nothing.
    func scorer(_ query: BoundQuery, arena: inout ScratchArena) throws -> AnyScorer? {
        switch query {
        case .none:
            return nil
        case .all:
            return AnyScorer(AllDocuments(end: Int(snapshot.nextDocument)))
        case .word(let field, let stem, let exact):
            return try word(WordTerm(field: field, stem: stem, exact: exact), arena: &arena).map(AnyScorer.init)
        case .fuzzy, .completion:
            return try scorer(try FuzzyExpansion.resolve(query, snapshot), arena: &arena)
        case .bestOf(let clauses):
            let words = clauses.compactMap(\.word)
            if words.count == clauses.count {
                let subs = try words.compactMap { try word($0, arena: &arena) }
                if subs.isEmpty { return nil }
                return subs.count == 1 ? AnyScorer(subs[0]) : AnyScorer(BestOfWords(subs))
            }
            let subs = try clauses.compactMap { try scorer($0, arena: &arena) }
            if subs.isEmpty { return nil }
            return subs.count == 1 ? subs[0] : AnyScorer(BestOf(subs))
        case .boosted(let inner, let factor):
            if let term = query.word { return try word(term, arena: &arena).map(AnyScorer.init) }
            return try scorer(inner, arena: &arena).map { AnyScorer(Boosted($0, factor: factor)) }
        case .phrase(let phrase):
            return try self.phrase(phrase, arena: &arena).map(AnyScorer.init)
        case .prefix(let field, let prefix):
            let label = "\(snapshot.schema.fields[field].name):\(String(decoding: prefix, as: UTF8.self))*"
            return try TermExpansion.documents(snapshot, field: field, kind: .exact, .init(prefix: prefix), constant: 1,
                                               label: label, arena: &arena).map(AnyScorer.init)
        case .root(let field, let root, let weight):
            let id = TermID(field: field, kind: .root, text: root)
            guard let list = try snapshot.postings(id) else { return nil }
            return AnyScorer(WordScorer(
                stem: PostingCursor(list, arena: &arena), stemWeight: idf(id, localFrequency: list.documentFrequency) * weight,
                exact: nil, exactWeight: 0, scoring: try scoring(field), norms: snapshot.norms(field)) { [self] _ in label(id) })
        case .vocalized(let field, let stem, let marks):
            return try vocalized(field: field, stem: stem, marks: marks, arena: &arena).map(AnyScorer.init)
        case .keyword(let field, let value):
            guard let list = try snapshot.postings(TermID(field: field, kind: .keyword, text: value)) else { return nil }
            return AnyScorer(ZeroScore(PostingCursor(list, arena: &arena)))
        case .keywordPrefix(let field, _), .keywordRange(let field, _, _, _, _):
            var range = TermExpansion.Range()
            var label = "the range on \(snapshot.schema.fields[field].name)"
            if case .keywordPrefix(_, let prefix) = query {
                range.prefix = prefix
                label = "the prefix \(snapshot.schema.fields[field].name):\(String(decoding: prefix, as: UTF8.self))*"
            } else if case .keywordRange(_, let lower, let lowerInclusive, let upper, let upperInclusive) = query {
                range.lower = lower.map { ($0, lowerInclusive) }
                range.upper = upper.map { ($0, upperInclusive) }
            }
            return try TermExpansion.documents(snapshot, field: field, kind: .keyword, range, constant: 0,
                                               label: label, arena: &arena).map(AnyScorer.init)
        case .numericRange(let field, let isDouble, let lower, let lowerInclusive, let upper, let upperInclusive):
            var column = snapshot.column(field)
            var docs: [UInt32] = []
            for d in 0..<Int(snapshot.nextDocument) {
                guard let value = try column.number(d, isDouble: isDouble) else { continue }
                if let lower, lowerInclusive ? value < lower : value <= lower { continue }
                if let upper, upperInclusive ? value > upper : value >= upper { continue }
                docs.append(UInt32(d))
            }
            return docs.isEmpty ? nil : AnyScorer(DocumentList(docs: docs, constant: 0, label: ""))
        case .boolean(let must, let should, let mustNot, let filter):
            var required: [AnyScorer] = []
            for q in must + filter {
                guard let scorer = try scorer(q, arena: &arena) else { return nil }
                required.append(scorer)
            }
            var optional: [AnyScorer] = []
            for q in should { if let s = try scorer(q, arena: &arena) { optional.append(s) } }
            var excluded: [AnyScorer] = []
            for q in mustNot { if let s = try scorer(q, arena: &arena) { excluded.append(s) } }
            if required.isEmpty {
                guard !optional.isEmpty else { return nil }
                let base = optional.count == 1 ? optional[0] : AnyScorer(Disjunction(optional))
                return excluded.isEmpty ? base : AnyScorer(RequiredOptionalExcluded(required: base, optional: [], excluded: excluded))
            }
            let base = required.count == 1 ? required[0] : AnyScorer(Conjunction(required))
            if optional.isEmpty && excluded.isEmpty { return base }
            return AnyScorer(RequiredOptionalExcluded(required: base, optional: optional, excluded: excluded))
        }
    }
}
