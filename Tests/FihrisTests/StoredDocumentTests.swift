import Foundation
import LMDBStore
import Testing
@testable import Fihris

/// Stored documents are compressed (format 9): each comes back exactly as it was given,
/// whether compressed with the index's dictionary, alone, or kept plain; a dictionary that
/// is missing or damaged is a `.corrupted` error naming what, never altered text.
@Suite struct StoredDocumentTests {
    static func text(_ document: Document?) -> String? {
        guard case .text(let text)? = document?.fields.first(where: { $0.name == "text" })?.value else { return nil }
        return text
    }

    /// The codec byte of every `docs` value.
    static func codecs(_ index: SearchIndex) throws -> [UInt8: Int] {
        try index.read { searcher throws in
            var codecs: [UInt8: Int] = [:]
            try searcher.snapshot.rawEntries(.docs) { _, value in
                let id = try StoredDocumentCodec.decodeID(value)
                codecs[value[id.utf8.count + 1], default: 0] += 1   // a one-byte varint length for these ids
                return true
            }
            return codecs
        }
    }

    @Test func theSampleComesBackAsGivenAndCompressed() throws {
        let dir = TemporaryDirectory()
        let (index, texts) = try VocalizationSearchTests.sampleIndex(at: dir.path)
        #expect(texts.count > 900)
        // Engine = source: every document's text, byte for byte.
        try index.read { searcher throws in
            for (id, text) in texts {
                let document = try #require(try searcher.document(id: id))
                guard case .text(let stored)? = document.fields.first(where: { $0.name == "text" })?.value else {
                    Issue.record("\(id): no stored text"); continue
                }
                #expect(stored == text, "\(id)")
            }
            #expect(try searcher.snapshot.documentDictionary() != nil)
        }
        let codecs = try Self.codecs(index)
        #expect((codecs[1] ?? 0) >= texts.count * 9 / 10, "\(codecs)")   // with the dictionary
        // How much smaller: the docs table against the documents' plain records.
        let (stored, plain) = try index.read { searcher throws in
            var stored = 0, plain = 0
            try searcher.snapshot.rawEntries(.docs) { _, value in stored += value.count; return true }
            for (id, _) in texts {
                plain += StoredDocumentCodec.encode(try #require(try searcher.document(id: id)), schema: searcher.schema).count
            }
            return (stored, plain)
        }
        #expect(stored * 3 < plain, "stored \(stored) bytes for \(plain) plain")
    }

    @Test func aFewDocumentsNeedNoDictionary() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        let long = String(repeating: "حدثنا عبد الله بن يوسف قال أخبرنا مالك ", count: 30)
        try index.write { writer in
            try writer.add(Document(id: "short", text: "كتاب"))
            try writer.add(Document(id: "long", text: long))
        }
        #expect(try Self.codecs(index) == [0: 1, 2: 1])   // plain, and zstd alone
        try index.read { searcher throws in
            #expect(try searcher.snapshot.documentDictionary() == nil)
            #expect(Self.text(try searcher.document(id: "long")) == long)
            #expect(Self.text(try searcher.document(id: "short")) == "كتاب")
        }
    }

    @Test func aMissingDictionaryIsDamageNamed() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in
            for i in 0..<200 { try writer.add(Document(id: "d\(i)", text: "حدثنا عبد الله بن يوسف قال أخبرنا مالك عن نافع عن ابن عمر رقم \(i) " + String(repeating: "قال رسول الله ", count: i % 7))) }
        }
        #expect(try Self.codecs(index)[1] == 200)
        let environment = try Environment(path: dir.path)
        let meta = try environment.openDatabase("meta")
        try environment.write { txn in _ = try txn.delete(meta, Array("dictionary".utf8)) }
        do {
            _ = try SearchIndex(at: dir.path).read { try $0.document(id: "d7") }
            Issue.record("a document compressed with a missing dictionary was read")
        } catch let error as FihrisError {
            #expect(error.code == .corrupted)
            #expect(error.message.contains("docs") && error.message.contains("dictionary 1"), "\(error.message)")
        }
        let report = try SearchIndex(at: dir.path).check()
        #expect(!report.isSound)
        #expect(report.problems.contains { $0.contains("dictionary 1") }, "\(report.problems)")
    }
}
