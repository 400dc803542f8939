import Foundation
import Testing
@testable import TextAnalysis

/// One row per orthography rule (QuranicOrthography): an Uthmani word as Tanzil writes it →
/// the modern spelling a user types; both must fold to the same letters.
let orthographyRules: [(rule: String, uthmani: String, modern: String)] = [
    ("dagger alef is a long ā", "ٱلْعَـٰلَمِينَ", "العالمين"),
    ("dagger alef on a letter", "إِبْرَٰهِـۧمَ", "إبراهيم"),
    ("dagger alef after و with its own vowel", "ٱلسَّمَـٰوَٰتِ", "السماوات"),
    ("dagger alef before a suffix", "أَزْوَٰجَهُمْ", "أزواجهم"),
    ("silent dagger: ذٰلك", "ذَٰلِكَ", "ذلك"),
    ("silent dagger: كذٰلك (with a clitic)", "كَذَٰلِكَ", "كذلك"),
    ("silent dagger: هٰذا", "هَـٰذَا", "هذا"),
    ("silent dagger: هٰذه", "هَـٰذِهِۦ", "هذه"),
    ("silent dagger: هٰؤلاء", "هَـٰٓؤُلَآءِ", "هؤلاء"),
    ("silent dagger: لٰكن", "وَلَـٰكِنَّ", "ولكن"),
    ("silent dagger: أولٰئك", "أُو۟لَـٰٓئِكَ", "أولئك"),
    ("silent dagger: الرحمٰن", "ٱلرَّحْمَـٰنِ", "الرحمن"),
    ("silent dagger: إلٰه", "إِلَـٰهُكُمْ", "إلهكم"),
    ("وٰ is the seat of ā", "ٱلصَّلَوٰةَ", "الصلاة"),
    ("وٰ: الزكاة", "ٱلزَّكَوٰةَ", "الزكاة"),
    ("وٰ: الحياة", "ٱلْحَيَوٰةُ", "الحياة"),
    ("وٰ before a written alef", "ٱلرِّبَوٰا۟", "الربا"),
    ("ىٰ at the end is ى", "عَلَىٰ", "على"),
    ("ىٰ inside a word is ا", "أَتَىٰهَا", "أتاها"),
    ("ىٰ before ة", "ٱلتَّوْرَىٰةَ", "التوراة"),
    ("maddah after alef", "جَآءَ", "جاء"),
    ("hamza + alef is آ", "ءَامَنُوا۟", "آمنوا"),
    ("hamza + alef inside a word", "ٱلْقُرْءَانِ", "القرآن"),
    ("seatless hamza on tatweel + alef", "ٱلْـَٔاخِرَةِ", "الآخرة"),
    ("initial hamza after a clitic", "لِـَٔادَمَ", "لآدم"),
    ("seatless hamza with fatha after sukun: أ", "يَسْـَٔلُونَكَ", "يسألونك"),
    ("seatless hamza with kasra: ئ", "خَـٰطِـِٔينَ", "خاطئين"),
    ("seatless hamza after ي: ئ", "شَيْـًٔا", "شيئا"),
    ("final hamza after sukun stays ء", "شَىْءٍ", "شيء"),
    ("hamza with damma after fatha: ؤ", "رَءُوفٌ", "رؤوف"),
    ("hamza + alef after ي: ئا", "ٱلسَّيِّـَٔاتِ", "السيئات"),
    ("interrogative أ + hamza with kasra", "أَءِذَا", "أإذا"),
    ("hamza before آ", "ءَآلذَّكَرَيْنِ", "آلذكرين"),
    ("hamza + dagger alef is آ", "ٱلْـَٔـٰنَ", "الآن"),
    ("small waw after the pronoun ه", "لَهُۥ", "له"),
    ("small yeh after the pronoun ه", "بِهِۦ", "به"),
    ("small high yeh is ي", "ٱلنَّبِيِّـۧنَ", "النبيين"),
    ("alef wasla", "ٱقْرَأْ", "اقرأ"),
    ("اليل with one ل", "ٱلَّيْلِ", "الليل"),
    ("اليل after a clitic", "وَٱلَّيْلِ", "والليل"),
    ("اللاتي with one ل", "ٱلَّـٰتِى", "اللاتي"),
    ("hamza seat kept in modern vocalized text", "سَمَاءٍ", "سماء"),
    ("modern vocalized text keeps its seats", "مَسْئُولًا", "مسئولا"),
]

@Suite struct QuranicOrthographyTests {
    @Test(arguments: orthographyRules.indices)
    func ruleFoldsUthmaniToModern(_ index: Int) {
        let row = orthographyRules[index]
        #expect(ScriptFolding.fold(row.uthmani) == ScriptFolding.fold(row.modern), "rule: \(row.rule) (\(row.uthmani))")
    }

    /// The silent alef after a final و is indexed both ways, at one position.
    @Test func theSilentAlefGivesASecondSpelling() throws {
        let tokens = try Analyzer().tokens("أُو۟لُوا۟ ٱلْأَلْبَـٰبِ ءَامَنُوا۟ قَالُوا")
        #expect(tokens.map(\.termString) == ["اولوا", "اولو", "الالباب", "امنوا", "امنو", "قالوا"])
        #expect(tokens.map(\.position) == [0, 0, 1, 2, 2, 3])
        #expect(tokens.map(\.isAlternative) == [false, true, false, false, true, false])
    }

    /// The vocative يا written joined to its noun is two words, at two positions.
    @Test func theJoinedVocativeIsTwoWords() throws {
        let tokens = try Analyzer().tokens("يَـٰٓأَيُّهَا ٱلَّذِينَ ءَامَنُوا۟ وَيَـٰقَوْمِ هَـٰٓأَنتُمْ هَـٰذَا").filter { !$0.isAlternative }
        #expect(tokens.map(\.termString) == ["يا", "ايها", "الذين", "امنوا", "ويا", "قوم", "ها", "انتم", "هذا"])
        #expect(tokens.map(\.position) == Array(0..<9))
        // Each part's byte range is its own piece of the word.
        let text = Array("يَـٰٓأَيُّهَا".utf8)
        let parts = try Analyzer().tokens("يَـٰٓأَيُّهَا").map { String(decoding: text[$0.byteRange], as: UTF8.self) }
        #expect(parts == ["يَـٰٓ", "أَيُّهَا"])
        // Modern spelling is not split.
        #expect(try Analyzer().tokens("يا أيها هذا").map(\.termString) == ["يا", "ايها", "هذا"])
    }

    /// Every 10th verse of the Tanzil Qur'an (Fixtures, verbatim with Tanzil's notice):
    /// the Uthmani text and the Simple Clean text of the same verse analyze to the same
    /// words. Measured 99.6% of words on all 6,236 verses; the differences left are
    /// spellings one rule cannot decide (the silent alef of أولوا / يدعوا, رءوف written
    /// with ء in the simple text, رَءَا for رأى).
    @Test func uthmaniAndSimpleTextAgree() throws {
        func verses(_ name: String) throws -> [String: String] {
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
            var result: [String: String] = [:]
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: "|", maxSplits: 2)
                if parts.count == 3 { result["\(parts[0]):\(parts[1])"] = String(parts[2]) }
            }
            return result
        }
        let uthmani = try verses("quran-uthmani-sample.txt"), simple = try verses("quran-simple-sample.txt")
        #expect(uthmani.count == 624 && Set(uthmani.keys) == Set(simple.keys))
        let analyzer = try Analyzer(AnalyzerOptions(kind: .arabic, stopWords: .none))
        var same = 0, total = 0, identicalVerses = 0
        var differences: [String] = []
        for (id, text) in uthmani {
            let a = try analyzer.tokens(text).filter { !$0.isAlternative }.map(\.termString)
            let b = try analyzer.tokens(simple[id]!).map(\.termString)
            if a == b { identicalVerses += 1 }
            total += max(a.count, b.count)
            if a.count == b.count {
                for (x, y) in zip(a, b) { if x == y { same += 1 } else { differences.append("\(id): \(x) ≠ \(y)") } }
            } else {
                differences.append("\(id): \(a.count) words ≠ \(b.count)")
            }
        }
        let agreement = Double(same) / Double(total)
        #expect(agreement >= 0.99, "word agreement \(agreement): \(differences.prefix(20).joined(separator: ", "))")
        #expect(Double(identicalVerses) / Double(uthmani.count) >= 0.93)
    }
}

/// Harakat signatures (Vocalization): what a word's marks become, one row per rule.
@Suite struct VocalizationTests {
    static let f = Vocalization.fatha, d = Vocalization.damma, k = Vocalization.kasra, s = Vocalization.sukun
    static let sh = Vocalization.shadda, tf = Vocalization.tanweenFath, td = Vocalization.tanweenDamm

    static let signatures: [(rule: String, word: String, marks: [UInt8]?)] = [
        ("one set per letter", "عَلِمَ", [f, k, f]),
        ("shadda + vowel is a set, either order", "عَلَّمَ", [f, sh | f, f]),
        ("shadda written after the vowel", "عَلَّمَ", [f, f | sh, f]),
        ("sukun and tanween", "عِلْمٌ", [k, s, td]),
        ("the lam's marks written after the alef of لا go to the lam", "لاَ", [f, 0]),
        ("… in إلا", "إِلاَّ", [k, sh | f, 0]),
        ("tanween fath on a final alef goes to the letter before", "رَجُلاً", [f, d, tf, 0]),
        ("tanween fath before the alef stays", "رَجُلًا", [f, d, tf, 0]),
        ("an alef with a hamza after a lam keeps its marks (لأُراه, bukhari:1478)", "لأُرَاهُ", [0, d, f, 0, d]),
        ("… after the article (الأَسَدِيُّ, bukhari:1485)", "الأَسَدِيُّ", [0, 0, f, f, k, sh | d]),
        ("a tanween fath on an alef with a hamza stays (مَلْجَأً)", "مَلْجَأً", [f, s, f, tf]),
        ("a lam with its own marks keeps the alef's (لَأَنْتُمْ)", "لَأَنْتُمْ", [f, f, s, d, s]),
        ("no marks: no signature", "علم", nil),
        ("tatweel carries nothing", "عَـلِمَ", [f, k, f]),
        ("a dagger alef cannot be aligned: none", "ذَٰلِكَ", nil),
    ]

    @Test(arguments: signatures.indices)
    func signature(_ index: Int) {
        let row = Self.signatures[index]
        let folded = ScriptFolding.fold(row.word)
        let marks = Array(row.word.utf8).withUnsafeBufferPointer { Vocalization.signature(of: $0, letters: folded.unicodeScalars.count) }
        #expect(marks == row.marks, "rule: \(row.rule) (\(row.word))")
    }

    static let compatibility: [(query: [UInt8], document: [UInt8], compatible: Bool)] = [
        ([f, sh | f, f], [f, sh | f, f], true),        // عَلَّمَ ~ عَلَّمَ
        ([f, sh | f, 0], [f, sh | f, f], true),        // the case ending left bare is a wildcard
        ([f, sh | f, 0], [f, k, f], false),            // عَلَّم ≁ عَلِمَ
        ([0, sh, 0], [f, sh | f, f], true),            // a lone shadda asks only for the shadda
        ([0, sh, 0], [f, k, f], false),
        ([k, s, 0], [k, 0, k], true),                  // a lone sukun accepts a bare letter
        ([k, s, 0], [k, f, k], false),
        ([f, 0, 0], [k, s, td], false),                // عَ ≁ عِلْمٌ
        ([f, 0], [f, 0, 0], false),                    // lengths differ
    ]

    @Test func compatibilityRule() {
        for row in Self.compatibility {
            #expect(Vocalization.isCompatible(query: row.query, document: row.document) == row.compatible, "\(row)")
        }
    }

    /// The analyzer gives each token its signature; the stem's letters' marks are what the
    /// index compares.
    @Test func tokensCarryTheirHarakat() throws {
        let (f, s, k, sh) = (Self.f, Self.s, Self.k, Self.sh)
        let tokens = try Analyzer().tokens("وَالْعِلْمِ عَلَّمَهُ كتاب")
        #expect(tokens[0].vocalization == [f, 0, s, k, s, k])
        #expect(tokens[2].vocalization.isEmpty)
        let stemMarks = tokens.map { token in
            token.term.withUnsafeBufferPointer { term in token.stem.withUnsafeBufferPointer { stem in
                token.vocalization.withUnsafeBufferPointer { Vocalization.stemMarks(term: term, stem: stem, marks: $0).map(Array.init) } } }
        }
        #expect(stemMarks[0] == [k, s, k])                 // علم of والعلم
        #expect(stemMarks[1] == [f, sh | f, f])            // علم of علمه
        #expect(stemMarks[2] == nil)
    }
}

/// Roots (RootExtractor): one row per kind of word, the stem as the light stemmer gives it.
@Suite struct RootExtractorTests {
    static let rows: [(rule: String, word: String, root: String?)] = [
        ("فِعال", "كتاب", "كتب"), ("فاعِل", "كاتب", "كتب"), ("مَفعول", "مكتوب", "كتب"), ("verb + plural", "كتبوا", "كتب"),
        ("article + broken plural", "الكتب", "كتب"), ("مَفعلة", "مكتبة", "كتب"), ("future + imperfect", "سيكتبون", "كتب"),
        ("استفعال", "استخدام", "خدم"), ("مُفَعِّل, plural", "المعلمون", "علم"), ("مَفعلة", "مدرسة", "درس"),
        ("hollow, past", "قال", "قول"), ("hollow, imperfect", "يقول", "قول"), ("defective in و", "دعا", "دعو"),
        ("defective in ي", "رمى", "رمي"), ("hamza first", "أخذ", "اخذ"), ("hollow imperative", "قل", "قول"), ("doubled", "استمددت", "مدد"),
        ("أفعَل of a doubled root", "أعز", "عزز"), ("hollow participle with hamza", "قائل", "قول"),
        ("quadriliteral", "زلزلة", "زلزل"), ("افتعل", "اجتمعوا", "جمع"),
        ("a loanword has no root", "تلفزيون", nil),
        // Read from the word as written (each row failed when roots came from the light stem):
        ("a written hamza is a radical, not a long ā", "أصواتكم", "صوت"), ("medial hamza", "رأسك", "راس"),
        ("hamza after ب", "بأهلها", "اهل"), ("hamza of a noun", "مسألة", "سال"),
        ("shadda: doubled, not hollow", "حَقَّة", "حقق"), ("shadda on a two-letter verb", "ظَنَّ", "ظنن"),
        ("ى is a weak radical, not the suffix ي", "ومضى", "مضي"), ("ى after an imperfect-looking ن", "نادى", "ندي"),
        ("و before a doubled noun", "ومر", "مرر"), ("ي of the imperfect, not a radical", "يشمت", "شمت"),
        ("ل before a noun", "ليلته", "ليل"), ("ال + noun of a ي-first root", "اليقين", "يقن"),
        ("مفعول of a doubled root after وال", "والمملوك", "ملك"), ("broken plural أفعال", "ألبان", "لبن"),
        ("hollow jussive after ي", "يقم", "قوم"), ("defective, ت of the feminine", "اشترت", "شري"),
        ("imperfect of a defective verb", "يرمي", "رمي"), ("lemma of the lexicon", "الصيام", "صوم"),
        ("doubled root in استفعل, written once", "تستحلّ", "حلل"),
        ("an imperfective stem after the prefix: the jussive of استطاع", "تستطع", "طوع"),
        ("… the jussive of a hollow verb, two letters", "تقم", "قوم"),
        ("… a passive imperfect of a hollow verb", "يشاكون", "شوك"),
        // Analysis version 6 (each row failed before):
        ("ة written ت before a pronoun", "صلاتك", "صلو"), ("… before a dual ending", "قصعتين", "قصع"),
        ("… the ة of a lemma, not a ه", "جبة", "جبب"), ("ى written ا before a pronoun", "فهدانا", "هدي"),
        ("a pronoun after two letters: a doubled verb", "عدها", "عدد"), ("…", "كبه", "كبب"),
        ("ى written for the suffix ي", "ثوبى", "ثوب"), ("تمو before a pronoun", "رأيتموه", "راي"),
        ("س of the future only before an imperfect", "سكارى", "سكر"),
        ("a verb's suffix is not a nominal's", "وفاديت", "فدي"),
    ]

    /// The hand-labelled tables of Benchmarks/roots (corpus words drawn uniformly): accuracy
    /// must not fall below what was measured (held out 0.900, blind 0.902; before analysis
    /// version 6: 0.870 and 0.899; the ISRI stemmer: 0.592 and 0.630).
    @Test(arguments: [("heldout.tsv", 331, 0.895), ("blind.tsv", 346, 0.895)])
    func tableAccuracy(table: String, count: Int, floor: Double) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Benchmarks/roots/\(table)").standardized
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.count == count)
        let right = rows.filter { RootExtractor.root(ofWord: $0[0]) == $0[1] }.count
        #expect(Double(right) / Double(rows.count) >= floor, "\(table): \(right) of \(rows.count)")
    }

    /// The data tables parse whole (a byte-level reader since analysis version 6): every
    /// root of RootList.swift, every lemma form and imperfective stem of RootLexicon.swift.
    @Test func theTablesParseWhole() {
        #expect(RootExtractor.roots.count == 7626)
        #expect(RootExtractor.lexicon.count == 27085)
        #expect(RootExtractor.imperfectLexicon.count == 7240)
        let katab = RootExtractor.lexicon[RootExtractor.lemmaKey(Array("كتاب".utf16))!]
        #expect(katab?.roots == [RootExtractor.parseKey(Array("كتب".utf16))!] && katab?.nominal == true && katab?.verb == false)
    }

    @Test func roots() {
        for row in Self.rows {
            #expect(RootExtractor.root(ofWord: row.word) == row.root.map { ScriptFolding.fold($0) }, "rule: \(row.rule) (\(row.word))")
        }
    }
}
