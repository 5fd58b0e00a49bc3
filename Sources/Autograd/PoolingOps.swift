// 2-D pooling of Variables: each output is one statistic of a k×k window.
//
//   input x [N, C, H, W], window k, stride s (default k), no padding
//   out [N, C, Ho, Wo],  Ho = ⌊(H − k)/s⌋ + 1,  Wo = ⌊(W − k)/s⌋ + 1
//   max:  out[n, c, y, x] = max over the window at (y·s, x·s)
//         ∂L/∂x = g at the window's first arg-max, 0 elsewhere (added up where windows overlap)
//   avg:  out[n, c, y, x] = (1/k²) Σ over the window
//         ∂L/∂x = g/k² at every element of the window (added up where windows overlap)
// The max pass records the offset of each window's winner, so backward is one scatter.
// Every (n, c) plane is independent, so planes are split across cores.

import Tensor

extension Variable {
    /// Max pooling over `kernel`×`kernel` windows of an input [N, C, H, W], moving by `stride` (default `kernel`).
    public func maxPool2d(kernel: Int, stride: Int? = nil) -> Variable {
        let pool = PoolingGeometry(shape, kernel: kernel, stride: stride ?? kernel, op: "maxPool2d")
        let (planes, inSize, outSize) = (pool.planes, pool.height * pool.width, pool.outputHeight * pool.outputWidth)
        var out = Tensor(uninitializedShape: pool.outputShape)
        // Offset of each window's max within its plane (Int32: half the memory of Int).
        var winners = [Int32](repeating: 0, count: planes * outSize)
        value.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                winners.withUnsafeMutableBufferPointer { wp in
                    let (x, o, win) = (xp.baseAddress!, op.baseAddress!, wp.baseAddress!)
                    Parallel.forRanges(planes, minimumPerThread: Swift.max(1, 16_384 / Swift.max(inSize, 1))) { range in
                        for plane in range {
                            let (source, target, winner) = (x + plane * inSize, o + plane * outSize, win + plane * outSize)
                            if kernel == 2 && pool.stride == 2 {
                                pool.maxPool2x2(source, into: target, winners: winner)
                                continue
                            }
                            pool.forEachWindow { position, top, left in
                                var best = top * pool.width + left
                                for i in top..<(top + kernel) {
                                    for j in left..<(left + kernel) where source[i * pool.width + j] > source[best] {
                                        best = i * pool.width + j
                                    }
                                }
                                target[position] = source[best]
                                winner[position] = Int32(best)
                            }
                        }
                    }
                }
            }
        }
        let shape = self.shape
        return Variable(out, op: "maxPool2d", parents: [self]) { g in
            // BEGIN EXERCISE max-pool-backward
            var grad = Tensor.zeros(shape)
            g.withUnsafeBufferPointer { gp in
                grad.withUnsafeMutableBufferPointer { dp in
                    winners.withUnsafeBufferPointer { wp in
                        for plane in 0..<planes {
                            for position in 0..<outSize {
                                dp[plane * inSize + Int(wp[plane * outSize + position])] += gp[plane * outSize + position]
                            }
                        }
                    }
                }
            }
            return [grad]
            // END EXERCISE
        }
    }

    /// Average pooling over `kernel`×`kernel` windows of an input [N, C, H, W], moving by `stride` (default `kernel`).
    public func avgPool2d(kernel: Int, stride: Int? = nil) -> Variable {
        let pool = PoolingGeometry(shape, kernel: kernel, stride: stride ?? kernel, op: "avgPool2d")
        let (planes, inSize, outSize) = (pool.planes, pool.height * pool.width, pool.outputHeight * pool.outputWidth)
        let scale = 1 / Float(kernel * kernel)
        var out = Tensor(uninitializedShape: pool.outputShape)
        value.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                let (x, o) = (xp.baseAddress!, op.baseAddress!)
                Parallel.forRanges(planes, minimumPerThread: Swift.max(1, 16_384 / Swift.max(inSize, 1))) { range in
                    for plane in range {
                        pool.forEachWindow { position, top, left in
                            let source = x + plane * inSize
                            var sum: Float = 0
                            for i in top..<(top + kernel) {
                                for j in left..<(left + kernel) { sum += source[i * pool.width + j] }
                            }
                            o[plane * outSize + position] = sum * scale
                        }
                    }
                }
            }
        }
        let shape = self.shape
        return Variable(out, op: "avgPool2d", parents: [self]) { g in
            var grad = Tensor.zeros(shape)
            g.withUnsafeBufferPointer { gp in
                grad.withUnsafeMutableBufferPointer { dp in
                    for plane in 0..<planes {
                        let target = dp.baseAddress! + plane * inSize
                        pool.forEachWindow { position, top, left in
                            let share = gp[plane * outSize + position] * scale
                            for i in top..<(top + kernel) {
                                for j in left..<(left + kernel) { target[i * pool.width + j] += share }
                            }
                        }
                    }
                }
            }
            return [grad]
        }
    }
}

/// The sizes of one pooling: planes = N·C, and the windows' positions.
struct PoolingGeometry {
    let batch: Int, channels: Int, height: Int, width: Int, kernel: Int, stride: Int
    var planes: Int { batch * channels }
    var outputHeight: Int { (height - kernel) / stride + 1 }
    var outputWidth: Int { (width - kernel) / stride + 1 }
    var outputShape: [Int] { [batch, channels, outputHeight, outputWidth] }

    init(_ shape: [Int], kernel: Int, stride: Int, op: String) {
        precondition(shape.count == 4, "\(op): input must be [N, C, H, W], shape is \(shape)")
        precondition(kernel >= 1 && stride >= 1, "\(op): kernel \(kernel) and stride \(stride) must be ≥ 1")
        precondition(kernel <= shape[2] && kernel <= shape[3], "\(op): kernel \(kernel) is larger than the input \(shape)")
        (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        (self.kernel, self.stride) = (kernel, stride)
    }

    /// Max pooling of one plane with 2×2 windows at stride 2 (the common case, written out):
    /// the same result and winners as the general loop, which scans each window row by row
    /// and keeps the first maximum.
    @inline(__always)
    func maxPool2x2(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>,
                    winners: UnsafeMutablePointer<Int32>) {
        for y in 0..<outputHeight {
            let top = 2 * y * width, bottom = top + width
            for x in 0..<outputWidth {
                let left = 2 * x
                var best = source[top + left], at = top + left
                if source[top + left + 1] > best { best = source[top + left + 1]; at = top + left + 1 }
                if source[bottom + left] > best { best = source[bottom + left]; at = bottom + left }
                if source[bottom + left + 1] > best { best = source[bottom + left + 1]; at = bottom + left + 1 }
                target[y * outputWidth + x] = best
                winners[y * outputWidth + x] = Int32(at)
            }
        }
    }

    /// Calls `body(position, top, left)` for every window of one plane, position = y·Wo + x.
    @inline(__always)
    func forEachWindow(_ body: (Int, Int, Int) -> Void) {
        for y in 0..<outputHeight {
            for x in 0..<outputWidth { body(y * outputWidth + x, y * stride, x * stride) }
        }
    }
}
