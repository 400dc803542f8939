import Foundation
import Testing
@testable import Fihris

@Suite struct ShardingTests {
    /// The corpus split into three indexes, searched with global statistics and merged,
    /// gives the same top 10 (scores, and ids wherever scores are not tied) as one index.
    @Test func threeShardsWithGlobalStatisticsEqualOneIndex() throws {
        let dir = TemporaryDirectory()
        let schema = try Schema.load(from: repositoryCorpus + "/schema.json")
        var documents: [Document] = []
        let source = FolderSource(folder: repositoryCorpus, excluding: ["README.md"])
        for file in try source.files() { try source.documents(in: file) { documents.append($0) } }
        let whole = try SearchIndex(at: dir.path + "/whole", mode: .openOrCreate, schema: schema)
        try whole.write { w in for d in documents { try w.add(d) } }
        let shards = try (0..<3).map { try SearchIndex(at: dir.path + "/shard\($0)", mode: .openOrCreate, schema: schema) }
        for (i, shard) in shards.enumerated() {
            try shard.write { w in for (n, d) in documents.enumerated() where n % 3 == i { try w.add(d) } }
        }
        let queries = ["عين الأسد", "إنما الأعمال بالنيات", "رسول الله صلى الله عليه وسلم", "+الصيام +رمضان",
                       "\"الصلاة في المسجد\"~2", "الزكاة collection:muslim", "الجنة النار -الناس"]
        for query in queries {
            let parts = try shards.map { shard in try shard.read { try $0.collectionStatistics(for: query) } }
            let global = CollectionStatistics.merged(parts)
            #expect(global.documents == documents.count)
            var options = SearchOptions(limit: 10)
            options.statistics = global
            options.exactTotal = true
            let merged = SearchResults.merged(try shards.map { shard in try shard.read { try $0.search(query, options: options) } }, limit: 10)
            var plain = SearchOptions(limit: 10)
            plain.exactTotal = true
            let expected = try whole.read { try $0.search(query, options: plain) }
            #expect(merged.total == expected.total, "\(query)")
            #expect(merged.hits.count == expected.hits.count, "\(query)")
            for (a, b) in zip(merged.hits, expected.hits) {
                #expect(abs(a.score - b.score) <= 1e-4 * max(1, b.score), "\(query): \(a.id) \(a.score) vs \(b.id) \(b.score)")
            }
            let cut = expected.hits.last?.score ?? 0
            let sure = Set(expected.hits.filter { $0.score > cut + 1e-3 }.map(\.id))
            #expect(sure.isSubset(of: Set(merged.hits.map(\.id))), "\(query)")
        }
    }

    @Test func mergingAddsTotalsAndFacets() {
        let a = SearchResults(hits: [.init(id: "a1", score: 3, document: Document(id: "a1"))], total: .exact(5),
                              facets: ["c": [FacetCount(value: "x", count: 2)]])
        let b = SearchResults(hits: [.init(id: "b1", score: 4, document: Document(id: "b1")),
                                     .init(id: "b2", score: 1, document: Document(id: "b2"))], total: .atLeast(7),
                              facets: ["c": [FacetCount(value: "x", count: 1), FacetCount(value: "y", count: 4)]])
        let m = SearchResults.merged([a, b], limit: 2)
        #expect(m.hits.map(\.id) == ["b1", "a1"])
        #expect(m.total == .atLeast(12))
        #expect(m.facets["c"] == [FacetCount(value: "y", count: 4), FacetCount(value: "x", count: 3)])
        #expect(SearchResults.merged([a, b], limit: 5, offset: 1).hits.map(\.id) == ["a1", "b2"])
    }
}
