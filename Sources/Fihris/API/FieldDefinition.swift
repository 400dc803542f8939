import TextAnalysis

/// One field of a schema.
public struct FieldDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var type: FieldType
    /// Whether the value is kept with the document and returned with hits.
    public var stored: Bool
    /// Text fields: the analyzer (default `arabic`).
    public var analyzer: AnalyzerKind?
    /// Text fields: whether the analyzer's default stop words are removed (default true).
    public var stopWords: Bool?
    /// Text fields: whether the harakat of each word are indexed, so a query typed with
    /// harakat can tell homographs apart (default true; false saves the `v` postings).
    public var harakat: Bool?
    /// `arabic` text fields: whether each word's root is indexed for `>>word` (default true;
    /// false saves the `r` postings, and `>>word` then matches the word).
    public var roots: Bool?
    /// Text fields: a factor on the scores of matches in this field (default 1; `"boost": 2`
    /// makes a title count twice): scores are summed per field, each times its boost.
    public var boost: Float?

    public init(name: String, type: FieldType, stored: Bool = true, analyzer: AnalyzerKind? = nil, stopWords: Bool? = nil,
                harakat: Bool? = nil, roots: Bool? = nil, boost: Float? = nil) {
        (self.name, self.type, self.stored, self.analyzer, self.stopWords) = (name, type, stored, analyzer, stopWords)
        (self.harakat, self.roots, self.boost) = (harakat, roots, boost)
    }

    enum CodingKeys: String, CodingKey { case name, type, stored, analyzer, stopWords, harakat, roots, boost }

    /// Whether the field indexes vocalized stems (term kind `v`).
    var indexesHarakat: Bool { type == .text && (harakat ?? true) && (analyzer ?? .arabic) != .english }
    /// Whether the field indexes roots (term kind `r`).
    var indexesRoots: Bool { type == .text && (roots ?? true) && (analyzer ?? .arabic) == .arabic }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(FieldType.self, forKey: .type)
        stored = try c.decodeIfPresent(Bool.self, forKey: .stored) ?? true
        analyzer = try c.decodeIfPresent(AnalyzerKind.self, forKey: .analyzer)
        stopWords = try c.decodeIfPresent(Bool.self, forKey: .stopWords)
        harakat = try c.decodeIfPresent(Bool.self, forKey: .harakat)
        roots = try c.decodeIfPresent(Bool.self, forKey: .roots)
        boost = try c.decodeIfPresent(Float.self, forKey: .boost)
        if let boost, !(boost >= 0 && boost <= 1000) {
            throw DecodingError.dataCorruptedError(forKey: .boost, in: c, debugDescription: "field \"\(name)\": boost must be between 0 and 1000 (got \(boost))")
        }
    }

    /// The analysis of a text or keyword field.
    public var analyzerOptions: AnalyzerOptions {
        switch type {
        case .keyword: AnalyzerOptions(kind: .keyword, stopWords: .none)
        default: AnalyzerOptions(kind: analyzer ?? .arabic, stopWords: (stopWords ?? true) ? .default : .none)
        }
    }
}
