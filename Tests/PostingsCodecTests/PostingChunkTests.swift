import Testing
import PostingsCodec

struct RandomPostings {
    var docs: [UInt32] = []
    var freqs: [UInt32] = []
    var lengths: [UInt16] = []
    var positions: [UInt32] = []

    init(count: Int, seed: UInt64) {
        var rng = Xorshift(seed)
        var doc = UInt32(rng.next() % 1000)
        for _ in 0..<count {
            docs.append(doc)
            // Gaps from 1 to very large, so every bit width shows up.
            let gap = rng.next() % 5 == 0 ? UInt32(rng.next() % 100_000) + 1 : UInt32(rng.next() % 8) + 1
            doc += gap
            let f = rng.next() % 10 == 0 ? UInt32(rng.next() % 70_000) % 300 + 1 : UInt32(rng.next() % 3) + 1
            freqs.append(f)
            lengths.append(UInt16(rng.next() % 2000) + UInt16(f))
            var p = UInt32(rng.next() % 50)
            for _ in 0..<f {
                positions.append(p)
                p += UInt32(rng.next() % 40) + 1
            }
        }
    }
}

struct Xorshift {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
}

@Suite struct BitPackingTests {
    @Test(arguments: 0...32)
    func everyWidthRoundTrips(width: Int) throws {
        var rng = Xorshift(UInt64(width + 1))
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
        for count in [1, 7, 64, 127, 128] {
            var values = (0..<count).map { _ in UInt32(rng.next() & mask) }
            if width > 0 { values[0] = UInt32(mask) }  // force exactly this width
            var bytes: [UInt8] = []
            values.withUnsafeBufferPointer { BitPacking.pack($0, into: &bytes) }
            #expect(bytes.count == BitPacking.encodedSize(count: count, width: width))
            var decoded = [UInt32](repeating: 99, count: count)
            let end = try bytes.withUnsafeBytes { raw in
                try decoded.withUnsafeMutableBufferPointer { try BitPacking.unpack(raw, at: 0, count: count, into: $0.baseAddress!) }
            }
            #expect(end == bytes.count)
            #expect(decoded == values)
        }
    }
}

/// A chunk's positions: inside it (a short chunk), else the separate value.
func withPositions<R>(_ chunk: PostingChunk, _ separate: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws -> R) throws -> R {
    if let inline = chunk.inlinePositions { return try body(inline) }
    guard let separate else { return try body(nil) }
    return try separate.withUnsafeBytes { try body($0) }
}

@Suite struct PostingChunkTests {
    func decodeAll(_ postings: [UInt8], _ separatePositions: [UInt8]?) throws -> (docs: [UInt32], freqs: [UInt32], positions: [UInt32]) {
        try postings.withUnsafeBytes { raw in
            let chunk = try PostingChunk(raw)
            return try withPositions(chunk, separatePositions) { try decodeAll(chunk, $0) }
        }
    }

    func decodeAll(_ chunk: PostingChunk, _ positionsValue: UnsafeRawBufferPointer?) throws -> (docs: [UInt32], freqs: [UInt32], positions: [UInt32]) {
        var docs: [UInt32] = [], freqs: [UInt32] = [], positions: [UInt32] = []
        var d = [UInt32](repeating: 0, count: 128), f = [UInt32](repeating: 0, count: 128), p: [UInt32] = []
        for block in 0..<chunk.blockCount {
            let n = try d.withUnsafeMutableBufferPointer { db in
                try f.withUnsafeMutableBufferPointer { fb in try chunk.decodeBlock(block, docs: db.baseAddress!, freqs: fb.baseAddress!) }
            }
            docs += d[0..<n]
            freqs += f[0..<n]
            if let positionsValue {
                try f.withUnsafeBufferPointer { try chunk.decodePositions(block, from: positionsValue, freqs: $0.baseAddress!, count: n, into: &p) }
                positions += p
            }
        }
        return (docs, freqs, positions)
    }

    @Test(arguments: [1, 2, 127, 128, 129, 255, 256, 1000, 5000])
    func roundTripWithPositions(count: Int) throws {
        let r = RandomPostings(count: count, seed: UInt64(count))
        let (postings, positions) = r.docs.withUnsafeBufferPointer { d in
            r.freqs.withUnsafeBufferPointer { f in
                r.lengths.withUnsafeBufferPointer { l in
                    r.positions.withUnsafeBufferPointer { p in PostingChunkBuilder.build(docs: d, freqs: f, lengths: l, positions: p) }
                }
            }
        }
        let decoded = try decodeAll(postings, positions)
        #expect(decoded.docs == r.docs)
        #expect(decoded.freqs == r.freqs)
        #expect(decoded.positions == r.positions)
        // Skip entries bound each block.
        try postings.withUnsafeBytes { raw in
            let chunk = try PostingChunk(raw)
            #expect(chunk.documentCount == count)
            // One block: a short chunk holding its positions; more: positions apart.
            #expect(chunk.flags.contains(.short) == (count <= 128))
            #expect((positions == nil) == (count <= 128))
            #expect((chunk.inlinePositions != nil) == (count <= 128))
            for block in 0..<chunk.blockCount {
                let entry = chunk.skipEntry(block)
                let range = (block * 128)..<min(block * 128 + 128, count)
                #expect(entry.lastDoc == r.docs[range.upperBound - 1])
                #expect(Int(entry.maxFrequency) == Int(min(r.freqs[range].max()!, 65535)))
                #expect(entry.minLength == r.lengths[range].min()!)
            }
        }
    }

    /// Impacts (long chunks): every document's BM25 score is at most its block's bound and
    /// the chunk's, for several BM25 settings; the bound is reached by a document of the
    /// block when no pairs were merged (≤ 8 competitive pairs), and the impacts are the
    /// block's competitive pairs exactly then (brute force: no document beats a pair on both).
    @Test(arguments: [129, 1000, 5000])
    func impactsBoundEveryDocumentAndAreTight(count: Int) throws {
        let r = RandomPostings(count: count, seed: UInt64(count) &+ 77)
        let (postings, _) = r.docs.withUnsafeBufferPointer { d in
            r.freqs.withUnsafeBufferPointer { f in
                r.lengths.withUnsafeBufferPointer { l in PostingChunkBuilder.build(docs: d, freqs: f, lengths: l, positions: nil) }
            }
        }
        try postings.withUnsafeBytes { raw in
            let chunk = try PostingChunk(raw)
            for (k1, b, average) in [(Float(1.2), Float(0.75), Float(300)), (2.0, 0.3, 50), (0.9, 1.0, 1500)] {
                let base = k1 * (1 - b), perToken = k1 * b / average
                func bm25(_ f: UInt32, _ l: UInt16) -> Float { Float(f) * (k1 + 1) / (Float(f) + base + perToken * Float(l)) }
                let whole = chunk.chunkMaxBM25(k1: k1, base: base, perToken: perToken)
                var tight = 0
                for block in 0..<chunk.blockCount {
                    let range = (block * 128)..<min(block * 128 + 128, count)
                    let bound = chunk.blockMaxBM25(block, k1: k1, base: base, perToken: perToken)
                    let best = range.map { bm25(r.freqs[$0], r.lengths[$0]) }.max()!
                    #expect(best <= bound * (1 + 1e-6), "block \(block)")
                    #expect(best <= whole * (1 + 1e-6))
                    let pairs = chunk.impacts(block)
                    #expect(!pairs.isEmpty && pairs.count <= PostingChunk.maximumImpacts)
                    let frontier = range.filter { i in
                        !range.contains { j in
                            (r.freqs[j] > r.freqs[i] && r.lengths[j] <= r.lengths[i]) || (r.freqs[j] >= r.freqs[i] && r.lengths[j] < r.lengths[i])
                        }
                    }
                    let competitive = Set(frontier.map { "\(r.freqs[$0])/\(r.lengths[$0])" })
                    if competitive.count <= PostingChunk.maximumImpacts {
                        #expect(Set(pairs.map { "\($0.frequency)/\($0.length)" }) == competitive, "block \(block)")
                        #expect(abs(best - bound) <= bound * 1e-5, "block \(block): the bound is reached")
                        tight += 1
                    }
                }
                #expect(tight > 0)
            }
        }
    }

    @Test func keywordPostingsHaveNoFrequencies() throws {
        let docs: [UInt32] = [0, 5, 6, 900]
        let lengths = [UInt16](repeating: 1, count: 4)
        let (postings, positions) = docs.withUnsafeBufferPointer { d in
            lengths.withUnsafeBufferPointer { PostingChunkBuilder.build(docs: d, freqs: nil, lengths: $0, positions: nil) }
        }
        #expect(positions == nil)
        let decoded = try decodeAll(postings, nil)
        #expect(decoded.docs == docs)
        #expect(decoded.freqs == [1, 1, 1, 1])
    }

    /// Long (300 documents) and short (1 and 60) chunks, with positions and without.
    @Test(arguments: [(300, false), (60, false), (60, true), (1, true)])
    func damagedChunksThrowInsteadOfLying(count: Int, withPositions: Bool) throws {
        let r = RandomPostings(count: count, seed: 9)
        let (postings, _) = r.docs.withUnsafeBufferPointer { d in
            r.freqs.withUnsafeBufferPointer { f in
                r.lengths.withUnsafeBufferPointer { l in
                    r.positions.withUnsafeBufferPointer { p in
                        PostingChunkBuilder.build(docs: d, freqs: f, lengths: l, positions: withPositions ? p : nil)
                    }
                }
            }
        }
        // Every truncation fails.
        for cut in stride(from: 0, to: postings.count, by: count > 128 ? 7 : 1) {
            #expect(throws: CodecError.self) { _ = try decodeAll(Array(postings[..<cut]), nil) }
        }
        // A flipped bit in the data or skip table is caught by the lastDoc check (or width).
        var caught = 0
        for offset in stride(from: count > 128 ? PostingChunk.headerSize : 2, to: postings.count, by: count > 128 ? 5 : 1) {
            var damaged = postings
            damaged[offset] ^= 0x10
            do {
                let decoded = try decodeAll(damaged, nil)
                if decoded.docs == r.docs && decoded.freqs != r.freqs { caught += 0 }  // freq damage is undetectable
            } catch { caught += 1 }
        }
        #expect(caught > 0)
    }
}

/// One document's positions, decoded from its own groups only, equal the slice of the
/// whole block's decoding: every document of random chunks (frequencies up to 300, so a
/// document's positions span several 128-value groups).
@Suite struct DocumentPositionsTests {
    @Test(arguments: [1, 129, 1000, 3000])
    func oneDocumentEqualsItsSliceOfTheBlock(count: Int) throws {
        let r = RandomPostings(count: count, seed: UInt64(count) &* 7919)
        let (postings, positionsValue) = r.docs.withUnsafeBufferPointer { d in
            r.freqs.withUnsafeBufferPointer { f in
                r.lengths.withUnsafeBufferPointer { l in
                    r.positions.withUnsafeBufferPointer { p in PostingChunkBuilder.build(docs: d, freqs: f, lengths: l, positions: p) }
                }
            }
        }
        try postings.withUnsafeBytes { raw in
            let chunk = try PostingChunk(raw)
            try withPositions(chunk, positionsValue) { praw in
                let praw = try #require(praw)
                var d = [UInt32](repeating: 0, count: 128), f = [UInt32](repeating: 0, count: 128)
                var block: [UInt32] = [], one: [UInt32] = []
                var scratch = [UInt32](repeating: 0, count: 128)
                var checked = 0
                for b in 0..<chunk.blockCount {
                    let n = try d.withUnsafeMutableBufferPointer { db in
                        try f.withUnsafeMutableBufferPointer { fb in try chunk.decodeBlock(b, docs: db.baseAddress!, freqs: fb.baseAddress!) }
                    }
                    try f.withUnsafeBufferPointer { try chunk.decodePositions(b, from: praw, freqs: $0.baseAddress!, count: n, into: &block) }
                    let total = f[0..<n].reduce(0) { $0 + Int($1) }
                    var start = 0
                    for i in 0..<n {
                        try scratch.withUnsafeMutableBufferPointer { s in
                            try chunk.decodePositions(b, from: praw, start: start, freq: Int(f[i]), total: total, scratch: s.baseAddress!, into: &one)
                        }
                        #expect(one == Array(block[start..<(start + Int(f[i]))]), "block \(b) document \(i)")
                        start += Int(f[i])
                        checked += 1
                    }
                }
                #expect(checked == count)
                // A range past the block is an error, not a read past the data.
                #expect(throws: CodecError.self) {
                    try scratch.withUnsafeMutableBufferPointer { s in
                        try chunk.decodePositions(0, from: praw, start: 0, freq: 1_000_000, total: 10, scratch: s.baseAddress!, into: &one)
                    }
                }
            }
        }
    }
}

/// Found by the posting-chunk fuzzer (Fuzz/, scripts/fuzz.sh): frequencies claiming more
/// positions than the positions value can hold made the block decoder reserve 15 GB. It is
/// a codec error now, before any allocation.
@Suite struct FuzzFindingsTests {
    /// Found by the fuzzer on format 10: a short chunk whose document span is a varint near
    /// 2^64 overflowed when added to its first document (a trap, the process killed). It
    /// is a codec error now.
    @Test func aShortChunkWithAHugeSpanIsAnError() throws {
        let bytes: [UInt8] = [0x07, 0x02, 0x26, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x15, 0x06, 0x08, 0xB6, 0xFE, 0xA5, 0x0B, 0x5D, 0x28, 0x08]
        #expect(throws: CodecError.self) { try bytes.withUnsafeBytes { _ = try PostingChunk($0) } }
    }

    @Test func frequenciesClaimingMorePositionsThanTheBytesHoldAreAnError() throws {
        let docs: [UInt32] = [3, 9], freqs: [UInt32] = [2, 1], lengths: [UInt16] = [5, 5], positions: [UInt32] = [1, 4, 2]
        let built = docs.withUnsafeBufferPointer { d in freqs.withUnsafeBufferPointer { f in lengths.withUnsafeBufferPointer { l in
            positions.withUnsafeBufferPointer { p in PostingChunkBuilder.build(docs: d, freqs: f, lengths: l, positions: p) } } } }
        #expect(built.positions == nil)   // a short chunk: they are inside it
        try built.postings.withUnsafeBytes { raw in
            let chunk = try PostingChunk(raw)
            try withPositions(chunk, nil) { pos in
                let pos = try #require(pos)
                var out: [UInt32] = []
                // The true frequencies decode.
                try freqs.withUnsafeBufferPointer { try chunk.decodePositions(0, from: pos, freqs: $0.baseAddress!, count: 2, into: &out) }
                #expect(out == [1, 4, 2])
                // Frequencies of 4 billion: an error, not a 15 GB reservation.
                let huge: [UInt32] = [4_000_000_000, 4_000_000_000]
                #expect(throws: CodecError.self) {
                    try huge.withUnsafeBufferPointer { try chunk.decodePositions(0, from: pos, freqs: $0.baseAddress!, count: 2, into: &out) }
                }
                let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
                defer { scratch.deallocate() }
                #expect(throws: CodecError.self) {
                    try chunk.decodePositions(0, from: pos, start: 0, freq: 1_000_000_000, total: 2_000_000_000, scratch: scratch, into: &out)
                }
            }
        }
    }
}
