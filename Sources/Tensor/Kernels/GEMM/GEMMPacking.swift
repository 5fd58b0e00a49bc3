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
    /// Packs op(A)[0..<rows, 0..<depth] (element (i, p) at a + i·rowStride + p·stepStride)
    /// into slivers of MR rows: sliver s at `destination + s·depth·MR`.
    @inline(never)
    static func packA(_ a: UnsafePointer<Float>, rowStride: Int, stepStride: Int, rows: Int, depth: Int,
                      into destination: UnsafeMutablePointer<Float>) {
        // A separate function per operand, so that `lanes` is a constant in the loops below.
        packPanel(source: a, stepStride: stepStride, laneStride: rowStride,
                  depth: depth, width: rows, lanes: tileRows, into: destination)
    }

    /// Packs op(B)[0..<depth, 0..<columns] (element (p, j) at b + p·stepStride + j·columnStride)
    /// into slivers of NR columns: sliver s at `destination + s·depth·NR`.
    @inline(never)
    static func packB(_ b: UnsafePointer<Float>, stepStride: Int, columnStride: Int, columns: Int, depth: Int,
                      into destination: UnsafeMutablePointer<Float>) {
        packPanel(source: b, stepStride: stepStride, laneStride: columnStride,
                  depth: depth, width: columns, lanes: tileColumns, into: destination)
    }

    /// The B̃ layout for kernels outside this file that keep one operand packed across many
    /// products (the recurrent weight of an LSTM): op(B)[0..<depth, 0..<columns], element (p, j)
    /// at b + p·stepStride + j·columnStride, in slivers of `tileColumns` columns, sliver s at
    /// `destination + s·depth·tileColumns`, row p of it at `+ p·tileColumns`, the last zero-padded.
    public static func packColumnSlivers(_ b: UnsafePointer<Float>, stepStride: Int, columnStride: Int,
                                         columns: Int, depth: Int, into destination: UnsafeMutablePointer<Float>) {
        packB(b, stepStride: stepStride, columnStride: columnStride, columns: columns, depth: depth, into: destination)
    }

    /// Columns per sliver of B̃ (NR).
    public static var sliverColumns: Int { tileColumns }

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
    /// l < validLanes, and 0 for validLanes ≤ l < lanes. One of the two strides is 1.
    @inline(__always)
    static func packSliver(source: UnsafePointer<Float>, stepStride: Int, laneStride: Int,
                           depth: Int, validLanes: Int, lanes: Int,
                           into out: UnsafeMutablePointer<Float>) {
        // A full sliver is the common case: passing the constant `lanes` (MR or NR) as the
        // count lets the compiler unroll the lane loops into a few vector moves.
        if laneStride == 1 {
            if validLanes == lanes {
                copySteps(source: source, stepStride: stepStride, depth: depth, count: lanes, lanes: lanes, into: out)
            } else {
                copySteps(source: source, stepStride: stepStride, depth: depth, count: validLanes, lanes: lanes, into: out)
            }
        } else {
            precondition(stepStride == 1, "SIMDGEMM.packSliver: one of the strides must be 1")
            if validLanes == lanes {
                transposeSteps(source: source, laneStride: laneStride, depth: depth, count: lanes, lanes: lanes, into: out)
            } else {
                transposeSteps(source: source, laneStride: laneStride, depth: depth, count: validLanes, lanes: lanes, into: out)
            }
        }
        if validLanes < lanes {
            for p in 0..<depth { (out + p * lanes + validLanes).update(repeating: 0, count: lanes - validLanes) }
        }
    }

    /// The lanes of one step are consecutive in the source: copy `count` Floats per step,
    /// 16 or 4 at a time. (A plain element loop is not vectorised here: the compiler cannot
    /// prove that source and destination do not overlap.)
    @inline(__always)
    static func copySteps(source: UnsafePointer<Float>, stepStride: Int, depth: Int, count: Int, lanes: Int,
                          into out: UnsafeMutablePointer<Float>) {
        for p in 0..<depth {
            let from = UnsafeRawPointer(source + p * stepStride), to = UnsafeMutableRawPointer(out + p * lanes)
            var l = 0
            while l + 16 <= count {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: 4 * l, as: SIMD16<Float>.self),
                              toByteOffset: 4 * l, as: SIMD16<Float>.self)
                l += 16
            }
            while l + 4 <= count {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: 4 * l, as: SIMD4<Float>.self),
                              toByteOffset: 4 * l, as: SIMD4<Float>.self)
                l += 4
            }
            while l < count {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: 4 * l, as: Float.self),
                              toByteOffset: 4 * l, as: Float.self)
                l += 1
            }
        }
    }

    /// The steps of one lane are consecutive in the source (a transpose): read 16 steps of
    /// a lane as one vector and write them down the sliver, `lanes` apart. Reading whole
    /// cache lines matters when the lanes are a power-of-two distance apart (lda = 1024, say):
    /// their lines then share one L1 set, and a step-by-step walk would evict them before
    /// their next Float is read.
    @inline(__always)
    static func transposeSteps(source: UnsafePointer<Float>, laneStride: Int, depth: Int, count: Int, lanes: Int,
                               into out: UnsafeMutablePointer<Float>) {
        var p0 = 0
        while p0 + 16 <= depth {
            for l in 0..<count {
                let steps = UnsafeRawPointer(source + l * laneStride + p0).loadUnaligned(as: SIMD16<Float>.self)
                let to = out + p0 * lanes + l
                for q in 0..<16 { to[q * lanes] = steps[q] }
            }
            p0 += 16
        }
        for p in p0..<depth {
            for l in 0..<count { out[p * lanes + l] = source[l * laneStride + p] }
        }
    }
}
