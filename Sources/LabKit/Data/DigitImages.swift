// DigitImages: MNIST when it is there, the built-in SyntheticDigits when not.
//
// Labs that teach on digits (PCA's eigen-digits, t-SNE maps, the deep-learning
// phase) ask for a number of training and test images; they get the first
// images of MNIST's two splits, or seeded synthetic ones drawn from strokes.
// `description` says which, so every lab can print and report where its
// digits came from.
import Foundation

/// Digit images for a lab: the real MNIST when found, otherwise synthetic, saying which.
public struct DigitImages: Sendable {
    /// Training images [n, 28, 28] in [0, 1] with labels 0 … 9.
    public let train: MNIST.Split
    /// Test images [m, 28, 28] with labels.
    public let test: MNIST.Split
    /// True when MNIST was not found and the images were drawn by `SyntheticDigits`.
    public let isSynthetic: Bool
    /// Where the images came from, e.g. "MNIST (/data/mnist)" or "built-in synthetic digits (MNIST not found)".
    public let description: String

    /// The first `trainCount` and `testCount` images of MNIST (train and test splits), or as many
    /// synthetic ones drawn with `seed` when MNIST is absent. Counts beyond MNIST's sizes are capped.
    /// - Parameters:
    ///   - trainCount: how many training images, at least 1.
    ///   - testCount: how many test images, at least 1.
    ///   - seed: draws the synthetic images (the test split from `seed + 1`); unused when the data set is found.
    ///   - dataset: the folder name under the data roots: "mnist" or "fashion-mnist" (same layout).
    ///   - locator: where to look for the data set; by default `MLLAB_DATA`, then `Data/`.
    public static func load(trainCount: Int, testCount: Int, seed: UInt64 = 0, dataset: String = "mnist",
                            locator: DataLocator = .standard) throws -> DigitImages {
        precondition(trainCount >= 1 && testCount >= 1, "DigitImages.load: counts must be at least 1, got \(trainCount), \(testCount)")
        if let directory = MNIST.locate(dataset, using: locator) {
            let mnist = try MNIST.load(directory: directory)
            let name = dataset == "mnist" ? "MNIST" : dataset
            return DigitImages(train: mnist.train.prefix(trainCount), test: mnist.test.prefix(testCount),
                               isSynthetic: false, description: "\(name) (\(directory))")
        }
        return DigitImages(train: SyntheticDigits.split(count: trainCount, seed: seed),
                           test: SyntheticDigits.split(count: testCount, seed: seed &+ 1),
                           isSynthetic: true,
                           description: "built-in synthetic digits (\(dataset) not found; set MLLAB_DATA to use it)")
    }
}

extension MNIST.Split {
    /// The first `count` examples (all of them when there are fewer).
    public func prefix(_ count: Int) -> MNIST.Split {
        let kept = Swift.min(count, self.count)
        return MNIST.Split(images: images.slice(0..<kept), labels: labels.slice(0..<kept))
    }
}
