import Foundation
import PostingsCodec
import ZstdCodec

extension SearchIndex {
    /// Applies a writer's changes in one LMDB write transaction. Analysis runs before the
    /// transaction (on all cores); the transaction body only writes (and may be re-run when
    /// the map grows).
    func commit(_ writer: IndexWriter) throws {
        if writer.pending.isEmpty && !writer.clearFirst && writer.deletedIDs.isEmpty
            && writer.deleteQueries.isEmpty && writer.fileRecords.isEmpty { return }
        let path = self.path

        // The schema grows with the documents' new fields; a mismatch fails the whole write.
        var schema = try store.read("read \(path)") { $0.schema }
        let originalSchema = schema
        var documents = writer.pending.map(\.document)
        schema.inferKeywordFields(documents)
        for document in documents { try schema.accept(document) }

        // Chunks an interrupted merge left would collide with the new segment's.
        try removeLeftovers()
        let ids = writer.pending.map(\.document.id)
        // Stored documents are compressed as they are analyzed, with the index's dictionary
        // or, the first time there are enough of them, one trained on this batch.
        var dictionary = try store.read("read the stored-document dictionary of \(path)") { try $0.documentDictionary() }
        var trained: [UInt8]? = nil
        if dictionary == nil, let made = try StoredDocumentCodec.trainDictionary(documents, schema: schema) {
            (trained, dictionary) = (made.bytes, (StoredDocumentCodec.dictionaryNumber, made.dictionary))
        }
        let batch = try withContext("analyze documents") {
            try DocumentBatch.build(documents, schema: schema, hashes: writer.pending.map(\.contentHash),
                                    dictionary: dictionary, cores: ProcessInfo.processInfo.activeProcessorCount)
        }
        // The batch holds what the transaction writes (stored documents encoded): the
        // documents themselves need not stay in memory through it.
        writer.pending.removeAll()
        documents = []
        let schemaBytes = try withContext("encode the schema") { try JSONEncoder().encode(schema) }

        try store.write("write index \(path)") { txn in
                if writer.clearFirst { try txn.removeAll() }
                var state = try CommitState(txn, schema: schema)

                // Deletions: by id, by query, and the old versions of replaced documents.
                var doomed = Set<UInt32>()
                for id in writer.deletedIDs { if let record = try state.snapshot.idRecord(id) { doomed.insert(record.number) } }
                if !writer.deleteQueries.isEmpty {
                    let searcher = Searcher(snapshot: state.snapshot)
                    for query in writer.deleteQueries {
                        for number in try searcher.matchingDocuments(query) { doomed.insert(number) }
                    }
                }
                for (i, id) in ids.enumerated() {
                    if let record = try state.snapshot.idRecord(id) { doomed.insert(record.number) }
                    if i % 1024 == 1023 { txn.releaseMappedPages() }
                }
                for number in doomed.sorted() { try state.delete(number, txn: txn) }

                // New documents.
                let base = state.nextDocument
                guard UInt64(base) + UInt64(batch.count) < UInt64(UInt32.max) else {
                    throw FihrisError(.invalidArgument, "an index numbers at most \(UInt32.max - 1) documents (numbers of deleted documents are not reused); rebuild it into a new index")
                }
                if let trained { try txn.putDocumentDictionary(StoredDocumentCodec.dictionaryNumber, trained) }
                for i in 0..<batch.count {
                    let number = base + UInt32(i)
                    try txn.appendStoredDocument(number, batch.storedDocuments[i])
                    try txn.putID(ids[i], IDRecord(number: number, contentHash: batch.contentHashes[i]))
                    if i % 1024 == 1023 { txn.releaseMappedPages() }
                }
                txn.releaseMappedPages()
                try state.addLengthsAndColumns(batch, base: base, txn: txn)
                txn.releaseMappedPages()
                state.nextDocument = base + UInt32(batch.count)
                state.liveDocuments += batch.count

                // Postings: a new segment with one chunk per term, appended (the merge policy
                // runs after the commit, in transactions of its own).
                if batch.count > 0 {
                    let segment = state.newSegment(first: base, end: base + UInt32(batch.count))
                    var docs: [UInt32] = [], lengths: [UInt16] = []
                    var written = 0
                    try batch.forEachTerm { key, batchDocs, freqs, positions in
                        let field = Int(key[key.startIndex])
                        guard let kind = TermKind(rawValue: key[key.startIndex + 1]) else { return }
                        docs.removeAll(keepingCapacity: true)
                        lengths.removeAll(keepingCapacity: true)
                        for d in batchDocs {
                            docs.append(d + base)
                            lengths.append(kind.hasFrequencies ? batch.lengths[field][Int(d)] : 1)
                        }
                        // The batch's keys are TermID bytes (field, kind, term).
                        try txn.appendChunk(segment: segment.id, term: key, docs: docs, freqs: kind.hasFrequencies ? freqs : nil,
                                            lengths: lengths, positions: kind.hasPositions ? positions : nil)
                        written += 1
                        if written % 8192 == 0 { txn.releaseMappedPages() }
                    }
                }

                // Source files, statistics, schema.
                for (file, record) in writer.fileRecords { try txn.putFileRecord(file, record) }
                try state.finish(txn: txn)
                if schema != originalSchema || writer.clearFirst { try txn.putSchema(Array(schemaBytes)) }
        }
        store.releaseMappedPages()
        try mergeAsNeeded()
    }
}

/// The mutable state of a commit, inside its write transaction.
struct CommitState {
    let snapshot: IndexSnapshot
    let schema: Schema
    /// The counters this commit moves on, starting from the snapshot's.
    var nextDocument: UInt32, liveDocuments: Int
    var statistics: [FieldStatistics]
    var segments: [SegmentInfo], nextSegment: UInt32

    init(_ txn: borrowing IndexMutation, schema: Schema) throws {
        let snapshot = try txn.snapshot()
        self.snapshot = snapshot
        self.schema = schema
        nextDocument = snapshot.nextDocument
        liveDocuments = snapshot.liveDocuments
        statistics = try (0..<schema.fields.count).map { try snapshot.fieldStatistics($0) }
        segments = snapshot.segments
        nextSegment = try snapshot.meta(.nextSegment, as: UInt32.self) ?? 0
    }

    /// Registers a new segment (at the end: it holds the newest documents).
    mutating func newSegment(first: UInt32, end: UInt32) -> SegmentInfo {
        let segment = SegmentInfo(id: nextSegment, firstDocument: first, endDocument: end)
        nextSegment += 1
        segments.append(segment)
        return segment
    }

    /// Marks a document deleted: bitmap, stored document, id, field statistics.
    mutating func delete(_ number: UInt32, txn: borrowing IndexMutation) throws {
        var deleted = try snapshot.deletedDocuments()  // a fresh reader: it sees this commit's deletions
        guard number < nextDocument, try !deleted.contains(Int(number)) else { return }
        if let document = try snapshot.storedDocument(number) {
            if let record = try snapshot.idRecord(document.id), record.number == number {
                try txn.deleteID(document.id)
            }
        }
        try txn.deleteStoredDocument(number)
        for field in schema.textFields {
            var norms = snapshot.norms(field)
            let length = try norms.length(Int(number))
            if length > 0 {
                statistics[field].documents -= 1
                statistics[field].tokens -= UInt64(length)
            }
        }
        try txn.markDeleted(number)
        liveDocuments -= 1
    }

    /// Writes the batch's field lengths and numeric values into their chunks.
    mutating func addLengthsAndColumns(_ batch: DocumentBatch, base: UInt32, txn: borrowing IndexMutation) throws {
        for field in schema.fields.indices {
            switch schema.fields[field].type {
            case .text:
                let lengths = batch.lengths[field]
                for length in lengths where length > 0 {
                    statistics[field].documents += 1
                    statistics[field].tokens += UInt64(length)
                }
                try txn.appendNorms(field: field, base: base, lengths, count: batch.count)
            case .integer, .double:
                try txn.appendColumn(field: field, base: base, batch.numbers[field], count: batch.count)
            case .keyword:
                break
            }
        }
    }

    func finish(txn: borrowing IndexMutation) throws {
        try txn.putSegments(segments)
        try txn.putMeta(.nextSegment, nextSegment)
        try txn.putMeta(.nextDocument, nextDocument)
        try txn.putMeta(.liveDocuments, UInt64(liveDocuments))
        for (field, stats) in statistics.enumerated() where schema.fields[field].type == .text {
            try txn.putFieldStatistics(field, stats)
        }
    }
}

extension SearchIndex {
    /// Merges all segments into one, dropping deleted documents: queries then read one
    /// chunk per term and document frequencies are exact. In bounded transactions
    /// (`MergeSteps`): readers see the segments before or after, never between.
    public func optimize(waitForOtherWriters: Bool = false) throws {
        try exclusively(waitForOtherWriters: waitForOtherWriters) {
            try removeLeftovers()
            let (segments, hasDeletions) = try store.read("read \(path)") { ($0.segments, try $0.deletedDocuments().any) }
            if segments.count > 1 || (hasDeletions && !segments.isEmpty) { try merge(segments) }
            // Tables filled in random key order have half-empty pages: rewrite them.
            try store.write("optimize \(path)") { txn in try txn.repackRandomOrderTables() }
        }
    }
}
