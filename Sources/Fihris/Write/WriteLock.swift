import Foundation
import Synchronization

/// The cross-process writer lock: an exclusive `flock` on `write.lock` in the index
/// directory, holding the writer's process id. The kernel releases it when the process
/// ends, however it ends, so a killed writer never leaves the index locked.
final class WriteLock: Sendable {
    let path: String
    /// The locked file's descriptor while held (-1 otherwise).
    private let descriptor = Mutex<Int32>(-1)

    init(path: String) { self.path = path }

    func acquire(wait: Bool) throws(FihrisError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FihrisError(.io, "cannot open the writer lock \(path): \(String(cString: strerror(errno)))")
        }
        while flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            let error = errno
            if error == EINTR { continue }
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            if error == EWOULDBLOCK {
                throw FihrisError(.locked, "the index at \((path as NSString).deletingLastPathComponent) is being written by process \(holder.isEmpty ? "(unknown)" : holder); wait for it to finish")
            }
            throw FihrisError(.io, "cannot lock \(path): \(String(cString: strerror(error)))")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor.withLock { $0 = fd }
    }

    func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            _ = ftruncate(fd, 0)
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }
}
