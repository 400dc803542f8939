#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The harakat of a word, one byte per letter, so a query typed with harakat can tell
/// homographs apart: عَلِمَ (knew), عَلَّمَ (taught), عِلْم (knowledge) and عَلَم (flag) fold to
/// one word, علم, but their signatures differ.
///
/// A signature has one byte per letter of the word's folded form: a set of marks (bits
/// below), order-normalized by construction (shadda before or after the vowel is the same
/// set). Two corpus habits are normalized so a user typing either way gets the same
/// answer: the lam's marks written after the alef of لا (لاَ, إِلاَّ: 25,357 times in the
/// hadith text, against 34 on the lam) go back to the lam, and a tanween fath written on a
/// final alef (رَجُلاً) goes to the letter before it (رَجُلًا) — a bare alef only: one
/// carrying a hamza keeps its marks (الأَسَدِيُّ, لأُرَاهُ, مَلْجَأً).
///
/// A word has no signature when it carries no mark, or when its letters cannot be aligned
/// with its folded form (Uthmani spelling rewritten by `QuranicOrthography`, digits, other
/// scripts): it then matches only by folding, as before.
public enum Vocalization {
    public static let fatha: UInt8 = 1, damma: UInt8 = 2, kasra: UInt8 = 4, sukun: UInt8 = 8, shadda: UInt8 = 16
    public static let tanweenFath: UInt8 = 32, tanweenDamm: UInt8 = 64, tanweenKasr: UInt8 = 128

    /// The signature of the surface form `word` whose folded form has `letters` letters;
    /// nil when it has none (see the type's documentation).
    public static func signature(of word: UnsafeBufferPointer<UInt8>, letters: Int) -> [UInt8]? {
        var folded: [UInt8] = [], marks: [UInt8] = []
        guard ScriptFolding.fold(word, into: &folded, marks: &marks), marks.count == letters,
              folded.withUnsafeBufferPointer({ normalize(folded: $0, marks: &marks) }) else { return nil }
        return marks
    }

    /// Checks the marks `ScriptFolding.fold(_:into:marks:)` recorded for the folded word
    /// `folded` (two bytes per letter): one byte per letter, and at least one mark (else no
    /// signature). The two normalizations (the lam's marks written after the alef of لا go
    /// back to the lam, a tanween fath on an alef to the letter before) are made while
    /// folding, where a bare ا is told from one carrying a hamza (لأُرَاهُ keeps its damma on
    /// the alef).
    public static func normalize(folded: UnsafeBufferPointer<UInt8>, marks: inout [UInt8]) -> Bool {
        marks.count * 2 == folded.count && marks.contains { $0 != 0 }
    }

    /// The marks of the stem's letters, when the stem is a run of the folded form's letters
    /// (the stemmer cut affixes off, as it does for all but lexicon and broken-plural stems):
    /// `marks` has one byte per letter of `term`. Nil when the stem is not such a run or
    /// its letters carry no mark. The index keys vocalizations by stem, so عِلْم meets
    /// العِلْمِ and عِلْمِهِ, not عَلَّمَ.
    public static func stemMarks(term: UnsafeBufferPointer<UInt8>, stem: UnsafeBufferPointer<UInt8>,
                                 marks: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard !stem.isEmpty, stem.count <= term.count, marks.count * 2 == term.count else { return nil }
        var offset = 0
        while offset + stem.count <= term.count {
            if memcmp(term.baseAddress! + offset, stem.baseAddress!, stem.count) == 0 {
                let slice = UnsafeBufferPointer(rebasing: marks[(offset / 2)..<((offset + stem.count) / 2)])
                return slice.contains(where: { $0 != 0 }) ? slice : nil
            }
            offset += 2
        }
        return nil
    }

    /// Whether a document token's signature `document` is compatible with a query's
    /// `query` (both of one folded word): for every letter the query marks, the document has
    /// the same marks — a shadda alone asks only for the shadda, a sukun alone also accepts
    /// a letter left bare; letters the query leaves bare are wildcards (case endings are
    /// usually left bare).
    public static func isCompatible(query: UnsafeBufferPointer<UInt8>, document: UnsafeBufferPointer<UInt8>) -> Bool {
        guard query.count == document.count else { return false }
        for i in 0..<query.count {
            let q = query[i], d = document[i]
            if q == 0 || q == d { continue }
            if q == shadda && d & shadda != 0 { continue }
            if q == sukun && d == 0 { continue }
            return false
        }
        return true
    }

    public static func isCompatible(query: [UInt8], document: [UInt8]) -> Bool {
        query.withUnsafeBufferPointer { q in document.withUnsafeBufferPointer { isCompatible(query: q, document: $0) } }
    }

    /// The signature written with marks on the letters of `folded` (for messages and
    /// `fihris analyze`): عَلَّمَ for (علم, [fatha, shadda|fatha, fatha]).
    public static func describe(_ folded: String, _ signature: [UInt8]) -> String {
        var out = ""
        for (letter, bits) in zip(folded.unicodeScalars, signature) {
            out.unicodeScalars.append(letter)
            let marks: [(UInt8, UInt32)] = [(shadda, 0x0651), (fatha, 0x064E), (damma, 0x064F), (kasra, 0x0650), (sukun, 0x0652),
                                            (tanweenFath, 0x064B), (tanweenDamm, 0x064C), (tanweenKasr, 0x064D)]
            for (bit, scalar) in marks where bits & bit != 0 { out.unicodeScalars.append(Unicode.Scalar(scalar)!) }
        }
        return out
    }
}

extension Token {
    /// The harakat of the stem's letters (`Vocalization.stemMarks`): what the index keys a
    /// vocalized word by; nil when the word has none there.
    public var stemVocalization: [UInt8]? {
        guard !vocalization.isEmpty else { return nil }
        return term.withUnsafeBufferPointer { term in
            stem.withUnsafeBufferPointer { stem in
                vocalization.withUnsafeBufferPointer { Vocalization.stemMarks(term: term, stem: stem, marks: $0).map(Array.init) }
            }
        }
    }
}
