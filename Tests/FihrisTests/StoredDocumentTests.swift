import Foundation
import LMDBStore
import PostingsCodec
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

/// Whatever bytes a `docs` value holds, decoding it is a `CodecError` or a document, never
/// a crash, an over-read or a huge allocation (the CRC trailer makes this rare; the codec
/// must not rely on it).
@Suite struct StoredDocumentCodecDamageTests {
    @Test func randomAndMutatedValuesNeverCrash() throws {
        let schema = try Schema(fields: [FieldDefinition(name: "text", type: .text)])
        let plain = StoredDocumentCodec.encode(Document(id: "bukhari:1", title: "t", text: String(repeating: "إنما الأعمال بالنيات ", count: 20)), schema: schema)
        let compressed = try StoredDocumentCodec.compress(plain, dictionary: nil)
        #expect(compressed.count < plain.count)
        var state: UInt64 = 0x2545F4914F6CDD1D
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var outcomes = (decoded: 0, refused: 0)
        func attempt(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                do {
                    let (id, body) = try StoredDocumentCodec.split(raw)
                    switch body {
                    case .plain(let fields): _ = try StoredDocumentCodec.decode(id: id, fields: fields, schema: schema)
                    case .compressed(_, let size, let frame):
                        let fields = try StoredDocumentCodec.decompress(frame, size: size, dictionary: nil)
                        _ = try fields.withUnsafeBytes { try StoredDocumentCodec.decode(id: id, fields: $0, schema: schema) }
                    }
                    outcomes.decoded += 1
                } catch is CodecError {
                    outcomes.refused += 1
                } catch {
                    Issue.record("not a CodecError: \(error)")
                }
            }
        }
        for source in [plain, compressed] {
            for _ in 0..<400 {
                var bytes = source
                switch next() % 3 {
                case 0: bytes[Int(next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: next() | 1)
                case 1: bytes.removeLast(Int(next() % UInt64(bytes.count)))
                default: for _ in 0..<4 { bytes[Int(next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: next()) }
                }
                attempt(bytes)
            }
        }
        for _ in 0..<400 { attempt((0..<Int(next() % 64)).map { _ in UInt8(truncatingIfNeeded: next()) }) }
        // A claimed size beyond the cap is refused before any allocation.
        let idPart = Array(plain[..<plain.firstIndex(of: 0)!])   // the id's length and bytes
        let refusedBefore = outcomes.refused
        attempt(idPart + [2] + [0xFF, 0xFF, 0xFF, 0xFF, 0x0F] + [0x28, 0xB5, 0x2F, 0xFD])
        #expect(outcomes.refused == refusedBefore + 1)
        #expect(outcomes.refused > 0 && outcomes.decoded > 0, "\(outcomes)")
    }
}
