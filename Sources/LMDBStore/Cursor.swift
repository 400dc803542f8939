import CLMDB

/// A cursor over one database, closed when it goes out of scope. Entries it returns are
/// zero-copy and valid until the transaction ends or the cursor moves on.
public struct Cursor: ~Copyable {
    let handle: OpaquePointer
    let database: String?
    /// Whether values are checksum-verified as the cursor steps (off for walks of keys only,
    /// which would otherwise read every value: a large chunk's overflow pages).
    let verifies: Bool

    init(handle: OpaquePointer, database: String?, verifies: Bool = true) {
        self.handle = handle
        self.database = database
        self.verifies = verifies
    }

    deinit { mdb_cursor_close(handle) }

    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    private func step(_ op: MDB_cursor_op, key: UnsafeRawBufferPointer? = nil) throws -> Entry? {
        var k = MDB_val(mv_size: key?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: key?.baseAddress))
        var v = MDB_val()
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc, "mdb_cursor_get in \(database ?? "(main)")")
        let key = buffer(k)
        return (key, verifies ? try Checksum.verified(buffer(v), key: key, database: database) : buffer(v))
    }

    public func first() throws -> Entry? { try step(MDB_FIRST) }
    public func last() throws -> Entry? { try step(MDB_LAST) }
    public func next() throws -> Entry? { try step(MDB_NEXT) }
    public func previous() throws -> Entry? { try step(MDB_PREV) }

    /// Positions at the first key `>= key` (bytewise).
    public func seek(atOrAfter key: UnsafeRawBufferPointer) throws -> Entry? {
        try step(MDB_SET_RANGE, key: key)
    }

    public func seek(atOrAfter key: [UInt8]) throws -> Entry? {
        try key.withUnsafeBytes { (k) in try seek(atOrAfter: k) }
    }
}
