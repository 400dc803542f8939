#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A search's time limit (`SearchOptions.timeBudget`), spent by the posting cursors: each
/// decoded block of documents or of positions is one unit of work, and every 64 units the
/// clock is read. Past the deadline the cursor throws, so no algorithm or scorer needs its
/// own check: every query's work goes through a cursor.
final class QueryBudget {
    private let deadline: UInt64          // monotonic nanoseconds
    private let limit: Duration
    private let started: UInt64
    private var units = 0

    init(_ limit: Duration) {
        self.limit = limit
        started = Self.now()
        let (seconds, attoseconds) = limit.components
        let nanoseconds = UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000)
        deadline = started &+ nanoseconds
    }

    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }

    @inline(__always)
    func spend() throws(FihrisError) {
        units &+= 1
        if units & 63 == 0 { try check() }
    }

    func check() throws(FihrisError) {
        let now = Self.now()
        guard now > deadline else { return }
        let ms = (now - started) / 1_000_000
        throw FihrisError(.budgetExceeded, "the search ran out of its time budget (\(limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000) ms) after \(ms) ms and \(units) blocks read; narrow the query or allow more time (`SearchOptions.timeBudget`, `fihris search --time-limit`)")
    }
}
