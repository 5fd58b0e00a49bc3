// Gradients of broadcast inputs.
//
// If x of shape [3, 1] was broadcast to [2, 3, 4] in a forward op, each element
// of x was used 2·4 times, so ∂L/∂x is the sum of ∂L/∂out over the axes that
// were added (the leading 2) and over the axes where x had size 1 (the 4):
//     ∂L/∂x[i, 0] = Σ_a Σ_k ∂L/∂out[a, i, k]

import Tensor

extension Tensor {
    /// This gradient summed back to `shape`, the shape of an input that was broadcast to ours.
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(rank >= target.count, "summed(toShape:): \(shape) cannot have been broadcast from \(target)")
        var g = self
        let added = rank - target.count
        if added > 0 { g = g.sum(axes: Array(0..<added)) }
        let stretched = target.indices.filter { target[$0] == 1 && g.shape[$0] != 1 }
        if !stretched.isEmpty { g = g.sum(axes: stretched, keepDims: true) }
        precondition(g.shape == target, "summed(toShape:): \(shape) cannot have been broadcast from \(target)")
        return g
    }
}
