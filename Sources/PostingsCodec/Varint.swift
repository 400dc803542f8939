/// LEB128 variable-length unsigned integers: 7 bits a byte, low bits first, high bit set
/// on every byte but the last.
public enum Varint {
    @inline(__always)
    public static func append(_ value: UInt64, to output: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        output.append(UInt8(v))
    }

    @inline(__always)
    public static func append(_ value: Int, to output: inout [UInt8]) {
        append(UInt64(value), to: &output)
    }
}

/// A forward reader over encoded bytes; every read is bounds-checked and reports
/// corruption instead of reading past the end.
public struct ByteReader {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var isAtEnd: Bool { offset >= bytes.count }
    public var remaining: Int { bytes.count - offset }

    @inline(__always)
    public mutating func varint() throws(CodecError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw CodecError("varint longer than 10 bytes at offset \(offset)") }
        }
        throw CodecError("truncated varint at offset \(offset)")
    }

    @inline(__always)
    public mutating func int() throws(CodecError) -> Int {
        let v = try varint()
        guard v <= UInt64(Int.max) else { throw CodecError("integer out of range at offset \(offset)") }
        return Int(v)
    }

    public mutating func bytes(_ count: Int) throws(CodecError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw CodecError("\(count) bytes wanted at offset \(offset), \(remaining) left")
        }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    public mutating func string() throws(CodecError) -> String {
        let count = try int()
        return String(decoding: try bytes(count), as: UTF8.self)
    }

    public mutating func uint64LE() throws(CodecError) -> UInt64 {
        let raw = try bytes(8)
        return raw.loadUnaligned(as: UInt64.self).littleEndian
    }
}

/// Encoded data that does not decode: a corrupted or foreign index.
public struct CodecError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Array where Element == UInt8 {
    /// Appends a varint length and the UTF-8 bytes of `string`.
    public mutating func appendString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            Varint.append(utf8.count, to: &self)
            append(contentsOf: utf8)
        }
    }

    public mutating func appendUInt64LE(_ value: UInt64) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
