import Foundation
import Testing
import TextAnalysis

/// Differential test: Porter2 must give exactly the Snowball reference's stems for 3,000+
/// words (Fixtures/porter2.tsv, produced by PyStemmer's English stemmer).
@Suite struct EnglishStemmerTests {
    @Test func matchesTheSnowballReference() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/porter2.tsv").path
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.count > 3000)
        var mismatches: [String] = []
        for line in lines {
            let parts = line.split(separator: "\t").map(String.init)
            let got = EnglishStemmer.stem(parts[0])
            if got != parts[1] { mismatches.append("\(parts[0]): expected \(parts[1]), got \(got)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(15))")
    }

    @Test(arguments: [("running", "run"), ("generously", "generous"), ("skies", "sky"), ("dying", "die"),
                      ("news", "news"), ("a", "a"), ("by", "by"), ("café", "café"), ("2026", "2026")])
    func examples(_ word: String, _ expected: String) {
        #expect(EnglishStemmer.stem(word) == expected)
    }
}
