import Foundation
import Testing
@testable import LMDBStore

/// A fresh temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "fihris-lmdb-" + UUID().uuidString
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
func string(_ buffer: UnsafeRawBufferPointer?) -> String? {
    buffer.map { String(decoding: $0, as: UTF8.self) }
}

@Suite struct LMDBStoreTests {
    @Test func putGetDeleteRoundTrip() throws {
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: true)
        try env.write { txn in
            try txn.put(db, bytes("alpha"), bytes("1"))
            try txn.put(db, bytes("beta"), bytes("2"))
        }
        try env.read { txn in
            try #expect(string(txn.get(db, "alpha")) == "1")
            try #expect(string(txn.get(db, "beta")) == "2")
            try #expect(txn.get(db, "gamma") == nil)
            try #expect(txn.count(db) == 2)
        }
        let deleted = try env.write { txn in try txn.delete(db, bytes("alpha")) }
        #expect(deleted)
        let deletedAgain = try env.write { txn in try txn.delete(db, bytes("alpha")) }
        #expect(!deletedAgain)
        try env.read { txn in try #expect(txn.get(db, "alpha") == nil) }
    }

    /// Resident pages of the map can be dropped: LMDB reports no map address unless the map
    /// is fixed (`me_mapaddr` is nil), so `releaseMappedPages` once did nothing and a long
    /// indexing run kept every page it had read.
    @Test func theMapIsFoundAndItsPagesReleased() throws {
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: true)
        let value = [UInt8](repeating: 7, count: 4000)
        try env.write { txn in for i in 0..<2000 { try txn.put(db, bytes("key\(100_000 + i)"), value) } }
        #if os(Linux)
        let (address, length) = try #require(env.mappedRange())
        #expect(length >= env.usedBytes)
        // This process's resident pages of the mapping (smaps; mincore would tell the page
        // cache's, which the release leaves alone).
        func resident() -> Int {
            let start = String(UInt(bitPattern: address), radix: 16)
            guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps"), let data = try? handle.readToEnd() else { return -1 }
            let smaps = String(decoding: data, as: UTF8.self)
            var inside = false
            for line in smaps.split(separator: "\n") {
                if let dash = line.firstIndex(of: "-"), line[..<dash].allSatisfy(\.isHexDigit) {
                    inside = line[..<dash].drop { $0 == "0" } == start.drop { $0 == "0" }
                } else if inside, line.hasPrefix("Rss:") {
                    return Int(line.split(separator: " ")[1]) ?? -1
                }
            }
            return -1
        }
        _ = length
        try env.read { txn in try txn.forEach(in: db) { _, _ in true } }   // touch every page
        let before = resident()
        env.releaseMappedPages()
        let after = resident()
        #expect(before > 4000 && after < before / 10, "resident kB \(before) → \(after)")
        #endif
        // The data are all there after the release.
        try env.read { txn in try #expect(txn.count(db) == 2000) }
    }

    /// The free-page database's keys are transaction ids compared as integers; the page walk
    /// compared them bytewise, so an index whose free list held ids on both sides of 256 (a
    /// reader open across a few hundred commits, or merges in many steps) was refused as
    /// damaged ("keys 39 and 40 are out of order").
    @Test func aFreeListAcrossTransaction256IsNotDamage() throws {
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: true)
        let value = [UInt8](repeating: 1, count: 3000)
        for i in 0..<250 { try env.write { txn in try txn.put(db, bytes("k\(i % 5)"), value) } }
        try env.read { _ in
            // The open reader keeps the pages these commits free on the free list.
            for i in 0..<30 { try env.write { txn in try txn.put(db, bytes("k\(i % 5)"), value) } }
            #expect(PageWalk.verify(dir.path + "/data.mdb") == nil)
        }
        #expect(PageWalk.verify(dir.path + "/data.mdb") == nil)
    }

    @Test func abortedWriteLeavesNothingBehind() throws {
        struct Boom: Error {}
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: true)
        try env.write { txn in try txn.put(db, bytes("kept"), bytes("yes")) }
        #expect(throws: Boom.self) {
            try env.write { txn in
                try txn.put(db, bytes("lost"), bytes("no"))
                try txn.put(db, bytes("kept"), bytes("overwritten"))
                _ = try txn.delete(db, bytes("kept"))
                throw Boom()
            }
        }
        try env.read { txn in
            try #expect(txn.get(db, "lost") == nil)
            try #expect(string(txn.get(db, "kept")) == "yes")
            try #expect(txn.count(db) == 1)
        }
        // And after reopening from disk.
        let reopened = try Environment(path: dir.path)
        let db2 = try reopened.openDatabase("kv")
        try reopened.read { txn in try #expect(txn.count(db2) == 1) }
    }

    @Test func prefixAndRangeScansAreOrderedAndBounded() throws {
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: true)
        let keys = ["a", "ab", "abc", "abd", "ac", "b", "ba"]
        try env.write { txn in
            for key in keys.shuffled() { try txn.put(db, bytes(key), bytes(key.uppercased())) }
        }
        func scan(prefix: String) throws -> [String] {
            try env.read { txn in
                var seen: [String] = []
                try txn.forEach(in: db, prefix: bytes(prefix)) { key, value in
                    #expect(string(value) == string(key)!.uppercased())
                    seen.append(string(key)!)
                    return true
                }
                return seen
            }
        }
        func scan(from: String?, to: String?) throws -> [String] {
            try env.read { txn in
                var seen: [String] = []
                try txn.forEach(in: db, from: from.map(bytes), to: to.map(bytes)) { key, _ in
                    seen.append(string(key)!); return true
                }
                return seen
            }
        }
        try #expect(scan(prefix: "ab") == ["ab", "abc", "abd"])
        try #expect(scan(prefix: "") == keys)
        try #expect(scan(prefix: "zz") == [])
        try #expect(scan(from: "abc", to: "b") == ["abc", "abd", "ac"])
        try #expect(scan(from: nil, to: "ab") == ["a"])
        try #expect(scan(from: "b", to: nil) == ["b", "ba"])
        // Stopping early.
        let firstTwo = try env.read { txn in
            var seen: [String] = []
            try txn.forEach(in: db) { key, _ in seen.append(string(key)!); return seen.count < 2 }
            return seen
        }
        #expect(firstTwo == ["a", "ab"])
    }

    @Test func mapGrowsBy200MegabytesFromOneMegabyte() throws {
        let dir = TemporaryDirectory()
        var options = Environment.Options()
        options.mapSize = 1 << 20
        let env = try Environment(path: dir.path, options: options)
        #expect(env.mapSize == 1 << 20)
        let db = try env.openDatabase("big", create: true)
        let chunk = [UInt8](repeating: 0xAB, count: 100_000)
        // One 50 MB transaction (grows while in flight), then 150 MB in 1 MB commits.
        try env.write { txn in
            for i in 0..<500 { try txn.put(db, bytes(String(format: "a%06d", i)), chunk) }
        }
        for batch in 0..<150 {
            try env.write { txn in
                for i in 0..<10 { try txn.put(db, bytes(String(format: "b%06d", batch * 10 + i)), chunk) }
            }
        }
        #expect(env.mapSize >= 200_000_000)
        try env.read { txn in
            try #expect(txn.count(db) == 2000)
            let value = try #require(try txn.get(db, "b001499"))
            #expect(value.count == chunk.count && value.allSatisfy { $0 == 0xAB })
        }
    }

    @Test func readerKeepsItsSnapshotWhileAWriterCommits() throws {
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: true)
        try env.write { txn in try txn.put(db, bytes("k"), bytes("v1")) }

        let readerStarted = DispatchSemaphore(value: 0)
        let writerDone = DispatchSemaphore(value: 0)
        let writerThread = Thread {
            readerStarted.wait()
            try! env.write { txn in
                try txn.put(db, bytes("k"), bytes("v2"))
                try txn.put(db, bytes("new"), bytes("x"))
            }
            writerDone.signal()
        }
        writerThread.start()
        try env.read { txn in
            try #expect(string(txn.get(db, "k")) == "v1")
            readerStarted.signal()
            writerDone.wait()
            // The writer has committed, but this snapshot is unchanged.
            try #expect(string(txn.get(db, "k")) == "v1")
            try #expect(txn.get(db, "new") == nil)
        }
        try env.read { txn in
            try #expect(string(txn.get(db, "k")) == "v2")
            try #expect(string(txn.get(db, "new")) == "x")
        }
    }

    @Test func errorsNameTheOperationAndLMDBsMessage() throws {
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: true)
        try env.write { txn in try txn.put(db, bytes("b"), bytes("1")) }
        do {
            try env.write { txn in try txn.put(db, bytes("a"), bytes("1"), flags: .append) }
            Issue.record("append out of order should fail")
        } catch let error as LMDBError {
            #expect(error.description.contains("mdb_put"))
            #expect(error.description.contains("MDB_KEYEXIST"))
        }
        #expect(throws: LMDBError.self) { try env.openDatabase("missing") }
        var readOnly = Environment.Options()
        readOnly.readOnly = true
        #expect(throws: LMDBError.self) { try Environment(path: dir.path + "/does-not-exist", options: readOnly) }
    }

    /// Defect 5 of issue 13: processes killed while they held a read transaction leave
    /// their reader slots taken; once the table was full, every open failed — a long-lived
    /// reader included. Opening clears stale slots (`mdb_reader_check`). With a table of 8
    /// slots, 20 readers killed one after another beside a long-lived one: every later
    /// reader still gets in, and so do this process's reads and writes.
    @Test func readersKilledWhileReadingDoNotLockOthersOut() throws {
        let dir = TemporaryDirectory()
        var options = Environment.Options()
        options.maxReaders = 8
        let env = try Environment(path: dir.path, options: options)
        let db = try env.openDatabase("kv", create: true)
        try env.write { txn in try txn.put(db, bytes("k"), bytes("v")) }
        let helper = try #require(siblingExecutable(named: "LMDBCrashHelper"), "LMDBCrashHelper not built")
        func reader() throws -> (Process, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: helper)
            process.arguments = [dir.path, "read"]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            var output = Data()
            while !String(decoding: output, as: UTF8.self).contains("\n") {
                let data = pipe.fileHandleForReading.availableData
                if data.isEmpty { break }
                output.append(data)
            }
            return (process, String(decoding: output, as: UTF8.self))
        }
        let (longLived, first) = try reader()
        #expect(first == "reading\n")
        for k in 0..<20 {
            let (process, line) = try reader()
            #expect(line == "reading\n", "reader \(k): \(line)")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let (last, line) = try reader()
        #expect(line == "reading\n", "after 20 killed readers: \(line)")
        try env.write { txn in try txn.put(db, bytes("k2"), bytes("v2")) }
        try env.read { txn in try #expect(string(txn.get(db, "k2")) == "v2") }
        for process in [longLived, last] { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    @Test func commitsOfAKilledChildProcessSurvive() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        let helper = try #require(siblingExecutable(named: "LMDBCrashHelper"), "LMDBCrashHelper not built")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helper)
        process.arguments = [dir.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()

        // Read "committed N" lines until 40 commits are confirmed, then SIGKILL mid-write.
        var lastCommitted = -1
        var pending = Data()
        let reader = pipe.fileHandleForReading
        while lastCommitted < 40 {
            let data = reader.availableData
            if data.isEmpty { break }
            pending.append(data)
            let lines = String(decoding: pending, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            for line in lines.dropLast() where line.hasPrefix("committed ") {
                lastCommitted = max(lastCommitted, Int(line.dropFirst(10)) ?? -1)
            }
            if let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) {
                pending = Data(pending[(lastNewline + 1)...])
            }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(lastCommitted >= 40)

        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("crash")
        try env.read { txn in
            // Every confirmed commit is complete...
            for commit in 0...lastCommitted {
                for j in 0..<100 {
                    let value = try #require(try txn.get(db, "\(commit)/\(j)"), "lost \(commit)/\(j)")
                    #expect(value.count == 512 && value[0] == UInt8(truncatingIfNeeded: commit + j))
                }
            }
            // ...and any later commit is all-or-nothing.
            let total = try txn.count(db)
            #expect(total % 100 == 0)
            #expect(total >= (lastCommitted + 1) * 100)
        }
    }
}

/// Path of an executable built next to the test bundle (SwiftPM puts them in one folder).
func siblingExecutable(named name: String) -> String? {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}
