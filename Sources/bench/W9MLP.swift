// W9: an MLP 784-256-128-10 with ReLU, trained on MNIST with Adam (lr 1e-3),
// batch 128, as the PyTorch peer of docs/BENCHMARKS.md trains it (the loop,
// the timing and the data preparation are in ClassifierTraining.swift). The
// quality is the test accuracy after 5 epochs.
import NN

enum W9MLP {
    static var workload: ClassifierTraining<Sequential> {
        ClassifierTraining(
            workload: "W9", batchSize: 128, sampleShape: [784], reportedEpochs: [5],
            makeModel: { seed in
                Sequential(Linear(784, 256, seed: seed), ReLU(), Linear(256, 128, seed: seed + 1), ReLU(),
                           Linear(128, 10, seed: seed + 2))
            },
            makeOptimizer: { model in Adam(model.parameters, learningRate: 1e-3) })
    }
}
