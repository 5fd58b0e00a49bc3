// SyntheticDigits: handwritten-looking digits drawn from pen strokes, so the
// labs that want MNIST run (and teach) without it.
//
// Each digit 0 … 9 is a few strokes — straight segments and elliptic arcs
//     (cx + rx·cos t, cy + ry·sin t),  t from t₀ to t₁  (y points down)
// — in a unit box. One image is drawn in five steps, every random number from
// a generator seeded by (seed, image index), so an image does not depend on the
// thread that draws it:
//   1. every stroke point is nudged by N(0, 0.025²) in box units (the hand shakes);
//   2. the box maps to a 16 × 20 pixel area centred in 28 × 28, as MNIST's digits fit 20 × 20;
//   3. a random affine map about the centre: rotation U(−12°, 12°), scale
//      U(0.85, 1.1), slant (shear) U(−0.3, 0.3), shift U(−2, 2) pixels per axis;
//   4. ink at pixel p is clamp(w + ½ − dist(p, strokes), 0, 1), dist the distance
//      to the nearest segment and w ~ U(0.9, 1.8) the pen's half-width: 1 inside
//      the stroke, a one-pixel soft edge outside;
//   5. Gaussian noise N(0, 0.06²) is added and pixels clamped to [0, 1].
// Labels cycle 0, 1, …, 9 in a seeded shuffled order, so classes are balanced.
import Foundation

/// A seeded set of 28 × 28 digit images in MNIST's layout, drawn from strokes with random jitter.
public enum SyntheticDigits {
    /// Image side in pixels, as MNIST.
    public static let side = 28

    /// `count` images [count, 28, 28] in [0, 1] with labels 0 … 9 (balanced, shuffled).
    public static func split(count: Int, seed: UInt64 = 0) -> MNIST.Split {
        precondition(count >= 1, "SyntheticDigits: count must be at least 1, got \(count)")
        var shuffler = RandomGenerator(seed: seed ^ 0xD161_75)
        let labels = shuffler.permutation(count).map { $0 % 10 }
        let pixels = side * side
        var images = Tensor(uninitializedShape: [count, side, side])
        images.withUnsafeMutableBufferPointer { buffer in
            let out = ParallelWritePointer(buffer.baseAddress!)
            Parallel.forRanges(count, minimumPerThread: 64) { range in
                for i in range {
                    var generator = RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(i) &+ 1)
                    draw(digit: labels[i], into: out.pointer + i * pixels, generator: &generator)
                }
            }
        }
        return MNIST.Split(images: images, labels: Tensor(shape: [count], scalars: labels.map(Float.init)))
    }

    /// A point in the digit's unit box (x right, y down).
    typealias Point = (x: Float, y: Float)

    /// The strokes of `digit` as polylines in the unit box.
    static func strokes(of digit: Int) -> [[Point]] {
        func line(_ points: Point...) -> [Point] { points }
        func arc(_ cx: Float, _ cy: Float, _ rx: Float, _ ry: Float, from t0: Float, to t1: Float) -> [Point] {
            let steps = 24
            return (0...steps).map { s in
                let t = (t0 + (t1 - t0) * Float(s) / Float(steps)) * .pi / 180
                return (cx + rx * cos(t), cy + ry * sin(t))
            }
        }
        switch digit {
        case 0: return [arc(0.5, 0.5, 0.32, 0.46, from: 0, to: 360)]
        case 1: return [line((0.5, 0.04), (0.5, 0.96)), line((0.3, 0.22), (0.5, 0.04))]
        case 2: return [arc(0.5, 0.3, 0.28, 0.25, from: -165, to: 30) + line((0.18, 0.95), (0.84, 0.95))]
        case 3: return [arc(0.5, 0.28, 0.27, 0.23, from: -150, to: 90), arc(0.5, 0.72, 0.31, 0.23, from: -90, to: 150)]
        case 4: return [line((0.66, 0.96), (0.66, 0.04), (0.14, 0.68), (0.86, 0.68))]
        case 5: return [line((0.8, 0.05), (0.3, 0.05), (0.25, 0.46)) + arc(0.5, 0.68, 0.3, 0.27, from: -125, to: 150)]
        case 6: return [arc(0.56, 0.58, 0.36, 0.54, from: -65, to: -190), arc(0.5, 0.72, 0.29, 0.23, from: 0, to: 360)]
        case 7: return [line((0.14, 0.05), (0.86, 0.05), (0.42, 0.96))]
        case 8: return [arc(0.5, 0.27, 0.24, 0.22, from: 0, to: 360), arc(0.5, 0.72, 0.3, 0.24, from: 0, to: 360)]
        default: return [arc(0.5, 0.3, 0.28, 0.25, from: 0, to: 360), line((0.78, 0.3), (0.7, 0.96))]
        }
    }

    /// Draws one jittered image of `digit` into 28 × 28 Floats.
    static func draw(digit: Int, into image: UnsafeMutablePointer<Float>, generator: inout RandomGenerator) {
        let centre = Float(side) / 2
        let angle = generator.uniform(-12, 12) * .pi / 180
        let scale = generator.uniform(0.85, 1.1), slant = generator.uniform(-0.3, 0.3)
        let shift = (x: generator.uniform(-2, 2), y: generator.uniform(-2, 2))
        let halfWidth = generator.uniform(0.9, 1.8)
        // Box → pixels (16 wide, 20 tall, centred), then rotate·scale·shear about the centre, then shift.
        let (c, s) = (cos(angle) * scale, sin(angle) * scale)
        func place(_ p: Point) -> Point {
            let u = (p.x - 0.5) * 16, v = (p.y - 0.5) * 20
            let sheared = u - slant * v
            return (centre + c * sheared - s * v + shift.x, centre + s * sheared + c * v + shift.y)
        }
        var segments: [(a: Point, b: Point)] = []
        for stroke in strokes(of: digit) {
            let points = stroke.map { p in
                place((p.x + generator.normal(mean: 0, std: 0.025), p.y + generator.normal(mean: 0, std: 0.025)))
            }
            for k in 1..<points.count { segments.append((points[k - 1], points[k])) }
        }
        for row in 0..<side {
            for column in 0..<side {
                let p: Point = (Float(column) + 0.5, Float(row) + 0.5)
                var nearest = Float.infinity
                for segment in segments { nearest = min(nearest, squaredDistance(p, segment.a, segment.b)) }
                let ink = min(max(halfWidth + 0.5 - nearest.squareRoot(), 0), 1)
                image[row * side + column] = min(max(ink + generator.normal(mean: 0, std: 0.06), 0), 1)
            }
        }
    }

    /// The squared distance from p to the segment a–b.
    @inline(__always) static func squaredDistance(_ p: Point, _ a: Point, _ b: Point) -> Float {
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let length = dx * dx + dy * dy
        let t = length > 0 ? min(max(((p.x - a.x) * dx + (p.y - a.y) * dy) / length, 0), 1) : 0
        let (ex, ey) = (p.x - a.x - t * dx, p.y - a.y - t * dy)
        return ex * ex + ey * ey
    }
}
