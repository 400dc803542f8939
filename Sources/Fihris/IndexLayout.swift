import LMDBStore
import PostingsCodec

/// The LMDB databases of an index (format 4) and their keys; docs/FORMAT.md is the
/// reference. All multi-byte integers in keys are big-endian so byte order is numeric order.
struct IndexLayout {
    /// Bumped whenever the on-disk layout changes; checked when an index is opened.
    static let formatVersion: UInt32 = 4

    static let databaseNames = ["meta", "postings", "positions", "docs", "ids", "norms", "columns", "deleted", "files"]

    let meta: Database
    let postings: Database
    let positions: Database
    let docs: Database
    let ids: Database
    let norms: Database
    let columns: Database
    let deleted: Database
    let files: Database

    init(_ open: (String) throws -> Database) throws {
        meta = try open("meta")
        postings = try open("postings")
        positions = try open("positions")
        docs = try open("docs")
        ids = try open("ids")
        norms = try open("norms")
        columns = try open("columns")
        deleted = try open("deleted")
        files = try open("files")
    }

    var all: [Database] { [meta, postings, positions, docs, ids, norms, columns, deleted, files] }

    enum MetaKey {
        static let format = Array("format".utf8)
        static let schema = Array("schema".utf8)
        /// UInt32: the next document number (numbers are never reused).
        static let nextDocument = Array("nextDocument".utf8)
        /// UInt64: live (not deleted) documents.
        static let liveDocuments = Array("liveDocuments".utf8)
        /// Prefix + field number: FieldStatistics.
        static let fieldStatistics: UInt8 = 0x66  // "f"
        /// The live segments, in document order: SegmentInfo{n}.
        static let segments = Array("segments".utf8)
        /// UInt32: the next segment number.
        static let nextSegment = Array("nextSegment".utf8)
    }

    /// What a posting list is for.
    enum TermKind: UInt8 {
        /// Normalized (exact) forms of a text field: frequencies and positions.
        case exact = 0x65   // "e"
        /// Stems of a text field: frequencies.
        case stem = 0x73    // "s"
        /// Values of a keyword field: documents only.
        case keyword = 0x6B // "k"
    }

    /// Documents per norms/columns value and per deleted-bitmap value.
    static let normsPerChunk = 4096
    static let columnValuesPerChunk = 4096
    static let deletedBitsPerChunk = 65536

    /// Key of a term's postings in a segment: segment (big-endian), field, kind, term.
    /// Sorting by segment first makes every segment one contiguous, append-only key range.
    static func termKey(segment: UInt32, field: Int, kind: TermKind, term: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var key = [UInt8]()
        key.reserveCapacity(term.count + 6)
        appendBE(segment, &key)
        key.append(UInt8(field))
        key.append(kind.rawValue)
        key.append(contentsOf: term)
        return key
    }

    static func termKey(segment: UInt32, field: Int, kind: TermKind, term: [UInt8]) -> [UInt8] {
        term.withUnsafeBufferPointer { termKey(segment: segment, field: field, kind: kind, term: $0) }
    }

    static func segmentPrefix(_ segment: UInt32) -> [UInt8] {
        var key = [UInt8]()
        appendBE(segment, &key)
        return key
    }

    static func documentKey(_ number: UInt32) -> [UInt8] {
        var key = [UInt8]()
        appendBE(number, &key)
        return key
    }

    /// Key of a per-field chunk (norms, columns): field number, chunk number.
    static func fieldChunkKey(field: Int, chunk: Int) -> [UInt8] {
        var key: [UInt8] = [UInt8(field)]
        appendBE(UInt32(chunk), &key)
        return key
    }

    static func appendBE(_ value: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }

    static func readBE(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    static func uint64(_ buffer: UnsafeRawBufferPointer?) -> UInt64 {
        guard let buffer, buffer.count == 8 else { return 0 }
        return buffer.loadUnaligned(as: UInt64.self).littleEndian
    }

    static func uint32(_ buffer: UnsafeRawBufferPointer?) -> UInt32 {
        guard let buffer, buffer.count == 4 else { return 0 }
        return buffer.loadUnaligned(as: UInt32.self).littleEndian
    }

    static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

/// A segment: the postings written by one commit or one merge, for the documents numbered
/// firstDocument ..< endDocument (segments cover consecutive, disjoint ranges).
struct SegmentInfo: Equatable {
    var id: UInt32
    var firstDocument: UInt32
    var endDocument: UInt32
    var size: Int { Int(endDocument - firstDocument) }

    static let encodedSize = 12

    static func decodeList(_ buffer: UnsafeRawBufferPointer?) -> [SegmentInfo] {
        guard let buffer else { return [] }
        return (0..<(buffer.count / encodedSize)).map { i in
            SegmentInfo(id: buffer.loadUnaligned(fromByteOffset: i * 12, as: UInt32.self).littleEndian,
                        firstDocument: buffer.loadUnaligned(fromByteOffset: i * 12 + 4, as: UInt32.self).littleEndian,
                        endDocument: buffer.loadUnaligned(fromByteOffset: i * 12 + 8, as: UInt32.self).littleEndian)
        }
    }

    static func encodeList(_ segments: [SegmentInfo]) -> [UInt8] {
        segments.flatMap { IndexLayout.bytes($0.id) + IndexLayout.bytes($0.firstDocument) + IndexLayout.bytes($0.endDocument) }
    }
}

/// Live statistics of one field, for BM25: how many live documents have it and how many
/// tokens they hold in it.
struct FieldStatistics: Equatable {
    var documents: UInt64 = 0
    var tokens: UInt64 = 0

    init() {}
    init(_ buffer: UnsafeRawBufferPointer?) {
        guard let buffer, buffer.count == 16 else { return }
        documents = buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        tokens = buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
    }
    var bytes: [UInt8] { IndexLayout.bytes(documents) + IndexLayout.bytes(tokens) }
    static func key(_ field: Int) -> [UInt8] { [IndexLayout.MetaKey.fieldStatistics, UInt8(field)] }
}

/// The `ids` value: the document's number and a hash of its content (to skip unchanged
/// documents when a folder is indexed again).
struct IDRecord {
    var number: UInt32
    var contentHash: UInt64
    init(number: UInt32, contentHash: UInt64) { self.number = number; self.contentHash = contentHash }
    init?(_ buffer: UnsafeRawBufferPointer?) {
        guard let buffer, buffer.count == 12 else { return nil }
        number = buffer.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian
        contentHash = buffer.loadUnaligned(fromByteOffset: 4, as: UInt64.self).littleEndian
    }
    var bytes: [UInt8] { IndexLayout.bytes(number) + IndexLayout.bytes(contentHash) }
}

/// Stored documents (`docs` values):
///
///     StoredDocument := id:string title:string fieldCount:varint Field{fieldCount}
///     Field := fieldNumber:varint kind:u8 value   (0 text:string, 1 integer:u64le,
///                                                 2 double:u64le bits, 3 bool:u8)
enum StoredDocumentCodec {
    static func encode(_ document: Document, schema: Schema) -> [UInt8] {
        var out: [UInt8] = []
        out.appendString(document.id)
        out.appendString(document.title)
        let stored = document.fields.filter { schema[$0.name]?.stored ?? true }
        Varint.append(stored.count, to: &out)
        for field in stored {
            Varint.append(schema.fieldNumber(field.name) ?? 0, to: &out)
            switch field.value {
            case .text(let s): out.append(0); out.appendString(s)
            case .integer(let i): out.append(1); out.appendUInt64LE(UInt64(bitPattern: i))
            case .double(let d): out.append(2); out.appendUInt64LE(d.bitPattern)
            case .bool(let b): out.append(3); out.append(b ? 1 : 0)
            }
        }
        return out
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, schema: Schema) throws(CodecError) -> Document {
        var reader = ByteReader(bytes)
        let id = try reader.string()
        let title = try reader.string()
        let count = try reader.int()
        guard count <= reader.remaining else { throw CodecError("field count \(count) exceeds the record") }
        var fields: [Document.Field] = []
        fields.reserveCapacity(count)
        for _ in 0..<count {
            let number = try reader.int()
            guard number < schema.fields.count else { throw CodecError("stored field number \(number) is not in the schema") }
            let kind = try reader.bytes(1)[0]
            let value: FieldValue
            switch kind {
            case 0: value = .text(try reader.string())
            case 1: value = .integer(Int64(bitPattern: try reader.uint64LE()))
            case 2: value = .double(Double(bitPattern: try reader.uint64LE()))
            case 3: value = .bool(try reader.bytes(1)[0] != 0)
            default: throw CodecError("unknown stored field kind \(kind)")
            }
            fields.append(Document.Field(schema.fields[number].name, value))
        }
        if !reader.isAtEnd { throw CodecError("trailing bytes in a stored document") }
        return Document(id: id, title: title, fields: fields)
    }
}
