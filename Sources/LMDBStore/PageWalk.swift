#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLMDB

/// A walk of every page of an LMDB data file, before LMDB maps it: LMDB trusts its pages
/// (a zeroed page trips its `IS_LEAF` assertion and aborts the process; random bytes in a
/// branch page send it to an address outside the map), so a damaged file must be found
/// here, where damage is an error.
///
/// From the newest valid meta page, each B-tree — the free-page database, the main
/// database and every named database the main one lists — is walked from its root: every
/// page must lie inside the file and the last commit, carry its own page number, be of the
/// kind its place in the tree says (branch above, leaf at the bottom, overflow for large
/// values), have sane bounds (`lower`, `upper`, node offsets and sizes inside the page),
/// keys in increasing order and inside the range of its parent's separators, and be
/// reached once. The layout is LMDB 0.9's on-disk format (`mdb.c`: `MDB_page`, `MDB_node`,
/// `MDB_meta`, `MDB_db`) for 64-bit page numbers; databases without duplicate keys (Fihris
/// uses none) — a node with duplicate data is reported as damage.
enum PageWalk {
    static let headerSize = 16, nodeSize = 8, dbRecordSize = 48
    static let branch: UInt16 = 0x01, leaf: UInt16 = 0x02, overflow: UInt16 = 0x04
    static let bigData: UInt16 = 0x01, subData: UInt16 = 0x02, dupData: UInt16 = 0x04
    static let invalidPage = UInt64.max

    struct Damage: Error { let message: String }

    /// Walks the data file at `path`; nil when it is sound (or not LMDB's: LMDB reports
    /// that itself), else what is wrong. A writer of another process may commit during the
    /// walk and reuse pages of the commit being walked (the walk is not an LMDB reader), so
    /// damage seen while the newest commit changed is walked again.
    static func verify(_ path: String) -> String? {
        var result: String? = nil
        for _ in 0..<4 {
            let (damage, transaction) = walk(path)
            guard let damage else { return nil }
            result = damage
            if MetaPage.read(path)?.meta?.transaction == transaction { return damage }
        }
        return result
    }

    static func walk(_ path: String) -> (String?, UInt64?) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return (nil, nil) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 2 * 512 else { return (nil, nil) }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else { return (nil, nil) }
        defer { munmap(base, size) }
        var walk = Walker(file: UnsafeRawBufferPointer(start: base, count: size))
        do {
            try walk.run()
            return (nil, walk.transaction)
        } catch let damage as Damage {
            return (damage.message, walk.transaction)
        } catch {
            return ("\(error)", walk.transaction)
        }
    }

    struct Walker {
        let file: UnsafeRawBufferPointer
        var pageSize = 0
        var lastPage: UInt64 = 0, metaLastPage: UInt64 = 0
        /// The transaction of the meta page walked from.
        var transaction: UInt64 = 0
        var seen: [UInt64] = []          // a bit per page: reached once
        var pagesRead = 0

        init(file: UnsafeRawBufferPointer) { self.file = file }

        func u16(_ at: Int) -> UInt16 { file.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian }
        func u32(_ at: Int) -> UInt32 { file.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian }
        func u64(_ at: Int) -> UInt64 { file.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }

        mutating func run() throws {
            // Not LMDB's (LMDB says so itself), or too short for its meta pages.
            guard let newest = MetaPage(file), file.count >= 2 * newest.pageSize else { return }
            pageSize = newest.pageSize
            let meta = newest.offset
            lastPage = newest.lastPage
            metaLastPage = lastPage
            transaction = newest.transaction
            let pagesInFile = UInt64(file.count / pageSize)
            guard lastPage >= 1 else { throw Damage(message: "meta page \(meta / pageSize): last page \(lastPage) is before the meta pages") }
            // Pages past the end of a short file are not read (the open-time size check has
            // already refused a file cut by more than a few pages).
            lastPage = min(lastPage, pagesInFile - 1)
            seen = [UInt64](repeating: 0, count: Int(lastPage) / 64 + 1)
            try tree(record: meta + 40, name: "the free-page database", free: true)
            try tree(record: meta + 88, name: "the main database", main: true)
        }

        /// Walks the tree an `MDB_db` record at `record` describes.
        mutating func tree(record: Int, name: String, main: Bool = false, free: Bool = false) throws {
            let root = u64(record + 40)
            let depth = Int(u16(record + 6))
            if root == invalidPage { return }
            integerKeys = free
            defer { integerKeys = false }
            guard depth >= 1, depth <= 32 else { throw Damage(message: "\(name): depth \(depth) is impossible") }
            try page(root, level: 1, depth: depth, low: nil, high: nil, name: name, main: main, free: free)
        }

        mutating func offset(of page: UInt64, _ name: String) throws -> Int {
            guard page >= 2, page <= lastPage else {
                throw Damage(message: "\(name): page \(page) is outside the file (pages 2...\(lastPage))")
            }
            let word = Int(page / 64), bit = UInt64(1) << (page % 64)
            if seen[word] & bit != 0 { throw Damage(message: "\(name): page \(page) is reached twice (a cycle or a shared page)") }
            seen[word] |= bit
            pagesRead += 1
            // The pages read need not stay resident (a command's memory would otherwise grow
            // with the index): dropped every 4,096 pages.
            if pagesRead % 4096 == 0 { madvise(UnsafeMutableRawPointer(mutating: file.baseAddress!), file.count, MADV_DONTNEED) }
            return Int(page) * pageSize
        }

        /// Whether the tree being walked is the free-page database, whose keys are
        /// transaction ids compared as integers (`MDB_INTEGERKEY`: native-endian `size_t`).
        var integerKeys = false

        /// Compares `a` with `b` in the tree's key order: bytewise (LMDB's default), or as
        /// integers in the free-page database (bytewise, 256 sorts before 255 there, and an
        /// index with a few hundred commits looked damaged).
        func compare(_ a: Range<Int>, _ b: Range<Int>) -> Int {
            if integerKeys, a.count == 8, b.count == 8 {
                let x = u64(a.lowerBound), y = u64(b.lowerBound)
                return x < y ? -1 : x == y ? 0 : 1
            }
            let n = min(a.count, b.count)
            let c = memcmp(file.baseAddress! + a.lowerBound, file.baseAddress! + b.lowerBound, n)
            if c != 0 { return Int(c) }
            return a.count - b.count
        }

        mutating func page(_ number: UInt64, level: Int, depth: Int, low: Range<Int>?, high: Range<Int>?,
                           name: String, main: Bool, free: Bool) throws {
            let at = try offset(of: number, name)
            guard u64(at) == number else {
                throw Damage(message: "\(name), page \(number): the page says it is page \(u64(at)) (zeroed or overwritten)")
            }
            let flags = u16(at + 10)
            let expected = level == depth ? leaf : branch
            guard flags & (branch | leaf | overflow | 0x08 | 0x20 | 0x40) == expected else {
                throw Damage(message: "\(name), page \(number): flags 0x\(String(flags, radix: 16)), expected a \(level == depth ? "leaf" : "branch") page at level \(level) of \(depth)")
            }
            let lower = Int(u16(at + 12)), upper = Int(u16(at + 14))
            guard lower >= headerSize, lower <= upper, upper <= pageSize, (lower - headerSize) % 2 == 0 else {
                throw Damage(message: "\(name), page \(number): bounds lower \(lower) / upper \(upper) are impossible")
            }
            let keys = (lower - headerSize) / 2
            guard keys >= 1 else { throw Damage(message: "\(name), page \(number): an empty page inside a tree") }
            var previous: Range<Int>? = nil
            for i in 0..<keys {
                let node = Int(u16(at + headerSize + 2 * i))
                guard node >= upper, node + nodeSize <= pageSize else {
                    throw Damage(message: "\(name), page \(number): node \(i) at offset \(node) is outside the page's node area")
                }
                let n = at + node
                let lo = UInt64(u16(n)), hi = UInt64(u16(n + 2)), nodeFlags = u16(n + 4), keySize = Int(u16(n + 6))
                let keyStart = n + nodeSize
                guard node + nodeSize + keySize <= pageSize else {
                    throw Damage(message: "\(name), page \(number): node \(i)'s key of \(keySize) bytes runs past the page")
                }
                let key = keyStart..<(keyStart + keySize)
                // Keys in order, and inside the parent's separators (a branch page's first
                // key is empty: it only points left).
                if flags == leaf || i > 0 {
                    if let previous, compare(previous, key) >= 0 { throw Damage(message: "\(name), page \(number): keys \(i - 1) and \(i) are out of order") }
                    if let low, compare(low, key) > 0 { throw Damage(message: "\(name), page \(number): key \(i) sorts before its parent's separator") }
                    if let high, compare(key, high) >= 0 { throw Damage(message: "\(name), page \(number): key \(i) sorts after the next separator of its parent") }
                    previous = key
                }
                if flags == branch {
                    let child = lo | hi << 16 | UInt64(nodeFlags) << 32
                    // The child's keys lie between this separator and the next one.
                    var next: Range<Int>? = high
                    if i + 1 < keys {
                        let m = at + Int(u16(at + headerSize + 2 * (i + 1)))
                        if m + nodeSize <= at + pageSize, Int(u16(m + 6)) + m + nodeSize <= at + pageSize {
                            next = (m + nodeSize)..<(m + nodeSize + Int(u16(m + 6)))
                        }
                    }
                    try page(child, level: level + 1, depth: depth, low: i == 0 ? low : key, high: next,
                             name: name, main: main, free: free)
                    continue
                }
                let dataSize = Int(lo | hi << 16)
                if nodeFlags & dupData != 0 { throw Damage(message: "\(name), page \(number): node \(i) holds duplicate data (never written by Fihris)") }
                if nodeFlags & bigData != 0 {
                    guard keyStart + keySize + 8 <= at + pageSize else { throw Damage(message: "\(name), page \(number): node \(i)'s overflow page number runs past the page") }
                    let first = u64(keyStart + keySize)
                    let start = try offset(of: first, "\(name), page \(number), overflow of node \(i)")
                    guard u64(start) == first, u16(start + 10) & overflow != 0 else {
                        throw Damage(message: "\(name), page \(number): overflow page \(first) of node \(i) is not an overflow page (zeroed or overwritten)")
                    }
                    let pages = UInt64(u32(start + 12))
                    guard pages >= 1, first + pages - 1 <= lastPage, Int(pages) * pageSize >= dataSize + headerSize else {
                        throw Damage(message: "\(name), page \(number): overflow page \(first) of node \(i): \(pages) pages cannot hold \(dataSize) bytes inside the file")
                    }
                    for extra in 1..<max(Int(pages), 1) { _ = try offset(of: first + UInt64(extra), "\(name), page \(number), overflow of node \(i)") }
                    continue
                }
                guard node + nodeSize + keySize + dataSize <= pageSize else {
                    throw Damage(message: "\(name), page \(number): node \(i)'s value of \(dataSize) bytes runs past the page")
                }
                let data = keyStart + keySize
                if free {
                    // A free-list entry: a count, then that many page numbers.
                    guard dataSize >= 8, dataSize % 8 == 0, Int(u64(data)) == dataSize / 8 - 1 else {
                        throw Damage(message: "\(name), page \(number): free-list entry \(i) is malformed")
                    }
                    for j in 1..<(dataSize / 8) where u64(data + 8 * j) > metaLastPage {
                        throw Damage(message: "\(name), page \(number): free-list entry \(i) lists page \(u64(data + 8 * j)), outside the file")
                    }
                } else if main && nodeFlags & subData != 0 {
                    guard dataSize == dbRecordSize else { throw Damage(message: "\(name), page \(number): the record of a named database is \(dataSize) bytes") }
                    let named = String(decoding: file[key], as: UTF8.self)
                    try tree(record: data, name: "database \(named)")
                }
            }
        }
    }
}
