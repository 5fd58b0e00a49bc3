// ClassifierTraining: the MNIST run W9 and W10 time, as bench_deep.py's
// train_classifier runs it in PyTorch.
//
// Pixels scaled to [0, 1] and normalised with MNIST's mean 0.1307 and std
// 0.3081; each epoch is one pass over the training images in a fresh random
// permutation (the last partial batch kept): cross-entropy, backward, one
// optimizer step per batch. After 100 warm-up steps of a throw-away model,
// 5 epochs are timed (the median is reported, rate samples/s); after each the
// test accuracy is measured in batches of 1 000 without recording a graph.
// `--quick` trains one epoch on the first 6 000 images.
import Autograd
import Foundation
import LabKit
import NN
import Tensor

/// One MNIST classifier workload: the model, its optimizer and the batch size are what W9 and W10 differ in.
struct ClassifierTraining<Model: Layer> {
    let workload: String
    let batchSize: Int
    /// The shape of one input sample: [784] for an MLP, [1, 28, 28] for a convolutional net.
    let sampleShape: [Int]
    /// The epochs after which the test accuracy is reported.
    let reportedEpochs: [Int]
    let makeModel: (UInt64) -> Model
    let makeOptimizer: (Model) -> any Optimizer

    func run(threads: Int, quick: Bool, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let directory = MNIST.locate() else {
            Log.progress("\(workload): MNIST not found (set MLLAB_DATA); skipped")
            return []
        }
        Log.progress("\(workload) threads=\(threads) (MNIST from \(directory))")
        let mnist = try MNIST.load(directory: directory)
        let trainCount = quick ? 6_000 : mnist.train.count
        let trainImages = normalised(mnist.train.images.slice(axis: 0, 0..<trainCount))
        let trainLabels = Array(mnist.train.labelIndices.prefix(trainCount))
        let testImages = normalised(mnist.test.images)
        let testLabels = mnist.test.labelIndices

        // Warm-up: 100 steps of a throw-away model.
        var warmupGenerator = RandomGenerator(seed: seed + 1000)
        let warmup = makeModel(seed + 1000)
        _ = Self.epoch(warmup, makeOptimizer(warmup), images: trainImages, labels: trainLabels, batchSize: batchSize,
                       generator: &warmupGenerator, maxBatches: 100)

        let model = makeModel(seed)
        let optimizer = makeOptimizer(model)
        var generator = RandomGenerator(seed: seed)
        let epochs = quick ? 1 : 5
        var times: [Double] = []
        var accuracies: [Int: Double] = [:]
        for e in 1...epochs {
            var loss: Float = 0
            times.append(Stopwatch.time {
                loss = Self.epoch(model, optimizer, images: trainImages, labels: trainLabels, batchSize: batchSize,
                                  generator: &generator)
            })
            accuracies[e] = Self.accuracy(model, images: testImages, labels: testLabels)
            Log.progress(String(format: "  %@ epoch %d: %.2fs loss %.4f test acc %.4f", workload, e, times.last!, loss, accuracies[e]!))
        }
        let median = Stopwatch.median(of: times)
        let reported = quick ? [1] : reportedEpochs
        let batchesPerEpoch = (trainCount + batchSize - 1) / batchSize
        return [BenchRecord(workload: workload, impl: "mllab", threads: threads,
                            params: [("batch", .number(Double(batchSize))), ("epochs", .number(Double(epochs))),
                                     ("train_samples", .number(Double(trainCount)))],
                            secondsMedian: median, rate: [("samples_per_s", Double(trainCount) / median)],
                            quality: reported.map { ("test_accuracy_after_\($0)_epochs", .number((accuracies[$0]! * 1e4).rounded() / 1e4)) }
                                + [("epoch_seconds", .array(times.map { .number(($0 * 1000).rounded() / 1000) })),
                                   ("batches_per_epoch", .number(Double(batchesPerEpoch))),
                                   ("params", .number(Double(model.parameterCount)))])]
    }

    /// Images [N, 28, 28] in [0, 1] → [N, sampleShape…] normalised with MNIST's mean and std.
    func normalised(_ images: Tensor) -> Tensor {
        (images.reshaped([images.shape[0]] + sampleShape) - 0.1307) / 0.3081
    }

    /// One epoch over `images` [n, …] with `labels`; stops after `maxBatches` when given. Returns the last batch's loss.
    static func epoch(_ model: Model, _ optimizer: any Optimizer, images: Tensor, labels: [Int], batchSize: Int,
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
    static func accuracy(_ model: Model, images: Tensor, labels: [Int]) -> Double {
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
