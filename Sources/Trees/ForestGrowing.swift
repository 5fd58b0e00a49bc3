// ForestGrowing: many CART trees on bootstrap samples, grown in parallel.
//
// Bagging (Breiman 1996, 2001): tree t is grown on a bootstrap sample, n rows
// drawn uniformly with replacement. Row i enters tree t with a weight equal to
// the number of times it was drawn, c_{t,i} ~ Binomial(n, 1/n) (times its class
// weight); about (1 − 1/n)ⁿ ≈ e⁻¹ ≈ 37% of rows are not drawn at all, are
// "out of bag" for that tree and give a free validation set:
//     OOB prediction for row i = average over the trees t with c_{t,i} = 0.
// Together with a random subset of features at each split (MaxFeatures) the
// trees differ, and averaging them lowers the variance of a single tree.
//
// Every tree draws from its own generator, seeded from the forest's seed and
// the tree's index alone, so a forest is the same whatever the thread count.
// Trees are handed out to the cores one at a time from a shared counter.
import Synchronization
import Tensor

/// Grows the trees of a random forest.
struct ForestGrowing {
    let data: TreeTrainingSet
    let settings: TreeSettings
    /// Weight of each row before bootstrapping (its class weight), one per training row.
    let rowWeights: [Double]
    let bootstrap: Bool

    /// The fitted trees, each tree's impurity decreases per feature, and (if asked) which rows each tree left out.
    struct Result {
        var trees: [TreeStructure]
        var importances: [[Double]]
        var outOfBag: [[Bool]]
    }

    /// The seeds of `count` trees, derived from the forest's seed.
    static func treeSeeds(_ count: Int, seed: UInt64) -> [UInt64] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in generator.next() }
    }

    func grow(trees count: Int, seed: UInt64, keepOutOfBag: Bool) -> Result {
        let seeds = ForestGrowing.treeSeeds(count, seed: seed)
        var trees = [TreeStructure?](repeating: nil, count: count)
        var importances = [[Double]](repeating: [], count: count)
        var outOfBag = [[Bool]](repeating: [], count: count)
        let nextTree = Atomic<Int>(0)
        trees.withUnsafeMutableBufferPointer { treeSlots in
            importances.withUnsafeMutableBufferPointer { importanceSlots in
                outOfBag.withUnsafeMutableBufferPointer { bagSlots in
                    Parallel.forEachChunk(Swift.max(1, Swift.min(ComputeThreads.count, count))) { _ in
                        while true {
                            let t = nextTree.add(1, ordering: .relaxed).oldValue
                            if t >= count { break }
                            let grown = growOne(seed: seeds[t])
                            treeSlots[t] = grown.tree
                            importanceSlots[t] = grown.importance
                            if keepOutOfBag { bagSlots[t] = grown.outOfBag }
                        }
                    }
                }
            }
        }
        return Result(trees: trees.map { $0! }, importances: importances, outOfBag: outOfBag)
    }

    /// One tree: its bootstrap weights, then CART on them.
    private func growOne(seed: UInt64) -> (tree: TreeStructure, importance: [Double], outOfBag: [Bool]) {
        let n = data.rowCount
        var generator = RandomGenerator(seed: seed)
        var weights = rowWeights
        var outOfBag = [Bool](repeating: false, count: n)
        if bootstrap {
            var draws = [Int32](repeating: 0, count: n)
            draws.withUnsafeMutableBufferPointer { d in
                for _ in 0..<n {
                    // A uniform index in 0..<n from the top 32 bits: ⌊u·n / 2³²⌋.
                    let i = Int(((generator.next() >> 32) &* UInt64(n)) >> 32)
                    d[i] += 1
                }
            }
            for i in 0..<n {
                weights[i] *= Double(draws[i])
                outOfBag[i] = draws[i] == 0
            }
        }
        let grown = weights.withUnsafeBufferPointer {
            TreeGrowing(data: data, settings: settings).grow(weights: $0.baseAddress!, seed: generator.next())
        }
        return (grown.tree, grown.importance, outOfBag)
    }

    /// The forest's importance: the mean over trees of each tree's normalised importances, normalised again.
    static func importance(_ perTree: [[Double]], features d: Int) -> [Float] {
        var mean = [Double](repeating: 0, count: d)
        for tree in perTree {
            let total = tree.reduce(0, +)
            guard total > 0 else { continue }
            for j in 0..<d { mean[j] += tree[j] / total }
        }
        return ClassProbabilities.normalised(mean)
    }

    /// For every training row, the sum of the values of the trees that left it out, [n, outputs],
    /// and how many such trees there were.
    static func outOfBagSums(_ x: Tensor, trees: [TreeStructure], outOfBag: [[Bool]]) -> (sums: [Float], votes: [Int]) {
        let n = x.shape[0], d = x.shape[1], k = trees[0].outputs
        var sums = [Float](repeating: 0, count: n * k)
        var votes = [Int](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            sums.withUnsafeMutableBufferPointer { s in
                votes.withUnsafeMutableBufferPointer { v in
                    for (tree, bag) in zip(trees, outOfBag) {
                        tree.nodes.withUnsafeBufferPointer { nodes in
                            tree.values.withUnsafeBufferPointer { values in
                                bag.withUnsafeBufferPointer { out in
                                    Parallel.forRanges(n, minimumPerThread: 8192) { rows in
                                        for i in rows where out[i] {
                                            let leaf = TreeStructure.leaf(of: xs.baseAddress! + i * d, nodes: nodes.baseAddress!)
                                            for c in 0..<k { s[i * k + c] += values[leaf * k + c] }
                                            v[i] += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (sums, votes)
    }
}
