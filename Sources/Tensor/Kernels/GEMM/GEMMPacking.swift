// GEMMPacking: copying blocks of A and B into the order the micro-kernel reads.
//
//   Ã[p, i] = op(A)[i0 + i, p0 + p]   sliver of MR rows,    stored p-major: Ã + p·MR + i
//   B̃[p, j] = op(B)[p0 + p, j0 + j]   sliver of NR columns, stored p-major: B̃ + p·NR + j
//
// The micro-kernel steps p = 0, 1, 2, … and at each step wants the MR Floats of
// a column of A and the NR Floats of a row of B. In the caller's matrices those
// Floats are spread out (a column of row-major A is lda apart) and a transposed
// operand is laid out the other way round. Packing copies each block once into
// consecutive memory, so the inner loop reads both operands with unit stride,
// from 64-byte aligned buffers, whatever the layout and leading dimension were.
// The copy costs O(mk + kn) against the O(mnk) multiply-adds that reuse it.
//
// A row sliver of op(A) and a column sliver of op(B) are the same thing seen
// from the kernel: `depth` steps of `lanes` Floats. Element (step p, lane l)
// of the source sits at `source + p·stepStride + l·laneStride`:
//
//   op(A) sliver, A stored m×k:  stepStride = 1,   laneStride = lda
//   op(A) sliver, A stored k×m:  stepStride = lda, laneStride = 1
//   op(B) sliver, B stored k×n:  stepStride = ldb, laneStride = 1
//   op(B) sliver, B stored n×k:  stepStride = 1,   laneStride = ldb
//
// so one function packs all four cases. Lanes past the matrix edge (the last
// sliver of a block whose size is not a multiple of MR or NR) are filled with
// zeros: the kernel then always computes a full tile, and the extra rows or
// columns of the result, which are zero, are simply not copied out.

extension SIMDGEMM {
    /// Packs a panel of consecutive slivers: `width` lanes (rows of op(A) or columns of
    /// op(B)) cut into slivers of `lanes` lanes, each sliver `depth` steps deep.
    /// Sliver s goes to `destination + s·depth·lanes`; the last one is zero-padded.
    @inline(__always)
    static func packPanel(source: UnsafePointer<Float>, stepStride: Int, laneStride: Int,
                          depth: Int, width: Int, lanes: Int,
                          into destination: UnsafeMutablePointer<Float>) {
        var lane0 = 0
        var out = destination
        while lane0 < width {
            packSliver(source: source + lane0 * laneStride, stepStride: stepStride, laneStride: laneStride,
                       depth: depth, validLanes: min(lanes, width - lane0), lanes: lanes, into: out)
            lane0 += lanes
            out += depth * lanes
        }
    }

    /// Packs one sliver: out[p·lanes + l] = source[p·stepStride + l·laneStride] for
    /// l < validLanes, and 0 for validLanes ≤ l < lanes.
    @inline(__always)
    static func packSliver(source: UnsafePointer<Float>, stepStride: Int, laneStride: Int,
                           depth: Int, validLanes: Int, lanes: Int,
                           into out: UnsafeMutablePointer<Float>) {
        // Step by step, so that the writes are consecutive. When the sliver is full, the
        // lane loop has a constant trip count (MR or NR) and the compiler unrolls it.
        if validLanes == lanes {
            if laneStride == 1 {
                for p in 0..<depth { copyStep(source + p * stepStride, 1, count: lanes, to: out + p * lanes) }
            } else {
                for p in 0..<depth { copyStep(source + p * stepStride, laneStride, count: lanes, to: out + p * lanes) }
            }
        } else {
            for p in 0..<depth {
                let to = out + p * lanes
                copyStep(source + p * stepStride, laneStride, count: validLanes, to: to)
                for l in validLanes..<lanes { to[l] = 0 }
            }
        }
    }

    /// to[l] = from[l·stride] for l < count.
    @inline(__always)
    static func copyStep(_ from: UnsafePointer<Float>, _ stride: Int, count: Int, to: UnsafeMutablePointer<Float>) {
        var from = from
        for l in 0..<count {
            to[l] = from.pointee
            from += stride
        }
    }
}
