import Foundation
import LMDBStore
import PostingsCodec

/// A full-text index stored in one directory (an LMDB environment).
///
///     let index = try SearchIndex(at: "/tmp/idx", mode: .openOrCreate)
///     try index.write { writer in
///         try writer.add(Document(id: "1", text: "قاعدة عين الأسد"))
///     }
///     let results = try index.read { searcher in try searcher.search("عين الاسد", limit: 10) }
///
/// One writer at a time, any number of concurrent readers (threads or processes); a reader
/// sees the index as of the last commit before its `read` began.
public final class SearchIndex: @unchecked Sendable {
    public enum OpenMode: Sendable {
        /// The directory must hold a Fihris index.
        case open
        /// Open the index, or create one when the directory is missing or empty.
        case openOrCreate
        /// Like `openOrCreate`, but an index of another format version is deleted and
        /// created anew (for a caller about to rebuild it from its sources anyway).
        case openOrRecreate
    }

    /// The format version this build reads and writes.
    public static var formatVersion: UInt32 { IndexLayout.formatVersion }

    public let path: String
    let environment: Environment
    let layout: IndexLayout
    let writeLock: WriteLock
    let schemaCache = SchemaCache()
    /// Writers of this process take turns here before taking the cross-process lock.
    private let writers = NSLock()

    /// Threads used to analyze documents during a commit.
    nonisolated(unsafe) static var analysisCores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Opens (or creates) the index in the directory `path`.
    /// - Parameter schema: the schema of a new index (ignored when the index exists; fields
    ///   not in it are inferred from documents unless it says otherwise).
    public convenience init(at path: String, mode: OpenMode = .open, readOnly: Bool = false, schema: Schema? = nil) throws(FihrisError) {
        do {
            try self.init(path: path, mode: mode == .openOrRecreate ? .openOrCreate : mode, readOnly: readOnly,
                          allowNonEmpty: false, schema: schema)
        } catch let error where error.code == .incompatibleFormat && mode == .openOrRecreate && !readOnly {
            // Only the LMDB files of what was verified to be a Fihris index go.
            for file in ["data.mdb", "lock.mdb"] { try? FileManager.default.removeItem(atPath: path + "/" + file) }
            try self.init(path: path, mode: .openOrCreate, readOnly: false, allowNonEmpty: true, schema: schema)
        }
    }

    private init(path: String, mode: OpenMode, readOnly: Bool, allowNonEmpty: Bool, schema: Schema?) throws(FihrisError) {
        self.path = path
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw FihrisError(.notAnIndex, "\(path) is a file, not a Fihris index directory")
        }
        let hasData = fm.fileExists(atPath: path + "/data.mdb")
        if !hasData {
            let empty = allowNonEmpty || !exists || ((try? fm.contentsOfDirectory(atPath: path))?.isEmpty ?? false)
            switch mode {
            case .open:
                throw FihrisError(.notAnIndex, exists
                    ? "\(path) is not a Fihris index (no data.mdb); create one with `fihris index <folder> --index \(path)`"
                    : "index directory \(path) does not exist")
            case .openOrCreate where !empty, .openOrRecreate where !empty:
                throw FihrisError(.notAnIndex, "\(path) is not empty and is not a Fihris index; refusing to write into it")
            case .openOrCreate where readOnly, .openOrRecreate where readOnly:
                throw FihrisError(.invalidArgument, "cannot create an index at \(path) in read-only mode")
            case .openOrCreate, .openOrRecreate:
                break
            }
        }
        var options = Environment.Options()
        options.mapSize = 256 << 20
        options.maxDatabases = 16
        options.readOnly = readOnly
        do {
            environment = try Environment(path: path, options: options)
        } catch let error where error.code == MDB_INVALID_CODE || error.code == MDB_VERSION_MISMATCH_CODE {
            throw FihrisError(.notAnIndex, "\(path) does not hold a Fihris index: \(error.message)", underlying: error)
        } catch {
            throw FihrisError(.storage, "cannot open index at \(path): \(error)", underlying: error)
        }
        layout = try Self.openLayout(environment, path: path, create: !hasData && !readOnly, schema: schema)
        writeLock = WriteLock(path: path + "/write.lock")
    }

    private static func openLayout(_ env: Environment, path: String, create: Bool, schema: Schema?) throws(FihrisError) -> IndexLayout {
        if create {
            let schemaBytes: Data
            do { schemaBytes = try JSONEncoder().encode(schema ?? Schema()) } catch {
                throw FihrisError(.invalidArgument, "the schema does not encode: \(error)")
            }
            return try withContext("create index at \(path)") {
                try env.write { txn in
                    let layout = try IndexLayout { name in try txn.openDatabase(name, create: true) }
                    try txn.put(layout.meta, IndexLayout.MetaKey.format, IndexLayout.bytes(IndexLayout.formatVersion))
                    try txn.put(layout.meta, IndexLayout.MetaKey.schema, Array(schemaBytes))
                    try txn.put(layout.meta, IndexLayout.MetaKey.nextDocument, IndexLayout.bytes(UInt32(0)))
                    try txn.put(layout.meta, IndexLayout.MetaKey.liveDocuments, IndexLayout.bytes(UInt64(0)))
                    return layout
                }
            }
        }
        let meta: Database
        do {
            meta = try env.openDatabase("meta")
        } catch {
            throw FihrisError(.notAnIndex, "\(path) is an LMDB environment but not a Fihris index (no meta database)")
        }
        let version: UInt32? = try withContext("read format version of \(path)") {
            try env.read { txn in
                guard let raw = try txn.get(meta, IndexLayout.MetaKey.format), raw.count == 4 else { return nil }
                return raw.loadUnaligned(as: UInt32.self).littleEndian
            }
        }
        guard let version else {
            throw FihrisError(.notAnIndex, "\(path) is not a Fihris index (no format version)")
        }
        guard version == IndexLayout.formatVersion else {
            throw FihrisError(.incompatibleFormat,
                "\(path) holds a format \(version) index; this build of Fihris reads format \(IndexLayout.formatVersion). Re-index the documents.")
        }
        return try withContext("open index at \(path)") {
            try IndexLayout { name in try env.openDatabase(name) }
        }
    }

    /// Runs `body` with a searcher over a consistent snapshot of the index. Nothing the
    /// searcher returns borrows from the index, so results may outlive the body.
    public func read<R>(_ body: (borrowing Searcher) throws -> R) throws -> R {
        do {
            return try environment.read { txn in
                let searcher = try Searcher(snapshot: IndexSnapshot(txn: txn.view, layout: layout, cache: schemaCache))
                return try body(searcher)
            }
        } catch {
            throw FihrisError.wrap(error, "search \(path)")
        }
    }

    /// Runs `body` with a writer; what it adds or deletes is committed atomically when the
    /// body returns, and discarded when it throws. Readers see all of a commit or none of it.
    ///
    /// One writer at a time: another process writing the index makes this throw a `.locked`
    /// error naming that process, or, with `waitForOtherWriters`, wait for it.
    @discardableResult
    public func write<R>(waitForOtherWriters: Bool = false, _ body: (IndexWriter) throws -> R) throws -> R {
        try exclusively(waitForOtherWriters: waitForOtherWriters) {
            let writer = IndexWriter()
            let result = try body(writer)
            try commit(writer)
            return result
        }
    }

    /// Runs `body` as the index's only writer (in this process and across processes).
    func exclusively<R>(waitForOtherWriters: Bool, _ body: () throws -> R) throws -> R {
        writers.lock()
        defer { writers.unlock() }
        try writeLock.acquire(wait: waitForOtherWriters)
        defer { writeLock.release() }
        return try body()
    }

    /// The index's schema.
    public var schema: Schema {
        get throws { try read { $0.schema } }
    }

    /// Number of documents in the index.
    public var documentCount: Int {
        get throws { try read { $0.documentCount } }
    }
}

// LMDB codes that mean "this file is not an LMDB environment of our version".
let MDB_INVALID_CODE: Int32 = -30793
let MDB_VERSION_MISMATCH_CODE: Int32 = -30794
