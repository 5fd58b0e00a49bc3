// NaiveGEMM: the textbook matrix product, three nested loops.
//
//   C[i, j] = Σ_p op(A)[i, p] · op(B)[p, j]        (or C[i, j] += … when accumulating)
//
// op(A) is m×k and op(B) is k×n; op(X) is X itself or, when asked, its
// transpose read in place (no copy). Every matrix is row-major with a leading
// dimension: row r of a matrix stored with leading dimension ld starts at
// offset r·ld, so a block inside a bigger matrix can be passed as is.
//
// This is the definition, written to be read: one dot product per element of C,
// summed in Float from p = 0 up. It does 2·m·n·k flops at a few GFLOP/s because
// it walks B down a column (a new cache line for every p) and keeps nothing in
// registers between elements. SIMDGEMM computes the same sums (in another order,
// so the last bits may differ) tens of times faster; the tests hold it to this file.

/// The reference matrix product: C = op(A)·op(B), three loops, no tricks.
public enum NaiveGEMM {
    /// C = op(A)·op(B) (or C += op(A)·op(B) when `accumulate`), row-major.
    ///
    /// - op(A) is m×k: A is stored m×k (`lda` ≥ k), or k×m (`lda` ≥ m) when `transposeA`.
    /// - op(B) is k×n: B is stored k×n (`ldb` ≥ n), or n×k (`ldb` ≥ k) when `transposeB`.
    /// - C is m×n with `ldc` ≥ n. When k = 0, C becomes zero (or is left as is when accumulating).
    public static func multiply(m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                                b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                                c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool = false) {
        GEMMShape.check("NaiveGEMM.multiply", m: m, n: n, k: k,
                        lda: lda, transposeA: transposeA, ldb: ldb, transposeB: transposeB, ldc: ldc)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    let aip = transposeA ? a[p * lda + i] : a[i * lda + p]   // op(A)[i, p]
                    let bpj = transposeB ? b[j * ldb + p] : b[p * ldb + j]   // op(B)[p, j]
                    sum += aip * bpj
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum
            }
        }
    }
}

/// The argument checks shared by both matrix products.
enum GEMMShape {
    /// Stops with a message naming `op` and the shapes when a size or leading dimension is impossible.
    static func check(_ op: String, m: Int, n: Int, k: Int,
                      lda: Int, transposeA: Bool, ldb: Int, transposeB: Bool, ldc: Int) {
        precondition(m >= 0 && n >= 0 && k >= 0,
                     "\(op): sizes must not be negative, got m=\(m) n=\(n) k=\(k)")
        let aColumns = transposeA ? m : k   // A is stored (transposeA ? k×m : m×k)
        let bColumns = transposeB ? k : n   // B is stored (transposeB ? n×k : k×n)
        precondition(lda >= max(1, aColumns),
                     "\(op): lda=\(lda) is less than the \(aColumns) columns of A (stored \(transposeA ? "\(k)×\(m)" : "\(m)×\(k)"))")
        precondition(ldb >= max(1, bColumns),
                     "\(op): ldb=\(ldb) is less than the \(bColumns) columns of B (stored \(transposeB ? "\(n)×\(k)" : "\(k)×\(n)"))")
        precondition(ldc >= max(1, n),
                     "\(op): ldc=\(ldc) is less than the \(n) columns of C (\(m)×\(n))")
    }
}
