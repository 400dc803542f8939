import Foundation

/// "Did you mean": the words of the index nearest to each query word that is in no
/// document (`FuzzyTerms` over the field's exact forms: up to 1 edit, 2 from 9 letters),
/// fewest edits first, then the most documents.
enum Suggestions {
    static let perWord = 5

    static func make(_ query: BoundQuery, _ snapshot: IndexSnapshot) throws -> [SearchResults.Suggestion] {
        var words: [(field: Int, exact: [UInt8])] = []
        func collect(_ q: BoundQuery) {
            switch q {
            case .word(let field, _, let exact), .fuzzy(let field, _, let exact, _, _):
                if !words.contains(where: { $0.field == field && $0.exact == exact }) { words.append((field, exact)) }
            case .boolean(let must, let should, _, _): for x in must + should { collect(x) }
            case .boosted(let inner, _): collect(inner)
            case .bestOf(let clauses): for x in clauses { collect(x) }
            default: break
            }
        }
        collect(query)
        var out: [SearchResults.Suggestion] = []
        for (field, exact) in words where !exact.isEmpty {
            guard try snapshot.documentFrequency(TermID(field: field, kind: .exact, text: exact)) == 0 else { continue }
            let letters = exact.withUnsafeBytes { FuzzyTerms.scalars($0) }.count
            guard letters >= 2 else { continue }
            var candidates: [(term: [UInt8], cost: Int, documents: Int)] = []
            for match in try FuzzyTerms.matches(exact, maxCost: letters >= 9 ? 4 : 2, snapshot: snapshot, field: field, kind: .exact).matches {
                let documents = try snapshot.documentFrequency(TermID(field: field, kind: .exact, text: match.term))
                if documents > 0 { candidates.append((match.term, match.cost, documents)) }
            }
            guard !candidates.isEmpty else { continue }
            candidates.sort { $0.cost != $1.cost ? $0.cost < $1.cost : $0.documents != $1.documents ? $0.documents > $1.documents : $0.term.lexicographicallyPrecedes($1.term) }
            out.append(SearchResults.Suggestion(
                word: String(decoding: exact, as: UTF8.self), field: snapshot.schema.fields[field].name,
                candidates: candidates.prefix(perWord).map {
                    .init(text: String(decoding: $0.term, as: UTF8.self), documents: $0.documents, edits: Float($0.cost) / 2)
                }))
        }
        return out
    }
}
