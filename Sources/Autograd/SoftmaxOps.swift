// Softmax, log-softmax and log-sum-exp of Variables, along one axis.
//
//   softmax:    y_i = e^(x_i) / Σ_j e^(x_j)
//               ∂L/∂x_i = y_i · (g_i − Σ_j g_j y_j)            (g = ∂L/∂y)
//   logSoftmax: y_i = x_i − log Σ_j e^(x_j)
//               ∂L/∂x_i = g_i − softmax(x)_i · Σ_j g_j          (softmax(x) = e^y)
//   logSumExp:  s = log Σ_j e^(x_j)
//               ∂L/∂x_i = g · softmax(x)_i = g · e^(x_i − s)
// The sums run along the chosen axis; they are kept as a size-1 axis
// (keepDims) so that they broadcast back over it. The values come from the
// stable Tensor kernels (Tensor/Ops/Softmax.swift), which subtract the maximum.

import Tensor

extension Variable {
    /// Softmax along `axis`: every slice along the axis becomes positive and sums to 1.
    public func softmax(axis: Int = -1) -> Variable {
        let a = value.normalizedAxis(axis, op: "softmax")
        let y = value.softmax(axis: a)
        return Variable(y, op: "softmax", parents: [self]) { g in
            [y * (g - (g * y).sum(axis: a, keepDims: true))]
        }
    }

    /// log(softmax(x)) along `axis`, computed without forming softmax (no underflow to log 0).
    public func logSoftmax(axis: Int = -1) -> Variable {
        let a = value.normalizedAxis(axis, op: "logSoftmax")
        let y = value.logSoftmax(axis: a)
        return Variable(y, op: "logSoftmax", parents: [self]) { g in
            [g - y.exp() * g.sum(axis: a, keepDims: true)]
        }
    }

    /// log Σ e^x along `axis`, without overflow. The axis is removed, or kept with size 1 when `keepDims`.
    public func logSumExp(axis: Int = -1, keepDims: Bool = false) -> Variable {
        let a = value.normalizedAxis(axis, op: "logSumExp")
        let x = value
        let s = x.logSumExp(axis: a, keepDims: true)                 // (…, 1, …)
        let out = keepDims ? s : s.squeezed(axis: a)
        return Variable(out, op: "logSumExp", parents: [self]) { g in
            let kept = keepDims ? g : g.unsqueezed(axis: a)          // (…, 1, …)
            return [kept * (x - s).exp()]
        }
    }
}
