// The log-probability a model gives to each observed token, unreduced.
//
// For logits x (one row of C scores per position) and the observed class t_i:
//   out_i       = log softmax(x_i)_t_i = x_i,t_i − logSumExp(x_i)         (N numbers)
//   ∂out_i/∂x_ij = [j = t_i] − softmax(x_i)_j
// Cross-entropy is the negative mean of these; DPO and the reward model need
// them one by one, to sum a sequence's log-likelihood over its continuation
// tokens only: log π(y | x) = Σ_t log π(y_t | x, y_<t). Fused like crossEntropy:
// the forward keeps logSumExp per row, never the [N, C] softmax.

import Tensor

extension Variable {
    /// log softmax(row i)[targets[i]] for each row of these logits [N, C]: a vector of N log-probabilities.
    public func targetLogProbabilities(_ targets: [Int]) -> Variable {
        precondition(rank == 2, "targetLogProbabilities: logits must be [N, C], shape is \(shape)")
        let (n, classes) = (shape[0], shape[1])
        precondition(targets.count == n, "targetLogProbabilities: logits \(shape) need \(n) targets, got \(targets.count)")
        for (i, t) in targets.enumerated() {
            precondition(t >= 0 && t < classes,
                         "targetLogProbabilities: target \(t) at row \(i) is not a class of logits \(shape) (0..<\(classes))")
        }
        let rows = value
        let logSumExp = rows.logSumExp(axis: 1)                                   // [N]
        var out = Tensor(uninitializedShape: [n])
        rows.withUnsafeBufferPointer { x in
            logSumExp.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<n { o[i] = x[i * classes + targets[i]] - s[i] }
                }
            }
        }
        return Variable(out, op: "targetLogProbabilities", parents: [self]) { g in
            var grad = Tensor(uninitializedShape: [n, classes])                   // −g_i·softmax_ij + g_i·[j = t_i]
            rows.withUnsafeBufferPointer { x in
                logSumExp.withUnsafeBufferPointer { s in
                    g.withUnsafeBufferPointer { gp in
                        grad.withUnsafeMutableBufferPointer { d in
                            for i in 0..<n {
                                softmaxMinusUniform(x.baseAddress! + i * classes, into: d.baseAddress! + i * classes, classes,
                                                    shift: s[i], scale: -gp[i], uniform: 0)
                                d[i * classes + targets[i]] += gp[i]
                            }
                        }
                    }
                }
            }
            return [grad]
        }
    }
}
