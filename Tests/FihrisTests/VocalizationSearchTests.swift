import Foundation
import Testing
import TextAnalysis
@testable import Fihris

/// Harakat typed in a query: compatible documents rank first, `.strict` matches only them.
@Suite struct VocalizationSearchTests {
    /// Real homographs of the hadith text (each sentence has the word as the corpus writes it).
    static let documents = [
        ("knew", "عَلِمَ النَّاسُ مَا فِي النِّدَاءِ"),
        ("taught", "عَلَّمَهُ الْقُرْآنَ"),
        ("knowledge", "طَلَبُ الْعِلْمِ فَرِيضَةٌ"),
        ("flag", "عَلَى رَأْسِهِ عَلَمٌ"),
        ("king", "كَانَ مَلِكٌ فِيمَنْ كَانَ قَبْلَكُمْ"),
        ("reign", "لَهُ الْمُلْكُ وَلَهُ الْحَمْدُ"),
        ("angel", "فَنَزَلَ مَلَكٌ مِنَ السَّمَاءِ"),
        ("bare", "علم الناس وملك"),
    ]

    static let rows: [(query: String, first: Set<String>, strict: Set<String>)] = [
        ("عَلَّمَ", ["taught"], ["taught"]),                 // the pronoun of عَلَّمَهُ is not the stem's
        ("عَلِمَ", ["knew"], ["knew"]),
        ("عِلْم", ["knowledge"], ["knowledge"]),            // العِلْمِ: compared on the stem's letters
        ("عَلَم", ["flag"], ["flag"]),                      // a bare last letter is a wildcard
        ("علّم", ["taught"], ["taught"]),                   // a lone shadda
        ("مَلِك", ["king"], ["king"]),
        ("مُلْك", ["reign"], ["reign"]),
        ("مَلَك", ["angel"], ["angel"]),
        ("\"مَلَكٌ مِنَ\"", ["angel"], ["angel"]),
        ("علم", [], []),                                    // no harakat: as before, no order asked
    ]

    @Test func homographs() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        try index.write { writer in for (id, text) in Self.documents { try writer.add(Document(id: id, text: text)) } }
        for row in Self.rows {
            let ranked = try index.read { try $0.search(row.query, options: SearchOptions(limit: 10)) }.hits.map(\.id)
            let bare = try index.read { try $0.search(ScriptFolding.fold(row.query), options: SearchOptions(limit: 10)) }.hits.map(\.id)
            // Ranking: the same documents as the query without harakat, compatible ones first.
            #expect(Set(ranked) == Set(bare), "\(row.query)")
            #expect(Set(ranked.prefix(row.first.count)) == row.first, "\(row.query): \(ranked)")
            var strict = SearchOptions(limit: 10)
            strict.vocalization = .strict
            let matched = try index.read { try $0.search(row.query, options: strict) }.hits.map(\.id)
            #expect(Set(matched) == (row.strict.isEmpty ? Set(bare) : row.strict), "strict \(row.query): \(matched)")
            // The query syntax's = makes the clause strict without the option.
            if !row.strict.isEmpty {
                let syntax = row.query.hasPrefix("\"") ? "=" + row.query : "=" + row.query
                let strictHits = try index.read { try $0.search(syntax, options: SearchOptions(limit: 10)) }.hits.map(\.id)
                #expect(Set(strictHits) == row.strict, "\(syntax): \(strictHits)")
            }
        }
    }

    /// The committed hadith sample indexed at `path`, with each document's text.
    static func sampleIndex(at path: String) throws -> (SearchIndex, [(id: String, text: String)]) {
        let schema = try Schema.load(from: repositoryCorpus + "/schema.json")
        let index = try SearchIndex(at: path, mode: .openOrCreate, schema: schema)
        let source = FolderSource(folder: repositoryCorpus, excluding: ["README.md", "ain-al-asad-handover.txt"])
        var texts: [(id: String, text: String)] = []
        try index.write { writer in
            for file in try source.files() {
                try source.documents(in: file) { document in
                    try writer.add(document)
                    if case .text(let text)? = document.fields.first(where: { $0.name == "text" })?.value { texts.append((document.id, text)) }
                }
            }
        }
        return (index, texts)
    }

    /// Strict matching equals a brute-force scan: for vocalized stems of the committed
    /// hadith sample, the documents `.strict` finds are exactly those with a token of that
    /// stem whose stem letters carry compatible harakat.
    @Test func strictMatchesEqualTheBruteForceReference() throws {
        let dir = TemporaryDirectory()
        let (index, texts) = try Self.sampleIndex(at: dir.path)
        let analyzer = try Analyzer()
        func stemMarks(_ token: Token) -> [UInt8]? { token.stemVocalization }
        var documents: [(id: String, tokens: [(stem: [UInt8], marks: [UInt8])])] = []
        var vocalizations: [[UInt8]: Set<[UInt8]>] = [:]
        for (id, text) in texts {
            let tokens = try analyzer.tokens(text).compactMap { t in stemMarks(t).map { (t.stem, $0) } }
            documents.append((id, tokens))
            for (stem, marks) in tokens where stem.count >= 6 { vocalizations[stem, default: []].insert(marks) }
        }
        // Stems written at least two ways; the query: the marks of all but the last letter.
        var generator = SeededGenerator(seed: 12)
        let stems = vocalizations.filter { $0.value.count >= 2 }.keys.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(stems.count > 100)
        var checked = 0
        for _ in 0..<60 {
            let stem = stems[Int(generator.next() % UInt64(stems.count))]
            let all = vocalizations[stem]!.sorted { $0.lexicographicallyPrecedes($1) }
            var marks = all[Int(generator.next() % UInt64(all.count))]
            marks[marks.count - 1] = 0
            guard marks.contains(where: { $0 != 0 }) else { continue }
            let query = Vocalization.describe(String(decoding: stem, as: UTF8.self), marks)
            // The stem as typed is a word of its own, whose stem may be shorter (اشتري → اشتر):
            // the reference compares what the query word is analyzed to.
            guard let typed = try analyzer.tokens(query).first, let typedMarks = typed.stemVocalization else { continue }
            let expected = Set(documents.filter { doc in
                doc.tokens.contains { $0.stem == typed.stem && Vocalization.isCompatible(query: typedMarks, document: $0.marks) } }.map(\.id))
            var options = SearchOptions(limit: 10_000)
            options.vocalization = .strict
            let found = Set(try index.read { try $0.search(query, options: options) }.hits.map(\.id))
            #expect(found == expected, "\(query): \(found.count) found, \(expected.count) expected")
            checked += 1
        }
        #expect(checked >= 40)
    }

    /// Strict phrases and root phrases equal a brute-force scan of token positions: for
    /// bigrams of the committed hadith sample, `text:="w1 w2"` (w1 typed with one of its
    /// stem's vocalizations) finds exactly the documents where w1 written compatibly is
    /// followed by w2 — not a document with a compatible w1 elsewhere — and `text:>>"w1
    /// w2"` those where a word of w1's root is followed by one of w2's.
    @Test func strictAndRootPhrasesEqualTheBruteForceReference() throws {
        let dir = TemporaryDirectory()
        let (index, texts) = try Self.sampleIndex(at: dir.path)
        struct Word { var term: [UInt8]; var stem: [UInt8]; var marks: [UInt8]?; var root: [UInt8]? }
        let analyzer = try Analyzer()
        var documents: [(id: String, words: [Int: [Word]])] = []
        var vocalizations: [[UInt8]: Set<[UInt8]>] = [:]
        for (id, text) in texts {
            var words: [Int: [Word]] = [:]
            for t in try analyzer.tokens(text) {
                let word = Word(term: t.term, stem: t.stem, marks: t.stemVocalization, root: RootExtractor.root(of: t, in: text))
                words[t.position, default: []].append(word)
                if let marks = word.marks { vocalizations[t.stem, default: []].insert(marks) }
            }
            documents.append((id, words))
        }
        func search(_ query: String) throws -> Set<String> {
            Set(try index.read { try $0.search(query, options: SearchOptions(limit: 10_000)) }.hits.map(\.id))
        }
        var generator = SeededGenerator(seed: 20261201)
        var strictChecked = 0, perPositionMatters = 0, rootChecked = 0
        for _ in 0..<400 where strictChecked < 60 {
            let doc = documents[Int(generator.next() % UInt64(documents.count))]
            let positions = doc.words.keys.sorted()
            let p = positions[Int(generator.next() % UInt64(positions.count))]
            guard let first = doc.words[p]?.first, let second = doc.words[p + 1]?.first, first.stem.count >= 6,
                  let all = vocalizations[first.stem], all.count >= 2, let offset = first.term.firstRange(of: first.stem)?.lowerBound
            else { continue }
            // One of the stem's vocalizations, its last letter left bare, typed on the word.
            var marks = all.sorted { $0.lexicographicallyPrecedes($1) }[Int(generator.next() % UInt64(all.count))]
            marks[marks.count - 1] = 0
            guard marks.contains(where: { $0 != 0 }) else { continue }
            var termMarks = [UInt8](repeating: 0, count: first.term.count / 2)
            termMarks.replaceSubrange((offset / 2)..<((offset + first.stem.count) / 2), with: marks)
            let typed = Vocalization.describe(String(decoding: first.term, as: UTF8.self), termMarks)
            func compatible(_ w: Word) -> Bool { w.term == first.term && w.marks.map { Vocalization.isCompatible(query: marks, document: $0) } == true }
            let expected = Set(documents.filter { d in d.words.contains { q, ws in
                ws.contains(where: compatible) && d.words[q + 1]?.contains { $0.term == second.term } == true } }.map(\.id))
            let anywhere = Set(documents.filter { d in d.words.values.contains { $0.contains(where: compatible) }
                && d.words.contains { q, ws in ws.contains { $0.term == first.term } && d.words[q + 1]?.contains { $0.term == second.term } == true } }.map(\.id))
            let query = "text:=\"\(typed) \(String(decoding: second.term, as: UTF8.self))\""
            let found = try search(query)
            #expect(found == expected, "\(query): \(found.subtracting(expected).sorted()) found only, \(expected.subtracting(found).sorted()) expected only")
            strictChecked += 1
            if anywhere != expected { perPositionMatters += 1 }
            // The same bigram by roots: each word typed bare, so its root is the one read from
            // its letters alone (a document's word may read otherwise with its harakat); a
            // word without a root matches as itself.
            let (w1, w2) = (String(decoding: first.term, as: UTF8.self), String(decoding: second.term, as: UTF8.self))
            let rootQuery = "text:>>\"\(w1) \(w2)\""
            func matches(_ typed: String) -> (Word) -> Bool {
                if let root = RootExtractor.root(ofWord: typed) { return { $0.root == Array(root.utf8) } }
                return { $0.term == Array(typed.utf8) }
            }
            let (m1, m2) = (matches(w1), matches(w2))
            let byRoots = Set(documents.filter { d in d.words.contains { q, ws in
                ws.contains(where: m1) && d.words[q + 1]?.contains(where: m2) == true } }.map(\.id))
            let foundByRoots = try search(rootQuery)
            #expect(foundByRoots == byRoots, "\(rootQuery): \(foundByRoots.subtracting(byRoots).sorted()) found only, \(byRoots.subtracting(foundByRoots).sorted()) expected only")
            rootChecked += 1
        }
        #expect(strictChecked >= 40 && rootChecked >= 40)
        // The sample has phrases where a compatible w1 elsewhere in the document is not enough.
        #expect(perPositionMatters >= 1)
    }

    /// `>>word` finds the words of its root, and only those.
    @Test func rootSearch() throws {
        let dir = TemporaryDirectory()
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate)
        let documents = [("book", "قرأت الكتاب"), ("writer", "جاء الكاتب"), ("written", "هذا مكتوب"), ("library", "في المكتبة"),
                         ("they-wrote", "كتبوا إليه"), ("knowledge", "طلب العلم"), ("teacher", "سأل المعلم")]
        try index.write { writer in for (id, text) in documents { try writer.add(Document(id: id, text: text)) } }
        let rows: [(String, Set<String>)] = [
            (">>كتب", ["book", "writer", "written", "library", "they-wrote"]),
            (">>الكتاب", ["book", "writer", "written", "library", "they-wrote"]),   // the word's root, not the word
            ("text:>>علم", ["knowledge", "teacher"]),
            (">>علم -المعلم", ["knowledge"]),
            ("كتب", ["they-wrote"]),                                                 // without >>, the word
        ]
        for (query, expected) in rows {
            let hits = try index.read { try $0.search(query, options: SearchOptions(limit: 10)) }.hits.map(\.id)
            #expect(Set(hits) == expected, "\(query): \(hits)")
        }
        // Root expansion (off by default): a free-text word also finds its root's other words,
        // ranked below the documents with the word itself.
        let plain = try index.read { try $0.search("مكتوب", options: SearchOptions(limit: 10)) }.hits.map(\.id)
        #expect(plain == ["written"])
        var expanded = SearchOptions(limit: 10)
        expanded.rootExpansion = 0.5
        let withRoots = try index.read { try $0.search("مكتوب", options: expanded) }.hits.map(\.id)
        #expect(withRoots.first == "written")
        #expect(Set(withRoots) == ["book", "writer", "written", "library", "they-wrote"])
        // Snippets mark the words of the root.
        var options = SearchOptions(limit: 10)
        options.snippets = true
        let hit = try #require(try index.read { try $0.search(">>كتب", options: options) }.hits.first { $0.id == "library" })
        let text = Array(hit.snippets[0].text.utf8)
        #expect(hit.snippets[0].highlights.map { String(decoding: text[$0], as: UTF8.self) } == ["المكتبة"])
    }

    /// A schema can leave harakat and roots out of a field (smaller index): strict and root
    /// queries then match as plain words.
    @Test func harakatAndRootsCanBeTurnedOff() throws {
        let dir = TemporaryDirectory()
        let schema = try Schema(fields: [FieldDefinition(name: "text", type: .text, harakat: false, roots: false)])
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate, schema: schema)
        try index.write { writer in
            try writer.add(Document(id: "taught", text: "عَلَّمَهُ الْقُرْآنَ"))
            try writer.add(Document(id: "knew", text: "عَلِمَ النَّاسُ"))
            try writer.add(Document(id: "book", text: "الكتاب"))
        }
        let strict = try index.read { try $0.search("=عَلَّمَ", options: SearchOptions(limit: 10)) }.hits.map(\.id)
        #expect(Set(strict) == ["taught", "knew"])
        let root = try index.read { try $0.search(">>كاتب", options: SearchOptions(limit: 10)) }.hits.map(\.id)
        #expect(root.isEmpty)                                   // كاتب as a word: not in the index
        // Only exact forms and stems are indexed.
        let tokens = try Analyzer().tokens("عَلَّمَهُ الْقُرْآنَ عَلِمَ النَّاسُ الكتاب")
        let expected = Set(tokens.map(\.term)).count + Set(tokens.map(\.stem)).count
        #expect(try index.statistics().postingLists == expected)
    }
}
