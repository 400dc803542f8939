import Foundation
import Testing
@testable import Fihris

/// A lone prefix's top k (every match scores alike: the k lowest documents) equals a
/// brute-force union of every covered term's documents, over several segments and for k
/// beyond one block (128) — the fast path reads only the blocks and segments it needs.
@Suite struct LowestDocumentsTests {
    @Test func aLonePrefixIsItsLowestDocuments() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        let source = FolderSource(folder: repositoryCorpus, excluding: ["README.md", "ain-al-asad-handover.txt"])
        var documents: [Document] = []
        for file in try source.files() { try source.documents(in: file) { documents.append($0) } }
        // Three commits: three segments (fewer than the merge policy's four).
        for part in 0..<3 {
            try index.write { writer in
                for document in documents[(part * documents.count / 3)..<((part + 1) * documents.count / 3)] { try writer.add(document) }
            }
        }
        try index.read { searcher throws in
            let snapshot = searcher.snapshot
            #expect(snapshot.segments.count == 3)
            let field = try #require(snapshot.schema.fieldNumber("text"))
            for prefix in ["قال", "حد", "ال", "و", "صلا", "مسجد"] {
                // Every document of every term with the prefix, in every segment.
                let folded = Array(prefix.utf8)
                var union = Set<UInt32>()
                let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
                defer { docs.deallocate() }
                for segment in snapshot.segments {
                    try snapshot.forEachTerm(segment: segment.id, field: field, kind: .exact, from: folded) { term, chunk in
                        guard term.starts(with: folded) else { return false }
                        for block in 0..<chunk.blockCount {
                            let n = try chunk.decodeBlock(block, docs: docs, freqs: nil)
                            for i in 0..<n { union.insert(docs[i]) }
                        }
                        return true
                    }
                }
                #expect(union.count > 0, "\(prefix)")
                for k in [1, 10, 129, 500, 5000] {
                    let expected = try union.sorted().prefix(k).map { try #require(try snapshot.storedDocumentID($0)) }
                    let hits = try searcher.search(prefix + "*", options: SearchOptions(limit: k)).hits.map(\.id)
                    let same = hits == expected
                    let first = zip(hits, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(hits.count, expected.count)
                    #expect(same, "\(prefix)* top \(k): \(hits.count) hits for \(expected.count), first difference at \(first)")
                }
            }
        }
    }
}
