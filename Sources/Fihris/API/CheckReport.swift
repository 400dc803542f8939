/// The outcome of `SearchIndex.check()`: sound when `problems` is empty.
public struct CheckReport: Sendable {
    public var problems: [String] = []
    /// Live documents, distinct posting lists, posting chunks and postings read.
    public var documents = 0, postingLists = 0, chunks = 0, postings = 0
    /// Values read and checksum-verified, over every database.
    public var values = 0
    /// Posting chunks of segments the segment list does not name: an interrupted merge left
    /// them (no search reads them; the next write removes them). Not a problem.
    public var leftoverChunks = 0
    public var isSound: Bool { problems.isEmpty }
}
