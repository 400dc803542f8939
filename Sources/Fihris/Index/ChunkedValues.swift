import LMDBStore

/// Per-document values stored in fixed-size chunks (norms, columns, deleted bits), read
/// with the current chunk cached: scanning documents in order costs one lookup per chunk.
struct ChunkedValues<Key: RecordCodec> {
    private let txn: TransactionView
    private let table: Table<Key, RawBytes>
    private let key: (Int) -> Key.Value
    private let verified: VerifiedValues?
    /// Values per chunk are a power of two: chunk = doc >> shift, slot = doc & mask.
    private let shift: Int
    private let mask: Int
    private var cachedChunk = -1
    private var cached = UnsafeRawBufferPointer(start: nil, count: 0)

    init(txn: TransactionView, table: Table<Key, RawBytes>, perChunk: Int, verified: VerifiedValues? = nil,
         key: @escaping (Int) -> Key.Value) {
        precondition(perChunk > 0 && perChunk & (perChunk - 1) == 0)
        self.txn = txn
        self.verified = verified
        self.table = table
        self.key = key
        shift = perChunk.trailingZeroBitCount
        mask = perChunk - 1
    }

    /// The chunk holding document `doc` (empty when none is stored) and the slot in it.
    @inline(__always)
    mutating func chunk(for doc: Int) throws -> (buffer: UnsafeRawBufferPointer, slot: Int) {
        let chunk = doc >> shift
        if chunk != cachedChunk {
            cached = try table.get(txn, key(chunk), remembering: verified) ?? UnsafeRawBufferPointer(start: nil, count: 0)
            cachedChunk = chunk
        }
        return (cached, doc & mask)
    }

    /// The fixed-width value of document `doc`, nil past the values stored.
    @inline(__always)
    mutating func value<T: FixedWidthInteger>(_ doc: Int, as _: T.Type) throws -> T? {
        let (buffer, slot) = try chunk(for: doc)
        let width = MemoryLayout<T>.size
        guard (slot + 1) * width <= buffer.count else { return nil }
        return T(littleEndian: buffer.loadUnaligned(fromByteOffset: slot * width, as: T.self))
    }
}

/// One field's fixed-width values in its chunks: field lengths (`norms`, u16, 0 when a
/// document has none) or a numeric column (`columns`, u64 integer or double bits).
struct FieldValues<T: FixedWidthInteger> {
    private var values: ChunkedValues<FieldChunkKey.Codec>

    init(txn: TransactionView, table: Table<FieldChunkKey.Codec, RawBytes>, perChunk: Int, field: Int, verified: VerifiedValues? = nil) {
        values = ChunkedValues(txn: txn, table: table, perChunk: perChunk, verified: verified) { FieldChunkKey(field: field, chunk: $0) }
    }

    @inline(__always)
    mutating func value(_ doc: Int) throws -> T? { try values.value(doc, as: T.self) }
}

/// Field lengths of one text field.
typealias NormsReader = FieldValues<UInt16>

extension FieldValues<UInt16> {
    /// The field length of `doc` (0 when it has none).
    @inline(__always)
    mutating func length(_ doc: Int) throws -> UInt16 { try value(doc) ?? 0 }
}

/// A numeric column.
typealias ColumnReader = FieldValues<UInt64>

extension FieldValues<UInt64> {
    /// The stored value of a document without one.
    static var missing: UInt64 { UInt64.max }

    /// An integer as stored: its bits with the sign bit flipped, so stored values order as
    /// the integers do, and `missing` is Int64.max, which no document may hold
    /// (`Schema.check`). (Format 10 stored the bits as they are: −1 was `missing`.)
    @inline(__always) static func encode(integer v: Int64) -> UInt64 { UInt64(bitPattern: v) ^ (1 << 63) }
    @inline(__always) static func decode(integer raw: UInt64) -> Int64 { Int64(bitPattern: raw ^ (1 << 63)) }
    /// A double as stored: its bits (`missing` is a NaN; a NaN is stored as the canonical one).
    @inline(__always) static func encode(double v: Double) -> UInt64 { v.isNaN ? Double.nan.bitPattern : v.bitPattern }

    /// The raw value of `doc` (encoded integer or double bits), nil when it has none.
    @inline(__always)
    mutating func raw(_ doc: Int) throws -> UInt64? {
        let v = try value(doc)
        return v == Self.missing ? nil : v
    }

    /// The value of `doc` in a numeric column as a Double (an integer column's converted),
    /// nil when it has none.
    @inline(__always)
    mutating func number(_ doc: Int, isDouble: Bool) throws -> Double? {
        guard let raw = try raw(doc) else { return nil }
        return isDouble ? Double(bitPattern: raw) : Double(Self.decode(integer: raw))
    }
}

/// The deleted-documents bitmap; free to ask when the index has no deletions.
struct DeletedDocuments {
    /// Whether any document is marked deleted.
    let any: Bool
    private var values: ChunkedValues<DocumentNumber>

    init(txn: TransactionView, tables: IndexTables, verified: VerifiedValues? = nil) throws {
        any = try tables.deleted.count(txn) > 0
        values = ChunkedValues(txn: txn, table: tables.deleted, perChunk: ChunkSizes.deletedBits, verified: verified) { UInt32($0) }
    }

    @inline(__always)
    mutating func contains(_ doc: Int) throws -> Bool {
        guard any else { return false }
        let (buffer, slot) = try values.chunk(for: doc)
        guard slot / 8 < buffer.count else { return false }
        return buffer[slot / 8] & (1 << UInt8(slot % 8)) != 0
    }

    /// How many documents of a segment's range are deleted.
    mutating func count(in segment: SegmentInfo) throws -> Int {
        guard any else { return 0 }
        var count = 0
        for d in segment.firstDocument..<segment.endDocument where try contains(Int(d)) { count += 1 }
        return count
    }
}
