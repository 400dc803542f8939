import LMDBStore
import PostingsCodec

/// Every LMDB database of an index (format 5), declared once: its name, its key codec and
/// its value codec. docs/FORMAT.md is the reference; each record type's grammar sits beside
/// its encoder and decoder in `Keys.swift` and `Records.swift`.
///
/// | table       | key                                   | value                                    |
/// |-------------|---------------------------------------|------------------------------------------|
/// | `meta`      | `MetaKey` (a name)                    | format, schema, counters, segments, field statistics |
/// | `postings`  | `TermKey` (segment, field, kind, term) | `PostingChunk`                           |
/// | `positions` | `TermKey`                             | the chunk's positions (exact forms only) |
/// | `docs`      | `DocumentNumber` (u32 big-endian)     | `StoredDocument`                         |
/// | `ids`       | document id (UTF-8)                   | `IDRecord` (number, content hash)        |
/// | `norms`     | `FieldChunkKey` (field, chunk)        | u16 field lengths, `ChunkSizes.norms` a chunk |
/// | `columns`   | `FieldChunkKey`                       | u64 values, `ChunkSizes.columns` a chunk |
/// | `deleted`   | `DocumentNumber` (chunk number)       | a bitmap of `ChunkSizes.deletedBits` documents |
/// | `files`     | source path (UTF-8)                   | `FileRecord`                             |
///
/// Only this folder (`Index/`) imports LMDBStore: the rest of the library reads through
/// `IndexSnapshot` and writes through `IndexMutation`.
enum TableName: String, CaseIterable, Sendable {
    case meta, postings, positions, docs, ids, norms, columns, deleted, files
}

/// How a table's keys or values become bytes and back. Decoding checks what it reads: a
/// malformed record is a `CodecError`, which the table turns into a `.corrupted` error
/// naming the table and the key.
protocol RecordCodec {
    associatedtype Value
    static func encode(_ value: Value) -> [UInt8]
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> Value
}

/// Values kept as the raw bytes of the map (zero-copy; valid while the transaction lives).
enum RawBytes: RecordCodec {
    static func encode(_ value: UnsafeRawBufferPointer) -> [UInt8] { Array(value) }
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> UnsafeRawBufferPointer { bytes }
}

/// UTF-8 strings (document ids, source paths).
enum UTF8Key: RecordCodec {
    static func encode(_ value: String) -> [UInt8] { Array(value.utf8) }
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// One database with typed keys and values.
struct Table<Key: RecordCodec, Value: RecordCodec>: Sendable {
    let name: TableName
    let database: Database

    /// The value under `key`, or nil.
    @inline(__always)
    func get(_ txn: TransactionView, _ key: Key.Value) throws -> Value.Value? {
        guard let raw = try txn.get(database, Key.encode(key)) else { return nil }
        do throws(CodecError) { return try Value.decode(raw) } catch { throw damaged(key, error) }
    }

    /// Like `get`, a large value verified only the first time this process reads it at its
    /// place (`VerifiedValues`; nil: every time).
    @inline(__always)
    func get(_ txn: TransactionView, _ key: Key.Value, remembering verified: VerifiedValues?) throws -> Value.Value? {
        guard let verified else { return try get(txn, key) }
        guard let raw = try txn.get(database, Key.encode(key), remembering: verified) else { return nil }
        do throws(CodecError) { return try Value.decode(raw) } catch { throw damaged(key, error) }
    }

    /// Calls `body` with each entry whose key starts with `prefix` (bytes of encoded keys),
    /// in key order, until it returns false.
    func forEach(_ txn: TransactionView, prefix: [UInt8] = [],
                 _ body: (_ key: Key.Value, _ value: Value.Value) throws -> Bool) throws {
        try txn.forEach(in: database, prefix: prefix) { try body(decodeKey($0), decodeValue($0, $1)) }
    }

    /// Like `forEach`, from the first key at or after `start` (encoded bytes).
    func forEach(_ txn: TransactionView, from start: [UInt8],
                 _ body: (_ key: Key.Value, _ value: Value.Value) throws -> Bool) throws {
        try txn.forEach(in: database, from: start, to: nil) { try body(decodeKey($0), decodeValue($0, $1)) }
    }

    private func decodeKey(_ raw: UnsafeRawBufferPointer) throws -> Key.Value {
        do throws(CodecError) { return try Key.decode(raw) } catch {
            throw FihrisError(.corrupted, "index is damaged: \(name) has a malformed key (\(raw.count) bytes): \(error)", underlying: error)
        }
    }

    private func decodeValue(_ rawKey: UnsafeRawBufferPointer, _ raw: UnsafeRawBufferPointer) throws -> Value.Value {
        do throws(CodecError) { return try Value.decode(raw) } catch {
            throw damaged((try? Key.decode(rawKey)).map { "\($0)" } ?? "of \(rawKey.count) bytes", error)
        }
    }

    func count(_ txn: TransactionView) throws -> Int { try txn.count(database) }

    func put(_ txn: WriteTransactionView, _ key: Key.Value, _ value: Value.Value, append: Bool = false) throws {
        try txn.put(database, Key.encode(key), Value.encode(value), flags: append ? .append : [])
    }

    /// Stores bytes already encoded by `Value`'s format (built posting chunks).
    func put(_ txn: WriteTransactionView, _ key: Key.Value, encoded value: [UInt8], append: Bool = false) throws {
        try txn.put(database, Key.encode(key), value, flags: append ? .append : [])
    }

    @discardableResult
    func delete(_ txn: WriteTransactionView, _ key: Key.Value) throws -> Bool {
        try txn.delete(database, Key.encode(key))
    }

    func damaged(_ key: Any, _ error: CodecError) -> FihrisError {
        FihrisError(.corrupted, "index is damaged: \(name) value of key \(key) does not decode: \(error)", underlying: error)
    }
}

/// The opened tables of one index.
struct IndexTables: Sendable {
    let meta: Table<MetaKeyCodec, RawBytes>
    let postings: Table<TermKey.Codec, PostingChunkCodec>
    let positions: Table<TermKey.Codec, RawBytes>
    let docs: Table<DocumentNumber, RawBytes>
    let ids: Table<UTF8Key, IDRecord.Codec>
    let norms: Table<FieldChunkKey.Codec, RawBytes>
    let columns: Table<FieldChunkKey.Codec, RawBytes>
    let deleted: Table<DocumentNumber, RawBytes>
    let files: Table<UTF8Key, FileRecord.Codec>

    init(_ open: (TableName) throws -> Database) throws {
        meta = Table(name: .meta, database: try open(.meta))
        postings = Table(name: .postings, database: try open(.postings))
        positions = Table(name: .positions, database: try open(.positions))
        docs = Table(name: .docs, database: try open(.docs))
        ids = Table(name: .ids, database: try open(.ids))
        norms = Table(name: .norms, database: try open(.norms))
        columns = Table(name: .columns, database: try open(.columns))
        deleted = Table(name: .deleted, database: try open(.deleted))
        files = Table(name: .files, database: try open(.files))
    }

    /// The LMDB database behind a table.
    func database(_ name: TableName) -> Database {
        switch name {
        case .meta: meta.database
        case .postings: postings.database
        case .positions: positions.database
        case .docs: docs.database
        case .ids: ids.database
        case .norms: norms.database
        case .columns: columns.database
        case .deleted: deleted.database
        case .files: files.database
        }
    }

    /// Sizes of every table, in `TableName` order.
    func sizes(_ txn: TransactionView) throws -> [(name: TableName, entries: Int, bytes: Int)] {
        try TableName.allCases.map { name in
            let stat = try txn.statistics(database(name))
            return (name, stat.entries, stat.pages * stat.pageSize)
        }
    }
}

/// Posting chunks, checked on decode (header and skip table; blocks as they are read).
enum PostingChunkCodec: RecordCodec {
    static func encode(_ value: PostingChunk) -> [UInt8] { Array(value.bytes) }
    static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> PostingChunk { try PostingChunk(bytes) }
}
