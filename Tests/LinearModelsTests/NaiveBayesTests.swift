// Naive Bayes on cases small enough to work out by hand.
import Foundation
import LinearModels
import Testing

@Suite struct NaiveBayesTests {
    @Test func gaussianMatchesHandComputedMomentsAndPosteriors() throws {
        // Class 0: x = (1, 2), (3, 2)   → means (2, 2), variances (1, 0)
        // Class 1: x = (4, 0), (6, 2), (8, 4) → means (6, 2), variances (8/3, 8/3)
        let x = Tensor(shape: [5, 2], scalars: [1, 2, 3, 2, 4, 0, 6, 2, 8, 4])
        let y = Tensor([0, 0, 1, 1, 1])
        var model = GaussianNB(varSmoothing: 1e-2)
        try model.fit(x, y)
        // Column variances: x₀ = 1, 3, 4, 6, 8 → mean 4.4, Σ(x−4.4)² = 29.2, var 5.84; x₁: mean 2, var 1.6.
        let epsilon = 1e-2 * 5.84
        #expect(abs(model.epsilon - epsilon) < 1e-9)
        #expect(model.classPriors == [0.4, 0.6])
        #expect(maxDifference(model.means.scalars, [2, 2, 6, 2]) < 1e-6)
        let variancesByHand: [Double] = [1 + epsilon, epsilon, 8.0 / 3 + epsilon, 8.0 / 3 + epsilon]
        let expectedVariances: [Float] = variancesByHand.map { Float($0) }
        #expect(maxDifference(model.variances.scalars, expectedVariances) < 1e-6)

        // Posterior at (3, 2) by hand: J_c = log P(c) − ½ Σⱼ [log(2πσ²) + (x − θ)²/σ²].
        func joint(_ prior: Double, _ theta: [Double], _ sigma2: [Double], _ point: [Double]) -> Double {
            var sum = 0.0
            for j in 0..<2 {
                let e = point[j] - theta[j]
                sum += log(2 * Double.pi * sigma2[j]) + e * e / sigma2[j]
            }
            return log(prior) - 0.5 * sum
        }
        let point = [3.0, 2.0]
        let j0: Double = joint(0.4, [2, 2], [1 + epsilon, epsilon], point)
        let j1: Double = joint(0.6, [6, 2], [8.0 / 3 + epsilon, 8.0 / 3 + epsilon], point)
        let p1 = 1 / (1 + exp(j0 - j1))
        let proba = model.predictProba(Tensor(shape: [1, 2], scalars: [3, 2])).scalars
        #expect(abs(Double(proba[1]) - p1) < 1e-6)
        #expect(abs(proba[0] + proba[1] - 1) < 1e-6)
        #expect(model.predict(Tensor(shape: [2, 2], scalars: [2, 2, 7, 3])) == Tensor([0, 1]))
    }

    @Test func gaussianPosteriorStaysFiniteFarAway() throws {
        var model = GaussianNB()
        try model.fit(Tensor(shape: [4, 1], scalars: [0, 1, 10, 11]), Tensor([0, 0, 1, 1]))
        let p = model.predictProba(Tensor(shape: [1, 1], scalars: [1e4])).scalars
        #expect(p[0].isFinite && p[1].isFinite)
        #expect(p[1] == 1)
    }

    @Test func multinomialMatchesHandCounts() throws {
        // Two classes of word counts over 3 words.
        // Class 0 rows: (2, 1, 0), (1, 0, 1) → N = (3, 1, 1), total 5
        // Class 1 rows: (0, 3, 1)            → N = (0, 3, 1), total 4
        let x = Tensor(shape: [3, 3], scalars: [2, 1, 0, 1, 0, 1, 0, 3, 1])
        let y = Tensor([5, 5, 7])
        var model = MultinomialNB(alpha: 1)
        try model.fit(x, y)
        #expect(model.classes == [5, 7])
        #expect(model.featureCounts.scalars == [3, 1, 1, 0, 3, 1])
        // θ₀ = (4, 2, 2)/8, θ₁ = (1, 4, 2)/7.
        let theta: [Double] = [4.0 / 8, 2.0 / 8, 2.0 / 8, 1.0 / 7, 4.0 / 7, 2.0 / 7]
        let expected: [Float] = theta.map { Float(Foundation.log($0)) }
        #expect(maxDifference(model.featureLogProbabilities.scalars, expected) < 1e-6)
        // Document (1, 1, 0): J₀ = log(2/3) + log(4/8) + log(2/8), J₁ = log(1/3) + log(1/7) + log(4/7).
        let j0: Double = log(2.0 / 3) + log(0.5) + log(0.25)
        let j1: Double = log(1.0 / 3) + log(1.0 / 7) + log(4.0 / 7)
        let p0 = 1 / (1 + exp(j1 - j0))
        let proba = model.predictProba(Tensor(shape: [1, 3], scalars: [1, 1, 0])).scalars
        #expect(abs(Double(proba[0]) - p0) < 1e-6)
        #expect(model.predict(Tensor(shape: [2, 3], scalars: [3, 0, 0, 0, 4, 0])) == Tensor([5, 7]))
    }

    @Test func multinomialRejectsNegativeCounts() {
        var model = MultinomialNB()
        let x = Tensor(shape: [2, 2], scalars: [1, 0, 2, -1])
        #expect(throws: EstimatorError.invalidValue(row: 1, column: 1, value: -1,
                                                    expected: "a count ≥ 0 (multinomial Naive Bayes models counts)")) {
            try model.fit(x, Tensor([0, 1]))
        }
        var bad = MultinomialNB(alpha: 0)
        #expect(throws: EstimatorError.self) { try bad.fit(Tensor(shape: [2, 1], scalars: [1, 2]), Tensor([0, 1])) }
    }
}
