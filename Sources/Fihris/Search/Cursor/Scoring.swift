/// BM25 parameters of one field, shared by its scorers.
struct FieldScoring {
    let k1: Float, b: Float, averageLength: Float
    /// k1·(1 − b) and k1·b / avgdl: the length normalization as one multiply-add.
    let base: Float, perToken: Float

    init(k1: Float, b: Float, averageLength: Float) {
        (self.k1, self.b, self.averageLength) = (k1, b, averageLength)
        base = k1 * (1 - b)
        perToken = k1 * b / averageLength
    }

    /// Bounds computed as weight × the score at weight 1 (impacts) may round below the
    /// score computed with the weight inside: they are lifted by a relative 10⁻⁵.
    static let boundMargin: Float = 1 + 1e-5

    @inline(__always)
    func score(weight: Float, freq: Float, length: Float) -> Float {
        weight * freq * (k1 + 1) / (freq + (base + perToken * length))
    }
}
