// Shape operations on Variables. They move numbers without changing them, so
// the gradient is moved back the same way:
//   reshape:  ∂L/∂x = reshape(∂L/∂out, x.shape)
//   permute:  ∂L/∂x = permute(∂L/∂out, inverse permutation)
//   transpose (last two axes) is its own inverse.

import Tensor

extension Variable {
    public func reshaped(_ shape: [Int]) -> Variable {
        let original = self.shape
        return Variable(value.reshaped(shape), op: "reshape", parents: [self]) { g in [g.reshaped(original)] }
    }

    public func reshaped(_ sizes: Int...) -> Variable { reshaped(sizes) }

    public func permuted(_ axes: [Int]) -> Variable {
        var inverse = [Int](repeating: 0, count: axes.count)
        for (k, axis) in axes.enumerated() { inverse[value.normalizedAxis(axis, op: "permuted")] = k }
        return Variable(value.permuted(axes), op: "permute", parents: [self]) { g in [g.permuted(inverse)] }
    }

    /// The last two axes swapped.
    public func transposed() -> Variable {
        Variable(value.transposed(), op: "transpose", parents: [self]) { g in [g.transposed()] }
    }
}
