import ArgumentParser
import Fihris
import Foundation

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Rank the documents of an index for a query (BM25), with snippets, filters and facets.",
        discussion: """
            Query syntax (see the README): words (OR by default, AND with --and), "a phrase", \
            "a phrase"~3 (proximity), AND OR NOT && || !, +required -excluded, (groups), \
            field:word, field:"phrase", field:[a TO b] and field:{a TO b} (* for open), \
            field:>=N > < <=, prefix*, word~1 word~2 (typos), word^2 (boost), * (every document), \\ escapes. \
            Words are analyzed like the documents: \
            diacritics, hamza forms, clitics and Arabic-Indic digits do not matter.

            --batch reads JSON lines {"id": "...", "q": "...", "limit": N} on standard input and \
            writes one JSON line per query: {"id", "hits": [{"id", "score"}], "total", "micros"}, \
            or {"id", "error"}; micros covers parsing and search, with the index open and warm.

            Examples:
              fihris search "عين الأسد" --index /tmp/fihris-index
              fihris search '"إنما الأعمال" +collection:bukhari' --index idx --limit 3 --json
              fihris search "الصلاة" --index idx --filter "book:[1 TO 10]" --facet collection
              fihris search "الصيام" --index idx --sort book:asc,score:desc --fields book,collection
              fihris search "رمضاان" --index idx --typos auto
              fihris search --like bukhari:1 --index idx --limit 5
              echo '{"id": "1", "q": "الصيام رمضان"}' | fihris search --index idx --batch
            """
    )

    @Argument(help: "The query (omit with --batch).")
    var query: String?

    @Option(name: .long, help: "The index directory; repeat it to search several indexes as one (statistics merged across them, each hit labelled with its index).")
    var index: [String]

    @Option(name: .long, help: "Number of hits to show.")
    var limit: Int = 10

    @Option(name: .long, help: "Hits to skip (paging).")
    var offset: Int = 0

    @Flag(name: .long, help: "Require every word (default operator AND instead of OR).")
    var and = false

    @Option(name: .long, help: "A query every hit must match, without changing scores; repeatable.")
    var filter: [String] = []

    @Option(name: .long, help: "Count the values of this keyword field over all matches, or of a numeric field in ranges (book:0-10,10-20,20-); repeatable.")
    var facet: [String] = []

    @Option(name: .long, help: ArgumentHelp("auto: a word of 4 letters or more that is in no document also matches words within 1 edit (2 from 9 letters), after folding; off (default): words match as typed (word~1 and word~2 still work).", valueName: "auto|off"))
    var typos: String = "off"

    @Option(name: .long, help: ArgumentHelp("Documents like this one (its most distinctive words, itself left out); no query argument.", valueName: "id"))
    var like: String?

    @Flag(name: .long, help: "Search as you type: the query's last word (nothing after it) matches the words it begins, the most frequent first.")
    var asYouType = false

    @Option(name: .long, help: ArgumentHelp("A synonyms file for this search (one group per line, entries separated by commas: صلى الله عليه وسلم, ﷺ, صلعم); replaces the schema's.", valueName: "file"))
    var synonyms: String?

    @Flag(name: .long, help: "Never fail on the query: well-formed operators work, anything else (unclosed quotes or brackets, a colon after a word that is no field) is searched as text. For text pasted from documents or typed in a search box.")
    var plain = false

    @Flag(name: .long, help: "و, أو and ليس standing alone between spaces are AND, OR and NOT.")
    var arabicOperators = false

    @Option(name: .long, help: ArgumentHelp("Order hits by fields and the score instead of relevance: book:asc,score:desc (integer, double or keyword fields; a document without the field comes last).", valueName: "keys"))
    var sort: String?

    @Option(name: .long, help: ArgumentHelp("Stored fields to show with each hit (JSON: \"fields\"), comma-separated: book,collection.", valueName: "names"))
    var fields: String?

    @Option(name: .long, help: "Words in a snippet (default 30).")
    var snippetWords: Int = 30

    @Option(name: .long, help: "Snippets (passages) per field, best first; 0: none (default 1).")
    var snippets: Int = 1

    @Flag(name: .long, help: "Mark every match in the whole field instead of passages.")
    var highlightWhole = false

    @Option(name: .long, help: ArgumentHelp("Only these text fields get snippets, comma-separated.", valueName: "names"))
    var snippetFields: String?

    @Option(name: .long, help: ArgumentHelp("Put these around matched words, comma-separated: '<mark>,</mark>' (HTML tags escape the text) or '**,**'. JSON: \"marked\".", valueName: "pre,post"))
    var highlightTags: String?

    @Flag(name: .long, help: "Show each hit's score broken down per term.")
    var explain = false

    @Flag(name: .long, help: "Count every match exactly (slower for large result sets).")
    var exactTotal = false

    @Flag(name: .long, help: "Words typed with harakat match only documents that write them compatibly (default: such documents rank first).")
    var vocalized = false

    @Option(name: .long, help: "Free-text words also match words of their root, at this weight (e.g. 0.2; default off).")
    var rootExpansion: Float?

    @Option(name: .long, help: "Stop a search that runs longer than this many milliseconds, with an error (0: no limit).")
    var timeLimit: Int = 10_000

    @Flag(name: .long, help: "Print the results as one JSON object.")
    var json = false

    @Flag(name: .long, help: "Read JSON-lines queries on standard input; write JSON-lines results.")
    var batch = false

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more (got \(limit))") }
        guard offset >= 0 else { throw ValidationError("--offset must be 0 or more (got \(offset))") }
        guard timeLimit >= 0 else { throw ValidationError("--time-limit must be 0 (no limit) or more milliseconds (got \(timeLimit))") }
        guard TypoTolerance(rawValue: typos) != nil else { throw ValidationError("--typos is auto or off (got \(typos))") }
        guard (1...1000).contains(snippetWords) else { throw ValidationError("--snippet-words must be between 1 and 1000 (got \(snippetWords))") }
        guard (0...100).contains(snippets) else { throw ValidationError("--snippets must be between 0 and 100 (got \(snippets))") }
        if let highlightTags, !highlightTags.contains(",") {
            throw ValidationError("--highlight-tags takes the opening and closing marks separated by a comma: '<mark>,</mark>'")
        }
        if let sort {
            do { _ = try SortKey.list(sort) } catch { throw ValidationError("--sort \(sort): \(error.message)") }
        }
        if batch && query != nil { throw ValidationError("--batch reads queries from standard input: give no query argument") }
        if like != nil && (query != nil || batch) { throw ValidationError("--like ID searches documents like ID: give no query (nor --batch)") }
        if !batch && query == nil && like == nil { throw ValidationError("missing the query (or --batch, or --like ID)") }
    }

    func searchOptions() throws -> SearchOptions {
        var options = SearchOptions(limit: limit)
        options.offset = offset
        options.defaultOperator = and ? .and : .or
        if plain { options.queryMode = .lenient }
        options.asYouType = asYouType
        if let synonyms { options.synonyms = try Synonyms.load(from: synonyms) }
        options.typoTolerance = TypoTolerance(rawValue: typos) ?? .off
        options.arabicOperators = arabicOperators
        for f in filter {
            do { try options.addFilter(f) } catch { throw FihrisError(.invalidQuery, "invalid query at \(error) (in --filter \"\(f)\")") }
        }
        options.facets = facet
        if let sort { options.sort = try SortKey.list(sort) }
        options.explain = explain
        options.exactTotal = exactTotal
        if vocalized { options.vocalization = .strict }
        if let rootExpansion {
            guard rootExpansion >= 0 && rootExpansion <= 10 else { throw ValidationError("--root-expansion must be between 0 and 10") }
            options.rootExpansion = rootExpansion
        }
        if timeLimit > 0 { options.timeBudget = .milliseconds(timeLimit) }
        options.snippets = !batch && snippets > 0
        options.snippetOptions = SnippetOptions(words: snippetWords, passages: snippets, wholeField: highlightWhole,
                                                fields: snippetFields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
                                                tags: tags)
        options.storedFields = !batch || fields != nil
        return options
    }

    func run() throws {
        let indexes = try index.map(open)
        try checkFields(indexes)
        if batch { return try runBatch(indexes) }
        let started = DispatchTime.now().uptimeNanoseconds
        let (results, labels) = try search(indexes)
        let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
        if json { return printJSON(results, labels: labels) }
        let bold = isatty(1) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        print("\(results.hits.count) of \(results.total) matching documents (\(String(format: "%.1f", Double(micros) / 1000)) ms)")
        for (rank, hit) in results.hits.enumerated() {
            let shown = shownFields(hit.document).map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            let from = index.count > 1 ? "  (" + labels[rank] + ")" : ""
            print(String(format: "%3d  %8.4f  ", offset + rank + 1, hit.score) + hit.id + from + (shown.isEmpty ? "" : "  [" + shown + "]") + "  " + label(hit.document))
            let fieldsShown = Set(hit.snippets.map(\.field)).count > 1
            for snippet in hit.snippets {
                let text = snippet.marked.map(oneLine) ?? marked(snippet, bold: bold)
                print("       " + (fieldsShown ? snippet.field + ": " : "") + text)
            }
            for part in hit.explanation {
                print(String(format: "       %8.4f  ", part.score) + part.term)
            }
        }
        for (field, counts) in results.facets.sorted(by: { $0.key < $1.key }) {
            print("\(field): " + counts.map { "\($0.value) (\($0.count))" }.joined(separator: ", "))
        }
        for suggestion in results.suggestions {
            print("did you mean, for \(suggestion.word): " + suggestion.candidates.map { "\($0.text) (\($0.documents))" }.joined(separator: ", "))
        }
    }

    func open(_ path: String) throws -> SearchIndex {
        do {
            return try SearchIndex(at: path, mode: .open, readOnly: true)
        } catch {
            throw fail(error)
        }
    }

    func search(_ indexes: [SearchIndex]) throws -> (SearchResults, [String]) {
        let options = try searchOptions()
        do {
            return try search(indexes, query ?? "", options: options)
        } catch {
            throw fail((error as? FihrisError)?.message ?? "\(error)")
        }
    }

    /// One index: its results. Several: each searched with the statistics of all (so a
    /// score means the same in each), their hits merged by score (ties: the earlier
    /// --index), totals added, facets and suggestions merged; with the index of each hit.
    func search(_ indexes: [SearchIndex], _ text: String, options: SearchOptions) throws -> (SearchResults, [String]) {
        if indexes.count == 1 {
            let results = try indexes[0].read { searcher in
                if let like { return try searcher.similar(to: like, options: options) }
                return try searcher.search(text, options: options)
            }
            return (results, Array(repeating: index[0], count: results.hits.count))
        }
        guard options.sort.isEmpty else { throw FihrisError(.invalidArgument, "--sort takes one --index (sort keys are not compared across indexes yet)") }
        guard like == nil else { throw FihrisError(.invalidArgument, "--like takes one --index") }
        var each = options
        // (A query the strict parser refuses is searched with each index's own statistics.)
        if let parts = try? indexes.map({ i in try i.read { try $0.collectionStatistics(for: text, defaultOperator: options.defaultOperator) } }) {
            each.statistics = CollectionStatistics.merged(parts)
        }
        if options.limit > 0 { (each.offset, each.limit) = (0, options.offset + options.limit) }
        var all: [(hit: SearchResults.Hit, from: Int)] = []
        var total = 0, exact = true
        var facets: [String: [String: Int]] = [:], facetOrder: [String: [String]] = [:]
        var suggestions: [SearchResults.Suggestion] = []
        for (n, searchIndex) in indexes.enumerated() {
            let r = try searchIndex.read { try $0.search(text, options: each) }
            all += r.hits.map { ($0, n) }
            total += r.total.count
            if case .atLeast = r.total { exact = false }
            for (name, counts) in r.facets {
                for c in counts {
                    if facets[name]?[c.value] == nil { facetOrder[name, default: []].append(c.value) }
                    facets[name, default: [:]][c.value, default: 0] += c.count
                }
            }
            for s in r.suggestions where !suggestions.contains(where: { $0.word == s.word && $0.field == s.field }) { suggestions.append(s) }
        }
        all.sort { $0.hit.score != $1.hit.score ? $0.hit.score > $1.hit.score : $0.from < $1.from }
        let page = Array(all.dropFirst(options.offset).prefix(options.limit))
        var merged: [String: [FacetCount]] = [:]
        for (name, counts) in facets {
            let order = facetOrder[name] ?? []
            let list: [FacetCount] = order.map { FacetCount(value: $0, count: counts[$0] ?? 0) }
            // Ranges keep their order; values go most frequent first.
            let byCount: (FacetCount, FacetCount) -> Bool = { a, b in a.count != b.count ? a.count > b.count : a.value < b.value }
            merged[name] = name.contains(":") ? list : list.sorted(by: byCount)
        }
        var results = SearchResults(hits: page.map(\.hit), total: exact ? .exact(total) : .atLeast(total), facets: merged)
        results.suggestions = total < options.suggestBelow ? suggestions : []
        return (results, page.map { index[$0.from] })
    }

    /// `--highlight-tags` split at its first comma.
    var tags: (pre: String, post: String)? {
        guard let highlightTags, let comma = highlightTags.firstIndex(of: ",") else { return nil }
        return (String(highlightTags[..<comma]), String(highlightTags[highlightTags.index(after: comma)...]))
    }

    /// The field names `--fields` gives, in its order.
    var fieldNames: [String] {
        (fields ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The stored fields `--fields` names, in its order; a field a document has several
    /// values of, each of them.
    func shownFields(_ document: Document) -> [Document.Field] {
        fieldNames.flatMap { name in document.fields.filter { $0.name == name } }
    }

    /// `"fields": {name: value}` (a list of values for a field given several times; a
    /// field the document lacks is left out).
    func writeFields(_ document: Document, _ out: JSONWriter) {
        out.key("fields")
        out.object {
            for name in fieldNames {
                let values = document.fields.filter { $0.name == name }.map(\.value)
                guard !values.isEmpty else { continue }
                out.key(name)
                if values.count == 1 { out.value(values[0]) } else { out.array(values) { out.value($0) } }
            }
        }
    }

    /// An error for a `--fields` name no index's schema has.
    func checkFields(_ indexes: [SearchIndex]) throws {
        guard fields != nil else { return }
        let schemas = try indexes.map { try $0.read { $0.schema } }
        for name in fieldNames where !schemas.contains(where: { $0.fieldNumber(name) != nil }) {
            throw fail("--fields: no field \"\(name)\" (fields: \(schemas[0].fields.map(\.name).joined(separator: ", ")))")
        }
    }

    /// The snippet with its matched words marked: bold on a terminal, [[...]] otherwise.
    func marked(_ snippet: Snippet, bold: Bool) -> String {
        oneLine(snippet.marked(pre: bold ? "\u{1B}[1m" : "[[", post: bold ? "\u{1B}[0m" : "]]", escapingHTML: false))
    }

    /// Text on one terminal line.
    func oneLine(_ text: String) -> String { text.split(whereSeparator: \.isNewline).joined(separator: " ") }

    func printJSON(_ results: SearchResults, labels: [String]) {
        let out = JSONWriter()
        out.object {
            out.key("query"); out.string(query ?? "")
            out.key("total"); out.number(results.total.count)
            out.key("totalIsExact"); out.bool(results.total == .exact(results.total.count))
            out.key("hits")
            out.array(results.hits.enumerated()) { rank, hit in
                out.object {
                    out.key("rank"); out.number(offset + rank + 1)
                    out.key("id"); out.string(hit.id)
                    if index.count > 1 { out.key("index"); out.string(labels[rank]) }
                    out.key("score"); out.number(hit.score)
                    out.key("title"); out.string(label(hit.document, width: 200))
                    if fields != nil { writeFields(hit.document, out) }
                    out.key("snippets")
                    out.array(hit.snippets) { snippet in
                        out.object {
                            out.key("field"); out.string(snippet.field)
                            out.key("text"); out.string(snippet.text)
                            if let marked = snippet.marked { out.key("marked"); out.string(marked) }
                            out.key("highlights")
                            out.array(snippet.highlights) { r in
                                out.object { out.key("start"); out.number(r.lowerBound); out.key("end"); out.number(r.upperBound) }
                            }
                        }
                    }
                    if !hit.explanation.isEmpty {
                        out.key("explanation")
                        out.array(hit.explanation) { part in
                            out.object { out.key("term"); out.string(part.term); out.key("score"); out.number(part.score) }
                        }
                    }
                }
            }
            if !results.suggestions.isEmpty {
                out.key("suggestions")
                out.array(results.suggestions) { s in
                    out.object {
                        out.key("word"); out.string(s.word)
                        out.key("field"); out.string(s.field)
                        out.key("candidates")
                        out.array(s.candidates) { c in
                            out.object { out.key("text"); out.string(c.text); out.key("documents"); out.number(c.documents); out.key("edits"); out.number(c.edits) }
                        }
                    }
                }
            }
            if !results.facets.isEmpty {
                out.key("facets")
                out.object {
                    for (field, counts) in results.facets.sorted(by: { $0.key < $1.key }) {
                        out.key(field)
                        out.array(counts) { c in out.object { out.key("value"); out.string(c.value); out.key("count"); out.number(c.count) } }
                    }
                }
            }
        }
        print(out.text)
    }

    /// One JSON line in, one JSON line out, until standard input ends.
    func runBatch(_ indexes: [SearchIndex]) throws {
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let out = JSONWriter()
            var id = "\(lineNumber)"
            do {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw FihrisError(.invalidArgument, "line \(lineNumber): expected a JSON object")
                }
                if let given = object["id"] { id = "\(given)" }
                guard let text = object["q"] as? String else {
                    throw FihrisError(.invalidArgument, "line \(lineNumber): \"q\" (the query) is missing")
                }
                var options = try searchOptions()
                if let limit = object["limit"] as? Int {
                    guard limit >= 0 else { throw FihrisError(.invalidArgument, "line \(lineNumber): limit must be 0 or more") }
                    options.limit = limit
                }
                let started = DispatchTime.now().uptimeNanoseconds
                let (results, labels) = try search(indexes, text, options: options)
                let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
                out.object {
                    out.key("id"); out.string(id)
                    out.key("hits")
                    out.array(results.hits.enumerated()) { rank, hit in
                        out.object {
                            out.key("id"); out.string(hit.id); out.key("score"); out.number(hit.score)
                            if index.count > 1 { out.key("index"); out.string(labels[rank]) }
                            if fields != nil { writeFields(hit.document, out) }
                        }
                    }
                    out.key("total"); out.number(results.total.count)
                    out.key("micros"); out.number(Int(micros))
                    if !results.suggestions.isEmpty {
                        out.key("suggestions")
                        out.array(results.suggestions) { s in
                            out.object { out.key("word"); out.string(s.word); out.key("candidates"); out.array(s.candidates) { out.string($0.text) } }
                        }
                    }
                }
            } catch {
                let message = (error as? FihrisError)?.message ?? "line \(lineNumber): not valid JSON: \(line.prefix(60))"
                out.object { out.key("id"); out.string(id); out.key("error"); out.string(message) }
            }
            FileHandle.standardOutput.write(Data((out.text + "\n").utf8))  // unbuffered: one line per query
        }
    }
}
