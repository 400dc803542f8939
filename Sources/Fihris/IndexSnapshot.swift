import Foundation
import LMDBStore
import PostingsCodec

/// Read access to one consistent state of an index (a read transaction, or the write
/// transaction of a commit). Everything it returns that points into the map is valid only
/// while that transaction lives.
struct IndexSnapshot {
    let txn: TransactionView
    let layout: IndexLayout
    let schema: Schema
    let nextDocument: UInt32
    let liveDocuments: Int
    let segments: [SegmentInfo]

    init(txn: TransactionView, layout: IndexLayout, cache: SchemaCache? = nil) throws {
        self.txn = txn
        self.layout = layout
        guard let raw = try txn.get(layout.meta, IndexLayout.MetaKey.schema) else {
            throw FihrisError(.corrupted, "index is damaged: no schema")
        }
        if let cached = cache?.schema(for: raw) {
            schema = cached
        } else {
            do {
                schema = try JSONDecoder().decode(Schema.self, from: Data(raw))
            } catch {
                throw FihrisError(.corrupted, "index is damaged: the stored schema does not decode (\(error))")
            }
            cache?.store(schema, for: raw)
        }
        nextDocument = IndexLayout.uint32(try txn.get(layout.meta, IndexLayout.MetaKey.nextDocument))
        liveDocuments = Int(IndexLayout.uint64(try txn.get(layout.meta, IndexLayout.MetaKey.liveDocuments)))
        segments = SegmentInfo.decodeList(try txn.get(layout.meta, IndexLayout.MetaKey.segments))
    }

    func fieldStatistics(_ field: Int) throws -> FieldStatistics {
        FieldStatistics(try txn.get(layout.meta, FieldStatistics.key(field)))
    }

    /// Calls `body` with the term's chunk in each segment that has one, in document order.
    func forEachChunk(field: Int, kind: IndexLayout.TermKind, term: [UInt8],
                      _ body: (_ key: [UInt8], _ chunk: PostingChunk) throws -> Void) throws {
        for segment in segments {
            let key = IndexLayout.termKey(segment: segment.id, field: field, kind: kind, term: term)
            guard let value = try txn.get(layout.postings, key) else { continue }
            let chunk = try PostingChunk(value)
            guard chunk.baseDoc >= segment.firstDocument,
                  chunk.lastDoc(ofBlock: chunk.blockCount - 1) < segment.endDocument else {
                throw FihrisError(.corrupted, "index is damaged: postings outside their segment's documents")
            }
            try body(key, chunk)
        }
    }

    /// Documents containing a term, deleted ones included until their chunks are merged.
    func documentFrequency(field: Int, kind: IndexLayout.TermKind, term: [UInt8]) throws -> Int {
        var total = 0
        try forEachChunk(field: field, kind: kind, term: term) { _, chunk in total += chunk.documentCount }
        return total
    }

    func storedDocument(_ number: UInt32) throws -> Document? {
        guard let raw = try txn.get(layout.docs, IndexLayout.documentKey(number)) else { return nil }
        return try StoredDocumentCodec.decode(raw, schema: schema)
    }

    /// Only the id of a stored document (the record's first string).
    func storedDocumentID(_ number: UInt32) throws -> Document? {
        guard let raw = try txn.get(layout.docs, IndexLayout.documentKey(number)) else { return nil }
        var reader = ByteReader(raw)
        return Document(id: try reader.string())
    }

    func idRecord(_ id: String) throws -> IDRecord? {
        IDRecord(try txn.get(layout.ids, id))
    }
}

/// Per-document values stored in fixed-size chunks (norms, columns, deleted bits), read
/// with the current chunk cached: scanning documents in order costs one lookup per chunk.
struct ChunkedValues {
    let txn: TransactionView
    let db: Database
    let field: Int?
    let perChunk: Int
    /// perChunk is a power of two: chunk = doc >> shift, index = doc & mask.
    private let shift: Int
    private let mask: Int
    private var cachedChunk = -1
    private var cached = UnsafeRawBufferPointer(start: nil, count: 0)

    init(txn: TransactionView, db: Database, field: Int?, perChunk: Int) {
        self.txn = txn
        self.db = db
        self.field = field
        self.perChunk = perChunk
        precondition(perChunk > 0 && perChunk & (perChunk - 1) == 0)
        shift = perChunk.trailingZeroBitCount
        mask = perChunk - 1
    }

    func key(_ chunk: Int) -> [UInt8] {
        if let field { return IndexLayout.fieldChunkKey(field: field, chunk: chunk) }
        return IndexLayout.documentKey(UInt32(chunk))
    }

    /// The chunk holding document `doc` (empty when none is stored).
    @inline(__always)
    mutating func chunk(for doc: UInt32) throws -> (buffer: UnsafeRawBufferPointer, index: Int) {
        let chunk = Int(doc) >> shift
        if chunk != cachedChunk {
            cached = try txn.get(db, key(chunk)) ?? UnsafeRawBufferPointer(start: nil, count: 0)
            cachedChunk = chunk
        }
        return (cached, Int(doc) & mask)
    }
}

/// Field lengths of one text field.
struct NormsReader {
    var values: ChunkedValues
    init(_ snapshot: IndexSnapshot, field: Int) {
        values = ChunkedValues(txn: snapshot.txn, db: snapshot.layout.norms, field: field, perChunk: IndexLayout.normsPerChunk)
    }
    @inline(__always)
    mutating func length(_ doc: UInt32) throws -> UInt16 {
        let (buffer, i) = try values.chunk(for: doc)
        guard (i + 1) * 2 <= buffer.count else { return 0 }
        return UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
    }
}

/// The deleted-documents bitmap.
struct DeletedReader {
    var values: ChunkedValues
    init(_ snapshot: IndexSnapshot) {
        values = ChunkedValues(txn: snapshot.txn, db: snapshot.layout.deleted, field: nil, perChunk: IndexLayout.deletedBitsPerChunk)
    }
    @inline(__always)
    mutating func isDeleted(_ doc: UInt32) throws -> Bool {
        let (buffer, i) = try values.chunk(for: doc)
        guard i / 8 < buffer.count else { return false }
        return buffer[i / 8] & (1 << UInt8(i % 8)) != 0
    }
}

/// A numeric column (integer or double bits; `DocumentBatch.missing` when absent).
struct ColumnReader {
    var values: ChunkedValues
    init(_ snapshot: IndexSnapshot, field: Int) {
        values = ChunkedValues(txn: snapshot.txn, db: snapshot.layout.columns, field: field, perChunk: IndexLayout.columnValuesPerChunk)
    }
    @inline(__always)
    mutating func raw(_ doc: UInt32) throws -> UInt64? {
        let (buffer, i) = try values.chunk(for: doc)
        guard (i + 1) * 8 <= buffer.count else { return nil }
        let v = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
        return v == DocumentBatch.missing ? nil : v
    }
}

/// The last decoded schema and its stored bytes: a read compares bytes instead of decoding
/// JSON (the schema only changes when a commit adds fields).
final class SchemaCache: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var schema: Schema?

    func schema(for raw: UnsafeRawBufferPointer) -> Schema? {
        lock.lock()
        defer { lock.unlock() }
        guard let schema, bytes.count == raw.count, bytes.elementsEqual(raw) else { return nil }
        return schema
    }

    func store(_ schema: Schema, for raw: UnsafeRawBufferPointer) {
        lock.lock()
        defer { lock.unlock() }
        self.schema = schema
        bytes = Array(raw)
    }
}
