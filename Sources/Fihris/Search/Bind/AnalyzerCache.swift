import TextAnalysis

/// One analyzer per configuration, made on first use (analyzers hold ICU state: costly to
/// make, cheap to reuse). Used by the query binder and the document batch.
struct AnalyzerCache {
    private var analyzers: [AnalyzerOptions: Analyzer] = [:]

    mutating func analyzer(_ options: AnalyzerOptions) throws -> Analyzer {
        if let a = analyzers[options] { return a }
        let a = try Analyzer(options)
        analyzers[options] = a
        return a
    }
}
