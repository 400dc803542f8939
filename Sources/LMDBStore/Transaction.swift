import CLMDB

/// Operations available in every transaction, read or write.
///
/// Values are returned as buffers pointing into the memory map: zero-copy, and valid only
/// until the transaction ends (the end of the `read`/`write` body). Copy what must outlive it.
public protocol TransactionReading: ~Copyable {
    var handle: OpaquePointer { get }
}

public struct ReadTransaction: TransactionReading, ~Copyable {
    public let handle: OpaquePointer
    init(handle: OpaquePointer) { self.handle = handle }
}

public struct WriteTransaction: TransactionWriting, ~Copyable {
    public let handle: OpaquePointer
    let state: WriteState
    init(handle: OpaquePointer, state: WriteState) {
        self.handle = handle
        self.state = state
    }
    public var writeState: WriteState { state }
}

/// Operations of a write transaction (the transaction itself, or a view of it).
public protocol TransactionWriting: TransactionReading, ~Copyable {
    var writeState: WriteState { get }
}

/// Flags for `put`.
/// Where a key walk (`walkKeys`) goes next.
public enum KeyStep: Equatable {
    case next
    /// To the first key at or after this one (it must not be before the current key).
    case seek([UInt8])
    case stop
}

public struct PutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Fail with `LMDBError` `MDB_KEYEXIST` if the key exists.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key sorts after every key in the database: a fast bulk load. Fails with
    /// `MDB_KEYEXIST` when it does not.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
}

@inline(__always)
func buffer(_ val: MDB_val) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: val.mv_data, count: val.mv_size)
}

extension TransactionReading where Self: ~Copyable {
    /// The transaction's id: a read transaction sees the data of the write transaction of
    /// this id, and every commit makes a larger one, so equal ids mean equal contents.
    public var id: UInt64 { UInt64(mdb_txn_id(handle)) }

    /// The value stored under `key`, or nil. Zero-copy: valid until the transaction ends.
    public func get(_ db: Database, _ key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        try getUnverified(db, key).map { stored throws(LMDBError) in try Checksum.verified(stored, key: key, database: db.name) }
    }

    /// Like `get`, verifying a large value only the first time it is read at its place
    /// (`VerifiedValues`).
    @inline(__always)
    public func get(_ db: Database, _ key: UnsafeRawBufferPointer, remembering verified: VerifiedValues) throws -> UnsafeRawBufferPointer? {
        try getUnverified(db, key).map { stored throws(LMDBError) in try verified.verified(stored, key: key, database: db.name) }
    }

    public func get(_ db: Database, _ key: [UInt8], remembering verified: VerifiedValues) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { (k) in try get(db, k, remembering: verified) }
    }

    /// The bytes stored under `key` as LMDB holds them, checksum trailer included and not
    /// verified: for telling an index of an older format (values without trailers) apart.
    public func getUnverified(_ db: Database, _ key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer? {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(handle, db.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "mdb_get in \(db.name ?? "(main)")")
        return buffer(v)
    }

    public func getUnverified(_ db: Database, _ key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { (k) in try getUnverified(db, k) }
    }

    public func get(_ db: Database, _ key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { (k) in try get(db, k) }
    }

    public func get(_ db: Database, _ key: String) throws -> UnsafeRawBufferPointer? {
        try get(db, Array(key.utf8))
    }

    /// Entries and pages of a database.
    public func statistics(_ db: Database) throws -> (entries: Int, pages: Int, pageSize: Int) {
        var stat = MDB_stat()
        try check(mdb_stat(handle, db.dbi, &stat), "mdb_stat \(db.name ?? "(main)")")
        return (stat.ms_entries, stat.ms_branch_pages + stat.ms_leaf_pages + stat.ms_overflow_pages, Int(stat.ms_psize))
    }

    /// Number of entries in the database.
    public func count(_ db: Database) throws -> Int {
        var stat = MDB_stat()
        try check(mdb_stat(handle, db.dbi, &stat), "mdb_stat \(db.name ?? "(main)")")
        return stat.ms_entries
    }

    /// Opens a cursor over `db`; it is closed when the value goes out of scope.
    public func cursor(_ db: Database, verifying: Bool = true) throws -> Cursor {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, db.dbi, &cursor), "mdb_cursor_open \(db.name ?? "(main)")")
        return Cursor(handle: cursor!, database: db.name, verifies: verifying)
    }

    /// Calls `body` for each key `>= lower` (all when nil), in key order, until it returns
    /// false. Values are neither read nor verified (walks that need the keys only).
    public func forEachKey(in db: Database, from lower: [UInt8]?, _ body: (_ key: UnsafeRawBufferPointer) throws -> Bool) throws {
        let cursor = try cursor(db, verifying: false)
        var entry = try lower.map { (l) in try cursor.seek(atOrAfter: l) } ?? cursor.first()
        while let (key, _) = entry {
            if try !body(key) { break }
            entry = try cursor.next()
        }
    }

    /// Walks the keys of `db` from `lower`, each call of `body` saying where to go: the next
    /// key, the first key at or after a given one (skipping a range), or stop. Values are
    /// not read (nor verified): a walk of the dictionary for the keys worth reading.
    public func walkKeys(in db: Database, from lower: [UInt8], _ body: (_ key: UnsafeRawBufferPointer) throws -> KeyStep) throws {
        let cursor = try cursor(db, verifying: false)
        var entry = try cursor.seek(atOrAfter: lower)
        while let (key, _) = entry {
            switch try body(key) {
            case .next: entry = try cursor.next()
            case .seek(let target): entry = try cursor.seek(atOrAfter: target)
            case .stop: return
            }
        }
    }

    /// Reads every entry of `db` and verifies its checksum trailer, calling `damaged` for
    /// each that fails (and going on), and `every4096` after each 4,096 entries (a caller
    /// drops the pages read so far); returns the number of entries read.
    public func verifyChecksums(_ db: Database, every4096: () -> Void = {},
                                damaged: (_ key: UnsafeRawBufferPointer, _ error: LMDBError) -> Void) throws -> Int {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, db.dbi, &cursor), "mdb_cursor_open \(db.name ?? "(main)")")
        defer { mdb_cursor_close(cursor) }
        var count = 0
        var op = MDB_FIRST
        while true {
            var k = MDB_val(), v = MDB_val()
            let rc = mdb_cursor_get(cursor, &k, &v, op)
            if rc == MDB_NOTFOUND { break }
            try check(rc, "mdb_cursor_get in \(db.name ?? "(main)")")
            op = MDB_NEXT
            count += 1
            if count % 4096 == 0 { every4096() }
            do { _ = try Checksum.verified(buffer(v), key: buffer(k), database: db.name) } catch { damaged(buffer(k), error) }
        }
        return count
    }

    /// Calls `body` for each entry whose key starts with `prefix`, in key order, until it
    /// returns false.
    public func forEach(
        in db: Database, prefix: [UInt8] = [],
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let cursor = try cursor(db)
        var entry = prefix.isEmpty ? try cursor.first() : try cursor.seek(atOrAfter: prefix)
        while let (key, value) = entry {
            if !prefix.isEmpty && !key.starts(with: prefix) { break }
            if try !body(key, value) { break }
            entry = try cursor.next()
        }
    }

    /// Calls `body` for each entry with `lower <= key < upper` (bytewise), in key order,
    /// until it returns false. A nil bound is open.
    public func forEach(
        in db: Database, from lower: [UInt8]?, to upper: [UInt8]?,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        let cursor = try cursor(db)
        var entry = try lower.map { (l) in try cursor.seek(atOrAfter: l) } ?? cursor.first()
        while let (key, value) = entry {
            if let upper, !key.lexicographicallyPrecedes(upper) { break }
            if try !body(key, value) { break }
            entry = try cursor.next()
        }
    }
}

extension TransactionWriting where Self: ~Copyable {
    /// Opens or creates a named database; the handle stays valid after commit.
    public func openDatabase(_ name: String?, create: Bool) throws -> Database {
        var dbi = MDB_dbi()
        try check(mdb_dbi_open(handle, name, create ? UInt32(MDB_CREATE) : 0, &dbi), "open database \(name ?? "(main)")")
        return Database(name: name, dbi: dbi)
    }

    /// Stores `value` under `key` (with its checksum trailer, `Checksum`).
    public func put(_ db: Database, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, flags: PutFlags = []) throws {
        try put(db, key, reserving: value.count, flags: flags) { target in
            if value.count > 0 { target.baseAddress!.copyMemory(from: value.baseAddress!, byteCount: value.count) }
        }
    }

    public func put(_ db: Database, _ key: [UInt8], _ value: [UInt8], flags: PutFlags = []) throws {
        try key.withUnsafeBytes { (k) in
            try value.withUnsafeBytes { (v) in try put(db, k, v, flags: flags) }
        }
    }

    /// Reserves `count` bytes under `key` and lets `fill` write them in place (no copy);
    /// the checksum trailer is written after them.
    public func put(_ db: Database, _ key: UnsafeRawBufferPointer, reserving count: Int, flags: PutFlags = [],
                    fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: count + Checksum.size, mv_data: nil)
        let rc = mdb_put(handle, db.dbi, &k, &v, flags.rawValue | UInt32(MDB_RESERVE))
        if rc == MDB_MAP_FULL { writeState.mapFull = true }
        try check(rc, "mdb_put (reserve) in \(db.name ?? "(main)")")
        let value = UnsafeMutableRawBufferPointer(start: v.mv_data, count: count)
        try fill(value)
        Checksum.write(key: key, value: UnsafeRawBufferPointer(value), to: v.mv_data! + count)
    }

    /// Deletes `key`; returns false when it was not there.
    @discardableResult
    public func delete(_ db: Database, _ key: UnsafeRawBufferPointer) throws -> Bool {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let rc = mdb_del(handle, db.dbi, &k, nil)
        if rc == MDB_NOTFOUND { return false }
        try check(rc, "mdb_del in \(db.name ?? "(main)")")
        return true
    }

    @discardableResult
    public func delete(_ db: Database, _ key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { (k) in try delete(db, k) }
    }

    /// Removes every entry of `db` (the database itself stays).
    public func clear(_ db: Database) throws {
        try check(mdb_drop(handle, db.dbi, 0), "empty database \(db.name ?? "(main)")")
    }
}

/// A copyable view of a live transaction, for the one layer that must hold one (Fihris's
/// index layer keeps it private inside its snapshot type). It is valid only until that
/// transaction ends; using it afterwards is undefined, exactly like a value buffer. Not
/// public: nothing outside this package can keep a transaction past its closure.
package struct TransactionView: TransactionReading {
    public let handle: OpaquePointer
    package init(handle: OpaquePointer) { self.handle = handle }
    /// The read side of a write transaction.
    package init(_ write: WriteTransactionView) { handle = write.handle }
}

/// A copyable view of a live write transaction (see `TransactionView`).
package struct WriteTransactionView: TransactionWriting {
    public let handle: OpaquePointer
    public let writeState: WriteState
}

extension TransactionReading where Self: ~Copyable {
    /// A view of this transaction, valid until it ends.
    package var view: TransactionView { TransactionView(handle: handle) }
}

extension WriteTransaction {
    /// A view of this write transaction, valid until it ends.
    package var writeView: WriteTransactionView { WriteTransactionView(handle: handle, writeState: state) }
}
