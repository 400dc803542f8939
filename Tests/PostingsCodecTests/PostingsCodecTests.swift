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
