// NarrowGEMM: C = op(A)·op(B) when C has only a few columns (n ≤ 16) or only
// a few rows (m ≤ 8): the products of a LoRA adapter's rank-r path, r = 8:
//   x·Aᵀ (N×r),  ∂L/∂B = gᵀ·(x·Aᵀ) (w×r),  ∂L/∂(xAᵀ) = g·B (N×r),  ∂L/∂A (r×in).
//
// The packed algorithm (SIMDGEMM.swift) pads C to whole 12×32 tiles and packs
// every row of op(A) first. With n = 8 three quarters of each tile are padding,
// and packing A costs about as much as the product: 768×128 times 128×8 ran at
// 19 GFLOP/s. Here each row of C is one vector register, built as
//   c_i = Σ_p op(A)[i, p] · op(B)[p, :]
// op(B) is copied, KC rows at a time and zero-padded to the vector's width,
// into a small buffer that stays in L1; op(A) is read where it lies, one number
// at a time, broadcast against each row of op(B). Eight rows of C are built
// together, so each row of op(B) loaded serves eight fused multiply-adds and the
// eight sums are independent chains (an FMA's result is ready 4 cycles later,
// and two can start per cycle). Any layout of A and B works.
// The vector is 8 wide for n ≤ 8: on Zen 4 a 16-wide FMA is issued as two
// 8-wide halves, so padding 8 columns to 16 would halve the speed.
//
// A product with few rows is the same problem turned over: Cᵀ = op(B)ᵀ·op(A)ᵀ
// has few columns. It is computed that way and written into C transposed.

enum NarrowGEMM {
    /// The most columns of C (or, turned over, rows) this path takes.
    static let maximumColumns = 16
    static let maximumRows = 8

    /// C (+)= op(A)·op(B) when n ≤ 16 or m ≤ 8, k ≥ 1; the sum is cut into pieces of `depth` (KC)
    /// steps so that the copy of op(B) stays small. Returns false (doing nothing) for other shapes.
    /// op(A)[i, p] = a[i·aRow + p·aStep] and op(B)[p, j] = b[p·bStep + j·bColumn].
    static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                         b: UnsafePointer<Float>, bStep: Int, bColumn: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, depth: Int) -> Bool {
        guard m > 0, n > 0, k > 0, depth > 0 else { return false }
        let layout: Layout
        if n <= maximumColumns {
            layout = Layout(rows: m, columns: n, a: a, aRow: aRow, aStep: aStep, b: b, bStep: bStep, bColumn: bColumn,
                            c: c, cRow: ldc, cColumn: 1)
        } else if m <= maximumRows {
            // Cᵀ = op(B)ᵀ·op(A)ᵀ: its rows are C's columns, read and written with the strides swapped.
            layout = Layout(rows: n, columns: m, a: b, aRow: bColumn, aStep: bStep, b: a, bStep: aStep, bColumn: aRow,
                            c: c, cRow: 1, cColumn: ldc)
        } else {
            return false
        }
        if layout.columns <= 8 {
            multiply(layout, k: k, accumulate: accumulate, depth: depth, vector: SIMD8<Float>.self)
        } else {
            multiply(layout, k: k, accumulate: accumulate, depth: depth, vector: SIMD16<Float>.self)
        }
        return true
    }

    /// Where the operands and C lie: op(A)[i, p] = a[i·aRow + p·aStep], op(B)[p, j] = b[p·bStep + j·bColumn],
    /// C[i, j] = c[i·cRow + j·cColumn]; C is rows × columns.
    struct Layout {
        var rows: Int, columns: Int
        var a: UnsafePointer<Float>, aRow: Int, aStep: Int
        var b: UnsafePointer<Float>, bStep: Int, bColumn: Int
        var c: UnsafeMutablePointer<Float>, cRow: Int, cColumn: Int
    }

    /// The product with one `Vector` per row of C (columns ≤ its width).
    @inline(__always)
    static func multiply<Vector: SIMD>(_ l: Layout, k: Int, accumulate: Bool, depth: Int, vector: Vector.Type)
    where Vector.Scalar == Float {
        let pieceDepth = min(depth, k)
        withUnsafeTemporaryAllocation(of: Vector.self, capacity: pieceDepth) { buffer in
            let rowsOfB = buffer.baseAddress!
            for start in stride(from: 0, to: k, by: pieceDepth) {
                let steps = min(pieceDepth, k - start)
                // op(B)[start + p, :] → rowsOfB[p], zero beyond the last column.
                for p in 0..<steps {
                    var row = Vector()
                    let source = l.b + (start + p) * l.bStep
                    for j in 0..<l.columns { row[j] = source[j * l.bColumn] }
                    rowsOfB[p] = row
                }
                let adding = accumulate || start > 0
                let aPiece = l.a + start * l.aStep
                var i = 0
                while i + 8 <= l.rows {
                    addEightRows(aPiece + i * l.aRow, aRow: l.aRow, aStep: l.aStep, rowsOfB, steps: steps,
                                 into: l.c + i * l.cRow, l, adding: adding)
                    i += 8
                }
                while i < l.rows {
                    var sum = Vector()
                    let rowOfA = aPiece + i * l.aRow
                    for p in 0..<steps { sum = sum.addingProduct(Vector(repeating: rowOfA[p * l.aStep]), rowsOfB[p]) }
                    write(sum, to: l.c + i * l.cRow, l, adding: adding)
                    i += 1
                }
            }
        }
    }

    /// Eight rows of C from `steps` steps of the sum, in eight independent accumulators.
    @inline(__always)
    static func addEightRows<Vector: SIMD>(_ a: UnsafePointer<Float>, aRow: Int, aStep: Int,
                                           _ rowsOfB: UnsafePointer<Vector>, steps: Int,
                                           into c: UnsafeMutablePointer<Float>, _ l: Layout, adding: Bool)
    where Vector.Scalar == Float {
        var s0 = Vector(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
        var element = a
        for p in 0..<steps {
            let rowOfB = rowsOfB[p]
            s0 = s0.addingProduct(Vector(repeating: element[0]), rowOfB)
            s1 = s1.addingProduct(Vector(repeating: element[aRow]), rowOfB)
            s2 = s2.addingProduct(Vector(repeating: element[2 * aRow]), rowOfB)
            s3 = s3.addingProduct(Vector(repeating: element[3 * aRow]), rowOfB)
            s4 = s4.addingProduct(Vector(repeating: element[4 * aRow]), rowOfB)
            s5 = s5.addingProduct(Vector(repeating: element[5 * aRow]), rowOfB)
            s6 = s6.addingProduct(Vector(repeating: element[6 * aRow]), rowOfB)
            s7 = s7.addingProduct(Vector(repeating: element[7 * aRow]), rowOfB)
            element += aStep
        }
        write(s0, to: c, l, adding: adding)
        write(s1, to: c + l.cRow, l, adding: adding)
        write(s2, to: c + 2 * l.cRow, l, adding: adding)
        write(s3, to: c + 3 * l.cRow, l, adding: adding)
        write(s4, to: c + 4 * l.cRow, l, adding: adding)
        write(s5, to: c + 5 * l.cRow, l, adding: adding)
        write(s6, to: c + 6 * l.cRow, l, adding: adding)
        write(s7, to: c + 7 * l.cRow, l, adding: adding)
    }

    /// The first `l.columns` lanes of `sum` into one row of C (added to it when `adding`).
    @inline(__always)
    static func write<Vector: SIMD>(_ sum: Vector, to row: UnsafeMutablePointer<Float>, _ l: Layout, adding: Bool)
    where Vector.Scalar == Float {
        for j in 0..<l.columns {
            let target = row + j * l.cColumn
            target.pointee = adding ? target.pointee + sum[j] : sum[j]
        }
    }
}
