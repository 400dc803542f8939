import PostingsCodec

/// Reads a whole index and reports what is wrong with it (`fihris check`): it decodes
/// every record with the same codecs and cursors that search and merging use, and records
/// a problem, rather than throwing, for each that does not decode or does not agree.
struct IndexChecker {
    let snapshot: IndexSnapshot
    var report = CheckReport()
    /// Drops the map's resident pages read so far (a check reads the whole index).
    let release: () -> Void

    init(snapshot: IndexSnapshot, release: @escaping () -> Void = {}) { (self.snapshot, self.release) = (snapshot, release) }

    mutating func problem(_ text: String) {
        if report.problems.count < 100 { report.problems.append(text) }
    }

    mutating func run() throws -> CheckReport {
        // Every value of every database, its checksum first: the decoding checks below
        // would stop at the first damaged value.
        var damaged = 0
        report.values = try snapshot.verifyChecksums(release: release) { text in
            damaged += 1
            problem(text)
        }
        if damaged > 0 {
            problem("\(damaged) of \(report.values) values fail their checksum; the other checks were not run")
            return report
        }
        let schema = snapshot.schema
        let next = snapshot.nextDocument
        var deleted = try snapshot.deletedDocuments()
        var live = Set<UInt32>()

        // Stored documents and ids.
        try snapshot.rawEntries(.docs) { rawKey, value in
            guard let number = try? DocumentNumber.decode(rawKey) else { problem("docs: malformed key of \(rawKey.count) bytes"); return true }
            guard number < next else { problem("docs: document \(number) at or beyond the next number \(next)"); return true }
            if try deleted.contains(Int(number)) { problem("docs: document \(number) is stored but marked deleted") }
            do {
                let document = try snapshot.decodeStoredDocument(number, value)
                if try snapshot.idRecord(document.id)?.number != number {
                    problem("docs: document \(number) (\"\(document.id)\") is not what its id points to")
                }
            } catch { problem("docs: document \(number) does not decode: \(error)") }
            live.insert(number)
            return true
        }
        var ids = 0
        try snapshot.rawEntries(.ids) { key, value in
            ids += 1
            guard let record = try? IDRecord.Codec.decode(value) else { problem("ids: malformed entry"); return true }
            if !live.contains(record.number) {
                problem("ids: \"\(String(decoding: key, as: UTF8.self))\" points to document \(record.number), which is not stored")
            }
            return true
        }
        report.documents = live.count
        if live.count != snapshot.liveDocuments || ids != snapshot.liveDocuments {
            problem("counts disagree: \(snapshot.liveDocuments) live documents in meta, \(live.count) stored, \(ids) ids")
        }
        var deletedCount = 0
        for number in 0..<Int(next) where try deleted.contains(number) { deletedCount += 1 }
        if deletedCount + live.count != Int(next) {
            problem("document numbers: \(live.count) live + \(deletedCount) deleted ≠ \(next) numbered (a document is neither live nor deleted)")
        }

        // Field statistics, recomputed from the norms of live documents.
        for field in schema.textFields {
            var norms = snapshot.norms(field)
            var expected = FieldStatistics()
            for number in live.sorted() {
                let length = try norms.length(Int(number))
                if length > 0 { expected.documents += 1; expected.tokens += UInt64(length) }
            }
            if try snapshot.fieldStatistics(field) != expected {
                problem("field \"\(schema.fields[field].name)\": statistics disagree with the field lengths")
            }
        }

        // Segments: consecutive, disjoint document ranges within 0 ..< next.
        var segmentByID: [UInt32: SegmentInfo] = [:]
        var previousEnd: UInt32 = 0
        for segment in snapshot.segments {
            if segment.firstDocument < previousEnd || segment.endDocument > next {
                problem("segment \(segment.id): documents \(segment.firstDocument)..<\(segment.endDocument) overlap or exceed the index")
            }
            previousEnd = segment.endDocument
            segmentByID[segment.id] = segment
        }

        // Postings, decoded through the search cursor.
        var lists = Set<TermID>()
        var fieldNorms: [Int: NormsReader] = [:]
        try ScratchArena.scoped { arena in
            var cursor = PostingCursor(PostingList(chunks: [], positions: []), arena: &arena)
            try snapshot.rawEntries(.postings) { rawKey, value in
                report.chunks += 1
                if report.chunks % 4096 == 0 { release() }
                guard let key = try? TermKey.Codec.decode(rawKey) else { problem("postings: malformed key of \(rawKey.count) bytes"); return true }
                let name = "postings \(key)"
                // A segment the list does not name: left by an interrupted merge, removed by the
                // next write (no reader reads it).
                guard let segment = segmentByID[key.segment] else { report.leftoverChunks += 1; return true }
                guard key.term.field < schema.fields.count else { problem("\(name): unknown field"); return true }
                let type = schema.fields[key.term.field].type
                if (key.term.kind == .keyword) != (type == .keyword) || type == .integer || type == .double {
                    problem("\(name): a \(key.term.kind) list in a \(type.rawValue) field")
                }
                lists.insert(key.term)
                do {
                    let chunk = try PostingChunk(value)
                    let separate = try snapshot.rawValue(.positions, Array(rawKey))
                    if chunk.inlinePositions != nil && separate != nil {
                        problem("\(name): positions both inside the short chunk and in positions")
                    }
                    let positionsValue = chunk.inlinePositions ?? separate
                    if key.term.kind.hasPositions != (positionsValue != nil) || key.term.kind.hasPositions != chunk.flags.contains(.hasPositions) {
                        problem("\(name): positions \(key.term.kind.hasPositions ? "missing" : "unexpected")")
                    }
                    cursor.reset(to: PostingList(chunks: [chunk], positions: [positionsValue]))
                    var outside = false, unknown = false
                    // A long chunk's impacts must bound each document of their block (else
                    // block-max would pass over documents that belong in the top k).
                    var checkImpacts = chunk.flags.contains(.hasFrequencies) && !chunk.flags.contains(.short)
                    var norms = fieldNorms[key.term.field] ?? snapshot.norms(key.term.field)
                    defer { fieldNorms[key.term.field] = norms }
                    var pairs: [(frequency: UInt32, length: UInt16)] = []
                    var k = 0
                    while try cursor.next() != noMoreDocs {
                        let d = cursor.doc
                        if checkImpacts {
                            if k % 128 == 0 { pairs = chunk.impacts(k / 128) }
                            let (f, l) = (cursor.freq, try norms.length(d))
                            if !pairs.contains(where: { $0.frequency >= f && $0.length <= l }) {
                                problem("\(name): the impacts of block \(k / 128) do not bound document \(d) (frequency \(f), length \(l))")
                                checkImpacts = false
                            }
                        }
                        k += 1
                        if !outside && (d < Int(segment.firstDocument) || d >= Int(segment.endDocument)) {
                            problem("\(name): documents outside the segment's range")
                            outside = true
                        }
                        if !unknown {
                            let isDeleted = d < Int(next) ? try deleted.contains(d) : false
                            let known = d < Int(next) && (live.contains(UInt32(d)) || isDeleted)
                            if !known {
                                problem("\(name): posting for document \(d), which is neither live nor deleted")
                                unknown = true
                            }
                        }
                        if positionsValue != nil {
                            let positions = try cursor.positions()
                            if zip(positions, positions.dropFirst()).contains(where: { $0 >= $1 }) {
                                problem("\(name): positions of document \(d) do not ascend")
                            }
                        }
                        report.postings += 1
                    }
                } catch {
                    problem("\(name): chunk does not decode: \(error)")
                }
                return true
            }
        }
        report.postingLists = lists.count
        var strayPositions = 0
        try snapshot.rawEntries(.positions) { key, _ in
            if try snapshot.rawValue(.postings, Array(key)) == nil { strayPositions += 1 }
            return true
        }
        if strayPositions > 0 { problem("positions: \(strayPositions) entries without postings") }

        // File records.
        try snapshot.rawEntries(.files) { key, value in
            do { _ = try FileRecord.Codec.decode(value) } catch { problem("files: record of \(String(decoding: key, as: UTF8.self)) does not decode") }
            return true
        }
        return report
    }
}
