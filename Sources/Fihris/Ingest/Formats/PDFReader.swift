import Foundation

/// A PDF as one document per page with text, through poppler's `pdftotext` (Debian's
/// `poppler-utils`), which puts right-to-left text (Arabic, Hebrew) in logical order.
///
/// - Document `book.pdf#pN` (N from 1); fields `text`, `page` (N, an integer, so
///   `--sort page:asc` and `page:[10 TO 20]` work), `book` (the PDF's Title, else the file
///   name), `author` (its Author, when set). Title `book (p. N)`. Pages without text are
///   left out; a PDF with no text at all (scanned without OCR) is an error naming the file.
/// - One `pdfinfo` and one `pdftotext` process per file (pages come out separated by form
///   feeds): a 300-page book costs two process starts, not 300.
/// - A missing `pdftotext` is an error that says how to install it; a damaged or encrypted
///   PDF (one that needs a password) is an error naming the file with poppler's reason; a
///   PDF still being converted after `timeout` seconds is stopped and is an error.
enum PDFReader {
    static let timeout: TimeInterval = 300

    /// Where a poppler tool is: `$FIHRIS_POPPLER_DIR/NAME`, else the first on `PATH`.
    static func tool(_ name: String) -> String? {
        let environment = ProcessInfo.processInfo.environment
        var folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        if let dir = environment["FIHRIS_POPPLER_DIR"] { folders.insert(dir, at: 0) }
        return folders.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }

    static func documents(path: String, id: String) throws(FihrisError) -> [Document] {
        guard let pdftotext = tool("pdftotext"), let pdfinfo = tool("pdfinfo") else {
            throw FihrisError(.invalidArgument, "\(id): reading PDF files needs poppler's pdftotext and pdfinfo, which are not installed (Debian/Ubuntu: apt-get install poppler-utils)")
        }
        let info = try run(pdfinfo, ["-enc", "UTF-8", path], id: id)
        var metadata: [String: String] = [:]
        for line in String(decoding: info, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            metadata[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let output = try run(pdftotext, ["-enc", "UTF-8", "-eol", "unix", path, "-"], id: id)
        let fileName = ((id as NSString).lastPathComponent as NSString).deletingPathExtension
        let book = metadata["Title"].map(MarkupText.collapsed).flatMap { $0.isEmpty ? nil : $0 } ?? fileName
        let author = metadata["Author"].map(MarkupText.collapsed).flatMap { $0.isEmpty ? nil : $0 }
        var documents: [Document] = []
        var page = 0
        for pageBytes in output.split(separator: 0x0C, omittingEmptySubsequences: false) {
            page += 1
            let text = String(decoding: pageBytes, as: UTF8.self)
            guard text.contains(where: { !$0.isWhitespace }) else { continue }
            var document = Document(id: "\(id)#p\(page)", title: "\(book) (p. \(page))", fields: [
                .init("text", .text(text)), .init("page", .integer(Int64(page))), .init("book", .text(book)),
            ])
            if let author { document.fields.append(.init("author", .text(author))) }
            documents.append(document)
        }
        guard !documents.isEmpty else {
            let pages = metadata["Pages"].map { " (\($0) pages)" } ?? ""
            throw FihrisError(.invalidDocument, "\(id): the PDF has no text\(pages): scanned pages without OCR? Run OCR first (e.g. ocrmypdf -l ara)")
        }
        return documents
    }

    /// Runs a poppler tool and returns its standard output; a failure is an error naming the
    /// file, with the tool's first lines of complaint.
    static func run(_ executable: String, _ arguments: [String], id: String) throws(FihrisError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        // Standard error goes to a file: a damaged PDF can make poppler complain at length,
        // and a full pipe nobody reads would stall it.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("fihris-poppler-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).err")
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
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let complaint = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            let lines = complaint.split(separator: "\n").prefix(3).joined(separator: "; ")
            if process.terminationReason == .uncaughtSignal {
                throw FihrisError(.invalidDocument, "\(id): \(name) was stopped (signal \(process.terminationStatus)\(process.terminationStatus == SIGTERM ? ", after \(Int(timeout)) s" : ""))\(lines.isEmpty ? "" : ": " + lines)")
            }
            let reason = lines.contains("password") ? "the PDF is encrypted (it needs a password)" : "not a readable PDF"
            throw FihrisError(.invalidDocument, "\(id): \(reason): \(name) exited with status \(process.terminationStatus)\(lines.isEmpty ? "" : ": " + lines)")
        }
        return [UInt8](data)
    }
}
