/// Documents matching every clause; the score is the sum. Clauses are walked rarest first.
struct Conjunction<S: MaxScoreScorer>: MaxScoreScorer {
    private var subs: [S]
    let maxScore: Float
    private(set) var doc = -1

    init(_ subs: [S]) {
        precondition(!subs.isEmpty)
        self.subs = subs.sorted { $0.cost < $1.cost }
        maxScore = subs.reduce(0) { $0 + $1.maxScore }
    }

    var cost: Int { subs[0].cost }

    mutating func next() throws -> Int { try align(try subs[0].next()) }

    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        return try align(try subs[0].seek(target))
    }

    private mutating func align(_ start: Int) throws -> Int {
        doc = try subs.withUnsafeMutableBufferPointer { try Leapfrog.agree($0, from: start) }
        return doc
    }

    mutating func score() throws -> Float {
        var s: Float = 0
        for k in subs.indices { s += try subs[k].score() }
        return s
    }

    mutating func explain(into parts: inout [ScoreContribution]) throws {
        for k in subs.indices { try subs[k].explain(into: &parts) }
    }
}

/// Documents matching any clause; the score is the sum over the clauses that match.
struct Disjunction<S: MaxScoreScorer>: MaxScoreScorer {
    private var subs: [S]
    private(set) var doc = -1

    init(_ subs: [S]) { self.subs = subs }

    var maxScore: Float { subs.reduce(0) { $0 + $1.maxScore } }

    var cost: Int { subs.reduce(0) { $0 + $1.cost } }

    mutating func next() throws -> Int { try seek(doc + 1) }

    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        var lowest = noMoreDocs
        for k in subs.indices { lowest = min(lowest, try subs[k].seek(target)) }
        doc = lowest
        return doc
    }

    mutating func score() throws -> Float {
        var s: Float = 0
        for k in subs.indices where subs[k].doc == doc { s += try subs[k].score() }
        return s
    }

    mutating func explain(into parts: inout [ScoreContribution]) throws {
        for k in subs.indices where subs[k].doc == doc { try subs[k].explain(into: &parts) }
    }
}

/// What composites of sub-scorers share (generic, inlined into each concrete composite:
/// through an existential, a generic composite's methods ran unspecialized, 13× slower).
enum SubScorers {
    /// Seeks every sub behind `target` to it: the lowest document they are on after it.
    @inline(__always)
    static func seek<S: DocSet>(_ subs: UnsafeMutableBufferPointer<S>, _ target: Int) throws -> Int {
        var lowest = noMoreDocs
        for k in subs.indices {
            let d = subs[k].doc >= target ? subs[k].doc : try subs[k].seek(target)
            if d < lowest { lowest = d }
        }
        return lowest
    }

    /// The best score among the subs on `doc`, and which (-1: none).
    @inline(__always)
    static func best<S: Scorer>(_ subs: UnsafeMutableBufferPointer<S>, at doc: Int) throws -> (score: Float, index: Int) {
        var top: (score: Float, index: Int) = (0, -1)
        for k in subs.indices where subs[k].doc == doc {
            let s = try subs[k].score()
            if top.index < 0 || s > top.score { top = (s, k) }
        }
        return top
    }
}

/// Documents of any sub-scorer, scored by the best one there (Lucene's DisjunctionMax,
/// tie-breaker 0): a synonym group's entries, any clauses (words: `BestOfWords`).
struct BestOf: MaxScoreScorer {
    private var subs: [AnyScorer]
    private(set) var doc = -1
    let maxScore: Float

    init(_ subs: [AnyScorer]) {
        self.subs = subs
        maxScore = subs.reduce(0) { max($0, $1.maxScore) }
    }

    var cost: Int { subs.reduce(0) { $0 + $1.cost } }

    mutating func next() throws -> Int { try seek(doc + 1) }

    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        doc = try subs.withUnsafeMutableBufferPointer { try SubScorers.seek($0, target) }
        return doc
    }

    mutating func score() throws -> Float {
        let doc = doc
        return try subs.withUnsafeMutableBufferPointer { try SubScorers.best($0, at: doc).score }
    }

    mutating func explain(into parts: inout [ScoreContribution]) throws {
        let doc = doc
        try subs.withUnsafeMutableBufferPointer { subs in
            let (_, k) = try SubScorers.best(subs, at: doc)
            if k >= 0 { try subs[k].explain(into: &parts) }
        }
    }
}

/// `BestOf` over words (a completion, a typo's neighbours), the word scorers held unboxed in
/// one buffer a class owns: in an array of `AnyScorer`s, every access to a sub went through
/// an existential (a retain and release each: ~40% of a completion's time), and an array of
/// word scorers inside a value was copied whole when mutated through a copy.
struct BestOfWords: MaxScoreScorer {
    private final class Storage {
        let subs: UnsafeMutableBufferPointer<WordScorer>
        init(_ words: [WordScorer]) {
            subs = .allocate(capacity: words.count)
            _ = subs.initialize(from: words)
        }
        deinit {
            subs.deinitialize()
            subs.deallocate()
        }
    }
    private let storage: Storage
    private(set) var doc = -1
    let maxScore: Float
    let cost: Int

    init(_ words: [WordScorer]) {
        storage = Storage(words)
        maxScore = words.reduce(0) { max($0, $1.maxScore) }
        cost = words.reduce(0) { $0 + $1.cost }
    }

    mutating func next() throws -> Int { try seek(doc + 1) }

    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        doc = try SubScorers.seek(storage.subs, target)
        return doc
    }

    mutating func score() throws -> Float { try SubScorers.best(storage.subs, at: doc).score }

    mutating func explain(into parts: inout [ScoreContribution]) throws {
        let (_, k) = try SubScorers.best(storage.subs, at: doc)
        if k >= 0 { try storage.subs[k].explain(into: &parts) }
    }
}

/// A required scorer, optional scorers that add to the score where they match, and
/// exclusions (Lucene's ReqOptSumScorer and ReqExclScorer in one).
struct RequiredOptionalExcluded: MaxScoreScorer {
    private var required: AnyScorer
    private var optional: [AnyScorer]
    private var excluded: [AnyScorer]
    let maxScore: Float
    private(set) var doc = -1

    init(required: AnyScorer, optional: [AnyScorer], excluded: [AnyScorer]) {
        self.required = required
        self.optional = optional
        self.excluded = excluded
        maxScore = required.maxScore + optional.reduce(0) { $0 + $1.maxScore }
    }

    var cost: Int { required.cost }

    mutating func next() throws -> Int { try skipExcluded(try required.next()) }

    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        return try skipExcluded(try required.seek(target))
    }

    private mutating func skipExcluded(_ start: Int) throws -> Int {
        var candidate = start
        while candidate != noMoreDocs {
            var hit = false
            for k in excluded.indices where try excluded[k].seek(candidate) == candidate { hit = true; break }
            if !hit { break }
            candidate = try required.next()
        }
        doc = candidate
        return doc
    }

    mutating func score() throws -> Float {
        var s = try required.score()
        for k in optional.indices where try optional[k].seek(doc) == doc { s += try optional[k].score() }
        return s
    }

    mutating func explain(into parts: inout [ScoreContribution]) throws {
        try required.explain(into: &parts)
        for k in optional.indices where try optional[k].seek(doc) == doc { try optional[k].explain(into: &parts) }
    }
}

/// Matches like its inner cursor, scores nothing (keyword filters).
struct ZeroScore<D: DocSet>: MaxScoreScorer {
    private var inner: D
    init(_ inner: D) { self.inner = inner }
    var doc: Int { inner.doc }
    var cost: Int { inner.cost }
    var maxScore: Float { 0 }
    mutating func next() throws -> Int { try inner.next() }
    mutating func seek(_ target: Int) throws -> Int { try inner.seek(target) }
    mutating func score() throws -> Float { 0 }
    mutating func explain(into parts: inout [ScoreContribution]) throws {}
}

/// A sorted set of documents (materialized prefixes and ranges) with a constant score.
struct DocumentList: MaxScoreScorer {
    let docs: [UInt32]
    let constant: Float
    let label: String
    private var i = -1
    private(set) var doc = -1

    init(docs: [UInt32], constant: Float, label: String) {
        self.docs = docs
        self.constant = constant
        self.label = label
    }

    var cost: Int { docs.count }
    var maxScore: Float { constant }

    mutating func next() throws -> Int {
        i += 1
        doc = i < docs.count ? Int(docs[i]) : noMoreDocs
        return doc
    }

    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        // Galloping search from the current position.
        var low = max(i, 0), step = 1
        while low + step < docs.count && Int(docs[low + step]) < target { low += step; step *= 2 }
        var high = min(low + step, docs.count)
        while low < high {
            let mid = (low + high) / 2
            if Int(docs[mid]) < target { low = mid + 1 } else { high = mid }
        }
        i = low
        doc = i < docs.count ? Int(docs[i]) : noMoreDocs
        return doc
    }

    mutating func score() throws -> Float { constant }
    mutating func explain(into parts: inout [ScoreContribution]) throws {
        if constant > 0 { parts.append(ScoreContribution(term: label, score: constant)) }
    }
}

/// Every document number below `end`.
struct AllDocuments: MaxScoreScorer {
    let end: Int
    private(set) var doc = -1
    init(end: Int) { self.end = end }
    var cost: Int { end }
    var maxScore: Float { 0 }
    mutating func next() throws -> Int { try seek(doc + 1) }
    mutating func seek(_ target: Int) throws -> Int {
        if doc >= target { return doc }
        doc = target < end ? target : noMoreDocs
        return doc
    }
    mutating func score() throws -> Float { 0 }
    mutating func explain(into parts: inout [ScoreContribution]) throws {}
}
