import Foundation
import LMDBStore
import PostingsCodec
import Synchronization
import ZstdCodec

/// Read access to one consistent state of an index (a read transaction, or the write
/// transaction of a commit): the only way the rest of the library reads an index.
/// Everything it returns that points into the map (posting chunks, positions) is valid only
/// while that transaction lives, that is, inside the `read` or `write` body that made it.
struct IndexSnapshot {
    private let txn: TransactionView
    let tables: IndexTables
    let schema: Schema
    /// The next document number, and how many documents are live.
    let nextDocument: UInt32, liveDocuments: Int
    let segments: [SegmentInfo]
    private let cache: IndexCache?

    init(txn: TransactionView, tables: IndexTables, cache: IndexCache? = nil) throws {
        self.txn = txn
        self.tables = tables
        self.cache = cache
        guard let raw = try tables.meta.get(txn, .schema) else {
            throw FihrisError(.corrupted, "index is damaged: meta has no schema")
        }
        if let cached = cache?.schema(for: raw) {
            schema = cached
        } else {
            do {
                schema = try JSONDecoder().decode(Schema.self, from: Data(raw))
            } catch {
                throw FihrisError(.corrupted, "index is damaged: the stored schema (meta \"schema\") does not decode (\(error))")
            }
            cache?.store(schema, for: raw)
        }
        nextDocument = try Self.meta(txn, tables, .nextDocument, as: UInt32.self) ?? 0
        liveDocuments = Int(try Self.meta(txn, tables, .liveDocuments, as: UInt64.self) ?? 0)
        segments = try Self.metaRecord(txn, tables, .segments, SegmentInfo.ListCodec.self) ?? []
        guard liveDocuments <= Int(nextDocument) else {
            throw FihrisError(.corrupted, "index is damaged: meta says \(liveDocuments) live documents of \(nextDocument) numbered")
        }
    }

    /// A fixed-width meta value; nil when absent, `.corrupted` when of the wrong size.
    static func meta<T: FixedWidthInteger>(_ txn: TransactionView, _ tables: IndexTables, _ key: MetaKey, as type: T.Type) throws -> T? {
        try metaRecord(txn, tables, key) { (bytes) throws(CodecError) in try LittleEndian.exactly(bytes, as: T.self) }
    }

    static func metaRecord<C: RecordCodec>(_ txn: TransactionView, _ tables: IndexTables, _ key: MetaKey, _ codec: C.Type) throws -> C.Value? {
        try metaRecord(txn, tables, key) { (bytes) throws(CodecError) in try C.decode(bytes) }
    }

    private static func metaRecord<T>(_ txn: TransactionView, _ tables: IndexTables, _ key: MetaKey,
                                      _ decode: (UnsafeRawBufferPointer) throws(CodecError) -> T) throws -> T? {
        guard let raw = try tables.meta.get(txn, key) else { return nil }
        do throws(CodecError) { return try decode(raw) } catch { throw tables.meta.damaged(key, error) }
    }

    func meta<T: FixedWidthInteger>(_ key: MetaKey, as type: T.Type) throws -> T? { try Self.meta(txn, tables, key, as: type) }

    func fieldStatistics(_ field: Int) throws -> FieldStatistics {
        try Self.metaRecord(txn, tables, .fieldStatistics(field), FieldStatistics.Codec.self) ?? FieldStatistics()
    }

    // MARK: Postings

    /// A term's chunk in each segment that has one, in document order, with their
    /// positions when `withPositions` (exact forms); nil when no segment has the term.
    func postings(_ term: TermID, withPositions: Bool = false) throws -> PostingList? {
        var chunks: [PostingChunk] = []
        var positions: [UnsafeRawBufferPointer?] = []
        for segment in segments {
            let key = TermKey(segment: segment.id, term: term)
            guard let chunk = try tables.postings.get(txn, key, remembering: cache?.verified) else { continue }
            guard chunk.baseDoc >= segment.firstDocument, chunk.lastDoc(ofBlock: chunk.blockCount - 1) < segment.endDocument else {
                throw FihrisError(.corrupted, "index is damaged: postings \(key) hold documents outside their segment's \(segment.firstDocument)..<\(segment.endDocument)")
            }
            chunks.append(chunk)
            positions.append(withPositions ? try chunk.inlinePositions ?? tables.positions.get(txn, key, remembering: cache?.verified) : nil)
        }
        return chunks.isEmpty ? nil : PostingList(chunks: chunks, positions: positions)
    }

    /// The documents of a term's list as bits, from the index's cache when this list (the
    /// same chunks in the same segments, recognised by their checksum trailers) was turned
    /// into bits before.
    func documentBits(_ term: TermID, _ list: PostingList, arena: inout ScratchArena) throws -> DocumentBitSet {
        let key = DocumentBitsKey(term: term, nextDocument: nextDocument,
                                  chunks: list.chunks.map { UInt64(Checksum.trailer(following: $0.bytes)) << 32 | UInt64($0.documentCount) })
        if let found = cache?.documentBits[key] { return found }
        let built = try DocumentBitSet.build(list, end: Int(nextDocument), arena: &arena)
        cache?.documentBits.store(built, for: key)
        return built
    }

    /// Which commit this snapshot reads: equal generations of one open index hold the same data.
    var generation: UInt64 { txn.id }

    /// A value derived from this snapshot's data, built once per process, field, variant
    /// and commit (keyword sort ordinals: `SortValues`), a few kept (`IndexCache.derived`).
    func derived(field: Int, variant: Int, build: () throws -> [UInt32]) rethrows -> [UInt32] {
        let key = DerivedKey(field: field, variant: variant, generation: generation)
        if let found = cache?.derived[key] { return found }
        let built = try build()
        cache?.derived.store(built, for: key)
        return built
    }

    /// The terms of one field and kind that begin with `prefix`, with their document
    /// counts (deleted documents included until merged), the `limit` most frequent: every
    /// such term is read once per process and commit, then remembered (search as you type
    /// asks for the same short prefixes again and again).
    func mostFrequentTerms(field: Int, kind: TermKind, prefix: [UInt8], limit: Int) throws -> [(term: [UInt8], documents: Int)] {
        let key = CompletionKey(field: field, kind: kind.rawValue, prefix: prefix, limit: limit, generation: generation)
        if let found = cache?.completions[key] { return found }
        var documents: [[UInt8]: Int] = [:]
        for segment in segments {
            try forEachTerm(segment: segment.id, field: field, kind: kind, from: prefix) { term, chunk in
                guard term.starts(with: prefix) else { return false }
                documents[Array(term), default: 0] += chunk.documentCount
                return true
            }
        }
        let top = documents.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key) }
            .prefix(limit).map { (term: $0.key, documents: $0.value) }
        cache?.completions.store(top, for: key)
        return top
    }

    /// Documents containing a term, deleted ones included until their chunks are merged.
    func documentFrequency(_ term: TermID) throws -> Int {
        try postings(term)?.documentFrequency ?? 0
    }

    /// One segment's chunk of a term, and its positions (for merging): a short chunk's
    /// inside it, a long one's in `positions`.
    func chunk(_ key: TermKey) throws -> (chunk: PostingChunk, positions: UnsafeRawBufferPointer?)? {
        guard let chunk = try tables.postings.get(txn, key) else { return nil }
        return (chunk, try chunk.inlinePositions ?? tables.positions.get(txn, key))
    }

    /// Calls `body` with the terms of one field and kind in one segment, in byte order,
    /// from the first term at or after `start`, until it returns false.
    /// The term is a view of the key, valid during the call (no copy per term).
    func forEachTerm(segment: UInt32, field: Int, kind: TermKind, from start: [UInt8],
                     _ body: (_ term: UnsafeRawBufferPointer, _ chunk: PostingChunk) throws -> Bool) throws {
        let scope = TermKey.prefix(segment: segment, field: field, kind: kind)
        try txn.forEach(in: tables.postings.database, from: scope + start, to: nil) { key, value in
            guard key.starts(with: scope) else { return false }
            let chunk: PostingChunk
            do throws(CodecError) { chunk = try PostingChunk(value) } catch {
                throw tables.postings.damaged((try? TermKey.Codec.decode(key)).map { "\($0)" } ?? "", error)
            }
            return try body(UnsafeRawBufferPointer(rebasing: key[scope.count...]), chunk)
        }
    }

    /// The distinct terms of one field and kind over every segment, in byte order (the
    /// values of a keyword field: facets, sort ordinals).
    func distinctTerms(field: Int, kind: TermKind) throws -> [[UInt8]] {
        var terms = Set<[UInt8]>()
        for segment in segments {
            try forEachTerm(segment: segment.id, field: field, kind: kind, from: []) { term, _ in
                terms.insert(Array(term))
                return true
            }
        }
        return terms.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Walks the terms of one field and kind in one segment, in byte order, from `start`:
    /// `body` sees each term (a view of the key, no value read) and says where to go, a
    /// seek given as a term of the same field and kind (a bounded walk: fuzzy matching).
    func walkTerms(segment: UInt32, field: Int, kind: TermKind, from start: [UInt8],
                   _ body: (_ term: UnsafeRawBufferPointer) throws -> KeyStep) throws {
        let scope = TermKey.prefix(segment: segment, field: field, kind: kind)
        try txn.walkKeys(in: tables.postings.database, from: scope + start) { key in
            guard key.starts(with: scope) else { return .stop }
            switch try body(UnsafeRawBufferPointer(rebasing: key[scope.count...])) {
            case .seek(let term): return .seek(scope + term)
            case let step: return step
            }
        }
    }

    /// Every posting key of every segment, in key order (statistics).
    func forEachPostingKey(_ body: (TermKey) throws -> Bool) throws {
        try txn.forEach(in: tables.postings.database) { raw, _ in
            let key: TermKey
            do throws(CodecError) { key = try TermKey.Codec.decode(raw) } catch {
                throw FihrisError(.corrupted, "index is damaged: postings has a malformed key (\(raw.count) bytes): \(error)", underlying: error)
            }
            return try body(key)
        }
    }

    /// Calls `body` with the bytes after the segment (a `TermID`'s encoding) of the term keys
    /// of one segment after `after` (all when nil), in key order, until it returns false
    /// (merging). A view, valid during the call.
    func forEachTermSuffix(segment: UInt32, after: [UInt8]?, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        let prefix = TermKey.prefix(segment: segment)
        try txn.forEachKey(in: tables.postings.database, from: prefix + (after ?? [])) { key in
            guard key.starts(with: prefix) else { return false }
            let suffix = UnsafeRawBufferPointer(rebasing: key[prefix.count...])
            if let after, suffix.elementsEqual(after) { return true }
            return try body(suffix)
        }
    }

    /// The segments that have posting entries — the live ones, and any an interrupted merge
    /// left — in id order (one seek per segment: keys begin with the segment).
    func segmentsWithPostings() throws -> [UInt32] {
        var found: [UInt32] = []
        var from: [UInt8]? = nil
        while true {
            var next: UInt32?
            try txn.forEachKey(in: tables.postings.database, from: from) { key in
                if key.count >= 4 { next = key.prefix(4).reduce(0) { $0 << 8 | UInt32($1) } }
                return false
            }
            guard let segment = next else { return found }
            found.append(segment)
            if segment == .max { return found }
            from = TermKey.prefix(segment: segment + 1)
        }
    }

    // MARK: Documents

    func storedDocument(_ number: UInt32) throws -> Document? {
        guard let raw = try tables.docs.get(txn, number) else { return nil }
        return try decodeStoredDocument(number, raw)
    }

    /// A `docs` value decoded (decompressed with the dictionary it names).
    func decodeStoredDocument(_ number: UInt32, _ raw: UnsafeRawBufferPointer) throws -> Document {
        let id: String, body: StoredDocumentCodec.Body
        do throws(CodecError) { (id, body) = try StoredDocumentCodec.split(raw) } catch { throw tables.docs.damaged(number, error) }
        switch body {
        case .plain(let fields):
            do throws(CodecError) { return try StoredDocumentCodec.decode(id: id, fields: fields, schema: schema) } catch {
                throw tables.docs.damaged(number, error)
            }
        case .compressed(let dictionaryNumber, let size, let frame):
            var dictionary: Zstd.Dictionary? = nil
            if let dictionaryNumber {
                guard let found = try documentDictionary(), found.number == dictionaryNumber else {
                    throw tables.docs.damaged(number, CodecError("it is compressed with dictionary \(dictionaryNumber), which meta \"dictionary\" does not hold"))
                }
                dictionary = found.dictionary
            }
            do throws(CodecError) {
                let fields = try StoredDocumentCodec.decompress(frame, size: size, dictionary: dictionary)
                let decoded = fields.withUnsafeBytes { f in
                    Result { () throws(CodecError) in try StoredDocumentCodec.decode(id: id, fields: f, schema: schema) }
                }
                return try decoded.get()
            } catch {
                throw tables.docs.damaged(number, error)
            }
        }
    }

    /// The dictionary stored documents are compressed with (meta "dictionary"), if the index
    /// has one; digested once per index (`IndexCache`).
    func documentDictionary() throws -> (number: UInt32, dictionary: Zstd.Dictionary)? {
        // The value as stored, trailer unverified: when its trailer (a CRC32C of all of it)
        // is the digested one's, it is that dictionary, verified when digested. (Verifying
        // 64 KB for each hit's text cost 6 µs a document.)
        let key = MetaKeyCodec.encode(.documentDictionary)
        guard let stored = try txn.getUnverified(tables.meta.database, key) else { return nil }
        if let cached = cache?.dictionary(stored) { return cached }
        guard let raw = try tables.meta.get(txn, .documentDictionary) else { return nil }
        guard raw.count > 4 else { throw tables.meta.damaged(MetaKey.documentDictionary, CodecError("\(raw.count) bytes")) }
        let number = raw.loadUnaligned(as: UInt32.self).littleEndian
        let bytes = UnsafeRawBufferPointer(rebasing: raw[4...])
        do {
            let dictionary = try Zstd.Dictionary(bytes)
            cache?.store(dictionary, number: number, stored: stored)
            return (number, dictionary)
        } catch {
            throw tables.meta.damaged(MetaKey.documentDictionary, CodecError("not a zstd dictionary (\(error))"))
        }
    }

    /// Only the id of a stored document.
    func storedDocumentID(_ number: UInt32) throws -> String? {
        guard let raw = try tables.docs.get(txn, number) else { return nil }
        do throws(CodecError) { return try StoredDocumentCodec.decodeID(raw) } catch { throw tables.docs.damaged(number, error) }
    }

    func idRecord(_ id: String) throws -> IDRecord? { try tables.ids.get(txn, id) }

    /// Every stored document that can be read, in number order: one whose value fails its
    /// checksum or does not decode (or whose key is malformed) is handed to `damaged` and
    /// skipped (salvaging a damaged index); `body`'s own errors pass through.
    func forEachReadableDocument(damaged: (FihrisError) -> Void, _ body: (UInt32, Document) throws -> Void) throws {
        try txn.forEachKey(in: tables.docs.database, from: nil) { rawKey in
            guard rawKey.count == 4 else {
                damaged(FihrisError(.corrupted, "read database docs: a malformed key of \(rawKey.count) bytes"))
                return true
            }
            let number = rawKey.reduce(0) { $0 << 8 | UInt32($1) }
            let document: Document?
            do { document = try storedDocument(number) } catch {
                // A checksum failure comes from LMDBStore, a decoding one as a FihrisError.
                guard let wrapped = FihrisError.wrap(error, "document \(number)") as? FihrisError, wrapped.code == .corrupted else { throw error }
                damaged(wrapped)
                return true
            }
            if let document { try body(number, document) }
            return true
        }
    }

    /// Calls `body` with every stored document in document order.
    func forEachStoredDocument(_ body: (UInt32, Document) throws -> Void) throws {
        try tables.docs.forEach(txn) { number, raw in
            try body(number, try decodeStoredDocument(number, raw))
            return true
        }
    }

    func fileRecords() throws -> [String: FileRecord] {
        var records: [String: FileRecord] = [:]
        try tables.files.forEach(txn) { path, record in records[path] = record; return true }
        return records
    }

    // MARK: Per-document values

    func norms(_ field: Int) -> NormsReader {
        NormsReader(txn: txn, table: tables.norms, perChunk: ChunkSizes.norms, field: field, verified: cache?.verified)
    }
    func column(_ field: Int) -> ColumnReader {
        ColumnReader(txn: txn, table: tables.columns, perChunk: ChunkSizes.columns, field: field, verified: cache?.verified)
    }
    func deletedDocuments() throws -> DeletedDocuments { try DeletedDocuments(txn: txn, tables: tables, verified: cache?.verified) }

    // MARK: Whole tables (statistics, the checker)

    func tableSizes() throws -> [(name: TableName, entries: Int, bytes: Int)] { try tables.sizes(txn) }

    /// Raw entries of a table, for the checker: it decodes them itself to report, rather
    /// than throw at, what does not decode.
    func rawEntries(_ name: TableName, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool) throws {
        try txn.forEach(in: tables.database(name), body)
    }

    /// Verifies the checksum of every value of every table, calling `damaged` with each
    /// failure (the checker, a writer before writing); returns how many values were read.
    /// `release` is called now and then: the values read need not stay resident.
    func verifyChecksums(release: () -> Void = {}, damaged: (_ problem: String) -> Void) throws -> Int {
        var values = 0
        for name in TableName.allCases {
            values += try txn.verifyChecksums(tables.database(name), every4096: release) { _, error in
                damaged("\(error.operation): \(error.message)")
            }
        }
        return values
    }

    /// The raw value of a key in a table (checker).
    func rawValue(_ name: TableName, _ key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        try txn.get(tables.database(name), key)
    }
}

/// The chunks of one term across segments (zero-copy, valid while the snapshot lives).
struct PostingList {
    let chunks: [PostingChunk]
    /// Per chunk, its positions value (exact forms read with positions), else nil.
    let positions: [UnsafeRawBufferPointer?]
    let documentFrequency: Int

    init(chunks: [PostingChunk], positions: [UnsafeRawBufferPointer?]) {
        self.chunks = chunks
        self.positions = positions
        documentFrequency = chunks.reduce(0) { $0 + $1.documentCount }
    }
}

/// What identifies a list turned into bits: the term, the documents numbered, and each chunk's
/// checksum trailer and size.
struct DocumentBitsKey: Hashable {
    let term: TermID
    let nextDocument: UInt32
    let chunks: [UInt64]
}

/// Which most-frequent terms: field, kind, prefix, how many, one commit.
struct CompletionKey: Hashable, Sendable {
    var field: Int, kind: UInt8, prefix: [UInt8], limit: Int, generation: UInt64
}

/// What a derived per-document array is of: a field, a variant of it, one commit.
struct DerivedKey: Hashable, Sendable {
    var field: Int, variant: Int, generation: UInt64
}

/// Values built from an index's data, shared by its searches, at most `capacity` of them
/// (all dropped when full: each is rebuilt on its next use).
final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: Value]>([:])
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    subscript(key: Key) -> Value? { entries.withLock { $0[key] } }

    func store(_ value: Value, for key: Key) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = value
        }
    }
}

/// What one open index keeps between its transactions, each entry recognised by the stored
/// bytes or the commit it came from: the last decoded schema (a read compares bytes instead
/// of decoding JSON; the schema only changes when a commit adds fields), the digested
/// stored-document dictionary, the large values already verified, dense keyword lists as
/// bits, keyword sort ordinals and the most frequent terms of prefixes.
final class IndexCache: Sendable {
    /// Dense keyword lists as bits (filters).
    let documentBits = BoundedCache<DocumentBitsKey, DocumentBitSet>(capacity: 256)
    /// The most frequent terms of a prefix, per commit (`IndexSnapshot.mostFrequentTerms`).
    let completions = BoundedCache<CompletionKey, [(term: [UInt8], documents: Int)]>(capacity: 4096)
    /// Per-document arrays derived from one commit's data (`IndexSnapshot.derived`).
    let derived = BoundedCache<DerivedKey, [UInt32]>(capacity: 8)

    /// Large values (norms, column and deleted-bits chunks, posting chunks) this process has
    /// verified, so that each search does not verify them again.
    let verified = VerifiedValues()
    private let state = Mutex<(bytes: [UInt8], schema: Schema?)>(([], nil))
    /// The stored-document dictionary digested, with the size and checksum trailer of the
    /// meta value it came from (a rolled-back commit may have trained another).
    private let digested = Mutex<(number: UInt32, size: Int, trailer: UInt32, dictionary: Zstd.Dictionary)?>(nil)

    /// The dictionary digested from `stored` (meta "dictionary" as LMDB holds it, trailer
    /// included), if it is the one digested.
    func dictionary(_ stored: UnsafeRawBufferPointer) -> (number: UInt32, dictionary: Zstd.Dictionary)? {
        guard let trailer = Self.trailer(stored) else { return nil }
        return digested.withLock { entry in
            guard let entry, entry.size == stored.count, entry.trailer == trailer else { return nil }
            return (entry.number, entry.dictionary)
        }
    }

    func store(_ dictionary: Zstd.Dictionary, number: UInt32, stored: UnsafeRawBufferPointer) {
        guard let trailer = Self.trailer(stored) else { return }
        digested.withLock { $0 = (number, stored.count, trailer, dictionary) }
    }

    /// The checksum trailer of a value as LMDB holds it (`Checksum.size` bytes at its end).
    private static func trailer(_ stored: UnsafeRawBufferPointer) -> UInt32? {
        guard stored.count > 4 + Checksum.size else { return nil }
        return Checksum.trailer(of: stored)
    }

    func schema(for raw: UnsafeRawBufferPointer) -> Schema? {
        state.withLock { state in
            guard let schema = state.schema, state.bytes.count == raw.count, state.bytes.elementsEqual(raw) else { return nil }
            return schema
        }
    }

    func store(_ schema: Schema, for raw: UnsafeRawBufferPointer) {
        let bytes = Array(raw)
        state.withLock { $0 = (bytes, schema) }
    }
}
