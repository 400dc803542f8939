/// A query word: matches its stem; scores the stem (BM25, weight = its idf) plus, where the
/// document has it, the exact form typed (weight = its idf × `exactMatchWeight`). Both lists
/// share the field's norms.
struct WordScorer: BlockMaxScorer {
    private(set) var stem: PostingCursor
    /// The exact form's list (an empty cursor when the word has none: no optional to
    /// unwrap, and copy, per document).
    private var exact: PostingCursor
    private let hasExact: Bool
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
        let stemBound = stem.bound { f, l in scoring.score(weight: stemWeight, freq: Float(f), length: Float(l)) }
        let exactBound = self.exact.bound { f, l in scoring.score(weight: exactWeight, freq: Float(f), length: Float(l)) }
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

    /// The stem's block holding `target`, plus the exact form's best block over the same
    /// documents.
    @inline(__always)
    mutating func blockBound(from target: Int) -> (bound: Float, last: Int)? {
        guard let entry = stem.shallowSeek(target) else { return nil }
        var bound = scoring.score(weight: stemWeight, freq: Float(entry.maxFrequency), length: Float(entry.minLength))
        let last = Int(entry.lastDoc)
        if hasExact {
            let (scoring, weight) = (scoring, exactWeight)
            bound += exact.bound(from: target, to: last) { f, l in scoring.score(weight: weight, freq: Float(f), length: Float(l)) }
        }
        return (bound, last)
    }
}
