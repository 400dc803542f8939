import PostingsCodec

/// Multi-term queries (prefixes, keyword ranges) rewritten into the union of the terms they
/// cover, as a constant-score document list (Lucene's MultiTermQuery constant-score
/// rewrite). At most `TermExpansion.maximumTerms` distinct terms.
///
/// Invariant: the documents equal the union of every covered term's postings.
enum TermExpansion {
    /// The most distinct terms a prefix or range may cover.
    static let maximumTerms = 1024

    /// Which terms of one field and kind are covered.
    struct Range {
        var prefix: [UInt8]?
        var lower: (bytes: [UInt8], inclusive: Bool)?
        var upper: (bytes: [UInt8], inclusive: Bool)?

        /// Where a scan of the term dictionary starts.
        var start: [UInt8] { prefix ?? lower?.bytes ?? [] }

        /// Whether `term` is covered; nil when it and every later term are past the range.
        func covers(_ term: [UInt8]) -> Bool? {
            if let prefix, !term.starts(with: prefix) { return nil }
            if let (low, inclusive) = lower, !inclusive && term == low { return false }
            if let (high, inclusive) = upper {
                if high.lexicographicallyPrecedes(term) { return nil }
                if !inclusive && term == high { return nil }
            }
            return true
        }
    }

    /// The covered terms (those `accept` keeps), in any order.
    static func terms(_ snapshot: IndexSnapshot, field: Int, kind: TermKind, _ range: Range, label: String,
                      accept: ([UInt8]) -> Bool = { _ in true }) throws -> Set<[UInt8]> {
        var terms = Set<[UInt8]>()
        for segment in snapshot.segments {
            try snapshot.forEachTerm(segment: segment.id, field: field, kind: kind, from: range.start) { bytes, _ in
                let term = Array(bytes)
                guard let covered = range.covers(term) else { return false }
                if covered && accept(term) { terms.insert(term) }
                if terms.count > maximumTerms { throw tooMany(label) }
                return true
            }
        }
        return terms
    }

    /// The union of the covered terms' documents, scoring `constant`; nil when no term is
    /// covered.
    static func documents(_ snapshot: IndexSnapshot, field: Int, kind: TermKind, _ range: Range, constant: Float,
                          label: String, arena: inout ScratchArena,
                          accept: ([UInt8]) -> Bool = { _ in true }) throws -> DocumentList? {
        let terms = try terms(snapshot, field: field, kind: kind, range, label: label, accept: accept)
        guard !terms.isEmpty else { return nil }
        var bits = [UInt64](repeating: 0, count: (Int(snapshot.nextDocument) + 63) / 64)
        var cursor = PostingCursor(PostingList(chunks: [], positions: []), arena: &arena)
        for term in terms {
            guard let list = try snapshot.postings(TermID(field: field, kind: kind, text: term)) else { continue }
            cursor.reset(to: list)
            while try cursor.next() != noMoreDocs { bits[cursor.doc >> 6] |= 1 << UInt64(cursor.doc & 63) }
        }
        var docs: [UInt32] = []
        for (w, word) in bits.enumerated() where word != 0 {
            var x = word
            while x != 0 { docs.append(UInt32(w * 64 + x.trailingZeroBitCount)); x &= x - 1 }
        }
        return DocumentList(docs: docs, constant: constant, label: label)
    }

    static func tooMany(_ label: String) -> FihrisError {
        FihrisError(.invalidQuery, "invalid query: \(label) matches more than \(maximumTerms) words; narrow it")
    }
}
