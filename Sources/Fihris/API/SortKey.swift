import Foundation

/// One key of a search's order (`SearchOptions.sort`): a numeric or keyword field, or the
/// score, ascending or descending. Keys compare in turn; documents equal on every key
/// keep document order (the earlier first).
///
///     options.sort = [.field("book"), .score]                  // book ascending, then best score
///     options.sort = try SortKey.list("book:asc,score:desc")   // the same, as the CLI writes it
///
/// A document without a value of a field sorts after every document with one, in both
/// orders. A keyword field sorts by its folded value's bytes (as it is indexed and
/// filtered); a document with several values sorts by its least ascending and by its
/// greatest descending (Elasticsearch's default modes).
public struct SortKey: Sendable, Equatable, CustomStringConvertible {
    public enum Order: Sendable, Equatable { case ascending, descending }
    public enum Target: Sendable, Equatable {
        /// The BM25 score.
        case score
        /// A field of type integer, double or keyword.
        case field(String)
    }

    public var target: Target
    public var order: Order

    public init(_ target: Target, _ order: Order) {
        (self.target, self.order) = (target, order)
    }

    /// A field, ascending unless told.
    public static func field(_ name: String, _ order: Order = .ascending) -> SortKey { SortKey(.field(name), order) }
    /// The score, best first.
    public static var score: SortKey { SortKey(.score, .descending) }

    /// `name`, `name:asc` or `name:desc`; `score` means the score (descending unless told).
    public init(parsing text: String) throws(FihrisError) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw FihrisError(.invalidArgument, "sort key \"\(text)\" names no field (write field:asc or field:desc)") }
        let target: Target = name == "score" || name == "_score" ? .score : .field(name)
        var order: Order = target == .score ? .descending : .ascending
        if parts.count == 2 {
            switch parts[1].trimmingCharacters(in: .whitespaces).lowercased() {
            case "asc", "ascending": order = .ascending
            case "desc", "descending": order = .descending
            default: throw FihrisError(.invalidArgument, "sort key \"\(text)\": the order is asc or desc, not \"\(parts[1])\"")
            }
        }
        self.init(target, order)
    }

    /// Keys separated by commas: `book:asc,score:desc`.
    public static func list(_ text: String) throws(FihrisError) -> [SortKey] {
        var keys: [SortKey] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) { keys.append(try SortKey(parsing: String(part))) }
        return keys
    }

    /// Whether these keys order hits as relevance does (none, or the score descending alone).
    static func isRelevance(_ keys: [SortKey]) -> Bool { keys.isEmpty || keys == [.score] }

    public var description: String {
        let name: String
        switch target { case .score: name = "score"; case .field(let f): name = f }
        return name + (order == .ascending ? ":asc" : ":desc")
    }
}
