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
// Layout: each step measures every row against only L (4 for k = 16)
// points, too few to fill the 16 lanes of a SIMD register with centres as the
// Lloyd kernel does. So X is copied once into tiles of 16 rows stored
// feature-major ([tile, d, 16], RowTiles below): one SIMD16 FMA then advances
// 16 rows by one feature against one candidate,
//     acc[rows] += Xᵀ_tile[f] · y[f],   ‖x − y‖² = ‖x‖² − 2·acc + ‖y‖²,
// and the min with D² and its store are whole-register operations. The
// potential of each candidate is summed per fixed block of tiles in Double
// (RowBlocks), so the choice does not depend on the thread count.
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
        let trials = 2 + Int(Foundation.log(Double(k)))
        let tiles = RowTiles(x, rowNorms: rowNorms)
        let padded = tiles.count * 16                                      // n rounded up to whole tiles
        let blocks = RowBlocks(rows: tiles.count, minimumSize: 128)        // blocks of tiles
        // closest[i] = D(xᵢ)², the squared distance to the nearest centre chosen so far (0 for padding rows).
        var closest = [Float](repeating: 0, count: padded)
        var candidateClosest = [Float](repeating: 0, count: (trials + 3) * padded)   // [trial, padded]: min(D², ‖x − y‖²)
        var cumulative = [Double](repeating: 0, count: n)

        // Measures X against `candidates` rows; returns φ(y) per candidate and fills candidateClosest.
        func potentials(_ candidates: [Int], closestSoFar: [Float]) -> [Double] {
            let count = candidates.count
            let groups = (count + 3) / 4                                   // candidates four at a time
            var points = [Float](repeating: 0, count: groups * 4 * d)      // [4·groups, d], the last repeated as padding
            var norms = [Float](repeating: 0, count: groups * 4)
            x.withUnsafeBufferPointer { xs in
                for slot in 0..<(groups * 4) {
                    let row = candidates[Swift.min(slot, count - 1)]
                    for f in 0..<d { points[slot * d + f] = xs[row * d + f] }
                    norms[slot] = rowNorms[row]
                }
            }
            var blockPotential = [Double](repeating: 0, count: blocks.count * groups * 4)   // [block, slot]
            tiles.values.withUnsafeBufferPointer { values in
                tiles.norms.withUnsafeBufferPointer { tileNorms in
                    closestSoFar.withUnsafeBufferPointer { closest in
                        candidateClosest.withUnsafeMutableBufferPointer { candidateClosest in
                            blockPotential.withUnsafeMutableBufferPointer { blockPotential in
                                let (mins, sums) = (ParallelWritePointer(candidateClosest.baseAddress!),
                                                    ParallelWritePointer(blockPotential.baseAddress!))
                                blocks.forEach { block, tileRange in
                                    potentialOfCandidates(tiles: tileRange, d: d, padded: padded, groups: groups,
                                                          values: values.baseAddress!, rowNorms: tileNorms.baseAddress!,
                                                          points: points, pointNorms: norms, closest: closest.baseAddress!,
                                                          candidateClosest: mins.pointer,
                                                          potential: sums.pointer + block * groups * 4)
                                }
                            }
                        }
                    }
                }
            }
            return (0..<count).map { slot in
                (0..<blocks.count).reduce(0.0) { $0 + blockPotential[$1 * groups * 4 + slot] }
            }
        }

        var chosen = [generator.nextInt(below: n)]
        var noCentreYet = [Float](repeating: .infinity, count: padded)   // D² before any centre: +∞ (0 on padding rows)
        for i in n..<padded { noCentreYet[i] = 0 }
        _ = potentials(chosen, closestSoFar: noCentreYet)
        closest.withUnsafeMutableBufferPointer { closest in
            candidateClosest.withUnsafeBufferPointer { closest.baseAddress!.update(from: $0.baseAddress!, count: padded) }
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
                    var (low, high) = (0, n - 1)                  // the first i with cumulative[i] > target
                    while low < high {
                        let middle = (low + high) / 2
                        if cumulative[middle] > target { high = middle } else { low = middle + 1 }
                    }
                    candidates.append(low)
                } else {
                    candidates.append(generator.nextInt(below: n))  // every row sits on a centre already
                }
            }
            // Keep the candidate whose potential φ(y) = Σᵢ min(D(xᵢ)², ‖xᵢ − y‖²) is lowest.
            let potential = potentials(candidates, closestSoFar: closest)
            let best = potential.indices.min { potential[$0] < potential[$1] }!
            chosen.append(candidates[best])
            closest.withUnsafeMutableBufferPointer { closest in
                candidateClosest.withUnsafeBufferPointer {
                    closest.baseAddress!.update(from: $0.baseAddress! + best * padded, count: padded)
                }
            }
        }
        return chosen
    }

    /// For the tiles of one block and candidates in groups of four (slot s = 4g + q):
    /// candidateClosest[s, i] = min(closest[i], ‖xᵢ − y_s‖²), and potential[s] = its sum over the block.
    @inline(__always)
    private static func potentialOfCandidates(tiles: Range<Int>, d: Int, padded: Int, groups: Int,
                                              values: UnsafePointer<Float>, rowNorms: UnsafePointer<Float>,
                                              points: UnsafePointer<Float>, pointNorms: UnsafePointer<Float>,
                                              closest: UnsafePointer<Float>, candidateClosest: UnsafeMutablePointer<Float>,
                                              potential: UnsafeMutablePointer<Double>) {
        for group in 0..<groups {
            let (y0, y1, y2, y3) = (points + 4 * group * d, points + (4 * group + 1) * d,
                                    points + (4 * group + 2) * d, points + (4 * group + 3) * d)
            var (s0, s1, s2, s3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())  // a lane adds one row per tile of the block
            for tile in tiles {
                let column = UnsafeRawPointer(values + tile * d * 16)
                var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
                for f in 0..<d {                                               // acc += Xᵀ_tile[f] · y[f]
                    let x = column.load(fromByteOffset: f * 64, as: SIMD16<Float>.self)
                    a0 = a0.addingProduct(x, SIMD16(repeating: y0[f]))
                    a1 = a1.addingProduct(x, SIMD16(repeating: y1[f]))
                    a2 = a2.addingProduct(x, SIMD16(repeating: y2[f]))
                    a3 = a3.addingProduct(x, SIMD16(repeating: y3[f]))
                }
                let norms = UnsafeRawPointer(rowNorms + tile * 16).load(as: SIMD16<Float>.self)
                let nearest = UnsafeRawPointer(closest + tile * 16).load(as: SIMD16<Float>.self)
                @inline(__always) func finish(_ acc: SIMD16<Float>, _ slot: Int, _ sum: inout SIMD16<Float>) {
                    var distance = (norms + SIMD16(repeating: pointNorms[slot])).addingProduct(SIMD16(repeating: -2), acc)
                    distance.replace(with: 0, where: distance .< 0)                 // rounding of the expansion
                    let nearer = distance.replacing(with: nearest, where: nearest .< distance)   // min, as a vector select
                    UnsafeMutableRawPointer(candidateClosest + slot * padded + tile * 16).storeBytes(of: nearer, as: SIMD16<Float>.self)
                    sum += nearer
                }
                finish(a0, 4 * group, &s0); finish(a1, 4 * group + 1, &s1)
                finish(a2, 4 * group + 2, &s2); finish(a3, 4 * group + 3, &s3)
            }
            potential[4 * group] = Double(s0.sum()); potential[4 * group + 1] = Double(s1.sum())
            potential[4 * group + 2] = Double(s2.sum()); potential[4 * group + 3] = Double(s3.sum())
        }
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

/// X copied into tiles of 16 rows stored feature-major, [tile, d, 16] (rows past n are zero), with ‖xᵢ‖² per row.
private struct RowTiles {
    let count: Int
    var values: [Float]
    var norms: [Float]

    init(_ x: Tensor, rowNorms: [Float]) {
        let (n, d) = (x.shape[0], x.shape[1])
        count = (n + 15) / 16
        var values = [Float](repeating: 0, count: count * d * 16)
        var norms = [Float](repeating: 0, count: count * 16)
        norms.withUnsafeMutableBufferPointer { norms in
            rowNorms.withUnsafeBufferPointer { norms.baseAddress!.update(from: $0.baseAddress!, count: n) }
        }
        let tileCount = count
        x.withUnsafeBufferPointer { xs in
            values.withUnsafeMutableBufferPointer { values in
                let out = ParallelWritePointer(values.baseAddress!)
                Parallel.forRanges(tileCount, minimumPerThread: 256) { tiles in
                    for tile in tiles {
                        for r in 0..<Swift.min(16, n - tile * 16) {
                            let row = xs.baseAddress! + (tile * 16 + r) * d
                            let column = out.pointer + tile * d * 16 + r
                            for f in 0..<d { column[f * 16] = row[f] }
                        }
                    }
                }
            }
        }
        self.values = values
        self.norms = norms
    }
}
