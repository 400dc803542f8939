import Foundation

/// A PDF as one document per page with text, through MuPDF's `mutool` (Debian's
/// `mupdf-tools`): `mutool draw -F stext` gives every glyph with its box, and `VisualLine`
/// puts each line in logical order with its ligatures and harakat intact.
///
/// Why not poppler's `pdftotext` (tried first): on LibreOffice-made Arabic PDFs it turned
/// lam-alef ligatures around (السلام → السالم) and, on fully vocalized hadith text, put
/// harakat on other letters and lines: of the 3,521 words of 40 hadith, 56% came out right
/// with harakat set aside, 18% with them (MuPDF + `VisualLine`: 100% and 82%). MuPDF is
/// also faster here (300 Arabic pages: 1.7–2.5 s against 2.8 s).
///
/// - Document `book.pdf#pN` (N from 1); fields `text`, `page` (N, an integer, so
///   `--sort page:asc` and `page:[10 TO 20]` work), `book` (the PDF's Title, else the file
///   name), `author` (its Author, when set). Title `book (p. N)`. Lines of a page are joined
///   by a line break. Pages without text are left out; a PDF with no text at all (scanned
///   without OCR) is an error naming the file.
/// - Two `mutool` processes per file (its Info dictionary; its text), whatever its pages;
///   the text is read as it comes and each page handed over when it is complete, so memory
///   is a page, not the book, and indexing runs beside extraction.
/// - A missing `mutool` is an error that says how to install it; a damaged or encrypted
///   PDF (one that needs a password) is an error naming the file with MuPDF's reason; a
///   PDF still being converted after `timeout` seconds is stopped and is an error.
enum PDFReader {
    static let timeout: TimeInterval = 300

    /// Where a tool is: `$FIHRIS_MUTOOL` (for mutool), else the first on `PATH`.
    static func tool(_ name: String) -> String? {
        let environment = ProcessInfo.processInfo.environment
        if name == "mutool", let path = environment["FIHRIS_MUTOOL"] { return access(path, X_OK) == 0 ? path : nil }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        return folders.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }

    static func documents(path: String, id: String) throws -> [Document] {
        var pages: [Document] = []
        try Self.documents(path: path, id: id) { pages.append($0) }
        return pages
    }

    /// Hands each page's document to `body` as soon as MuPDF has written the page, so that
    /// indexing overlaps extraction; errors `body` throws end the run and come out as they are.
    static func documents(path: String, id: String, _ body: (Document) throws -> Void) throws {
        guard let mutool = tool("mutool") else {
            throw FihrisError(.invalidArgument, "\(id): reading PDF files needs MuPDF's mutool, which is not installed (Debian/Ubuntu: apt-get install mupdf-tools)")
        }
        // Metadata: a failure here is not the file's (the text run below says what is wrong).
        var info: [String: String] = [:]
        if let dictionary = try? run(mutool, ["show", path, "trailer/Info"], id: id, { chunks in
            var bytes: [UInt8] = []
            try chunks.forEach { bytes.append(contentsOf: $0) }
            return bytes
        }) {
            info = PDFStrings.infoEntries(dictionary, keys: ["Title", "Author"])
        }
        let fileName = ((id as NSString).lastPathComponent as NSString).deletingPathExtension
        let book = info["Title"].map(MarkupText.collapsed).flatMap { $0.isEmpty ? nil : $0 } ?? fileName
        let author = info["Author"].map(MarkupText.collapsed).flatMap { $0.isEmpty ? nil : $0 }
        var given = 0
        var pages = 0
        try run(mutool, ["draw", "-q", "-F", "stext", "-o", "-", path], id: id) { chunks in
            var scanner = StructuredTextScanner()
            try chunks.forEach { chunk in
                try scanner.feed(chunk) { number, text in
                    pages = number
                    guard text.contains(where: { !$0.isWhitespace }) else { return }
                    var document = Document(id: "\(id)#p\(number)", title: "\(book) (p. \(number))", fields: [
                        .init("text", .text(text)), .init("page", .integer(Int64(number))), .init("book", .text(book)),
                    ])
                    if let author { document.fields.append(.init("author", .text(author))) }
                    given += 1
                    try body(document)
                }
            }
        }
        guard given > 0 else {
            throw FihrisError(.invalidDocument, "\(id): the PDF has no text (\(pages) pages): scanned pages without OCR? Run OCR first (e.g. ocrmypdf -l ara)")
        }
    }

    /// Runs a tool, hands its standard output to `read` as it comes, and returns what
    /// `read` returns; a failure is an error naming the file, with the tool's first lines
    /// of complaint.
    @discardableResult
    static func run<T>(_ executable: String, _ arguments: [String], id: String,
                       _ read: (StreamChunks) throws -> T) throws -> T {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        // Standard error goes to a file: a damaged PDF can make the tool complain at length,
        // and a full pipe nobody reads would stall it.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("fihris-pdf-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let name = (executable as NSString).lastPathComponent
        do {
            let errors = try FileHandle(forWritingTo: errorFile)
            defer { try? errors.close() }
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch {
            throw FihrisError(.io, "\(id): cannot run \(executable): \(error)")
        }
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let result: Result<T, any Error> = Result { try read(StreamChunks(descriptor: output.fileHandleForReading.fileDescriptor, name: name)) }
        // A reader that stopped (interrupted, a document refused) stops the tool too.
        if case .failure = result { process.terminate() }
        try? output.fileHandleForReading.close()
        process.waitUntilExit()
        watchdog.cancel()
        if case .failure = result { return try result.get() }   // the reader's error, as it is
        let complaint = ((try? String(contentsOf: errorFile, encoding: .utf8)) ?? "").split(separator: "\n")
            .filter { !$0.hasPrefix("warning: ICC") }.prefix(3).joined(separator: "; ")
        if process.terminationReason == .uncaughtSignal {
            throw FihrisError(.invalidDocument, "\(id): \(name) was stopped (signal \(process.terminationStatus)\(process.terminationStatus == SIGTERM ? ", after at most \(Int(timeout)) s" : ""))\(complaint.isEmpty ? "" : ": " + complaint)")
        }
        if complaint.contains("password") {
            throw FihrisError(.invalidDocument, "\(id): the PDF is encrypted (it needs a password)")
        }
        guard process.terminationStatus == 0 else {
            throw FihrisError(.invalidDocument, "\(id): not a readable PDF: \(name) exited with status \(process.terminationStatus)\(complaint.isEmpty ? "" : ": " + complaint)")
        }
        return try result.get()
    }
}

/// Reads MuPDF's structured text (`mutool draw -F stext`) as it streams: pages of lines of
/// characters with their boxes. Grammar (the parts read; other tags are skipped):
///
///     document = "<document" ... { page } "</document>"
///     page     = "<page" ... { block | image } "</page>"
///     block    = "<block" ... { line } "</block>"
///     line     = "<line" 'bbox="' x0 y0 x1 y1 '"' ... { font } "</line>"
///     font     = "<font" ... { char } "</font>"
///     char     = "<char" 'quad="' x0 y0 x1 y1 x2 y2 x3 y3 '"' ... 'c="' character '"' "/>"
///
/// The character is one UTF-8 character or an entity (`&#xHEX;`, `&#DEC;`, `&lt;`, `&gt;`,
/// `&amp;`, `&quot;`, `&apos;`). Each finished page is handed over with its number and its
/// text: lines in logical order (`VisualLine`), one per line, a blank line between blocks;
/// the lines of a block on the same baseline (MuPDF splits a line where its direction
/// changes) are read as one.
struct StructuredTextScanner {
    private var pending: [UInt8] = []
    private var page = 0
    private var text = ""
    private var line = VisualLine()
    private var blockHasText = false
    private var lineTop = 0.0, lineBottom = 0.0

    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ pageDone: (Int, String) throws -> Void) rethrows {
        pending.append(contentsOf: chunk)
        var consumed = 0
        try pending.withUnsafeBufferPointer { bytes in
            var i = 0
            let n = bytes.count
            while i < n {
                guard bytes[i] == 0x3C else { i += 1; consumed = i; continue }   // "<"
                var end = i + 1
                while end < n && bytes[end] != 0x3E { end += 1 }                 // ">"
                guard end < n else { break }                                     // an unfinished tag waits
                try tag(UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]), pageDone)
                i = end + 1
                consumed = i
            }
        }
        pending.removeFirst(consumed)
    }

    private mutating func tag(_ t: UnsafeBufferPointer<UInt8>, _ pageDone: (Int, String) throws -> Void) rethrows {
        func named(_ name: StaticString) -> Bool {
            let count = name.utf8CodeUnitCount
            guard t.count >= count else { return false }
            for k in 0..<count where t[k] != name.utf8Start[k] { return false }
            return t.count == count || t[count] == 0x20 || t[count] == 0x2F
        }
        if named("char") {
            guard let quad = attribute(t, "quad"), let c = attribute(t, "c") else { return }
            let numbers = Self.numbers(quad)
            guard numbers.count == 8, let scalar = Self.character(c) else { return }
            let xs = [numbers[0], numbers[2], numbers[4], numbers[6]], ys = [numbers[1], numbers[3], numbers[5], numbers[7]]
            line.add(scalar, x0: xs.min()!, x1: xs.max()!, height: ys.max()! - ys.min()!)
        } else if named("line") {
            // MuPDF starts a new line where the direction changes (a Latin word in Arabic):
            // lines of a block on the same baseline are one line of text.
            let box = attribute(t, "bbox").map(Self.numbers) ?? []
            if box.count == 4 {
                let (top, bottom) = (min(box[1], box[3]), max(box[1], box[3]))
                let overlap = min(bottom, lineBottom) - max(top, lineTop)
                if overlap < 0.5 * min(bottom - top, lineBottom - lineTop) { flushLine() }
                if line.isEmpty { (lineTop, lineBottom) = (top, bottom) }
            } else {
                flushLine()
            }
        } else if named("/block") {
            flushLine()
            if blockHasText { text += "\n" }
            blockHasText = false
        } else if named("page") {
            page += 1
            text = ""
        } else if named("/page") {
            flushLine()
            try pageDone(page, text)
            text = ""
        }
    }

    private mutating func flushLine() {
        if !line.isEmpty {
            if !text.isEmpty { text += "\n" }
            text += line.text()
            blockHasText = true
        }
        line = VisualLine()
        (lineTop, lineBottom) = (0, 0)
    }

    /// The value of `name="..."` in a tag.
    private func attribute(_ t: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        let count = name.utf8CodeUnitCount
        var i = 0
        while i + count + 2 <= t.count {
            if t[i] == 0x20 {
                var match = true
                for k in 0..<count where t[i + 1 + k] != name.utf8Start[k] { match = false; break }
                if match, i + 1 + count + 1 < t.count, t[i + 1 + count] == 0x3D, t[i + 2 + count] == 0x22 {
                    let start = i + 3 + count
                    var end = start
                    while end < t.count && t[end] != 0x22 { end += 1 }
                    return UnsafeBufferPointer(rebasing: t[start..<end])
                }
            }
            i += 1
        }
        return nil
    }

    /// Decimal numbers separated by spaces.
    static func numbers(_ s: UnsafeBufferPointer<UInt8>) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(8)
        var i = 0
        while i < s.count {
            while i < s.count && s[i] == 0x20 { i += 1 }
            guard i < s.count else { break }
            var negative = false
            if s[i] == 0x2D { negative = true; i += 1 }
            var value = 0.0, scale = 0.0, digits = 0
            while i < s.count && s[i] != 0x20 {
                let b = s[i]
                if b == 0x2E { scale = 1 } else if b >= 0x30 && b <= 0x39 {
                    value = value * 10 + Double(b - 0x30); digits += 1
                    if scale > 0 { scale *= 10 }
                } else if b == 0x65 || b == 0x45 {
                    // An exponent (rare): read the rest with the standard parser.
                    var end = i
                    while end < s.count && s[end] != 0x20 { end += 1 }
                    let text = String(decoding: UnsafeBufferPointer(rebasing: s[i..<end]), as: UTF8.self)
                    let exponent = Double("1" + text) ?? 1
                    value *= exponent
                    i = end
                    break
                } else { return [] }
                i += 1
            }
            guard digits > 0 else { return [] }
            if scale > 0 { value /= scale }
            result.append(negative ? -value : value)
        }
        return result
    }

    /// The character of a `c` attribute.
    static func character(_ s: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard let first = s.first else { return nil }
        if first == 0x26 {   // "&"
            let entity = String(decoding: s, as: UTF8.self)
            switch entity {
            case "&lt;": return "<"
            case "&gt;": return ">"
            case "&amp;": return "&"
            case "&quot;": return "\""
            case "&apos;": return "'"
            default:
                guard entity.hasPrefix("&#"), entity.hasSuffix(";") else { return nil }
                let body = entity.dropFirst(2).dropLast()
                let value = body.first == "x" || body.first == "X" ? UInt32(body.dropFirst(), radix: 16) : UInt32(body)
                return value.flatMap(Unicode.Scalar.init)
            }
        }
        return String(decoding: s, as: UTF8.self).unicodeScalars.first
    }
}

/// PDF strings of a dictionary as `mutool show` prints it (`/Title <FEFF...>` or
/// `/Title (literal)`), decoded: UTF-16BE after a byte-order mark, else PDFDocEncoding
/// (read as Latin-1, which it equals for letters).
enum PDFStrings {
    static func infoEntries(_ bytes: [UInt8], keys: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for key in keys {
            let needle = Array("/\(key)".utf8)
            guard bytes.count > needle.count,
                  var i = (0...(bytes.count - needle.count)).first(where: { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }) else { continue }
            i += needle.count
            while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D) { i += 1 }
            guard i < bytes.count else { continue }
            var raw: [UInt8] = []
            if bytes[i] == 0x3C {   // <hex>
                var digits: [UInt8] = []
                i += 1
                while i < bytes.count && bytes[i] != 0x3E {
                    if let v = hexValue(bytes[i]) { digits.append(v) }
                    i += 1
                }
                if digits.count % 2 == 1 { digits.append(0) }
                for k in stride(from: 0, to: digits.count, by: 2) { raw.append(digits[k] << 4 | digits[k + 1]) }
            } else if bytes[i] == 0x28 {   // (literal)
                var depth = 1
                i += 1
                while i < bytes.count {
                    let b = bytes[i]
                    if b == 0x5C, i + 1 < bytes.count {   // backslash escapes
                        i += 1
                        let e = bytes[i]
                        switch e {
                        case 0x6E: raw.append(0x0A)
                        case 0x72: raw.append(0x0D)
                        case 0x74: raw.append(0x09)
                        case 0x30...0x37:
                            var value = 0, count = 0
                            while count < 3, i < bytes.count, (0x30...0x37).contains(bytes[i]) { value = value * 8 + Int(bytes[i] - 0x30); i += 1; count += 1 }
                            raw.append(UInt8(value & 0xFF))
                            continue
                        default: raw.append(e)
                        }
                    } else if b == 0x28 { depth += 1; raw.append(b) }
                    else if b == 0x29 { depth -= 1; if depth == 0 { break }; raw.append(b) }
                    else { raw.append(b) }
                    i += 1
                }
            } else { continue }
            if raw.count >= 2 && raw[0] == 0xFE && raw[1] == 0xFF {
                var units: [UInt16] = []
                for k in stride(from: 2, to: raw.count - 1, by: 2) { units.append(UInt16(raw[k]) << 8 | UInt16(raw[k + 1])) }
                result[key] = String(decoding: units, as: UTF16.self)
            } else if raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF {
                result[key] = String(decoding: raw.dropFirst(3), as: UTF8.self)
            } else {
                result[key] = String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
            }
        }
        return result
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
