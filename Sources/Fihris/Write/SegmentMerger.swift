import PostingsCodec

extension CommitState {
    /// Size tier of a segment: segments of one tier differ in size by less than 4×.
    static func tier(_ size: Int) -> Int {
        var tier = 0, bound = 1024
        while size >= bound * 4 { bound *= 4; tier += 1 }
        return tier
    }

    /// Tiered merging with fan-out 4: when the newest segments include four of the same size
    /// tier, they are merged into one (deleted documents dropped). A query then reads
    /// O(log₄ n) segments and each posting is rewritten O(log₄ n) times. Nil: nothing to merge.
    static func mergeCandidates(_ segments: [SegmentInfo]) -> [SegmentInfo]? {
        guard segments.count >= 4 else { return nil }
        let tier = Self.tier(segments[segments.count - 1].size)
        var run = 1
        while run < segments.count && Self.tier(segments[segments.count - 1 - run].size) == tier { run += 1 }
        return run >= 4 ? Array(segments.suffix(run)) : nil
    }
}

/// Merging segments in write transactions of bounded size, so that the memory of a merge
/// (LMDB's dirty pages, the mapped pages read) does not grow with the index:
///
/// 1. The merged segment's chunks are written under the next segment id, in term order, at
///    most `MergeSteps.limits.postingsPerTransaction` postings and positions per transaction. The
///    segment list does not name the new segment yet, so readers do not see it.
/// 2. One transaction puts it in the segment list in the sources' place.
/// 3. The sources' chunks are deleted, at most `MergeSteps.limits.keysPerTransaction` per transaction.
///
/// An interruption (a crash, SIGKILL) between the steps leaves chunks of segments the list
/// does not name and nothing else: every write first removes them (`removeLeftovers`), and
/// `check` counts them as leftovers, not damage.
enum MergeSteps {
    struct Limits: Sendable {
        var postingsPerTransaction = 2_000_000
        var keysPerTransaction = 20_000
        /// Terms read from each source at a time.
        var termsPerRound = 4096
    }
    /// The limits in force (tests make them tiny, so that every merge takes many steps).
    @TaskLocal static var limits = Limits()
}

extension SearchIndex {
    /// Runs the merge policy after a commit, each merge in steps (`MergeSteps`).
    func mergeAsNeeded() throws {
        while let sources = try store.read("read \(path)", { CommitState.mergeCandidates($0.segments) }) {
            try merge(sources)
        }
    }

    /// Removes the chunks of segments the segment list does not name (left by an interrupted
    /// merge), in bounded transactions.
    func removeLeftovers() throws {
        let leftovers = try store.read("read \(path)") { snapshot in
            let live = Set(snapshot.segments.map(\.id))
            return try snapshot.segmentsWithPostings().filter { !live.contains($0) }
        }
        for segment in leftovers { try deleteChunks(of: segment) }
    }

    /// Deletes every chunk of a segment that no reader sees any more, in bounded transactions.
    func deleteChunks(of segment: UInt32) throws {
        var done = false
        while !done {
            done = try store.write("remove merged postings of \(path)") { txn in
                try txn.deleteSegment(segment, limit: MergeSteps.limits.keysPerTransaction)
            }
            store.releaseMappedPages()
        }
    }

    /// Merges consecutive segments into one (see `MergeSteps`).
    func merge(_ sources: [SegmentInfo]) throws {
        guard let first = sources.first, let last = sources.last else { return }
        let id = try store.read("read \(path)") { try $0.meta(.nextSegment, as: UInt32.self) ?? 0 }
        let merged = SegmentInfo(id: id, firstDocument: first.firstDocument, endDocument: last.endDocument)
        // 1. The merged chunks, a bounded number of postings per transaction.
        var after: [UInt8]? = nil
        var complete = false
        while !complete {
            (after, complete) = try store.write("merge segments of \(path)") { txn in
                var writer = SegmentMergeWriter(snapshot: try txn.snapshot(), sources: sources, merged: merged.id)
                return try writer.write(after: after, budget: MergeSteps.limits.postingsPerTransaction, txn: txn)
            }
            store.releaseMappedPages()
        }
        // 2. The merged segment replaces its sources in the list.
        try store.write("merge segments of \(path)") { txn in
            var state = try CommitState(txn, schema: try txn.snapshot().schema)
            var merged = merged
            var deleted = try state.snapshot.deletedDocuments()
            merged.purged = UInt32(try deleted.count(in: merged))
            let ids = Set(sources.map(\.id))
            let position = state.segments.firstIndex { ids.contains($0.id) } ?? state.segments.count
            state.segments.removeAll { ids.contains($0.id) }
            state.segments.insert(merged, at: position)
            state.nextSegment = max(state.nextSegment, merged.id + 1)
            try state.finish(txn: txn)
        }
        // 3. The sources' chunks.
        for source in sources { try deleteChunks(of: source.id) }
    }
}

/// Writes a merged segment's chunks in term order, one bounded part per transaction.
struct SegmentMergeWriter {
    let snapshot: IndexSnapshot
    let sources: [SegmentInfo]
    let merged: UInt32
    private var docs: [UInt32] = [], freqs: [UInt32] = [], positions: [UInt32] = [], lengths: [UInt16] = []
    private var norms: [Int: NormsReader] = [:]

    init(snapshot: IndexSnapshot, sources: [SegmentInfo], merged: UInt32) {
        (self.snapshot, self.sources, self.merged) = (snapshot, sources, merged)
    }

    /// Writes the merged chunks of the terms after `after` (every term when nil) until about
    /// `budget` postings and positions are written. Returns the last term written and whether
    /// every term is.
    mutating func write(after: [UInt8]?, budget: Int, txn: borrowing IndexMutation) throws -> (last: [UInt8]?, complete: Bool) {
        var deleted = try snapshot.deletedDocuments()
        var last = after, written = 0
        let termsPerRound = MergeSteps.limits.termsPerRound
        return try ScratchArena.scoped { arena in
            var cursor = PostingCursor(PostingList(chunks: [], positions: []), arena: &arena)
            while true {
                // The next terms of every source, up to the first source's last one read when
                // a source has more (the terms of a round are complete up to that bound).
                var holders: [[UInt8]: [UInt32]] = [:]
                var bound: [UInt8]? = nil
                for source in sources {
                    var count = 0, lastRead: [UInt8]? = nil
                    try snapshot.forEachTermSuffix(segment: source.id, after: last) { raw in
                        let suffix = Array(raw)
                        holders[suffix, default: []].append(source.id)
                        count += 1
                        if count == termsPerRound { lastRead = suffix; return false }
                        return true
                    }
                    if let lastRead, bound.map({ lastRead.lexicographicallyPrecedes($0) }) ?? true { bound = lastRead }
                }
                var terms = holders.keys.filter { term in bound.map { !$0.lexicographicallyPrecedes(term) } ?? true }
                terms.sort { $0.lexicographicallyPrecedes($1) }
                for suffix in terms {
                    written += try mergeTerm(suffix, holders[suffix]!, deleted: &deleted, cursor: &cursor, txn: txn)
                    last = suffix
                    if written >= budget { return (last, bound == nil && suffix == terms.last) }
                }
                if bound == nil { return (last, true) }
                txn.releaseMappedPages()  // the sources' pages of this round
            }
        }
    }

    /// Writes one term's merged chunk; returns the postings and positions it holds.
    private mutating func mergeTerm(_ suffix: [UInt8], _ holders: [UInt32], deleted: inout DeletedDocuments,
                                    cursor: inout PostingCursor, txn: borrowing IndexMutation) throws -> Int {
        let term = try TermID.decode(suffix: suffix)
        docs.removeAll(keepingCapacity: true)
        freqs.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        for segment in holders {
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
        guard !docs.isEmpty else { return 0 }
        lengths.removeAll(keepingCapacity: true)
        if !term.kind.hasFrequencies {
            lengths.append(contentsOf: repeatElement(1, count: docs.count))
        } else {
            // One reader per field, taken out of the table for the term (no lookup per document).
            var reader = norms.removeValue(forKey: term.field) ?? snapshot.norms(term.field)
            for d in docs { lengths.append(try reader.length(Int(d))) }
            norms[term.field] = reader
        }
        try txn.appendChunk(segment: merged, term: suffix[...], docs: docs, freqs: term.kind.hasFrequencies ? freqs : nil,
                            lengths: lengths, positions: term.kind.hasPositions ? positions : nil)
        return docs.count + positions.count
    }
}
