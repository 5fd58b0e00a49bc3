// Shape operations: moving elements to a new arrangement.
//
//   permuted(p):   out[i_0, …, i_(r−1)] = x[j] with j_(p_k) = i_k  (axis k of the result is axis p_k of x)
//   transposed():  the 2-D case (or the last two axes): out[i, j] = x[j, i]
//   slice:         out = x[…, start..<end (step s), …] along one axis
//   concatenated:  tensors joined end to end along an existing axis
//   stacked:       tensors of one shape joined along a new axis
//   squeezed / unsqueezed: remove or insert axes of size 1 (no copy)
//
// Every result is a new contiguous tensor (see Tensor.swift), written by one
// strided-copy routine: walk the result in row-major order and read the source
// with the strides that the operation implies.

extension Tensor {
    /// Copies `source` read with `strides` (in elements, from `base`) into a new contiguous tensor of `shape`.
    static func stridedCopy(_ source: Tensor, base: Int = 0, strides: [Int], shape: [Int]) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        if out.count == 0 { return out }
        let plan = BroadcastPlan(shape: shape, strides: [strides])
        let inner = plan.innerCount, innerStride = plan.innerStrides[0]
        source.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let xp = x.baseAddress! + base, op = o.baseAddress!
                let runs = plan.outerCount
                Parallel.forRanges(runs, minimumPerThread: Swift.max(1, 131_072 / Swift.max(inner, 1))) { r in
                    for run in r {
                        let from = xp + plan.offsets(ofRun: run, input: 0), to = op + run * inner
                        if innerStride == 1 {
                            to.update(from: from, count: inner)
                        } else if innerStride == 0 {
                            to.update(repeating: from[0], count: inner)
                        } else {
                            for i in 0..<inner { to[i] = from[i * innerStride] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Axes reordered: axis k of the result is axis `axes[k]` of this tensor (like `numpy.transpose(x, axes)`).
    public func permuted(_ axes: [Int]) -> Tensor {
        let normalized = axes.map { normalizedAxis($0, op: "permuted") }
        precondition(normalized.count == rank && Set(normalized).count == rank,
                     "permuted: \(axes) is not a permutation of the \(rank) axes of shape \(shape)")
        if normalized == Array(0..<rank) { return self }
        let own = strides
        let newShape = normalized.map { shape[$0] }
        if rank >= 2 && normalized == Array(0..<(rank - 2)) + [rank - 1, rank - 2] {
            return transposedLastTwo()
        }
        return Tensor.stridedCopy(self, strides: normalized.map { own[$0] }, shape: newShape)
    }

    /// Axes reordered, variadic form: `x.permuted(0, 2, 1)`.
    public func permuted(_ axes: Int...) -> Tensor { permuted(axes) }

    /// The matrix transpose of a 2-D tensor; for higher ranks, the last two axes swapped.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: needs at least 2 axes, shape is \(shape)")
        return transposedLastTwo()
    }

    /// Two axes exchanged.
    public func swappingAxes(_ a: Int, _ b: Int) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(normalizedAxis(a, op: "swappingAxes"), normalizedAxis(b, op: "swappingAxes"))
        return permuted(order)
    }

    /// Transposes every trailing rows×cols matrix in 32×32 tiles, so that both the
    /// reads and the writes of a tile stay in cache.
    private func transposedLastTwo() -> Tensor {
        let rows = shape[rank - 2], cols = shape[rank - 1]
        let batch = count / Swift.max(rows * cols, 1)
        var newShape = shape
        newShape.swapAt(rank - 2, rank - 1)
        var out = Tensor(uninitializedShape: newShape)
        if count == 0 { return out }
        let tile = 32
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let xp = x.baseAddress!, op = o.baseAddress!
                let tileRows = (rows + tile - 1) / tile
                Parallel.forRanges(batch * tileRows, minimumPerThread: Swift.max(1, 65_536 / Swift.max(cols * tile, 1))) { r in
                    for job in r {
                        let b = job / tileRows, i0 = (job % tileRows) * tile
                        let src = xp + b * rows * cols, dst = op + b * rows * cols
                        let i1 = Swift.min(i0 + tile, rows)
                        var j0 = 0
                        while j0 < cols {
                            let j1 = Swift.min(j0 + tile, cols)
                            for i in i0..<i1 {
                                for j in j0..<j1 { dst[j * rows + i] = src[i * cols + j] }
                            }
                            j0 += tile
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: Slicing and indexing

    /// Elements start, start+step, … below end along `axis`.
    public func slice(axis: Int = 0, _ range: Range<Int>, step: Int = 1) -> Tensor {
        let a = normalizedAxis(axis, op: "slice")
        precondition(step >= 1, "slice: step must be >= 1, got \(step)")
        let size = shape[a]
        precondition(range.lowerBound >= 0 && range.upperBound <= size,
                     "slice: range \(range) out of bounds for axis \(axis) of shape \(shape)")
        var newShape = shape
        newShape[a] = (range.count + step - 1) / step
        var newStrides = strides
        let base = range.lowerBound * newStrides[a]
        newStrides[a] *= step
        return Tensor.stridedCopy(self, base: base, strides: newStrides, shape: newShape)
    }

    /// The sub-tensor at `index` along `axis`, with that axis removed (x[i] for axis 0).
    public func selecting(_ index: Int, axis: Int = 0) -> Tensor {
        let a = normalizedAxis(axis, op: "selecting")
        let i = index < 0 ? index + shape[a] : index
        precondition(i >= 0 && i < shape[a], "selecting: index \(index) out of range for axis \(axis) of shape \(shape)")
        return slice(axis: a, i..<(i + 1)).squeezed(axis: a)
    }

    /// x[i]: the sub-tensor at index i of the first axis.
    public subscript(_ index: Int) -> Tensor { selecting(index, axis: 0) }

    /// x[a..<b]: rows a..<b of the first axis.
    public subscript(_ range: Range<Int>) -> Tensor { slice(axis: 0, range) }

    /// Rows chosen by index along `axis`, in the given order, repeats allowed (`numpy.take`, `torch.index_select`).
    public func gathering(_ indices: [Int], axis: Int = 0) -> Tensor {
        let a = normalizedAxis(axis, op: "gathering")
        let (outer, n, inner) = reductionView(a)
        for index in indices {
            precondition(index >= 0 && index < n, "gathering: index \(index) out of range for axis \(axis) of shape \(shape)")
        }
        var newShape = shape
        newShape[a] = indices.count
        var out = Tensor(uninitializedShape: newShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                var to = o.baseAddress!
                for i in 0..<outer {
                    for index in indices {
                        to.update(from: x.baseAddress! + (i * n + index) * inner, count: inner)
                        to += inner
                    }
                }
            }
        }
        return out
    }

    // MARK: Size-1 axes

    /// With the size-1 axis `axis` removed (no copy).
    public func squeezed(axis: Int) -> Tensor {
        let a = normalizedAxis(axis, op: "squeezed")
        precondition(shape[a] == 1, "squeezed: axis \(axis) of shape \(shape) has size \(shape[a]), not 1")
        var s = shape
        s.remove(at: a)
        return reshaped(s)
    }

    /// With every size-1 axis removed (no copy).
    public func squeezed() -> Tensor { reshaped(shape.filter { $0 != 1 }) }

    /// With a new size-1 axis inserted at `axis` (0…rank; negative counts from the end) (no copy).
    public func unsqueezed(axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        precondition(a >= 0 && a <= rank, "unsqueezed: axis \(axis) out of range for shape \(shape)")
        var s = shape
        s.insert(1, at: a)
        return reshaped(s)
    }

    // MARK: Joining

    /// Tensors joined along an existing axis; all other sizes must agree.
    public static func concatenated(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenated: no tensors given")
        let first = tensors[0]
        let a = first.normalizedAxis(axis, op: "concatenated")
        for (k, t) in tensors.enumerated() {
            var expected = first.shape, found = t.shape
            precondition(expected.count == found.count, "concatenated: tensor \(k) has shape \(t.shape), tensor 0 has \(first.shape)")
            expected[a] = 0; found[a] = 0
            precondition(expected == found, "concatenated: tensor \(k) has shape \(t.shape), tensor 0 has \(first.shape) (only axis \(a) may differ)")
        }
        var newShape = first.shape
        newShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let outer = first.shape[..<a].reduce(1, *)
        let inner = first.shape[(a + 1)...].reduce(1, *)
        var out = Tensor(uninitializedShape: newShape)
        out.withUnsafeMutableBufferPointer { o in
            let rowLength = newShape[a] * inner
            var column = 0
            for t in tensors {
                let width = t.shape[a] * inner
                t.withUnsafeBufferPointer { x in
                    for i in 0..<outer {
                        (o.baseAddress! + i * rowLength + column).update(from: x.baseAddress! + i * width, count: width)
                    }
                }
                column += width
            }
        }
        return out
    }

    /// Tensors of one shape joined along a new axis (`numpy.stack`).
    public static func stacked(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stacked: no tensors given")
        for (k, t) in tensors.enumerated() {
            precondition(t.shape == tensors[0].shape, "stacked: tensor \(k) has shape \(t.shape), tensor 0 has \(tensors[0].shape)")
        }
        return concatenated(tensors.map { $0.unsqueezed(axis: axis) }, axis: axis)
    }
}
