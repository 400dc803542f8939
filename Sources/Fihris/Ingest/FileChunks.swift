import Foundation

/// Bytes that come in successive chunks: a file, standard input.
public protocol ByteChunks {
    /// Calls `body` with successive chunks (each valid only during the call).
    func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// A file descriptor read to its end (standard input, a pipe) in chunks of `chunkSize`.
public struct StreamChunks: ByteChunks {
    public let descriptor: Int32
    public let name: String
    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    public func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileChunks.chunkSize, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = read(descriptor, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw FihrisError(.io, "cannot read \(name): \(String(cString: strerror(errno)))")
            }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}

/// A file read front to back in chunks with `pread` (never mapped: a file truncated while it
/// is read must be an error, and a mapped one raises SIGBUS). Memory is the chunk, whatever
/// the file's size.
struct FileChunks: ByteChunks {
    static let chunkSize = 4 << 20
    let path: String

    /// Calls `body` with successive chunks of the file (each valid only during the call);
    /// errors name the file.
    func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FihrisError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FihrisError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw FihrisError(.io, "cannot read \(path): not a regular file") }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 8)
        defer { buffer.deallocate() }
        var offset: off_t = 0
        while true {
            let n = pread(fd, buffer.baseAddress, buffer.count, offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FihrisError(.io, "cannot read \(path) at byte \(offset): \(String(cString: strerror(errno)))")
            }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += off_t(n)
        }
    }

    /// The file's size and content hash (`ContentHash`), in one pass.
    func sizeAndHash() throws -> (size: Int, hash: UInt64) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FihrisError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
        var hasher = ContentHash.Streaming(count: Int(info.st_size))
        var size = 0
        try forEach { chunk in hasher.update(chunk); size += chunk.count }
        guard size == Int(info.st_size) else {
            throw FihrisError(.io, "cannot read \(path): it changed size while being read (\(info.st_size) → \(size) bytes)")
        }
        return (size, hasher.finish())
    }
}

extension ContentHash {
    /// `ContentHash.of` over bytes given in pieces: the same value as over their
    /// concatenation, whose total length must be known first.
    struct Streaming {
        private var h: UInt64
        private var carry: UInt64 = 0, carried = 0

        init(count: Int) { h = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count) }

        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            var i = 0
            // Complete a word left over from the last piece.
            while carried > 0 && carried < 8 && i < bytes.count {
                carry |= UInt64(bytes[i]) << (8 * UInt64(carried)); carried += 1; i += 1
            }
            if carried == 8 { word(carry); carry = 0; carried = 0 }
            while i + 8 <= bytes.count {
                word(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            while i < bytes.count { carry |= UInt64(bytes[i]) << (8 * UInt64(carried)); carried += 1; i += 1 }
        }

        @inline(__always) private mutating func word(_ w: UInt64) {
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }

        func finish() -> UInt64 {
            let x = (h ^ carry) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 29)
        }
    }
}
