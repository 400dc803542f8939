import Foundation
import LMDBStore
import PostingsCodec

extension SearchIndex {
    /// Applies a writer's changes in one LMDB write transaction. Analysis runs before the
    /// transaction (on all cores); the transaction body only writes (and may be re-run when
    /// the map grows).
    func commit(_ writer: IndexWriter) throws {
        if writer.pending.isEmpty && !writer.clearFirst && writer.deletedIDs.isEmpty
            && writer.deleteQueries.isEmpty && writer.fileRecords.isEmpty { return }
        let layout = self.layout
        let path = self.path

        // The schema grows with the documents' new fields; a mismatch fails the whole write.
        var schema = try withContext("read \(path)") { try environment.read { txn in try IndexSnapshot(txn: txn.view, layout: layout).schema } }
        let originalSchema = schema
        for pending in writer.pending { try schema.accept(pending.document) }

        let documents = writer.pending.map(\.document)
        let batch = try withContext("analyze documents") {
            try DocumentBatch.build(documents, schema: schema, hashes: writer.pending.map(\.contentHash), cores: SearchIndex.analysisCores)
        }
        let order = (0..<batch.terms.count).sorted { batch.terms.key($0).lexicographicallyPrecedes(batch.terms.key($1)) }
        let schemaBytes = try JSONEncoder().encode(schema)

        try withContext("write index \(path)") {
            try environment.write { txn in
                if writer.clearFirst {
                    for db in layout.all where db != layout.meta { try txn.clear(db) }
                    for field in 0..<Schema.maximumFields { try txn.delete(layout.meta, FieldStatistics.key(field)) }
                    try txn.put(layout.meta, IndexLayout.MetaKey.liveDocuments, IndexLayout.bytes(UInt64(0)))
                    try txn.put(layout.meta, IndexLayout.MetaKey.nextDocument, IndexLayout.bytes(UInt32(0)))
                    try txn.delete(layout.meta, IndexLayout.MetaKey.segments)
                }
                var state = try CommitState(txn: txn.view, layout: layout, schema: schema)

                // Deletions: by id, by query, and the old versions of replaced documents.
                var doomed = Set<UInt32>()
                for id in writer.deletedIDs { if let record = try state.snapshot.idRecord(id) { doomed.insert(record.number) } }
                if !writer.deleteQueries.isEmpty {
                    let searcher = try Searcher(snapshot: IndexSnapshot(txn: txn.view, layout: layout))
                    for query in writer.deleteQueries {
                        for number in try searcher.matchingDocuments(query) { doomed.insert(number) }
                    }
                }
                for pending in writer.pending {
                    if let record = try state.snapshot.idRecord(pending.document.id) { doomed.insert(record.number) }
                }
                for number in doomed.sorted() { try state.delete(number, txn: txn) }

                // New documents.
                let base = state.nextDocument
                guard UInt64(base) + UInt64(batch.count) < UInt64(UInt32.max) else {
                    throw FihrisError(.invalidArgument, "an index numbers at most \(UInt32.max - 1) documents; optimize it first")
                }
                for i in 0..<batch.count {
                    let number = base + UInt32(i)
                    try txn.put(layout.docs, IndexLayout.documentKey(number), batch.storedDocuments[i], flags: .append)
                    try txn.put(layout.ids, Array(documents[i].id.utf8),
                                IDRecord(number: number, contentHash: batch.contentHashes[i]).bytes)
                }
                try state.addLengthsAndColumns(batch, base: base, txn: txn)
                state.nextDocument = base + UInt32(batch.count)
                state.liveDocuments += batch.count

                // Postings: a new segment with one chunk per term, appended; then the tiered
                // merge policy.
                if batch.count > 0 {
                    let segment = state.newSegment(first: base, end: base + UInt32(batch.count))
                    var docs: [UInt32] = [], lengths: [UInt16] = []
                    for entry in order {
                        let key = batch.terms.key(entry)
                        let field = Int(key[key.startIndex])
                        guard let kind = IndexLayout.TermKind(rawValue: key[key.startIndex + 1]) else { continue }
                        let postings = batch.postings[entry]
                        docs.removeAll(keepingCapacity: true)
                        lengths.removeAll(keepingCapacity: true)
                        for d in postings.docs {
                            docs.append(d + base)
                            lengths.append(kind == .keyword ? 1 : batch.lengths[field][Int(d)])
                        }
                        let termKey = IndexLayout.segmentPrefix(segment.id) + key
                        try state.putChunk(key: termKey, kind: kind, docs: docs, freqs: kind == .keyword ? nil : postings.freqs,
                                           lengths: lengths, positions: kind == .exact ? postings.positions : nil, txn: txn)
                    }
                    try state.applyMergePolicy(txn: txn)
                }

                // Source files, statistics, schema.
                for (file, record) in writer.fileRecords {
                    if let record {
                        try txn.put(layout.files, Array(file.utf8), record.bytes)
                    } else {
                        try txn.delete(layout.files, Array(file.utf8))
                    }
                }
                try state.finish(txn: txn)
                if schema != originalSchema || writer.clearFirst {
                    try txn.put(layout.meta, IndexLayout.MetaKey.schema, Array(schemaBytes))
                }
            }
        }
    }
}

/// The mutable state of a commit, inside its write transaction.
struct CommitState {
    let snapshot: IndexSnapshot
    let layout: IndexLayout
    let schema: Schema
    var nextDocument: UInt32
    var liveDocuments: Int
    var statistics: [FieldStatistics]
    var deleted: DeletedReader
    var segments: [SegmentInfo]
    var nextSegment: UInt32

    init(txn: TransactionView, layout: IndexLayout, schema: Schema) throws {
        let snapshot = try IndexSnapshot(txn: txn, layout: layout)
        self.snapshot = snapshot
        self.layout = layout
        self.schema = schema
        nextDocument = snapshot.nextDocument
        liveDocuments = snapshot.liveDocuments
        statistics = try (0..<schema.fields.count).map { try snapshot.fieldStatistics($0) }
        deleted = DeletedReader(snapshot)
        segments = snapshot.segments
        nextSegment = IndexLayout.uint32(try txn.get(layout.meta, IndexLayout.MetaKey.nextSegment))
    }

    /// Registers a new segment (at the end: it holds the newest documents).
    mutating func newSegment(first: UInt32, end: UInt32) -> SegmentInfo {
        let segment = SegmentInfo(id: nextSegment, firstDocument: first, endDocument: end)
        nextSegment += 1
        segments.append(segment)
        return segment
    }

    /// Marks a document deleted: bitmap, stored document, id, field statistics.
    mutating func delete(_ number: UInt32, txn: borrowing WriteTransaction) throws {
        guard number < nextDocument, try !deleted.isDeleted(number) else { return }
        if let document = try snapshot.storedDocument(number) {
            if let record = try snapshot.idRecord(document.id), record.number == number {
                try txn.delete(layout.ids, Array(document.id.utf8))
            }
        }
        try txn.delete(layout.docs, IndexLayout.documentKey(number))
        for field in schema.textFields {
            var norms = NormsReader(snapshot, field: field)
            let length = try norms.length(number)
            if length > 0 {
                statistics[field].documents -= 1
                statistics[field].tokens -= UInt64(length)
            }
        }
        let chunk = Int(number) / IndexLayout.deletedBitsPerChunk
        let key = IndexLayout.documentKey(UInt32(chunk))
        var bits = try txn.get(layout.deleted, key).map { Array($0) } ?? [UInt8](repeating: 0, count: IndexLayout.deletedBitsPerChunk / 8)
        let i = Int(number) % IndexLayout.deletedBitsPerChunk
        bits[i / 8] |= 1 << UInt8(i % 8)
        try txn.put(layout.deleted, key, bits)
        deleted = DeletedReader(snapshot)  // drop the cached chunk
        liveDocuments -= 1
    }

    /// Writes the batch's field lengths and numeric values into their chunks.
    mutating func addLengthsAndColumns(_ batch: DocumentBatch, base: UInt32, txn: borrowing WriteTransaction) throws {
        for field in schema.fields.indices {
            switch schema.fields[field].type {
            case .text:
                let lengths = batch.lengths[field]
                for length in lengths where length > 0 {
                    statistics[field].documents += 1
                    statistics[field].tokens += UInt64(length)
                }
                try writeChunked(db: layout.norms, field: field, base: base, count: batch.count, width: 2,
                                 perChunk: IndexLayout.normsPerChunk, txn: txn) { i, out in
                    let v = i < lengths.count ? lengths[i] : 0
                    withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
                }
            case .integer, .double:
                let values = batch.numbers[field]
                try writeChunked(db: layout.columns, field: field, base: base, count: batch.count, width: 8,
                                 perChunk: IndexLayout.columnValuesPerChunk, txn: txn) { i, out in
                    let v = i < values.count ? values[i] : DocumentBatch.missing
                    withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
                }
            case .keyword:
                break
            }
        }
    }

    /// Appends `count` values (from document `base` on) to a field's fixed-width chunks.
    private func writeChunked(db: Database, field: Int, base: UInt32, count: Int, width: Int, perChunk: Int,
                              txn: borrowing WriteTransaction, value: (Int, inout [UInt8]) -> Void) throws {
        var i = 0
        let filler: [UInt8] = width == 2 ? [0, 0] : IndexLayout.bytes(DocumentBatch.missing)
        while i < count {
            let doc = Int(base) + i
            let chunk = doc / perChunk
            let key = IndexLayout.fieldChunkKey(field: field, chunk: chunk)
            var bytes = try txn.get(db, key).map { Array($0) } ?? []
            let start = doc % perChunk
            while bytes.count < start * width { bytes.append(contentsOf: filler) }
            bytes.removeSubrange((start * width)...)
            let end = min(count, i + perChunk - start)
            while i < end { value(i, &bytes); i += 1 }
            try txn.put(db, key, bytes)
        }
    }

    /// Stores one chunk of a term's postings (and positions). Keys must ascend: a segment is
    /// written in key order at the end of the database (`MDB_APPEND`: full pages, fast).
    func putChunk(key: [UInt8], kind: IndexLayout.TermKind, docs: [UInt32], freqs: [UInt32]?, lengths: [UInt16],
                  positions: [UInt32]?, txn: borrowing WriteTransaction) throws {
        guard !docs.isEmpty else { return }
        let built = docs.withUnsafeBufferPointer { d in
            lengths.withUnsafeBufferPointer { l in
                withOptionalBuffer(freqs) { f in
                    withOptionalBuffer(positions) { p in PostingChunkBuilder.build(docs: d, freqs: f, lengths: l, positions: p) }
                }
            }
        }
        try txn.put(layout.postings, key, built.postings, flags: .append)
        if let positionsValue = built.positions { try txn.put(layout.positions, key, positionsValue, flags: .append) }
    }

    /// Size tier of a segment: segments of one tier differ in size by less than 4×.
    static func tier(_ size: Int) -> Int {
        var tier = 0, bound = 1024
        while size >= bound * 4 { bound *= 4; tier += 1 }
        return tier
    }

    /// Tiered merging with fan-out 4: whenever the newest segments include four of the same
    /// size tier, they are merged into one (deleted documents dropped). A query then reads
    /// O(log₄ n) segments and each posting is rewritten O(log₄ n) times.
    mutating func applyMergePolicy(txn: borrowing WriteTransaction) throws {
        while segments.count >= 4 {
            let tier = Self.tier(segments[segments.count - 1].size)
            var run = 1
            while run < segments.count && Self.tier(segments[segments.count - 1 - run].size) == tier { run += 1 }
            guard run >= 4 else { return }
            try merge(Array(segments.suffix(run)), txn: txn)
        }
    }

    /// Merges consecutive segments into one new segment at the end of the database.
    mutating func merge(_ sources: [SegmentInfo], txn: borrowing WriteTransaction) throws {
        guard !sources.isEmpty else { return }
        let merged = SegmentInfo(id: nextSegment, firstDocument: sources.first!.firstDocument, endDocument: sources.last!.endDocument)
        nextSegment += 1
        // All keys of the sources, grouped by term (field, kind, term) in key order.
        var byTerm: [[UInt8]: [UInt32]] = [:]   // term suffix → source segment ids holding it
        var terms: [[UInt8]] = []
        for source in sources {
            try txn.forEach(in: layout.postings, prefix: IndexLayout.segmentPrefix(source.id)) { key, _ in
                let suffix = Array(key[4...])
                if byTerm[suffix] == nil { terms.append(suffix) }
                byTerm[suffix, default: []].append(source.id)
                return true
            }
        }
        terms.sort { $0.lexicographicallyPrecedes($1) }
        var docs: [UInt32] = [], freqs: [UInt32] = [], positions: [UInt32] = [], lengths: [UInt16] = []
        var blockDocs = [UInt32](repeating: 0, count: 128), blockFreqs = [UInt32](repeating: 0, count: 128)
        var blockPositions: [UInt32] = []
        var norms: [Int: NormsReader] = [:]
        for suffix in terms {
            let field = Int(suffix[0])
            guard let kind = IndexLayout.TermKind(rawValue: suffix[1]) else { continue }
            docs.removeAll(keepingCapacity: true)
            freqs.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
            for segment in byTerm[suffix]! {
                let key = IndexLayout.segmentPrefix(segment) + suffix
                guard let value = try txn.get(layout.postings, key) else { continue }
                let chunk = try PostingChunk(value)
                let positionsValue = kind == .exact ? try txn.get(layout.positions, key) : nil
                for block in 0..<chunk.blockCount {
                    let n = try blockDocs.withUnsafeMutableBufferPointer { d in
                        try blockFreqs.withUnsafeMutableBufferPointer { f in try chunk.decodeBlock(block, docs: d.baseAddress!, freqs: f.baseAddress!) }
                    }
                    if let positionsValue {
                        try blockFreqs.withUnsafeBufferPointer { f in
                            try chunk.decodePositions(block, from: positionsValue, freqs: f.baseAddress!, count: n, into: &blockPositions)
                        }
                    }
                    var p = 0
                    for i in 0..<n {
                        let f = Int(blockFreqs[i])
                        if try !deleted.isDeleted(blockDocs[i]) {
                            docs.append(blockDocs[i])
                            freqs.append(blockFreqs[i])
                            if kind == .exact { positions.append(contentsOf: blockPositions[p..<(p + f)]) }
                        }
                        p += f
                    }
                }
            }
            guard !docs.isEmpty else { continue }
            lengths.removeAll(keepingCapacity: true)
            if kind == .keyword {
                lengths.append(contentsOf: repeatElement(1, count: docs.count))
            } else {
                if norms[field] == nil { norms[field] = NormsReader(snapshot, field: field) }
                for d in docs { lengths.append(try norms[field]!.length(d)) }
            }
            try putChunk(key: IndexLayout.segmentPrefix(merged.id) + suffix, kind: kind, docs: docs,
                         freqs: kind == .keyword ? nil : freqs, lengths: lengths, positions: kind == .exact ? positions : nil, txn: txn)
        }
        // Drop the sources' keys.
        for source in sources {
            for db in [layout.postings, layout.positions] {
                var keys: [[UInt8]] = []
                try txn.forEach(in: db, prefix: IndexLayout.segmentPrefix(source.id)) { key, _ in keys.append(Array(key)); return true }
                for key in keys { try txn.delete(db, key) }
            }
        }
        let ids = Set(sources.map(\.id))
        let position = segments.firstIndex { ids.contains($0.id) } ?? segments.count
        segments.removeAll { ids.contains($0.id) }
        segments.insert(merged, at: position)
    }

    func finish(txn: borrowing WriteTransaction) throws {
        try txn.put(layout.meta, IndexLayout.MetaKey.segments, SegmentInfo.encodeList(segments))
        try txn.put(layout.meta, IndexLayout.MetaKey.nextSegment, IndexLayout.bytes(nextSegment))
        try txn.put(layout.meta, IndexLayout.MetaKey.nextDocument, IndexLayout.bytes(nextDocument))
        try txn.put(layout.meta, IndexLayout.MetaKey.liveDocuments, IndexLayout.bytes(UInt64(liveDocuments)))
        for (field, stats) in statistics.enumerated() where schema.fields[field].type == .text {
            try txn.put(layout.meta, FieldStatistics.key(field), stats.bytes)
        }
    }
}

@inline(__always)
func withOptionalBuffer<T, R>(_ array: [T]?, _ body: (UnsafeBufferPointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0) }
}

extension SearchIndex {
    /// Rewrites a database in key order with appends, so its pages are full.
    static func repack(_ db: Database, txn: borrowing WriteTransaction) throws {
        var entries: [([UInt8], [UInt8])] = []
        try txn.forEach(in: db) { key, value in entries.append((Array(key), Array(value))); return true }
        try txn.clear(db)
        for (key, value) in entries { try txn.put(db, key, value, flags: .append) }
    }

    /// Merges all segments into one, dropping deleted documents: queries then read one
    /// chunk per term and document frequencies are exact. One transaction.
    public func optimize(waitForOtherWriters: Bool = false) throws {
        let layout = self.layout
        try exclusively(waitForOtherWriters: waitForOtherWriters) {
            try withContext("optimize \(path)") {
                try environment.write { txn in
                    let snapshot = try IndexSnapshot(txn: txn.view, layout: layout)
                    var state = try CommitState(txn: txn.view, layout: layout, schema: snapshot.schema)
                    let hasDeletions = try txn.count(layout.deleted) > 0
                    if state.segments.count > 1 || hasDeletions {
                        try state.merge(state.segments, txn: txn)
                        try state.finish(txn: txn)
                    }
                    // Databases filled in random key order have half-empty pages: rewrite
                    // them in key order.
                    for db in [layout.ids, layout.files] { try Self.repack(db, txn: txn) }
                }
            }
        }
    }
}
