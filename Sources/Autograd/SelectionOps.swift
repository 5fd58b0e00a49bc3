// Piecewise ops: each output element is one of its inputs (or a constant), so
// the gradient flows, unchanged, to whichever input was chosen and to no other.
//   max along an axis:  out = x_k, k = first index of the largest   ∂L/∂x_j = g if j = k, else 0
//   min along an axis:  the same with the smallest
//   where(m, a, b):     out = m ≠ 0 ? a : b       ∂L/∂a = g where m ≠ 0,  ∂L/∂b = g elsewhere
//   maximum(a, b):      out = a > b ? a : b       ∂L/∂a = g where a > b,  ∂L/∂b = g where b > a,
//                                                 g/2 to each where a = b (PyTorch's torch.maximum)
//   minimum(a, b):      the same with <
//   clamped(lo, hi):    out = min(max(x, lo), hi) ∂L/∂x = g where lo ≤ x ≤ hi, else 0
//   abs:                out = |x|                  ∂L/∂x = g · sign(x)   (0 at x = 0, as in PyTorch)
// At a tie or a kink the derivative does not exist; these are the usual choices
// (one subgradient), and gradcheck only tests inputs away from them.

import Tensor

extension Variable {
    /// The largest element along `axis`; the gradient goes to the first arg-max.
    public func max(axis: Int, keepDims: Bool = false) -> Variable {
        extremum(axis: axis, keepDims: keepDims, largest: true)
    }

    /// The smallest element along `axis`; the gradient goes to the first arg-min.
    public func min(axis: Int, keepDims: Bool = false) -> Variable {
        extremum(axis: axis, keepDims: keepDims, largest: false)
    }

    private func extremum(axis: Int, keepDims: Bool, largest: Bool) -> Variable {
        let op = largest ? "max" : "min"
        let a = value.normalizedAxis(axis, op: op)
        let shape = self.shape
        let out = largest ? value.max(axis: a, keepDims: keepDims) : value.min(axis: a, keepDims: keepDims)
        let winners = largest ? value.argmax(axis: a) : value.argmin(axis: a)   // [outer…, inner…], as Floats
        return Variable(out, op: op, parents: [self]) { g in
            let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *), n = shape[a]
            var grad = Tensor.zeros(shape)
            g.withUnsafeBufferPointer { gp in
                winners.withUnsafeBufferPointer { wp in
                    grad.withUnsafeMutableBufferPointer { dp in
                        for o in 0..<outer {
                            for j in 0..<inner {
                                let k = Int(wp[o * inner + j])
                                dp[(o * n + k) * inner + j] = gp[o * inner + j]
                            }
                        }
                    }
                }
            }
            return [grad]
        }
    }

    /// Picks from `a` where `mask` is non-zero and from `b` elsewhere; all three broadcast together.
    /// The mask is a constant (a comparison has no gradient).
    public static func `where`(_ mask: Tensor, _ a: Variable, _ b: Variable) -> Variable {
        let out = Tensor.where(mask, a.value, b.value)
        return Variable(out, op: "where", parents: [a, b]) { g in
            let zero = Tensor(0)
            return [Tensor.where(mask, g, zero).summed(toShape: a.shape),
                    Tensor.where(mask, zero, g).summed(toShape: b.shape)]
        }
    }

    /// The elementwise larger of `a` and `b`, broadcast together (`torch.maximum`). The gradient goes to
    /// the larger input; at a tie each input receives half of it, as in PyTorch.
    public static func maximum(_ a: Variable, _ b: Variable) -> Variable {
        pickingElementwise(a, b, op: "maximum", larger: true)
    }

    /// The elementwise smaller of `a` and `b`, broadcast together (`torch.minimum`). The gradient goes to
    /// the smaller input; at a tie each input receives half of it, as in PyTorch.
    public static func minimum(_ a: Variable, _ b: Variable) -> Variable {
        pickingElementwise(a, b, op: "minimum", larger: false)
    }

    private static func pickingElementwise(_ a: Variable, _ b: Variable, op: String, larger: Bool) -> Variable {
        let (x, y) = (a.value, b.value)
        let out = larger ? Tensor.maximum(x, y) : Tensor.minimum(x, y)
        return Variable(out, op: op, parents: [a, b]) { g in
            let aWins = larger ? x .> y : x .< y                 // 1 where a is picked alone
            let bWins = larger ? y .> x : y .< x
            let tie = (x .== y) * 0.5                            // half each at a tie
            return [(g * (aWins + tie)).summed(toShape: a.shape),
                    (g * (bWins + tie)).summed(toShape: b.shape)]
        }
    }

    /// Every element limited to [low, high]; the gradient passes where low ≤ x ≤ high.
    public func clamped(min low: Float = -.infinity, max high: Float = .infinity) -> Variable {
        let x = value
        return Variable(x.clamped(min: low, max: high), op: "clamp", parents: [self]) { g in
            [g * (x .>= low) * (x .<= high)]
        }
    }

    /// |x| elementwise; the gradient is g·sign(x), 0 at x = 0.
    public func abs() -> Variable {
        let x = value
        return Variable(x.abs(), op: "abs", parents: [self]) { g in [g * ((x .> 0) - (x .< 0))] }
    }
}
