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

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                           maxDuration: .seconds(10), maxIterations: 1000)

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
        let directory = NSTemporaryDirectory() + "fihris-bench-search"
        let index = try SearchIndex(at: directory, mode: .openOrCreate)
        if try index.documentCount == 0 {
            let (documents, _) = try loadDocuments()
            try index.write { writer in for document in documents { try writer.add(document) } }
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for query in sampleQueries {
                blackHole(try index.read { try $0.search(query, limit: 10) })
            }
        }
    }
}
