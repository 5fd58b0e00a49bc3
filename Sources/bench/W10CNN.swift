// W10: LeNet-5 (conv5×5×6 pad 2 → ReLU → maxpool2 → conv5×5×16 → ReLU → maxpool2
// → fc120 → ReLU → fc84 → ReLU → fc10) trained on MNIST with SGD (lr 0.01,
// momentum 0.9), batch 64, as the PyTorch peer trains it (docs/BENCHMARKS.md, W10)
// (the loop, the timing and the data preparation are in ClassifierTraining.swift),
// images [N, 1, 28, 28]. The quality is the test accuracy after 3 and 5 epochs.
import DeepLearning
import NN

enum W10CNN {
    static var workload: ClassifierTraining<LeNet5> {
        ClassifierTraining(
            workload: "W10", batchSize: 64, sampleShape: [1, 28, 28], reportedEpochs: [3, 5],
            makeModel: { seed in LeNet5(seed: seed) },
            makeOptimizer: { model in SGD(model.parameters, learningRate: 0.01, momentum: 0.9) })
    }
}
