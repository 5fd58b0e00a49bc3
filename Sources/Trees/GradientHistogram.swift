// GradientHistogram: per feature and per bin, the sums a split search needs.
//
// For a node holding rows I, feature j and bin b:
//     G[j][b] = Σ_{i∈I, bin_j(i)=b} gᵢ,   H[j][b] = Σ_{i∈I, bin_j(i)=b} hᵢ,   N[j][b] = #{i ∈ I : bin_j(i) = b}
// where gᵢ, hᵢ are the first and second derivatives of the loss at row i's
// current score. Building it costs one pass over the node's rows per feature.
//
// Histogram subtraction (LightGBM §3, "histogram subtraction"): a node's rows
// are the disjoint union of its children's, so the sums add,
//     hist(parent) = hist(left) + hist(right),
// and only the smaller child is built from its rows; the larger child's is
// hist(parent) − hist(smaller), d·256 subtractions however many rows it holds.
//
// Layout: one Double triple (G, H, N) per bin, 256 bins per feature (bin 255
// is the missing bin), features one after another. Sums are Double so that
// 200 000 float gradients add up without losing the small ones.
//
// Speed: the rows' gradients are first gathered in the node's row order
// ("ordered gradients", LightGBM), so the inner loop reads g, h and the row
// index sequentially and only the byte column is read at scattered places
// (the row indices of a node stay increasing, so even those reads go forward).
// Features are independent, so they are split across cores.

import Tensor

/// G, H and N for every (feature, bin) of one node.
struct GradientHistogram {
    static let binsPerFeature = 256
    /// 3 · 256 · features values: (G, H, N) of bin b of feature j at 3·(256·j + b).
    var sums: [Double]
    let features: Int

    init(features: Int) {
        self.features = features
        sums = [Double](repeating: 0, count: 3 * Self.binsPerFeature * features)
    }

    /// Sums the ordered gradients of `rows` into this histogram (cleared first), for the features in `used`.
    ///
    /// - Parameters:
    ///   - rows: the node's row indices, increasing; `gradients[k]`, `hessians[k]` belong to `rows[k]`.
    ///   - codes: the column-major bin codes of all training rows (`rowCount` rows per feature).
    mutating func build(rows: UnsafeBufferPointer<Int32>, gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
                        codes: UnsafePointer<UInt8>, rowCount: Int, used: UnsafePointer<Bool>) {
        let count = rows.count, features = self.features
        let threads = count * features >= 32_768 ? ComputeThreads.count : 1
        let rowIndex = rows.baseAddress!
        sums.withUnsafeMutableBufferPointer { sums in
            let out = ParallelWritePointer(sums.baseAddress!)
            Parallel.forRanges(features, minimumPerThread: 1, threads: threads) { range in
                for j in range {
                    let hist = out.pointer + 3 * Self.binsPerFeature * j
                    hist.update(repeating: 0, count: 3 * Self.binsPerFeature)
                    if !used[j] { continue }
                    let column = codes + j * rowCount
                    for k in 0..<count {
                        let b = 3 * Int(column[Int(rowIndex[k])])
                        hist[b] += Double(gradients[k])
                        hist[b + 1] += Double(hessians[k])
                        hist[b + 2] += 1
                    }
                }
            }
        }
    }

    /// Histogram subtraction: this parent's histogram becomes its other child's, `self − child`.
    mutating func subtract(_ child: GradientHistogram) {
        precondition(child.features == features, "GradientHistogram.subtract: child has \(child.features) features, parent \(features)")
        sums.withUnsafeMutableBufferPointer { parent in
            child.sums.withUnsafeBufferPointer { child in
                for i in 0..<parent.count { parent[i] -= child[i] }
            }
        }
    }

    /// (G, H, N) of bin b of feature j.
    func bin(_ b: Int, feature j: Int) -> (g: Double, h: Double, n: Double) {
        let i = 3 * (Self.binsPerFeature * j + b)
        return (sums[i], sums[i + 1], sums[i + 2])
    }
}
