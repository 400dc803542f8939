/// Leapfrog intersection, the conjunction step of document-at-a-time evaluation: every
/// cursor seeks the highest document any of them is on until they all agree. Written once;
/// conjunctions, phrases, block-max conjunctions and filters all call it.
enum Leapfrog {
    /// The first document ≥ `candidate` that every cursor holds, with every cursor on it;
    /// `noMoreDocs` when there is none.
    @inline(__always)
    static func agree<S: DocSet>(_ cursors: UnsafeMutableBufferPointer<S>, from candidate: Int) throws -> Int {
        var target = candidate
        var agreed = false
        while !agreed && target != noMoreDocs {
            agreed = true
            for k in cursors.indices {
                let d = try cursors[k].seek(target)
                if d > target { target = d; agreed = false }
            }
        }
        return target
    }
}
