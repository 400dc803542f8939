/// A posting list as the first index stores it (format 1): the document frequency, then
/// for each document in ascending order the gap to the previous document number and the
/// term frequency, all varints.
///
///     PostingList := docFreq:varint (docGap:varint termFreq:varint){docFreq}
///
/// The index engine issue replaces this with bit-packed 128-document blocks.
public enum PostingList {
    /// Encodes parallel arrays of ascending document numbers and their term frequencies.
    public static func encode(documents: [UInt32], frequencies: [UInt32]) -> [UInt8] {
        precondition(documents.count == frequencies.count)
        var out: [UInt8] = []
        out.reserveCapacity(2 + documents.count * 3)
        Varint.append(documents.count, to: &out)
        var previous: UInt32 = 0
        for (i, doc) in documents.enumerated() {
            precondition(i == 0 || doc > previous, "document numbers must ascend")
            Varint.append(UInt64(i == 0 ? doc : doc - previous), to: &out)
            Varint.append(UInt64(frequencies[i]), to: &out)
            previous = doc
        }
        return out
    }

    /// The document frequency stored at the head of an encoded list.
    public static func documentFrequency(_ encoded: UnsafeRawBufferPointer) throws(CodecError) -> Int {
        var reader = ByteReader(encoded)
        return try reader.int()
    }

    /// Calls `body(document, frequency)` for each posting, in ascending document order.
    /// Throws on any inconsistency instead of yielding garbage.
    @inline(__always)
    public static func forEach(_ encoded: UnsafeRawBufferPointer, documentLimit: UInt32 = .max,
                               _ body: (UInt32, UInt32) throws -> Void) throws {
        var reader = ByteReader(encoded)
        let count = try reader.int()
        var doc: UInt64 = 0
        for i in 0..<count {
            let gap = try reader.varint()
            if i > 0 && gap == 0 { throw CodecError("posting list not ascending at entry \(i)") }
            doc += gap
            guard doc < UInt64(documentLimit) else {
                throw CodecError("posting for document \(doc) beyond the \(documentLimit) documents")
            }
            let frequency = try reader.varint()
            guard frequency > 0, frequency <= UInt64(UInt32.max) else {
                throw CodecError("invalid term frequency \(frequency) at entry \(i)")
            }
            try body(UInt32(doc), UInt32(frequency))
        }
        if !reader.isAtEnd { throw CodecError("\(reader.remaining) trailing bytes after \(count) postings") }
    }

    /// Decodes into arrays (for appending to an existing list).
    public static func decode(_ encoded: UnsafeRawBufferPointer) throws -> (documents: [UInt32], frequencies: [UInt32]) {
        var documents: [UInt32] = [], frequencies: [UInt32] = []
        try forEach(encoded) { d, f in documents.append(d); frequencies.append(f) }
        return (documents, frequencies)
    }
}
