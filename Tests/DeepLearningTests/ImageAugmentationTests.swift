import Testing
@testable import DeepLearning

@Suite("Image augmentation")
struct ImageAugmentationTests {
    /// Images [n, h, w] with distinct values 1, 2, 3, … so every pixel can be traced.
    static func numbered(_ shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { Float($0 + 1) })
    }

    @Test("A zero shift and a zero rotation give back the images exactly")
    func identity() {
        let images = Tensor.uniform([5, 2, 7, 6], seed: 3)
        let same = ImageAugmentation.warp(images, transforms: Array(repeating: (0, 0, 0), count: 5))
        #expect(same.scalars == images.scalars)
        let none = ImageAugmentation(maxShift: 0, maxRotation: 0)
        #expect(none.apply(to: images, samples: Array(0..<5), epoch: 4, seed: 9).scalars == images.scalars)
    }

    @Test("A whole-pixel shift moves the content and fills with zeros")
    func shift() {
        let image = Self.numbered([1, 3, 4])        // rows 1 2 3 4 / 5 6 7 8 / 9 10 11 12
        let moved = ImageAugmentation.warp(image, transforms: [(dx: 1, dy: -1, degrees: 0)])
        #expect(moved.scalars == [0, 5, 6, 7,
                                  0, 9, 10, 11,
                                  0, 0, 0, 0])
        let gone = ImageAugmentation.warp(image, transforms: [(dx: 5, dy: 0, degrees: 0)])
        #expect(gone.scalars.allSatisfy { $0 == 0 })
    }

    @Test("Rotating by 90° turns a 3 × 3 and a 4 × 4 image counterclockwise")
    func quarterTurn() {
        // a b c      c f i
        // d e f  ->  b e h
        // g h i      a d g
        let small = ImageAugmentation.warp(Self.numbered([1, 3, 3]), transforms: [(0, 0, 90)])
        let expected: [Float] = [3, 6, 9, 2, 5, 8, 1, 4, 7]
        for (got, want) in zip(small.scalars, expected) { #expect(abs(got - want) < 1e-4) }

        let square = Self.numbered([1, 4, 4])
        let turned = ImageAugmentation.warp(square, transforms: [(0, 0, 90)])
        // out(y, x) = in(x, 3 − y) for a counterclockwise quarter turn on screen.
        for y in 0..<4 {
            for x in 0..<4 {
                #expect(abs(turned.scalars[y * 4 + x] - square.scalars[x * 4 + (3 - y)]) < 1e-4)
            }
        }
        // Four quarter turns come back to the start.
        var image = square
        for _ in 0..<4 { image = ImageAugmentation.warp(image, transforms: [(0, 0, 90)]) }
        for (got, want) in zip(image.scalars, square.scalars) { #expect(abs(got - want) < 1e-3) }
    }

    @Test("A small rotation interpolates between neighbours and keeps the shape")
    func bilinear() {
        let images = Tensor.uniform([3, 28, 28], seed: 1)
        let turned = ImageAugmentation.warp(images, transforms: Array(repeating: (1, -2, 7.5), count: 3))
        #expect(turned.shape == images.shape)
        let (low, high) = (images.scalars.min()!, images.scalars.max()!)
        #expect(turned.scalars.allSatisfy { $0 >= 0 && $0 <= high + 1e-5 })
        #expect(low >= 0)
        #expect(turned.scalars != images.scalars)
    }

    @Test("Augmentation is deterministic per (seed, epoch, sample) and does not depend on the thread count")
    func deterministic() {
        let augmentation = ImageAugmentation(maxShift: 2, maxRotation: 15)
        let images = Tensor.uniform([40, 1, 12, 12], seed: 2)
        let samples = Array(100..<140)
        let one = augmentation.apply(to: images, samples: samples, epoch: 3, seed: 7, threads: 1)
        let two = augmentation.apply(to: images, samples: samples, epoch: 3, seed: 7, threads: 2)
        let again = augmentation.apply(to: images, samples: samples, epoch: 3, seed: 7, threads: 4)
        #expect(one.shape == images.shape)
        #expect(one.scalars == two.scalars)
        #expect(one.scalars == again.scalars)
        #expect(augmentation.apply(to: images, samples: samples, epoch: 4, seed: 7).scalars != one.scalars)
        #expect(augmentation.apply(to: images, samples: samples, epoch: 3, seed: 8).scalars != one.scalars)
        // An image's transform depends on its sample index, not on its place in the batch.
        let single = augmentation.apply(to: images.gathering([5], axis: 0), samples: [105], epoch: 3, seed: 7)
        #expect(single.scalars == one.gathering([5], axis: 0).scalars)
        // The drawn transforms stay in range and vary.
        let drawn = (0..<200).map { augmentation.transform(sample: $0, epoch: 0, seed: 1) }
        #expect(drawn.allSatisfy { abs($0.dx) <= 2 && abs($0.dy) <= 2 && abs($0.degrees) <= 15 })
        #expect(Set(drawn.map(\.dx)) == [-2, -1, 0, 1, 2])
    }
}
