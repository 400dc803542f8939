import Testing
import TextAnalysis

/// Lucene's own Arabic test cases (`TestArabicNormalizationFilter`, `TestArabicStemFilter`
/// in lucene/analysis/common, Apache-2.0), as a peer suite: every normalization case gives
/// Lucene's output; every family Lucene's stemmer conflates, Fihris conflates too (its stem
/// may differ); where Fihris deliberately disagrees, the row says why.
@Suite struct LuceneArabicTests {
    /// ArabicNormalizationFilter: input → Lucene's output.
    static let normalization: [(test: String, input: String, expected: String)] = [
        ("testAlifMadda", "آجن", "اجن"),
        ("testAlifHamzaAbove", "أحمد", "احمد"),
        ("testAlifHamzaBelow", "إعاذ", "اعاذ"),
        ("testAlifMaksura", "بنى", "بني"),
        ("testTehMarbuta", "فاطمة", "فاطمه"),
        ("testTatweel", "روبرـــــت", "روبرت"),
        ("testFatha", "مَبنا", "مبنا"),
        ("testKasra", "علِي", "علي"),
        ("testDamma", "بُوات", "بوات"),
        ("testFathatan", "ولداً", "ولدا"),
        ("testKasratan", "ولدٍ", "ولد"),
        ("testDammatan", "ولدٌ", "ولد"),
        ("testSukun", "نلْسون", "نلسون"),
        ("testShaddah", "هتميّ", "هتمي"),
        ("testEmptyTerm", "", ""),
    ]

    @Test(arguments: normalization)
    func normalizesLikeLucene(_ row: (test: String, input: String, expected: String)) {
        #expect(ScriptFolding.fold(row.input) == row.expected, "\(row.test)")
    }

    /// ArabicStemFilter: input → Lucene's stem. Rows of one Lucene stem form a family.
    static let stemming: [(test: String, input: String, lucene: String)] = [
        ("testAlPrefix", "الحسن", "حسن"),
        ("testWalPrefix", "والحسن", "حسن"),
        ("testBalPrefix", "بالحسن", "حسن"),
        ("testKalPrefix", "كالحسن", "حسن"),
        ("testFalPrefix", "فالحسن", "حسن"),
        ("testWaPrefix", "وحسن", "حسن"),
        ("testLlPrefix", "للاخر", "اخر"),
        ("testAhSuffix", "زوجها", "زوج"),
        ("testAnSuffix", "ساهدان", "ساهد"),
        ("testAtSuffix", "ساهدات", "ساهد"),
        ("testWnSuffix", "ساهدون", "ساهد"),
        ("testYnSuffix", "ساهدين", "ساهد"),
        ("testYhSuffix", "ساهديه", "ساهد"),
        ("testYpSuffix", "ساهدية", "ساهد"),
        ("testHSuffix", "ساهده", "ساهد"),
        ("testPSuffix", "ساهدة", "ساهد"),
        ("testYSuffix", "ساهدي", "ساهد"),
        ("testComboPrefSuf", "وساهدون", "ساهد"),
        ("testShouldntStem", "الو", "الو"),
        ("testNonArabic", "English", "English"),
    ]

    /// Where Fihris conflates differently, and why.
    static let disagreements: [(test: String, input: String, fihris: String, why: String)] = [
        ("testComboSuf", "ساهدهات", "ساهده",
         "a pronoun ه never precedes the plural ات in Arabic; Fihris strips one inflection layer, so the made-up form stays apart"),
    ]

    static func stem(_ word: String) throws -> String {
        try Analyzer(AnalyzerOptions(kind: .arabic, stopWords: .none)).tokens(word).first?.stemString ?? ""
    }

    /// Each family Lucene conflates is conflated by Fihris: one stem for all its members,
    /// and a member's stem is also what Lucene's stem itself analyzes to.
    @Test func conflatesLucenesFamilies() throws {
        let families = Dictionary(grouping: Self.stemming, by: \.lucene)
        for (luceneStem, members) in families {
            let stems = Set(try members.map { try Self.stem($0.input) })
            let own = try Self.stem(luceneStem)
            #expect(stems.count == 1, "family \(luceneStem): \(members.map(\.input)) → \(stems)")
            #expect(stems.first == own, "family \(luceneStem): \(stems) vs its stem's own \(own)")
        }
    }

    @Test func documentedDisagreements() throws {
        for row in Self.disagreements {
            let stem = try Self.stem(row.input)
            #expect(stem == row.fihris, "\(row.test): \(row.why)")
        }
    }
}
