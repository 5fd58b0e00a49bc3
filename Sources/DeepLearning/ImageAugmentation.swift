// ImageAugmentation: random small shifts and rotations of training images.
//
// A digit moved two pixels or turned ten degrees is still the same digit, so
// showing the network a freshly moved copy of each image every epoch teaches
// it that invariance and slows overfitting. Each output pixel p = (x, y) (x to
// the right, y down, c the image centre ((W − 1)/2, (H − 1)/2)) reads the input
// at the point q that the shift s = (dx, dy) and the rotation by θ bring to p:
//
//     q = M·(p − s − c) + c,   with  M·(u, v) = (u cos θ − v sin θ,  u sin θ + v cos θ)
//
// θ > 0 turns the picture counterclockwise as it is seen on screen, and the
// content moves by dx to the right and dy down. (With y pointing down, M turns
// a point clockwise on screen: it undoes the picture's turn, taking each output
// pixel back to where its content came from.) q rarely falls on a pixel,
// so the value is interpolated bilinearly from the four pixels around it,
//
//     out(p) = (1 − a)(1 − b)·in(i, j) + a(1 − b)·in(i + 1, j) + (1 − a)b·in(i, j + 1) + ab·in(i + 1, j + 1)
//
// with (i, j) = ⌊q⌋ and (a, b) = q − (i, j); pixels outside the input count as
// 0 (black background). With θ = 0 and a whole-pixel shift q lands on pixels
// and the image is copied exactly.
//
// The shift of each axis is drawn uniformly from −k … k and θ uniformly from
// [−θmax, θmax], from a generator seeded by (seed, epoch, sample index) alone:
// an image gets the same transform whichever thread draws it, in whichever
// batch, so augmented training is reproducible and a resumed run sees what a
// straight run sees. Samples are transformed in parallel.

import Foundation
import Tensor

/// Random shift (±`maxShift` pixels, zero fill) and rotation (±`maxRotation` degrees, bilinear,
/// about the centre) of images [N, H, W] or [N, C, H, W], seeded per (seed, epoch, sample).
public struct ImageAugmentation: Sendable, Equatable {
    /// k: each axis is shifted by a whole number of pixels drawn uniformly from −k … k.
    public var maxShift: Int
    /// θmax: the rotation angle is drawn uniformly from [−θmax, θmax] degrees.
    public var maxRotation: Float

    /// An augmentation with shifts up to `maxShift` pixels and rotations up to `maxRotation` degrees.
    public init(maxShift: Int = 0, maxRotation: Float = 0) {
        precondition(maxShift >= 0, "ImageAugmentation: maxShift must be ≥ 0, got \(maxShift)")
        precondition(maxRotation >= 0 && maxRotation.isFinite,
                     "ImageAugmentation: maxRotation must be a finite angle ≥ 0, got \(maxRotation)")
        self.maxShift = maxShift
        self.maxRotation = maxRotation
    }

    /// The transform drawn for sample `sample` in epoch `epoch` of a run seeded by `seed`.
    public func transform(sample: Int, epoch: Int, seed: UInt64) -> (dx: Int, dy: Int, degrees: Float) {
        var generator = RandomGenerator(seed: seed &* 0xD1B5_4A32_D192_ED03
                                        &+ UInt64(truncatingIfNeeded: epoch) &* 0x9E37_79B9_7F4A_7C15
                                        &+ UInt64(truncatingIfNeeded: sample) &+ 0xA5A5)
        let span = 2 * maxShift + 1
        let dx = maxShift == 0 ? 0 : generator.nextInt(below: span) - maxShift
        let dy = maxShift == 0 ? 0 : generator.nextInt(below: span) - maxShift
        let degrees = maxRotation == 0 ? 0 : generator.uniform(-maxRotation, maxRotation)
        return (dx, dy, degrees)
    }

    /// Transforms each image of `images` ([N, H, W] or [N, C, H, W]); image i is treated as
    /// sample `samples[i]` of the data set, so its transform depends on (seed, epoch, samples[i]).
    public func apply(to images: Tensor, samples: [Int], epoch: Int, seed: UInt64,
                      threads: Int = ComputeThreads.count) -> Tensor {
        precondition(images.rank == 3 || images.rank == 4,
                     "ImageAugmentation.apply: images must be [N, H, W] or [N, C, H, W], shape is \(images.shape)")
        precondition(samples.count == images.shape[0],
                     "ImageAugmentation.apply: \(images.shape[0]) images need as many sample indices, got \(samples.count)")
        let transforms = samples.map { transform(sample: $0, epoch: epoch, seed: seed) }
        return Self.warp(images, transforms: transforms, threads: threads)
    }

    /// Shifts each image of [N, H, W] or [N, C, H, W] by (dx, dy) pixels and turns it by `degrees`
    /// counterclockwise about its centre (bilinear, zero fill), image i with `transforms[i]`.
    public static func warp(_ images: Tensor, transforms: [(dx: Int, dy: Int, degrees: Float)],
                            threads: Int = ComputeThreads.count) -> Tensor {
        precondition(images.rank == 3 || images.rank == 4,
                     "ImageAugmentation.warp: images must be [N, H, W] or [N, C, H, W], shape is \(images.shape)")
        let n = images.shape[0]
        precondition(transforms.count == n,
                     "ImageAugmentation.warp: \(n) images need as many transforms, got \(transforms.count)")
        let height = images.shape[images.rank - 2], width = images.shape[images.rank - 1]
        let channels = images.rank == 4 ? images.shape[1] : 1
        let plane = height * width
        var output = Tensor(uninitializedShape: images.shape)
        images.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                guard let input = source.baseAddress, let out = destination.baseAddress else { return }
                let target = ParallelWritePointer(out)
                Parallel.forRanges(n, minimumPerThread: 8, threads: threads) { range in
                    for i in range {
                        let t = transforms[i]
                        for c in 0..<channels {
                            let offset = (i * channels + c) * plane
                            warpPlane(input + offset, into: target.pointer + offset, height: height, width: width,
                                      dx: t.dx, dy: t.dy, degrees: t.degrees)
                        }
                    }
                }
            }
        }
        return output
    }

    /// One H × W plane: out(p) = bilinear in(M(p − s − c) + c), 0 outside.
    private static func warpPlane(_ input: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                                  height: Int, width: Int, dx: Int, dy: Int, degrees: Float) {
        if degrees == 0 {
            // A whole-pixel shift: copy rows, zero what was shifted in.
            for y in 0..<height {
                let row = out + y * width
                let sourceY = y - dy
                guard sourceY >= 0 && sourceY < height else {
                    row.update(repeating: 0, count: width)
                    continue
                }
                let first = Swift.max(0, dx), last = Swift.min(width, width + dx)   // out columns with a source
                if first > 0 { row.update(repeating: 0, count: Swift.min(first, width)) }
                if last < width { (row + Swift.max(last, 0)).update(repeating: 0, count: width - Swift.max(last, 0)) }
                if first < last { (row + first).update(from: input + sourceY * width + first - dx, count: last - first) }
            }
            return
        }
        let radians = Double(degrees) * Double.pi / 180
        let cosine = Float(cos(radians)), sine = Float(sin(radians))
        let cx = Float(width - 1) / 2, cy = Float(height - 1) / 2
        for y in 0..<height {
            let v = Float(y - dy) - cy
            for x in 0..<width {
                let u = Float(x - dx) - cx
                let qx = u * cosine - v * sine + cx
                let qy = u * sine + v * cosine + cy
                let fx = qx.rounded(.down), fy = qy.rounded(.down)
                let a = qx - fx, b = qy - fy
                let i = Int(fx), j = Int(fy)
                out[y * width + x] = (1 - a) * (1 - b) * pixel(input, i, j, height, width)
                    + a * (1 - b) * pixel(input, i + 1, j, height, width)
                    + (1 - a) * b * pixel(input, i, j + 1, height, width)
                    + a * b * pixel(input, i + 1, j + 1, height, width)
            }
        }
    }

    /// in(x, y), or 0 outside the image.
    @inline(__always)
    private static func pixel(_ input: UnsafePointer<Float>, _ x: Int, _ y: Int, _ height: Int, _ width: Int) -> Float {
        x >= 0 && x < width && y >= 0 && y < height ? input[y * width + x] : 0
    }
}
