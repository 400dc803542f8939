#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The root of an Arabic word (كتاب، كاتب، مكتوب، كتبوا، مكتبة → كتب), for root search.
///
/// Every reading of the word is weighed and the cheapest one wins; a root must be in the
/// list of valid roots (`RootList.swift`, 7,626 roots, CC BY 4.0, scripts/build_roots.py):
///
/// 1. The word as written, not its light stem: the folded letters (`Token.term`) with the
///    hamzas its surface writes (أ إ آ fold to ا, but a written hamza is a radical or the
///    prefix of أفعل / of the imperfect, never a long vowel), the shaddas its harakat carry
///    (حَقَّة is حقق, not حوق) and a written ى (a weak last radical, never the suffix ي).
/// 2. Every split into proclitics (أ of a question, و / ف, ب ك ل س, ال, an imperfect prefix),
///    a core, and suffixes (an inflection — ات ون وا ت تم نا … — then a pronoun — ه ها هم ك
///    ني …) is tried; each affix has a cost (`Cost`).
/// 3. A core that is a lemma of the lexicon (`RootLexicon.swift`: 27,044 MSA lemma and verb
///    stem forms with their roots, CAMeL Lab's camel_morph, MIT; scripts/build_root_lexicon.py)
///    gives its roots at the cost of the affixes alone.
/// 4. Otherwise the core is matched against the derivation patterns of its length
///    (`templates`: مفعول, افتعال, استفعل …), each radical spelled as it is or with a weak or
///    hamza letter restored (قال → قول, دعا → دعو, دائم → دوم); two letters are a hollow,
///    doubled, assimilated or defective root (قل → قول, مد → مدد, دع → ودع); a doubled root may
///    write its last two radicals once (استمرّ → مرر); four letters may be a quadriliteral
///    root (ترجم, زلزل). These readings cost more than a lemma's (`Cost.unlisted`).
/// 5. The cheapest reading wins, its cost lowered by the root's productivity (how many
///    lemmas of the lexicon it has), so that a common root beats a rare one at equal cost.
///
/// A word no reading explains has no root (it is not indexed under one), rather than a
/// guessed one. A root's letters are folded: hamza ا (as in the list), ة ه, ى ي. Measured
/// with Benchmarks/roots/evaluate.py (a development table and a held-out one).
public enum RootExtractor {
    static let alef: UInt16 = 0x0627, waw: UInt16 = 0x0648, yeh: UInt16 = 0x064A, heh: UInt16 = 0x0647
    static let hamza: UInt16 = 0x0621, wawHamza: UInt16 = 0x0624, yehHamza: UInt16 = 0x0626
    static let taMarbuta: UInt16 = 0x0629, teh: UInt16 = 0x062A, noon: UInt16 = 0x0646, meem: UInt16 = 0x0645, lam: UInt16 = 0x0644
    static let seen: UInt16 = 0x0633, beh: UInt16 = 0x0628, kaf: UInt16 = 0x0643, feh: UInt16 = 0x0641

    /// A letter of the word: its folded code, whether a hamza is written on it, whether it
    /// carries a shadda.
    struct Letter: Equatable {
        var code: UInt16
        var hamza = false
        var shadda = false
        /// Written ى: a weak last radical or a feminine ending, never a suffix ي.
        var maqsura = false
        /// Carries harakat (so a missing shadda means none).
        var marked = false
        /// Written ة (a feminine ending, never the pronoun ه) or, before a pronoun, the ت that
        /// stands for one (صلاتك, عزته).
        var taMarbuta = false
        /// Written ه where the surface tells ه from ة (a pronoun or a radical, rarely a
        /// feminine ending).
        var plainHeh = false
    }

    /// A root's letters packed 6 bits each (code − 0x0620), with the count in the top bits.
    typealias Key = UInt32

    @inline(__always) static func key(_ a: UInt16, _ b: UInt16, _ c: UInt16) -> Key {
        (3 << 24) | (Key(fold(a) &- 0x0620) << 12) | (Key(fold(b) &- 0x0620) << 6) | Key(fold(c) &- 0x0620)
    }

    @inline(__always) static func key4(_ l: [UInt16]) -> Key {
        (4 << 24) | (Key(fold(l[0]) &- 0x0620) << 18) | (Key(fold(l[1]) &- 0x0620) << 12)
            | (Key(fold(l[2]) &- 0x0620) << 6) | Key(fold(l[3]) &- 0x0620)
    }

    /// Hamza letters as the list spells them (ا).
    @inline(__always) static func fold(_ c: UInt16) -> UInt16 {
        c == hamza || c == wawHamza || c == yehHamza ? alef : c
    }

    static func letters(of key: Key) -> [UInt16] {
        let count = Int(key >> 24)
        return (0..<count).reversed().map { UInt16((key >> (6 * UInt32($0))) & 0x3F) + 0x0620 }
    }

    /// Appends a root's letters to `output` as UTF-8.
    static func append(_ key: Key, to output: inout [UInt8]) {
        for letter in letters(of: key) { ScriptFolding.appendArabic(UInt32(letter), &output) }
    }

    static func parseKey<C: Collection>(_ codes: C) -> Key? where C.Element == UInt16, C.Index == Int {
        switch codes.count {
        case 3: return key(codes[codes.startIndex], codes[codes.startIndex + 1], codes[codes.startIndex + 2])
        case 4: return key4(Array(codes))
        default: return nil
        }
    }

    /// The words of each line of `text` (separated by spaces), each as its letters' codes
    /// (two-byte UTF-8 letters; an ASCII byte is its own code), read byte by byte: the data
    /// tables are tens of thousands of lines, and String's grapheme-aware splitting made the
    /// first root query of a process wait 70 ms for them.
    static func forEachLine(_ text: String, _ body: (_ words: [[UInt16]]) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var words: [[UInt16]] = [], word: [UInt16] = []
            var i = 0
            while i <= bytes.count {
                let byte: UInt8 = i < bytes.count ? bytes[i] : 0x0A
                if byte == 0x0A || byte == 0x20 {
                    if !word.isEmpty { words.append(word); word.removeAll(keepingCapacity: true) }
                    if byte == 0x0A, !words.isEmpty { body(words); words.removeAll(keepingCapacity: true) }
                    i += 1
                } else if byte >= 0xC0, byte < 0xE0, i + 1 < bytes.count {
                    word.append(UInt16(byte & 0x1F) << 6 | UInt16(bytes[i + 1] & 0x3F))
                    i += 2
                } else {
                    word.append(UInt16(byte))
                    i += 1
                }
            }
        }
    }

    /// Valid roots (folded).
    static let roots: Set<Key> = {
        var roots = Set<Key>()
        forEachLine(rootList) { words in for word in words { if let k = parseKey(word) { roots.insert(k) } } }
        return roots
    }()

    /// A lemma form of the lexicon: its roots, and whether it is a verb's form, a nominal's, or both.
    struct Entry {
        var roots: [Key]
        var verb: Bool, nominal: Bool

        /// Whether the form can take a suffix of this affinity.
        @inline(__always) func takes(_ suffix: Affinity) -> Bool {
            suffix == .verb ? verb : suffix == .nominal ? nominal : true
        }
    }

    /// What a suffix says of the word it ends: ت تم وا ن end verbs, ة ات يه end nominals, ه ها
    /// كم ون ين ان ا either.
    enum Affinity { case either, verb, nominal }

    /// Lemmas (folded, packed by `lemmaKey`) and their roots (`RootLexicon.swift`).
    static let lexicon: [UInt64: Entry] = table(rootLexicon)

    /// Imperfective verb stems (the letters after an imperfect prefix: ستطع of يستطع, كن of
    /// تكن) and their roots, read only after such a prefix (`RootLexicon.swift`).
    static let imperfectLexicon: [UInt64: Entry] = table(imperfectStems, verb: true)

    /// Lines "form[:pos] root [root ...]" (pos v, n or vn; without one, `verb`).
    static func table(_ text: String, verb: Bool = false) -> [UInt64: Entry] {
        var table: [UInt64: Entry] = [:]
        let colon = UInt16(UInt8(ascii: ":")), v = UInt16(UInt8(ascii: "v")), n = UInt16(UInt8(ascii: "n"))
        forEachLine(text) { words in
            guard words.count >= 2 else { return }
            let head = words[0]
            let end = head.firstIndex(of: colon) ?? head.count
            guard let lemma = lemmaKey(head[..<end]) else { return }
            let pos = end < head.count ? head[(end + 1)...] : verb ? [v] : [v, n]
            table[lemma] = Entry(roots: words.dropFirst().compactMap { parseKey($0) }, verb: pos.contains(v), nominal: pos.contains(n))
        }
        return table
    }

    /// How many lemmas of the lexicon each root has (its productivity), as a cost bonus:
    /// `productivityWeight` × ln(1 + lemmas).
    static let productivity: [Key: Float] = {
        var counts: [Key: Int] = [:]
        for entry in lexicon.values { for k in entry.roots { counts[k, default: 0] += 1 } }
        return counts.mapValues { productivityWeight * logf(1 + Float($0)) }
    }()
    static let productivityWeight: Float = 0.2

    /// Up to 10 letters packed 6 bits each, with the count in the top 4 bits (a lemma's
    /// hamzas are all ء, as `lemmaCode` reads a word's).
    @inline(__always) static func lemmaKey<C: Collection>(_ letters: C) -> UInt64? where C.Element == UInt16 {
        guard letters.count <= 10 else { return nil }
        var key: UInt64 = 0
        for letter in letters { key = key << 6 | UInt64(letter &- 0x0620) }
        return UInt64(letters.count) << 60 | key
    }

    /// A word's letter as the lexicon spells lemmas: any written hamza ء, a written ة ة.
    @inline(__always) static func lemmaCode(_ l: Letter) -> UInt16 { l.hamza ? hamza : l.taMarbuta ? taMarbuta : l.code }

    /// The roots `table` lists for `core` (its letters as `lemmaCode` spells them); a last ه
    /// the surface does not tell from ة (a typed word, a text without ة) is looked up both ways.
    static func listed<C: Collection>(_ table: [UInt64: Entry], _ core: C) -> Entry? where C.Element == Letter {
        guard let key = lemmaKey(core.lazy.map(lemmaCode)) else { return nil }
        if let found = table[key] { return found }
        guard let last = core.reversed().first, last.code == heh, !last.plainHeh, !last.taMarbuta else { return nil }
        return table[key &+ UInt64(taMarbuta &- heh)]   // the last letter is the low 6 bits
    }

    /// Derivation patterns by length: `F` `A` `L` are the radicals (ف ع ل); other letters must
    /// be there as written (folded). Their order breaks ties.
    static let templates: [Int: [[UInt16]]] = {
        let rows: [String] = [
            // 4 letters
            "اFAL", "FاAL", "FAاL", "يFAL", "تFAL", "نFAL", "FAوL", "FAيL", "مFAL", "FALه", "FALي", "FALا", "FAAL",
            // 5 letters
            "مFAوL", "مFAاL", "مFAيL", "اFتAL", "انFAL", "تFAيL", "تFاAL", "مFاAL", "FواAL", "FAائL", "FاAوL",
            "اFAاL", "FALان", "مFALه", "تFALه", "اFALه", "مFتAL", "يFتAL", "تFتAL", "نFتAL", "FAاLه", "FAوLه",
            "FاALه", "FAيLه", "يFاAL", "مFAAL", "تFAAL", "FAاLي", "FAALه", "مFALي", "يFAوL", "تFAوL", "FويAL",
            // 6 letters
            "استFAL", "مستFAL", "اFتAاL", "انFAاL", "تFاAيL", "مFاAيL", "متFاAL", "مFتALه", "تFAيLه", "مFAوLه",
            "مFاALه", "يستFAL", "تستFAL", "نستFAL", "متFAAL", "اFتAاله", "يتFاAL", "تتFاAL", "FAاLيه", "FواAيL",
            // 7 letters
            "استFAاL", "مستFALه", "مستFAيL", "اFتAاLه", "انFAاLه",
        ]
        var table: [Int: [[UInt16]]] = [:]
        for row in rows {
            let letters = row.unicodeScalars.map { scalar -> UInt16 in
                switch scalar { case "F": 1; case "A": 2; case "L": 3; default: UInt16(scalar.value) }
            }
            table[letters.count, default: []].append(letters)
        }
        return table
    }()

    /// Whether a template can follow an imperfect prefix: a verb's stem (قاتل, تعلّم, نفعل),
    /// whose letters besides the radicals are ا ت ن س, not a noun's (فعول, مفعل, فعيلة).
    /// Whether a template can be a verb's (its letters besides the radicals are ا ت ن س:
    /// أفعل, تفاعل, استفعل), so that it takes a verb's suffix (ت تم وا).
    static let verbForms: [Int: [Bool]] = templates.mapValues { rows in
        rows.map { row in row.allSatisfy { $0 <= 3 || $0 == alef || $0 == teh || $0 == noon || $0 == seen } }
    }

    static let verbal: [Int: [Bool]] = templates.mapValues { rows in
        rows.map { row in row.first != alef && row.allSatisfy { $0 <= 3 || $0 == alef || $0 == teh || $0 == noon || $0 == seen } }
    }

    // MARK: Entry points

    /// Appends the root of a word to `output`: `term` its folded form (`Token.term`),
    /// `surface` the word as written (for its hamzas; ignored when its letters do not line up
    /// with the term's), `vocalization` its marks (`Token.vocalization`, for shaddas; may be
    /// empty). False (and nothing appended) when no reading is confirmed by the list.
    public static func root(term: UnsafeBufferPointer<UInt8>, surface: UnsafeBufferPointer<UInt8>,
                            vocalization: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        guard let word = letters(term: term, surface: surface, vocalization: vocalization),
              let found = best(word) else { return false }
        append(found, to: &output)
        return true
    }

    /// Roots already found, by the word's letters and their hamza, shadda and ى flags (what
    /// decides the root: many vocalized forms share them). For a batch of documents.
    public struct Cache {
        /// A word of up to 10 letters packed in two words (11 bits a letter: its code and
        /// its three flags) — no allocation per entry; longer words are not remembered.
        struct Packed: Hashable { var low: UInt64, high: UInt64 }
        private var known: [Packed: Key] = [:]
        private var none: Set<Packed> = []
        private var word: [Letter] = [], seated: [UInt8] = []
        public init() {}

        static func pack(_ word: [Letter]) -> Packed? {
            guard word.count <= 10 else { return nil }
            var packed = Packed(low: UInt64(word.count), high: 0)
            for (i, l) in word.enumerated() {
                guard l.code >= 0x0600 && l.code < 0x0700 else { return nil }
                let code = UInt64(l.code &- 0x0600) & 0xFF | (l.hamza ? 0x100 : 0) | (l.shadda ? 0x200 : 0) | (l.maqsura ? 0x400 : 0)
                if i < 5 { packed.low |= code << (4 + 11 * UInt64(i)) } else { packed.high |= code << (11 * UInt64(i - 5)) }
            }
            // ة and a written ه only occur, and only count, as the last letter.
            if let last = word.last { packed.high |= (last.taMarbuta ? 1 << 56 : 0) | (last.plainHeh ? 1 << 57 : 0) }
            return packed
        }

        /// `RootExtractor.root(term:surface:vocalization:into:)`, remembered.
        public mutating func root(term: UnsafeBufferPointer<UInt8>, surface: UnsafeBufferPointer<UInt8>,
                                  vocalization: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
            guard RootExtractor.letters(term: term, surface: surface, vocalization: vocalization, into: &word, seated: &seated) else {
                return false
            }
            let key = Self.pack(word)
            let found: Key
            if let key, let k = known[key] {
                found = k
            } else if let key, none.contains(key) {
                return false
            } else if let k = RootExtractor.best(word) {
                if let key { known[key] = k }
                found = k
            } else {
                if let key { none.insert(key) }
                return false
            }
            RootExtractor.append(found, to: &output)
            return true
        }

        /// The root of a token of `text` (the text the token's byte range points into), remembered.
        public mutating func root(of token: Token, in text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
            var out: [UInt8] = []
            let surface = UnsafeBufferPointer(rebasing: text[token.byteRange.clamped(to: 0..<text.count)])
            let found = token.term.withUnsafeBufferPointer { t in
                token.vocalization.withUnsafeBufferPointer { v in root(term: t, surface: surface, vocalization: v, into: &out) }
            }
            return found ? out : nil
        }
    }

    /// The root of a word as typed (folded here; its hamzas and shaddas read from it).
    public static func root(ofWord word: String) -> String? {
        typed(word) { term, surface, marks in
            var out: [UInt8] = []
            return root(term: term, surface: surface, vocalization: marks, into: &out) ? String(decoding: out, as: UTF8.self) : nil
        }
    }

    /// Runs `body` with a word as typed, folded as the analyzer folds it: its term, its
    /// surface, its normalized marks (empty when it carries none).
    static func typed<R>(_ word: String, _ body: (_ term: UnsafeBufferPointer<UInt8>, _ surface: UnsafeBufferPointer<UInt8>,
                                                   _ marks: UnsafeBufferPointer<UInt8>) -> R) -> R {
        var word = word
        return word.withUTF8 { surface in
            var term: [UInt8] = [], marks: [UInt8] = []
            let marked = ScriptFolding.fold(surface, into: &term, marks: &marks)
                && term.withUnsafeBufferPointer { Vocalization.normalize(folded: $0, marks: &marks) }
            if !marked { marks = [] }
            return term.withUnsafeBufferPointer { t in marks.withUnsafeBufferPointer { m in body(t, surface, m) } }
        }
    }

    /// The root of a token of `text` (the text the token's byte range points into).
    public static func root(of token: Token, in text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var cache = Cache()
        return cache.root(of: token, in: text)
    }

    /// The root of a token of `text`.
    public static func root(of token: Token, in text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { root(of: token, in: $0) }
    }

    /// Every root a reading of the word gives, with the reading's cost before the
    /// productivity bonus, cheapest first (`fihris analyze --explain --json`).
    public static func candidates(ofWord word: String) -> [(root: String, cost: Float)] {
        guard let letters = typed(word, { letters(term: $0, surface: $1, vocalization: $2) }) else { return [] }
        var search = Search(word: letters)
        search.run()
        return search.costs.sorted { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { entry in
            var bytes: [UInt8] = []
            append(entry.key, to: &bytes)
            return (String(decoding: bytes, as: UTF8.self), entry.value)
        }
    }

    // MARK: Reading the word

    /// The word's letters with their hamza and shadda flags; nil when it is not all Arabic
    /// letters or is too short or too long.
    static func letters(term: UnsafeBufferPointer<UInt8>, surface: UnsafeBufferPointer<UInt8>,
                        vocalization: UnsafeBufferPointer<UInt8>) -> [Letter]? {
        var word: [Letter] = [], seated: [UInt8] = []
        return letters(term: term, surface: surface, vocalization: vocalization, into: &word, seated: &seated) ? word : nil
    }

    /// `letters(term:surface:vocalization:)` into reused buffers.
    static func letters(term: UnsafeBufferPointer<UInt8>, surface: UnsafeBufferPointer<UInt8>,
                        vocalization: UnsafeBufferPointer<UInt8>, into word: inout [Letter], seated: inout [UInt8]) -> Bool {
        word.removeAll(keepingCapacity: true)
        seated.removeAll(keepingCapacity: true)
        guard term.count >= 4, term.count <= 30, term.count % 2 == 0 else { return false }
        var i = 0
        while i < term.count {
            let b0 = term[i]
            guard b0 >= 0xD8 && b0 <= 0xD9 else { return false }
            let code = (UInt16(b0 & 0x1F) << 6) | UInt16(term[i + 1] & 0x3F)
            guard code >= 0x0621 && code <= 0x064A else { return false }
            word.append(Letter(code: code, hamza: code == hamza || code == wawHamza || code == yehHamza))
            i += 2
        }
        if vocalization.count == word.count {
            for j in word.indices where vocalization[j] != 0 {
                word[j].marked = true
                word[j].shadda = vocalization[j] & Vocalization.shadda != 0
            }
        }
        // The surface's hamzas on alef (أ إ آ), when its letters line up with the term's.
        // seated: 0 bare, 1 أ/إ, 2 آ, 3 ى, 4 ة, 5 ه, per letter of the surface
        var j = 0
        while j < surface.count {
            let b0 = surface[j]
            let length = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
            guard j + length <= surface.count else { break }
            if length == 2 {
                let scalar = (UInt32(b0 & 0x1F) << 6) | UInt32(surface[j + 1] & 0x3F)
                if scalar >= 0x0621 && scalar <= 0x064A || scalar == 0x0671 {
                    seated.append(scalar == 0x0623 || scalar == 0x0625 ? 1 : scalar == 0x0622 ? 2 : scalar == 0x0649 ? 3
                                  : scalar == 0x0629 ? 4 : scalar == 0x0647 ? 5 : 0)
                } else if !(scalar >= 0x064B && scalar <= 0x065F) && scalar != 0x0670 && scalar != 0x0640 {
                    seated.append(0)   // another letter (ی ک …): counts, carries no hamza
                }
            } else if length == 3 {
                // Uthmani small letters and signs (U+06D6–U+06ED) are marks, not letters.
                let scalar = (UInt32(b0 & 0x0F) << 12) | (UInt32(surface[j + 1] & 0x3F) << 6) | UInt32(surface[j + 2] & 0x3F)
                if !(scalar >= 0x06D6 && scalar <= 0x06ED) && !(scalar >= 0x200B && scalar <= 0x200F) { seated.append(0) }
            } else {
                seated.append(0)
            }
            j += length
        }
        if seated.count == word.count {
            var k = word.count - 1
            while k >= 0 {
                switch seated[k] {
                case 1 where word[k].code == alef: word[k].hamza = true
                // آ is a hamza and a long ā: آمن = أأمن, القرآن = القرءان.
                case 2 where word[k].code == alef: word[k].hamza = true; word[k].shadda = false; word.insert(Letter(code: alef), at: k + 1)
                case 3 where word[k].code == yeh: word[k].maqsura = true
                case 4 where word[k].code == heh: word[k].taMarbuta = true
                case 5 where word[k].code == heh: word[k].plainHeh = true
                default: break
                }
                k -= 1
            }
        }
        return word.count >= 2
    }

    // MARK: The search

    static func best(_ word: [Letter]) -> Key? {
        var search = Search(word: word)
        search.run()
        var best: Key? = nil, bestScore = Float.infinity
        for (key, cost) in search.costs {
            let score = cost - (productivity[key] ?? 0)
            if score < bestScore || (score == bestScore && key < best!) { best = key; bestScore = score }
        }
        return best
    }

    /// Affix costs. A reading costs the sum of its affixes, its pattern and its restorations.
    enum Cost {
        static let question: Float = 1.2, conjunction: Float = 0.8, preposition: Float = 0.8, article: Float = 0.2
        static let imperfect: Float = 0.3, inflection: Float = 0.4, pronoun: Float = 0.5, pronounYeh: Float = 0.7
        static let pattern: Float = 0.15, quadriliteral: Float = 0.3
        /// An imperfective stem of the lexicon (after an imperfect prefix).
        static let imperfectStem: Float = 0.1
        /// A reading whose core is not a lemma of the lexicon (patterns and restorations only).
        static let unlisted: Float = 0.4
        /// A suffix ي written ى; a feminine ending written ه; the ت of a feminine before a pronoun.
        static let maqsuraSuffix: Float = 0.6, writtenHeh: Float = 0.4, feminineTeh: Float = 0.05
        /// A verb's suffix on a nominal, or a nominal's on a verb.
        static let mismatch: Float = 0.5
    }

    /// Inflectional endings and pronouns, as folded letters, with their costs.
    static let inflections: [([UInt16], Float, Affinity)] = [
        "ه", "ات", "ان", "ين", "ون", "وا", "و", "ت", "تم", "تما", "تن", "نا", "ا", "ن", "ي", "تا", "يه", "يات", "تمو",
    ].map { s in
        let affinity: Affinity = ["ه", "ات", "يه", "يات"].contains(s) ? .nominal
            : ["وا", "و", "ت", "تم", "تما", "تن", "نا", "ن", "تا", "تمو"].contains(s) ? .verb : .either
        return (Array(s.unicodeScalars.map { UInt16($0.value) }), Cost.inflection, affinity)
    }
    static let pronouns: [([UInt16], Float)] = [
        "ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "ني", "نا", "ي",
    ].map { s in (Array(s.unicodeScalars.map { UInt16($0.value) }), s == "ي" ? Cost.pronounYeh : Cost.pronoun) }

    struct Search {
        var word: [Letter]
        let hamzaWritten: Bool
        var costs: [Key: Float] = [:]

        init(word: [Letter]) {
            self.word = word
            hamzaWritten = word.contains { $0.hamza }
        }

        mutating func run() {
            let n = word.count
            // Proclitic splits: (start of the rest, cost, whether a noun prefix was taken).
            var starts: [(Int, Float, Bool)] = []
            func at(_ i: Int, _ c: UInt16) -> Bool { i < n && word[i].code == c }
            func heads(_ s: Int, _ c: Float) {
                starts.append((s, c, false))
                // س of the future only before an imperfect (سيقول, سنكتب, سأفعل).
                let future = at(s, seen) && (at(s + 1, yeh) || at(s + 1, teh) || at(s + 1, noon) || at(s + 1, alef) && word[s + 1].hamza)
                if n - s >= 3, at(s, beh) || at(s, kaf) || at(s, lam) || future {
                    // ب ك ل before the word, or س of the future.
                    starts.append((s + 1, c + Cost.preposition, at(s, beh) || at(s, kaf)))
                    if at(s, lam), at(s + 1, lam), n - s >= 4 { starts.append((s + 2, c + Cost.preposition + Cost.article, true)) }
                    if !at(s, seen), at(s + 1, alef), !word[s + 1].hamza, at(s + 2, lam), n - s >= 5 {
                        starts.append((s + 3, c + Cost.preposition + Cost.article, true))
                    }
                }
                if at(s, alef), !word[s].hamza, at(s + 1, lam), n - s >= 4 { starts.append((s + 2, c + Cost.article, true)) }
            }
            var first: [(Int, Float)] = [(0, 0)]
            // أ of a question (أفأحج, أرأيتم).
            if n >= 4, word[0].code == alef, word[0].hamza { first.append((1, Cost.question)) }
            for (h, c) in first {
                heads(h, c)
                if n - h >= 3, at(h, waw) || at(h, feh) { heads(h + 1, c + Cost.conjunction) }
            }
            for (start, prefixCost, nominal) in starts.uniqued() {
                // An imperfect or imperative prefix of a verb (not after ال / ب / ك).
                var cores: [(Int, Float, Bool)] = [(start, prefixCost, false)]
                // Not before a bare alef: no imperfect begins so (نادى is not ن + ادي); not in a
                // word written with ة (a noun: نهسة).
                if !nominal, !word[n - 1].taMarbuta, n - start >= 3, at(start, yeh) || at(start, teh) || at(start, noon) || at(start, alef),
                   !(word[start + 1].code == alef && !word[start + 1].hamza) {
                    cores.append((start + 1, prefixCost + Cost.imperfect, true))
                }
                for (from, c, imperfect) in cores { suffixes(from: from, cost: c, imperfect: imperfect, nominal: nominal) }
            }
        }

        /// Suffix splits of `word[from...]`: none, an inflection, a pronoun, or both. The
        /// pronoun ه is never a written ة; a feminine ending is rarely a written ه; a written ى
        /// is rarely the suffix ي (ثوبى in some editions); a ت before a pronoun may be the ة
        /// of the core (صلاتك → صلاة).
        ///
        /// A suffix that ends only verbs (ت تم وا) after a noun prefix (ال ب ك) or on a nominal
        /// form of the lexicon or a noun's pattern, or one that ends only nominals (ة ات) after
        /// an imperfect prefix or on a verb's form, costs `Cost.mismatch` more (بوزن is ب + وزن,
        /// not بوز + ن).
        mutating func suffixes(from: Int, cost: Float, imperfect: Bool, nominal: Bool) {
            let n = word.count
            func ends(_ suffix: [UInt16], at end: Int) -> Float? {
                guard end - from >= suffix.count + 2 else { return nil }
                for (k, c) in suffix.enumerated() where word[end - suffix.count + k].code != c { return nil }
                let last = word[end - 1]
                return last.maqsura ? Cost.maqsuraSuffix : 0
            }
            var ends0: [(Int, Float)] = [(n, cost)]
            for (p, pc) in RootExtractor.pronouns {
                guard let extra = ends(p, at: n), !(p == [heh] && word[n - 1].taMarbuta) else { continue }
                ends0.append((n - p.count, cost + pc + extra))
            }
            for (end, c) in ends0 {
                // A pronoun alone after a two-letter core says a doubled verb (ردّه, عدّها: a
                // hollow one keeps its long vowel there, قاله).
                stem(from, end, c, imperfect: imperfect, object: end < n, suffix: .either, feminine: end < n)
                for (s, sc, affinity) in RootExtractor.inflections {
                    guard let extra = ends(s, at: end) else { continue }
                    // تمو only before a pronoun (رأيتموه).
                    if s.count == 3, s[2] == waw, end == n { continue }
                    let written = s.last == heh && word[end - 1].plainHeh ? Cost.writtenHeh : 0
                    // ا وا ان ون ين after two letters: a doubled verb too (ردّوا); ت نا تم: hollow (قلت).
                    let vowel = s[0] == alef || s[0] == waw || s[0] == yeh
                    let dual = s.count == 2 && s[1] == noon && (s[0] == alef || s[0] == yeh)
                    let mismatch = affinity == .verb && nominal || affinity == .nominal && imperfect ? Cost.mismatch : 0
                    stem(from, end - s.count, c + sc + extra + written + mismatch, imperfect: imperfect, object: vowel,
                         suffix: affinity, feminine: dual || end < n)
                }
            }
        }

        /// The readings of `word[from..<to]` before a suffix; before a pronoun or a dual ending
        /// (`feminine`) ة is written ت (صلاتك, ركعتين) and ى is written ا (فتاه, هداه), so
        /// those are read too.
        mutating func stem(_ from: Int, _ to: Int, _ cost: Float, imperfect: Bool, object: Bool, suffix: Affinity,
                           feminine: Bool) {
            core(from, to, cost, imperfect: imperfect, object: object, suffix: suffix)
            guard feminine, to - from >= 3 else { return }
            let written = word[to - 1]
            if written.code == teh {
                word[to - 1] = Letter(code: heh, taMarbuta: true)
                core(from, to, cost + Cost.feminineTeh, imperfect: imperfect, suffix: .nominal)
            } else if written.code == alef, !written.hamza {
                word[to - 1] = Letter(code: yeh, maqsura: true)
                core(from, to, cost + Cost.feminineTeh, imperfect: imperfect, suffix: .nominal)
            }
            word[to - 1] = written
        }

        mutating func confirm(_ r0: Letter, _ r1: Letter, _ r2: Letter, _ cost: Float) {
            for i in 0..<3 {
                guard let (x, cx) = spelling(r0, 0, i) else { break }
                for j in 0..<3 {
                    guard let (y, cy) = spelling(r1, 1, j) else { break }
                    for k in 0..<3 {
                        guard let (z, cz) = spelling(r2, 2, k) else { break }
                        let key = RootExtractor.key(x, y, z)
                        if RootExtractor.roots.contains(key) { add(key, cost + cx + cy + cz + Cost.unlisted) }
                    }
                }
            }
        }

        @inline(__always) mutating func add(_ k: Key, _ cost: Float) {
            if let old = costs[k], old <= cost { return }
            costs[k] = cost
        }

        /// The `choice`-th spelling of a radical and its cost (nil after the last).
        @inline(__always) func spelling(_ l: Letter, _ position: Int, _ choice: Int) -> (UInt16, Float)? {
            if l.hamza {
                // A written hamza is a radical; inside فاعل of a hollow root it stands for و/ي (قائل).
                let weak: Float = position == 1 ? 0.4 : 0.8
                switch choice { case 0: return (alef, 0); case 1: return (waw, weak); default: return (yeh, weak) }
            }
            switch l.code {
            case RootExtractor.alef:
                let asHamza: Float = hamzaWritten ? 0.7 : 0.15
                switch (position, choice) {
                case (0, 0): return (alef, asHamza)
                case (0, 1): return (waw, 0.5)
                case (0, _): return (yeh, 0.7)
                case (1, 0): return (waw, 0.2)
                case (1, 1): return (yeh, 0.3)
                case (_, 0): return (waw, 0.2)
                case (_, 1): return (yeh, 0.2)
                default: return (alef, asHamza + 0.1)
                }
            // A first و/ي is itself (وعد, يبس): neither turns into the other there.
            case RootExtractor.waw: return choice == 0 ? (waw, 0) : choice == 1 ? (yeh, position == 0 ? 1 : 0.3) : nil
            case RootExtractor.yeh: return choice == 0 ? (yeh, 0) : choice == 1 ? (waw, position == 0 ? 1 : 0.3) : nil
            default: return choice == 0 ? (l.code, 0) : nil
            }
        }

        /// The three radicals of `template` matched at `letter(0) ...`, or nil when it does not match.
        @inline(__always) func match(_ template: [UInt16], _ letter: (Int) -> Letter) -> (Letter, Letter, Letter)? {
            var r = (Letter(code: 0), Letter(code: 0), Letter(code: 0)), found = 0
            for (k, pattern) in template.enumerated() {
                let l = letter(k)
                if pattern <= 3 {
                    switch found { case 0: r.0 = l; case 1: r.1 = l; case 2: r.2 = l; default: return nil }
                    found += 1
                    continue
                }
                // A pattern's alef: a bare one inside the word; at its start also أ / إ.
                if pattern == RootExtractor.alef {
                    if l.code != alef || (l.hamza && k > 0) { return nil }
                } else if pattern != l.code || l.maqsura || (pattern == RootExtractor.heh && l.plainHeh) { return nil }
            }
            return found == 3 ? r : nil
        }

        /// Whether the root's letters appear in order among the core's (folded).
        /// A doubled root's last two radicals may be one letter written with a shadda (ستحلّ
        /// spells حلل).
        func spells(_ k: Key, _ core: ArraySlice<Letter>) -> Bool {
            var next = core.startIndex
            let letters = RootExtractor.letters(of: k)
            for (j, r) in letters.enumerated() {
                if j == letters.count - 1, j > 0, letters[j - 1] == r, core[next - 1].shadda { continue }
                guard let i = core[next...].firstIndex(where: { RootExtractor.fold($0.code) == r }) else { return false }
                next = i + 1
            }
            return true
        }

        /// Readings of the core `word[from..<to]`.
        mutating func core(_ from: Int, _ to: Int, _ cost: Float, imperfect: Bool, object: Bool = false, suffix: Affinity) {
            let n = to - from
            guard n >= 2 else { return }
            let core = word[from..<to]
            // After an imperfect prefix, an imperfective stem of the lexicon (two letters too:
            // the hollow jussive تكن، يقل, the assimilated يجدون).
            if imperfect, let entry = RootExtractor.listed(RootExtractor.imperfectLexicon, core) {
                for k in entry.roots { add(k, Cost.imperfectStem + (entry.roots.count == 1 || spells(k, core) ? cost : cost + 0.2)) }
            }
            // A lemma of the lexicon (three letters or more: two-letter lemmas are too often
            // an accident of the split; not after an imperfect prefix, which only a verb's
            // stem follows): its roots, at the cost of the affixes alone. In text that writes
            // no hamza, a first alef may be one.
            if n >= 3, !imperfect {
                if let entry = RootExtractor.listed(RootExtractor.lexicon, core) {
                    let c = entry.takes(suffix) ? cost : cost + Cost.mismatch
                    // A lemma form of several roots (أهل: اهل, هلل): first the one its letters spell.
                    for k in entry.roots { add(k, entry.roots.count == 1 || spells(k, core) ? c : c + 0.2) }
                }
                if !hamzaWritten, core[from].code == alef,
                   let entry = RootExtractor.listed(RootExtractor.lexicon, CollectionOfOne(Letter(code: RootExtractor.hamza, hamza: true)) + core.dropFirst()) {
                    let c = entry.takes(suffix) ? cost : cost + Cost.mismatch
                    for k in entry.roots { add(k, c + 0.1) }
                }
            }
            let a = core[from], b = core[from + 1]
            if n == 2 {
                let y = Letter(code: yeh), w = Letter(code: waw), al = Letter(code: alef)
                // A shadda on the second letter says doubled (مَدَّ, حَقّ), marks without one say
                // not (قُلْ); bare, a hollow reading comes first (قل, كن, قم). After an imperfect
                // prefix an assimilated or doubled root comes first (يجد, يضع, يرد, يحل: a hollow
                // one keeps its long vowel there but in the jussive, which the lexicon lists).
                let bare: Float = imperfect ? 0.3 : object ? 0.15 : 0.45
                let doubled: Float = b.shadda ? 0 : b.marked ? 0.8 : bare, other: Float = b.shadda ? 0.8 : 0
                let hollow: Float = imperfect ? 0.45 : 0.3, assimilated: Float = imperfect ? 0.3 : 0.5
                confirm(a, w, b, cost + hollow + other)
                confirm(a, y, b, cost + hollow + 0.1 + other)
                confirm(a, b, b, cost + doubled)
                confirm(a, b, w, cost + 0.4 + other)
                confirm(a, b, y, cost + 0.4 + other)
                confirm(w, a, b, cost + assimilated + other)
                confirm(al, a, b, cost + 0.6 + other)
                confirm(y, a, b, cost + 0.8 + other)
                return
            }
            let c = core[from + 2]
            if n == 3 {
                confirm(a, b, c, cost)
                // أفعّ of a doubled root (أعز, أشد, أحب).
                if a.code == alef { confirm(b, c, c, cost + 0.4) }
                // فاعّ of a doubled root with a shadda on its last letter (ضالّ → ضلل).
                if c.shadda, b.code == alef { confirm(a, c, c, cost + 0.2) }
            }
            if n == 4 {
                let k = (4 << 24) | (Key(RootExtractor.fold(a.code) &- 0x0620) << 18) | (Key(RootExtractor.fold(b.code) &- 0x0620) << 12)
                    | (Key(RootExtractor.fold(c.code) &- 0x0620) << 6) | Key(RootExtractor.fold(core[from + 3].code) &- 0x0620)
                if RootExtractor.roots.contains(k) { add(k, cost + Cost.quadriliteral + Cost.unlisted) }
            }
            if let templates = RootExtractor.templates[n], let verbal = RootExtractor.verbal[n] {
                let verbForms = RootExtractor.verbForms[n]!
                for (rank, template) in templates.enumerated() where !imperfect || verbal[rank] {
                    let c = suffix == .verb && !verbForms[rank] ? cost + Cost.mismatch : cost
                    if let r = match(template, { core[from + $0] }) { confirm(r.0, r.1, r.2, c + Cost.pattern + Float(rank) * 0.002) }
                }
            }
            // A doubled root in a derived form writes its last two radicals as one letter
            // (استمرّ, يشتدّ, تستحلّ): the patterns one letter longer are matched with that
            // letter twice, where their last two radicals are that letter.
            if n < 7, let templates = RootExtractor.templates[n + 1], let verbal = RootExtractor.verbal[n + 1] {
                let last = core[to - 1]
                for (rank, template) in templates.enumerated() where template[n] == 3 && template[n - 1] == 2 && (!imperfect || verbal[rank]) {
                    if let r = match(template, { $0 < n ? core[from + $0] : last }) {
                        confirm(r.0, r.1, r.2, cost + Cost.pattern + Float(rank) * 0.002 + (last.shadda ? 0 : 0.3))
                    }
                }
            }
        }
    }
}

extension Array where Element == (Int, Float, Bool) {
    func uniqued() -> [(Int, Float, Bool)] {
        var out: [(Int, Float, Bool)] = []
        for e in self where !out.contains(where: { $0.0 == e.0 && $0.1 == e.1 && $0.2 == e.2 }) { out.append(e) }
        return out
    }
}
