/// A bounded heap of the k best (score, doc): ties go to the lower document number.
struct TopDocs {
    let k: Int
    private(set) var heap: [(score: Float, doc: UInt32)] = []

    init(k: Int) {
        self.k = k
        heap.reserveCapacity(min(k, 1 << 16))
    }

    @inline(__always) static func better(_ a: (score: Float, doc: UInt32), _ b: (score: Float, doc: UInt32)) -> Bool {
        a.score != b.score ? a.score > b.score : a.doc < b.doc
    }

    var isFull: Bool { heap.count >= k }
    /// The score a new document must beat (when full; else -infinity).
    var threshold: Float { isFull ? heap[0].score : -Float.infinity }

    /// Offers a document. Documents arrive in increasing number in every collector, so a
    /// tie with the k-th score loses (the earlier document stays). Out of line: collectors
    /// test `threshold` first, and few candidates get this far.
    @inline(never)
    mutating func insert(_ score: Float, _ doc: UInt32) {
        guard k > 0 else { return }
        let item = (score: score, doc: doc)
        if heap.count < k {
            heap.append(item)
            var i = heap.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                if Self.better(heap[p], heap[i]) { heap.swapAt(p, i); i = p } else { break }
            }
        } else if Self.better(item, heap[0]) {
            heap[0] = item
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count && Self.better(heap[worst], heap[l]) { worst = l }
                if r < heap.count && Self.better(heap[worst], heap[r]) { worst = r }
                if worst == i { break }
                heap.swapAt(i, worst)
                i = worst
            }
        }
    }

    func sorted() -> [(score: Float, doc: UInt32)] { heap.sorted(by: Self.better) }
}

/// What a collector found: the best k and how many documents it counted (every match
/// for an exhaustive collector, a lower bound for a pruned one).
struct Collected {
    var top: TopDocs
    var counted: Int
}
