/// An HTML page as one document: id = the path, title from `<title>` (else the first
/// `h1`, else the first line of text), field `text` (the body without boilerplate, see
/// `MarkupText`), and `lang`, `dir`, `author`, `description` when the page has them.
enum HTMLReader {
    static func document(_ bytes: UnsafeRawBufferPointer, id: String, parser: MarkupText.Parser = .html) throws(FihrisError) -> Document {
        let page = try MarkupText.extract(bytes, name: id, parser: parser)
        return document(page, id: id)
    }

    static func document(_ page: MarkupText, id: String) -> Document {
        var title = page.title.isEmpty ? (page.firstHeading ?? "") : page.title
        if title.isEmpty { title = FolderSource.title(of: page.text, markdown: false) }
        var document = Document(id: id, title: String(title.prefix(200)), fields: [.init("text", .text(page.text))])
        if let lang = page.lang { document.fields.append(.init("lang", .text(lang))) }
        if let dir = page.dir { document.fields.append(.init("dir", .text(dir))) }
        if let author = page.author, !author.isEmpty { document.fields.append(.init("author", .text(author))) }
        if let description = page.description, !description.isEmpty { document.fields.append(.init("description", .text(description))) }
        return document
    }
}

extension ContentHash {
    /// A hash of a document's id, title and fields (what tells a changed chapter, page or
    /// row of a file from an unchanged one).
    static func of(_ document: Document) -> UInt64 {
        var bytes: [UInt8] = []
        bytes.append(contentsOf: document.id.utf8); bytes.append(0)
        bytes.append(contentsOf: document.title.utf8); bytes.append(0)
        for field in document.fields {
            bytes.append(contentsOf: field.name.utf8); bytes.append(1)
            switch field.value {
            case .text(let s): bytes.append(0x74); bytes.append(contentsOf: s.utf8)
            case .integer(let i): bytes.append(0x69); bytes.append(contentsOf: String(i).utf8)
            case .double(let d): bytes.append(0x64); bytes.append(contentsOf: String(d.bitPattern).utf8)
            case .bool(let b): bytes.append(b ? 0x54 : 0x46)
            }
            bytes.append(0)
        }
        return bytes.withUnsafeBytes { ContentHash.of($0) }
    }
}
