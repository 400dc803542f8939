/// One indexed word: its normalized form and its stem, its position in the token stream,
/// and the byte range of its surface form in the original UTF-8 text (for highlighting).
public struct Token: Sendable, Equatable, CustomStringConvertible {
    /// The normalized (folded) form, as UTF-8 bytes.
    public var term: [UInt8]
    /// The stem, as UTF-8 bytes (equal to `term` when the word is not stemmed).
    public var stem: [UInt8]
    /// 0-based position; consecutive words have consecutive positions.
    public var position: Int
    /// Byte offsets of the surface form in the analyzed text.
    public var byteRange: Range<Int>
    /// Whether the word is on the analyzer's stop-word list (it is a token all the same).
    public var isStopWord: Bool
    /// The word's harakat, one byte per letter of `term` (`Vocalization`); empty when the
    /// word carries none.
    public var vocalization: [UInt8]
    /// A second spelling of the previous token at the same position (`TokenView.isAlternative`).
    public var isAlternative: Bool

    public init(term: [UInt8], stem: [UInt8]? = nil, position: Int, byteRange: Range<Int>, isStopWord: Bool = false,
                vocalization: [UInt8] = [], isAlternative: Bool = false) {
        self.isAlternative = isAlternative
        self.term = term
        self.stem = stem ?? term
        self.position = position
        self.byteRange = byteRange
        self.isStopWord = isStopWord
        self.vocalization = vocalization
    }

    public var termString: String { String(decoding: term, as: UTF8.self) }
    public var stemString: String { String(decoding: stem, as: UTF8.self) }
    public var description: String {
        "\(termString)/\(stemString)@\(position)[\(byteRange.lowerBound)..<\(byteRange.upperBound)]"
    }
}

/// An error from the analysis layer (ICU failed to initialize or rejected the text).
public struct AnalysisError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
