/// One value of a keyword field and how many matching documents have it.
public struct FacetCount: Sendable, Equatable {
    public let value: String
    public let count: Int
}
