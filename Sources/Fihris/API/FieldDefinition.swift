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

    public init(name: String, type: FieldType, stored: Bool = true, analyzer: AnalyzerKind? = nil, stopWords: Bool? = nil) {
        (self.name, self.type, self.stored, self.analyzer, self.stopWords) = (name, type, stored, analyzer, stopWords)
    }

    enum CodingKeys: String, CodingKey { case name, type, stored, analyzer, stopWords }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(FieldType.self, forKey: .type)
        stored = try c.decodeIfPresent(Bool.self, forKey: .stored) ?? true
        analyzer = try c.decodeIfPresent(AnalyzerKind.self, forKey: .analyzer)
        stopWords = try c.decodeIfPresent(Bool.self, forKey: .stopWords)
    }

    /// The analysis of a text or keyword field.
    public var analyzerOptions: AnalyzerOptions {
        switch type {
        case .keyword: AnalyzerOptions(kind: .keyword, stopWords: .none)
        default: AnalyzerOptions(kind: analyzer ?? .arabic, stopWords: (stopWords ?? true) ? .default : .none)
        }
    }
}
