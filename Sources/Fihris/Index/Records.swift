import PostingsCodec
import ZstdCodec

/// A segment: the postings written by one commit or one merge, for the documents numbered
/// firstDocument ..< endDocument (segments cover consecutive, disjoint ranges).
///
///     Segments    := SegmentInfo{n}                      (meta "segments")
///     SegmentInfo := id:u32 firstDocument:u32 endDocument:u32 purged:u32
///                    -- purged: deleted documents of the range when the segment was
///                    -- written (it holds no postings of them)
struct SegmentInfo: Equatable {
    var id: UInt32
    var firstDocument: UInt32
    var endDocument: UInt32
    /// Deleted documents of its range when it was written: its postings leave them out. The
    /// others deleted since are still in its postings until it is merged.
    var purged: UInt32 = 0
    var size: Int { Int(endDocument - firstDocument) }

    static let encodedSize = 16

    enum ListCodec: RecordCodec {
        static func encode(_ segments: [SegmentInfo]) -> [UInt8] {
            segments.flatMap {
                LittleEndian.bytes($0.id) + LittleEndian.bytes($0.firstDocument) + LittleEndian.bytes($0.endDocument) + LittleEndian.bytes($0.purged)
            }
        }

        static func decode(_ buffer: UnsafeRawBufferPointer) throws(CodecError) -> [SegmentInfo] {
            guard buffer.count % encodedSize == 0 else { throw CodecError("segment list of \(buffer.count) bytes (a multiple of \(encodedSize))") }
            var segments: [SegmentInfo] = []
            for i in 0..<(buffer.count / encodedSize) {
                let o = i * encodedSize
                let segment = SegmentInfo(id: buffer.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian,
                                          firstDocument: buffer.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self).littleEndian,
                                          endDocument: buffer.loadUnaligned(fromByteOffset: o + 8, as: UInt32.self).littleEndian,
                                          purged: buffer.loadUnaligned(fromByteOffset: o + 12, as: UInt32.self).littleEndian)
                guard segment.firstDocument <= segment.endDocument else {
                    throw CodecError("segment \(segment.id) ends (\(segment.endDocument)) before it starts (\(segment.firstDocument))")
                }
                segments.append(segment)
            }
            return segments
        }
    }
}

/// Live statistics of one field, for BM25: how many live documents have it and how many
/// tokens they hold in it.
///
///     FieldStatistics := documents:u64 tokens:u64
struct FieldStatistics: Equatable {
    var documents: UInt64 = 0
    var tokens: UInt64 = 0

    enum Codec: RecordCodec {
        static func encode(_ value: FieldStatistics) -> [UInt8] { LittleEndian.bytes(value.documents) + LittleEndian.bytes(value.tokens) }
        static func decode(_ buffer: UnsafeRawBufferPointer) throws(CodecError) -> FieldStatistics {
            guard buffer.count == 16 else { throw CodecError("field statistics of \(buffer.count) bytes (16)") }
            return FieldStatistics(documents: buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian,
                                   tokens: buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian)
        }
    }
}

/// The `ids` value: the document's number and a hash of its content (to skip unchanged
/// documents when a folder is indexed again).
///
///     IDRecord := number:u32 contentHash:u64
struct IDRecord: Equatable {
    var number: UInt32
    var contentHash: UInt64

    enum Codec: RecordCodec {
        static func encode(_ value: IDRecord) -> [UInt8] { LittleEndian.bytes(value.number) + LittleEndian.bytes(value.contentHash) }
        static func decode(_ buffer: UnsafeRawBufferPointer) throws(CodecError) -> IDRecord {
            guard buffer.count == 12 else { throw CodecError("id record of \(buffer.count) bytes (12)") }
            return IDRecord(number: buffer.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian,
                            contentHash: buffer.loadUnaligned(fromByteOffset: 4, as: UInt64.self).littleEndian)
        }
    }
}

/// What an index remembers of a source file, to re-index only what changed.
///
///     FileRecord := size:u64 modified:i64(ns) hash:u64 count:varint Id{count}
///     Id := shared:varint suffix:string    (front coding: bytes shared with the previous id)
struct FileRecord: Equatable {
    /// The file's size, modification time (ns) and content hash when it was read.
    var size: UInt64, modified: Int64, hash: UInt64
    /// The ids of the documents the file holds.
    var ids: [String]

    enum Codec: RecordCodec {
        static func encode(_ record: FileRecord) -> [UInt8] {
            var out = LittleEndian.bytes(record.size) + LittleEndian.bytes(UInt64(bitPattern: record.modified)) + LittleEndian.bytes(record.hash)
            Varint.append(record.ids.count, to: &out)
            var previous: [UInt8] = []
            for id in record.ids {
                let bytes = Array(id.utf8)
                var shared = 0
                while shared < min(bytes.count, previous.count) && bytes[shared] == previous[shared] { shared += 1 }
                Varint.append(shared, to: &out)
                Varint.append(bytes.count - shared, to: &out)
                out.append(contentsOf: bytes[shared...])
                previous = bytes
            }
            return out
        }

        static func decode(_ buffer: UnsafeRawBufferPointer) throws(CodecError) -> FileRecord {
            var reader = ByteReader(buffer)
            let size = try reader.uint64LE()
            let modified = Int64(bitPattern: try reader.uint64LE())
            let hash = try reader.uint64LE()
            let count = try reader.int()
            guard count <= reader.remaining else { throw CodecError("file record claims \(count) documents") }
            var ids: [String] = []
            ids.reserveCapacity(count)
            var previous: [UInt8] = []
            for _ in 0..<count {
                let shared = try reader.int()
                guard shared <= previous.count else { throw CodecError("file record id shares \(shared) bytes of \(previous.count)") }
                let suffix = try reader.bytes(try reader.int())
                previous = Array(previous[..<shared]) + Array(suffix)
                ids.append(String(decoding: previous, as: UTF8.self))
            }
            guard reader.isAtEnd else { throw CodecError("trailing bytes in a file record") }
            return FileRecord(size: size, modified: modified, hash: hash, ids: ids)
        }
    }
}

/// Stored documents (`docs` values). The id stays uncompressed (ids are read alone); the
/// rest is compressed on its own with the index's dictionary when that makes it smaller:
///
///     StoredDocument := id:string codec:u8 Body
///     Body := Fields                                     (codec 0: as it is)
///           | dictionary:varint size:varint frame        (codec 1: zstd with that dictionary)
///           | size:varint frame                          (codec 2: zstd alone)
///     Fields := title:string fieldCount:varint Field{fieldCount}
///     Field := fieldNumber:varint kind:u8 value   (0 text:string, 1 integer:u64le,
///                                                 2 double:u64le bits, 3 bool:u8)
///
/// `size` is the length of Fields; `frame` one zstd frame recording the same size.
enum StoredDocumentCodec {
    /// How a document's fields are kept.
    enum Body {
        case plain(UnsafeRawBufferPointer)
        case compressed(dictionary: UInt32?, size: Int, frame: UnsafeRawBufferPointer)
    }

    /// The largest Fields a compressed record may claim (a damaged size is an error, not an
    /// allocation).
    static let maximumSize = 1 << 30

    /// The plain record (codec 0).
    static func encode(_ document: Document, schema: Schema) -> [UInt8] {
        var out: [UInt8] = []
        out.appendString(document.id)
        out.append(0)
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

    /// Documents a commit needs before it trains the stored-document dictionary (fewer are
    /// compressed without one), and the dictionary's size.
    static let dictionarySamples = 64, dictionaryCapacity = 64 << 10
    /// The number of the index's dictionary (the first and, so far, only one: a commit that
    /// finds none trains it; codec 1 names it, so later ones can take other numbers).
    static let dictionaryNumber: UInt32 = 1

    /// A dictionary for stored documents trained on `documents` (at most 1 MB of their
    /// plain fields, spread over them: on the hadith text 1 MB trains in 0.05 s and gives
    /// 4.27×, 8 MB 0.2 s and 4.27×), or nil when there are too few (or zstd cannot).
    static func trainDictionary(_ documents: [Document], schema: Schema) throws -> (bytes: [UInt8], dictionary: Zstd.Dictionary)? {
        guard documents.count >= dictionarySamples else { return nil }
        let first = documents.prefix(256).map { encode($0, schema: schema).count }.reduce(0, +) / min(256, documents.count)
        let stride = max(1, documents.count * max(1, first) / (1 << 20))
        var samples: [[UInt8]] = [], total = 0
        for i in Swift.stride(from: 0, to: documents.count, by: stride) {
            let plain = encode(documents[i], schema: schema)
            let fields = try plain.withUnsafeBytes { (b) throws(CodecError) in try fieldsOffset(b) }
            samples.append(Array(plain[fields...]))
            total += plain.count - fields
        }
        guard total >= 16 << 10,
              let trained = Zstd.train(samples: samples, capacity: min(dictionaryCapacity, max(4 << 10, total / 16))) else { return nil }
        let dictionary = try trained.withUnsafeBytes { bytes in
            do { return try Zstd.Dictionary(bytes) } catch { throw FihrisError(.storage, "the stored-document dictionary: \(error)") }
        }
        return (trained, dictionary)
    }

    /// Where a plain record's Fields begin (after the id and the codec byte).
    static func fieldsOffset(_ plain: UnsafeRawBufferPointer) throws(CodecError) -> Int {
        var reader = ByteReader(plain)
        _ = try reader.string()
        let offset = plain.count - reader.remaining
        guard try reader.bytes(1)[0] == 0 else { throw CodecError("not a plain stored document") }
        return offset + 1
    }

    /// A plain record compressed (codec 1 with `dictionary`, else codec 2), or the plain
    /// record itself when compression saves less than a tenth.
    static func compress(_ plain: [UInt8], dictionary: (number: UInt32, dictionary: Zstd.Dictionary)?) throws -> [UInt8] {
        try plain.withUnsafeBytes { bytes in
            let fields = try fieldsOffset(bytes)
            let size = bytes.count - fields
            guard size >= 64 else { return plain }
            var out = Array(bytes[..<(fields - 1)])
            out.append(dictionary == nil ? 2 : 1)
            if let dictionary { Varint.append(Int(dictionary.number), to: &out) }
            Varint.append(size, to: &out)
            do {
                try Zstd.compress(UnsafeRawBufferPointer(rebasing: bytes[fields...]), dictionary: dictionary?.dictionary, into: &out)
            } catch {
                throw FihrisError(.storage, "compress a stored document: \(error)")
            }
            return out.count * 10 <= plain.count * 9 ? out : plain
        }
    }

    /// The id and how the fields are kept.
    static func split(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> (id: String, body: Body) {
        var reader = ByteReader(bytes)
        let id = try reader.string()
        let codec = try reader.bytes(1)[0]
        switch codec {
        case 0:
            return (id, .plain(UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - reader.remaining)...])))
        case 1, 2:
            let dictionary = codec == 1 ? try reader.int() : nil
            guard (dictionary ?? 0) <= Int(UInt32.max) else { throw CodecError("dictionary number \(dictionary!) is out of range") }
            let size = try reader.int()
            guard size <= maximumSize else { throw CodecError("a compressed document claims \(size) bytes") }
            let frame = UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - reader.remaining)...])
            return (id, .compressed(dictionary: dictionary.map { UInt32($0) }, size: size, frame: frame))
        default:
            throw CodecError("unknown stored document codec \(codec)")
        }
    }

    /// Decompresses a compressed body (`dictionary`: the one it names).
    static func decompress(_ frame: UnsafeRawBufferPointer, size: Int, dictionary: Zstd.Dictionary?) throws(CodecError) -> [UInt8] {
        do { return try Zstd.decompress(frame, size: size, dictionary: dictionary) } catch {
            throw CodecError("the compressed fields do not decompress (\(error))")
        }
    }

    /// A document from its id and its Fields.
    static func decode(id: String, fields bytes: UnsafeRawBufferPointer, schema: Schema) throws(CodecError) -> Document {
        var reader = ByteReader(bytes)
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

    /// Only the id (the record's first string).
    static func decodeID(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> String {
        var reader = ByteReader(bytes)
        return try reader.string()
    }
}
