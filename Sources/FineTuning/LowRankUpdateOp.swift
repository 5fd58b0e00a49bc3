// Low-rank updates added to some columns of a layer's output: LoRA's path,
// as one op, defined with Autograd's public Variable(value, op:, parents:, backward:).
//
// For each update u with input x (N×in, the leading axes flattened), down-
// projection A (r×in), up-projection B (w×r), scale s and first column o:
//   R   = s · x·Aᵀ                           (N×r)
//   out = y,  out[:, o..<o+w] += R·Bᵀ        (N×w added to w of y's columns)
// Backward, with G = ∂L/∂out and G_u = G[:, o..<o+w] its columns of u:
//   ∂L/∂y = G
//   ∂L/∂B = G_uᵀ·R                           (w×r)
//   ∂L/∂R = G_u·B,  D = s·∂L/∂R              (N×r: the gradient of x·Aᵀ)
//   ∂L/∂A = Dᵀ·x                             (r×in)
//   ∂L/∂x = D·A   (summed over the updates that share x)
// Written with the same Variable ops (matmul, scale, a slice and an add per
// update) this is correct but slow: r = 8 makes every product small, so the
// copies around them (slicing G_u out, adding the w columns in, summing the
// gradients of x one update at a time) cost more than the products. Here every
// product reads G_u and writes out[:, o..<o+w] in place, through the leading
// dimension of the matrix they sit in, and the gradients of x are summed by the
// products themselves (C += …). The products with r columns or r rows run on
// NarrowGEMM (Tensor/Kernels/GEMM).

import Autograd
import Tensor

/// out[…, offset ..< offset + w] += scale · (input · downᵀ) · upᵀ, one of the updates of `addingLowRankUpdates`.
public struct LowRankUpdate {
    /// x, shape (…, in): the leading axes are those of the output.
    public var input: Variable
    /// A, shape [r, in].
    public var down: Variable
    /// B, shape [w, r].
    public var up: Variable
    /// s, multiplying the product.
    public var scale: Float
    /// The first output column the update adds to.
    public var offset: Int

    /// An update of `input` through A = `down` and B = `up`, times `scale`, added from column `offset` on.
    public init(input: Variable, down: Variable, up: Variable, scale: Float, offset: Int) {
        self.input = input
        self.down = down
        self.up = up
        self.scale = scale
        self.offset = offset
    }
}

extension Variable {
    /// This variable with each update's s·(x·Aᵀ)·Bᵀ added to its output columns (ranges may overlap).
    public func addingLowRankUpdates(_ updates: [LowRankUpdate]) -> Variable {
        if updates.isEmpty { return self }
        precondition(rank >= 1, "addingLowRankUpdates: the output must have at least one axis, got \(shape)")
        let columns = shape[rank - 1], rows = value.count / Swift.max(columns, 1)
        let leading = Array(shape.dropLast())
        for u in updates {
            let r = u.down.shape.first ?? 0, inputs = u.input.shape.last ?? 0
            precondition(u.input.rank == rank && Array(u.input.shape.dropLast()) == leading
                         && u.down.shape == [r, inputs] && u.up.rank == 2 && u.up.shape[1] == r && r > 0
                         && u.offset >= 0 && u.offset + u.up.shape[0] <= columns,
                         "addingLowRankUpdates: input \(u.input.shape), A \(u.down.shape), B \(u.up.shape) at column \(u.offset) do not fit an output \(shape)")
        }
        let backend = Variable.matmulBackend
        var out = value
        // R = s·x·Aᵀ per update, kept for the backward pass.
        let reduced: [Tensor] = updates.map { u in
            let x = u.input.value.reshaped([rows, u.input.shape[rank - 1]])
            return Tensor.matmul(x, u.down.value, transposeB: true, backend: backend) * u.scale
        }
        out.withUnsafeMutableBufferPointer { o in
            for (u, product) in zip(updates, reduced) {
                let w = u.up.shape[0], r = u.up.shape[1]
                product.withUnsafeBufferPointer { p in
                    u.up.value.withUnsafeBufferPointer { b in
                        GEMM.multiply(m: rows, n: w, k: r, a: p.baseAddress!, lda: r, transposeA: false,
                                      b: b.baseAddress!, ldb: r, transposeB: true,
                                      c: o.baseAddress! + u.offset, ldc: columns, accumulate: true, backend: backend)
                    }
                }
            }
        }

        // The inputs, each once (q and v read the same x), and where each update's x is in that list.
        var inputs: [Variable] = []
        let inputSlot: [Int] = updates.map { u in
            if let slot = inputs.firstIndex(where: { $0 === u.input }) { return slot }
            inputs.append(u.input)
            return inputs.count - 1
        }
        let parents = [self] + inputs + updates.flatMap { [$0.down, $0.up] }
        let needsInput = inputs.map(\.requiresGrad)
        return Variable(out, op: "addingLowRankUpdates", parents: parents) { g in
            var inputGradients = [Tensor?](repeating: nil, count: inputs.count)
            var weightGradients: [Tensor?] = []
            g.withUnsafeBufferPointer { gp in
                for (index, u) in updates.enumerated() {
                    let w = u.up.shape[0], r = u.up.shape[1], width = u.input.shape.last!
                    let columnsOfU = gp.baseAddress! + u.offset   // G_u: rows × w, ldc = columns
                    var upGradient: Tensor? = nil
                    if u.up.requiresGrad {
                        var dB = Tensor.zeros([w, r])
                        dB.withUnsafeMutableBufferPointer { d in
                            reduced[index].withUnsafeBufferPointer { p in
                                GEMM.multiply(m: w, n: r, k: rows, a: columnsOfU, lda: columns, transposeA: true,
                                              b: p.baseAddress!, ldb: r, transposeB: false, c: d.baseAddress!, ldc: r,
                                              backend: backend)
                            }
                        }
                        upGradient = dB
                    }
                    var downGradient: Tensor? = nil
                    let slot = inputSlot[index]
                    if u.down.requiresGrad || needsInput[slot] {
                        // D = s·G_u·B, the gradient of x·Aᵀ.
                        var d = Tensor.zeros([rows, r])
                        d.withUnsafeMutableBufferPointer { dp in
                            u.up.value.withUnsafeBufferPointer { b in
                                GEMM.multiply(m: rows, n: r, k: w, a: columnsOfU, lda: columns, transposeA: false,
                                              b: b.baseAddress!, ldb: r, transposeB: false, c: dp.baseAddress!, ldc: r,
                                              backend: backend)
                            }
                        }
                        d = d * u.scale
                        if u.down.requiresGrad {
                            downGradient = Tensor.matmul(d, u.input.value.reshaped([rows, width]),
                                                         transposeA: true, backend: backend)
                        }
                        if needsInput[slot] {
                            // ∂L/∂x += D·A, into the one gradient of this input.
                            let adding = inputGradients[slot] != nil
                            var dx = inputGradients[slot] ?? Tensor.zeros(u.input.shape)
                            dx.withUnsafeMutableBufferPointer { xp in
                                d.withUnsafeBufferPointer { dp in
                                    u.down.value.withUnsafeBufferPointer { a in
                                        GEMM.multiply(m: rows, n: width, k: r, a: dp.baseAddress!, lda: r, transposeA: false,
                                                      b: a.baseAddress!, ldb: width, transposeB: false,
                                                      c: xp.baseAddress!, ldc: width, accumulate: adding, backend: backend)
                                    }
                                }
                            }
                            inputGradients[slot] = dx
                        }
                    }
                    weightGradients += [downGradient, upGradient]
                }
            }
            return [g] + inputGradients + weightGradients
        }
    }
}
