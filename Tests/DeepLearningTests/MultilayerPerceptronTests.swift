import Testing
@testable import DeepLearning

@Suite("Multilayer perceptron")
struct MultilayerPerceptronTests {
    @Test("Shapes, parameter names and count follow the sizes")
    func shapesAndNames() {
        let model = MultilayerPerceptron(sizes: [784, 32, 16, 10], dropout: 0.2)
        let names = model.namedParameters.map(\.0)
        #expect(names == ["layers.1.weight", "layers.1.bias", "layers.4.weight", "layers.4.bias",
                          "layers.7.weight", "layers.7.bias"])
        let count = model.parameters.reduce(0) { $0 + $1.value.count }
        #expect(count == 784 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10)
        model.eval()
        let logits = model(Variable(Tensor.uniform([5, 28, 28], seed: 1)))
        #expect(logits.shape == [5, 10])
    }

    @Test("Trained with Adam on 512 synthetic digits, the loss falls below 0.5 within 200 steps")
    func learnsSyntheticDigits() {
        let digits = SyntheticDigits.split(count: 512, seed: 3)
        let labels = digits.labelIndices
        let model = MultilayerPerceptron(sizes: [784, 64, 10], seed: 1)
        let optimizer = Adam(model.parameters, learningRate: 2e-3)
        var last: Float = .infinity
        var first: Float = 0
        for step in 0..<200 {
            let order = EpochOrder(count: 512, batchSize: 64, epoch: step / 8, seed: 0)
            let batch = Array(order.batch(step % 8))
            let loss = model(Variable(digits.images.gathering(batch))).crossEntropy(batch.map { labels[$0] })
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            if step == 0 { first = loss.value.item }
            last = loss.value.item
        }
        #expect(first > 2)
        #expect(last < 0.5, "loss after 200 steps: \(last)")
    }
}
