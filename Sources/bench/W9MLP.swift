// W9: an MLP 784-256-128-10 with ReLU, trained on MNIST with Adam (lr 1e-3),
// batch 128, as ../shared/peers/bench_deep.py trains it in PyTorch: pixels
// scaled to [0, 1] and normalised with mean 0.1307 and std 0.3081, a fresh
// random permutation per epoch, the last partial batch kept. After 100
// warm-up steps of a throw-away model, 5 epochs are timed (median reported,
// rate samples/s) and the test accuracy after 5 epochs is the quality.
// `--quick` trains one epoch on the first 6 000 images.
import Autograd
import Foundation
import LabKit
import NN

enum W9MLP {
    static func run(threads: Int, quick: Bool, seed: UInt64 = 0) throws -> [BenchRecord] {
        guard let directory = MNIST.locate() else {
            Log.progress("W9: MNIST not found (set MLLAB_DATA); skipped")
            return []
        }
        Log.progress("W9 threads=\(threads) (MNIST from \(directory))")
        let mnist = try MNIST.load(directory: directory)
        let trainCount = quick ? 6_000 : mnist.train.count
        let trainImages = normalised(mnist.train.images.slice(axis: 0, 0..<trainCount))
        let trainLabels = Array(mnist.train.labelIndices.prefix(trainCount))
        let testImages = normalised(mnist.test.images)
        let testLabels = mnist.test.labelIndices

        func makeModel(seed: UInt64) -> Sequential {
            Sequential(Linear(784, 256, seed: seed), ReLU(), Linear(256, 128, seed: seed + 1), ReLU(),
                       Linear(128, 10, seed: seed + 2))
        }

        func epoch(_ model: Sequential, _ optimizer: Adam, _ generator: inout RandomGenerator, maxBatches: Int? = nil) -> Float {
            ClassifierTraining.epoch(model, optimizer, images: trainImages, labels: trainLabels, batchSize: 128,
                                     generator: &generator, maxBatches: maxBatches)
        }

        func accuracy(_ model: Sequential) -> Double {
            ClassifierTraining.accuracy(model, images: testImages, labels: testLabels)
        }

        // Warm-up: 100 steps of a throw-away model.
        var warmupGenerator = RandomGenerator(seed: seed + 1000)
        let warmup = makeModel(seed: seed + 1000)
        _ = epoch(warmup, Adam(warmup.parameters, learningRate: 1e-3), &warmupGenerator, maxBatches: 100)

        let model = makeModel(seed: seed)
        let optimizer = Adam(model.parameters, learningRate: 1e-3)
        var generator = RandomGenerator(seed: seed)
        let epochs = quick ? 1 : 5
        var times: [Double] = []
        var testAccuracy = 0.0
        for e in 1...epochs {
            var loss: Float = 0
            times.append(Stopwatch.time { loss = epoch(model, optimizer, &generator) })
            testAccuracy = accuracy(model)
            Log.progress(String(format: "  W9 epoch %d: %.2fs loss %.4f test acc %.4f", e, times.last!, loss, testAccuracy))
        }
        let median = Stopwatch.median(of: times)
        return [BenchRecord(workload: "W9", impl: "mllab", threads: threads,
                            params: [("batch", .number(128)), ("epochs", .number(Double(epochs))),
                                     ("train_samples", .number(Double(trainCount)))],
                            secondsMedian: median, rate: [("samples_per_s", Double(trainCount) / median)],
                            quality: [("test_accuracy_after_\(epochs)_epochs", .number((testAccuracy * 1e4).rounded() / 1e4)),
                                      ("epoch_seconds", .array(times.map { .number(($0 * 1000).rounded() / 1000) }))])]
    }

    /// Images [N, 28, 28] in [0, 1] → rows [N, 784] normalised with MNIST's mean and std.
    static func normalised(_ images: Tensor) -> Tensor {
        (images.reshaped(images.shape[0], 784) - 0.1307) / 0.3081
    }
}
