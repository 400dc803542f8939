import Foundation

/// BM25 parameters (Lucene's defaults).
public struct BM25: Sendable, Equatable, Codable {
    /// Term-frequency saturation.
    public var k1: Float = 1.2
    /// Length normalization (0 = none, 1 = full).
    public var b: Float = 0.75
    public init(k1: Float = 1.2, b: Float = 0.75, exactMatchWeight: Float = 0.5) {
        self.k1 = k1
        self.b = b
        self.exactMatchWeight = exactMatchWeight
    }

    enum CodingKeys: String, CodingKey { case k1, b, exactMatchWeight }

    /// Missing keys take the defaults (a schema file may give only `b`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        k1 = try c.decodeIfPresent(Float.self, forKey: .k1) ?? 1.2
        b = try c.decodeIfPresent(Float.self, forKey: .b) ?? 0.75
        exactMatchWeight = try c.decodeIfPresent(Float.self, forKey: .exactMatchWeight) ?? 0.5
    }

    /// Weight of a match on the exact (normalized) form, added to the stem match: among
    /// documents matching a query word's stem, those with the very form typed rank higher.
    public var exactMatchWeight: Float = 0.5

    /// Lucene's idf: never negative, so a match always adds to the score.
    @inline(__always)
    static func idf(documentFrequency: Int, documentCount: Int) -> Float {
        let n = Double(documentCount), df = Double(documentFrequency)
        return Float(log(1 + (n - df + 0.5) / (df + 0.5)))
    }
}
