import Benchmark
import Fihris
import Foundation

/// The corpus to measure: FIHRIS_BENCH_CORPUS, else the full hadith set when fetched
/// (python3 corpus/fetch_hadith.py), else the committed sample in corpus/.
let corpusFolder: String = {
    if let folder = ProcessInfo.processInfo.environment["FIHRIS_BENCH_CORPUS"] { return folder }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let full = root + "/data/hadith-full"
    return FileManager.default.fileExists(atPath: full) ? full : root + "/corpus"
}()

func loadDocuments() throws -> (documents: [Document], bytes: Int) {
    let source = FolderSource(folder: corpusFolder, excluding: ["README.md"])
    var documents: [Document] = []
    var bytes = 0
    for file in try source.files() {
        bytes += file.size
        try source.documents(in: file) { documents.append($0) }
    }
    return (documents, bytes)
}

let sampleQueries = ["عين الأسد", "إنما الأعمال بالنيات", "رسول الله", "الصلاة", "حدثنا أبو بكر بن أبي شيبة",
                     "الجنة النار", "كتاب", "مكة المدينة", "الصيام رمضان", "الزكاة"]

/// The text of every text field of the corpus, as UTF-8, and its total size.
func loadTexts() throws -> (texts: [[UInt8]], bytes: Int) {
    let (documents, _) = try loadDocuments()
    var texts: [[UInt8]] = []
    for document in documents {
        for field in document.fields {
            if case .text(let text) = field.value { texts.append(Array(text.utf8)) }
        }
    }
    return (texts, texts.reduce(0) { $0 + $1.count })
}

/// Analyzes every text once; returns the number of tokens (so nothing is optimized away).
func analyzeAll(_ texts: [[UInt8]], with analyzer: Analyzer) throws -> Int {
    var tokens = 0
    for text in texts {
        try text.withUnsafeBufferPointer { buffer in
            try analyzer.analyze(utf8: buffer) { _ in tokens += 1 }
        }
    }
    return tokens
}

let megabytesPerSecond = BenchmarkMetric.custom("MB/s (text analyzed)", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(10), maxIterations: 1000)

    // The whole analysis chain (word breaks, folding, stop words, stemming) on one core;
    // `simple` (no stemming, no stop words) and ICU-only segmentation for comparison.
    for (name, options, fastPath) in [("arabic", AnalyzerOptions(kind: .arabic), true),
                                      ("simple", AnalyzerOptions(kind: .simple), true),
                                      ("arabic, ICU segmentation only", AnalyzerOptions(kind: .arabic), false)] {
        Benchmark("Analysis (\(name))",
                  configuration: .init(metrics: [.wallClock, megabytesPerSecond, .mallocCountTotal], maxIterations: 10)) { benchmark in
            let (texts, bytes) = try loadTexts()
            let analyzer = try Analyzer(options)
            analyzer.usesFastPath = fastPath
            benchmark.startMeasurement()
            let started = ContinuousClock.now
            blackHole(try analyzeAll(texts, with: analyzer))
            let elapsed = ContinuousClock.now - started
            benchmark.stopMeasurement()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            benchmark.measurement(megabytesPerSecond, Int(Double(bytes) / 1e6 / seconds))
        }
    }

    Benchmark("Index corpus (documents)", configuration: .init(maxIterations: 5)) { benchmark in
        let (documents, _) = try loadDocuments()
        let directory = NSTemporaryDirectory() + "fihris-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let index = try SearchIndex(at: directory, mode: .openOrCreate)
        benchmark.startMeasurement()
        try index.write { writer in
            writer.removeAll()
            for document in documents { try writer.add(document) }
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Search sample queries (top 10)", configuration: .init(scalingFactor: .one)) { benchmark in
        let directory = NSTemporaryDirectory() + "fihris-bench-search-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let index = try SearchIndex(at: directory, mode: .openOrCreate)
        let (documents, _) = try loadDocuments()
        try index.write { writer in for document in documents { try writer.add(document) } }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for query in sampleQueries {
                blackHole(try index.read { try $0.search(query, limit: 10) })
            }
        }
    }
}
