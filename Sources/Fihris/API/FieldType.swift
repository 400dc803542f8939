/// What a field is for.
public enum FieldType: String, Codable, Sendable, CaseIterable {
    /// Analyzed text: exact forms (with positions) and stems are indexed; full-text search.
    case text
    /// The whole value as one term (folded): filters and facet counts.
    case keyword
    /// A 64-bit signed integer column: range filters and sorting.
    case integer
    /// A 64-bit floating-point column: range filters and sorting.
    case double
}
