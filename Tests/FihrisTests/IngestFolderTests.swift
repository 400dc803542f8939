import Foundation
import Testing
@testable import Fihris

/// PDFs (LibreOffice-made, Arabic), a folder of every format indexed twice (incremental),
/// unreadable files with and without skipping, and damaged files of each format.
@Suite(.serialized) struct IngestFolderTests {
    /// Lam-alef ligatures (لا لأ لإ لآ), full harakat, digits and a Latin word inside
    /// Arabic: where PDF text extraction goes wrong.
    static let pages = [
        ["كتاب بدء الوحي", "إنما الأعمال بالنيات وإنما لكل امرئ ما نوى"],
        ["كتاب الإيمان", "بني الإسلام على خمس: السلام عليكم، لا إله إلا الله"],
        ["كتاب العلم", "حَدَّثَنَا الْحُمَيْدِيُّ عَبْدُ اللَّهِ بْنُ الزُّبَيْرِ", "من يرد الله به خيرا يفقهه في الدين 1234 رواه Bukhari 56"],
    ]

    /// Whether PDFs can be made here; where they must (CI), their absence fails the test.
    func pdfToolsPresent() -> Bool {
        let present = IngestFixtures.libreOffice != nil && PDFReader.tool("mutool") != nil
        if !present { #expect(!IngestFixtures.pdfToolsRequired, "LibreOffice and mupdf-tools are needed for the PDF tests (scripts/setup.sh --tests)") }
        return present
    }

    @Test func arabicPDFPagesInLogicalOrder() throws {
        guard pdfToolsPresent() else { return }
        let dir = TemporaryDirectory()
        try IngestFixtures.pdf(at: dir.path + "/b.pdf", title: "صحيح البخاري", pages: Self.pages)
        let docs = try PDFReader.documents(path: dir.path + "/b.pdf", id: "lib/b.pdf")
        #expect(docs.map(\.id) == ["lib/b.pdf#p1", "lib/b.pdf#p2", "lib/b.pdf#p3"])
        #expect(docs.map { $0[field: "page"] } == [.integer(1), .integer(2), .integer(3)])
        #expect(docs[0][field: "book"] == .text("صحيح البخاري"))
        #expect(docs[1].title == "صحيح البخاري (p. 2)")
        // Words in logical (reading) order: the page's text, bidi marks aside, holds each
        // paragraph's words as typed, not reversed.
        for (page, paragraphs) in Self.pages.enumerated() {
            guard case .text(let text)? = docs[page][field: "text"] else { Issue.record("no text"); continue }
            for paragraph in paragraphs { #expect(text.contains(paragraph), "page \(page + 1): \(text)") }
            #expect(!text.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        }
        // And the index finds a phrase, and sorts and filters by page.
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate)
        let summary = try FolderIndexer(source: FolderSource(folder: dir.path, including: ["*.pdf"])).run(into: index)
        #expect(summary.documentsIndexed == 3)
        #expect(try index.ids("\"يفقهه في الدين\"") == ["b.pdf#p3"])
        var options = SearchOptions()
        options.sort = [.field("page", .descending)]
        #expect(try index.ids("كتاب", options) == ["b.pdf#p3", "b.pdf#p2", "b.pdf#p1"])
        #expect(try index.ids("+كتاب +page:[2 TO 3]", options) == ["b.pdf#p3", "b.pdf#p2"])
        // Interrupted after the first page's commit: the run stops cleanly (no error), keeps
        // what it committed, and the next run finishes the file.
        let other = try SearchIndex(at: dir.path + "/idx2", mode: .openOrCreate)
        var stopping = FolderIndexer(source: FolderSource(folder: dir.path, including: ["*.pdf"]))
        var given = 0
        stopping.batchDocuments = 1
        stopping.progress = { given = $0.documents }
        stopping.shouldStop = { given >= 1 }
        let stopped = try stopping.run(into: other)
        #expect(stopped.interrupted && stopped.documentsIndexed >= 1 && stopped.documentsIndexed < 3)
        let resumed = try FolderIndexer(source: FolderSource(folder: dir.path, including: ["*.pdf"])).run(into: other)
        #expect(!resumed.interrupted && resumed.documentsIndexed + resumed.documentsUnchanged == 3)
    }

    @Test func encryptedAndDamagedPDFsAreErrorsNamingTheFile() throws {
        guard pdfToolsPresent() else { return }
        let dir = TemporaryDirectory()
        try IngestFixtures.pdf(at: dir.path + "/locked.pdf", title: "t", pages: [["سر"]], password: "secret")
        #expect { try PDFReader.documents(path: dir.path + "/locked.pdf", id: "locked.pdf") } throws: {
            $0.message.hasPrefix("locked.pdf: the PDF is encrypted (it needs a password)")
        }
        try "%PDF-1.4 not really".write(toFile: dir.path + "/bad.pdf", atomically: true, encoding: .utf8)
        #expect { try PDFReader.documents(path: dir.path + "/bad.pdf", id: "bad.pdf") } throws: {
            $0.message.hasPrefix("bad.pdf: not a readable PDF: mutool exited with status 1: error: ")
        }
    }

    /// Every format in one folder: the same documents on a second run (nothing read again),
    /// only the changed chapter of a changed book indexed again, removed files' documents gone.
    @Test func everyFormatIndexedTwiceIsIncremental() throws {
        let dir = TemporaryDirectory()
        let folder = dir.path + "/docs"
        dir.write("docs/a.txt", "نص عادي")
        dir.write("docs/b.md", "---\ntags: [x]\n---\n# عنوان\nنص\n## فرع\nنص الفرع")
        dir.write("docs/c.jsonl", "{\"id\":\"j1\",\"text\":\"سطر\"}\n")
        dir.write("docs/d.csv", "id,text\nr1,صف أول\nr2,صف ثان\n")
        dir.write("docs/e.tsv", "id\ttext\nt1\tعمود\n")
        dir.write("docs/f.html", "<html lang=ar><title>صفحة</title><body><nav>x</nav><p>محتوى الصفحة</p></body></html>")
        try IngestFixtures.epub(at: folder + "/g.epub", title: "كتاب", authors: ["مؤلف"], chapters: EPUBReaderTests.chapters)
        let withPDF = pdfToolsPresent()
        if withPDF { try IngestFixtures.pdf(at: folder + "/h.pdf", title: "كتاب", pages: Self.pages) }
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate)
        let first = try FolderIndexer(source: FolderSource(folder: folder)).run(into: index)
        let expected = 1 + 2 + 1 + 2 + 1 + 1 + 2 + (withPDF ? 3 : 0)
        #expect(first.documentsIndexed == expected && first.problems == 0)
        let exported = try index.ids("*", SearchOptions(limit: 10_000)).sorted()
        let second = try FolderIndexer(source: FolderSource(folder: folder)).run(into: index)
        #expect(second.documentsIndexed == 0 && second.filesRead == 0 && second.filesUnchanged == (withPDF ? 8 : 7))
        #expect(try index.ids("*", SearchOptions(limit: 10_000)).sorted() == exported)

        // One chapter of the book changes: only it is indexed again.
        var chapters = EPUBReaderTests.chapters
        chapters[2].body = "<p>نص جديد للفصل</p>"
        try IngestFixtures.epub(at: folder + "/g.epub", title: "كتاب", authors: ["مؤلف"], chapters: chapters)
        try FileManager.default.removeItem(atPath: folder + "/d.csv")
        let third = try FolderIndexer(source: FolderSource(folder: folder)).run(into: index)
        #expect(third.documentsIndexed == 1 && third.documentsUnchanged == 1 && third.documentsDeleted == 2 && third.filesRemoved == 1)
        #expect(try index.ids("جديد") == ["g.epub#chapter-3"])
        #expect(try index.ids("صف").isEmpty)
    }

    @Test func unreadableFilesStopTheRunOrAreSkippedWithAWarning() throws {
        let dir = TemporaryDirectory()
        let folder = dir.path + "/docs"
        dir.write("docs/good.txt", "نص سليم")
        dir.write("docs/bad.epub", "PK\u{3}\u{4} not a zip")
        try IngestFixtures.epub(at: folder + "/drm.epub", title: "t", authors: [], chapters: EPUBReaderTests.chapters, encryptedChapters: ["c1.xhtml"])
        dir.write("docs/note.md", "---\n: [\n---\nx")
        let index = try SearchIndex(at: dir.path + "/idx", mode: .openOrCreate)
        #expect { try FolderIndexer(source: FolderSource(folder: folder)).run(into: index) } throws: {
            $0.message.hasPrefix("bad.epub: not an EPUB book")
        }
        var warnings: [String] = []
        var indexer = FolderIndexer(source: FolderSource(folder: folder))
        indexer.skipInvalid = { warnings.append($0.message) }
        let summary = try indexer.run(into: index)
        #expect(summary.documentsIndexed == 1 && summary.problems == 3)
        #expect(warnings.count == 3)
        #expect(warnings[0].hasPrefix("bad.epub: not an EPUB book"))
        #expect(warnings[1] == "drm.epub: the book is encrypted (DRM); its chapters cannot be read")
        #expect(warnings[2].hasPrefix("note.md: front matter is not YAML"))
        // Skipped files are not recorded: the next run names them again.
        warnings.removeAll()
        _ = try indexer.run(into: index)
        #expect(warnings.count == 3)
    }

    /// Damaged files of each format — every truncation of a small one, bytes flipped at
    /// random, random bytes — give documents or an error, never a crash or a hang.
    @Test func damagedFilesOfEveryFormatAreErrorsNotCrashes() throws {
        let dir = TemporaryDirectory()
        try IngestFixtures.epub(at: dir.path + "/s.epub", title: "كتاب", authors: ["م"], chapters: EPUBReaderTests.chapters)
        var samples: [(String, [UInt8])] = [
            ("html", Array("<html lang=ar><head><title>ت</title><script>x</script></head><body><main><p>نص &amp; <b>غامق</b></p><table><tr><td>خ</td></tr></table></main></body></html>".utf8)),
            ("md", Array("---\ntitle: ت\ntags: [a, b]\n---\n# أ\nنص\n## ب\n```\n# c\n```\nSetext\n===\n".utf8)),
            ("csv", Array(DelimitedReaderTests.sample.utf8)),
            ("tsv", Array("id\ttext\n\"a\"\"b\"\tنص\nc\td\n".utf8)),
            ("jsonl", Array("{\"id\":\"a\",\"text\":\"نص\",\"n\":[1,2.5,{\"x\":true}]}\n{\"id\":\"b\"}\n".utf8)),
            ("epub", [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.path + "/s.epub")))),
        ]
        if pdfToolsPresent() {
            try IngestFixtures.pdf(at: dir.path + "/s.pdf", title: "ك", pages: [["نص"], ["ثان"]])
            samples.append(("pdf", [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.path + "/s.pdf")))))
        }
        var generator = SystemRandomNumberGenerator()
        var cases = 0, errors = 0
        for (ext, sample) in samples {
            var variants: [[UInt8]] = []
            // Truncations: every length for small files, about 60 for large ones (PDFs run two
            // processes each, so fewer).
            let cuts = ext == "pdf" ? 12 : 60
            let step = max(1, sample.count / cuts)
            for length in stride(from: 0, to: sample.count, by: step) { variants.append(Array(sample.prefix(length))) }
            for _ in 0..<(ext == "pdf" ? 6 : 40) {
                var flipped = sample
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    flipped[Int.random(in: 0..<flipped.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                variants.append(flipped)
            }
            for _ in 0..<(ext == "pdf" ? 3 : 10) {
                variants.append((0..<Int.random(in: 1...4096, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            for variant in variants {
                let path = dir.path + "/v-\(ext)/x." + ext
                try? FileManager.default.createDirectory(atPath: dir.path + "/v-\(ext)", withIntermediateDirectories: true)
                try Data(variant).write(to: URL(fileURLWithPath: path))
                let source = FolderSource(folder: dir.path + "/v-\(ext)")
                cases += 1
                do {
                    for file in try source.files() { try source.documents(in: file, skipInvalid: nil) { _, _ in } }
                } catch let error as FihrisError {
                    errors += 1
                    #expect(error.message.contains("x.\(ext)"), "the error names the file: \(error.message)")
                }
            }
        }
        #expect(cases > 300 && errors > 0)
    }
}

extension SearchIndex {
    /// The ids of a query's hits, in order.
    func ids(_ query: String, _ options: SearchOptions = SearchOptions()) throws -> [String] {
        try read { searcher throws in try searcher.search(query, options: options).hits.map(\.id) }
    }
}
