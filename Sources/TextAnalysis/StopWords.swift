/// Default stop word lists. Words are given in their usual spelling and folded on load.
public enum StopWords {
    /// Arabic function words: prepositions, conjunctions, pronouns, demonstratives, relative
    /// pronouns, particles and auxiliaries. علي is left out: folded, على (on) and علي (the
    /// name Ali) are the same word, and names must stay searchable.
    public static let arabicWords: [String] = """
        في من إلى عن مع حتى منذ لدى عند بين فوق تحت أمام خلف قبل بعد دون ضد نحو حول خلال عبر \
        و ف ثم أو أم بل لكن لكنه لكنها إذ إذا إذن لو لولا لوما كي لكي لأن حيث حين بينما كلما \
        هو هي هما هم هن أنا نحن أنت أنتما أنتم أنتن إياه إياها إياهم إياك إياي إيانا \
        هذا هذه هذان هاتان هؤلاء ذلك تلك ذانك أولئك هنا هناك هنالك \
        الذي التي الذين اللذان اللتان اللذين اللتين اللاتي اللائي اللواتي ما ماذا من مَن \
        لا لم لن ليس ليست إن أن إنما أنما كأن كأنما لعل ليت قد لقد سوف هل كل بعض غير سوى \
        كان كانت كانوا يكون تكون أي أيها أيتها يا إلا ألا أما إما كما كذلك أيضا جدا \
        فيه فيها فيهم عليه عليها عليهم إليه إليها إليهم منه منها منهم عنه عنها عنهم له لها لهم به بها بهم
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    /// The English list Lucene and Elasticsearch use by default.
    public static let englishWords: [String] = """
        a an and are as at be but by for if in into is it no not of on or such that the their then \
        there these they this to was will with
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    public static let arabic = WordSet(arabicWords + englishWords)
    public static let english = WordSet(englishWords)
}
