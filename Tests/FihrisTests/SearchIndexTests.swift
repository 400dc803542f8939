import Foundation
import LMDBStore
import Testing
import TextAnalysis
@testable import Fihris

/// A brute-force BM25 over token lists: the reference the index must agree with. Each
/// query word scores on its stem (weight 1) and its exact form (weight 0.5), in every text
/// field, each field with its own document count and average length.
struct ReferenceRanker {
    struct FieldCounts {
        var stems: [String: Int] = [:]
        var terms: [String: Int] = [:]
        var length = 0
    }
    let documents: [Document]
    let fields: [String]
    /// [document][field]
    let counts: [[FieldCounts]]
    static let exactWeight = 0.5
    static let options = AnalyzerOptions(kind: .arabic)

    init(_ documents: [Document], textFields: [String]) throws {
        let analyzer = try Analyzer(Self.options)
        self.documents = documents
        fields = textFields
        counts = try documents.map { document in
            try textFields.map { name in
                var c = FieldCounts()
                var first = true
                for field in document.fields where field.name == name {
                    if case .text(let text) = field.value {
                        _ = first
                        first = false
                        for token in try analyzer.tokens(text) {
                            c.stems[token.stemString, default: 0] += 1
                            c.terms[token.termString, default: 0] += 1
                            c.length += 1
                        }
                    }
                }
                return c
            }
        }
    }

    func rank(_ query: String, k1: Double = 1.2, b: Double = 0.75) throws -> [(id: String, score: Double)] {
        var stemWeights: [String: Double] = [:], termWeights: [String: Double] = [:]
        var tokens = try Analyzer(Self.options).tokens(query)
        // An OR query's stop words count only when it has nothing else.
        if tokens.contains(where: { !$0.isStopWord }) { tokens.removeAll(where: \.isStopWord) }
        for token in tokens {
            stemWeights[token.stemString, default: 0] += 1
            termWeights[token.termString, default: 0] += Self.exactWeight
        }
        let n = Double(documents.count)
        var scores = [Double](repeating: 0, count: documents.count)
        var matched = [Bool](repeating: false, count: documents.count)
        for f in fields.indices {
            let withField = counts.filter { $0[f].length > 0 }
            let average = withField.isEmpty ? 1 : Double(withField.reduce(0) { $0 + $1[f].length }) / Double(withField.count)
            for (weights, stem) in [(stemWeights, true), (termWeights, false)] {
                for (term, weight) in weights {
                    let df = Double(counts.filter { (stem ? $0[f].stems : $0[f].terms)[term] != nil }.count)
                    guard df > 0 else { continue }
                    let idf = log(1 + (n - df + 0.5) / (df + 0.5))
                    for i in documents.indices {
                        guard let tf = (stem ? counts[i][f].stems : counts[i][f].terms)[term] else { continue }
                        matched[i] = true
                        let t = Double(tf)
                        scores[i] += weight * idf * t * (k1 + 1) / (t + k1 * (1 - b + b * Double(counts[i][f].length) / average))
                    }
                }
            }
        }
        let ranked = documents.indices.filter { matched[$0] }.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return ranked.map { (documents[$0].id, scores[$0]) }
    }
}

/// Random Arabic documents over a small vocabulary, with diacritics and hamza variants.
func randomDocuments(count: Int, seed: UInt64) -> [Document] {
    var rng = SeededGenerator(seed: seed)
    let vocabulary = ["كتاب", "الكِتَاب", "قال", "رسول", "اللَّه", "إنما", "الأعمال", "بالنيات", "صلى", "عليه",
                      "وسلم", "حدثنا", "عن", "أبي", "هريرة", "مدرسة", "على", "ٱلرحمن", "قاعدة", "عين", "الأسد",
                      "Swift", "lmdb", "٢٠٢٦", "في", "من", "إلى", "الناس", "يوم", "القيامة"]
    return (0..<count).map { i in
        let fieldCount = Int.random(in: 1...2, using: &rng)
        let fields = (0..<fieldCount).map { f in
            let words = (0..<Int.random(in: 1...40, using: &rng)).map { _ in vocabulary.randomElement(using: &rng)! }
            return Document.Field(f == 0 ? "text" : "extra", .text(words.joined(separator: " ")))
        }
        return Document(id: "doc\(i)", fields: fields + [.init("n", .integer(Int64(i)))])
    }
}

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {  // splitmix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func expectSameRanking(_ results: SearchResults, _ reference: [(id: String, score: Double)], limit: Int,
                       _ query: String, sourceLocation: SourceLocation = #_sourceLocation) {
    switch results.total {
    case .exact(let n): #expect(n == reference.count, "total for \(query)", sourceLocation: sourceLocation)
    case .atLeast(let n): #expect(n <= reference.count && n >= results.hits.count, "lower bound for \(query)", sourceLocation: sourceLocation)
    }
    let expected = Array(reference.prefix(limit))
    #expect(results.hits.count == expected.count, "hit count for \(query)", sourceLocation: sourceLocation)
    for (hit, ref) in zip(results.hits, expected) {
        #expect(abs(Double(hit.score) - ref.score) < 1e-4 * max(1, ref.score), "score for \(query)", sourceLocation: sourceLocation)
    }
    // Ids must agree except among scores too close to order reliably in Float.
    guard let cutoff = expected.last?.score else { return }
    let certain = Set(expected.filter { $0.score > cutoff + 1e-4 }.map(\.id))
    #expect(certain.isSubset(of: Set(results.hits.map(\.id))), "ids for \(query)", sourceLocation: sourceLocation)
    for (hit, ref) in zip(results.hits, expected) where ref.score > cutoff + 1e-4 {
        let neighbours = expected.filter { abs($0.score - ref.score) < 1e-4 }.map(\.id)
        #expect(neighbours.contains(hit.id), "rank of \(hit.id) for \(query)", sourceLocation: sourceLocation)
    }
}

@Suite struct SearchIndexTests {
    @Test(arguments: [1, 2, 3])
    func rankingEqualsBruteForceBM25(seed: UInt64) throws {
        let documents = randomDocuments(count: 300, seed: seed)
        let reference = try ReferenceRanker(documents, textFields: ["text", "extra"])
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate)
        // Built in three commits: appending to existing lists must equal a one-shot build.
        for chunk in stride(from: 0, to: documents.count, by: 120) {
            try index.write { writer in
                for document in documents[chunk..<min(chunk + 120, documents.count)] { try writer.add(document) }
            }
        }
        var rng = SeededGenerator(seed: seed * 7)
        let words = ["كتاب", "الكتاب", "قَالَ", "رسول الله", "انما الاعمال بالنيات", "عين الاسد", "SWIFT", "2026",
                     "في من", "على علي", "الرحمن", "مدرسه", "القيامه يوم", "غير موجود", "كتاب كتاب"]
        for _ in 0..<40 {
            let query = (0..<Int.random(in: 1...3, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
            let limit = [1, 5, 10, 1000].randomElement(using: &rng)!
            let results = try index.read { try $0.search(query, limit: limit) }
            expectSameRanking(results, try reference.rank(query), limit: limit, query)
        }
    }

    @Test func storedDocumentsRoundTrip() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        let document = Document(id: "هـ١", title: "عنوان", fields: [
            .init("text", .text("نص عربي")), .init("n", .integer(-7)), .init("x", .double(2.5)), .init("ok", .bool(true)),
        ])
        try index.write { try $0.add(document) }
        let stored = try index.read { try $0.document(id: "هـ١") }
        #expect(stored == document)
        let hit = try index.read { try $0.search("عربي").hits.first }
        #expect(hit?.document == document)
        try #expect(try index.read { try $0.document(id: "missing") } == nil)
    }

    @Test func removeAllReplacesTheIndexAtomically() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in
            try writer.add(Document(id: "old", text: "قديم"))
        }
        try index.write { writer in
            writer.removeAll()
            try writer.add(Document(id: "new", text: "جديد"))
        }
        try #expect(try index.documentCount == 1)
        try #expect(try index.read { try $0.search("قديم").hits.count } == 0)
        try #expect(try index.read { try $0.search("جديد").hits.map(\.id) } == ["new"])
    }

    @Test func addReplacesDeleteRemovesAndDeleteByQueryMatches() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in
            try writer.add(Document(id: "a", text: "الف"))
            try writer.add(Document(id: "b", text: "باء"))
            try writer.add(Document(id: "c", text: "جيم مشترك"))
            try writer.add(Document(id: "d", text: "دال مشترك"))
        }
        try index.write { writer in
            try writer.add(Document(id: "a", text: "نسخة جديدة"))   // replaces
            writer.delete(id: "b")
            writer.delete(id: "missing")                           // nothing happens
            try writer.delete(matching: "مشترك")                       // c and d
        }
        try #expect(index.documentCount == 1)
        try #expect(index.read { try $0.search("الف").hits.count } == 0)
        try #expect(index.read { try $0.search("جديده").hits.map(\.id) } == ["a"])
        try #expect(index.read { try $0.search("باء جيم دال مشترك").hits.count } == 0)
        try #expect(index.read { try $0.document(id: "b") } == nil)
        // Within one write, the later document with an id wins, and delete undoes an add.
        try index.write { writer in
            try writer.add(Document(id: "e", text: "اول"))
            try writer.add(Document(id: "e", text: "ثاني"))
            try writer.add(Document(id: "f", text: "ثالث"))
            writer.delete(id: "f")
        }
        try #expect(index.read { try $0.search("ثاني").hits.map(\.id) } == ["e"])
        try #expect(index.read { try $0.search("اول ثالث").hits.count } == 0)
        try #expect(index.documentCount == 2)
    }

    /// Random adds, replacements and deletions over many commits: the live documents must
    /// be exactly the reference's, match sets equal before `optimize`, and rankings equal
    /// after it (when deleted documents no longer count in document frequencies).
    @Test(arguments: [11, 12])
    func randomUpdatesMatchTheReference(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let pool = randomDocuments(count: 400, seed: seed)
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        var live: [String: Document] = [:]
        for round in 0..<12 {
            try index.write { writer in
                for _ in 0..<Int.random(in: 5...60, using: &rng) {
                    var document = pool.randomElement(using: &rng)!
                    document.id = "doc\(Int.random(in: 0..<150, using: &rng))"   // collisions: updates
                    if Int.random(in: 0..<5, using: &rng) == 0 {
                        writer.delete(id: document.id)
                        live[document.id] = nil
                    } else {
                        try writer.add(document)
                        live[document.id] = document
                    }
                }
            }
            _ = round
        }
        let ordered = try index.read { searcher in try live.keys.sorted().map { try searcher.document(id: $0)! } }
        #expect(ordered.map(\.id) == live.keys.sorted())
        try #expect(index.documentCount == live.count)
        let reference = try ReferenceRanker(Array(live.values), textFields: ["text", "extra"])
        let queries = ["كتاب", "قال رسول الله", "انما الاعمال", "عين الاسد 2026", "swift lmdb", "الرحمن"]
        for query in queries {
            let got = try index.read { try $0.search(query, limit: 10_000) }
            #expect(Set(got.hits.map(\.id)) == Set(try reference.rank(query).map(\.id)), "\(query)")
        }
        // With deletions in the index: pruned top 10 equals exhaustive top 10.
        for query in queries + ["كتاب", "الله", "قال"] {
            let pruned = try index.read { try $0.search(query, limit: 10) }
            var full = SearchOptions(limit: 10)
            full.exactTotal = true
            let exhaustive = try index.read { try $0.search(query, options: full) }
            #expect(pruned.hits.count == exhaustive.hits.count, "\(query)")
            for (a, b) in zip(pruned.hits, exhaustive.hits) {
                #expect(abs(a.score - b.score) <= 1e-5 * max(1, b.score), "\(query)")
            }
            #expect(Set(pruned.hits.map(\.id)).isSubset(of: Set(live.keys)), "\(query): a deleted document came back")
        }
        try index.optimize()
        for query in queries {
            // Ties: the index breaks them by document number, the reference by its order, so
            // compare with the id-agnostic check.
            var options = SearchOptions(limit: 10)
            options.exactTotal = true
            let got = try index.read { try $0.search(query, options: options) }
            let expected = try reference.rank(query)
            #expect(got.total == .exact(expected.count))
            for (hit, ref) in zip(got.hits, expected) {
                #expect(abs(Double(hit.score) - ref.score) < 1e-4 * max(1, ref.score), "\(query)")
            }
        }
    }

    @Test func readersKeepTheirSnapshotDuringACommit() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { try $0.add(Document(id: "1", text: "كلمة")) }
        let started = DispatchSemaphore(value: 0), committed = DispatchSemaphore(value: 0)
        Thread {
            started.wait()
            try! index.write { try $0.add(Document(id: "2", text: "كلمة")) }
            committed.signal()
        }.start()
        try index.read { searcher in
            started.signal()
            committed.wait()
            #expect(searcher.documentCount == 1)
            try #expect(searcher.search("كلمة").total == .exact(1))
        }
        try #expect(try index.read { try $0.search("كلمة").total } == .exact(2))
    }

    @Test func openingSomethingElseIsAClearError() throws {
        let dir = TemporaryDirectory()
        dir.write("notes/file.txt", "hello")
        let notEmpty = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path + "/notes", mode: .openOrCreate) }
        #expect(notEmpty.code == .notAnIndex)
        #expect(notEmpty.message.contains("refusing to write"))

        let notIndex = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path + "/notes") }
        #expect(notIndex.code == .notAnIndex)

        let missing = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path + "/missing") }
        #expect(missing.message.contains("does not exist"))

        let file = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path + "/notes/file.txt") }
        #expect(file.message.contains("is a file"))

        dir.write("garbage/data.mdb", String(repeating: "not lmdb ", count: 2000))
        let garbage = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path + "/garbage") }
        #expect(garbage.code == .notAnIndex)

        // A plain LMDB environment without Fihris's databases.
        let env = try Environment(path: dir.path + "/plain")
        _ = try env.openDatabase("other", create: true)
        let plain = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path + "/plain") }
        #expect(plain.code == .notAnIndex)
    }

    @Test func anotherFormatVersionIsRefused() throws {
        let dir = TemporaryDirectory()
        do {
            let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
            try index.write { try $0.add(Document(id: "1", text: "نص")) }
        }
        do {
            let env = try Environment(path: dir.path)
            let meta = try env.openDatabase("meta")
            try env.write { txn in try txn.put(meta, Array("format".utf8), withUnsafeBytes(of: UInt32(99).littleEndian) { Array($0) }) }
        }
        let error = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path) }
        #expect(error.code == .incompatibleFormat)
        #expect(error.message.contains("format 99"))
        #expect(error.message.contains("format \(SearchIndex.formatVersion)"))
    }

    /// A truncated or empty data.mdb is a `corrupted` error naming the file and what is
    /// wrong, never a crash (a truncated file used to be mapped past its end: SIGBUS on
    /// every command); the directory can then be rebuilt in place.
    @Test func aTruncatedOrEmptyDataFileIsAnErrorNotACrash() throws {
        let dir = TemporaryDirectory()
        do {
            let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
            try index.write { writer in
                for i in 0..<2000 { try writer.add(Document(id: "\(i)", text: "نص رقم \(i) " + String(repeating: "كلمة\(i % 97) ", count: 20))) }
            }
        }
        let file = dir.path + "/data.mdb"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(size > 200_000)
        #expect(truncate(file, off_t(size / 2)) == 0)
        let truncated = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path) }
        #expect(truncated.code == .corrupted)
        #expect(truncated.message.contains("truncated") && truncated.message.contains("--rebuild"), "\(truncated.message)")
        #expect(truncate(file, 0) == 0)
        let empty = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path, mode: .openOrCreate) }
        #expect(empty.code == .corrupted && empty.message.contains("empty"))
        // What `fihris index --rebuild` does with it.
        SearchIndex.deleteFiles(at: dir.path)
        let rebuilt = try SearchIndex(at: dir.path, mode: .openOrCreate)
        #expect(try rebuilt.statistics().documents == 0)
    }

    /// Defect: one flipped byte in a stored document came back altered (U+FFFD) from
    /// `document(id:)` and export while `check` said the index was sound. With checksums
    /// the read is a `corrupted` error naming the database and key, and `check` reports it.
    @Test func aFlippedByteInAStoredDocumentIsAnErrorNotAlteredText() throws {
        let dir = TemporaryDirectory()
        let marker = "علامةفريدةجدا"
        do {
            let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
            try index.write { writer in
                for i in 0..<50 { try writer.add(Document(id: "\(i)", text: i == 7 ? "نص فيه \(marker) وحده" : "نص رقم \(i)")) }
            }
            #expect(try index.check().isSound)
        }
        let url = URL(fileURLWithPath: dir.path + "/data.mdb")
        var data = try Data(contentsOf: url)
        let at = try #require(data.firstRange(of: Data(marker.utf8))).lowerBound
        data[at + 5] ^= 0x01
        try data.write(to: url)
        // A writer refuses it (writing would bury the damage), saying how to recover.
        let refused = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path) }
        #expect(refused.code == .corrupted && refused.message.contains("--rebuild") && refused.message.contains("export"), "\(refused.message)")
        let index = try SearchIndex(at: dir.path, mode: .open, readOnly: true)
        let error = try #require(throws: FihrisError.self) { try index.read { try $0.document(id: "7") } }
        #expect(error.code == .corrupted, "\(error)")
        #expect(error.message.contains("docs") && error.message.contains("checksum"), "\(error.message)")
        #expect(try index.read { try $0.document(id: "8") }?.id == "8")
        let report = try index.check()
        #expect(!report.isSound)
        #expect(report.problems.contains { $0.contains("docs") && $0.contains("checksum mismatch") }, "\(report.problems)")
        // What can still be read is salvaged: every other document, the damaged one named.
        var damaged: [FihrisError] = [], salvaged: [String] = []
        try index.forEachReadableDocument(damaged: { damaged.append($0) }) { salvaged.append($0.id) }
        #expect(Set(salvaged) == Set((0..<50).filter { $0 != 7 }.map(String.init)))
        #expect(damaged.count == 1 && damaged[0].code == .corrupted && damaged[0].message.contains("document 7"), "\(damaged)")
        #expect(throws: FihrisError.self) { try index.forEachDocument { _ in } }   // the plain walk still stops
    }

    /// Defect: no query had a time bound (a 999-word phrase took 11.8 s on 150k documents).
    /// With `timeBudget` a search past its deadline stops with `budgetExceeded`; without
    /// one it finishes. A long phrase of a frequent word still finds the one document long
    /// enough to hold it (fields shorter than the phrase are skipped without decoding).
    @Test func aSearchStopsAtItsTimeBudgetAndLongPhrasesStayExact() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in
            for i in 0..<3000 { try writer.add(Document(id: "\(i)", text: "حدثنا حدثنا عن رجل رقم \(i)")) }
            try writer.add(Document(id: "long", text: Array(repeating: "حدثنا", count: 40).joined(separator: " ")))
        }
        let phrase = "\"" + Array(repeating: "حدثنا", count: 30).joined(separator: " ") + "\""
        var options = SearchOptions(limit: 5)
        #expect(try index.read { try $0.search(phrase, options: options) }.hits.map(\.id) == ["long"])
        var counting = SearchOptions(limit: 0)
        counting.exactTotal = true
        #expect(try index.read { try $0.search("\"حدثنا حدثنا عن\"", options: counting) }.total == .exact(3000))
        options.timeBudget = .nanoseconds(1)
        let error = try #require(throws: FihrisError.self) { try index.read { try $0.search("\"حدثنا عن رجل\"", options: options) } }
        #expect(error.code == .budgetExceeded, "\(error)")
        #expect(error.message.contains("time budget"))
        options.timeBudget = .seconds(60)
        #expect(try index.read { try $0.search("\"حدثنا عن رجل\"", options: options) }.hits.count == 5)
    }

    /// Stems made by another version of the analysis no longer meet the query's: such an
    /// index is refused with a clear error (and rebuilt by `.openOrRecreate`).
    @Test func anotherAnalysisVersionIsRefusedAndRebuilt() throws {
        let dir = TemporaryDirectory()
        do {
            let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
            try index.write { try $0.add(Document(id: "1", text: "نص")) }
        }
        do {
            // An index written before the analysis version was recorded (version 1).
            let env = try Environment(path: dir.path)
            let meta = try env.openDatabase("meta")
            try env.write { txn in _ = try txn.delete(meta, Array("analysis".utf8)) }
        }
        let error = try #require(throws: FihrisError.self) { try SearchIndex(at: dir.path) }
        #expect(error.code == .incompatibleFormat)
        #expect(error.message.contains("analysis version 1"))
        #expect(error.message.contains("version \(Analyzer.version)"))
        let rebuilt = try SearchIndex(at: dir.path, mode: .openOrRecreate)
        #expect(try rebuilt.statistics().documents == 0)
    }

    @Test func realCorpusRanksTheExpectedDocumentsFirst() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        let source = FolderSource(folder: repositoryCorpus, excluding: ["README.md"])
        try index.write { writer in
            for file in try source.files() { try source.documents(in: file) { try writer.add($0) } }
        }
        try #expect(try index.documentCount == 997)
        let news = try index.read { try $0.search("عين الأسد", limit: 3) }
        #expect(news.hits.first?.id == "ain-al-asad-handover.txt")
        let intentions = try index.read { try $0.search("إنما الأعمال بالنيات", limit: 3) }
        #expect(intentions.hits.map(\.id).contains("bukhari:1"))
        // Diacritics and hamza in the query do not matter.
        let plain = try index.read { try $0.search("انما الاعمال بالنيات", limit: 3) }
        #expect(plain.hits.map(\.id) == intentions.hits.map(\.id))
    }
}

@Suite struct IndexUpgradeTests {
    @Test func rebuildingReplacesAnIndexOfAnotherFormat() throws {
        let dir = TemporaryDirectory()
        do {
            let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
            try index.write { try $0.add(Document(id: "old", text: "قديم")) }
        }
        do {
            let env = try Environment(path: dir.path)
            let meta = try env.openDatabase("meta")
            try env.write { txn in try txn.put(meta, Array("format".utf8), withUnsafeBytes(of: UInt32(1).littleEndian) { Array($0) }) }
        }
        dir.write("keep.txt", "not ours")
        #expect(throws: FihrisError.self) { try SearchIndex(at: dir.path, mode: .openOrCreate) }
        let index = try SearchIndex(at: dir.path, mode: .openOrRecreate)
        try #expect(index.documentCount == 0)
        #expect(FileManager.default.fileExists(atPath: dir.path + "/keep.txt"))
    }
}
