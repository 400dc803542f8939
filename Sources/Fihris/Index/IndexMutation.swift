import LMDBStore
import PostingsCodec
import ZstdCodec

/// The writes of one commit, inside its write transaction: the only way the rest of the
/// library changes an index. Reads within the same transaction go through `snapshot()`.
/// Valid only inside the `IndexStore.write` body that made it.
struct IndexMutation: ~Copyable {
    private let txn: WriteTransactionView
    let tables: IndexTables
    private let release: () -> Void
    private let cache: IndexCache?

    init(txn: WriteTransactionView, tables: IndexTables, cache: IndexCache? = nil, releaseMappedPages: @escaping () -> Void = {}) {
        (self.txn, self.tables, self.cache, release) = (txn, tables, cache, releaseMappedPages)
    }

    /// Drops the map's resident pages this transaction read so far (`IndexStore`): a commit
    /// that looks up and inserts ids all over a large table need not keep them.
    func releaseMappedPages() { release() }

    /// A snapshot of the transaction as it stands (it sees this commit's writes so far).
    func snapshot() throws -> IndexSnapshot {
        try IndexSnapshot(txn: TransactionView(txn), tables: tables, cache: cache)
    }

    // MARK: meta

    func putMeta<T: FixedWidthInteger>(_ key: MetaKey, _ value: T) throws {
        try tables.meta.put(txn, key, encoded: LittleEndian.bytes(value))
    }

    func putSchema(_ json: [UInt8]) throws { try tables.meta.put(txn, .schema, encoded: json) }

    func putSegments(_ segments: [SegmentInfo]) throws {
        try tables.meta.put(txn, .segments, encoded: SegmentInfo.ListCodec.encode(segments))
    }

    func putFieldStatistics(_ field: Int, _ statistics: FieldStatistics) throws {
        try tables.meta.put(txn, .fieldStatistics(field), encoded: FieldStatistics.Codec.encode(statistics))
    }

    /// Empties every table but `meta`, and resets its counters, segments and statistics.
    func removeAll() throws {
        for name in TableName.allCases where name != .meta { try txn.clear(tables.database(name)) }
        for field in 0..<Schema.maximumFields { try tables.meta.delete(txn, .fieldStatistics(field)) }
        try putMeta(.liveDocuments, UInt64(0))
        try putMeta(.nextDocument, UInt32(0))
        try tables.meta.delete(txn, .segments)
    }

    // MARK: documents

    /// Stores the dictionary stored documents of codec 1 name (`StoredDocumentCodec.trainDictionary`);
    /// an index keeps its first one.
    func putDocumentDictionary(_ number: UInt32, _ bytes: [UInt8]) throws {
        if try tables.meta.get(TransactionView(txn), .documentDictionary) != nil {
            throw FihrisError(.storage, "the index has a stored-document dictionary already (meta \"dictionary\"): another writer wrote meanwhile")
        }
        try tables.meta.put(txn, .documentDictionary, encoded: LittleEndian.bytes(number) + bytes)
    }

    /// Stores a new document under a number above every stored one.
    func appendStoredDocument(_ number: UInt32, _ encoded: [UInt8]) throws {
        try tables.docs.put(txn, number, encoded: encoded, append: true)
    }

    func deleteStoredDocument(_ number: UInt32) throws { try tables.docs.delete(txn, number) }

    func putID(_ id: String, _ record: IDRecord) throws { try tables.ids.put(txn, id, record) }

    func deleteID(_ id: String) throws { try tables.ids.delete(txn, id) }

    /// Marks a document deleted in the bitmap.
    func markDeleted(_ number: UInt32) throws {
        let chunk = UInt32(Int(number) / ChunkSizes.deletedBits)
        var bits = try tables.deleted.get(TransactionView(txn), chunk).map { Array($0) }
            ?? [UInt8](repeating: 0, count: ChunkSizes.deletedBits / 8)
        let i = Int(number) % ChunkSizes.deletedBits
        bits[i / 8] |= 1 << UInt8(i % 8)
        try tables.deleted.put(txn, chunk, encoded: bits)
    }

    func putFileRecord(_ path: String, _ record: FileRecord?) throws {
        if let record { try tables.files.put(txn, path, record) } else { try tables.files.delete(txn, path) }
    }

    // MARK: norms and columns

    /// Writes `count` field lengths from document `base` on into the field's norms chunks.
    func appendNorms(field: Int, base: UInt32, _ lengths: [UInt16], count: Int) throws {
        try appendChunked(tables.norms, field: field, base: base, count: count, width: 2, perChunk: ChunkSizes.norms,
                          filler: [0, 0]) { i, out in
            let v = i < lengths.count ? lengths[i] : 0
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }
    }

    /// Writes `count` raw column values from document `base` on.
    func appendColumn(field: Int, base: UInt32, _ values: [UInt64], count: Int) throws {
        try appendChunked(tables.columns, field: field, base: base, count: count, width: 8, perChunk: ChunkSizes.columns,
                          filler: LittleEndian.bytes(ColumnReader.missing)) { i, out in
            let v = i < values.count ? values[i] : ColumnReader.missing
            withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
        }
    }

    private func appendChunked(_ table: Table<FieldChunkKey.Codec, RawBytes>, field: Int, base: UInt32, count: Int, width: Int,
                               perChunk: Int, filler: [UInt8], value: (Int, inout [UInt8]) -> Void) throws {
        var i = 0
        while i < count {
            let doc = Int(base) + i
            let key = FieldChunkKey(field: field, chunk: doc / perChunk)
            var bytes = try table.get(TransactionView(txn), key).map { Array($0) } ?? []
            let start = doc % perChunk
            while bytes.count < start * width { bytes.append(contentsOf: filler) }
            bytes.removeSubrange((start * width)...)
            let end = min(count, i + perChunk - start)
            while i < end { value(i, &bytes); i += 1 }
            try table.put(txn, key, encoded: bytes)
        }
    }

    // MARK: postings

    /// Stores one chunk of a term's postings (and positions). Keys must ascend within a
    /// commit: a segment is written in key order at the end of the table (`MDB_APPEND`:
    /// full pages, fast).
    /// The term is given as the bytes of its `TermID` (field, kind, term; the batch's keys).
    func appendChunk(segment: UInt32, term: ArraySlice<UInt8>, docs: [UInt32], freqs: [UInt32]?, lengths: [UInt16],
                     positions: [UInt32]?) throws {
        guard !docs.isEmpty else { return }
        let key = TermKey.prefix(segment: segment) + term
        let built = docs.withUnsafeBufferPointer { d in
            lengths.withUnsafeBufferPointer { l in
                withOptionalBuffer(freqs) { f in
                    withOptionalBuffer(positions) { p in PostingChunkBuilder.build(docs: d, freqs: f, lengths: l, positions: p) }
                }
            }
        }
        try txn.put(tables.postings.database, key, built.postings, flags: .append)
        if let positionsValue = built.positions { try txn.put(tables.positions.database, key, positionsValue, flags: .append) }
    }

    /// Deletes up to `limit` posting entries of a segment, with their positions; true when
    /// the segment has none left.
    func deleteSegment(_ segment: UInt32, limit: Int) throws -> Bool {
        var keys: [[UInt8]] = []
        var more = false
        let prefix = TermKey.prefix(segment: segment)
        try txn.forEachKey(in: tables.postings.database, from: prefix) { key in
            guard key.starts(with: prefix) else { return false }
            if keys.count == limit { more = true; return false }
            keys.append(Array(key))
            return true
        }
        for key in keys {
            _ = try txn.delete(tables.positions.database, key)
            _ = try txn.delete(tables.postings.database, key)
        }
        return !more
    }

    // MARK: maintenance

    /// Rewrites the tables filled in random key order (ids, files) in key order, with
    /// appends, so their pages are full.
    func repackRandomOrderTables() throws {
        for name in [TableName.ids, .files] {
            let db = tables.database(name)
            var entries: [([UInt8], [UInt8])] = []
            try txn.forEach(in: db) { key, value in entries.append((Array(key), Array(value))); return true }
            try txn.clear(db)
            for (key, value) in entries { try txn.put(db, key, value, flags: .append) }
        }
    }

    /// Test support: flips bytes in the block data of the largest posting chunk.
    func damageLargestChunk() throws {
        let db = tables.database(.postings)
        var largest: ([UInt8], [UInt8])?
        try txn.forEach(in: db) { key, value in
            if value.count > (largest?.1.count ?? 0) { largest = (Array(key), Array(value)) }
            return true
        }
        guard var (key, value) = largest else { return }
        for i in stride(from: value.count / 2, to: value.count, by: 3) { value[i] ^= 0x5A }
        try txn.put(db, key, value)
        key.removeAll()
    }
}

@inline(__always)
func withOptionalBuffer<T, R>(_ array: [T]?, _ body: (UnsafeBufferPointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0) }
}
