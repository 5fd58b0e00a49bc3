// Reductions of Variables.
//
//   sum:   out = Σ_i x_i            ∂out/∂x_i = 1          (the gradient is broadcast back)
//   mean:  out = (1/n) Σ_i x_i      ∂out/∂x_i = 1/n
//   variance: composed as Σ (x − mean)² / (n − correction), so ∂/∂x_i = 2(x_i − mean)/(n − correction)
// Along an axis, the reduced axis is put back as size 1 and broadcast.

import Tensor

extension Variable {
    /// Sum of every element (a scalar Variable).
    public func sum() -> Variable {
        let shape = self.shape
        return Variable(Tensor(value.sum()), op: "sum", parents: [self]) { g in [g.broadcast(to: shape)] }
    }

    /// Sum along `axis`.
    public func sum(axis: Int, keepDims: Bool = false) -> Variable {
        let shape = self.shape
        let a = value.normalizedAxis(axis, op: "sum")
        return Variable(value.sum(axis: a, keepDims: keepDims), op: "sum", parents: [self]) { g in
            let kept = keepDims ? g : g.unsqueezed(axis: a)
            return [kept.broadcast(to: shape)]
        }
    }

    /// Mean of every element.
    public func mean() -> Variable { sum() / Float(value.count) }

    /// Mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Variable {
        let a = value.normalizedAxis(axis, op: "mean")
        return sum(axis: a, keepDims: keepDims) / Float(shape[a])
    }
}

extension Variable {
    /// Variance along `axis`: Σ (x − mean)² / (n − correction), composed from the ops above
    /// (so its gradient, 2(x − mean)/(n − correction), comes from theirs). correction 0 is the
    /// population variance used by LayerNorm and BatchNorm; 1 is the sample variance.
    public func variance(axis: Int, keepDims: Bool = false, correction: Int = 0) -> Variable {
        let a = value.normalizedAxis(axis, op: "variance")
        precondition(shape[a] > correction, "variance: axis \(axis) of shape \(shape) has \(shape[a]) elements, correction \(correction)")
        let centred = self - mean(axis: a, keepDims: true)
        return centred.squared().sum(axis: a, keepDims: keepDims) / Float(shape[a] - correction)
    }
}
