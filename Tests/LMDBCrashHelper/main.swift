// A child process for LMDBStore's crash test: commits numbered transactions into the
// environment at argv[1], printing "committed N" after each commit returns, until killed.
// Each commit N writes keys "N/0" ... "N/99", so a test can check commits are all-or-nothing.
import LMDBStore
#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered write, so the parent sees each line as soon as the commit returned.
func emit(_ line: String, to fd: Int32) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    emit("usage: LMDBCrashHelper <directory> [max-commits]", to: 2)
    exit(2)
}
// `LMDBCrashHelper <directory> read`: opens the environment, holds a read transaction,
// prints "reading" and waits to be killed (the stale-reader test).
if arguments.count >= 3, arguments[2] == "read" {
    do {
        let env = try Environment(path: arguments[1])
        try env.read { _ in
            emit("reading", to: 1)
            while true { pause() }
        }
    } catch {
        emit("LMDBCrashHelper: \(error)", to: 1)
        exit(1)
    }
}
let limit = arguments.count >= 3 ? Int(arguments[2]) ?? Int.max : Int.max
do {
    var options = Environment.Options()
    options.mapSize = 1 << 20
    let env = try Environment(path: arguments[1], options: options)
    let db = try env.openDatabase("crash", create: true)
    var commit = 0
    while commit < limit {
        try env.write { txn in
            for j in 0..<100 {
                let value = [UInt8](repeating: UInt8(truncatingIfNeeded: commit &+ j), count: 512)
                try txn.put(db, Array("\(commit)/\(j)".utf8), value)
            }
        }
        emit("committed \(commit)", to: 1)
        commit += 1
    }
} catch {
    emit("LMDBCrashHelper: \(error)", to: 2)
    exit(1)
}
