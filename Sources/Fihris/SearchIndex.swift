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

    /// How text is analyzed, for documents and queries alike (per-field choice comes with
    /// the schema).
    public static let analysis = AnalyzerOptions(kind: .arabic, stopWords: .default)

    /// The format version this build reads and writes.
    public static var formatVersion: UInt32 { IndexLayout.formatVersion }

    public let path: String
    let environment: Environment
    let layout: IndexLayout

    public convenience init(at path: String, mode: OpenMode = .open, readOnly: Bool = false) throws(FihrisError) {
        do {
            try self.init(path: path, mode: mode == .openOrRecreate ? .openOrCreate : mode, readOnly: readOnly,
                          allowNonEmpty: false)
        } catch let error where error.code == .incompatibleFormat && mode == .openOrRecreate && !readOnly {
            // Only the two LMDB files of what was verified to be a Fihris index go.
            for file in ["data.mdb", "lock.mdb"] { try? FileManager.default.removeItem(atPath: path + "/" + file) }
            try self.init(path: path, mode: .openOrCreate, readOnly: false, allowNonEmpty: true)
        }
    }

    private init(path: String, mode: OpenMode, readOnly: Bool, allowNonEmpty: Bool) throws(FihrisError) {
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
        options.readOnly = readOnly
        do {
            environment = try Environment(path: path, options: options)
        } catch let error where error.code == MDB_INVALID_CODE || error.code == MDB_VERSION_MISMATCH_CODE {
            throw FihrisError(.notAnIndex, "\(path) does not hold a Fihris index: \(error.message)", underlying: error)
        } catch {
            throw FihrisError(.storage, "cannot open index at \(path): \(error)", underlying: error)
        }
        layout = try Self.openLayout(environment, path: path, create: !hasData && !readOnly)
    }

    private static func openLayout(_ env: Environment, path: String, create: Bool) throws(FihrisError) -> IndexLayout {
        if create {
            return try withContext("create index at \(path)") {
                try env.write { txn in
                    let layout = IndexLayout(
                        meta: try txn.openDatabase(IndexLayout.metaName, create: true),
                        terms: try txn.openDatabase(IndexLayout.termsName, create: true),
                        stems: try txn.openDatabase(IndexLayout.stemsName, create: true),
                        docs: try txn.openDatabase(IndexLayout.docsName, create: true),
                        ids: try txn.openDatabase(IndexLayout.idsName, create: true))
                    let version = withUnsafeBytes(of: IndexLayout.formatVersion.littleEndian) { Array($0) }
                    try txn.put(layout.meta, IndexLayout.MetaKey.format, version)
                    return layout
                }
            }
        }
        let meta: Database
        do {
            meta = try env.openDatabase(IndexLayout.metaName)
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
            IndexLayout(meta: meta,
                        terms: try env.openDatabase(IndexLayout.termsName),
                        stems: try env.openDatabase(IndexLayout.stemsName),
                        docs: try env.openDatabase(IndexLayout.docsName),
                        ids: try env.openDatabase(IndexLayout.idsName))
        }
    }

    /// Runs `body` with a searcher over a consistent snapshot of the index. Nothing the
    /// searcher returns borrows from the index, so results may outlive the body.
    public func read<R>(_ body: (borrowing Searcher) throws -> R) throws -> R {
        do {
            return try environment.read { txn in
                let searcher = try Searcher(transaction: txn.view, layout: layout)
                return try body(searcher)
            }
        } catch {
            throw FihrisError.wrap(error, "search \(path)")
        }
    }

    /// Runs `body` with a writer; what it adds is committed atomically when the body
    /// returns, and discarded when it throws. Readers see all of a commit or none of it.
    @discardableResult
    public func write<R>(_ body: (IndexWriter) throws -> R) throws -> R {
        let writer = IndexWriter()
        let result = try body(writer)
        try commit(writer)
        return result
    }

    /// Number of documents in the index.
    public var documentCount: Int {
        get throws { try read { $0.documentCount } }
    }
}

// LMDB codes that mean "this file is not an LMDB environment of our version".
let MDB_INVALID_CODE: Int32 = -30793
let MDB_VERSION_MISMATCH_CODE: Int32 = -30794
