// ExactGreedyBooster: gradient boosting as the textbook states it, with no
// histograms: the readable version the histogram booster (GradientBoosting.swift)
// is tested against.
//
// The score is a sum of trees, F(x) = F₀ + Σₘ fₘ(x) (Friedman 2001). Round m
// expands the loss to second order around the current scores Fᵢ (XGBoost,
// Chen & Guestrin 2016, §2.2, eq. 3):
//     Σᵢ ℓ(yᵢ, Fᵢ + f(xᵢ)) ≈ const + Σᵢ [gᵢ f(xᵢ) + ½ hᵢ f(xᵢ)²] + ½ λ Σ_leaves w²,
// with gᵢ = ∂ℓ/∂F and hᵢ = ∂²ℓ/∂F² at Fᵢ:
//     squared error   ℓ = ½(F − y)²              g = F − y,   h = 1
//     log-loss        ℓ = log(1 + e^F) − y·F     g = p − y,   h = p(1 − p),   p = σ(F)
// A leaf whose rows have sums G = Σ gᵢ and H = Σ hᵢ minimises this at
//     w* = −G/(H + λ)                                        (eq. 5)
// which lowers it by ½·G²/(H + λ), so splitting a leaf into L and R gains (eq. 7)
//     ½ [G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ)];
// the ½ is dropped here, as in LightGBM and HistogramSplit (it changes no choice).
// Exact greedy split finding (the paper's Algorithm 1): for each feature, sort
// the leaf's rows by it, walk them accumulating G_L and H_L, and try a threshold
// halfway between every two consecutive distinct values. A split must leave
// each child at least `minSamplesLeaf` rows and a hessian sum of at least
// `minChildWeight`, and gain more than 0; ties go to the lower feature, then the
// lower threshold. Trees grow leaf-wise (LightGBM §3): split the leaf whose best
// split gains most (the first on ties) until the tree has `maxLeaves` leaves or
// no leaf can split (leaves at `maxDepth` cannot). Each leaf adds w*·η. F₀ is
// the best constant: the mean of y, or the log-odds log(p̄/(1 − p̄)).
//
// These are the histogram booster's rules (BoostingLoss, HistogramSplit,
// LeafWiseGrowth), in the same floating-point types, with one difference: that
// one tries only the edges of at most 255 value bins per feature
// (FeatureBinning). When every feature has no more distinct values than bins,
// the candidate splits are the same and the two grow the same trees; on any
// data, this one run on that one's bin codes grows its trees; on continuous
// raw values this one can cut between any two rows and fits the training rows
// a little more closely (Tests/TreesTests/ExactGreedyBoosterTests.swift). A tree costs
// O(leaves · d · n log n) here: this version is for reading and for tests. It
// has no missing values, bagging, feature sampling or softmax.
import Foundation
import Tensor

/// Gradient-boosted trees grown by exact greedy split search over every distinct feature value:
/// the textbook algorithm, written to be read (the histogram booster is tested against it).
///
/// ```swift
/// var reference = ExactGreedyBooster(loss: .logLoss, rounds: 20, maxLeaves: 8)
/// reference.fit(x, y)                  // X [n, d], y ∈ {0, 1}
/// let f = reference.rawScores(x)       // F(x); P(y = 1 | x) = σ(F)
/// ```
public struct ExactGreedyBooster: Sendable {
    /// What the trees minimise.
    public enum Loss: Sendable {
        /// ½(F − y)², for regression.
        case squaredError
        /// log(1 + e^F) − y·F with y ∈ {0, 1}, for two classes.
        case logLoss
    }

    /// A test x[feature] ≤ threshold (true goes left), or a leaf when `feature` is −1.
    public struct Node: Sendable {
        /// The feature tested, or −1 for a leaf.
        public var feature = -1
        /// Rows with x[feature] ≤ threshold go to `left`.
        public var threshold: Float = 0
        /// Indices of the children in the tree's node array (−1 for a leaf).
        public var left = -1, right = -1
        /// A leaf's contribution to the score, −G/(H + λ)·η.
        public var value: Float = 0
        /// A test's gain G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ).
        public var gain = 0.0
    }

    /// The loss minimised.
    public var loss: Loss
    /// Boosting rounds: one tree each.
    public var rounds: Int
    /// η, the shrinkage of every leaf value.
    public var learningRate: Float
    /// The leaf budget of each tree.
    public var maxLeaves: Int
    /// The deepest a leaf may be; nil for no limit.
    public var maxDepth: Int?
    /// The fewest rows a leaf may hold.
    public var minSamplesLeaf: Int
    /// The smallest hessian sum a leaf may hold.
    public var minChildWeight: Float
    /// λ, the L2 penalty on leaf values.
    public var l2: Float
    /// F₀, the best constant score.
    public private(set) var initialScore: Float = 0
    /// The trees, one per round, each a node array with its root first.
    public private(set) var trees: [[Node]] = []
    /// The mean training loss after each round.
    public private(set) var trainLoss: [Double] = []

    /// A booster with the histogram booster's (LightGBM's) defaults.
    public init(loss: Loss, rounds: Int = 100, learningRate: Float = 0.1, maxLeaves: Int = 31, maxDepth: Int? = nil,
                minSamplesLeaf: Int = 20, minChildWeight: Float = 1e-3, l2: Float = 0) {
        (self.loss, self.rounds, self.learningRate, self.maxLeaves, self.maxDepth) = (loss, rounds, learningRate, maxLeaves, maxDepth)
        (self.minSamplesLeaf, self.minChildWeight, self.l2) = (minSamplesLeaf, minChildWeight, l2)
    }

    /// Fits on X [n, d] (no missing values) and targets y [n] (values, or labels 0 and 1 for `.logLoss`).
    public mutating func fit(_ x: Tensor, _ y: Tensor) {
        precondition(x.rank == 2 && y.count == x.shape[0] && x.shape[0] >= 2 && !x.scalars.contains { $0.isNaN },
                     "ExactGreedyBooster.fit: X \(x.shape) must be [n ≥ 2, d] without NaN and y \(y.shape) [n]")
        let rows = Self.rows(x), y = y.scalars
        let mean = y.reduce(0.0) { $0 + Double($1) } / Double(y.count)
        switch loss {
        case .squaredError: initialScore = Float(mean)
        case .logLoss: let p = min(max(mean, 1e-15), 1 - 1e-15); initialScore = Float(log(p / (1 - p)))
        }
        var scores = [Float](repeating: initialScore, count: y.count)
        (trees, trainLoss) = ([], [])
        for _ in 0..<rounds {
            var g = [Float](repeating: 0, count: y.count), h = g
            for i in y.indices {
                switch loss {
                case .squaredError: (g[i], h[i]) = (scores[i] - y[i], 1)
                case .logLoss: let p = 1 / (1 + expf(-scores[i])); (g[i], h[i]) = (p - y[i], max(p * (1 - p), 1e-16))
                }
            }
            let tree = growTree(rows, g, h)
            for i in y.indices { scores[i] += Self.value(of: tree, at: rows[i]) }
            trees.append(tree)
            trainLoss.append(y.indices.reduce(0.0) { total, i in
                let f = Double(scores[i]), r = Double(scores[i] - y[i])
                switch loss {
                case .squaredError: return total + 0.5 * r * r
                case .logLoss: return total + max(f, 0) + log1p(exp(-abs(f))) - Double(y[i]) * f
                }
            } / Double(y.count))
        }
    }

    /// F(x) = F₀ + Σₘ fₘ(x) for each row of X [m, d].
    public func rawScores(_ x: Tensor) -> [Float] {
        Self.rows(x).map { row in trees.reduce(initialScore) { $0 + Self.value(of: $1, at: row) } }
    }

    static func rows(_ x: Tensor) -> [[Float]] {
        let (values, d) = (x.scalars, x.shape[1])
        return (0..<x.shape[0]).map { Array(values[$0 * d ..< ($0 + 1) * d]) }
    }

    /// The value of the leaf that `row` reaches.
    static func value(of tree: [Node], at row: [Float]) -> Float {
        var i = 0
        while tree[i].feature >= 0 { i = row[tree[i].feature] <= tree[i].threshold ? tree[i].left : tree[i].right }
        return tree[i].value
    }

    /// A leaf of the tree being grown: its rows, sums G and H, and its best split (nil: it cannot split)
    /// with the sums G_L, H_L of that split's left child.
    private struct Leaf { var node: Int, rows: [Int], depth: Int, g: Double, h: Double, split: Node?, gLeft = 0.0, hLeft = 0.0 }

    /// One tree fitted to (g, h), leaf-wise.
    private func growTree(_ x: [[Float]], _ g: [Float], _ h: [Float]) -> [Node] {
        var nodes = [Node()]
        var leaves = [leaf(x, g, h, node: 0, rows: Array(x.indices), depth: 0,
                           sums: (g.reduce(0.0) { $0 + Double($1) }, h.reduce(0.0) { $0 + Double($1) }))]
        while leaves.count < maxLeaves {
            var chosen: Int?
            for k in leaves.indices where leaves[k].split != nil {
                if chosen == nil || leaves[k].split!.gain > leaves[chosen!].split!.gain { chosen = k }
            }
            guard let chosen else { break }
            let parent = leaves.remove(at: chosen)
            var test = parent.split!
            (test.left, test.right) = (nodes.count, nodes.count + 1)
            nodes[parent.node] = test
            nodes += [Node(), Node()]
            let goesLeft = parent.rows.filter { x[$0][test.feature] <= test.threshold }
            let goesRight = parent.rows.filter { x[$0][test.feature] > test.threshold }
            leaves.append(leaf(x, g, h, node: test.left, rows: goesLeft, depth: parent.depth + 1,
                               sums: (parent.gLeft, parent.hLeft)))
            leaves.append(leaf(x, g, h, node: test.right, rows: goesRight, depth: parent.depth + 1,
                               sums: (parent.g - parent.gLeft, parent.h - parent.hLeft)))
        }
        for leaf in leaves { nodes[leaf.node].value = Float(-leaf.g / (leaf.h + Double(l2)) * Double(learningRate)) }
        return nodes
    }

    /// A leaf with sums (G, H) and its best split: every feature, every threshold between consecutive distinct values.
    private func leaf(_ x: [[Float]], _ g: [Float], _ h: [Float], node: Int, rows: [Int], depth: Int,
                      sums: (g: Double, h: Double)) -> Leaf {
        let (total, hessian) = sums
        var result = Leaf(node: node, rows: rows, depth: depth, g: total, h: hessian, split: nil)
        if let maxDepth, depth >= maxDepth { return result }
        let lambda = Double(l2)
        func score(_ g: Double, _ h: Double) -> Double { g * g / (h + lambda) }
        for j in 0..<(x.first?.count ?? 0) {
            let sorted = rows.sorted { x[$0][j] < x[$1][j] }
            var (gLeft, hLeft) = (0.0, 0.0)
            for k in 0..<max(sorted.count - 1, 0) {
                gLeft += Double(g[sorted[k]]); hLeft += Double(h[sorted[k]])
                let (a, b) = (x[sorted[k]][j], x[sorted[k + 1]][j])
                let (gRight, hRight) = (total - gLeft, hessian - hLeft)
                guard a < b, k + 1 >= minSamplesLeaf, sorted.count - k - 1 >= minSamplesLeaf,
                      hLeft >= Double(minChildWeight), hRight >= Double(minChildWeight) else { continue }
                let gain = score(gLeft, hLeft) + score(gRight, hRight) - score(total, hessian)
                if gain > (result.split?.gain ?? 0) {
                    result.split = Node(feature: j, threshold: a / 2 + b / 2, gain: gain)
                    (result.gLeft, result.hLeft) = (gLeft, hLeft)
                }
            }
        }
        return result
    }
}
