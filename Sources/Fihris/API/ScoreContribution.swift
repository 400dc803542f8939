/// One term's part of a hit's score.
public struct ScoreContribution: Sendable, Equatable {
    public let term: String
    public let score: Float

    public init(term: String, score: Float) { (self.term, self.score) = (term, score) }
}
