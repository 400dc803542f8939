/// The cursor ladder: every query algorithm is written once, generic over one of these
/// protocols, and a fast path is a new conformance, never a second loop (PISA's
/// `posting_cursor` concepts; tantivy's `DocSet`).
///
///     DocSet            doc, next(), seek(target), cost
///       └ Scorer        score(), explain(into:)
///          └ MaxScoreScorer    maxScore: a bound of score() over every document
///             └ BlockMaxScorer blockBound(from:): a bound over a range of documents
///
/// Conformances are value types. Their decode buffers live in a `ScratchArena` owned by
/// the execution that built them (see `ScratchArena`), so cursors stay copyable (they go
/// in arrays and existentials) while their memory has exactly one owner.

/// Past the last document.
let noMoreDocs = Int(UInt32.max)

/// Documents in increasing number.
///
/// The contract (tantivy's `DocSet`, Lucene's `DocIdSetIterator`):
/// - `doc` is -1 before the first `next()` or `seek`, then the current document, then
///   `noMoreDocs` once exhausted; it never decreases.
/// - `next()` moves to the following document and returns it (`noMoreDocs` at the end;
///   calling it again there stays at the end).
/// - `seek(target)` moves to the first document at or after `target` and returns it. When
///   the cursor is already at or past `target`, it does not move (so a seek to the current
///   document is free, and `seek(-1)` is a no-op); it never moves backwards.
/// - `cost` estimates how many documents it yields (to order conjunctions).
protocol DocSet {
    var doc: Int { get }
    var cost: Int { get }
    mutating func next() throws -> Int
    mutating func seek(_ target: Int) throws -> Int
}

/// A `DocSet` that scores its current document.
///
/// `score()` and `explain` are valid only on a current document (not before the first
/// move, not at `noMoreDocs`). Scores are never negative.
protocol Scorer: DocSet {
    mutating func score() throws -> Float
    /// Appends the contributions to the current document's score (`--explain`).
    mutating func explain(into parts: inout [ScoreContribution]) throws
}

/// A `Scorer` with an upper bound of its score over all documents: MaxScore's unit.
protocol MaxScoreScorer: Scorer {
    var maxScore: Float { get }
}

/// A `MaxScoreScorer` that can bound its score over a range of documents from block
/// metadata alone (no decoding): block-max's unit.
protocol BlockMaxScorer: MaxScoreScorer {
    /// A bound of `score()` for every document in `target...last`, and `last` (≥ target);
    /// nil when no document at or after `target` remains. Calls must not go backwards.
    mutating func blockBound(from target: Int) -> (bound: Float, last: Int)?
}

/// A scorer that can skip the expensive check of candidates whose score cannot beat a
/// threshold (phrases: the rarest word's frequency bounds the phrase's).
protocol ThresholdScorer: Scorer {
    /// Like `seek(target)`, but may pass over documents whose score is at most `threshold`.
    mutating func seek(_ target: Int, beating threshold: Float) throws -> Int
}

/// Any scorer, for trees of mixed clauses (the generic, exhaustive path).
struct AnyScorer: MaxScoreScorer {
    private var base: any MaxScoreScorer

    init(_ base: some MaxScoreScorer) { self.base = base }

    var doc: Int { base.doc }
    var cost: Int { base.cost }
    var maxScore: Float { base.maxScore }
    mutating func next() throws -> Int { try base.next() }
    mutating func seek(_ target: Int) throws -> Int { try base.seek(target) }
    mutating func score() throws -> Float { try base.score() }
    mutating func explain(into parts: inout [ScoreContribution]) throws { try base.explain(into: &parts) }
}

/// A scorer's score times a factor (`prefix*^2`, `=word^3`, `*^0.5`: what takes no boost
/// inside it). A boosted word scales its own weights instead, to keep its fast paths.
struct Boosted: MaxScoreScorer {
    private var base: AnyScorer
    let factor: Float

    init(_ base: AnyScorer, factor: Float) { (self.base, self.factor) = (base, factor) }

    var doc: Int { base.doc }
    var cost: Int { base.cost }
    var maxScore: Float { base.maxScore * factor }
    mutating func next() throws -> Int { try base.next() }
    mutating func seek(_ target: Int) throws -> Int { try base.seek(target) }
    mutating func score() throws -> Float { try base.score() * factor }
    mutating func explain(into parts: inout [ScoreContribution]) throws {
        let first = parts.count
        try base.explain(into: &parts)
        for i in first..<parts.count {
            parts[i] = ScoreContribution(term: parts[i].term + "^" + Query.number(factor), score: parts[i].score * factor)
        }
    }
}
