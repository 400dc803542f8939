import Testing
import TextAnalysis

/// One row per stemming rule: word → stem (words as users type them; folding applies).
let stemmingRules: [(rule: String, word: String, stem: String)] = [
    // Proclitics.
    ("article ال", "الكتاب", "كتاب"),
    ("article before two letters", "الحق", "حق"),
    ("conjunction و + article", "والكتاب", "كتاب"),
    ("conjunction ف + article", "فالكتاب", "كتاب"),
    ("preposition ب + article", "بالكتاب", "كتاب"),
    ("preposition ك + article", "كالكتاب", "كتاب"),
    ("preposition ل + article contracted (لل)", "للكتاب", "كتاب"),
    ("stacked و + ب + ال", "وبالكتاب", "كتاب"),
    ("stacked ف + لل", "فللمسلمين", "مسلم"),
    ("conjunction و alone", "وقال", "قال"),
    ("conjunction ف alone", "فقال", "قال"),
    ("future س before ي", "سيقولون", "يقول"),
    ("future س before ت", "ستكون", "تكون"),
    ("و + future س", "وسيعلم", "يعلم"),
    // Pronoun suffixes.
    ("suffix ه", "كتابه", "كتاب"),
    ("suffix ها", "كتابها", "كتاب"),
    ("suffix هم", "كتابهم", "كتاب"),
    ("suffix هن", "كتابهن", "كتاب"),
    ("suffix هما", "كتابهما", "كتاب"),
    ("suffix كم", "كتابكم", "كتاب"),
    ("suffix كما", "كتابكما", "كتاب"),
    ("suffix نا", "كتابنا", "كتاب"),
    ("suffix ني (object me)", "أخبرني", "اخبر"),
    ("suffix ي (my), stem of 4", "كتابي", "كتاب"),
    ("suffix ك (your), stem of 4", "كتابك", "كتاب"),
    // Inflection suffixes.
    ("feminine ة", "مسلمة", "مسلم"),
    ("feminine plural ات", "مسلمات", "مسلم"),
    ("masculine plural ون", "مسلمون", "مسلم"),
    ("masculine plural ين", "مسلمين", "مسلم"),
    ("dual ان, stem of 4", "مسلمان", "مسلم"),
    ("verb plural وا", "قالوا", "قال"),
    ("verb plural تم", "فعلتم", "فعل"),
    ("nisba feminine ية keeps the nisba ي", "العربية", "عربي"),
    ("nisba feminine ية loses ي too when 4 letters stay, like the masculine", "الإسلامية", "اسلام"),
    // Clitics checked against the lexicon of attested nouns (NounStems.swift).
    ("bare preposition ب before an attested noun", "بكتاب", "كتاب"),
    ("bare preposition ل before an attested noun", "لكتاب", "كتاب"),
    ("bare preposition ك before an attested noun", "كرجل", "رجل"),
    ("و + bare ب + pronoun", "وبرسوله", "رسول"),
    ("و before the article, a short noun in ة: the ة is no pronoun", "والسنة", "سنه"),
    ("ف before the article, a short noun in ة", "فالجنة", "جنه"),
    ("initial و of an attested noun is its own letter", "والديه", "والد"),
    ("the dual's ي before a pronoun, when the noun is attested", "عينيه", "عين"),
    ("a verb prefix that is a noun's letter", "سيفيهما", "سيف"),
    ("hamza seat ؤ before a suffix is the final ء", "نساؤنا", "نساء"),
    ("hamza seat ئ before a suffix is the final ء", "سمائها", "سماء"),
    ("broken plural of the table joins its singular", "أبنائهم", "ابن"),
    ("broken plural, with clitics around it", "والرجال", "رجل"),
    ("hamza seat ئ before the accusative ا", "شيئا", "شيء"),
    ("bound ت of ة before a pronoun", "مدرستهم", "مدرس"),
    ("bound ت of ة in a short word", "صلاته", "صلا"),
    ("plural ات then pronoun", "معلماتهم", "معلم"),
    ("verb ت (past, I/you/she)", "أدركت", "ادرك"),
    ("verb ت before a pronoun", "أدركته", "ادرك"),
    ("subject نا before an object pronoun", "عرفناه", "عرف"),
    ("plural و before a pronoun", "يطيعوه", "يطيع"),
    ("accusative ا", "شاعرًا", "شاعر"),
    ("dual ا of a verb", "قالا", "قال"),
    ("ل before an imperfect verb", "ليذكره", "يذكر"),
    ("ل + verb, then object pronoun", "لنأخذهم", "ناخذ"),
    // Lexicon.
    ("name of God after ل", "لله", "الله"),
    ("name of God after و", "والله", "الله"),
    ("name of God after ب", "بالله", "الله"),
    ("preposition + pronoun", "عليهم", "علي"),
    ("preposition + pronoun", "إليه", "الي"),
    ("preposition + pronoun", "منهم", "من"),
    ("preposition + pronoun", "فيها", "في"),
    // Folding happens first.
    ("diacritics and hamza (and the broken plural أعمال → عمل)", "وَالْأَعْمَالُ", "عمل"),
    ("teh marbuta with diacritics", "الْمَدِينَةِ", "مدين"),
    // Guards.
    ("future س not taken for a noun in ة", "سيارة", "سيار"),
    ("future س not taken for سيد", "سيدنا", "سيد"),
    ("future س not taken before ا (the verb سأل)", "سألتها", "سال"),
    ("ين kept when only one letter would remain", "الدين", "دين"),
    ("كم kept when only one letter would remain", "الحكم", "حكم"),
    ("و as first letter: the longer strip wins", "فعلتم", "فعل"),
    ("ف as first letter: a tie keeps it", "فضله", "فضل"),
    ("و as first letter: a tie keeps it", "وجهه", "وجه"),
    ("و as first letter before verb ت + pronoun", "وجدته", "وجد"),
    ("conjunction before a name in ان", "ومروان", "مروان"),
    ("kept ات stays whole", "بنات", "بنات"),
    ("accusative ا not taken from a kept نا", "ربنا", "ربنا"),
    ("ل + ي not taken on a noun in ة", "ليلة", "ليله"),
]

/// Words that must come out unchanged (after folding): short words, names, loanwords, and
/// words whose first or last letters only look like affixes.
let mustNotStem: [String] = [
    "بطاطس", "أحمد", "ألبانيا", "ألمانيا", "مصر", "علي", "عمر", "محمد", "عثمان", "سفيان", "رمضان",
    "سليمان", "هارون", "فلسطين", "لبنان", "إبليس",
    "وزير", "وقت", "وجه", "وضوء", "واحد", "والد", "فضل", "فتنة", "فقه", "فجر",
    "عربي", "ملك", "ملوك", "شريك", "نبي",
    "الذي", "التي", "الذين", "اللهم", "الله",
    "كتب", "بيت", "ربه", "سيف", "سنة", "ستة",
    "يكون", "دين", "عيون", "بنات", "صفات", "حكم", "يحكم", "حاكم", "انتم", "ربنا",
]

/// Real word families from the corpus: every member must reach the same stem.
let wordFamilies: [[String]] = [
    ["رجل", "الرجل", "رجال", "الرجال", "برجال", "رجالهم", "للرجال"],
    ["نساء", "النساء", "بالنساء", "نساؤنا", "نسائهم", "لنسائه"],
    ["كتاب", "الكتاب", "والكتاب", "بالكتاب", "كتابه", "كتابهم", "للكتاب", "فالكتاب", "وبالكتاب", "كتابك"],
    ["مسلم", "المسلم", "المسلمون", "المسلمين", "للمسلمين", "مسلمة", "المسلمات", "والمسلمين", "مسلمون"],
    ["صلاة", "الصلاة", "والصلاة", "بالصلاة", "صلاته", "صلاتهم", "للصلاة", "فالصلاة"],
    ["قال", "وقال", "فقال", "قالوا", "فقالوا", "وقالوا"],
    ["مدرسة", "المدرسة", "مدرسته", "مدرستهم", "بالمدرسة", "والمدرسة"],
    ["حدث", "حدثنا", "حدثني", "وحدثنا", "فحدثنا"],
    ["أخبر", "أخبرنا", "أخبرني", "وأخبرنا", "فأخبرني", "أخبرهم"],
    ["رسول", "الرسول", "رسوله", "والرسول", "للرسول", "رسولنا"],
    ["الله", "لله", "والله", "بالله", "فالله"],
    ["عمل", "العمل", "عمله", "عملهم", "بالعمل", "والعمل"],
    ["نبي", "النبي", "والنبي", "بالنبي", "للنبي"],
    ["ناس", "الناس", "والناس", "للناس", "بالناس"],
    ["يقول", "سيقول", "فسيقول", "ليقول"],
    ["أدرك", "أدركت", "أدركته", "فأدركته"],
    ["شاعر", "شاعرا", "الشاعر", "شاعرهم"],
]

@Suite struct ArabicStemmerTests {
    @Test(arguments: stemmingRules.indices)
    func rule(_ row: Int) {
        let (rule, word, stem) = stemmingRules[row]
        #expect(ArabicStemmer.stem(word) == stem, "rule: \(rule) (\(word))")
    }

    @Test(arguments: mustNotStem)
    func unchanged(_ word: String) {
        #expect(ArabicStemmer.stem(word) == ScriptFolding.fold(word))
    }

    @Test(arguments: wordFamilies.indices)
    func familyMeets(_ index: Int) {
        let family = wordFamilies[index]
        let stems = Set(family.map(ArabicStemmer.stem))
        #expect(stems.count == 1, "\(family.map { "\($0)→\(ArabicStemmer.stem($0))" }.joined(separator: " "))")
    }

    @Test func nonArabicWordsPassThrough() {
        #expect(ArabicStemmer.stem("swift") == "swift")
        #expect(ArabicStemmer.stem("٢٠٢٦") == "2026")
        #expect(ArabicStemmer.stem("عام2026") == "عام2026")
    }
}
