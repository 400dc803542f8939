import PostingsCodec

/// Top k of a lone prefix, which scores every match alike: its k lowest document numbers.
/// Decodes only the first block of each covered term's chunks, straight from the dictionary
/// scan, without materializing the union.
///
/// Invariant: the documents equal the first k of `TermExpansion.documents` (valid only when
/// no document is deleted: the planner checks).
enum LowestDocuments {
    static func collect(_ snapshot: IndexSnapshot, field: Int, prefix: [UInt8], k: Int, label: String,
                        arena: inout ScratchArena) throws -> [UInt32] {
        var found = Set<UInt32>()
        var count = 0
        let docs = arena.block()
        for segment in snapshot.segments {
            try snapshot.forEachTerm(segment: segment.id, field: field, kind: .exact, from: prefix) { term, chunk in
                guard term.starts(with: prefix) else { return false }
                count += 1
                if count > TermExpansion.maximumTerms * max(1, snapshot.segments.count) { throw TermExpansion.tooMany(label) }
                let n = try chunk.decodeBlock(0, docs: docs, freqs: nil)
                for i in 0..<min(n, k) { found.insert(docs[i]) }
                return true
            }
        }
        return Array(found.sorted().prefix(k))
    }
}
