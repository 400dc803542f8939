import Foundation
import Testing
@testable import Fihris

@Suite struct SchemaTests {
    @Test func fieldsAreInferredAndKept() throws {
        let dir = TemporaryDirectory()
        do {
            let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate)
            try index.write { writer in
                try writer.add(Document(id: "1", fields: [
                    .init("text", .text("نص")), .init("book", .integer(3)), .init("grade", .double(4.5)), .init("sahih", .bool(true)),
                ]))
            }
        }
        let schema = try SearchIndex(at: dir.path + "/idx").schema
        #expect(schema.fields.map(\.name) == ["text", "book", "grade", "sahih"])
        #expect(schema.fields.map(\.type) == [.text, .integer, .double, .keyword])
    }

    /// A new string field of a batch is inferred as keyword when its values look like labels
    /// (short, few), else as text: rule → type.
    static func labels(_ count: Int, _ value: (Int) -> String) -> [String] { (0..<count).map(value) }
    static let inference: [(rule: String, values: [String], type: FieldType)] = [
        ("two short values in 100 documents", labels(100) { $0 % 2 == 0 ? "bukhari" : "muslim" }, .keyword),
        ("multi-word labels, few", labels(100) { ["Sahih al-Bukhari", "Sunan Abi Dawud", "al-Muwatta"][$0 % 3] }, .keyword),
        ("short but all different", labels(100) { "title \($0)" }, .text),
        ("few but long", labels(100) { _ in String(repeating: "حدثنا ", count: 20) }, .text),
        ("five words", labels(100) { _ in "one two three four five" }, .text),
        ("too few documents to tell", labels(10) { _ in "bukhari" }, .text),
        ("one in 50 distinct of 2,000", labels(2000) { "c\($0 % 40)" }, .keyword),
        ("more than one in 50", labels(2000) { "c\($0 % 41)" }, .text),
    ]

    @Test func shortFewStringsAreInferredAsKeywords() throws {
        for (rule, values, type) in Self.inference { try inferred(rule: rule, values: values, type: type) }
    }

    func inferred(rule: String, values: [String], type: FieldType) throws {
        var schema = try Schema()
        schema.inferKeywordFields(values.enumerated().map { Document(id: "\($0.offset)", fields: [.init("label", .text($0.element)), .init("text", .text("نص طويل \($0.offset)"))]) })
        for (i, value) in values.enumerated() { try schema.accept(Document(id: "\(i)", fields: [.init("label", .text(value))])) }
        #expect(schema.fields.first { $0.name == "label" }?.type == type, "\(rule)")
        #expect(schema.fields.first { $0.name == "text" }?.type != .keyword)
    }

    /// Inferred from the documents, `collection` filters exactly as the declared keyword does.
    @Test func anInferredKeywordFiltersAsTheDeclaredOne() throws {
        let dir = TemporaryDirectory()
        let declared = try Schema.load(from: repositoryCorpus + "/schema.json")
        let inferred = try SearchIndex(at: dir.path + "/inferred", mode: .openOrCreate)
        let withSchema = try SearchIndex(at: dir.path + "/declared", mode: .openOrCreate, schema: declared)
        let source = FolderSource(folder: repositoryCorpus, excluding: ["README.md", "ain-al-asad-handover.txt"])
        for index in [inferred, withSchema] {
            try index.write { writer in
                for file in try source.files() { try source.documents(in: file) { try writer.add($0) } }
            }
        }
        #expect(try inferred.schema.fields.first { $0.name == "collection" }?.type == .keyword)
        for query in ["+(قال رسول) +collection:bukhari", "+الصلاة -collection:muslim", "collection:muslim"] {
            let a = try inferred.read { try $0.search(query, options: SearchOptions(limit: 1000)) }.hits.map(\.id)
            let b = try withSchema.read { try $0.search(query, options: SearchOptions(limit: 1000)) }.hits.map(\.id)
            #expect(!a.isEmpty && a == b, "\(query)")
        }
    }

    @Test func aSchemaFileOverridesInference() throws {
        let dir = TemporaryDirectory()
        dir.write("schema.json", """
            {"fields": [{"name": "collection", "type": "keyword"},
                        {"name": "title", "type": "text", "analyzer": "english", "stored": false},
                        {"name": "book", "type": "double"}]}
            """)
        let schema = try Schema.load(from: dir.path + "/schema.json")
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate, schema: schema)
        try index.write { writer in
            try writer.add(Document(id: "a", fields: [.init("collection", .text("Bukhari")), .init("title", .text("Running dogs")),
                                                      .init("book", .integer(7)), .init("text", .text("متن"))]))
        }
        let stored = try #require(try index.read { try $0.document(id: "a") })
        // Not stored: title; integer accepted by a double field; the new field inferred.
        #expect(stored.fields.map(\.name) == ["collection", "book", "text"])
        #expect(try index.schema["text"]?.type == .text)
        // The english analyzer of `title` stems its words; keyword values are not full text.
        try #expect(index.read { try $0.search("run").hits.map(\.id) } == ["a"])
        try #expect(index.read { try $0.search("bukhari").hits.isEmpty })
        let stats = try index.statistics()
        #expect(stats.fields.first { $0.name == "collection" }?.terms == 1)
        #expect(try index.check().isSound)
    }

    @Test(arguments: [
        ("{\"fields\": [{\"name\": \"a\", \"type\": \"txt\"}]}", "at .fields[0].type: Cannot initialize FieldType from invalid String value txt (types: text, keyword, integer, double)"),
        ("{\"fields\": [{\"name\": \"a\", \"type\": \"text\"}, {\"name\": \"a\", \"type\": \"keyword\"}]}", "defined twice"),
        ("{\"fields\": [{\"name\": \"a\", \"type\": \"keyword\", \"analyzer\": \"arabic\"}]}", "only text fields take an analyzer"),
        ("{\"fields\": [{\"type\": \"text\"}]}", "missing \"name\""),
        ("{\"fields\": [", "not valid JSON"),
    ])
    func badSchemaFilesAreClearErrors(_ json: String, _ message: String) throws {
        let dir = TemporaryDirectory()
        dir.write("schema.json", json)
        let error = try #require(throws: FihrisError.self) { try Schema.load(from: dir.path + "/schema.json") }
        #expect(error.message.contains("schema.json"), "\(error.message)")
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func aDocumentThatDisagreesNamesItselfAndTheField() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { try $0.add(Document(id: "1", fields: [.init("book", .integer(3))])) }
        let error = try #require(throws: FihrisError.self) {
            try index.write { writer in
                try writer.add(Document(id: "2", fields: [.init("book", .integer(4))]))
                try writer.add(Document(id: "bad", fields: [.init("book", .text("three"))]))
            }
        }
        #expect(error.code == .schemaMismatch)
        #expect(error.message == "document \"bad\": field \"book\" is integer in the schema, but has the value \"three\" (text)")
        try #expect(index.documentCount == 1)  // the whole write was discarded

        let strict = try Schema(fields: [FieldDefinition(name: "text", type: .text)], inferNewFields: false)
        let other = try SearchIndex(at: dir.path + "/strict", mode: .openOrCreate, schema: strict)
        let unknown = try #require(throws: FihrisError.self) {
            try other.write { try $0.add(Document(id: "x", fields: [.init("extra", .text("?"))])) }
        }
        #expect(unknown.message.contains("\"extra\" is not in the schema"))
    }
}

@Suite struct FolderIndexerTests {
    func run(_ folder: String, _ index: SearchIndex, stopAfter: Int? = nil) throws -> FolderIndexer.Summary {
        var indexer = FolderIndexer(source: FolderSource(folder: folder))
        if let stopAfter {
            nonisolated(unsafe) var calls = 0
            indexer.batchDocuments = 3
            indexer.shouldStop = { calls += 1; return calls > stopAfter }
        }
        return try indexer.run(into: index)
    }

    func ids(_ index: SearchIndex) throws -> [String] {
        try index.read { try $0.search("نص", limit: 10_000).hits.map(\.id).sorted() }
    }

    /// A document that disagrees with the schema is a bad line like any other: named by file
    /// and line, and skipped with skipInvalid (it used to fail the whole run with no
    /// location, --skip-errors or not). A byte-order mark is not part of a text's title.
    @Test func aDocumentThatDisagreesWithTheSchemaIsSkippableAndLocated() throws {
        let dir = TemporaryDirectory()
        dir.write("docs/x.jsonl", "{\"id\": \"1\", \"text\": \"نص\", \"book\": 3}\n{\"id\": \"2\", \"text\": \"نص\", \"book\": \"three\"}\n{\"id\": \"3\", \"text\": \"نص\", \"book\": 4}")
        dir.write("docs/t.txt", "\u{FEFF}عنوان النص\nمتن")
        let folder = dir.path + "/docs"
        let strict = try SearchIndex(at: dir.path + "/strict", mode: .openOrCreate)
        let error = try #require(throws: FihrisError.self) { try FolderIndexer(source: FolderSource(folder: folder)).run(into: strict) }
        #expect(error.code == .schemaMismatch && error.message.hasPrefix("x.jsonl:2: "), "\(error.message)")
        let lenient = try SearchIndex(at: dir.path + "/lenient", mode: .openOrCreate)
        var problems: [String] = []
        var indexer = FolderIndexer(source: FolderSource(folder: folder))
        indexer.skipInvalid = { problems.append($0.message) }
        let summary = try indexer.run(into: lenient)
        #expect(summary.documentsIndexed == 3 && summary.problems == 1)
        #expect(problems.count == 1 && problems[0].hasPrefix("x.jsonl:2: "), "\(problems)")
        #expect(try lenient.read { try $0.document(id: "2") } == nil)
        #expect(try lenient.read { try $0.document(id: "t.txt") }?.title == "عنوان النص")
    }

    /// Two files holding one document id: the duplicate is reported, and removing one file
    /// keeps the document (it used to be deleted, and the other file then counted as
    /// unchanged forever), indexed from the file that still has it.
    @Test func anIDInTwoFilesSurvivesTheRemovalOfOne() throws {
        let dir = TemporaryDirectory()
        dir.write("docs/a.jsonl", "{\"id\": \"same\", \"text\": \"نص الملف الاول\"}\n{\"id\": \"a2\", \"text\": \"اخر\"}")
        dir.write("docs/b.jsonl", "{\"id\": \"same\", \"text\": \"نص الملف الثاني\"}")
        let folder = dir.path + "/docs"
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate)
        var warnings: [String] = []
        var indexer = FolderIndexer(source: FolderSource(folder: folder))
        indexer.warning = { warnings.append($0) }
        var summary = try indexer.run(into: index)
        #expect(summary.duplicateIDs == 1)
        #expect(warnings.count == 1 && warnings[0].contains("\"same\"") && warnings[0].contains("a.jsonl"), "\(warnings)")
        try FileManager.default.removeItem(atPath: folder + "/b.jsonl")
        summary = try indexer.run(into: index)
        #expect(summary.filesRemoved == 1 && summary.documentsDeleted == 0)
        let document = try #require(try index.read { try $0.document(id: "same") })
        #expect(document.fields.first { $0.name == "text" }?.value.description == "نص الملف الاول")
        summary = try indexer.run(into: index)
        #expect(summary.filesUnchanged == 1 && summary.documentsIndexed == 0)
        // Removing the last file that holds it deletes it.
        try FileManager.default.removeItem(atPath: folder + "/a.jsonl")
        summary = try indexer.run(into: index)
        #expect(summary.documentsDeleted == 2)
        #expect(try index.read { try $0.document(id: "same") } == nil)
    }

    @Test func onlyWhatChangedIsIndexedAgain() throws {
        let dir = TemporaryDirectory()
        dir.write("docs/a.txt", "نص اول")
        dir.write("docs/b.md", "# نص ثان")
        dir.write("docs/lines.jsonl", (1...20).map { "{\"id\": \"l\($0)\", \"text\": \"نص رقم \($0)\"}" }.joined(separator: "\n"))
        let folder = dir.path + "/docs"
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate)

        var summary = try run(folder, index)
        #expect(summary.documentsIndexed == 22 && summary.filesRead == 3)
        #expect(try ids(index).count == 22)

        summary = try run(folder, index)
        #expect(summary.filesRead == 0 && summary.filesUnchanged == 3 && summary.documentsIndexed == 0)

        // One line changes, one disappears, one is added.
        var lines = (1...20).map { "{\"id\": \"l\($0)\", \"text\": \"نص رقم \($0)\"}" }
        lines[4] = "{\"id\": \"l5\", \"text\": \"نص معدل\"}"
        lines.remove(at: 9)
        lines.append("{\"id\": \"l21\", \"text\": \"نص جديد\"}")
        dir.write("docs/lines.jsonl", lines.joined(separator: "\n"))
        summary = try run(folder, index)
        #expect(summary.documentsIndexed == 2)      // l5 changed, l21 new
        #expect(summary.documentsUnchanged == 18)
        #expect(summary.documentsDeleted == 1)      // l10
        #expect(try index.read { try $0.search("معدل").hits.map(\.id) } == ["l5"])
        #expect(try index.read { try $0.document(id: "l10") } == nil)

        // A file removed, a file renamed.
        try FileManager.default.removeItem(atPath: folder + "/a.txt")
        try FileManager.default.moveItem(atPath: folder + "/b.md", toPath: folder + "/c.md")
        summary = try run(folder, index)
        #expect(summary.filesRemoved == 2 && summary.filesRead == 1)
        let remaining = try ids(index)
        #expect(!remaining.contains("a.txt") && !remaining.contains("b.md") && remaining.contains("c.md"))
        #expect(remaining.count == 21)
        #expect(try index.check().isSound)
    }

    @Test func anInterruptedRunKeepsWhatItCommittedAndTheNextRunFinishes() throws {
        let dir = TemporaryDirectory()
        for f in 0..<4 {
            dir.write("docs/f\(f).jsonl", (0..<10).map { "{\"id\": \"f\(f)-\($0)\", \"text\": \"نص \(f) \($0)\"}" }.joined(separator: "\n"))
        }
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate)
        let first = try run(dir.path + "/docs", index, stopAfter: 14)
        #expect(first.interrupted)
        let partial = try ids(index)
        #expect(!partial.isEmpty && partial.count < 40)
        #expect(try index.check().isSound)
        let second = try run(dir.path + "/docs", index)
        #expect(!second.interrupted)
        #expect(try ids(index).count == 40)
        #expect(try index.check().isSound)
    }
}

@Suite struct ConfigurationTests {
    @Test func schemaSetsBM25AndTheDefaultOperator() async throws {
        let dir = TemporaryDirectory()
        dir.write("schema.json", """
            {"fields": [{"name": "text", "type": "text", "stopWords": false}],
             "bm25": {"k1": 2.0, "b": 0.0}, "defaultOperator": "and"}
            """)
        let schema = try Schema.load(from: dir.path + "/schema.json")
        #expect(schema.bm25 == BM25(k1: 2.0, b: 0.0))
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate, schema: schema)
        try await index.write { w in
            try w.add(Document(id: "both", text: "كتاب قلم في"))
            try w.add(Document(id: "one", text: "كتاب كتاب كتاب كتاب كتاب كتاب كتاب كتاب"))
        }
        // AND by default: only the document with both words.
        #expect(try index.read { try $0.search("كتاب قلم").hits.map(\.id) } == ["both"])
        var or = SearchOptions()
        or.defaultOperator = .or
        #expect(try index.read { try $0.search("كتاب قلم", options: or) }.hits.count == 2)
        // Stop words off for this field: في is indexed.
        #expect(try index.read { try $0.search("في").hits.map(\.id) } == ["both"])
        // b = 0: no length normalization, so the longer document's 8 occurrences win for كتاب.
        #expect(try index.read { try $0.search("كتاب", options: or) }.hits.first?.id == "one")
        // The schema persists with the index; async search gives the same results.
        #expect(try SearchIndex(at: dir.path + "/idx").schema.defaultOperator == .and)
        let results = try await index.search("كتاب قلم")
        #expect(results.hits.map(\.id) == ["both"])
        try await index.write { writer in try writer.add(Document(id: "async", text: "كتاب قلم")) }
        #expect(try index.documentCount == 3)

        dir.write("bad.json", "{\"defaultOperator\": \"xor\"}")
        #expect(throws: FihrisError.self) { try Schema.load(from: dir.path + "/bad.json") }
    }
}
