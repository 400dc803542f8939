/// The Porter2 ("Snowball English") stemmer over lowercase ASCII words, as specified at
/// snowballstem.org/algorithms/english/stemmer.html. Non-ASCII words are returned as they
/// are. Tested against the reference implementation's output in TextAnalysisTests.
public enum EnglishStemmer {
    public static func stem(_ word: String) -> String {
        let bytes = Array(word.utf8)
        var out: [UInt8] = []
        bytes.withUnsafeBufferPointer { stem($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the stem of `word` (lowercase ASCII letters and apostrophes) to `output`.
    public static func stem(_ word: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        guard word.count > 2, word.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x27 }) else {
            output.append(contentsOf: word)
            return
        }
        if let special = exceptions1[String(decoding: word, as: UTF8.self)] {
            output.append(contentsOf: special.utf8)
            return
        }
        var stemmer = Porter2(Array(word))
        stemmer.run()
        output.append(contentsOf: stemmer.w.map { $0 == Porter2.Y ? UInt8(ascii: "y") : $0 })
    }

    static let exceptions1: [String: String] = [
        "skis": "ski", "skies": "sky", "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli",
        "only": "onli", "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
        "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]
}

struct Porter2 {
    var w: [UInt8]
    var r1 = 0, r2 = 0
    // 'Y' marks a consonant y.
    static let Y = UInt8(ascii: "Y")

    init(_ word: [UInt8]) { w = word }

    @inline(__always) func isVowel(_ c: UInt8) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79
    }
    func isVowel(at i: Int) -> Bool { i >= 0 && i < w.count && isVowel(w[i]) }

    func ends(_ suffix: String) -> Bool {
        let count = suffix.utf8.count
        guard w.count >= count else { return false }
        var k = w.count - count
        for byte in suffix.utf8 {
            if w[k] != byte { return false }
            k += 1
        }
        return true
    }
    mutating func replace(_ suffix: String, _ replacement: String) {
        w.removeLast(suffix.utf8.count)
        w.append(contentsOf: replacement.utf8)
    }
    func inR1(_ suffix: String) -> Bool { w.count - suffix.utf8.count >= r1 }
    func inR2(_ suffix: String) -> Bool { w.count - suffix.utf8.count >= r2 }

    /// A short syllable ending at index i (inclusive).
    func shortSyllable(endingAt i: Int) -> Bool {
        if i == 3 && w[0...3].elementsEqual("past".utf8) { return true }  // pasted, pasting
        if i == 1 { return isVowel(w[0]) && !isVowel(w[1]) }
        guard i >= 2 else { return false }
        let c = w[i]
        return !isVowel(w[i - 2]) && isVowel(w[i - 1]) && !isVowel(c)
            && c != UInt8(ascii: "w") && c != UInt8(ascii: "x") && c != Porter2.Y
    }
    func isShortWord() -> Bool { r1 >= w.count && shortSyllable(endingAt: w.count - 1) }

    func containsVowel(before end: Int) -> Bool {
        for i in 0..<max(0, end) where isVowel(w[i]) { return true }
        return false
    }

    /// Stems `w` in place (consonant y left as 'Y' for the caller to lower).
    mutating func run() {
        if w.first == 0x27 { w.removeFirst() }
        guard w.count > 2 else { return }
        // Mark consonant y.
        if w[0] == UInt8(ascii: "y") { w[0] = Porter2.Y }
        for i in 1..<w.count where w[i] == UInt8(ascii: "y") && isVowel(w[i - 1]) { w[i] = Porter2.Y }
        computeRegions()
        step0()
        step1a()
        step1b(); step1c(); step2(); step3(); step4(); step5()
    }

    static let regionPrefixes = ["gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ", "inter"]

    mutating func computeRegions() {
        let s = String(decoding: w, as: UTF8.self)
        if let prefix = Self.regionPrefixes.first(where: s.hasPrefix) {
            r1 = prefix.utf8.count
        } else {
            r1 = regionStart(from: 0)
        }
        r2 = regionStart(from: r1)
    }

    /// The position after the first non-vowel following a vowel, at or after `from`.
    func regionStart(from: Int) -> Int {
        var i = from
        while i < w.count && !isVowel(w[i]) { i += 1 }
        while i < w.count && isVowel(w[i]) { i += 1 }
        return min(i + 1, w.count)
    }

    mutating func step0() {
        for suffix in ["'s'", "'s", "'"] where ends(suffix) {
            w.removeLast(suffix.utf8.count)
            return
        }
    }

    mutating func step1a() {
        if ends("sses") { replace("sses", "ss"); return }
        if ends("ied") || ends("ies") {
            replace(String(decoding: w.suffix(3), as: UTF8.self), w.count > 4 ? "i" : "ie")
            return
        }
        if ends("us") || ends("ss") { return }
        if ends("s") {
            // Delete if the part before the s contains a vowel not immediately before it.
            if w.count >= 3 && containsVowel(before: w.count - 2) { w.removeLast() }
        }
    }

    mutating func step1b() {
        for suffix in ["eedly", "eed"] where ends(suffix) {
            let stem = String(decoding: w.dropLast(suffix.utf8.count), as: UTF8.self)
            if stem != "proc" && stem != "exc" && stem != "succ" && inR1(suffix) { replace(suffix, "ee") }
            return
        }
        if ends("ing") && !ends("ingly") {
            let stem = String(decoding: w.dropLast(3), as: UTF8.self)
            // dying → die, vying → vie; inning, outing... stay.
            if stem.utf8.count == 2, stem.utf8.last == UInt8(ascii: "y"), !isVowel(stem.utf8.first!) {
                replace("ying", "ie")
                return
            }
            if ["inn", "out", "cann", "herr", "earr", "even"].contains(stem) { return }
        }
        for suffix in ["ingly", "edly", "ing", "ed"] where ends(suffix) {
            let stemEnd = w.count - suffix.utf8.count
            guard containsVowel(before: stemEnd) else { return }
            w.removeLast(suffix.utf8.count)
            if ends("at") || ends("bl") || ends("iz") {
                w.append(UInt8(ascii: "e"))
            } else if let last = w.last, w.count >= 2, w[w.count - 2] == last, "bdfgmnprt".utf8.contains(last) {
                // Undouble, except add, egg, odd (a/e/o then the double, at the start).
                if !(w.count == 3 && "aeo".utf8.contains(w[0])) { w.removeLast() }
            } else if isShortWord() {
                w.append(UInt8(ascii: "e"))
            }
            return
        }
    }

    mutating func step1c() {
        guard w.count > 2, let last = w.last, last == UInt8(ascii: "y") || last == Porter2.Y,
              !isVowel(w[w.count - 2]) else { return }
        w[w.count - 1] = UInt8(ascii: "i")
    }

    static let step2Rules: [(String, String)] = [
            ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
            ("tional", "tion"), ("biliti", "ble"), ("lessli", "less"), ("entli", "ent"), ("ation", "ate"),
            ("alism", "al"), ("aliti", "al"), ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"),
            ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("izer", "ize"), ("ator", "ate"),
            ("ogist", "og"), ("alli", "al"), ("bli", "ble"), ("ogi", "og"), ("li", ""),
        ]

    mutating func step2() {
        for (suffix, replacement) in Self.step2Rules where ends(suffix) {
            guard inR1(suffix) else { return }
            if suffix == "ogi" {
                if w.count >= 4 && w[w.count - 4] == UInt8(ascii: "l") { replace(suffix, replacement) }
            } else if suffix == "li" {
                if w.count >= 3 && "cdeghkmnrt".utf8.contains(w[w.count - 3]) { replace(suffix, replacement) }
            } else {
                replace(suffix, replacement)
            }
            return
        }
    }

    static let step3Rules: [(String, String)] = [
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"),
        ("ative", ""), ("ical", "ic"), ("ness", ""), ("ful", ""),
    ]

    mutating func step3() {
        for (suffix, replacement) in Self.step3Rules where ends(suffix) {
            guard inR1(suffix) else { return }
            if suffix == "ative" {
                if inR2(suffix) { replace(suffix, replacement) }
            } else {
                replace(suffix, replacement)
            }
            return
        }
    }

    static let step4Suffixes = ["ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous",
                                "ive", "ize", "ion", "al", "er", "ic"]

    mutating func step4() {
        for suffix in Self.step4Suffixes where ends(suffix) {
            guard inR2(suffix) else { return }
            if suffix == "ion" {
                let before = w.count - 4
                if before >= 0 && (w[before] == UInt8(ascii: "s") || w[before] == UInt8(ascii: "t")) { w.removeLast(3) }
            } else {
                w.removeLast(suffix.utf8.count)
            }
            return
        }
    }

    mutating func step5() {
        if ends("e") {
            if inR2("e") || (inR1("e") && !shortSyllable(endingAt: w.count - 2)) { w.removeLast() }
        } else if ends("l") {
            if inR2("l") && w.count >= 2 && w[w.count - 2] == UInt8(ascii: "l") { w.removeLast() }
        }
    }
}
