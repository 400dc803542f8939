/// A growable hash table from byte strings to dense entry numbers, the keys kept in one
/// arena: looking a term up never allocates, inserting allocates only when storage grows.
struct TermTable {
    private(set) var arena: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1 << 14) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { starts.count }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    /// The entry number of `key`, inserting it when new; `inserted` says which.
    @inline(__always)
    mutating func entry(for key: UnsafeBufferPointer<UInt8>, inserted: inout Bool) -> Int {
        let h = Self.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let index = slots[slot]
            if index < 0 { break }
            let i = Int(index)
            if hashes[i] == h && Int(lengths[i]) == key.count && equals(i, key) {
                inserted = false
                return i
            }
            slot = (slot + 1) & mask
        }
        let i = starts.count
        starts.append(arena.count)
        lengths.append(Int32(key.count))
        hashes.append(h)
        arena.append(contentsOf: key)
        slots[slot] = Int32(i)
        if starts.count * 2 > slots.count { grow() }
        inserted = true
        return i
    }

    @inline(__always)
    private func equals(_ i: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            let start = starts[i]
            for k in 0..<key.count where a[start + k] != key[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for i in 0..<starts.count {
            var slot = Int(truncatingIfNeeded: hashes[i]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }

    /// The key of entry `i`.
    func key(_ i: Int) -> ArraySlice<UInt8> { arena[starts[i]..<(starts[i] + Int(lengths[i]))] }
}
