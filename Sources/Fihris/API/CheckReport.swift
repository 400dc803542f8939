/// The outcome of `SearchIndex.check()`: sound when `problems` is empty.
public struct CheckReport: Sendable {
    public var problems: [String] = []
    public var documents = 0
    public var postingLists = 0
    public var chunks = 0
    public var postings = 0
    public var isSound: Bool { problems.isEmpty }
}
