// RowBlocks: fixed blocks of rows, so that sums taken in parallel do not depend on the thread count.
//
// A parallel sum Σᵢ fᵢ is cut into partial sums, one per piece of the loop,
// then added. Floating-point addition is not associative, so if the pieces
// were "one per thread" the result would change with `--threads`. Here the
// pieces are fixed by n alone: blocks of size s = max(minimumSize, ⌈n / maximumCount⌉),
// each block writes its own partial result, and the partials are added in
// block order. The cores share out whole blocks, so the same seed gives the
// same clustering on one core or on two.

/// Rows 0..<n cut into blocks whose boundaries depend on n only.
struct RowBlocks: Sendable {
    /// Total rows n.
    let rows: Int
    /// Rows per block (the last block may be shorter).
    let size: Int
    /// Number of blocks ⌈n / size⌉.
    let count: Int

    init(rows: Int, minimumSize: Int = 2_048, maximumCount: Int = 64) {
        self.rows = rows
        size = Swift.max(minimumSize, (rows + maximumCount - 1) / maximumCount, 1)
        count = (rows + size - 1) / size
    }

    /// The rows of block b.
    func range(_ block: Int) -> Range<Int> {
        (block * size)..<Swift.min(rows, (block + 1) * size)
    }

    /// Calls `body(b, rows of b)` for every block, the blocks shared out across cores.
    func forEach(_ body: (_ block: Int, _ rows: Range<Int>) -> Void) {
        Parallel.forRanges(count, minimumPerThread: 1) { blocks in
            for block in blocks { body(block, range(block)) }
        }
    }
}
