import Foundation

/// One value of a keyword field (or one range of a numeric field) and how many matching
/// documents have it.
public struct FacetCount: Sendable, Equatable {
    public let value: String
    public let count: Int
    public init(value: String, count: Int) { (self.value, self.count) = (value, count) }
}

/// A range of a numeric facet, `from` inclusive, `to` exclusive, either open.
struct FacetRange: Equatable {
    var label: String
    var from: Double?
    var to: Double?

    /// `0-10,10-20,20-`: each `from-to` with either side left out for an open end (`-10`
    /// is below 10; a negative bound is written as it is: `-10--5`, `-5-`).
    static func parse(_ text: String, field: String) throws(FihrisError) -> [FacetRange] {
        var ranges: [FacetRange] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let chars = Array(part)
            // The separating dash: the first not at the start nor after another dash (a
            // minus sign), else a leading one (`-10`: below 10).
            var cut: Int? = nil
            for i in chars.indices where chars[i] == "-" && i > 0 && chars[i - 1] != "-" { cut = i; break }
            if cut == nil, chars.first == "-", !chars.dropFirst().contains("-") { cut = 0 }
            guard let cut else {
                throw FihrisError(.invalidArgument, "facet range \"\(part)\" of \(field): write from-to, from- or -to (book:0-10,10-20,20-)")
            }
            let low = String(chars[..<cut]), high = String(chars[(cut + 1)...])
            let from = low.isEmpty ? nil : Double(low), to = high.isEmpty ? nil : Double(high)
            guard low.isEmpty || from != nil, high.isEmpty || to != nil, !(low.isEmpty && high.isEmpty) else {
                throw FihrisError(.invalidArgument, "facet range \"\(part)\" of \(field): its bounds must be numbers")
            }
            if let from, let to, from >= to { throw FihrisError(.invalidArgument, "facet range \"\(part)\" of \(field): \(low) is not below \(high)") }
            ranges.append(FacetRange(label: part, from: from, to: to))
        }
        return ranges
    }

    func contains(_ v: Double) -> Bool { (from.map { v >= $0 } ?? true) && (to.map { v < $0 } ?? true) }
}
