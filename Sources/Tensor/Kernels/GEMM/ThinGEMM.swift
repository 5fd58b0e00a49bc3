// ThinGEMM: C = A·op(B) when A has only a few rows (m ≤ 4): the matrix-vector
// products of decoding one token at a time.
//
// The packed algorithm (SIMDGEMM.swift) copies every KC×NC panel of B into its
// own layout first. That copy costs k·n moves per call and pays for itself
// over m rows; with m = 1 it costs as much as the product. Here B is read
// where it lies, once per row of A:
//   op(B) = Bᵀ, B stored n×k (a Linear's weight):  C_ij = a_i · b_j, a dot
//          product of two contiguous rows; four columns j at a time share
//          each load of a_i, four SIMD16 sums kept in registers;
//   op(B) = B, stored k×n:                        c_i = Σ_p a_ip b_p, rows of
//          B scaled and added into c_i, 16 columns at a time.
// Operands in any other layout (A transposed, or strided B) go the packed way.

enum ThinGEMM {
    /// The most rows of A this path takes.
    static let maximumRows = 4

    /// C (+)= A·op(B) for m ≤ maximumRows rows with A's rows contiguous (aStep = 1), when op(B) is
    /// Bᵀ with contiguous rows (bStep = 1) or B with contiguous rows (bColumn = 1). Returns false
    /// (doing nothing) for any other layout.
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                         b: UnsafePointer<Float>, bStep: Int, bColumn: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) -> Bool {
        guard m <= maximumRows, aStep == 1 else { return false }
        if bStep == 1 {
            for i in 0..<m { dotRows(a + i * aRow, b, rowStride: bColumn, rows: n, depth: k, into: c + i * ldc, accumulate: accumulate) }
            return true
        }
        if bColumn == 1 {
            for i in 0..<m { addScaledRows(a + i * aRow, b, rowStride: bStep, rows: k, width: n, into: c + i * ldc, accumulate: accumulate) }
            return true
        }
        return false
    }

    /// out_j (+)= x · row_j for `rows` rows of `depth` numbers, `rowStride` apart.
    static func dotRows(_ x: UnsafePointer<Float>, _ matrix: UnsafePointer<Float>, rowStride: Int, rows: Int, depth: Int,
                        into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let vectorDepth = depth & ~15
        var j = 0
        while j + 4 <= rows {
            let r0 = matrix + j * rowStride, r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride
            var s0 = SIMD16<Float>(), s1 = s0, s2 = s0, s3 = s0
            var p = 0
            while p < vectorDepth {
                let xv = loadVector(x + p)
                s0 = s0.addingProduct(xv, loadVector(r0 + p))
                s1 = s1.addingProduct(xv, loadVector(r1 + p))
                s2 = s2.addingProduct(xv, loadVector(r2 + p))
                s3 = s3.addingProduct(xv, loadVector(r3 + p))
                p += 16
            }
            var d0 = s0.sum(), d1 = s1.sum(), d2 = s2.sum(), d3 = s3.sum()
            while p < depth {
                d0 += x[p] * r0[p]; d1 += x[p] * r1[p]; d2 += x[p] * r2[p]; d3 += x[p] * r3[p]
                p += 1
            }
            if accumulate { d0 += out[j]; d1 += out[j + 1]; d2 += out[j + 2]; d3 += out[j + 3] }
            out[j] = d0; out[j + 1] = d1; out[j + 2] = d2; out[j + 3] = d3
            j += 4
        }
        while j < rows {
            let r = matrix + j * rowStride
            var s = SIMD16<Float>()
            var p = 0
            while p < vectorDepth { s = s.addingProduct(loadVector(x + p), loadVector(r + p)); p += 16 }
            var d = s.sum()
            while p < depth { d += x[p] * r[p]; p += 1 }
            out[j] = accumulate ? out[j] + d : d
            j += 1
        }
    }

    /// out (+)= Σ_p x_p · row_p for `rows` rows of `width` numbers, `rowStride` apart.
    static func addScaledRows(_ x: UnsafePointer<Float>, _ matrix: UnsafePointer<Float>, rowStride: Int, rows: Int, width: Int,
                              into out: UnsafeMutablePointer<Float>, accumulate: Bool) {
        if !accumulate { out.update(repeating: 0, count: width) }
        let vectorWidth = width & ~15
        for p in 0..<rows {
            let row = matrix + p * rowStride, scale = SIMD16<Float>(repeating: x[p])
            var j = 0
            while j < vectorWidth { storeVector(loadVector(out + j).addingProduct(scale, loadVector(row + j)), out + j); j += 16 }
            while j < width { out[j] += x[p] * row[j]; j += 1 }
        }
    }
}
