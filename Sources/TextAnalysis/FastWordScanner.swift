import CICUShim

/// UAX #29 word boundaries computed directly on UTF-8, for text made only of code points
/// whose Word_Break class it handles: ASCII, U+0080–U+07FF (Latin, Greek, Cyrillic,
/// Arabic...) and the General Punctuation block (U+2000–U+206F: spaces, bidi controls,
/// ZWJ/ZWNJ). The classes come from ICU itself, read once; the rules implemented are WB3a–
/// WB13b for letters, numbers, Extend/Format/ZWJ (WB4), MidLetter, MidNum and MidNumLet.
/// Anything else (Hebrew, Katakana, emoji, ExtendNumLet, ideographs, presentation forms...)
/// makes `scan` return false, and the caller segments that text with ICU instead.
///
/// The differential test in TextAnalysisTests checks it yields exactly ICU's word ranges
/// over the hadith corpus and the news article. It runs several times faster than ICU.
enum FastWordScanner {
    // Internal classes.
    static let other: UInt8 = 0, letter: UInt8 = 1, numeric: UInt8 = 2, ignorable: UInt8 = 3  // Extend, Format, ZWJ
    static let midLetter: UInt8 = 4, midNum: UInt8 = 5, midNumLet: UInt8 = 6, hardBreak: UInt8 = 7  // CR LF Newline
    static let unsupported: UInt8 = 255

    static func internalClass(_ wordBreak: Int32) -> UInt8 {
        switch wordBreak {
        case 0, 22: return other                 // Other, WSegSpace
        case 1: return letter                    // ALetter
        case 6: return numeric
        case 2, 9, 21: return ignorable          // Format, Extend, ZWJ
        case 4: return midLetter
        case 5: return midNum
        case 11, 15: return midNumLet            // MidNumLet, Single_Quote
        case 16: return other                    // Double_Quote: only joins Hebrew letters, which fall back
        case 8, 10, 12: return hardBreak
        default: return unsupported
        }
    }

    /// Classes of U+0000–U+07FF. ICU's root rules take the colon out of MidLetter (it joins
    /// words only in a Swedish tailoring), so ':' is Other here too.
    static let lowTable: [UInt8] = (0..<0x800).map { $0 == 0x3A ? other : internalClass(fihris_word_break_class(Int32($0))) }
    /// Classes of U+2000–U+206F.
    static let punctuationTable: [UInt8] = (0x2000..<0x2070).map { internalClass(fihris_word_break_class(Int32($0))) }

    /// Collects word ranges into `words`; returns false (words then meaningless) when the
    /// text holds a code point this scanner does not handle.
    static func scan(_ text: UnsafeBufferPointer<UInt8>, into words: inout [Range<Int>]) -> Bool {
        words.removeAll(keepingCapacity: true)
        return lowTable.withUnsafeBufferPointer { low in
            punctuationTable.withUnsafeBufferPointer { punctuation in
                scan(text, low: low, punctuation: punctuation, into: &words)
            }
        }
    }

    @inline(__always)
    private static func scan(_ text: UnsafeBufferPointer<UInt8>, low: UnsafeBufferPointer<UInt8>,
                             punctuation: UnsafeBufferPointer<UInt8>, into words: inout [Range<Int>]) -> Bool {
        let n = text.count
        var i = 0
        var inWord = false
        var wordStart = 0, wordEnd = 0
        var lastBase = other                       // letter or numeric: the word's last base character
        var pendingMid = other                     // a mid character after the word, awaiting the next base
        while i < n {
            let b0 = text[i]
            let start = i
            let kind: UInt8
            if b0 < 0x80 {
                kind = low[Int(b0)]
                i += 1
            } else if b0 >= 0xC2 && b0 < 0xE0 {
                guard i + 1 < n else { return false }
                kind = low[(Int(b0 & 0x1F) << 6) | Int(text[i + 1] & 0x3F)]
                i += 2
            } else if b0 == 0xE2 {
                guard i + 2 < n else { return false }
                let scalar = 0x2000 | (Int(text[i + 1] & 0x3F) << 6) | Int(text[i + 2] & 0x3F)
                guard text[i + 1] & 0xC0 == 0x80, scalar >= 0x2000 && scalar < 0x2070 else { return false }
                kind = punctuation[scalar - 0x2000]
                i += 3
            } else {
                return false
            }
            switch kind {
            case ignorable:
                // WB4: attaches to what precedes; inside a word it extends the word (or the
                // pending mid character, which is not part of the word yet).
                if inWord && pendingMid == other { wordEnd = i }
            case letter, numeric:
                if inWord {
                    let joins: Bool
                    if pendingMid == other {
                        joins = true                                   // WB5, WB8, WB9, WB10
                    } else if kind == letter && lastBase == letter {
                        joins = pendingMid == midLetter || pendingMid == midNumLet   // WB6, WB7
                    } else if kind == numeric && lastBase == numeric {
                        joins = pendingMid == midNum || pendingMid == midNumLet      // WB11, WB12
                    } else {
                        joins = false
                    }
                    if !joins {
                        words.append(wordStart..<wordEnd)
                        wordStart = start
                    }
                } else {
                    inWord = true
                    wordStart = start
                }
                wordEnd = i
                lastBase = kind
                pendingMid = other
            case midLetter, midNum, midNumLet:
                if inWord {
                    if pendingMid == other {
                        pendingMid = kind
                    } else {
                        words.append(wordStart..<wordEnd)   // two mid characters: the word ends
                        inWord = false
                        pendingMid = other
                    }
                }
            case other, hardBreak:
                if inWord {
                    words.append(wordStart..<wordEnd)
                    inWord = false
                    pendingMid = other
                }
            default:
                return false
            }
        }
        if inWord { words.append(wordStart..<wordEnd) }
        return true
    }
}
