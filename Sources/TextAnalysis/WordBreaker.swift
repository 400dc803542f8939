import CICUShim

/// ICU word boundaries (UAX #29) over UTF-8 text, yielding only word-like segments
/// (letters, numbers, ideographs), never spaces or punctuation.
///
/// Holds an ICU break iterator: not thread-safe; make one per thread.
public final class WordBreaker {
    private let handle: OpaquePointer

    public init() throws(AnalysisError) {
        var error: Int32 = 0
        guard let handle = fihris_wordbreaker_open(&error) else {
            throw AnalysisError("ICU word break iterator could not be created: \(String(cString: fihris_icu_error_name(error)))")
        }
        self.handle = handle
    }

    deinit { fihris_wordbreaker_close(handle) }

    /// Calls `body` with the byte range of each word in `text`, in order.
    /// `text` must stay valid for the duration of the call.
    public func forEachWord(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws -> Void) throws {
        guard let base = text.baseAddress, text.count > 0 else { return }
        let rc = base.withMemoryRebound(to: CChar.self, capacity: text.count) {
            fihris_wordbreaker_set_utf8(handle, $0, Int64(text.count))
        }
        if rc > 0 {
            throw AnalysisError("ICU could not segment the text: \(String(cString: fihris_icu_error_name(rc)))")
        }
        var start: Int64 = 0, end: Int64 = 0, status: Int32 = 0
        while fihris_wordbreaker_next_word(handle, &start, &end, &status) == 1 {
            try body(Int(start)..<Int(end))
        }
    }

    /// The ICU version in use, e.g. "72.1".
    public static var icuVersion: String { String(cString: fihris_icu_version()) }
}

/// Unicode NFKC_Casefold through ICU: compatibility forms and ligatures decomposed, case
/// folded, default-ignorable code points removed.
public enum UnicodeFolding {
    public static func nfkcCasefold(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let base = input.baseAddress, input.count > 0 else { return [] }
        var capacity = input.count * 2 + 16
        while true {
            var output = [UInt8](repeating: 0, count: capacity)
            var error: Int32 = 0
            let length = output.withUnsafeMutableBufferPointer { out in
                base.withMemoryRebound(to: CChar.self, capacity: input.count) { src in
                    out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: capacity) { dst in
                        fihris_nfkc_casefold_utf8(src, Int32(input.count), dst, Int32(capacity), &error)
                    }
                }
            }
            if length < 0 { return Array(input) }  // ICU failure: keep the text as it is
            if Int(length) <= capacity {
                output.removeLast(capacity - Int(length))
                return output
            }
            capacity = Int(length)
        }
    }
}
