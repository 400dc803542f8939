/// Bit-packing of up to 128 unsigned 32-bit integers at one width (0–32 bits each).
///
///     PackedInts := width:u8 bits{count × width, little-endian bit order, padded to a byte}
///
/// The count is not stored: the reader knows it (a full block is 128 values).
public enum BitPacking {
    public static let blockSize = 128

    /// Bits needed for the largest of `values`.
    @inline(__always)
    public static func width(_ values: UnsafeBufferPointer<UInt32>) -> Int {
        var or: UInt32 = 0
        for v in values { or |= v }
        return 32 - or.leadingZeroBitCount
    }

    /// Bytes taken by `count` values of `width` bits, width byte included.
    @inline(__always)
    public static func encodedSize(count: Int, width: Int) -> Int { 1 + (count * width + 7) / 8 }

    /// Appends the width byte and the packed values.
    public static func pack(_ values: UnsafeBufferPointer<UInt32>, into output: inout [UInt8]) {
        let width = Self.width(values)
        output.append(UInt8(width))
        guard width > 0 else { return }
        var accumulator: UInt64 = 0
        var bits = 0
        for v in values {
            accumulator |= UInt64(v) << UInt64(bits)
            bits += width
            while bits >= 8 {
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        if bits > 0 { output.append(UInt8(truncatingIfNeeded: accumulator)) }
    }

    /// The offset after `count` values packed at `offset`, without unpacking them.
    @inline(__always)
    public static func skip(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) throws(CodecError) -> Int {
        guard offset < bytes.count else { throw CodecError("packed block past the end (offset \(offset))") }
        let width = Int(bytes[offset])
        guard width <= 32 else { throw CodecError("bit width \(width) at offset \(offset)") }
        let end = offset + 1 + (count * width + 7) / 8
        guard end <= bytes.count else { throw CodecError("packed block of \(count)×\(width) bits truncated at offset \(offset)") }
        return end
    }

    /// Reads `count` values packed at `offset` into `output`; returns the offset after them.
    /// Throws when the data is shorter than the width byte says.
    @inline(__always)
    public static func unpack(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int,
                              into output: UnsafeMutablePointer<UInt32>) throws(CodecError) -> Int {
        precondition(count <= 128)
        guard offset < bytes.count else { throw CodecError("packed block past the end (offset \(offset))") }
        let width = Int(bytes[offset])
        guard width <= 32 else { throw CodecError("bit width \(width) at offset \(offset)") }
        let size = (count * width + 7) / 8
        guard offset + 1 + size <= bytes.count else {
            throw CodecError("packed block of \(count)×\(width) bits truncated at offset \(offset)")
        }
        if width == 0 {
            output.update(repeating: 0, count: count)
            return offset + 1
        }
        // Copy into a zero-padded buffer so every value is one unaligned 8-byte load.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 520) { padded in
            let packed = UnsafeRawBufferPointer(rebasing: bytes[(offset + 1)..<(offset + 1 + size)])
            padded.baseAddress!.initialize(repeating: 0, count: 520)
            UnsafeMutableRawBufferPointer(padded).copyMemory(from: packed)
            let base = UnsafeRawPointer(padded.baseAddress!)
            let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
            var bitPosition = 0
            for i in 0..<count {
                let word = (base + (bitPosition >> 3)).loadUnaligned(as: UInt64.self).littleEndian
                output[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bitPosition & 7)) & mask)
                bitPosition += width
            }
            return offset + 1 + size
        }
    }
}
