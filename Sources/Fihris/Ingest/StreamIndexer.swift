/// Indexes documents read from a stream (standard input, a pipe): JSON lines, CSV or TSV
/// rows as they come, with memory bounded by a chunk and a batch whatever the stream's
/// length; or the whole stream as one text, Markdown or HTML document.
///
/// Documents are added or replaced by id (a document whose content is unchanged is left
/// as it is); nothing is deleted, and no file record is kept, so a folder synced into the
/// same index never removes them. Errors name the stream (`name`) and the line.
public struct StreamIndexer {
    public var format: SourceFormat
    /// Names the stream in errors and in default ids (`stdin:12`).
    public var name = "stdin"
    /// The id of the one document of a text, Markdown or HTML stream (default: `name`).
    public var documentID: String?
    public var skipInvalid: ((FihrisError) -> Void)?
    public var batchBytes = 12 << 20
    public var waitForOtherWriters = false
    /// Checked between documents: when it returns true, what was read is committed and
    /// the run stops (`Summary.interrupted`).
    public var shouldStop: () -> Bool = { false }

    public init(format: SourceFormat) { self.format = format }

    public func run(_ input: some ByteChunks, into index: SearchIndex) throws -> FolderIndexer.Summary {
        var summary = FolderIndexer.Summary()
        var schema = try index.schema
        var pending: [(Document, UInt64)] = []
        var pendingBytes = 0

        func commit() throws {
            guard !pending.isEmpty else { return }
            let known = try index.contentHashes(of: pending.map(\.0.id))
            index.store.releaseMappedPages()  // the id lookups touched pages all over the table
            var changed: [(Document, UInt64)] = []
            for (i, item) in pending.enumerated() {
                if known[i] == item.1 { summary.documentsUnchanged += 1 } else { changed.append(item) }
            }
            pending.removeAll()
            pendingBytes = 0
            guard !changed.isEmpty else { return }
            try index.write(waitForOtherWriters: waitForOtherWriters) { writer in
                for (document, hash) in changed { try writer.add(document, contentHash: hash) }
                changed.removeAll()
            }
            summary.commits += 1
            index.store.releaseMemory()
        }

        let handler = skipInvalid.map { handler in { (problem: FihrisError) in summary.problems += 1; handler(problem) } }
        func add(_ document: Document, _ hash: UInt64?) throws {
            try schema.accept(document)
            pending.append((document, hash ?? ContentHash.of(document)))
            let size = document.fields.reduce(0) { $0 + $1.value.description.utf8.count }
            pendingBytes += size
            summary.bytesRead += size
            summary.documentsIndexed += 1
            if pendingBytes >= batchBytes { try commit() }
            if shouldStop() { throw FolderIndexer.StopReading() }
        }
        do {
            try FolderSource.documents(input, format: format, name: name, id: documentID ?? name, skipInvalid: handler,
                                       fieldType: { field in schema.fieldNumber(field).map { schema.fields[$0].type } }, add)
        } catch is FolderIndexer.StopReading {
            summary.interrupted = true
        }
        // Counted as they were read: those left unchanged are not indexed.
        try commit()
        summary.documentsIndexed -= summary.documentsUnchanged
        summary.filesRead = 1
        return summary
    }
}
