import PostingsCodec

/// Documents per value of the per-document tables, each defined once. Powers of two, so a
/// reader finds a document's chunk with a shift and its slot with a mask.
enum ChunkSizes {
    /// Field lengths (u16) per `norms` value.
    static let norms = 4096
    /// Column values (u64) per `columns` value.
    static let columns = 4096
    /// Documents (bits) per `deleted` value.
    static let deletedBits = 65536
}

/// Keys of the `meta` table.
///
///     MetaKey := "format" | "analysis" | "schema" | "nextDocument" | "liveDocuments"
///              | "segments" | "nextSegment" | "dictionary"
///              | 0x66 field:u8                           (field statistics)
enum MetaKey: Equatable, CustomStringConvertible {
    /// u32: the format version.
    case format
    /// u32: the analysis version the terms were made with (absent: 1).
    case analysis
    /// JSON: the schema.
    case schema
    /// u32: the next document number (numbers are never reused).
    case nextDocument
    /// u64: live (not deleted) documents.
    case liveDocuments
    /// SegmentInfo{n}: the live segments, in document order.
    case segments
    /// u32: the next segment number.
    case nextSegment
    /// number:u32 zstd-dictionary: what stored documents of codec 1 are compressed with
    /// (trained on the first commit of enough documents; kept by a rebuild).
    case documentDictionary
    /// FieldStatistics of one field.
    case fieldStatistics(Int)

    static let fieldStatisticsTag: UInt8 = 0x66  // "f"

    var description: String {
        if case .fieldStatistics(let field) = self { return "fieldStatistics(\(field))" }
        return String(decoding: MetaKeyCodec.encode(self), as: UTF8.self)
    }
}

enum MetaKeyCodec: RecordCodec {
    static func encode(_ key: MetaKey) -> [UInt8] {
        switch key {
        case .format: Array("format".utf8)
        case .analysis: Array("analysis".utf8)
        case .schema: Array("schema".utf8)
        case .nextDocument: Array("nextDocument".utf8)
        case .liveDocuments: Array("liveDocuments".utf8)
        case .segments: Array("segments".utf8)
        case .nextSegment: Array("nextSegment".utf8)
        case .documentDictionary: Array("dictionary".utf8)
        case .fieldStatistics(let field): [MetaKey.fieldStatisticsTag, UInt8(field)]
        }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> MetaKey {
        if bytes.count == 2 && bytes[0] == MetaKey.fieldStatisticsTag { return .fieldStatistics(Int(bytes[1])) }
        switch String(decoding: bytes, as: UTF8.self) {
        case "format": return .format
        case "analysis": return .analysis
        case "schema": return .schema
        case "nextDocument": return .nextDocument
        case "liveDocuments": return .liveDocuments
        case "segments": return .segments
        case "nextSegment": return .nextSegment
        case "dictionary": return .documentDictionary
        default: throw CodecError("unknown meta key of \(bytes.count) bytes")
        }
    }
}

/// What a posting list is for.
enum TermKind: UInt8, CustomStringConvertible {
    /// Normalized (exact) forms of a text field: frequencies and positions.
    case exact = 0x65   // "e"
    /// Stems of a text field: frequencies.
    case stem = 0x73    // "s"
    /// Values of a keyword field: documents only.
    case keyword = 0x6B // "k"
    /// Vocalized stems of a text field (`VocalizedTerm`): frequencies and positions (a
    /// strict phrase checks each word's harakat at its position).
    case vocalized = 0x76 // "v"
    /// Roots of a text field's Arabic words (`RootExtractor`): frequencies and positions
    /// (root phrases, `>>"…"`).
    case root = 0x72 // "r"

    /// Whether postings of this kind carry frequencies (and field lengths for bounds).
    var hasFrequencies: Bool { self != .keyword }
    /// Whether postings of this kind carry positions (the token positions of kind `e`).
    var hasPositions: Bool { self != .keyword && self != .stem }

    var description: String {
        switch self { case .exact: "exact"; case .stem: "stem"; case .keyword: "keyword"; case .vocalized: "vocalized"; case .root: "root" }
    }
}

/// The term of a vocalized stem (kind `v`):
///
///     VocalizedTerm := stem:bytes 0x00 marks:u8{letters of stem}
///
/// The stem, a zero byte (never in a stem), and one byte of harakat per letter of the stem
/// (`Vocalization.stemMarks`: the marks the word carries on its stem's letters): every
/// vocalization of one stem is one key range.
enum VocalizedTerm {
    static func encode(stem: UnsafeBufferPointer<UInt8>, marks: UnsafeBufferPointer<UInt8>, into key: inout [UInt8]) {
        key.append(contentsOf: stem)
        key.append(0)
        key.append(contentsOf: marks)
    }

    /// Where the vocalizations of `stem` start.
    static func prefix(_ stem: [UInt8]) -> [UInt8] { stem + [0] }
}

/// A posting list's key in `postings` and `positions`:
///
///     TermKey := segment:u32be field:u8 kind:u8 term:bytes
///
/// Segment first: every segment is one contiguous, append-only key range.
struct TermKey: Hashable, CustomStringConvertible {
    var segment: UInt32
    /// The field, kind and term: what identifies the list across segments.
    var term: TermID

    init(segment: UInt32, term: TermID) { (self.segment, self.term) = (segment, term) }

    init(segment: UInt32, field: Int, kind: TermKind, term: [UInt8]) {
        self.init(segment: segment, term: TermID(field: field, kind: kind, text: term))
    }

    var description: String { "\(segment)/\(term)" }

    /// Bytes of every key of one segment.
    static func prefix(segment: UInt32) -> [UInt8] { BigEndian.bytes(segment) }

    /// Bytes of every key of one segment, field and kind, followed by `term` (a prefix of
    /// terms, or a term to start a scan at).
    static func prefix(segment: UInt32, field: Int, kind: TermKind, term: [UInt8] = []) -> [UInt8] {
        var key = BigEndian.bytes(segment)
        key.reserveCapacity(6 + term.count)
        key.append(UInt8(field))
        key.append(kind.rawValue)
        key.append(contentsOf: term)
        return key
    }

    enum Codec: RecordCodec {
        static func encode(_ key: TermKey) -> [UInt8] {
            prefix(segment: key.segment, field: key.term.field, kind: key.term.kind, term: key.term.text)
        }

        static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> TermKey {
            guard bytes.count >= 6 else { throw CodecError("term key of \(bytes.count) bytes (at least 6)") }
            guard let kind = TermKind(rawValue: bytes[5]) else { throw CodecError("term key with unknown kind \(bytes[5])") }
            return TermKey(segment: BigEndian.uint32(bytes, at: 0), field: Int(bytes[4]), kind: kind, term: Array(bytes[6...]))
        }
    }
}

/// A posting list across segments: field, kind, term bytes.
///
///     TermID := field:u8 kind:u8 term:bytes     (a TermKey after its segment)
struct TermID: Hashable, CustomStringConvertible {
    var field: Int
    var kind: TermKind
    var text: [UInt8]

    /// Decodes the bytes of a term key after its segment.
    static func decode(suffix: some Collection<UInt8>) throws(CodecError) -> TermID {
        guard suffix.count >= 2, let kind = TermKind(rawValue: suffix[suffix.index(after: suffix.startIndex)]) else {
            throw CodecError("term of \(suffix.count) bytes without a known kind")
        }
        return TermID(field: Int(suffix[suffix.startIndex]), kind: kind, text: Array(suffix.dropFirst(2)))
    }

    var description: String { "\(field)/\(kind)/\(String(decoding: text, as: UTF8.self))" }
}

/// A document number (or a chunk number) as a key: u32 big-endian, so byte order is
/// numeric order.
enum DocumentNumber: RecordCodec {
    static func encode(_ value: UInt32) -> [UInt8] { BigEndian.bytes(value) }
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> UInt32 {
        guard bytes.count == 4 else { throw CodecError("document number key of \(bytes.count) bytes (4)") }
        return BigEndian.uint32(bytes, at: 0)
    }
}

/// A per-field chunk's key (`norms`, `columns`):
///
///     FieldChunkKey := field:u8 chunk:u32be
struct FieldChunkKey: Equatable, CustomStringConvertible {
    var field: Int
    var chunk: Int

    var description: String { "field \(field) chunk \(chunk)" }

    enum Codec: RecordCodec {
        static func encode(_ key: FieldChunkKey) -> [UInt8] { [UInt8(key.field)] + BigEndian.bytes(UInt32(key.chunk)) }
        static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> FieldChunkKey {
            guard bytes.count == 5 else { throw CodecError("field chunk key of \(bytes.count) bytes (5)") }
            return FieldChunkKey(field: Int(bytes[0]), chunk: Int(BigEndian.uint32(bytes, at: 1)))
        }
    }
}

enum BigEndian {
    static func bytes(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
    static func uint32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}

enum LittleEndian {
    static func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    /// A value of exactly `T`'s size; anything else is damage.
    static func exactly<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, as _: T.Type) throws(CodecError) -> T {
        guard bytes.count == MemoryLayout<T>.size else {
            throw CodecError("a \(MemoryLayout<T>.size)-byte value has \(bytes.count) bytes")
        }
        return T(littleEndian: bytes.loadUnaligned(as: T.self))
    }
}
