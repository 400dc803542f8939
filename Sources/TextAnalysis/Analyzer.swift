/// How a field's text becomes terms.
public enum AnalyzerKind: String, Sendable, CaseIterable, Codable {
    /// The default: Arabic folding and light stemming for Arabic words, Porter2 for Latin
    /// words, folding for everything else. Handles mixed Arabic/Latin text.
    case arabic
    /// Porter2 (Snowball English) stemming for Latin words; folding for others.
    case english
    /// Folding only (diacritics, letter variants, case, accents); no stemming.
    case simple
    /// The whole value as one term, folded (identifiers, categories, tags).
    case keyword
}

/// What an analyzer does; a value, so it can live in a schema.
public struct AnalyzerOptions: Sendable, Equatable, Hashable {
    public enum StopWordSetting: Sendable, Equatable, Hashable {
        /// No stop words.
        case none
        /// The kind's default list (Arabic + English for `arabic`, English for `english`,
        /// none for `simple` and `keyword`).
        case `default`
        /// These words (any spelling; folded).
        case custom([String])
    }

    public var kind: AnalyzerKind
    public var stopWords: StopWordSetting

    public init(kind: AnalyzerKind = .arabic, stopWords: StopWordSetting = .default) {
        self.kind = kind
        self.stopWords = stopWords
    }

    var stopWordSet: WordSet? {
        switch stopWords {
        case .none: return nil
        case .custom(let words): return WordSet(words)
        case .default:
            switch kind {
            case .arabic: return StopWords.arabic
            case .english: return StopWords.english
            case .simple, .keyword: return nil
            }
        }
    }
}

/// One token as the analyzer hands it to a callback: the buffers are valid only during
/// the call (no allocation per token).
public struct TokenView {
    /// The normalized (folded) form: what exact matching, phrases and prefixes use.
    public let term: UnsafeBufferPointer<UInt8>
    /// The stem: what recall-oriented matching uses. Equal to `term` when not stemmed.
    public let stem: UnsafeBufferPointer<UInt8>
    public let position: Int
    /// Byte range of the surface form in the analyzed text.
    public let byteRange: Range<Int>
    /// Whether the word is on the analyzer's stop-word list. Stop words are indexed like
    /// every word (a phrase checks them); queries may drop them from free-text OR clauses.
    public let isStopWord: Bool
    /// The word's harakat, one byte per letter of `term` (`Vocalization`); empty when none.
    public let vocalization: UnsafeBufferPointer<UInt8>
    /// A second spelling of the previous token, at the same position and byte range (an
    /// Uthmani form that modern spelling writes two ways): indexed, not counted in the
    /// field's length, left out of queries.
    public let isAlternative: Bool

    public init(term: UnsafeBufferPointer<UInt8>, stem: UnsafeBufferPointer<UInt8>, position: Int, byteRange: Range<Int>,
                isStopWord: Bool, vocalization: UnsafeBufferPointer<UInt8>, isAlternative: Bool = false) {
        self.term = term
        self.stem = stem
        self.position = position
        self.byteRange = byteRange
        self.isStopWord = isStopWord
        self.vocalization = vocalization
        self.isAlternative = isAlternative
    }

    public func materialize() -> Token {
        Token(term: Array(term), stem: Array(stem), position: position, byteRange: byteRange, isStopWord: isStopWord,
              vocalization: Array(vocalization), isAlternative: isAlternative)
    }
}

/// Turns text into tokens: ICU word boundaries (UAX #29), script folding, stemming. Each
/// token carries its normalized form, its stem, its position, its byte range and whether it
/// is a stop word. Every word is a token, stop words included: they are flagged, not
/// removed (a stop word's stem is its normalized form), so documents index every word and a
/// query decides what a stop word means where it stands.
///
/// Not thread-safe (it owns an ICU break iterator); create one per thread.
public final class Analyzer {
    /// The version of what analysis makes of text (folding, stemming, stop-word stems).
    /// An index records the version its terms were made with and is refused (rebuilt by
    /// `fihris index`) under another. Bump it with any change to a term or stem.
    /// 1 — analysis v2 as first released; 2 — clitics before function words (وهذا → هذا),
    /// a final ي/ك after 3 letters by the noun lexicon (نفسي → نفس), the weak imperfect's ي
    /// (يعطي → يعط); 3 — Uthmani orthography (QuranicOrthography: dagger alef, seatless
    /// hamza, وٰ/ىٰ, small waw/yeh, the joined vocative يا split in two words); 4 — roots
    /// read from the word as written, with the lemma lexicon (RootExtractor); 5 — the marks
    /// of an alef carrying a hamza stay its own (الأَسَدِيُّ, لأُرَاهُ: only a bare ا after a
    /// lam gives its marks to the lam); 6 — roots: ة and ى as written before suffixes
    /// (صلاتك, فهدانا), a suffix's part of speech against the lemma's, the future س only
    /// before an imperfect, imperfect prefixes only before a verb's stem.
    public static let version: UInt32 = 6

    public let options: AnalyzerOptions
    /// `options.kind`, and whether harakat are recorded, kept apart so the per-token path
    /// reads a plain value (not a copy of the options with their word list).
    private let kind: AnalyzerKind
    private let recordsMarks: Bool
    /// Opened on first use: most text never needs ICU (see `FastWordScanner`), and opening
    /// a break iterator costs more than analyzing a short query.
    private var breaker: WordBreaker?
    private let stopWords: WordSet?
    /// Terms longer than this (in bytes, after folding) are dropped: they are not words a
    /// user types, and storage keys are bounded.
    public static let maximumTermLength = 255

    /// Per-token buffers, moved into a local while `analyze` runs (so the hot loop does
    /// not pay for the dynamic exclusivity checks of a class's stored properties).
    struct Buffers {
        var term: [UInt8] = []
        var stem: [UInt8] = []
        var marks: [UInt8] = []
    }
    private var buffers = Buffers()
    private var wordRanges: [Range<Int>] = []
    /// Use the UTF-8 fast path when the text allows it (exactly ICU's word ranges).
    public var usesFastPath = true

    public init(_ options: AnalyzerOptions = AnalyzerOptions()) throws(AnalysisError) {
        self.options = options
        kind = options.kind
        recordsMarks = options.kind == .arabic || options.kind == .simple
        stopWords = options.stopWordSet
    }

    public convenience init(kind: AnalyzerKind) throws(AnalysisError) {
        try self.init(AnalyzerOptions(kind: kind))
    }

    /// Calls `body` for each token of `text`, positions starting at `firstPosition`.
    /// Returns the position after the last token.
    @discardableResult
    public func analyze(utf8 text: UnsafeBufferPointer<UInt8>, firstPosition: Int = 0,
                        _ body: (TokenView) throws -> Void) throws -> Int {
        var position = firstPosition
        var b = buffers
        buffers = Buffers()
        defer { buffers = b }
        if kind == .keyword {
            // The whole value, trimmed of surrounding whitespace, as one term.
            var start = 0, end = text.count
            while start < end && (text[start] == 0x20 || (text[start] >= 0x09 && text[start] <= 0x0D)) { start += 1 }
            while end > start && (text[end - 1] == 0x20 || (text[end - 1] >= 0x09 && text[end - 1] <= 0x0D)) { end -= 1 }
            guard start < end else { return position }
            try emit(text, start..<end, &position, &b, body)
            return position
        }
        if usesFastPath && FastWordScanner.scan(text, into: &wordRanges) {
            for range in wordRanges { try emit(text, range, &position, &b, body) }
            return position
        }
        if breaker == nil { breaker = try WordBreaker() }
        try breaker!.forEachWord(in: text) { range in
            try emit(text, range, &position, &b, body)
        }
        return position
    }

    @inline(__always)
    private func emit(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ position: inout Int,
                      _ b: inout Buffers, _ body: (TokenView) throws -> Void) throws {
        // The vocative يا written joined to its noun in the Uthmani text (يَـٰٓأَيُّهَا) is
        // two words, يا and أيها, as modern spelling writes them.
        if range.count >= 10, text[range.lowerBound] == 0xD9,
           text[range.lowerBound + 1] == 0x8A || text[range.lowerBound + 1] == 0x87 || text[range.lowerBound + 1] == 0x88,
           Self.hasDaggerAlef(text, range.lowerBound, min(range.upperBound, range.lowerBound + 16)),
           let length = QuranicOrthography.vocativeLength(UnsafeBufferPointer(rebasing: text[range])) {
            try emitWord(text, range.lowerBound..<(range.lowerBound + length), &position, &b, body)
            try emitWord(text, (range.lowerBound + length)..<range.upperBound, &position, &b, body)
            return
        }
        try emitWord(text, range, &position, &b, body)
    }

    @inline(__always)
    private func emitWord(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ position: inout Int,
                          _ b: inout Buffers, _ body: (TokenView) throws -> Void) throws {
        b.term.removeAll(keepingCapacity: true)
        // Harakat (Arabic and simple analyzers) are recorded while folding: one byte per letter.
        var aligned = false
        if recordsMarks {
            aligned = ScriptFolding.fold(UnsafeBufferPointer(rebasing: text[range]), into: &b.term, marks: &b.marks)
        } else {
            ScriptFolding.fold(UnsafeBufferPointer(rebasing: text[range]), into: &b.term)
        }
        guard !b.term.isEmpty, b.term.count <= Self.maximumTermLength else { return }
        var silentAlef = false
        defer { if silentAlef { position += 1 } }
        try b.term.withUnsafeBufferPointer { term in
            let isStopWord = stopWords?.contains(term) ?? false
            b.stem.removeAll(keepingCapacity: true)
            // A stop word under a conjunction or preposition (وهذا, لهذه, فعليهم) has the bare
            // word's stem, so `هذا` finds `وهذا`; it is scored as an ordinary word (not
            // flagged: dropping وكان from a free-text query lost more than it gained, see
            // Benchmarks/relevance).
            var stopWordStem = false
            if !isStopWord, kind == .arabic, term.count >= 6, ArabicStemmer.mayBeClitic(term),
               let base = ArabicStemmer.functionWordBase(term), let stopWords, base.withUnsafeBufferPointer({ stopWords.contains($0) }) {
                stopWordStem = true
                b.stem.append(contentsOf: base)
            }
            switch kind {
            case _ where isStopWord:
                b.stem.append(contentsOf: term)
            case _ where stopWordStem:
                break
            case .arabic:
                if term[0] >= 0xD8 && term[0] <= 0xDB {
                    ArabicStemmer.stem(term, into: &b.stem)
                } else {
                    EnglishStemmer.stem(term, into: &b.stem)
                }
            case .english:
                EnglishStemmer.stem(term, into: &b.stem)
            case .simple, .keyword:
                b.stem.append(contentsOf: term)
            }
            if !(aligned && Vocalization.normalize(folded: term, marks: &b.marks)) {
                b.marks.removeAll(keepingCapacity: true)
            }
            try b.stem.withUnsafeBufferPointer { stem in
                try b.marks.withUnsafeBufferPointer { vocalization in
                    try body(TokenView(term: term, stem: stem, position: position, byteRange: range, isStopWord: isStopWord,
                                       vocalization: vocalization))
                }
            }
            silentAlef = recordsMarks && term.count >= 6 && term[term.count - 2] == 0xD8 && term[term.count - 1] == 0xA7
                && QuranicOrthography.endsWithSilentAlefAfterWaw(UnsafeBufferPointer(rebasing: text[range]))
            if !silentAlef { position += 1 }
        }
        if silentAlef {
            // The Uthmani silent alef after a final و (أُو۟لُوا۟, يَدْعُوا۟, مُلَـٰقُوا۟): modern spelling
            // keeps it on a plural verb (آمنوا) and drops it elsewhere (أولو, يدعو, ملاقو), which
            // no rule can tell apart, so the form without it is indexed too, at the same position.
            let alternative = Array(b.term.dropLast(2))
            var alternativeStem: [UInt8] = []
            alternative.withUnsafeBufferPointer { if kind == .arabic { ArabicStemmer.stem($0, into: &alternativeStem) } else { alternativeStem = alternative } }
            let stop = alternative.withUnsafeBufferPointer { stopWords?.contains($0) ?? false }
            let noMarks: [UInt8] = []
            try alternative.withUnsafeBufferPointer { term in
                try alternativeStem.withUnsafeBufferPointer { stem in
                    try noMarks.withUnsafeBufferPointer { marks in
                        try body(TokenView(term: term, stem: stem, position: position, byteRange: range, isStopWord: stop,
                                           vocalization: marks, isAlternative: true))
                    }
                }
            }
        }
    }

    /// Whether bytes [from, to) hold a dagger alef (U+0670, D9 B0): what a joined vocative
    /// has near its start; checked before the full test, since most words start otherwise.
    @inline(__always)
    static func hasDaggerAlef(_ text: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var i = from
        while i + 1 < to {
            if text[i] == 0xD9 && text[i + 1] == 0xB0 { return true }
            i += 1
        }
        return false
    }

    /// Which rule gave a token its stem, in words (`fihris analyze --explain`): a stop
    /// word, an Arabic stemmer rule or lexicon entry, Porter2, or no stemming.
    public func explain(_ token: Token) -> String {
        if token.isStopWord { return "stop word: not stemmed" }
        if let base = token.term.withUnsafeBufferPointer({ ArabicStemmer.functionWordBase($0) }), base == token.stem,
           options.stopWords != .none {
            return "clitic before the stop word \(String(decoding: base, as: UTF8.self)): stem is the bare word"
        }
        let porter = token.stem == token.term ? "Porter2: unchanged" : "Porter2 (Snowball English)"
        switch options.kind {
        case .arabic:
            guard let first = token.term.first, first >= 0xD8 && first <= 0xDB else { return porter }
            return token.term.withUnsafeBufferPointer { ArabicStemmer.explain($0) }
        case .english: return porter
        case .simple, .keyword: return "not stemmed (\(options.kind.rawValue) analyzer)"
        }
    }

    /// The tokens of `text`.
    public func tokens(_ text: String) throws -> [Token] {
        var text = text
        var result: [Token] = []
        try text.withUTF8 { buffer in
            try analyze(utf8: buffer) { result.append($0.materialize()) }
        }
        return result
    }

    /// The normalized terms of `text`, as strings.
    public func terms(_ text: String) throws -> [String] {
        try tokens(text).map(\.termString)
    }

    /// The stems of `text`, as strings.
    public func stems(_ text: String) throws -> [String] {
        try tokens(text).map(\.stemString)
    }
}
