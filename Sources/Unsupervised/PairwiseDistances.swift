// PairwiseDistances: every squared Euclidean distance between two sets of rows
// as one matrix product.
//
// For rows xᵢ of X [n, d] and cⱼ of C [k, d]
//     ‖xᵢ − cⱼ‖² = ‖xᵢ‖² − 2·xᵢ·cⱼ + ‖cⱼ‖²,
// so the whole [n, k] table is the GEMM −2·X·Cᵀ plus two vectors of squared
// norms broadcast along rows and columns: O(n·k·d) multiply-adds run at BLAS
// speed instead of n·k separate loops over d. The expansion subtracts nearly
// equal numbers when xᵢ ≈ cⱼ, so rounding can leave a tiny negative value
// where the true distance is 0; results are clamped at 0.
import Foundation
import Tensor

/// Squared Euclidean distances between the rows of two matrices, through one GEMM.
public enum PairwiseDistances {
    /// ‖xᵢ‖² for every row of X [n, d], as n Floats (accumulated in Float over SIMD lanes).
    public static func squaredNorms(_ x: Tensor) -> [Float] {
        precondition(x.rank == 2, "squaredNorms: X must be [n, d], got \(x.shape)")
        let (n, d) = (x.shape[0], x.shape[1])
        var norms = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { values in
            norms.withUnsafeMutableBufferPointer { norms in
                let out = ParallelWritePointer(norms.baseAddress!)
                Parallel.forRanges(n, minimumPerThread: 4_096) { rows in
                    for i in rows { out.pointer[i] = dotSelf(values.baseAddress! + i * d, d) }
                }
            }
        }
        return norms
    }

    /// D [n, k] with D[i, j] = ‖xᵢ − cⱼ‖² for X [n, d] and C [k, d].
    ///
    /// - Parameters:
    ///   - x: the rows X [n, d].
    ///   - c: the rows C [k, d], for example cluster centres.
    ///   - xNorms: ‖xᵢ‖² when the caller already has them (k-means reuses them every iteration).
    ///   - cNorms: ‖cⱼ‖² when known.
    public static func squared(_ x: Tensor, _ c: Tensor, xNorms: [Float]? = nil, cNorms: [Float]? = nil) -> Tensor {
        precondition(x.rank == 2 && c.rank == 2 && x.shape[1] == c.shape[1],
                     "PairwiseDistances.squared: needs X [n, d] and C [k, d], shapes are \(x.shape) and \(c.shape)")
        let (n, k, d) = (x.shape[0], c.shape[0], x.shape[1])
        let rowNorms = xNorms ?? squaredNorms(x)
        let columnNorms = cNorms ?? squaredNorms(c)
        precondition(rowNorms.count == n && columnNorms.count == k,
                     "PairwiseDistances.squared: \(rowNorms.count) row norms for \(n) rows, \(columnNorms.count) for \(k)")
        var result = Tensor(uninitializedShape: [n, k])
        x.withUnsafeBufferPointer { xs in
            c.withUnsafeBufferPointer { cs in
                result.withUnsafeMutableBufferPointer { out in
                    // out = X·Cᵀ, then each entry becomes ‖x‖² − 2·out + ‖c‖², clamped at 0.
                    GEMM.multiply(m: n, n: k, k: d, a: xs.baseAddress!, lda: d, transposeA: false,
                                  b: cs.baseAddress!, ldb: d, transposeB: true, c: out.baseAddress!, ldc: k)
                    let table = ParallelWritePointer(out.baseAddress!)
                    rowNorms.withUnsafeBufferPointer { rowNorms in
                        columnNorms.withUnsafeBufferPointer { columnNorms in
                            Parallel.forRanges(n, minimumPerThread: 1_024) { rows in
                                for i in rows {
                                    let row = table.pointer + i * k
                                    for j in 0..<k {
                                        row[j] = Swift.max(rowNorms[i] - 2 * row[j] + columnNorms[j], 0)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Σ v[t]² over `count` Floats, eight lanes at a time.
    @inline(__always) static func dotSelf(_ v: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var t = 0
        while t + 8 <= count {
            let chunk = UnsafeRawPointer(v + t).loadUnaligned(as: SIMD8<Float>.self)
            lanes = lanes.addingProduct(chunk, chunk)
            t += 8
        }
        var total = lanes.sum()
        while t < count { total += v[t] * v[t]; t += 1 }
        return total
    }
}
