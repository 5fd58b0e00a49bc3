// BoostingLoss: what boosting minimises, through its first two derivatives.
//
// Boosting adds trees to a score F(x) (one score per class for softmax). Each
// round needs, for every training row, the gradient gᵢ = ∂ℓ/∂F and hessian
// hᵢ = ∂²ℓ/∂F² of the loss at the current score:
//   squared error   ℓ = ½(F − y)²                 g = F − y,       h = 1
//   binary log-loss ℓ = −y log p − (1−y) log(1−p),  p = σ(F) = 1/(1 + e^{−F}),
//                                                  g = p − y,       h = p(1 − p)
//   softmax         ℓ = −log p_y,  p_k = e^{F_k} / Σ_c e^{F_c},
//                                                  g_k = p_k − 1[y = k],  h_k = p_k(1 − p_k)
// (the softmax hessian is its diagonal, as in LightGBM and XGBoost; one tree
// per class per round). The starting score is the best constant: the mean of
// y, the log-odds log(p̄/(1 − p̄)) of the positive rate, and log p̄_k of the
// class frequencies. Scores are stored class by class: F_k(xᵢ) at k·n + i.
// The reported loss is the mean of ℓ over the rows (½(F−y)² for squared
// error), summed in blocks of fixed size so it does not depend on the thread count.
import Foundation
import Tensor

/// The loss a boosted ensemble minimises.
enum BoostingLoss: Sendable {
    case squaredError
    case logLoss
    case softmax(classes: Int)

    /// How many scores (trees per round) each row has.
    var outputs: Int {
        if case .softmax(let k) = self { return k }
        return 1
    }

    /// The best constant score per output, from the targets (values, 0/1 labels or class indices).
    func initialScores(_ y: [Float]) -> [Float] {
        let n = Double(y.count)
        switch self {
        case .squaredError:
            return [Float(y.reduce(0.0) { $0 + Double($1) } / n)]
        case .logLoss:
            let p = Swift.min(Swift.max(y.reduce(0.0) { $0 + Double($1) } / n, 1e-15), 1 - 1e-15)
            return [Float(log(p / (1 - p)))]
        case .softmax(let k):
            var counts = [Double](repeating: 0, count: k)
            for label in y { counts[Int(label)] += 1 }
            return counts.map { Float(log(Swift.max($0 / n, 1e-15))) }
        }
    }

    /// Fills g and h ([outputs · n], class by class) at the scores F ([outputs · n]).
    func derivatives(scores: UnsafePointer<Float>, targets: UnsafePointer<Float>, count n: Int,
                     gradients: UnsafeMutablePointer<Float>, hessians: UnsafeMutablePointer<Float>) {
        let (g, h) = (ParallelWritePointer(gradients), ParallelWritePointer(hessians))
        Parallel.forRanges(n, minimumPerThread: 16_384) { rows in
            switch self {
            case .squaredError:
                for i in rows { g.pointer[i] = scores[i] - targets[i]; h.pointer[i] = 1 }
            case .logLoss:
                for i in rows {
                    let p = 1 / (1 + expf(-scores[i]))
                    g.pointer[i] = p - targets[i]
                    h.pointer[i] = Swift.max(p * (1 - p), 1e-16)
                }
            case .softmax(let k):
                for i in rows {
                    var largest = -Float.infinity
                    for c in 0..<k { largest = Swift.max(largest, scores[c * n + i]) }
                    var total: Float = 0
                    for c in 0..<k { total += expf(scores[c * n + i] - largest) }
                    for c in 0..<k {
                        let p = expf(scores[c * n + i] - largest) / total
                        g.pointer[c * n + i] = p - (Int(targets[i]) == c ? 1 : 0)
                        h.pointer[c * n + i] = Swift.max(p * (1 - p), 1e-16)
                    }
                }
            }
        }
    }

    /// The mean loss over n rows at the scores F.
    func meanLoss(scores: UnsafePointer<Float>, targets: UnsafePointer<Float>, count n: Int) -> Double {
        let block = 8_192, blocks = (n + block - 1) / block
        var sums = [Double](repeating: 0, count: blocks)
        sums.withUnsafeMutableBufferPointer { sums in
            let out = ParallelWritePointer(sums.baseAddress!)
            Parallel.forRanges(blocks, minimumPerThread: 2) { range in
                for b in range {
                    var sum = 0.0
                    for i in b * block ..< Swift.min(n, (b + 1) * block) { sum += rowLoss(scores, targets[i], i, n) }
                    out.pointer[b] = sum
                }
            }
        }
        return sums.reduce(0, +) / Double(n)
    }

    /// ℓ at row i.
    private func rowLoss(_ scores: UnsafePointer<Float>, _ y: Float, _ i: Int, _ n: Int) -> Double {
        switch self {
        case .squaredError:
            let r = Double(scores[i] - y)
            return 0.5 * r * r
        case .logLoss:
            // −y log σ(F) − (1−y) log(1 − σ(F)) = log(1 + e^F) − y·F, computed without overflow.
            let f = Double(scores[i])
            return Swift.max(f, 0) + log1p(exp(-abs(f))) - Double(y) * f
        case .softmax(let k):
            var largest = -Double.infinity
            for c in 0..<k { largest = Swift.max(largest, Double(scores[c * n + i])) }
            var total = 0.0
            for c in 0..<k { total += exp(Double(scores[c * n + i]) - largest) }
            return log(total) + largest - Double(scores[Int(y) * n + i])
        }
    }
}
