import TextAnalysis

/// A query's stems and exact forms per field, and its prefixes, for marking matches.
struct MatchTerms {
    var stems: [Int: Set<[UInt8]>] = [:]
    var exacts: [Int: Set<[UInt8]>] = [:]
    var prefixes: [Int: [[UInt8]]] = [:]
    var roots: [Int: Set<[UInt8]>] = [:]

    init(_ query: BoundQuery) { collect(query) }

    private mutating func collect(_ query: BoundQuery) {
        switch query {
        case .word(let field, let stem, let exact):
            stems[field, default: []].insert(stem)
            exacts[field, default: []].insert(exact)
        case .phrase(let phrase):
            for word in phrase.words {
                if word.isRoot { roots[phrase.field, default: []].insert(word.term) } else { exacts[phrase.field, default: []].insert(word.term) }
            }
        case .prefix(let field, let prefix):
            prefixes[field, default: []].append(prefix)
        case .root(let field, let root, _):
            roots[field, default: []].insert(root)
        case .boolean(let must, let should, _, _):
            for q in must + should { collect(q) }
        case .boosted(let inner, _):
            collect(inner)
        default:
            break
        }
    }
}

enum Snippets {
    /// Words in a passage.
    static let window = 30

    /// The best passage (up to `window` words) of each stored text field that contains
    /// matches, with the matched words' byte ranges.
    static func make(_ document: Document, _ terms: MatchTerms, schema: Schema) throws -> [Snippet] {
        var result: [Snippet] = []
        for field in document.fields {
            guard case .text(let text) = field.value, let number = schema.fieldNumber(field.name),
                  schema.fields[number].type == .text else { continue }
            let stems = terms.stems[number] ?? [], exacts = terms.exacts[number] ?? [], prefixes = terms.prefixes[number] ?? []
            let roots = terms.roots[number] ?? []
            if stems.isEmpty && exacts.isEmpty && prefixes.isEmpty && roots.isEmpty { continue }
            let tokens = try Analyzer(schema.fields[number].analyzerOptions).tokens(text).filter { !$0.isAlternative }
            // A field's words repeat: their roots are found once (the root search is dear).
            var rootCache = RootExtractor.Cache()
            let utf8 = Array(text.utf8)
            func hasRoot(_ t: Token) -> Bool {
                !roots.isEmpty && utf8.withUnsafeBufferPointer { rootCache.root(of: t, in: $0) }.map(roots.contains) == true
            }
            let matches = tokens.enumerated().filter { _, t in
                stems.contains(t.stem) || exacts.contains(t.term) || prefixes.contains { t.term.starts(with: $0) } || hasRoot(t)
            }.map(\.offset)
            guard !matches.isEmpty else { continue }
            // The window holding the most distinct matched words.
            var best = (start: matches[0], score: 0)
            for start in matches {
                let inside = matches.filter { $0 >= start && $0 < start + window }
                let distinct = Set(inside.map { tokens[$0].stem }).count * 100 + inside.count
                if distinct > best.score { best = (start, distinct) }
            }
            let first = max(0, best.start - 3)
            let last = min(tokens.count - 1, first + window - 1)
            let from = tokens[first].byteRange.lowerBound, to = tokens[last].byteRange.upperBound
            let highlights = matches.filter { $0 >= first && $0 <= last }.map {
                (tokens[$0].byteRange.lowerBound - from)..<(tokens[$0].byteRange.upperBound - from)
            }
            result.append(Snippet(field: field.name, text: String(decoding: utf8[from..<to], as: UTF8.self), highlights: highlights))
        }
        return result
    }
}
