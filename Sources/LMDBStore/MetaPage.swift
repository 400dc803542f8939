#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The newest of an LMDB data file's two meta pages (LMDB 0.9 layout: page header 16 bytes,
/// then magic, version, address, map size, two `MDB_db` — the first's `md_pad` is the page
/// size —, last page, transaction id). One reader for the open-time size check and the page
/// walk.
struct MetaPage {
    static let magic: UInt32 = 0xBEEF_C0DE
    /// Page size, the newest meta's byte offset in the file, its last page and transaction.
    let pageSize: Int, offset: Int
    let lastPage: UInt64, transaction: UInt64

    /// The newest meta page whose magic is right (LMDB's choice) among `bytes`, the start of
    /// the file; nil when the first page is not an LMDB meta page.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 160 else { return nil }
        func u32(_ at: Int) -> UInt32 { bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian }
        func u64(_ at: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
        guard u32(16) == Self.magic else { return nil }
        let pageSize = Int(u32(40))
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else { return nil }
        var offset = 0
        if bytes.count >= pageSize + 160, u32(pageSize + 16) == Self.magic, u64(pageSize + 144) > u64(144) { offset = pageSize }
        self.pageSize = pageSize
        self.offset = offset
        lastPage = u64(offset + 136)
        transaction = u64(offset + 144)
    }

    /// The newest meta page of the file at `path` (read with `pread`), and how many bytes of
    /// the file's start could be read; nil when it cannot be opened.
    static func read(_ path: String) -> (meta: MetaPage?, bytesRead: Int)? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 2 * 65536)
        let read = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return header.withUnsafeBytes { (MetaPage(UnsafeRawBufferPointer(rebasing: $0[..<max(0, read)])), max(0, read)) }
    }
}
