import PostingsCodec
import Foundation

/// Collects the changes of one `SearchIndex.write`; they are applied in one transaction
/// when the body returns, so readers see all of them or none.
///
///     try index.write { writer in
///         try writer.add(Document(id: "news-1", text: "قاعدة عين الأسد"))   // add or replace
///         writer.delete(id: "news-0")
///         writer.delete(matching: "collection:drafts")
///     }
public final class IndexWriter {
    struct Pending {
        var document: Document
        var contentHash: UInt64?
    }
    var pending: [Pending] = []
    var pendingIDs: [String: Int] = [:]
    var deletedIDs: Set<String> = []
    var deleteQueries: [String] = []
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
    public func delete(matching query: String) {
        deleteQueries.append(query)
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

/// What an index remembers of a source file, to re-index only what changed.
///
///     FileRecord := size:u64 modified:i64(ns) hash:u64 count:varint Id{count}
///     Id := shared:varint suffix:string    (front coding: bytes shared with the previous id)
struct FileRecord: Equatable {
    var size: UInt64
    var modified: Int64
    var hash: UInt64
    /// The ids of the documents the file holds.
    var ids: [String]
}

extension FileRecord {
    var bytes: [UInt8] {
        var out = IndexLayout.bytes(size) + IndexLayout.bytes(UInt64(bitPattern: modified)) + IndexLayout.bytes(hash)
        Varint.append(ids.count, to: &out)
        var previous: [UInt8] = []
        for id in ids {
            let bytes = Array(id.utf8)
            var shared = 0
            while shared < min(bytes.count, previous.count) && bytes[shared] == previous[shared] { shared += 1 }
            Varint.append(shared, to: &out)
            Varint.append(bytes.count - shared, to: &out)
            out.append(contentsOf: bytes[shared...])
            previous = bytes
        }
        return out
    }

    init(_ buffer: UnsafeRawBufferPointer) throws(CodecError) {
        var reader = ByteReader(buffer)
        size = try reader.uint64LE()
        modified = Int64(bitPattern: try reader.uint64LE())
        hash = try reader.uint64LE()
        let count = try reader.int()
        guard count <= reader.remaining else { throw CodecError("file record claims \(count) documents") }
        var ids: [String] = []
        ids.reserveCapacity(count)
        var previous: [UInt8] = []
        for _ in 0..<count {
            let shared = try reader.int()
            guard shared <= previous.count else { throw CodecError("file record id shares \(shared) bytes of \(previous.count)") }
            let suffix = try reader.bytes(try reader.int())
            previous = Array(previous[..<shared]) + Array(suffix)
            ids.append(String(decoding: previous, as: UTF8.self))
        }
        self.ids = ids
    }
}
