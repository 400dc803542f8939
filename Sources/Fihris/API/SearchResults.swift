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

    /// "Did you mean": for a search that found fewer than `SearchOptions.suggestBelow`
    /// documents, each query word that is in no document with the words of the index
    /// nearest to it.
    public struct Suggestion: Sendable, Equatable {
        /// The word as the index folds it (harakat and hamza forms folded).
        public let word: String
        public let field: String
        /// Nearest first (fewest edits, then most documents), at most 5.
        public let candidates: [Candidate]

        public struct Candidate: Sendable, Equatable {
            public let text: String
            /// Documents holding this exact form.
            public let documents: Int
            /// Edits from the word (a confusable letter counts half).
            public let edits: Float
        }
    }

    public let hits: [Hit]
    public let total: Total
    public var suggestions: [Suggestion] = []
    /// Per requested keyword field, its values over all matches, most frequent first.
    public var facets: [String: [FacetCount]] = [:]

    public init(hits: [Hit], total: Total, facets: [String: [FacetCount]] = [:]) {
        self.hits = hits
        self.total = total
        self.facets = facets
    }
}
