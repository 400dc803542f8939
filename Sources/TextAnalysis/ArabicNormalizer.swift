/// Script folding on UTF-8 bytes, the same for documents and queries.
///
/// Arabic: harakat (U+064B–U+065F), superscript alef (U+0670), Quranic marks
/// (U+06D6–U+06ED) and tatweel (U+0640) are removed; أ إ آ ٱ → ا, ى → ي, ة → ه;
/// Persian/Urdu ی ے → ي, ک → ك, ہ ۀ ۃ → ه; Arabic-Indic and extended digits → 0–9.
/// ZWJ, ZWNJ and bidi controls are dropped. ASCII is lowercased. Any other non-ASCII
/// text first goes through ICU NFKC_Casefold (presentation forms, ligatures, case).
///
/// The common case (Arabic letters and ASCII) never leaves this loop over bytes.
public enum ScriptFolding {
    /// Folds `input` and appends the result to `output`.
    public static func fold(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let mark = output.count
        switch foldFast(input, into: &output) {
        case .done:
            return
        case .needsOrthography:
            // Uthmani orthography (dagger alef, seatless hamza, ...): modern spelling first.
            output.removeSubrange(mark...)
            var modern: [UInt8] = []
            QuranicOrthography.rewrite(input, into: &modern)
            let result = modern.withUnsafeBufferPointer { foldFast($0, into: &output, orthography: false) }
            if result == .needsICU {
                output.removeSubrange(mark...)
                let normalized = modern.withUnsafeBufferPointer { UnicodeFolding.nfkcCasefold($0) }
                normalized.withUnsafeBufferPointer { _ = foldFast($0, into: &output, allowOther: true, orthography: false) }
            }
        case .needsICU:
            // Something outside the fast path: let ICU normalize first, then fold again.
            output.removeSubrange(mark...)
            let normalized = UnicodeFolding.nfkcCasefold(input)
            normalized.withUnsafeBufferPointer { _ = foldFast($0, into: &output, allowOther: true, orthography: false) }
        }
    }

    enum FastResult { case done, needsICU, needsOrthography }

    /// Folds `input` (one word) like `fold(_:into:)` and records its harakat: one byte per
    /// Arabic letter of the folded form (`Vocalization`'s bits), replacing `marks`. Returns
    /// false, `marks` then meaningless, when the word's letters cannot carry a signature: a
    /// non-Arabic character, or Uthmani spelling that the rewrite changes letter by letter.
    public static func fold(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], marks: inout [UInt8]) -> Bool {
        marks.removeAll(keepingCapacity: true)
        marks.reserveCapacity(input.count / 2)
        let mark = output.count
        var aligned = true
        if foldFast(input, into: &output, record: true, marks: &marks, aligned: &aligned) == .done { return aligned }
        output.removeSubrange(mark...)
        fold(input, into: &output)
        return false
    }

    public static func fold(_ text: String) -> String {
        var text = text
        var output: [UInt8] = []
        text.withUTF8 { fold($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Returns `.needsICU` (output then partially written) when it meets a character that
    /// needs ICU, unless `allowOther` is set, in which case such characters are copied as
    /// they are; `.needsOrthography` when, with `orthography`, the word holds Uthmani
    /// spelling (`QuranicOrthography`): a dagger alef, a combining maddah or hamza, a small
    /// waw or yeh, an alef wasla, or a hamza ء next to a mark.
    @inline(__always)
    static func foldFast(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], allowOther: Bool = false,
                         orthography: Bool = true) -> FastResult {
        var marks: [UInt8] = [], aligned = false
        return foldFast(input, into: &output, allowOther: allowOther, orthography: orthography, record: false, marks: &marks, aligned: &aligned)
    }

    /// With `record`, appends one byte per Arabic letter written to `marks` and ORs the
    /// harakat after it into that byte; clears `aligned` when something else is written.
    @inline(__always)
    static func foldFast(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], allowOther: Bool = false,
                         orthography: Bool = true, record: Bool, marks: inout [UInt8], aligned: inout Bool) -> FastResult {
        var i = 0
        let n = input.count
        var afterMark = false
        // Where the harakat after the last letter go (`Vocalization`'s normalization, on the
        // letters as written): the lam's marks written after a bare alef of لا (لاَ, إِلاَّ) go
        // back to the lam, a tanween fath on a bare alef (رَجُلاً) to the letter before. An alef
        // carrying a hamza (لأُرَاهُ, مَلْجَأً) keeps its own marks.
        var toLam = false, bareAlef = false
        output.reserveCapacity(output.count + n)
        while i < n {
            let b0 = input[i]
            if b0 < 0x80 {
                if record { aligned = false }
                output.append(b0 >= 0x41 && b0 <= 0x5A ? b0 | 0x20 : b0)
                i += 1
                continue
            }
            // Two-byte sequences D8–DB xx cover U+0600–U+06FF.
            if b0 >= 0xD8 && b0 <= 0xDB && i + 1 < n {
                let scalar = (UInt32(b0 & 0x1F) << 6) | UInt32(input[i + 1] & 0x3F)
                i += 2
                let wasAfterMark = afterMark
                afterMark = false
                switch scalar {
                case 0x0670, 0x0653...0x0655, 0x06E5...0x06E7:
                    if orthography { return .needsOrthography }
                    afterMark = true
                    continue
                case 0x0671:
                    if orthography { return .needsOrthography }
                    appendArabic(0x0627, &output)
                case 0x0621 where orthography && (wasAfterMark || (i + 1 < n && input[i] == 0xD9 && input[i + 1] >= 0x8B && input[i + 1] <= 0x92)):
                    return .needsOrthography  // a hamza with vowel marks around it: its seat is decided
                case 0x064B...0x0652:
                    afterMark = true
                    if record, !marks.isEmpty {
                        let bit = Self.markBit(scalar), last = marks.count - 1
                        if toLam {
                            marks[last - 1] |= bit
                        } else if bareAlef && bit == Vocalization.tanweenFath && last > 0
                                    && marks[last - 1] & (Vocalization.tanweenFath | Vocalization.tanweenDamm | Vocalization.tanweenKasr) == 0 {
                            marks[last - 1] |= bit
                        } else {
                            marks[last] |= bit
                        }
                    }
                    continue  // harakat
                case 0x0656...0x065F, 0x06D6...0x06ED:
                    afterMark = true
                    continue  // other marks, Quranic marks
                case 0x0640:
                    continue  // tatweel
                case 0x0622, 0x0623, 0x0625:
                    appendArabic(0x0627, &output)  // alef forms → ا
                case 0x0649, 0x06CC, 0x06D2:
                    appendArabic(0x064A, &output)  // ى ی ے → ي
                case 0x0629, 0x06C1, 0x06C0, 0x06C3:
                    appendArabic(0x0647, &output)  // ة ہ ۀ ۃ → ه
                case 0x06A9:
                    appendArabic(0x0643, &output)  // ک → ك
                case 0x0660...0x0669:
                    if record { aligned = false }
                    output.append(UInt8(0x30 + scalar - 0x0660))
                case 0x06F0...0x06F9:
                    if record { aligned = false }
                    output.append(UInt8(0x30 + scalar - 0x06F0))
                default:
                    appendArabic(scalar, &output)
                }
                if record {
                    // A bare ا right after a lam that carries no mark: the marks are the lam's.
                    bareAlef = scalar == 0x0627
                    toLam = bareAlef && !marks.isEmpty && marks[marks.count - 1] == 0 && output.count >= 4
                        && output[output.count - 4] == 0xD9 && output[output.count - 3] == 0x84
                    marks.append(0)   // one byte per letter written
                }
                continue
            }
            // Three-byte sequences E2 80 8C–8F / AA–AE and E2 81 A6–A9: ZWNJ, ZWJ, bidi controls.
            if b0 == 0xE2 && i + 2 < n {
                let b1 = input[i + 1], b2 = input[i + 2]
                if (b1 == 0x80 && ((b2 >= 0x8C && b2 <= 0x8F) || (b2 >= 0xAA && b2 <= 0xAE)))
                    || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) {
                    i += 3
                    continue
                }
            }
            guard allowOther else { return .needsICU }
            if record { aligned = false }
            let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
            let end = min(i + length, n)
            while i < end { output.append(input[i]); i += 1 }
        }
        return .done
    }

    /// The `Vocalization` bit of a haraka U+064B–U+0652.
    @inline(__always)
    static func markBit(_ scalar: UInt32) -> UInt8 {
        switch scalar {
        case 0x064B: 32
        case 0x064C: 64
        case 0x064D: 128
        case 0x064E: 1
        case 0x064F: 2
        case 0x0650: 4
        case 0x0651: 16
        default: 8
        }
    }

    @inline(__always)
    static func appendArabic(_ scalar: UInt32, _ output: inout [UInt8]) {
        output.append(UInt8(0xC0 | (scalar >> 6)))
        output.append(UInt8(0x80 | (scalar & 0x3F)))
    }
}
