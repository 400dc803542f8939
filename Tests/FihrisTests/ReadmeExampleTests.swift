import Foundation
import Testing

// The embedding example of README.md, kept here verbatim so that it compiles and runs.
// If you change one, change the other.
import Fihris

func readmeExample(directory: String) throws -> [String] {
    var printed: [String] = []
    func print(_ line: String) { printed.append(line) }
    // --- README example begins
    let index = try SearchIndex(at: directory, mode: .openOrCreate)
    try index.write { writer in
        try writer.add(Document(id: "news-1", title: "عين الأسد",
                                text: "العراق يستعد لتسلّم قاعدة عين الأسد في محافظة الأنبار"))
        try writer.add(Document(id: "bukhari:1", fields: [
            .init("collection", .text("bukhari")),
            .init("book", .integer(1)),
            .init("text", .text("إِنَّمَا الْأَعْمَالُ بِالنِّيَّاتِ")),
        ]))
    }
    let results = try index.read { searcher in
        try searcher.search("انما الاعمال", limit: 10)
    }
    print("\(results.total) match(es)")
    for hit in results.hits {
        print("\(hit.id) \(hit.score) \(hit.document[field: "collection"] ?? .text("-"))")
    }
    // --- README example ends
    return printed
}

@Suite struct ReadmeExampleTests {
    @Test func readmeExampleRuns() throws {
        let directory = NSTemporaryDirectory() + "fihris-readme-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = try readmeExample(directory: directory)
        #expect(lines.count == 2)
        #expect(lines[0] == "1 match(es)")
        #expect(lines[1].hasPrefix("bukhari:1 ") && lines[1].hasSuffix(" bukhari"))
    }
}
