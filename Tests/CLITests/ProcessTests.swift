@_spi(Testing) import Fihris
import Foundation
import Testing

/// A corpus of `files` JSON-lines files made from the committed hadith sample, ids distinct.
func makeCorpus(in folder: String, files: Int, documentsPerFile: Int) throws -> [String] {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let sample = try String(contentsOfFile: corpus + "/hadith-sample.jsonl", encoding: .utf8).split(separator: "\n")
    var ids: [String] = []
    var k = 0
    for f in 0..<files {
        var lines: [String] = []
        for d in 0..<documentsPerFile {
            var object = try JSONSerialization.jsonObject(with: Data(sample[k % sample.count].utf8)) as! [String: Any]
            let id = "f\(f)-\(d)"
            object["id"] = id
            ids.append(id)
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
            k += 1
        }
        try lines.joined(separator: "\n").write(toFile: folder + String(format: "/part%03d.jsonl", f), atomically: true, encoding: .utf8)
    }
    return ids  // in the order the indexer reads them (files sorted, lines in order)
}

func startFihris(_ arguments: [String]) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(fihrisBinary))
    process.arguments = arguments
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, err)
}

/// The ids in an index, via the library (all documents match a frequent word).
func indexedIDs(_ path: String) throws -> Set<String> {
    let index = try SearchIndex(at: path, mode: .open, readOnly: true)
    return try index.read { searcher in
        var ids = Set<String>()
        for id in try allIDs(searcher) { ids.insert(id) }
        return ids
    }
}

func allIDs(_ searcher: borrowing Searcher) throws -> [String] {
    // Every sample document contains one of these words.
    try searcher.search("حدثنا حدثني اخبرنا قال عن", limit: 1_000_000).hits.map(\.id)
}

@Suite(.serialized) struct ProcessTests {
    /// `fihris index` is killed with SIGKILL at random moments, several times, during a
    /// run committing every 40 documents. After each kill the index must open, pass
    /// `fihris check`, and hold exactly the documents of its last completed commit: a
    /// prefix of the reading order whose length is a multiple of 40. Searches run in
    /// another process meanwhile must succeed. A last run completes the index.
    @Test func sigkillAtRandomMomentsLosesNothingCommitted() throws {
        let scratch = Scratch()
        let order = try makeCorpus(in: scratch.path + "/docs", files: 12, documentsPerFile: 250)
        let index = scratch.path + "/idx"
        var rng = SystemRandomNumberGenerator()
        var partialStates = 0
        var previous = 0
        for _ in 0..<6 {
            let (process, _) = try startFihris(["index", scratch.path + "/docs", "--index", index, "--batch-documents", "40"])
            // Kill after the run's first commit, at a random moment (on a slow machine or under
            // a sanitizer the first commit takes long: wait for it rather than guess).
            let before = previous
            for _ in 0..<500 where (try? indexedIDs(index).count) ?? 0 <= before && process.isRunning { usleep(20_000) }
            usleep(UInt32.random(in: 20_000...400_000, using: &rng))
            if FileManager.default.fileExists(atPath: index + "/data.mdb") {
                let search = try fihris("search", "حدثنا", "--index", index, "--limit", "1")
                #expect(search.status == 0, "search during indexing: \(search.stderr)")
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard FileManager.default.fileExists(atPath: index + "/data.mdb") else { continue }

            let check = try fihris("check", "--index", index)
            #expect(check.status == 0, "check after SIGKILL: \(check.stdout) \(check.stderr)")
            let ids = try indexedIDs(index)
            #expect(ids.count % 40 == 0 || ids.count == order.count, "\(ids.count) documents is not a commit boundary")
            #expect(ids == Set(order.prefix(ids.count)), "the index is not a prefix of the reading order")
            #expect(ids.count >= previous, "a committed document was lost")
            previous = ids.count
            if ids.count > 0 && ids.count < order.count { partialStates += 1 }
        }
        #expect(partialStates > 0, "no kill landed in the middle of a run")
        let finish = try fihris("index", scratch.path + "/docs", "--index", index)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try indexedIDs(index) == Set(order))
        #expect(try fihris("check", "--index", index).status == 0)
    }

    /// `optimize` and `delete` are killed with SIGKILL at random moments: the index then
    /// opens, passes `check`, and holds either everything it held before (the commit did
    /// not land) or exactly the result (it did) — never a mixture or less.
    @Test func sigkillDuringOptimizeAndDeleteLosesNothing() throws {
        let scratch = Scratch()
        let order = try makeCorpus(in: scratch.path + "/docs", files: 12, documentsPerFile: 250)
        let index = scratch.path + "/idx"
        #expect(try fihris("index", scratch.path + "/docs", "--index", index, "--batch-documents", "100").status == 0)
        let all = Set(order)
        var rng = SystemRandomNumberGenerator()
        for round in 0..<4 {
            // optimize: the same documents either way.
            let (optimize, _) = try startFihris(["optimize", "--index", index])
            usleep(UInt32.random(in: 5_000...120_000, using: &rng))
            kill(optimize.processIdentifier, SIGKILL)
            optimize.waitUntilExit()
            let check = try fihris("check", "--index", index)
            #expect(check.status == 0, "check after killing optimize: \(check.stdout) \(check.stderr)")
            let before = try indexedIDs(index)
            // delete: one file's worth of ids, killed midway: all of them gone, or none.
            let doomed = order.filter { $0.hasPrefix("f\(round)-") }
            let (delete, _) = try startFihris(["delete", "--index", index] + doomed.flatMap { ["--id", $0] })
            usleep(UInt32.random(in: 5_000...80_000, using: &rng))
            kill(delete.processIdentifier, SIGKILL)
            delete.waitUntilExit()
            #expect(try fihris("check", "--index", index).status == 0)
            let after = try indexedIDs(index)
            #expect(after == before || after == before.subtracting(doomed), "a killed delete left \(after.count) of \(before.count) documents")
            #expect(after.isSubset(of: all))
        }
    }

    /// Load: four reader processes search in a loop while a writer indexes, deletes and
    /// optimizes; no reader sees an error, and the index is sound at the end (the long run
    /// is `scripts/load_test.py`).
    @Test func readersBesideAWriterSeeNoErrors() throws {
        let scratch = Scratch()
        _ = try makeCorpus(in: scratch.path + "/docs", files: 6, documentsPerFile: 200)
        let index = scratch.path + "/idx"
        #expect(try fihris("index", scratch.path + "/docs", "--index", index, "--batch-documents", "100").status == 0)
        let script = """
            end=$((SECONDS+6)); n=0
            while [ $SECONDS -lt $end ]; do
              "$0" search 'حدثنا' --index "$1" --limit 3 > /dev/null || { echo "reader failed" >&2; exit 1; }
              n=$((n+1))
            done
            echo $n
            """
        var readers: [(Process, Pipe)] = []
        for _ in 0..<4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script, try #require(fihrisBinary), index]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            readers.append((process, out))
        }
        let writerEnd = Date().addingTimeInterval(5)
        var writes = 0
        while Date() < writerEnd {
            #expect(try fihris("index", scratch.path + "/docs", "--index", index, "--rebuild", "--batch-documents", "150").status == 0)
            #expect(try fihris("delete", "--index", index, "--id", "f0-\(writes)").status == 0)
            #expect(try fihris("optimize", "--index", index).status == 0)
            writes += 1
        }
        for (process, out) in readers {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "a reader failed: \(text)")
            #expect((Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(text)")
        }
        #expect(writes > 0)
        #expect(try fihris("check", "--index", index).status == 0)
    }

    @Test func ctrlCCommitsWhatWasReadAndExitsCleanly() throws {
        let scratch = Scratch()
        let order = try makeCorpus(in: scratch.path + "/docs", files: 12, documentsPerFile: 250)
        let index = scratch.path + "/idx"
        let (process, err) = try startFihris(["index", scratch.path + "/docs", "--index", index, "--batch-documents", "40"])
        // Wait for the first commit, then interrupt.
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: index + "/data.mdb") { usleep(20_000) }
        usleep(300_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "the run should have been interrupted")
        #expect(stderr.contains("interrupted"))
        #expect(try fihris("check", "--index", index).status == 0)
        let ids = try indexedIDs(index)
        #expect(ids == Set(order.prefix(ids.count)))
        #expect(ids.count > 0 && ids.count < order.count)
    }

    @Test func aSecondWriterIsToldWhoIsWritingOrWaits() throws {
        let scratch = Scratch()
        _ = try makeCorpus(in: scratch.path + "/docs", files: 1, documentsPerFile: 20)
        let path = scratch.path + "/idx"
        let index = try SearchIndex(at: path, mode: .openOrCreate)
        try index.write { _ in
            let refused = try fihris("index", scratch.path + "/docs", "--index", path)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("is being written by process \(getpid())"), "\(refused.stderr)")
            // The CLI names its flag; the library's own message does not.
            #expect(refused.stderr.contains("(or use --wait)"), "\(refused.stderr)")
            let second = try SearchIndex(at: path)
            do {
                try second.write { _ in }
                Issue.record("a second writer was let in")
            } catch let error as FihrisError {
                #expect(error.code == .locked && !error.message.contains("--"), "\(error.message)")
            }
        }
        // With --wait, the second writer waits for the first to finish.
        var waiter: Process?
        try index.write { _ in
            let (process, _) = try startFihris(["index", scratch.path + "/docs", "--index", path, "--wait"])
            usleep(400_000)
            #expect(process.isRunning, "--wait should block while the index is being written")
            waiter = process
        }
        waiter?.waitUntilExit()
        #expect(waiter?.terminationStatus == 0)
        #expect(try index.documentCount == 20)
    }

    @Test func statsAndCheckReportOnTheIndex() throws {
        let scratch = Scratch()
        let index = scratch.path + "/idx"
        #expect(try fihris("index", corpus, "--index", index, "--exclude", "README.md").status == 0)
        let stats = try fihris("stats", "--index", index, "--json")
        #expect(stats.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(object["documents"] as? Int == 997)
        #expect((object["databases"] as? [[String: Any]])?.contains { $0["name"] as? String == "postings" } == true)
        let check = try fihris("check", "--index", index)
        #expect(check.status == 0)
        #expect(check.stdout.hasPrefix("ok: 997 documents"))

        // Damage one posting chunk: check must find it and fail.
        try damageOnePostingChunk(index)
        let damaged = try fihris("check", "--index", index)
        #expect(damaged.status == 1)
        #expect(damaged.stdout.contains("problem:"))
        #expect(damaged.stderr.contains("is damaged"))
        let missing = try fihris("check", "--index", scratch.path + "/nope")
        #expect(missing.status == 1)
    }
}

/// Overwrites bytes in the middle of the largest posting chunk, through LMDB.
func damageOnePostingChunk(_ path: String) throws {
    let index = try SearchIndex(at: path)
    try index.damageForTesting()
}
