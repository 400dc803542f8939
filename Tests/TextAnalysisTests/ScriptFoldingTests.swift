import Testing
import TextAnalysis

/// One row per folding rule: surface form → indexed term.
let foldingTable: [(rule: String, input: String, expected: String)] = [
    ("harakat removed", "إِنَّمَا", "انما"),
    ("harakat and shadda", "بِالنِّيَّاتِ", "بالنيات"),
    ("tanween", "كتابٌ", "كتاب"),
    ("superscript alef", "هٰذا", "هذا"),
    ("tatweel", "كـــتاب", "كتاب"),
    ("Quranic mark", "الرَّحِيمِ ۝", "الرحيم "),
    ("alef with hamza above", "أحمد", "احمد"),
    ("alef with hamza below", "إسلام", "اسلام"),
    ("alef with madda", "آمن", "امن"),
    ("alef wasla", "ٱلله", "الله"),
    ("alef maqsura", "على", "علي"),
    ("teh marbuta", "مكتبة", "مكتبه"),
    ("Persian yeh", "فارسی", "فارسي"),
    ("Urdu yeh barree", "ے", "ي"),
    ("Persian keheh", "کتاب", "كتاب"),
    ("Urdu heh goal", "ہ", "ه"),
    ("Arabic-Indic digits", "٢٠٢٦", "2026"),
    ("extended digits", "۱۴۰۵", "1405"),
    ("right-to-left mark", "الله\u{200F}", "الله"),
    ("zero-width non-joiner", "می\u{200C}خواهم", "ميخواهم"),
    ("bidi embedding", "\u{202B}نص\u{202C}", "نص"),
    ("ASCII case", "Hello WORLD", "hello world"),
    ("Latin case and accents through ICU", "ÉCOLE", "ecole"),
    ("accents folded", "naïve café Ångström", "naive cafe angstrom"),
    ("German sharp s folds", "Straße", "strasse"),
    ("presentation-form ligature", "\u{FDF2}", "الله"),
    ("presentation-form letters", "\u{FEB3}\u{FEE0}\u{FEE2}", "سلم"),
    ("plain Arabic untouched", "عين الاسد", "عين الاسد"),
]

@Suite struct ScriptFoldingTests {
    @Test(arguments: foldingTable.indices)
    func foldingRule(_ row: Int) {
        let (rule, input, expected) = foldingTable[row]
        #expect(ScriptFolding.fold(input) == expected, "rule: \(rule)")
    }
}

@Suite struct AnalyzerTests {
    @Test func wordsPositionsAndByteRanges() throws {
        let text = "قاعدة عين الأسد، في محافظة الأنبار (2026)."
        let tokens = try Analyzer(kind: .simple).tokens(text)
        #expect(tokens.map(\.termString) == ["قاعده", "عين", "الاسد", "في", "محافظه", "الانبار", "2026"])
        #expect(tokens.map(\.position) == Array(0..<7))
        let utf8 = Array(text.utf8)
        let surfaces = tokens.map { String(decoding: utf8[$0.byteRange], as: UTF8.self) }
        #expect(surfaces == ["قاعدة", "عين", "الأسد", "في", "محافظة", "الأنبار", "2026"])
    }

    /// Every word is a token; stop words are flagged (and not stemmed), never dropped.
    @Test func stopWordsAreFlaggedTokens() throws {
        let tokens = try Analyzer().tokens("قاعدة عين الأسد في محافظة الأنبار")
        #expect(tokens.map(\.termString) == ["قاعده", "عين", "الاسد", "في", "محافظه", "الانبار"])
        #expect(tokens.map(\.position) == [0, 1, 2, 3, 4, 5])
        #expect(tokens.map(\.isStopWord) == [false, false, false, true, false, false])
        let custom = try Analyzer(AnalyzerOptions(kind: .arabic, stopWords: .custom(["عَيْن"]))).tokens("قاعدة عين الأسد في")
        #expect(custom.map(\.termString) == ["قاعده", "عين", "الاسد", "في"])
        #expect(custom.map(\.isStopWord) == [false, true, false, false])
        let none = try Analyzer(AnalyzerOptions(kind: .arabic, stopWords: .none)).tokens("في the")
        #expect(none.map(\.termString) == ["في", "the"] && !none.contains(where: \.isStopWord))
        // A stop word's stem is its form: عليهم does not meet the name علي.
        #expect(try Analyzer().tokens("عليهم").map(\.stemString) == ["عليهم"])
        #expect(try Analyzer(AnalyzerOptions(kind: .arabic, stopWords: .none)).tokens("عليهم").map(\.stemString) == ["علي"])
    }

    /// A stop word under a conjunction or preposition has the bare word's stem (so a query
    /// for هذا meets وهذا) but is not flagged; with no stop words the stemmer still takes
    /// the clitics off.
    @Test func aStopWordUnderACliticHasTheBareWordsStem() throws {
        let tokens = try Analyzer().tokens("وهذا لهذه فعليهم للذي وقال")
        #expect(tokens.map(\.stemString) == ["هذا", "هذه", "عليهم", "الذي", "قال"])
        #expect(tokens.allSatisfy { !$0.isStopWord })
        let none = try Analyzer(AnalyzerOptions(kind: .arabic, stopWords: .none)).tokens("وهذا فعليهم")
        #expect(none.map(\.stemString) == ["هذا", "علي"])
    }

    @Test func eachTokenCarriesItsFormAndItsStem() throws {
        let tokens = try Analyzer().tokens("والكتابُ Running كتابهم")
        #expect(tokens.map(\.termString) == ["والكتاب", "running", "كتابهم"])
        #expect(tokens.map(\.stemString) == ["كتاب", "run", "كتاب"])
    }

    @Test func analyzerKinds() throws {
        // "The" is an English stop word: a token, flagged, not stemmed.
        let english = try Analyzer(kind: .english).tokens("The running dogs والكتاب")
        #expect(english.map(\.stemString) == ["the", "run", "dog", "والكتاب"])
        #expect(english.map(\.isStopWord) == [true, false, false, false])
        #expect(try Analyzer(kind: .simple).stems("The running dogs والكتاب") == ["the", "running", "dogs", "والكتاب"])
        let keyword = try Analyzer(kind: .keyword).tokens("  Sahih Al-Bukhārī  ")
        #expect(keyword.map(\.termString) == ["sahih al-bukhari"])
        #expect(keyword.first?.byteRange == 2..<20)
        #expect(try Analyzer(kind: .keyword).tokens("   ").isEmpty)
    }

    @Test func diacritizedWordsAreNotSplit() throws {
        let tokens = try Analyzer(kind: .simple).terms("إِنَّمَا الْأَعْمَالُ بِالنِّيَّاتِ")
        #expect(tokens == ["انما", "الاعمال", "بالنيات"])
    }

    @Test func bidiMarksNextToWordsNeitherSplitNorStick() throws {
        #expect(try Analyzer(kind: .simple).terms("رسول\u{200F} الله\u{200F}، قال") == ["رسول", "الله", "قال"])
        #expect(try Analyzer(kind: .simple).terms("\u{200F}رسول \u{202B}الله\u{202C}") == ["رسول", "الله"])
    }

    @Test func punctuationAndSpacesYieldNoTokens() throws {
        #expect(try Analyzer().terms("  ، . : « » ... ") == [])
        #expect(try Analyzer().terms("") == [])
    }

    @Test func mixedScripts() throws {
        #expect(try Analyzer(kind: .simple).terms("Swift و LMDB في ٢٠٢٦") == ["swift", "و", "lmdb", "في", "2026"])
        let arabic = try Analyzer().tokens("Swift و LMDB في ٢٠٢٦")
        #expect(arabic.map(\.stemString) == ["swift", "و", "lmdb", "في", "2026"])
        #expect(arabic.filter(\.isStopWord).map(\.termString) == ["و", "في"])
    }
}
