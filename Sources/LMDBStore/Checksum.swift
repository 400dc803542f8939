import CLMDB
import Synchronization

/// Every value this store writes carries a 4-byte CRC32C trailer computed over its key and
/// its bytes (so a value moved under another key fails too); every read verifies it and
/// returns the value without it. A mismatch is an `MDB_CORRUPTED` error naming the
/// database and the key, never the damaged bytes.
public enum Checksum {
    /// Bytes of the trailer.
    public static let size = 4

    /// CRC32C of `key` ‖ `value`.
    @inline(__always)
    public static func of(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> UInt32 {
        fihris_crc32c(fihris_crc32c(0, key.baseAddress, key.count), value.baseAddress, value.count)
    }

    /// CRC32C of `bytes` (the hardware path where the CPU has one).
    public static func crc32c(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        fihris_crc32c(seed, bytes.baseAddress, bytes.count)
    }

    /// CRC32C of `bytes`, bit by bit (the reference the hardware path is tested against).
    public static func portableCRC32C(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        fihris_crc32c_portable(seed, bytes.baseAddress, bytes.count)
    }

    /// The value inside `stored` (what LMDB returned under `key`), its trailer verified.
    @inline(__always)
    static func verified(_ stored: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, database: String?) throws(LMDBError) -> UnsafeRawBufferPointer {
        guard stored.count >= size else {
            throw mismatch(key: key, database: database, detail: "a \(stored.count)-byte value is too short to hold its checksum")
        }
        let value = UnsafeRawBufferPointer(rebasing: stored[..<(stored.count - size)])
        guard of(key: key, value: value) == trailer(of: stored) else {
            throw mismatch(key: key, database: database, detail: "checksum mismatch (\(value.count)-byte value)")
        }
        return value
    }

    /// The trailer at the end of `stored` (a value as LMDB holds it, at least `size` bytes).
    @inline(__always)
    public static func trailer(of stored: UnsafeRawBufferPointer) -> UInt32 {
        stored.loadUnaligned(fromByteOffset: stored.count - size, as: UInt32.self).littleEndian
    }

    /// The trailer that follows a value returned by a verified read (`get`, a cursor step):
    /// LMDB holds it right after the value's bytes. It names the value's contents (with its
    /// key), for caches of what was decoded from it.
    @inline(__always)
    public static func trailer(following value: UnsafeRawBufferPointer) -> UInt32 {
        UnsafeRawPointer(value.baseAddress!).loadUnaligned(fromByteOffset: value.count, as: UInt32.self).littleEndian
    }

    /// Writes the trailer of `value` (under `key`) at `trailer`.
    @inline(__always)
    static func write(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, to trailer: UnsafeMutableRawPointer) {
        trailer.storeBytes(of: of(key: key, value: value).littleEndian, toByteOffset: 0, as: UInt32.self)
    }

    static func mismatch(key: UnsafeRawBufferPointer, database: String?, detail: String) -> LMDBError {
        LMDBError(code: MDB_CORRUPTED, operation: "read database \(database ?? "(main)") at key \(describe(key))", detail: detail)
    }

    /// A key for messages: printable ASCII as is, other bytes in hex, long keys cut.
    static func describe(_ key: UnsafeRawBufferPointer) -> String {
        let shown = key.prefix(24)
        let text = shown.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
            ? "\"" + String(decoding: shown, as: UTF8.self) + "\""
            : "0x" + shown.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return key.count > shown.count ? text + "… (\(key.count) bytes)" : text
    }
}

/// Values verified before, recognized by where they lie in the map, their size and their
/// trailer: a process verifies a large value (a norms chunk of 8 KB, the chunk of a word in
/// every document) the first time it reads it there, not in every transaction. A value
/// rewritten by a commit lies elsewhere or carries another trailer (the checksum of its new
/// bytes), so it is verified again; what is not noticed is damage done to the file under a
/// running process after it verified the value. Only values of at least `minimumSize`
/// bytes are remembered (smaller ones verify faster than they are looked up), at most
/// `capacity` of them (then it starts over).
public final class VerifiedValues: Sendable {
    public let minimumSize: Int
    private let capacity: Int
    private let entries = Mutex<[UInt: UInt64]>([:])

    public init(minimumSize: Int = 1024, capacity: Int = 1 << 16) {
        (self.minimumSize, self.capacity) = (minimumSize, capacity)
    }

    /// `stored` (a value as LMDB holds it, trailer included) without its trailer: verified
    /// now, or found verified before.
    @inline(__always)
    func verified(_ stored: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, database: String?) throws(LMDBError) -> UnsafeRawBufferPointer {
        guard stored.count >= minimumSize, let address = stored.baseAddress else {
            return try Checksum.verified(stored, key: key, database: database)
        }
        let entry = UInt64(stored.count) << 32 | UInt64(Checksum.trailer(of: stored))
        let place = UInt(bitPattern: address)
        if entries.withLock({ $0[place] == entry }) {
            return UnsafeRawBufferPointer(rebasing: stored[..<(stored.count - Checksum.size)])
        }
        let value = try Checksum.verified(stored, key: key, database: database)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[place] = entry
        }
        return value
    }

    /// How many values are remembered (tests).
    public var count: Int { entries.withLock { $0.count } }
}
