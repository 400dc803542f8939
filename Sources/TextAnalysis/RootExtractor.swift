/// The root of an Arabic word (كتاب، كاتب، مكتوب، كتبوا، مكتبة → كتب), for root search.
///
/// Pattern matching checked against a list of valid roots (`RootList.swift`, 7,626 roots,
/// CC BY 4.0; see scripts/build_roots.py), in the spirit of ISRI and Khoja but written for
/// folded text and with the list as the judge:
///
/// 1. The word's light stem (`ArabicStemmer`: clitics and inflections already gone) is
///    matched against the derivation patterns of its length (`templates`, e.g. مفعول,
///    افتعال, استفعل; one row per pattern), most frequent first; each match proposes its
///    three radicals.
/// 2. A proposed root is looked up in the list as it is and with its weak and hamza letters
///    restored — a long ā may be a hollow و/ي (قال → قول, باع → بيع) or a hamza, a final ا/ي a
///    defective و/ي (دعا → دعو), two letters a hollow root (قل → قول, كن → كون) or a doubled
///    one (مد → مدد); the first that is in the list wins.
/// 3. Nothing found: one more affix letter is tried off either end, then a 4-letter stem is
///    looked up as a quadriliteral root (ترجم, زلزل). A word the list does not confirm has no
///    root (it is not indexed under one), rather than a guessed one.
///
/// Folded letters: hamza is ا (the list is folded the same way), ة is ه, ى is ي.
public enum RootExtractor {
    static let alef: UInt16 = 0x0627, waw: UInt16 = 0x0648, yeh: UInt16 = 0x064A, heh: UInt16 = 0x0647
    static let hamza: UInt16 = 0x0621, wawHamza: UInt16 = 0x0624, yehHamza: UInt16 = 0x0626

    /// Valid roots (folded).
    static let roots: ByteWordTable<Bool> = ByteWordTable(rootList.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { (String($0), true) })

    /// Derivation patterns by length: `F` `A` `L` are the radicals (ف ع ل); other letters must
    /// be there as written (folded). Tried in order.
    static let templates: [Int: [[UInt16]]] = {
        let rows: [String] = [
            // 4 letters
            "اFAL", "FاAL", "FAاL", "يFAL", "تFAL", "نFAL", "FAوL", "FAيL", "مFAL", "FALه", "FALي", "FALا", "FAAL",
            // 5 letters
            "مFAوL", "مFAاL", "مFAيL", "اFتAL", "انFAL", "تFAيL", "تFاAL", "مFاAL", "FواAL", "FAائL", "FاAوL",
            "اFAاL", "FALان", "مFALه", "تFALه", "اFALه", "مFتAL", "يFتAL", "تFتAL", "نFتAL", "FAاLه", "FAوLه",
            "FاALه", "FAيLه", "يFاAL", "مFAAL", "تFAAL", "FAاLي", "FAALه", "مFALي", "يFAوL", "تFAوL",
            // 6 letters
            "استFAL", "مستFAL", "اFتAاL", "انFAاL", "تFاAيL", "مFاAيL", "متFاAL", "مFتALه", "تFAيLه", "مFAوLه",
            "مFاALه", "يستFAL", "تستFAL", "نستFAL", "متFAAL", "اFتAاله", "يتFاAL", "تتFاAL", "FAاLيه",
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

    /// Appends the root of the word whose folded light stem is `stem` to `output`; false (and
    /// nothing appended) when none is confirmed by the list.
    public static func root(ofStem stem: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        guard stem.count >= 4, stem.count <= 24, stem.count % 2 == 0 else { return false }
        var letters: [UInt16] = []
        letters.reserveCapacity(stem.count / 2)
        var i = 0
        while i < stem.count {
            let b0 = stem[i]
            guard b0 >= 0xD8 && b0 <= 0xDB else { return false }
            letters.append((UInt16(b0 & 0x1F) << 6) | UInt16(stem[i + 1] & 0x3F))
            i += 2
        }
        guard let found = root(letters, depth: 0) else { return false }
        for letter in found { ScriptFolding.appendArabic(UInt32(letter), &output) }
        return true
    }

    /// The root of a folded stem's bytes, or nil.
    public static func root(ofStem stem: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        return stem.withUnsafeBufferPointer { root(ofStem: $0, into: &out) } ? out : nil
    }

    public static func root(ofStem stem: String) -> String? {
        root(ofStem: Array(stem.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func root(_ letters: [UInt16], depth: Int) -> [UInt16]? {
        let n = letters.count
        if n == 2 { return confirm2(letters) }
        if n == 3 {
            // أفعّ of a doubled root (أعز, أشد, أحب) before a weak reading of its alef.
            if letters[0] == alef, !isRoot(letters), isRoot([letters[1], letters[2], letters[2]]) { return [letters[1], letters[2], letters[2]] }
            if let r = confirm(letters) { return r }
        }
        for template in templates[n] ?? [] {
            var radicals: [UInt16] = []
            var matches = true
            for (pattern, letter) in zip(template, letters) {
                if pattern <= 3 { radicals.append(letter) } else if pattern != letter { matches = false; break }
            }
            if matches, radicals.count == 3, let r = confirm(radicals) { return r }
        }
        if n == 4, isRoot(letters) { return letters }          // a quadriliteral root: ترجم
        guard depth < 2, n > 3 else { return nil }
        // One more affix letter off either end.
        let first = letters[0], last = letters[n - 1]
        if [0x0645, 0x062A, yeh, 0x0646, alef, 0x0633].contains(first), let r = root(Array(letters.dropFirst()), depth: depth + 1) { return r }
        if [heh, yeh, alef, 0x0646, 0x062A, waw].contains(last), let r = root(Array(letters.dropLast()), depth: depth + 1) { return r }
        return nil
    }

    /// The first spelling of three radicals the list has: as they are, then with weak and
    /// hamza letters restored.
    static func confirm(_ radicals: [UInt16]) -> [UInt16]? {
        func options(_ letter: UInt16, position: Int) -> [UInt16] {
            switch letter {
            // A long ā: hollow (قال → قول, باع → بيع) or, first, a hamza (اخذ = أخذ); last: defective.
            case alef: return position == 0 ? [alef, waw, yeh] : [waw, yeh, alef]
            case yeh: return [yeh, waw]
            case waw: return [waw, yeh]
            // A hamza seated inside the word is often a hollow root's و/ي (دائم → دوم, قائل → قول).
            case hamza, wawHamza, yehHamza: return position == 1 ? [waw, yeh, alef] : [alef, waw, yeh]
            default: return [letter]
            }
        }
        let a = options(radicals[0], position: 0), b = options(radicals[1], position: 1), c = options(radicals[2], position: 2)
        for x in a { for y in b { for z in c where isRoot([x, y, z]) { return [x, y, z] } } }
        return nil
    }

    /// Two letters left: a doubled root (مد → مدد) or a weak one (قل → قول, دع → دعو).
    static func confirm2(_ letters: [UInt16]) -> [UInt16]? {
        let a = letters[0] == hamza || letters[0] == wawHamza || letters[0] == yehHamza ? alef : letters[0]
        let b = letters[1]
        // A hollow imperative or jussive first (قل → قول, كن → كون, قم → قوم: far more frequent
        // than a doubled root's), then a doubled root (مد → مدد), then a defective one.
        for candidate in [[a, waw, b], [a, yeh, b], [a, b, b], [a, b, waw], [a, b, yeh], [waw, a, b], [alef, a, b], [yeh, a, b]] where isRoot(candidate) {
            return candidate
        }
        return nil
    }

    static func isRoot(_ letters: [UInt16]) -> Bool {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(letters.count * 2)
        for letter in letters { ScriptFolding.appendArabic(UInt32(letter), &bytes) }
        return bytes.withUnsafeBufferPointer { roots.contains($0) }
    }
}
