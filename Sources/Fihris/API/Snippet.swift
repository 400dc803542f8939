/// The best passage of a text field, with the matched words' byte ranges in `text`.
public struct Snippet: Sendable, Equatable {
    public let field: String
    public let text: String
    /// UTF-8 byte ranges of whole matched words in `text`.
    public let highlights: [Range<Int>]
}
