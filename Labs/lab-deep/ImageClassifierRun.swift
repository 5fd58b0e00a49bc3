// Training an image classifier end to end: data, model, the training loop,
// then what the trained network gets right and wrong.
//
// Pixels in [0, 1] are standardised with the data set's mean and standard
// deviation, x ← (x − μ)/σ (MNIST: 0.1307, 0.3081; Fashion-MNIST: 0.2860,
// 0.3530), as PyTorch's tutorials do. Adam's learning rate follows a cosine
// from its start value to 0 over all steps,
//     η_t = ½·η₀·(1 + cos(π·t/T)),
// which lets the last epochs settle. The test set doubles as the validation
// set of each epoch (as in the PyTorch examples the benchmarks follow).
import DeepLearning
import Foundation
import LabKit

struct ImageClassifierRun {
    let lab: LabDeep
    let settings: TourSettings

    func run(report: inout JSONReport, files: inout [String]) throws {
        let quick = settings.quick
        let datasetName = lab.dataset.rawValue
        let data = try DigitImages.load(trainCount: quick ? 2_000 : 60_000, testCount: quick ? 500 : 10_000,
                                        seed: settings.seed, dataset: datasetName)
        Log.info("data: \(data.description): \(data.train.count) training and \(data.test.count) test images")
        report.data = data.description
        report.set("synthetic_data", .bool(data.isSynthetic))
        let (mean, std): (Float, Float) = lab.dataset == .fashionMNIST && !data.isSynthetic ? (0.2860, 0.3530) : (0.1307, 0.3081)
        let isConvolutional = lab.mode != .mlp
        func prepared(_ images: Tensor) -> Tensor {
            let standardised = (images - Tensor(mean)) / Tensor(std)
            return isConvolutional ? standardised.reshaped([images.shape[0], 1, 28, 28]) : standardised
        }
        let defaultEpochs = [LabDeep.Mode.mlp: 20, .cnn: 15, .resnet: 8][lab.mode]!
        let epochs = lab.epochs ?? (quick ? 2 : defaultEpochs)
        let batchSize = lab.batchSize ?? 128
        let augmentation = lab.augment ? ImageAugmentation(maxShift: 2, maxRotation: 10) : nil
        let train = DataLoader(inputs: prepared(data.train.images), targets: data.train.labels, batchSize: batchSize,
                               shuffle: true, seed: settings.seed, augmentation: augmentation)
        let test = DataLoader(inputs: prepared(data.test.images), targets: data.test.labels, batchSize: 1_000, shuffle: false)

        let (model, name, firstLayer) = makeModel()
        let learningRate = lab.learningRate ?? 1e-3
        let optimizer = Adam(model.parameters, learningRate: learningRate)
        let schedule = CosineAnnealing(baseLearningRate: learningRate, totalSteps: epochs * train.batchCount)
        let parameterCount = model.parameters.reduce(0) { $0 + $1.value.count }
        Log.info("== \(name): \(parameterCount) parameters, \(epochs) epochs of \(train.batchCount) batches of \(batchSize), Adam η₀ = \(learningRate), cosine schedule\(augmentation == nil ? "" : ", augmented") ==")

        let trainer = Trainer(epochs: epochs, checkpointPath: lab.checkpoint, resume: lab.resume,
                              earlyStoppingPatience: lab.earlyStopping, schedule: schedule)
        let history = try trainer.fit(model, optimizer: optimizer, train: train, validation: test)

        // What the trained network predicts on the test set.
        let predictions = noGrad { () -> [Int] in
            var result: [Int] = []
            for batch in test.batches(epoch: 0) {
                result += model(Variable(batch.inputs)).value.argmax(axis: 1).scalars.map { Int($0) }
            }
            return result
        }
        let labels = data.test.labelIndices
        let correct = zip(predictions, labels).filter { $0 == $1 }.count
        let accuracy = Double(correct) / Double(labels.count)
        Log.info(String(format: "test accuracy: %.2f%% (%d of %d)", accuracy * 100, correct, labels.count))

        report.setMetric("test_accuracy", accuracy)
        report.setMetric("test_loss", history.last?.validationLoss ?? .nan)
        report.setMetric("epochs", JSONValue(history.epochs.count))
        report.setMetric("parameters", JSONValue(parameterCount))
        report.setMetric("samples_per_s", history.epochs.map(\.samplesPerSecond).max() ?? 0)
        report.setMetric("train_loss_per_epoch", JSONValue(history.epochs.map(\.trainLoss)))
        report.setMetric("test_loss_per_epoch", JSONValue(history.epochs.map { $0.validationLoss ?? .nan }))
        report.setMetric("test_accuracy_per_epoch", JSONValue(history.epochs.map { $0.validationAccuracy ?? .nan }))
        report.set("stopped_early", .bool(history.stoppedEarly))
        if let resumed = history.resumedAfterEpoch { report.set("resumed_after_epoch", JSONValue(resumed)) }

        let classNames = lab.dataset == .fashionMNIST && !data.isSynthetic
            ? ["T-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]
            : (0...9).map(String.init)
        try settings.write("training_curves.png", files: &files) {
            try NetworkPictures.trainingCurves(
                trainLoss: history.epochs.map(\.trainLoss), testLoss: history.epochs.map { $0.validationLoss ?? .nan },
                trainAccuracy: history.epochs.map { $0.trainAccuracy ?? .nan },
                testAccuracy: history.epochs.map { $0.validationAccuracy ?? .nan }, title: name).write(to: $0)
        }
        let confusion = Metrics.confusionMatrix(data.test.labels, Tensor(shape: [predictions.count], scalars: predictions.map(Float.init)),
                                                labels: (0..<10).map(Float.init))
        try settings.write("confusion_matrix.png", files: &files) {
            try EvaluationPlots.confusionMatrix(confusion.counts, classNames: classNames).write(to: $0)
        }
        if let grid = NetworkPictures.misclassified(images: data.test.images, labels: labels, predictions: predictions,
                                                    classNames: lab.dataset == .fashionMNIST && !data.isSynthetic ? (0...9).map(String.init) : classNames) {
            try settings.write("misclassified.png", files: &files) { try grid.render().write(to: $0) }
        }
        try settings.write("first_layer_weights.png", files: &files) {
            try NetworkPictures.firstLayerWeights(firstLayer.value, imageSide: 28,
                                                  title: "\(name): first layer's learned weights").render().write(to: $0)
        }
    }

    /// The network of the chosen mode, its name, and its first layer's weight.
    private func makeModel() -> (any Layer, String, Variable) {
        switch lab.mode {
        case .mlp:
            let model = MultilayerPerceptron(sizes: [784, 512, 256, 10], dropout: 0.2, seed: settings.seed)
            return (model, "MLP 784-512-256-10", model.firstLinear.weight)
        case .cnn:
            let model = LeNet5(seed: settings.seed)
            return (model, "LeNet-5", model.conv1.weight)
        default:
            let model = ResidualNet(seed: settings.seed)
            return (model, "ResNet (16-32-64)", model.conv1.weight)
        }
    }
}
