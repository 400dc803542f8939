import PostingsCodec

/// Top k of a lone prefix, which scores every match alike: its k lowest document numbers.
/// Decodes only the blocks of each covered term's chunks that may hold one of them (the
/// first, for k ≤ 128), straight from the dictionary scan, without materializing the union;
/// stops at the first segment after k are found (segments are in document order).
///
/// Invariant: the documents equal the first k of `TermExpansion.documents` (valid only when
/// no document is deleted: the planner checks).
enum LowestDocuments {
    static func collect(_ snapshot: IndexSnapshot, field: Int, prefix: [UInt8], k: Int, label: String,
                        arena: inout ScratchArena) throws -> [UInt32] {
        guard k > 0 else { return [] }
        // The k lowest so far, ascending and distinct. Segments are in document order, so
        // once k are found no later segment can hold a lower one; within a block documents
        // ascend, so a term's scan stops at the first document not below the k-th.
        var lowest: [UInt32] = []
        lowest.reserveCapacity(k + 1)
        var count = 0
        let docs = arena.block()
        for segment in snapshot.segments {
            if lowest.count == k { break }
            try snapshot.forEachTerm(segment: segment.id, field: field, kind: .exact, from: prefix) { term, chunk in
                guard term.starts(with: prefix) else { return false }
                count += 1
                if count > TermExpansion.maximumTerms * max(1, snapshot.segments.count) { throw TermExpansion.tooMany(label) }
                // Blocks in order, while they may hold one of the k lowest (k > 128 reads on).
                blocks: for block in 0..<chunk.blockCount {
                    let n = try chunk.decodeBlock(block, docs: docs, freqs: nil)
                    for i in 0..<n {
                        let doc = docs[i]
                        if lowest.count == k && doc >= lowest[k - 1] { break blocks }
                        var low = 0, high = lowest.count
                        while low < high { let mid = (low + high) / 2; if lowest[mid] < doc { low = mid + 1 } else { high = mid } }
                        if low < lowest.count && lowest[low] == doc { continue }
                        lowest.insert(doc, at: low)
                        if lowest.count > k { lowest.removeLast() }
                    }
                }
                return true
            }
        }
        return lowest
    }
}
