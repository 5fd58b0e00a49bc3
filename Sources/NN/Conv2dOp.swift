// 2-D convolution (cross-correlation, as in every deep-learning library) of Variables.
//
//   input x [N, C, H, W], weight w [O, C, kH, kW], bias b [O], stride s, zero padding p
//   out[n, o, y, x] = b_o + Σ_c Σ_i Σ_j w[o, c, i, j] · x[n, c, y·s + i − p, x·s + j − p]
//   out [N, O, Ho, Wo],  Ho = ⌊(H + 2p − kH)/s⌋ + 1,  Wo = ⌊(W + 2p − kW)/s⌋ + 1
//
// im2col turns the sum into one matrix product (for a group of images at once). Lay out every input
// patch as a column: cols[(c, i, j), (y, x)] = x[n, c, y·s + i − p, x·s + j − p]
// (0 in the padding), a [C·kH·kW, Ho·Wo] matrix. With the weight seen as a
// [O, C·kH·kW] matrix W:
//   out[n]  = W · cols + b                      [O, CkK] · [CkK, HoWo] = [O, HoWo]
// and the derivatives of a matrix product (MatmulOp.swift) give, with g = ∂L/∂out[n]:
//   ∂L/∂W  += g · colsᵀ                         [O, HoWo] · [HoWo, CkK] = [O, CkK]
//   ∂L/∂cols = Wᵀ · g                            [CkK, O] · [O, HoWo] = [CkK, HoWo]
//   ∂L/∂x[n] = col2im(∂L/∂cols): each column entry added back to the pixel it was read from
//   ∂L/∂b_o = Σ_n Σ_(y, x) g[n, o, y, x]
// Several images sit side by side in one cols matrix, [CkK, G·HoWo], so that one
// GEMM serves the whole group; G is chosen to keep cols within 256 KB (L2-resident). The backward
// pass rebuilds cols from the input rather than keeping them, so the graph holds
// only x and w (cols would be kH·kW times larger than x). The bias is added while the
// product is reordered into [N, O, Ho, Wo]; cols and the product live in scratch memory
// kept between calls (Tensor's ScratchPool.swift); when x needs no gradient (a network's first
// layer reads the data), ∂L/∂cols and col2im are skipped.

import Autograd
import Tensor

/// The sizes of one convolution, with its output size.
struct ConvolutionGeometry {
    let channels: Int, height: Int, width: Int
    let kernelHeight: Int, kernelWidth: Int
    let stride: Int, padding: Int
    var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    /// Rows of the im2col matrix: C·kH·kW.
    var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// Columns of the im2col matrix: Ho·Wo.
    var positions: Int { outputHeight * outputWidth }

    /// The output columns x whose input column x·s + j − p lies inside the image (the rest read padding).
    @inline(__always)
    func insideColumns(kernelColumn j: Int) -> Range<Int> {
        let beyond = width + padding - j                    // x·s < beyond
        let upper = beyond > 0 ? Swift.min(outputWidth, (beyond + stride - 1) / stride) : 0
        let lower = padding - j > 0 ? (padding - j + stride - 1) / stride : 0   // x·s ≥ p − j
        return Swift.min(lower, upper)..<upper
    }

    /// Copies the patches of one image [C, H, W] into `cols` [C·kH·kW, Ho·Wo], zeros in the padding.
    /// Rows of `cols` are `rowStride` Floats apart (Ho·Wo for one image, G·Ho·Wo when G images sit side by side).
    func im2col(_ image: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>, rowStride: Int) {
        let (ho, wo) = (outputHeight, outputWidth)
        for c in 0..<channels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let row = cols + ((c * kernelHeight + i) * kernelWidth + j) * rowStride
                    let inside = insideColumns(kernelColumn: j)
                    for y in 0..<ho {
                        let iy = y * stride + i - padding
                        let to = row + y * wo
                        guard iy >= 0 && iy < height else { to.update(repeating: 0, count: wo); continue }
                        // to[x] = image[c, iy, x·s + j − p] inside, 0 in the padding on either side.
                        let from = image + (c * height + iy) * width, shift = j - padding
                        // Rows are short (Wo Floats): SIMD copies beat a call to memmove/memset each.
                        for x in 0..<inside.lowerBound { to[x] = 0 }
                        if stride == 1 {
                            Self.add(from + inside.lowerBound + shift, 0, into: to + inside.lowerBound,
                                     count: inside.count, accumulate: false)
                        } else {
                            for x in inside { to[x] = from[x * stride + shift] }
                        }
                        for x in inside.upperBound..<wo { to[x] = 0 }
                    }
                }
            }
        }
    }

    /// The reverse of im2col: adds every entry of `cols` to the pixel of `image` it was read from.
    func col2im(_ cols: UnsafePointer<Float>, rowStride: Int, addingInto image: UnsafeMutablePointer<Float>) {
        let (ho, wo) = (outputHeight, outputWidth)
        for c in 0..<channels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let row = cols + ((c * kernelHeight + i) * kernelWidth + j) * rowStride
                    let inside = insideColumns(kernelColumn: j)
                    for y in 0..<ho {
                        let iy = y * stride + i - padding
                        guard iy >= 0 && iy < height else { continue }
                        // image[c, iy, x·s + j − p] += cols[row, y·Wo + x]; entries read from padding are dropped.
                        let from = row + y * wo, to = image + (c * height + iy) * width, shift = j - padding
                        if stride == 1 {
                            Self.add(from + inside.lowerBound, 0, into: to + inside.lowerBound + shift,
                                     count: inside.count, accumulate: true)
                        } else {
                            for x in inside { to[x * stride + shift] += from[x] }
                        }
                    }
                }
            }
        }
    }
}

extension ConvolutionGeometry {
    /// im2col of `count` images side by side: image m fills columns m·Ho·Wo ..< (m + 1)·Ho·Wo
    /// of a [C·kH·kW, count·Ho·Wo] matrix. Images are split across cores (they write disjoint columns).
    func im2col(images: UnsafePointer<Float>, count: Int, into cols: UnsafeMutablePointer<Float>,
                threads: Int = ComputeThreads.count) {
        let imageSize = channels * height * width
        Parallel.forRanges(count, minimumPerThread: Swift.max(1, 65_536 / Swift.max(patchSize * positions, 1)),
                           threads: threads) { range in
            for m in range { im2col(images + m * imageSize, into: cols + m * positions, rowStride: count * positions) }
        }
    }

    /// The reverse of `im2col(images:count:into:)`, adding into `count` images (each written by one core).
    func col2im(_ cols: UnsafePointer<Float>, count: Int, addingInto images: UnsafeMutablePointer<Float>,
                threads: Int = ComputeThreads.count) {
        let imageSize = channels * height * width
        Parallel.forRanges(count, minimumPerThread: Swift.max(1, 65_536 / Swift.max(patchSize * positions, 1)),
                           threads: threads) { range in
            for m in range { col2im(cols + m * positions, rowStride: count * positions, addingInto: images + m * imageSize) }
        }
    }
}

extension Variable {
    /// 2-D convolution of this input [N, C, H, W] with `weight` [O, C, kH, kW] and an optional
    /// `bias` [O], moving by `stride` over the input padded with `padding` zeros on every side.
    /// Returns [N, O, ⌊(H + 2p − kH)/s⌋ + 1, ⌊(W + 2p − kW)/s⌋ + 1] (PyTorch's `F.conv2d`).
    public func conv2d(weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0) -> Variable {
        conv2d(weight: weight, bias: bias, stride: stride, padding: padding, columnBudget: 1 << 16)
    }

    /// conv2d with im2col matrices of at most `columnBudget` Floats (or one image); tests lower it to use many groups.
    func conv2d(weight: Variable, bias: Variable?, stride: Int, padding: Int, columnBudget: Int) -> Variable {
        precondition(rank == 4 && weight.rank == 4 && shape[1] == weight.shape[1],
                     "conv2d: input must be [N, C, H, W] and weight [O, C, kH, kW] with the same C; shapes \(shape) and \(weight.shape)")
        precondition(stride >= 1 && padding >= 0, "conv2d: stride \(stride) must be ≥ 1 and padding \(padding) ≥ 0")
        let (n, o) = (shape[0], weight.shape[0])
        let geometry = ConvolutionGeometry(channels: shape[1], height: shape[2], width: shape[3],
                                           kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
                                           stride: stride, padding: padding)
        precondition(geometry.height + 2 * padding >= geometry.kernelHeight && geometry.width + 2 * padding >= geometry.kernelWidth,
                     "conv2d: kernel \(weight.shape[2])×\(weight.shape[3]) is larger than the padded input \(shape) (padding \(padding))")
        if let bias {
            precondition(bias.shape == [o], "conv2d: bias must be [\(o)] for weight \(weight.shape), shape is \(bias.shape)")
        }
        let (ho, wo) = (geometry.outputHeight, geometry.outputWidth)
        let (k, p) = (geometry.patchSize, geometry.positions)
        let imageSize = geometry.channels * geometry.height * geometry.width
        // Images go through in groups of G, side by side in one im2col matrix, so that each GEMM is
        // large enough to run at full speed while cols stays within the budget (2¹⁶ Floats = 256 KB, so cols stays in L2).
        let group = Swift.max(1, Swift.min(n, columnBudget / Swift.max(k * p, 1)))
        let x = value, w = weight.value, biasValues = bias?.value.scalars
        // The first layer's input needs no gradient: its ∂L/∂x (a GEMM and a col2im) is skipped.
        let needsInputGradient = requiresGrad, hasBias = bias != nil

        // Groups are independent, so with several cores each core takes a share of the groups, with its
        // own scratch and a one-thread GEMM (a group's products are too small to split well).
        let groupCount = (n + group - 1) / group
        let workers = Swift.max(1, Swift.min(ComputeThreads.count, groupCount))
        let innerThreads = workers > 1 ? 1 : ComputeThreads.count
        /// The groups of worker `worker`: a contiguous share of 0..<groupCount.
        func groups(of worker: Int) -> Range<Int> {
            (worker * groupCount / workers)..<((worker + 1) * groupCount / workers)
        }
        func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                      b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                      c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false) {
            if workers > 1 {
                SIMDGEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA, b: b, ldb: ldb,
                                  transposeB: transposeB, c: c, ldc: ldc, accumulate: accumulate, threads: 1)
            } else {
                GEMM.multiply(m: m, n: n, k: k, a: a, lda: lda, transposeA: transposeA, b: b, ldb: ldb,
                              transposeB: transposeB, c: c, ldc: ldc, accumulate: accumulate,
                              backend: Variable.matmulBackend)
            }
        }

        // Forward, per group: cols = im2col(x[group]); product = W · cols; out[group] = product + b, reordered.
        // cols [CkK, G·HoWo] and product [O, G·HoWo] live in one scratch buffer kept between calls.
        var out = Tensor(uninitializedShape: [n, o, ho, wo])
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    let (xs, ws, os) = (xp.baseAddress!, wp.baseAddress!, op.baseAddress!)
                    Parallel.forEachChunk(workers) { worker in
                        ScratchPool.convolution.withBuffer(floats: (k + o) * group * p) { scratch in
                            let (cp, pp) = (scratch, scratch + k * group * p)
                            for index in groups(of: worker) {
                                let first = index * group, g = Swift.min(group, n - index * group)
                                geometry.im2col(images: xs + first * imageSize, count: g, into: cp, threads: innerThreads)
                                multiply(m: o, n: g * p, k: k, a: ws, lda: k, transposeA: false,
                                         b: cp, ldb: g * p, transposeB: false, c: pp, ldc: g * p)
                                // [O, G, HoWo] -> [G, O, HoWo], adding the bias on the way
                                ConvolutionGeometry.reorder(pp, filters: o, images: g, positions: p, bias: biasValues,
                                                            into: os + first * o * p)
                            }
                        }
                    }
                }
            }
        }

        let parents = bias.map { [self, weight, $0] } ?? [self, weight]
        return Variable(out, op: "conv2d", parents: parents) { gradOut in
            var gradInput = needsInputGradient ? Tensor.zeros(x.shape) : nil
            // Each worker adds its groups' ∂L/∂W [O, CkK] and ∂L/∂b [O] into its own row; the rows are summed at the end.
            var partials = Tensor.zeros([workers, o * k + o])
            x.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    gradOut.withUnsafeBufferPointer { gp in
                        partials.withUnsafeMutableBufferPointer { pb in
                            let (xs, ws, gs, ps) = (xp.baseAddress!, wp.baseAddress!, gp.baseAddress!, pb.baseAddress!)
                            withOptionalPointer(&gradInput) { dxs in
                            Parallel.forEachChunk(workers) { worker in
                                let (dw, db) = (ps + worker * (o * k + o), ps + worker * (o * k + o) + o * k)
                                // cols [CkK, G·HoWo] (then ∂L/∂cols) and ∂L/∂out of the group [O, G·HoWo].
                                ScratchPool.convolution.withBuffer(floats: (k + o) * group * p) { scratch in
                                    let (cp, gg) = (scratch, scratch + k * group * p)
                                    for index in groups(of: worker) {
                                        let first = index * group, g = Swift.min(group, n - index * group)
                                        // ∂L/∂out[group] [G, O, HoWo] -> [O, G, HoWo], summing ∂L/∂b on the way
                                        ConvolutionGeometry.gather(gs + first * o * p, filters: o, images: g, positions: p,
                                                                   into: gg, addingSumsTo: hasBias ? db : nil)
                                        geometry.im2col(images: xs + first * imageSize, count: g, into: cp, threads: innerThreads)
                                        // ∂L/∂W += g · colsᵀ
                                        multiply(m: o, n: k, k: g * p, a: gg, lda: g * p, transposeA: false,
                                                 b: cp, ldb: g * p, transposeB: true, c: dw, ldc: k, accumulate: true)
                                        guard let dxs else { continue }
                                        // ∂L/∂cols = Wᵀ · g (cols is no longer needed, so it holds the result),
                                        // then each entry goes back onto the pixel it came from.
                                        multiply(m: k, n: g * p, k: o, a: ws, lda: k, transposeA: true,
                                                 b: gg, ldb: g * p, transposeB: false, c: cp, ldc: g * p)
                                        geometry.col2im(cp, count: g, addingInto: dxs + first * imageSize, threads: innerThreads)
                                    }
                                }
                            }
                            }
                        }
                    }
                }
            }
            let summed = partials.sum(axes: [0])                                // [workers, OCkK + O] -> [OCkK + O]
            let gradWeight = summed.slice(axis: 0, 0..<(o * k)).reshaped(w.shape)
            if bias == nil { return [gradInput, gradWeight] }
            return [gradInput, gradWeight, summed.slice(axis: 0, (o * k)..<(o * k + o))]
        }
    }
}

/// Runs `body` with the address of `tensor`'s Floats, or with nil when there is no tensor.
private func withOptionalPointer<R>(_ tensor: inout Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    guard tensor != nil else { return body(nil) }
    return tensor!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

extension ConvolutionGeometry {
    /// out[image, f, :] = product[f, image, :] + bias[f]: [O, G, HoWo] -> [G, O, HoWo] (bias 0 when nil).
    static func reorder(_ product: UnsafePointer<Float>, filters o: Int, images g: Int, positions p: Int,
                        bias: [Float]?, into out: UnsafeMutablePointer<Float>) {
        for f in 0..<o {
            let shift = bias?[f] ?? 0
            for image in 0..<g {
                let (to, from) = (out + (image * o + f) * p, product + (f * g + image) * p)
                add(from, shift, into: to, count: p, accumulate: false)
            }
        }
    }

    /// to[i] = from[i] + shift (or to[i] += from[i] + shift when `accumulate`) for i < count, in SIMD16/8/4 steps:
    /// written out because the plain loop over a short row compiles to scalar code with overflow checks.
    @inline(__always)
    static func add(_ from: UnsafePointer<Float>, _ shift: Float, into to: UnsafeMutablePointer<Float>,
                    count: Int, accumulate: Bool) {
        let (source, target) = (UnsafeRawPointer(from), UnsafeMutableRawPointer(to))
        var i = 0
        while i &+ 16 <= count {
            var v = source.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) + shift
            if accumulate { v += target.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self) }
            target.storeBytes(of: v, toByteOffset: i &* 4, as: SIMD16<Float>.self)
            i &+= 16
        }
        if i &+ 8 <= count {
            var v = source.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self) + shift
            if accumulate { v += target.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self) }
            target.storeBytes(of: v, toByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i &+ 4 <= count {
            var v = source.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self) + shift
            if accumulate { v += target.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self) }
            target.storeBytes(of: v, toByteOffset: i &* 4, as: SIMD4<Float>.self)
            i &+= 4
        }
        while i < count {
            to[i] = accumulate ? to[i] + from[i] + shift : from[i] + shift
            i &+= 1
        }
    }

    /// grouped[f, image, :] = gradient[image, f, :]: [G, O, HoWo] -> [O, G, HoWo]; when `sums` is given,
    /// also adds each filter's total, Σ_image Σ_q gradient[image, f, q], to sums[f] (the bias gradient).
    static func gather(_ gradient: UnsafePointer<Float>, filters o: Int, images g: Int, positions p: Int,
                       into grouped: UnsafeMutablePointer<Float>, addingSumsTo sums: UnsafeMutablePointer<Float>?) {
        for image in 0..<g {
            for f in 0..<o {
                let (from, to) = (gradient + (image * o + f) * p, grouped + (f * g + image) * p)
                to.update(from: from, count: p)
                guard let sums else { continue }
                var lanes = SIMD16<Float>(), q = 0
                while q + 16 <= p {
                    lanes += UnsafeRawPointer(from + q).loadUnaligned(as: SIMD16<Float>.self)
                    q += 16
                }
                var total = lanes.sum()
                while q < p { total += from[q]; q += 1 }
                sums[f] += total
            }
        }
    }
}

/// 2-D convolution of `input` [N, C, H, W] with `weight` [O, C, kH, kW]; see `Variable.conv2d`.
public func conv2d(_ input: Variable, weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0) -> Variable {
    input.conv2d(weight: weight, bias: bias, stride: stride, padding: padding)
}
