import Foundation
import Testing
@testable import Fihris

/// A brute-force evaluator of the query language over analyzed documents: the reference
/// the index's match sets must equal.
struct ReferenceMatcher {
    struct Doc {
        var fields: [String: [Token]] = [:]      // text fields
        var roots: [String: [[UInt8]?]] = [:]    // the root of each token of a text field
        var keywords: [String: Set<String>] = [:]
        var numbers: [String: Double] = [:]
    }
    let docs: [Doc]
    let ids: [String]
    let textFields = ["text", "extra"]
    let analyzer: Analyzer

    init(_ documents: [Document]) throws {
        analyzer = try Analyzer(AnalyzerOptions(kind: .arabic))
        ids = documents.map(\.id)
        docs = try documents.map { document in
            var doc = Doc()
            for field in document.fields {
                switch field.value {
                case .text(let text) where field.name == "collection":
                    doc.keywords[field.name, default: []].insert(ScriptFolding.fold(text))
                case .text(let text):
                    // Values of one field are 100 positions apart, as the index does.
                    var tokens = doc.fields[field.name] ?? []
                    let shift = tokens.isEmpty ? 0 : (tokens.last!.position + 101)
                    for var t in try Analyzer(AnalyzerOptions(kind: .arabic)).tokens(text) {
                        doc.roots[field.name, default: []].append(RootExtractor.root(of: t, in: text))
                        t.position += shift
                        tokens.append(t)
                    }
                    doc.fields[field.name] = tokens
                case .integer(let i): doc.numbers[field.name] = Double(i)
                default: break
                }
            }
            return doc
        }
    }

    /// nil: the clause is dropped (it analyzed to nothing).
    func matches(_ query: Query, _ d: Doc) throws -> Bool? {
        switch query {
        case .all:
            return true
        case .boost(let inner, _, _):
            return try matches(inner, d)   // a boost changes scores, not matches
        case .fuzzy(let field, let text, _, let range):
            // (Not generated here: TypoTests checks fuzzy words against a scan of every term.)
            return try matches(.term(field: field, text: text, range: range), d)
        case .root(let inner, _):
            // >>word: a document token whose stem has the word's root (else the word itself).
            guard case .term(let field, let text, _) = inner else { return try matches(inner, d) }
            var tokens = try analyzer.tokens(text)
            if tokens.isEmpty { return nil }
            if tokens.contains(where: { !$0.isStopWord }) { tokens.removeAll(where: \.isStopWord) }
            return (field.map { [$0] } ?? textFields).contains { f in
                tokens.contains { q in
                    guard let root = RootExtractor.root(of: q, in: text) else {
                        return d.fields[f]?.contains { $0.stem == q.stem } ?? false
                    }
                    return d.roots[f]?.contains { $0 == root } ?? false
                }
            }
        case .vocalized(let inner, _):
            // Strict harakat: the clause matches, and every query word typed with harakat on
            // its stem has a document token of that stem with compatible harakat.
            guard let base = try matches(inner, d) else { return nil }
            var field: String?, text = ""
            switch inner {
            case .term(let f, let t, _): (field, text) = (f, t)
            case .phrase(let f, let t, _, _): (field, text) = (f, t)
            default: return base
            }
            func stemMarks(_ t: Token) -> [UInt8]? { t.stemVocalization }
            var tokens = try analyzer.tokens(text)
            if case .term = inner, tokens.contains(where: { !$0.isStopWord }) { tokens.removeAll(where: \.isStopWord) }
            let vocalized = tokens.compactMap { t in stemMarks(t).map { (t.stem, $0) } }
            if vocalized.isEmpty { return base }
            let fields = field.map { [$0] } ?? textFields
            let compatible = { (stem: [UInt8], marks: [UInt8]) in
                fields.contains { f in d.fields[f]?.contains { $0.stem == stem && stemMarks($0).map { Vocalization.isCompatible(query: marks, document: $0) } == true } ?? false }
            }
            if case .term = inner { return vocalized.contains { compatible($0.0, $0.1) } }
            return base && vocalized.allSatisfy { compatible($0.0, $0.1) }
        case .term(let field, let text, _):
            if field == "collection" { return d.keywords["collection"]?.contains(ScriptFolding.fold(text)) ?? false }
            if field == "n" { return d.numbers["n"] == Double(ScriptFolding.fold(text)) }
            var tokens = try analyzer.tokens(text)
            if tokens.isEmpty { return nil }
            if tokens.contains(where: { !$0.isStopWord }) { tokens.removeAll(where: \.isStopWord) }
            return (field.map { [$0] } ?? textFields).contains { f in
                tokens.contains { q in d.fields[f]?.contains { $0.stem == q.stem } ?? false }
            }
        case .prefix(let field, let text, _):
            let p = Array(ScriptFolding.fold(text).utf8)
            if field == "collection" { return d.keywords["collection"]?.contains { Array($0.utf8).starts(with: p) } ?? false }
            return (field.map { [$0] } ?? textFields).contains { f in d.fields[f]?.contains { $0.term.starts(with: p) } ?? false }
        case .phrase(let field, let text, let slop, _):
            let tokens = try analyzer.tokens(text)
            guard let first = tokens.first else { return nil }
            if tokens.count == 1 { return try matches(.term(field: field, text: text, range: SourceRange(0, 0)), d) }
            return (field.map { [$0] } ?? textFields).contains { f in
                let field = d.fields[f] ?? []
                func positions(_ term: [UInt8]) -> [Int] { field.filter { $0.term == term }.map(\.position) }
                let offsets = tokens.map { $0.position - first.position }
                for p in positions(tokens[0].term) {
                    let start = p - offsets[0]
                    var low = start, high = start, ok = true
                    var used: Set<Int> = [p]   // each word at its own position
                    for k in 1..<tokens.count {
                        let aligned = positions(tokens[k].term).filter { !used.contains($0) }.filter { abs($0 - offsets[k] - start) <= slop }
                        guard let q = aligned.min(by: { abs($0 - offsets[k] - start) < abs($1 - offsets[k] - start) }) else { ok = false; break }
                        used.insert(q)
                        let best = q - offsets[k]
                        low = min(low, best); high = max(high, best)
                    }
                    if ok && high - low <= slop { return true }
                }
                return false
            }
        case .range(let field, let lower, let upper, _):
            guard let v = d.numbers[field] else { return false }
            if let lower, let l = Double(ScriptFolding.fold(lower.value)), lower.inclusive ? v < l : v <= l { return false }
            if let upper, let u = Double(ScriptFolding.fold(upper.value)), upper.inclusive ? v > u : v >= u { return false }
            return true
        case .boolean(let clauses):
            var must: [Bool] = [], should: [Bool] = [], not: [Bool] = [], stopWords: [Bool] = []
            for c in clauses {
                guard let m = try matches(c.query, d) else { continue }
                switch c.occur {
                case .must: must.append(m)
                case .should where try isStopWord(c.query): stopWords.append(m)
                case .should: should.append(m)
                case .mustNot: not.append(m)
                }
            }
            // An optional stop word counts only when no other clause does.
            if must.isEmpty && should.isEmpty { should = stopWords }
            if must.isEmpty && should.isEmpty && not.isEmpty { return nil }
            if not.contains(true) { return false }
            if !must.isEmpty { return !must.contains(false) }
            if should.isEmpty { return true }
            return should.contains(true)
        }
    }

    /// A single free-text word that is a stop word (in the text fields' analyzer).
    func isStopWord(_ query: Query) throws -> Bool {
        guard case .term(let field, let text, _) = query, field == nil || textFields.contains(field!) else { return false }
        let tokens = try analyzer.tokens(text)
        return !tokens.isEmpty && tokens.allSatisfy(\.isStopWord)
    }

    func matching(_ query: Query) throws -> Set<String> {
        Set(try docs.indices.filter { try matches(query, docs[$0]) == true }.map { ids[$0] })
    }
}

/// Random queries in the syntax, over the test vocabulary.
struct QueryGenerator {
    var rng: SeededGenerator
    let words = ["كتاب", "الكتاب", "قال", "رسول", "الله", "انما", "الاعمال", "بالنيات", "صلي", "عليه", "حدثنا", "ابي", "هريره",
                 "مدرسه", "الرحمن", "قاعده", "عين", "الاسد", "swift", "lmdb", "2026", "الناس", "يوم", "القيامه", "غائب"]

    mutating func word() -> String { words.randomElement(using: &rng)! }

    mutating func leaf() -> String {
        switch Int.random(in: 0..<11, using: &rng) {
        case 0: return "text:" + word()
        case 1:
            let (a, b) = (word(), word())   // (one word twice too: it needs two occurrences)
            return "\"\(a) \(b)\"" + (Bool.random(using: &rng) ? "~\(Int.random(in: 1...4, using: &rng))" : "")
        case 2: return String(word().prefix(Int.random(in: 2...3, using: &rng))) + "*"
        case 3: return "collection:" + ["bukhari", "muslim", "other"].randomElement(using: &rng)!
        case 4:
            let a = Int.random(in: 0..<300, using: &rng), b = a + Int.random(in: 0..<200, using: &rng)
            return "n:" + (Bool.random(using: &rng) ? "[" : "{") + "\(a) TO \(b)" + (Bool.random(using: &rng) ? "]" : "}")
        case 5: return "n:>=\(Int.random(in: 0..<400, using: &rng))"
        case 6: return "extra:" + word()
        case 7: return ">>" + word()                                             // root
        case 8: return "=" + ["قَالَ", "الْكِتَابِ", "رَسُولُ", "عَلَيْهِ", "الْأَعْمَالُ"].randomElement(using: &rng)!   // strict harakat
        default: return word()
        }
    }

    mutating func query(depth: Int = 0) -> String {
        let parts = (0..<Int.random(in: 1...3, using: &rng)).map { _ -> String in
            let inner = depth < 2 && Int.random(in: 0..<4, using: &rng) == 0 ? "(" + query(depth: depth + 1) + ")" : leaf()
            let boost = ["", "", "", "^2", "^0.5"].randomElement(using: &rng)!   // boosts change scores, not matches
            return ["", "", "+", "-"].randomElement(using: &rng)! + inner + boost
        }
        let ops = [" ", " AND ", " OR ", " "]
        var text = parts[0]
        for p in parts.dropFirst() { text += ops.randomElement(using: &rng)! + p }
        return text
    }
}

@Suite struct QueryDifferentialTests {
    static func build(seed: UInt64) throws -> (TemporaryDirectory, SearchIndex, [Document]) {
        var rng = SeededGenerator(seed: seed)
        var documents = randomDocuments(count: 300, seed: seed)
        for i in documents.indices {
            documents[i].fields.append(.init("collection", .text(["bukhari", "muslim"].randomElement(using: &rng)!)))
        }
        let dir = TemporaryDirectory()
        let schema = try Schema(fields: [FieldDefinition(name: "text", type: .text), FieldDefinition(name: "extra", type: .text),
                                         FieldDefinition(name: "n", type: .integer), FieldDefinition(name: "collection", type: .keyword)])
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate, schema: schema)
        for chunk in stride(from: 0, to: documents.count, by: 70) {   // several segments
            try index.write { w in for d in documents[chunk..<min(chunk + 70, documents.count)] { try w.add(d) } }
        }
        return (dir, index, documents)
    }

    @Test(arguments: [21, 22, 23])
    func matchSetsEqualTheBruteForceReference(seed: UInt64) throws {
        let (dir, index, documents) = try Self.build(seed: seed)
        _ = dir
        let reference = try ReferenceMatcher(documents)
        var generator = QueryGenerator(rng: SeededGenerator(seed: seed * 31))
        var nonEmpty = 0
        for _ in 0..<250 {
            let text = generator.query()
            let query = try QueryParser().parse(text)
            var options = SearchOptions(limit: 10_000)
            options.exactTotal = true
            let got = try index.read { try $0.search(query, options: options) }
            let expected = try reference.matching(query)
            #expect(Set(got.hits.map(\.id)) == expected, "\(text) → \(query)")
            #expect(got.total == .exact(expected.count), "\(text)")
            if !expected.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 100, "too few queries matched anything: the generator is not testing much")
    }

    /// MaxScore must return exactly the exhaustive top k (ids and scores).
    @Test(arguments: [31, 32])
    func prunedTopKEqualsExhaustive(seed: UInt64) throws {
        let (dir, index, _) = try Self.build(seed: seed)
        _ = dir
        var generator = QueryGenerator(rng: SeededGenerator(seed: seed))
        for _ in 0..<300 {
            var words = (0..<Int.random(in: 1...5, using: &generator.rng)).map { _ in generator.word() }
            if Int.random(in: 0..<3, using: &generator.rng) == 0 {   // boosted words: pruning bounds scale with them
                words = words.map { $0 + ["", "^3", "^0.25", "^1.5"].randomElement(using: &generator.rng)! }
            }
            // Bags of words (MaxScore, block-max) and phrases (frequency bounds).
            var text = Bool.random(using: &generator.rng) ? words.joined(separator: " ")
                : "\"" + words.prefix(2).joined(separator: " ") + "\"" + (Bool.random(using: &generator.rng) ? "~2" : "")
            switch Int.random(in: 0..<5, using: &generator.rng) {
            case 0: text = String(words[0].prefix(2)) + "*"
            case 1 where words.count > 1: text = words.prefix(3).map { "+" + $0 }.joined(separator: " ")   // AND
            default: break
            }
            // With filters: in the query, or as SearchOptions.filters.
            var filters: [String] = []
            switch Int.random(in: 0..<4, using: &generator.rng) {
            case 0: text = "+(\(text)) +collection:bukhari"
            case 1: filters = ["n:[0 TO 150]"]
            default: break
            }
            for k in [1, 3, 10] {
                var prunedOptions = SearchOptions(limit: k)
                for f in filters { try prunedOptions.addFilter(f) }
                let pruned = try index.read { try $0.search(text, options: prunedOptions) }
                var exhaustive = SearchOptions(limit: k)
                for f in filters { try exhaustive.addFilter(f) }
                exhaustive.exactTotal = true
                let full = try index.read { try $0.search(text, options: exhaustive) }
                #expect(pruned.hits.count == full.hits.count, "\(text) k=\(k)")
                for (a, b) in zip(pruned.hits, full.hits) {
                    #expect(abs(a.score - b.score) <= 1e-5 * max(1, b.score), "\(text) k=\(k)")
                }
                if text.hasSuffix("*") { #expect(pruned.hits.map(\.id) == full.hits.map(\.id), "\(text) k=\(k)") }
                // Ids agree wherever scores are not tied.
                let cut = full.hits.last?.score ?? 0
                #expect(Set(full.hits.filter { $0.score > cut + 1e-4 }.map(\.id)).isSubset(of: Set(pruned.hits.map(\.id))), "\(text) k=\(k)")
            }
        }
    }
}
