// HistogramSplit: the best split of a node, read off its gradient histogram.
//
// Second-order boosting (XGBoost, Chen & Guestrin 2016, eq. 6–7) approximates
// the loss around the current scores; a leaf with gradient sum G and hessian
// sum H then takes the value w* = −G/(H + λ) and lowers the loss by
// ½·G²/(H + λ). Splitting a node (G, H) into left (G_L, H_L) and right
// (G_R, H_R) is worth (the ½ dropped, as LightGBM does)
//     gain = G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ).
// For feature j and threshold bin t the left child holds bins 0 … t, the right
// bins t+1 … k−1; prefix sums over the histogram give (G_L, H_L, N_L) for every
// t in one pass. Missing values (bin 255) go to one side as a block: both sides
// are tried and the better kept, so the split learns where missing values
// belong (LightGBM's "missing value handling", XGBoost's "default direction").
// A split is allowed only if both children keep at least `minSamplesLeaf` rows
// and a hessian sum of at least `minChildWeight`; features with one value bin
// and no missing values have nothing to split.

/// The rules a split must follow.
struct SplitRules {
    var l2: Double
    var minSamplesLeaf: Double
    var minChildWeight: Double

    /// G²/(H + λ), twice the loss reduction of a leaf.
    @inline(__always) func score(_ g: Double, _ h: Double) -> Double { g * g / (h + l2) }
}

/// A candidate split: rows with bin ≤ `threshold` (and missing rows if `missingGoesLeft`) go left.
struct HistogramSplit {
    var feature = -1
    var threshold = 0
    var missingGoesLeft = false
    var gain = 0.0
    /// Sums of each child, (G, H, N).
    var left = (g: 0.0, h: 0.0, n: 0.0)
    var right = (g: 0.0, h: 0.0, n: 0.0)

    var isValid: Bool { feature >= 0 && gain > 0 }

    /// The split of largest gain over the features in `used`; ties go to the lower feature, then the lower bin.
    static func best(in histogram: GradientHistogram, total: (g: Double, h: Double, n: Double), binCounts: [Int],
                     used: [Bool], rules: SplitRules) -> HistogramSplit {
        var best = HistogramSplit()
        let parentScore = rules.score(total.g, total.h)
        func consider(_ j: Int, _ t: Int, _ left: (g: Double, h: Double, n: Double), missingLeft: Bool) {
            let right = (g: total.g - left.g, h: total.h - left.h, n: total.n - left.n)
            guard left.n >= rules.minSamplesLeaf, right.n >= rules.minSamplesLeaf,
                  left.h >= rules.minChildWeight, right.h >= rules.minChildWeight else { return }
            let gain = rules.score(left.g, left.h) + rules.score(right.g, right.h) - parentScore
            if gain > best.gain {
                best = HistogramSplit(feature: j, threshold: t, missingGoesLeft: missingLeft, gain: gain,
                                      left: left, right: right)
            }
        }
        histogram.sums.withUnsafeBufferPointer { sums in
            for j in 0..<histogram.features where used[j] {
                let hist = sums.baseAddress! + 3 * GradientHistogram.binsPerFeature * j
                let missing = 3 * Int(FeatureBinning.missingBin)
                let missingSums = (g: hist[missing], h: hist[missing + 1], n: hist[missing + 2])
                let bins = binCounts[j]
                if bins <= 1 && missingSums.n == 0 { continue }
                var running = (g: 0.0, h: 0.0, n: 0.0)       // bins 0 … t
                for t in 0..<bins {
                    running.g += hist[3 * t]; running.h += hist[3 * t + 1]; running.n += hist[3 * t + 2]
                    // Missing rows on the right, then (when there are any) on the left.
                    consider(j, t, running, missingLeft: false)
                    if missingSums.n > 0 {
                        consider(j, t, (running.g + missingSums.g, running.h + missingSums.h, running.n + missingSums.n),
                                 missingLeft: true)
                    }
                }
            }
        }
        return best
    }
}
