// KDTree: a k-d tree (Bentley, 1975) that answers "which points lie within r
// of q?" and "which k points are nearest to q?" without measuring every point.
//
// Build: the root holds all n points of X [n, d]. A node with more than
// `leafSize` points is cut in two at the median of its widest coordinate
// (the dimension where max − min over its points is largest), found by
// quickselect in O(m) for m points; the halves become its children. Each node
// keeps its bounding box [lowₜ, highₜ] per dimension t. The depth is
// ⌈log₂(n / leafSize)⌉, and the points are copied, leaf by leaf, into one
// contiguous buffer so that a leaf is a short run of memory.
//
// Query: descend from the root. The squared distance from q to a node's box,
//     box(q) = Σₜ (max(lowₜ − qₜ, 0, qₜ − highₜ))²,
// is a lower bound on ‖q − x‖² for every x in that node, so
//   • a radius query skips a node when box(q) > r²;
//   • a k-nearest query skips it when k candidates are already held and
//     box(q) ≥ the largest of their squared distances (kept in a max-heap),
//     and visits the nearer child first so that bound tightens early.
// Only points in the leaves reached are measured. For points spread in low
// dimension and a small radius that is O(log n + neighbours) per query
// instead of n; the tree counts the point distances it measures
// (`distanceEvaluations`) so tests can check that.
// A point x is "within r" of q when ‖q − x‖² ≤ r² (scikit-learn's convention).
import Foundation
import Synchronization
import Tensor

/// A k-d tree over the rows of X [n, d] for radius and k-nearest-neighbour queries in Euclidean distance.
///
/// The tree is immutable after building and safe to query from several threads at once.
/// Copies of a tree share one counter of distance evaluations.
public struct KDTree: Sendable {
    /// One node of the tree: the points `start..<end` of the reordered buffer, and its children (−1 in a leaf).
    struct Node: Sendable {
        var start: Int
        var end: Int
        var left: Int
        var right: Int
        var isLeaf: Bool { left < 0 }
    }

    /// Counts point-to-point distance evaluations across all queries (shared, thread-safe).
    final class DistanceCounter: Sendable {
        let evaluations = Atomic<Int>(0)
    }

    /// Number of points n.
    public let count: Int
    /// Number of coordinates d.
    public let dimensions: Int
    /// Most points a leaf may hold.
    public let leafSize: Int
    /// The points, reordered so each leaf is contiguous: [n, d] row-major.
    let points: [Float]
    /// `originalIndex[r]` is the row of X that the r-th reordered point came from.
    let originalIndex: [Int]
    /// The nodes; node 0 is the root.
    let nodes: [Node]
    /// Bounding boxes: node m spans `low[m*d ..< m*d + d]` to `high[m*d ..< m*d + d]`.
    let low: [Float]
    let high: [Float]
    /// Longest root-to-leaf path, in nodes (sizes the query stacks).
    let depth: Int
    private let counter = DistanceCounter()

    /// Point-to-point squared distances measured by all queries so far (on this tree and its copies).
    public var distanceEvaluations: Int { counter.evaluations.load(ordering: .relaxed) }

    /// Builds the tree over the rows of `x` [n, d] (n ≥ 1, all values finite), cutting nodes above `leafSize` points at the median.
    public init(_ x: Tensor, leafSize: Int = 16) {
        precondition(x.rank == 2 && x.shape[0] >= 1 && x.shape[1] >= 1,
                     "KDTree: X must be a non-empty matrix [n, d], got \(x.shape)")
        precondition(leafSize >= 1, "KDTree: leafSize must be ≥ 1, got \(leafSize)")
        precondition(x.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) },
                     "KDTree: X \(x.shape) holds NaN or infinite values; check data before building a tree (DBSCAN.fit throws for them)")
        let (n, d) = (x.shape[0], x.shape[1])
        self.count = n
        self.dimensions = d
        self.leafSize = leafSize

        var order = Array(0..<n)
        var nodes: [Node] = []
        var low: [Float] = []
        var high: [Float] = []
        var depth = 0
        var reordered = [Float](repeating: 0, count: n * d)
        x.withUnsafeBufferPointer { xs in
            let values = xs.baseAddress!
            order.withUnsafeMutableBufferPointer { order in
                // Builds the node over order[start..<end] and returns its index (depth-first, explicit recursion).
                func build(_ start: Int, _ end: Int, level: Int) -> Int {
                    depth = max(depth, level)
                    let node = nodes.count
                    nodes.append(Node(start: start, end: end, left: -1, right: -1))
                    // Bounding box of the node's points, and its widest dimension.
                    var widest = 0
                    var widestSpread: Float = -1
                    for t in 0..<d {
                        var lo = Float.infinity
                        var hi = -Float.infinity
                        for r in start..<end {
                            let value = values[order[r] * d + t]
                            lo = min(lo, value)
                            hi = max(hi, value)
                        }
                        low.append(lo)
                        high.append(hi)
                        if hi - lo > widestSpread { widestSpread = hi - lo; widest = t }
                    }
                    if end - start <= leafSize || widestSpread <= 0 { return node }
                    let middle = (start + end) / 2
                    KDTree.select(order, start, end, nth: middle, coordinate: widest, of: values, dimensions: d)
                    let left = build(start, middle, level: level + 1)
                    let right = build(middle, end, level: level + 1)
                    nodes[node].left = left
                    nodes[node].right = right
                    return node
                }
                _ = build(0, n, level: 1)
            }
            for r in 0..<n {
                for t in 0..<d { reordered[r * d + t] = values[order[r] * d + t] }
            }
        }
        self.points = reordered
        self.originalIndex = order
        self.nodes = nodes
        self.low = low
        self.high = high
        self.depth = depth
    }

    /// Rearranges `order[start..<end]` so that the point at `nth` has the nth-smallest `coordinate`,
    /// smaller-or-equal ones before it and larger-or-equal ones after (Hoare's quickselect, middle pivot).
    static func select(_ order: UnsafeMutableBufferPointer<Int>, _ start: Int, _ end: Int, nth: Int,
                       coordinate t: Int, of values: UnsafePointer<Float>, dimensions d: Int) {
        var (lo, hi) = (start, end - 1)
        while lo < hi {
            let pivot = values[order[(lo + hi) / 2] * d + t]
            var (i, j) = (lo, hi)
            while i <= j {
                while values[order[i] * d + t] < pivot { i += 1 }
                while values[order[j] * d + t] > pivot { j -= 1 }
                if i <= j { order.swapAt(i, j); i += 1; j -= 1 }
            }
            // Now order[lo...j] ≤ pivot ≤ order[i...hi], and every slot strictly between j and i equals pivot.
            if nth <= j { hi = j } else if nth >= i { lo = i } else { return }
        }
    }

    // MARK: Radius query

    /// The rows of X whose squared distance to `point` is at most `radius²`, in no particular order.
    public func neighbours(of point: [Float], within radius: Float) -> [Int] {
        precondition(point.count == dimensions, "KDTree.neighbours: point has \(point.count) coordinates, tree has \(dimensions)")
        return point.withUnsafeBufferPointer { neighbours(of: $0.baseAddress!, within: radius) }
    }

    /// The rows of X whose squared distance to the `dimensions` Floats at `point` is at most `radius²`.
    public func neighbours(of point: UnsafePointer<Float>, within radius: Float) -> [Int] {
        precondition(radius >= 0, "KDTree.neighbours: radius must be ≥ 0, got \(radius)")
        let d = dimensions
        let limit = radius * radius
        var found: [Int] = []
        var measured = 0
        points.withUnsafeBufferPointer { points in
        nodes.withUnsafeBufferPointer { nodes in
        low.withUnsafeBufferPointer { low in
        high.withUnsafeBufferPointer { high in
        originalIndex.withUnsafeBufferPointer { originalIndex in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: depth + 2) { stack in
                var top = 0
                stack[0] = 0
                top = 1
                while top > 0 {
                    top -= 1
                    let m = stack[top]
                    if KDTree.squaredDistance(point, toBoxFrom: low.baseAddress! + m * d,
                                              to: high.baseAddress! + m * d, d) > limit { continue }
                    let node = nodes[m]
                    if node.isLeaf {
                        for r in node.start..<node.end
                        where KDTree.squaredDistance(point, points.baseAddress! + r * d, d) <= limit {
                            found.append(originalIndex[r])
                        }
                        measured += node.end - node.start
                    } else {
                        stack[top] = node.right
                        stack[top + 1] = node.left
                        top += 2
                    }
                }
            }
        }}}}}
        counter.evaluations.wrappingAdd(measured, ordering: .relaxed)
        return found
    }

    // MARK: k-nearest query

    /// The `k` rows of X nearest to `point` (fewer when n < k), nearest first, with their squared distances.
    public func nearest(_ k: Int, to point: [Float]) -> [(index: Int, squaredDistance: Float)] {
        precondition(point.count == dimensions, "KDTree.nearest: point has \(point.count) coordinates, tree has \(dimensions)")
        return point.withUnsafeBufferPointer { nearest(k, to: $0.baseAddress!) }
    }

    /// The `k` rows of X nearest to the `dimensions` Floats at `point`, nearest first, with their squared distances.
    public func nearest(_ k: Int, to point: UnsafePointer<Float>) -> [(index: Int, squaredDistance: Float)] {
        precondition(k >= 1, "KDTree.nearest: k must be ≥ 1, got \(k)")
        let d = dimensions
        let wanted = min(k, count)
        var measured = 0
        // A max-heap of the best candidates so far: heapDistance[0] is the worst of them.
        var heapDistance = [Float](repeating: 0, count: wanted)
        var heapIndex = [Int](repeating: 0, count: wanted)
        var held = 0
        points.withUnsafeBufferPointer { points in
        nodes.withUnsafeBufferPointer { nodes in
        low.withUnsafeBufferPointer { low in
        high.withUnsafeBufferPointer { high in
        heapDistance.withUnsafeMutableBufferPointer { heapDistance in
        heapIndex.withUnsafeMutableBufferPointer { heapIndex in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: depth + 2) { stack in
                stack[0] = 0
                var top = 1
                while top > 0 {
                    top -= 1
                    let m = stack[top]
                    let bound = KDTree.squaredDistance(point, toBoxFrom: low.baseAddress! + m * d,
                                                       to: high.baseAddress! + m * d, d)
                    if held == wanted && bound >= heapDistance[0] { continue }
                    let node = nodes[m]
                    if node.isLeaf {
                        for r in node.start..<node.end {
                            let distance = KDTree.squaredDistance(point, points.baseAddress! + r * d, d)
                            if held < wanted {
                                KDTree.heapPush(distance, r, heapDistance, heapIndex, &held)
                            } else if distance < heapDistance[0] {
                                KDTree.heapReplaceTop(distance, r, heapDistance, heapIndex, held)
                            }
                        }
                        measured += node.end - node.start
                    } else {
                        // Push the farther child first, so the nearer one is searched first.
                        let leftBound = KDTree.squaredDistance(point, toBoxFrom: low.baseAddress! + node.left * d,
                                                               to: high.baseAddress! + node.left * d, d)
                        let rightBound = KDTree.squaredDistance(point, toBoxFrom: low.baseAddress! + node.right * d,
                                                                to: high.baseAddress! + node.right * d, d)
                        let (near, far) = leftBound <= rightBound ? (node.left, node.right) : (node.right, node.left)
                        stack[top] = far
                        stack[top + 1] = near
                        top += 2
                    }
                }
            }
        }}}}}}
        counter.evaluations.wrappingAdd(measured, ordering: .relaxed)
        let result = (0..<held).map { (index: originalIndex[heapIndex[$0]], squaredDistance: heapDistance[$0]) }
        return result.sorted { ($0.squaredDistance, $0.index) < ($1.squaredDistance, $1.index) }
    }

    /// Adds a candidate to the max-heap (sift up).
    @inline(__always)
    static func heapPush(_ distance: Float, _ index: Int, _ distances: UnsafeMutableBufferPointer<Float>,
                         _ indices: UnsafeMutableBufferPointer<Int>, _ held: inout Int) {
        var child = held
        held += 1
        while child > 0 {
            let parent = (child - 1) / 2
            if distances[parent] >= distance { break }
            distances[child] = distances[parent]
            indices[child] = indices[parent]
            child = parent
        }
        distances[child] = distance
        indices[child] = index
    }

    /// Replaces the worst candidate (the root) and restores the heap (sift down).
    @inline(__always)
    static func heapReplaceTop(_ distance: Float, _ index: Int, _ distances: UnsafeMutableBufferPointer<Float>,
                               _ indices: UnsafeMutableBufferPointer<Int>, _ held: Int) {
        var parent = 0
        while true {
            var child = 2 * parent + 1
            if child >= held { break }
            if child + 1 < held && distances[child + 1] > distances[child] { child += 1 }
            if distances[child] <= distance { break }
            distances[parent] = distances[child]
            indices[parent] = indices[child]
            parent = child
        }
        distances[parent] = distance
        indices[parent] = index
    }

    // MARK: Distances

    /// ‖a − b‖² over d coordinates (sixteen lanes at a time when d is large).
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
        var t = 0
        var total: Float = 0
        if d >= 16 {
            var lanes = SIMD16<Float>()
            while t + 16 <= d {
                let difference = UnsafeRawPointer(a + t).loadUnaligned(as: SIMD16<Float>.self)
                    - UnsafeRawPointer(b + t).loadUnaligned(as: SIMD16<Float>.self)
                lanes = lanes.addingProduct(difference, difference)
                t += 16
            }
            total = lanes.sum()
        }
        while t < d {
            let difference = a[t] - b[t]
            total += difference * difference
            t += 1
        }
        return total
    }

    /// Squared distance from q to the box [low, high] (0 inside it): a lower bound for every point in the box.
    @inline(__always)
    static func squaredDistance(_ q: UnsafePointer<Float>, toBoxFrom low: UnsafePointer<Float>,
                                to high: UnsafePointer<Float>, _ d: Int) -> Float {
        var total: Float = 0
        for t in 0..<d {
            let gap = max(low[t] - q[t], 0, q[t] - high[t])
            total += gap * gap
        }
        return total
    }
}
