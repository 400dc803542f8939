/// A parsed query: a value-type syntax tree, independent of any index. Words are kept as
/// typed; the index analyzes them with each field's analyzer when the query runs.
public indirect enum Query: Sendable, Equatable, CustomStringConvertible {
    /// A word, in a field or (field nil) in every text field.
    case term(field: String?, text: String, range: SourceRange)
    /// Words starting with `text` (`text*`).
    case prefix(field: String?, text: String, range: SourceRange)
    /// Words in this order (`"..."`), with at most `slop` moves between them (`"..."~N`).
    case phrase(field: String?, text: String, slop: Int, range: SourceRange)
    /// Values between two bounds of a numeric or keyword field; nil bounds are open.
    case range(field: String, lower: Bound?, upper: Bound?, range: SourceRange)
    /// Clauses combined: a document must match every `.must` clause and no `.mustNot`
    /// clause, and at least one `.should` clause when there is no `.must` clause.
    case boolean([Clause])
    /// Every document (a query made only of exclusions starts from this).
    case all
    /// A word or phrase whose harakat must match (`=عَلَّمَ`, `="..."`): only documents that
    /// write it with compatible harakat.
    case vocalized(Query, range: SourceRange)
    /// A word, or words of the dictionary within `edits` edits of it (Damerau–Levenshtein
    /// after folding: `word~1`, `word~2`; nil: by its length, `word~`).
    case fuzzy(field: String?, text: String, edits: Int?, range: SourceRange)
    /// A query whose score is multiplied by `factor` (`word^2`, `(a b)^0.5`, `"…"^3`).
    case boost(Query, factor: Float, range: SourceRange)
    /// Words of the root of a word (`>>كتب`: كتاب، كاتب، مكتوب، كتبوا ...).
    case root(Query, range: SourceRange)

    public enum Occur: Sendable, Equatable {
        case must, should, mustNot
    }

    public struct Clause: Sendable, Equatable {
        public var occur: Occur
        public var query: Query
        public init(_ occur: Occur, _ query: Query) {
            self.occur = occur
            self.query = query
        }
    }

    public struct Bound: Sendable, Equatable {
        public var value: String
        public var inclusive: Bool
        public init(_ value: String, inclusive: Bool) {
            self.value = value
            self.inclusive = inclusive
        }
    }

    /// The canonical form used by the golden tests: Boolean queries in parentheses with
    /// `+` (must) and `-` (must not) marks, fields as `field:`, phrases quoted with `~slop`
    /// when not 0, ranges as `[a TO b}` with `*` for an open bound.
    public var description: String {
        switch self {
        case .term(let field, let text, _): return Self.prefix(field) + Self.escape(text)
        case .prefix(let field, let text, _): return Self.prefix(field) + Self.escape(text) + "*"
        case .phrase(let field, let text, let slop, _):
            return Self.prefix(field) + "\"" + text.map { $0 == "\"" ? "\\\"" : String($0) }.joined() + "\"" + (slop > 0 ? "~\(slop)" : "")
        case .range(let field, let lower, let upper, _):
            return "\(field):" + (lower.map { $0.inclusive ? "[" : "{" } ?? "[") + (lower?.value ?? "*") + " TO "
                + (upper?.value ?? "*") + (upper.map { $0.inclusive ? "]" : "}" } ?? "]")
        case .boolean(let clauses):
            return "(" + clauses.map { c in
                (c.occur == .must ? "+" : c.occur == .mustNot ? "-" : "") + c.query.description
            }.joined(separator: " ") + ")"
        case .fuzzy(let field, let text, let edits, _):
            return Self.prefix(field) + Self.escape(text) + "~" + (edits.map(String.init) ?? "")
        case .boost(let inner, let factor, _):
            return inner.description + "^" + Self.number(factor)
        case .all:
            return "*:*"
        case .vocalized(let inner, _):
            // The field name goes before =: text:=word.
            switch inner {
            case .term(let field, let text, _): return Self.prefix(field) + "=" + Self.escape(text)
            case .phrase(let field, _, _, _):
                return Self.prefix(field) + "=" + String(inner.description.dropFirst(Self.prefix(field).count))
            default: return "=" + inner.description
            }
        case .root(let inner, _):
            if case .term(let field, let text, _) = inner { return Self.prefix(field) + ">>" + Self.escape(text) }
            return ">>" + inner.description
        }
    }

    private static func prefix(_ field: String?) -> String { field.map { $0 + ":" } ?? "" }

    private static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            if QueryLexer.special.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// Where the query was written, for error messages (nil for `.boolean` and `.all`).
    public var range: SourceRange? {
        switch self {
        case .term(_, _, let r), .prefix(_, _, let r), .phrase(_, _, _, let r), .range(_, _, _, let r), .vocalized(_, let r), .root(_, let r),
             .boost(_, _, let r), .fuzzy(_, _, _, let r): r
        case .boolean, .all: nil
        }
    }
}

extension Query {
    /// A boost as written: `2`, not `2.0`; `0.5`.
    public static func number(_ x: Float) -> String {
        x == x.rounded() && abs(x) < 1e6 ? String(Int(x)) : "\(x)"
    }
}

/// Building queries in code, without query text (and so without source ranges: errors
/// about such a query name column 1).
///
///     let query = Query.all(of: [.term("الصلاة"), .phrase("إنما الأعمال")],
///                           excluding: [.term("muslim", field: "collection")])
extension Query {
    /// A word, in `field` or in every text field.
    public static func term(_ text: String, field: String? = nil) -> Query {
        .term(field: field, text: text, range: SourceRange(0, 0))
    }

    /// Words starting with `text`.
    public static func prefix(_ text: String, field: String? = nil) -> Query {
        .prefix(field: field, text: text, range: SourceRange(0, 0))
    }

    /// Words in this order, with at most `slop` moves between them.
    public static func phrase(_ text: String, field: String? = nil, slop: Int = 0) -> Query {
        .phrase(field: field, text: text, slop: slop, range: SourceRange(0, 0))
    }

    /// Values of a numeric or keyword field between two bounds (nil: open).
    public static func range(_ field: String, from lower: Bound?, to upper: Bound?) -> Query {
        .range(field: field, lower: lower, upper: upper, range: SourceRange(0, 0))
    }

    /// Documents matching every one of `required` (at least one when it is empty: then
    /// any of `optional`) and none of `excluded`; `optional` clauses add to the score.
    public static func all(of required: [Query], optional: [Query] = [], excluding excluded: [Query] = []) -> Query {
        .boolean(required.map { Clause(.must, $0) } + optional.map { Clause(.should, $0) } + excluded.map { Clause(.mustNot, $0) })
    }

    /// This query with its score multiplied by `factor` (`word^2`).
    public func boosted(by factor: Float) -> Query {
        .boost(self, factor: factor, range: SourceRange(0, 0))
    }

    /// Documents matching any of `queries`, scored by those they match.
    public static func any(of queries: [Query], excluding excluded: [Query] = []) -> Query {
        .boolean(queries.map { Clause(.should, $0) } + excluded.map { Clause(.mustNot, $0) })
    }
}

/// A span of the query text, in characters from 0.
public struct SourceRange: Sendable, Equatable {
    public var lowerBound: Int
    public var upperBound: Int
    public init(_ lowerBound: Int, _ upperBound: Int) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }
    /// 1-based column of the start, as error messages print it.
    public var column: Int { lowerBound + 1 }
}

/// A query that cannot be parsed or run, with the column where the problem is.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 1-based character column.
    public let column: Int

    public init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }

    public var description: String { "column \(column): \(message)" }
}
