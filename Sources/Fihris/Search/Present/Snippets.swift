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
        case .bestOf(let clauses):
            for q in clauses { collect(q) }
        case .completion(let field, let prefix, _):
            prefixes[field, default: []].append(prefix)
        default:
            break
        }
    }
}

enum Snippets {
    /// The passages (`options`) of each stored text field that contains matches, with the
    /// matched words' byte ranges.
    static func make(_ document: Document, _ terms: MatchTerms, schema: Schema, options: SnippetOptions = SnippetOptions()) throws -> [Snippet] {
        var result: [Snippet] = []
        let window = max(1, options.words)
        for field in document.fields {
            guard case .text(let text) = field.value, let number = schema.fieldNumber(field.name),
                  schema.fields[number].type == .text, options.fields?.contains(field.name) ?? true else { continue }
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
            func snippet(_ text: String, _ highlights: [Range<Int>]) -> Snippet {
                var s = Snippet(field: field.name, text: text, highlights: highlights)
                if let tags = options.tags { s.marked = s.marked(pre: tags.pre, post: tags.post) }
                return s
            }
            func snippet(_ first: Int, _ last: Int) -> Snippet {
                let from = tokens[first].byteRange.lowerBound, to = tokens[last].byteRange.upperBound
                let highlights = matches.filter { $0 >= first && $0 <= last }.map {
                    (tokens[$0].byteRange.lowerBound - from)..<(tokens[$0].byteRange.upperBound - from)
                }
                return snippet(String(decoding: utf8[from..<to], as: UTF8.self), highlights)
            }
            if options.wholeField {
                // The field as stored (its text before the first and after the last word too).
                result.append(snippet(text, matches.map { tokens[$0].byteRange }))
                continue
            }
            for (first, last) in passages(matches, stems: matches.map { tokens[$0].stem }, tokens: tokens.count,
                                          window: window, count: max(1, options.passages)) {
                result.append(snippet(first, last))
            }
        }
        return result
    }

    /// Up to `count` non-overlapping windows of `window` tokens (first, last), best first:
    /// each holds the most distinct matched stems, then the most matches, among the
    /// windows starting 3 tokens before a match that overlap none chosen. Two pointers over
    /// the matches (the window's first and last match only move forward): O(matches) a passage.
    static func passages(_ matches: [Int], stems: [[UInt8]], tokens: Int, window: Int, count: Int) -> [(Int, Int)] {
        var chosen: [(Int, Int)] = []
        while chosen.count < count {
            var best: (first: Int, last: Int, score: Int)? = nil
            var counts: [[UInt8]: Int] = [:]   // stems of matches[lower..<end]
            var lower = 0, end = 0
            for s in matches.indices {
                let first = max(0, matches[s] - 3)
                let last = min(tokens - 1, first + window - 1)
                while end < matches.count, matches[end] <= last { counts[stems[end], default: 0] += 1; end += 1 }
                while matches[lower] < first {
                    let c = counts[stems[lower]]!
                    counts[stems[lower]] = c > 1 ? c - 1 : nil
                    lower += 1
                }
                guard !chosen.contains(where: { $0.0 <= last && first <= $0.1 }) else { continue }
                let score = counts.count * 1_000_000 + (end - lower)
                if best == nil || score > best!.score { best = (first, last, score) }
            }
            guard let best else { break }
            chosen.append((best.first, best.last))
        }
        return chosen
    }
}
