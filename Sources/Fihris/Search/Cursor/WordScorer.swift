/// A query word: matches its stem; scores the stem (BM25, weight = its idf) plus, where the
/// document has it, the exact form typed (weight = its idf × `exactMatchWeight`). Both lists
/// share the field's norms.
struct WordScorer: BlockMaxScorer {
    private(set) var stem: PostingCursor
    /// The exact form's list (an empty cursor when the word has none: no optional to
    /// unwrap, and copy, per document).
    private var exact: PostingCursor
    private let hasExact: Bool
    /// Whether block bounds also read the exact form's impacts over the stem's block (a
    /// word alone: term p99 −35%), or take only the joint bound (in a conjunction, where
    /// the other clauses' bounds rarely let a range go and the walk costs: AND p99 −8%).
    var exactBlockBounds = true
    /// The stem's and the exact form's BM25 weights (idf), and the field's BM25.
    let stemWeight: Float, exactWeight: Float, scoring: FieldScoring
    private var norms: NormsReader
    let maxScore: Float
    /// Names the word in explanations (built only when one is asked for).
    let label: (_ stem: Bool) -> String

    init(stem: PostingCursor, stemWeight: Float, exact: PostingCursor?, exactWeight: Float, scoring: FieldScoring,
         norms: NormsReader, label: @escaping (_ stem: Bool) -> String) {
        (self.stem, self.stemWeight, self.exactWeight) = (stem, stemWeight, exact == nil ? 0 : exactWeight)
        (self.exact, hasExact) = (exact ?? PostingCursor.empty, exact != nil)
        (self.scoring, self.norms, self.label) = (scoring, norms, label)
        let stemBound = stemWeight * stem.bound(scoring) * FieldScoring.boundMargin
        let exactBound = self.exactWeight * self.exact.bound(scoring) * FieldScoring.boundMargin
        maxScore = stemBound + exactBound
    }

    var doc: Int { stem.doc }
    var cost: Int { stem.cost }

    @inline(__always) mutating func next() throws -> Int { try stem.next() }
    @inline(__always) mutating func seek(_ target: Int) throws -> Int { try stem.seek(target) }

    @inline(__always)
    mutating func score() throws -> Float {
        let d = stem.doc
        let length = Float(try norms.length(d))
        var s = scoring.score(weight: stemWeight, freq: Float(stem.freq), length: length)
        if hasExact, try exact.seek(d) == d {
            s += scoring.score(weight: exactWeight, freq: Float(exact.freq), length: length)
        }
        return s
    }

    mutating func explain(into parts: inout [ScoreContribution]) throws {
        let d = stem.doc
        let length = Float(try norms.length(d))
        parts.append(ScoreContribution(term: label(true), score: scoring.score(weight: stemWeight, freq: Float(stem.freq), length: length)))
        if hasExact, try exact.seek(d) == d {
            parts.append(ScoreContribution(term: label(false), score: scoring.score(weight: exactWeight, freq: Float(exact.freq), length: length)))
        }
    }

    /// The stem's block holding `target` (its impacts), plus the exact form's best over the
    /// same documents: the lesser of the exact form's best blocks added, and the stem's
    /// impacts scored at both weights — a document holds the exact form at most as often as
    /// the stem (the stem is a function of the form: every occurrence of the form is one of
    /// the stem's), so stem + exact ≤ (stemWeight + exactWeight) · bm25(stem frequency).
    @inline(__always)
    mutating func blockBound(from target: Int) -> (bound: Float, last: Int)? {
        guard let (unit, last) = stem.blockBound(from: target, scoring) else { return nil }
        var bound = stemWeight * unit
        if hasExact {
            let joint = (stemWeight + exactWeight) * unit
            bound = exactBlockBounds ? min(bound + exactWeight * exact.bound(from: target, to: last, scoring), joint) : joint
        }
        return (bound * FieldScoring.boundMargin, last)
    }
}
