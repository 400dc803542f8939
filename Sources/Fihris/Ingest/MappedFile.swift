import Foundation

/// A file mapped read-only, read front to back: pages already consumed are given back
/// (`release(upTo:)`), so reading a file of any size keeps only a window of it resident —
/// indexing memory does not grow with the size of a `.jsonl` file.
final class MappedFile {
    let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?
    private let length: Int
    private var released = 0
    private static let page = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Maps `path`; a read error names the file and the reason.
    init(path: String) throws(FihrisError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FihrisError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FihrisError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw FihrisError(.io, "cannot read \(path): not a regular file") }
        length = Int(info.st_size)
        if length == 0 {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw FihrisError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        madvise(mapped, length, MADV_SEQUENTIAL)
        base = mapped
        bytes = UnsafeRawBufferPointer(start: mapped, count: length)
    }

    /// Gives back the pages wholly before `offset` (they are read again from the file if
    /// touched later).
    func release(upTo offset: Int) {
        guard let base else { return }
        let end = min(offset, length) / Self.page * Self.page
        guard end > released else { return }
        madvise(base + released, end - released, MADV_DONTNEED)
        released = end
    }

    /// Gives back every page read so far (after a first pass, e.g. the content hash).
    func releaseAll() {
        guard let base else { return }
        madvise(base, length, MADV_DONTNEED)
        released = 0
    }

    deinit { if let base { munmap(base, length) } }
}
