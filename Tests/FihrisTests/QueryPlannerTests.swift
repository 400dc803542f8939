import Testing
@testable import Fihris

/// The planner's choices, one row per rule: query (and what is asked) → algorithm.
@Suite struct QueryPlannerTests {
    let schema = try! Schema(fields: [
        FieldDefinition(name: "text", type: .text, analyzer: .arabic),
        FieldDefinition(name: "collection", type: .keyword),
        FieldDefinition(name: "book", type: .integer),
    ])

    struct Row: CustomTestStringConvertible {
        var query: String
        var plan: String
        var filters: [String] = []
        var k = 10
        var exactTotal = false
        var facets = false
        var hasDeletions = false
        var rootExpansion: Float = 0
        var sort = ""
        var testDescription: String { "\(query) → \(plan)" }
    }

    static let rows: [Row] = [
        Row(query: "كتاب", plan: "blockMaxConjunction(1 word, 0 filters)"),
        Row(query: "+كتاب +قلم", plan: "blockMaxConjunction(2 words, 0 filters)"),
        Row(query: "كتاب AND قلم AND حبر", plan: "blockMaxConjunction(3 words, 0 filters)"),
        Row(query: "+كتاب +collection:bukhari", plan: "blockMaxConjunction(1 word, 1 filter)"),
        Row(query: "+كتاب +قلم +book:[1 TO 3]", plan: "blockMaxConjunction(2 words, 1 filter)"),
        Row(query: "كتاب", plan: "blockMaxConjunction(1 word, 1 filter)", filters: ["collection:bukhari"]),
        Row(query: "كتاب قلم", plan: "maxScoreWords(2 words, 0 filters)"),
        Row(query: "+(كتاب قلم) +collection:bukhari", plan: "maxScoreWords(2 words, 1 filter)"),
        Row(query: "كتاب قلم", plan: "maxScoreWords(2 words, 2 filters)", filters: ["collection:bukhari", "book:>=3"]),
        Row(query: "كتاب \"قلم حبر\"", plan: "maxScore(2 clauses, 0 filters)"),
        Row(query: "كتاب صلا*", plan: "maxScore(2 clauses, 0 filters)"),
        Row(query: "\"الأعمال بالنيات\"", plan: "phrase(2 words, 0 filters)"),
        Row(query: "+\"الأعمال بالنيات\"~3 +collection:muslim", plan: "phrase(2 words, 1 filter)"),
        Row(query: "\"الأعمال بالنيات\" +collection:muslim", plan: "exhaustive"),
        Row(query: "صلا*", plan: "lowestDocuments"),
        Row(query: "صلا*", plan: "exhaustive", hasDeletions: true),
        Row(query: "صلا*", plan: "exhaustive", filters: ["collection:bukhari"]),
        Row(query: "صلا*", plan: "exhaustive", exactTotal: true),
        Row(query: "كتاب -قلم", plan: "exhaustive"),
        Row(query: "-قلم", plan: "exhaustive"),
        Row(query: "كتاب +collection:bukhari", plan: "exhaustive"),
        Row(query: "+كتاب +\"قلم حبر\"", plan: "exhaustive"),
        Row(query: "collection:bukhari", plan: "exhaustive"),
        Row(query: "+collection:bukhari +book:[1 TO 3]", plan: "exhaustive"),
        Row(query: "كتاب", plan: "exhaustive", exactTotal: true),
        Row(query: "كتاب قلم", plan: "exhaustive", facets: true),
        Row(query: "كتاب", plan: "exhaustive", k: 1000),
        Row(query: "كتاب", plan: "exhaustive", k: 0),
        Row(query: "في", plan: "blockMaxConjunction(1 word, 0 filters)"),     // a query of stop words searches them
        Row(query: "في من", plan: "maxScoreWords(2 words, 0 filters)"),
        Row(query: "كتاب في", plan: "blockMaxConjunction(1 word, 0 filters)"),  // an optional stop word beside a word drops
        Row(query: "+كتاب +في", plan: "blockMaxConjunction(2 words, 0 filters)"), // a required one stays
        Row(query: "\"الصلاة في المسجد\"", plan: "phrase(3 words, 0 filters)"),  // a phrase checks it
        Row(query: ">>\"قال رسول\"", plan: "phrase(2 words, 0 filters)"),     // a root phrase
        Row(query: "=\"عَلَّمَ الْقُرْآنَ\"", plan: "phrase(2 words, 0 filters)"), // strict: harakat checked inside the phrase
        Row(query: "\"عَلَّمَ الْقُرْآنَ\"", plan: "exhaustive"),                // ranking: the phrase + compatible documents
        // Root expansion: each word OR its root, spliced into one MaxScore (4 clauses, not 2 nested).
        Row(query: "كتاب قلم", plan: "maxScore(4 clauses, 0 filters)", rootExpansion: 0.5),
        Row(query: "كتاب", plan: "maxScore(2 clauses, 0 filters)", rootExpansion: 0.5),
        // A sort other than relevance visits every match (scoring only what may enter the k).
        Row(query: "كتاب", plan: "sorted(1 key)", sort: "book"),
        Row(query: "كتاب قلم", plan: "sorted(2 keys)", filters: ["collection:bukhari"], sort: "collection:desc,score"),
        Row(query: "صلا*", plan: "sorted(1 key)", sort: "score:asc"),
        Row(query: "كتاب", plan: "blockMaxConjunction(1 word, 0 filters)", sort: "score:desc"),  // relevance itself
    ]

    @Test(arguments: rows) func plan(_ row: Row) throws {
        var binder = QueryBinder(schema: schema)
        binder.rootExpansion = row.rootExpansion
        let bound = try binder.bind(try QueryParser().parse(row.query))
        let filters = try row.filters.map { try binder.bind(try QueryParser(defaultOperator: .and).parse($0)) }
        let keys = row.sort.isEmpty ? [] : try SortKey.list(row.sort)
        let request = QueryPlanner.Request(k: row.k, exactTotal: row.exactTotal, facets: row.facets,
                                           liveDocuments: 1000, hasDeletions: row.hasDeletions,
                                           sort: SortKey.isRelevance(keys) ? [] : try BoundSortKey.bind(keys, schema: schema))
        #expect(QueryPlanner.plan(bound, filters: filters, request).summary == row.plan)
    }

    /// The clauses the plan hands on: required filters leave the scoring part, words keep
    /// their stems and exact forms.
    @Test func planCarriesTheClauses() throws {
        var binder = QueryBinder(schema: schema)
        let bound = try binder.bind(try QueryParser().parse("+والكتاب +collection:Bukhari"))
        let plan = QueryPlanner.plan(bound, filters: [], .init(k: 10, liveDocuments: 1000))
        #expect(plan == .blockMaxConjunction(words: [WordTerm(field: 0, stem: Array("كتاب".utf8), exact: Array("والكتاب".utf8))],
                                             filters: [.keyword(field: 1, value: Array("bukhari".utf8))]))
    }

    /// What a search on an index runs follows the index: once a document is deleted, a lone
    /// prefix can no longer take its k lowest documents.
    @Test func searchesRunThePlannedAlgorithm() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in
            for i in 0..<40 { try writer.add(Document(id: "d\(i)", text: "صلاة كتاب \(i)")) }
        }
        let options = SearchOptions(limit: 5)
        #expect(try index.read { try $0.plan("صلا*", options: options) }.summary == "lowestDocuments")
        #expect(try index.read { try $0.plan("كتاب صلاة", options: options) }.summary == "maxScoreWords(2 words, 0 filters)")
        try index.write { writer in writer.delete(id: "d3") }
        #expect(try index.read { try $0.plan("صلا*", options: options) }.summary == "exhaustive")
        let hits = try index.read { try $0.search("صلا*", options: options) }.hits.map(\.id)
        #expect(hits == ["d0", "d1", "d2", "d4", "d5"])
    }
}

/// Errors of multi-term expansion are about the query as a whole: no made-up column.
@Suite struct ExpansionLimitTests {
    @Test func tooManyWordsForAPrefixNamesNoColumn() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in
            for i in 0..<1100 { try writer.add(Document(id: "d\(i)", text: "كتاب\(String(i, radix: 26))")) }
        }
        for options in [SearchOptions(limit: 5), { var o = SearchOptions(limit: 5); o.exactTotal = true; return o }()] {
            do {
                _ = try index.read { try $0.search("كتاب*", options: options) }
                Issue.record("a prefix of 1,100 words was expanded")
            } catch let error as FihrisError {
                #expect(error.code == .invalidQuery)
                #expect(error.message.contains("matches more than 1024 words") && !error.message.contains("column"), "\(error.message)")
            }
        }
    }
}
