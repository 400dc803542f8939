/// The kinds of file `FolderSource` reads, chosen by the file's extension (any case).
///
/// | format | extensions | documents |
/// |---|---|---|
/// | text | `.txt` | one per file: id = relative path, title = first non-empty line, field `text` |
/// | Markdown | `.md`, `.markdown` | one per section (headings of levels 1–3): the first is the path, the others `path#slug`; fields `text`, `section` (the heading trail), front matter (YAML) fields |
/// | JSON lines | `.jsonl`, `.ndjson` | one per line: id = `id` field, else `path:line` |
/// | CSV, TSV | `.csv`, `.tsv`, `.tab` | one per row after the header row: id = `id` column, else `path:line` |
/// | HTML | `.html`, `.htm`, `.xhtml` | one per file: body text without boilerplate; title from `<title>` or the first `h1`; fields `lang`, `dir`, `author`, `description` |
/// | EPUB | `.epub` | one per chapter of the spine: `book.epub#chapter-N`; fields `book`, `chapter`, `title`, `author`, `lang` |
/// | PDF | `.pdf` | one per page with text: `book.pdf#pN`; fields `page` (integer), `book`, `author` (needs MuPDF's `mutool`) |
public enum SourceFormat: String, Sendable, CaseIterable {
    case text = "txt", markdown = "md", jsonLines = "jsonl", csv, tsv, html, epub, pdf

    /// The format of a file with this extension (without the dot, any case), or nil.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "txt": self = .text
        case "md", "markdown": self = .markdown
        case "jsonl", "ndjson": self = .jsonLines
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "html", "htm", "xhtml": self = .html
        case "epub": self = .epub
        case "pdf": self = .pdf
        default: return nil
        }
    }

    /// The format named on a command line (`txt`, `md`, `jsonl`, `csv`, `tsv`, `html`,
    /// or any extension above).
    public init?(name: String) {
        if let format = SourceFormat(rawValue: name.lowercased()) { self = format } else { self.init(fileExtension: name) }
    }

    /// Every extension read, for messages and help.
    public static let extensions = ["txt", "md", "markdown", "jsonl", "ndjson", "csv", "tsv", "tab", "html", "htm", "xhtml", "epub", "pdf"]

    /// Whether documents can come from a stream (standard input) rather than a file that
    /// can be read at any offset (EPUB, a ZIP archive) or handed to another program (PDF).
    public var isStreamable: Bool { self != .epub && self != .pdf }
}
