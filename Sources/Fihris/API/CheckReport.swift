/// The outcome of `SearchIndex.check()`: sound when `problems` is empty.
public struct CheckReport: Sendable {
    public var problems: [String] = []
    /// Live documents, distinct posting lists, posting chunks and postings read.
    public var documents = 0, postingLists = 0, chunks = 0, postings = 0
    /// Values read and checksum-verified, over every database.
    public var values = 0
    public var isSound: Bool { problems.isEmpty }
}
