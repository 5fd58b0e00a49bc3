// TreeGrowing: CART, growing one tree by greedy binary splits (Breiman et al. 1984).
//
// A node holds the rows R (with weights wᵢ, W = Σ wᵢ). Its impurity is
//     Gini:          G = 1 − Σ_k p_k²,              p_k = n_k / W
//     entropy:       H = −Σ_k p_k log₂ p_k
//     squared error: V = Σ wᵢ (yᵢ − ȳ)² / W        (the weighted variance)
// A split (feature f, threshold t) sends x_f ≤ t left and the rest right. The
// best split minimises the children's weighted impurity W_L·I_L + W_R·I_R, or,
// equivalently and cheaper, maximises a proxy that drops the constant terms:
//     Gini:          Σ_k n_{L,k}²/W_L + Σ_k n_{R,k}²/W_R
//     entropy:       Σ_k n_{L,k} ln n_{L,k} − W_L ln W_L  (+ the same for R)
//     squared error: S_L²/W_L + S_R²/W_R,    S = Σ wᵢ yᵢ
// Search, per node and per candidate feature: sort the node's rows by x_f and
// sweep the cut from left to right, moving one row at a time from the right
// side to the left and updating running class counts (or sums), so that every
// cut between two distinct values costs O(K), and the feature O(m log m).
// The threshold is the midpoint of the two values either side of the cut.
// A node becomes a leaf when it is pure, at maxDepth, has fewer than
// minSamplesSplit rows, when no cut leaves minSamplesLeaf rows on each side, or
// when the weighted impurity decrease
//     ΔI = (W / W_root) · (I − (W_L/W) I_L − (W_R/W) I_R)
// is below minImpurityDecrease. Each split adds W·I − W_L·I_L − W_R·I_R to its
// feature's importance (the mean decrease in impurity).
//
// The rows of a node are a contiguous range of one index array, in increasing
// order; a split partitions that range stably, so the children are again ranges.
import Tensor
import Foundation

/// Grows one CART tree on a training set.
struct TreeGrowing {
    let data: TreeTrainingSet
    let settings: TreeSettings

    /// A node waiting to be grown: its rows are `samples[start..<end]`.
    private struct Pending {
        var start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool
    }

    /// The statistics of a set of rows: weighted class counts (classifier) or Σw, Σwy, Σwy² (regressor).
    private struct Summary {
        var weight: Double = 0
        var sum: Double = 0
        var sumOfSquares: Double = 0
    }

    /// The best cut found so far in a node.
    private struct Cut {
        var feature = -1
        var threshold: Float = 0
        var proxy = -Double.infinity
    }

    /// Grows a tree on the rows with positive weight; `weights` has one entry per training row.
    /// Returns the tree and each feature's total impurity decrease Σ (W·I − W_L·I_L − W_R·I_R).
    func grow(weights: UnsafePointer<Double>, seed: UInt64) -> (tree: TreeStructure, importance: [Double]) {
        let n = data.rowCount, d = data.featureCount, k = data.classCount
        var generator = RandomGenerator(seed: seed)
        var tree = TreeStructure(outputs: Swift.max(k, 1), featureCount: d)
        var importance = [Double](repeating: 0, count: d)

        // Working memory, allocated once per tree.
        var rows = (0..<n).filter { weights[$0] > 0 }.map { Int32($0) }
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(n, 1))
        let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(n, 1))
        let counts = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(2 * k, 1))
        let value = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(k, 1))
        let rightRows = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(n, 1))
        var features = Array(0..<d)
        defer { keys.deallocate(); scratch.deallocate(); counts.deallocate(); value.deallocate(); rightRows.deallocate() }
        guard !rows.isEmpty else { return (tree, importance) }

        rows.withUnsafeMutableBufferPointer { rowBuffer in
            let samples = rowBuffer.baseAddress!
            let rootWeight = summarise(samples, 0, rowBuffer.count, weights, counts).weight
            var stack = [Pending(start: 0, end: rowBuffer.count, depth: 0, parent: -1, isLeft: false)]
            while let node = stack.popLast() {
                let m = node.end - node.start
                let summary = summarise(samples, node.start, node.end, weights, counts)
                let impurity = self.impurity(summary, counts)
                // The node's value: class frequencies, or the mean target.
                if k > 0 {
                    for c in 0..<k { value[c] = Float(counts[c] / summary.weight) }
                } else {
                    value[0] = Float(summary.sum / summary.weight)
                }
                let id = tree.append(TreeStructure.Node(
                    feature: -1, threshold: 0, left: -1, right: -1, sampleCount: Int32(m),
                    weightedSampleCount: Float(summary.weight), impurity: Float(impurity), depth: Int32(node.depth)),
                    value: UnsafeBufferPointer(start: value, count: Swift.max(k, 1)))
                if node.parent >= 0 {
                    if node.isLeft { tree.nodes[node.parent].left = Int32(id) } else { tree.nodes[node.parent].right = Int32(id) }
                }
                if node.depth >= settings.maxDepth || m < settings.minSamplesSplit
                    || m < 2 * settings.minSamplesLeaf || impurity <= 1e-12 { continue }

                // Search the features in random order until maxFeatures non-constant ones were examined.
                var cut = Cut()
                var examined = 0
                var drawn = 0
                while drawn < d && examined < settings.maxFeatures {
                    let pick = drawn + Int(generator.next() % UInt64(d - drawn))
                    features.swapAt(drawn, pick)
                    let f = features[drawn]
                    drawn += 1
                    if search(feature: f, samples + node.start, m, summary, weights, counts, keys, scratch, &cut) {
                        examined += 1
                    }
                }
                guard cut.feature >= 0 else { continue }

                // Partition the rows, x_f ≤ t first, keeping each side in increasing row order so
                // that the children read their columns front to back (the hardware prefetches that).
                let column = data.columns + cut.feature * n
                var middle = node.start, spilled = 0
                for p in node.start..<node.end {
                    let i = samples[p]
                    if column[Int(i)] <= cut.threshold {
                        samples[middle] = i
                        middle += 1
                    } else {
                        rightRows[spilled] = i
                        spilled += 1
                    }
                }
                (samples + middle).update(from: rightRows, count: spilled)
                let left = summarise(samples, node.start, middle, weights, counts)
                let leftImpurity = self.impurity(left, counts)
                let right = summarise(samples, middle, node.end, weights, counts)
                let rightImpurity = self.impurity(right, counts)
                let decrease = summary.weight * impurity - left.weight * leftImpurity - right.weight * rightImpurity
                if decrease / rootWeight + 1e-12 < settings.minImpurityDecrease { continue }
                importance[cut.feature] += decrease
                tree.nodes[id].feature = Int32(cut.feature)
                tree.nodes[id].threshold = cut.threshold
                // Right pushed first so that the left child is grown (and numbered) first.
                stack.append(Pending(start: middle, end: node.end, depth: node.depth + 1, parent: id, isLeft: false))
                stack.append(Pending(start: node.start, end: middle, depth: node.depth + 1, parent: id, isLeft: true))
            }
        }
        return (tree, importance)
    }

    /// Sums the weights (and class counts into `counts[0..<K]`, or Σwy and Σwy²) of `samples[start..<end]`.
    private func summarise(_ samples: UnsafeMutablePointer<Int32>, _ start: Int, _ end: Int,
                           _ weights: UnsafePointer<Double>, _ counts: UnsafeMutablePointer<Double>) -> Summary {
        var summary = Summary()
        let k = data.classCount
        if k > 0 {
            counts.update(repeating: 0, count: k)
            for p in start..<end {
                let i = Int(samples[p])
                counts[Int(data.labels[i])] += weights[i]
                summary.weight += weights[i]
            }
        } else {
            for p in start..<end {
                let i = Int(samples[p])
                let (w, y) = (weights[i], Double(data.targets[i]))
                summary.weight += w
                summary.sum += w * y
                summary.sumOfSquares += w * y * y
            }
        }
        return summary
    }

    /// The impurity of a summary (class counts in `counts[0..<K]` for a classifier).
    private func impurity(_ summary: Summary, _ counts: UnsafeMutablePointer<Double>) -> Double {
        let w = summary.weight
        guard w > 0 else { return 0 }
        switch settings.criterion {
        case .gini:
            // BEGIN EXERCISE gini-impurity
            var squares = 0.0
            for c in 0..<data.classCount { squares += counts[c] * counts[c] }
            return 1 - squares / (w * w)
            // END EXERCISE
        case .entropy:
            var h = 0.0
            for c in 0..<data.classCount where counts[c] > 0 {
                let p = counts[c] / w
                h -= p * Foundation.log2(p)
            }
            return h
        case .squaredError:
            let mean = summary.sum / w
            return Swift.max(0, summary.sumOfSquares / w - mean * mean)
        }
    }

    /// Sorts the m rows at `samples` by feature f and sweeps every cut, updating `cut` when one
    /// beats it. Returns false when the feature is constant on these rows.
    private func search(feature f: Int, _ samples: UnsafeMutablePointer<Int32>, _ m: Int, _ node: Summary,
                        _ weights: UnsafePointer<Double>, _ counts: UnsafeMutablePointer<Double>,
                        _ keys: UnsafeMutablePointer<UInt64>, _ scratch: UnsafeMutablePointer<UInt64>,
                        _ cut: inout Cut) -> Bool {
        let column = data.columns + f * data.rowCount
        // Key = order-preserving bits of x_f (high 32) | row index (low 32): sorting keys sorts rows by x_f.
        var lowest = UInt32.max, highest = UInt32.min
        for p in 0..<m {
            let i = samples[p]
            let bits = SortKeys.orderedBits(column[Int(i)])
            lowest = Swift.min(lowest, bits)
            highest = Swift.max(highest, bits)
            keys[p] = UInt64(bits) << 32 | UInt64(UInt32(bitPattern: i))
        }
        if lowest == highest { return false }
        SortKeys.sort(keys, count: m, scratch: scratch)

        let minLeaf = settings.minSamplesLeaf
        let k = data.classCount
        var best = cut.proxy
        var bestPosition = -1
        var weightLeft = 0.0
        if k > 0 {
            // `counts[0..<K]` holds the node's class counts (the caller summarised the node last).
            let totals = counts, left = counts + k
            for c in 0..<k { left[c] = 0 }
            let entropy = settings.criterion == .entropy
            for p in 0..<(m - 1) {
                let i = Int(UInt32(truncatingIfNeeded: keys[p]))
                let w = weights[i]
                left[Int(data.labels[i])] += w
                weightLeft += w
                if keys[p] >> 32 == keys[p + 1] >> 32 { continue }      // no cut between equal values
                let leftCount = p + 1
                if leftCount < minLeaf { continue }
                if m - leftCount < minLeaf { break }
                let weightRight = node.weight - weightLeft
                if weightLeft <= 0 || weightRight <= 0 { continue }
                var proxy = 0.0
                if entropy {
                    for c in 0..<k {
                        let l = left[c], r = totals[c] - l
                        if l > 0 { proxy += l * Foundation.log(l) }
                        if r > 0 { proxy += r * Foundation.log(r) }
                    }
                    proxy -= weightLeft * Foundation.log(weightLeft) + weightRight * Foundation.log(weightRight)
                } else {
                    var squaresLeft = 0.0, squaresRight = 0.0
                    for c in 0..<k {
                        let l = left[c], r = totals[c] - l
                        squaresLeft += l * l
                        squaresRight += r * r
                    }
                    // squaresLeft/W_L + squaresRight/W_R > best, multiplied through by W_L·W_R > 0:
                    // the division is paid only when the cut improves.
                    let numerator = squaresLeft * weightRight + squaresRight * weightLeft
                    let denominator = weightLeft * weightRight
                    if numerator <= best * denominator { continue }
                    proxy = numerator / denominator
                }
                if proxy > best { best = proxy; bestPosition = p }
            }
        } else {
            var sumLeft = 0.0
            for p in 0..<(m - 1) {
                let i = Int(UInt32(truncatingIfNeeded: keys[p]))
                let w = weights[i]
                sumLeft += w * Double(data.targets[i])
                weightLeft += w
                if keys[p] >> 32 == keys[p + 1] >> 32 { continue }
                let leftCount = p + 1
                if leftCount < minLeaf { continue }
                if m - leftCount < minLeaf { break }
                let weightRight = node.weight - weightLeft
                if weightLeft <= 0 || weightRight <= 0 { continue }
                let sumRight = node.sum - sumLeft
                let numerator = sumLeft * sumLeft * weightRight + sumRight * sumRight * weightLeft
                let denominator = weightLeft * weightRight
                if numerator > best * denominator { best = numerator / denominator; bestPosition = p }
            }
        }
        if bestPosition >= 0 {
            // Threshold: the midpoint of the values either side of the cut (in Double, rounded to Float;
            // if rounding lands on the upper value, the lower one is used so that it still goes left).
            let a = column[Int(UInt32(truncatingIfNeeded: keys[bestPosition]))]
            let b = column[Int(UInt32(truncatingIfNeeded: keys[bestPosition + 1]))]
            var threshold = Float((Double(a) + Double(b)) / 2)
            if threshold >= b { threshold = a }
            cut = Cut(feature: f, threshold: threshold, proxy: best)
        }
        return true
    }
}
