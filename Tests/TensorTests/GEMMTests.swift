// GEMMTests: NaiveGEMM against a hand-computed product, then SIMDGEMM against NaiveGEMM
// over sizes that hit every edge (1, odd, non-square, partial tiles, several cache blocks),
// the thin path for m ≤ 4, the narrow path for n ≤ 16 or m ≤ 8, all four transpose combinations, padded leading dimensions, accumulation, and 1 or 2 threads.
// On AVX2 the products with A not transposed and n ≤ 512 read A in place, the others pack it: both are among the sizes.
import Testing
@testable import Tensor

@Suite struct GEMMTests {
    /// One product to check: op(A) is m×k, op(B) is k×n.
    struct Size: Sendable, CustomTestStringConvertible {
        let m: Int, n: Int, k: Int
        var testDescription: String { "\(m)×\(k) · \(k)×\(n)" }
    }

    static let sizes: [Size] = [
        Size(m: 1, n: 1, k: 1), Size(m: 7, n: 7, k: 7), Size(m: 33, n: 33, k: 33),
        Size(m: 257, n: 257, k: 257),
        Size(m: 1, n: 300, k: 5), Size(m: 17, n: 3, k: 129), Size(m: 250, n: 70, k: 33),
        Size(m: 40, n: 700, k: 80),     // wider than tall: the threads split the columns
        Size(m: 300, n: 1, k: 40), Size(m: 12, n: 32, k: 1), Size(m: 13, n: 33, k: 2),
        // m ≤ 4: the thin path (ThinGEMM) with whole and partial vectors and column groups
        Size(m: 1, n: 65, k: 128), Size(m: 3, n: 37, k: 53), Size(m: 4, n: 9, k: 16), Size(m: 2, n: 130, k: 17),
        // n ≤ 16 or m ≤ 8: the narrow path (NarrowGEMM), 8- and 16-wide rows, a sum cut into two pieces
        // (k > KC), and products large enough to be shared between two threads
        Size(m: 768, n: 8, k: 128), Size(m: 131, n: 8, k: 700), Size(m: 45, n: 16, k: 9), Size(m: 29, n: 11, k: 33),
        Size(m: 8, n: 130, k: 600), Size(m: 7, n: 21, k: 5), Size(m: 3000, n: 8, k: 100), Size(m: 6, n: 2000, k: 200),
    ]

    // MARK: NaiveGEMM, by hand

    //  [1 2 3]   [ 7  8]   [1·7+2·9+3·11  1·8+2·10+3·12]   [ 58  64]
    //  [4 5 6] · [ 9 10] = [4·7+5·9+6·11  4·8+5·10+6·12] = [139 154]
    //            [11 12]
    @Test func naiveMatchesHandComputedProduct() {
        let a: [Float] = [1, 2, 3, 4, 5, 6]          // 2×3
        let b: [Float] = [7, 8, 9, 10, 11, 12]       // 3×2
        var c = [Float](repeating: -1, count: 4)
        NaiveGEMM.multiply(m: 2, n: 2, k: 3, a: a, lda: 3, transposeA: false,
                           b: b, ldb: 2, transposeB: false, c: &c, ldc: 2)
        #expect(c == [58, 64, 139, 154])
    }

    @Test func naiveReadsTransposedOperandsAndAccumulates() {
        let aT: [Float] = [1, 4, 2, 5, 3, 6]         // Aᵀ stored 3×2
        let bT: [Float] = [7, 9, 11, 8, 10, 12]      // Bᵀ stored 2×3
        var c: [Float] = [1, 1, 1, 1]
        NaiveGEMM.multiply(m: 2, n: 2, k: 3, a: aT, lda: 2, transposeA: true,
                           b: bT, ldb: 3, transposeB: true, c: &c, ldc: 2, accumulate: true)
        #expect(c == [59, 65, 140, 155])
    }

    // MARK: SIMDGEMM against NaiveGEMM

    @Test(arguments: sizes)
    func simdMatchesNaive(size: Size) {
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                for accumulate in [false, true] {
                    for threads in [1, 2] {
                        for padding in [0, 3] {
                            let error = relativeError(size, transposeA: transposeA, transposeB: transposeB,
                                                      accumulate: accumulate, threads: threads, padding: padding,
                                                      blocking: .standard)
                            #expect(error <= 1, "\(size.testDescription) tA=\(transposeA) tB=\(transposeB) acc=\(accumulate) threads=\(threads) pad=\(padding)")
                        }
                    }
                }
            }
        }
    }

    /// The sizes reach both ways of reading A on this machine's tile (in place and packed).
    @Test func sizesCoverBothWaysOfReadingA() {
        let ways = Set(Self.sizes.map { SIMDGEMM.readsAInPlace(aStep: 1, n: $0.n) })
        #expect(ways == (VectorUnit.hasWideRegisters ? [false] : [false, true]))
        #expect(!SIMDGEMM.readsAInPlace(aStep: 40, n: 16), "a transposed A is always packed")
    }

    /// Small cache blocks, so that every loop of the blocked algorithm runs several times
    /// and ends on a partial block.
    @Test(arguments: [Size(m: 257, n: 257, k: 257), Size(m: 50, n: 130, k: 37), Size(m: 100, n: 5, k: 70)])
    func simdMatchesNaiveWithSmallBlocks(size: Size) {
        let small = SIMDGEMM.Blocking(rows: 2 * SIMDGEMM.tileRows, depth: 16, columns: 2 * SIMDGEMM.tileColumns)
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                for accumulate in [false, true] {
                    for threads in [1, 2] {
                        let error = relativeError(size, transposeA: transposeA, transposeB: transposeB,
                                                  accumulate: accumulate, threads: threads, padding: 2,
                                                  blocking: small)
                        #expect(error <= 1, "\(size.testDescription) tA=\(transposeA) tB=\(transposeB) acc=\(accumulate) threads=\(threads)")
                    }
                }
            }
        }
    }

    @Test func emptySumZeroesOrKeepsC() {
        let a: [Float] = [0], b: [Float] = [0]
        var c: [Float] = [5, 6, 7, 8, 9, 10]
        SIMDGEMM.multiply(m: 2, n: 3, k: 0, a: a, lda: 1, transposeA: false,
                          b: b, ldb: 3, transposeB: false, c: &c, ldc: 3, accumulate: true, threads: 2)
        #expect(c == [5, 6, 7, 8, 9, 10])
        SIMDGEMM.multiply(m: 2, n: 2, k: 0, a: a, lda: 1, transposeA: false,
                          b: b, ldb: 2, transposeB: false, c: &c, ldc: 3, threads: 2)
        #expect(c == [0, 0, 7, 0, 0, 10])   // ldc = 3: the third column is not part of C
    }

    @Test func emptyOutputTouchesNothing() {
        let a: [Float] = [1, 2, 3], b: [Float] = [4, 5, 6]
        var c: [Float] = [42]
        SIMDGEMM.multiply(m: 0, n: 1, k: 3, a: a, lda: 3, transposeA: false,
                          b: b, ldb: 1, transposeB: false, c: &c, ldc: 1)
        SIMDGEMM.multiply(m: 1, n: 0, k: 3, a: a, lda: 3, transposeA: false,
                          b: b, ldb: 1, transposeB: false, c: &c, ldc: 1)
        #expect(c == [42])
    }

    // MARK: Helpers

    /// Runs SIMDGEMM and NaiveGEMM on the same random operands and returns the largest
    /// |simd − naive| / allowed over C, where allowed = 1e-5·√(k+1)·(max_p |a_ip| · Σ_p |b_pj| + |c_ij|)
    /// (a bound on Σ_p |a_ip·b_pj|, the size of the terms being summed): Float rounding keeps
    /// the ratio well below 1; a wrong index or a missed term makes it far above.
    /// Also returns +∞ if anything outside the m×n window of C (the ldc padding) changed.
    func relativeError(_ size: Size, transposeA: Bool, transposeB: Bool, accumulate: Bool,
                       threads: Int, padding: Int, blocking: SIMDGEMM.Blocking) -> Double {
        let (m, n, k) = (size.m, size.n, size.k)
        let lda = (transposeA ? m : k) + padding, aRows = transposeA ? k : m
        let ldb = (transposeB ? k : n) + padding, bRows = transposeB ? n : k
        let ldc = n + padding
        var random = RandomGenerator(seed: UInt64(m * 1_000_003 + n * 1009 + k))
        let a = (0..<max(1, aRows * lda)).map { _ in random.uniform(-1, 1) }
        let b = (0..<max(1, bRows * ldb)).map { _ in random.uniform(-1, 1) }
        let c0 = (0..<max(1, m * ldc)).map { _ in random.uniform(-1, 1) }
        var fast = c0, slow = c0
        SIMDGEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA,
                          b: b, ldb: ldb, transposeB: transposeB, c: &fast, ldc: ldc,
                          accumulate: accumulate, threads: threads, blocking: blocking)
        NaiveGEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA,
                           b: b, ldb: ldb, transposeB: transposeB, c: &slow, ldc: ldc, accumulate: accumulate)
        var rowMaxA = [Double](repeating: 0, count: m), columnSumB = [Double](repeating: 0, count: n)
        for p in 0..<k {
            for i in 0..<m { rowMaxA[i] = max(rowMaxA[i], Double(abs(transposeA ? a[p * lda + i] : a[i * lda + p]))) }
            for j in 0..<n { columnSumB[j] += Double(abs(transposeB ? b[j * ldb + p] : b[p * ldb + j])) }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in n..<ldc where fast[i * ldc + j] != c0[i * ldc + j] { return .infinity }
            for j in 0..<n {
                let scale = rowMaxA[i] * columnSumB[j] + (accumulate ? Double(abs(c0[i * ldc + j])) : 0)
                let allowed = 1e-5 * Double(k + 1).squareRoot() * scale + 1e-30
                worst = max(worst, Double(abs(fast[i * ldc + j] - slow[i * ldc + j])) / allowed)
            }
        }
        return worst
    }
}
