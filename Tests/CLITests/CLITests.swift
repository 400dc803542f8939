import Foundation
import LMDBStore
import Testing

/// Runs the built `fihris` binary and captures its output.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

func fihris(_ arguments: String...) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(fihrisBinary, "the fihris executable was not built"))
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Drain both pipes before waiting, so a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

let fihrisBinary: String? = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("fihris").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}()

let corpus: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.path + "/corpus/hadith-sample.jsonl") { return url.path + "/corpus" }
    }
    fatalError("corpus/ not found")
}()

final class Scratch {
    let path = NSTemporaryDirectory() + "fihris-cli-" + UUID().uuidString
    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func write(_ name: String, _ text: String) {
        try! text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }
}

@Suite(.serialized) struct CLITests {
    @Test func indexesTheCorpusAndSearchesIt() throws {
        let scratch = Scratch()
        let index = scratch.path + "/idx"
        let indexed = try fihris("index", corpus, "--index", index, "--exclude", "README.md")
        #expect(indexed.status == 0, "\(indexed.stderr)")
        #expect(indexed.stdout.hasPrefix("indexed 997 documents (0 unchanged, 0 deleted) from 2 files"))
        #expect(indexed.stdout.contains("docs/s"))

        let news = try fihris("search", "عين الأسد", "--index", index, "--limit", "3")
        #expect(news.status == 0, "\(news.stderr)")
        let lines = news.stdout.split(separator: "\n")
        #expect(lines.first?.contains("matching documents") == true)
        let hitLines = lines.filter { $0.range(of: #"^ *[0-9]+  "#, options: .regularExpression) != nil }
        #expect(hitLines.count == 3)
        #expect(hitLines.first?.contains("ain-al-asad-handover.txt") == true)

        let json = try fihris("search", "إِنَّمَا الأعمال بالنيات", "--index", index, "--limit", "3", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.count == 3)
        #expect(hits.compactMap { $0["id"] as? String }.contains("bukhari:1"))
        #expect(hits.allSatisfy { ($0["score"] as? Double ?? 0) > 0 })
        #expect((object["total"] as? Int ?? 0) >= 3)
    }

    @Test func reindexingReplacesTheIndex() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/docs", withIntermediateDirectories: true)
        scratch.write("docs/a.txt", "كلمة اولى")
        #expect(try fihris("index", scratch.path + "/docs", "--index", scratch.path + "/idx").status == 0)
        try FileManager.default.removeItem(atPath: scratch.path + "/docs/a.txt")
        scratch.write("docs/b.txt", "كلمة ثانية")
        #expect(try fihris("index", scratch.path + "/docs", "--index", scratch.path + "/idx").status == 0)
        let result = try fihris("search", "كلمة", "--index", scratch.path + "/idx", "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["hits"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["b.txt"])
    }

    /// An index of an older format is rebuilt by `fihris index`, which says so (other
    /// commands refuse it with the same message).
    @Test func anOlderFormatIsRebuiltWithAMessage() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/docs", withIntermediateDirectories: true)
        scratch.write("docs/a.txt", "كلمة اولى")
        #expect(try fihris("index", scratch.path + "/docs", "--index", scratch.path + "/idx").status == 0)
        do {
            let env = try Environment(path: scratch.path + "/idx")
            let meta = try env.openDatabase("meta")
            try env.write { txn in try txn.put(meta, Array("format".utf8), withUnsafeBytes(of: UInt32(8).littleEndian) { Array($0) }) }
        }
        let refused = try fihris("search", "كلمة", "--index", scratch.path + "/idx")
        #expect(refused.status == 1 && refused.stderr.contains("holds a format 8 index"), "\(refused.stderr)")
        let rebuilt = try fihris("index", scratch.path + "/docs", "--index", scratch.path + "/idx")
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stderr.contains("holds a format 8 index") && rebuilt.stderr.contains("It is rebuilt from"), "\(rebuilt.stderr)")
        let found = try fihris("search", "كلمة", "--index", scratch.path + "/idx", "--json")
        #expect(found.status == 0 && found.stdout.contains("a.txt"))
    }

    /// Every documented error: a message on standard error, status 1 (64 for usage), no crash.
    @Test func badInputGivesClearErrors() throws {
        let scratch = Scratch()
        let missingFolder = try fihris("index", scratch.path + "/nope", "--index", scratch.path + "/idx")
        #expect(missingFolder.status == 1)
        #expect(missingFolder.stderr == "error: folder \(scratch.path)/nope does not exist\n")

        let missingIndex = try fihris("search", "x", "--index", scratch.path + "/nothing")
        #expect(missingIndex.status == 1)
        #expect(missingIndex.stderr.contains("does not exist"))

        try FileManager.default.createDirectory(atPath: scratch.path + "/plain", withIntermediateDirectories: true)
        scratch.write("plain/notes.txt", "hello")
        let notIndex = try fihris("search", "x", "--index", scratch.path + "/plain")
        #expect(notIndex.status == 1)
        #expect(notIndex.stderr.contains("is not a Fihris index"))

        let refuse = try fihris("index", scratch.path + "/plain", "--index", scratch.path + "/plain")
        #expect(refuse.status == 1)
        #expect(refuse.stderr.contains("refusing to write into it"))

        let usage = try fihris("search", "x", "--index", scratch.path + "/plain", "--limit", "-1")
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--limit"))
    }

    /// Defect: a file name that is not UTF-8 failed the run with "No such file or
    /// directory" (the listing repaired the name into one no file has), --skip-errors too.
    @Test func aFileNameThatIsNotUTF8IsNamedAsSuchAndSkippable() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/docs", withIntermediateDirectories: true)
        scratch.write("docs/good.txt", "نص عربي")
        // "café.txt" in Latin-1: the byte E9 alone is not UTF-8.
        let bad = Array((scratch.path + "/docs/caf").utf8) + [0xE9] + Array(".txt".utf8) + [0]
        let fd = bad.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        #expect(fd >= 0)
        close(fd)
        let strict = try fihris("index", scratch.path + "/docs", "--index", scratch.path + "/idx")
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("not valid UTF-8") && strict.stderr.contains("63 61 66 e9"), "\(strict.stderr)")
        #expect(!strict.stderr.contains("No such file"))
        let lenient = try fihris("index", scratch.path + "/docs", "--index", scratch.path + "/idx", "--skip-errors")
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stderr.contains("warning:") && lenient.stderr.contains("not valid UTF-8"))
        #expect(lenient.stdout.hasPrefix("indexed 1 documents"))
    }

    /// Defect: binary files and text in another encoding were indexed as U+FFFD without a
    /// word. Now each is a located, skippable error.
    @Test func binaryAndNonUTF8FilesAreRefusedWithWhereAndWhatToDo() throws {
        let scratch = Scratch()
        let docs = scratch.path + "/docs"
        try FileManager.default.createDirectory(atPath: docs, withIntermediateDirectories: true)
        scratch.write("docs/good.txt", "نص عربي")
        try Data([0x61, 0x62, 0x00, 0x01]).write(to: URL(fileURLWithPath: docs + "/binary.txt"))
        try Data([0xDF, 0xE1, 0xE3, 0xC9]).write(to: URL(fileURLWithPath: docs + "/cp1256.txt"))   // كلمة in Windows-1256
        try Data(#"{"id":"x","text":"caf"#.utf8 + [0xE9] + #""}"#.utf8 + [0x0A]).write(to: URL(fileURLWithPath: docs + "/latin1.jsonl"))
        let strict = try fihris("index", docs, "--index", scratch.path + "/idx")
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("binary.txt: not a text file"), "\(strict.stderr)")
        let lenient = try fihris("index", docs, "--index", scratch.path + "/idx", "--skip-errors")
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stderr.contains("cp1256.txt: not UTF-8 (byte 0xdf at offset 0)"), "\(lenient.stderr)")
        #expect(lenient.stderr.contains("latin1.jsonl:1:22: not UTF-8"), "\(lenient.stderr)")
        #expect(lenient.stdout.hasPrefix("indexed 1 documents"))
    }

    @Test func invalidFilesAreNamedAndCanBeSkipped() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/docs", withIntermediateDirectories: true)
        scratch.write("docs/good.jsonl", "{\"id\": \"g\", \"text\": \"جيد\"}\n")
        scratch.write("docs/bad.jsonl", "{\"id\": \"1\", \"text\": \"نص\"}\n{\"id\": \"2\", \"text\": \"نص\"\n")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/docs/gone.txt", withDestinationPath: "/nonexistent/gone")

        let strict = try fihris("index", scratch.path + "/docs", "--index", scratch.path + "/idx")
        #expect(strict.status == 1)
        #expect(strict.stderr.hasPrefix("error: bad.jsonl:2:"))
        #expect(strict.stderr.contains("invalid JSON"))

        let lenient = try fihris("index", scratch.path + "/docs", "--index", scratch.path + "/idx", "--skip-errors")
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stderr.contains("warning: bad.jsonl:2:"))
        #expect(lenient.stderr.contains("gone.txt"))
        #expect(lenient.stdout.hasPrefix("indexed 2 documents"))
    }

    @Test func analyzePrintsEveryTokenWithFormsPositionsAndBytes() throws {
        let json = try fihris("analyze", "وَبِالْكِتَابِ قَالُوا في Running", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        let tokens = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(tokens.compactMap { $0["surface"] as? String } == ["وَبِالْكِتَابِ", "قَالُوا", "في", "Running"])
        #expect(tokens.compactMap { $0["normalized"] as? String } == ["وبالكتاب", "قالوا", "في", "running"])
        #expect(tokens.compactMap { $0["stem"] as? String } == ["كتاب", "قال", "في", "run"])
        #expect(tokens.compactMap { $0["position"] as? Int } == [0, 1, 2, 3])
        #expect(tokens.compactMap { $0["start"] as? Int } == [0, 29, 44, 49])
        #expect(tokens.compactMap { $0["end"] as? Int } == [28, 43, 48, 56])
        #expect(tokens.compactMap { $0["stopWord"] as? Bool } == [false, false, true, false])  // في is a stop word

        let human = try fihris("analyze", "كتابهم", "--analyzer", "simple")
        #expect(human.status == 0)
        let lines = human.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("position") == true)
        #expect(lines.count == 2 && lines[1].contains("كتابهم"))

        let keep = try fihris("analyze", "في", "--no-stop-words", "--json")
        #expect(keep.stdout.contains("\"normalized\":\"في\"") && keep.stdout.contains("\"stopWord\":false"))

        // --explain names the rule behind each stem.
        let explained = try fihris("analyze", "والكتاب فعلتم الله في عين وجبة بكتاب", "--explain", "--json")
        let rules = try #require(try JSONSerialization.jsonObject(with: Data(explained.stdout.utf8)) as? [[String: Any]]).compactMap { $0["rule"] as? String }
        #expect(rules == ["removed conjunction و, prefix ال",
                          "removed inflection تم (initial ف read as the word's own letter: فعل is an attested noun)",
                          "lexicon: → الله", "stop word: not stemmed", "fewer than 4 letters: kept",
                          "removed suffix ه (initial و read as the word's own letter: as a conjunction it would leave 2 letters)",
                          "removed preposition ب (كتاب is an attested noun)"], "\(rules)")

        let bad = try fihris("analyze", "x", "--analyzer", "klingon")
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("arabic"))
    }

    @Test func searchFlagsAndBatchMode() throws {
        let scratch = Scratch()
        let index = scratch.path + "/idx"
        #expect(try fihris("index", corpus, "--index", index, "--schema", corpus + "/schema.json", "--exclude", "README.md").status == 0)

        let json = try fihris("search", "الصيام رمضان", "--index", index, "--limit", "2", "--json", "--facet", "collection",
                              "--filter", "book:[1 TO 40]", "--explain")
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.count == 2)
        let snippets = try #require(hits[0]["snippets"] as? [[String: Any]])
        #expect((snippets.first?["highlights"] as? [[String: Any]])?.isEmpty == false)
        #expect((hits[0]["explanation"] as? [[String: Any]])?.isEmpty == false)
        #expect((object["facets"] as? [String: Any])?["collection"] != nil)

        let human = try fihris("search", "عين الأسد", "--index", index, "--limit", "1")
        #expect(human.stdout.contains("[[الأسد]]"), "\(human.stdout)")   // not a terminal: marked with [[ ]]

        let andMode = try fihris("search", "عين الأسد", "--index", index, "--and", "--json")
        let andObject = try #require(try JSONSerialization.jsonObject(with: Data(andMode.stdout.utf8)) as? [String: Any])
        #expect((andObject["hits"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["ain-al-asad-handover.txt"])

        let bad = try fihris("search", "book:[9 TO 3]", "--index", index)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("column 1"))

        // --sort and --fields: every document by book descending, the fields shown.
        let sorted = try fihris("search", "*", "--index", index, "--sort", "book:desc,score", "--fields", "book,collection",
                                "--limit", "50", "--json")
        #expect(sorted.status == 0, "\(sorted.stderr)")
        let sortedObject = try #require(try JSONSerialization.jsonObject(with: Data(sorted.stdout.utf8)) as? [String: Any])
        let sortedHits = try #require(sortedObject["hits"] as? [[String: Any]])
        let books = sortedHits.compactMap { ($0["fields"] as? [String: Any])?["book"] as? Int }
        #expect(books.count > 10 && books == books.sorted(by: >), "\(books)")
        #expect(sortedHits.allSatisfy { ($0["fields"] as? [String: Any])?["collection"] is String || ($0["fields"] as? [String: Any])?["book"] == nil })
        let shown = try fihris("search", "الصيام", "--index", index, "--sort", "book", "--fields", "book", "--limit", "1")
        #expect(shown.stdout.contains("[book="), "\(shown.stdout)")
        // Several indexes as one: the corpus split in two, the same top scores as the whole.
        let halves = [scratch.path + "/a", scratch.path + "/b"]
        for (n, half) in halves.enumerated() {
            let folder = scratch.path + "/part\(n)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let lines = try String(contentsOfFile: corpus + "/hadith-sample.jsonl", encoding: .utf8).split(separator: "\n")
            try lines.enumerated().filter { $0.offset % 2 == n }.map(\.element).joined(separator: "\n").write(toFile: folder + "/h.jsonl", atomically: true, encoding: .utf8)
            #expect(try fihris("index", folder, "--index", half, "--schema", corpus + "/schema.json").status == 0)
        }
        let wholeFolder = scratch.path + "/whole"
        try FileManager.default.createDirectory(atPath: wholeFolder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: corpus + "/hadith-sample.jsonl", toPath: wholeFolder + "/h.jsonl")
        #expect(try fihris("index", wholeFolder, "--index", scratch.path + "/w", "--schema", corpus + "/schema.json").status == 0)
        let two = try fihris("search", "الصيام رمضان", "--index", halves[0], "--index", halves[1], "--limit", "5", "--json", "--exact-total")
        let one = try fihris("search", "الصيام رمضان", "--index", scratch.path + "/w", "--limit", "5", "--json", "--exact-total")
        let twoObject = try #require(try JSONSerialization.jsonObject(with: Data(two.stdout.utf8)) as? [String: Any])
        let oneObject = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        #expect(twoObject["total"] as? Int == oneObject["total"] as? Int)
        let twoHits = try #require(twoObject["hits"] as? [[String: Any]]), oneHits = try #require(oneObject["hits"] as? [[String: Any]])
        #expect(twoHits.map { $0["id"] as? String } == oneHits.map { $0["id"] as? String })
        for (a, b) in zip(twoHits, oneHits) { #expect(abs((a["score"] as? Double ?? 0) - (b["score"] as? Double ?? 1)) < 1e-3) }
        #expect(twoHits.allSatisfy { halves.contains($0["index"] as? String ?? "") })

        // Snippet control: passages, words, tags in "marked".
        let tagged = try fihris("search", "الصيام رمضان", "--index", index, "--limit", "1", "--snippets", "2", "--snippet-words", "10",
                                "--highlight-tags", "<b>,</b>", "--json")
        let taggedHit = try #require(((try JSONSerialization.jsonObject(with: Data(tagged.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])?.first)
        let passages = try #require(taggedHit["snippets"] as? [[String: Any]])
        #expect(passages.count == 2 && passages.allSatisfy { ($0["marked"] as? String)?.contains("<b>") == true }, "\(passages)")
        for (arguments, message) in [(["--sort", "text"], "it is a text field"), (["--sort", "book:up"], "asc or desc"),
                                     (["--fields", "nope"], "no field \"nope\""), (["--highlight-tags", "<b>"], "separated by a comma"),
                                     (["--snippet-words", "0"], "between 1 and 1000")] {
            let refused = try fihris(["search", "الصيام", "--index", index] + arguments)
            #expect(refused.status != 0 && refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }

        // Batch: one line per query, errors in place, the next line still answered.
        let input = "{\"id\": \"a\", \"q\": \"عين الأسد\", \"limit\": 1}\n{\"id\": \"b\", \"q\": \"(oops\"}\nnot json\n{\"id\": \"c\", \"q\": \"الصلاة\"}\n"
        let batch = try fihrisWithInput(input, "search", "--index", index, "--batch")
        let lines = batch.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.count == 4)
        #expect(lines[0]["id"] as? String == "a")
        #expect((lines[0]["hits"] as? [[String: Any]])?.first?["id"] as? String == "ain-al-asad-handover.txt")
        #expect((lines[0]["micros"] as? Int ?? -1) >= 0)
        #expect((lines[1]["error"] as? String)?.contains("column 1") == true)
        #expect(lines[2]["error"] != nil)
        #expect((lines[3]["total"] as? Int ?? 0) > 0)
    }
}

extension CLITests {
    @Test func benchReportsPercentilesPerClass() throws {
        let scratch = Scratch()
        let index = scratch.path + "/idx"
        #expect(try fihris("index", corpus, "--index", index, "--schema", corpus + "/schema.json", "--exclude", "README.md").status == 0)
        scratch.write("queries.jsonl", """
            {"class": "term", "q": "الصلاة"}
            {"class": "term", "q": "رمضان"}
            {"class": "phrase", "q": "\\"رسول الله\\""}
            {"class": "bad", "q": "(oops"}
            """)
        let bench = try fihris("bench", "--index", index, "--queries", scratch.path + "/queries.jsonl", "--runs", "2", "--json")
        #expect(bench.status == 0, "\(bench.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
        #expect(object["failed"] as? Int == 1)
        let classes = try #require(object["classes"] as? [[String: Any]])
        #expect(Set(classes.compactMap { $0["class"] as? String }) == ["term", "phrase", "overall"])
        for row in classes {
            let p50 = row["p50"] as? Double ?? -1, p99 = row["p99"] as? Double ?? -1, max = row["max"] as? Double ?? -1
            #expect(p50 > 0 && p50 <= p99 && p99 <= max, "\(row)")
            #expect((row["qps"] as? Double ?? 0) > 0)
        }
        scratch.write("plain.txt", "الصيام\nالزكاة\n")
        let plain = try fihris("bench", "--index", index, "--queries", scratch.path + "/plain.txt")
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("all "))
        let missing = try fihris("bench", "--index", index, "--queries", scratch.path + "/nope.jsonl")
        #expect(missing.status == 1)
    }
}

func fihrisWithInput(_ input: String, _ arguments: String...) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(fihrisBinary))
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), inp = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inp
    try process.run()
    inp.fileHandleForWriting.write(Data(input.utf8))
    try inp.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

@Suite(.serialized) struct SubcommandTests {
    /// delete, export, snapshot, optimize, and their documented errors.
    @Test func maintenanceSubcommands() throws {
        let scratch = Scratch()
        let index = scratch.path + "/idx"
        #expect(try fihris("index", corpus, "--index", index, "--schema", corpus + "/schema.json", "--exclude", "README.md").status == 0)

        let exported = try fihris("export", "--index", index)
        #expect(exported.status == 0)
        let lines = exported.stdout.split(separator: "\n")
        #expect(lines.count == 997)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["id"] as? String != nil)

        let deleted = try fihris("delete", "--index", index, "--id", "bukhari:1", "--query", "collection:muslim")
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stdout.hasPrefix("deleted "))
        let remaining = try fihris("export", "--index", index).stdout.split(separator: "\n")
        #expect(remaining.count < 997)
        #expect(!remaining.contains { $0.contains("\"bukhari:1\"") || $0.contains("\"collection\":\"muslim\"") })

        let snapshot = try fihris("snapshot", scratch.path + "/copy", "--index", index)
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        #expect(try fihris("check", "--index", scratch.path + "/copy").status == 0)
        let again = try fihris("snapshot", scratch.path + "/copy", "--index", index)
        #expect(again.status == 1 && again.stderr.contains("not an empty directory"))

        let optimized = try fihris("optimize", "--index", index)
        #expect(optimized.status == 0)
        let stats = try fihris("stats", "--index", index, "--json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(object["segments"] as? Int == 1)
        #expect(object["documents"] as? Int == remaining.count)

        // Usage errors exit 64; operation errors exit 1 with a message.
        #expect(try fihris("delete", "--index", index).status == 64)
        #expect(try fihris("delete", "--index", scratch.path + "/none", "--id", "x").status == 1)
        #expect(try fihris("export", "--index", scratch.path + "/none").status == 1)
        #expect(try fihris("optimize", "--index", scratch.path + "/none").status == 1)
        #expect(try fihris("stats", "--index", scratch.path + "/none").status == 1)
        #expect(try fihris("bench", "--index", index, "--queries", scratch.path + "/none").status == 1)
        #expect(try fihris("analyze", "x", "--analyzer", "nope").status == 64)
        #expect(try fihris("search", "x", "--index", index, "--offset", "-1").status == 64)
        #expect(try fihris("index", corpus, "--index", index, "--batch-mb", "0").status == 64)
        scratch.write("bad-schema.json", "{\"fields\": [{\"name\": \"x\", \"type\": \"nope\"}]}")
        let badSchema = try fihris("index", corpus, "--index", scratch.path + "/new", "--schema", scratch.path + "/bad-schema.json")
        #expect(badSchema.status == 1 && badSchema.stderr.contains("bad-schema.json"))
        let help = try fihris("--help")
        #expect(help.stdout.contains("Exit status") && help.stdout.contains("130"))
        for sub in ["index", "search", "analyze", "stats", "check", "optimize", "bench", "delete", "export", "snapshot"] {
            let h = try fihris(sub, "--help")
            #expect(h.status == 0 && h.stdout.contains("Example"), "\(sub) --help needs examples")
        }
    }

    @Test func noColorOrTerminalMeansPlainMarks() throws {
        let scratch = Scratch()
        let index = scratch.path + "/idx"
        #expect(try fihris("index", corpus, "--index", index, "--exclude", "README.md").status == 0)
        let out = try fihris("search", "عين الأسد", "--index", index, "--limit", "1")
        #expect(!out.stdout.contains("\u{1B}["), "no escape codes when standard output is not a terminal")
    }
}

@Suite struct ExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The README shows exactly the example's code, and the example runs as shown.
    @Test func readmeShowsTheEmbeddingExampleAndItRuns() throws {
        let example = try String(contentsOfFile: Self.root + "/Examples/Embedding/main.swift", encoding: .utf8)
        let begin = try #require(example.range(of: "// --- README example begins\n"))
        let end = try #require(example.range(of: "// --- README example ends"))
        let code = String(example[begin.upperBound..<end.lowerBound])
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        #expect(readme.contains("```swift\nimport Fihris\n\n" + code + "```"), "README.md must show Examples/Embedding/main.swift's code")

        let binary = try #require(fihrisBinary.map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("Embedding").path })
        let scratch = Scratch()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [scratch.path + "/idx"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "1 match(es)")
        #expect(lines.count == 3 && lines[1].hasPrefix("bukhari:1 ") && lines[2] == "  إِنَّمَا, الْأَعْمَالُ", "\(output)")
        #expect(readme.contains("```\n" + output + "```"), "README.md must show the example's output:\n\(output)")
    }
}

/// Defect 9 of issue 13: a full disk was reported as `commit write transaction:
/// Input/output error`. On a 1 MB tmpfs mounted in a mount namespace of the test's own
/// (`unshare -rm`, no privileges needed where user namespaces are allowed), indexing the
/// sample fails naming the lack of space, and the index left there is consistent.
@Suite struct FullDiskTests {
    @Test func aFullDiskIsReportedAsSuchAndLosesNothing() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            Issue.record("unshare is missing: the full-disk test cannot run here"); return
        }
        let binary = try #require(fihrisBinary)
        let mount = NSTemporaryDirectory() + "fihris-full-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mount) }
        let script = """
            mount -t tmpfs -o size=1m tmpfs '\(mount)' || exit 77
            '\(binary)' index '\(corpus)' --index '\(mount)/idx' --exclude README.md --exclude '*.txt'; echo "index=$?"
            '\(binary)' check --index '\(mount)/idx'; echo "check=$?"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["-rm", "sh", "-c", script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 77 || output.contains("unshare:") {
            // No user namespaces on this machine: nothing to measure (not a failure of Fihris).
            print("full-disk test skipped: \(output)")
            return
        }
        #expect(output.contains("no space left on device at \(mount)/idx"), "\(output)")
        #expect(output.contains("index=1"), "\(output)")
        #expect(output.contains("check=0") && output.contains("ok:"), "\(output)")
    }
}
