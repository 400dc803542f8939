import CLibXML2
import Foundation
import ZIPFoundation

/// An EPUB book (2 or 3) as one document per chapter of its spine, in reading order.
///
/// The path through the archive (a ZIP, read with ZIPFoundation):
///
///     META-INF/container.xml  rootfile/@full-path              → the package (OPF)
///     OPF  metadata/dc:title, dc:creator*, dc:language          → book, author, lang
///          manifest/item(@id, @href, @media-type, @properties)  → files
///          spine/itemref(@idref)*                               → chapters, in order
///     toc  EPUB 3 nav (properties="nav") or EPUB 2 NCX          → chapter titles
///     META-INF/encryption.xml                                   → DRM (refused)
///
/// - Document `book.epub#chapter-N`, N the item's place in the spine (1-based, so ids stay
///   put when an empty chapter is skipped); fields `text` (the chapter's XHTML through
///   `MarkupText`), `book`, `chapter` (N, an integer), `title` (the table of contents'
///   label, else the chapter's first heading, else its `<title>`, else "book N"),
///   `author` (one per creator), `lang`. Chapters without text (a cover image) are left out.
/// - Errors name the file: not a ZIP archive, no container or package, a spine item missing
///   from the archive, an entry over `maximumEntryBytes` uncompressed (a ZIP bomb), chapters
///   encrypted by DRM (font obfuscation is not DRM and is ignored).
enum EPUBReader {
    static let maximumEntryBytes = 256 << 20

    static func documents(path: String, id: String) throws(FihrisError) -> [Document] {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw FihrisError(.invalidDocument, "\(id): not an EPUB book (cannot be read as a ZIP archive: \(error))")
        }
        var entries: [String: Entry] = [:]
        for entry in archive where entry.type == .file { entries[entry.path] = entry }
        func read(_ entryPath: String) throws(FihrisError) -> [UInt8] {
            guard let entry = entries[entryPath] else { throw FihrisError(.invalidDocument, "\(id): not a valid EPUB book: \(entryPath) is missing") }
            guard entry.uncompressedSize <= UInt64(maximumEntryBytes) else {
                throw FihrisError(.invalidDocument, "\(id): \(entryPath) is \(entry.uncompressedSize) bytes uncompressed, more than the \(maximumEntryBytes >> 20) MB an EPUB entry may have")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(entry.uncompressedSize))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { data in
                    guard bytes.count + data.count <= maximumEntryBytes else { throw EntryTooLarge() }
                    bytes.append(contentsOf: data)
                }
            } catch is EntryTooLarge {
                throw FihrisError(.invalidDocument, "\(id): \(entryPath) holds more than the \(maximumEntryBytes >> 20) MB an EPUB entry may have")
            } catch {
                throw FihrisError(.invalidDocument, "\(id): \(entryPath) cannot be read from the archive (damaged: \(error))")
            }
            return bytes
        }

        // The package.
        let container = try XMLTree(try read("META-INF/container.xml"), name: "\(id): META-INF/container.xml")
        guard let opfPath = container.elements("rootfile").lazy.compactMap({ $0["full-path"] }).first.map(percentDecoded) else {
            throw FihrisError(.invalidDocument, "\(id): not a valid EPUB book: META-INF/container.xml names no package (rootfile)")
        }
        let opf = try XMLTree(try read(opfPath), name: "\(id): \(opfPath)")
        let base = opfPath.contains("/") ? String(opfPath[..<opfPath.lastIndex(of: "/")!]) : ""
        let book = opf.elements("title").first.map { MarkupText.collapsed($0.text) }.flatMap { $0.isEmpty ? nil : $0 }
            ?? String(((id as NSString).lastPathComponent as NSString).deletingPathExtension)
        let authors = opf.elements("creator").map { MarkupText.collapsed($0.text) }.filter { !$0.isEmpty }
        let lang = opf.elements("language").first.map { MarkupText.collapsed($0.text) }.flatMap { $0.isEmpty ? nil : $0 }
        var manifest: [String: (href: String, type: String, properties: String)] = [:]
        for item in opf.elements("item") {
            guard let itemID = item["id"], let href = item["href"] else { continue }
            manifest[itemID] = (resolve(href, against: base), item["media-type"] ?? "", item["properties"] ?? "")
        }
        let spine = opf.elements("itemref").compactMap { $0["idref"] }
        guard !spine.isEmpty else { throw FihrisError(.invalidDocument, "\(id): not a valid EPUB book: \(opfPath) has an empty spine") }

        // DRM: chapters listed in encryption.xml with an algorithm other than font obfuscation.
        if entries["META-INF/encryption.xml"] != nil {
            let encryption = try XMLTree(try read("META-INF/encryption.xml"), name: "\(id): META-INF/encryption.xml")
            let fontObfuscation: Set<String> = ["http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"]
            var encrypted = Set<String>()
            for data in encryption.elements("EncryptedData") {
                let algorithm = data.descendants("EncryptionMethod").first?["Algorithm"] ?? ""
                if fontObfuscation.contains(algorithm) { continue }
                for reference in data.descendants("CipherReference") { if let uri = reference["URI"] { encrypted.insert(percentDecoded(uri)) } }
            }
            if spine.contains(where: { manifest[$0].map { encrypted.contains($0.href) } ?? false }) {
                throw FihrisError(.invalidDocument, "\(id): the book is encrypted (DRM); its chapters cannot be read")
            }
        }

        // Chapter titles from the table of contents.
        var labels: [String: String] = [:]
        if let nav = manifest.values.first(where: { $0.properties.split(separator: " ").contains("nav") }),
           let tree = try? XMLTree(try read(nav.href), name: nav.href, html: true) {
            let navBase = nav.href.contains("/") ? String(nav.href[..<nav.href.lastIndex(of: "/")!]) : ""
            for link in tree.elements("a") {
                guard let href = link["href"] else { continue }
                let target = resolve(String(href.prefix { $0 != "#" }), against: navBase)
                let label = MarkupText.collapsed(link.text)
                if !label.isEmpty, labels[target] == nil { labels[target] = label }
            }
        } else if let ncxID = opf.elements("spine").first?["toc"], let ncx = manifest[ncxID],
                  let tree = try? XMLTree(try read(ncx.href), name: ncx.href) {
            let ncxBase = ncx.href.contains("/") ? String(ncx.href[..<ncx.href.lastIndex(of: "/")!]) : ""
            for point in tree.elements("navPoint") {
                guard let src = point.descendants("content").first?["src"] else { continue }
                let target = resolve(String(src.prefix { $0 != "#" }), against: ncxBase)
                let label = MarkupText.collapsed(point.descendants("text").first?.text ?? "")
                if !label.isEmpty, labels[target] == nil { labels[target] = label }
            }
        }

        var documents: [Document] = []
        for (n, idref) in spine.enumerated() {
            guard let item = manifest[idref] else {
                throw FihrisError(.invalidDocument, "\(id): not a valid EPUB book: the spine names \"\(idref)\", which the manifest does not list")
            }
            guard item.type.isEmpty || item.type.contains("html") else { continue }
            let bytes = try read(item.href)
            let page = try MarkupText.extract(bytes, name: "\(id): \(item.href)", parser: .xhtml)
            guard page.text.contains(where: { !$0.isWhitespace }) else { continue }
            let number = n + 1
            var title = labels[item.href] ?? page.firstHeading ?? ""
            if title.isEmpty, !page.title.isEmpty, page.title != book { title = page.title }
            if title.isEmpty { title = "\(book) \(number)" }
            var document = Document(id: "\(id)#chapter-\(number)", title: String(title.prefix(200)), fields: [
                .init("text", .text(page.text)), .init("book", .text(book)), .init("chapter", .integer(Int64(number))),
                .init("title", .text(title)),
            ])
            for author in authors { document.fields.append(.init("author", .text(author))) }
            if let lang = lang ?? page.lang { document.fields.append(.init("lang", .text(lang))) }
            documents.append(document)
        }
        return documents
    }

    struct EntryTooLarge: Error {}

    /// A relative `href` (percent-encoded) resolved against a folder of the archive.
    static func resolve(_ href: String, against base: String) -> String {
        var parts = base.isEmpty ? [] : base.split(separator: "/").map(String.init)
        for part in percentDecoded(href).split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(String(part))
        }
        return parts.joined(separator: "/")
    }

    static func percentDecoded(_ s: String) -> String { s.removingPercentEncoding ?? s }
}

/// A parsed XML (or HTML) file, read by element local names (namespaces ignored).
final class XMLTree {
    private let document: xmlDocPtr

    struct Element {
        let node: xmlNodePtr
        /// An attribute's value (names compared without case, as `MarkupText` reads them).
        subscript(attribute: String) -> String? { MarkupText.attribute(node, attribute.lowercased()) }
        var text: String { MarkupText.plainText(node) }
        func descendants(_ name: String) -> [Element] { XMLTree.elements(name, under: node) }
    }

    init(_ bytes: [UInt8], name: String, html: Bool = false) throws(FihrisError) {
        _ = MarkupText.extractReady
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0, buffer.count < Int(Int32.max) else { return nil }
            let pointer = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            if html {
                let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
                if let doc = xmlReadMemory(pointer, Int32(buffer.count), nil, nil,
                                           Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)) {
                    return doc
                }
                return htmlReadMemory(pointer, Int32(buffer.count), nil, nil, options)
            }
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
            return xmlReadMemory(pointer, Int32(buffer.count), nil, nil, options)
        }
        guard let parsed else { throw FihrisError(.invalidDocument, "\(name): not XML") }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    /// Every element with this local name, in document order.
    func elements(_ name: String) -> [Element] {
        guard let root = xmlDocGetRootElement(document) else { return [] }
        return Self.elements(name, under: root)
    }

    static func elements(_ name: String, under root: xmlNodePtr) -> [Element] {
        var found: [Element] = []
        MarkupText.walk(root) { node, _ in
            if let raw = node.pointee.name, String(cString: raw) == name { found.append(Element(node: node)) }
            return true
        }
        return found
    }
}
