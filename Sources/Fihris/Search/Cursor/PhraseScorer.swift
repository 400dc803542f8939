/// Documents where the phrase's words (exact forms, or roots) appear at its relative
/// positions (within `slop` moves); BM25 of the phrase's frequency with the summed idf of
/// its words. A strict word counts only at positions where one of its compatible vocalized
/// terms is (`restrictions`: the vocalized terms' cursors, each with its word's slot).
struct PhraseScorer: ThresholdScorer, MaxScoreScorer {
    private var terms: [PostingCursor]
    private var restrictions: [PostingCursor]
    private let restrictedSlots: [Int]
    /// Each word's position relative to the first, and the moves allowed.
    let offsets: [Int], slop: Int
    /// The summed idf of the words, and the field's BM25.
    let weight: Float, scoring: FieldScoring
    private var norms: NormsReader
    let label: String, maxScore: Float
    private(set) var doc = -1
    private var frequency = 0
    /// The fewest tokens a field holding the phrase can have (its distinct positions).
    private let minimumLength: UInt16

    init(_ phrase: PhraseTerm, terms: [PostingCursor], restrictions: [(slot: Int, cursor: PostingCursor)] = [],
         weight: Float, scoring: FieldScoring, norms: NormsReader, label: String) {
        (self.terms, offsets, slop) = (terms, phrase.offsets, phrase.slop)
        (self.restrictions, restrictedSlots) = (restrictions.map(\.cursor), restrictions.map(\.slot))
        (self.weight, self.scoring, self.norms, self.label) = (weight, scoring, norms, label)
        minimumLength = UInt16(min(Set(phrase.offsets).count, Int(UInt16.max)))
        // A phrase occurs at most as often as its rarest word in a document.
        maxScore = terms.map { weight * $0.bound(scoring) * FieldScoring.boundMargin }.min() ?? 0
    }

    var cost: Int { terms.map(\.cost).min() ?? 0 }

    mutating func next() throws -> Int { try seek(doc + 1, beating: -.infinity) }

    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        return try seek(target, beating: -.infinity)
    }

    /// Moves to the next document at or after `target` holding the phrase, skipping the
    /// position check of documents whose score cannot exceed `threshold` (frequencies
    /// alone bound the score).
    mutating func seek(_ target: Int, beating threshold: Float) throws -> Int {
        if doc == noMoreDocs { return doc }
        var candidate = target
        // Work on the cursors moved out of self (no copy; no overlapping access to self).
        var cursors: [PostingCursor] = [], restricting: [PostingCursor] = []
        swap(&cursors, &terms)
        swap(&restricting, &restrictions)
        defer { swap(&cursors, &terms); swap(&restricting, &restrictions) }
        let slots = restrictedSlots
        try cursors.withUnsafeMutableBufferPointer { terms in
            while true {
                candidate = try Leapfrog.agree(terms, from: candidate)  // a document holding every word
                if candidate == noMoreDocs { return }
                // A field shorter than the phrase cannot hold it (a long phrase of frequent
                // words: no positions decoded for most documents). Lengths saturate at 65535.
                if minimumLength > 1 {
                    let length = try norms.length(candidate)
                    if length < minimumLength && length < UInt16.max { candidate += 1; continue }
                }
                if threshold > -Float.infinity {
                    var least = UInt32.max
                    for k in terms.indices { least = min(least, terms[k].freq) }
                    let bound = scoring.score(weight: weight, freq: Float(least), length: Float(try norms.length(candidate)))
                    if bound <= threshold { candidate += 1; continue }
                }
                frequency = try Self.occurrences(terms, restricting: &restricting, slots, at: candidate, offsets, slop)
                if frequency > 0 { return }
                candidate += 1
            }
        }
        doc = candidate
        return doc
    }

    /// How many times the phrase occurs in the terms' current document `doc`.
    private static func occurrences(_ terms: UnsafeMutableBufferPointer<PostingCursor>, restricting: inout [PostingCursor],
                                    _ slots: [Int], at doc: Int, _ offsets: [Int], _ slop: Int) throws -> Int {
        var lists: [ArraySlice<UInt32>] = []
        lists.reserveCapacity(terms.count)
        for k in terms.indices { lists.append(try terms[k].positions()) }
        if !restricting.isEmpty {
            // A strict word: only its positions where a compatible vocalization is.
            var allowed: [[UInt32]] = Array(repeating: [], count: terms.count)
            for r in restricting.indices where try restricting[r].seek(doc) == doc {
                allowed[slots[r]].append(contentsOf: try restricting[r].positions())
            }
            for k in Set(slots) {
                if allowed[k].isEmpty { return 0 }
                allowed[k].sort()
                lists[k] = ArraySlice(Self.intersection(lists[k], allowed[k]))
                if lists[k].isEmpty { return 0 }
            }
        }
        var count = 0
        if slop == 0 {
            // Every word at (start + its offset), walked from the word with the fewest
            // positions: starts ascend, so each other list is walked once.
            var rarest = 0
            for k in lists.indices where lists[k].count < lists[rarest].count { rarest = k }
            var cursors = lists.map(\.startIndex)
            outer: for p in lists[rarest] {
                let start = Int(p) - offsets[rarest]
                for k in lists.indices where k != rarest {
                    let wanted = start + offsets[k]
                    while cursors[k] < lists[k].endIndex && Int(lists[k][cursors[k]]) < wanted { cursors[k] += 1 }
                    if cursors[k] == lists[k].endIndex { break outer }
                    if Int(lists[k][cursors[k]]) != wanted { continue outer }
                }
                count += 1
            }
            return count
        }
        // Proximity: one occurrence of each word whose aligned starts lie within `slop`, each
        // at its own position (a word written twice in the phrase needs two occurrences).
        var used: [UInt32] = []
        for p in lists[0] {
            let start = Int(p) - offsets[0]
            var lowest = start, highest = start
            var all = true
            used.removeAll(keepingCapacity: true)
            used.append(p)
            for k in 1..<lists.count {
                var best: Int?, bestPosition: UInt32 = 0
                for q in lists[k] where !used.contains(q) {
                    let aligned = Int(q) - offsets[k]
                    if abs(aligned - start) <= slop, best == nil || abs(aligned - start) < abs(best! - start) { (best, bestPosition) = (aligned, q) }
                }
                guard let best else { all = false; break }
                used.append(bestPosition)
                lowest = min(lowest, best)
                highest = max(highest, best)
            }
            if all && highest - lowest <= slop { count += 1 }
        }
        return count
    }

    /// The positions in both ascending lists.
    private static func intersection(_ a: ArraySlice<UInt32>, _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        var i = a.startIndex, j = 0
        while i < a.endIndex && j < b.count {
            if a[i] < b[j] { i += 1 } else if b[j] < a[i] { j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    mutating func score() throws -> Float {
        scoring.score(weight: weight, freq: Float(frequency), length: Float(try norms.length(doc)))
    }

    mutating func explain(into parts: inout [ScoreContribution]) throws {
        parts.append(ScoreContribution(term: label, score: try score()))
    }
}
