// Indexing and joining Variables: ops that copy elements to new places without
// changing them. Each output element is one input element, so the gradient of
// an input element is the sum of the gradients of the places it was copied to:
//   slice:        out = x[…, start..<end (step s), …]
//                 ∂L/∂x = zeros with ∂L/∂out written back into the sliced places
//   gathering:    out[…, k, …] = x[…, i_k, …]        (the embedding lookup, axis 0)
//                 ∂L/∂x[…, i, …] = Σ_{k: i_k = i} ∂L/∂out[…, k, …]   (scatter-add: repeats accumulate)
//   concatenated: out = [x₁ | x₂ | …] along an axis   ∂L/∂x_m = the m-th part of ∂L/∂out
//   stacked:      out[…, m, …] = x_m (new axis)      ∂L/∂x_m = ∂L/∂out[…, m, …]
//   squeezed / unsqueezed: reshapes, undone on the gradient.
// A tensor seen along axis a is [outer, n, inner] blocks (outer = sizes before a,
// inner = sizes after a), so every copy below moves runs of `inner` Floats.

import Tensor

extension Variable {
    /// Elements start, start+step, … below end along `axis`.
    public func slice(axis: Int = 0, _ range: Range<Int>, step: Int = 1) -> Variable {
        let a = value.normalizedAxis(axis, op: "slice")
        let shape = self.shape
        let out = value.slice(axis: a, range, step: step)      // shape with axis a of size ⌈count/step⌉
        return Variable(out, op: "slice", parents: [self]) { g in
            let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
            let n = shape[a], picked = g.shape[a]
            var grad = Tensor.zeros(shape)
            g.withUnsafeBufferPointer { gp in
                grad.withUnsafeMutableBufferPointer { dp in
                    for o in 0..<outer {
                        for r in 0..<picked {
                            let from = gp.baseAddress! + (o * picked + r) * inner
                            let to = dp.baseAddress! + (o * n + range.lowerBound + r * step) * inner
                            to.update(from: from, count: inner)
                        }
                    }
                }
            }
            return [grad]
        }
    }

    /// Rows chosen by index along `axis`, repeats allowed: the embedding lookup
    /// `table.gathering(tokenIDs)` ([V, D] -> [T, D]); the backward pass scatter-adds.
    public func gathering(_ indices: [Int], axis: Int = 0) -> Variable {
        let a = value.normalizedAxis(axis, op: "gathering")
        let shape = self.shape
        let out = value.gathering(indices, axis: a)            // axis a now has indices.count entries
        return Variable(out, op: "gathering", parents: [self]) { g in
            let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
            let n = shape[a], k = indices.count
            var grad = Tensor.zeros(shape)
            g.withUnsafeBufferPointer { gp in
                grad.withUnsafeMutableBufferPointer { dp in
                    indices.withUnsafeBufferPointer { ip in
                        for o in 0..<outer {
                            for r in 0..<k {
                                let from = gp.baseAddress! + (o * k + r) * inner
                                let to = dp.baseAddress! + (o * n + ip[r]) * inner
                                for j in 0..<inner { to[j] += from[j] }
                            }
                        }
                    }
                }
            }
            return [grad]
        }
    }

    /// Variables joined end to end along an existing axis; all other sizes must agree.
    public static func concatenated(_ parts: [Variable], axis: Int = 0) -> Variable {
        precondition(!parts.isEmpty, "concatenated: no Variables given")
        let a = parts[0].value.normalizedAxis(axis, op: "concatenated")
        let out = Tensor.concatenated(parts.map(\.value), axis: a)
        var starts = [0]
        for part in parts { starts.append(starts.last! + part.shape[a]) }
        return Variable(out, op: "concatenated", parents: parts) { g in
            (0..<parts.count).map { m in g.slice(axis: a, starts[m]..<starts[m + 1]) }
        }
    }

    /// Variables of one shape joined along a new axis.
    public static func stacked(_ parts: [Variable], axis: Int = 0) -> Variable {
        precondition(!parts.isEmpty, "stacked: no Variables given")
        let out = Tensor.stacked(parts.map(\.value), axis: axis)
        let a = axis < 0 ? axis + out.rank : axis
        return Variable(out, op: "stacked", parents: parts) { g in
            (0..<parts.count).map { m in g.selecting(m, axis: a) }
        }
    }

    /// With the size-1 axis `axis` removed.
    public func squeezed(axis: Int) -> Variable {
        let shape = self.shape
        return Variable(value.squeezed(axis: axis), op: "squeeze", parents: [self]) { g in [g.reshaped(shape)] }
    }

    /// With a new size-1 axis inserted at `axis` (0…rank; negative counts from the end).
    public func unsqueezed(axis: Int) -> Variable {
        let shape = self.shape
        return Variable(value.unsqueezed(axis: axis), op: "unsqueeze", parents: [self]) { g in [g.reshaped(shape)] }
    }
}
