/// Tokens of the query syntax.
enum QueryToken: Equatable {
    case word(String, prefix: Bool)
    case phrase(String)
    case and, or, not
    case plus, minus
    case leftParen, rightParen
    case colon
    case leftBracket, rightBracket, leftBrace, rightBrace
    case compare(String)
    case tilde(Int)
    /// `^N` after a clause: its boost.
    case caret(Float)
    /// `=` before a word or phrase: harakat must match (strict vocalization).
    case equals
    /// `>>` before a word: its root.
    case rootOf
    case end
}

struct QueryLexer {
    /// Characters that end a word and must be escaped with `\` to be part of one.
    static let special: Set<Character> = ["(", ")", "\"", ":", "[", "]", "{", "}", "~", "\\", "^", "*"]

    /// Whether a value follows this token in a range (`[`, `{`, `TO`, `>=`...): there a `-`
    /// before a digit is a minus sign.
    static func precedesValue(_ token: QueryToken) -> Bool {
        switch token {
        case .leftBracket, .leftBrace, .compare: true
        case .word("TO", false): true
        default: false
        }
    }

    let characters: [Character]
    var i = 0

    /// Whether و, أو (او) and ليس standing alone are AND, OR and NOT.
    var arabicOperators = false

    init(_ text: String, arabicOperators: Bool = false) {
        characters = Array(text)
        self.arabicOperators = arabicOperators
    }

    func error(_ message: String, at position: Int) -> QueryError { QueryError(message, column: position + 1) }

    mutating func tokens() throws(QueryError) -> [(QueryToken, SourceRange)] {
        var out: [(QueryToken, SourceRange)] = []
        while true {
            while i < characters.count, characters[i].isWhitespace { i += 1 }
            let start = i
            guard i < characters.count else {
                out.append((.end, SourceRange(i, i)))
                return out
            }
            let c = characters[i]
            func single(_ token: QueryToken) { i += 1; out.append((token, SourceRange(start, i))) }
            switch c {
            case "(": single(.leftParen)
            case ")": single(.rightParen)
            case ":": single(.colon)
            case "[": single(.leftBracket)
            case "]": single(.rightBracket)
            case "{": single(.leftBrace)
            case "}": single(.rightBrace)
            case "+": single(.plus)
            case "-" where next.map({ $0.isASCII && $0.isNumber }) == true && out.last.map({ Self.precedesValue($0.0) }) == true:
                // A negative number as a range bound (field:[-5 TO -1], field:>=-3), not an exclusion.
                i += 1
                var text = "-"
                while i < characters.count, !characters[i].isWhitespace, !Self.special.contains(characters[i]) { text.append(characters[i]); i += 1 }
                out.append((.word(text, prefix: false), SourceRange(start, i)))
            case "-": single(.minus)
            case "!": single(.not)
            case "=" where next == "\"" || (next.map { !$0.isWhitespace && !Self.special.contains($0) && $0 != "=" } ?? false):
                single(.equals)
            case "&" where next == "&": i += 2; out.append((.and, SourceRange(start, i)))
            case "|" where next == "|": i += 2; out.append((.or, SourceRange(start, i)))
            case ">" where next == ">":
                i += 2
                out.append((.rootOf, SourceRange(start, i)))
            case ">", "<":
                i += 1
                if i < characters.count && characters[i] == "=" { i += 1 }
                out.append((.compare(String(characters[start..<i])), SourceRange(start, i)))
            case "~":
                i += 1
                var digits = ""
                while i < characters.count, let d = characters[i].wholeNumberValue, characters[i].isASCII { digits.append(String(d)); i += 1 }
                guard digits.count <= 4 else {
                    throw error("the proximity \(digits.count > 12 ? String(digits.prefix(8)) + "…(\(digits.count) digits)" : digits) is too large (at most 9999)", at: start)
                }
                out.append((.tilde(Int(digits) ?? -1), SourceRange(start, i)))  // -1: no number
            case "\"":
                i += 1
                var text = ""
                var closed = false
                while i < characters.count {
                    let d = characters[i]
                    if d == "\\" {
                        guard i + 1 < characters.count else { throw error("a backslash at the end escapes nothing", at: i) }
                        text.append(characters[i + 1])
                        i += 2
                        continue
                    }
                    i += 1
                    if d == "\"" { closed = true; break }
                    text.append(d)
                }
                guard closed else { throw error("unbalanced quote: this phrase is not closed", at: start) }
                out.append((.phrase(text), SourceRange(start, i)))
            case "^":
                i += 1
                var digits = ""
                while i < characters.count, characters[i].isASCII, characters[i].isNumber || characters[i] == "." { digits.append(characters[i]); i += 1 }
                guard let factor = Float(digits), factor.isFinite, digits.first != "." || digits.count > 1 else {
                    throw error("a boost needs a number after ^ (word^2, (a b)^0.5)", at: start)
                }
                guard factor <= 1000 else { throw error("the boost \(digits) is too large (at most 1000)", at: start) }
                out.append((.caret(factor), SourceRange(start, i)))
            case "*" where next == nil || next!.isWhitespace || (Self.special.contains(next!) && next != "*"):
                single(.word("*", prefix: false))  // an open range bound
            default:
                var text = ""
                var prefix = false
                var escaped = false
                while i < characters.count {
                    let d = characters[i]
                    if d.isWhitespace { break }
                    if d == "\\" {
                        guard i + 1 < characters.count else { throw error("a backslash at the end escapes nothing", at: i) }
                        text.append(characters[i + 1])
                        escaped = true
                        i += 2
                        continue
                    }
                    if d == "*" {
                        let atEnd = i + 1 >= characters.count || characters[i + 1].isWhitespace || Self.special.contains(characters[i + 1]) && characters[i + 1] != "*"
                        guard atEnd, !text.isEmpty else {
                            throw error(text.isEmpty ? "a prefix query needs letters before *" : "* is only supported at the end of a word (prefix*)", at: i)
                        }
                        prefix = true
                        i += 1
                        break
                    }
                    if Self.special.contains(d) { break }
                    text.append(d)
                    i += 1
                }
                if text.isEmpty && !prefix {
                    throw error("unexpected \(c)", at: start)
                }
                // An operator word is one unless a backslash is in it (\AND is the word AND).
                let token: QueryToken
                switch text {
                case _ where prefix || escaped: token = .word(text, prefix: prefix)
                case "AND": token = .and
                case "OR": token = .or
                case "NOT": token = .not
                case "و" where arabicOperators: token = .and
                case "أو" where arabicOperators, "او" where arabicOperators: token = .or
                case "ليس" where arabicOperators: token = .not
                default: token = .word(text, prefix: prefix)
                }
                out.append((token, SourceRange(start, i)))
            }
        }
    }

    private var next: Character? { i + 1 < characters.count ? characters[i + 1] : nil }
}

/// Parses the query syntax (Lucene-like) into a `Query`.
///
///     query    := or
///     or       := sequence ( ("OR" | "||") sequence )*
///     sequence := and and*                  -- adjacent clauses: the default operator
///     and      := clause ( ("AND" | "&&") clause )*
///     clause   := ("+" | "-" | "!" | "NOT")? primary ("^" NUMBER)?   -- boost: the score × NUMBER
///     primary  := "(" or ")" | FIELD ":" fieldValue | value
///     fieldValue := "(" or ")" | value | range | (">" | ">=" | "<" | "<=") WORD
///     value    := "="? WORD | WORD"*" | ("=" | ">>")? PHRASE ("~" N)? | ">>" WORD | "*" | "*:*"
///                 -- "*", "*:*": every document
///                 -- "=": harakat must match; ">>": the words' roots
///     range    := ("[" | "{") (WORD | "*") "TO" (WORD | "*") ("]" | "}")
///
/// AND binds tighter than adjacency, which binds tighter than OR. The default operator
/// (adjacent clauses) is OR unless `defaultOperator` is `.and`. `\` escapes any character.
public struct QueryParser: Sendable {
    public enum DefaultOperator: String, Sendable, Codable, CaseIterable { case or, and }

    public var defaultOperator: DefaultOperator
    /// Deepest nesting of parentheses accepted.
    public var maximumDepth: Int
    /// Most words, phrases and ranges accepted in one query.
    public var maximumClauses: Int

    /// `.strict` (the default): a malformed query is an error naming the column.
    /// `.lenient`, for search boxes (Elasticsearch's `simple_query_string`): well-formed
    /// operators work, anything else is taken as text; `parse` never throws.
    public var mode: Mode
    /// Lenient mode: the field names of the index; `name:` with another name is text (a
    /// colon inside pasted text). Nil: every `name:` is a field.
    public var fieldNames: Set<String>?
    /// و, أو (او) and ليس standing alone, between spaces, are AND, OR and NOT (off by
    /// default: in text they are words). `\و` is the word.
    public var arabicOperators: Bool

    public enum Mode: String, Sendable, Codable, CaseIterable { case strict, lenient }

    public init(defaultOperator: DefaultOperator = .or, maximumDepth: Int = 32, maximumClauses: Int = 1024,
                mode: Mode = .strict, fieldNames: Set<String>? = nil, arabicOperators: Bool = false) {
        self.defaultOperator = defaultOperator
        self.maximumDepth = maximumDepth
        self.maximumClauses = maximumClauses
        self.mode = mode
        self.fieldNames = fieldNames
        self.arabicOperators = arabicOperators
    }

    public func parse(_ text: String) throws(QueryError) -> Query {
        if mode == .lenient { return parseLeniently(text) }
        var lexer = QueryLexer(text, arabicOperators: arabicOperators)
        var state = State(tokens: try lexer.tokens(), parser: self)
        if case .end = state.peek {
            throw QueryError("the query is empty", column: 1)
        }
        let query = try state.or(field: nil, depth: 0)
        guard case .end = state.peek else {
            if case .rightParen = state.peek { throw state.error("unbalanced parenthesis: nothing to close here") }
            throw state.error("unexpected \(state.describe(state.peek))")
        }
        return Self.simplify(query)
    }

    /// Drops one-clause wrappers: `(a)` is `a`, `(+a)` stays (it is a requirement).
    static func simplify(_ query: Query) -> Query {
        guard case .boolean(let clauses) = query else { return query }
        let simplified = clauses.map { Query.Clause($0.occur, simplify($0.query)) }
        if simplified.count == 1, simplified[0].occur == .should { return simplified[0].query }
        return .boolean(simplified)
    }

    struct State {
        let tokens: [(QueryToken, SourceRange)]
        let parser: QueryParser
        var position = 0
        var clauses = 0

        init(tokens: [(QueryToken, SourceRange)], parser: QueryParser) {
            self.tokens = tokens
            self.parser = parser
        }

        var peek: QueryToken { tokens[position].0 }
        var peekNext: QueryToken? { position + 1 < tokens.count ? tokens[position + 1].0 : nil }
        var range: SourceRange { tokens[position].1 }

        func error(_ message: String) -> QueryError { QueryError(message, column: range.column) }

        func describe(_ token: QueryToken) -> String {
            switch token {
            case .word(let w, _): return "word \"\(w)\""
            case .phrase: return "phrase"
            case .and: return "AND"
            case .or: return "OR"
            case .not: return "NOT"
            case .plus: return "+"
            case .minus: return "-"
            case .leftParen: return "("
            case .rightParen: return ")"
            case .colon: return ":"
            case .leftBracket: return "["
            case .rightBracket: return "]"
            case .leftBrace: return "{"
            case .rightBrace: return "}"
            case .compare(let op): return op
            case .tilde: return "~"
            case .caret: return "^"
            case .equals: return "="
            case .rootOf: return ">>"
            case .end: return "end of the query"
            }
        }

        mutating func advance() { if position < tokens.count - 1 { position += 1 } }

        mutating func or(field: String?, depth: Int) throws(QueryError) -> Query {
            var parts = [try sequence(field: field, depth: depth)]
            while case .or = peek {
                let at = range
                advance()
                if startsClause(peek) == false { throw QueryError("OR needs a clause after it", column: at.column) }
                parts.append(try sequence(field: field, depth: depth))
            }
            if parts.count == 1 { return parts[0] }
            return .boolean(parts.map { part in
                // A lone exclusion in an OR keeps its meaning ("a OR NOT b": a, and not b).
                if case .boolean(let c) = part, c.count == 1, c[0].occur == .mustNot { return c[0] }
                return Query.Clause(.should, part)
            })
        }

        func startsClause(_ token: QueryToken) -> Bool {
            switch token {
            case .word, .phrase, .plus, .minus, .not, .leftParen, .equals, .rootOf: return true
            default: return false
            }
        }

        mutating func sequence(field: String?, depth: Int) throws(QueryError) -> Query {
            var clauses: [Query.Clause] = []
            repeat {
                let part = try and(field: field, depth: depth)
                clauses.append(contentsOf: part)
            } while startsClause(peek)
            if clauses.count == 1, clauses[0].occur != .mustNot {
                return clauses[0].occur == .should ? clauses[0].query : .boolean(clauses)
            }
            let defaultOccur: Query.Occur = parser.defaultOperator == .and ? .must : .should
            return .boolean(clauses.map { $0.occur == .should ? Query.Clause(defaultOccur, $0.query) : $0 })
        }

        /// An AND chain, as clauses: every operand required (or excluded).
        mutating func and(field: String?, depth: Int) throws(QueryError) -> [Query.Clause] {
            var clauses = [try clause(field: field, depth: depth)]
            var chained = false
            while case .and = peek {
                let at = range
                advance()
                if startsClause(peek) == false { throw QueryError("AND needs a clause after it", column: at.column) }
                clauses.append(try clause(field: field, depth: depth))
                chained = true
            }
            guard chained else { return clauses }
            let required = clauses.map { $0.occur == .mustNot ? $0 : Query.Clause(.must, $0.query) }
            return [Query.Clause(.should, .boolean(required))]
        }

        mutating func clause(field: String?, depth: Int) throws(QueryError) -> Query.Clause {
            switch peek {
            case .plus:
                let at = range
                advance()
                guard startsPrimary(peek) else { throw QueryError("+ needs a clause after it", column: at.column) }
                return Query.Clause(.must, try boosted(try primary(field: field, depth: depth)))
            case .minus, .not:
                let at = range
                advance()
                guard startsPrimary(peek) else { throw QueryError("\(at.upperBound - at.lowerBound == 3 ? "NOT" : "-") needs a clause after it", column: at.column) }
                return Query.Clause(.mustNot, try boosted(try primary(field: field, depth: depth)))
            case .and, .or:
                throw error("\(describe(peek)) needs a clause before it")
            case .caret:
                throw error("a boost (^) follows a word, a phrase or a group: word^2")
            default:
                return Query.Clause(.should, try boosted(try primary(field: field, depth: depth)))
            }
        }

        /// `primary` with the boost `^N` written after it, if any.
        mutating func boosted(_ primary: Query) throws(QueryError) -> Query {
            guard case .caret(let factor) = peek else { return primary }
            let end = range.upperBound
            advance()
            if case .caret = peek { throw error("a second boost (^): write one, word^4") }
            return .boost(primary, factor: factor, range: SourceRange(primary.range?.lowerBound ?? 0, end))
        }

        func startsPrimary(_ token: QueryToken) -> Bool {
            switch token {
            case .word, .phrase, .leftParen, .equals, .rootOf: return true
            default: return false
            }
        }

        mutating func countClause() throws(QueryError) {
            clauses += 1
            if clauses > parser.maximumClauses {
                throw error("the query has more than \(parser.maximumClauses) clauses")
            }
        }

        mutating func group(field: String?, depth: Int) throws(QueryError) -> Query {
            let open = range
            guard depth < parser.maximumDepth else { throw error("parentheses nested deeper than \(parser.maximumDepth)") }
            advance()
            if case .rightParen = peek { throw error("empty parentheses") }
            let inner = try or(field: field, depth: depth + 1)
            guard case .rightParen = peek else {
                throw QueryError("unbalanced parenthesis: this ( is not closed", column: open.column)
            }
            advance()
            return inner
        }

        mutating func primary(field: String?, depth: Int) throws(QueryError) -> Query {
            switch peek {
            case .equals:
                // =word, ="a phrase": only documents whose words carry compatible harakat.
                let at = range
                advance()
                switch peek {
                case .word(_, false), .phrase: break
                default: throw QueryError("= needs a word or a \"phrase\" right after it (=عَلَّمَ)", column: at.column)
                }
                if case .word = peek, case .colon? = peekNext {
                    throw QueryError("put = after the field name: field:=word", column: at.column)
                }
                let inner = try primary(field: field, depth: depth)
                return .vocalized(inner, range: SourceRange(at.lowerBound, inner.range?.upperBound ?? at.upperBound))
            case .rootOf:
                // >>word: documents with a word of the same root.
                let at = range
                advance()
                switch peek {
                case .word(_, false), .phrase: break
                default: throw QueryError(">> needs a word or a \"phrase\" right after it (>>كتب)", column: at.column)
                }
                if case .colon? = peekNext { throw QueryError("put >> after the field name: field:>>word", column: at.column) }
                let inner = try primary(field: field, depth: depth)
                return .root(inner, range: SourceRange(at.lowerBound, inner.range?.upperBound ?? at.upperBound))
            case .leftParen:
                return try group(field: field, depth: depth)
            case .word(let text, let isPrefix):
                let start = range
                advance()
                if text == "*" && !isPrefix {
                    // `*` or `*:*` alone: every document (to sort, filter or facet them all).
                    if case .colon = peek, case .word("*", false)? = peekNext { advance(); advance() }
                    guard field == nil else {
                        throw QueryError("a prefix query needs letters before * (every document: * or *:*)", column: start.column)
                    }
                    return .all
                }
                if case .tilde(let n) = peek, range.lowerBound == start.upperBound {
                    // word~N (attached): words within N edits (at most 2); word~: as many as its length allows.
                    guard !isPrefix else { throw error("a prefix cannot be fuzzy (prefix*~)") }
                    guard n <= 2 else { throw error("a word may have at most 2 edits (word~1, word~2), not \(n)") }
                    let end = range.upperBound
                    advance()
                    try countClause()
                    return .fuzzy(field: field, text: text, edits: n < 0 ? nil : n, range: SourceRange(start.lowerBound, end))
                }
                if case .colon = peek {
                    guard !isPrefix else { throw QueryError("a field name cannot end with *", column: start.column) }
                    guard field == nil else { throw QueryError("a field inside a field (\(field!):\(text):)", column: start.column) }
                    advance()
                    return try fieldValue(text, start: start, depth: depth)
                }
                try countClause()
                return isPrefix ? .prefix(field: field, text: text, range: start) : .term(field: field, text: text, range: start)
            case .phrase(let text):
                let start = range
                advance()
                try countClause()
                var slop = 0
                var end = start.upperBound
                if case .tilde(let n) = peek {
                    guard n >= 0 else { throw error("~ must be followed by a number (\"a phrase\"~2)") }
                    slop = n
                    end = range.upperBound
                    advance()
                }
                return .phrase(field: field, text: text, slop: slop, range: SourceRange(start.lowerBound, end))
            default:
                throw error("expected a word, a phrase or (, found \(describe(peek))")
            }
        }

        mutating func fieldValue(_ name: String, start: SourceRange, depth: Int) throws(QueryError) -> Query {
            switch peek {
            case .leftParen:
                return try group(field: name, depth: depth)
            case .word, .phrase, .equals, .rootOf:
                return try primary(field: name, depth: depth)
            case .leftBracket, .leftBrace:
                return try rangeValue(name, start: start)
            case .compare(let op):
                advance()
                guard case .word(let value, false) = peek else { throw error("\(name):\(op) needs a value") }
                let end = range.upperBound
                advance()
                try countClause()
                let r = SourceRange(start.lowerBound, end)
                switch op {
                case ">": return .range(field: name, lower: .init(value, inclusive: false), upper: nil, range: r)
                case ">=": return .range(field: name, lower: .init(value, inclusive: true), upper: nil, range: r)
                case "<": return .range(field: name, lower: nil, upper: .init(value, inclusive: false), range: r)
                default: return .range(field: name, lower: nil, upper: .init(value, inclusive: true), range: r)
                }
            default:
                throw QueryError("\(name): needs a value", column: start.column)
            }
        }

        mutating func rangeValue(_ name: String, start: SourceRange) throws(QueryError) -> Query {
            let lowerInclusive = peek == .leftBracket
            let open = range
            advance()
            let lower = try rangeBound()
            guard case .word("TO", false) = peek else { throw error("a range needs TO between its bounds ([a TO b])") }
            advance()
            let upper = try rangeBound()
            let upperInclusive: Bool
            switch peek {
            case .rightBracket: upperInclusive = true
            case .rightBrace: upperInclusive = false
            default: throw QueryError("unbalanced range: this \(lowerInclusive ? "[" : "{") is not closed by ] or }", column: open.column)
            }
            let end = range.upperBound
            advance()
            try countClause()
            return .range(field: name, lower: lower.map { .init($0, inclusive: lowerInclusive) },
                          upper: upper.map { .init($0, inclusive: upperInclusive) }, range: SourceRange(start.lowerBound, end))
        }

        /// A range bound: a value, or `*` for an open bound.
        mutating func rangeBound() throws(QueryError) -> String? {
            if case .word(let w, _) = peek, w == "*" { advance(); return nil }
            switch peek {
            case .word(let value, let isPrefix):
                advance()
                return isPrefix ? value + "*" : value
            case .phrase(let value):
                advance()
                return value
            default:
                throw error("a range bound must be a value or *, found \(describe(peek))")
            }
        }
    }
}

