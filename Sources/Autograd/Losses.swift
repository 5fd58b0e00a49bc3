// Loss functions: a scalar that says how wrong a prediction is, and its gradient.
//
// Cross-entropy of logits x (one row of C scores per example) and a class t:
//   loss_i  = −log softmax(x_i)_t = logSumExp(x_i) − x_it
//   ∂loss_i/∂x_ij = softmax(x_i)_j − [j = t]
// With label smoothing ε the target is the distribution q_j = (1 − ε)[j = t] + ε/C:
//   loss_i  = Σ_j q_j (logSumExp(x_i) − x_ij) = logSumExp(x_i) − Σ_j q_j x_ij   (as Σ_j q_j = 1)
//   ∂loss_i/∂x_ij = softmax(x_i)_j − q_j
// The loss is the mean over the counted rows (rows whose target is `ignoreIndex`
// are left out of the sum and the count, as in PyTorch). It is FUSED: the
// forward pass keeps only logSumExp of each row (N numbers), never softmax; the
// backward pass writes softmax − q straight into the one gradient tensor it
// returns. Computing it as x.logSoftmax().nllLoss(t) would hold two more
// [N, C] tensors.
//
// Negative log-likelihood of log-probabilities p (e.g. from logSoftmax):
//   loss = −(1/N) Σ_i p_i,t_i          ∂loss/∂p_ij = −1/N if j = t_i, else 0
// Mean squared error:
//   loss = (1/n) Σ (a − b)²            ∂loss/∂a = 2(a − b)/n,   ∂loss/∂b = −2(a − b)/n
// Binary cross-entropy of a logit x against y ∈ [0, 1], as written for stability
// (no exp of a positive number, no log of 0):
//   ℓ = −y log σ(x) − (1 − y) log(1 − σ(x)) = max(x, 0) − x·y + log(1 + e^(−|x|))
//   ∂ℓ/∂x = σ(x) − y                   (the loss is the mean of ℓ over all elements)

import Tensor

extension Variable {
    /// Mean cross-entropy of these logits against class indices (PyTorch's `F.cross_entropy`).
    ///
    /// Logits are [N, C], or [N, C, d₁, …] with the classes on axis 1 and one target per
    /// (n, d₁, …) in row-major order. A target equal to `ignoreIndex` adds nothing to the loss
    /// or its count; if every target is ignored the loss is 0 with a zero gradient.
    /// `labelSmoothing` ε ∈ [0, 1] mixes the one-hot target with the uniform distribution.
    public func crossEntropy(_ targets: [Int], labelSmoothing: Float = 0, ignoreIndex: Int? = nil) -> Variable {
        precondition(rank >= 2, "crossEntropy: logits must be [N, C] or [N, C, …], shape is \(shape)")
        precondition(labelSmoothing >= 0 && labelSmoothing <= 1,
                     "crossEntropy: labelSmoothing must be in [0, 1], got \(labelSmoothing)")
        let logitsShape = shape
        let classes = shape[1]
        // Classes last, one row per prediction: [N, C, d…] -> [N, d…, C] -> [M, C].
        let toRows = [0] + Array(2..<rank) + [1]
        let m = shape.enumerated().reduce(1) { $1.offset == 1 ? $0 : $0 * $1.element }
        let rows = (rank == 2 ? value : value.permuted(toRows)).reshaped([m, classes])    // [M, C]
        precondition(targets.count == m,
                     "crossEntropy: logits \(logitsShape) need \(m) targets, got \(targets.count)")
        for (i, t) in targets.enumerated() where t != ignoreIndex {
            precondition(t >= 0 && t < classes,
                         "crossEntropy: target \(t) at position \(i) is not a class of logits \(logitsShape) (0..<\(classes))")
        }

        let logSumExp = rows.logSumExp(axis: 1)                                  // [M]
        let rowSums = labelSmoothing > 0 ? rows.sum(axis: 1) : Tensor.zeros([m]) // Σ_j x_ij, [M]
        let onTarget = 1 - labelSmoothing, uniform = labelSmoothing / Float(classes)
        var total = 0.0, counted = 0
        rows.withUnsafeBufferPointer { x in
            logSumExp.withUnsafeBufferPointer { s in
                rowSums.withUnsafeBufferPointer { r in
                    for (i, t) in targets.enumerated() where t != ignoreIndex {
                        let expected = Double(onTarget) * Double(x[i * classes + t]) + Double(uniform) * Double(r[i])
                        total += Double(s[i]) - expected
                        counted += 1
                    }
                }
            }
        }
        let loss = counted == 0 ? 0 : Float(total / Double(counted))

        return Variable(Tensor(loss), op: "crossEntropy", parents: [self]) { g in
            // ∂L/∂x_ij = g/M' · (e^(x_ij − s_i) − q_ij), row by row, written once.
            let scale = counted == 0 ? 0 : g.item / Float(counted)
            var grad = Tensor(uninitializedShape: [m, classes])              // [M, C]
            rows.withUnsafeBufferPointer { x in
                logSumExp.withUnsafeBufferPointer { s in
                    targets.withUnsafeBufferPointer { t in
                        grad.withUnsafeMutableBufferPointer { d in
                            let xp = x.baseAddress!, sp = s.baseAddress!, tp = t.baseAddress!, dp = d.baseAddress!
                            Parallel.forRanges(m, minimumPerThread: Swift.max(1, 16_384 / Swift.max(classes, 1))) { range in
                                for i in range {
                                    let from = xp + i * classes, to = dp + i * classes
                                    if tp[i] == ignoreIndex || scale == 0 {
                                        to.update(repeating: 0, count: classes)
                                        continue
                                    }
                                    softmaxMinusUniform(from, into: to, classes, shift: sp[i],
                                                        scale: scale, uniform: uniform)
                                    to[tp[i]] -= onTarget * scale
                                }
                            }
                        }
                    }
                }
            }
            if logitsShape.count == 2 { return [grad] }
            // [M, C] -> [N, d…, C] -> [N, C, d…]
            let inverse = [0, logitsShape.count - 1] + Array(1..<(logitsShape.count - 1))
            let moved = toRows.map { logitsShape[$0] }
            return [grad.reshaped(moved).permuted(inverse)]
        }
    }

    /// Mean negative log-likelihood of log-probabilities [N, C] at the target classes (PyTorch's `F.nll_loss`).
    public func nllLoss(_ targets: [Int]) -> Variable {
        precondition(rank == 2, "nllLoss: log-probabilities must be [N, C], shape is \(shape)")
        let (n, classes) = (shape[0], shape[1])
        precondition(targets.count == n, "nllLoss: log-probabilities \(shape) need \(n) targets, got \(targets.count)")
        for (i, t) in targets.enumerated() {
            precondition(t >= 0 && t < classes,
                         "nllLoss: target \(t) at position \(i) is not a class of log-probabilities \(shape) (0..<\(classes))")
        }
        let total = value.withUnsafeBufferPointer { p in
            targets.enumerated().reduce(0.0) { $0 + Double(p[$1.offset * classes + $1.element]) }
        }
        return Variable(Tensor(Float(-total / Double(n))), op: "nllLoss", parents: [self]) { g in
            var grad = Tensor.zeros([n, classes])
            let weight = -g.item / Float(n)
            grad.withUnsafeMutableBufferPointer { d in
                for (i, t) in targets.enumerated() { d[i * classes + t] = weight }
            }
            return [grad]
        }
    }

    /// Mean squared error between this prediction and `target` (same shape); gradients flow to both.
    public func mseLoss(_ target: Variable) -> Variable {
        precondition(shape == target.shape, "mseLoss: prediction \(shape) and target \(target.shape) differ in shape")
        let difference = value - target.value
        let n = Float(Swift.max(difference.count, 1))
        return Variable(Tensor(difference.squared().mean()), op: "mseLoss", parents: [self, target]) { g in
            let grad = difference * (2 * g.item / n)
            return [grad, -grad]
        }
    }

    /// Mean binary cross-entropy of these logits against targets in [0, 1] (same shape),
    /// computed stably as max(x, 0) − x·y + log(1 + e^(−|x|)) (PyTorch's `F.binary_cross_entropy_with_logits`).
    public func binaryCrossEntropyWithLogits(_ targets: Tensor) -> Variable {
        precondition(shape == targets.shape,
                     "binaryCrossEntropyWithLogits: logits \(shape) and targets \(targets.shape) differ in shape")
        let x = value
        let n = Float(Swift.max(x.count, 1))
        let elementwise = x.relu() - x * targets + ((-x.abs()).exp() + 1).log()
        return Variable(Tensor(elementwise.mean()), op: "binaryCrossEntropyWithLogits", parents: [self]) { g in
            [(x.sigmoid() - targets) * (g.item / n)]
        }
    }
}

/// Mean cross-entropy of `logits` ([N, C] or [N, C, …]) against class indices; see `Variable.crossEntropy`.
public func crossEntropy(logits: Variable, targets: [Int], labelSmoothing: Float = 0, ignoreIndex: Int? = nil) -> Variable {
    logits.crossEntropy(targets, labelSmoothing: labelSmoothing, ignoreIndex: ignoreIndex)
}

/// Mean negative log-likelihood of `logProbabilities` [N, C] at the target classes.
public func nllLoss(logProbabilities: Variable, targets: [Int]) -> Variable {
    logProbabilities.nllLoss(targets)
}

/// Mean squared error of two Variables of one shape.
public func mseLoss(_ prediction: Variable, _ target: Variable) -> Variable {
    prediction.mseLoss(target)
}

/// Mean binary cross-entropy of `logits` against targets in [0, 1].
public func binaryCrossEntropyWithLogits(_ logits: Variable, targets: Tensor) -> Variable {
    logits.binaryCrossEntropyWithLogits(targets)
}

/// to_j = scale · (e^(x_j − shift) − uniform) for j < n: one row of the cross-entropy gradient, 16 lanes at a time.
@inline(__always)
func softmaxMinusUniform(_ x: UnsafePointer<Float>, into to: UnsafeMutablePointer<Float>, _ n: Int,
                                 shift: Float, scale: Float, uniform: Float) {
    let shiftVector = SIMD16<Float>(repeating: shift), offset = SIMD16<Float>(repeating: uniform * scale)
    var j = 0
    while j + 16 <= n {
        let v = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
        let e = FastMath.exp(v - shiftVector) * scale - offset
        UnsafeMutableRawPointer(to + j).storeBytes(of: e, as: SIMD16<Float>.self)
        j += 16
    }
    while j < n {
        to[j] = FastMath.scalar(x[j] - shift, FastMath.exp) * scale - uniform * scale
        j += 1
    }
}
