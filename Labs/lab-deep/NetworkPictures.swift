// NetworkPictures: what a trained classifier of images can show a learner.
//
// • Training curves: loss and accuracy per epoch on the training and test
//   sets, side by side; the gap between the two lines is overfitting.
// • Misclassified test images, each captioned "true→predicted" in red.
// • The first layer's learned weights as images: a convolution's k×k filters
//   (edge and blob detectors appear), or for an MLP each hidden unit's 784
//   input weights laid out as a 28×28 picture (the stroke it looks for).
import Foundation
import LabKit
import Tensor

enum NetworkPictures {
    /// Loss (left) and accuracy (right) per epoch for the training and test sets.
    static func trainingCurves(trainLoss: [Double], testLoss: [Double], trainAccuracy: [Double],
                               testAccuracy: [Double], title: String) -> Canvas {
        var loss = LineChart(title: "\(title): loss", xLabel: "epoch", yLabel: "cross-entropy")
        loss.addSeries("train", y: trainLoss, firstX: 1)
        loss.addSeries("test", y: testLoss, firstX: 1)
        var accuracy = LineChart(title: "\(title): accuracy", xLabel: "epoch", yLabel: "accuracy (%)")
        accuracy.addSeries("train", y: trainAccuracy.map { $0 * 100 }, firstX: 1)
        accuracy.addSeries("test", y: testAccuracy.map { $0 * 100 }, firstX: 1)
        loss.width = 600
        accuracy.width = 600
        return Canvas.sideBySide([loss.render(), accuracy.render()])
    }

    /// Up to `limit` test images [N, H, W] whose prediction is wrong, captioned "true→predicted".
    static func misclassified(images: Tensor, labels: [Int], predictions: [Int], classNames: [String],
                              limit: Int = 40) -> ImageGrid? {
        let wrong = Array(labels.indices.filter { labels[$0] != predictions[$0] }.prefix(limit))
        if wrong.isEmpty { return nil }
        let side = (images.shape[1], images.shape[2])
        var grid = ImageGrid(images: images.gathering(wrong).reshaped([wrong.count, side.0, side.1]), columns: 10)
        grid.scaling = .global
        grid.upscale = 2
        grid.captions = wrong.map { "\(classNames[labels[$0]])→\(classNames[predictions[$0]])" }
        grid.captionColors = Array(repeating: RGBColor.palette(3), count: wrong.count)
        grid.title = "Misclassified test images (true→predicted): \(labels.indices.filter { labels[$0] != predictions[$0] }.count) of \(labels.count)"
        return grid
    }

    /// A first layer's weights as pictures: [out, in, k, k] filters (first input channel) or
    /// [units, H·W] rows of a linear layer shown as H × W images (at most `limit`).
    static func firstLayerWeights(_ weight: Tensor, imageSide: Int, limit: Int = 64, title: String) -> ImageGrid {
        let shown = Swift.min(limit, weight.shape[0])
        let tiles: Tensor
        if weight.rank == 4 {
            let k = weight.shape[2]
            tiles = weight.slice(0..<shown).slice(axis: 1, 0..<1).reshaped([shown, k, k])
        } else {
            precondition(weight.rank == 2 && weight.shape[1] == imageSide * imageSide,
                         "firstLayerWeights: needs [out, in, k, k] or [units, \(imageSide * imageSide)], got \(weight.shape)")
            tiles = weight.slice(0..<shown).reshaped([shown, imageSide, imageSide])
        }
        var grid = ImageGrid(images: tiles, columns: Swift.min(shown, weight.rank == 4 ? 8 : 16))
        grid.scaling = .perImage
        grid.upscale = weight.rank == 4 ? 12 : 2
        grid.title = title
        return grid
    }
}
