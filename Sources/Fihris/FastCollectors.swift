import LMDBStore
import PostingsCodec

/// A posting list cursor as a value (no reference counting in the scoring loops).
struct BlockCursor {
    let chunks: [PostingChunk]
    private var c = 0, b = -1, i = 0, n = 0
    let docs: UnsafeMutablePointer<UInt32>
    let freqs: UnsafeMutablePointer<UInt32>
    private(set) var doc = -1

    init(_ chunks: [PostingChunk]) {
        self.chunks = chunks
        docs = .allocate(capacity: 128)
        freqs = .allocate(capacity: 128)
    }

    func free() { docs.deallocate(); freqs.deallocate() }

    var freq: UInt32 { freqs[i] }

    @inline(__always)
    mutating func next() throws -> Int {
        if doc == noMoreDocs { return doc }
        i += 1
        if i >= n {
            if c < chunks.count && b + 1 < chunks[c].blockCount {
                b += 1
            } else {
                c += 1
                guard c < chunks.count else { doc = noMoreDocs; return doc }
                b = 0
            }
            n = try chunks[c].decodeBlock(b, docs: docs, freqs: freqs)
            i = 0
        }
        doc = Int(docs[i])
        return doc
    }

    @inline(__always)
    mutating func advance(_ target: Int) throws -> Int {
        if doc == noMoreDocs || doc >= target { return doc }
        if n > 0 && i < n && Int(docs[n - 1]) >= target {
            while Int(docs[i]) < target { i += 1 }
            doc = Int(docs[i])
            return doc
        }
        while c < chunks.count && Int(chunks[c].lastDoc(ofBlock: chunks[c].blockCount - 1)) < target { c += 1; b = -1; n = 0 }
        guard c < chunks.count else { doc = noMoreDocs; return doc }
        var nb = max(b, 0)
        while Int(chunks[c].lastDoc(ofBlock: nb)) < target { nb += 1 }
        if nb != b || n == 0 {
            b = nb
            n = try chunks[c].decodeBlock(b, docs: docs, freqs: freqs)
            i = 0
        }
        while Int(docs[i]) < target { i += 1 }
        doc = Int(docs[i])
        return doc
    }
}

extension BlockCursor {
    /// The skip entry of the block that holds `target` or follows it, found from the skip
    /// entries only (a separate scan position moving forward); nil past the end.
    mutating func shallowBlock(_ target: Int, scan: inout (chunk: Int, block: Int)) -> PostingChunk.SkipEntry? {
        while scan.chunk < chunks.count {
            let chunk = chunks[scan.chunk]
            while scan.block < chunk.blockCount && Int(chunk.lastDoc(ofBlock: scan.block)) < target { scan.block += 1 }
            if scan.block < chunk.blockCount { return chunk.skipEntry(scan.block) }
            scan.chunk += 1
            scan.block = 0
        }
        return nil
    }
}

/// Field lengths through a pointer into the current 4096-document chunk.
struct NormsPointer {
    let txn: TransactionView
    let db: Database
    let field: Int
    private var chunk = -1
    private var buffer = UnsafeRawBufferPointer(start: nil, count: 0)

    init(txn: TransactionView, db: Database, field: Int) {
        self.txn = txn
        self.db = db
        self.field = field
    }

    @inline(__always)
    mutating func length(_ doc: Int) throws -> Float {
        let c = doc >> 12
        if c != chunk {
            buffer = try txn.get(db, IndexLayout.fieldChunkKey(field: field, chunk: c)) ?? UnsafeRawBufferPointer(start: nil, count: 0)
            chunk = c
        }
        let slot = doc & 4095
        guard (slot + 1) * 2 <= buffer.count else { return 0 }
        return Float(UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: slot * 2, as: UInt16.self)))
    }
}

/// A query word as a value: its stem's list (matching and scoring) and its exact form's
/// list (bonus).
struct WordCursor {
    var stem: BlockCursor
    var exact: BlockCursor?
    let stemWeight: Float
    let exactWeight: Float
    let scoring: FieldScoring
    var norms: NormsPointer
    let maxScore: Float

    init(_ word: WordScorer, snapshot: IndexSnapshot) {
        stem = BlockCursor(word.stem.postings.chunks)
        exact = word.exact.map { BlockCursor($0.postings.chunks) }
        stemWeight = word.stem.weight
        exactWeight = word.exact?.weight ?? 0
        scoring = word.stem.scoring
        norms = NormsPointer(txn: snapshot.txn, db: snapshot.layout.norms, field: word.stem.norms.values.field ?? 0)
        maxScore = word.maxScore
    }

    func free() { stem.free(); exact?.free() }

    var doc: Int { stem.doc }

    @inline(__always)
    mutating func score() throws -> Float {
        let d = stem.doc
        let length = try norms.length(d)
        var s = scoring.score(weight: stemWeight, freq: Float(stem.freq), length: length)
        if exact != nil {
            if try exact!.advance(d) == d { s += scoring.score(weight: exactWeight, freq: Float(exact!.freq), length: length) }
        }
        return s
    }
}

extension WordCursor {
    /// An upper bound of this word's score for documents from `target` to the returned
    /// last document (the stem's block holding `target`, plus the exact form's best block
    /// over that range); nil when the word has no documents at or after `target`.
    mutating func blockBound(_ target: Int, stemScan: inout (chunk: Int, block: Int),
                             exactScan: inout (chunk: Int, block: Int)) -> (bound: Float, last: Int)? {
        guard let entry = stem.shallowBlock(target, scan: &stemScan) else { return nil }
        var bound = scoring.score(weight: stemWeight, freq: Float(entry.maxFrequency), length: Float(entry.minLength))
        let last = Int(entry.lastDoc)
        if exact != nil {
            var scan = exactScan
            var best: Float = 0
            var first = target
            while first <= last, let e = exact!.shallowBlock(first, scan: &scan) {
                best = max(best, scoring.score(weight: exactWeight, freq: Float(e.maxFrequency), length: Float(e.minLength)))
                first = Int(e.lastDoc) + 1
                scan.block += 1
            }
            _ = exact!.shallowBlock(target, scan: &exactScan)
            bound += best
        }
        return (bound, last)
    }
}

extension QueryExecutor {
    /// Top-k of a conjunction of words (`+a +b`) with block-max skipping: the words'
    /// block bounds at the candidate are added up, and when they cannot beat the k-th
    /// score the candidate jumps past the nearest block end. Equals exhaustive evaluation;
    /// the total is a lower bound.
    func collectConjunctionWords(_ words: [WordScorer], k: Int, filters: Filters = Filters(iterators: [])) throws -> (TopDocs, Int) {
        var cursors = words.map { WordCursor($0, snapshot: snapshot) }.sorted { $0.stem.chunks.reduce(0) { $0 + $1.documentCount } < $1.stem.chunks.reduce(0) { $0 + $1.documentCount } }
        defer { for c in cursors { c.free() } }
        let n = cursors.count
        var stemScans = [(chunk: Int, block: Int)](repeating: (0, 0), count: n)
        var exactScans = [(chunk: Int, block: Int)](repeating: (0, 0), count: n)
        var top = TopDocs(k: k)
        let hasDeletions = try snapshot.txn.count(snapshot.layout.deleted) > 0
        var deleted = DeletedReader(snapshot)
        var visited = 0
        var boundUntil = -1          // the cached bound holds for candidates up to here
        var cachedBound: Float = .infinity
        try cursors.withUnsafeMutableBufferPointer { s in
            var candidate = try s[0].stem.next()
            outer: while candidate != noMoreDocs {
                if top.isFull {
                    // Block-max: the best these blocks can do together, once per block range.
                    if candidate > boundUntil {
                        var bound: Float = 0
                        var nearestEnd = Int.max
                        for i in 0..<n {
                            guard let (b, last) = s[i].blockBound(candidate, stemScan: &stemScans[i], exactScan: &exactScans[i]) else { break outer }
                            bound += b
                            nearestEnd = min(nearestEnd, last)
                        }
                        cachedBound = bound
                        boundUntil = nearestEnd
                    }
                    if cachedBound <= top.threshold {
                        candidate = try s[0].stem.advance(boundUntil + 1)
                        continue
                    }
                }
                // Leapfrog: every word at the candidate.
                for i in 1..<n {
                    let d = try s[i].stem.advance(candidate)
                    if d == noMoreDocs { break outer }
                    if d > candidate {
                        candidate = try s[0].stem.advance(d)
                        continue outer
                    }
                }
                if !filters.isEmpty {
                    let allowed = try filters.next(candidate)
                    if allowed != candidate {
                        if allowed == noMoreDocs { break }
                        candidate = try s[0].stem.advance(allowed)
                        continue
                    }
                }
                let isDeleted = hasDeletions ? try deleted.isDeleted(UInt32(candidate)) : false
                if !isDeleted {
                    var score: Float = 0
                    for i in 0..<n { score += try s[i].score() }
                    visited += 1
                    if !top.isFull || score > top.threshold { top.insert(score, UInt32(candidate)) }
                }
                candidate = try s[0].stem.next()
            }
        }
        return (top, visited)
    }

    /// MaxScore (see `collectMaxScore`) over words held as values: same algorithm and
    /// results, without reference counting or virtual calls per document.
    func collectMaxScoreWords(_ words: [WordScorer], k: Int, filters: Filters = Filters(iterators: [])) throws -> (TopDocs, Int) {
        var cursors = words.map { WordCursor($0, snapshot: snapshot) }.sorted { $0.maxScore < $1.maxScore }
        defer { for c in cursors { c.free() } }
        let n = cursors.count
        var bounds = [Float](repeating: 0, count: n)
        var sum: Float = 0
        for i in 0..<n { sum += cursors[i].maxScore; bounds[i] = sum }
        var top = TopDocs(k: k)
        let hasDeletions = try snapshot.txn.count(snapshot.layout.deleted) > 0
        var deleted = DeletedReader(snapshot)
        var visited = 0
        var firstEssential = 0
        try cursors.withUnsafeMutableBufferPointer { s in
            for i in 0..<n { _ = try s[i].stem.next() }
            while true {
                var candidate = noMoreDocs
                for i in firstEssential..<n where s[i].doc < candidate { candidate = s[i].doc }
                if candidate == noMoreDocs { break }
                if !filters.isEmpty {
                    let allowed = try filters.next(candidate)
                    if allowed != candidate {
                        if allowed == noMoreDocs { break }
                        for j in firstEssential..<n where s[j].doc < allowed { _ = try s[j].stem.advance(allowed) }
                        continue
                    }
                }
                var score: Float = 0
                for i in firstEssential..<n where s[i].doc == candidate { score += try s[i].score() }
                var i = firstEssential - 1
                while i >= 0 {
                    if top.isFull && score + bounds[i] <= top.threshold { break }
                    if s[i].doc < candidate { _ = try s[i].stem.advance(candidate) }
                    if s[i].doc == candidate { score += try s[i].score() }
                    i -= 1
                }
                let isDeleted = hasDeletions ? try deleted.isDeleted(UInt32(candidate)) : false
                if !isDeleted {
                    visited += 1
                    if !top.isFull || score > top.threshold { top.insert(score, UInt32(candidate)) }
                    if top.isFull {
                        while firstEssential < n && bounds[firstEssential] <= top.threshold { firstEssential += 1 }
                    }
                }
                if firstEssential >= n { break }
                for j in firstEssential..<n where s[j].doc == candidate { _ = try s[j].stem.next() }
            }
        }
        return (top, visited)
    }
}
