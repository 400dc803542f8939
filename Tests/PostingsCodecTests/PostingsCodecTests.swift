import Testing
import PostingsCodec

@Suite struct VarintTests {
    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), UInt64.max])
    func roundTrip(_ value: UInt64) throws {
        var bytes: [UInt8] = []
        Varint.append(value, to: &bytes)
        let expectedLength = value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
        #expect(bytes.count == expectedLength)
        try bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            let decoded = try reader.varint()
            #expect(decoded == value)
            #expect(reader.isAtEnd)
        }
    }

    @Test func truncatedInputIsAnErrorNotACrash() {
        let bytes: [UInt8] = [0x80, 0x80]
        bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            #expect(throws: CodecError.self) { try reader.varint() }
        }
    }
}

@Suite struct PostingListTests {
    @Test func randomListsRoundTrip() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let count = Int.random(in: 0..<500, using: &rng)
            var docs = Set<UInt32>()
            while docs.count < count { docs.insert(UInt32.random(in: 0..<100_000, using: &rng)) }
            let documents = docs.sorted()
            let frequencies = documents.map { _ in UInt32.random(in: 1..<1000, using: &rng) }
            let encoded = PostingList.encode(documents: documents, frequencies: frequencies)
            let decoded = try encoded.withUnsafeBytes { try PostingList.decode($0) }
            #expect(decoded.documents == documents)
            #expect(decoded.frequencies == frequencies)
            let frequency = try encoded.withUnsafeBytes { try PostingList.documentFrequency($0) }
            #expect(frequency == count)
        }
    }

    @Test func corruptListsThrow() throws {
        let valid = PostingList.encode(documents: [3, 9, 40], frequencies: [1, 2, 3])
        // Every truncation must be reported, never read past the end.
        for cut in 0..<valid.count {
            let truncated = Array(valid[..<cut])
            #expect(throws: (any Error).self) { try truncated.withUnsafeBytes { _ = try PostingList.decode($0) } }
        }
        // A document beyond the index's document count.
        #expect(throws: CodecError.self) {
            try valid.withUnsafeBytes { try PostingList.forEach($0, documentLimit: 10) { _, _ in } }
        }
        // Trailing garbage.
        #expect(throws: CodecError.self) { try (valid + [1]).withUnsafeBytes { _ = try PostingList.decode($0) } }
    }
}
