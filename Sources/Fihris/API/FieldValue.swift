/// A field's value: text (analyzed, or one keyword), a 64-bit integer, a double or a boolean.
public enum FieldValue: Sendable, Equatable, CustomStringConvertible {
    case text(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)

    public var description: String {
        switch self {
        case .text(let s): s
        case .integer(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        }
    }
}
