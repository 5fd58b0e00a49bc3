// Notebook 04: deep learning: an MLP, a convolutional net and an LSTM, trained small.
//
//   swift run -c release mllab notebook render 04-deep-learning   (the page: Notebooks-as-scripts/rendered/04-deep-learning.md)
//   swift run -c release notebook-04-deep-learning                (just run it; add --quick for the small setting)
//
// Cells in the percent format: "// %% [markdown]" opens prose, "// %%" opens
// code whose first statement is cell("title"). Change a number and run again.
import Autograd
import DeepLearning
import Foundation
import LabKit
import NN
import NotebookKit
import Tensor

// %% [markdown]
// # Phase 4: deep learning
//
// A neural network is a chain of differentiable layers; training is gradient
// descent on a loss, with the gradients from reverse-mode autograd. This
// notebook trains three networks at a small size on built-in data, so the
// page is the same on every machine: an MLP and LeNet-5 on synthetic digits,
// and a character-level LSTM on sentences from a tiny grammar.
//
// ## One layer, its loss and its gradient
// A linear layer maps x to logits z = x Wᵀ + b; the cross-entropy of a batch of
// B rows with classes y is L = −(1/B) Σᵢ log softmax(zᵢ)_{yᵢ}. Its gradient has
// a short closed form: ∂L/∂z = (softmax(z) − onehot(y)) / B, and then
// ∂L/∂W = (∂L/∂z)ᵀ x. `backward()` must agree with that formula, and with a
// finite difference (L(W + h) − L(W − h)) / 2h on any one weight.

// %%
cell("1. a gradient three ways")
let quick = Notebook.isQuick
let layer = Linear(4, 3, seed: 1)
let smallBatch = Tensor.normal([5, 4], seed: 2)
let smallClasses = [0, 2, 1, 1, 0]
let loss = layer(Variable(smallBatch)).crossEntropy(smallClasses)
loss.backward()
let backpropGradient = layer.weight.grad!

// The closed form, with plain tensor operations.
let logits = smallBatch.matmul(layer.weight.value.transposed()) + layer.bias!.value
var oneHot = Tensor.zeros([5, 3])
for (row, target) in smallClasses.enumerated() { oneHot[row, target] = 1 }
let formulaGradient = ((logits.softmax() - oneHot) / 5).transposed().matmul(smallBatch)

// A central finite difference on one weight, W[1, 2].
let lossAfterNudging = { (h: Float) -> Float in
    let saved = layer.weight.value
    layer.weight.value[1, 2] += h
    defer { layer.weight.value = saved }
    return noGrad { layer(Variable(smallBatch)).crossEntropy(smallClasses).value.item }
}
let h: Float = 1e-2
let finiteDifference = (lossAfterNudging(h) - lossAfterNudging(-h)) / (2 * h)
print(String(format: "loss %.4f; ∂L/∂W[1,2]: backward %.5f, formula %.5f, finite difference %.5f",
             loss.value.item, backpropGradient[1, 2], formulaGradient[1, 2], finiteDifference))
print(String(format: "max |backward − formula| over all of W: %.1e", (backpropGradient - formulaGradient).abs().max()))

// %% [markdown]
// ## The data: synthetic digits
// LabKit's SyntheticDigits draws 28 × 28 digits from pen strokes with random
// slant, rotation, scale, shift, pen width and noise, in MNIST's layout. The
// training and test sets come from different seeds, so no test image was
// seen in training. Pixels are standardised, x ← (x − μ)/σ with the training
// set's μ and σ, so the first layer starts on inputs of mean 0 and spread 1.

// %%
cell("2. synthetic digits")
let trainDigits = SyntheticDigits.split(count: quick ? 500 : 1_000, seed: 1)
let testDigits = SyntheticDigits.split(count: quick ? 300 : 1_000, seed: 2)
let pixelMean = trainDigits.images.mean(), pixelStd = Foundation.sqrt(trainDigits.images.variance())
func standardised(_ images: Tensor) -> Tensor { (images - pixelMean) / pixelStd }
let testLabels = testDigits.labelIndices
print("\(trainDigits.count) training and \(testDigits.count) test images of shape", Array(trainDigits.images.shape.dropFirst()))
print(String(format: "pixel mean %.4f, standard deviation %.4f", pixelMean, pixelStd))
var examples = ImageGrid(images: trainDigits.images.slice(0..<20), columns: 10)
examples.scaling = .fixed(0...1)
examples.upscale = 2
examples.captions = trainDigits.labelIndices.prefix(20).map(String.init)
examples.title = "The first 20 training digits"
try figure("digits.png") { try examples.render().write(to: $0) }

// %% [markdown]
// ## An MLP: 784 → 128 → 10
// The image is flattened to 784 numbers, h = ReLU(x W₁ᵀ + b₁) gives 128
// hidden units, and z = h W₂ᵀ + b₂ the 10 logits. `Trainer` runs the usual
// loop per batch (forward, loss, zeroGrad, backward, Adam step) with a
// cosine learning rate η_t = ½ η₀ (1 + cos(π t / T)), and measures the test
// set after every epoch. Watch the gap between training and test accuracy:
// that gap is overfitting.

// %%
cell("3. training an MLP")
let trainImages = standardised(trainDigits.images), testImages = standardised(testDigits.images)
let trainLoader = DataLoader(inputs: trainImages, targets: trainDigits.labels, batchSize: 64, shuffle: true, seed: 0)
let testLoader = DataLoader(inputs: testImages, targets: testDigits.labels, batchSize: 500, shuffle: false)
let mlp = MultilayerPerceptron(sizes: [784, 128, 10], seed: 0)
let mlpEpochs = quick ? 2 : 15
let mlpTrainer = Trainer(epochs: mlpEpochs,
                         schedule: CosineAnnealing(baseLearningRate: 1e-3, totalSteps: mlpEpochs * trainLoader.batchCount),
                         showsProgress: false)
let mlpHistory = try mlpTrainer.fit(mlp, optimizer: Adam(mlp.parameters, learningRate: 1e-3), train: trainLoader, validation: testLoader)
print("\(mlp.parameterCount) parameters, \(mlpEpochs) epoch(s) of \(trainLoader.batchCount) batches of 64")
print("epoch  train loss  train acc  test loss  test acc")
for record in mlpHistory.epochs where record.epoch <= 3 || record.epoch % 5 == 0 {
    print(String(format: "%5d  %10.4f  %8.1f%%  %9.4f  %7.1f%%", record.epoch, record.trainLoss, (record.trainAccuracy ?? .nan) * 100,
                 record.validationLoss ?? .nan, (record.validationAccuracy ?? .nan) * 100))
}

/// Loss (left) and accuracy (right) per epoch, training and test.
func trainingCurves(_ history: TrainingHistory, title: String) -> Canvas {
    var lossChart = LineChart(title: "\(title): loss", xLabel: "epoch", yLabel: "cross-entropy")
    lossChart.addSeries("train", y: history.epochs.map(\.trainLoss), firstX: 1)
    lossChart.addSeries("test", y: history.epochs.map { $0.validationLoss ?? .nan }, firstX: 1)
    var accuracyChart = LineChart(title: "\(title): accuracy", xLabel: "epoch", yLabel: "accuracy (%)")
    accuracyChart.addSeries("train", y: history.epochs.map { ($0.trainAccuracy ?? .nan) * 100 }, firstX: 1)
    accuracyChart.addSeries("test", y: history.epochs.map { ($0.validationAccuracy ?? .nan) * 100 }, firstX: 1)
    lossChart.width = 560; accuracyChart.width = 560
    return Canvas.sideBySide([lossChart.render(), accuracyChart.render()])
}
try figure("mlp_training.png") { try trainingCurves(mlpHistory, title: "MLP").write(to: $0) }

// %% [markdown]
// ## What the MLP gets wrong
// The confusion matrix counts test digits of true class i (row) predicted as
// j (column): a perfect model is diagonal. The misclassified digits show
// whether its mistakes are ones a person might make. Each hidden unit's 784
// input weights can be drawn as a 28 × 28 picture: the stroke pattern it
// responds to (light) or against (dark). After only 1 000 training digits
// they are still noisy, but blobs and arcs of strokes show through.

// %%
cell("4. confusion matrix, mistakes and hidden units")
/// The predicted class of every test image, without recording a graph.
func predictions(of model: some Layer, on images: Tensor) -> [Int] {
    noGrad { model(Variable(images)).value.argmax(axis: 1).scalars.map { Int($0) } }
}
let mlpPredicted = predictions(of: mlp, on: testImages)
let confusion = Metrics.confusionMatrix(testDigits.labels, Tensor(mlpPredicted.map(Float.init)), labels: (0..<10).map(Float.init))
var mixUps: [(count: Int, truth: Int, predicted: Int)] = []
for truth in 0..<10 { for predicted in 0..<10 where predicted != truth { mixUps.append((confusion.counts[truth][predicted], truth, predicted)) } }
let wrong = testLabels.indices.filter { testLabels[$0] != mlpPredicted[$0] }
print(String(format: "test accuracy %.1f%% (%d of %d wrong)", 100 * (1 - Double(wrong.count) / Double(testLabels.count)),
             wrong.count, testLabels.count))
print("most frequent mix-ups:", mixUps.sorted { $0.count > $1.count }.prefix(3).map { "\($0.truth)→\($0.predicted) ×\($0.count)" }.joined(separator: ", "))
try figure("mlp_confusion.png") {
    try EvaluationPlots.confusionMatrix(confusion.counts, classNames: (0...9).map(String.init), title: "MLP: confusion matrix (test set)").write(to: $0)
}
if !wrong.isEmpty {
    let shownWrong = Array(wrong.prefix(20))
    var mistakes = ImageGrid(images: testDigits.images.gathering(shownWrong), columns: 10)
    mistakes.scaling = .fixed(0...1)
    mistakes.upscale = 2
    mistakes.captions = shownWrong.map { "\(testLabels[$0])→\(mlpPredicted[$0])" }
    mistakes.captionColors = Array(repeating: RGBColor.palette(3), count: shownWrong.count)
    mistakes.title = "Misclassified test digits (true→predicted)"
    try figure("mlp_mistakes.png") { try mistakes.render().write(to: $0) }
}
var hiddenUnits = ImageGrid(images: mlp.firstLinear.weight.value.slice(0..<24).reshaped([24, 28, 28]), columns: 12)
hiddenUnits.scaling = .perImage
hiddenUnits.upscale = 2
hiddenUnits.title = "Input weights of 24 of the 128 hidden units"
try figure("mlp_hidden_units.png") { try hiddenUnits.render().write(to: $0) }

// %% [markdown]
// ## A convolution, by hand and by conv2d
// A convolution slides a small kernel w over the image and takes a weighted
// sum at every position:
//
//     out[y, x] = Σᵢ Σⱼ w[i, j] · image[y + i − p, x + j − p]
//
// (p = 1 zeros of padding keep 28 × 28). The same few weights are used at
// every position, so a 3 × 3 kernel has 9 parameters however big the image.
// Three hand-made kernels: a vertical-edge detector, a horizontal-edge
// detector and a blur; then 2 × 2 max pooling keeps the largest value of
// each block and halves the size.

// %%
cell("5. convolution and pooling on one digit")
let digit = testDigits.images.slice(0..<1).reshaped([1, 1, 28, 28])
let kernels = Tensor([[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],          // vertical edges (Sobel)
                      [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],          // horizontal edges
                      [[1, 1, 1], [1, 1, 1], [1, 1, 1]]]) / Tensor([1, 1, 9]).reshaped([3, 1, 1])
let featureMaps = Variable(digit).conv2d(weight: Variable(kernels.reshaped([3, 1, 3, 3])), padding: 1)
let pooled = featureMaps.maxPool2d(kernel: 2)
let (row, column) = (14, 12)
var byHand: Float = 0
for i in 0..<3 { for j in 0..<3 { byHand += kernels[0, i, j] * digit[0, 0, row + i - 1, column + j - 1] } }
print("feature maps", featureMaps.shape, "→ after 2 × 2 max pooling", pooled.shape)
print(String(format: "vertical-edge map at (%d, %d): conv2d %.4f, by hand %.4f", row, column,
             featureMaps.value[0, 0, row, column], byHand))
let mapTiles = Tensor.concatenated([digit.reshaped([1, 28, 28]), featureMaps.value.reshaped([3, 28, 28])])
var mapGrid = ImageGrid(images: mapTiles, columns: 4)
mapGrid.scaling = .perImage
mapGrid.upscale = 4
mapGrid.captions = ["digit", "vertical edges", "horizontal edges", "blur"]
mapGrid.title = "One digit through three hand-made 3 × 3 kernels"
try figure("conv_by_hand.png") { try mapGrid.render().write(to: $0) }

// %% [markdown]
// ## LeNet-5: learning the kernels
// LeNet-5 learns its own kernels: conv 5 × 5 (6 maps) → ReLU → pool →
// conv 5 × 5 (16 maps) → ReLU → pool → 400 → 120 → 84 → 10. It has about half
// the MLP's parameters, but it knows that a stroke means the same wherever it
// is, so it needs less data for the same accuracy. Same data, optimiser and
// schedule as the MLP; then the six learned first-layer kernels, and what
// they make of one test digit (the same digit as in cell 5).

// %%
cell("6. LeNet-5 on the same digits")
let imageShape = { (images: Tensor) in images.reshaped([images.shape[0], 1, 28, 28]) }
let cnnTrain = DataLoader(inputs: imageShape(trainImages), targets: trainDigits.labels, batchSize: 64, shuffle: true, seed: 0)
let cnnTest = DataLoader(inputs: imageShape(testImages), targets: testDigits.labels, batchSize: 500, shuffle: false)
let lenet = LeNet5(seed: 0)
let cnnEpochs = quick ? 2 : 15
let cnnTrainer = Trainer(epochs: cnnEpochs,
                         schedule: CosineAnnealing(baseLearningRate: 1e-3, totalSteps: cnnEpochs * cnnTrain.batchCount),
                         showsProgress: false)
let cnnHistory = try cnnTrainer.fit(lenet, optimizer: Adam(lenet.parameters, learningRate: 1e-3), train: cnnTrain, validation: cnnTest)
print("LeNet-5: \(lenet.parameterCount) parameters (the MLP: \(mlp.parameterCount))")
for record in cnnHistory.epochs where record.epoch <= 3 || record.epoch % 5 == 0 {
    print(String(format: "epoch %d: train loss %.4f, test accuracy %.1f%%", record.epoch, record.trainLoss,
                 (record.validationAccuracy ?? .nan) * 100))
}
let mlpAccuracy = (mlpHistory.last?.validationAccuracy ?? .nan) * 100, cnnAccuracy = (cnnHistory.last?.validationAccuracy ?? .nan) * 100
print(String(format: "test accuracy: MLP %.1f%% after %d epochs, LeNet-5 %.1f%% after %d", mlpAccuracy, mlpEpochs, cnnAccuracy, cnnEpochs))
try figure("lenet_training.png") { try trainingCurves(cnnHistory, title: "LeNet-5").write(to: $0) }

var learnedKernels = ImageGrid(images: lenet.conv1.weight.value.reshaped([6, 5, 5]), columns: 6)
learnedKernels.scaling = .perImage
learnedKernels.upscale = 12
learnedKernels.title = "conv1: the six learned 5 × 5 kernels"
let learnedMaps = noGrad { lenet.conv1(Variable(standardised(digit))).relu().value }
var learnedMapGrid = ImageGrid(images: learnedMaps.reshaped([6, 28, 28]), columns: 6)
learnedMapGrid.scaling = .perImage
learnedMapGrid.upscale = 2
learnedMapGrid.title = "ReLU(conv1) of the test digit of cell 5"
try figure("lenet_conv1.png") {
    try Canvas.sideBySide([learnedKernels.render(), learnedMapGrid.render()], gap: 24).write(to: $0)
}

// %% [markdown]
// ## A character-level LSTM
// An LSTM reads a sequence one step at a time and carries a memory c_t
// through gates: with [h_{t−1}, x_t] it computes an input gate i, a forget
// gate f, an output gate o (sigmoids) and a candidate g (tanh), then
//
//     c_t = f ⊙ c_{t−1} + i ⊙ g,     h_t = o ⊙ tanh(c_t).
//
// As a language model it predicts every next character: embedding → LSTM →
// linear, trained on random windows with L = −mean log p(x_{t+1} | x₁ … x_t).
// The text is sentences drawn from a tiny grammar (seeded), so the
// validation tenth holds sentences the model has not read, and a sample can
// be checked: how many generated lines are sentences of the grammar? Each
// sentence makes six uniform choices, so the text has a known entropy per
// character: the validation loss can approach it but never go below it.

// %%
cell("7. an LSTM learns a tiny grammar")
let adjectives = ["red", "quiet", "small", "old", "bright", "lazy"]
let animals = ["fox", "owl", "cat", "crow", "hare", "wolf"]
let verbs = ["sees", "follows", "wakes", "chases", "hears"]
let places = ["by the river", "in the wood", "at night", "on the hill"]
var grammarGenerator = RandomGenerator(seed: 3)
let pick = { (words: [String]) -> String in words[grammarGenerator.nextInt(below: words.count)] }
let corpus = (0..<(quick ? 600 : 3_000)).map { _ in
    "the \(pick(adjectives)) \(pick(animals)) \(pick(verbs)) the \(pick(adjectives)) \(pick(animals)) \(pick(places)).\n"
}.joined()
var grammatical = Set<String>()
for a in adjectives { for b in animals { for v in verbs { for c in adjectives { for d in animals { for p in places {
    grammatical.insert("the \(a) \(b) \(v) the \(c) \(d) \(p).")
} } } } } }

// The best any model can do: the grammar's own choices, ln 6 + ln 6 + ln 5 + ln 6 + ln 6 + ln 4 nats per sentence.
let sentenceCount = corpus.filter { $0 == "\n" }.count
let nats = [adjectives, animals, verbs, adjectives, animals, places].map { Foundation.log(Double($0.count)) }.reduce(0, +)
let entropyFloor = nats / (Double(corpus.unicodeScalars.count) / Double(sentenceCount))
let characters = CharVocabulary(text: corpus)
let (trainTokens, validationTokens) = CharVocabulary.split(try characters.encode(corpus))
let languageModel = CharLanguageModel(vocabularySize: characters.count, embeddingSize: 32, hiddenSize: quick ? 64 : 128, seed: 0)
let optimizer = Adam(languageModel.parameters, learningRate: 3e-3)
let steps = quick ? 60 : 1_200, batch = 16, window = 48
print("\(corpus.unicodeScalars.count) characters, \(characters.count) distinct (uniform guess: ln \(characters.count) = \(String(format: "%.2f", Foundation.log(Double(characters.count)))) nats)")
print(String(format: "the grammar's entropy: %.2f nats per sentence, %.3f per character: no model can go lower", nats, entropyFloor))
print("\(languageModel.parameterCount) parameters; \(steps) steps of \(batch) windows × \(window) characters")

var windowGenerator = RandomGenerator(seed: 0)
var batchLosses: [Double] = [], validationCurve: [(step: Int, loss: Double)] = []
languageModel.train()
for step in 1...steps {
    let (inputs, targets) = TextWindows.sample(from: trainTokens, batch: batch, steps: window, generator: &windowGenerator)
    let stepLoss = languageModel.loss(inputs: inputs, targets: targets, batch: batch, steps: window)
    optimizer.zeroGrad()
    stepLoss.backward()
    optimizer.step()
    batchLosses.append(Double(stepLoss.value.item))
    if step % (steps / 12) == 0 {
        languageModel.eval()
        validationCurve.append((step, languageModel.meanLoss(on: validationTokens, steps: window)))
        languageModel.train()
    }
    if step % (steps / 4) == 0 {
        print(String(format: "step %4d: batch loss %.3f, validation loss %.3f", step, batchLosses.last!, validationCurve.last!.loss))
    }
}
languageModel.eval()
var lossCurve = LineChart(title: "Character LSTM: loss per step", xLabel: "step", yLabel: "cross-entropy (nats per character)",
                          logScaleY: true)
lossCurve.addSeries("training batch", y: batchLosses, firstX: 1)
lossCurve.addSeries("validation", x: validationCurve.map { Double($0.step) }, y: validationCurve.map(\.loss))
lossCurve.addSeries("entropy of the grammar", x: [1, Double(steps)], y: [entropyFloor, entropyFloor])
try figure("lstm_loss.png") { try lossCurve.write(to: $0) }

for temperature: Float in [0.5, 1.0] {
    let sample = "the " + (try TextSampling.generate(languageModel, vocabulary: characters, prompt: "the ",
                                                      count: 400, temperature: temperature, seed: 1))
    let lines = sample.split(separator: "\n").dropLast().map(String.init)   // the last line may be cut off
    let valid = lines.filter { grammatical.contains($0) }.count
    print("\ntemperature \(temperature): \(valid) of \(lines.count) whole lines are sentences of the grammar")
    print(lines.prefix(4).joined(separator: "\n"))
}

// %% [markdown]
// ## What to try next
// - Add dropout to the MLP (`MultilayerPerceptron(sizes:dropout:)`) and train
//   it longer: does the gap between training and test accuracy close?
// - Give LeNet-5 only 1 000 training digits, and the MLP too: which one
//   suffers more?
// - Train the LSTM for fewer steps, or at temperature 2, and count the
//   grammatical lines again; swap in `cell: .gru`.
// - The lab trains the same networks at full size, on MNIST, Fashion-MNIST and
//   tiny Shakespeare when MLLAB_DATA has them:
//   `swift run -c release lab-deep mlp`, `lab-deep cnn`, `lab-deep lstm`
//   (each with `--quick` for a few seconds).
// - The tests of this phase: `swift test -c release --filter DeepLearningTests`
//   (and `NNTests`, `AutogradTests` for the layers and gradients underneath).
