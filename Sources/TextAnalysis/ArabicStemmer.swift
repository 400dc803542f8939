#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A light Arabic stemmer: it removes clitics and inflectional affixes, never infixes, and
/// never reduces a word to its root. Input is a *folded* word (see `ScriptFolding`), so
/// alef forms are ا, ى is ي and ة is ه.
///
/// Rules, applied in this order (letters counted after folding):
///
/// 1. Words of fewer than 4 letters are returned as they are; a small lexicon maps function
///    words with attached pronouns to the bare word (عليه → علي, منهم → من), the forms of
///    the name of God to الله (لله والله بالله), and protects words whose first or last
///    letters only look like affixes (وزير, البانيا, الذين).
/// 2. Proclitics, stacked: a conjunction و or ف (at least 3 letters must follow; the word is
///    read as its own letter when its plain stem is an attested noun — the lexicon of
///    `NounStems.swift`, stems of the words the corpus uses with the article or tanween:
///    فتنة, وقت, والديه → والد; else as a conjunction when the article follows (والسنة →
///    سنه) or unless that leaves a suffix kept only because a 2-letter stem would remain
///    while reading و/ف as a letter strips it: فعلتم → فعل, فضله → فضل, وجدته → وجد, but
///    فقالوا → قال, ومروان → مروان); a bare preposition ب, ك or ل when the stem without it
///    is an attested noun and the stem with it is not (برسالة → رسال, بكتاب → كتاب; كتاب,
///    بيان, بنات stay), and likewise the dual's ي before a pronoun (عينيه → عين) and a verb
///    prefix س/ل that turns out to be a noun's letter (سيفيهما → سيف); then one of
///    ال, بال, كال, لل (ل + ال) with at least 2 letters after it, or the future prefix س
///    before an imperfect verb (س + ي/ت/ن, at least 4 letters after, not a noun ending in
///    ه or ات); or ل before an imperfect verb (ليذكره → يذكر), not before ات.
/// 3. One pronoun suffix: هما كما هم هن كم كن ها نا ني (stem ≥ 3 letters), else ه (also
///    the folded ة; stem ≥ 3; a ي before it goes too when 4 letters stay, the feminine
///    nisba ية: ساهدية → ساهد), else ي or ك (stem ≥ 4: عربي, ملوك and شريك survive).
/// 4. One inflection suffix (stem ≥ 3 unless said): ات (a kept ات stays whole: بنات);
///    after a pronoun, a subject نا or تم (عرفناه) or plural و (يطيعوه); a final ت (the
///    bound ة, مدرستهم → مدرس like مدرسة → مدرس; or the verb's ت: أدركت → أدرك); ون ين وا
///    تم; ان (stem ≥ 4, so names such as عثمان, سفيان, رمضان keep it); and, when no pronoun
///    was removed, the accusative or dual ا (شاعرا → شاعر, قالا → قال; not ربنا).
/// 5. A stem (of 3+ letters) ending in ؤ or ئ ends in ء: the hamza's seat changes before
///    a suffix (نساؤنا, نسائهم, النساء → نساء; شيئا, شيء → شيء).
///
/// Measured on the conflation set in Benchmarks/conflation (see the README).
public enum ArabicStemmer {
    // Folded letters (Unicode scalars).
    static let alef: UInt16 = 0x0627, beh: UInt16 = 0x0628, teh: UInt16 = 0x062A, seen: UInt16 = 0x0633
    static let feh: UInt16 = 0x0641, kaf: UInt16 = 0x0643, lam: UInt16 = 0x0644, meem: UInt16 = 0x0645
    static let noon: UInt16 = 0x0646, heh: UInt16 = 0x0647, waw: UInt16 = 0x0648, yeh: UInt16 = 0x064A
    static let dal: UInt16 = 0x062F

    /// Appends the stem of the folded word `word` to `output`. Words that are not made of
    /// Arabic letters only are appended unchanged.
    public static func stem(_ word: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let start = output.count
        ruleStem(word, into: &output)
        // 6. A broken plural of the table joins its singular (رجال → رجل).
        if output.count - start >= 6, !buildingLexicon, brokenPlurals.count > 0 {
            let singular = output.withUnsafeBufferPointer { brokenPlurals.value(for: UnsafeBufferPointer(rebasing: $0[start...])) }
            if let singular {
                output.removeSubrange(start...)
                output.append(contentsOf: singular)
            }
        }
    }

    /// Rules 1–5 (no broken plurals).
    static func ruleStem(_ word: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        switch stemRange(word) {
        case .slice(let bytes):
            output.append(contentsOf: UnsafeBufferPointer(rebasing: word[bytes]))
            // 5. A hamza seated on و or ي at the end of a stem is the word's final ء with a
            //    suffix after it (نساؤنا, نسائهم → نساء; شيئا → شيء; أبناؤهم → ابناء).
            let n = output.count
            if bytes.count >= 6, n >= 2, !buildingLexicon, output[n - 2] == 0xD8, output[n - 1] == 0xA4 || output[n - 1] == 0xA6 {
                output[n - 1] = 0xA1
            }
        case .replacement(let bytes):
            output.append(contentsOf: bytes)
        }
    }

    /// Broken plurals of frequent nouns → their singular's stem, keyed by the plural's stem
    /// (so clitics and suffixes around it do not matter: والرجال, رجالهم → رجل). Only plurals
    /// that are not also a frequent word of another meaning: كتب (books, or "he wrote"),
    /// أسماء (names, or the name Asma'), بنات and ملائكة are left out.
    static let brokenPlurals: ByteWordTable<[UInt8]> = {
        let pairs: [(plural: String, singular: String)] = [
            ("رجال", "رجل"), ("أصحاب", "صاحب"), ("أيام", "يوم"), ("أموال", "مال"), ("قلوب", "قلب"),
            ("أعمال", "عمل"), ("بيوت", "بيت"), ("أنبياء", "نبي"), ("مساجد", "مسجد"), ("أبواب", "باب"),
            ("ذنوب", "ذنب"), ("رسل", "رسول"), ("علماء", "عالم"), ("أولاد", "ولد"), ("إخوان", "أخ"),
            ("إخوة", "أخ"), ("قبور", "قبر"), ("ثياب", "ثوب"), ("أشياء", "شيء"), ("شهور", "شهر"),
            ("أشهر", "شهر"), ("أمور", "أمر"), ("أحاديث", "حديث"), ("جبال", "جبل"), ("سيوف", "سيف"),
            ("نفوس", "نفس"), ("أنفس", "نفس"), ("عباد", "عبد"), ("أعين", "عين"), ("أيدي", "يد"),
            ("أرجل", "رجل"), ("أقدام", "قدم"), ("وجوه", "وجه"), ("أوقات", "وقت"), ("كفار", "كافر"),
            ("فقراء", "فقير"), ("وزراء", "وزير"), ("أصابع", "إصبع"), ("أزواج", "زوج"), ("أبناء", "ابن"),
            ("آباء", "أب"), ("قرون", "قرن"), ("أسواق", "سوق"), ("دراهم", "درهم"), ("دنانير", "دينار"),
            ("سنين", "سنة"), ("سنوات", "سنة"), ("أرواح", "روح"), ("أبدان", "بدن"), ("أجساد", "جسد"),
        ]
        func stem(_ word: String) -> [UInt8] {
            let folded = Array(ScriptFolding.fold(word).utf8)
            var out: [UInt8] = []
            folded.withUnsafeBufferPointer { ruleStem($0, into: &out) }
            return out
        }
        return ByteWordTable(pairs.map { (String(decoding: stem($0.plural), as: UTF8.self), stem($0.singular)) })
    }()

    /// The stem of a word, folding it first.
    public static func stem(_ word: String) -> String {
        let folded = Array(ScriptFolding.fold(word).utf8)
        var output: [UInt8] = []
        folded.withUnsafeBufferPointer { stem($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    enum Stem {
        /// Bytes [lower, upper) of the word.
        case slice(Range<Int>)
        case replacement([UInt8])
    }

    /// True when every byte pair of `word` is an Arabic letter of U+0600–U+06FF.
    @inline(__always)
    static func isArabicWord(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count >= 2, word.count & 1 == 0 else { return false }
        var i = 0
        while i < word.count {
            let b0 = word[i]
            guard b0 >= 0xD8 && b0 <= 0xDB else { return false }
            let scalar = (UInt16(b0 & 0x1F) << 6) | UInt16(word[i + 1] & 0x3F)
            // Letters: ء–ي (0621–064A) and the extended letters 0671–06D3; not digits/marks.
            guard (scalar >= 0x0621 && scalar <= 0x064A) || (scalar >= 0x0671 && scalar <= 0x06D3) else { return false }
            i += 2
        }
        return true
    }

    static func stemRange(_ word: UnsafeBufferPointer<UInt8>) -> Stem {
        switch decide(word) {
        case .notArabic, .short: return .slice(0..<word.count)
        case .lexicon(let entry): return entry.isEmpty ? .slice(0..<word.count) : .replacement(entry)
        case .functionWord(let entry): return .replacement(entry.stem)
        case .stripped(let analysis, _): return .slice(analysis.range.lowerBound * 2..<analysis.range.upperBound * 2)
        }
    }

    /// How a word's stem was reached (`fihris analyze --explain`).
    enum Decision {
        case notArabic
        case lexicon([UInt8])
        /// Clitics before a function word (وهذا, لهذه, فله, بذلك).
        case functionWord(FunctionWord)
        case short
        /// Affixes stripped, and how a leading و/ف was read.
        case stripped(Analysis, conjunction: Conjunction)
    }

    enum Conjunction {
        /// The word does not start with a candidate و/ف.
        case none
        /// Read as a conjunction.
        case conjunction
        /// Read as the word's own letter: the plain stem is an attested noun.
        case ownLetterNoun
        /// Read as the word's own letter: as a conjunction it would leave a 2-letter stem.
        case ownLetterShort
    }

    static func decide(_ word: UnsafeBufferPointer<UInt8>) -> Decision {
        guard isArabicWord(word) else { return .notArabic }
        if let entry = lexicon.value(for: word) { return .lexicon(entry) }
        if mayBeClitic(word), let entry = cliticFunctionWords.value(for: word) {
            return .functionWord(entry)
        }
        return decideByRules(word)
    }

    /// Whether the folded Arabic word begins with و ف ب ل or ك.
    @inline(__always)
    static func mayBeClitic(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let letter = Letters(word)[0]
        return letter == waw || letter == feh || letter == beh || letter == lam || letter == kaf
    }

    /// Rules 1–5 on an Arabic word that no table holds.
    static func decideByRules(_ word: UnsafeBufferPointer<UInt8>) -> Decision {
        let n = word.count / 2
        guard n >= 4 else { return .short }
        let letters = Letters(word)
        // A leading و or ف is a conjunction or the word's first letter. Both readings are
        // stemmed; the one that removes more letters wins, and a tie keeps the letter
        // (فعلتم → فعل, فضله → فضل, but فقالوا → قال, وقال → قال).
        let unrepaired = stripAffixes(letters, start: 0, n: n)
        let plain = lexiconRepair(word, unrepaired)
        let first = letters[0]
        if (first == waw || first == feh) && n - 1 >= 3 {
            // The word's own letter when its plain stem, as the rules leave it, is an
            // attested noun (فتنة → فتن, وقت, والديه → والد: the corpus says الفتنة, الوقت,
            // الوالد).
            if isNoun(word, unrepaired.range) { return .stripped(unrepaired, conjunction: .ownLetterNoun) }
            // Else a conjunction when the rest begins with the article (والسنة → سنه: the ة
            // is no pronoun to keep), or unless that reading leaves a would-be suffix that
            // only failed because fewer than 3 letters would remain (a 2-letter "root"),
            // while reading و/ف as the first letter strips it: فعلتم → فعل, فضله → فضل,
            // وجدته → وجد; but ومروان → مروان, وقال → قال.
            let conjunction = lexiconRepair(word, stripAffixes(letters, start: 1, n: n))
            if conjunction.strippedArticle || !(conjunction.blockedShort && plain.strippedSuffix) {
                return .stripped(conjunction, conjunction: .conjunction)
            }
            return .stripped(plain, conjunction: .ownLetterShort)
        }
        return .stripped(plain, conjunction: .none)
    }

    /// Stems of attested nouns (`NounStems.swift`, made by scripts/build_lexicon.py from
    /// the words the corpus uses with the article); empty when the environment says
    /// FIHRIS_STEMMER_LEXICON=off, which is how that script computes them.
    static let nounStems: ByteWordTable<Bool> = {
        if buildingLexicon { return ByteWordTable([]) }
        return ByteWordTable(nounStemList.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { (String($0), true) })
    }()

    /// FIHRIS_STEMMER_LEXICON=off: scripts/build_lexicon.py is computing the lexicon, which
    /// holds stems as letter ranges of the word (what `isNoun` looks up): no noun lexicon, no
    /// hamza-seat rewrite (rule 5), no broken plurals.
    static let buildingLexicon: Bool = {
        if let setting = getenv("FIHRIS_STEMMER_LEXICON"), String(cString: setting) == "off" { return true }
        return false
    }()

    /// Whether letters `range` of the word are an attested noun stem.
    @inline(__always)
    static func isNoun(_ word: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        nounStems.contains(UnsafeBufferPointer(rebasing: word[(range.lowerBound * 2)..<(range.upperBound * 2)]))
    }

    /// What the noun lexicon corrects in a rule-made stem: a verb prefix س/ل that turns out
    /// to be a noun's letter is put back (سيفيهما → سيف, not س + يفي), then `repair`.
    @inline(__always)
    static func lexiconRepair(_ word: UnsafeBufferPointer<UInt8>, _ analysis: Analysis) -> Analysis {
        if analysis.strippedVerbPrefix {
            // A "future س" or "ل" that belongs to a noun: سيفيهما is سيف, not س + يفي.
            var whole = analysis
            whole.range = (analysis.range.lowerBound - 1)..<analysis.range.upperBound
            whole.strippedVerbPrefix = false
            let repaired = repair(word, whole)
            if repaired.range != whole.range || isNoun(word, whole.range) { return repaired }
            return analysis
        }
        return repair(word, analysis)
    }

    /// Lexicon repairs of a stem of 4+ letters that is not an attested noun: the first of
    /// these reductions that lands on one (of 3+ letters) is taken — a bare preposition
    /// ب/ك/ل in front (برسالة → رسال like رسالة; بكتاب → كتاب), a ي right before a removed
    /// pronoun (the dual's: عينيه → عين; before a pronoun an alif maqsura is written ا, so
    /// this ي is no ى of the word), or both. An attested noun stays as it is
    /// (كتاب, بيان, لسان, عربي), and so does what no reduction makes one.
    /// (A dual ان is not dropped: too many names end in it, سلمان, شعبان.)
    @inline(__always)
    static func repair(_ word: UnsafeBufferPointer<UInt8>, _ analysis: Analysis) -> Analysis {
        let r = analysis.range
        guard r.count >= 4 else { return analysis }
        let letters = Letters(word)
        let first = letters[r.lowerBound], last = letters[r.upperBound - 1]
        let front = first == beh || first == kaf || first == lam
        let finalYeh = last == yeh && analysis.pronounLength > 0 && analysis.inflectionLength == 0
        // A final ي or ك after 3 letters is the pronoun (my, your) when the 3 letters are an
        // attested noun and the 4 are not: نفسي → نفس, قولك → قول; عربي, ملوك, شريك, أدرك stay.
        // Else a 4-letter imperfect verb in ي (ي ت ن ا + 3) loses it, as the jussive and the
        // imperative do (يعطي → يعط like لم يعط; يصليها → يصل).
        if r.count == 4, analysis.blockedFinal || last == yeh, nounStems.count > 0, !isNoun(word, r) {
            var reduced = analysis
            reduced.range = r.lowerBound..<(r.upperBound - 1)
            // (Not a ك after an initial ا: the ك of a verb of form IV, أدرك, أمسك, is its own.)
            if analysis.blockedFinal && !(last == kaf && first == alef) && isNoun(word, reduced.range) {
                reduced.pronounLength += 1
                return reduced
            }
            let imperfect = first == yeh || first == teh || first == noon || first == alef
            if last == yeh && imperfect && analysis.inflectionLength == 0 && !analysis.strippedArticle {
                reduced.weakVerbFinal = true
                return reduced
            }
        }
        guard front || finalYeh, nounStems.count > 0, !isNoun(word, r) else { return analysis }
        // The reductions, in order: front; ي; both (no allocation).
        for k in 0..<3 {
            let (dropFront, dropBack): (Int, Int)
            switch k {
            case 0 where front: (dropFront, dropBack) = (1, 0)
            case 1 where finalYeh: (dropFront, dropBack) = (0, 1)
            case 2 where front && finalYeh: (dropFront, dropBack) = (1, 1)
            default: continue
            }
            let range = (r.lowerBound + dropFront)..<(r.upperBound - dropBack)
            guard range.count >= 3, isNoun(word, range) else { continue }
            var repaired = analysis
            repaired.range = range
            repaired.bareClitic = dropFront == 1
            repaired.lexiconSuffixLength = dropBack
            return repaired
        }
        return analysis
    }

    /// Which rule or lexicon entry gave a folded word its stem, in words.
    public static func explain(_ word: UnsafeBufferPointer<UInt8>) -> String {
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: word[(range.lowerBound * 2)..<(range.upperBound * 2)]), as: UTF8.self) }
        switch decide(word) {
        case .notArabic: return "not Arabic letters only: kept"
        case .lexicon(let entry): return entry.isEmpty ? "lexicon: kept whole" : "lexicon: → \(String(decoding: entry, as: UTF8.self))"
        case .functionWord(let entry):
            let base = String(decoding: entry.base, as: UTF8.self)
            let clitics = text(0..<entry.cliticLetters)
            return "removed clitic \(clitics) before the function word \(base)"
        case .short: return "fewer than 4 letters: kept"
        case .stripped(let a, let conjunction):
            let n = word.count / 2
            var parts: [String] = []
            if conjunction == .conjunction { parts.append("conjunction \(text(0..<1))") }
            let prefixStart = conjunction == .conjunction ? 1 : 0
            let articleEnd = a.bareClitic ? a.range.lowerBound - 1 : a.range.lowerBound
            if articleEnd > prefixStart { parts.append("prefix \(text(prefixStart..<articleEnd))") }
            if a.bareClitic { parts.append("preposition \(text(articleEnd..<a.range.lowerBound)) (\(text(a.range)) is an attested noun)") }
            let ruleEnd = a.range.upperBound + a.lexiconSuffixLength + (a.weakVerbFinal ? 1 : 0)
            if a.weakVerbFinal { parts.append("final ي of a weak imperfect verb (يعطي like لم يعط)") }
            if a.lexiconSuffixLength > 0 { parts.append("final \(text(a.range.upperBound..<ruleEnd)) (\(text(a.range)) is an attested noun)") }
            let inflectionEnd = ruleEnd + a.inflectionLength
            if a.inflectionLength > 0 { parts.append("inflection \(text(ruleEnd..<inflectionEnd))") }
            if inflectionEnd < n { parts.append("suffix \(text(inflectionEnd..<n))") }
            var line = parts.isEmpty ? "no affix removed" : "removed " + parts.joined(separator: ", ")
            if conjunction == .ownLetterShort { line += " (initial \(text(0..<1)) read as the word's own letter: as a conjunction it would leave 2 letters)" }
            if conjunction == .ownLetterNoun { line += " (initial \(text(0..<1)) read as the word's own letter: \(text(a.range)) is an attested noun)" }
            return line
        }
    }

    /// Letter access on a folded Arabic word (every letter is two UTF-8 bytes).
    struct Letters {
        let word: UnsafeBufferPointer<UInt8>
        init(_ word: UnsafeBufferPointer<UInt8>) { self.word = word }
        @inline(__always) subscript(_ i: Int) -> UInt16 {
            (UInt16(word[2 * i] & 0x1F) << 6) | UInt16(word[2 * i + 1] & 0x3F)
        }
    }

    struct Analysis {
        var range: Range<Int>
        /// Letters of the inflection suffix removed (they precede the pronoun's).
        var inflectionLength = 0
        /// An article (ال بال كال لل) was removed.
        var strippedArticle = false
        /// A verb prefix (future س, or ل) was removed before an imperfect.
        var strippedVerbPrefix = false
        /// A bare preposition ب/ك/ل was removed (by the noun lexicon).
        var bareClitic = false
        /// Letters removed at the end by the noun lexicon (a ي before a pronoun).
        var lexiconSuffixLength = 0
        /// Letters of the pronoun suffix removed.
        var pronounLength = 0
        /// A suffix was removed.
        var strippedSuffix: Bool
        /// A suffix matched but was kept because fewer than 3 letters would have remained.
        var blockedShort: Bool
        /// A final ي or ك was kept because only 3 letters would have remained (the lexicon
        /// may still take it: نفسي → نفس).
        var blockedFinal = false
        /// The final ي of a weak imperfect verb was removed (يعطي → يعط).
        var weakVerbFinal = false
    }

    /// Rules 2–4 on letters [start, n).
    @inline(__always)
    static func stripAffixes(_ letters: Letters, start: Int, n: Int) -> Analysis {
        var word = Stripper(letter: letters, s: start, e: n)
        return word.run()
    }

    /// The state of one affix-stripping pass (a struct, so nothing is heap-allocated).
    struct Stripper {
        let letter: Letters
        var s: Int
        var e: Int
        var blockedShort = false
        var blockedFinal = false

        @inline(__always) func ends(_ a: UInt16) -> Bool { e - s >= 1 && letter[e - 1] == a }
        @inline(__always) func ends(_ a: UInt16, _ b: UInt16) -> Bool {
            e - s >= 2 && letter[e - 2] == a && letter[e - 1] == b
        }
        @inline(__always) func ends(_ a: UInt16, _ b: UInt16, _ c: UInt16) -> Bool {
            e - s >= 3 && letter[e - 3] == a && letter[e - 2] == b && letter[e - 1] == c
        }
        /// Strips `count` letters when at least `minimum` remain; notes a short block.
        @inline(__always) mutating func strip(_ count: Int, minimum: Int = 3) -> Bool {
            if e - s - count >= minimum { e -= count; return true }
            if minimum == 3 { blockedShort = true }
            return false
        }

        @inline(__always) mutating func run() -> Analysis {
            var article = false
            var verbPrefix = false
            // 2. Article, preposition + article, or a verb prefix (future س, or ل before an
            //    imperfect verb: ليذكر, لنأخذ), the latter not on nouns ending in ه or ات.
            if e - s >= 4 {
                let a = letter[s], b = letter[s + 1], c = letter[s + 2]
                // Imperfect prefixes ي ت ن, and ا (أ) after ل only: after س it is far more often
            // the verb سأل (سألتها) than the future سأفعل.
            let imperfect = b == yeh || b == teh || b == noon || (b == alef && a == lam)
                if (a == beh || a == kaf) && b == alef && c == lam && e - (s + 3) >= 2 {
                    s += 3
                    article = true
                } else if a == lam && b == lam && e - (s + 2) >= 2 {
                    s += 2
                    article = true
                } else if a == alef && b == lam && e - (s + 2) >= 2 {
                    s += 2
                    article = true
                } else if (a == seen || a == lam) && imperfect && e - (s + 1) >= 4 && !ends(alef, teh)
                            && !(a == seen && (ends(heh) || (b == yeh && c == dal))) {
                    s += 1
                    verbPrefix = true
                }
            }

            // 3. One pronoun suffix.
            var pronoun = false
            let beforePronoun = e
            if ends(heh, meem, alef) || ends(kaf, meem, alef) {
                pronoun = strip(3)
            } else if ends(heh, meem) || ends(heh, noon) || ends(kaf, meem) || ends(kaf, noon)
                        || ends(heh, alef) || ends(noon, alef) || ends(noon, yeh) {
                pronoun = strip(2)
            } else if ends(heh) {
                pronoun = strip(1)
                // The feminine nisba ية (folded يه) ends like ي + ه: the ي goes too where the
                // masculine's would (stem ≥ 4): ساهدية → ساهد like ساهدي; العربية → عربي.
                if pronoun && ends(yeh) { _ = strip(1, minimum: 4) }
            } else if ends(yeh) || ends(kaf) {
                pronoun = strip(1, minimum: 4)
                // ي/ك after 3 letters: the lexicon decides (نفسي → نفس, but عربي stays).
                if !pronoun && e - s == 4 { blockedFinal = true }
            }

            // 4. One inflection suffix.
            let pronounLength = beforePronoun - e
            var inflection = false
            let beforeInflection = e
            let pluralAt = ends(alef, teh)
            if pluralAt {
                inflection = strip(2)
            }
            // A kept ات stays whole (بنات, صفات) unless a pronoun followed it (صلاته → صلا).
            if !inflection && (!pluralAt || pronoun) {
                if pronoun && (ends(noon, alef) || ends(teh, meem)) {
                    inflection = strip(2)              // subject before object: عرفناه, فعلتموه
                } else if pronoun && ends(waw) {
                    inflection = strip(1)              // plural و before a pronoun: يطيعوه
                } else if ends(teh) {
                    inflection = strip(1)              // bound ة (مدرستهم) or verb ت (أدركت, قالت)
                } else if ends(waw, noon) || ends(yeh, noon) || ends(waw, alef) || ends(teh, meem) {
                    inflection = strip(2)
                } else if ends(alef, noon) {
                    inflection = strip(2, minimum: 4)
                } else if !pronoun && ends(alef) && !ends(noon, alef) && !ends(heh, alef)
                            && !ends(heh, meem, alef) && !ends(kaf, meem, alef) {
                    inflection = strip(1)              // accusative or dual ا: شاعرا, قالا (not ربنا)
                }
            }
            return Analysis(range: s..<e, inflectionLength: beforeInflection - e, strippedArticle: article,
                            strippedVerbPrefix: verbPrefix, pronounLength: pronounLength,
                            strippedSuffix: pronoun || inflection, blockedShort: blockedShort,
                            blockedFinal: blockedFinal)
        }
    }

    /// Whole words handled by table: value = the stem's bytes, or empty to keep the word.
    static let lexicon: ByteWordTable<[UInt8]> = {
        var pairs: [(String, [UInt8])] = []
        func map(_ words: [String], to stem: String) {
            for word in words { pairs.append((ScriptFolding.fold(word), Array(ScriptFolding.fold(stem).utf8))) }
        }
        func keep(_ words: [String]) {
            for word in words { pairs.append((ScriptFolding.fold(word), [])) }
        }
        map(["الله", "لله", "والله", "بالله", "فالله", "تالله", "ولله", "فلله", "وبالله", "فبالله"], to: "الله")
        keep(["اللهم"])
        // Prepositions and particles with attached pronouns → the bare word.
        for (forms, base) in pronounForms {
            map(forms, to: base)
        }
        map(["إلى", "وإلى", "فإلى"], to: "إلي")
        map(["منا", "مني", "عنا", "عني", "إني", "أني", "إنا", "أنا"], to: "")
        // Relative pronouns, demonstratives and adverbs that begin with ال or end like a suffix.
        keep(keptFunctionWords)
        // Names and loanwords whose first or last letters only look like affixes.
        keep(["ألبانيا", "ألمانيا", "إسبانيا", "إيطاليا", "بريطانيا", "أمريكا", "فلسطين", "فرنسا", "الجزائر",
              "باكستان", "أفغانستان", "طهران", "عمان", "لبنان", "اليمن", "اليونان", "هارون", "قارون", "فرعون",
              "سليمان", "ياسين", "إبليس", "مسكين", "مساكين", "بطاطس", "تلفون", "تلفزيون", "قانون"])
        // Frequent words whose initial و or ف is part of the word, not a conjunction.
        keep(["وزير", "وزراء", "وزارة", "وجه", "وجوه", "وقت", "أوقات", "ولد", "أولاد", "وطن", "وسط",
              "وضوء", "واحد", "واحدة", "وادي", "وراء", "ورق", "ورقة", "وعد", "وفاة", "وصية", "وصل", "وقف",
              "فتنة", "فتن", "فضل", "فضائل", "فرض", "فرائض", "فقه", "فقيه", "فقير", "فقراء", "فرس", "فجر",
              "فطر", "فرح", "فكر", "فوق", "فتح", "فراش", "فعل", "فاطمة", "فلان", "فلانة", "فضة", "فئة", "فريضة",
              "والي", "والية",
              "ليالي", "ليلة", "ليلا"])
        // The family of والد (parent), whose و is its own letter.
        map(["والد", "والدة", "والدي", "والده", "والدين", "والدان", "والداه", "والديه", "والداي", "والدتي", "والدته"], to: "والد")
        return ByteWordTable(pairs)
    }()

    /// Particles and prepositions with their attached-pronoun forms (عليه, منهم, فيها).
    static let pronounForms: [(forms: [String], base: String)] = {
        let pronouns = ["ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ي"]
        return ["إلي", "علي", "في", "من", "عن", "مع", "عند", "بين", "لدي", "حتي", "مثل", "لكن", "إن", "أن", "كأن", "ليت", "لعل"]
            .map { base in (pronouns.map { base + $0 }, base) }
    }()

    /// Relative pronouns, demonstratives and adverbs kept whole.
    static let keptFunctionWords = [
        "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللاتي", "اللائي", "اللواتي",
        "الآن", "إلا", "ألا", "أولئك", "هؤلاء", "هناك", "هنالك", "ذلك", "تلك", "كذلك", "لذلك", "لكن",
        "حين", "حينئذ", "يومئذ", "عندئذ", "كيف", "ليس", "ليست", "لستم"]

    /// A function word with clitics in front (وهذا, لهذه, فله, بذلك, وعليه, للذي): `base` is
    /// the function word as written without them (folded), `stem` its stem.
    struct FunctionWord: Sendable {
        var base: [UInt8]
        var stem: [UInt8]
        var cliticLetters: Int
    }

    /// The proclitics that stack before a function word: a conjunction, a preposition, or both.
    static let functionWordClitics = ["و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك"]

    /// Every function word of 2+ letters (the default stop words, the pronoun forms of
    /// particles, the kept demonstratives and relatives) with each stack of
    /// `functionWordClitics` in front → the function word's stem. A combination that is
    /// itself a function word (كما, لكن, لقد), a lexicon entry (والله) or an attested noun
    /// of the corpus (لهو, فهم: the noun lexicon) is left to those.
    static let cliticFunctionWords: ByteWordTable<FunctionWord> = {
        var bases: [String] = []
        var seen = Set<String>()
        for word in StopWords.arabicWords + pronounForms.flatMap({ $0.forms + [$0.base] }) + keptFunctionWords {
            let folded = ScriptFolding.fold(word)
            if folded.unicodeScalars.count >= 2, seen.insert(folded).inserted { bases.append(folded) }
        }
        var pairs: [(String, FunctionWord)] = []
        for base in bases {
            let baseBytes = Array(base.utf8)
            let stem: [UInt8] = baseBytes.withUnsafeBufferPointer { word in
                if let entry = lexicon.value(for: word) { return entry.isEmpty ? baseBytes : entry }
                guard case .stripped(let analysis, _) = decideByRules(word) else { return baseBytes }
                return Array(word[(analysis.range.lowerBound * 2)..<(analysis.range.upperBound * 2)])
            }
            for clitic in functionWordClitics {
                // ل before the article contracts: ل + الذي → للذي.
                let combined = clitic.hasSuffix("ل") && base.hasPrefix("ال") ? clitic + base.dropFirst() : clitic + base
                let bytes = Array(combined.utf8)
                let taken = bytes.withUnsafeBufferPointer { seen.contains(combined) || lexicon.contains($0) || nounStems.contains($0) }
                if taken { continue }
                pairs.append((combined, FunctionWord(base: baseBytes, stem: stem, cliticLetters: clitic.unicodeScalars.count)))
            }
        }
        return ByteWordTable(pairs)
    }()

    /// The function word under clitics in front of it, when `word` (folded) is one (وهذا →
    /// هذا, للذي → الذي), so the analyzer can treat it as the stop word it is.
    public static func functionWordBase(_ word: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        cliticFunctionWords.value(for: word)?.base
    }
}
