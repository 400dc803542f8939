/// A passage of a text field, with the matched words' byte ranges in `text`.
public struct Snippet: Sendable, Equatable {
    public let field: String
    public let text: String
    /// UTF-8 byte ranges of whole matched words in `text`.
    public let highlights: [Range<Int>]
    /// `text` with `SnippetOptions.tags` around each matched word (nil without tags).
    public var marked: String? = nil

    public init(field: String, text: String, highlights: [Range<Int>], marked: String? = nil) {
        (self.field, self.text, self.highlights, self.marked) = (field, text, highlights, marked)
    }

    /// `text` with `pre` and `post` around each matched word; with `escapingHTML` (the
    /// default when `pre` starts with `<`), `&`, `<`, `>`, `"` and `'` of the text itself
    /// are written as entities, so the result can go into an HTML page as it is.
    public func marked(pre: String, post: String, escapingHTML: Bool? = nil) -> String {
        let escape = escapingHTML ?? pre.hasPrefix("<")
        let utf8 = Array(text.utf8)
        var out = ""
        func append(_ bytes: ArraySlice<UInt8>) {
            let s = String(decoding: bytes, as: UTF8.self)
            out += escape ? Self.escapeHTML(s) : s
        }
        var at = 0
        for range in highlights where range.lowerBound >= at && range.upperBound <= utf8.count {
            append(utf8[at..<range.lowerBound])
            out += pre
            append(utf8[range])
            out += post
            at = range.upperBound
        }
        append(utf8[at...])
        return out
    }

    static func escapeHTML(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// What snippets a search makes (`SearchOptions.snippetOptions`; with `snippets` on).
///
///     options.snippets = true
///     options.snippetOptions = SnippetOptions(words: 20, passages: 3, tags: ("<mark>", "</mark>"))
public struct SnippetOptions: Sendable, Equatable {
    /// Words in a passage (1…1000; default 30), the first match a few words in.
    public var words: Int
    /// Passages per field, best first (most distinct matched words, then most matches),
    /// never overlapping (default 1).
    public var passages: Int
    /// The whole field with every match marked, instead of passages.
    public var wholeField: Bool
    /// The text fields to make snippets of (nil: every stored text field with a match).
    public var fields: [String]?
    /// Marks around matched words in `Snippet.marked` (HTML-escaped text when the first
    /// starts with `<`); nil: `marked` stays nil.
    public var tags: (pre: String, post: String)?

    public init(words: Int = 30, passages: Int = 1, wholeField: Bool = false, fields: [String]? = nil,
                tags: (pre: String, post: String)? = nil) {
        (self.words, self.passages, self.wholeField, self.fields, self.tags) = (words, passages, wholeField, fields, tags)
    }

    public static func == (a: SnippetOptions, b: SnippetOptions) -> Bool {
        a.words == b.words && a.passages == b.passages && a.wholeField == b.wholeField && a.fields == b.fields
            && a.tags?.pre == b.tags?.pre && a.tags?.post == b.tags?.post
    }
}
