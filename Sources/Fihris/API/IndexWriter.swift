import Foundation
import QueryLanguage

/// Collects the changes of one `SearchIndex.write`; they are applied in one transaction
/// when the body returns, so readers see all of them or none.
///
///     try index.write { writer in
///         try writer.add(Document(id: "news-1", text: "قاعدة عين الأسد"))   // add or replace
///         writer.delete(id: "news-0")
///         try writer.delete(matching: "collection:drafts")
///     }
public final class IndexWriter {
    struct Pending {
        var document: Document
        var contentHash: UInt64?
    }
    var pending: [Pending] = []
    var pendingIDs: [String: Int] = [:]
    var deletedIDs: Set<String> = []
    var deleteQueries: [Query] = []
    var clearFirst = false
    var fileRecords: [String: FileRecord?] = [:]

    init() {}

    /// Adds a document, replacing any document with the same id (in the index, or added
    /// earlier in this write).
    public func add(_ document: Document) throws(FihrisError) {
        try add(document, contentHash: nil)
    }

    func add(_ document: Document, contentHash: UInt64?) throws(FihrisError) {
        guard !document.id.isEmpty else { throw FihrisError(.invalidArgument, "a document needs a non-empty id") }
        guard document.id.utf8.count <= 400 else {
            throw FihrisError(.invalidArgument, "document id \"\(document.id.prefix(40))…\" is longer than 400 bytes")
        }
        if let slot = pendingIDs[document.id] {
            pending[slot] = Pending(document: document, contentHash: contentHash)
        } else {
            pendingIDs[document.id] = pending.count
            pending.append(Pending(document: document, contentHash: contentHash))
        }
    }

    /// Deletes the document with this id (nothing happens when there is none).
    public func delete(id: String) {
        if let slot = pendingIDs.removeValue(forKey: id) {
            pending.remove(at: slot)
            pendingIDs = Dictionary(uniqueKeysWithValues: pending.enumerated().map { ($1.document.id, $0) })
        }
        deletedIDs.insert(id)
    }

    /// Deletes every document the query matches (evaluated at commit, before this write's
    /// additions).
    public func delete(matching query: Query) {
        deleteQueries.append(query)
    }

    /// Deletes every document a query string matches (adjacent clauses OR'ed, as in a
    /// search); throws now, with the column, when it does not parse.
    public func delete(matching query: String) throws(FihrisError) {
        do { deleteQueries.append(try QueryParser().parse(query)) } catch { throw error.fihrisError(context: "") }
    }

    /// Removes every document: the commit replaces the index's content with what is added.
    public func removeAll() {
        clearFirst = true
        pending.removeAll()
        pendingIDs.removeAll()
        deletedIDs.removeAll()
        deleteQueries.removeAll()
    }

    /// Documents added so far in this write.
    public var pendingCount: Int { pending.count }

    /// Records (or with nil, forgets) what the index knows of a source file.
    func recordFile(_ path: String, _ record: FileRecord?) {
        fileRecords[path] = .some(record)
    }
}

