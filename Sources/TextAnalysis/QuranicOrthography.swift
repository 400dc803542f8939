/// Uthmani (rasm uthmani) orthography → modern (imla'i) spelling, one word at a time, before
/// folding: the Qur'an as printed (Tanzil's Uthmani text) and a query typed in modern
/// spelling without diacritics fold to the same letters.
///
/// `ScriptFolding` sends a word here only when it holds something modern spelling does not
/// use — a dagger alef (U+0670), a combining maddah or hamza (U+0653–U+0655), a small waw or
/// yeh (U+06E5–U+06E7), an alef wasla (ٱ), or a bare hamza ء beside a vowel mark — so
/// undiacritized text never comes here, and modern vocalized text comes out as it went in.
///
/// Rules, applied letter by letter on the word's letters and their marks (each is a row of
/// `QuranicOrthographyTests`):
///
/// 1. **Dagger alef** (ٰ) is a long ā written as ا in modern spelling (ٱلْعَـٰلَمِينَ → العالمين,
///    ٱلسَّمَـٰوَٰتِ → السماوات), except in the words modern spelling also writes without it,
///    found by their letters: ذٰلك (ذ ٰ ل), هٰذا / هٰؤلاء (ه ٰ ذ|ؤ|ء), لٰكن (ل ٰ ك ن), أولٰئك
///    (و ل ٰ ئ), الرحمٰن (ر ح م ٰ ن), إلٰه (إ ل ٰ ه) — with any clitics or suffixes around.
/// 2. **وٰ and ىٰ**: a و that carries the dagger and no vowel of its own is the seat of
///    that ā (ٱلصَّلَوٰةَ → الصلاة, ٱلزَّكَوٰةَ → الزكاة, ٱلْحَيَوٰةُ → الحياة; ٱلرِّبَوٰا۟ → الربا);
///    ىٰ is ى at the end of a word (عَلَىٰ → على) and ا inside it (أَتَىٰهَا → أتاها,
///    ٱلتَّوْرَىٰةَ → التوراة).
/// 3. **Combining maddah and hamza** after a letter are the precomposed letters: ا + ٓ → آ,
///    ا + ٔ → أ, ا + ٕ → إ, و + ٔ → ؤ, ي/ى + ٔ → ئ.
/// 4. **A hamza without a seat** (ء, or ٔ on a tatweel) takes the seat modern spelling gives
///    it, from its vowel and the letter before it: at the start of a word (after at most two
///    clitic letters, or after an interrogative أ) أ, or إ with kasra (ءَأَنذَرْتَهُمْ,
///    لِـَٔادَمَ, أَءِذَا → أإذا); inside a word, after ا or a long و it stays ء (kasra: ئ), after
///    ي it is ئ (شَيْـًٔا → شيئا), else the strongest of the two vowels decides — kasra ئ,
///    damma ؤ, fatha أ, none ء (يَسْـَٔلُونَكَ → يسألونك, رَءُوف → رؤوف); at the end, the letter
///    before decides (شَىْءٍ, جَآءَ → ء). A seat أ before ا is آ (ءَامَنُوا۟ → آمنوا,
///    ٱلْقُرْءَانِ → القرآن, ٱلْـَٔاخِرَةِ → الآخرة).
/// 5. **Small waw and yeh** (ۥ ۦ ۧ) after the pronoun ه are the long vowel modern spelling
///    does not write (بِهِۦ → به, لَهُۥ → له); elsewhere they are و and ي (إِبْرَٰهِـۧمَ → إبراهيم,
///    ٱلنَّبِيِّـۧنَ → النبيين).
/// 6. **Alef wasla** ٱ is ا. ٱلَّيْل (one ل) is الليل, ٱلَّـٰتِى الّلاتي, ٱلَّـٰٓـِٔى اللائي.
///
/// The vocative يا written joined to its noun (يَـٰٓأَيُّهَا, يَـٰقَوْمِ) is split into two
/// words by the analyzer (`vocativeLength`), so the phrase "يا أيها" matches it.
public enum QuranicOrthography {
    // Code points.
    static let hamza: UInt32 = 0x0621, alefMadda: UInt32 = 0x0622, alefHamza: UInt32 = 0x0623
    static let wawHamza: UInt32 = 0x0624, alefHamzaBelow: UInt32 = 0x0625, yehHamza: UInt32 = 0x0626
    static let alef: UInt32 = 0x0627, beh: UInt32 = 0x0628, teh: UInt32 = 0x062A, hah: UInt32 = 0x062D
    static let dal: UInt32 = 0x062F, thal: UInt32 = 0x0630, reh: UInt32 = 0x0631, tatweel: UInt32 = 0x0640
    static let feh: UInt32 = 0x0641, kaf: UInt32 = 0x0643, lam: UInt32 = 0x0644, meem: UInt32 = 0x0645
    static let noon: UInt32 = 0x0646, heh: UInt32 = 0x0647, waw: UInt32 = 0x0648, alefMaksura: UInt32 = 0x0649
    static let yeh: UInt32 = 0x064A, wasla: UInt32 = 0x0671

    /// Marks of one letter, as bits.
    struct Marks: OptionSet {
        let rawValue: UInt32
        static let fatha = Marks(rawValue: 1 << 0), damma = Marks(rawValue: 1 << 1), kasra = Marks(rawValue: 1 << 2)
        static let sukun = Marks(rawValue: 1 << 3), shadda = Marks(rawValue: 1 << 4)
        static let tanweenFath = Marks(rawValue: 1 << 5), tanweenDamm = Marks(rawValue: 1 << 6), tanweenKasr = Marks(rawValue: 1 << 7)
        static let maddah = Marks(rawValue: 1 << 8), hamzaAbove = Marks(rawValue: 1 << 9), hamzaBelow = Marks(rawValue: 1 << 10)
        static let dagger = Marks(rawValue: 1 << 11), smallWaw = Marks(rawValue: 1 << 12), smallYeh = Marks(rawValue: 1 << 13)
        static let other = Marks(rawValue: 1 << 14)
        static let vowels: Marks = [.fatha, .damma, .kasra, .sukun, .shadda, .tanweenFath, .tanweenDamm, .tanweenKasr]

        init(rawValue: UInt32) { self.rawValue = rawValue }

        init(scalar: UInt32) {
            switch scalar {
            case 0x064E: self = .fatha
            case 0x064F: self = .damma
            case 0x0650: self = .kasra
            case 0x0652: self = .sukun
            case 0x0651: self = .shadda
            case 0x064B: self = .tanweenFath
            case 0x064C: self = .tanweenDamm
            case 0x064D: self = .tanweenKasr
            case 0x0653: self = .maddah
            case 0x0654: self = .hamzaAbove
            case 0x0655: self = .hamzaBelow
            case 0x0670: self = .dagger
            case 0x06E5: self = .smallWaw
            case 0x06E6, 0x06E7: self = .smallYeh
            default: self = .other
            }
        }

        /// The short vowel, by strength (kasra 3 > damma 2 > fatha 1 > none 0).
        var vowelStrength: Int {
            if !intersection([.kasra, .tanweenKasr, .hamzaBelow]).isEmpty { return 3 }
            if !intersection([.damma, .tanweenDamm]).isEmpty { return 2 }
            if !intersection([.fatha, .tanweenFath]).isEmpty { return 1 }
            return 0
        }
    }

    static func isMark(_ scalar: UInt32) -> Bool {
        (scalar >= 0x064B && scalar <= 0x065F) || scalar == 0x0670 || (scalar >= 0x06D6 && scalar <= 0x06ED)
    }

    /// Rewrites the word (UTF-8 of U+0600–U+06FF code points; anything else is copied
    /// unchanged) into modern spelling without marks, appended to `output` as UTF-8.
    public static func rewrite(_ word: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        // Letters (with tatweel) and the marks after each.
        var bases: [UInt32] = []
        var marks: [Marks] = []
        bases.reserveCapacity(word.count / 2)
        var i = 0
        while i < word.count {
            let b0 = word[i]
            guard b0 >= 0xD8 && b0 <= 0xDB, i + 1 < word.count else {
                // Not an Arabic two-byte sequence: nothing here is Uthmani; copy as it is.
                output.append(contentsOf: word)
                return
            }
            let scalar = (UInt32(b0 & 0x1F) << 6) | UInt32(word[i + 1] & 0x3F)
            i += 2
            if isMark(scalar) {
                if !marks.isEmpty { marks[marks.count - 1].insert(Marks(scalar: scalar)) }
            } else {
                bases.append(scalar)
                marks.append([])
            }
        }
        var letters: [UInt32] = []
        letters.reserveCapacity(bases.count + 4)
        rewrite(bases, marks, into: &letters)
        fixWholeWords(&letters)
        for scalar in letters { ScriptFolding.appendArabic(scalar, &output) }
    }

    /// Rules 1–5 over the word's letters.
    static func rewrite(_ bases: [UInt32], _ marks: [Marks], into out: inout [UInt32]) {
        let n = bases.count
        /// The nearest real letter (not tatweel) before / after index `k`.
        func previousLetter(_ k: Int) -> Int? {
            var j = k - 1
            while j >= 0 { if bases[j] != tatweel { return j }; j -= 1 }
            return nil
        }
        func nextLetter(_ k: Int) -> Int? {
            var j = k + 1
            while j < n { if bases[j] != tatweel { return j }; j += 1 }
            return nil
        }
        func letter(_ k: Int?) -> UInt32 { k.map { bases[$0] } ?? 0 }

        var skipNextAlef = false
        var k = 0
        while k < n {
            defer { k += 1 }
            let b = bases[k], m = marks[k]
            if skipNextAlef {
                skipNextAlef = false
                if b == alef && m.intersection([.hamzaAbove, .hamzaBelow, .maddah]).isEmpty { continue }
            }
            // A hamza with no seat: ء, or ٔ / ٕ on a tatweel.
            if b == hamza || (b == tatweel && !m.intersection([.hamzaAbove, .hamzaBelow]).isEmpty) {
                let seat = hamzaSeat(at: k, bases, marks, emitted: out)
                // ءَآلذَّكَرَيْنِ: a hamza before آ is that آ (آلذكرين).
                if seat == alefHamza, k + 1 < n, bases[k + 1] == alefMadda || (bases[k + 1] == alef && marks[k + 1].contains(.maddah)) { continue }
                // ٱلْـَٔـٰنَ, سَوْءَٰتُهُمَا: the long ā after the hamza is a dagger alef (الآن, سوآتهما).
                if seat == alefHamza, k + 1 < n, bases[k + 1] == tatweel, marks[k + 1].contains(.dagger) {
                    out.append(alefMadda)
                    k += 1
                    continue
                }
                if seat == alefHamza, marks[k].contains(.dagger) {
                    out.append(alefMadda)
                    continue
                }
                if seat == alefHamza, let next = nextLetter(k), next == k + 1 || bases[(k + 1)..<next].allSatisfy({ $0 == tatweel }),
                   bases[next] == alef, marks[next].intersection([.hamzaAbove, .hamzaBelow, .maddah]).isEmpty {
                    out.append(alefMadda)       // ءا → آ
                    skipNextAlef = true
                } else {
                    out.append(seat)
                }
                continue
            }
            if b == tatweel {
                if m.contains(.dagger) {
                    if !daggerIsSilent(carrier: k, previousLetter(k), nextLetter(k)) { out.append(alef) }
                } else if m.contains(.smallYeh) {
                    out.append(yeh)
                } else if m.contains(.smallWaw) {
                    out.append(waw)
                }
                continue
            }
            switch b {
            case wasla:
                out.append(alef)
            case alef:
                if m.contains(.hamzaBelow) { out.append(alefHamzaBelow) }
                else if m.contains(.hamzaAbove) { out.append(alefHamza) }
                else if m.contains(.maddah) { out.append(alefMadda) }
                else { out.append(alef) }
            case waw where m.contains(.hamzaAbove):
                out.append(wawHamza)
            case waw where m.contains(.dagger) && m.intersection(Marks.vowels).isEmpty:
                // وٰ: the و is only the seat of the long ā (ٱلصَّلَوٰةَ → الصلاة).
                out.append(alef)
                if let next = nextLetter(k), bases[next] == alef { skipNextAlef = true }   // ٱلرِّبَوٰا۟
            case yeh where m.contains(.hamzaAbove), alefMaksura where m.contains(.hamzaAbove):
                out.append(yehHamza)
            case alefMaksura where m.contains(.dagger):
                out.append(nextLetter(k) == nil ? alefMaksura : alef)   // عَلَىٰ → على, أَتَىٰهَا → أتاها
            case alefMaksura where m.contains(.kasra) && !m.contains(.shadda) && !m.contains(.smallYeh) && nextLetter(k) == nil:
                out.append(yeh)                                         // يُحْىِ → يحيي: a final ى with kasra is يي
                out.append(yeh)
            default:
                out.append(b)
                if m.contains(.dagger) && !daggerIsSilent(carrier: k, k, nextLetter(k)) { out.append(alef) }
            }
            // Small waw / yeh: the pronoun's long vowel after ه (not written), else a letter.
            if b != heh {
                if m.contains(.smallWaw) { out.append(waw) } else if m.contains(.smallYeh) { out.append(yeh) }
            }
        }

        /// Whether the dagger alef after letter `p1` (the carrier, or the letter before a
        /// tatweel carrier) and before letter `n1` is one modern spelling leaves out.
        func daggerIsSilent(carrier: Int, _ p1: Int?, _ n1: Int?) -> Bool {
            let a = letter(p1), next = letter(n1)
            let p2 = p1.flatMap { previousLetter($0) }, p3 = p2.flatMap { previousLetter($0) }
            let before = letter(p2), further = letter(p3)
            let after = letter(n1.flatMap { nextLetter($0) })
            switch a {
            case thal: return next == lam                                            // ذٰلك
            case heh: return next == thal || next == wawHamza || next == hamza        // هٰذا, هٰؤلاء
            case lam:
                if next == kaf && after == noon { return true }                       // لٰكن
                if before == waw && (next == yehHamza || next == hamza) { return true } // أولٰئك
                if (before == alefHamzaBelow || before == alef || before == hamza) && next == heh {   // إلٰه, أَءِلَـٰهٌ
                    return true
                }
                return false
            case meem: return before == hah && further == reh && next == noon        // الرحمٰن
            default: return false
            }
        }
    }

    /// The letter a seatless hamza at `k` is written with in modern spelling (rule 4).
    static func hamzaSeat(at k: Int, _ bases: [UInt32], _ marks: [Marks], emitted: [UInt32]) -> UInt32 {
        let n = bases.count
        var m = marks[k]
        // The hamza's vowel: its own marks (on a tatweel carrier they sit on the tatweel).
        if bases[k] == hamza && k + 1 < n && bases[k + 1] == tatweel { m.formUnion(marks[k + 1]) }
        let own = m.vowelStrength
        // At the start of a word (after at most two clitic letters or an interrogative أ).
        let initial = emitted.isEmpty
            || (emitted.count <= 2 && emitted.allSatisfy { $0 == waw || $0 == feh || $0 == beh || $0 == lam || $0 == kaf })
            || (emitted.count == 1 && (emitted[0] == alefHamza || emitted[0] == alef))
        if initial { return own == 3 ? alefHamzaBelow : alefHamza }
        var p = k - 1
        while p >= 0 && bases[p] == tatweel { p -= 1 }
        guard p >= 0 else { return alefHamza }
        let previous = bases[p], previousMarks = marks[p]
        var q = k + 1
        while q < n && bases[q] == tatweel { q += 1 }
        let hasNext = q < n
        // شيئًا: a tanween alef after the hamza makes it medial for ي only.
        let tanweenAlef = hasNext && q == n - 1 && bases[q] == alef && m.contains(.tanweenFath)
        let longVowel = previousMarks.intersection([.fatha, .damma, .kasra, .shadda, .tanweenFath, .tanweenDamm, .tanweenKasr]).isEmpty
        if !hasNext || tanweenAlef {
            if tanweenAlef && (previous == yeh || previous == alefMaksura) { return yehHamza }
            if previous == alef || previous == alefMadda || (longVowel && (previous == waw || previous == yeh || previous == alefMaksura)) {
                return hamza
            }
            switch previousMarks.vowelStrength {
            case 3: return yehHamza
            case 2: return wawHamza
            case 1: return alefHamza
            default: return hamza
            }
        }
        if previous == alef || previous == alefMadda { return own == 3 ? yehHamza : hamza }
        if previous == yeh || previous == alefMaksura { return yehHamza }
        if previous == waw && longVowel { return own == 3 ? yehHamza : hamza }
        switch max(previousMarks.vowelStrength, own) {
        case 3: return yehHamza
        case 2: return wawHamza
        case 1: return alefHamza
        default: return hamza
        }
    }

    /// Whole words the Uthmani text writes with one ل where modern spelling has two.
    static func fixWholeWords(_ letters: inout [UInt32]) {
        // (clitic)? ال + يل / اتي / ائي → (clitic)? الل + …
        var start = 0
        if letters.count >= 5, [waw, feh, beh, kaf].contains(letters[0]) { start = 1 }
        let rest = letters[start...]
        let forms: [[UInt32]] = [[alef, lam, yeh, lam], [alef, lam, alef, teh, yeh], [alef, lam, alef, yehHamza, yeh],
                                 [alef, lam, alef, yehHamza, alefMaksura], [alef, lam, alef, teh, alefMaksura]]
        if forms.contains(where: { rest.elementsEqual($0) }) { letters.insert(lam, at: start + 1) }
    }

    /// The byte length of a vocative يا written joined to what follows it (يَـٰٓأَيُّهَا,
    /// يَـٰقَوْمِ; also وَيَـٰقَوْمِ → ويا), so the analyzer can make two words of it: a ي (after an
    /// optional و) whose long ā is a dagger alef, followed by at least two more letters.
    /// The ها of هَـٰٓأَنتُمْ (ها أنتم) is split the same way before a hamza.
    public static func vocativeLength(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        guard word.count >= 10 else { return nil }
        func scalar(_ i: Int) -> UInt32? {
            guard i + 1 < word.count, word[i] >= 0xD8 && word[i] <= 0xDB else { return nil }
            return (UInt32(word[i] & 0x1F) << 6) | UInt32(word[i + 1] & 0x3F)
        }
        var i = 0
        var first = scalar(0)
        if first == waw, let s = scalar(2), s == 0x064E || s == yeh {
            i = 2
            while let s = scalar(i), isMark(s) { i += 2 }
            first = scalar(i)
        }
        guard first == yeh || first == heh else { return nil }
        i += 2
        var sawDagger = false
        while let s = scalar(i), isMark(s) || s == tatweel {
            if s == 0x0670 { sawDagger = true }
            i += 2
            if sawDagger, let next = scalar(i), next == 0x0653 { i += 2; break }
            if sawDagger { break }
        }
        guard sawDagger, let next = scalar(i) else { return nil }
        if first == heh && !(next == alefHamza || next == hamza || next == alefHamzaBelow) { return nil }
        // At least two letters must follow.
        var letters = 0, j = i
        while let s = scalar(j) { if !isMark(s) && s != tatweel { letters += 1 }; j += 2 }
        return letters >= 2 ? i : nil
    }

    /// Whether the word ends in و + ا where the ا carries the small high rounded zero (U+06DF,
    /// "never pronounced"): ءَامَنُوا۟, أُو۟لُوا۟, يَدْعُوا۟.
    public static func endsWithSilentAlefAfterWaw(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        // From the end: marks, among them U+06DF (DB 9F); then ا (D8 A7); then marks; then و (D9 88).
        var i = word.count
        var silent = false
        while i >= 2 && ((word[i - 2] == 0xDB && word[i - 1] >= 0x96 && word[i - 1] <= 0xAD)
                         || (word[i - 2] == 0xD9 && word[i - 1] >= 0x8B && word[i - 1] <= 0x9F)) {
            if word[i - 2] == 0xDB && word[i - 1] == 0x9F { silent = true }
            i -= 2
        }
        guard silent, i >= 4, word[i - 2] == 0xD8, word[i - 1] == 0xA7 else { return false }
        i -= 2
        while i >= 2 && word[i - 2] == 0xD9 && word[i - 1] >= 0x8B && word[i - 1] <= 0x9F { i -= 2 }
        return i >= 2 && word[i - 2] == 0xD9 && word[i - 1] == 0x88
    }
}
