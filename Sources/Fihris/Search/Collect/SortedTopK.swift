/// A sort key bound to the schema (`SortKey` with its field resolved and checked).
enum BoundSortKey: Equatable {
    case score(descending: Bool)
    case numeric(field: Int, isDouble: Bool, descending: Bool)
    case keyword(field: Int, descending: Bool)

    var isScore: Bool { if case .score = self { true } else { false } }

    /// Resolves field names; a text field, a missing field or a boolean stored only in
    /// documents is an `invalidArgument` error naming it.
    static func bind(_ keys: [SortKey], schema: Schema) throws(FihrisError) -> [BoundSortKey] {
        var bound: [BoundSortKey] = []
        for key in keys {
            let descending = key.order == .descending
            guard case .field(let name) = key.target else { bound.append(.score(descending: descending)); continue }
            guard let field = schema.fieldNumber(name) else {
                throw FihrisError(.invalidArgument, "cannot sort by \"\(name)\": no such field (fields: \(schema.fields.map(\.name).joined(separator: ", ")))")
            }
            switch schema.fields[field].type {
            case .integer: bound.append(.numeric(field: field, isDouble: false, descending: descending))
            case .double: bound.append(.numeric(field: field, isDouble: true, descending: descending))
            case .keyword: bound.append(.keyword(field: field, descending: descending))
            case .text:
                throw FihrisError(.invalidArgument, "cannot sort by \"\(name)\": it is a text field (sort by an integer, double or keyword field, or by score)")
            }
        }
        return bound
    }
}

/// Each sort key's value of a document as a UInt64 that orders as the key does (smaller
/// first), or nil when the document has none (it sorts last).
struct SortValues {
    /// Per key: its numeric column, or its keyword ordinals (a keyword field uninverted:
    /// the ordinal of each document's least — ascending — or greatest — descending — value
    /// among the field's values in byte order, UInt32.max for none), or neither (score).
    private var columns: [ColumnReader?]
    private var isDouble: [Bool]
    private let ordinals: [[UInt32]?]
    private let descending: [Bool]

    init(_ keys: [BoundSortKey], snapshot: IndexSnapshot, arena: inout ScratchArena) throws {
        var columns: [ColumnReader?] = [], isDouble: [Bool] = [], ordinals: [[UInt32]?] = [], descending: [Bool] = []
        for key in keys {
            var column: ColumnReader? = nil, double = false, ordinal: [UInt32]? = nil, d = false
            switch key {
            case .score(let desc):
                d = desc
            case .numeric(let field, let isD, let desc):
                (column, double, d) = (snapshot.column(field), isD, desc)
            case .keyword(let field, let desc):
                d = desc
                ordinal = try snapshot.derived(field: field, variant: desc ? 1 : 0) {
                    try Self.ordinals(snapshot, field: field, greatest: desc, arena: &arena)
                }
            }
            columns.append(column); isDouble.append(double); ordinals.append(ordinal); descending.append(d)
        }
        (self.columns, self.isDouble, self.ordinals, self.descending) = (columns, isDouble, ordinals, descending)
    }

    /// Order-preserving bits of doubles and floats, the IEEE trick (negative: every bit
    /// flipped; positive: the sign bit set). Integer columns are stored sortable.
    @inline(__always) static func sortable(double v: Double) -> UInt64 {
        let b = v.bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }
    @inline(__always) static func sortable(score: Float) -> UInt64 {
        let b = score.bitPattern
        return UInt64(b & (1 << 31) != 0 ? ~b : b | (1 << 31))
    }

    /// Key `i`'s value of `doc` (not for score keys), nil when it has none.
    @inline(__always)
    mutating func value(_ i: Int, _ doc: Int) throws -> UInt64? {
        let v: UInt64
        if let ordinals = ordinals[i] {
            guard doc < ordinals.count, ordinals[doc] != UInt32.max else { return nil }
            v = UInt64(ordinals[doc])
        } else {
            guard let raw = try columns[i]!.raw(doc) else { return nil }
            v = isDouble[i] ? Self.sortable(double: Double(bitPattern: raw)) : raw  // integers are stored sortable
        }
        return descending[i] ? ~v : v
    }

    @inline(__always) func value(_ i: Int, score: Float) -> UInt64 {
        let v = Self.sortable(score: score)
        return descending[i] ? ~v : v
    }

    /// Every live document's least (or greatest) value's ordinal, UInt32.max for none.
    static func ordinals(_ snapshot: IndexSnapshot, field: Int, greatest: Bool, arena: inout ScratchArena) throws -> [UInt32] {
        var ordinals = [UInt32](repeating: UInt32.max, count: Int(snapshot.nextDocument))
        var cursor = PostingCursor(PostingList(chunks: [], positions: []), arena: &arena)
        for (ordinal, value) in try snapshot.distinctTerms(field: field, kind: .keyword).enumerated() {
            guard let list = try snapshot.postings(TermID(field: field, kind: .keyword, text: value)) else { continue }
            cursor.reset(to: list)
            while try cursor.next() != noMoreDocs {
                let d = cursor.doc
                guard d < ordinals.count else { continue }
                // Values come in ascending order: the first is a document's least, the last its greatest.
                if greatest || ordinals[d] == UInt32.max { ordinals[d] = UInt32(ordinal) }
            }
        }
        return ordinals
    }
}

/// The first k matches in the order of sort keys (ties: the lower document), scoring
/// only the documents whose keys before the first score key could place them among the
/// k: with no score key, no document is scored unless it enters the k (its hit carries a
/// score). Every match is visited and counted, as by `Exhaustive`, which it equals for
/// the keys `[.score]`.
enum SortedTopK {
    struct Entry {
        var values: [UInt64]
        /// Bit i set: the document has no value for key i.
        var missing: UInt64
        var score: Float
        var doc: UInt32
    }

    /// Whether `a` comes after `b` on keys `0..<count` (nil when they tie there).
    @inline(__always)
    static func after(_ a: UnsafeBufferPointer<UInt64>, _ aMissing: UInt64, _ b: Entry, count: Int) -> Bool? {
        for i in 0..<count {
            let bit: UInt64 = 1 << UInt64(i)
            let am = aMissing & bit != 0, bm = b.missing & bit != 0
            if am != bm { return am }
            if am { continue }
            if a[i] != b.values[i] { return a[i] > b.values[i] }
        }
        return nil
    }

    static func later(_ a: Entry, _ b: Entry) -> Bool {
        a.values.withUnsafeBufferPointer { after($0, a.missing, b, count: a.values.count) } ?? (a.doc > b.doc)
    }

    static func collect<S: Scorer>(_ root: inout S, keys: [BoundSortKey], values: inout SortValues, k: Int,
                                   deleted: inout DeletedDocuments, matched: ((UInt32) -> Void)? = nil) throws
        -> (ranked: [(score: Float, doc: UInt32)], counted: Int) {
        precondition(keys.count <= 64, "at most 64 sort keys")
        let n = keys.count
        let beforeScore = keys.firstIndex(where: \.isScore) ?? n
        let scoreKeys = keys.indices.filter { keys[$0].isScore }
        // A max-heap by `later`: the entry that would drop out first on top.
        var heap: [Entry] = []
        heap.reserveCapacity(min(k, 1 << 16))
        var candidate = [UInt64](repeating: 0, count: n)
        var total = 0
        func offer(_ d: Int) throws {
            var missing: UInt64 = 0
            for i in 0..<n where !keys[i].isScore {
                if let v = try values.value(i, d) { candidate[i] = v } else { candidate[i] = 0; missing |= 1 << UInt64(i) }
            }
            if heap.count >= k {
                // The keys before the score decide without scoring when they differ from the
                // worst kept; when they tie and no score follows, the later document loses.
                let prefix = candidate.withUnsafeBufferPointer { after($0, missing, heap[0], count: beforeScore) }
                if prefix == true || (prefix == nil && beforeScore == n) { return }
            }
            let score = try root.score()
            for i in scoreKeys { candidate[i] = values.value(i, score: score) }
            let entry = Entry(values: candidate, missing: missing, score: score, doc: UInt32(d))
            if heap.count < k {
                heap.append(entry)
                var i = heap.count - 1
                while i > 0 {
                    let p = (i - 1) / 2
                    guard later(heap[i], heap[p]) else { break }
                    heap.swapAt(p, i); i = p
                }
            } else if later(heap[0], entry) {
                heap[0] = entry
                var i = 0
                while true {
                    let l = 2 * i + 1, r = l + 1
                    var top = i
                    if l < heap.count && later(heap[l], heap[top]) { top = l }
                    if r < heap.count && later(heap[r], heap[top]) { top = r }
                    if top == i { break }
                    heap.swapAt(i, top); i = top
                }
            }
        }
        var d = try root.next()
        while d != noMoreDocs {
            if try !deleted.contains(d) {
                total += 1
                matched?(UInt32(d))
                if k > 0 { try offer(d) }
            }
            d = try root.next()
        }
        let ranked = heap.sorted { later($1, $0) }.map { (score: $0.score, doc: $0.doc) }
        return (ranked, total)
    }
}
