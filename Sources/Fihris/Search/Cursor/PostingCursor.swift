import PostingsCodec

/// One term's postings across segments: the leaf of every scorer. Decodes one block at a
/// time into arena buffers; skips whole chunks and blocks by their skip entries; reads
/// positions of the current block on demand (exact-form lists opened with positions).
struct PostingCursor: DocSet {
    let list: PostingList
    private var c = 0, b = -1, i = 0, n = 0
    private let docs: UnsafeMutablePointer<UInt32>
    private let freqs: UnsafeMutablePointer<UInt32>
    private(set) var doc = -1
    /// The shallow scan position for skip-entry-only bounds (moves forward only).
    private var scan = (chunk: 0, block: 0)
    private var blockPositions: [UInt32] = []
    private var positionsOf = (chunk: -1, block: -1)
    /// Where each document's positions start in its block (prefix sums of the freqs).
    private var positionStarts: [Int] = []
    private var startsOf = (chunk: -1, block: -1)
    private var documentPositions: [UInt32] = []
    private var documentPositionsOf = (chunk: -1, block: -1, index: -1)
    private let positionScratch: UnsafeMutablePointer<UInt32>
    /// The search's time limit, spent per decoded block (nil: none).
    private var budget: QueryBudget?

    /// A cursor over no documents (it needs no buffers: it never decodes).
    static var empty: PostingCursor { PostingCursor() }

    private init() {
        let none = UnsafeMutablePointer<UInt32>(bitPattern: 8)!
        self.init(PostingList(chunks: [], positions: []), docs: none, freqs: none, scratch: none)
    }

    init(_ list: PostingList, arena: inout ScratchArena) {
        self.init(list, docs: arena.block(), freqs: arena.block(), scratch: arena.block())
        budget = arena.budget
    }

    /// The same cursor over another list, reusing its buffers (walking many lists one
    /// after another, as merging and checking do, takes no memory per list).
    mutating func reset(to list: PostingList) {
        var fresh = PostingCursor(list, docs: docs, freqs: freqs, scratch: positionScratch)
        fresh.budget = budget
        swap(&fresh.blockPositions, &blockPositions)   // keep the positions buffers' capacity
        swap(&fresh.positionStarts, &positionStarts)
        swap(&fresh.documentPositions, &documentPositions)
        self = fresh
    }

    private init(_ list: PostingList, docs: UnsafeMutablePointer<UInt32>, freqs: UnsafeMutablePointer<UInt32>,
                 scratch: UnsafeMutablePointer<UInt32>) {
        (self.list, self.docs, self.freqs, positionScratch) = (list, docs, freqs, scratch)
    }

    var cost: Int { list.documentFrequency }

    /// The current document's term frequency.
    var freq: UInt32 { freqs[i] }

    @inline(__always)
    mutating func next() throws -> Int {
        if doc == noMoreDocs { return doc }
        i += 1
        if i >= n {
            if c < list.chunks.count && b + 1 < list.chunks[c].blockCount {
                b += 1
            } else {
                c += 1
                guard c < list.chunks.count else { doc = noMoreDocs; return doc }
                b = 0
            }
            n = try list.chunks[c].decodeBlock(b, docs: docs, freqs: freqs)
            i = 0
            try budget?.spend()
        }
        doc = Int(docs[i])
        return doc
    }

    @inline(__always)
    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        if n > 0 && i < n && Int(docs[n - 1]) >= target {
            while Int(docs[i]) < target { i += 1 }
            doc = Int(docs[i])
            return doc
        }
        while c < list.chunks.count && Int(list.chunks[c].lastDoc(ofBlock: list.chunks[c].blockCount - 1)) < target { c += 1; b = -1; n = 0 }
        guard c < list.chunks.count else { doc = noMoreDocs; return doc }
        var nb = max(b, 0)
        while Int(list.chunks[c].lastDoc(ofBlock: nb)) < target { nb += 1 }
        if nb != b || n == 0 {
            b = nb
            n = try list.chunks[c].decodeBlock(b, docs: docs, freqs: freqs)
            i = 0
            try budget?.spend()
        }
        while Int(docs[i]) < target { i += 1 }
        doc = Int(docs[i])
        return doc
    }

    /// Block-at-a-time walking (merging): decodes the next whole block and leaves the
    /// cursor on its last document; nil at the end.
    mutating func nextBlock() throws -> (docs: UnsafeBufferPointer<UInt32>, freqs: UnsafeBufferPointer<UInt32>)? {
        i = n - 1
        guard try next() != noMoreDocs else { return nil }
        i = n - 1
        doc = Int(docs[i])
        return (UnsafeBufferPointer(start: docs, count: n), UnsafeBufferPointer(start: freqs, count: n))
    }

    /// The positions of every document of the current block, document after document.
    mutating func blockPositionList() throws -> [UInt32] {
        try decodePositions()
        return blockPositions
    }

    /// The positions of the current document (lists opened with positions; else empty).
    /// Decodes only the document's own groups of positions, not its block's (a phrase
    /// checks a few documents of a frequent word's block).
    mutating func positions() throws -> ArraySlice<UInt32> {
        guard let value = list.positions[c] else { return [] }
        if startsOf != (c, b) {
            if positionStarts.count < n + 1 { positionStarts = [Int](repeating: 0, count: BitPacking.blockSize + 1) }
            var sum = 0
            for k in 0..<n { positionStarts[k] = sum; sum += Int(freqs[k]) }
            positionStarts[n] = sum
            startsOf = (c, b)
        }
        if documentPositionsOf != (c, b, i) {
            try budget?.spend()
            try list.chunks[c].decodePositions(b, from: value, start: positionStarts[i], freq: Int(freqs[i]), total: positionStarts[n],
                                               scratch: positionScratch, into: &documentPositions)
            documentPositionsOf = (c, b, i)
        }
        return documentPositions[...]
    }

    private mutating func decodePositions() throws {
        guard let value = list.positions[c] else { blockPositions.removeAll(); return }
        if positionsOf != (c, b) {
            try list.chunks[c].decodePositions(b, from: value, freqs: freqs, count: n, into: &blockPositions)
            positionsOf = (c, b)
        }
    }

    /// The skip entry of the block that holds `target` or follows it, from skip entries
    /// only; nil past the end. Calls must not go backwards.
    @inline(__always)
    mutating func shallowSeek(_ target: Int) -> PostingChunk.SkipEntry? {
        Self.shallowSeek(list.chunks, target, &scan)
    }

    @inline(__always)
    static func shallowSeek(_ chunks: [PostingChunk], _ target: Int, _ scan: inout (chunk: Int, block: Int)) -> PostingChunk.SkipEntry? {
        while scan.chunk < chunks.count {
            let chunk = chunks[scan.chunk]
            while scan.block < chunk.blockCount && Int(chunk.lastDoc(ofBlock: scan.block)) < target { scan.block += 1 }
            if scan.block < chunk.blockCount { return chunk.skipEntry(scan.block) }
            scan.chunk += 1
            scan.block = 0
        }
        return nil
    }

    /// The best BM25 score (weight 1) of the block that holds `target` or follows it
    /// (`PostingChunk.blockMaxBM25`: its impacts), and that block's last document; nil past
    /// the end. Calls must not go backwards.
    @inline(__always)
    mutating func blockBound(from target: Int, _ scoring: FieldScoring) -> (unit: Float, last: Int)? {
        guard shallowSeek(target) != nil else { return nil }
        let chunk = list.chunks[scan.chunk]
        return (chunk.blockMaxBM25(scan.block, k1: scoring.k1, base: scoring.base, perToken: scoring.perToken),
                Int(chunk.lastDoc(ofBlock: scan.block)))
    }

    /// The best BM25 score (weight 1) over the blocks holding documents in `target...last`
    /// (their impacts), and moves the shallow scan to `target`.
    @inline(__always)
    mutating func bound(from target: Int, to last: Int, _ scoring: FieldScoring) -> Float {
        var probe = scan
        var best: Float = 0
        var first = target
        while first <= last, let entry = Self.shallowSeek(list.chunks, first, &probe) {
            best = max(best, list.chunks[probe.chunk].blockMaxBM25(probe.block, k1: scoring.k1, base: scoring.base, perToken: scoring.perToken))
            first = Int(entry.lastDoc) + 1
            probe.block += 1
        }
        _ = shallowSeek(target)
        return best
    }

    /// The best BM25 score (weight 1) any document of the list can reach.
    func bound(_ scoring: FieldScoring) -> Float {
        var best: Float = 0
        for chunk in list.chunks { best = max(best, chunk.chunkMaxBM25(k1: scoring.k1, base: scoring.base, perToken: scoring.perToken)) }
        return best
    }
}
