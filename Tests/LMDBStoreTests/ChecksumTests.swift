import Foundation
import Testing
@testable import LMDBStore

/// Checksums of stored values (`Checksum`): the CRC itself, and that damage to a value or
/// to its key is an error naming the database and key, never the damaged bytes.
@Suite struct ChecksumTests {
    /// The CRC32C check value (RFC 3720 appendix B.4 and the common "123456789" vector), and
    /// the hardware path equal to the bit-by-bit one on random buffers of every alignment.
    @Test func crc32cMatchesTheStandardAndThePortablePath() {
        let check = Array("123456789".utf8).withUnsafeBytes { Checksum.crc32c($0) }
        #expect(check == 0xE306_9283)
        let zeros = [UInt8](repeating: 0, count: 32).withUnsafeBytes { Checksum.crc32c($0) }
        #expect(zeros == 0x8A91_36AA)
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4099] {
            let data = (0..<length + 3).map { _ in UInt8.random(in: 0...255, using: &generator) }
            data.withUnsafeBytes { all in
                for offset in 0..<3 {
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    #expect(Checksum.crc32c(slice) == Checksum.portableCRC32C(slice), "length \(length), offset \(offset)")
                }
            }
        }
        // Chaining: the CRC of a ‖ b from the CRC of a.
        let a = Array("key".utf8), b = Array("value".utf8)
        let chained = b.withUnsafeBytes { bv in a.withUnsafeBytes { av in Checksum.crc32c(bv, seed: Checksum.crc32c(av)) } }
        #expect(chained == (a + b).withUnsafeBytes { Checksum.crc32c($0) })
    }

    /// One flipped byte in a stored value — found in the file by its contents — makes `get`
    /// and cursors fail with a damaged-file error naming the database and the key; the
    /// other values still read.
    @Test func aFlippedByteIsAnErrorNamingDatabaseAndKey() throws {
        let dir = TemporaryDirectory()
        let marker = Array("UNIQUE-MARKER-7f3a".utf8)
        do {
            let env = try Environment(path: dir.path)
            let db = try env.openDatabase("docs", create: true)
            try env.write { txn in
                try txn.put(db, bytes("a"), bytes("first value"))
                try txn.put(db, bytes("b"), marker + bytes(" and more"))
                try txn.put(db, bytes("c"), bytes("third value"))
            }
        }
        let file = dir.path + "/data.mdb"
        var data = try Data(contentsOf: URL(fileURLWithPath: file))
        let at = try #require(data.firstRange(of: Data(marker))).lowerBound
        data[at + 3] ^= 0x20
        try data.write(to: URL(fileURLWithPath: file))

        let env = try Environment(path: dir.path)
        let db = try env.read { txn in try env.openDatabase("docs") }
        try env.read { txn in
            try #expect(string(txn.get(db, "a")) == "first value")
            try #expect(string(txn.get(db, "c")) == "third value")
            let error = try #require(throws: LMDBError.self) { try txn.get(db, "b") }
            #expect(error.isDamaged)
            #expect(error.description.contains("docs"))
            #expect(error.description.contains("\"b\""))
            #expect(error.description.contains("checksum mismatch"))
            let scan = try #require(throws: LMDBError.self) { try txn.forEach(in: db) { _, _ in true } }
            #expect(scan.isDamaged)
        }
    }

    /// Values are stored with their trailer: the raw bytes are the value, then the CRC of
    /// key ‖ value, little-endian.
    /// `VerifiedValues`: a large value is verified the first time it is read at its place,
    /// then recognized (across transactions); a small one is never remembered; a value
    /// rewritten by a commit reads as its new bytes; at one place, a value with another
    /// trailer is verified again (and damage there is an error).
    @Test func largeValuesAreVerifiedOnceAtTheirPlace() throws {
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("norms", create: true)
        let large = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try env.write { txn in
            try txn.put(db, bytes("large"), large)
            try txn.put(db, bytes("small"), bytes("ten bytes!"))
        }
        let cache = VerifiedValues(minimumSize: 1024)
        for _ in 0..<2 {
            try env.read { txn in
                try #expect(txn.get(db, bytes("large"), remembering: cache).map(Array.init) == large)
                try #expect(string(txn.get(db, bytes("small"), remembering: cache)) == "ten bytes!")
            }
            #expect(cache.count == 1)
        }
        let rewritten = large.map { $0 ^ 0x5A }
        try env.write { txn in try txn.put(db, bytes("large"), rewritten) }
        try env.read { txn in try #expect(txn.get(db, bytes("large"), remembering: cache).map(Array.init) == rewritten) }

        // One place, another trailer: verified again.
        var stored = large + [0, 0, 0, 0]
        let key = bytes("k")
        let crc = key.withUnsafeBytes { k in large.withUnsafeBytes { v in Checksum.of(key: k, value: v) } }
        withUnsafeBytes(of: crc.littleEndian) { stored.replaceSubrange(4096..<4100, with: $0) }
        try stored.withUnsafeMutableBytes { place in
            try key.withUnsafeBytes { k in
                let view = UnsafeRawBufferPointer(place)
                try #expect(cache.verified(view, key: k, database: "norms").count == 4096)
                let before = cache.count
                try #expect(cache.verified(view, key: k, database: "norms").count == 4096)
                #expect(cache.count == before)
                place[10] ^= 1
                place[4096] ^= 1   // another trailer, and it does not match
                #expect(throws: LMDBError.self) { try cache.verified(view, key: k, database: "norms") }
            }
        }
    }

    @Test func theTrailerIsTheCRCOfKeyAndValue() throws {
        let dir = TemporaryDirectory()
        let env = try Environment(path: dir.path)
        let db = try env.openDatabase("kv", create: true)
        try env.write { txn in try txn.put(db, bytes("key"), bytes("value")) }
        try env.read { txn in
            let raw = try #require(try txn.getUnverified(db, bytes("key")))
            #expect(raw.count == 5 + Checksum.size)
            let crc = raw.loadUnaligned(fromByteOffset: 5, as: UInt32.self).littleEndian
            #expect(crc == (bytes("key") + bytes("value")).withUnsafeBytes { Checksum.crc32c($0) })
        }
    }
}
