/// A set of words (UTF-8) looked up without allocating: an open-addressing table of
/// 64-bit FNV-1a hashes, each entry verified against the stored bytes. Built once.
package struct ByteWordTable<Value: Sendable>: Sendable {
    private var slots: [Int32]              // index into entries, -1 empty
    private var entries: [(word: [UInt8], hash: UInt64, value: Value)] = []
    private let mask: Int

    package init(_ pairs: [(String, Value)]) {
        var capacity = 16
        while capacity < pairs.count * 3 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Int32](repeating: -1, count: capacity)
        for (word, value) in pairs {
            let bytes = Array(word.utf8)
            let hash = bytes.withUnsafeBufferPointer { Self.hash($0) }
            if let existing = bytes.withUnsafeBufferPointer({ find($0, hash: hash) }) {
                entries[existing].value = value
                continue
            }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entries.count)
            entries.append((bytes, hash, value))
        }
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    @inline(__always)
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = slots[slot]
            if index < 0 { return nil }
            let entry = entries[Int(index)]
            if entry.hash == hash && entry.word.elementsEqual(bytes) { return Int(index) }
            slot = (slot + 1) & mask
        }
    }

    /// The value stored for `bytes`, or nil.
    @inline(__always)
    package func value(for bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        guard !entries.isEmpty, let index = find(bytes, hash: Self.hash(bytes)) else { return nil }
        return entries[index].value
    }

    package func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !entries.isEmpty && find(bytes, hash: Self.hash(bytes)) != nil   // (no copy of the value)
    }

    package var count: Int { entries.count }
}

/// A set of folded words (see `ScriptFolding`), such as a stop word list.
public struct WordSet: Sendable {
    let table: ByteWordTable<Bool>

    /// `words` are folded before they are stored, so any spelling may be given.
    public init<S: Sequence>(_ words: S) where S.Element == String {
        table = ByteWordTable(words.map { (ScriptFolding.fold($0), true) })
    }

    public func contains(_ folded: UnsafeBufferPointer<UInt8>) -> Bool { table.contains(folded) }

    public func contains(_ word: String) -> Bool {
        let folded = Array(ScriptFolding.fold(word).utf8)
        return folded.withUnsafeBufferPointer { table.contains($0) }
    }

    public var count: Int { table.count }
}
