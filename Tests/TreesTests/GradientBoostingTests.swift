// Gradient boosting: losses fall, early stopping, determinism, multiclass, regression, importances.
import Foundation
import Testing
import Tensor
import Trees

@Suite struct GradientBoostingTests {
    /// X ~ N(0, 1) [n, d] with y = 1[Σ_{j<4} sin(2xⱼ) + noise > 0] (the W5 problem, smaller).
    static func waves(_ n: Int, _ d: Int = 8, seed: UInt64, noise: Double = 0.3) -> (x: Tensor, y: Tensor) {
        var generator = RandomGenerator(seed: seed)
        let x = Tensor(shape: [n, d]) { _ in Float(generator.normal()) }
        let v = x.scalars
        let y = (0..<n).map { i -> Float in
            var logit = noise * generator.normal()
            for j in 0..<4 { logit += sin(2 * Double(v[i * d + j])) }
            return logit > 0 ? 1 : 0
        }
        return (x, Tensor(shape: [n], scalars: y))
    }

    @Test func trainingLossFallsEveryRound() throws {
        let (x, y) = Self.waves(2_000, seed: 1)
        var classifier = GradientBoostingClassifier(rounds: 30)
        try classifier.fit(x, y)
        #expect(classifier.trainLoss.count == 30)
        #expect(zip(classifier.trainLoss, classifier.trainLoss.dropFirst()).allSatisfy { $1 < $0 })
        #expect(classifier.trainLoss.last! < 0.8 * log(2.0))

        let target = Tensor(shape: [2_000], scalars: (0..<2_000).map { i in sin(x.scalars[8 * i]) * 3 + x.scalars[8 * i + 1] })
        var regressor = GradientBoostingRegressor(rounds: 30)
        try regressor.fit(x, target)
        #expect(zip(regressor.trainLoss, regressor.trainLoss.dropFirst()).allSatisfy { $1 < $0 })
        #expect(regressor.validationLoss.isEmpty && regressor.bestRound == nil)
    }

    @Test func earlyStoppingStopsBeforeTheBudgetOnAnOverfittingProblem() throws {
        // Very noisy labels and a large learning rate: validation loss turns up after a few rounds.
        let (x, y) = Self.waves(1_500, seed: 2, noise: 3)
        var model = GradientBoostingClassifier(rounds: 300, learningRate: 0.3, maxLeaves: 63, minSamplesLeaf: 5,
                                               earlyStoppingRounds: 10, validationFraction: 0.2, seed: 7)
        try model.fit(x, y)
        let best = try #require(model.bestRound)
        #expect(model.roundsTrained < 300)
        #expect(model.roundsTrained == best + 10)
        #expect(model.trees.count == best)
        #expect(model.validationLoss.count == model.roundsTrained)
        #expect(model.validationLoss[best - 1] == model.validationLoss.min())

        // An explicit validation set is used as given.
        let held = Self.waves(500, seed: 3, noise: 3)
        var explicit = GradientBoostingClassifier(rounds: 300, learningRate: 0.3, maxLeaves: 63, minSamplesLeaf: 5,
                                                  earlyStoppingRounds: 10)
        try explicit.fit(x, y, validation: held)
        #expect(explicit.roundsTrained < 300 && explicit.bestRound != nil)
    }

    @Test func sameSeedGivesTheSameModelOnOneOrTwoThreads() throws {
        let (x, y) = Self.waves(4_000, seed: 4)
        let (test, _) = Self.waves(500, seed: 5)
        func fit(threads: Int, seed: UInt64) throws -> [Float] {
            let saved = ComputeThreads.count
            ComputeThreads.set(threads)
            defer { ComputeThreads.set(saved) }
            var model = GradientBoostingClassifier(rounds: 15, rowSubsample: 0.7, columnSubsample: 0.6, seed: seed)
            try model.fit(x, y)
            return model.predictProba(test).scalars
        }
        let one = try fit(threads: 1, seed: 11)
        #expect(try fit(threads: 1, seed: 11) == one)
        #expect(try fit(threads: 2, seed: 11) == one)
        #expect(try fit(threads: 1, seed: 12) != one)
    }

    @Test func multiclassBlobsAreSeparatedAndProbabilitiesSumToOne() throws {
        var generator = RandomGenerator(seed: 6)
        let centres: [[Float]] = [[0, 0], [4, 0], [0, 4]]
        func blobs(_ n: Int) -> (Tensor, Tensor) {
            var xs: [Float] = [], ys: [Float] = []
            for i in 0..<n {
                let c = i % 3
                xs += [centres[c][0] + Float(generator.normal()), centres[c][1] + Float(generator.normal())]
                ys.append(Float(c) * 10)        // labels 0, 10, 20
            }
            return (Tensor(shape: [n, 2], scalars: xs), Tensor(shape: [n], scalars: ys))
        }
        let (x, y) = blobs(1_500), (xt, yt) = blobs(600)
        var model = GradientBoostingClassifier(rounds: 50)
        try model.fit(x, y)
        #expect(model.classes == [0, 10, 20])
        #expect(model.trees.first?.count == 3)
        #expect(model.score(xt, yt) > 0.95)
        let p = model.predictProba(xt).scalars
        for i in 0..<600 { #expect(abs(p[3 * i] + p[3 * i + 1] + p[3 * i + 2] - 1) < 1e-5) }
    }

    @Test func regressionFitsASmoothFunction() throws {
        var generator = RandomGenerator(seed: 8)
        func draw(_ n: Int) -> (Tensor, Tensor) {
            let x = Tensor(shape: [n, 3]) { _ in generator.uniform(-3, 3) }
            let v = x.scalars
            let y = (0..<n).map { i in sin(v[3 * i]) + 0.3 * v[3 * i + 1] * v[3 * i + 1] + 0.05 * Float(generator.normal()) }
            return (x, Tensor(shape: [n], scalars: y))
        }
        let (x, y) = draw(4_000), (xt, yt) = draw(1_000)
        var model = GradientBoostingRegressor(rounds: 200)
        try model.fit(x, y)
        #expect(model.score(xt, yt) > 0.95)
    }

    @Test func gainImportanceRanksTheSignalFeaturesFirst() throws {
        let (x, y) = Self.waves(3_000, 10, seed: 9)
        var model = GradientBoostingClassifier(rounds: 40)
        try model.fit(x, y)
        let gain = model.featureImportances(kind: .gain)
        let ranked = gain.indices.sorted { gain[$0] > gain[$1] }
        #expect(Set(ranked.prefix(4)) == [0, 1, 2, 3])
        let splits = model.featureImportances(kind: .split)
        #expect(splits.reduce(0, +) == Float(model.trees.reduce(0) { $0 + $1[0].leafCount - 1 }))
    }

    @Test func badHyperparametersAndInfiniteValuesThrow() {
        let (x, y) = Self.waves(100, seed: 10)
        var model = GradientBoostingClassifier(maxLeaves: 1)
        #expect(throws: EstimatorError.self) { try model.fit(x, y) }
        var scalars = x.scalars
        scalars[5] = .infinity
        var ok = GradientBoostingRegressor()
        #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 5)) { try ok.fit(Tensor(shape: x.shape, scalars: scalars), y) }
    }
}
