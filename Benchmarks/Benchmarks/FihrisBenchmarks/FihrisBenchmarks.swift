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

    // Query latency per class: each iteration runs one query of the class (cycling through
    // Benchmarks/queries/hadith.jsonl), top 10, index open and warm; percentiles over
    // iterations come from package-benchmark's HdrHistogram.
    let queriesFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("queries/hadith.jsonl").path
    for queryClass in ["term", "or", "and", "phrase", "filter", "prefix"] {
        Benchmark("Query latency: \(queryClass) (top 10)",
                  configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 20_000)) { benchmark in
            let (index, queries) = try SharedIndex.queries(queryClass, file: queriesFile)
            var options = SearchOptions(limit: 10)
            options.storedFields = false
            let q = queries[SharedIndex.next(queryClass) % queries.count]
            benchmark.startMeasurement()
            blackHole(try index.read { try $0.search(q, options: options) })
            benchmark.stopMeasurement()
        }
    }
}

/// One index of the benchmark corpus, built once per process and shared by the query benchmarks.
final class SharedIndex: @unchecked Sendable {
    nonisolated(unsafe) static var index: SearchIndex?
    nonisolated(unsafe) static var byClass: [String: [String]] = [:]
    nonisolated(unsafe) static var counters: [String: Int] = [:]
    static let lock = NSLock()

    /// The index and a class's queries, loaded and warmed once.
    static func queries(_ queryClass: String, file: String) throws -> (SearchIndex, [String]) {
        let index = try shared()
        lock.lock()
        defer { lock.unlock() }
        if let cached = byClass[queryClass] { return (index, cached) }
        let queries = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["class"] as? String == queryClass else { return nil }
            return object["q"] as? String
        }
        var options = SearchOptions(limit: 10)
        options.storedFields = false
        for q in queries { _ = try index.read { try $0.search(q, options: options) } }
        byClass[queryClass] = queries
        return (index, queries)
    }

    /// Cycles through a class's queries across iterations.
    static func next(_ queryClass: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        counters[queryClass, default: 0] += 1
        return counters[queryClass]!
    }

    static func shared() throws -> SearchIndex {
        lock.lock()
        defer { lock.unlock() }
        if let index { return index }
        let directory = NSTemporaryDirectory() + "fihris-bench-queries-" + UUID().uuidString
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let schema = try Schema.load(from: root + "/corpus/schema.json")
        let index = try SearchIndex(at: directory, mode: .openOrCreate, schema: schema)
        _ = try FolderIndexer(source: FolderSource(folder: corpusFolder, excluding: ["README.md"])).run(into: index)
        try index.optimize()
        self.index = index
        return index
    }
}
