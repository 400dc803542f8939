import Foundation
import Testing
import ZstdCodec

/// Zstandard as stored documents use it: what it compresses comes back byte for byte, with
/// or without a dictionary, and a damaged, truncated, mislabelled or foreign frame is an
/// error — never a crash, an over-read or a silently different size.
@Suite struct ZstdTests {
    /// The texts of the committed hadith sample (corpus/hadith-sample.jsonl), as UTF-8.
    static func samples(_ count: Int) throws -> [[UInt8]] {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("corpus/hadith-sample.jsonl").path) {
            url.deleteLastPathComponent()
        }
        let lines = try String(contentsOf: url.appendingPathComponent("corpus/hadith-sample.jsonl"), encoding: .utf8).split(separator: "\n")
        return try lines.prefix(count).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return Array(((object?["text"] as? String) ?? "").utf8)
        }
    }

    @Test func roundTripsWithAndWithoutADictionary() throws {
        let docs = try Self.samples(400)
        let trained = try #require(Zstd.train(samples: docs, capacity: 16 << 10))
        let dictionary = try trained.withUnsafeBytes { try Zstd.Dictionary($0) }
        #expect(dictionary.id != 0)
        var plainTotal = 0, aloneTotal = 0, withTotal = 0
        for doc in docs {
            for d in [nil, dictionary] {
                var frame: [UInt8] = []
                try doc.withUnsafeBytes { try Zstd.compress($0, dictionary: d, into: &frame) }
                let back = try frame.withUnsafeBytes { try Zstd.decompress($0, size: doc.count, dictionary: d) }
                #expect(back == doc)
                if d == nil { aloneTotal += frame.count } else { withTotal += frame.count }
            }
            plainTotal += doc.count
        }
        // The point of the dictionary: small records compress as a block would (hadith text:
        // 2.4× alone, 4.3× with a dictionary).
        #expect(withTotal * 3 < aloneTotal * 2, "\(plainTotal) → alone \(aloneTotal), with the dictionary \(withTotal)")
        // Appends after what the output holds.
        var out: [UInt8] = [1, 2, 3]
        try docs[0].withUnsafeBytes { try Zstd.compress($0, dictionary: nil, into: &out) }
        #expect(Array(out.prefix(3)) == [1, 2, 3])
    }

    @Test func damageIsAnError() throws {
        let docs = try Self.samples(200)
        let trained = try #require(Zstd.train(samples: docs, capacity: 8 << 10))
        let dictionary = try trained.withUnsafeBytes { try Zstd.Dictionary($0) }
        let other = try #require(Zstd.train(samples: Array(docs.reversed().prefix(100)).map { $0 + Array("، ثم".utf8) }, capacity: 4 << 10))
        let otherDictionary = try other.withUnsafeBytes { try Zstd.Dictionary($0) }
        let doc = docs[3]
        var frame: [UInt8] = []
        try doc.withUnsafeBytes { try Zstd.compress($0, dictionary: dictionary, into: &frame) }
        // Another size than the record's, truncation, no dictionary or another one.
        #expect(throws: Zstd.Failure.self) { try frame.withUnsafeBytes { _ = try Zstd.decompress($0, size: doc.count + 1, dictionary: dictionary) } }
        for cut in [0, 1, 4, frame.count / 2, frame.count - 1] {
            #expect(throws: Zstd.Failure.self, "cut at \(cut)") {
                try Array(frame.prefix(cut)).withUnsafeBytes { _ = try Zstd.decompress($0, size: doc.count, dictionary: dictionary) }
            }
        }
        #expect(throws: Zstd.Failure.self) { try frame.withUnsafeBytes { _ = try Zstd.decompress($0, size: doc.count, dictionary: nil) } }
        #expect(throws: Zstd.Failure.self) { try frame.withUnsafeBytes { _ = try Zstd.decompress($0, size: doc.count, dictionary: otherDictionary) } }
        // Every single flipped byte: an error or the record's size, never a crash (the
        // index's CRC32C trailers catch what a frame cannot).
        for i in frame.indices {
            var damaged = frame
            damaged[i] ^= 0x5A
            if let back = try? damaged.withUnsafeBytes({ try Zstd.decompress($0, size: doc.count, dictionary: dictionary) }) {
                #expect(back.count == doc.count)
            }
        }
        #expect(Zstd.train(samples: [[1, 2, 3]], capacity: 4096) == nil)
    }
}
