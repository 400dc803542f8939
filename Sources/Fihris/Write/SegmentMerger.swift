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
        // Every term of the sources (TermID bytes), with the segments holding it, in key order.
        var bySuffix: [[UInt8]: [UInt32]] = [:]
        var suffixes: [[UInt8]] = []
        for source in sources {
            try snapshot.forEachTermSuffix(segment: source.id) { raw in
                let suffix = Array(raw)
                if bySuffix[suffix] == nil { suffixes.append(suffix) }
                bySuffix[suffix, default: []].append(source.id)
            }
        }
        suffixes.sort { $0.lexicographicallyPrecedes($1) }
        var deleted = try snapshot.deletedDocuments()
        var docs: [UInt32] = [], freqs: [UInt32] = [], positions: [UInt32] = [], lengths: [UInt16] = []
        var norms: [Int: NormsReader] = [:]
        try ScratchArena.scoped { arena in
            var cursor = PostingCursor(PostingList(chunks: [], positions: []), arena: &arena)
            for suffix in suffixes {
                let term = try TermID.decode(suffix: suffix)
                docs.removeAll(keepingCapacity: true)
                freqs.removeAll(keepingCapacity: true)
                positions.removeAll(keepingCapacity: true)
                for segment in bySuffix[suffix]! {
                    guard let (chunk, positionsValue) = try snapshot.chunk(TermKey(segment: segment, term: term)) else { continue }
                    cursor.reset(to: PostingList(chunks: [chunk], positions: [term.kind.hasPositions ? positionsValue : nil]))
                    while let (blockDocs, blockFreqs) = try cursor.nextBlock() {
                        let blockPositions = term.kind.hasPositions ? try cursor.blockPositionList() : []
                        var p = 0
                        for i in 0..<blockDocs.count {
                            let f = Int(blockFreqs[i])
                            if try !deleted.contains(Int(blockDocs[i])) {
                                docs.append(blockDocs[i])
                                freqs.append(blockFreqs[i])
                                if term.kind.hasPositions { positions.append(contentsOf: blockPositions[p..<(p + f)]) }
                            }
                            p += f
                        }
                    }
                }
                guard !docs.isEmpty else { continue }
                lengths.removeAll(keepingCapacity: true)
                if !term.kind.hasFrequencies {
                    lengths.append(contentsOf: repeatElement(1, count: docs.count))
                } else {
                    // One reader per field, taken out of the table for the term (no lookup per document).
                    var reader = norms.removeValue(forKey: term.field) ?? snapshot.norms(term.field)
                    for d in docs { lengths.append(try reader.length(Int(d))) }
                    norms[term.field] = reader
                }
                try txn.appendChunk(segment: merged.id, term: suffix[...], docs: docs, freqs: term.kind.hasFrequencies ? freqs : nil,
                                    lengths: lengths, positions: term.kind.hasPositions ? positions : nil)
            }
        }
        for source in sources { try txn.deleteSegment(source.id) }
        let ids = Set(sources.map(\.id))
        let position = segments.firstIndex { ids.contains($0.id) } ?? segments.count
        segments.removeAll { ids.contains($0.id) }
        segments.insert(merged, at: position)
    }
}
