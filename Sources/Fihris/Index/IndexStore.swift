import Foundation
import LMDBStore
import PostingsCodec
import TextAnalysis

/// The LMDB environment of one index directory and its opened tables: opens or creates
/// it, checks the format version, and hands out snapshots (`read`) and mutations (`write`).
/// `SearchIndex` owns one; nothing above this folder sees LMDB.
final class IndexStore: Sendable {
    /// Bumped whenever the on-disk layout changes; checked when an index is opened.
    /// 5: every word is indexed, stop words included (4 left them out); 6: vocalized forms
    /// (term kind `v`); 7: every value carries a CRC32C trailer (LMDBStore `Checksum`); 8:
    /// vocalized stems and roots carry positions; 9: stored documents compressed (zstd, with
    /// a dictionary trained on the index's first documents: meta "dictionary"); 10: a list of
    /// one block is a short chunk (positions inside it), long chunks keep impacts; 11: an
    /// integer column stores its value with the sign bit flipped (10 stored the bits as they
    /// are, so −1 was UInt64.max, which also means no value: a document's −1 read as none).
    static let formatVersion: UInt32 = 11
    /// The analysis the index's terms were made with (`Analyzer.version`): stored beside the
    /// format version and checked the same way, because stems made by another version of
    /// the stemmer no longer meet the query's (an index without it has version 1).
    static var analysisVersion: UInt32 { Analyzer.version }

    let path: String
    private let environment: Environment
    let tables: IndexTables
    let indexCache = IndexCache()

    /// Whether `path` holds LMDB files.
    static func hasData(at path: String) -> Bool { FileManager.default.fileExists(atPath: path + "/data.mdb") }

    /// Deletes the LMDB files of an index (only those).
    static func removeFiles(at path: String) {
        for file in ["data.mdb", "lock.mdb"] { try? FileManager.default.removeItem(atPath: path + "/" + file) }
    }

    /// Opens the index at `path`, or with `create`, makes a new one there with that schema.
    init(path: String, create schema: Schema?, readOnly: Bool) throws(FihrisError) {
        self.path = path
        var options = Environment.Options()
        options.mapSize = 256 << 20
        options.maxDatabases = 16
        options.readOnly = readOnly
        do {
            environment = try Environment(path: path, options: options)
        } catch let error where error.isNotAnEnvironment {
            throw FihrisError(.notAnIndex, "\(path) does not hold a Fihris index: \(error.message)", underlying: error)
        } catch let error where error.isDamaged {
            throw FihrisError(.corrupted, "the index at \(path) is damaged: \(error.message). Rebuild it from its sources with `fihris index <folder> --index \(path) --rebuild`",
                              underlying: error)
        } catch {
            throw FihrisError(.storage, "cannot open index at \(path): \(error)", underlying: error)
        }
        tables = try Self.openTables(environment, path: path, create: schema)
        // Writing into a damaged index would bury the damage under new commits: a writer
        // verifies every value's checksum first (hardware CRC32C: well under a second for
        // hundreds of MB). The open already walked every page (LMDBStore `PageWalk`).
        if !readOnly && schema == nil { try verifyBeforeWriting() }
    }

    private static func openTables(_ env: Environment, path: String, create schema: Schema?) throws(FihrisError) -> IndexTables {
        if let schema {
            let schemaBytes: Data
            do { schemaBytes = try JSONEncoder().encode(schema) } catch {
                throw FihrisError(.invalidArgument, "the schema does not encode: \(error)")
            }
            return try withContext("create index at \(path)") {
                try env.write { txn in
                    let tables = try IndexTables { name in try txn.openDatabase(name.rawValue, create: true) }
                    let w = txn.writeView
                    try tables.meta.put(w, .format, encoded: LittleEndian.bytes(formatVersion))
                    try tables.meta.put(w, .analysis, encoded: LittleEndian.bytes(analysisVersion))
                    try tables.meta.put(w, .schema, encoded: Array(schemaBytes))
                    try tables.meta.put(w, .nextDocument, encoded: LittleEndian.bytes(UInt32(0)))
                    try tables.meta.put(w, .liveDocuments, encoded: LittleEndian.bytes(UInt64(0)))
                    return tables
                }
            }
        }
        let meta: Database
        do {
            meta = try env.openDatabase(TableName.meta.rawValue)
        } catch let error as LMDBError where error.isNotFound {
            throw FihrisError(.notAnIndex, "\(path) is an LMDB environment but not a Fihris index (no meta database)")
        } catch {
            // Not "no such database": the real reason (MDB_READERS_FULL, a damaged page ...).
            throw FihrisError(.storage, "cannot open the meta database of \(path): \(error)", underlying: error)
        }
        let (version, analysis): (UInt32?, UInt32?) = try withContext("read format version of \(path)") {
            try env.read { txn in
                // (Two plain reads: a local function capturing the transaction crashes the
                // Swift 6.3 compiler's move-only checker.)
                // Read unverified first: an index before format 7 has no checksum trailers, and
                // must be told apart from a damaged one (then read again, verified).
                let raw = try txn.getUnverified(meta, MetaKeyCodec.encode(.format))
                let formatNumber: UInt32?
                if let raw, raw.count == 4 {
                    formatNumber = raw.loadUnaligned(as: UInt32.self).littleEndian
                } else {
                    let format = try txn.get(meta, MetaKeyCodec.encode(.format))
                    formatNumber = format.flatMap { $0.count == 4 ? $0.loadUnaligned(as: UInt32.self).littleEndian : nil }
                }
                guard formatNumber == formatVersion else { return (formatNumber, nil) }
                let analysis = try txn.get(meta, MetaKeyCodec.encode(.analysis))
                let analysisNumber = analysis.flatMap { $0.count == 4 ? $0.loadUnaligned(as: UInt32.self).littleEndian : nil }
                return (formatNumber, analysisNumber)
            }
        }
        guard let version else {
            throw FihrisError(.notAnIndex, "\(path) is not a Fihris index (no format version)")
        }
        guard version == formatVersion else {
            throw FihrisError(.incompatibleFormat,
                "\(path) holds a format \(version) index; this build of Fihris reads format \(formatVersion). Re-index the documents.")
        }
        guard (analysis ?? 1) == analysisVersion else {
            throw FihrisError(.incompatibleFormat,
                "\(path) was indexed with analysis version \(analysis ?? 1); this build of Fihris analyzes text with version \(analysisVersion) (its stems differ). Re-index the documents.")
        }
        return try withContext("open index at \(path)") {
            try IndexTables { name in try env.openDatabase(name.rawValue) }
        }
    }

    /// Gives back the resident pages of the index's map (`Environment.releaseMappedPages`).
    func releaseMappedPages() { environment.releaseMappedPages() }

    /// Releases the mapped pages and the heap's free memory (between commits of a long run).
    func releaseMemory() {
        environment.releaseMappedPages()
        Environment.releaseFreeHeapMemory()
    }

    /// Refuses an index some value of which fails its checksum, saying how to recover.
    private func verifyBeforeWriting() throws(FihrisError) {
        var damaged = 0, first = ""
        let values = try withContext("verify \(path) before writing") {
            try read("verify \(path) before writing") { snapshot in
                try snapshot.verifyChecksums(release: { [environment] in environment.releaseMappedPages() }) { problem in
                    if damaged == 0 { first = problem }
                    damaged += 1
                }
            }
        }
        if damaged > 0 {
            throw FihrisError(.corrupted, "the index at \(path) is damaged: \(damaged) of \(values) values fail their checksum (first: \(first)); nothing was written. Rebuild it from its sources with `fihris index <folder> --index \(path) --rebuild`, or `fihris export` what can still be read")
        }
    }

    /// Runs `body` over a consistent snapshot. Storage and decoding failures become
    /// `FihrisError`s naming `context`; the body's own errors pass through unchanged.
    func read<R>(_ context: @autoclosure () -> String, _ body: (IndexSnapshot) throws -> R) throws -> R {
        do {
            return try environment.read { txn in
                try body(try IndexSnapshot(txn: txn.view, tables: tables, cache: indexCache))
            }
        } catch {
            throw FihrisError.wrap(error, context())
        }
    }

    /// Runs `body` in one write transaction: committed when it returns, discarded when it
    /// throws. The body may run more than once (when the map grows): it must only change
    /// the index through the mutation, or state it rebuilds on each run.
    func write<R>(_ context: @autoclosure () -> String, _ body: (borrowing IndexMutation) throws -> R) throws -> R {
        do {
            return try environment.write { txn in
                try body(IndexMutation(txn: txn.writeView, tables: tables, cache: indexCache) { [environment] in environment.releaseMappedPages() })
            }
        } catch {
            throw FihrisError.wrap(error, context())
        }
    }

    /// Writes a compact, consistent copy into the directory `directory`.
    func copy(to directory: String) throws(FihrisError) {
        do { try environment.copy(to: directory, compact: true) } catch {
            throw FihrisError(.storage, "snapshot \(path) to \(directory): \(error)", underlying: error)
        }
    }

    /// Bytes of data.mdb on disk.
    var fileBytes: Int { (try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int) ?? 0 }
}

extension LMDBError: FihrisErrorConvertible {
    func fihrisError(context: String) -> FihrisError {
        // A damaged file (a value failing its checksum, a bad page LMDB found) is `corrupted`.
        isDamaged ? FihrisError(.corrupted, "\(context): the index is damaged: \(self)", underlying: self)
            : FihrisError(.storage, "\(context): \(self)", underlying: self)
    }
}
