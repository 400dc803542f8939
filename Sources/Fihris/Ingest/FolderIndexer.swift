import Foundation
import PostingsCodec

/// Brings an index up to date with a folder: only new and changed files are read, the
/// documents of deleted files are removed. What the index knows of each file (size,
/// modification time, content hash, document ids) lives in the index itself, so this is
/// incremental across runs. In a changed `.jsonl` file, only the lines whose content
/// changed are indexed again.
///
/// Work is committed in batches (`batchBytes` of source text), so an interrupted run keeps
/// what it committed and the next run carries on; a file is recorded as done in the batch
/// that holds its last document.
public struct FolderIndexer {
    public var source: FolderSource
    /// Called with a problem (unreadable file, invalid line) to skip it; when nil, the
    /// first problem ends the run with that error.
    public var skipInvalid: ((FihrisError) -> Void)?
    /// Source bytes per commit.
    public var batchBytes = 12 << 20
    /// Documents per commit at most (nil: no limit besides `batchBytes`).
    public var batchDocuments: Int?
    public var waitForOtherWriters = false
    /// Replace the index's content instead of updating it.
    public var rebuild = false
    /// Checked between documents; when it returns true, what was read is committed and the
    /// run stops (`Summary.interrupted`).
    public var shouldStop: () -> Bool = { false }
    /// Called after each file: files done of those to look at, source bytes read of the
    /// bytes of files that changed size or time, documents indexed so far.
    public var progress: ((Progress) -> Void)?
    /// Called with a warning that does not stop the run: a document id that two files
    /// both hold (the file read last supplies the document; removing one file keeps it).
    public var warning: ((String) -> Void)?

    /// Called for each file whose documents this run changes (read again, added, removed),
    /// before the commit that applies it.
    public var changed: ((FileChange) -> Void)?

    /// A file whose documents a run changed.
    public struct FileChange: Sendable, Equatable {
        public enum Kind: String, Sendable { case added, changed, removed }
        public var path: String
        public var kind: Kind
        /// The documents the file holds now (for `removed`, the documents it held).
        public var documents: Int
    }

    public struct Progress: Sendable {
        /// Files looked at so far, of all.
        public var files: Int, totalFiles: Int
        /// Source bytes read so far, of the bytes of files that changed size or time.
        public var bytes: Int, totalBytes: Int
        /// Documents indexed so far.
        public var documents: Int
    }

    public init(source: FolderSource) { self.source = source }

    public struct Summary: Sendable, Equatable {
        public var filesRead = 0, filesUnchanged = 0, filesRemoved = 0
        /// Documents added or changed.
        public var documentsIndexed = 0
        public var documentsUnchanged = 0, documentsDeleted = 0
        public var bytesRead = 0
        public var commits = 0
        public var problems = 0
        /// Document ids found in more than one file.
        public var duplicateIDs = 0
        public var interrupted = false
    }

    public func run(into index: SearchIndex) throws -> Summary {
        var summary = Summary()
        let files = try source.files()
        var records = try index.fileRecords()
        // Documents are checked against the schema as they are read, so one that disagrees
        // is skipped (or named by file and line) instead of failing a whole commit.
        var schema = try index.schema
        var batch = PendingBatch(clearFirst: rebuild)
        if rebuild { records.removeAll() }

        func commit() throws {
            guard !batch.isEmpty else { return }
            // Only the writer holds the documents once they are handed over (the commit lets
            // them go after analysis).
            var current = batch
            batch = PendingBatch(clearFirst: false)
            try index.write(waitForOtherWriters: waitForOtherWriters) { writer in
                if current.clearFirst { writer.removeAll() }
                for id in current.deletions { writer.delete(id: id) }
                for (document, hash) in current.documents { try writer.add(document, contentHash: hash) }
                for (path, record) in current.files { writer.recordFile(path, record) }
                current.documents.removeAll()
            }
            summary.commits += 1
            // The pages the commit read (merged segments, id lookups) need not stay resident.
            // and the heap keeps what the batch's analysis freed.
            index.store.releaseMemory()
        }

        // Which files hold each id: an id two files share is deleted only with its last file.
        var owners = IDOwners()
        for (path, record) in records { for id in record.ids { owners.insert(id, path) } }
        /// Files to read again although unchanged: they hold a document another file's
        /// removal or change gave up (their version must be the one indexed).
        var reread = Set<String>()
        func release(_ ids: some Sequence<String>, of path: String) -> [String] {
            var deleted: [String] = []
            for id in ids {
                owners.remove(id, path)
                let others = owners.files(of: id)
                if !others.isEmpty { reread.formUnion(others) } else { deleted.append(id) }
            }
            return deleted
        }

        // Files that are gone.
        let present = Set(files.map(\.relativePath))
        for (path, record) in records.sorted(by: { $0.key < $1.key }) where !present.contains(path) {
            let deleted = release(record.ids, of: path)
            batch.deletions.append(contentsOf: deleted)
            batch.files.append((path, nil))
            summary.filesRemoved += 1
            summary.documentsDeleted += deleted.count
            changed?(FileChange(path: path, kind: .removed, documents: record.ids.count))
        }

        let totalBytes = files.reduce(0) { sum, file in Self.unchangedOnDisk(records[file.relativePath], file) ? sum : sum + file.size }
        var filesDone = 0
        var bytesDone = 0          // bytes of the files finished
        var bytesInFile = 0        // text bytes indexed from the current file
        func report() {
            progress?(Progress(files: filesDone, totalFiles: files.count, bytes: min(totalBytes, bytesDone + bytesInFile),
                               totalBytes: totalBytes, documents: summary.documentsIndexed))
        }
        for file in files {
            report()
            defer {
                filesDone += 1
                if !Self.unchangedOnDisk(records[file.relativePath], file) { bytesDone += file.size }
                bytesInFile = 0
            }
            if shouldStop() { summary.interrupted = true; break }
            let old = records[file.relativePath]
            if Self.unchangedOnDisk(old, file), !reread.contains(file.relativePath) {
                summary.filesUnchanged += 1
                continue
            }
            let size: Int, hash: UInt64
            do {
                (size, hash) = try source.chunks(of: file).sizeAndHash()
            } catch {
                // (FileChunks' errors are FihrisErrors naming the file.)
                let problem = (error as? FihrisError) ?? FihrisError(.io, "cannot read \(source.folder)/\(file.relativePath): \(error)")
                guard let skipInvalid else { throw problem }
                skipInvalid(problem)
                summary.problems += 1
                continue
            }
            summary.bytesRead += size
            if let old, old.hash == hash, !reread.contains(file.relativePath) {
                // Touched but not changed.
                batch.files.append((file.relativePath, FileRecord(size: UInt64(size), modified: file.modified, hash: hash, ids: old.ids)))
                summary.filesUnchanged += 1
                continue
            }
            summary.filesRead += 1
            // The file is read in chunks and its documents go to the batch a few hundred at a
            // time: memory does not grow with the file.
            var ids: [String] = []
            var pending: [(Document, UInt64)] = []
            var interrupted = false
            func flush() throws {
                guard !pending.isEmpty else { return }
                // Unchanged documents of a changed file are left as they are.
                let known = try index.contentHashes(of: pending.map(\.0.id))
                index.store.releaseMappedPages()  // the id lookups touched pages all over the table
                for (i, (document, contentHash)) in pending.enumerated() {
                    if !rebuild, known[i] == contentHash {
                        summary.documentsUnchanged += 1
                        continue
                    }
                    batch.documents.append((document, contentHash))
                    let size = document.fields.reduce(0) { $0 + (($1.value.description).utf8.count) }
                    batch.bytes += size
                    bytesInFile += size
                    summary.documentsIndexed += 1
                    if batch.bytes >= batchBytes || batch.documents.count >= (batchDocuments ?? .max) {
                        try commit()
                        report()
                    }
                    if shouldStop() { interrupted = true; break }
                }
                pending.removeAll(keepingCapacity: true)
            }
            do {
                try source.documents(in: file, skipInvalid: skipInvalid.map { handler in
                    { problem in summary.problems += 1; handler(problem) }
                }, fieldType: { name in schema.fieldNumber(name).map { schema.fields[$0].type } }) { document, contentHash in
                    try schema.accept(document)
                    let id = document.id
                    ids.append(id)
                    if let other = owners.files(of: id).filter({ $0 != file.relativePath }).sorted().first {
                        summary.duplicateIDs += 1
                        warning?("\(source.folder)/\(file.relativePath): document id \"\(id)\" is also in \(other); the file read last supplies it")
                    }
                    owners.insert(id, file.relativePath)
                    pending.append((document, contentHash ?? hash))
                    if pending.count >= Self.chunkDocuments {
                        try flush()
                        if interrupted { throw StopReading() }
                    }
                }
                try flush()
            } catch is StopReading {
            } catch let problem as FihrisError where skipInvalid != nil && problem.code != .locked && problem.code != .storage && problem.code != .corrupted {
                // A file that cannot be read (damaged, encrypted, no text): named and skipped.
                // Its record is left as it was, so its documents stay and the next run tries
                // it again; documents it gave before the problem are kept.
                skipInvalid?(problem.message.hasPrefix(file.relativePath) || problem.message.contains(source.folder)
                             ? problem : FihrisError(problem.code, "\(file.relativePath): \(problem.message)", underlying: problem))
                summary.problems += 1
                summary.filesRead -= 1
                try flush()
                continue
            }
            if interrupted {
                summary.interrupted = true
                break
            }
            changed?(FileChange(path: file.relativePath, kind: old == nil ? .added : .changed, documents: ids.count))
            let gone = release(Set(old?.ids ?? []).subtracting(ids), of: file.relativePath)
            batch.deletions.append(contentsOf: gone)
            summary.documentsDeleted += gone.count
            batch.files.append((file.relativePath, FileRecord(size: UInt64(size), modified: file.modified, hash: hash, ids: ids)))
        }
        try commit()
        bytesDone = totalBytes
        report()
        return summary
    }

    /// Whether the file has the size and modification time the index recorded for it.
    static func unchangedOnDisk(_ old: FileRecord?, _ file: FolderSource.File) -> Bool {
        guard let old else { return false }
        return old.size == UInt64(file.size) && old.modified == file.modified
    }

    /// Documents of one file handed to the batch at a time.
    static let chunkDocuments = 256

    /// Ends the reading of a file when indexing is interrupted.
    struct StopReading: Error {}

    /// Which files hold each id, compactly (an indexing run keeps one entry per document):
    /// the first file's number, and a set only for ids that several files hold.
    struct IDOwners {
        private var paths: [String] = [], numbers: [String: UInt32] = [:]
        private var first: [String: UInt32] = [:]
        private var others: [String: Set<UInt32>] = [:]

        private mutating func number(_ path: String) -> UInt32 {
            if let n = numbers[path] { return n }
            paths.append(path)
            numbers[path] = UInt32(paths.count - 1)
            return UInt32(paths.count - 1)
        }

        mutating func insert(_ id: String, _ path: String) {
            let n = number(path)
            guard let holder = first[id] else { first[id] = n; return }
            if holder != n { others[id, default: []].insert(n) }
        }

        mutating func remove(_ id: String, _ path: String) {
            guard let n = numbers[path], let holder = first[id] else { return }
            if holder == n {
                if var rest = others[id], let next = rest.min() {
                    rest.remove(next)
                    first[id] = next
                    others[id] = rest.isEmpty ? nil : rest
                } else {
                    first[id] = nil
                }
            } else {
                others[id]?.remove(n)
                if others[id]?.isEmpty == true { others[id] = nil }
            }
        }

        func files(of id: String) -> Set<String> {
            guard let holder = first[id] else { return [] }
            var result: Set<String> = [paths[Int(holder)]]
            for n in others[id] ?? [] { result.insert(paths[Int(n)]) }
            return result
        }
    }

    struct PendingBatch {
        var clearFirst: Bool
        var documents: [(Document, UInt64)] = []
        var deletions: [String] = []
        var files: [(String, FileRecord?)] = []
        var bytes = 0
        var isEmpty: Bool { !clearFirst && documents.isEmpty && deletions.isEmpty && files.isEmpty }
    }
}

/// A fast 64-bit content hash (8 bytes a step, multiply-xorshift mixing). Not
/// cryptographic: it only tells whether a file or line changed.
enum ContentHash {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = Streaming(count: bytes.count)
        hasher.update(bytes)
        return hasher.finish()
    }

    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { of(UnsafeRawBufferPointer(bytes)) }
}

extension SearchIndex {
    /// What the index knows of its source files.
    func fileRecords() throws -> [String: FileRecord] {
        try store.read("read the file records of \(path)") { try $0.fileRecords() }
    }

    /// The stored content hashes of documents (nil where the id is unknown).
    func contentHashes(of ids: [String]) throws -> [UInt64?] {
        try store.read("read \(path)") { snapshot in try ids.map { try snapshot.idRecord($0)?.contentHash } }
    }
}
