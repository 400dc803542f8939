import LMDBStore
import QueryLanguage
import PostingsCodec
import TextAnalysis

/// The one error type of the `Fihris` library.
///
/// `code` says what kind of failure it is (so callers can branch on it), `message` says
/// what happened and where in words a user can act on, `underlying` keeps the lower-level
/// error (LMDB, ICU, codec) when there is one.
public struct FihrisError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        // You called it wrong, or the input is bad:
        /// An argument is out of range or inconsistent.
        public static let invalidArgument = Code("invalidArgument")
        /// A query does not parse or names something the index does not have (the
        /// message starts with the column).
        public static let invalidQuery = Code("invalidQuery")
        /// An input document or file could not be read as one (the message names the file and line).
        public static let invalidDocument = Code("invalidDocument")
        /// A document id appears twice.
        public static let duplicateDocument = Code("duplicateDocument")
        /// A document disagrees with the index's schema (the message names the field).
        public static let schemaMismatch = Code("schemaMismatch")
        /// Another process is writing the index.
        public static let locked = Code("locked")
        // The data or the environment failed:
        /// The directory does not hold a Fihris index.
        public static let notAnIndex = Code("notAnIndex")
        /// The index was written by another format version.
        public static let incompatibleFormat = Code("incompatibleFormat")
        /// The index does not decode: it is damaged.
        public static let corrupted = Code("corrupted")
        /// The storage layer (LMDB) failed.
        public static let storage = Code("storage")
        /// A file could not be read or written.
        public static let io = Code("io")
        /// Text analysis (ICU) failed.
        public static let analysis = Code("analysis")
    }

    public let code: Code
    public let message: String
    public let underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    /// Wraps errors from the lower layers; passes a `FihrisError` through unchanged.
    static func wrap(_ error: any Error, _ context: String) -> FihrisError {
        switch error {
        case let error as FihrisError: return error
        case let error as QueryError: return FihrisError(.invalidQuery, "invalid query at \(error)", underlying: error)
        case let error as LMDBError: return FihrisError(.storage, "\(context): \(error)", underlying: error)
        case let error as CodecError: return FihrisError(.corrupted, "\(context): index data is damaged: \(error)", underlying: error)
        case let error as AnalysisError: return FihrisError(.analysis, "\(context): \(error)", underlying: error)
        default: return FihrisError(.io, "\(context): \(error)")
        }
    }
}

/// Runs `body`, turning any lower-layer error into a `FihrisError` that names `context`.
@inline(__always)
func withContext<R>(_ context: @autoclosure () -> String, _ body: () throws -> R) throws(FihrisError) -> R {
    do { return try body() } catch { throw FihrisError.wrap(error, context()) }
}
