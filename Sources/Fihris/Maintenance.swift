import Foundation
import LMDBStore
import PostingsCodec

/// Figures about an index (`fihris stats`).
public struct IndexStatistics: Sendable {
    public struct Field: Sendable {
        public let name: String
        public let type: FieldType
        /// Live documents with a value in the field (text fields).
        public let documents: UInt64
        /// Tokens in the field over live documents (text fields).
        public let tokens: UInt64
        /// Distinct terms (exact forms, stems or keyword values).
        public let terms: Int
    }
    public struct DatabaseSize: Sendable {
        public let name: String
        public let entries: Int
        public let bytes: Int
    }
    public let documents: Int
    /// Documents deleted whose numbers are still reserved.
    public let deletedDocuments: Int
    public let fields: [Field]
    /// Distinct (field, kind, term) posting lists.
    public let postingLists: Int
    /// Posting chunks: one per term per segment holding it.
    public let chunks: Int
    /// Segments: one per commit until the merge policy combines them.
    public let segments: Int
    public let databases: [DatabaseSize]
    /// Bytes of data.mdb on disk.
    public let fileBytes: Int
    public let formatVersion: UInt32
}

/// The outcome of `SearchIndex.check()`: sound when `problems` is empty.
public struct CheckReport: Sendable {
    public var problems: [String] = []
    public var documents = 0
    public var postingLists = 0
    public var chunks = 0
    public var postings = 0
    public var isSound: Bool { problems.isEmpty }
}

extension SearchIndex {
    public func statistics() throws -> IndexStatistics {
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int) ?? 0
        return try withContext("read statistics of \(path)") {
            try environment.read { txn in
                let snapshot = try IndexSnapshot(txn: txn.view, layout: layout)
                var terms = [Int](repeating: 0, count: snapshot.schema.fields.count)
                var postingLists = 0, chunks = 0
                var seen = Set<[UInt8]>()
                try txn.forEach(in: layout.postings) { key, _ in
                    chunks += 1
                    let suffix = Array(key[4...])
                    if seen.insert(suffix).inserted {
                        postingLists += 1
                        if Int(suffix[0]) < terms.count, suffix[1] != IndexLayout.TermKind.stem.rawValue { terms[Int(suffix[0])] += 1 }
                    }
                    return true
                }
                let fields = try snapshot.schema.fields.enumerated().map { number, field in
                    let stats = try snapshot.fieldStatistics(number)
                    return IndexStatistics.Field(name: field.name, type: field.type, documents: stats.documents,
                                                 tokens: stats.tokens, terms: terms[number])
                }
                let sizes = try IndexLayout.databaseNames.enumerated().map { i, name in
                    let db = layout.all[i]
                    let (entries, bytes) = try txn.size(db)
                    return IndexStatistics.DatabaseSize(name: name, entries: entries, bytes: bytes)
                }
                return IndexStatistics(documents: snapshot.liveDocuments,
                                       deletedDocuments: Int(snapshot.nextDocument) - snapshot.liveDocuments,
                                       fields: fields, postingLists: postingLists, chunks: chunks,
                                       segments: snapshot.segments.count, databases: sizes,
                                       fileBytes: fileBytes, formatVersion: IndexLayout.formatVersion)
            }
        }
    }

    /// Reads everything and verifies it: every posting chunk decodes (documents ascending,
    /// within range, matching its key and skip data), positions decode and ascend, chunks of
    /// a term do not overlap, stored documents and ids point at each other, counts and field
    /// statistics agree, no posting names a document that is neither live nor deleted.
    public func check() throws -> CheckReport {
        try withContext("check \(path)") {
            try environment.read { txn in
                var checker = IndexChecker(txn: txn.view, layout: layout)
                return try checker.run()
            }
        }
    }
}

extension TransactionReading where Self: ~Copyable {
    /// Entries and bytes (pages × page size) of a database.
    func size(_ db: Database) throws -> (Int, Int) {
        let stat = try statistics(db)
        return (stat.entries, stat.pages * stat.pageSize)
    }
}

struct IndexChecker {
    let txn: TransactionView
    let layout: IndexLayout
    var report = CheckReport()

    init(txn: TransactionView, layout: IndexLayout) {
        self.txn = txn
        self.layout = layout
    }

    mutating func problem(_ text: String) {
        if report.problems.count < 100 { report.problems.append(text) }
    }

    mutating func run() throws -> CheckReport {
        let snapshot: IndexSnapshot
        do { snapshot = try IndexSnapshot(txn: txn, layout: layout) } catch {
            problem("\(error)")
            return report
        }
        let schema = snapshot.schema
        let next = snapshot.nextDocument
        var deleted = DeletedReader(snapshot)
        var live = Set<UInt32>()

        // Stored documents and ids.
        try txn.forEach(in: layout.docs) { key, value in
            guard key.count == 4 else { problem("docs: malformed key of \(key.count) bytes"); return true }
            let number = IndexLayout.readBE(key, at: 0)
            guard number < next else { problem("docs: document \(number) at or beyond the next number \(next)"); return true }
            if try deleted.isDeleted(number) { problem("docs: document \(number) is stored but marked deleted") }
            do {
                let document = try StoredDocumentCodec.decode(value, schema: schema)
                if IDRecord(try txn.get(layout.ids, document.id))?.number != number {
                    problem("docs: document \(number) (\"\(document.id)\") is not what its id points to")
                }
            } catch { problem("docs: document \(number) does not decode: \(error)") }
            live.insert(number)
            return true
        }
        var ids = 0
        try txn.forEach(in: layout.ids) { key, value in
            ids += 1
            guard let record = IDRecord(value) else { problem("ids: malformed entry"); return true }
            if !live.contains(record.number) {
                problem("ids: \"\(String(decoding: key, as: UTF8.self))\" points to document \(record.number), which is not stored")
            }
            return true
        }
        report.documents = live.count
        if live.count != snapshot.liveDocuments || ids != snapshot.liveDocuments {
            problem("counts disagree: \(snapshot.liveDocuments) live documents in meta, \(live.count) stored, \(ids) ids")
        }
        var deletedCount = 0
        for number in 0..<next where try deleted.isDeleted(number) { deletedCount += 1 }
        if deletedCount + live.count != Int(next) {
            problem("document numbers: \(live.count) live + \(deletedCount) deleted ≠ \(next) numbered (a document is neither live nor deleted)")
        }

        // Field statistics, recomputed from the norms of live documents.
        for field in schema.textFields {
            var norms = NormsReader(snapshot, field: field)
            var expected = FieldStatistics()
            for number in live.sorted() {
                let length = try norms.length(number)
                if length > 0 { expected.documents += 1; expected.tokens += UInt64(length) }
            }
            if try snapshot.fieldStatistics(field) != expected {
                problem("field \"\(schema.fields[field].name)\": statistics disagree with the field lengths")
            }
        }

        // Segments: consecutive, disjoint document ranges within 0 ..< next.
        var segmentByID: [UInt32: SegmentInfo] = [:]
        var previousEnd: UInt32 = 0
        for segment in snapshot.segments {
            if segment.firstDocument < previousEnd || segment.endDocument < segment.firstDocument || segment.endDocument > next {
                problem("segment \(segment.id): documents \(segment.firstDocument)..<\(segment.endDocument) overlap or exceed the index")
            }
            previousEnd = segment.endDocument
            segmentByID[segment.id] = segment
        }

        // Postings.
        var lists = Set<[UInt8]>()
        var docs = [UInt32](repeating: 0, count: 128), freqs = [UInt32](repeating: 0, count: 128), positions: [UInt32] = []
        try txn.forEach(in: layout.postings) { key, value in
            report.chunks += 1
            guard key.count >= 7 else { problem("postings: malformed key"); return true }
            let segmentID = IndexLayout.readBE(key, at: 0)
            let field = Int(key[4])
            let name = "postings \(segmentID)/\(field)/\(String(decoding: key[6...], as: UTF8.self))"
            guard let segment = segmentByID[segmentID] else { problem("\(name): segment \(segmentID) is not live"); return true }
            guard field < schema.fields.count, let kind = IndexLayout.TermKind(rawValue: key[5]) else {
                problem("\(name): unknown field or kind"); return true
            }
            let type = schema.fields[field].type
            if (kind == .keyword) != (type == .keyword) || type == .integer || type == .double {
                problem("\(name): a \(kind) list in a \(type.rawValue) field")
            }
            lists.insert(Array(key[4...]))
            do {
                let chunk = try PostingChunk(value)
                let positionsValue = try txn.get(layout.positions, Array(key))
                if (kind == .exact) != (positionsValue != nil) { problem("\(name): positions \(kind == .exact ? "missing" : "unexpected")") }
                for block in 0..<chunk.blockCount {
                    let n = try docs.withUnsafeMutableBufferPointer { d in
                        try freqs.withUnsafeMutableBufferPointer { f in try chunk.decodeBlock(block, docs: d.baseAddress!, freqs: f.baseAddress!) }
                    }
                    if docs[0] < segment.firstDocument || docs[n - 1] >= segment.endDocument {
                        problem("\(name): documents outside the segment's range")
                    }
                    for i in 0..<n {
                        let isDeleted = docs[i] < next ? try deleted.isDeleted(docs[i]) : false
                        let known = docs[i] < next && (live.contains(docs[i]) || isDeleted)
                        if !known {
                            problem("\(name): posting for document \(docs[i]), which is neither live nor deleted")
                            break
                        }
                    }
                    if let positionsValue {
                        try freqs.withUnsafeBufferPointer { f in
                            try chunk.decodePositions(block, from: positionsValue, freqs: f.baseAddress!, count: n, into: &positions)
                        }
                        var k = 0
                        for i in 0..<n {
                            for j in 1..<max(1, Int(freqs[i])) where positions[k + j] <= positions[k + j - 1] {
                                problem("\(name): positions of document \(docs[i]) do not ascend")
                            }
                            k += Int(freqs[i])
                        }
                    }
                    report.postings += n
                }
            } catch {
                problem("\(name): chunk does not decode: \(error)")
            }
            return true
        }
        report.postingLists = lists.count
        var strayPositions = 0
        try txn.forEach(in: layout.positions) { key, _ in
            if try txn.get(layout.postings, Array(key)) == nil { strayPositions += 1 }
            return true
        }
        if strayPositions > 0 { problem("positions: \(strayPositions) entries without postings") }

        // File records.
        try txn.forEach(in: layout.files) { key, value in
            do { _ = try FileRecord(value) } catch { problem("files: record of \(String(decoding: key, as: UTF8.self)) does not decode") }
            return true
        }
        return report
    }
}

extension SearchIndex {
    /// Test support: flips bytes in the block data of the largest posting chunk, the kind
    /// of damage a disk or a bug could cause, so tests can check that `check()` sees it.
    public func damageForTesting() throws {
        let layout = self.layout
        try environment.write { txn in
            var largest: ([UInt8], [UInt8])?
            try txn.forEach(in: layout.postings) { key, value in
                if value.count > (largest?.1.count ?? 0) { largest = (Array(key), Array(value)) }
                return true
            }
            guard var (key, value) = largest else { return }
            for i in stride(from: value.count / 2, to: value.count, by: 3) { value[i] ^= 0x5A }
            try txn.put(layout.postings, key, value)
            key.removeAll()
        }
    }
}

extension SearchIndex {
    /// Writes a compact, consistent copy of the index into `directory` (which must be new
    /// or empty), while writers go on: the copy is the last commit when it started.
    /// Ready to ship to another machine and open there.
    public func snapshot(to directory: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try? fm.contentsOfDirectory(atPath: directory))?.isEmpty == true else {
                throw FihrisError(.invalidArgument, "\(directory) exists and is not an empty directory; a snapshot needs a new place")
            }
        } else {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw FihrisError(.io, "cannot create \(directory): \(FolderSource.reason(error))")
            }
        }
        try withContext("snapshot \(path) to \(directory)") { try environment.copy(to: directory, compact: true) }
    }

    /// Calls `body` with every stored document, in document order (`fihris export`).
    public func forEachDocument(_ body: (Document) throws -> Void) throws {
        try withContext("export \(path)") {
            try environment.read { txn in
                let snapshot = try IndexSnapshot(txn: txn.view, layout: layout, cache: schemaCache)
                try txn.forEach(in: layout.docs) { _, value in
                    try body(try StoredDocumentCodec.decode(value, schema: snapshot.schema))
                    return true
                }
            }
        }
    }
}
