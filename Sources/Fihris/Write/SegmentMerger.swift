import PostingsCodec

extension CommitState {
    /// Size tier of a segment: segments of one tier differ in size by less than 4×.
    static func tier(_ size: Int) -> Int {
        var tier = 0, bound = 1024
        while size >= bound * 4 { bound *= 4; tier += 1 }
        return tier
    }

    /// Tiered merging with fan-out 4: whenever the newest segments include four of the same
    /// size tier, they are merged into one (deleted documents dropped). A query then reads
    /// O(log₄ n) segments and each posting is rewritten O(log₄ n) times.
    mutating func applyMergePolicy(txn: borrowing IndexMutation) throws {
        while segments.count >= 4 {
            let tier = Self.tier(segments[segments.count - 1].size)
            var run = 1
            while run < segments.count && Self.tier(segments[segments.count - 1 - run].size) == tier { run += 1 }
            guard run >= 4 else { return }
            try merge(Array(segments.suffix(run)), txn: txn)
        }
    }

    /// Merges consecutive segments into one new segment at the end of the postings table,
    /// decoding each chunk through the same cursor that search uses.
    mutating func merge(_ sources: [SegmentInfo], txn: borrowing IndexMutation) throws {
        guard let first = sources.first, let last = sources.last else { return }
        let merged = SegmentInfo(id: nextSegment, firstDocument: first.firstDocument, endDocument: last.endDocument)
        nextSegment += 1
        // Every term of the sources, with the segments holding it, in key order.
        var bySegment: [TermID: [UInt32]] = [:]
        var order: [(bytes: [UInt8], term: TermID)] = []
        for source in sources {
            for key in try snapshot.termKeys(segment: source.id) {
                if bySegment[key.term] == nil {
                    order.append((TermKey.prefix(segment: 0, field: key.term.field, kind: key.term.kind, term: key.term.text), key.term))
                }
                bySegment[key.term, default: []].append(source.id)
            }
        }
        order.sort { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        let terms = order.map(\.term)
        var deleted = try snapshot.deletedDocuments()
        var docs: [UInt32] = [], freqs: [UInt32] = [], positions: [UInt32] = [], lengths: [UInt16] = []
        var norms: [Int: NormsReader] = [:]
        try ScratchArena.scoped { arena in
            for term in terms {
                docs.removeAll(keepingCapacity: true)
                freqs.removeAll(keepingCapacity: true)
                positions.removeAll(keepingCapacity: true)
                for segment in bySegment[term]! {
                    guard let (chunk, positionsValue) = try snapshot.chunk(TermKey(segment: segment, term: term)) else { continue }
                    var cursor = PostingCursor(PostingList(chunks: [chunk], positions: [term.kind == .exact ? positionsValue : nil]),
                                               arena: &arena)
                    while try cursor.next() != noMoreDocs {
                        guard try !deleted.contains(cursor.doc) else { continue }
                        docs.append(UInt32(cursor.doc))
                        freqs.append(cursor.freq)
                        if term.kind == .exact { positions.append(contentsOf: try cursor.positions()) }
                    }
                }
                guard !docs.isEmpty else { continue }
                lengths.removeAll(keepingCapacity: true)
                if term.kind == .keyword {
                    lengths.append(contentsOf: repeatElement(1, count: docs.count))
                } else {
                    if norms[term.field] == nil { norms[term.field] = snapshot.norms(term.field) }
                    for d in docs { lengths.append(try norms[term.field]!.length(Int(d))) }
                }
                try txn.appendChunk(TermKey(segment: merged.id, term: term), docs: docs, freqs: term.kind == .keyword ? nil : freqs,
                                    lengths: lengths, positions: term.kind == .exact ? positions : nil)
            }
        }
        for source in sources { try txn.deleteSegment(source.id) }
        let ids = Set(sources.map(\.id))
        let position = segments.firstIndex { ids.contains($0.id) } ?? segments.count
        segments.removeAll { ids.contains($0.id) }
        segments.insert(merged, at: position)
    }
}
