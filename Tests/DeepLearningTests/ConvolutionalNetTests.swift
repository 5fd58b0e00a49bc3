// LeNet5 and ResidualNet: shapes, parameter names and counts, and that the training loss
// falls on built-in synthetic digits (SyntheticDigits, fixed seeds) within a step budget.
import Testing
@testable import DeepLearning
import Autograd
import NN
import Tensor

/// Digits as (images [n, 28, 28] normalised to about zero mean and unit variance, labels).
private func digits(_ count: Int, seed: UInt64) -> (images: Tensor, labels: [Int]) {
    let split = SyntheticDigits.split(count: count, seed: seed)
    return ((split.images - 0.15) / 0.3, split.labelIndices)
}

/// Trains `model` with SGD (momentum 0.9) for `steps` steps of batch 64 cycling over the data;
/// returns the mean loss of the first 5 steps and of the last 5.
private func trainLosses(_ model: some Layer, images: Tensor, labels: [Int], steps: Int,
                         learningRate: Float) -> (first: Float, last: Float) {
    let optimizer = SGD(model.parameters, learningRate: learningRate, momentum: 0.9)
    var generator = RandomGenerator(seed: 3)
    var order = generator.permutation(labels.count)
    var losses: [Float] = []
    var start = 0
    model.train()
    for _ in 0..<steps {
        if start + 64 > order.count { order = generator.permutation(labels.count); start = 0 }
        let batch = Array(order[start..<(start + 64)])
        start += 64
        let loss = model(Variable(images.gathering(batch))).crossEntropy(batch.map { labels[$0] })
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        losses.append(loss.value.item)
    }
    return (losses.prefix(5).reduce(0, +) / 5, losses.suffix(5).reduce(0, +) / 5)
}

@Suite("Convolutional networks")
struct ConvolutionalNetTests {
    @Test("LeNet-5 maps (N, 1, 28, 28) and (N, 28, 28) to (N, classes) with PyTorch's parameter names")
    func leNetShapes() {
        let model = LeNet5(classes: 10, seed: 1)
        #expect(model(Variable(Tensor.zeros([3, 1, 28, 28]))).shape == [3, 10])
        #expect(model(Variable(Tensor.zeros([2, 28, 28]))).shape == [2, 10])
        #expect(LeNet5(classes: 4).callAsFunction(Variable(Tensor.zeros([1, 28, 28]))).shape == [1, 4])
        #expect(model.parameterCount == 61_706)
        #expect(model.namedParameters.map(\.0) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                                   "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
                                                   "fc3.weight", "fc3.bias"])
        #expect(model.namedParameters[0].1.shape == [6, 1, 5, 5] && model.namedParameters[4].1.shape == [120, 400])
    }

    @Test("LeNet-5's loss falls below 0.5 within 150 steps on 512 synthetic digits")
    func leNetLearnsSyntheticDigits() {
        let data = digits(512, seed: 11)
        let (first, last) = trainLosses(LeNet5(seed: 2), images: data.images, labels: data.labels,
                                        steps: 150, learningRate: 0.02)
        #expect(first > 2.0, "an untrained 10-class model starts near ln 10 ≈ 2.30, got \(first)")
        #expect(last < 0.5, "mean loss of the last 5 steps \(last) (first 5: \(first))")
    }

    @Test("A residual block keeps the shape with an identity shortcut and projects when it changes")
    func residualBlockShapes() {
        let same = ResidualBlock(8, 8, stride: 1)
        #expect(same.downsample == nil)
        #expect(same(Variable(Tensor.normal([2, 8, 9, 9], seed: 4))).shape == [2, 8, 9, 9])
        let down = ResidualBlock(8, 16, stride: 2)
        #expect(down.downsample != nil)
        #expect(down(Variable(Tensor.normal([2, 8, 9, 9], seed: 5))).shape == [2, 16, 5, 5])
        #expect(down.namedParameters.map(\.0).contains("downsample.0.weight"))
        // Output of a ReLU: never negative.
        #expect(down(Variable(Tensor.normal([2, 8, 9, 9], seed: 6))).value.scalars.allSatisfy { $0 >= 0 })
    }

    @Test("ResidualNet maps images to (N, classes) through stages that halve the size; names follow torchvision")
    func residualNetShapes() {
        let model = ResidualNet(widths: [4, 8, 16], blocksPerStage: 2, classes: 10, seed: 7)
        #expect(model(Variable(Tensor.normal([3, 28, 28], seed: 8))).shape == [3, 10])
        #expect(model(Variable(Tensor.normal([2, 1, 13, 11], seed: 9))).shape == [2, 10])
        let names = model.namedParameters.map(\.0)
        #expect(names.first == "conv1.weight" && names.last == "fc.bias")
        #expect(names.contains("layer1.1.conv2.weight") && names.contains("layer3.0.downsample.1.weight"))
        #expect(!names.contains("layer1.0.downsample.0.weight"))
        #expect(model.namedBuffers.map(\.0).contains("layer2.0.bn1.running_mean"))
        #expect(ResidualNet(inChannels: 3, widths: [4], classes: 5)(Variable(Tensor.zeros([1, 3, 8, 8]))).shape == [1, 5])
        // Evaluation mode uses the running statistics: the same input gives the same logits twice.
        model.eval()
        let x = Variable(Tensor.normal([2, 1, 28, 28], seed: 10))
        #expect(model(x).value.scalars == model(x).value.scalars)
    }

    @Test("ResidualNet's loss falls below 0.8 within 60 steps on 512 synthetic digits")
    func residualNetLearnsSyntheticDigits() {
        let data = digits(512, seed: 12)
        let (first, last) = trainLosses(ResidualNet(widths: [8, 16, 32], seed: 3), images: data.images,
                                        labels: data.labels, steps: 60, learningRate: 0.05)
        #expect(first > 1.8, "an untrained 10-class model starts near ln 10 ≈ 2.30, got \(first)")
        #expect(last < 0.8, "mean loss of the last 5 steps \(last) (first 5: \(first))")
    }
}
