// W10: LeNet-5 (conv5×5×6 pad 2 → ReLU → maxpool2 → conv5×5×16 → ReLU → maxpool2
// → fc120 → ReLU → fc84 → ReLU → fc10) trained on MNIST with SGD (lr 0.01,
// momentum 0.9), batch 64, as ../shared/peers/bench_deep.py trains it in PyTorch:
// pixels scaled to [0, 1] and normalised with mean 0.1307 and std 0.3081, images
// [N, 1, 28, 28], a fresh random permutation per epoch, the last partial batch
// kept. After 100 warm-up steps of a throw-away model, 5 epochs are timed (median
// reported, rate samples/s); the quality is the test accuracy after 3 and 5 epochs.
// `--quick` trains one epoch on the first 6 000 images.
import Autograd
import DeepLearning
import Foundation
import LabKit
import NN

enum W10CNN {
    static let batchSize = 64

    static func run(threads: Int, quick: Bool, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let directory = MNIST.locate() else {
            Log.progress("W10: MNIST not found (set MLLAB_DATA); skipped")
            return []
        }
        Log.progress("W10 threads=\(threads) (MNIST from \(directory))")
        let mnist = try MNIST.load(directory: directory)
        let trainCount = quick ? 6_000 : mnist.train.count
        let trainImages = normalised(mnist.train.images.slice(axis: 0, 0..<trainCount))
        let trainLabels = Array(mnist.train.labelIndices.prefix(trainCount))
        let testImages = normalised(mnist.test.images)
        let testLabels = mnist.test.labelIndices

        func epoch(_ model: LeNet5, _ optimizer: SGD, _ generator: inout RandomGenerator, maxBatches: Int? = nil) -> Float {
            ClassifierTraining.epoch(model, optimizer, images: trainImages, labels: trainLabels, batchSize: batchSize,
                                     generator: &generator, maxBatches: maxBatches)
        }

        func accuracy(_ model: LeNet5) -> Double {
            ClassifierTraining.accuracy(model, images: testImages, labels: testLabels)
        }

        func makeOptimizer(_ model: LeNet5) -> SGD { SGD(model.parameters, learningRate: 0.01, momentum: 0.9) }

        // Warm-up: 100 steps of a throw-away model.
        var warmupGenerator = RandomGenerator(seed: seed + 1000)
        let warmup = LeNet5(seed: seed + 1000)
        _ = epoch(warmup, makeOptimizer(warmup), &warmupGenerator, maxBatches: 100)

        let model = LeNet5(seed: seed)
        let optimizer = makeOptimizer(model)
        var generator = RandomGenerator(seed: seed)
        let epochs = quick ? 1 : 5
        var times: [Double] = []
        var accuracies: [Int: Double] = [:]
        for e in 1...epochs {
            var loss: Float = 0
            times.append(Stopwatch.time { loss = epoch(model, optimizer, &generator) })
            accuracies[e] = accuracy(model)
            Log.progress(String(format: "  W10 epoch %d: %.2fs loss %.4f test acc %.4f", e, times.last!, loss, accuracies[e]!))
        }
        let median = Stopwatch.median(of: times)
        let reported = quick ? [1] : [3, 5]
        let batchesPerEpoch = (trainCount + batchSize - 1) / batchSize
        return [BenchRecord(workload: "W10", impl: "mllab", threads: threads,
                            params: [("batch", .number(Double(batchSize))), ("epochs", .number(Double(epochs))),
                                     ("train_samples", .number(Double(trainCount)))],
                            secondsMedian: median, rate: [("samples_per_s", Double(trainCount) / median)],
                            quality: reported.map { ("test_accuracy_after_\($0)_epochs", .number((accuracies[$0]! * 1e4).rounded() / 1e4)) }
                                + [("epoch_seconds", .array(times.map { .number(($0 * 1000).rounded() / 1000) })),
                                   ("batches_per_epoch", .number(Double(batchesPerEpoch))),
                                   ("params", .number(Double(model.parameterCount)))])]
    }

    /// Images [N, 28, 28] in [0, 1] → [N, 1, 28, 28] normalised with MNIST's mean and std.
    static func normalised(_ images: Tensor) -> Tensor {
        (images.reshaped(images.shape[0], 1, 28, 28) - 0.1307) / 0.3081
    }
}
