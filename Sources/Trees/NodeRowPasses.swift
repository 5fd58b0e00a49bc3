// NodeRowPasses: the two passes over a node's rows in growing a boosted tree, split into
// fixed blocks of rows so that every core can take some.
//
// • Gathering: a node's rows i₁ < i₂ < … are scattered through the training
//   set; their gradients and hessians are copied into two dense arrays in the
//   node's order (LightGBM's "ordered gradients") so the histogram pass reads
//   them sequentially, and their sums G = Σ gᵢ and H = Σ hᵢ come along.
// • Partitioning: after a split the node's row indices are reordered, stably,
//   into [rows going left | rows going right]. In parallel this is a prefix
//   sum: each block counts its left rows, the counts give every block where
//   its left rows and its right rows start, and then each block writes its
//   rows to a spare buffer at those places, which is copied back.
// Blocks have a fixed size (not one per thread) and partial sums are added in
// block order, so G and H — and so every tree — do not depend on the number
// of threads.
import Tensor

enum NodeRowPasses {
    /// Rows per block: large enough that a block is worth a core's wake-up.
    static let size = 16_384

    /// Copies g and h of the rows `indices[0 ..< count]` into `orderedGradients`/`orderedHessians`
    /// and returns their sums (in Double, added block by block).
    static func gather(indices: UnsafePointer<Int32>, count: Int, gradients: UnsafePointer<Float>,
                       hessians: UnsafePointer<Float>, into orderedGradients: UnsafeMutablePointer<Float>,
                       _ orderedHessians: UnsafeMutablePointer<Float>) -> (g: Double, h: Double) {
        let blocks = (count + size - 1) / size
        var partial = [(g: Double, h: Double)](repeating: (0, 0), count: blocks)
        let (og, oh) = (ParallelWritePointer(orderedGradients), ParallelWritePointer(orderedHessians))
        partial.withUnsafeMutableBufferPointer { partial in
            let sums = ParallelWritePointer(partial.baseAddress!)
            Parallel.forRanges(blocks, minimumPerThread: 2) { range in
                for b in range {
                    var (g, h) = (0.0, 0.0)
                    for k in b * size ..< Swift.min(count, (b + 1) * size) {
                        let i = Int(indices[k])
                        og.pointer[k] = gradients[i]; oh.pointer[k] = hessians[i]
                        g += Double(gradients[i]); h += Double(hessians[i])
                    }
                    sums.pointer[b] = (g, h)
                }
            }
        }
        return partial.reduce((0, 0)) { ($0.g + $1.g, $0.h + $1.h) }
    }

    /// Reorders `rows[0 ..< count]` stably so rows with `goesLeft` come first; returns how many did.
    /// `spill` must hold `count` values.
    static func partition(_ rows: UnsafeMutablePointer<Int32>, count: Int, spill: UnsafeMutablePointer<Int32>,
                          goesLeft: (Int32) -> Bool) -> Int {
        let blocks = (count + size - 1) / size
        if blocks <= 1 { return partitionBlock(rows, count: count, spill: spill, goesLeft: goesLeft) }
        // Pass 1: each block partitions itself in place (left rows first) and counts its left rows.
        var leftCounts = [Int](repeating: 0, count: blocks)
        let (rowsOut, spillOut) = (ParallelWritePointer(rows), ParallelWritePointer(spill))
        leftCounts.withUnsafeMutableBufferPointer { counts in
            let out = ParallelWritePointer(counts.baseAddress!)
            Parallel.forRanges(blocks, minimumPerThread: 2) { range in
                for b in range {
                    let first = b * size, length = Swift.min(count, first + size) - first
                    out.pointer[b] = partitionBlock(rowsOut.pointer + first, count: length,
                                                    spill: spillOut.pointer + first, goesLeft: goesLeft)
                }
            }
        }
        // Where each block's left and right rows go: prefix sums over the blocks.
        let totalLeft = leftCounts.reduce(0, +)
        var leftStart = [Int](repeating: 0, count: blocks), rightStart = [Int](repeating: totalLeft, count: blocks)
        for b in 1..<blocks {
            leftStart[b] = leftStart[b - 1] + leftCounts[b - 1]
            rightStart[b] = rightStart[b - 1] + (size - leftCounts[b - 1])
        }
        // Pass 2: every block copies its two runs into the spare buffer at their final places; then back.
        Parallel.forRanges(blocks, minimumPerThread: 2) { range in
            for b in range {
                let first = b * size, length = Swift.min(count, first + size) - first
                (spillOut.pointer + leftStart[b]).update(from: rowsOut.pointer + first, count: leftCounts[b])
                (spillOut.pointer + rightStart[b]).update(from: rowsOut.pointer + first + leftCounts[b],
                                                          count: length - leftCounts[b])
            }
        }
        Parallel.forRanges(blocks, minimumPerThread: 2) { range in
            let first = range.lowerBound * size, end = Swift.min(count, range.upperBound * size)
            (rowsOut.pointer + first).update(from: spillOut.pointer + first, count: end - first)
        }
        return totalLeft
    }

    /// The one-block partition: left rows compacted in place, right rows through `spill`.
    private static func partitionBlock(_ index: UnsafeMutablePointer<Int32>, count: Int, spill: UnsafeMutablePointer<Int32>,
                                       goesLeft: (Int32) -> Bool) -> Int {
        var leftCount = 0, rightCount = 0
        for k in 0..<count {
            let row = index[k]
            let left = goesLeft(row)
            // Written to both sides, kept on one: no branch to mispredict on a random split.
            index[leftCount] = row; spill[rightCount] = row
            leftCount &+= left ? 1 : 0; rightCount &+= left ? 0 : 1
        }
        (index + leftCount).update(from: spill, count: rightCount)
        return leftCount
    }
}
