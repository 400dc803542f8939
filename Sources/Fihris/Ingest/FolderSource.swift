import Foundation

/// Reads documents from a folder, recursively, in a stable (sorted) order:
///
/// - `.txt` and `.md`: one document per file; id = the path relative to the folder,
///   title = the first non-empty line (Markdown heading marks removed), field `text`.
/// - `.jsonl`: one JSON object per line; id = its `id` field (string or integer), else
///   `path:line`; strings become text fields, numbers and booleans are kept as values,
///   arrays give one field per element, nested objects are flattened as `parent.child`.
///
/// Hidden files and folders (name starting with ".") are skipped, and so are paths
/// matching one of the `excluding` glob patterns (matched against the relative path and
/// against the file name). Symbolic links to folders are not followed.
public struct FolderSource: Sendable {
    public let folder: String
    public let excluding: [String]

    public static let supportedExtensions: Set<String> = ["txt", "md", "jsonl"]

    public init(folder: String, excluding: [String] = []) {
        self.folder = folder
        self.excluding = excluding
    }

    /// A file to index: its path relative to the folder, its size in bytes and its
    /// modification time (nanoseconds since 1970).
    public struct File: Sendable, Equatable {
        public let relativePath: String
        public let size: Int
        public let modified: Int64
        public init(relativePath: String, size: Int, modified: Int64 = 0) {
            self.relativePath = relativePath
            self.size = size
            self.modified = modified
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
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw FihrisError(.io, "cannot list folder \(directory): \(Self.reason(error))")
        }
        for name in names where !name.hasPrefix(".") {
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
            } else if kind == S_IFREG, Self.supportedExtensions.contains(Self.fileExtension(name)) {
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                result.append(File(relativePath: path, size: Int(info.st_size), modified: modified))
            }
        }
    }

    private func isExcluded(_ path: String, name: String) -> Bool {
        excluding.contains { pattern in fnmatch(pattern, path, 0) == 0 || fnmatch(pattern, name, 0) == 0 }
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

    /// Reads one file and calls `body` with each of its documents.
    /// Errors name the file (and the line, for JSON lines). With `skipInvalid`, a line that
    /// is not a valid document is passed to it and skipped instead of ending the read.
    public func documents(in file: File, skipInvalid: ((FihrisError) -> Void)? = nil,
                          _ body: (Document) throws -> Void) throws {
        let full = folder + "/" + file.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: full))
        } catch {
            throw FihrisError(.io, "cannot read \(full): \(Self.reason(error))")
        }
        try documents(in: file, data: data, skipInvalid: skipInvalid) { document, _ in try body(document) }
    }

    /// The documents of a file already read; each comes with a hash of its JSON line (nil
    /// for text files, which are one document).
    func documents(in file: File, data: Data, skipInvalid: ((FihrisError) -> Void)?,
                   _ body: (Document, UInt64?) throws -> Void) throws {
        switch Self.fileExtension(file.relativePath) {
        case "jsonl":
            try data.withUnsafeBytes { raw in
                try Self.jsonLines(raw.bindMemory(to: UInt8.self), path: file.relativePath, skipInvalid: skipInvalid, body)
            }
        default:
            var text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }   // a byte-order mark is no text
            let markdown = Self.fileExtension(file.relativePath) == "md"
            let document = Document(id: file.relativePath, title: Self.title(of: text, markdown: markdown),
                                    fields: [Document.Field("text", .text(text))])
            do {
                try body(document, nil)
            } catch let error as FihrisError where error.code == .schemaMismatch {
                let located = FihrisError(.schemaMismatch, "\(file.relativePath): \(error.message)", underlying: error)
                guard let skipInvalid else { throw located }
                skipInvalid(located)
            }
        }
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

    static func jsonLines(_ bytes: UnsafeBufferPointer<UInt8>, path: String, skipInvalid: ((FihrisError) -> Void)? = nil,
                          _ body: (Document, UInt64?) throws -> Void) throws {
        var lineNumber = 0
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
            do {
                try body(document, ContentHash.of(line))
            } catch let error as FihrisError where error.code == .schemaMismatch {
                // The document disagrees with the schema: a bad line like any other.
                let located = FihrisError(.schemaMismatch, "\(path):\(lineNumber): \(error.message)", underlying: error)
                guard let skipInvalid else { throw located }
                skipInvalid(located)
            }
        }
    }

    static func document(line: UnsafeBufferPointer<UInt8>, path: String, lineNumber: Int) throws -> Document {
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
