import Foundation
import Yams

/// A Markdown file as one document per section, so that a hit says where in the file it is.
///
/// Grammar (the parts read; everything else is text):
///
///     file        = [front-matter] { line }
///     front-matter = "---" NL yaml-lines ( "---" | "..." ) NL    ; at the very start
///     heading     = atx | setext                                 ; outside ``` / ~~~ fences
///     atx         = 0-3 spaces, 1-6 "#", (space text [closing "#"s] | end of line)
///     setext      = text line, then a line of 2+ "=" (level 1) or 2+ "-" (level 2)
///
/// - Sections start at headings of levels 1–3 (deeper headings stay in their section's
///   text). The first section — text before the second heading when the file starts with a
///   heading, else the text before the first heading — has the path as its id; each other
///   section `path#slug`, the slug of its heading (GitHub's: lower case, punctuation dropped,
///   spaces as `-`, Arabic letters kept; `-1`, `-2`… for repeats).
/// - Fields: `text` (the section, its heading line included, without `#` marks), `section`
///   (the trail of headings down to it, `Chapter › Part`; none for text before any heading),
///   and every front matter field (strings as text, integers, numbers, booleans, dates as
///   text; lists give one value each; nested maps `parent.child`) on every section.
/// - Title: front matter `title`, else the first heading, else the first non-empty line.
/// - A front matter that is not YAML, or not a map, is an error naming the file and line.
enum MarkdownReader {
    struct Section { var heading: String?; var level: Int; var trail: [String]; var lines: [Substring] }

    static func documents(_ data: UnsafeRawBufferPointer, id: String) throws(FihrisError) -> [Document] {
        var text = String(decoding: data.bindMemory(to: UInt8.self), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Lines are cut and measured on UTF-8 bytes (Character-wise counting walked every
        // line's grapheme clusters: 60% of the time of a folder of Markdown).
        var lines: [Substring] = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { bytes in
            let line = Substring(bytes)
            return bytes.last == 0x0D ? Substring(line.utf8.dropLast()) : line
        }
        var frontMatter: [Document.Field] = []
        var frontTitle: String?
        if lines.first == "---" || lines.first == "--- " {
            if let end = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." }) {
                let yaml = lines[1..<end].joined(separator: "\n")
                (frontMatter, frontTitle) = try Self.frontMatter(yaml, location: id)
                lines.removeSubrange(0...end)
            }
        }
        let sections = split(lines)
        let firstHeading = sections.lazy.compactMap(\.heading).first
        let title = frontTitle ?? firstHeading ?? FolderSource.title(of: text, markdown: true)
        var slugs: [String: Int] = [:]
        var documents: [Document] = []
        for (i, section) in sections.enumerated() {
            var documentID = id
            if i > 0 {
                let base = slug(section.heading ?? "section")
                let seen = slugs[base, default: 0]
                slugs[base] = seen + 1
                documentID = id + "#" + (seen == 0 ? base : base + "-\(seen)")
            }
            var fields: [Document.Field] = [.init("text", .text(section.lines.joined(separator: "\n")))]
            if !section.trail.isEmpty { fields.append(.init("section", .text(section.trail.joined(separator: " › ")))) }
            fields.append(contentsOf: frontMatter)
            documents.append(Document(id: documentID, title: String(title.prefix(200)), fields: fields))
        }
        return documents
    }

    /// The sections of the lines (front matter removed).
    static func split(_ lines: [Substring]) -> [Section] {
        var sections: [Section] = [Section(heading: nil, level: 0, trail: [], lines: [])]
        var trail: [(level: Int, text: String)] = []
        var fence: Substring?
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let indent = Self.indent(line)
            let trimmed = Substring(line.utf8.dropFirst(indent))
            // Code fences: headings inside are text.
            if indent <= 3, trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let marker = trimmed.prefix(3)
                if fence == nil { fence = marker } else if fence == marker { fence = nil }
                sections[sections.count - 1].lines.append(line)
                i += 1
                continue
            }
            var heading: (level: Int, text: String)?
            var consumed = 1
            if fence == nil {
                heading = atx(line)
                if heading == nil, i + 1 < lines.count, let level = setextLevel(lines[i + 1]), isParagraphLine(line) {
                    heading = (level, MarkupText.collapsed(String(line)))
                    consumed = 2
                }
            }
            if let heading, heading.level <= 3 {
                while let last = trail.last, last.level >= heading.level { trail.removeLast() }
                trail.append(heading)
                let current = sections[sections.count - 1]
                let onlyBlank = current.lines.allSatisfy { $0.allSatisfy(\.isWhitespace) }
                let section = Section(heading: heading.text, level: heading.level, trail: trail.map(\.text), lines: [Substring(heading.text)])
                if sections.count == 1 && current.heading == nil && onlyBlank {
                    sections[0] = section   // a file that starts with its heading
                } else {
                    sections.append(section)
                }
            } else if let heading {
                sections[sections.count - 1].lines.append(Substring(heading.text))
            } else {
                sections[sections.count - 1].lines.append(line)
            }
            i += consumed
        }
        return sections
    }

    /// Leading spaces, in bytes.
    static func indent(_ line: Substring) -> Int { line.utf8.prefix(while: { $0 == 0x20 }).count }

    /// An ATX heading's level and text.
    static func atx(_ line: Substring) -> (level: Int, text: String)? {
        let indent = Self.indent(line)
        let trimmed = Substring(line.utf8.dropFirst(indent))
        guard indent <= 3, trimmed.utf8.first == 0x23 else { return nil }
        let hashes = trimmed.prefix(while: { $0 == "#" })
        guard hashes.count <= 6 else { return nil }
        let rest = trimmed.dropFirst(hashes.count)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingCharacters(in: .whitespaces)
        // A closing sequence of "#"s (after a space) is not part of the heading.
        if let lastSpace = text.lastIndex(of: " "), text[text.index(after: lastSpace)...].allSatisfy({ $0 == "#" }) {
            text = String(text[..<lastSpace]).trimmingCharacters(in: .whitespaces)
        } else if text.allSatisfy({ $0 == "#" }) {
            text = ""
        }
        return (hashes.count, MarkupText.collapsed(text))
    }

    static func setextLevel(_ line: Substring) -> Int? {
        let bytes = line.utf8
        guard let first = bytes.first, first == 0x3D || first == 0x2D || first == 0x20 else { return nil }
        guard indent(line) <= 3 else { return nil }
        var marks = 0, mark: UInt8 = 0, trailing = false
        for b in bytes {
            if b == 0x20 || b == 0x09 { if marks > 0 { trailing = true }; continue }
            guard b == 0x3D || b == 0x2D, !trailing, mark == 0 || b == mark else { return nil }
            mark = b
            marks += 1
        }
        guard marks >= 2 else { return nil }
        return mark == 0x3D ? 1 : 2
    }

    /// A line that can be a setext heading's text: not blank, not a list item, quote,
    /// heading or table row.
    static func isParagraphLine(_ line: Substring) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, indent(line) <= 3 else { return false }
        if let first = trimmed.first, "-*+>#|".contains(first) { return false }
        return true
    }

    /// GitHub's heading anchors: lower case, letters, digits, `-` and `_` kept, spaces as `-`.
    static func slug(_ heading: String) -> String {
        var out = ""
        for ch in heading.lowercased() {
            if ch == " " { out.append("-") } else if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" { out.append(ch) }
        }
        return out.isEmpty ? "section" : out
    }

    /// Front matter fields and the title it gives.
    static func frontMatter(_ yaml: String, location: String) throws(FihrisError) -> ([Document.Field], String?) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw FihrisError(.invalidDocument, "\(location): front matter is not YAML: \(describe(error))")
        } catch {
            throw FihrisError(.invalidDocument, "\(location): front matter is not YAML: \(error)")
        }
        guard let node else { return ([], nil) }
        guard case .mapping(let mapping) = node else {
            throw FihrisError(.invalidDocument, "\(location):2: front matter must be a map of fields (key: value)")
        }
        var fields: [Document.Field] = []
        var title: String?
        for (key, value) in mapping {
            guard let name = key.string, !name.isEmpty else { continue }
            if name == "title", let s = value.string { title = MarkupText.collapsed(s) }
            flatten(name, value, into: &fields)
        }
        return (fields, title)
    }

    private static func flatten(_ name: String, _ node: Node, into fields: inout [Document.Field]) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if scalar.string == "~" || scalar.string == "null" || scalar.string.isEmpty { return }
                if let b = Bool.construct(from: scalar) { fields.append(.init(name, .bool(b))); return }
                if let i = Int64(scalar.string) { fields.append(.init(name, .integer(i))); return }
                if let d = Double.construct(from: scalar), d.isFinite { fields.append(.init(name, .double(d))); return }
            }
            fields.append(.init(name, .text(scalar.string)))
        case .sequence(let sequence):
            for element in sequence { flatten(name, element, into: &fields) }
        case .mapping(let mapping):
            for (key, value) in mapping { if let k = key.string { flatten(name + "." + k, value, into: &fields) } }
        case .alias:
            return
        }
    }

    /// A YAML error with the line in the file (the front matter starts on line 2).
    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            return "line \(mark.line + 1), column \(mark.column): \(problem)\(context.map { " (\($0.text))" } ?? "")"
        default:
            return "\(error)"
        }
    }
}
