import Foundation
import Testing
import QueryLanguage
@testable import Fihris

/// Typo tolerance: the bounded dictionary walk against the whole table over every term,
/// fuzzy words, automatic mode, suggestions.
@Suite struct TypoTests {
    /// Damerau–Levenshtein costs in half edits, one row per rule.
    @Test func editCosts() {
        func d(_ a: String, _ b: String) -> Int { FuzzyTerms.distance(a.unicodeScalars.map(\.value), b.unicodeScalars.map(\.value)) }
        let rows: [(String, String, Int)] = [
            ("مسجد", "مسجد", 0), ("مسجد", "مسجذ", 1),   // ذ/د: confusable, half an edit
            ("ضرب", "ظرب", 1), ("سبت", "صبت", 1), ("طاب", "تاب", 1), ("ذكر", "زكر", 1), ("ثلاث", "سلاث", 1),
            ("مسجد", "مسحد", 2), ("مسجد", "مجسد", 2),    // substitution; swap of adjacent letters
            ("مسجد", "مسجدا", 2), ("مسجد", "مجد", 2), ("مسجد", "مدجس", 4), ("", "ab", 4),
        ]
        for (a, b, cost) in rows { #expect(d(a, b) == cost, "\(a) \(b)") }
    }

    /// The walk finds exactly the terms a scan of every term with the whole table finds.
    @Test func walkEqualsAScanOfEveryTerm() throws {
        let (dir, index) = try SearchFeaturesTests.corpusIndex()
        _ = dir
        try index.read { searcher throws in
            let snapshot = searcher.snapshot
            let field = try #require(snapshot.schema.fieldNumber("text"))
            var all: [[UInt8]] = []
            for segment in snapshot.segments {
                try snapshot.forEachTerm(segment: segment.id, field: field, kind: .exact, from: []) { term, _ in all.append(Array(term)); return true }
            }
            let vocabulary = Array(Set(all))
            var rng = SortTests.Generator(state: 5)
            var walked = 0, scanned = 0
            for n in 0..<150 {
                var word = vocabulary[rng.below(vocabulary.count)].withUnsafeBytes { FuzzyTerms.scalars($0) }
                if n % 2 == 0, !word.isEmpty { word[rng.below(word.count)] = UInt32(0x0628 + rng.below(20)) }  // a typo
                let bytes = Array(String(String.UnicodeScalarView(word.compactMap(Unicode.Scalar.init))).utf8)
                for maxCost in [1, 2, 4] {
                    let (found, visited) = try FuzzyTerms.matches(bytes, maxCost: maxCost, snapshot: snapshot, field: field, kind: .exact)
                    let expected = vocabulary.compactMap { term -> FuzzyTerms.Match? in
                        let cost = FuzzyTerms.distance(term.withUnsafeBytes { FuzzyTerms.scalars($0) }, word)
                        return cost <= maxCost ? FuzzyTerms.Match(term: term, cost: cost) : nil
                    }
                    #expect(Set(found.map { "\($0.term)/\($0.cost)" }) == Set(expected.map { "\($0.term)/\($0.cost)" }), "\(bytes) \(maxCost)")
                    walked += visited
                    scanned += all.count
                }
            }
            // Bounded: far fewer terms looked at than a scan.
            #expect(walked * 3 < scanned, "walked \(walked) of \(scanned)")
        }
    }

    @Test func fuzzyWordsAndAutomaticTypos() throws {
        let (dir, index) = try SearchFeaturesTests.corpusIndex()
        _ = dir
        func ids(_ q: String, typos: TypoTolerance = .off, limit: Int = 10) throws -> [String] {
            var options = SearchOptions(limit: limit)
            options.typoTolerance = typos
            return try index.read { try $0.search(q, options: options) }.hits.map(\.id)
        }
        let right = try ids("رمضان")
        #expect(!right.isEmpty)
        #expect(try ids("رمضاان").isEmpty)                           // no tolerance: nothing
        #expect(try ids("رمضاان~1").first == right.first)            // one edit: the word's documents
        #expect(Set(try ids("رمضان", limit: 1000)).isSubset(of: Set(try ids("رمضاان~1", limit: 1000))))
        #expect(try ids("رمضاان", typos: .automatic) == (try ids("رمضاان~1")))   // automatic: the same
        #expect(try ids("رمضان", typos: .automatic) == right)        // a word in the index is not expanded
        #expect(try ids("رمضاان~0").isEmpty)
        #expect(try ids("رمضن~").first == right.first)               // ~ alone: edits by length (4 letters: 1)
        #expect(try ids("رمن~").isEmpty)                             // (3 letters: none)
        // Suggestions for a word in no document, nearest first.
        let results = try index.read { try $0.search("رمضاان", options: SearchOptions()) }
        #expect(results.suggestions.first?.candidates.first?.text == "رمضان")
        #expect(results.suggestions.first?.word == "رمضاان")
        #expect(try index.read { try $0.search("رمضان", options: SearchOptions()) }.suggestions.isEmpty)
    }
}
