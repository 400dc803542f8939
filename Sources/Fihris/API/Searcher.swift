import QueryLanguage
import TextAnalysis

/// Searches one snapshot of an index; valid only inside `SearchIndex.read`.
///
/// A search runs in five steps, each its own layer: parse (`QueryParser`) → bind to the
/// schema (`QueryBinder`) → plan (`QueryPlanner`, a pure function) → execute
/// (`QueryExecutor`, one algorithm per plan) → present (hits, snippets, facets).
public struct Searcher: ~Copyable {
    let snapshot: IndexSnapshot

    init(snapshot: IndexSnapshot) {
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
        return try snapshot.documentFrequency(TermID(field: number, kind: stem ? .stem : .exact, text: stem ? token.stem : token.term))
    }

    /// Parses a query string with the schema's default operator unless one is given (it
    /// does not bind: unknown fields are found when the query runs).
    public func parse(_ text: String, defaultOperator: QueryParser.DefaultOperator? = nil) throws(QueryError) -> Query {
        try parser(defaultOperator).parse(text)
    }

    /// The parser of query strings: the default operator asked, else the schema's, else OR.
    private func parser(_ defaultOperator: QueryParser.DefaultOperator?, arabicOperators: Bool = false) -> QueryParser {
        QueryParser(defaultOperator: defaultOperator ?? snapshot.schema.defaultOperator ?? .or, arabicOperators: arabicOperators)
    }

    /// Runs a query string (see the README for the syntax) with default options and `limit`.
    public func search(_ query: String, limit: Int = 10, bm25: BM25? = nil) throws -> SearchResults {
        var options = SearchOptions(limit: limit)
        options.bm25 = bm25
        return try search(query, options: options)
    }

    /// Runs a query string: BM25 over stems with a bonus for exact forms, top k by the
    /// planned algorithm (block-max, MaxScore, exhaustive when an exact total or facets are
    /// asked). A bad query throws a `FihrisError` with code `.invalidQuery` naming the column.
    ///
    ///     let results = try index.read { searcher in
    ///         try searcher.search("\"إنما الأعمال\" +collection:bukhari", options: SearchOptions(limit: 5))
    ///     }
    ///     for hit in results.hits { print(hit.id, hit.score) }
    public func search(_ query: String, options: SearchOptions) throws -> SearchResults {
        var parser = parser(options.defaultOperator, arabicOperators: options.arabicOperators)
        let parsed: Query
        if options.queryMode == .lenient {
            parser.fieldNames = Set(snapshot.schema.fields.map(\.name))
            parsed = parser.parseLeniently(query) { (candidate: Query) throws(QueryError) in
                var binder = binder(options)
                do { _ = try binder.bind(candidate) } catch let error as QueryError { throw error } catch {}
            }
        } else {
            do { parsed = try parser.parse(query) } catch { throw error.fihrisError(context: "") }
        }
        return try search(parsed, options: options, completing: options.asYouType ? Self.wordBeingTyped(parsed, length: query.count) : nil)
    }

    /// Where the last word of a query is written, when it ends the text (no space after
    /// it: it is being typed) and is a plain word, alone or a clause of the query.
    static func wordBeingTyped(_ query: Query, length: Int) -> SourceRange? {
        switch query {
        case .term(_, _, let range) where range.upperBound == length:
            return range
        case .boolean(let clauses):
            guard let last = clauses.max(by: { ($0.query.range?.upperBound ?? -1) < ($1.query.range?.upperBound ?? -1) }),
                  last.occur != .mustNot, case .term(_, _, let range) = last.query, range.upperBound == length else { return nil }
            return range
        default:
            return nil
        }
    }

    /// Runs a parsed or built query.
    ///
    ///     let query = Query.all(of: [.term("الصلاة")], excluding: [.term("muslim", field: "collection")])
    ///     let results = try index.read { try $0.search(query, options: SearchOptions()) }
    public func search(_ query: Query, options: SearchOptions) throws -> SearchResults {
        try search(query, options: options, completing: nil)
    }

    /// Binds and runs a query; `completing`: where the word being typed is written (search
    /// as you type).
    private func search(_ query: Query, options: SearchOptions, completing: SourceRange?) throws -> SearchResults {
        do {
            var binder = binder(options)
            binder.completing = completing
            return try search(bound: try binder.bind(query), options: options)
        } catch let error as QueryError {
            throw error.fihrisError(context: "")
        }
    }

    /// Runs a bound query (`typed`: as bound, before fuzzy words are expanded).
    func search(bound typed: BoundQuery, options: SearchOptions) throws -> SearchResults {
        guard options.limit >= 0, options.offset >= 0 else {
            throw FihrisError(.invalidArgument, "limit and offset must not be negative (got \(options.limit), \(options.offset))")
        }
        do {
            let (bound, plan, k) = try planned(typed, options: options)  // expand, plan
            // Execute.
            let executor = QueryExecutor(builder: ScorerBuilder(snapshot: snapshot, bm25: options.bm25 ?? snapshot.schema.bm25 ?? BM25(),
                                                                statistics: options.statistics),
                                         budget: options.timeBudget.map(QueryBudget.init))
            let outcome = try executor.run(plan, k: k, recordMatches: !options.facets.isEmpty)
            // Present.
            var facets: [String: [FacetCount]] = [:]
            if let matched = outcome.matched {
                for name in options.facets { facets[name] = try Facets.counts(name, matched: matched, snapshot: snapshot) }
            }
            let terms = options.snippets ? MatchTerms(bound) : nil
            var hits: [SearchResults.Hit] = []
            for (score, doc) in (outcome.ranked ?? outcome.top.sorted()).dropFirst(options.offset) {
                hits.append(try hit(doc, score: score, options: options, terms: terms,
                                    explanation: options.explain ? try executor.explain(bound, doc: doc) : []))
            }
            var results = SearchResults(hits: hits, total: outcome.total, facets: facets)
            if outcome.total.count < options.suggestBelow { results.suggestions = try Suggestions.make(typed, snapshot) }
            return results
        } catch let error as QueryError {
            throw error.fihrisError(context: "")
        }
    }

    /// The plan a search would run (for tests and tools).
    func plan(_ query: String, options: SearchOptions) throws -> QueryPlan {
        var binder = binder(options)
        return try planned(try binder.bind(try parse(query, defaultOperator: options.defaultOperator)), options: options).plan
    }

    /// Expands a bound query's fuzzy words, binds the filters and plans: the expanded query
    /// (for snippets and explanations), the plan, and the hits to collect (offset + limit).
    private func planned(_ typed: BoundQuery, options: SearchOptions) throws -> (bound: BoundQuery, plan: QueryPlan, k: Int) {
        var binder = binder(options)
        let bound = try FuzzyExpansion.resolve(typed, snapshot)
        let filters = try options.filters.map { try binder.bind($0) }
        let k = options.limit == 0 ? 0 : options.offset + options.limit
        let sort = SortKey.isRelevance(options.sort) ? [] : try BoundSortKey.bind(options.sort, schema: snapshot.schema)
        let request = QueryPlanner.Request(k: k, exactTotal: options.exactTotal, facets: !options.facets.isEmpty,
                                           liveDocuments: snapshot.liveDocuments, hasDeletions: try snapshot.deletedDocuments().any,
                                           sort: sort)
        return (bound, QueryPlanner.plan(bound, filters: filters, request), k)
    }

    private func binder(_ options: SearchOptions) -> QueryBinder {
        var binder = QueryBinder(schema: snapshot.schema)
        binder.strictVocalization = options.vocalization == .strict
        binder.rootExpansion = options.rootExpansion ?? 0
        binder.automaticTypos = options.typoTolerance == .automatic
        binder.synonyms = options.synonyms ?? snapshot.schema.synonyms
        return binder
    }

    private func hit(_ doc: UInt32, score: Float, options: SearchOptions, terms: MatchTerms?,
                     explanation: [ScoreContribution]) throws -> SearchResults.Hit {
        let document: Document
        if options.storedFields || terms != nil {
            guard let stored = try snapshot.storedDocument(doc) else { throw missing(doc) }
            document = stored
        } else {
            guard let id = try snapshot.storedDocumentID(doc) else { throw missing(doc) }
            document = Document(id: id)
        }
        var hit = SearchResults.Hit(id: document.id, score: score, document: document, explanation: explanation)
        if let terms { hit.snippets = try Snippets.make(document, terms, schema: snapshot.schema, options: options.snippetOptions) }
        return hit
    }

    private func missing(_ doc: UInt32) -> FihrisError {
        FihrisError(.corrupted, "index is damaged: docs has no stored document \(doc), which postings name")
    }

    /// Documents like the one with id `id` (Lucene's MoreLikeThis): its most distinctive
    /// stems — each text field's stems, stop words left out, weighted tf × idf, those in no
    /// other document left out — at most `terms`, searched as a weighted OR (each weighted
    /// by its tf × idf over the best one's), the document itself left out.
    ///
    ///     let like = try index.read { try $0.similar(to: "bukhari:1", options: SearchOptions(limit: 5)) }
    public func similar(to id: String, terms: Int = 25, options: SearchOptions) throws -> SearchResults {
        guard let record = try snapshot.idRecord(id), let document = try snapshot.storedDocument(record.number) else {
            throw FihrisError(.invalidArgument, "no document with id \"\(id)\" in this index")
        }
        let n = max(snapshot.liveDocuments, 1)
        var weights: [TermID: Float] = [:]
        for field in document.fields {
            guard case .text(let text) = field.value, let number = snapshot.schema.fieldNumber(field.name),
                  snapshot.schema.fields[number].type == .text else { continue }
            var tf: [[UInt8]: Int] = [:]
            for token in try Analyzer(snapshot.schema.fields[number].analyzerOptions).tokens(text) where !token.isStopWord && !token.isAlternative {
                tf[token.stem, default: 0] += 1
            }
            for (stem, count) in tf {
                let id = TermID(field: number, kind: .stem, text: stem)
                let df = try snapshot.documentFrequency(id)
                guard df > 1 else { continue }
                weights[id, default: 0] += Float(count) * BM25.idf(documentFrequency: min(df, n), documentCount: n)
            }
        }
        let chosen = weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.text.lexicographicallyPrecedes($1.key.text) }.prefix(terms)
        guard let top = chosen.first?.value, top > 0 else { return SearchResults(hits: [], total: .exact(0)) }
        let clauses = chosen.map { BoundQuery.withBoost(.word(field: $0.key.field, stem: $0.key.text, exact: []), $0.value / top) }
        // One hit more, and the document itself (it matches every chosen stem) taken out.
        var more = options
        if more.limit > 0 { (more.offset, more.limit) = (0, options.offset + options.limit + 1) }
        let found = try search(bound: .boolean(must: [], should: clauses, mustNot: [], filter: []), options: more)
        let hits = Array(found.hits.filter { $0.id != document.id }.dropFirst(options.offset).prefix(options.limit))
        let total: SearchResults.Total
        switch found.total {
        case .exact(let c): total = .exact(max(0, c - 1))
        case .atLeast(let c): total = .atLeast(max(hits.count, c - 1))
        }
        return SearchResults(hits: hits, total: total, facets: found.facets)
    }

    /// Numbers of the live documents a query matches (delete by query).
    func matchingDocuments(_ query: Query) throws -> [UInt32] {
        var binder = QueryBinder(schema: snapshot.schema)
        let bound = try binder.bind(query)
        return try QueryExecutor(builder: ScorerBuilder(snapshot: snapshot, bm25: BM25())).matchingDocuments(bound)
    }
}
