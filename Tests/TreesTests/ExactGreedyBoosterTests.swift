// The histogram booster held to the exact-greedy reference (llm.c's rule: the fast
// version tested against the readable one).
//
// • Exact case: every feature has at most 30 distinct values, fewer than the 255
//   bins, so each value has a bin of its own and binning loses nothing: the
//   histogram booster's candidate splits are the reference's, and after every
//   round the two must have the same training loss and, at the end, the same
//   predictions on the training rows and the same number of leaves per tree, for
//   squared error and log-loss, with and without a depth limit, λ and a hessian
//   floor. (Only the training rows: the two place a threshold at different points
//   of the gap between two values — the histogram booster at its bin edge, the
//   reference halfway between the node's own values — so a new value inside a
//   gap may go either way.) Tolerance: what Float scores and Double sums added in
//   another order allow, 1e-5 on the scores and the probabilities and 1e-6 ×
//   max(1, loss) on the mean loss; a different split anywhere would move them by
//   orders of magnitude more.
// • Continuous case: 2 000 rows of N(0, 1) features, about 8 rows per bin, so the
//   histogram booster sees only bin edges: its training loss must stay within 2%
//   of the reference's every round, and its held-out predictions close to the
//   reference's (the bounds and the values measured are stated at each check).
import Foundation
import Testing
import Tensor
import Trees

@Suite struct ExactGreedyBoosterTests {
    /// n rows of four features on small grids (6, 12, 30 and 2 distinct values), a regression target
    /// and labels drawn from it.
    static func gridData(_ n: Int, seed: UInt64) -> (x: Tensor, value: Tensor, label: Tensor) {
        var generator = RandomGenerator(seed: seed)
        var x = [Float](), value = [Float](), label = [Float]()
        for _ in 0..<n {
            let row: [Float] = [Float(Int(generator.nextUniformFloat() * 6)),
                                0.25 * Float(Int(generator.nextUniformFloat() * 12)),
                                Float(Int(generator.nextUniformFloat() * 30)) / 10 - 1.5,
                                generator.nextUniformFloat() < 0.4 ? 1 : 0]
            let signal = sin(Double(row[0])) + 0.5 * Double(row[1]) - 2 * Double(row[2] * row[3]) - 0.7
            x += row
            value.append(Float(signal + 0.3 * generator.normal()))
            label.append(generator.nextUniformDouble() < 1 / (1 + exp(-2 * signal)) ? 1 : 0)
        }
        return (Tensor(shape: [n, 4], scalars: x), Tensor(shape: [n], scalars: value), Tensor(shape: [n], scalars: label))
    }

    /// The settings both boosters take (the histogram booster's names and meanings).
    struct Settings: Sendable, CustomTestStringConvertible {
        var rounds: Int, learningRate: Float, maxLeaves: Int, maxDepth: Int?
        var minSamplesLeaf: Int, minChildWeight: Float, l2: Float
        var testDescription: String {
            "\(maxLeaves) leaves, depth \(maxDepth.map(String.init) ?? "any"), ≥ \(minSamplesLeaf) rows, H ≥ \(minChildWeight), λ = \(l2)"
        }

        func reference(_ loss: ExactGreedyBooster.Loss) -> ExactGreedyBooster {
            ExactGreedyBooster(loss: loss, rounds: rounds, learningRate: learningRate, maxLeaves: maxLeaves, maxDepth: maxDepth,
                               minSamplesLeaf: minSamplesLeaf, minChildWeight: minChildWeight, l2: l2)
        }
        func regressor() -> GradientBoostingRegressor {
            GradientBoostingRegressor(rounds: rounds, learningRate: learningRate, maxLeaves: maxLeaves, maxDepth: maxDepth,
                                      minSamplesLeaf: minSamplesLeaf, minChildWeight: minChildWeight, l2: l2)
        }
        func classifier() -> GradientBoostingClassifier {
            GradientBoostingClassifier(rounds: rounds, learningRate: learningRate, maxLeaves: maxLeaves, maxDepth: maxDepth,
                                       minSamplesLeaf: minSamplesLeaf, minChildWeight: minChildWeight, l2: l2)
        }
    }

    static let settings = [
        Settings(rounds: 10, learningRate: 0.3, maxLeaves: 8, maxDepth: nil, minSamplesLeaf: 5, minChildWeight: 1e-3, l2: 1),
        Settings(rounds: 10, learningRate: 0.5, maxLeaves: 12, maxDepth: 3, minSamplesLeaf: 3, minChildWeight: 0.2, l2: 0),
    ]

    static func largestGap(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max()! }
    static func lossesAgree(_ a: [Double], _ b: [Double], within tolerance: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test(arguments: settings)
    func squaredErrorMatchesTheReferenceWhenBinningLosesNothing(_ settings: Settings) throws {
        let data = Self.gridData(400, seed: 21)
        var reference = settings.reference(.squaredError)
        reference.fit(data.x, data.value)
        var model = settings.regressor()
        try model.fit(data.x, data.value)
        #expect(model.binning!.binCounts.allSatisfy { $0 < 255 })
        #expect(Self.lossesAgree(model.trainLoss, reference.trainLoss, within: 1e-6),
                "histogram \(model.trainLoss), reference \(reference.trainLoss)")
        #expect(model.trees.map { $0[0].leafCount } == reference.trees.map { tree in tree.filter { $0.feature < 0 }.count })
        let gap = Self.largestGap(model.predict(data.x).scalars, reference.rawScores(data.x))
        #expect(gap <= 1e-5, "max |Δ prediction| \(gap)")
    }

    @Test(arguments: settings)
    func logLossMatchesTheReferenceWhenBinningLosesNothing(_ settings: Settings) throws {
        let data = Self.gridData(400, seed: 22)
        var reference = settings.reference(.logLoss)
        reference.fit(data.x, data.label)
        var model = settings.classifier()
        try model.fit(data.x, data.label)
        #expect(Self.lossesAgree(model.trainLoss, reference.trainLoss, within: 1e-6),
                "histogram \(model.trainLoss), reference \(reference.trainLoss)")
        #expect(model.trees.map { $0[0].leafCount } == reference.trees.map { tree in tree.filter { $0.feature < 0 }.count })
        let probability = model.predictProba(data.x).scalars, n = data.x.shape[0]
        let referenceProbability = reference.rawScores(data.x).map { 1 / (1 + expf(-$0)) }
        let gap = Self.largestGap((0..<n).map { probability[2 * $0 + 1] }, referenceProbability)
        #expect(gap <= 1e-5, "max |Δ P(y = 1)| \(gap)")
    }

    @Test func onContinuousDataTheHistogramBoosterStaysCloseToTheReference() throws {
        var generator = RandomGenerator(seed: 23)
        func draw(_ n: Int) -> (x: Tensor, value: Tensor, label: Tensor) {
            let x = Tensor(shape: [n, 5]) { _ in Float(generator.normal()) }
            let v = x.scalars
            var value = [Float](), label = [Float]()
            for i in 0..<n {
                let signal = sin(2 * Double(v[5 * i])) + Double(v[5 * i + 1] * v[5 * i + 2]) + 0.5 * Double(v[5 * i + 3])
                value.append(Float(signal + 0.3 * generator.normal()))
                label.append(generator.nextUniformDouble() < 1 / (1 + exp(-2 * signal)) ? 1 : 0)
            }
            return (x, Tensor(shape: [n], scalars: value), Tensor(shape: [n], scalars: label))
        }
        let train = draw(2_000), test = draw(500)
        let settings = Settings(rounds: 30, learningRate: 0.2, maxLeaves: 15, maxDepth: nil, minSamplesLeaf: 10,
                                minChildWeight: 1e-3, l2: 1)

        var reference = settings.reference(.squaredError)
        reference.fit(train.x, train.value)
        var regressor = settings.regressor()
        try regressor.fit(train.x, train.value)
        #expect(regressor.binning!.binCounts.allSatisfy { $0 == 255 })     // binning does lose something here
        let lossGap = zip(regressor.trainLoss, reference.trainLoss).map { abs($0 - $1) / $1 }.max()!
        let predictions = regressor.predict(test.x).scalars, referencePredictions = reference.rawScores(test.x)
        let spread = Self.standardDeviation(referencePredictions)
        let rms = Self.standardDeviation(zip(predictions, referencePredictions).map { $0 - $1 }, aroundZero: true)
        print("squared error: relative train-loss gap \(lossGap), held-out RMS gap \(rms) (prediction spread \(spread))")
        #expect(lossGap <= 0.02)
        #expect(rms <= 0.1 * spread)

        var referenceClassifier = settings.reference(.logLoss)
        referenceClassifier.fit(train.x, train.label)
        var classifier = settings.classifier()
        try classifier.fit(train.x, train.label)
        let logLossGap = zip(classifier.trainLoss, referenceClassifier.trainLoss).map { abs($0 - $1) / $1 }.max()!
        let probability = classifier.predictProba(test.x).scalars
        let referenceProbability = referenceClassifier.rawScores(test.x).map { 1 / (1 + expf(-$0)) }
        let probabilityGap = Self.standardDeviation((0..<500).map { probability[2 * $0 + 1] - referenceProbability[$0] },
                                                    aroundZero: true)
        print("log-loss: relative train-loss gap \(logLossGap), held-out RMS gap of P(y = 1) \(probabilityGap)")
        #expect(logLossGap <= 0.02)
        #expect(probabilityGap <= 0.05)
    }

    static func standardDeviation(_ values: [Float], aroundZero: Bool = false) -> Float {
        let mean = aroundZero ? 0 : values.reduce(0, +) / Float(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)).squareRoot()
    }
}
