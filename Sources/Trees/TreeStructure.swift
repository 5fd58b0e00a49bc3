// TreeStructure: a fitted tree stored as flat arrays, and how a row finds its leaf.
//
// Node j holds a feature f_j and a threshold t_j; a row x goes to the left
// child when x[f_j] ≤ t_j and to the right child otherwise, until it reaches a
// leaf (left = right = −1); a NaN fails every test and goes right (fit refuses
// NaN, so this only happens at prediction). Node 0 is the root. Every node also keeps what
// the tree saw there: its sample count, weighted sample count, impurity and
// value, a vector of `outputs` numbers:
//     classifier: the class frequencies p_k = n_k / Σ n  (weighted), K numbers
//     regressor:  the mean target ȳ (weighted), 1 number
// so the prediction for x is simply value[leaf(x)]. This is scikit-learn's
// `tree_` (children_left, children_right, feature, threshold, value, ...).
// Storing nodes in arrays instead of linked objects keeps a whole tree in a
// few contiguous blocks, which is what makes walking many rows fast.
import Tensor

/// The nodes of a fitted decision tree in flat arrays (scikit-learn's `tree_`).
public struct TreeStructure: Sendable {
    /// One split or leaf. Leaves have `left == -1` and `right == -1` (and `feature == -1`).
    public struct Node: Sendable, Equatable {
        /// The feature tested (−1 at a leaf).
        public var feature: Int32
        /// Rows with x[feature] ≤ threshold go left.
        public var threshold: Float
        /// Index of the left child, −1 at a leaf.
        public var left: Int32
        /// Index of the right child, −1 at a leaf.
        public var right: Int32
        /// Training rows that reached the node (a bootstrap duplicate counts once).
        public var sampleCount: Int32
        /// Sum of the weights of those rows.
        public var weightedSampleCount: Float
        /// The node's impurity (Gini, entropy or variance).
        public var impurity: Float
        /// Depth of the node, the root at 0.
        public var depth: Int32

        /// True when the node has no children.
        public var isLeaf: Bool { left < 0 }
    }

    /// The nodes, root first.
    public internal(set) var nodes: [Node] = []
    /// Node values, `outputs` numbers per node: class frequencies, or the mean target.
    public internal(set) var values: [Float] = []
    /// Numbers per node value: the class count, or 1 for a regressor.
    public let outputs: Int
    /// Features of the rows the tree was fitted on.
    public let featureCount: Int

    init(outputs: Int, featureCount: Int) {
        self.outputs = outputs
        self.featureCount = featureCount
    }

    /// Number of nodes.
    public var nodeCount: Int { nodes.count }
    /// Number of leaves.
    public var leafCount: Int { nodes.reduce(0) { $0 + ($1.isLeaf ? 1 : 0) } }
    /// Depth of the deepest leaf (a single leaf has depth 0).
    public var depth: Int { Int(nodes.map(\.depth).max() ?? 0) }

    /// The value of node `j`.
    public func value(of j: Int) -> ArraySlice<Float> {
        values[(j * outputs)..<((j + 1) * outputs)]
    }

    /// Appends a node with its value and returns its index.
    mutating func append(_ node: Node, value: UnsafeBufferPointer<Float>) -> Int {
        precondition(value.count == outputs, "TreeStructure.append: value of \(value.count) numbers, tree has \(outputs) outputs")
        nodes.append(node)
        values.append(contentsOf: value)
        return nodes.count - 1
    }

    /// The leaf reached by one row, given as a pointer to its `featureCount` values.
    @inline(__always)
    static func leaf(of row: UnsafePointer<Float>, nodes: UnsafePointer<Node>) -> Int {
        var j = 0
        while true {
            let node = nodes[j]
            if node.left < 0 { return j }
            j = Int(row[Int(node.feature)] <= node.threshold ? node.left : node.right)
        }
    }

    /// The leaf index of every row of X [m, featureCount] (scikit-learn's `apply`).
    public func apply(_ x: Tensor) -> [Int] {
        checkInput(x, op: "apply")
        let m = x.shape[0], d = featureCount
        var leaves = [Int](repeating: 0, count: m)
        x.withUnsafeBufferPointer { xs in
            nodes.withUnsafeBufferPointer { nodeBuffer in
                leaves.withUnsafeMutableBufferPointer { out in
                    let (xp, np, op) = (xs.baseAddress!, nodeBuffer.baseAddress!, UncheckedPointer(out.baseAddress!))
                    Parallel.forRanges(m, minimumPerThread: 4096) { rows in
                        for i in rows { op.pointer[i] = TreeStructure.leaf(of: xp + i * d, nodes: np) }
                    }
                }
            }
        }
        return leaves
    }

    /// Adds `scale` × value[leaf(x)] into `out` for every row of X [m, d], `out` being [m, outputs].
    /// Rows are split across cores; each row's sum is built in the same order whatever the thread count.
    func accumulate(_ x: UnsafePointer<Float>, rows m: Int, into out: UnsafeMutablePointer<Float>, scale: Float) {
        let d = featureCount, k = outputs
        nodes.withUnsafeBufferPointer { nodeBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                let (np, vp, op) = (nodeBuffer.baseAddress!, valueBuffer.baseAddress!, UncheckedPointer(out))
                Parallel.forRanges(m, minimumPerThread: 4096) { rows in
                    for i in rows {
                        let leaf = TreeStructure.leaf(of: x + i * d, nodes: np)
                        let source = vp + leaf * k, target = op.pointer + i * k
                        for c in 0..<k { target[c] += scale * source[c] }
                    }
                }
            }
        }
    }

    /// The value of every row's leaf, as [m, outputs].
    func predictValues(_ x: Tensor, op: String) -> Tensor {
        checkInput(x, op: op)
        let m = x.shape[0]
        var out = Tensor(shape: [m, outputs], scalars: [Float](repeating: 0, count: m * outputs))
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in accumulate(xs.baseAddress!, rows: m, into: o.baseAddress!, scale: 1) }
        }
        return out
    }

    func checkInput(_ x: Tensor, op: String) {
        precondition(!nodes.isEmpty, "\(op): the model is not fitted; call fit first")
        precondition(x.rank == 2 && x.shape[1] == featureCount,
                     "\(op): X \(x.shape) must be [rows, \(featureCount)], the feature count seen in fit")
    }
}

/// A raw pointer carried into a parallel loop whose chunks write disjoint rows.
struct UncheckedPointer<Pointee>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Pointee>
    init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
}
