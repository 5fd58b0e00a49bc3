// KMeansPlusPlus: choosing k starting centres far apart (Arthur and
// Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007).
//
// Let D(x) be the distance from x to the nearest centre chosen so far and
// φ = Σₓ D(x)² the potential (the inertia those centres would have).
//   1. c₁ = a row drawn uniformly.
//   2. Each next centre is a row drawn with probability D(x)² / φ, so rows far
//      from every centre are likely picks. Arthur and Vassilvitskii prove the
//      expected inertia is then within 8(ln k + 2) of the optimum.
// Greedy variant (section 6 of the paper, and what scikit-learn runs): at
// each step draw L = 2 + ⌊ln k⌋ candidates from D²/φ, and keep the one whose
// addition lowers the potential most,
//     c = argmin over candidates y of  Σₓ min(D(x)², ‖x − y‖²),
// which avoids the occasional unlucky draw at the cost of L distance passes.
//
// Distances come from the nearest-centre kernel (the candidates packed as a
// panel of centres); the potential of each candidate is summed per fixed row
// block in Double (RowBlocks), so the choice does not depend on the thread count.
import Foundation
import Tensor

/// k-means++ seeding with greedy local trials.
public enum KMeansPlusPlus {
    /// k rows of X [n, d] chosen as starting centres, as a [k, d] tensor; needs n ≥ k ≥ 1.
    public static func centers(_ x: Tensor, clusters: Int, seed: UInt64 = 0) -> Tensor {
        precondition(x.rank == 2 && clusters >= 1 && x.shape[0] >= clusters,
                     "KMeansPlusPlus.centers: needs X [n, d] with n ≥ clusters ≥ 1, got \(x.shape) and \(clusters) clusters")
        var generator = RandomGenerator(seed: seed)
        let rows = chooseRows(x, rowNorms: PairwiseDistances.squaredNorms(x), clusters: clusters, generator: &generator)
        return gather(x, rows: rows)
    }

    /// The row indices of the k starting centres (distinct unless X has repeated rows).
    static func chooseRows(_ x: Tensor, rowNorms: [Float], clusters k: Int, generator: inout RandomGenerator) -> [Int] {
        let (n, d) = (x.shape[0], x.shape[1])
        let trials = Swift.min(16, 2 + Int(Foundation.log(Double(k))))   // one panel of candidates
        let blocks = RowBlocks(rows: n)
        var chosen = [generator.nextInt(below: n)]
        // closest[i] = D(xᵢ)², the squared distance to the nearest centre chosen so far.
        var closest = [Float](repeating: 0, count: n)
        var candidateClosest = [Float](repeating: 0, count: trials * n)   // [trial, n]: min(D², ‖x − y‖²)
        var blockPotential = [Double](repeating: 0, count: blocks.count * 16)  // [block, trial]
        var cumulative = [Double](repeating: 0, count: n)

        x.withUnsafeBufferPointer { xs in
            rowNorms.withUnsafeBufferPointer { rowNorms in
                let first = CenterPanels(centers: xs.baseAddress! + chosen[0] * d, count: 1, dimensions: d)
                closest.withUnsafeMutableBufferPointer { closest in
                    let out = ParallelWritePointer(closest.baseAddress!)
                    first.withKernel { kernel in
                        blocks.forEach { _, rows in
                            kernel.nearest(rows: rows, x: xs.baseAddress!, rowNorms: rowNorms.baseAddress!) { i, _, distance in
                                out.pointer[i] = distance
                            }
                        }
                    }
                }
                while chosen.count < k {
                    // Draw L candidates with probability D²/φ: a uniform point on the cumulative sum of D².
                    var running = 0.0
                    closest.withUnsafeBufferPointer { closest in
                        cumulative.withUnsafeMutableBufferPointer { cumulative in
                            for i in 0..<n { running += Double(closest[i]); cumulative[i] = running }
                        }
                    }
                    var candidates: [Int] = []
                    for _ in 0..<trials {
                        if running > 0 {
                            let target = generator.nextUniformDouble() * running
                            var (low, high) = (0, n - 1)          // first i with cumulative[i] > target
                            while low < high {
                                let middle = (low + high) / 2
                                if cumulative[middle] > target { high = middle } else { low = middle + 1 }
                            }
                            candidates.append(low)
                        } else {
                            candidates.append(generator.nextInt(below: n))  // every row sits on a centre
                        }
                    }
                    let candidateRows = candidates.flatMap { Array(xs[($0 * d)..<($0 * d + d)]) }
                    let panels = candidateRows.withUnsafeBufferPointer {
                        CenterPanels(centers: $0.baseAddress!, count: trials, dimensions: d)
                    }
                    // φ(y) = Σᵢ min(D(xᵢ)², ‖xᵢ − y‖²) for every candidate y, per block.
                    closest.withUnsafeBufferPointer { closest in
                        candidateClosest.withUnsafeMutableBufferPointer { candidateClosest in
                            blockPotential.withUnsafeMutableBufferPointer { blockPotential in
                                let (mins, potentials) = (ParallelWritePointer(candidateClosest.baseAddress!),
                                                          ParallelWritePointer(blockPotential.baseAddress!))
                                panels.withKernel { kernel in
                                    blocks.forEach { block, rows in
                                        potentialOfCandidates(kernel, rows: rows, n: n, trials: trials, x: xs.baseAddress!,
                                                              rowNorms: rowNorms.baseAddress!, closest: closest.baseAddress!,
                                                              candidateClosest: mins.pointer, potential: potentials.pointer + block * 16)
                                    }
                                }
                            }
                        }
                    }
                    var bestTrial = 0
                    var bestPotential = Double.infinity
                    for trial in 0..<trials {
                        var potential = 0.0
                        for block in 0..<blocks.count { potential += blockPotential[block * 16 + trial] }
                        if potential < bestPotential { bestPotential = potential; bestTrial = trial }
                    }
                    chosen.append(candidates[bestTrial])
                    closest.withUnsafeMutableBufferPointer { closest in
                        candidateClosest.withUnsafeBufferPointer { candidateClosest in
                            closest.baseAddress!.update(from: candidateClosest.baseAddress! + bestTrial * n, count: n)
                        }
                    }
                }
            }
        }
        return chosen
    }

    /// For the rows of one block: candidateClosest[trial, i] = min(D(xᵢ)², ‖xᵢ − y_trial‖²), and their sums per trial.
    @inline(__always)
    private static func potentialOfCandidates(_ kernel: NearestCenterKernel, rows: Range<Int>, n: Int, trials: Int,
                                              x: UnsafePointer<Float>, rowNorms: UnsafePointer<Float>,
                                              closest: UnsafePointer<Float>, candidateClosest: UnsafeMutablePointer<Float>,
                                              potential: UnsafeMutablePointer<Double>) {
        let d = kernel.dimensions
        var sums = SIMD16<Float>()               // a block has at most a few thousand rows: Float is enough here
        @inline(__always) func take(_ i: Int, _ partial: SIMD16<Float>) {
            var distance = partial + SIMD16(repeating: rowNorms[i])   // ‖xᵢ − y‖² for the 16 lanes
            distance.replace(with: 0, where: distance .< 0)
            let nearer = pointwiseMin(distance, SIMD16(repeating: closest[i]))   // padding lanes: +∞ → D²
            for trial in 0..<trials { candidateClosest[trial * n + i] = nearer[trial] }
            sums += nearer
        }
        var i = rows.lowerBound
        while i + 4 <= rows.upperBound {
            let (p0, p1, p2, p3) = kernel.partials(x + i * d, x + (i + 1) * d, x + (i + 2) * d, x + (i + 3) * d, group: 0)
            take(i, p0); take(i + 1, p1); take(i + 2, p2); take(i + 3, p3)
            i += 4
        }
        while i < rows.upperBound { take(i, kernel.partial(x + i * d, group: 0)); i += 1 }
        for trial in 0..<trials { potential[trial] = Double(sums[trial]) }
    }

    /// The rows of X at `rows`, as a [rows.count, d] tensor.
    static func gather(_ x: Tensor, rows: [Int]) -> Tensor {
        let d = x.shape[1]
        var out = Tensor(uninitializedShape: [rows.count, d])
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { out in
                for (r, row) in rows.enumerated() {
                    (out.baseAddress! + r * d).update(from: xs.baseAddress! + row * d, count: d)
                }
            }
        }
        return out
    }
}
