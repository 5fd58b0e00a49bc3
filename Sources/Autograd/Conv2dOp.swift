// 2-D convolution (cross-correlation, as in every deep-learning library) of Variables.
//
//   input x [N, C, H, W], weight w [O, C, kH, kW], bias b [O], stride s, zero padding p
//   out[n, o, y, x] = b_o + Σ_c Σ_i Σ_j w[o, c, i, j] · x[n, c, y·s + i − p, x·s + j − p]
//   out [N, O, Ho, Wo],  Ho = ⌊(H + 2p − kH)/s⌋ + 1,  Wo = ⌊(W + 2p − kW)/s⌋ + 1
//
// im2col turns the sum into one matrix product per image. Lay out every input
// patch as a column: cols[(c, i, j), (y, x)] = x[n, c, y·s + i − p, x·s + j − p]
// (0 in the padding), a [C·kH·kW, Ho·Wo] matrix. With the weight seen as a
// [O, C·kH·kW] matrix W:
//   out[n]  = W · cols + b                      [O, CkK] · [CkK, HoWo] = [O, HoWo]
// and the derivatives of a matrix product (MatmulOp.swift) give, with g = ∂L/∂out[n]:
//   ∂L/∂W  += g · colsᵀ                         [O, HoWo] · [HoWo, CkK] = [O, CkK]
//   ∂L/∂cols = Wᵀ · g                            [CkK, O] · [O, HoWo] = [CkK, HoWo]
//   ∂L/∂x[n] = col2im(∂L/∂cols): each column entry added back to the pixel it was read from
//   ∂L/∂b_o = Σ_n Σ_(y, x) g[n, o, y, x]
// The backward pass rebuilds cols from the input rather than keeping them, so
// the graph holds only x and w (cols would be kH·kW times larger than x).

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

    /// Copies the patches of one image [C, H, W] into `cols` [C·kH·kW, Ho·Wo], zeros in the padding.
    func im2col(_ image: UnsafePointer<Float>, into cols: UnsafeMutablePointer<Float>) {
        let (ho, wo) = (outputHeight, outputWidth)
        for c in 0..<channels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let row = cols + ((c * kernelHeight + i) * kernelWidth + j) * positions
                    for y in 0..<ho {
                        let iy = y * stride + i - padding
                        let to = row + y * wo
                        guard iy >= 0 && iy < height else { to.update(repeating: 0, count: wo); continue }
                        let from = image + (c * height + iy) * width
                        for x in 0..<wo {
                            let ix = x * stride + j - padding
                            to[x] = ix >= 0 && ix < width ? from[ix] : 0
                        }
                    }
                }
            }
        }
    }

    /// The reverse of im2col: adds every entry of `cols` to the pixel of `image` it was read from.
    func col2im(_ cols: UnsafePointer<Float>, addingInto image: UnsafeMutablePointer<Float>) {
        let (ho, wo) = (outputHeight, outputWidth)
        for c in 0..<channels {
            for i in 0..<kernelHeight {
                for j in 0..<kernelWidth {
                    let row = cols + ((c * kernelHeight + i) * kernelWidth + j) * positions
                    for y in 0..<ho {
                        let iy = y * stride + i - padding
                        guard iy >= 0 && iy < height else { continue }
                        let from = row + y * wo, to = image + (c * height + iy) * width
                        for x in 0..<wo {
                            let ix = x * stride + j - padding
                            if ix >= 0 && ix < width { to[ix] += from[x] }
                        }
                    }
                }
            }
        }
    }
}

extension Variable {
    /// 2-D convolution of this input [N, C, H, W] with `weight` [O, C, kH, kW] and an optional
    /// `bias` [O], moving by `stride` over the input padded with `padding` zeros on every side.
    /// Returns [N, O, ⌊(H + 2p − kH)/s⌋ + 1, ⌊(W + 2p − kW)/s⌋ + 1] (PyTorch's `F.conv2d`).
    public func conv2d(weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0) -> Variable {
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
        let x = value, w = weight.value

        // Forward: out[n] = W · im2col(x[n]) (+ b), one GEMM per image.
        var out = Tensor(uninitializedShape: [n, o, ho, wo])
        var cols = Tensor(uninitializedShape: [k, p])                           // [CkK, HoWo]
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    cols.withUnsafeMutableBufferPointer { cp in
                        for image in 0..<n {
                            geometry.im2col(xp.baseAddress! + image * imageSize, into: cp.baseAddress!)
                            GEMM.multiply(m: o, n: p, k: k, a: wp.baseAddress!, lda: k, transposeA: false,
                                          b: cp.baseAddress!, ldb: p, transposeB: false,
                                          c: op.baseAddress! + image * o * p, ldc: p)
                        }
                    }
                }
            }
        }
        if let bias { out += bias.value.reshaped([1, o, 1, 1]) }

        let parents = bias.map { [self, weight, $0] } ?? [self, weight]
        return Variable(out, op: "conv2d", parents: parents) { g in
            var gradInput = Tensor.zeros(x.shape)
            var gradWeight = Tensor.zeros(w.shape)
            var cols = Tensor(uninitializedShape: [k, p])                       // [CkK, HoWo]
            var gradCols = Tensor(uninitializedShape: [k, p])                   // [CkK, HoWo]
            x.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    g.withUnsafeBufferPointer { gp in
                        gradInput.withUnsafeMutableBufferPointer { dx in
                            gradWeight.withUnsafeMutableBufferPointer { dw in
                                cols.withUnsafeMutableBufferPointer { cp in
                                    gradCols.withUnsafeMutableBufferPointer { dc in
                                        for image in 0..<n {
                                            let gImage = gp.baseAddress! + image * o * p          // [O, HoWo]
                                            geometry.im2col(xp.baseAddress! + image * imageSize, into: cp.baseAddress!)
                                            // ∂L/∂W += g · colsᵀ
                                            GEMM.multiply(m: o, n: k, k: p, a: gImage, lda: p, transposeA: false,
                                                          b: cp.baseAddress!, ldb: p, transposeB: true,
                                                          c: dw.baseAddress!, ldc: k, accumulate: true)
                                            // ∂L/∂cols = Wᵀ · g, then back onto the image
                                            GEMM.multiply(m: k, n: p, k: o, a: wp.baseAddress!, lda: k, transposeA: true,
                                                          b: gImage, ldb: p, transposeB: false,
                                                          c: dc.baseAddress!, ldc: p)
                                            geometry.col2im(dc.baseAddress!, addingInto: dx.baseAddress! + image * imageSize)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if bias == nil { return [gradInput, gradWeight] }
            return [gradInput, gradWeight, g.sum(axes: [0, 2, 3])]              // [N, O, Ho, Wo] -> [O]
        }
    }
}

/// 2-D convolution of `input` [N, C, H, W] with `weight` [O, C, kH, kW]; see `Variable.conv2d`.
public func conv2d(_ input: Variable, weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0) -> Variable {
    input.conv2d(weight: weight, bias: bias, stride: stride, padding: padding)
}
