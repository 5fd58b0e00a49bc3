// Broadcasting: NumPy's rule for combining tensors of different shapes.
//
// Line the shapes up from the right. Two sizes are compatible when they are
// equal or one of them is 1; the result takes the larger. A missing leading
// axis counts as size 1. So [8, 1, 6] with [7, 1] gives [8, 7, 6]:
//     a: 8 × 1 × 6
//     b:     7 × 1
//     =  8 × 7 × 6
// An input is read with stride 0 along an axis where it has size 1, so the
// same element is reused across that axis without being copied.
//
// To keep kernels simple, the iteration is reduced to an outer loop over
// "rows" and an inner loop over the last run of axes in which every input
// moves with stride 1 (or 0). Adjacent axes are merged whenever both inputs
// (and the output) can walk across them as one longer axis.

extension Tensor {
    /// The shape that `lhs` and `rhs` broadcast to, stopping with a message naming `op` when they cannot.
    public static func broadcastShape(_ lhs: [Int], _ rhs: [Int], op: String = "broadcast") -> [Int] {
        let rank = Swift.max(lhs.count, rhs.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let a = i < rank - lhs.count ? 1 : lhs[i - (rank - lhs.count)]
            let b = i < rank - rhs.count ? 1 : rhs[i - (rank - rhs.count)]
            precondition(a == b || a == 1 || b == 1,
                         "\(op): shapes \(lhs) and \(rhs) cannot be broadcast together (axis \(i) from the left: \(a) vs \(b))")
            result[i] = a == 1 ? b : a
        }
        return result
    }

    /// Strides (in elements) for reading a tensor of `shape` as if it had `target`
    /// shape: 0 on broadcast axes. `shape` must broadcast to `target`.
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = rowMajorStrides(shape)
        let pad = target.count - shape.count
        return (0..<target.count).map { axis in
            axis < pad || shape[axis - pad] == 1 ? 0 : own[axis - pad]
        }
    }

    /// A copy of this tensor expanded to `shape` by broadcasting (like `numpy.broadcast_to`, materialised).
    public func broadcast(to shape: [Int]) -> Tensor {
        let target = Tensor.broadcastShape(self.shape, shape, op: "broadcast(to:)")
        precondition(target == shape, "broadcast(to:): shape \(self.shape) cannot be broadcast to \(shape)")
        if self.shape == shape { return self }
        return Tensor.stridedCopy(self, strides: Tensor.broadcastStrides(self.shape, to: shape), shape: shape)
    }
}

/// An iteration plan over a broadcast output: `outerShape` × `innerCount`,
/// with per-input strides for the outer axes and a stride of 0 or 1 inside.
struct BroadcastPlan {
    var outerShape: [Int]
    var outerStrides: [[Int]]   // per input, per outer axis
    var innerCount: Int
    var innerStrides: [Int]     // per input: 0 or 1

    /// Merges axes of the output `shape` read by inputs with `strides` (one array per input).
    init(shape: [Int], strides inputStrides: [[Int]]) {
        // Drop size-1 axes: they never move any pointer.
        var sizes: [Int] = []
        var strides: [[Int]] = inputStrides.map { _ in [] }
        for axis in shape.indices where shape[axis] != 1 {
            sizes.append(shape[axis])
            for input in inputStrides.indices { strides[input].append(inputStrides[input][axis]) }
        }
        // Merge axis i into i+1 (from the right) when every input walks across both as one axis.
        var mergedSizes: [Int] = []
        var mergedStrides: [[Int]] = inputStrides.map { _ in [] }
        for axis in sizes.indices.reversed() {
            if let innerSize = mergedSizes.first,
               strides.indices.allSatisfy({ strides[$0][axis] == mergedStrides[$0][0] * innerSize }) {
                mergedSizes[0] *= sizes[axis]
            } else {
                mergedSizes.insert(sizes[axis], at: 0)
                for input in strides.indices { mergedStrides[input].insert(strides[input][axis], at: 0) }
            }
        }
        // The innermost merged axis is the inner loop when each input's stride there is 0 or 1.
        if let last = mergedSizes.last, mergedStrides.allSatisfy({ $0.last! <= 1 }) {
            innerCount = last
            innerStrides = mergedStrides.map { $0.last! }
            outerShape = Array(mergedSizes.dropLast())
            outerStrides = mergedStrides.map { Array($0.dropLast()) }
        } else {
            innerCount = 1
            innerStrides = mergedStrides.map { _ in 0 }
            outerShape = mergedSizes
            outerStrides = mergedStrides
        }
    }

    /// Number of inner runs.
    var outerCount: Int { outerShape.reduce(1, *) }

    /// Start offset of each input for inner run number `run` (row-major over `outerShape`).
    @inline(__always)
    func offsets(ofRun run: Int, input: Int) -> Int {
        var remaining = run
        var offset = 0
        var axis = outerShape.count - 1
        while axis >= 0 {
            let size = outerShape[axis]
            offset += (remaining % size) * outerStrides[input][axis]
            remaining /= size
            axis -= 1
        }
        return offset
    }
}
