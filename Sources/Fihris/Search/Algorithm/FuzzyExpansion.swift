import Foundation
import TextAnalysis

/// Rewrites fuzzy words (`BoundQuery.fuzzy`) against one index, before planning: a word
/// becomes the best of the stems within its edits (`BoundQuery.bestOf`: a document scores
/// its best neighbour, not their sum) — found among the field's stems (from the
/// query's stem) and among its exact forms (from the query's form, each found form standing
/// for its stem) — each scoring as a word times 0.5 per edit (a confusable letter, half an
/// edit: 0.71), the word itself at full weight. At most `maximumExpansions` stems, the
/// nearest and then the most frequent. So every later step (plan, pruning, snippets) sees
/// plain words.
enum FuzzyExpansion {
    static let maximumExpansions = 32

    /// The score factor of an expansion `cost` half edits away.
    static func weight(cost: Int) -> Float { Float(pow(0.5, Double(cost) / 2)) }

    static func resolve(_ query: BoundQuery, _ snapshot: IndexSnapshot) throws -> BoundQuery {
        switch query {
        case .fuzzy(let field, let stem, let exact, let maxCost, let automatic):
            let word = BoundQuery.word(field: field, stem: stem, exact: exact)
            if maxCost == 0 { return word }
            if automatic, try snapshot.documentFrequency(TermID(field: field, kind: .stem, text: stem)) > 0 { return word }
            let near = try stems(field: field, stem: stem, exact: exact, maxCost: maxCost, snapshot)
            let blend = Blend(most: near.map(\.documents).max() ?? 1, snapshot)
            var clauses: [BoundQuery] = []
            for candidate in near {
                let clause = BoundQuery.word(field: field, stem: candidate.stem, exact: candidate.form ?? [])
                clauses.append(candidate.stem == stem ? .word(field: field, stem: stem, exact: exact)
                               : .withBoost(clause, weight(cost: candidate.cost) * blend.factor(candidate.documents)))
            }
            if clauses.isEmpty { return word }
            return clauses.count == 1 ? clauses[0] : .bestOf(clauses)
        case .completion(let field, let prefix, let stem):
            return try complete(field: field, prefix: prefix, stem: stem, snapshot)
        case .boolean(let must, let should, let mustNot, let filter):
            return .boolean(must: try must.map { try resolve($0, snapshot) }, should: try should.map { try resolve($0, snapshot) },
                            mustNot: try mustNot.map { try resolve($0, snapshot) }, filter: try filter.map { try resolve($0, snapshot) })
        case .boosted(let inner, let factor):
            return .withBoost(try resolve(inner, snapshot), factor)
        default:
            return query
        }
    }

    /// Every neighbour of a fuzzy word, or completion of a typed one, scores with the idf of
    /// the most frequent of them (Lucene's blended rewrite): a rare one would otherwise
    /// outscore the common word meant.
    struct Blend {
        let n: Int, idf: Float

        init(most: Int, _ snapshot: IndexSnapshot) {
            n = max(snapshot.liveDocuments, 1)
            idf = BM25.idf(documentFrequency: min(max(most, 1), n), documentCount: n)
        }

        /// The factor that turns the idf of a word in `documents` documents into the blend's.
        func factor(_ documents: Int) -> Float {
            let own = BM25.idf(documentFrequency: min(documents, n), documentCount: n)
            return own > 0 ? idf / own : 1
        }
    }

    /// The stem of an exact form of `field` (its first token's), nil when it has none.
    static func stem(of form: [UInt8], _ analyzer: Analyzer) throws -> [UInt8]? {
        try analyzer.tokens(String(decoding: form, as: UTF8.self)).first?.stem
    }

    /// Completions of a word being typed, at most this many (the most frequent).
    static let maximumCompletions = 10

    /// The words of `field` that `prefix` begins, the most frequent first, as the best of
    /// them (blended idf, as for typos); the typed word itself among them when it is one.
    static func complete(field: Int, prefix: [UInt8], stem: [UInt8], _ snapshot: IndexSnapshot) throws -> BoundQuery {
        let chosen = try snapshot.mostFrequentTerms(field: field, kind: .exact, prefix: prefix, limit: maximumCompletions)
        guard let most = chosen.first?.documents else { return .none }
        let blend = Blend(most: most, snapshot)
        let analyzer = try Analyzer(snapshot.schema.fields[field].analyzerOptions)
        var clauses: [BoundQuery] = []
        for (form, df) in chosen {
            let formStem = form == prefix ? stem : (try Self.stem(of: form, analyzer) ?? form)
            clauses.append(.withBoost(.word(field: field, stem: formStem, exact: form), blend.factor(df)))
        }
        return clauses.count == 1 ? clauses[0] : .bestOf(clauses)
    }

    struct Candidate: Equatable {
        var stem: [UInt8]
        /// The exact form that was found near the query's form (its exact-form bonus).
        var form: [UInt8]?
        var cost: Int
        var documents: Int
    }

    /// The stems within `maxCost` of the word (by its stem or its form), nearest first,
    /// then most frequent; the word's own stem (cost 0) when it is in the index.
    static func stems(field: Int, stem: [UInt8], exact: [UInt8], maxCost: Int, _ snapshot: IndexSnapshot) throws -> [Candidate] {
        var best: [[UInt8]: Candidate] = [:]
        func offer(_ c: Candidate) {
            if let old = best[c.stem], old.cost < c.cost || (old.cost == c.cost && old.form != nil) { return }
            best[c.stem] = c
        }
        for match in try FuzzyTerms.matches(stem, maxCost: maxCost, snapshot: snapshot, field: field, kind: .stem).matches {
            offer(Candidate(stem: match.term, form: nil, cost: match.cost, documents: 0))
        }
        let analyzer = try Analyzer(snapshot.schema.fields[field].analyzerOptions)
        for match in try FuzzyTerms.matches(exact, maxCost: maxCost, snapshot: snapshot, field: field, kind: .exact).matches {
            guard let formStem = try Self.stem(of: match.term, analyzer) else { continue }
            offer(Candidate(stem: formStem, form: match.term, cost: match.cost, documents: 0))
        }
        var candidates = Array(best.values)
        for i in candidates.indices {
            candidates[i].documents = try snapshot.documentFrequency(TermID(field: field, kind: .stem, text: candidates[i].stem))
        }
        candidates.removeAll { $0.documents == 0 }
        candidates.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.documents != $1.documents ? $0.documents > $1.documents : $0.stem.lexicographicallyPrecedes($1.stem) }
        return Array(candidates.prefix(maximumExpansions))
    }
}
