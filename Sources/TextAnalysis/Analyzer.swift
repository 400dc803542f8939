/// Turns text into tokens: ICU word boundaries, then script folding.
///
/// Not thread-safe (it owns an ICU break iterator); create one per thread.
public final class Analyzer {
    private let breaker: WordBreaker
    /// Terms longer than this (in bytes, after folding) are dropped: they are not words a
    /// user types, and storage keys are bounded.
    public static let maximumTermLength = 255

    public init() throws(AnalysisError) {
        breaker = try WordBreaker()
    }

    /// Calls `body` for each token of `text`, positions starting at `firstPosition`.
    /// Returns the position after the last token.
    @discardableResult
    public func analyze(utf8 text: UnsafeBufferPointer<UInt8>, firstPosition: Int = 0,
                        _ body: (Token) throws -> Void) throws -> Int {
        var position = firstPosition
        var term: [UInt8] = []
        try breaker.forEachWord(in: text) { range in
            term.removeAll(keepingCapacity: true)
            ScriptFolding.fold(UnsafeBufferPointer(rebasing: text[range]), into: &term)
            guard !term.isEmpty, term.count <= Self.maximumTermLength else { return }
            try body(Token(term: term, position: position, byteRange: range))
            position += 1
        }
        return position
    }

    /// The tokens of `text`.
    public func tokens(_ text: String) throws -> [Token] {
        var text = text
        var result: [Token] = []
        try text.withUTF8 { buffer in
            try analyze(utf8: buffer) { result.append($0) }
        }
        return result
    }

    /// The normalized terms of `text`, as strings.
    public func terms(_ text: String) throws -> [String] {
        try tokens(text).map(\.termString)
    }
}
