import QueryLanguage
import PostingsCodec
import TextAnalysis

/// The one error type of the `Fihris` library.
///
/// `code` says what kind of failure it is (so callers can branch on it), `message` says
/// what happened and where in words a user can act on, `underlying` keeps the lower-level
/// error (LMDB, ICU, codec) when there is one.
///
/// The codes are a closed set: only this library makes them, so a misspelled code does not
/// compile, and new codes can be added without breaking a `switch` that has a default.
public struct FihrisError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidArgument, invalidQuery, invalidDocument, duplicateDocument, schemaMismatch, locked
            case notAnIndex, incompatibleFormat, corrupted, storage, io, analysis, budgetExceeded
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The code's name, e.g. `"corrupted"`.
        public var name: String { base.rawValue }
        public var description: String { base.rawValue }

        // You called it wrong, or the input is bad:
        /// An argument is out of range or inconsistent.
        public static let invalidArgument = Code(.invalidArgument)
        /// A query does not parse or names something the index does not have (the
        /// message starts with the column).
        public static let invalidQuery = Code(.invalidQuery)
        /// An input document or file could not be read as one (the message names the file and line).
        public static let invalidDocument = Code(.invalidDocument)
        /// A search ran out of its time budget (`SearchOptions.timeBudget`) before finishing.
        public static let budgetExceeded = Code(.budgetExceeded)
        /// A document id appears twice.
        public static let duplicateDocument = Code(.duplicateDocument)
        /// A document disagrees with the index's schema (the message names the field).
        public static let schemaMismatch = Code(.schemaMismatch)
        /// Another process is writing the index.
        public static let locked = Code(.locked)
        // The data or the environment failed:
        /// The directory does not hold a Fihris index.
        public static let notAnIndex = Code(.notAnIndex)
        /// The index was written by another format version.
        public static let incompatibleFormat = Code(.incompatibleFormat)
        /// The index does not decode: it is damaged (the message names the table and key).
        public static let corrupted = Code(.corrupted)
        /// The storage layer (LMDB) failed.
        public static let storage = Code(.storage)
        /// A file could not be read or written.
        public static let io = Code(.io)
        /// Text analysis (ICU) failed.
        public static let analysis = Code(.analysis)
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

    /// Turns the lower layers' errors (storage, codec, query, analysis) into a
    /// `FihrisError` naming `context`; passes every other error, a `FihrisError` or the
    /// caller's own, through unchanged.
    static func wrap(_ error: any Error, _ context: String) -> any Error {
        switch error {
        case let error as FihrisError: error
        case let error as any FihrisErrorConvertible: error.fihrisError(context: context)
        default: error
        }
    }
}

/// A lower layer's error that knows which `FihrisError` it is.
protocol FihrisErrorConvertible: Error {
    func fihrisError(context: String) -> FihrisError
}

extension QueryError: FihrisErrorConvertible {
    func fihrisError(context: String) -> FihrisError { FihrisError(.invalidQuery, "invalid query at \(self)", underlying: self) }
}

extension CodecError: FihrisErrorConvertible {
    func fihrisError(context: String) -> FihrisError { FihrisError(.corrupted, "\(context): index data is damaged: \(self)", underlying: self) }
}

extension AnalysisError: FihrisErrorConvertible {
    func fihrisError(context: String) -> FihrisError { FihrisError(.analysis, "\(context): \(self)", underlying: self) }
}

/// Runs library code (no caller closure inside), turning any error into a `FihrisError`
/// that names `context`.
@inline(__always)
func withContext<R>(_ context: @autoclosure () -> String, _ body: () throws -> R) throws(FihrisError) -> R {
    do { return try body() } catch {
        if let wrapped = FihrisError.wrap(error, context()) as? FihrisError { throw wrapped }
        throw FihrisError(.io, "\(context()): \(error)")
    }
}

extension String {
    /// The text as an error message quotes it: whole up to 40 characters, else its first 24
    /// and its length (a 5,000-digit number is not echoed back).
    var cutForMessage: String { count > 40 ? String(prefix(24)) + "…(\(count) characters)" : self }
}
