import CZstd
import Synchronization

/// Zstandard compression of small values (stored documents), each on its own, with an
/// optional dictionary trained on samples of them — what gives a 2 KB document the ratio of
/// a block of sixteen (hadith text: 2.4× alone, 4.3× with a 64 KB dictionary, level 3).
///
/// Contexts are pooled (a compression or decompression context is ~100 KB of state: made
/// once, reused by every thread in turn), so a call costs the work alone.
public enum Zstd {
    /// The compression level of every frame (fast; higher levels gain ~10% for 6× the time).
    public static let level: Int32 = 3

    /// A failure to compress, decompress or train, with zstd's own message.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
        init(_ what: String, _ code: Int) { description = "\(what): \(String(cString: ZSTD_getErrorName(code)))" }
        init(_ message: String) { description = message }
    }

    /// Trains a dictionary of at most `capacity` bytes on `samples` (nil when zstd cannot:
    /// too few or too uniform samples). Deterministic for the same samples.
    public static func train(samples: [[UInt8]], capacity: Int) -> [UInt8]? {
        var joined: [UInt8] = [], sizes: [Int] = []
        joined.reserveCapacity(samples.reduce(0) { $0 + $1.count })
        for sample in samples where !sample.isEmpty { joined.append(contentsOf: sample); sizes.append(sample.count) }
        guard sizes.count >= 8 else { return nil }
        var dictionary = [UInt8](repeating: 0, count: capacity)
        let made = dictionary.withUnsafeMutableBytes { d in
            joined.withUnsafeBytes { s in
                sizes.withUnsafeBufferPointer { z in
                    ZDICT_trainFromBuffer(d.baseAddress, capacity, s.baseAddress, z.baseAddress, UInt32(z.count))
                }
            }
        }
        guard ZDICT_isError(made) == 0 else { return nil }
        dictionary.removeSubrange(made...)
        return dictionary
    }

    /// Appends to `output` one frame holding `input` (its size recorded in the frame).
    public static func compress(_ input: UnsafeRawBufferPointer, dictionary: Dictionary?, into output: inout [UInt8]) throws(Failure) {
        let bound = ZSTD_compressBound(input.count)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = contexts.compression { context in
            output.withUnsafeMutableBytes { out in
                let destination = out.baseAddress! + start
                if let dictionary {
                    return ZSTD_compress_usingCDict(context, destination, bound, input.baseAddress, input.count, dictionary.compression)
                }
                return ZSTD_compressCCtx(context, destination, bound, input.baseAddress, input.count, level)
            }
        }
        guard ZSTD_isError(written) == 0 else {
            output.removeSubrange(start...)
            throw Failure("compress \(input.count) bytes", written)
        }
        output.removeSubrange((start + written)...)
    }

    /// The `size` bytes one frame holds. Throws when the frame is damaged, was made with
    /// another dictionary, or does not hold exactly `size` bytes — never reads or writes
    /// outside the buffers.
    public static func decompress(_ frame: UnsafeRawBufferPointer, size: Int, dictionary: Dictionary?) throws(Failure) -> [UInt8] {
        let declared = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
        guard declared == UInt64(size) else {
            throw Failure(declared >= ZSTD_CONTENTSIZE_ERROR ? "not a zstd frame of \(frame.count) bytes"
                          : "the frame holds \(declared) bytes, the record says \(size)")
        }
        var output = [UInt8](repeating: 0, count: size)
        let made = output.withUnsafeMutableBytes { out in
            contexts.decompression { context in
                if let dictionary {
                    return ZSTD_decompress_usingDDict(context, out.baseAddress, size, frame.baseAddress, frame.count, dictionary.decompression)
                }
                return ZSTD_decompressDCtx(context, out.baseAddress, size, frame.baseAddress, frame.count)
            }
        }
        guard ZSTD_isError(made) == 0 else { throw Failure("decompress a \(frame.count)-byte frame", made) }
        guard made == size else { throw Failure("the frame decompressed to \(made) bytes, not \(size)") }
        return output
    }

    /// A dictionary, digested for both directions (immutable: shared by every thread).
    public final class Dictionary: @unchecked Sendable {
        /// The dictionary's own id (in its header; zstd checks frames against it).
        public let id: UInt32
        public let count: Int
        fileprivate let compression: OpaquePointer
        fileprivate let decompression: OpaquePointer

        public init(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
            guard let c = ZSTD_createCDict(bytes.baseAddress, bytes.count, Zstd.level) else {
                throw Failure("a \(bytes.count)-byte compression dictionary could not be made")
            }
            guard let d = ZSTD_createDDict(bytes.baseAddress, bytes.count) else {
                ZSTD_freeCDict(c)
                throw Failure("a \(bytes.count)-byte decompression dictionary could not be made")
            }
            (compression, decompression) = (c, d)
            id = ZSTD_getDictID_fromDict(bytes.baseAddress, bytes.count)
            count = bytes.count
        }

        deinit {
            ZSTD_freeCDict(compression)
            ZSTD_freeDDict(decompression)
        }
    }

    /// Contexts not in use, for any thread to take.
    private static let contexts = ContextPool()

    private final class ContextPool: Sendable {
        private let idle = Mutex<(compression: [UInt], decompression: [UInt])>(([], []))

        func compression<R>(_ body: (OpaquePointer) -> R) -> R {
            let taken = idle.withLock { $0.compression.popLast() }
            let context = taken.flatMap { OpaquePointer(bitPattern: $0) } ?? ZSTD_createCCtx()!
            defer { idle.withLock { if $0.compression.count < 8 { $0.compression.append(UInt(bitPattern: context)) } else { ZSTD_freeCCtx(context) } } }
            return body(context)
        }

        func decompression<R>(_ body: (OpaquePointer) -> R) -> R {
            let taken = idle.withLock { $0.decompression.popLast() }
            let context = taken.flatMap { OpaquePointer(bitPattern: $0) } ?? ZSTD_createDCtx()!
            defer { idle.withLock { if $0.decompression.count < 8 { $0.decompression.append(UInt(bitPattern: context)) } else { ZSTD_freeDCtx(context) } } }
            return body(context)
        }
    }
}
