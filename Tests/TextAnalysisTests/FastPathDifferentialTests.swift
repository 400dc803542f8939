import Foundation
import Testing
@testable import TextAnalysis

/// The UTF-8 fast path must give exactly ICU's word ranges. Checked over every text of the
/// corpus (the committed sample and the news article; the full 14,940 hadith too when
/// `python3 corpus/fetch_hadith.py` has fetched them) and over hand-made tricky strings.
@Suite struct FastPathDifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func corpusTexts() throws -> [String] {
        var texts = [try String(contentsOf: root.appendingPathComponent("corpus/ain-al-asad-handover.txt"), encoding: .utf8)]
        var files = [root.appendingPathComponent("corpus/hadith-sample.jsonl")]
        let full = root.appendingPathComponent("data/hadith-full/hadith.jsonl")
        if FileManager.default.fileExists(atPath: full.path) { files.append(full) }
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                texts.append(object["text"] as! String)
            }
        }
        return texts
    }

    static func icuRanges(_ text: String, _ breaker: WordBreaker) throws -> [Range<Int>] {
        var text = text
        var ranges: [Range<Int>] = []
        try text.withUTF8 { try breaker.forEachWord(in: $0) { ranges.append($0) } }
        return ranges
    }

    static func fastRanges(_ text: String) -> [Range<Int>]? {
        var text = text
        var ranges: [Range<Int>] = []
        let handled = text.withUTF8 { FastWordScanner.scan($0, into: &ranges) }
        return handled ? ranges : nil
    }

    @Test func sameWordsAsICUOverTheCorpus() throws {
        let breaker = try WordBreaker()
        let texts = try Self.corpusTexts()
        var fast = 0, mismatches: [String] = []
        for text in texts {
            guard let ranges = Self.fastRanges(text) else { continue }
            fast += 1
            let expected = try Self.icuRanges(text, breaker)
            if ranges != expected, mismatches.count < 5 {
                let first = zip(ranges, expected).first { $0 != $1 }
                mismatches.append("\(ranges.count) vs \(expected.count) words; first difference \(String(describing: first)) in \(text.prefix(80))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // Nearly all of the corpus must take the fast path, or it is not worth having.
        #expect(fast * 100 >= texts.count * 99, "fast path taken for \(fast) of \(texts.count) texts")
    }

    static let tricky: [String] = [
        "a.b a..b a.b.c. 3.14 1,000 1,,0 don't 'quoted' x:y :x y: a'b'c",
        "عام2026 2026عام ١٬٠٠٠ ٣٫١٤ ۱۴۰۵ كتاب.قال كتاب،قال ١،٢ قال:حدثنا",
        "\u{200F}رسول الله\u{200F}، \u{202B}نص\u{202C} می\u{200C}خواهم ا\u{200D}ب",
        "ِكسرة بعد مسافة\nِكسرة بعد سطر\r\nسطر\u{2028}فقرة\u{2029}نهاية",
        "café naïve Ωμέγα Привет straße déjà-vu",
        "tab\tspace nbsp\u{00A0}nbsp «اقتباس» — dash … ellipsis · middle·dot",
        "a.\u{200F}b 1.\u{200F}2 word\u{200F}.\u{200F}word",
        "", " ", "...", "٠", "a", "\u{200F}", "ـــ", "كـــتاب",
    ]

    @Test(arguments: tricky)
    func sameWordsAsICUOnTrickyText(_ text: String) throws {
        let breaker = try WordBreaker()
        let fast = try #require(Self.fastRanges(text), "fast path should handle: \(text)")
        #expect(fast == (try Self.icuRanges(text, breaker)))
    }

    @Test(arguments: ["中文文本", "עברית", "emoji 😀 here", "カタカナ", "snake_case", "ﷲ presentation", "ｆｕｌｌ"])
    func unsupportedTextFallsBackToICU(_ text: String) throws {
        #expect(Self.fastRanges(text) == nil)
        // And the analyzer still gives ICU's tokens for it.
        let analyzer = try Analyzer(kind: .simple)
        let slow = try Analyzer(kind: .simple)
        slow.usesFastPath = false
        #expect(try analyzer.tokens(text) == slow.tokens(text))
    }
}
