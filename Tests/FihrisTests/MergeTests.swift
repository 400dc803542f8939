import Foundation
import Testing
@testable import Fihris

/// Merges run in many bounded write transactions (`MergeSteps`); an interruption leaves only
/// chunks of segments the segment list does not name, which the next write removes.
@Suite struct MergeTests {
    /// Limits so small that every merge of a few hundred documents takes dozens of steps.
    static let tiny = MergeSteps.Limits(postingsPerTransaction: 300, keysPerTransaction: 7, termsPerRound: 5)

    static func sample() throws -> [Document] {
        let source = FolderSource(folder: repositoryCorpus, excluding: ["README.md", "ain-al-asad-handover.txt"])
        var documents: [Document] = []
        for file in try source.files() { try source.documents(in: file) { documents.append($0) } }
        return Array(documents.prefix(600))
    }

    static let queries = ["حدثنا", "الصلاة", "قال رسول", "\"قال رسول الله\"", "+النبي +صلى", "صلا*", ">>كتب", "=عَلِمَ", "collection:bukhari الصوم"]

    /// Each query's hits (all of them), as ids, with their scores when `scores`.
    static func results(_ index: SearchIndex, scores: Bool) throws -> [[String]] {
        try queries.map { q in
            let hits = try index.read { try $0.search(q, options: SearchOptions(limit: 1000)) }.hits
            return scores ? hits.map { "\($0.id) \($0.score)" } : hits.map(\.id).sorted()
        }
    }

    /// Many commits of 20 documents (merged as they go, in steps, with deletions between)
    /// give the same hits and scores as one commit of the surviving documents; then
    /// `optimize` (also in steps) changes nothing either.
    @Test func mergesInManySmallStepsEqualOneCommit() throws {
        let documents = try Self.sample()
        let removed = Set(documents.indices.filter { $0 % 7 == 3 }.map { documents[$0].id })
        let stepwise = TemporaryDirectory(), whole = TemporaryDirectory()
        let schema = try Schema.load(from: repositoryCorpus + "/schema.json")
        let a = try SearchIndex(at: stepwise.path, mode: .openOrCreate, schema: schema)
        try MergeSteps.$limits.withValue(Self.tiny) {
            for start in stride(from: 0, to: documents.count, by: 20) {
                try a.write { writer in
                    for document in documents[start..<min(start + 20, documents.count)] { try writer.add(document) }
                    // Delete a few documents of earlier commits (merges drop them).
                    for id in documents[..<start].map(\.id) where removed.contains(id) && id.hash % 3 == 0 { writer.delete(id: id) }
                }
            }
            try a.write { writer in for id in removed { writer.delete(id: id) } }
        }
        let segments = try a.store.read("") { $0.segments.count }
        #expect(segments < 10, "30 commits, merged into \(segments) segments")
        let b = try SearchIndex(at: whole.path, mode: .openOrCreate, schema: schema)
        try b.write { writer in for document in documents where !removed.contains(document.id) { try writer.add(document) } }
        // (Scores differ until every deleted posting is merged away: document frequencies
        // count a deleted document's postings while its segment lives.)
        #expect(try Self.results(a, scores: false) == Self.results(b, scores: false))
        #expect(try a.check().isSound)
        #expect(try a.check().leftoverChunks == 0)
        try MergeSteps.$limits.withValue(Self.tiny) { try a.optimize() }
        #expect(try a.store.read("") { $0.segments.count } == 1)
        #expect(try Self.results(a, scores: true) == Self.results(b, scores: true))
        let report = try a.check()
        #expect(report.isSound && report.leftoverChunks == 0, "\(report.problems)")
    }

    /// What an interrupted merge leaves — the new segment's chunks before the swap, or the
    /// sources' after it — is not damage, no search reads it, and the next write removes it.
    @Test func anInterruptedMergeLeavesLeftoversTheNextWriteRemoves() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in
            try writer.add(Document(id: "a", text: "الصلاة في المسجد"))
            try writer.add(Document(id: "b", text: "الصوم في رمضان"))
        }
        let before = try index.read { try $0.search("الصلاة", options: SearchOptions(limit: 10)) }.hits.map(\.id)
        // Chunks of the next segment id (a merge's step 1) and of a dead one (step 3).
        let next = try index.store.read("") { try $0.meta(.nextSegment, as: UInt32.self) ?? 0 }
        let term = TermID(field: 0, kind: .exact, text: Array("الصلاة".utf8))
        try index.store.write("") { txn in
            for segment in [next, next + 7] {
                try txn.appendChunk(segment: segment, term: ([UInt8(term.field), term.kind.rawValue] + term.text)[...], docs: [0, 1], freqs: [1, 1], lengths: [3, 3], positions: [0, 0])
            }
        }
        let damaged = try index.check()
        #expect(damaged.isSound, "\(damaged.problems)")
        #expect(damaged.leftoverChunks == 2)
        #expect(try index.read { try $0.search("الصلاة", options: SearchOptions(limit: 10)) }.hits.map(\.id) == before)
        // The next write removes them first (its new segment takes the id `next`).
        try index.write { writer in try writer.add(Document(id: "c", text: "الصلاة على النبي")) }
        let report = try index.check()
        #expect(report.isSound && report.leftoverChunks == 0, "\(report.problems)")
        #expect(Set(try index.read { try $0.search("الصلاة", options: SearchOptions(limit: 10)) }.hits.map(\.id)) == ["a", "c"])
    }
}

/// Defect (issue 13, item 12): `stats` went on counting deleted documents after `optimize`
/// as if nothing had changed. It now tells the deleted documents a segment's postings still
/// hold (they count in document frequencies) from those a merge has dropped.
@Suite struct DeletedStatisticsTests {
    @Test func optimizeDropsDeletedDocumentsFromThePostingsAndStatsSaysSo() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in for i in 0..<40 { try writer.add(Document(id: "\(i)", text: "نص رقم \(i)")) } }
        try index.write { writer in for i in 0..<10 { writer.delete(id: "\(i)") } }
        var stats = try index.statistics()
        #expect(stats.deletedDocuments == 10 && stats.deletedInPostings == 10)
        try index.optimize()
        stats = try index.statistics()
        #expect(stats.documents == 30 && stats.deletedDocuments == 10 && stats.deletedInPostings == 0)
        try index.write { writer in writer.delete(id: "20") }
        stats = try index.statistics()
        #expect(stats.deletedDocuments == 11 && stats.deletedInPostings == 1)
        #expect(try index.read { try $0.search("نص", options: SearchOptions(limit: 100)) }.hits.count == 29)
    }
}
