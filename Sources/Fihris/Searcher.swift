import Foundation
import LMDBStore
import PostingsCodec
import QueryLanguage
import TextAnalysis

/// BM25 parameters (Lucene's defaults).
public struct BM25: Sendable, Equatable, Codable {
    /// Term-frequency saturation.
    public var k1: Float = 1.2
    /// Length normalization (0 = none, 1 = full).
    public var b: Float = 0.75
    public init(k1: Float = 1.2, b: Float = 0.75, exactMatchWeight: Float = 0.5) {
        self.k1 = k1
        self.b = b
        self.exactMatchWeight = exactMatchWeight
    }

    enum CodingKeys: String, CodingKey { case k1, b, exactMatchWeight }

    /// Missing keys take the defaults (a schema file may give only `b`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        k1 = try c.decodeIfPresent(Float.self, forKey: .k1) ?? 1.2
        b = try c.decodeIfPresent(Float.self, forKey: .b) ?? 0.75
        exactMatchWeight = try c.decodeIfPresent(Float.self, forKey: .exactMatchWeight) ?? 0.5
    }

    /// Weight of a match on the exact (normalized) form, added to the stem match: among
    /// documents matching a query word's stem, those with the very form typed rank higher.
    public var exactMatchWeight: Float = 0.5

    /// Lucene's idf: never negative, so a match always adds to the score.
    @inline(__always)
    static func idf(documentFrequency: Int, documentCount: Int) -> Float {
        let n = Double(documentCount), df = Double(documentFrequency)
        return Float(log(1 + (n - df + 0.5) / (df + 0.5)))
    }
}

/// Search results: the best hits in rank order and how many documents matched.
public struct SearchResults: Sendable {
    public enum Total: Sendable, Equatable, CustomStringConvertible {
        /// Exactly this many documents matched.
        case exact(Int)
        /// At least this many matched (pruned search did not count them all).
        case atLeast(Int)

        public var count: Int {
            switch self { case .exact(let n), .atLeast(let n): n }
        }
        public var description: String {
            switch self { case .exact(let n): "\(n)"; case .atLeast(let n): "≥\(n)" }
        }
    }

    public struct Hit: Sendable {
        public let id: String
        public let score: Float
        /// The stored document (id, title, stored fields).
        public let document: Document
        /// The best passage of each matching text field (with `SearchOptions.snippets`).
        public var snippets: [Snippet] = []
        /// Score contributions per term (with `SearchOptions.explain`).
        public var explanation: [ScoreContribution] = []

        public init(id: String, score: Float, document: Document, snippets: [Snippet] = [], explanation: [ScoreContribution] = []) {
            self.id = id
            self.score = score
            self.document = document
            self.snippets = snippets
            self.explanation = explanation
        }
    }

    public let hits: [Hit]
    public let total: Total
    /// Per requested keyword field, its values over all matches, most frequent first.
    public var facets: [String: [FacetCount]] = [:]

    public init(hits: [Hit], total: Total, facets: [String: [FacetCount]] = [:]) {
        self.hits = hits
        self.total = total
        self.facets = facets
    }
}

/// One term's part of a hit's score.
public struct ScoreContribution: Sendable, Equatable {
    public let term: String
    public let score: Float
}

/// Searches one snapshot of an index; valid only inside `SearchIndex.read`.
public struct Searcher: ~Copyable {
    let snapshot: IndexSnapshot

    init(snapshot: IndexSnapshot) throws {
        self.snapshot = snapshot
    }

    /// Number of live documents.
    public var documentCount: Int { snapshot.liveDocuments }

    /// The index's schema as of this snapshot.
    public var schema: Schema { snapshot.schema }

    /// The stored document with this id, or nil.
    public func document(id: String) throws -> Document? {
        guard let record = try snapshot.idRecord(id) else { return nil }
        return try snapshot.storedDocument(record.number)
    }

    /// The number of documents containing the analyzed `term` in a text field (the first
    /// text field when none is named), as an exact form or (`stem: true`) as a stem.
    /// Deleted documents count until their postings are merged, as in Lucene.
    public func documentFrequency(of term: String, field: String? = nil, stem: Bool = false) throws -> Int {
        guard let number = field.flatMap(snapshot.schema.fieldNumber) ?? snapshot.schema.textFields.first else { return 0 }
        guard let token = try Analyzer(snapshot.schema.fields[number].analyzerOptions).tokens(term).first else { return 0 }
        return try snapshot.documentFrequency(field: number, kind: stem ? .stem : .exact, term: stem ? token.stem : token.term)
    }

    /// Parses and binds a query string (errors carry the column).
    public func parse(_ text: String, defaultOperator: QueryParser.DefaultOperator = .or) throws -> Query {
        try QueryParser(defaultOperator: defaultOperator).parse(text)
    }

    /// Numbers of the live documents a query matches (delete by query).
    func matchingDocuments(_ query: String) throws -> [UInt32] {
        var binder = QueryBinder(schema: snapshot.schema)
        let bound = try binder.bind(try QueryParser().parse(query))
        let executor = QueryExecutor(snapshot: snapshot, bm25: BM25())
        guard let root = try executor.iterator(bound) else { return [] }
        var matched: [UInt32] = []
        _ = try executor.collectAll(root, k: 0) { matched.append($0) }
        return matched
    }

    /// Runs a query string (see the README for the syntax) with default options and `limit`.
    public func search(_ query: String, limit: Int = 10, bm25: BM25? = nil) throws -> SearchResults {
        var options = SearchOptions(limit: limit)
        options.bm25 = bm25
        return try search(query, options: options)
    }

    /// Runs a query string: BM25 over stems with a bonus for exact forms, top-k by MaxScore
    /// for disjunctions, exhaustive otherwise (or when an exact total or facets are asked).
    /// A bad query throws a `FihrisError` with code `.invalidQuery` naming the column.
    ///
    ///     let results = try index.read { searcher in
    ///         try searcher.search("\"إنما الأعمال\" +collection:bukhari", options: SearchOptions(limit: 5))
    ///     }
    ///     for hit in results.hits { print(hit.id, hit.score) }
    public func search(_ query: String, options: SearchOptions) throws -> SearchResults {
        let op = options.defaultOperator ?? (snapshot.schema.defaultOperator == "and" ? .and : .or)
        return try search(try QueryParser(defaultOperator: op).parse(query), options: options)
    }

    /// Runs a parsed or hand-built query.
    ///
    ///     let query = Query.boolean([.init(.must, .term(field: nil, text: "الصلاة", range: SourceRange(0, 0))),
    ///                                .init(.mustNot, .term(field: "collection", text: "muslim", range: SourceRange(0, 0)))])
    ///     let results = try index.read { try $0.search(query, options: SearchOptions()) }
    public func search(_ query: Query, options: SearchOptions) throws -> SearchResults {
        guard options.limit >= 0, options.offset >= 0 else {
            throw FihrisError(.invalidArgument, "limit and offset must not be negative (got \(options.limit), \(options.offset))")
        }
        var binder = QueryBinder(schema: snapshot.schema)
        let bound = try binder.bind(query)
        var filters: [BoundQuery] = []
        for filter in options.filters {
            filters.append(try binder.bind(try QueryParser(defaultOperator: .and).parse(filter)))
        }
        let executor = QueryExecutor(snapshot: snapshot, bm25: options.bm25 ?? snapshot.schema.bm25 ?? BM25(), statistics: options.statistics)
        let k = options.limit == 0 ? 0 : options.offset + options.limit
        // A lone prefix scores every match alike: its top k are its k lowest documents.
        if case .prefix(let field, let prefix) = bound, filters.isEmpty, !options.exactTotal, options.facets.isEmpty, k > 0,
           try snapshot.txn.count(snapshot.layout.deleted) == 0,
           let lowest = try executor.expansion(field, .exact, prefix: prefix, lower: nil, upper: nil, constant: 1,
                                               label: "", smallest: k) as? DocSetIterator {
            var matchTerms = MatchTerms()
            if options.snippets { matchTerms.collect(bound) }
            var hits: [SearchResults.Hit] = []
            for doc in lowest.docs.dropFirst(options.offset) {
                guard let document = try (options.storedFields || options.snippets ? snapshot.storedDocument(doc) : snapshot.storedDocumentID(doc)) else {
                    throw FihrisError(.corrupted, "index is damaged: stored document \(doc) is missing")
                }
                var hit = SearchResults.Hit(id: document.id, score: 1, document: document)
                if options.snippets { hit.snippets = try snippets(document, matchTerms) }
                if options.explain {
                    hit.explanation = [ScoreContribution(term: "\(snapshot.schema.fields[field].name):\(String(decoding: prefix, as: UTF8.self))*", score: 1)]
                }
                hits.append(hit)
            }
            return SearchResults(hits: hits, total: .atLeast(lowest.docs.count))
        }
        guard var root = try executor.iterator(bound) else { return SearchResults(hits: [], total: .exact(0)) }
        var filterIterators: [DocIterator] = []
        for filter in filters {
            guard let it = try executor.iterator(filter) else { return SearchResults(hits: [], total: .exact(0)) }
            filterIterators.append(FilterIterator(it))
        }
        if !filterIterators.isEmpty { root = ConjunctionIterator([root] + filterIterators) }

        let top: TopDocs
        let total: SearchResults.Total
        var facets: [String: [FacetCount]] = [:]
        let prune = !options.exactTotal && options.facets.isEmpty && k > 0 && k < snapshot.liveDocuments
        // A scoring part and zero-score filters (keyword terms, ranges, --filter): the
        // filters are checked on the pruned collectors' candidates.
        var scoringPart = root
        var filterPart: [DocIterator] = []
        if let conjunction = root as? ConjunctionIterator {
            let scoring = conjunction.subs.filter { $0.maxScore > 0 }
            if scoring.count == 1 {
                scoringPart = scoring[0]
                filterPart = conjunction.subs.filter { $0.maxScore <= 0 }
            } else if scoring.count > 1, scoring.count < conjunction.subs.count, scoring.allSatisfy({ $0 is WordScorer }) {
                scoringPart = ConjunctionIterator(scoring)
                filterPart = conjunction.subs.filter { $0.maxScore <= 0 }
            }
        }
        let filterSet = Filters(iterators: filterPart)
        if prune, let disjunction = scoringPart as? DisjunctionIterator,
           case let words = disjunction.subs.compactMap({ $0 as? WordScorer }), words.count == disjunction.subs.count {
            let (t, visited) = try executor.collectMaxScoreWords(words, k: k, filters: filterSet)
            top = t
            total = .atLeast(visited)
        } else if prune, let disjunction = scoringPart as? DisjunctionIterator {
            let (t, visited) = try executor.collectMaxScore(disjunction.subs, k: k, filters: filterSet)
            top = t
            total = .atLeast(visited)
        } else if prune, let conjunction = scoringPart as? ConjunctionIterator,
                  case let words = conjunction.subs.compactMap({ $0 as? WordScorer }), words.count == conjunction.subs.count, words.count > 1 {
            let (t, visited) = try executor.collectConjunctionWords(words, k: k, filters: filterSet)
            top = t
            total = .atLeast(visited)
        } else if prune, let phrase = scoringPart as? PhraseScorer {
            let (t, visited) = try executor.collectPhrase(phrase, k: k, filters: filterSet)
            top = t
            total = .atLeast(visited)
        } else if prune, let word = scoringPart as? WordScorer {
            let (t, visited) = try executor.collectWordBlocks(word, k: k, filters: filterSet)
            top = t
            total = .atLeast(visited)
        } else if !options.facets.isEmpty {
            var matched = [UInt64](repeating: 0, count: (Int(snapshot.nextDocument) + 63) / 64)
            let (t, count) = try executor.collectAll(root, k: k) { matched[Int($0) >> 6] |= 1 << UInt64($0 & 63) }
            top = t
            total = .exact(count)
            for name in options.facets { facets[name] = try facetCounts(name, matched) }
        } else {
            let (t, count) = try executor.collectAll(root, k: k, matched: nil)
            top = t
            total = .exact(count)
        }

        var matchTerms = MatchTerms()
        if options.snippets { matchTerms.collect(bound) }
        var hits: [SearchResults.Hit] = []
        for (score, doc) in top.sorted().dropFirst(options.offset) {
            guard let document = try (options.storedFields || options.snippets ? snapshot.storedDocument(doc) : snapshot.storedDocumentID(doc)) else {
                throw FihrisError(.corrupted, "index is damaged: stored document \(doc) is missing")
            }
            var hit = SearchResults.Hit(id: document.id, score: score, document: document)
            if options.snippets { hit.snippets = try snippets(document, matchTerms) }
            if options.explain, let fresh = try executor.iterator(bound) {
                if try fresh.advance(Int(doc)) == Int(doc) {
                    var parts: [(String, Float)] = []
                    try fresh.explain(&parts)
                    hit.explanation = parts.map { ScoreContribution(term: $0.0, score: $0.1) }
                }
            }
            hits.append(hit)
        }
        return SearchResults(hits: hits, total: total, facets: facets)
    }

    /// Counts of a keyword field's values over the matched documents.
    func facetCounts(_ name: String, _ matched: [UInt64]) throws -> [FacetCount] {
        guard let field = snapshot.schema.fieldNumber(name) else {
            throw FihrisError(.invalidArgument, "cannot count facets of \"\(name)\": no such field (fields: \(snapshot.schema.fields.map(\.name).joined(separator: ", ")))")
        }
        guard snapshot.schema.fields[field].type == .keyword else {
            throw FihrisError(.invalidArgument, "facets need a keyword field; \"\(name)\" is \(snapshot.schema.fields[field].type.rawValue)")
        }
        var values = Set<[UInt8]>()
        for segment in snapshot.segments {
            let base = IndexLayout.termKey(segment: segment.id, field: field, kind: .keyword, term: [])
            try snapshot.txn.forEach(in: snapshot.layout.postings, prefix: base) { key, _ in
                values.insert(Array(key[base.count...]))
                return true
            }
        }
        let executor = QueryExecutor(snapshot: snapshot, bm25: BM25())
        var counts: [FacetCount] = []
        for value in values {
            guard let postings = try executor.postings(field, .keyword, value) else { continue }
            var count = 0
            var d = try postings.nextDoc()
            while d != noMoreDocs {
                if matched[d >> 6] & (1 << UInt64(d & 63)) != 0 { count += 1 }
                d = try postings.nextDoc()
            }
            if count > 0 { counts.append(FacetCount(value: String(decoding: value, as: UTF8.self), count: count)) }
        }
        return counts.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }

    /// The best passage (up to 30 words) of each stored text field that contains matches.
    func snippets(_ document: Document, _ terms: MatchTerms) throws -> [Snippet] {
        var result: [Snippet] = []
        for field in document.fields {
            guard case .text(let text) = field.value, let number = snapshot.schema.fieldNumber(field.name),
                  snapshot.schema.fields[number].type == .text else { continue }
            let stems = terms.stems[number] ?? [], exacts = terms.exacts[number] ?? [], prefixes = terms.prefixes[number] ?? []
            if stems.isEmpty && exacts.isEmpty && prefixes.isEmpty { continue }
            let tokens = try Analyzer(snapshot.schema.fields[number].analyzerOptions).tokens(text)
            let matches = tokens.enumerated().filter { _, t in
                stems.contains(t.stem) || exacts.contains(t.term) || prefixes.contains { t.term.starts(with: $0) }
            }.map(\.offset)
            guard !matches.isEmpty else { continue }
            // The window of 30 tokens holding the most distinct matched words.
            let window = 30
            var best = (start: matches[0], score: 0)
            for start in matches {
                let inside = matches.filter { $0 >= start && $0 < start + window }
                let distinct = Set(inside.map { tokens[$0].stem }).count * 100 + inside.count
                if distinct > best.score { best = (start, distinct) }
            }
            let first = max(0, best.start - 3)
            let last = min(tokens.count - 1, first + window - 1)
            let utf8 = Array(text.utf8)
            let from = tokens[first].byteRange.lowerBound, to = tokens[last].byteRange.upperBound
            let highlights = matches.filter { $0 >= first && $0 <= last }.map {
                (tokens[$0].byteRange.lowerBound - from)..<(tokens[$0].byteRange.upperBound - from)
            }
            result.append(Snippet(field: field.name, text: String(decoding: utf8[from..<to], as: UTF8.self), highlights: highlights))
        }
        return result
    }
}

