import Foundation
import Testing
@testable import Fihris

/// Bytes handed over `size` at a time (1 byte, a few bytes, ...), to show that a streaming
/// reader gives the same documents however its input is cut.
struct PiecewiseChunks: ByteChunks {
    let bytes: [UInt8]
    let size: Int
    func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + size)
                try body(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
    }
}

private func html(_ text: String, parser: MarkupText.Parser = .html) throws -> MarkupText {
    try MarkupText.extract(Array(text.utf8), name: "page.html", parser: parser)
}

@Suite struct HTMLReaderTests {
    /// One row per rule of `MarkupText`: page → text (and title).
    @Test(arguments: [
        // Boilerplate: script, style, nav, footer, a header outside the content, forms.
        ("<html><head><title>T</title><style>p{}</style><script>var a='x';</script></head><body><header>رأس</header><nav>قائمة</nav><p>نص المقال</p><form><button>زر</button></form><footer>حقوق</footer></body></html>",
         "نص المقال", "T"),
        // Title from the first h1 when there is no <title>.
        ("<body><h1>العنوان</h1><p>فقرة</p></body>", "العنوان\nفقرة", "العنوان"),
        // Entities and character references decoded; no-break space is a space.
        ("<p>أ &amp; ب &lt;ج&gt; &#1583;&#x062F; x&nbsp;y &quot;q&quot;</p>", "أ & ب <ج> دد x y \"q\"", ""),
        // Inline elements do not split words; blocks and <br> break lines.
        ("<p><b>كت</b>اب <i>الله</i></p><div>سطر<br>آخر</div><ul><li>أ</li><li>ب</li></ul>", "كتاب الله\nسطر\nآخر\nأ\nب", ""),
        // Hidden, aria-hidden, navigation roles, boilerplate ids and classes.
        ("<body><div hidden>مخفي</div><div aria-hidden=\"true\">مخفي</div><div role=\"navigation\">تنقل</div><div class=\"col sidebar\">جانب</div><div id=\"footer\">ذيل</div><p>الباقي</p></body>",
         "الباقي", ""),
        // One <main>: only its text (its own header kept).
        ("<body><div>خارج</div><main><header>عنوان المقال</header><p>داخل</p></main><div>خارج</div></body>", "عنوان المقال\nداخل", ""),
        // One <article> and no <main>: only the article.
        ("<body><p>إعلان</p><article><h2>خبر</h2><p>تفاصيل</p></article><p>مقالات أخرى</p></body>", "خبر\nتفاصيل", ""),
        // Two articles: the body, boilerplate removed.
        ("<body><article>أول</article><aside>جانبي</aside><article>ثان</article></body>", "أول\nثان", ""),
        // Whitespace collapsed, table cells apart.
        ("<table><tr><td>  أ\n\n ب </td><td>ج</td></tr><tr><td>د</td></tr></table>", "أ ب\nج\nد", ""),
    ] as [(String, String, String)])
    func extractsText(page: String, text: String, title: String) throws {
        let result = try html(page)
        #expect(result.text == text)
        #expect(result.title == title)
    }

    @Test func langDirAuthorAndDescription() throws {
        let page = try html("<html lang=\"ar\" dir=\"RTL\"><head><meta name=\"Author\" content=\" البخاري \"><meta name=\"description\" content=\"وصف\"></head><body>نص</body></html>")
        #expect(page.lang == "ar" && page.dir == "rtl" && page.author == "البخاري" && page.description == "وصف")
        let document = HTMLReader.document(page, id: "a.html")
        #expect(document.title == "نص")
        #expect(document.fields == [.init("text", .text("نص")), .init("lang", .text("ar")), .init("dir", .text("rtl")),
                                    .init("author", .text("البخاري")), .init("description", .text("وصف"))])
        // The body's lang when the root has none.
        #expect(try html("<html><body lang=\"fa\">x</body></html>").lang == "fa")
    }

    @Test func declaredCharsetsAndErrors() throws {
        // Windows-1256 with a declared charset: decoded. (كتاب in cp1256: DF CA C7 C8)
        let page: [UInt8] = Array("<html><head><meta charset=\"windows-1256\"></head><body><p>".utf8) + [0xDF, 0xCA, 0xC7, 0xC8] + Array("</p></body></html>".utf8)
        #expect(try MarkupText.extract(page, name: "old.html").text == "كتاب")
        // Not UTF-8 and nothing declared: an error naming the file.
        let bare: [UInt8] = Array("<p>".utf8) + [0xDF, 0xCA, 0xC7, 0xC8]
        #expect { try MarkupText.extract(bare, name: "old.html") } throws: { error in
            (error as? FihrisError)?.message.hasPrefix("old.html: not UTF-8 and no charset declared") == true
        }
        #expect(try MarkupText.extract([], name: "empty.html") == MarkupText())
    }

    @Test func xhtmlParsedAsXMLKeepsAnEmptyTitleEmpty() throws {
        // An HTML parser takes `<title/>` as an open title that swallows the body.
        let page = "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title/></head><body><p>النص كله</p></body></html>"
        let xhtml = try html(page, parser: .xhtml)
        #expect(xhtml.text == "النص كله" && xhtml.title == "")
        // Not well-formed XHTML falls back to the HTML parser.
        #expect(try html("<html><body><p>أ &nbsp; ب<p>ج</body>", parser: .xhtml).text == "أ ب\nج")
    }
}

@Suite struct MarkdownReaderTests {
    func documents(_ text: String) throws -> [Document] {
        try Array(text.utf8).withUnsafeBytes { try MarkdownReader.documents($0, id: "notes.md") }
    }

    @Test func sectionsIdsAndTrails() throws {
        let docs = try documents("""
            مقدمة قبل العناوين

            # الكتاب
            نص الكتاب
            ## باب الصلاة
            نص الباب
            #### عنوان فرعي عميق
            يبقى في الباب
            ```
            # ليس عنوانا
            ```
            ## باب الصلاة
            مكرر
            Setext Title
            ============
            نص
            #hashtag is text
            """)
        #expect(docs.map(\.id) == ["notes.md", "notes.md#الكتاب", "notes.md#باب-الصلاة", "notes.md#باب-الصلاة-1", "notes.md#setext-title"])
        #expect(docs.map { $0[field: "section"] } == [nil, .text("الكتاب"), .text("الكتاب › باب الصلاة"), .text("الكتاب › باب الصلاة"), .text("Setext Title")])
        #expect(docs[2][field: "text"] == .text("باب الصلاة\nنص الباب\nعنوان فرعي عميق\nيبقى في الباب\n```\n# ليس عنوانا\n```"))
        #expect(docs[4][field: "text"] == .text("Setext Title\nنص\n#hashtag is text"))
        #expect(docs.allSatisfy { $0.title == "الكتاب" })
    }

    @Test func aFileThatStartsWithItsHeadingKeepsItsPathAsID() throws {
        let docs = try documents("\n## Heading here ##\n\nbody\n# Second\nmore")
        #expect(docs.map(\.id) == ["notes.md", "notes.md#second"])
        #expect(docs[0].title == "Heading here" && docs[0][field: "section"] == .text("Heading here"))
        #expect(try documents("no headings at all\nline").map(\.id) == ["notes.md"])
    }

    @Test func frontMatterFields() throws {
        let docs = try documents("""
            ---
            title: "صحيح البخاري"
            tags: [حديث, فقه]
            year: 2024
            rating: 4.5
            draft: false
            source: {site: sunnah.com}
            empty: ~
            ---
            # Intro
            text
            """)
        #expect(docs.count == 1 && docs[0].title == "صحيح البخاري")
        #expect(Array(docs[0].fields.dropFirst(2)) == [
            .init("title", .text("صحيح البخاري")), .init("tags", .text("حديث")), .init("tags", .text("فقه")), .init("year", .integer(2024)),
            .init("rating", .double(4.5)), .init("draft", .bool(false)), .init("source.site", .text("sunnah.com")),
        ])
        #expect { try documents("---\ntitle: [unclosed\n---\ntext") } throws: { error in
            (error as? FihrisError)?.message.hasPrefix("notes.md: front matter is not YAML: line ") == true
        }
        #expect { try documents("---\n- a list\n---\ntext") } throws: { error in
            (error as? FihrisError)?.message == "notes.md:2: front matter must be a map of fields (key: value)"
        }
        // A thematic break later in the file is not front matter.
        #expect(try documents("text\n---\nmore").count == 1)
    }
}

@Suite struct DelimitedReaderTests {
    func rows(_ text: String, tsv: Bool = false, chunk: Int = 1 << 20, skip: Bool = false,
              types: [String: FieldType] = [:]) throws -> (docs: [Document], problems: [String]) {
        var docs: [Document] = [], problems: [String] = []
        try DelimitedReader(name: "t.csv", separator: tsv ? 0x09 : 0x2C)
            .read(PiecewiseChunks(bytes: Array(text.utf8), size: chunk), skipInvalid: skip ? { problems.append($0.message) } : nil,
                  fieldType: { types[$0] }) { docs.append($0) }
        return (docs, problems)
    }

    static let sample = "\u{FEFF}id,title,book,grade,zip,text\r\nb1,\"أول, كتاب\",3,4.5,00123,\"نص \"\"مقتبس\"\"\nسطر ثان\"\r\n\r\n,ثان,-4,,,نص ثان\nb3,ثالث\n"

    @Test func rowsBecomeDocuments() throws {
        let (docs, _) = try rows(Self.sample)
        #expect(docs.map(\.id) == ["b1", "t.csv:5", "b3"])
        #expect(docs[0].title == "أول, كتاب")
        #expect(docs[0].fields == [.init("title", .text("أول, كتاب")), .init("book", .integer(3)), .init("grade", .double(4.5)),
                                   .init("zip", .text("00123")), .init("text", .text("نص \"مقتبس\"\nسطر ثان"))])
        #expect(docs[1].fields == [.init("title", .text("ثان")), .init("book", .integer(-4)), .init("text", .text("نص ثان"))])
        // Declared types win over inference.
        let typed = try rows(Self.sample, types: ["book": .text, "zip": .integer])
        #expect(typed.docs[0][field: "book"] == .text("3") && typed.docs[0][field: "zip"] == .integer(123))
        // TSV.
        let tsv = try rows("id\ttext\nx\tأ, ب\n", tsv: true)
        #expect(tsv.docs == [Document(id: "x", fields: [.init("text", .text("أ, ب"))])])
    }

    /// Cut into pieces of any size, the input gives the same documents.
    @Test func sameDocumentsHoweverTheInputIsCut() throws {
        let whole = try rows(Self.sample).docs
        for size in [1, 2, 3, 5, 8, 13, 64] { #expect(try rows(Self.sample, chunk: size).docs == whole, "pieces of \(size)") }
    }

    @Test(arguments: [
        ("id,text\na,b,c\n", "t.csv:2: 3 cells in a row, but the header names 2 columns"),
        ("id,text\na,\"open\n", "t.csv:2: a quoted cell is not closed before the end of the file"),
        ("id,text\na,\"x\"y\n", "t.csv:2: text after a closing quote (a quote inside a cell is written \"\")"),
        ("id,n\na,12x\n", "t.csv:2: column \"n\" is an integer field, but holds \"12x\""),
        ("id,,text\n", "t.csv:1: column 2 of the header row has no name"),
    ] as [(String, String)])
    func errorsNameTheLine(input: String, message: String) throws {
        #expect { try rows(input, types: ["n": .integer]) } throws: { ($0 as? FihrisError)?.message == message }
    }

    @Test func skippedRowsAreReportedAndTheRestRead() throws {
        let (docs, problems) = try rows("id,text\na,ok\nb,x,y\nc,ok\n", skip: true)
        #expect(docs.map(\.id) == ["a", "c"])
        #expect(problems == ["t.csv:3: 3 cells in a row, but the header names 2 columns"])
    }

    @Test func jsonLinesCutIntoPiecesGiveTheSameDocuments() throws {
        let text = "{\"id\":\"a\",\"text\":\"نص أول\"}\n\n{\"id\":\"b\",\"n\":3}\n{\"text\":\"بلا معرف\"}"
        func read(_ size: Int) throws -> [Document] {
            var docs: [Document] = []
            try FolderSource.jsonLines(PiecewiseChunks(bytes: Array(text.utf8), size: size), path: "s.jsonl", skipInvalid: nil) { d, _ in docs.append(d) }
            return docs
        }
        let whole = try read(1 << 20)
        #expect(whole.map(\.id) == ["a", "b", "s.jsonl:4"])
        for size in [1, 2, 3, 7, 16] { #expect(try read(size) == whole) }
    }
}

@Suite struct EPUBReaderTests {
    static let chapters = [
        IngestFixtures.Chapter(file: "c1.xhtml", title: "كتاب الإيمان", body: "<h1>باب</h1><p>إنما الأعمال بالنيات</p>"),
        IngestFixtures.Chapter(file: "cover.xhtml", title: "الغلاف", body: "<div><img src=\"c.jpg\"/></div>"),
        IngestFixtures.Chapter(file: "c%203.xhtml", title: "كتاب العلم", body: "<p>من يرد الله به خيرا يفقهه في الدين</p><script>x()</script>"),
    ]

    @Test func chaptersInSpineOrderWithMetadata() throws {
        let dir = TemporaryDirectory()
        try IngestFixtures.epub(at: dir.path + "/b.epub", title: "صحيح البخاري", authors: ["البخاري", "محقق"], chapters: Self.chapters)
        let docs = try EPUBReader.documents(path: dir.path + "/b.epub", id: "books/b.epub")
        // The cover (no text) is left out; numbers follow the spine.
        #expect(docs.map(\.id) == ["books/b.epub#chapter-1", "books/b.epub#chapter-3"])
        #expect(docs.map(\.title) == ["كتاب الإيمان", "كتاب العلم"])
        #expect(docs[0].fields == [
            .init("text", .text("باب\nإنما الأعمال بالنيات")), .init("book", .text("صحيح البخاري")), .init("chapter", .integer(1)),
            .init("title", .text("كتاب الإيمان")), .init("author", .text("البخاري")), .init("author", .text("محقق")), .init("lang", .text("ar")),
        ])
        #expect(docs[1][field: "text"] == .text("من يرد الله به خيرا يفقهه في الدين"))
    }

    @Test func damagedEncryptedAndIncompleteBooksAreErrorsNamingTheFile() throws {
        let dir = TemporaryDirectory()
        func message(_ build: () throws -> Void) throws -> String {
            try build()
            do { _ = try EPUBReader.documents(path: dir.path + "/x.epub", id: "x.epub"); return "no error" } catch { return error.message }
        }
        let drm = try message { try IngestFixtures.epub(at: dir.path + "/x.epub", title: "t", authors: [], chapters: Self.chapters, encryptedChapters: ["c1.xhtml"]) }
        #expect(drm == "x.epub: the book is encrypted (DRM); its chapters cannot be read")
        let missing = try message { try IngestFixtures.epub(at: dir.path + "/x.epub", title: "t", authors: [], chapters: Self.chapters, omit: ["OEBPS/text/c1.xhtml"]) }
        #expect(missing == "x.epub: not a valid EPUB book: OEBPS/text/c1.xhtml is missing")
        let noContainer = try message { try IngestFixtures.epub(at: dir.path + "/x.epub", title: "t", authors: [], chapters: Self.chapters, omit: ["META-INF/container.xml"]) }
        #expect(noContainer == "x.epub: not a valid EPUB book: META-INF/container.xml is missing")
        let notZip = try message { try "just text".write(toFile: dir.path + "/x.epub", atomically: true, encoding: .utf8) }
        #expect(notZip.hasPrefix("x.epub: not an EPUB book (cannot be read as a ZIP archive"))
    }

    @Test func bookAtTheArchiveRootAndRelativeLinks() throws {
        #expect(EPUBReader.resolve("../Text/a%20b.xhtml", against: "OPS/nav") == "OPS/Text/a b.xhtml")
        #expect(EPUBReader.resolve("./c.xhtml", against: "") == "c.xhtml")
        let dir = TemporaryDirectory()
        try IngestFixtures.epub(at: dir.path + "/r.epub", title: "t", authors: [], chapters: Self.chapters, opfFolder: "OPS/book")
        #expect(try EPUBReader.documents(path: dir.path + "/r.epub", id: "r.epub").count == 2)
    }
}

extension Error {
    var message: String { (self as? FihrisError)?.message ?? "\(self)" }
}

@Suite struct PDFTextTests {
    /// Glyphs as painted (left to right), as (characters, x0, x1); marks at a position.
    func line(_ glyphs: [(String, Double, Double)], height: Double = 12) -> String {
        var line = VisualLine()
        for (text, x0, x1) in glyphs {
            for (k, scalar) in text.unicodeScalars.enumerated() {
                // A ligature's later letters have no width; a mark sits where it is painted.
                line.add(scalar, x0: k == 0 ? x0 : x1, x1: x1, height: height)
            }
        }
        return line.text()
    }

    /// One row per rule of `VisualLine`.
    @Test func visualToLogicalOrder() {
        // Arabic painted right to left: reversed.
        #expect(line([("ب", 0, 5), ("ا", 5, 8), ("ت", 8, 13), ("ك", 13, 20)]) == "كتاب")
        // A lam-alef ligature glyph keeps its letters in their order (السلام, not السالم).
        #expect(line([("م", 0, 6), ("لا", 6, 12), ("س", 12, 18), ("ل", 18, 22), ("ا", 22, 25)]) == "السلام")
        // Harakat join the letter under them (the rightmost whose box, widened on the left,
        // holds the mark), wherever the mark comes in the stream.
        #expect(line([("\u{64E}", 7.5, 7.5), ("ل", 8, 14), ("ا", 14, 17), ("\u{64E}", 16.9, 16.9), ("ق", 17, 23)]) == "قَالَ")
        // Digits and Latin words inside Arabic keep their own order.
        #expect(line([("1", 0, 4), ("2", 4, 8), (" ", 8, 10), ("ي", 10, 14), ("ف", 14, 19)]) == "في 12")
        #expect(line([("B", 0, 5), ("u", 5, 9), (" ", 9, 11), ("ي", 11, 15), ("ف", 15, 20), (" ", 20, 22), ("ب", 22, 27)]) == "ب في Bu")
        // More Latin letters than Arabic: a left-to-right line (digits do not count).
        #expect(line([("a", 0, 5), ("b", 5, 10), ("c", 10, 15), (" ", 15, 17), ("ب", 17, 22), ("ا", 22, 25), (" ", 25, 27), ("1", 27, 31)]) == "abc اب 1")
        // A Latin line with an Arabic word: only the Arabic is turned around.
        #expect(line([("a", 0, 5), ("b", 5, 10), (" ", 10, 12), ("ب", 12, 17), ("ا", 17, 20), ("ب", 20, 25), (" ", 25, 27), ("c", 27, 32)]) == "ab باب c")
        // Glyphs painted in another order are put in visual order first.
        #expect(line([("ك", 13, 20), ("ت", 8, 13), ("ا", 5, 8), ("ب", 0, 5)]) == "كتاب")
    }

    /// A page of MuPDF structured text, fed in pieces of every size: the same pages.
    @Test func structuredTextScannerReadsPagesInAnyPieces() throws {
        let stext = """
            <?xml version="1.0"?>
            <document name="x.pdf">
            <page id="page1" width="100" height="100">
            <block bbox="0 0 100 20">
            <line bbox="0 0 40 12" wmode="0" dir="1 0">
            <font name="F" size="12">
            <char quad="0 0 5 0 0 12 5 12" x="0" y="10" color="#000000" c="&#x628;"/>
            <char quad="5 0 8 0 5 12 8 12" x="5" y="10" color="#000000" c="&#x627;"/>
            <char quad="8 0 13 0 8 12 13 12" x="8" y="10" color="#000000" c="&#x62a;"/>
            <char quad="13 0 20 0 13 12 20 12" x="13" y="10" color="#000000" c="&#x643;"/>
            </font></line>
            <line bbox="-30 0.5 -2 12" wmode="0" dir="1 0"><font name="F" size="12">
            <char quad="-30 0 -25 0 -30 12 -25 12" x="0" y="10" color="#000000" c="A"/>
            <char quad="-25 0 -22 0 -25 12 -22 12" x="0" y="10" color="#000000" c="&amp;"/>
            <char quad="-22 0 -20 0 -22 12 -20 12" x="0" y="10" color="#000000" c=" "/>
            </font></line>
            </block>
            <block bbox="0 30 100 50"><line bbox="0 30 40 42" wmode="0" dir="1 0"><font name="F" size="12">
            <char quad="0 30 5 30 0 42 5 42" x="0" y="40" color="#000000" c="&lt;"/>
            </font></line></block>
            </page>
            <page id="page2" width="100" height="100"></page>
            <page id="page3" width="100" height="100"><block bbox="0 0 1 1"><line bbox="0 0 1 1"><font name="F" size="1">
            <char quad="1e-2 0 2.5e0 0 0 1 1 1" x="0" y="0" color="#000000" c="x"/></font></line></block></page>
            </document>
            """
        let bytes = Array(stext.utf8)
        func pages(_ size: Int) -> [String] {
            var scanner = StructuredTextScanner()
            var result: [String] = []
            bytes.withUnsafeBytes { raw in
                var start = 0
                while start < raw.count {
                    let end = min(raw.count, start + size)
                    scanner.feed(UnsafeRawBufferPointer(rebasing: raw[start..<end])) { number, text in result.append("\(number):\(text)") }
                    start = end
                }
            }
            return result
        }
        // The Latin run on the same baseline (a line of its own in MuPDF) is read with it.
        #expect(pages(1 << 20) == ["1:كتاب &A\n\n<\n", "2:", "3:x\n"])
        for size in [1, 2, 7, 64] { #expect(pages(size) == pages(1 << 20), "pieces of \(size)") }
    }

    @Test func infoStringsDecoded() {
        let dictionary = Array("""
            910 0 obj
            <<
              /Title <FEFF0639064A0646>
              /Author (Ibn \\(Hajar\\) \\351\\n)
              /Producer (x)
            >>
            """.utf8)
        let info = PDFStrings.infoEntries(dictionary, keys: ["Title", "Author", "Subject"])
        #expect(info == ["Title": "عين", "Author": "Ibn (Hajar) é\n"])
    }
}
