import Foundation
import Testing
@testable import Fihris

@Suite struct FolderSourceTests {
    func read(_ source: FolderSource) throws -> [Document] {
        var documents: [Document] = []
        for file in try source.files() { try source.documents(in: file) { documents.append($0) } }
        return documents
    }

    @Test func readsTextMarkdownAndJSONLinesRecursivelyInOrder() throws {
        let dir = TemporaryDirectory()
        dir.write("b.txt", "\n\n  عنوان الخبر  \nنص الخبر")
        dir.write("a/notes.md", "## Heading here\n\nbody")
        dir.write("a/data.jsonl", """
            {"id": "x1", "collection": "bukhari", "book": 3, "grade": 4.5, "sahih": true, "text": "نص"}

            {"text": "بلا معرف", "tags": ["a", "b"], "meta": {"src": "web"}, "n": null}
            {"id": 42, "title": "A title"}
            """)
        dir.write(".hidden/secret.txt", "never")
        dir.write(".dot.txt", "never")
        dir.write("image.png", "not text")
        let docs = try read(FolderSource(folder: dir.path))
        #expect(docs.map(\.id) == ["x1", "a/data.jsonl:3", "42", "a/notes.md", "b.txt"])
        #expect(docs[0].fields == [
            .init("collection", .text("bukhari")), .init("book", .integer(3)), .init("grade", .double(4.5)),
            .init("sahih", .bool(true)), .init("text", .text("نص")),
        ])
        #expect(docs[1].fields == [
            .init("text", .text("بلا معرف")), .init("tags", .text("a")), .init("tags", .text("b")),
            .init("meta.src", .text("web")),
        ])
        #expect(docs[2].title == "A title")
        #expect(docs[3].title == "Heading here")
        #expect(docs[4].title == "عنوان الخبر")
        #expect(docs[4][field: "text"] == .text("\n\n  عنوان الخبر  \nنص الخبر"))
    }

    /// A `.jsonl` file is read in 4 MB chunks (no longer whole, nor mapped): lines that
    /// straddle chunk boundaries come out whole, numbered right (an error names its line),
    /// and the streaming content hash equals the one-piece hash.
    @Test func largeJSONLinesFilesAreReadInChunksWithLinesIntact() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        var text = ""
        let padding = String(repeating: "نص ", count: 700)        // ~4.2 KB a line
        for i in 0..<2500 { text += "{\"id\": \"d\(i)\", \"text\": \"\(i) \(padding)\"}\n" }
        text += "{\"id\": \"bad\", \"text\": }\n{\"id\": \"last\", \"text\": \"نهاية\"}"   // no final newline
        try text.write(toFile: dir.path + "/big.jsonl", atomically: true, encoding: .utf8)
        let bytes = Array(text.utf8)
        #expect(bytes.count > 2 * FileChunks.chunkSize)
        var ids: [String] = [], problems: [String] = []
        try FolderSource(folder: dir.path).documents(in: .init(relativePath: "big.jsonl", size: bytes.count),
                                                     skipInvalid: { problems.append($0.message) }) { ids.append($0.id) }
        #expect(ids.count == 2501)
        #expect(ids.first == "d0" && ids[1234] == "d1234" && ids.last == "last")
        #expect(problems.count == 1 && problems[0].hasPrefix("big.jsonl:2501:"), "\(problems)")
        let (size, hash) = try FileChunks(path: dir.path + "/big.jsonl").sizeAndHash()
        #expect(size == bytes.count)
        #expect(hash == bytes.withUnsafeBytes { ContentHash.of($0) })
        // Pieces of every length mod 8.
        for cut in [1, 7, 8, 9, 4095] {
            var streaming = ContentHash.Streaming(count: 10_000)
            let sample = Array(bytes.prefix(10_000))
            sample.withUnsafeBytes { all in
                var at = 0
                while at < all.count { let end = min(all.count, at + cut); streaming.update(UnsafeRawBufferPointer(rebasing: all[at..<end])); at = end }
            }
            #expect(streaming.finish() == sample.withUnsafeBytes { ContentHash.of($0) }, "pieces of \(cut)")
        }
    }

    @Test func excludePatternsMatchPathsAndNames() throws {
        let dir = TemporaryDirectory()
        dir.write("README.md", "readme")
        dir.write("docs/README.md", "readme")
        dir.write("docs/keep.md", "keep")
        dir.write("drafts/x.txt", "draft")
        let files = try FolderSource(folder: dir.path, excluding: ["README.md", "drafts/*"]).files()
        #expect(files.map(\.relativePath) == ["docs/keep.md"])
    }

    @Test func invalidJSONLineNamesFileLineAndColumn() throws {
        let dir = TemporaryDirectory()
        dir.write("d.jsonl", "{\"id\": \"1\"}\n{\"id\": \"2\", \"text\": oops}\n")
        let source = FolderSource(folder: dir.path)
        let error = try #require(throws: FihrisError.self) { try read(source) }
        #expect(error.code == .invalidDocument)
        #expect(error.message == "d.jsonl:2:21: invalid JSON: unexpected character, expected a value")

        dir.write("e.jsonl", "[1, 2]\n")
        let notObject = try #require(throws: FihrisError.self) {
            try source.documents(in: .init(relativePath: "e.jsonl", size: 0)) { _ in }
        }
        #expect(notObject.message == "e.jsonl:1: expected a JSON object, one document per line")

        dir.write("f.jsonl", "{\"id\": [1]}\n")
        let badID = try #require(throws: FihrisError.self) {
            try source.documents(in: .init(relativePath: "f.jsonl", size: 0)) { _ in }
        }
        #expect(badID.message.contains("f.jsonl:1: field \"id\""))
    }

    @Test func skippingInvalidLinesKeepsTheRest() throws {
        let dir = TemporaryDirectory()
        dir.write("d.jsonl", "{\"id\": \"1\"}\nnot json\n{\"id\": \"3\"}\n")
        var skipped: [String] = []
        var ids: [String] = []
        try FolderSource(folder: dir.path).documents(in: .init(relativePath: "d.jsonl", size: 0),
                                                     skipInvalid: { skipped.append($0.message) }) { ids.append($0.id) }
        #expect(ids == ["1", "3"])
        #expect(skipped.count == 1 && skipped[0].hasPrefix("d.jsonl:2:1:"))
    }

    @Test func missingFolderAndDanglingLinksAreClearErrors() throws {
        let missing = try #require(throws: FihrisError.self) { try FolderSource(folder: "/nonexistent/fihris").files() }
        #expect(missing.message == "folder /nonexistent/fihris does not exist")

        let dir = TemporaryDirectory()
        dir.write("ok.txt", "ok")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/broken.txt", withDestinationPath: "/nonexistent/x")
        let source = FolderSource(folder: dir.path)
        let error = try #require(throws: FihrisError.self) { try read(source) }
        #expect(error.code == .io)
        #expect(error.message.contains("broken.txt"))

        let file = dir.path + "/ok.txt"
        let notFolder = try #require(throws: FihrisError.self) { try FolderSource(folder: file).files() }
        #expect(notFolder.message == "\(file) is not a folder")
    }
}
