/// Top k of a conjunction of block-max scorers (one word: block-max top k of a single
/// term), after S. Ding and T. Suel, "Faster top-k document retrieval using block-max
/// indexes", SIGIR 2011. The clauses' block bounds at the candidate are added up (once per
/// range of blocks); when they cannot beat the k-th score, the candidate jumps past the
/// nearest block end, from skip entries alone, until a range can; only the block it lands
/// in is decoded. Candidates that every clause holds are then scored.
///
/// Invariant: the top k (documents and scores) equal `Exhaustive`'s over the conjunction;
/// `counted` is a lower bound of the matches.
enum BlockMaxConjunction {
    static func collect<S: BlockMaxScorer>(_ clauses: [S], into collector: inout TopKCollector) throws {
        var cursors = clauses
        cursors.sort { $0.cost < $1.cost }  // the rarest clause leads
        let n = cursors.count
        var boundUntil = -1          // the cached bound holds for candidates up to here
        var cachedBound: Float = .infinity
        try cursors.withUnsafeMutableBufferPointer { s in
            /// The clauses' summed bound from `target` and the nearest block end; nil when a
            /// clause has no document left.
            func bound(at target: Int) -> (Float, Int)? {
                var sum: Float = 0
                var nearestEnd = Int.max
                for i in 0..<n {
                    guard let (b, last) = s[i].blockBound(from: target) else { return nil }
                    sum += b
                    nearestEnd = min(nearestEnd, last)
                }
                return (sum, nearestEnd)
            }
            var candidate = try s[0].next()
            outer: while candidate != noMoreDocs {
                if collector.isFull {
                    if candidate > boundUntil {
                        guard let (b, end) = bound(at: candidate) else { break outer }
                        cachedBound = b
                        boundUntil = end
                    }
                    if cachedBound <= collector.threshold {
                        // Skip ranges of blocks that cannot compete, from skip entries only.
                        var target = boundUntil + 1
                        while true {
                            guard let (b, end) = bound(at: target) else { break outer }
                            cachedBound = b
                            boundUntil = end
                            if b > collector.threshold { break }
                            target = end + 1
                        }
                        candidate = try s[0].seek(target)
                        continue
                    }
                }
                // Every clause at the candidate (its bound is checked again when it moved).
                let agreed = try Leapfrog.agree(s, from: candidate)
                if agreed != candidate {
                    candidate = agreed
                    continue
                }
                if let allowed = try collector.skip(candidate) {
                    if allowed == noMoreDocs { break }
                    candidate = try s[0].seek(allowed)
                    continue
                }
                if try collector.admit(candidate) {
                    var score: Float = 0
                    for i in 0..<n { score += try s[i].score() }
                    collector.insert(candidate, score)
                }
                candidate = try s[0].next()
            }
        }
    }
}
