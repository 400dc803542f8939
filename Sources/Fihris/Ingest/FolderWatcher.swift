#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Tells when a folder's files change, so that an index can be kept in step with it
/// (`fihris index FOLDER --watch`): inotify on Linux, a watch on every folder under the
/// root (hidden folders and those `FolderSource` excludes left out, folders created later
/// added as they appear).
///
/// `wait` returns once something changed and the folder then stayed quiet for `debounce`
/// (or changes kept coming for `maximumDelay`), so that a file being written, or a folder
/// being copied in, is applied once; the caller then brings the index up to date with
/// `FolderIndexer`, which finds what changed by itself (the events only say when to look).
/// When the kernel's queue overflows, `wait` simply returns: the next sync sees everything.
public final class FolderWatcher {
    public let source: FolderSource
    public var debounce: TimeInterval = 0.3
    public var maximumDelay: TimeInterval = 3
    private let descriptor: Int32
    private var watches: [Int32: String] = [:]   // watch descriptor → folder relative to the root

    public init(source: FolderSource) throws(FihrisError) {
        self.source = source
        #if os(Linux)
        descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else {
            throw FihrisError(.io, "cannot watch \(source.folder): inotify_init1: \(String(cString: strerror(errno)))")
        }
        try add(relative: "")
        #else
        throw FihrisError(.invalidArgument, "watching a folder needs Linux (inotify)")
        #endif
    }

    deinit { close(descriptor) }

    /// Folders being watched.
    public var folderCount: Int { watches.count }

    #if os(Linux)
    private static let mask = UInt32(IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF
                                     | IN_MOVE_SELF | IN_ATTRIB | IN_MODIFY | IN_ONLYDIR)

    /// Watches a folder and the folders under it.
    private func add(relative: String) throws(FihrisError) {
        let path = relative.isEmpty ? source.folder : source.folder + "/" + relative
        let wd = inotify_add_watch(descriptor, path, Self.mask)
        guard wd >= 0 else {
            if relative.isEmpty || errno == ENOSPC {
                throw FihrisError(.io, "cannot watch \(path): \(String(cString: strerror(errno)))\(errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "")")
            }
            return  // a folder removed meanwhile
        }
        watches[wd] = relative
        guard let handle = opendir(path) else { return }
        var children: [String] = []
        while let entry = readdir(handle) {
            guard entry.pointee.d_type == DT_DIR || entry.pointee.d_type == DT_UNKNOWN else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(source.folder + "/" + child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            if source.excluding.contains(where: { fnmatch($0, child, 0) == 0 || fnmatch($0, name, 0) == 0 }) { continue }
            children.append(child)
        }
        closedir(handle)
        for child in children { try add(relative: child) }
    }
    #endif

    /// Waits until something under the folder changed and then settled; returns false when
    /// `shouldStop` said to stop first (checked every `pollInterval`).
    public func wait(pollInterval: TimeInterval = 0.2, shouldStop: () -> Bool) throws(FihrisError) -> Bool {
        #if os(Linux)
        var changedAt: Date?
        var firstChange: Date?
        while true {
            if shouldStop() { return false }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(pollInterval * 1000))
            if ready < 0 && errno != EINTR { throw FihrisError(.io, "cannot watch \(source.folder): poll: \(String(cString: strerror(errno)))") }
            if ready > 0 {
                if try drain() {
                    changedAt = Date()
                    if firstChange == nil { firstChange = changedAt }
                }
            }
            if let changedAt, let firstChange,
               Date().timeIntervalSince(changedAt) >= debounce || Date().timeIntervalSince(firstChange) >= maximumDelay {
                return true
            }
        }
        #else
        return false
        #endif
    }

    #if os(Linux)
    /// Reads the queued events; watches new folders; returns whether any event says a
    /// file or folder changed.
    private func drain() throws(FihrisError) -> Bool {
        let size = 64 << 10
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var changed = false
        while true {
            let n = read(descriptor, buffer.baseAddress, size)
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { return changed }
                if errno == EINTR { continue }
                throw FihrisError(.io, "cannot watch \(source.folder): read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return changed }
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= n {
                let wd = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[(offset + header)..<min(n, offset + header + length)])
                let name = String(decoding: nameBytes.prefix(while: { $0 != 0 }), as: UTF8.self)
                offset += header + length
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { changed = true; continue }
                if mask & UInt32(IN_IGNORED) != 0 { watches[wd] = nil; continue }
                guard let folder = watches[wd] else { continue }
                if name.hasPrefix(".") { continue }   // hidden files are not indexed
                changed = true
                if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    let child = folder.isEmpty ? name : folder + "/" + name
                    if !source.excluding.contains(where: { fnmatch($0, child, 0) == 0 || fnmatch($0, name, 0) == 0 }) {
                        try add(relative: child)
                    }
                }
            }
        }
    }
    #endif
}
