import Foundation
import QueryLanguage

/// Corpus statistics BM25 depends on. Read them from each index of a sharded collection,
/// add them up with `merged(_:)`, and pass the sum in `SearchOptions.statistics`: every
/// shard then scores as if it held the whole collection, so their results can be merged.
///
///     let parts = try shards.map { try $0.read { try $0.collectionStatistics(for: query) } }
///     var options = SearchOptions(limit: 10)
///     options.statistics = .merged(parts)
///     let results = SearchResults.merged(try shards.map { try $0.read { try $0.search(query, options: options) } }, limit: 10)
public struct CollectionStatistics: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        /// Live documents with a value in the field.
        public var documents: UInt64
        /// Tokens in the field over those documents.
        public var tokens: UInt64
        public init(documents: UInt64, tokens: UInt64) { (self.documents, self.tokens) = (documents, tokens) }
    }

    /// A term of one field, as stored: its stem or its exact normalized form.
    public struct Term: Sendable, Hashable {
        public var field: String
        public var isStem: Bool
        public var text: String
        public init(field: String, isStem: Bool, text: String) {
            self.field = field
            self.isStem = isStem
            self.text = text
        }
    }

    public var documents: Int
    public var fields: [String: Field]
    /// Document frequencies of the terms a query uses.
    public var documentFrequencies: [Term: Int]

    public init(documents: Int = 0, fields: [String: Field] = [:], documentFrequencies: [Term: Int] = [:]) {
        self.documents = documents
        self.fields = fields
        self.documentFrequencies = documentFrequencies
    }

    /// The statistics of several indexes holding disjoint parts of one collection.
    public static func merged(_ parts: [CollectionStatistics]) -> CollectionStatistics {
        var total = CollectionStatistics()
        for part in parts {
            total.documents += part.documents
            for (name, field) in part.fields {
                total.fields[name, default: Field(documents: 0, tokens: 0)].documents += field.documents
                total.fields[name, default: Field(documents: 0, tokens: 0)].tokens += field.tokens
            }
            for (term, df) in part.documentFrequencies { total.documentFrequencies[term, default: 0] += df }
        }
        return total
    }
}

extension SearchResults {
    /// The best `limit` hits of several results (one per shard searched with the same
    /// global statistics), by score, ties by the order of `results` then rank. Totals and
    /// facet counts are added up; a total is exact only when every part's is.
    public static func merged(_ results: [SearchResults], limit: Int, offset: Int = 0) -> SearchResults {
        var all: [(hit: Hit, part: Int, rank: Int)] = []
        for (part, result) in results.enumerated() {
            for (rank, hit) in result.hits.enumerated() { all.append((hit, part, rank)) }
        }
        all.sort { a, b in
            if a.hit.score != b.hit.score { return a.hit.score > b.hit.score }
            return a.part != b.part ? a.part < b.part : a.rank < b.rank
        }
        let exact = results.allSatisfy { if case .exact = $0.total { return true }; return false }
        let count = results.reduce(0) { $0 + $1.total.count }
        var facets: [String: [String: Int]] = [:]
        for result in results {
            for (field, counts) in result.facets {
                for c in counts { facets[field, default: [:]][c.value, default: 0] += c.count }
            }
        }
        return SearchResults(
            hits: Array(all.dropFirst(offset).prefix(limit).map(\.hit)),
            total: exact ? .exact(count) : .atLeast(count),
            facets: facets.mapValues { counts in
                counts.map { FacetCount(value: $0.key, count: $0.value) }
                    .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
            })
    }
}

extension Searcher {
    /// This index's share of the statistics a query needs (document count, field
    /// statistics of the text fields, document frequencies of the query's terms).
    public func collectionStatistics(for query: String, defaultOperator: QueryParser.DefaultOperator? = nil) throws -> CollectionStatistics {
        var binder = QueryBinder(schema: snapshot.schema)
        let bound: BoundQuery
        do { bound = try binder.bind(try parse(query, defaultOperator: defaultOperator)) } catch let error as QueryError {
            throw error.fihrisError(context: "")
        }
        var stats = CollectionStatistics(documents: snapshot.liveDocuments)
        for field in snapshot.schema.textFields {
            let s = try snapshot.fieldStatistics(field)
            stats.fields[snapshot.schema.fields[field].name] = .init(documents: s.documents, tokens: s.tokens)
        }
        func add(_ field: Int, _ kind: TermKind, _ term: [UInt8]) throws {
            let key = CollectionStatistics.Term(field: snapshot.schema.fields[field].name, isStem: kind == .stem,
                                                text: String(decoding: term, as: UTF8.self))
            stats.documentFrequencies[key] = try snapshot.documentFrequency(TermID(field: field, kind: kind, text: term))
        }
        func walk(_ q: BoundQuery) throws {
            switch q {
            case .word(let field, let stem, let exact):
                try add(field, .stem, stem)
                try add(field, .exact, exact)
            case .phrase(let phrase):
                for word in phrase.words where !word.isRoot { try add(phrase.field, .exact, word.term) }
            case .vocalized(let field, let stem, _):
                try add(field, .stem, stem)
            case .root:
                break   // (root terms use each shard's own document frequency)
            case .boolean(let must, let should, let mustNot, _):
                for x in must + should + mustNot { try walk(x) }
            case .boosted(let inner, _):
                try walk(inner)
            case .bestOf(let clauses):
                for x in clauses { try walk(x) }
            default:
                break
            }
        }
        try walk(bound)
        return stats
    }
}
