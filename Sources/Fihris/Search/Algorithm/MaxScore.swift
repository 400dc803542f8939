/// Top k of a disjunction by MaxScore (H. Turtle and J. Flood, "Query evaluation:
/// strategies and optimizations", IP&M 1995): clauses are sorted by their score bound;
/// once the k-th best score exceeds the bounds of the weakest clauses together, those
/// clauses become non-essential: documents only they match are never visited, and a
/// candidate stops being scored as soon as its remaining clauses cannot lift it into the
/// top k.
///
/// Invariant: the top k (documents and scores) equal `Exhaustive`'s; `counted` is a lower
/// bound of the matches.
enum MaxScore {
    static func collect<S: MaxScoreScorer>(_ clauses: [S], into collector: inout TopKCollector) throws {
        var cursors = clauses.sorted { $0.maxScore < $1.maxScore }
        let n = cursors.count
        var bounds = [Float](repeating: 0, count: n)  // bounds[i] = Σ maxScore of clauses 0...i
        var sum: Float = 0
        for i in 0..<n { sum += cursors[i].maxScore; bounds[i] = sum }
        var firstEssential = 0
        try cursors.withUnsafeMutableBufferPointer { s in
            for i in 0..<n { _ = try s[i].next() }
            while true {
                // The next candidate: the smallest document among the essential clauses.
                var candidate = noMoreDocs
                for i in firstEssential..<n where s[i].doc < candidate { candidate = s[i].doc }
                if candidate == noMoreDocs { break }
                if let allowed = try collector.skip(candidate) {
                    if allowed == noMoreDocs { break }
                    for j in firstEssential..<n { _ = try s[j].seek(allowed) }
                    continue
                }
                var score: Float = 0
                for i in firstEssential..<n where s[i].doc == candidate { score += try s[i].score() }
                // Non-essential clauses, strongest first, while they can still matter.
                var i = firstEssential - 1
                while i >= 0 {
                    if collector.isFull && score + bounds[i] <= collector.threshold { break }
                    if try s[i].seek(candidate) == candidate { score += try s[i].score() }
                    i -= 1
                }
                try collector.offer(candidate, score)
                if collector.isFull {
                    while firstEssential < n && bounds[firstEssential] <= collector.threshold { firstEssential += 1 }
                }
                if firstEssential >= n { break }
                for j in firstEssential..<n where s[j].doc == candidate { _ = try s[j].next() }
            }
        }
    }
}
