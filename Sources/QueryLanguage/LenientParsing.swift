extension QueryParser {
    /// Parses as much of `text` as is well formed and takes the rest as text; never fails.
    /// A malformed part is found by the strict parser's error column and escaped (`\(`,
    /// `\"`, `\AND`...), then the text is parsed again, at most 256 times; a `name:` whose
    /// name is not in `fieldNames` has its colon escaped. `accept` (binding to a schema)
    /// may refuse a query with a `QueryError` too: a refused `field:value` has its colon
    /// escaped, anything else the character at the error's column. What still fails (or is
    /// empty) becomes its words, joined by the default operator; if `accept` refuses those
    /// too, a query matching nothing.
    public func parseLeniently(_ text: String, accepting accept: (Query) throws(QueryError) -> Void = { _ in }) -> Query {
        var strict = self
        strict.mode = .strict
        let original = Array(text)
        var escaped = Set<Int>()
        for _ in 0...min(original.count, 256) {
            let (candidate, origin) = Self.escaping(original, escaped)
            do {
                if let names = fieldNames, let colon = try Self.unknownFieldColon(candidate, names, arabicOperators) {
                    escaped.insert(origin[colon])
                    continue
                }
                let query = try strict.parse(String(candidate))
                try accept(query)
                return query
            } catch {
                var at = error.column - 1
                guard at >= 0, at < candidate.count, !candidate[at].isWhitespace else { break }
                // A field's clause refused: its colon (the first after the error's column in the word).
                var j = at
                while j < candidate.count, !candidate[j].isWhitespace, candidate[j] != ":", !QueryLexer.special.contains(candidate[j]) || j == at { j += 1 }
                if j < candidate.count, candidate[j] == ":", j > at { at = j }
                guard !escaped.contains(origin[at]) else { break }
                escaped.insert(origin[at])
            }
        }
        let words = plainWords(text)
        do { try accept(words) } catch { return .boolean([]) }
        return words
    }

    /// The words of `text` (split at whitespace; the analyzer drops punctuation), joined by
    /// the default operator, at most `maximumClauses`: a query that cannot fail.
    public func plainWords(_ text: String) -> Query {
        var clauses: [Query.Clause] = []
        var start: Int? = nil
        var position = 0
        var word = ""
        func flush() {
            if let s = start, clauses.count < maximumClauses {
                clauses.append(.init(defaultOperator == .and ? .must : .should, .term(field: nil, text: word, range: SourceRange(s, position))))
            }
            (start, word) = (nil, "")
        }
        for c in text {
            if c.isWhitespace { flush() } else { if start == nil { start = position }; word.append(c) }
            position += 1
        }
        flush()
        return Self.simplify(.boolean(clauses))
    }

    /// `characters` with a backslash before each escaped index, and for each character of
    /// the result the index in `characters` it comes from.
    static func escaping(_ characters: [Character], _ escaped: Set<Int>) -> (text: [Character], origin: [Int]) {
        var text: [Character] = [], origin: [Int] = []
        text.reserveCapacity(characters.count + escaped.count)
        for (i, c) in characters.enumerated() {
            if escaped.contains(i) { text.append("\\"); origin.append(i) }
            text.append(c); origin.append(i)
        }
        return (text, origin)
    }

    /// The index of the first colon after a field name not in `names`.
    static func unknownFieldColon(_ text: [Character], _ names: Set<String>, _ arabicOperators: Bool) throws(QueryError) -> Int? {
        var lexer = QueryLexer(String(text), arabicOperators: arabicOperators)
        let tokens = try lexer.tokens()
        for (i, (token, _)) in tokens.enumerated() where i + 1 < tokens.count {
            if case .word(let name, false) = token, case .colon = tokens[i + 1].0, !names.contains(name) {
                return tokens[i + 1].1.lowerBound
            }
        }
        return nil
    }
}
