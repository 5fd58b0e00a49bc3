// TSNEAffinities: the input similarities P of t-SNE (van der Maaten and
// Hinton, JMLR 2008, section 2 and 3.1).
//
// Each point i spreads a Gaussian over the others, with its own width σᵢ:
//     p_{j|i} = exp(−β_i·‖xᵢ − xⱼ‖²) / Σ_{k≠i} exp(−β_i·‖xᵢ − x_k‖²),   β_i = 1/(2σᵢ²),  p_{i|i} = 0.
// σᵢ is chosen so that the distribution has a given perplexity, 2^H in bits
// or e^H in nats: the effective number of neighbours. With the entropy
//     Hᵢ = −Σⱼ p_{j|i}·log p_{j|i} = log Sᵢ + β_i·Σⱼ dⱼ·p_{j|i},   Sᵢ = Σⱼ exp(−β_i·dⱼ),
// Hᵢ falls as β_i grows, so bisection on β_i finds Hᵢ = log(perplexity):
// start at β = 1, double (or halve) it until the target is bracketed, then
// halve the bracket, until |Hᵢ − log(perplexity)| < 1e-5 or 100 steps.
// Subtracting the row's smallest distance from every dⱼ changes neither
// p_{j|i} nor Hᵢ (it cancels between numerator and Sᵢ) and keeps the largest
// term at exp(0) = 1, so Sᵢ never underflows to 0 however large β_i grows.
//
// The joint affinities are symmetric and sum to 1:
//     p_ij = (p_{j|i} + p_{i|j}) / (2n),
// so every point, even an outlier whose p_{j|i} are all tiny, keeps
// Σⱼ p_ij ≥ 1/(2n) of the total weight.
//
// Cost: the n² squared distances (one GEMM, PairwiseDistances), then per row
// about 20 to 50 bisection steps over n − 1 exponentials (FastMath's sixteen
// at a time), rows in parallel. The distance matrix is overwritten in place
// by p_{j|i} and then by p_ij: one n² buffer in all.
import Foundation
import Tensor

/// The Gaussian input affinities of t-SNE: conditional p_{j|i} at a given perplexity, and joint p_ij.
public enum TSNEAffinities {
    /// Entropy tolerance of the bisection, in nats.
    public static let entropyTolerance = 1e-5
    /// Most bisection steps per row.
    public static let maximumSteps = 100

    /// The conditional affinities of a point set, with the precision and entropy reached for each row.
    public struct Conditional: Sendable {
        /// p_{j|i} in row i [n, n]: each row sums to 1, the diagonal is 0.
        public var probabilities: Tensor
        /// β_i = 1/(2σᵢ²) found for each row.
        public var precisions: [Double]
        /// The entropy Hᵢ (nats) of each row's distribution, ≈ log(perplexity).
        public var entropies: [Double]
    }

    /// p_{j|i} from the squared distances D [n, n] (D[i, j] = ‖xᵢ − xⱼ‖²), each row at the given perplexity.
    public static func conditional(squaredDistances: consuming Tensor, perplexity: Float) -> Conditional {
        var table = squaredDistances
        precondition(table.rank == 2 && table.shape[0] == table.shape[1] && table.shape[0] >= 2,
                     "TSNEAffinities.conditional: needs a square distance matrix [n, n], n ≥ 2, got \(table.shape)")
        let n = table.shape[0]
        precondition(perplexity > 0 && perplexity.isFinite, "TSNEAffinities.conditional: perplexity must be > 0, got \(perplexity)")
        let target = Foundation.log(Double(perplexity))
        var precisions = [Double](repeating: 0, count: n)
        var entropies = [Double](repeating: 0, count: n)
        table.withUnsafeMutableBufferPointer { table in
        precisions.withUnsafeMutableBufferPointer { precisions in
        entropies.withUnsafeMutableBufferPointer { entropies in
            let rows = ParallelWritePointer(table.baseAddress!)
            let betaOut = ParallelWritePointer(precisions.baseAddress!)
            let entropyOut = ParallelWritePointer(entropies.baseAddress!)
            Parallel.forRanges(n, minimumPerThread: max(1, 65_536 / n)) { range in
                // The n − 1 distances to the others, shifted by their minimum (scratch for one row).
                let shifted = UnsafeMutablePointer<Float>.allocate(capacity: n - 1)
                defer { shifted.deallocate() }
                for i in range {
                    let row = rows.pointer + i * n
                    shifted.update(from: row, count: i)
                    (shifted + i).update(from: row + i + 1, count: n - 1 - i)
                    var smallest = Float.infinity
                    for j in 0..<(n - 1) { smallest = min(smallest, shifted[j]) }
                    for j in 0..<(n - 1) { shifted[j] -= smallest }
                    let (beta, entropy) = searchPrecision(shifted, n - 1, target: target)
                    betaOut.pointer[i] = beta
                    entropyOut.pointer[i] = entropy
                    // Write p_{j|i} = e^(−β·dⱼ) / S back over the row, with 0 on the diagonal.
                    let sum = writeExponentials(shifted, n - 1, beta: beta)
                    let scale = Float(1 / sum)
                    for j in 0..<i { row[j] = shifted[j] * scale }
                    row[i] = 0
                    for j in (i + 1)..<n { row[j] = shifted[j - 1] * scale }
                }
            }
        }}}
        return Conditional(probabilities: table, precisions: precisions, entropies: entropies)
    }

    /// Bisection on β for one row of shifted distances (all ≥ 0): returns β and the entropy it gives.
    static func searchPrecision(_ distances: UnsafePointer<Float>, _ count: Int, target: Double) -> (beta: Double, entropy: Double) {
        var beta = 1.0
        var (lower, upper) = (0.0, Double.infinity)
        var entropy = 0.0
        for step in 0..<maximumSteps {
            let (sum, weighted) = exponentialSums(distances, count, beta: beta)
            entropy = Foundation.log(sum) + beta * weighted / sum
            if abs(entropy - target) < entropyTolerance || step == maximumSteps - 1 { break }
            if entropy > target {
                lower = beta                                   // too flat: sharpen
                beta = upper == .infinity ? beta * 2 : (beta + upper) / 2
            } else {
                upper = beta                                   // too peaked: widen
                beta = (beta + lower) / 2
            }
        }
        return (beta, entropy)
    }

    /// S = Σⱼ e^(−β·dⱼ) and Σⱼ dⱼ·e^(−β·dⱼ), sixteen terms at a time.
    @inline(__always)
    static func exponentialSums(_ d: UnsafePointer<Float>, _ count: Int, beta: Double) -> (Double, Double) {
        let negativeBeta = Float(-beta)
        var sums = SIMD16<Float>()
        var weighted = SIMD16<Float>()
        var j = 0
        while j + 16 <= count {
            let distances = UnsafeRawPointer(d + j).loadUnaligned(as: SIMD16<Float>.self)
            let terms = FastMath.exp(distances * negativeBeta)
            sums += terms
            weighted = weighted.addingProduct(distances, terms)
            j += 16
        }
        var sum = Double(sums.sum())
        var weightedSum = Double(weighted.sum())
        while j < count {
            let term = Double(Foundation.exp(negativeBeta * d[j]))
            sum += term
            weightedSum += Double(d[j]) * term
            j += 1
        }
        return (sum, weightedSum)
    }

    /// Replaces each dⱼ by e^(−β·dⱼ) and returns their sum.
    static func writeExponentials(_ d: UnsafeMutablePointer<Float>, _ count: Int, beta: Double) -> Double {
        let negativeBeta = Float(-beta)
        var sum = 0.0
        var j = 0
        while j + 16 <= count {
            let terms = FastMath.exp(UnsafeRawPointer(d + j).loadUnaligned(as: SIMD16<Float>.self) * negativeBeta)
            UnsafeMutableRawPointer(d + j).storeBytes(of: terms, as: SIMD16<Float>.self)
            sum += Double(terms.sum())
            j += 16
        }
        while j < count {
            d[j] = Foundation.exp(negativeBeta * d[j])
            sum += Double(d[j])
            j += 1
        }
        return sum
    }

    /// The joint affinities p_ij = (p_{j|i} + p_{i|j}) / (2n) from the conditional ones [n, n].
    public static func joint(conditional: consuming Tensor) -> Tensor {
        var table = conditional
        precondition(table.rank == 2 && table.shape[0] == table.shape[1],
                     "TSNEAffinities.joint: needs a square matrix [n, n], got \(table.shape)")
        let n = table.shape[0]
        let scale = 1 / Float(2 * n)
        table.withUnsafeMutableBufferPointer { table in
            let p = table.baseAddress!
            // Tiles of 64 × 64 keep both the rows read and the columns written in cache.
            let tile = 64
            for rowStart in stride(from: 0, to: n, by: tile) {
                for columnStart in stride(from: rowStart, to: n, by: tile) {
                    for i in rowStart..<min(rowStart + tile, n) {
                        for j in max(columnStart, i + 1)..<max(min(columnStart + tile, n), i + 1) {
                            let value = (p[i * n + j] + p[j * n + i]) * scale
                            p[i * n + j] = value
                            p[j * n + i] = value
                        }
                    }
                }
            }
        }
        return table
    }

    /// The joint affinities of the rows of X [n, d] at the given perplexity, and the conditional search behind them.
    public static func joint(_ x: Tensor, perplexity: Float) -> (probabilities: Tensor, precisions: [Double], entropies: [Double]) {
        let squaredNorms = PairwiseDistances.squaredNorms(x)
        var distances = PairwiseDistances.squared(x, x, xNorms: squaredNorms, cNorms: squaredNorms)
        // The GEMM expansion leaves rounding noise on the diagonal; a point's distance to itself is 0.
        let n = x.shape[0]
        distances.withUnsafeMutableBufferPointer { for i in 0..<n { $0[i * n + i] = 0 } }
        let conditional = conditional(squaredDistances: distances, perplexity: perplexity)
        return (joint(conditional: conditional.probabilities), conditional.precisions, conditional.entropies)
    }
}
