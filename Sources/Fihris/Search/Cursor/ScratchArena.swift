import PostingsCodec

/// The decode buffers of one execution (a query, a merge): each posting cursor gets two
/// blocks of `BitPacking.blockSize` values from here. The arena owns them and frees them
/// when it ends, so cursors, which go in arrays and existentials and must therefore be
/// copyable, never own memory themselves. Use it through `scoped`: every cursor built from
/// an arena must be done with before the body returns.
struct ScratchArena: ~Copyable {
    private var blocks: [UnsafeMutablePointer<UInt32>] = []
    /// The execution's time limit, handed to every cursor built from the arena.
    let budget: QueryBudget?

    private init(budget: QueryBudget?) { self.budget = budget }

    deinit {
        for block in blocks { block.deallocate() }
    }

    /// Runs `body` with a fresh arena, freed when it returns.
    static func scoped<R>(budget: QueryBudget? = nil, _ body: (inout ScratchArena) throws -> R) rethrows -> R {
        var arena = ScratchArena(budget: budget)
        return try body(&arena)
    }

    /// A buffer of `BitPacking.blockSize` values, valid until the arena ends.
    mutating func block() -> UnsafeMutablePointer<UInt32> {
        let block = UnsafeMutablePointer<UInt32>.allocate(capacity: BitPacking.blockSize)
        blocks.append(block)
        return block
    }
}
