// BoostedTree: one regression tree of a boosted ensemble, and how a row finds its leaf.
//
// Every internal node tests one feature: a row goes left when its bin code is
// ≤ the node's threshold bin t (equivalently, its raw value x ≤ u_t, the bin's
// upper edge), and a missing value (NaN, bin 255) goes the way the split
// learned. A leaf holds the value it adds to the row's score,
// −G/(H + λ) · learningRate. Nodes live in one array (root at 0) and point at
// their children by index, so a tree is a few hundred bytes and walking it
// touches nothing else.

import Tensor

/// A binary tree of threshold tests with a value in each leaf.
public struct BoostedTree: Sendable {
    /// One node; a leaf has `feature == -1`.
    public struct Node: Sendable {
        /// The feature tested, or -1 for a leaf.
        public var feature: Int32 = -1
        /// Rows with bin code ≤ `thresholdBin` go left.
        public var thresholdBin: UInt8 = 0
        /// The same test on raw values: x ≤ `threshold` goes left.
        public var threshold: Float = .infinity
        /// Where rows with a missing (NaN) value go.
        public var missingGoesLeft = false
        /// Indices of the children in `nodes`.
        public var left: Int32 = -1, right: Int32 = -1
        /// The leaf's contribution to the score (0 for internal nodes).
        public var value: Float = 0
        /// The split's gain G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (0 for leaves).
        public var gain: Float = 0
    }

    /// The nodes, root first.
    public internal(set) var nodes: [Node] = [Node()]

    /// How many leaves the tree has.
    public var leafCount: Int { nodes.reduce(0) { $0 + ($1.feature < 0 ? 1 : 0) } }

    /// The leaf value for the row whose raw feature values start at `row` (row-major).
    @inline(__always)
    static func value(of nodes: UnsafePointer<Node>, raw row: UnsafePointer<Float>) -> Float {
        var i = 0
        while nodes[i].feature >= 0 {
            let node = nodes[i]
            let x = row[Int(node.feature)]
            let goLeft = x.isNaN ? node.missingGoesLeft : x <= node.threshold
            i = Int(goLeft ? node.left : node.right)
        }
        return nodes[i].value
    }

    /// The leaf value for row `row` of column-major bin codes with `rowCount` rows per feature.
    @inline(__always)
    static func value(of nodes: UnsafePointer<Node>, codes: UnsafePointer<UInt8>, row: Int, rowCount: Int) -> Float {
        var i = 0
        while nodes[i].feature >= 0 {
            let node = nodes[i]
            let code = codes[Int(node.feature) * rowCount + row]
            let goLeft = code == FeatureBinning.missingBin ? node.missingGoesLeft : code <= node.thresholdBin
            i = Int(goLeft ? node.left : node.right)
        }
        return nodes[i].value
    }

    /// Sets each test's raw threshold to the upper edge of its threshold bin (+∞ for a feature's last bin).
    mutating func setRawThresholds(_ binning: FeatureBinning) {
        for i in nodes.indices where nodes[i].feature >= 0 {
            let edges = binning.upperEdges[Int(nodes[i].feature)], t = Int(nodes[i].thresholdBin)
            nodes[i].threshold = t < edges.count ? edges[t] : .infinity
        }
    }

    /// Adds this tree's value for each row of a binned matrix to `scores[row]`, rows split across cores.
    func addValues(binned: BinnedMatrix, to scores: UnsafeMutablePointer<Float>) {
        let out = ParallelWritePointer(scores)
        nodes.withUnsafeBufferPointer { nodes in
            binned.codes.withUnsafeBufferPointer { codes in
                Parallel.forRanges(binned.rows, minimumPerThread: 16_384) { rows in
                    for i in rows {
                        out.pointer[i] += Self.value(of: nodes.baseAddress!, codes: codes.baseAddress!, row: i, rowCount: binned.rows)
                    }
                }
            }
        }
    }
}
