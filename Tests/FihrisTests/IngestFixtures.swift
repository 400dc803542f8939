import Foundation
import ZIPFoundation

/// Real files of each format, made by the tests: EPUB books written with ZIPFoundation from
/// XHTML chapters, PDFs written by LibreOffice (headless) from HTML with page breaks.
enum IngestFixtures {
    struct Chapter {
        var file: String
        var title: String
        var body: String
    }

    /// An EPUB 3 book: mimetype (stored), container, package with metadata, manifest and
    /// spine, a nav document (the table of contents), the chapters; `encryptedChapters`
    /// adds an encryption.xml that names them (DRM).
    static func epub(at path: String, title: String, authors: [String], language: String = "ar", chapters: [Chapter],
                     encryptedChapters: [String] = [], omit: Set<String> = [], opfFolder: String = "OEBPS") throws {
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        func add(_ name: String, _ text: String, compressed: Bool = true) throws {
            guard !omit.contains(name) else { return }
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compressed ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        try add("mimetype", "application/epub+zip", compressed: false)
        try add("META-INF/container.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
              <rootfiles><rootfile full-path="\(opfFolder)/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
            </container>
            """)
        let manifest = chapters.enumerated().map { i, c in
            "<item id=\"c\(i + 1)\" href=\"text/\(c.file)\" media-type=\"application/xhtml+xml\"/>"
        }.joined(separator: "\n    ")
        let spine = chapters.indices.map { "<itemref idref=\"c\($0 + 1)\"/>" }.joined(separator: "\n    ")
        let creators = authors.map { "<dc:creator>\($0)</dc:creator>" }.joined()
        try add("\(opfFolder)/content.opf", """
            <?xml version="1.0" encoding="UTF-8"?>
            <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
              <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
                <dc:identifier id="id">urn:test:1</dc:identifier><dc:title>\(title)</dc:title>\(creators)<dc:language>\(language)</dc:language>
              </metadata>
              <manifest>
                <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                \(manifest)
              </manifest>
              <spine>
                \(spine)
              </spine>
            </package>
            """)
        let links = chapters.map { "<li><a href=\"text/\($0.file)\">\($0.title)</a></li>" }.joined()
        try add("\(opfFolder)/nav.xhtml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>toc</title></head>
            <body><nav epub:type="toc"><ol>\(links)</ol></nav></body></html>
            """)
        for chapter in chapters {
            try add("\(opfFolder)/text/\(chapter.file.removingPercentEncoding ?? chapter.file)", """
                <?xml version="1.0" encoding="UTF-8"?>
                <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="\(language)" dir="rtl"><head><title/></head>
                <body>\(chapter.body)</body></html>
                """)
        }
        if !encryptedChapters.isEmpty {
            let data = encryptedChapters.map { """
                <enc:EncryptedData xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>
                <enc:CipherData><enc:CipherReference URI="\(opfFolder)/text/\($0)"/></enc:CipherData></enc:EncryptedData>
                """ }.joined()
            try add("META-INF/encryption.xml", "<encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\(data)</encryption>")
        }
    }

    /// Whether LibreOffice can be run to make PDFs. On CI (CI=true), or with
    /// FIHRIS_REQUIRE_PDF_TOOLS=1, its absence is a failure rather than a skipped test.
    static var libreOffice: String? {
        ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/bin/libreoffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
    static var pdfToolsRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"] == "true" || environment["FIHRIS_REQUIRE_PDF_TOOLS"] == "1"
    }

    /// A PDF of `pages` (each a list of paragraphs), written by LibreOffice from HTML with a
    /// page break before each page; `password` encrypts it.
    static func pdf(at path: String, title: String, pages: [[String]], password: String? = nil) throws {
        guard let soffice = libreOffice else { throw FixtureError.missing("LibreOffice (soffice)") }
        let work = NSTemporaryDirectory() + "fihris-pdf-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let body = pages.enumerated().map { i, paragraphs in
            paragraphs.enumerated().map { j, p in
                "<p\(i > 0 && j == 0 ? " style=\"page-break-before: always\"" : "")>\(p)</p>"
            }.joined(separator: "\n")
        }.joined(separator: "\n")
        let stem = "book"
        try """
            <html><head><meta charset="utf-8"><title>\(title)</title></head><body dir="rtl">
            \(body)
            </body></html>
            """.write(toFile: work + "/\(stem).html", atomically: true, encoding: .utf8)
        var filter = "pdf:writer_web_pdf_Export"
        if let password {
            filter += ":{\"EncryptFile\":{\"type\":\"boolean\",\"value\":\"true\"},\"DocumentOpenPassword\":{\"type\":\"string\",\"value\":\"\(password)\"}}"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=file://\(work)/profile", "--headless", "--convert-to", filter, "--outdir", work, work + "/\(stem).html"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard FileManager.default.fileExists(atPath: work + "/\(stem).pdf") else { throw FixtureError.failed("LibreOffice wrote no PDF (status \(process.terminationStatus))") }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: work + "/\(stem).pdf", toPath: path)
    }

    enum FixtureError: Error { case missing(String), failed(String) }
}
