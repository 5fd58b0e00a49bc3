import Foundation
import Testing
import Tensor
@testable import LabKit

@Suite("Synthetic digits")
struct SyntheticDigitsTests {
    @Test("Images are 28 × 28 in [0, 1], labels balanced 0 … 9, and strokes leave ink")
    func shapeRangeAndBalance() {
        let digits = SyntheticDigits.split(count: 200, seed: 1)
        #expect(digits.images.shape == [200, 28, 28])
        let pixels = digits.images.scalars
        #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        var counts = [Int](repeating: 0, count: 10)
        for label in digits.labelIndices { counts[label] += 1 }
        #expect(counts == [Int](repeating: 20, count: 10))
        // Every image has a stroke: at least 25 fully inked pixels (a thin "1" has ~30, MNIST digits ~100–150).
        for i in 0..<200 {
            let ink = pixels[i * 784 ..< (i + 1) * 784].filter { $0 > 0.8 }.count
            #expect(ink >= 25, "image \(i) (digit \(digits.labelIndices[i])) has only \(ink) inked pixels")
        }
    }

    @Test("The same seed draws the same images whatever the thread count; another seed differs")
    func deterministic() {
        let before = ComputeThreads.count
        defer { ComputeThreads.set(before) }
        ComputeThreads.set(1)
        let one = SyntheticDigits.split(count: 150, seed: 7)
        ComputeThreads.set(2)
        let two = SyntheticDigits.split(count: 150, seed: 7)
        #expect(one.images.scalars == two.images.scalars)
        #expect(one.labels.scalars == two.labels.scalars)
        #expect(SyntheticDigits.split(count: 150, seed: 8).images.scalars != one.images.scalars)
    }

    @Test("The ten classes are distinct: a nearest-class-mean rule scores above 80% on fresh images")
    func classesAreLearnable() {
        let train = SyntheticDigits.split(count: 1_000, seed: 2), test = SyntheticDigits.split(count: 500, seed: 3)
        var means = [[Float]](repeating: [Float](repeating: 0, count: 784), count: 10)
        let trainPixels = train.images.scalars
        for (i, label) in train.labelIndices.enumerated() {
            for p in 0..<784 { means[label][p] += trainPixels[i * 784 + p] / 100 }
        }
        let testPixels = test.images.scalars
        var correct = 0
        for (i, label) in test.labelIndices.enumerated() {
            let distances = means.map { mean in
                (0..<784).reduce(Float(0)) { total, p in let d = testPixels[i * 784 + p] - mean[p]; return total + d * d }
            }
            if distances.firstIndex(of: distances.min()!) == label { correct += 1 }
        }
        #expect(Double(correct) / 500 > 0.8, "nearest-mean accuracy \(Double(correct) / 500)")
        // …and not trivially so: the jitter keeps it below 100%.
        #expect(correct < 500)
    }
}
