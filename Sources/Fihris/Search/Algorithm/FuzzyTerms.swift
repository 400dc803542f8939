import Foundation
import LMDBStore

/// Terms of the dictionary within an edit distance of a word: Damerau–Levenshtein
/// (optimal string alignment) over Unicode scalars of folded terms — a haraka is never an
/// edit, because terms are folded — found by a bounded walk of the sorted dictionary, not
/// a scan: the dynamic-programming rows of a term's prefix are kept, and once every entry
/// of a row passes the limit, no term with that prefix can match and the walk seeks past
/// the prefix (Lucene's automaton intersection, with the rows as the automaton's state).
///
/// Costs are in half edits: a substitution, insertion, deletion or swap of two adjacent
/// letters costs 2; substituting letters Arabic writers confuse (ض/ظ, ذ/ز, ث/س, ص/س, ط/ت,
/// ذ/د, ظ/ز) costs 1.
enum FuzzyTerms {
    struct Match: Equatable {
        var term: [UInt8]
        /// Half edits.
        var cost: Int
    }

    /// The pairs that cost half an edit, both ways.
    static let confusable: Set<UInt64> = {
        let pairs: [(Character, Character)] = [("ض", "ظ"), ("ذ", "ز"), ("ث", "س"), ("ص", "س"), ("ط", "ت"), ("ذ", "د"), ("ظ", "ز")]
        var set = Set<UInt64>()
        for (a, b) in pairs {
            let x = UInt64(a.unicodeScalars.first!.value), y = UInt64(b.unicodeScalars.first!.value)
            set.insert(x << 32 | y); set.insert(y << 32 | x)
        }
        return set
    }()

    @inline(__always)
    static func substitution(_ a: UInt32, _ b: UInt32) -> Int {
        a == b ? 0 : confusable.contains(UInt64(a) << 32 | UInt64(b)) ? 1 : 2
    }

    /// The edits a word of `letters` letters may have in automatic typo tolerance and in
    /// `word~`: none below 4 letters, 1 from 4, 2 from 9. (Meilisearch allows 1 from 5;
    /// Arabic words are short, and a deleted letter makes a 5-letter word 4: on the
    /// misspellings of Benchmarks/typos, 1 from 4 recovers 89–93% of the targets against
    /// 87–89% from 5, with the same results for words spelled right.)
    static func automaticEdits(letters: Int) -> Int { letters >= 9 ? 2 : letters >= 4 ? 1 : 0 }

    /// The scalar whose UTF-8 encoding starts at `bytes[i]`, and where it ends (a byte
    /// that does not decode, or a sequence cut short, counts as one scalar of its value).
    @inline(__always)
    static func scalar(_ bytes: UnsafeRawBufferPointer, at i: Int) -> (value: UInt32, end: Int) {
        let b = bytes[i]
        let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 1
        guard length > 1, i + length <= bytes.count else { return (UInt32(b), i + 1) }
        var v = UInt32(b) & (0xFF >> (length + 1))
        for k in 1..<length { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
        return (v, i + length)
    }

    /// The Unicode scalars of UTF-8 bytes (`scalar(_:at:)`).
    static func scalars(_ bytes: UnsafeRawBufferPointer) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let (v, end) = scalar(bytes, at: i)
            out.append(v)
            i = end
        }
        return out
    }

    /// The first byte string after every string starting with `prefix` (nil: none).
    static func successor(_ prefix: some Collection<UInt8>) -> [UInt8]? {
        var bytes = Array(prefix)
        while let last = bytes.last {
            if last < 0xFF { bytes[bytes.count - 1] = last + 1; return bytes }
            bytes.removeLast()
        }
        return nil
    }

    /// Reference distance (the whole table), for tests.
    static func distance(_ a: [UInt32], _ b: [UInt32]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = 2 * i }
        for j in 0...b.count { d[0][j] = 2 * j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 2, d[i][j - 1] + 2, d[i - 1][j - 1] + substitution(a[i - 1], b[j - 1]))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 2) }
            }
        }
        return d[a.count][b.count]
    }

    /// The terms of one field and kind within `maxCost` half edits of `word`, in every
    /// segment (each once, at its least cost), with how many terms the walk looked at.
    static func matches(_ word: [UInt8], maxCost: Int, snapshot: IndexSnapshot, field: Int, kind: TermKind) throws
        -> (matches: [Match], visited: Int) {
        let query = word.withUnsafeBytes { scalars($0) }
        let m = query.count, width = m + 1
        // Each query letter's confusable partners (at most two; 0: none), so the inner loop
        // compares integers instead of looking pairs up in a set.
        let partners: [(UInt32, UInt32)] = query.map { q in
            let found = confusable.filter { $0 >> 32 == UInt64(q) }.map { UInt32($0 & 0xFFFF_FFFF) }.sorted()
            return (found.first ?? 0, found.count > 1 ? found[1] : 0)
        }
        var found: [[UInt8]: Int] = [:]
        var visited = 0
        // rows[i * width ..< (i + 1) * width]: the row after a term's first i scalars (one
        // buffer, reused: the walk allocates only for the terms it keeps).
        var rows = [Int](repeating: 0, count: width * 64)
        var term = [UInt32](repeating: 0, count: 64), ends = [Int](repeating: 0, count: 64)
        for segment in snapshot.segments {
            for j in 0...m { rows[j] = 2 * j }
            var valid = 0        // rows 0...valid hold the previous term's prefix
            var previousCount = 0
            try snapshot.walkTerms(segment: segment.id, field: field, kind: kind, from: []) { raw in
                visited += 1
                // Decode the term's scalars (and where each ends) over the previous term's.
                var n = 0, i = 0
                var common = 0, sharing = true
                while i < raw.count {
                    let v: UInt32
                    (v, i) = scalar(raw, at: i)
                    if n == term.count { term.append(0); ends.append(0) }
                    if sharing, n < previousCount, n < valid, term[n] == v { common += 1 } else { sharing = false }
                    term[n] = v; ends[n] = i
                    n += 1
                }
                previousCount = n
                if rows.count < (n + 1) * width { rows.append(contentsOf: repeatElement(0, count: (n + 1) * width - rows.count)) }
                var depth = common
                while depth < n {
                    let c = term[depth]
                    let above = depth * width, here = above + width
                    rows[here] = rows[above] + 2
                    var least = rows[here]
                    for j in stride(from: 1, through: m, by: 1) {
                        let q = query[j - 1], p = partners[j - 1]
                        let sub = c == q ? 0 : (c == p.0 || c == p.1) && c != 0 ? 1 : 2
                        var v = min(rows[above + j] + 2, rows[here + j - 1] + 2, rows[above + j - 1] + sub)
                        if depth > 0, j > 1, c == query[j - 2], term[depth - 1] == query[j - 1] { v = min(v, rows[above - width + j - 2] + 2) }
                        rows[here + j] = v
                        if v < least { least = v }
                    }
                    depth += 1
                    if least > maxCost {
                        // No term with these first `depth` scalars can match: past them.
                        valid = depth - 1
                        guard let next = successor(raw[..<ends[depth - 1]]) else { return .stop }
                        return .seek(next)
                    }
                }
                valid = n
                let cost = rows[n * width + m]
                if cost <= maxCost {
                    let key = Array(raw)
                    found[key] = min(found[key] ?? cost, cost)
                }
                return .next
            }
        }
        return (found.map { Match(term: $0.key, cost: $0.value) }, visited)
    }
}
