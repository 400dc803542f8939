/// Search results: the best hits in rank order and how many documents matched.
public struct SearchResults: Sendable {
    public enum Total: Sendable, Equatable, CustomStringConvertible {
        /// Exactly this many documents matched.
        case exact(Int)
        /// At least this many matched (pruned search did not count them all).
        case atLeast(Int)

        public var count: Int {
            switch self { case .exact(let n), .atLeast(let n): n }
        }
        public var description: String {
            switch self { case .exact(let n): "\(n)"; case .atLeast(let n): "≥\(n)" }
        }
    }

    public struct Hit: Sendable {
        public let id: String
        public let score: Float
        /// The stored document (id, title, stored fields).
        public let document: Document
        /// The best passage of each matching text field (with `SearchOptions.snippets`).
        public var snippets: [Snippet] = []
        /// Score contributions per term (with `SearchOptions.explain`).
        public var explanation: [ScoreContribution] = []

        public init(id: String, score: Float, document: Document, snippets: [Snippet] = [], explanation: [ScoreContribution] = []) {
            (self.id, self.score, self.document) = (id, score, document)
            (self.snippets, self.explanation) = (snippets, explanation)
        }
    }

    public let hits: [Hit]
    public let total: Total
    /// Per requested keyword field, its values over all matches, most frequent first.
    public var facets: [String: [FacetCount]] = [:]

    public init(hits: [Hit], total: Total, facets: [String: [FacetCount]] = [:]) {
        self.hits = hits
        self.total = total
        self.facets = facets
    }
}
