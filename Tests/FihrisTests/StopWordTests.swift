import Testing
@testable import Fihris

/// Every word is indexed; what a stop word means is decided by the query: a phrase checks
/// it, `-`/NOT excludes on it, `+` requires it, a query of stop words searches them, and a
/// free-text OR query with other words leaves it out. (Each row failed when stop words were
/// dropped at index time: phrases matched any stop word, exclusions were ignored, and a
/// stop-word query found nothing.)
@Suite struct StopWordTests {
    static let documents = [
        ("in", "صلى في المسجد"),
        ("from", "خرج من المسجد"),
        ("about", "سأل عن المسجد"),
        ("none", "المسجد الكبير"),
        ("both", "صلى في البيت ثم خرج من المسجد"),
        ("clitic", "وهذا المسجد"),
    ]

    static let rows: [(query: String, ids: Set<String>)] = [
        ("\"في المسجد\"", ["in"]),
        ("\"من المسجد\"", ["from", "both"]),
        ("\"عن المسجد\"", ["about"]),
        ("المسجد AND NOT في", ["from", "about", "none", "clitic"]),
        ("المسجد -من", ["in", "about", "none", "clitic"]),
        ("+في +المسجد", ["in", "both"]),
        ("في", ["in", "both"]),
        ("في من", ["in", "from", "both"]),
        ("المسجد في", ["in", "from", "about", "none", "both", "clitic"]),   // OR: في drops beside a word
        ("هذا", ["clitic"]),                                      // وهذا is هذا under و
        ("\"وهذا المسجد\"", ["clitic"]),                      // phrases match exact forms
        ("المسجد -هذا", ["in", "from", "about", "none", "both"]),
        ("text:عن", ["about"]),
        ("\"صلى في\"~0 خرج", ["in", "from", "both"]),
    ]

    @Test func stopWordSemantics() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in
            for (id, text) in Self.documents { try writer.add(Document(id: id, text: text)) }
        }
        for row in Self.rows {
            for exact in [false, true] {
                var options = SearchOptions(limit: 10)
                options.exactTotal = exact
                let hits = try index.read { try $0.search(row.query, options: options) }.hits.map(\.id)
                #expect(Set(hits) == row.ids, "\(row.query) (exact total: \(exact))")
            }
        }
        // A phrase's stop word is highlighted like its other words.
        var options = SearchOptions(limit: 1)
        options.snippets = true
        let hit = try #require(try index.read { try $0.search("\"في المسجد\"", options: options) }.hits.first)
        let text = Array(hit.snippets[0].text.utf8)
        #expect(hit.snippets[0].highlights.map { String(decoding: text[$0], as: UTF8.self) } == ["في", "المسجد"])
    }

    /// Field lengths count every word, stop words included (BM25's length normalization).
    @Test func fieldLengthsCountStopWords() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in try writer.add(Document(id: "a", text: "صلى في المسجد")) }
        let stats = try index.statistics()
        #expect(stats.fields.first { $0.name == "text" }?.tokens == 3)
    }
}
