import ArgumentParser
import Fihris
import Foundation

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Rank the documents of an index for a query (BM25 over its words).",
        discussion: """
            Query words are normalized like the documents: diacritics, tatweel and hamza \
            forms do not matter, Latin letters match in any case.

            Examples:
              fihris search "عين الأسد" --index /tmp/fihris-index
              fihris search "إنما الأعمال بالنيات" --index /tmp/fihris-index --limit 3 --json
            """
    )

    @Argument(help: "The query text.")
    var query: String

    @Option(name: .long, help: "The index directory.")
    var index: String

    @Option(name: .long, help: "Number of hits to show.")
    var limit: Int = 10

    @Flag(name: .long, help: "Print the results as one JSON object.")
    var json = false

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more (got \(limit))") }
    }

    func run() throws {
        let results: SearchResults
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            let index = try SearchIndex(at: self.index, mode: .open, readOnly: true)
            results = try index.read { try $0.search(query, limit: limit) }
        } catch let error as FihrisError {
            throw fail(error.message)
        }
        let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
        if json {
            let out = JSONWriter()
            out.object {
                out.key("query"); out.string(query)
                out.key("total"); out.number(results.total.count)
                out.key("hits")
                out.array(results.hits.enumerated()) { rank, hit in
                    out.object {
                        out.key("rank"); out.number(rank + 1)
                        out.key("id"); out.string(hit.id)
                        out.key("score"); out.number(hit.score)
                        out.key("title"); out.string(label(hit.document, width: 200))
                    }
                }
            }
            print(out.text)
            return
        }
        print("\(results.hits.count) of \(results.total) matching documents (\(String(format: "%.1f", Double(micros) / 1000)) ms)")
        for (rank, hit) in results.hits.enumerated() {
            print(String(format: "%3d  %8.4f  ", rank + 1, hit.score) + hit.id + "  " + label(hit.document))
        }
    }
}

/// Writes JSON with keys in the order given (JSONSerialization sorts nothing and orders nothing).
final class JSONWriter {
    private(set) var text = ""
    private var needsComma = [false]

    private func separate() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    func object(_ body: () -> Void) {
        separate(); text += "{"; needsComma.append(false)
        body()
        needsComma.removeLast(); text += "}"
    }

    func array<S: Sequence>(_ elements: S, _ body: (S.Element) -> Void) {
        separate(); text += "["; needsComma.append(false)
        for element in elements { body(element) }
        needsComma.removeLast(); text += "]"
    }

    func key(_ name: String) {
        string(name)
        text += ":"
        needsComma[needsComma.count - 1] = false
    }

    func string(_ value: String) {
        separate()
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    func number(_ value: Int) { separate(); text += String(value) }
    func number(_ value: Float) { separate(); text += value.isFinite ? "\(value)" : "null" }
}
