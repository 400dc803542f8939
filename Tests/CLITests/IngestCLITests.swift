import Foundation
import Testing

/// `fihris index` over the formats of issue 16: help, standard input, include/exclude,
/// --skip-errors, --watch.
@Suite(.serialized) struct IngestCLITests {
    @Test func helpNamesEveryFormat() throws {
        let help = try fihris("index", "--help")
        for name in [".txt", ".md", ".jsonl", ".csv", ".tsv", ".html", ".xhtml", ".epub", ".pdf", "--watch", "--include", "--format", "mupdf-tools"] {
            #expect(help.stdout.contains(name), "index --help names \(name)")
        }
    }

    @Test func standardInput() throws {
        let scratch = Scratch()
        let index = scratch.path + "/idx"
        let lines = try fihrisWithInput("{\"id\":\"s1\",\"text\":\"من الإدخال القياسي\"}\n{\"id\":\"s2\",\"text\":\"سطر ثان\"}\n", "index", "-", "--index", index)
        #expect(lines.status == 0 && lines.stdout.hasPrefix("indexed 2 documents (0 unchanged, 0 deleted) from standard input"))
        // The same lines again: nothing changes.
        let again = try fihrisWithInput("{\"id\":\"s1\",\"text\":\"من الإدخال القياسي\"}\n", "index", "-", "--index", index)
        #expect(again.stdout.hasPrefix("indexed 0 documents (1 unchanged"))
        let csv = try fihrisWithInput("id,text,n\nc1,صف من جدول,7\n", "index", "-", "--index", index, "--format", "csv")
        #expect(csv.status == 0)
        let text = try fihrisWithInput("نص كامل من الأنبوب\n", "index", "-", "--index", index, "--format", "txt", "--id", "today")
        #expect(text.status == 0)
        let found = try fihris("search", "القياسي OR جدول OR الأنبوب", "--index", index, "--json")
        for id in ["\"s1\"", "\"c1\"", "\"today\""] { #expect(found.stdout.contains(id)) }
        let bad = try fihrisWithInput("{\"id\":\"x\"}\nnot json\n", "index", "-", "--index", index)
        #expect(bad.status == 1 && bad.stderr.contains("error: stdin:2:1: invalid JSON"))
        let skipped = try fihrisWithInput("{\"id\":\"x\"}\nnot json\n", "index", "-", "--index", index, "--skip-errors")
        #expect(skipped.status == 0 && skipped.stderr.contains("warning: stdin:2:1: invalid JSON"))
        let epub = try fihrisWithInput("", "index", "-", "--index", index, "--format", "epub")
        #expect(epub.status != 0 && epub.stderr.contains("--format epub: expected jsonl, csv, tsv, txt, md or html"))
        let formatOnFolder = try fihris("index", scratch.path, "--index", index, "--format", "csv")
        #expect(formatOnFolder.status != 0 && formatOnFolder.stderr.contains("--format is for standard input"))
    }

    @Test func includeExcludeAndSkipErrors() throws {
        let scratch = Scratch()
        let folder = scratch.path + "/docs"
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        try "<html><title>صفحة</title><body><p>نص الصفحة</p></body></html>".write(toFile: folder + "/sub/a.html", atomically: true, encoding: .utf8)
        try "# عنوان\nنص".write(toFile: folder + "/b.md", atomically: true, encoding: .utf8)
        try "id,text\nr,صف\n".write(toFile: folder + "/c.csv", atomically: true, encoding: .utf8)
        try "not a zip".write(toFile: folder + "/broken.epub", atomically: true, encoding: .utf8)
        let only = try fihris("index", folder, "--index", scratch.path + "/i1", "--include", "*.html", "--include", "*.csv")
        #expect(only.status == 0 && only.stdout.hasPrefix("indexed 2 documents"))
        let failing = try fihris("index", folder, "--index", scratch.path + "/i2")
        #expect(failing.status == 1 && failing.stderr.contains("error: broken.epub: not an EPUB book"))
        let skipping = try fihris("index", folder, "--index", scratch.path + "/i3", "--skip-errors")
        #expect(skipping.status == 0 && skipping.stderr.contains("warning: broken.epub: not an EPUB book"))
        #expect(skipping.stdout.contains("1 file(s) or line(s) skipped"))
        let excluded = try fihris("index", folder, "--index", scratch.path + "/i4", "--exclude", "*.epub")
        #expect(excluded.status == 0 && excluded.stdout.hasPrefix("indexed 3 documents"))
    }

    /// Random bytes under each extension: `index` exits 1 with an error naming the file
    /// (never a signal), and with --skip-errors indexes the good file beside them.
    @Test func randomBytesOfEveryFormatAreErrorsNamingTheFile() throws {
        let scratch = Scratch()
        var generator = SystemRandomNumberGenerator()
        for ext in ["html", "md", "csv", "tsv", "jsonl", "epub", "pdf"] {
            let folder = scratch.path + "/" + ext
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "نص سليم".write(toFile: folder + "/good.txt", atomically: true, encoding: .utf8)
            // Bytes that are not UTF-8 text (a NUL and invalid sequences), whatever the format.
            var bytes: [UInt8] = [0x00, 0xFF, 0xFE, 0xC3]
            bytes += (0..<2000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/bad.\(ext)"))
            let failing = try fihris("index", folder, "--index", folder + ".idx")
            #expect(failing.status == 1 && failing.stderr.contains("bad.\(ext)"), "\(ext): \(failing.status) \(failing.stderr)")
            let skipping = try fihris("index", folder, "--index", folder + ".idx2", "--skip-errors")
            #expect(skipping.status == 0 && skipping.stderr.contains("bad.\(ext)"), "\(ext): \(skipping.stderr)")
            #expect(try fihris("search", "سليم", "--index", folder + ".idx2").stdout.contains("good.txt"))
        }
    }

    /// --watch applies each change with a line, and Ctrl-C commits and exits 0.
    @Test func watchKeepsTheIndexInStep() throws {
        let scratch = Scratch()
        let folder = scratch.path + "/docs"
        let index = scratch.path + "/idx"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "نص أول".write(toFile: folder + "/a.txt", atomically: true, encoding: .utf8)
        let log = scratch.path + "/out.txt"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(fihrisBinary))
        process.arguments = ["index", folder, "--index", index, "--watch"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        func waitFor(_ text: String) -> Bool {
            for _ in 0..<200 {
                if ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(text) { return true }
                usleep(100_000)
            }
            return false
        }
        #expect(waitFor("watching \(folder)"))
        try "نص ثان جديد".write(toFile: folder + "/b.txt", atomically: true, encoding: .utf8)
        #expect(waitFor("+ b.txt (1 documents)"))
        try FileManager.default.createDirectory(atPath: folder + "/new", withIntermediateDirectories: true)
        usleep(300_000)
        try "<p>صفحة في مجلد جديد</p>".write(toFile: folder + "/new/c.html", atomically: true, encoding: .utf8)
        #expect(waitFor("+ new/c.html (1 documents)"))
        try FileManager.default.removeItem(atPath: folder + "/a.txt")
        #expect(waitFor("- a.txt (1 documents removed)"))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(output.contains("documents in \(index)"))
        let found = try fihris("search", "جديد", "--index", index, "--json")
        #expect(found.stdout.contains("\"b.txt\"") && found.stdout.contains("\"new/c.html\""))
        #expect(!(try fihris("search", "أول", "--index", index, "--json")).stdout.contains("\"a.txt\""))
    }
}
