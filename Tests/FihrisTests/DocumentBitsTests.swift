import Foundation
import Testing
@testable import Fihris

/// Dense keyword filters are read as bits (`DocumentBits`), cached per process and list.
@Suite struct DocumentBitsTests {
    /// `seek` and `next` over bits agree with a sorted list of the same documents, at
    /// every density, for random targets that never go backwards.
    @Test func bitsSeekLikeASortedList() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let end = Int.random(in: 1...700, using: &rng)
            let density = Double.random(in: 0...1, using: &rng)
            let members = (0..<end).filter { _ in Double.random(in: 0..<1, using: &rng) < density }
            var words = [UInt64](repeating: 0, count: (end + 63) / 64)
            for d in members { words[d >> 6] |= 1 << UInt64(d & 63) }
            var bits = DocumentBits(DocumentBitSet(words: words, end: end), cost: members.count)
            var position = -1
            var target = -1
            while position != noMoreDocs {
                let step = Int.random(in: 0...3, using: &rng)
                let expected: Int
                if step == 0 {
                    position = try bits.next()
                    expected = members.first { $0 > target } ?? noMoreDocs
                } else {
                    let at = position
                    target = max(target, Int.random(in: (target - 2)...(target + 40), using: &rng))
                    position = try bits.seek(target)
                    // At or past the target already: it stays (the DocSet contract).
                    expected = at >= target ? at : members.first { $0 >= target } ?? noMoreDocs
                }
                #expect(position == expected, "end \(end), target \(target)")
                target = position
            }
        }
    }

    /// A filter on a value in half the documents (read as bits) finds exactly the documents
    /// holding it, after each of: a first commit, a second one adding documents, deletions,
    /// and an optimize that rewrites every list (the cached bits of a list that changed must
    /// never be reused).
    @Test func denseFiltersFollowTheIndex() throws {
        let dir = TemporaryDirectory()
        let schema = try Schema(fields: [FieldDefinition(name: "text", type: .text), FieldDefinition(name: "collection", type: .keyword)])
        let index = try SearchIndex(at: dir.path, mode: .openOrCreate, schema: schema)
        var collections: [String: String] = [:]
        func add(_ range: Range<Int>) throws {
            try index.write { writer in
                for i in range {
                    let collection = i % 3 == 0 ? "b" : "a"
                    collections["d\(i)"] = collection
                    try writer.add(Document(id: "d\(i)", fields: [.init("text", .text("كلمة \(i % 7 == 0 ? "نادرة" : "")")),
                                                                  .init("collection", .text(collection))]))
                }
            }
        }
        func check(_ step: String) throws {
            for (collection, word) in [("a", "كلمة"), ("b", "كلمة"), ("a", "نادرة")] {
                // k below the live documents: the pruned path, where filters are `Filters`.
                var options = SearchOptions(limit: collections.count - 1)
                try options.addFilter("collection:\(collection)")
                let hits = try index.read { try $0.search(word, options: options) }.hits.map(\.id)
                let expected = collections.filter { $0.value == collection && (word == "كلمة" || Int($0.key.dropFirst())! % 7 == 0) }.map(\.key)
                let missing = Set(expected).subtracting(hits).count, extra = Set(hits).subtracting(expected).count
                #expect(missing == 0 && extra == 0 && hits.count == expected.count,
                        "\(step): \(word) in \(collection): \(hits.count) hits for \(expected.count), \(missing) missing, \(extra) wrong")
            }
        }
        try add(0..<400)
        try check("first commit")
        try add(400..<700)
        try check("second commit")
        try index.write { writer in for i in stride(from: 0, to: 700, by: 5) { writer.delete(id: "d\(i)"); collections["d\(i)"] = nil } }
        try check("deletions")
        try index.optimize()
        try check("optimize")
    }
}
