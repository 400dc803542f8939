import Foundation

/// Groups of words or phrases that mean the same, applied at query time (the index is not
/// rebuilt when they change): a query clause, or a run of adjacent free-text words, that
/// is one entry of a group searches every entry of the group, a document scoring its best.
/// Entries compare after analysis (harakat, hamza forms, ى/ي folded), so `ﷺ` — one token
/// of four words — meets `صلى الله عليه وسلم`.
///
/// File format (`Synonyms.load(from:)`, `"synonyms": "file.txt"` in a schema file, CLI
/// `--synonyms FILE`): one group per line, entries separated by commas (`,` or `،`), `#`
/// starts a comment:
///
///     صلى الله عليه وسلم, ﷺ, صلعم
///     الصلاة, الصلوة
public struct Synonyms: Sendable, Equatable, Codable {
    public var groups: [[String]]

    public init(groups: [[String]]) { self.groups = groups }

    public init(from decoder: any Decoder) throws {
        groups = try decoder.singleValueContainer().decode([[String]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(groups)
    }

    /// Parses the file format; `source` names the text in errors (`file:line`).
    public static func parse(_ text: String, source: String) throws(FihrisError) -> Synonyms {
        var groups: [[String]] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let entries = line.split(whereSeparator: { $0 == "," || $0 == "،" })
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if entries.isEmpty { continue }
            guard entries.count >= 2 else {
                throw FihrisError(.invalidArgument, "\(source):\(n + 1): a synonym group needs two entries or more, separated by commas (found \"\(entries[0])\")")
            }
            groups.append(entries)
        }
        return Synonyms(groups: groups)
    }

    /// Reads a synonyms file.
    public static func load(from path: String) throws(FihrisError) -> Synonyms {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw FihrisError(.io, "cannot read synonyms file \(path): \(FolderSource.reason(error))")
        }
        return try parse(text, source: path)
    }
}
