// GradientClipping: rescale all gradients together when their global norm is too large.
//
//     ‖g‖ = √(Σ over every parameter p, every element i of g_p,i²)
//     c = maxNorm / (‖g‖ + 10⁻⁶)
//     if c < 1:  g ← c · g
//
// One bad batch can produce a huge gradient (in recurrent nets and
// transformers especially) and a single step along it can undo training.
// Scaling every gradient by the same factor keeps the update's direction and
// bounds its length (Pascanu et al., "On the difficulty of training recurrent
// neural networks", ICML 2013, Algorithm 1). This is
// torch.nn.utils.clip_grad_norm_ with norm_type 2: it returns the norm
// before clipping, which is worth logging. The sum of squares is accumulated
// in Double so that millions of elements lose nothing to rounding.

import Autograd
import Tensor

/// Scales the gradients of `parameters` in place so that their global L2 norm is at most
/// `maxNorm`, and returns the norm they had before. Parameters without gradients are skipped.
@discardableResult
public func clipGradNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    precondition(maxNorm >= 0, "clipGradNorm: maxNorm must be ≥ 0, got \(maxNorm)")
    var sumOfSquares = 0.0
    for parameter in parameters {
        guard let grad = parameter.grad else { continue }
        sumOfSquares += grad.withUnsafeBufferPointer { g in
            // Float partial sums over short blocks, added in Double.
            var total = 0.0
            var start = 0
            while start < g.count {
                let end = Swift.min(start + 4096, g.count)
                let block = g.baseAddress! + start
                total += Double(VectorSums.dot(block, block, count: end - start))
                start = end
            }
            return total
        }
    }
    let norm = Float(sumOfSquares.squareRoot())
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for parameter in parameters where parameter.grad != nil {
            parameter.grad!.withUnsafeMutableBufferPointer { g in
                for i in g.indices { g[i] *= scale }
            }
        }
    }
    return norm
}
