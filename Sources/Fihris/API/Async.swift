import Dispatch

extension SearchIndex {
    /// Searches off the caller's executor (a global dispatch queue runs the synchronous
    /// search); the read transaction begins and ends on that queue, never across a
    /// suspension.
    ///
    ///     let results = try await index.search("عين الأسد", options: SearchOptions(limit: 5))
    public func search(_ query: String, options: SearchOptions = SearchOptions()) async throws -> SearchResults {
        try await offload { try self.read { try $0.search(query, options: options) } }
    }

    /// Writes off the caller's executor; `body` runs synchronously inside the transaction.
    ///
    ///     try await index.write { writer in try writer.add(Document(id: "1", text: "نص")) }
    public func write(waitForOtherWriters: Bool = false, _ body: @escaping @Sendable (IndexWriter) throws -> Void) async throws {
        try await offload { try self.write(waitForOtherWriters: waitForOtherWriters, body) }
    }

    private func offload<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
