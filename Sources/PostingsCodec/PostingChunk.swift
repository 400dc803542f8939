/// One chunk of a term's postings: up to millions of documents in blocks of 128, with a
/// skip entry per block so a reader can jump to a document and bound a block's best score
/// without decoding it. A term's postings are one or more chunks (see docs/FORMAT.md).
///
///     PostingChunk := LongChunk | ShortChunk          -- told apart by flags & short
///     LongChunk    := flags:u8 pad:u8{3} docCount:u32 blockCount:u32 baseDoc:u32
///                     impactsOffset:u32                  -- the whole chunk's Impacts; 0: none
///                     SkipEntry{blockCount} BlockData{blockCount}
///     SkipEntry    := lastDoc:u32 dataOffset:u32 positionsOffset:u32 maxFreq:u16 minLength:u16
///                     impactsOffset:u32                  -- where its Impacts are; 0: none
///     Impacts      := count:u8 (freq:u16 length:u16){count}  -- after the last BlockData;
///                                                             -- freq 65535: that or more
///     ShortChunk   := flags:u8 docCount−1:u8 baseDoc:varint lastDoc−baseDoc:varint
///                     maxFreq:varint minLength:varint
///                     [positionsSize:varint ChunkPositions{positionsSize bytes}]  (if flags & hasPositions)
///                     BlockData                        -- one block: at most 128 documents
///     BlockData    := PackedInts(document gaps) [PackedInts(freq - 1)]     (if flags & hasFreqs)
///     flags        := hasFrequencies 1 | hasPositions 2 | short 4
///
/// All integers little-endian. Block b holds documents 128·b ..< min(128·(b+1), docCount);
/// the first gap of block 0 is relative to baseDoc, of block b to block b-1's lastDoc.
/// `maxFreq` (saturated at 65535) and `minLength` (the shortest field length in the block)
/// bound the block's BM25 contribution from above, loosely (the two come from different
/// documents); a long chunk with frequencies also keeps each block's **impacts** (Lucene's
/// competitive pairs): the (frequency, length) pairs no other document of the block beats
/// on both (more frequent and no longer), at most 8 (neighbours merged into their
/// frequency's maximum and length's minimum), so that the block's best BM25 score is the
/// best over a handful of pairs — for a word in nearly every document the loose bound
/// passes the k-th score in every block, the impacts in few. A list of one block (most terms: 98% of
/// the hadith corpus's chunks) is a short chunk: its one skip entry in varints, its
/// positions inside it — 10 bytes for a word in one document, not 38 plus a second entry.
/// A long chunk's positions, when kept, live in a separate value of the same key:
///
///     ChunkPositions := per block: PackedInts(position gaps){⌈Σfreq / 128⌉}
///
/// where a document's first position is stored as is and the next ones as gaps.
public struct PostingChunk {
    public static let headerSize = 20
    public static let skipEntrySize = 20
    /// Impacts kept per block, at most.
    public static let maximumImpacts = 8

    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let hasFrequencies = Flags(rawValue: 1)
        public static let hasPositions = Flags(rawValue: 2)
        /// One block, its skip entry in varints, its positions inline.
        public static let short = Flags(rawValue: 4)
    }

    public struct SkipEntry: Equatable, Sendable {
        public var lastDoc: UInt32
        public var dataOffset: UInt32
        public var positionsOffset: UInt32
        public var maxFrequency: UInt16
        public var minLength: UInt16
        /// Where the block's impacts are in the chunk (0: none; short chunks have none).
        public var impactsOffset: UInt32 = 0
    }

    public let bytes: UnsafeRawBufferPointer
    public let documentCount: Int
    public let blockCount: Int
    public let baseDoc: UInt32
    public let flags: Flags
    let dataStart: Int
    /// A short chunk's one skip entry (a long chunk's are read from its bytes).
    private let shortEntry: SkipEntry
    private let isShort: Bool
    /// A short chunk's positions (flags has positions), which live inside it.
    public let inlinePositions: UnsafeRawBufferPointer?

    /// Validates the header and skip table sizes; block data is checked as it is decoded.
    public init(_ bytes: UnsafeRawBufferPointer) throws(CodecError) {
        guard bytes.count >= 2 else { throw CodecError("posting chunk of \(bytes.count) bytes has no header") }
        let flags = Flags(rawValue: bytes[0])
        guard flags.rawValue & ~7 == 0, !flags.contains(.hasPositions) || flags.contains(.hasFrequencies) else {
            throw CodecError("posting chunk has unknown flags \(bytes[0])")
        }
        self.bytes = bytes
        self.flags = flags
        if flags.contains(.short) {
            var reader = ByteReader(bytes)
            _ = try reader.bytes(2)
            let base = try reader.varint(), span = try reader.varint()
            let maxFrequency = try reader.varint(), minLength = try reader.varint()
            // (Each bounded before they are added: a varint may hold up to 2^64 − 1.)
            guard base <= UInt64(UInt32.max), span <= UInt64(UInt32.max) - base,
                  maxFrequency >= 1, maxFrequency <= 65535, minLength <= 65535 else {
                throw CodecError("short posting chunk has an impossible skip entry (documents \(base)+\(span), frequency \(maxFrequency), length \(minLength))")
            }
            var positions: UnsafeRawBufferPointer? = nil
            if flags.contains(.hasPositions) { positions = try reader.bytes(try reader.int()) }
            documentCount = Int(bytes[1]) + 1
            guard documentCount <= 128 else { throw CodecError("short posting chunk claims \(documentCount) documents") }
            blockCount = 1
            baseDoc = UInt32(base)
            shortEntry = SkipEntry(lastDoc: UInt32(base + span), dataOffset: 0, positionsOffset: 0,
                                   maxFrequency: UInt16(maxFrequency), minLength: UInt16(minLength))
            isShort = true
            inlinePositions = positions
            dataStart = reader.offset
            return
        }
        guard bytes.count >= Self.headerSize else { throw CodecError("posting chunk of \(bytes.count) bytes has no header") }
        let documentCount = Int(bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian)
        let blockCount = Int(bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian)
        guard documentCount > 0, blockCount == (documentCount + 127) / 128 else {
            throw CodecError("posting chunk claims \(documentCount) documents in \(blockCount) blocks")
        }
        let dataStart = Self.headerSize + blockCount * Self.skipEntrySize
        guard dataStart <= bytes.count else { throw CodecError("posting chunk skip table truncated") }
        // The chunk's own impacts end the value: a value cut anywhere after its block data
        // is caught here (block data by its decoding).
        let impacts = Int(bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian)
        guard impacts == 0 || (impacts >= dataStart && impacts < bytes.count && impacts + 1 + 4 * Int(bytes[impacts]) == bytes.count) else {
            throw CodecError("posting chunk's impacts at \(impacts) do not end its \(bytes.count) bytes")
        }
        self.documentCount = documentCount
        self.blockCount = blockCount
        self.baseDoc = bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian
        self.dataStart = dataStart
        shortEntry = SkipEntry(lastDoc: 0, dataOffset: 0, positionsOffset: 0, maxFrequency: 0, minLength: 0)
        isShort = false
        inlinePositions = nil
    }

    @inline(__always)
    public func skipEntry(_ block: Int) -> SkipEntry {
        if isShort { return shortEntry }
        let o = Self.headerSize + block * Self.skipEntrySize
        return SkipEntry(
            lastDoc: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian,
            dataOffset: bytes.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self).littleEndian,
            positionsOffset: bytes.loadUnaligned(fromByteOffset: o + 8, as: UInt32.self).littleEndian,
            maxFrequency: bytes.loadUnaligned(fromByteOffset: o + 12, as: UInt16.self).littleEndian,
            minLength: bytes.loadUnaligned(fromByteOffset: o + 14, as: UInt16.self).littleEndian,
            impactsOffset: bytes.loadUnaligned(fromByteOffset: o + 16, as: UInt32.self).littleEndian)
    }

    /// BM25 (weight 1) at its best over the whole chunk: over its own impacts (those of its
    /// blocks' impacts that no other beats), else over its blocks.
    @inline(__always)
    public func chunkMaxBM25(k1: Float, base: Float, perToken: Float) -> Float {
        if !isShort {
            let o = Int(bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian)
            if o > 0, let best = Self.impactsMaxBM25(bytes, at: o, k1: k1, base: base, perToken: perToken) { return best }
        }
        var best: Float = 0
        for b in 0..<blockCount { best = max(best, blockMaxBM25(b, k1: k1, base: base, perToken: perToken)) }
        return best
    }

    /// The best BM25 (weight 1) over the Impacts at `offset`, nil when there are none there.
    @inline(__always)
    static func impactsMaxBM25(_ bytes: UnsafeRawBufferPointer, at o: Int, k1: Float, base: Float, perToken: Float) -> Float? {
        guard o < bytes.count else { return nil }
        let count = Int(bytes[o])
        guard count > 0, o + 1 + 4 * count <= bytes.count else { return nil }
        var bestF: Float = 0, bestK: Float = 1
        for i in 0..<count {
            let f = impactFrequency(bytes.loadUnaligned(fromByteOffset: o + 1 + 4 * i, as: UInt16.self).littleEndian)
            let k = base + perToken * Float(bytes.loadUnaligned(fromByteOffset: o + 3 + 4 * i, as: UInt16.self).littleEndian)
            if f * bestK > bestF * k { (bestF, bestK) = (f, k) }
        }
        return bestF * (k1 + 1) / (bestF + bestK)
    }

    /// BM25's `f·(k1+1) / (f + base + perToken·length)` (weight 1) at its best over block
    /// `block`'s impacts (or its maximum frequency and minimum length): the pairs compared
    /// by cross-multiplying, one division at the end (a block bound is asked for every
    /// range of blocks a conjunction looks at).
    @inline(__always)
    public func blockMaxBM25(_ block: Int, k1: Float, base: Float, perToken: Float) -> Float {
        let entry = skipEntry(block)
        let o = Int(entry.impactsOffset)
        if o > 0, let best = Self.impactsMaxBM25(bytes, at: o, k1: k1, base: base, perToken: perToken) { return best }
        let f = Float(entry.maxFrequency)
        return f * (k1 + 1) / (f + base + perToken * Float(entry.minLength))
    }

    /// A stored impact frequency: 65535 stands for 65535 or more, so it bounds as unlimited.
    @inline(__always)
    static func impactFrequency(_ raw: UInt16) -> Float { raw == .max ? 1e30 : Float(raw) }

    /// The impacts of block `block` (frequency 65535: that or more); empty when it keeps none.
    public func impacts(_ block: Int) -> [(frequency: UInt32, length: UInt16)] {
        let o = Int(skipEntry(block).impactsOffset)
        guard o > 0, o < bytes.count else { return [] }
        let count = Int(bytes[o])
        guard o + 1 + 4 * count <= bytes.count else { return [] }
        return (0..<count).map { i in
            let f = bytes.loadUnaligned(fromByteOffset: o + 1 + 4 * i, as: UInt16.self).littleEndian
            return (f == .max ? UInt32.max : UInt32(f), bytes.loadUnaligned(fromByteOffset: o + 3 + 4 * i, as: UInt16.self).littleEndian)
        }
    }

    @inline(__always)
    public func lastDoc(ofBlock block: Int) -> UInt32 {
        if isShort { return shortEntry.lastDoc }
        return bytes.loadUnaligned(fromByteOffset: Self.headerSize + block * Self.skipEntrySize, as: UInt32.self).littleEndian
    }

    /// Number of documents in `block`.
    @inline(__always)
    public func count(ofBlock block: Int) -> Int {
        block == blockCount - 1 ? documentCount - 128 * block : 128
    }

    /// Decodes block `block` into `docs` (absolute document numbers) and, when the chunk has
    /// them, `freqs` (else 1s). Both must hold 128 values. Returns the block's count.
    @inline(__always)
    public func decodeBlock(_ block: Int, docs: UnsafeMutablePointer<UInt32>, freqs: UnsafeMutablePointer<UInt32>?) throws(CodecError) -> Int {
        let count = self.count(ofBlock: block)
        let entry = skipEntry(block)
        var offset = dataStart + Int(entry.dataOffset)
        offset = try BitPacking.unpack(bytes, at: offset, count: count, into: docs)
        let start = block == 0 ? baseDoc : lastDoc(ofBlock: block - 1)
        // Prefix sums in 64 bits: no per-value overflow check; gaps must be ≥ 1 (but the
        // chunk's very first) and the sum must land on the skip entry's last document.
        var sum = UInt64(start)
        var zeroGap = false
        for i in 0..<count {
            zeroGap = zeroGap || docs[i] == 0
            sum &+= UInt64(docs[i])
            docs[i] = UInt32(truncatingIfNeeded: sum)
        }
        if block == 0 && count > 0 && docs[0] == start {
            // The first gap of a chunk is 0 by construction; look at the others only.
            zeroGap = false
            var previous = docs[0]
            for i in 1..<max(count, 1) where i < count {
                if docs[i] == previous { zeroGap = true }
                previous = docs[i]
            }
        }
        guard !zeroGap, sum <= UInt64(UInt32.max) else {
            throw CodecError("document numbers do not ascend in block \(block)")
        }
        let previous = UInt32(sum)
        guard previous == entry.lastDoc else {
            throw CodecError("block \(block) ends at document \(previous), its skip entry says \(entry.lastDoc)")
        }
        if let freqs {
            if flags.contains(.hasFrequencies) {
                _ = try BitPacking.unpack(bytes, at: offset, count: count, into: freqs)
                for i in 0..<count { freqs[i] &+= 1 }
            } else {
                freqs.update(repeating: 1, count: count)
            }
        }
        return count
    }

    /// Decodes the positions of one document of block `block` into `output`: the document
    /// whose positions start at value `start` of the block's `total` (Σ freqs of the
    /// documents before it, and of all), `freq` of them. Only the groups of 128 values that
    /// hold them are unpacked; the others are skipped by their width bytes (a phrase checks
    /// one document of a frequent word's block, not all 128).
    /// `scratch` holds 128 values.
    public func decodePositions(_ block: Int, from positions: UnsafeRawBufferPointer, start: Int, freq: Int, total: Int,
                                scratch: UnsafeMutablePointer<UInt32>, into output: inout [UInt32]) throws(CodecError) {
        output.removeAll(keepingCapacity: true)
        guard freq > 0 else { return }
        guard start >= 0, start + freq <= total else { throw CodecError("positions \(start)..<\(start + freq) outside the block's \(total)") }
        var offset = Int(skipEntry(block).positionsOffset)
        guard offset >= 0, offset <= positions.count, total <= 128 * (positions.count - offset) else {
            throw CodecError("block \(block) claims \(total) positions, more than the \(max(0, positions.count - offset)) bytes after offset \(offset) can hold")
        }
        let firstGroup = start / 128, lastGroup = (start + freq - 1) / 128
        for g in 0..<firstGroup { offset = try BitPacking.skip(positions, at: offset, count: min(128, total - 128 * g)) }
        var position: UInt32 = 0
        for g in firstGroup...lastGroup {
            let count = min(128, total - 128 * g)
            offset = try BitPacking.unpack(positions, at: offset, count: count, into: scratch)
            let from = max(start, 128 * g) - 128 * g, to = min(start + freq, 128 * g + count) - 128 * g
            for k in from..<to {
                position = output.isEmpty ? scratch[k] : position &+ scratch[k]
                output.append(position)
            }
        }
    }

    /// Decodes the positions of block `block` (Σ freqs values, gaps resolved per document)
    /// from the chunk's positions value. `freqs` are the block's frequencies.
    public func decodePositions(_ block: Int, from positions: UnsafeRawBufferPointer, freqs: UnsafePointer<UInt32>,
                                count: Int, into output: inout [UInt32]) throws(CodecError) {
        var total = 0
        for i in 0..<count { total += Int(freqs[i]) }
        output.removeAll(keepingCapacity: true)
        var offset = Int(skipEntry(block).positionsOffset)
        // Each group of 128 values takes at least its width byte: a count the bytes cannot
        // hold is damage (and must not become a huge allocation).
        guard offset >= 0, offset <= positions.count, total <= 128 * (positions.count - offset) else {
            throw CodecError("block \(block) claims \(total) positions, more than the \(max(0, positions.count - offset)) bytes after offset \(offset) can hold")
        }
        output.reserveCapacity(total + 128)
        var remaining = total
        var group = [UInt32](repeating: 0, count: 128)
        while remaining > 0 {
            let n = min(128, remaining)
            offset = try group.withUnsafeMutableBufferPointer { (buffer) throws(CodecError) -> Int in
                try BitPacking.unpack(positions, at: offset, count: n, into: buffer.baseAddress!)
            }
            output.append(contentsOf: group[0..<n])
            remaining -= n
        }
        // Resolve gaps document by document.
        var k = 0
        for i in 0..<count {
            var position: UInt32 = 0
            for j in 0..<Int(freqs[i]) {
                position = j == 0 ? output[k] : position &+ output[k]
                output[k] = position
                k += 1
            }
        }
    }
}

/// Builds a chunk (and its positions) from a term's postings in document order.
public enum PostingChunkBuilder {
    /// - Parameters:
    ///   - docs: ascending document numbers (at least one).
    ///   - freqs: the term frequency of each document, or nil (keyword postings: all 1).
    ///   - lengths: each document's field length (for the block score bound).
    ///   - positions: all positions, document after document (Σ freqs values), or nil.
    /// - Returns: the postings value and, when `positions` was given, the positions value.
    public static func build(docs: UnsafeBufferPointer<UInt32>, freqs: UnsafeBufferPointer<UInt32>?,
                             lengths: UnsafeBufferPointer<UInt16>,
                             positions: UnsafeBufferPointer<UInt32>?) -> (postings: [UInt8], positions: [UInt8]?) {
        precondition(!docs.isEmpty && lengths.count == docs.count)
        let count = docs.count
        let blockCount = (count + 127) / 128
        var flags: PostingChunk.Flags = []
        if freqs != nil { flags.insert(.hasFrequencies) }
        if positions != nil { flags.insert(.hasPositions) }
        if blockCount == 1 { return (short(docs: docs, freqs: freqs, lengths: lengths, positions: positions, flags: flags), nil) }
        var header = [UInt8]()
        header.reserveCapacity(PostingChunk.headerSize + blockCount * PostingChunk.skipEntrySize)
        header.append(flags.rawValue)
        header.append(contentsOf: [0, 0, 0])
        appendLE(UInt32(count), &header)
        appendLE(UInt32(blockCount), &header)
        appendLE(docs[0], &header)
        appendLE(UInt32(0), &header)   // impactsOffset of the whole chunk, written below
        var impacts = [UInt8]()
        var allPairs: [(UInt32, UInt16)] = []
        var impactOffsets: [Int] = []   // per block, into `impacts`; -1: none
        var data = [UInt8]()
        data.reserveCapacity(count * 2)
        var positionsData: [UInt8]? = positions == nil ? nil : []
        var scratch = [UInt32](repeating: 0, count: 128)
        var positionCursor = 0
        var previous = docs[0]
        for block in 0..<blockCount {
            let start = block * 128, end = min(start + 128, count)
            let dataOffset = UInt32(data.count)
            let positionsOffset = UInt32(positionsData?.count ?? 0)
            var maxFrequency: UInt32 = 1
            var minLength = UInt16.max
            for i in start..<end {
                scratch[i - start] = docs[i] - previous
                previous = docs[i]
                minLength = min(minLength, lengths[i])
                if let freqs { maxFrequency = max(maxFrequency, freqs[i]) }
            }
            scratch.withUnsafeBufferPointer { BitPacking.pack(UnsafeBufferPointer(rebasing: $0[0..<(end - start)]), into: &data) }
            if let freqs {
                for i in start..<end { scratch[i - start] = freqs[i] - 1 }
                scratch.withUnsafeBufferPointer { BitPacking.pack(UnsafeBufferPointer(rebasing: $0[0..<(end - start)]), into: &data) }
            }
            if let positions, let freqs {
                packPositions(positions, freqs: freqs, documents: start..<end, cursor: &positionCursor, into: &positionsData!)
            }
            if let freqs {
                impactOffsets.append(impacts.count)
                let pairs = competitivePairs(freqs: UnsafeBufferPointer(rebasing: freqs[start..<end]),
                                             lengths: UnsafeBufferPointer(rebasing: lengths[start..<end]))
                appendImpacts(pairs, to: &impacts)
                allPairs += pairs
            } else {
                impactOffsets.append(-1)
            }
            appendLE(docs[end - 1], &header)
            appendLE(dataOffset, &header)
            appendLE(positionsOffset, &header)
            appendLE(UInt16(min(maxFrequency, 65535)), &header)
            appendLE(minLength, &header)
            appendLE(UInt32(0), &header)   // impactsOffset, written below
        }
        // Impacts follow the block data: their offsets are known once it is complete.
        let impactsStart = header.count + data.count
        for (block, offset) in impactOffsets.enumerated() where offset >= 0 {
            let at = PostingChunk.headerSize + block * PostingChunk.skipEntrySize + 16
            withUnsafeBytes(of: UInt32(impactsStart + offset).littleEndian) { header.replaceSubrange(at..<(at + 4), with: $0) }
        }
        if !allPairs.isEmpty {
            // The chunk's own: the blocks' impacts that no other beats (each bounds its
            // documents, so these bound every document).
            let whole = allPairs.map(\.0).withUnsafeBufferPointer { f in
                allPairs.map(\.1).withUnsafeBufferPointer { l in competitivePairs(freqs: f, lengths: l) }
            }
            withUnsafeBytes(of: UInt32(impactsStart + impacts.count).littleEndian) { header.replaceSubrange(16..<20, with: $0) }
            appendImpacts(whole, to: &impacts)
        }
        return (header + data + impacts, positionsData)
    }

    static func appendImpacts(_ pairs: [(UInt32, UInt16)], to output: inout [UInt8]) {
        output.append(UInt8(pairs.count))
        for (f, l) in pairs {
            appendLE(UInt16(min(f, 65535)), &output)
            appendLE(l, &output)
        }
    }

    /// The (frequency, length) pairs of a block that no other of its documents beats on both
    /// (as frequent or more, and as short or shorter), most frequent first, at most
    /// `PostingChunk.maximumImpacts`: beyond that, the neighbours closest in frequency are
    /// merged into (the larger frequency, the smaller length), still a bound of both.
    static func competitivePairs(freqs: UnsafeBufferPointer<UInt32>, lengths: UnsafeBufferPointer<UInt16>) -> [(UInt32, UInt16)] {
        var pairs = (0..<freqs.count).map { (freqs[$0], lengths[$0]) }
        pairs.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        var frontier: [(UInt32, UInt16)] = []
        for pair in pairs where frontier.isEmpty || pair.1 < frontier[frontier.count - 1].1 { frontier.append(pair) }
        while frontier.count > PostingChunk.maximumImpacts {
            var closest = 0
            for i in 1..<(frontier.count - 1) where frontier[i].0 - frontier[i + 1].0 < frontier[closest].0 - frontier[closest + 1].0 {
                closest = i
            }
            frontier[closest] = (frontier[closest].0, frontier[closest + 1].1)
            frontier.remove(at: closest + 1)
        }
        return frontier
    }

    /// A list of one block as a short chunk, its positions inside it.
    private static func short(docs: UnsafeBufferPointer<UInt32>, freqs: UnsafeBufferPointer<UInt32>?,
                              lengths: UnsafeBufferPointer<UInt16>, positions: UnsafeBufferPointer<UInt32>?,
                              flags: PostingChunk.Flags) -> [UInt8] {
        let count = docs.count
        var output: [UInt8] = [flags.union(.short).rawValue, UInt8(count - 1)]
        output.reserveCapacity(16 + count * 2)
        Varint.append(UInt64(docs[0]), to: &output)
        Varint.append(UInt64(docs[count - 1] - docs[0]), to: &output)
        Varint.append(UInt64(min(freqs?.max() ?? 1, 65535)), to: &output)
        Varint.append(UInt64(lengths.min()!), to: &output)
        if let positions, let freqs {
            var packed: [UInt8] = []
            var cursor = 0
            packPositions(positions, freqs: freqs, documents: 0..<count, cursor: &cursor, into: &packed)
            Varint.append(packed.count, to: &output)
            output.append(contentsOf: packed)
        }
        var scratch = [UInt32](repeating: 0, count: count)
        var previous = docs[0]
        for i in 0..<count { scratch[i] = docs[i] - previous; previous = docs[i] }
        scratch.withUnsafeBufferPointer { BitPacking.pack($0, into: &output) }
        if let freqs {
            for i in 0..<count { scratch[i] = freqs[i] - 1 }
            scratch.withUnsafeBufferPointer { BitPacking.pack($0, into: &output) }
        }
        return output
    }

    /// The positions of `documents` (from `cursor` on in `positions`), as gaps within each
    /// document, packed in groups of 128 across them.
    private static func packPositions(_ positions: UnsafeBufferPointer<UInt32>, freqs: UnsafeBufferPointer<UInt32>,
                                      documents: Range<Int>, cursor: inout Int, into output: inout [UInt8]) {
        var gaps: [UInt32] = []
        for i in documents {
            var last: UInt32 = 0
            for j in 0..<Int(freqs[i]) {
                let p = positions[cursor]
                gaps.append(j == 0 ? p : p - last)
                last = p
                cursor += 1
            }
        }
        var g = 0
        while g < gaps.count {
            let n = min(128, gaps.count - g)
            gaps.withUnsafeBufferPointer { BitPacking.pack(UnsafeBufferPointer(rebasing: $0[g..<(g + n)]), into: &output) }
            g += n
        }
    }

    @inline(__always)
    static func appendLE<T: FixedWidthInteger>(_ value: T, _ output: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
    }
}
