// ClassifierTraining: the loop W9 and W10 time, as bench_deep.py's
// train_classifier runs it — one pass over the training images in a fresh
// random permutation (the last partial batch kept), cross-entropy, backward,
// one optimizer step per batch; then test accuracy in batches of 1 000
// without recording a graph.
import Autograd
import NN
import Tensor

enum ClassifierTraining {
    /// One epoch over `images` [n, …] with `labels`; stops after `maxBatches` when given. Returns the last batch's loss.
    static func epoch(_ model: some Layer, _ optimizer: any Optimizer, images: Tensor, labels: [Int], batchSize: Int,
                      generator: inout RandomGenerator, maxBatches: Int? = nil) -> Float {
        model.train()
        let count = labels.count
        let order = generator.permutation(count)
        var lastLoss: Float = 0
        var start = 0, batches = 0
        while start < count, batches < (maxBatches ?? .max) {
            let indices = Array(order[start..<Swift.min(start + batchSize, count)])
            let loss = model(Variable(images.gathering(indices))).crossEntropy(indices.map { labels[$0] })
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            lastLoss = loss.value.item
            start += batchSize
            batches += 1
        }
        return lastLoss
    }

    /// The fraction of `images` whose largest logit is at their label.
    static func accuracy(_ model: some Layer, images: Tensor, labels: [Int]) -> Double {
        model.eval()
        return noGrad {
            var correct = 0
            for start in stride(from: 0, to: labels.count, by: 1000) {
                let end = Swift.min(start + 1000, labels.count)
                let predicted = model(Variable(images.slice(axis: 0, start..<end))).value.argmax(axis: 1).scalars
                for (k, p) in predicted.enumerated() where Int(p) == labels[start + k] { correct += 1 }
            }
            return Double(correct) / Double(labels.count)
        }
    }
}
