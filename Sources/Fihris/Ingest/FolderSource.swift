import Foundation

/// Reads documents from a folder, recursively, in a stable (sorted) order. Each file is read
/// by the reader of its format (`SourceFormat`, chosen by extension): text, Markdown, JSON
/// lines, CSV/TSV, HTML, EPUB and PDF.
///
/// - `.txt`: one document per file; id = the path relative to the folder, title = the
///   first non-empty line, field `text`. `.md`: one document per section (`MarkdownReader`).
/// - `.jsonl`: one JSON object per line; id = its `id` field (string or integer), else
///   `path:line`; strings become text fields, numbers and booleans are kept as values,
///   arrays give one field per element, nested objects are flattened as `parent.child`.
/// - `.csv`/`.tsv`: one document per row (`DelimitedReader`); `.html`: one per page
///   (`MarkupText`); `.epub`: one per chapter (`EPUBReader`); `.pdf`: one per page
///   (`PDFReader`).
///
/// Hidden files and folders (name starting with ".") are skipped, and so are paths
/// matching one of the `excluding` glob patterns (matched against the relative path and
/// against the file name); when `including` is not empty, only files matching one of its
/// patterns are read. Symbolic links to folders are not followed.
public struct FolderSource: Sendable {
    public let folder: String
    public let excluding: [String]
    public let including: [String]

    /// Every extension read (`SourceFormat.extensions`).
    public static let supportedExtensions = Set(SourceFormat.extensions)

    public init(folder: String, excluding: [String] = [], including: [String] = []) {
        self.folder = folder
        self.excluding = excluding
        self.including = including
    }

    /// A file to index: its path relative to the folder, its size in bytes and its
    /// modification time (nanoseconds since 1970).
    public struct File: Sendable, Equatable {
        public let relativePath: String
        public let size: Int
        public let modified: Int64
        /// Why the file cannot be read although it is listed (a name that is not UTF-8),
        /// reported when it is read; nil for an ordinary file.
        public let problem: String?
        public init(relativePath: String, size: Int, modified: Int64 = 0, problem: String? = nil) {
            self.relativePath = relativePath
            self.size = size
            self.modified = modified
            self.problem = problem
        }
    }

    /// The files that will be read, sorted by relative path.
    public func files() throws(FihrisError) -> [File] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw FihrisError(.invalidArgument, "folder \(folder) does not exist")
        }
        guard isDirectory.boolValue else {
            throw FihrisError(.invalidArgument, "\(folder) is not a folder")
        }
        var result: [File] = []
        try collect(relative: "", into: &result)
        return result
    }

    private func collect(relative: String, into result: inout [File]) throws(FihrisError) {
        let directory = relative.isEmpty ? folder : folder + "/" + relative
        // readdir, not FileManager: a name that is not UTF-8 must be seen as such (FileManager
        // repairs it into a name no file has, and reading it said "No such file").
        guard let handle = opendir(directory) else {
            throw FihrisError(.io, "cannot list folder \(directory): \(String(cString: strerror(errno)))")
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let raw = withUnsafeBytes(of: entry.pointee.d_name) { bytes in Array(bytes.prefix(while: { $0 != 0 })) }
            if raw.first == UInt8(ascii: ".") { continue }
            guard let name = String(validating: raw, as: UTF8.self) else {
                let shown = String(decoding: raw, as: UTF8.self)
                let hex = raw.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
                let path = relative.isEmpty ? shown : relative + "/" + shown
                result.append(File(relativePath: path, size: 0, modified: -1,
                                   problem: "the file name is not valid UTF-8 (bytes \(hex)); rename it (for example with convmv) to index it"))
                continue
            }
            names.append(name)
        }
        closedir(handle)
        names.sort()
        for name in names {
            let path = relative.isEmpty ? name : relative + "/" + name
            if isExcluded(path, name: name) { continue }
            let full = folder + "/" + path
            var info = stat()
            guard lstat(full, &info) == 0 else {
                throw FihrisError(.io, "cannot read \(full): \(String(cString: strerror(errno)))")
            }
            var kind = info.st_mode & S_IFMT
            if kind == S_IFLNK {
                // Follow links to files, never to folders (no cycles).
                guard stat(full, &info) == 0 else {
                    // A dangling link: listed, so that reading it reports the problem.
                    if Self.supportedExtensions.contains(Self.fileExtension(name)) {
                        result.append(File(relativePath: path, size: 0, modified: -1))
                    }
                    continue
                }
                kind = info.st_mode & S_IFMT
                if kind == S_IFDIR { continue }
            }
            if kind == S_IFDIR {
                try collect(relative: path, into: &result)
            } else if kind == S_IFREG, Self.supportedExtensions.contains(Self.fileExtension(name)), isIncluded(path, name: name) {
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                result.append(File(relativePath: path, size: Int(info.st_size), modified: modified))
            }
        }
    }

    private func isExcluded(_ path: String, name: String) -> Bool {
        excluding.contains { pattern in fnmatch(pattern, path, 0) == 0 || fnmatch(pattern, name, 0) == 0 }
    }

    /// Whether a file passes `including` (always, when it is empty).
    private func isIncluded(_ path: String, name: String) -> Bool {
        including.isEmpty || including.contains { pattern in fnmatch(pattern, path, 0) == 0 || fnmatch(pattern, name, 0) == 0 }
    }

    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }

    /// The reader of a file's bytes; a file listed with a problem (a name that is not
    /// UTF-8) cannot be read, and says why.
    func chunks(of file: File) throws(FihrisError) -> FileChunks {
        if let problem = file.problem {
            throw FihrisError(.invalidArgument, "cannot read \(folder)/\(file.relativePath): \(problem)")
        }
        return FileChunks(path: folder + "/" + file.relativePath)
    }

    /// Reads one file and calls `body` with each of its documents.
    /// Errors name the file (and the line, for JSON lines). With `skipInvalid`, a line that
    /// is not a valid document is passed to it and skipped instead of ending the read.
    public func documents(in file: File, skipInvalid: ((FihrisError) -> Void)? = nil,
                          _ body: (Document) throws -> Void) throws {
        try documents(in: file, skipInvalid: skipInvalid) { document, _ in try body(document) }
    }

    /// The documents of a file, read in chunks (a `.jsonl` file of any size takes the memory
    /// of a chunk and its documents in flight); each comes with a hash of its content (nil
    /// for a text file, whose file hash stands for it).
    func documents(in file: File, skipInvalid: ((FihrisError) -> Void)?, fieldType: (String) -> FieldType? = { _ in nil },
                   _ body: (Document, UInt64?) throws -> Void) throws {
        let reader = try chunks(of: file)
        let path = folder + "/" + file.relativePath
        let name = file.relativePath
        switch SourceFormat(fileExtension: Self.fileExtension(name)) ?? .text {
        case .epub:
            for document in try EPUBReader.documents(path: path, id: name) {
                try Self.located(name, document, hash: ContentHash.of(document), skipInvalid, body)
            }
        case .pdf:
            try PDFReader.documents(path: path, id: name) { document in
                try Self.located(name, document, hash: ContentHash.of(document), skipInvalid, body)
            }
        case let format:
            // An .xhtml file is read as XML first (the HTML parser misreads `<title/>`).
            let parser: MarkupText.Parser = Self.fileExtension(name) == "xhtml" ? .xhtml : .html
            try Self.documents(reader, format: format, name: name, id: name, parser: parser,
                               skipInvalid: skipInvalid, fieldType: fieldType, body)
        }
    }

    /// The documents of bytes in a format that can come as a stream — a file's or standard
    /// input's: `name` in errors, `id` the id of a one-document format (text, Markdown's
    /// first section, HTML). JSON lines and CSV/TSV are read chunk by chunk; the others
    /// whole. EPUB and PDF need a file and are refused.
    static func documents(_ input: some ByteChunks, format: SourceFormat, name: String, id: String,
                          parser: MarkupText.Parser = .html, skipInvalid: ((FihrisError) -> Void)?,
                          fieldType: (String) -> FieldType?, _ body: (Document, UInt64?) throws -> Void) throws {
        switch format {
        case .jsonLines:
            try jsonLines(input, path: name, skipInvalid: skipInvalid, body)
        case .csv, .tsv:
            // (The reader names the row of a document the schema refuses.)
            try DelimitedReader(name: name, separator: format == .tsv ? 0x09 : 0x2C)
                .read(input, skipInvalid: skipInvalid, fieldType: fieldType) { try body($0, ContentHash.of($0)) }
        case .text, .markdown, .html:
            var contents: [UInt8] = []
            try input.forEach { contents.append(contentsOf: $0) }
            try contents.withUnsafeBytes { data in
                switch format {
                case .markdown:
                    if let problem = notUTF8Text(data) { throw FihrisError(.invalidDocument, "\(name): \(problem)") }
                    for document in try MarkdownReader.documents(data, id: id) {
                        try located(name, document, hash: ContentHash.of(document), skipInvalid, body)
                    }
                case .html:
                    let document = try HTMLReader.document(data, id: id, parser: parser)
                    try located(name, document, hash: ContentHash.of(document), skipInvalid, body)
                default:
                    try textDocument(id: id, data: data, skipInvalid: skipInvalid, body)
                }
            }
        case .epub, .pdf:
            throw FihrisError(.invalidArgument, "\(format.rawValue) cannot be read from a stream (save it to a file and index its folder)")
        }
    }

    /// Hands a document over with its hash; a document the schema refuses is named with
    /// its place (`file`, `file:line`) and skipped with `skipInvalid`, else thrown.
    static func located(_ location: String, _ document: Document, hash: UInt64?, _ skipInvalid: ((FihrisError) -> Void)?,
                        _ body: (Document, UInt64?) throws -> Void) throws {
        do {
            try body(document, hash)
        } catch let error as FihrisError where error.code == .schemaMismatch {
            let located = FihrisError(.schemaMismatch, "\(location): \(error.message)", underlying: error)
            guard let skipInvalid else { throw located }
            skipInvalid(located)
        }
    }

    /// Reads JSON lines from successive chunks of bytes: whole lines go to the parser, the
    /// unfinished last line waits for the next chunk, so memory is a chunk and a line
    /// whatever the input's size.
    static func jsonLines(_ source: some ByteChunks, path: String,
                          skipInvalid: ((FihrisError) -> Void)?, _ body: (Document, UInt64?) throws -> Void) throws {
        var pending: [UInt8] = []
        var lines = 0
        try source.forEach { chunk in
            pending.append(contentsOf: chunk)
            guard let newline = pending.lastIndex(of: 0x0A) else { return }
            try pending.withUnsafeBufferPointer { all in
                lines = try Self.jsonLines(UnsafeBufferPointer(rebasing: all[...newline]), path: path,
                                           firstLine: lines + 1, skipInvalid: skipInvalid, body)
            }
            pending.removeSubrange(...newline)
        }
        if !pending.isEmpty {
            try pending.withUnsafeBufferPointer { all in
                _ = try Self.jsonLines(all, path: path, firstLine: lines + 1, skipInvalid: skipInvalid, body)
            }
        }
    }

    /// A `.txt` file's one document.
    static func textDocument(id: String, data: UnsafeRawBufferPointer, skipInvalid: ((FihrisError) -> Void)?,
                             _ body: (Document, UInt64?) throws -> Void) throws {
        // Binary data or another encoding (Windows-1256 is common for Arabic) would be
        // indexed as U+FFFD: refused, with where and what to do.
        if let problem = notUTF8Text(data) {
            let error = FihrisError(.invalidArgument, "\(id): \(problem)")
            guard let skipInvalid else { throw error }
            skipInvalid(error)
            return
        }
        var text = String(decoding: data.bindMemory(to: UInt8.self), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }   // a byte-order mark is no text
        let document = Document(id: id, title: title(of: text, markdown: false), fields: [Document.Field("text", .text(text))])
        try located(id, document, hash: nil, skipInvalid, body)
    }

    /// Why `data` is not UTF-8 text, or nil when it is.
    static func notUTF8Text(_ data: UnsafeRawBufferPointer) -> String? {
        do {
            let bytes = data.bindMemory(to: UInt8.self)
            if let zero = bytes.firstIndex(of: 0) { return "not a text file (a NUL byte at offset \(zero): binary data)" }
            guard let i = firstInvalidUTF8(bytes) else { return nil }
            return "not UTF-8 (byte 0x\(String(bytes[i], radix: 16)) at offset \(i)); convert it first, e.g. `iconv -f WINDOWS-1256 -t UTF-8`"
        }
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >= 0xC2 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF5 ? 4 : 0
            guard length > 0, i + length <= bytes.count,
                  String(validating: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]), as: UTF8.self) != nil else { return i }
            i += length
        }
        return bytes.count - 1
    }

    /// The first non-empty line, without Markdown heading marks, at most 200 characters.
    static func title(of text: String, markdown: Bool) -> String {
        for line in text.split(whereSeparator: \.isNewline) {
            var trimmed = line.trimmingCharacters(in: .whitespaces)
            if markdown { trimmed = String(trimmed.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces) }
            if !trimmed.isEmpty { return String(trimmed.prefix(200)) }
        }
        return ""
    }

    /// Reads JSON lines from `bytes` (whole lines, the first numbered `firstLine`); returns
    /// the number of the last line read.
    @discardableResult
    static func jsonLines(_ bytes: UnsafeBufferPointer<UInt8>, path: String, firstLine: Int = 1, skipInvalid: ((FihrisError) -> Void)? = nil,
                          _ body: (Document, UInt64?) throws -> Void) throws -> Int {
        var lineNumber = firstLine - 1
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) {  // byte-order mark
                line = UnsafeBufferPointer(rebasing: line.dropFirst(3))
            }
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let document: Document
            do {
                document = try Self.document(line: line, path: path, lineNumber: lineNumber)
            } catch let error as FihrisError where skipInvalid != nil {
                skipInvalid?(error)
                continue
            }
            // A document the schema refuses is a bad line like any other.
            try located("\(path):\(lineNumber)", document, hash: ContentHash.of(line), skipInvalid, body)
        }
        return lineNumber
    }

    static func document(line: UnsafeBufferPointer<UInt8>, path: String, lineNumber: Int) throws -> Document {
        // JSON text is UTF-8; another encoding would come out as U+FFFD.
        if let bad = firstInvalidUTF8(line) {
            throw FihrisError(.invalidDocument, "\(path):\(lineNumber):\(bad + 1): not UTF-8 (byte 0x\(String(line[bad], radix: 16))); convert the file first, e.g. `iconv -f WINDOWS-1256 -t UTF-8`")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw FihrisError(.invalidDocument, "\(path):\(lineNumber):\(error.column): invalid JSON: \(error.message)")
        }
        guard case .object(let members) = value else {
            throw FihrisError(.invalidDocument, "\(path):\(lineNumber): expected a JSON object, one document per line")
        }
        return try document(members, defaultID: "\(path):\(lineNumber)", location: "\(path):\(lineNumber)")
    }

    static func document(_ members: [(key: String, value: JSONValue)], defaultID: String, location: String) throws -> Document {
        var document = Document(id: defaultID)
        for (key, value) in members {
            if key == "id" {
                switch value {
                case .string(let s) where !s.isEmpty: document.id = s
                case .integer(let i): document.id = String(i)
                default:
                    throw FihrisError(.invalidDocument, "\(location): field \"id\" must be a non-empty string or an integer")
                }
                continue
            }
            if key == "title", case .string(let s) = value { document.title = s }
            flatten(key, value, into: &document.fields)
        }
        return document
    }

    private static func flatten(_ name: String, _ value: JSONValue, into fields: inout [Document.Field]) {
        switch value {
        case .null: break
        case .bool(let b): fields.append(.init(name, .bool(b)))
        case .integer(let i): fields.append(.init(name, .integer(i)))
        case .double(let d): fields.append(.init(name, .double(d)))
        case .string(let s): fields.append(.init(name, .text(s)))
        case .array(let elements): for element in elements { flatten(name, element, into: &fields) }
        case .object(let members): for (key, child) in members { flatten(name + "." + key, child, into: &fields) }
        }
    }
}
