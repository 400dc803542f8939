import Dispatch
import PostingsCodec
import TextAnalysis
import ZstdCodec

/// The postings of one term within a batch; document numbers are batch-relative until the
/// commit adds the batch's first number.
struct TermPostings {
    var docs: [UInt32] = []
    var freqs: [UInt32] = []
    var positions: [UInt32] = []
}

/// The terms of one share of a batch and their postings (document numbers relative to the
/// share's first document).
struct TermPart {
    /// Keys are `fieldNumber, kind, term bytes`.
    var terms = TermTable()
    var postings: [TermPostings] = []
    /// The share's first document, relative to the batch.
    var firstDocument: UInt32 = 0
}

/// A batch of documents analyzed in memory, ready to be written in one transaction:
/// postings per (field, kind, term), field lengths, numeric values, encoded stored
/// documents. Built on all cores: each core analyzes a contiguous share of the documents;
/// the shares' columns are concatenated, their term lists are not (that would hold every
/// list twice): `forEachTerm` walks the shares' terms in key order, joining a term's lists.
struct DocumentBatch {
    /// One per share, in document order.
    var parts: [TermPart] = [TermPart()]
    /// Per field number: the field length of each document (text fields; else empty).
    var lengths: [[UInt16]]
    /// Per field number: raw 64-bit values (integer bits or double bits), `missing` when absent.
    var numbers: [[UInt64]]
    /// Per document: its `docs` value (`StoredDocumentCodec`, compressed).
    var storedDocuments: [[UInt8]] = []
    var contentHashes: [UInt64] = []
    var count = 0

    static let missing = ColumnReader.missing
    /// Positions between two values of one field, so no phrase spans them.
    static let valueGap = 100

    init(fieldCount: Int) {
        lengths = Array(repeating: [], count: fieldCount)
        numbers = Array(repeating: [], count: fieldCount)
    }

    /// Analyzes `documents` (already accepted by `schema`) on up to `cores` threads.
    /// `dictionary`: what stored documents are compressed with (nil: zstd alone).
    static func build(_ documents: [Document], schema: Schema, hashes: [UInt64?],
                      dictionary: (number: UInt32, dictionary: Zstd.Dictionary)? = nil, cores: Int) throws -> DocumentBatch {
        let shares = max(1, min(cores, documents.count / 64))
        if shares == 1 {
            var batch = DocumentBatch(fieldCount: schema.fields.count)
            try batch.add(documents[...], hashes: hashes[...], schema: schema, dictionary: dictionary)
            return batch
        }
        let size = (documents.count + shares - 1) / shares
        nonisolated(unsafe) var results = [Result<DocumentBatch, any Error>?](repeating: nil, count: shares)
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: shares) { share in
                let range = (share * size)..<min(documents.count, (share + 1) * size)
                slots[share] = Result {
                    var batch = DocumentBatch(fieldCount: schema.fields.count)
                    try batch.add(documents[range], hashes: hashes[range], schema: schema, dictionary: dictionary)
                    return batch
                }
            }
        }
        var merged = try results[0]!.get()
        for k in results.indices.dropFirst() {
            merged.append(try results[k]!.get())
            results[k] = nil  // each share's columns are moved, not kept twice
        }
        return merged
    }

    /// Calls `body` with every term (its `fieldNumber, kind, term bytes` key) in key order,
    /// with its postings over the whole batch: document numbers batch-relative, the shares'
    /// lists joined.
    func forEachTerm(_ body: (_ key: ArraySlice<UInt8>, _ docs: [UInt32], _ freqs: [UInt32], _ positions: [UInt32]) throws -> Void) throws {
        let orders = parts.map { part in
            (0..<part.terms.count).sorted { part.terms.key($0).lexicographicallyPrecedes(part.terms.key($1)) }
        }
        var next = [Int](repeating: 0, count: parts.count)
        var docs: [UInt32] = [], freqs: [UInt32] = [], positions: [UInt32] = []
        while true {
            // The smallest key among the shares' next terms, and which shares hold it.
            var least: ArraySlice<UInt8>? = nil
            for p in parts.indices where next[p] < orders[p].count {
                let key = parts[p].terms.key(orders[p][next[p]])
                if least.map({ key.lexicographicallyPrecedes($0) }) ?? true { least = key }
            }
            guard let key = least else { return }
            var holders: [Int] = []
            for p in parts.indices where next[p] < orders[p].count && parts[p].terms.key(orders[p][next[p]]) == key { holders.append(p) }
            if holders.count == 1 && parts[holders[0]].firstDocument == 0 {
                let postings = parts[holders[0]].postings[orders[holders[0]][next[holders[0]]]]
                try body(key, postings.docs, postings.freqs, postings.positions)
            } else {
                docs.removeAll(keepingCapacity: true)
                freqs.removeAll(keepingCapacity: true)
                positions.removeAll(keepingCapacity: true)
                for p in holders {
                    let postings = parts[p].postings[orders[p][next[p]]]
                    let offset = parts[p].firstDocument
                    docs.append(contentsOf: postings.docs.lazy.map { $0 + offset })
                    freqs.append(contentsOf: postings.freqs)
                    positions.append(contentsOf: postings.positions)
                }
                try body(key, docs, freqs, positions)
            }
            for p in holders { next[p] += 1 }
        }
    }

    private mutating func add(_ documents: ArraySlice<Document>, hashes: ArraySlice<UInt64?>, schema: Schema,
                                  dictionary: (number: UInt32, dictionary: Zstd.Dictionary)?) throws {
        var analyzers = AnalyzerCache()
        func analyzer(_ options: AnalyzerOptions) throws -> Analyzer { try analyzers.analyzer(options) }
        var key: [UInt8] = []
        var vocalizedTerm: [UInt8] = []
        var roots = RootCache()
        let fieldCount = schema.fields.count
        var fieldLength = [Int](repeating: 0, count: fieldCount)
        var fieldPosition = [Int](repeating: 0, count: fieldCount)
        var seen = [Bool](repeating: false, count: fieldCount)
        for (document, hash) in zip(documents, hashes) {
            let doc = UInt32(count)
            for i in 0..<fieldCount { fieldLength[i] = 0; fieldPosition[i] = 0; seen[i] = false }
            for field in document.fields {
                guard let number = schema.fieldNumber(field.name) else { continue }
                let definition = schema.fields[number]
                switch definition.type {
                case .text:
                    var text = field.value.description
                    let a = try analyzer(definition.analyzerOptions)
                    let rootsIndexed = definition.indexesRoots, harakatIndexed = definition.indexesHarakat
                    let start = seen[number] ? fieldPosition[number] + Self.valueGap : 0
                    seen[number] = true
                    fieldPosition[number] = try text.withUTF8 { utf8 in
                        try a.analyze(utf8: utf8, firstPosition: start) { token in
                            if !token.isAlternative { fieldLength[number] += 1 }
                            post(&key, number, .exact, token.term, doc, position: UInt32(token.position))
                            post(&key, number, .stem, token.stem, doc, position: nil)
                            if harakatIndexed, !token.vocalization.isEmpty,
                               let marks = Vocalization.stemMarks(term: token.term, stem: token.stem, marks: token.vocalization) {
                                vocalizedTerm.removeAll(keepingCapacity: true)
                                VocalizedTerm.encode(stem: token.stem, marks: marks, into: &vocalizedTerm)
                                vocalizedTerm.withUnsafeBufferPointer { post(&key, number, .vocalized, $0, doc, position: UInt32(token.position)) }
                            }
                            if rootsIndexed, let root = roots.root(token, in: utf8) {
                                root.withUnsafeBufferPointer { post(&key, number, .root, $0, doc, position: UInt32(token.position)) }
                            }
                        }
                    }
                case .keyword:
                    var text = field.value.description
                    try text.withUTF8 { utf8 in
                        try analyzer(definition.analyzerOptions).analyze(utf8: utf8) { token in
                            post(&key, number, .keyword, token.term, doc, position: nil)
                        }
                    }
                case .integer, .double:
                    if numbers[number].count <= Int(doc) {
                        numbers[number].append(contentsOf: repeatElement(Self.missing, count: Int(doc) + 1 - numbers[number].count))
                        switch (definition.type, field.value) {
                        case (.integer, .integer(let i)): numbers[number][Int(doc)] = ColumnReader.encode(integer: i)
                        case (.integer, .double(let d)): numbers[number][Int(doc)] = ColumnReader.encode(integer: Int64(d))
                        case (.double, .integer(let i)): numbers[number][Int(doc)] = ColumnReader.encode(double: Double(i))
                        case (.double, .double(let d)): numbers[number][Int(doc)] = ColumnReader.encode(double: d)
                        default: break
                        }
                    }  // a second value of a numeric field is stored, not indexed
                }
            }
            for number in 0..<fieldCount where schema.fields[number].type == .text {
                if lengths[number].count < Int(doc) {
                    lengths[number].append(contentsOf: repeatElement(0, count: Int(doc) - lengths[number].count))
                }
                lengths[number].append(UInt16(min(fieldLength[number], Int(UInt16.max))))
            }
            let stored = StoredDocumentCodec.encode(document, schema: schema)
            contentHashes.append(hash ?? stored.withUnsafeBufferPointer { TermTable.hash($0) })
            storedDocuments.append(try StoredDocumentCodec.compress(stored, dictionary: dictionary))
            count += 1
        }
        // Columns reach the batch's end, so they can be concatenated.
        for number in 0..<fieldCount where numbers[number].count < count && (schema.fields[number].type == .integer || schema.fields[number].type == .double) {
            numbers[number].append(contentsOf: repeatElement(Self.missing, count: count - numbers[number].count))
        }
    }

    @inline(__always)
    private mutating func post(_ key: inout [UInt8], _ field: Int, _ kind: TermKind,
                               _ term: UnsafeBufferPointer<UInt8>, _ doc: UInt32, position: UInt32?) {
        key.removeAll(keepingCapacity: true)
        key.append(UInt8(field))
        key.append(kind.rawValue)
        key.append(contentsOf: term)
        var inserted = false
        let last = parts.count - 1
        let entry = key.withUnsafeBufferPointer { parts[last].terms.entry(for: $0, inserted: &inserted) }
        if inserted { parts[last].postings.append(TermPostings()) }
        parts[last].postings[entry].record(doc, position: position)
    }

    /// Appends `other` (one share, built alone), whose documents follow this batch's: its
    /// term lists become a part of their own.
    mutating func append(_ other: consuming DocumentBatch) {
        let offset = UInt32(count)
        for var part in other.parts {
            part.firstDocument += offset
            parts.append(part)
        }
        for field in lengths.indices {
            if !other.lengths[field].isEmpty || !lengths[field].isEmpty {
                lengths[field].append(contentsOf: repeatElement(0, count: count - lengths[field].count))
                lengths[field].append(contentsOf: other.lengths[field])
            }
            if !other.numbers[field].isEmpty || !numbers[field].isEmpty {
                numbers[field].append(contentsOf: repeatElement(Self.missing, count: count - numbers[field].count))
                numbers[field].append(contentsOf: other.numbers[field])
            }
        }
        storedDocuments.append(contentsOf: other.storedDocuments)
        contentHashes.append(contentsOf: other.contentHashes)
        count += other.count
    }
}

/// Roots of words, computed once per distinct reading of a batch share.
struct RootCache {
    private var cache = RootExtractor.Cache()
    private var root: [UInt8] = []

    mutating func root(_ token: TokenView, in text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let term = token.term
        guard term.count >= 4, term[0] >= 0xD8 && term[0] <= 0xDB else { return nil }
        root.removeAll(keepingCapacity: true)
        let surface = UnsafeBufferPointer(rebasing: text[token.byteRange])
        return cache.root(term: term, surface: surface, vocalization: token.vocalization, into: &root) ? root : nil
    }
}

extension TermPostings {
    /// Counts one occurrence of the term in `doc` (documents arrive in order).
    @inline(__always)
    mutating func record(_ doc: UInt32, position: UInt32?) {
        if docs.last == doc {
            freqs[freqs.count - 1] += 1
        } else {
            docs.append(doc)
            freqs.append(1)
        }
        if let position { positions.append(position) }
    }
}
