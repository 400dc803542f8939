import ArgumentParser
import Fihris
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure query latency: p50/p90/p99/max and queries per second, per class and overall.",
        discussion: """
            The query file holds one query per line, or JSON lines {"class": "...", "q": "..."} \
            (as Benchmarks/queries/generate_queries.py writes them). Every query runs --warmup \
            times unmeasured, then --runs times; each run is timed around parsing and search \
            (top --limit), with the index open and warm.

            Example:
              fihris bench --index /tmp/full --queries Benchmarks/queries/hadith.jsonl --runs 5
            """
    )

    @Option(name: .long, help: "The index directory.")
    var index: String

    @Option(name: .long, help: "The query file (text lines or JSON lines with class and q).")
    var queries: String

    @Option(name: .long, help: "Unmeasured runs of each query first.")
    var warmup: Int = 1

    @Option(name: .long, help: "Measured runs of each query.")
    var runs: Int = 3

    @Option(name: .long, help: "Hits per query.")
    var limit: Int = 10

    @Option(name: .long, help: "Free-text words also match words of their root, at this weight (as fihris search; default off).")
    var rootExpansion: Float?

    @Flag(name: .long, help: "Also read each hit's stored document and make its snippets, as fihris search shows them (the cost of decompressing stored text).")
    var documents = false

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard warmup >= 0, runs >= 1, limit >= 0 else { throw ValidationError("--warmup ≥ 0, --runs ≥ 1 and --limit ≥ 0") }
        if let rootExpansion, !(rootExpansion >= 0 && rootExpansion <= 10) { throw ValidationError("--root-expansion must be between 0 and 10") }
    }

    func run() throws {
        let lines: [String]
        do {
            lines = try String(contentsOfFile: queries, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        } catch {
            throw fail("cannot read \(queries): \(error.localizedDescription)")
        }
        var set: [(cls: String, q: String)] = []
        for (n, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if line.hasPrefix("{") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let q = object["q"] as? String else {
                    throw fail("\(queries):\(n + 1): expected {\"class\": ..., \"q\": ...}")
                }
                set.append(((object["class"] as? String) ?? "all", q))
            } else {
                set.append(("all", line))
            }
        }
        guard !set.isEmpty else { throw fail("\(queries) holds no queries") }
        let searchIndex: SearchIndex
        do { searchIndex = try SearchIndex(at: index, mode: .open, readOnly: true) } catch {
            throw fail(error)
        }
        var options = SearchOptions(limit: limit)
        options.storedFields = documents
        options.snippets = documents
        if let rootExpansion { options.rootExpansion = rootExpansion }
        var samples: [String: [Double]] = [:]
        var failures = 0
        let started = DispatchTime.now().uptimeNanoseconds
        var measuredNanos: UInt64 = 0
        for pass in 0..<(warmup + runs) {
            for (cls, q) in set {
                let t0 = DispatchTime.now().uptimeNanoseconds
                do {
                    _ = try searchIndex.read { try $0.search(q, options: options) }
                } catch {
                    if pass == 0 { failures += 1 }
                    continue
                }
                let elapsed = DispatchTime.now().uptimeNanoseconds - t0
                if pass >= warmup {
                    samples[cls, default: []].append(Double(elapsed) / 1000)
                    measuredNanos += elapsed
                }
            }
        }
        _ = started
        let classes = samples.keys.sorted()
        let all = samples.values.flatMap { $0 }
        func row(_ name: String, _ values: [Double]) -> (String, Double, Double, Double, Double, Double) {
            let sorted = values.sorted()
            func p(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded()))] }
            let total = values.reduce(0, +)
            return (name, p(0.5), p(0.9), p(0.99), sorted.last ?? 0, total > 0 ? Double(values.count) / (total / 1_000_000) : 0)
        }
        let rows = classes.map { row($0, samples[$0]!) } + (classes.count > 1 ? [row("overall", all)] : [])
        if json {
            let out = JSONWriter()
            out.object {
                out.key("queries"); out.number(set.count)
                out.key("runs"); out.number(runs)
                out.key("failed"); out.number(failures)
                out.key("classes")
                out.array(rows) { r in
                    out.object {
                        out.key("class"); out.string(r.0)
                        out.key("p50"); out.number(Float(r.1))
                        out.key("p90"); out.number(Float(r.2))
                        out.key("p99"); out.number(Float(r.3))
                        out.key("max"); out.number(Float(r.4))
                        out.key("qps"); out.number(Float(r.5))
                    }
                }
            }
            print(out.text)
            return
        }
        print("\(set.count) queries × \(runs) runs (after \(warmup) warm-up), top \(limit), latency in µs\(failures > 0 ? ", \(failures) failed" : "")")
        print("class".padding(toLength: 10, withPad: " ", startingAt: 0) + "     p50      p90      p99      max       qps")
        for r in rows {
            print(r.0.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%8.0f %8.0f %8.0f %8.0f %9.0f", r.1, r.2, r.3, r.4, r.5))
        }
    }
}
