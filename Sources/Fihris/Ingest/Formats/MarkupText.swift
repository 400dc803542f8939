import CLibXML2

/// The readable text of an HTML or XHTML page, parsed by libxml2 (its HTML parser, which
/// recovers from any input the way browsers do; its XML parser first for EPUB chapters,
/// which are XHTML).
///
/// What is kept and what is dropped:
/// - text of the body, whitespace collapsed, a line break at each block element;
/// - entities and character references decoded (by the parser);
/// - dropped as boilerplate: `script`, `style`, `noscript`, `template`, `head` content other
///   than the title, `nav`, `aside`, `footer`, `form`, `button`, `select`, `svg`, `iframe`,
///   `canvas`, `object`; a `header` outside `article`/`main`; elements that are `hidden`,
///   `aria-hidden="true"`, or whose `role` is navigation, banner, contentinfo,
///   complementary, search or menu; and elements whose `id` or a `class` token is one of
///   `nav`, `navbar`, `navigation`, `menu`, `sidebar`, `footer`, `breadcrumb(s)`,
///   `cookie(s)`, `share`, `social`, `skip-link`;
/// - when the page has exactly one `main` (or `role="main"`) element, only its text; else,
///   when it has exactly one `article`, only that;
/// - title: `<title>`, else the first `h1`; `lang` and `dir` of the root element (or the
///   body); `<meta name="author">`, `<meta name="description">`.
struct MarkupText: Sendable, Equatable {
    var title = ""
    var text = ""
    var lang: String?
    var dir: String?
    var author: String?
    var description: String?
    /// The text of the first `h1`–`h3` heading of the content, if any.
    var firstHeading: String?

    /// How a page is parsed.
    enum Parser { case html, xhtml }

    static let extractReady: Bool = {
        xmlInitParser()
        fihris_xml_quiet()
        return true
    }()

    /// Extracts the text of a page. `bytes` in UTF-8 or in the charset the page declares
    /// (`<meta charset>`); a page in neither is an error naming `name`.
    static func extract(_ bytes: UnsafeRawBufferPointer, name: String, parser: Parser = .html) throws(FihrisError) -> MarkupText {
        _ = extractReady
        guard bytes.count > 0 else { return MarkupText() }
        guard bytes.count < Int(Int32.max) else { throw FihrisError(.invalidDocument, "\(name): a page of \(bytes.count) bytes is too large to parse") }
        let utf8 = FolderSource.firstInvalidUTF8(bytes.bindMemory(to: UInt8.self)) == nil
        if !utf8 && !declaresCharset(bytes) {
            throw FihrisError(.invalidDocument, "\(name): not UTF-8 and no charset declared (<meta charset=...>); convert it first, e.g. `iconv -f WINDOWS-1256 -t UTF-8`")
        }
        let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
        var document: xmlDocPtr?
        if parser == .xhtml {
            // Well-formed XHTML is read as XML (an HTML parser misreads `<title/>`); anything
            // else falls back to the forgiving HTML parser.
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
            document = xmlReadMemory(base, Int32(bytes.count), nil, utf8 ? "UTF-8" : nil, options)
        }
        if document == nil {
            let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
            document = htmlReadMemory(base, Int32(bytes.count), nil, utf8 ? "UTF-8" : nil, options)
        }
        guard let document else { throw FihrisError(.invalidDocument, "\(name): cannot be parsed as HTML") }
        defer { xmlFreeDoc(document) }
        var result = MarkupText()
        guard let root = xmlDocGetRootElement(document) else { return result }
        result.lang = attribute(root, "lang") ?? attribute(root, "xml:lang")
        result.dir = attribute(root, "dir")
        var mains: [xmlNodePtr] = [], articles: [xmlNodePtr] = []
        var body: xmlNodePtr?
        var titleNode: xmlNodePtr?
        var firstH1: xmlNodePtr?
        // One pass over the tree for the landmarks.
        walk(root) { node, name in
            switch name {
            case "main": mains.append(node)
            case "article": articles.append(node)
            case "body": if body == nil { body = node }
            case "title": if titleNode == nil { titleNode = node }
            case "h1": if firstH1 == nil { firstH1 = node }
            case "meta":
                let key = attribute(node, "name")?.lowercased()
                if key == "author", result.author == nil { result.author = attribute(node, "content").map(collapsed) }
                if key == "description", result.description == nil { result.description = attribute(node, "content").map(collapsed) }
            default:
                if attribute(node, "role")?.lowercased() == "main" { mains.append(node) }
            }
            return true
        }
        if let body {
            if result.lang == nil { result.lang = attribute(body, "lang") ?? attribute(body, "xml:lang") }
            if result.dir == nil { result.dir = attribute(body, "dir") }
        }
        let content = mains.count == 1 ? mains[0] : articles.count == 1 ? articles[0] : (body ?? root)
        var writer = TextWriter()
        writer.append(content, keepHeader: mains.count == 1 || articles.count == 1)
        result.text = writer.finish()
        result.firstHeading = writer.firstHeading
        if let titleNode { result.title = collapsed(plainText(titleNode)) }
        if result.title.isEmpty, let firstH1 { result.title = collapsed(plainText(firstH1)) }
        result.lang = result.lang.map(collapsed).flatMap { $0.isEmpty ? nil : $0 }
        result.dir = result.dir.map { collapsed($0).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        return result
    }

    static func extract(_ bytes: [UInt8], name: String, parser: Parser = .html) throws(FihrisError) -> MarkupText {
        try bytes.withUnsafeBytes { raw in Result { () throws(FihrisError) in try extract(raw, name: name, parser: parser) } }.get()
    }

    /// Whether the first 4 KB of a page mention a charset (`<meta charset>` or an XML
    /// declaration's encoding).
    static func declaresCharset(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let head = Array(bytes.prefix(4096)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        for needle in ["charset", "encoding="] {
            let n = Array(needle.utf8)
            if head.count >= n.count, (0...(head.count - n.count)).contains(where: { head[$0..<($0 + n.count)].elementsEqual(n) }) { return true }
        }
        return false
    }

    // MARK: - The tree

    static func name(_ node: xmlNodePtr) -> String? {
        guard let name = node.pointee.name else { return nil }
        return String(cString: name).lowercased()
    }

    /// An attribute's value (`prefix:name` matches a namespaced attribute).
    static func attribute(_ node: xmlNodePtr, _ wanted: String) -> String? {
        var property = node.pointee.properties
        while let p = property {
            if let raw = p.pointee.name {
                var name = String(cString: raw).lowercased()
                if let prefix = p.pointee.ns?.pointee.prefix { name = String(cString: prefix).lowercased() + ":" + name }
                if name == wanted {
                    var value = ""
                    var child = p.pointee.children
                    while let c = child {
                        if let content = c.pointee.content { value += String(cString: content) }
                        child = c.pointee.next
                    }
                    return value
                }
            }
            property = p.pointee.next
        }
        return nil
    }

    /// Calls `visit` for each element under `root` (itself included), depth first, without
    /// recursion; `visit` returns whether to go into the element's children.
    static func walk(_ root: xmlNodePtr, _ visit: (xmlNodePtr, String) -> Bool) {
        var stack: [xmlNodePtr] = [root]
        while let node = stack.popLast() {
            guard node.pointee.type == XML_ELEMENT_NODE, let name = name(node) else { continue }
            guard visit(node, name) else { continue }
            stack.append(contentsOf: children(of: node).reversed())
        }
    }

    /// A node's children, in order.
    static func children(of node: xmlNodePtr) -> [xmlNodePtr] {
        var children: [xmlNodePtr] = []
        var child = node.pointee.children
        while let c = child { children.append(c); child = c.pointee.next }
        return children
    }

    /// All the text under a node, as it is.
    static func plainText(_ node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { fihris_xml_free(content) }
        return String(cString: content)
    }

    /// Whitespace runs as one space, trimmed.
    static func collapsed(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static let skipped: Set<String> = [
        "script", "style", "noscript", "template", "head", "nav", "aside", "footer", "form", "button",
        "select", "option", "svg", "iframe", "canvas", "object", "embed", "map", "dialog",
    ]
    static let boilerplateRoles: Set<String> = ["navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"]
    static let boilerplateTokens: Set<String> = [
        "nav", "navbar", "navigation", "menu", "sidebar", "footer", "breadcrumb", "breadcrumbs",
        "cookie", "cookies", "share", "social", "skip-link",
    ]
    static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "section", "article", "main", "header", "blockquote", "pre", "hr", "figure", "figcaption", "address",
        "body", "caption", "td", "th", "details", "summary",
    ]

    static func isBoilerplate(_ node: xmlNodePtr, name: String, insideContent: Bool) -> Bool {
        if skipped.contains(name) { return true }
        if name == "header" && !insideContent { return true }
        if attribute(node, "hidden") != nil { return true }
        if attribute(node, "aria-hidden")?.lowercased() == "true" { return true }
        if let role = attribute(node, "role")?.lowercased(), boilerplateRoles.contains(role) { return true }
        for key in ["id", "class"] {
            if let value = attribute(node, key)?.lowercased(),
               value.split(separator: " ").contains(where: { boilerplateTokens.contains(String($0)) }) {
                return true
            }
        }
        return false
    }

    /// Collects text bytes with whitespace collapsed and a newline between blocks.
    struct TextWriter {
        private var bytes: [UInt8] = []
        private var pendingSpace = false, pendingBreak = false
        var firstHeading: String?

        mutating func append(_ root: xmlNodePtr, keepHeader: Bool) {
            // (node, depth marker): a nil node closes the block opened before it.
            var stack: [(xmlNodePtr?, Bool)] = [(root, false)]
            var contentDepth = keepHeader ? 1 : 0
            while let (item, closesContent) = stack.popLast() {
                guard let node = item else {
                    pendingBreak = true
                    if closesContent { contentDepth -= 1 }
                    continue
                }
                switch node.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = node.pointee.content { text(content) }
                case XML_ELEMENT_NODE:
                    guard let name = MarkupText.name(node) else { continue }
                    if MarkupText.isBoilerplate(node, name: name, insideContent: contentDepth > 0) { continue }
                    if firstHeading == nil, name == "h1" || name == "h2" || name == "h3" {
                        let heading = MarkupText.collapsed(MarkupText.plainText(node))
                        if !heading.isEmpty { firstHeading = heading }
                    }
                    let block = MarkupText.blocks.contains(name)
                    let content = name == "article" || name == "main"
                    if content { contentDepth += 1 }
                    if block || content {
                        pendingBreak = true
                        stack.append((nil, content))
                    } else if name == "td" || name == "th" {
                        pendingSpace = true
                    }
                    for c in MarkupText.children(of: node).reversed() { stack.append((c, false)) }
                default:
                    continue
                }
            }
        }

        private mutating func text(_ content: UnsafePointer<xmlChar>) {
            var p = content
            while p.pointee != 0 {
                let b = p.pointee
                p += 1
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C {
                    pendingSpace = true
                    continue
                }
                // U+00A0 (no-break space) is a space too.
                if b == 0xC2 && p.pointee == 0xA0 { p += 1; pendingSpace = true; continue }
                if !bytes.isEmpty {
                    if pendingBreak { bytes.append(0x0A) } else if pendingSpace { bytes.append(0x20) }
                }
                pendingBreak = false
                pendingSpace = false
                bytes.append(b)
            }
        }

        mutating func finish() -> String { String(decoding: bytes, as: UTF8.self) }
    }
}
