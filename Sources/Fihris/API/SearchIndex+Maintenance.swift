import Foundation

extension SearchIndex {
    /// Figures about the index: documents, fields, posting lists, segments, table sizes.
    public func statistics() throws -> IndexStatistics {
        let fileBytes = store.fileBytes
        return try store.read("read statistics of \(path)") { snapshot in
            var terms = [Int](repeating: 0, count: snapshot.schema.fields.count)
            var postingLists = 0, chunks = 0
            var seen = Set<TermID>()
            try snapshot.forEachPostingKey { key in
                chunks += 1
                if seen.insert(key.term).inserted {
                    postingLists += 1
                    if key.term.field < terms.count, key.term.kind != .stem { terms[key.term.field] += 1 }
                }
                return true
            }
            let fields = try snapshot.schema.fields.enumerated().map { number, field in
                let stats = try snapshot.fieldStatistics(number)
                return IndexStatistics.Field(name: field.name, type: field.type, documents: stats.documents,
                                             tokens: stats.tokens, terms: terms[number])
            }
            let sizes = try snapshot.tableSizes().map { IndexStatistics.DatabaseSize(name: $0.name.rawValue, entries: $0.entries, bytes: $0.bytes) }
            // Keys begin segment:u32 field:u8 kind:u8.
            var kindBytes: [UInt8: (lists: Int, postings: Int, positions: Int)] = [:]
            try snapshot.rawEntries(.postings) { key, value in
                if key.count >= 6 { kindBytes[key[5], default: (0, 0, 0)].postings += key.count + value.count }
                return true
            }
            try snapshot.rawEntries(.positions) { key, value in
                if key.count >= 6 { kindBytes[key[5], default: (0, 0, 0)].positions += key.count + value.count }
                return true
            }
            for term in seen { kindBytes[term.kind.rawValue, default: (0, 0, 0)].lists += 1 }
            let kinds = kindBytes.sorted { $0.key < $1.key }.map { raw, size in
                IndexStatistics.TermKindSize(kind: TermKind(rawValue: raw)?.description ?? "0x" + String(raw, radix: 16),
                                             postingLists: size.lists, postingBytes: size.postings, positionBytes: size.positions)
            }.sorted { $0.postingBytes + $0.positionBytes > $1.postingBytes + $1.positionBytes }
            var deleted = try snapshot.deletedDocuments()
            var inPostings = 0
            for segment in snapshot.segments { inPostings += max(0, try deleted.count(in: segment) - Int(segment.purged)) }
            return IndexStatistics(documents: snapshot.liveDocuments,
                                   deletedDocuments: Int(snapshot.nextDocument) - snapshot.liveDocuments,
                                   deletedInPostings: inPostings,
                                   fields: fields, postingLists: postingLists, chunks: chunks,
                                   segments: snapshot.segments.count, databases: sizes, termKinds: kinds,
                                   fileBytes: fileBytes, formatVersion: IndexStore.formatVersion)
        }
    }

    /// Reads everything and verifies it: every posting chunk decodes (documents ascending,
    /// within range, matching its key and skip data), positions decode and ascend, chunks of
    /// a term do not overlap, stored documents and ids point at each other, counts and field
    /// statistics agree, no posting names a document that is neither live nor deleted.
    public func check() throws -> CheckReport {
        try store.read("check \(path)") { snapshot in
            var checker = IndexChecker(snapshot: snapshot) { [store] in store.releaseMappedPages() }
            return try checker.run()
        }
    }

    /// Test support: flips bytes in the block data of the largest posting chunk, the kind
    /// of damage a disk or a bug could cause, so tests can check that `check()` sees it.
    @_spi(Testing) public func damageForTesting() throws {
        try store.write("damage \(path)") { txn in try txn.damageLargestChunk() }
    }

    /// Writes a compact, consistent copy of the index into `directory` (which must be new
    /// or empty), while writers go on: the copy is the last commit when it started.
    /// Ready to ship to another machine and open there.
    public func snapshot(to directory: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try? fm.contentsOfDirectory(atPath: directory))?.isEmpty == true else {
                throw FihrisError(.invalidArgument, "\(directory) exists and is not an empty directory; a snapshot needs a new place")
            }
        } else {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw FihrisError(.io, "cannot create \(directory): \(FolderSource.reason(error))")
            }
        }
        try store.copy(to: directory)
    }

    /// Calls `body` with every stored document, in document order (`fihris export`).
    /// Errors `body` throws pass through unchanged.
    public func forEachDocument(_ body: (Document) throws -> Void) throws {
        try store.read("export \(path)") { snapshot in
            try snapshot.forEachStoredDocument { _, document in try body(document) }
        }
    }

    /// Every stored document that can still be read from a damaged index (salvage): a
    /// document whose stored value fails its checksum or does not decode is handed to
    /// `damaged` (a `corrupted` error naming its number) and skipped. An index too damaged
    /// to open (a bad page) throws at the open, before this.
    public func forEachReadableDocument(damaged: (FihrisError) -> Void, _ body: (Document) throws -> Void) throws {
        try store.read("export \(path)") { snapshot in
            try snapshot.forEachReadableDocument(damaged: damaged) { _, document in try body(document) }
        }
    }
}
