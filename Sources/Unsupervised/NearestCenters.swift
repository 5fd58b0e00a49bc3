// NearestCenters: which centre is nearest to each row, the hot loop of k-means.
//
// For a row x and centres c₀ … c_{k−1}
//     ‖x − cⱼ‖² = ‖x‖² − 2·x·cⱼ + ‖cⱼ‖²,   so   argminⱼ ‖x − cⱼ‖² = argminⱼ (‖cⱼ‖² − 2·x·cⱼ)
// (‖x‖² is the same for every j). The work is the dot products x·cⱼ, the
// matrix product X·Cᵀ of PairwiseDistances, but here it is fused with the
// argmin so that the [n, k] table is never written to memory:
//   - the centres are packed once into panels of 16: panel g is Cᵀ restricted
//     to centres 16g … 16g+15, laid out [d, 16] (zero columns pad the last
//     panel, and their ‖c‖² is +∞ so that a padding lane never wins);
//   - for four rows at a time,  acc_r += x_r[t] · panel[t]  for t = 0 … d−1:
//     one SIMD16 FMA per row and feature gives sixteen dot products in one
//     register (a 4 × 16 GEMM micro-tile); four rows keep four independent
//     FMA chains in flight, which hides the FMA latency;
//   - partial_r = ‖c‖² − 2·acc_r, and its smallest lane (the first on ties)
//     is the nearest centre of that panel.
// A row's squared distance to its nearest centre is ‖x‖² + partial, clamped
// at 0 because the expansion subtracts nearly equal numbers when x ≈ c.
import Tensor

/// Centres packed for the nearest-centre kernel: Cᵀ cut into [d, 16] panels, and ‖cⱼ‖².
struct CenterPanels {
    /// Number of real centres k.
    let count: Int
    /// Features per centre d.
    let dimensions: Int
    /// Panels of 16 centres, ⌈k / 16⌉.
    let groups: Int
    /// [groups, d, 16]: panel g, feature t, lane l holds c_{16g+l}[t] (0 past the last centre).
    private var packed: [Float]
    /// [groups · 16]: ‖c_{16g+l}‖², +∞ past the last centre.
    private var norms: [Float]

    /// Packs `count` centres of `dimensions` features stored row after row at `centers`.
    init(centers: UnsafePointer<Float>, count: Int, dimensions: Int) {
        precondition(count >= 1, "CenterPanels: needs at least one centre")
        self.count = count
        self.dimensions = dimensions
        groups = (count + 15) / 16
        packed = [Float](repeating: 0, count: groups * dimensions * 16)
        norms = [Float](repeating: .infinity, count: groups * 16)
        for j in 0..<count {
            let (group, lane) = (j / 16, j % 16)
            var norm: Float = 0
            for t in 0..<dimensions {
                let value = centers[j * dimensions + t]
                packed[(group * dimensions + t) * 16 + lane] = value
                norm += value * value
            }
            norms[j] = norm
        }
    }

    /// Packs the rows of C [k, d].
    init(_ centers: Tensor) {
        precondition(centers.rank == 2, "CenterPanels: centres must be [k, d], got \(centers.shape)")
        self = centers.withUnsafeBufferPointer {
            CenterPanels(centers: $0.baseAddress!, count: centers.shape[0], dimensions: centers.shape[1])
        }
    }

    /// Runs `body` with the kernel over these panels (valid only inside `body`).
    func withKernel<R>(_ body: (NearestCenterKernel) throws -> R) rethrows -> R {
        try packed.withUnsafeBufferPointer { packed in
            try norms.withUnsafeBufferPointer { norms in
                try body(NearestCenterKernel(packed: packed.baseAddress!, norms: norms.baseAddress!,
                                             count: count, groups: groups, dimensions: dimensions))
            }
        }
    }
}

/// The raw-pointer view of `CenterPanels` that the parallel loops share (read-only).
struct NearestCenterKernel: @unchecked Sendable {
    let packed: UnsafePointer<Float>
    let norms: UnsafePointer<Float>
    let count: Int
    let groups: Int
    let dimensions: Int

    /// ‖c‖² − 2·x·c for the 16 centres of panel `group`, for four rows at once.
    @inline(__always)
    func partials(_ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>,
                  _ x2: UnsafePointer<Float>, _ x3: UnsafePointer<Float>,
                  group: Int) -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let d = dimensions
        var panel = UnsafeRawPointer(packed + group * d * 16)
        var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
        for t in 0..<d {                                     // acc_r += x_r[t] · Cᵀ[t, panel]
            let column = panel.load(as: SIMD16<Float>.self)
            a0 = a0.addingProduct(SIMD16(repeating: x0[t]), column)
            a1 = a1.addingProduct(SIMD16(repeating: x1[t]), column)
            a2 = a2.addingProduct(SIMD16(repeating: x2[t]), column)
            a3 = a3.addingProduct(SIMD16(repeating: x3[t]), column)
            panel += 16 * MemoryLayout<Float>.stride
        }
        let centreNorms = UnsafeRawPointer(norms + group * 16).load(as: SIMD16<Float>.self)
        let minusTwo = SIMD16<Float>(repeating: -2)
        return (centreNorms.addingProduct(minusTwo, a0), centreNorms.addingProduct(minusTwo, a1),
                centreNorms.addingProduct(minusTwo, a2), centreNorms.addingProduct(minusTwo, a3))
    }

    /// ‖c‖² − 2·x·c for the 16 centres of panel `group`, for one row.
    @inline(__always)
    func partial(_ x: UnsafePointer<Float>, group: Int) -> SIMD16<Float> {
        let d = dimensions
        var panel = UnsafeRawPointer(packed + group * d * 16)
        var (even, odd) = (SIMD16<Float>(), SIMD16<Float>())  // two chains over alternate features
        var t = 0
        while t + 2 <= d {
            even = even.addingProduct(SIMD16(repeating: x[t]), panel.load(as: SIMD16<Float>.self))
            odd = odd.addingProduct(SIMD16(repeating: x[t + 1]),
                                    panel.load(fromByteOffset: 16 * MemoryLayout<Float>.stride, as: SIMD16<Float>.self))
            panel += 32 * MemoryLayout<Float>.stride
            t += 2
        }
        if t < d { even = even.addingProduct(SIMD16(repeating: x[t]), panel.load(as: SIMD16<Float>.self)) }
        let centreNorms = UnsafeRawPointer(norms + group * 16).load(as: SIMD16<Float>.self)
        return centreNorms.addingProduct(SIMD16(repeating: -2), even + odd)
    }

    /// The smallest lane of v and its index (the first such lane on ties).
    ///
    /// Both reductions are trees of lane-wise selects over halves (16 → 8 → 4 → 2 → 1),
    /// which stay in vector registers; the standard library's `min()` and `pointwiseMin` go lane by lane.
    @inline(__always)
    static func smallestLane(_ v: SIMD16<Float>) -> (lane: Int, value: Float) {
        let v8 = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .< v.lowHalf)
        let v4 = v8.lowHalf.replacing(with: v8.highHalf, where: v8.highHalf .< v8.lowHalf)
        let v2 = v4.lowHalf.replacing(with: v4.highHalf, where: v4.highHalf .< v4.lowHalf)
        let smallest = v2[1] < v2[0] ? v2[1] : v2[0]
        // Lanes holding the minimum keep their index, the others are pushed past 15; the smallest is the first.
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        // (`.>` rather than `.!=`: every lane is ≥ the minimum, and `.>` compiles to one vector compare.)
        let i16 = lanes.replacing(with: lanes &+ 16, where: v .> SIMD16(repeating: smallest))
        let i8 = i16.lowHalf.replacing(with: i16.highHalf, where: i16.highHalf .< i16.lowHalf)
        let i4 = i8.lowHalf.replacing(with: i8.highHalf, where: i8.highHalf .< i8.lowHalf)
        let i2 = i4.lowHalf.replacing(with: i4.highHalf, where: i4.highHalf .< i4.lowHalf)
        let first = Swift.min(i2[0], i2[1])
        return (first < 16 ? Int(first) : 0, smallest)
    }

    /// For each row i in `rows` of X (row-major, `dimensions` features) calls
    /// `visit(i, j, ‖xᵢ − cⱼ‖²)` with j the nearest centre; `rowNorms[i]` = ‖xᵢ‖².
    @inline(__always)
    func nearest(rows: Range<Int>, x: UnsafePointer<Float>, rowNorms: UnsafePointer<Float>,
                 _ visit: (_ row: Int, _ centre: Int, _ squaredDistance: Float) -> Void) {
        let d = dimensions
        var i = rows.lowerBound
        while i + 4 <= rows.upperBound {
            let row = x + i * d
            var (best0, best1, best2, best3) = (Float.infinity, Float.infinity, Float.infinity, Float.infinity)
            var (index0, index1, index2, index3) = (0, 0, 0, 0)
            for group in 0..<groups {
                let (p0, p1, p2, p3) = partials(row, row + d, row + 2 * d, row + 3 * d, group: group)
                let (l0, v0) = Self.smallestLane(p0), (l1, v1) = Self.smallestLane(p1)
                let (l2, v2) = Self.smallestLane(p2), (l3, v3) = Self.smallestLane(p3)
                if v0 < best0 { best0 = v0; index0 = group * 16 + l0 }
                if v1 < best1 { best1 = v1; index1 = group * 16 + l1 }
                if v2 < best2 { best2 = v2; index2 = group * 16 + l2 }
                if v3 < best3 { best3 = v3; index3 = group * 16 + l3 }
            }
            visit(i, index0, Swift.max(rowNorms[i] + best0, 0))
            visit(i + 1, index1, Swift.max(rowNorms[i + 1] + best1, 0))
            visit(i + 2, index2, Swift.max(rowNorms[i + 2] + best2, 0))
            visit(i + 3, index3, Swift.max(rowNorms[i + 3] + best3, 0))
            i += 4
        }
        while i < rows.upperBound {
            var (best, index): (Float, Int) = (.infinity, 0)
            for group in 0..<groups {
                let (lane, value) = Self.smallestLane(partial(x + i * d, group: group))
                if value < best { best = value; index = group * 16 + lane }
            }
            visit(i, index, Swift.max(rowNorms[i] + best, 0))
            i += 1
        }
    }
}

/// The nearest centre of every row, and its squared distance, for predict, inertia and the seeding.
enum NearestCenters {
    /// Labels [n] and squared distances [n] of X [n, d] to the nearest of the packed centres, in parallel.
    static func assign(_ x: Tensor, rowNorms: [Float], panels: CenterPanels) -> (labels: [Int], distances: [Float]) {
        precondition(x.rank == 2 && x.shape[1] == panels.dimensions,
                     "NearestCenters.assign: X \(x.shape) must have \(panels.dimensions) columns like the centres")
        let n = x.shape[0]
        var labels = [Int](repeating: 0, count: n)
        var distances = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            rowNorms.withUnsafeBufferPointer { rowNorms in
                labels.withUnsafeMutableBufferPointer { labelBuffer in
                    distances.withUnsafeMutableBufferPointer { distanceBuffer in
                        let (labelsOut, distancesOut) = (ParallelWritePointer(labelBuffer.baseAddress!),
                                                         ParallelWritePointer(distanceBuffer.baseAddress!))
                        panels.withKernel { kernel in
                            Parallel.forRanges(n, minimumPerThread: 2_048) { rows in
                                kernel.nearest(rows: rows, x: xs.baseAddress!, rowNorms: rowNorms.baseAddress!) { i, j, distance in
                                    labelsOut.pointer[i] = j
                                    distancesOut.pointer[i] = distance
                                }
                            }
                        }
                    }
                }
            }
        }
        return (labels, distances)
    }
}
