// Tests for LinearAlgebra: every factorisation is checked by multiplying its
// pieces back together in Double (a naive triple loop, independent of the
// Tensor matmul and of BLAS) and comparing with the input, plus hand-computed
// examples and the error cases.

import Foundation
import Testing
@testable import Tensor

// MARK: - A plain Double matrix for checking results

/// A row-major matrix of Doubles with the few naive operations the checks need.
private struct Matrix {
    var rows: Int
    var columns: Int
    var values: [Double]

    init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A rank-2 tensor, or a vector [n] read as an n×1 column.
    init(_ t: Tensor) {
        precondition(t.rank == 1 || t.rank == 2)
        self.init(rows: t.shape[0], columns: t.rank == 1 ? 1 : t.shape[1], values: t.scalars.map(Double.init))
    }

    static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n, values: Array(repeating: 0, count: n * n))
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// A diagonal rows×columns matrix with `diagonal` on its main diagonal.
    static func diagonal(_ diagonal: [Double], rows: Int, columns: Int) -> Matrix {
        var m = Matrix(rows: rows, columns: columns, values: Array(repeating: 0, count: rows * columns))
        for (i, d) in diagonal.enumerated() { m[i, i] = d }
        return m
    }

    subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows, values: values)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    var frobeniusNorm: Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "test matmul: \(a.rows)×\(a.columns) · \(b.rows)×\(b.columns)")
        var c = Matrix(rows: a.rows, columns: b.columns, values: Array(repeating: 0, count: a.rows * b.columns))
        for i in 0..<a.rows {
            for p in 0..<a.columns {
                let aip = a[i, p]
                for j in 0..<b.columns { c[i, j] += aip * b[p, j] }
            }
        }
        return c
    }

    static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        return Matrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map { $0 - $1 })
    }

    static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns)
        return Matrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map { $0 + $1 })
    }
}

/// ‖A − B‖_F / ‖B‖_F.
private func relativeError(_ a: Matrix, _ b: Matrix) -> Double {
    (a - b).frobeniusNorm / b.frobeniusNorm
}

/// ‖QᵀQ − I‖_F / √k for an m×k matrix Q: 0 when its columns are orthonormal.
private func orthonormalityError(_ q: Matrix) -> Double {
    (q.transposed * q - .identity(q.columns)).frobeniusNorm / Double(q.columns).squareRoot()
}

/// A symmetric positive definite n×n matrix: XᵀX + n·I for a seeded normal X.
private func spdMatrix(_ n: Int, seed: UInt64) -> Tensor {
    let x = Matrix(Tensor.normal([n, n], seed: seed))
    let a = x.transposed * x + Matrix.diagonal(Array(repeating: Double(n), count: n), rows: n, columns: n)
    return Tensor(shape: [n, n], scalars: a.values.map(Float.init))
}

/// A symmetric n×n matrix: (X + Xᵀ)/2 for a seeded normal X.
private func symmetricMatrix(_ n: Int, seed: UInt64) -> Tensor {
    let x = Matrix(Tensor.normal([n, n], seed: seed))
    let s = x + x.transposed
    return Tensor(shape: [n, n], scalars: s.values.map { Float($0 / 2) })
}

/// log|det A| and sign by Gaussian elimination with partial pivoting in Double (the reference).
private func referenceLogDeterminant(_ a: Matrix) -> (sign: Double, logAbs: Double) {
    var m = a
    let n = m.rows
    var sign = 1.0
    var logAbs = 0.0
    for j in 0..<n {
        let p = (j..<n).max { Swift.abs(m[$0, j]) < Swift.abs(m[$1, j]) }!
        if m[p, j] == 0 { return (0, -.infinity) }
        if p != j {
            for c in 0..<n { let t = m[j, c]; m[j, c] = m[p, c]; m[p, c] = t }
            sign = -sign
        }
        for i in (j + 1)..<n {
            let factor = m[i, j] / m[j, j]
            for c in j..<n { m[i, c] -= factor * m[j, c] }
        }
        if m[j, j] < 0 { sign = -sign }
        logAbs += Foundation.log(Swift.abs(m[j, j]))
    }
    return (sign, logAbs)
}

private let squareSizes = [1, 5, 64]
private let rectangularShapes = [(1, 1), (5, 5), (64, 64), (50, 20), (20, 50)]

// MARK: - Tests

@Suite("LinearAlgebra")
struct LinearAlgebraTests {

    // MARK: solve

    @Test("solve: A·x = b for vector and matrix right-hand sides", arguments: squareSizes)
    func solveResidual(n: Int) throws {
        let a = Tensor.normal([n, n], seed: 11 + UInt64(n))
        let aCopy = a
        for b in [Tensor.normal([n], seed: 12), Tensor.normal([n, 3], seed: 13)] {
            let x = try LinearAlgebra.solve(a, b)
            #expect(x.shape == b.shape)
            // Backward error ‖A·x − b‖ / (‖A‖·‖x‖): ~ machine epsilon for a stable solver, whatever
            // the condition number of the random A.
            let residual = (Matrix(a) * Matrix(x) - Matrix(b)).frobeniusNorm
            #expect(residual / (Matrix(a).frobeniusNorm * Matrix(x).frobeniusNorm) < 1e-6)
        }
        #expect(a == aCopy)   // the caller's matrix is untouched
    }

    @Test("solve: a hand-computed 2×2 system")
    func solveByHand() throws {
        // 2x + y = 5, x + 3y = 10  →  x = 1, y = 3.
        let x = try LinearAlgebra.solve(Tensor([[2, 1], [1, 3]]), Tensor([5, 10]))
        #expect(Swift.abs(x[0] - 1) < 1e-6 && Swift.abs(x[1] - 3) < 1e-6)
    }

    @Test("solve and inverse throw .singular on a singular matrix")
    func singularThrows() {
        // Row 2 = 2 × row 1: elimination leaves an exact zero at U[1, 1].
        let a = Tensor([[1, 2], [2, 4]])
        let solveError = #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.solve(a, Tensor([1, 2])) }
        #expect(solveError == .singular(operation: "solve", pivot: 1))
        let inverseError = #expect(throws: LinearAlgebraError.self) { try a.inverse() }
        #expect(inverseError == .singular(operation: "inverse", pivot: 1))
        // A zero column is caught at its own pivot.
        let zeroColumn = Tensor([[1, 0, 2], [3, 0, 4], [5, 0, 7]])
        let error = #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.inverse(zeroColumn) }
        #expect(error == .singular(operation: "inverse", pivot: 1))
    }

    @Test("solve: NaN in A is reported as an invalid argument, not a crash")
    func solveNaN() {
        let a = Tensor([[1, .nan], [0, 1]])
        let error = #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.solve(a, Tensor([1, 1])) }
        guard case .invalidArgument(let operation, _, _) = error else {
            Issue.record("expected .invalidArgument, got \(String(describing: error))")
            return
        }
        #expect(operation == "solve")
    }

    // MARK: inverse

    @Test("inverse: A·A⁻¹ = I and A⁻¹·A = I", arguments: squareSizes)
    func inverseIsInverse(n: Int) throws {
        let a = Tensor.normal([n, n], seed: 21 + UInt64(n))
        let aCopy = a
        let inverse = try a.inverse()
        #expect(inverse.shape == [n, n])
        let am = Matrix(a), im = Matrix(inverse)
        // Scaled by ‖A‖·‖A⁻¹‖ (≥ √n·cond): the error a backward-stable inverse can promise.
        let scale = am.frobeniusNorm * im.frobeniusNorm
        #expect((am * im - .identity(n)).frobeniusNorm / scale < 1e-6)
        #expect((im * am - .identity(n)).frobeniusNorm / scale < 1e-6)
        #expect(a == aCopy)
    }

    @Test("inverse: well-conditioned SPD matrices within 1e-4", arguments: squareSizes)
    func inverseOfSPD(n: Int) throws {
        let a = spdMatrix(n, seed: 25)
        let product = Matrix(a) * Matrix(try LinearAlgebra.inverse(a))
        #expect(relativeError(product, .identity(n)) < 1e-4)
    }

    @Test("inverse: a hand-computed 2×2 inverse")
    func inverseByHand() throws {
        // [[4, 7], [2, 6]]⁻¹ = [[6, −7], [−2, 4]] / 10.
        let inverse = try Tensor([[4, 7], [2, 6]]).inverse()
        let expected: [Float] = [0.6, -0.7, -0.2, 0.4]
        for (got, want) in zip(inverse.scalars, expected) { #expect(Swift.abs(got - want) < 1e-6) }
    }

    // MARK: determinant

    @Test("determinant: hand-computed 3×3 matrices")
    func determinantByHand() {
        // 1·(5·10 − 6·8) − 2·(4·10 − 6·7) + 3·(4·8 − 5·7) = 2 + 4 − 9 = −3 (pivoting swaps rows).
        #expect(Swift.abs(Tensor([[1, 2, 3], [4, 5, 6], [7, 8, 10]]).determinant() - -3) < 1e-5)
        // 4·(3·3 − 5·1) − 3·(1·3 − 5·2) + 2·(1·1 − 3·2) = 16 + 21 − 10 = 27.
        #expect(Swift.abs(LinearAlgebra.determinant(Tensor([[4, 3, 2], [1, 3, 5], [2, 1, 3]])) - 27) < 1e-4)
        // 2·(3·1 − 2·1) − 0 + 1·(1·1 − 3·1) = 2 − 2 = 0: singular (row 1 + row 2 = 3 · row 3).
        // Rounding may leave a tiny pivot instead of an exact zero, so the result is only ≈ 0.
        #expect(Swift.abs(Tensor([[2, 0, 1], [1, 3, 2], [1, 1, 1]]).determinant()) < 1e-5)
        // An exactly singular matrix (exact zero pivot) gives exactly 0.
        #expect(Tensor([[1, 2], [2, 4]]).determinant() == 0)
        #expect(Tensor([[-3]]).determinant() == -3)
    }

    @Test("determinant: triangular matrices are the product of the diagonal")
    func determinantTriangular() {
        #expect(Swift.abs(Tensor([[2, 5, 7], [0, -3, 1], [0, 0, 4]]).determinant() - -24) < 1e-5)
        #expect(Swift.abs(Tensor([[2, 0, 0], [9, -3, 0], [4, 6, 4]]).determinant() - -24) < 1e-5)
    }

    @Test("determinant: permutation matrices give the permutation's sign")
    func determinantPermutation() {
        // One swap: odd, −1.
        #expect(Tensor([[0, 1, 0], [1, 0, 0], [0, 0, 1]]).determinant() == -1)
        // A 3-cycle is two swaps: even, +1.
        #expect(Tensor([[0, 1, 0], [0, 0, 1], [1, 0, 0]]).determinant() == 1)
        // A 4-cycle is three swaps: odd, −1.
        #expect(Tensor([[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]]).determinant() == -1)
        // Two disjoint swaps: even, +1.
        #expect(Tensor([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]).determinant() == 1)
    }

    @Test("determinant and signAndLogDeterminant match Double elimination", arguments: squareSizes)
    func determinantMatchesReference(n: Int) {
        let a = Tensor.normal([n, n], seed: 31 + UInt64(n))
        let reference = referenceLogDeterminant(Matrix(a))
        let (sign, logAbs) = LinearAlgebra.signAndLogDeterminant(a)
        #expect(Double(sign) == reference.sign)
        #expect(Swift.abs(Double(logAbs) - reference.logAbs) < 1e-4 * Swift.max(1, Swift.abs(reference.logAbs)))
        let det = Double(a.determinant())
        let expected = reference.sign * Foundation.exp(reference.logAbs)
        if expected.magnitude < Double(Float.greatestFiniteMagnitude) {
            #expect(Swift.abs(det - expected) <= 1e-4 * expected.magnitude)
        } else {
            #expect(det == (expected > 0 ? .infinity : -.infinity))   // |det| overflows Float
        }
    }

    @Test("signAndLogDeterminant: singular and NaN matrices")
    func signAndLogDeterminantEdges() {
        let singular = LinearAlgebra.signAndLogDeterminant(Tensor([[1, 2], [2, 4]]))
        #expect(singular.sign == 0 && singular.logAbs == -.infinity)
        #expect(Tensor([[1, .nan], [0, 1]]).determinant().isNaN)
    }

    // MARK: Cholesky

    @Test("cholesky: L·Lᵀ = A, L lower triangular with a positive diagonal", arguments: squareSizes)
    func choleskyReconstructs(n: Int) throws {
        let a = spdMatrix(n, seed: 41 + UInt64(n))
        let aCopy = a
        let l = try LinearAlgebra.cholesky(a)
        let lm = Matrix(l)
        #expect(relativeError(lm * lm.transposed, Matrix(a)) < 1e-4)
        #expect((0..<n).allSatisfy { lm[$0, $0] > 0 })
        let aboveDiagonal = (0..<n).flatMap { i in ((i + 1)..<n).map { j in lm[i, j] } }
        #expect(aboveDiagonal.allSatisfy { $0 == 0 })
        #expect(a == aCopy)
    }

    @Test("cholesky: a hand-computed 2×2 factor")
    func choleskyByHand() throws {
        // [[4, 2], [2, 5]] = [[2, 0], [1, 2]] · [[2, 1], [0, 2]].
        let l = try LinearAlgebra.cholesky(Tensor([[4, 2], [2, 5]]))
        #expect(l == Tensor([[2, 0], [1, 2]]))
    }

    @Test("cholesky: a matrix that is not positive definite throws, naming the failing minor")
    func choleskyNotPositiveDefinite() {
        // Eigenvalues 3 and −1: the 1×1 minor is fine, the 2×2 one is not.
        let indefinite = #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.cholesky(Tensor([[1, 2], [2, 1]])) }
        #expect(indefinite == .notPositiveDefinite(operation: "cholesky", order: 2))
        let negative = #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.cholesky(Tensor([[-1, 0], [0, 1]])) }
        #expect(negative == .notPositiveDefinite(operation: "cholesky", order: 1))
        // Positive semi-definite but singular: rank 1, the 2×2 minor is zero.
        let semidefinite = #expect(throws: LinearAlgebraError.self) { try LinearAlgebra.cholesky(Tensor([[1, 1], [1, 1]])) }
        #expect(semidefinite == .notPositiveDefinite(operation: "cholesky", order: 2))
    }

    @Test("choleskySolve: A·x = b with the factor", arguments: squareSizes)
    func choleskySolveResidual(n: Int) throws {
        let a = spdMatrix(n, seed: 51 + UInt64(n))
        let l = try LinearAlgebra.cholesky(a)
        for b in [Tensor.normal([n], seed: 52), Tensor.normal([n, 4], seed: 53)] {
            let x = LinearAlgebra.choleskySolve(l, b)
            #expect(x.shape == b.shape)
            #expect(relativeError(Matrix(a) * Matrix(x), Matrix(b)) < 1e-5)
            let viaLU = try LinearAlgebra.solve(a, b)
            #expect(relativeError(Matrix(x), Matrix(viaLU)) < 1e-5)
        }
    }

    // MARK: QR

    @Test("qr: Q·R = A, QᵀQ = I, R upper triangular", arguments: rectangularShapes)
    func qrReconstructs(m: Int, n: Int) {
        let a = Tensor.normal([m, n], seed: 61 + UInt64(m * 100 + n))
        let aCopy = a
        let (q, r) = LinearAlgebra.qr(a)
        let k = Swift.min(m, n)
        #expect(q.shape == [m, k])
        #expect(r.shape == [k, n])
        let qm = Matrix(q), rm = Matrix(r)
        #expect(relativeError(qm * rm, Matrix(a)) < 1e-5)
        #expect(orthonormalityError(qm) < 1e-5)
        let belowDiagonal = (0..<k).flatMap { i in (0..<i).map { j in rm[i, j] } }
        #expect(belowDiagonal.allSatisfy { $0 == 0 })
        #expect(a == aCopy)
    }

    @Test("qr: a hand-computed 2×2 example, and NaN in gives NaN out")
    func qrByHand() {
        // A = [[3, 1], [4, 2]]: first column has norm 5, so |R[0,0]| = 5 and |R[1,1]| = |det A| / 5 = 0.4.
        let (q, r) = LinearAlgebra.qr(Tensor([[3, 1], [4, 2]]))
        #expect(Swift.abs(Swift.abs(r[0, 0]) - 5) < 1e-6)
        #expect(Swift.abs(Swift.abs(r[1, 1]) - 0.4) < 1e-6)
        #expect(Swift.abs(Swift.abs(q[0, 0]) - 0.6) < 1e-6 && Swift.abs(Swift.abs(q[1, 0]) - 0.8) < 1e-6)
        let withNaN = LinearAlgebra.qr(Tensor([[1, .nan], [2, 3]]))
        #expect(withNaN.r.scalars.contains { $0.isNaN })
    }

    // MARK: eigh

    @Test("eigh: V·diag(w)·Vᵀ = A, VᵀV = I, ascending eigenvalues", arguments: squareSizes)
    func eighReconstructs(n: Int) throws {
        let a = symmetricMatrix(n, seed: 71 + UInt64(n))
        let aCopy = a
        let (values, vectors) = try LinearAlgebra.eigh(a)
        #expect(values.shape == [n] && vectors.shape == [n, n])
        let w = values.scalars
        #expect(zip(w, w.dropFirst()).allSatisfy { $0 <= $1 })
        let v = Matrix(vectors)
        let recon = v * Matrix.diagonal(w.map(Double.init), rows: n, columns: n) * v.transposed
        #expect(relativeError(recon, Matrix(a)) < 1e-4)
        #expect(orthonormalityError(v) < 1e-5)
        // Columns (not rows) are the eigenvectors: A·v_i = w_i·v_i.
        #expect(relativeError(Matrix(a) * v, v * Matrix.diagonal(w.map(Double.init), rows: n, columns: n)) < 1e-4)
        #expect(a == aCopy)
    }

    @Test("eigh: a hand-computed 2×2 example")
    func eighByHand() throws {
        // [[2, 1], [1, 2]]: eigenvalue 1 along (1, −1)/√2, eigenvalue 3 along (1, 1)/√2.
        let (values, vectors) = try LinearAlgebra.eigh(Tensor([[2, 1], [1, 2]]))
        #expect(Swift.abs(values[0] - 1) < 1e-6 && Swift.abs(values[1] - 3) < 1e-6)
        let h = Float(0.5).squareRoot()
        // Column 0 is ±(1, −1)/√2, column 1 is ±(1, 1)/√2.
        #expect(Swift.abs(Swift.abs(vectors[0, 0]) - h) < 1e-6 && Swift.abs(vectors[0, 0] + vectors[1, 0]) < 1e-6)
        #expect(Swift.abs(Swift.abs(vectors[0, 1]) - h) < 1e-6 && Swift.abs(vectors[0, 1] - vectors[1, 1]) < 1e-6)
    }

    // MARK: SVD

    @Test("svd: U·diag(s)·Vᵀ = A, orthonormal U and V, descending s", arguments: rectangularShapes)
    func svdReconstructs(m: Int, n: Int) throws {
        let a = Tensor.normal([m, n], seed: 81 + UInt64(m * 100 + n))
        let aCopy = a
        let k = Swift.min(m, n)
        for full in [false, true] {
            let (u, s, vt) = try LinearAlgebra.svd(a, fullMatrices: full)
            #expect(u.shape == [m, full ? m : k])
            #expect(s.shape == [k])
            #expect(vt.shape == [full ? n : k, n])
            let sv = s.scalars
            #expect(zip(sv, sv.dropFirst()).allSatisfy { $0 >= $1 })
            #expect(sv.allSatisfy { $0 >= 0 })
            let um = Matrix(u), vtm = Matrix(vt)
            let sigma = Matrix.diagonal(sv.map(Double.init), rows: um.columns, columns: vtm.rows)
            #expect(relativeError(um * sigma * vtm, Matrix(a)) < 1e-4)
            #expect(orthonormalityError(um) < 1e-5)
            #expect(orthonormalityError(vtm.transposed) < 1e-5)
        }
        #expect(a == aCopy)
    }

    @Test("svd: singular values of a hand-made matrix")
    func svdByHand() throws {
        // [[0, −2], [3, 0]] = (a rotation) · diag(3, 2) · (a rotation): s = [3, 2].
        let (_, s, _) = try LinearAlgebra.svd(Tensor([[0, -2], [3, 0]]))
        #expect(Swift.abs(s[0] - 3) < 1e-6 && Swift.abs(s[1] - 2) < 1e-6)
        // A rank-1 matrix u·vᵀ has one non-zero singular value ‖u‖·‖v‖ = √2 · √(1 + 4 + 4) = 3√2.
        let (_, s1, _) = try LinearAlgebra.svd(Tensor([[1, 2, 2], [1, 2, 2]]))
        #expect(Swift.abs(s1[0] - 3 * Float(2).squareRoot()) < 1e-5 && Swift.abs(s1[1]) < 1e-5)
    }

    // MARK: least squares

    @Test("leastSquares: equals the normal-equations solution; residual ⟂ columns")
    func leastSquaresOverdetermined() throws {
        let (m, n) = (50, 20)
        let a = Tensor.normal([m, n], seed: 91)
        let b = Tensor.normal([m], seed: 92)
        let aCopy = a, bCopy = b
        let x = try LinearAlgebra.leastSquares(a, b)
        #expect(x.shape == [n])
        // Normal equations (AᵀA)·x = Aᵀb, solved with Cholesky (AᵀA is SPD for full-rank A).
        let am = Matrix(a), bm = Matrix(b)
        let gram = am.transposed * am, rhs = am.transposed * bm
        let l = try LinearAlgebra.cholesky(Tensor(shape: [n, n], scalars: gram.values.map(Float.init)))
        let normal = LinearAlgebra.choleskySolve(l, Tensor(shape: [n], scalars: rhs.values.map(Float.init)))
        #expect(relativeError(Matrix(x), Matrix(normal)) < 1e-4)
        // Aᵀ(A·x − b) = 0, relative to the size of Aᵀb.
        let residual = am * Matrix(x) - bm
        #expect((am.transposed * residual).frobeniusNorm / rhs.frobeniusNorm < 1e-5)
        #expect(a == aCopy && b == bCopy)
    }

    @Test("leastSquares: several right-hand sides solve column by column")
    func leastSquaresMatrixRightHandSide() throws {
        let a = Tensor.normal([50, 20], seed: 93)
        let b = Tensor.normal([50, 3], seed: 94)
        let x = try LinearAlgebra.leastSquares(a, b)
        #expect(x.shape == [20, 3])
        let bm = Matrix(b)
        for c in 0..<3 {
            let column = Tensor((0..<50).map { Float(bm[$0, c]) })
            let xc = try LinearAlgebra.leastSquares(a, column)
            #expect(relativeError(Matrix(Tensor((0..<20).map { x[$0, c] })), Matrix(xc)) < 1e-5)
        }
    }

    @Test("leastSquares: underdetermined systems get the exact solution of minimum norm")
    func leastSquaresUnderdetermined() throws {
        let (m, n) = (20, 50)
        let a = Tensor.normal([m, n], seed: 95)
        let b = Tensor.normal([m], seed: 96)
        let x = try LinearAlgebra.leastSquares(a, b)
        #expect(x.shape == [n])
        let am = Matrix(a)
        #expect(relativeError(am * Matrix(x), Matrix(b)) < 1e-5)
        // The minimum-norm solution is Aᵀ·y with (A·Aᵀ)·y = b.
        let aat = am * am.transposed
        let y = try LinearAlgebra.solve(Tensor(shape: [m, m], scalars: aat.values.map(Float.init)), b)
        #expect(relativeError(Matrix(x), am.transposed * Matrix(y)) < 1e-4)
    }

    @Test("leastSquares: a rank-deficient problem picks the shortest minimiser")
    func leastSquaresRankDeficient() throws {
        // Two identical columns: x₀ + x₁ is determined, the split is not; the shortest has x₀ = x₁.
        // Columns c = (1, 2, 3), b = 2c + (1, −2, 1) (the extra part is ⟂ c): x₀ + x₁ = 2.
        let a = Tensor([[1, 1], [2, 2], [3, 3]])
        let x = try LinearAlgebra.leastSquares(a, Tensor([3, 2, 7]))
        #expect(Swift.abs(x[0] - 1) < 1e-5 && Swift.abs(x[1] - 1) < 1e-5)
        // The normal equations AᵀA = [[14, 14], [14, 14]] are singular: solve cannot do this.
        #expect(throws: LinearAlgebraError.singular(operation: "solve", pivot: 1)) {
            try LinearAlgebra.solve(Tensor([[14, 14], [14, 14]]), Tensor([26, 26]))
        }
    }

    @Test("Empty matrices give empty (or identity) answers, as in NumPy")
    func emptyMatrices() throws {
        let empty = Tensor.zeros([0, 0])
        #expect(empty.determinant() == 1)
        #expect(try empty.inverse().shape == [0, 0])
        #expect(try LinearAlgebra.solve(empty, Tensor.zeros([0])).shape == [0])
        #expect(try LinearAlgebra.cholesky(empty).shape == [0, 0])
        #expect(try LinearAlgebra.eigh(empty).values.shape == [0])
        let (q, r) = LinearAlgebra.qr(Tensor.zeros([3, 0]))
        #expect(q.shape == [3, 0] && r.shape == [0, 0])
        let full = try LinearAlgebra.svd(Tensor.zeros([3, 0]), fullMatrices: true)
        #expect(full.u == Tensor.eye(3) && full.s.shape == [0] && full.vt.shape == [0, 0])
        #expect(try LinearAlgebra.leastSquares(Tensor.zeros([0, 2]), Tensor.zeros([0])) == Tensor([0, 0]))
    }

    @Test("Errors describe themselves")
    func errorDescriptions() {
        #expect(LinearAlgebraError.singular(operation: "solve", pivot: 1).description.contains("singular"))
        #expect(LinearAlgebraError.notPositiveDefinite(operation: "cholesky", order: 2).description.contains("2×2"))
    }
}
