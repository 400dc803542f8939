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

