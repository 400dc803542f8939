import Foundation
import LMDBStore
import PostingsCodec
import Testing
@testable import Fihris

/// The typed tables: every key and record codec decodes what it encodes, and what does not
/// decode is a `.corrupted` error naming the table and the key, never a silent zero.
@Suite struct IndexLayerTests {
    @Test func keysRoundTrip() throws {
        let termKeys = [TermKey(segment: 0, field: 0, kind: .exact, term: []),
                        TermKey(segment: 7, field: 3, kind: .stem, term: Array("كتاب".utf8)),
                        TermKey(segment: UInt32.max, field: 254, kind: .keyword, term: [0, 255, 1])]
        for key in termKeys {
            #expect(try TermKey.Codec.encode(key).withUnsafeBytes { try TermKey.Codec.decode($0) } == key)
        }
        for key in [MetaKey.format, .analysis, .schema, .nextDocument, .liveDocuments, .segments, .nextSegment, .documentDictionary, .fieldStatistics(9)] {
            #expect(try MetaKeyCodec.encode(key).withUnsafeBytes { try MetaKeyCodec.decode($0) } == key)
        }
        let chunk = FieldChunkKey(field: 2, chunk: 70_000)
        #expect(try FieldChunkKey.Codec.encode(chunk).withUnsafeBytes { try FieldChunkKey.Codec.decode($0) } == chunk)
        // Byte order is numeric order: segments sort as numbers.
        #expect(TermKey.Codec.encode(termKeys[1]).lexicographicallyPrecedes(TermKey.Codec.encode(TermKey(segment: 256, field: 0, kind: .exact, term: []))))
    }

    @Test func recordsRoundTripAndRejectDamage() throws {
        let segments = [SegmentInfo(id: 1, firstDocument: 0, endDocument: 10), SegmentInfo(id: 4, firstDocument: 10, endDocument: 12)]
        #expect(try SegmentInfo.ListCodec.encode(segments).withUnsafeBytes { try SegmentInfo.ListCodec.decode($0) } == segments)
        let record = FileRecord(size: 9, modified: -3, hash: 42, ids: ["a:1", "a:2", "b"])
        #expect(try FileRecord.Codec.encode(record).withUnsafeBytes { try FileRecord.Codec.decode($0) } == record)
        let id = IDRecord(number: 5, contentHash: 77)
        #expect(try IDRecord.Codec.encode(id).withUnsafeBytes { try IDRecord.Codec.decode($0) } == id)
        // Wrong sizes are damage, not zeros.
        let damaged: [(String, [UInt8], (UnsafeRawBufferPointer) throws -> Void)] = [
            ("segments", [1, 2, 3], { _ = try SegmentInfo.ListCodec.decode($0) }),
            ("id record", [1, 2, 3, 4], { _ = try IDRecord.Codec.decode($0) }),
            ("field statistics", [0], { _ = try FieldStatistics.Codec.decode($0) }),
            ("file record", FileRecord.Codec.encode(record) + [0], { _ = try FileRecord.Codec.decode($0) }),
            ("term key", [0, 0, 0, 1, 0, 0x99], { _ = try TermKey.Codec.decode($0) }),
            ("u32", [1, 2], { _ = try LittleEndian.exactly($0, as: UInt32.self) }),
        ]
        for (name, bytes, decode) in damaged {
            #expect(throws: CodecError.self, "\(name)") { try bytes.withUnsafeBytes { try decode($0) } }
        }
    }

    /// A meta counter of the wrong size used to read as 0; now opening a search names it.
    @Test func malformedMetaValueIsCorrupted() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { try $0.add(Document(id: "a", text: "كتاب")) }
        let environment = try Environment(path: dir.path)
        let meta = try environment.openDatabase("meta")
        try environment.write { txn in try txn.put(meta, Array("nextDocument".utf8), [1, 2, 3]) }
        do {
            _ = try SearchIndex(at: dir.path).read { try $0.search("كتاب") }
            Issue.record("a damaged meta value was read")
        } catch let error as FihrisError {
            #expect(error.code == .corrupted)
            #expect(error.message.contains("meta") && error.message.contains("nextDocument"), "\(error.message)")
        }
    }

    /// Errors the caller's own closure throws come out of `read` as they went in.
    @Test func callersErrorsPassThrough() throws {
        struct Mine: Error, Equatable {}
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        #expect(throws: Mine()) { try index.read { _ in throw Mine() } }
        #expect(throws: Mine()) { try index.write { _ in throw Mine() } }
    }
}
