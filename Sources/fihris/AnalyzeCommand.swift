import ArgumentParser
import Fihris
import Foundation

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Show how text is turned into index terms: surface, normalized form, stem, position, bytes.",
        discussion: """
            The first thing to run when a search does not find what you expect: documents \
            and queries go through exactly this analysis. Every word is indexed; stop words \
            are marked (a free-text OR query drops them when it has other words; phrases, \
            + and - keep them).

            Examples:
              fihris analyze "وَبِالْكِتَابِ قَالُوا"
              fihris analyze "The running dogs" --analyzer english --json
              fihris analyze "فعلتم والسنة" --explain
              echo "نص طويل" | fihris analyze -
            """
    )

    @Argument(help: "The text to analyze, or - to read standard input.")
    var text: String

    @Option(name: .long, help: "Analyzer: \(AnalyzerKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var analyzer: AnalyzerKind = .arabic

    @Flag(name: .long, help: "Treat no word as a stop word.")
    var noStopWords = false

    @Flag(name: .long, help: "Print a JSON array of tokens.")
    var json = false

    @Flag(name: .long, help: "Say which rule or lexicon entry produced each stem.")
    var explain = false

    func run() throws {
        var input = text
        if text == "-" {
            input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let tokens: [Token]
        let analyzer: Analyzer
        do {
            analyzer = try Analyzer(AnalyzerOptions(kind: self.analyzer, stopWords: noStopWords ? .none : .default))
            tokens = try analyzer.tokens(input)
        } catch {
            throw fail("analysis failed: \(error)")
        }
        let utf8 = Array(input.utf8)
        func surface(_ token: Token) -> String { String(decoding: utf8[token.byteRange], as: UTF8.self) }
        /// The harakat the index compares (normalized: the lam's marks of لا on the lam, tanween before a final alef).
        func root(_ token: Token) -> String? {
            self.analyzer == .arabic ? RootExtractor.root(of: token, in: input).map { String(decoding: $0, as: UTF8.self) } : nil
        }
        func vocalized(_ token: Token) -> String { token.vocalization.isEmpty ? "" : Vocalization.describe(token.termString, token.vocalization) }
        if json {
            let out = JSONWriter()
            out.array(tokens) { token in
                out.object {
                    out.key("surface"); out.string(surface(token))
                    out.key("normalized"); out.string(token.termString)
                    out.key("stem"); out.string(token.stemString)
                    out.key("position"); out.number(token.position)
                    out.key("start"); out.number(token.byteRange.lowerBound)
                    out.key("end"); out.number(token.byteRange.upperBound)
                    out.key("stopWord"); out.bool(token.isStopWord)
                    if !token.vocalization.isEmpty { out.key("vocalization"); out.string(vocalized(token)) }
                    if let root = root(token) { out.key("root"); out.string(root) }
                    if explain { out.key("rule"); out.string(analyzer.explain(token)) }
                    if explain, self.analyzer == .arabic {
                        // Every reading the root list confirms, with its cost before the corpus prior.
                        out.key("rootCandidates")
                        out.array(RootExtractor.candidates(ofWord: surface(token))) { c in
                            out.array([0, 1]) { i in if i == 0 { out.string(c.root) } else { out.number(c.cost) } }
                        }
                    }
                }
            }
            print(out.text)
            return
        }
        let rows = [["position", "bytes", "surface", "normalized", "stem", "root", "stop", "harakat"] + (explain ? ["rule"] : [])] + tokens.map {
            [String($0.position), "\($0.byteRange.lowerBound)..<\($0.byteRange.upperBound)", surface($0), $0.termString, $0.stemString,
             root($0) ?? "", $0.isStopWord ? "yes" : "", vocalized($0)] + (explain ? [analyzer.explain($0)] : [])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}

extension AnalyzerKind: ExpressibleByArgument {}
