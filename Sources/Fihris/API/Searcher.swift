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
        try QueryParser(defaultOperator: defaultOperator ?? snapshot.schema.defaultOperator ?? .or).parse(text)
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
        var parser = QueryParser(defaultOperator: options.defaultOperator ?? snapshot.schema.defaultOperator ?? .or,
                                 arabicOperators: options.arabicOperators)
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
        return try search(parsed, options: options)
    }

    /// Runs a parsed or built query.
    ///
    ///     let query = Query.all(of: [.term("الصلاة")], excluding: [.term("muslim", field: "collection")])
    ///     let results = try index.read { try $0.search(query, options: SearchOptions()) }
    public func search(_ query: Query, options: SearchOptions) throws -> SearchResults {
        guard options.limit >= 0, options.offset >= 0 else {
            throw FihrisError(.invalidArgument, "limit and offset must not be negative (got \(options.limit), \(options.offset))")
        }
        do {
            let (bound, typed, plan, k) = try planned(query, options: options)  // bind, plan
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
        try planned(try parse(query, defaultOperator: options.defaultOperator), options: options).plan
    }

    /// Binds a query and its filters to the schema and plans it: the bound query (for
    /// snippets and explanations), the plan, and the hits to collect (offset + limit).
    private func planned(_ query: Query, options: SearchOptions) throws -> (bound: BoundQuery, typed: BoundQuery, plan: QueryPlan, k: Int) {
        var binder = binder(options)
        let typed = try binder.bind(query)
        let bound = try FuzzyExpansion.resolve(typed, snapshot)
        let filters = try options.filters.map { try binder.bind($0) }
        let k = options.limit == 0 ? 0 : options.offset + options.limit
        let sort = SortKey.isRelevance(options.sort) ? [] : try BoundSortKey.bind(options.sort, schema: snapshot.schema)
        let request = QueryPlanner.Request(k: k, exactTotal: options.exactTotal, facets: !options.facets.isEmpty,
                                           liveDocuments: snapshot.liveDocuments, hasDeletions: try snapshot.deletedDocuments().any,
                                           sort: sort)
        return (bound, typed, QueryPlanner.plan(bound, filters: filters, request), k)
    }

    private func binder(_ options: SearchOptions) -> QueryBinder {
        var binder = QueryBinder(schema: snapshot.schema)
        binder.strictVocalization = options.vocalization == .strict
        binder.rootExpansion = options.rootExpansion ?? 0
        binder.automaticTypos = options.typoTolerance == .automatic
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

    /// Numbers of the live documents a query matches (delete by query).
    func matchingDocuments(_ query: Query) throws -> [UInt32] {
        var binder = QueryBinder(schema: snapshot.schema)
        let bound = try binder.bind(query)
        return try QueryExecutor(builder: ScorerBuilder(snapshot: snapshot, bm25: BM25())).matchingDocuments(bound)
    }
}
