import CLMDB

/// An error reported by LMDB, with the operation that failed.
///
/// `code` is LMDB's (or the system's errno) return code; `message` is LMDB's own text
/// for it, so the user sees e.g. "MDB_MAP_FULL: Environment mapsize limit reached".
public struct LMDBError: Error, CustomStringConvertible, Sendable, Equatable {
    public let code: Int32
    /// What was being done, e.g. "mdb_put" or "open environment at /tmp/x".
    public let operation: String
    /// What was found wrong, when Fihris (not LMDB) found it (a truncated file).
    public let detail: String?

    public init(code: Int32, operation: String, detail: String? = nil) {
        self.code = code
        self.operation = operation
        self.detail = detail
    }

    public var message: String { detail ?? String(cString: mdb_strerror(code)) }
    public var description: String { "\(operation): \(message)" }

    public static let notFoundCode: Int32 = MDB_NOTFOUND
    public static let mapFullCode: Int32 = MDB_MAP_FULL
    public static let mapResizedCode: Int32 = MDB_MAP_RESIZED

    public var isMapFull: Bool { code == MDB_MAP_FULL }

    /// The file is damaged (truncated, or LMDB found a bad page).
    public var isDamaged: Bool { code == MDB_CORRUPTED || code == MDB_PAGE_NOTFOUND }

    public var isNotFound: Bool { code == MDB_NOTFOUND }

    /// The file is not an LMDB environment, or one of another LMDB version.
    public var isNotAnEnvironment: Bool { code == MDB_INVALID || code == MDB_VERSION_MISMATCH }
}

@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if code != 0 { throw LMDBError(code: code, operation: operation()) }
}
