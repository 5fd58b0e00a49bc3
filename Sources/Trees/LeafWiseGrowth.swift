// LeafWiseGrowth: growing one tree best-first, as LightGBM does.
//
// Level-wise growth (XGBoost's default, CART) splits every node of a depth
// before going deeper. Leaf-wise growth (LightGBM §3) keeps a list of leaves
// and always splits the one whose best split has the largest gain, until the
// tree has `maxLeaves` leaves (or no leaf has a positive-gain split, or every
// splittable leaf is at `maxDepth`). For the same number of leaves it lowers
// the loss more, at the price of deeper, lopsided trees.
//
// One split of leaf P into children L and R:
//   1. partition P's row indices in place, stably: rows with bin ≤ t (and the
//      missing rows, if they go left) first, so each child is a contiguous,
//      still increasing range of the one row-index array (NodeRowPasses.swift
//      does this, and the gathering of gradients, on all cores);
//   2. build the histogram of the smaller child from its rows (ordered
//      gradients), and get the larger child's by subtraction from P's;
//   3. find each child's best split (HistogramSplit) and put both in the list.
// At the end each leaf gets its value −G/(H + λ)·learningRate and the row
// ranges say which training rows landed in which leaf.
import Tensor

/// The settings of one tree's growth.
struct LeafWiseGrowth {
    var maxLeaves: Int
    var maxDepth: Int?
    var rules: SplitRules
    var learningRate: Float

    /// A leaf still open for splitting: its rows, sums, histogram slot and best split.
    private struct OpenLeaf {
        var node: Int
        var start: Int, count: Int
        var depth: Int
        var slot: Int
        var total: (g: Double, h: Double, n: Double)
        var split: HistogramSplit
    }

    /// Reused buffers: one histogram per possible leaf, the ordered gradients and a partition buffer.
    struct Workspace {
        var histograms: [GradientHistogram]
        var orderedGradients: [Float], orderedHessians: [Float]
        var spill: [Int32]

        init(rows: Int, features: Int, maxLeaves: Int) {
            histograms = (0..<maxLeaves).map { _ in GradientHistogram(features: features) }
            orderedGradients = [Float](repeating: 0, count: rows)
            orderedHessians = [Float](repeating: 0, count: rows)
            spill = [Int32](repeating: 0, count: rows)
        }
    }

    /// Grows one tree on `rows` (increasing indices into the training rows; reordered leaf by leaf on return).
    ///
    /// - Returns: the tree, and for each leaf node the range of `rows` it holds.
    func grow(binned: BinnedMatrix, binCounts: [Int], gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
              rows: inout [Int32], used: [Bool], workspace: inout Workspace) -> (tree: BoostedTree, leaves: [(node: Int, rows: Range<Int>)]) {
        var tree = BoostedTree()
        var open: [OpenLeaf] = []
        var nextSlot = 0

        /// Builds the histogram of rows[start ..< start+count] into `slot` and returns the rows' (G, H, N).
        func buildHistogram(slot: Int, start: Int, count: Int) -> (g: Double, h: Double, n: Double) {
            var total = (g: 0.0, h: 0.0, n: Double(count))
            rows.withUnsafeBufferPointer { rows in
                workspace.orderedGradients.withUnsafeMutableBufferPointer { og in
                    workspace.orderedHessians.withUnsafeMutableBufferPointer { oh in
                        let sums = NodeRowPasses.gather(indices: rows.baseAddress! + start, count: count,
                                                    gradients: gradients, hessians: hessians,
                                                    into: og.baseAddress!, oh.baseAddress!)
                        total.g = sums.g; total.h = sums.h
                        binned.codes.withUnsafeBufferPointer { codes in
                            used.withUnsafeBufferPointer { used in
                                workspace.histograms[slot].build(
                                    rows: UnsafeBufferPointer(rebasing: rows[start ..< start + count]),
                                    gradients: og.baseAddress!, hessians: oh.baseAddress!,
                                    codes: codes.baseAddress!, rowCount: binned.rows, used: used.baseAddress!)
                            }
                        }
                    }
                }
            }
            return total
        }

        func bestSplit(slot: Int, total: (g: Double, h: Double, n: Double), depth: Int) -> HistogramSplit {
            if let maxDepth, depth >= maxDepth { return HistogramSplit() }
            if total.n < 2 * rules.minSamplesLeaf { return HistogramSplit() }
            return HistogramSplit.best(in: workspace.histograms[slot], total: total, binCounts: binCounts,
                                       used: used, rules: rules)
        }

        let rootTotal = buildHistogram(slot: 0, start: 0, count: rows.count)
        nextSlot = 1
        open.append(OpenLeaf(node: 0, start: 0, count: rows.count, depth: 0, slot: 0, total: rootTotal,
                             split: bestSplit(slot: 0, total: rootTotal, depth: 0)))
        var finished: [OpenLeaf] = []

        while open.count + finished.count < maxLeaves {
            // The open leaf with the largest gain (the first one on ties).
            var chosen = -1
            for (k, leaf) in open.enumerated() where leaf.split.isValid {
                if chosen < 0 || leaf.split.gain > open[chosen].split.gain { chosen = k }
            }
            if chosen < 0 { break }
            let parent = open.remove(at: chosen)
            let split = parent.split
            let leftCount = partition(&rows, start: parent.start, count: parent.count, split: split,
                                      binned: binned, spill: &workspace.spill)
            let rightCount = parent.count - leftCount

            // The tree: the parent becomes a test, two new leaves follow.
            let leftNode = tree.nodes.count, rightNode = leftNode + 1
            tree.nodes[parent.node].feature = Int32(split.feature)
            tree.nodes[parent.node].thresholdBin = UInt8(split.threshold)
            tree.nodes[parent.node].missingGoesLeft = split.missingGoesLeft
            tree.nodes[parent.node].left = Int32(leftNode)
            tree.nodes[parent.node].right = Int32(rightNode)
            tree.nodes[parent.node].gain = Float(split.gain)
            tree.nodes.append(BoostedTree.Node())
            tree.nodes.append(BoostedTree.Node())

            var left = OpenLeaf(node: leftNode, start: parent.start, count: leftCount, depth: parent.depth + 1,
                                slot: -1, total: split.left, split: HistogramSplit())
            var right = OpenLeaf(node: rightNode, start: parent.start + leftCount, count: rightCount,
                                 depth: parent.depth + 1, slot: -1, total: split.right, split: HistogramSplit())
            if open.count + finished.count + 2 >= maxLeaves {      // no further split: no histograms needed
                finished += [left, right]
                continue
            }
            // The smaller child is built from its rows, the larger one is parent − smaller, in the parent's slot.
            let leftIsSmaller = leftCount <= rightCount
            let smallSlot = nextSlot
            nextSlot += 1
            let small = leftIsSmaller ? left : right
            _ = buildHistogram(slot: smallSlot, start: small.start, count: small.count)
            let smallHistogram = workspace.histograms[smallSlot]
            workspace.histograms[parent.slot].subtract(smallHistogram)
            left.slot = leftIsSmaller ? smallSlot : parent.slot
            right.slot = leftIsSmaller ? parent.slot : smallSlot
            left.split = bestSplit(slot: left.slot, total: left.total, depth: left.depth)
            right.split = bestSplit(slot: right.slot, total: right.total, depth: right.depth)
            open += [left, right]
        }

        // Leaf values −G/(H + λ)·η, and the rows of each leaf.
        var leaves: [(node: Int, rows: Range<Int>)] = []
        for leaf in open + finished {
            let value = -leaf.total.g / (leaf.total.h + rules.l2) * Double(learningRate)
            tree.nodes[leaf.node].value = Float(value)
            leaves.append((leaf.node, leaf.start ..< leaf.start + leaf.count))
        }
        return (tree, leaves)
    }

    /// Stable in-place partition of rows[start ..< start+count] by the split; returns how many went left.
    private func partition(_ rows: inout [Int32], start: Int, count: Int, split: HistogramSplit,
                           binned: BinnedMatrix, spill: inout [Int32]) -> Int {
        let threshold = UInt8(split.threshold), missingLeft = split.missingGoesLeft
        return rows.withUnsafeMutableBufferPointer { rows in
            spill.withUnsafeMutableBufferPointer { spill in
                binned.codes.withUnsafeBufferPointer { codes in
                    let column = codes.baseAddress! + split.feature * binned.rows
                    return NodeRowPasses.partition(rows.baseAddress! + start, count: count, spill: spill.baseAddress!) { row in
                        let code = column[Int(row)]
                        return code == FeatureBinning.missingBin ? missingLeft : code <= threshold
                    }
                }
            }
        }
    }
}
