import Foundation
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
public final class SearchIndex: Sendable {
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
    public static var formatVersion: UInt32 { IndexStore.formatVersion }

    /// Deletes the index files in `path` (`data.mdb`, `lock.mdb`; nothing else), for
    /// rebuilding an index that is too damaged to open (`fihris index --rebuild`).
    public static func deleteFiles(at path: String) { IndexStore.removeFiles(at: path) }

    public let path: String
    /// With `.openOrRecreate`: why the index that was there was replaced by a new one (it
    /// had another format or analysis version: the `incompatibleFormat` error's message);
    /// nil when it was opened or created.
    public let replaced: String?
    let store: IndexStore
    let writeLock: WriteLock
    /// Writers of this process take turns here before taking the cross-process lock.
    private let writers = NSLock()

    /// Opens (or creates) the index in the directory `path`.
    /// - Parameters:
    ///   - path: the index directory.
    ///   - mode: whether the index must exist, may be created, or is recreated when it has
    ///     another format version.
    ///   - readOnly: open without write access (writes then fail).
    ///   - schema: the schema of a new index (ignored when the index exists; fields not in
    ///     it are inferred from documents unless it says otherwise).
    public convenience init(at path: String, mode: OpenMode = .open, readOnly: Bool = false, schema: Schema? = nil) throws(FihrisError) {
        do {
            try self.init(path: path, mode: mode == .openOrRecreate ? .openOrCreate : mode, readOnly: readOnly,
                          allowNonEmpty: false, schema: schema, replaced: nil)
        } catch let error where error.code == .incompatibleFormat && mode == .openOrRecreate && !readOnly {
            // Only the LMDB files of what was verified to be a Fihris index go.
            IndexStore.removeFiles(at: path)
            try self.init(path: path, mode: .openOrCreate, readOnly: false, allowNonEmpty: true, schema: schema, replaced: error.message)
        }
    }

    private init(path: String, mode: OpenMode, readOnly: Bool, allowNonEmpty: Bool, schema: Schema?, replaced: String?) throws(FihrisError) {
        self.path = path
        self.replaced = replaced
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw FihrisError(.notAnIndex, "\(path) is a file, not a Fihris index directory")
        }
        let hasData = IndexStore.hasData(at: path)
        if !hasData {
            // Empty, or holding only the writer lock file Fihris itself leaves (after files of a
            // damaged index were deleted for a rebuild).
            let empty = allowNonEmpty || !exists
                || ((try? fm.contentsOfDirectory(atPath: path))?.allSatisfy { $0 == "write.lock" } ?? false)
            switch mode {
            case .open:
                throw FihrisError(.notAnIndex, exists
                    ? "\(path) is not a Fihris index (no data.mdb)"
                    : "index directory \(path) does not exist")
            case .openOrCreate where !empty, .openOrRecreate where !empty:
                throw FihrisError(.notAnIndex, "\(path) is not empty and is not a Fihris index; refusing to write into it")
            case .openOrCreate where readOnly, .openOrRecreate where readOnly:
                throw FihrisError(.invalidArgument, "cannot create an index at \(path) in read-only mode")
            case .openOrCreate, .openOrRecreate:
                break
            }
        }
        var newSchema: Schema?
        if !hasData && !readOnly { newSchema = schema ?? Schema.empty() }
        store = try IndexStore(path: path, create: newSchema, readOnly: readOnly)
        writeLock = WriteLock(path: path + "/write.lock")
    }

    /// Runs `body` with a searcher over a consistent snapshot of the index. Nothing the
    /// searcher returns borrows from the index, so results may outlive the body. Errors
    /// the body throws itself pass through unchanged.
    public func read<R>(_ body: (borrowing Searcher) throws -> R) throws -> R {
        try store.read("search \(path)") { snapshot in try body(Searcher(snapshot: snapshot)) }
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

