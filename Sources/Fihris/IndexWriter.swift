import LMDBStore
import PostingsCodec
import TextAnalysis

/// Collects changes during `SearchIndex.write`; they are applied in one transaction
/// when the body returns.
public final class IndexWriter {
    var pending: [Document] = []
    var pendingIDs: [String: Int] = [:]
    var clearFirst = false

    init() {}

    /// Adds a document. Within one write, a later document with the same id replaces the
    /// earlier one; an id already in the index is an error (updates come with the index
    /// engine).
    public func add(_ document: Document) throws(FihrisError) {
        guard !document.id.isEmpty else {
            throw FihrisError(.invalidArgument, "a document needs a non-empty id")
        }
        if let slot = pendingIDs[document.id] {
            pending[slot] = document
        } else {
            pendingIDs[document.id] = pending.count
            pending.append(document)
        }
    }

    /// Removes every document: the commit replaces the whole index with what is added.
    public func removeAll() {
        clearFirst = true
        pending.removeAll()
        pendingIDs.removeAll()
    }

    /// Documents added so far in this write.
    public var pendingCount: Int { pending.count }
}

/// The inverted lists of a batch of documents, built in memory before the commit: one set
/// keyed by normalized (exact) form, one keyed by stem.
struct InvertedBatch {
    struct List {
        var documents: [UInt32] = []
        var frequencies: [UInt32] = []
    }
    var exact: [[UInt8]: List] = [:]
    var stems: [[UInt8]: List] = [:]
    var norms: [UInt32] = []
    var tokenCount: UInt64 = 0

    /// Positions between fields, so no phrase spans two fields.
    static let fieldGap = 100

    init(_ documents: [Document], firstNumber: UInt32, analysis: AnalyzerOptions) throws {
        let analyzer = try Analyzer(analysis)
        var exactCounts: [[UInt8]: UInt32] = [:], stemCounts: [[UInt8]: UInt32] = [:]
        norms.reserveCapacity(documents.count)
        for (offset, document) in documents.enumerated() {
            exactCounts.removeAll(keepingCapacity: true)
            stemCounts.removeAll(keepingCapacity: true)
            var length: UInt32 = 0
            var position = 0
            for field in document.fields {
                guard case .text(var text) = field.value else { continue }
                position = try text.withUTF8 { utf8 in
                    try analyzer.analyze(utf8: utf8, firstPosition: position) { token in
                        exactCounts[Array(token.term), default: 0] += 1
                        stemCounts[Array(token.stem), default: 0] += 1
                        length += 1
                    }
                } + Self.fieldGap
            }
            let number = firstNumber + UInt32(offset)
            Self.append(exactCounts, number, to: &exact)
            Self.append(stemCounts, number, to: &stems)
            norms.append(length)
            tokenCount += UInt64(length)
        }
    }

    private static func append(_ counts: [[UInt8]: UInt32], _ number: UInt32, to lists: inout [[UInt8]: List]) {
        for (term, frequency) in counts {
            lists[term, default: List()].documents.append(number)
            lists[term, default: List()].frequencies.append(frequency)
        }
    }
}

extension SearchIndex {
    func commit(_ writer: IndexWriter) throws {
        if writer.pending.isEmpty && !writer.clearFirst { return }
        let layout = self.layout
        let path = self.path
        // Analysis runs before the write transaction: it is the slow part, and the write
        // body may be retried when the map grows. Document numbers are relative here.
        let batch = try withContext("analyze documents") {
            try InvertedBatch(writer.pending, firstNumber: 0, analysis: SearchIndex.analysis)
        }

        try withContext("write index \(path)") {
            try environment.write { txn in
                let existingCount = writer.clearFirst ? 0 : IndexLayout.uint64(try txn.get(layout.meta, IndexLayout.MetaKey.documents))
                let existingTokens = writer.clearFirst ? 0 : IndexLayout.uint64(try txn.get(layout.meta, IndexLayout.MetaKey.tokens))
                guard existingCount + UInt64(writer.pending.count) < UInt64(UInt32.max) else {
                    throw FihrisError(.invalidArgument, "an index holds at most \(UInt32.max - 1) documents")
                }
                let base = UInt32(existingCount)
                if writer.clearFirst {
                    for db in [layout.terms, layout.stems, layout.docs, layout.ids] { try txn.clear(db) }
                    try txn.delete(layout.meta, IndexLayout.MetaKey.norms)
                }
                // Stored documents and the id map.
                for (offset, document) in writer.pending.enumerated() {
                    let number = base + UInt32(offset)
                    try txn.put(layout.docs, IndexLayout.documentKey(number), StoredDocumentCodec.encode(document), flags: .append)
                    do {
                        try txn.put(layout.ids, Array(document.id.utf8), withUnsafeBytes(of: number.littleEndian) { Array($0) },
                                    flags: .noOverwrite)
                    } catch let error as LMDBError where error.code == -30799 /* MDB_KEYEXIST */ {
                        throw FihrisError(.duplicateDocument, "document id \"\(document.id)\" is already in the index")
                    }
                }
                // Postings: append to existing lists (new document numbers are all larger).
                let appendOnly = writer.clearFirst || existingCount == 0
                for (db, lists) in [(layout.terms, batch.exact), (layout.stems, batch.stems)] {
                    for term in lists.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                        let list = lists[term]!
                        var documents = base == 0 ? list.documents : list.documents.map { $0 + base }
                        var frequencies = list.frequencies
                        if !appendOnly, let old = try txn.get(db, term) {
                            let decoded = try PostingList.decode(old)
                            documents = decoded.documents + documents
                            frequencies = decoded.frequencies + frequencies
                        }
                        let encoded = PostingList.encode(documents: documents, frequencies: frequencies)
                        try txn.put(db, term, encoded, flags: appendOnly ? .append : [])
                    }
                }
                // Norms: one little-endian UInt32 per document number.
                var norms: [UInt8] = []
                if !writer.clearFirst, let old = try txn.get(layout.meta, IndexLayout.MetaKey.norms) {
                    norms.append(contentsOf: old)
                }
                for length in batch.norms { withUnsafeBytes(of: length.littleEndian) { norms.append(contentsOf: $0) } }
                try txn.put(layout.meta, IndexLayout.MetaKey.norms, norms)
                try txn.put(layout.meta, IndexLayout.MetaKey.documents,
                            IndexLayout.bytes(existingCount + UInt64(writer.pending.count)))
                try txn.put(layout.meta, IndexLayout.MetaKey.tokens, IndexLayout.bytes(existingTokens + batch.tokenCount))
            }
        }
    }
}
