/// A set of document numbers as one bit each (dense keyword filters: `collection:bukhari`
/// holds half the index). Immutable once built, shared between searches (`IndexCache`).
final class DocumentBitSet: Sendable {
    let words: [UInt64]
    /// Documents below this number.
    let end: Int

    init(words: [UInt64], end: Int) { (self.words, self.end) = (words, end) }

    /// Every document of `list` (deleted ones included, as in the list itself).
    static func build(_ list: PostingList, end: Int, arena: inout ScratchArena) throws -> DocumentBitSet {
        var words = [UInt64](repeating: 0, count: (end + 63) / 64)
        var cursor = PostingCursor(list, arena: &arena)
        while case let d = try cursor.next(), d != noMoreDocs {
            guard d < end else { throw FihrisError(.corrupted, "index is damaged: a keyword list holds document \(d), past the \(end) numbered") }
            words[d >> 6] |= 1 << UInt64(d & 63)
        }
        return DocumentBitSet(words: words, end: end)
    }
}

/// A cursor over a `DocumentBitSet`: a filter check is one bit, and a seek scans words.
struct DocumentBits: DocSet {
    let set: DocumentBitSet
    let cost: Int
    private(set) var doc = -1

    init(_ set: DocumentBitSet, cost: Int) { (self.set, self.cost) = (set, cost) }

    mutating func next() throws -> Int { try seek(doc + 1) }

    @inline(__always)
    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        guard target < set.end else { doc = noMoreDocs; return doc }
        doc = set.words.withUnsafeBufferPointer { words in
            var w = target >> 6
            var bits = words[w] & (~0 << UInt64(target & 63))
            while bits == 0 {
                w += 1
                if w == words.count { return noMoreDocs }
                bits = words[w]
            }
            let d = w << 6 | bits.trailingZeroBitCount
            return d < set.end ? d : noMoreDocs
        }
        return doc
    }
}
