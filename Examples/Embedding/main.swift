// The README's embedding example, built and run by the tests (CLITests), so the README
// cannot drift from the code: the block between the markers is the one the README shows.
import Fihris
import Foundation

let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : NSTemporaryDirectory() + "fihris-example"

// --- README example begins
let schema = try Schema(fields: [
    FieldDefinition(name: "text", type: .text, analyzer: .arabic),
    FieldDefinition(name: "collection", type: .keyword),
    FieldDefinition(name: "book", type: .integer),
])
let index = try SearchIndex(at: directory, mode: .openOrCreate, schema: schema)

try index.write { writer in
    try writer.add(Document(id: "bukhari:1", fields: [
        .init("collection", .text("bukhari")),
        .init("book", .integer(1)),
        .init("text", .text("إِنَّمَا الْأَعْمَالُ بِالنِّيَّاتِ، وَإِنَّمَا لِكُلِّ امْرِئٍ مَا نَوَى")),
    ]))
    try writer.add(Document(id: "muslim:4927", fields: [
        .init("collection", .text("muslim")),
        .init("book", .integer(33)),
        .init("text", .text("إِنَّمَا الأَعْمَالُ بِالنِّيَّةِ")),
    ]))
}

var options = SearchOptions(limit: 10)
try options.addFilter("collection:bukhari")   // restricts, does not change scores
options.snippets = true
let results = try index.read { searcher in
    try searcher.search("\"انما الاعمال\" book:[1 TO 10]", options: options)
}
print("\(results.total) match(es)")
for hit in results.hits {
    print(hit.id, hit.score)
    for snippet in hit.snippets {
        let utf8 = Array(snippet.text.utf8)
        print("  " + snippet.highlights.map { String(decoding: utf8[$0], as: UTF8.self) }.joined(separator: ", "))
    }
}
// --- README example ends
