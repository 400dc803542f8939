/// BM25 parameters of one field, shared by its scorers.
struct FieldScoring {
    let k1: Float
    let b: Float
    let averageLength: Float
    /// k1·(1 − b) and k1·b / avgdl: the length normalization as one multiply-add.
    private let base: Float
    private let perToken: Float

    init(k1: Float, b: Float, averageLength: Float) {
        self.k1 = k1
        self.b = b
        self.averageLength = averageLength
        base = k1 * (1 - b)
        perToken = k1 * b / averageLength
    }

    @inline(__always)
    func score(weight: Float, freq: Float, length: Float) -> Float {
        weight * freq * (k1 + 1) / (freq + (base + perToken * length))
    }
}
