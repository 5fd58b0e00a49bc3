// Tests of cross-validation, the named scorings and the hyperparameter
// searches, on toy estimators whose scores are known (EvaluationTestSupport.swift).
import Foundation
import Tensor
import Testing
@testable import Evaluation

@Suite struct SearchTests {
    /// 40 points x = i/40 on one feature; class 1 exactly when x > 0.5 (i > 20).
    static let x = Tensor(shape: [40, 1]) { Float($0) / 40 }
    static let y = Tensor((0..<40).map { Float($0) / 40 > 0.5 ? Float(1) : 0 })

    @Test func resultMeanAndPopulationStd() {
        // Scores 1 2 3 4: mean 2.5, std √((2.25 + 0.25 + 0.25 + 2.25)/4) = √1.25 = 1.118034 (numpy's ddof = 0).
        let result = CrossValidationResult(scores: [1, 2, 3, 4], fitSeconds: [0, 0, 0, 0])
        #expect(result.mean == 2.5)
        #expect(abs(result.std - 1.118034) < 1e-6)
    }

    @Test func crossValidationFitsAFreshCopyPerFold() throws {
        // OriginLineRegressor throws on a second fit: five folds succeed only with five fresh copies.
        // y = 2x exactly, so every fold's line is exact and scores R² = 1 and MSE 0.
        let x = Tensor(shape: [20, 1]) { Float($0 + 1) }
        let y = Tensor((1...20).map { 2 * Float($0) })
        let result = try CrossValidation.crossValidate(OriginLineRegressor(), x, y, folds: 5)
        #expect(result.scores.count == 5 && result.fitSeconds.count == 5)
        #expect(result.scores.allSatisfy { abs($0 - 1) < 1e-6 })
        let mse = try CrossValidation.crossValidate(OriginLineRegressor(), x, y, folds: 4, scoring: .negMSE)
        #expect(mse.scores.allSatisfy { $0 <= 0 && $0 > -1e-6 })
        #expect(throws: EstimatorError.self) {
            try CrossValidation.crossValidate(OriginLineRegressor(), x, y, folds: 21)
        }
    }

    @Test func crossValidationScoresTheHeldOutFold() throws {
        // The threshold 0.5 classifies every row right (accuracy 1 on every fold); the threshold 0.25 is
        // wrong on x ∈ (0.25, 0.5], i = 11 … 20, 10 of 40 rows: the fold scores average to 0.75.
        let perfect = try CrossValidation.crossValidate(ThresholdClassifier(threshold: 0.5), Self.x, Self.y)
        #expect(perfect.scores == [1, 1, 1, 1, 1] && perfect.std == 0)
        let early = try CrossValidation.crossValidate(ThresholdClassifier(threshold: 0.25), Self.x, Self.y, folds: 4)
        #expect(abs(early.mean - 0.75) < 1e-9)
        // Stratified 4 folds of 21 zeros and 19 ones: every training part holds 30 rows.
        #expect(early.scores.count == 4)
    }

    @Test func scoringsFollowScikitLearnNamesAndSigns() throws {
        #expect(Scoring.allCases.map(\.rawValue) == ["accuracy", "f1_macro", "roc_auc", "neg_log_loss", "r2",
                                                    "neg_mean_squared_error", "neg_mean_absolute_error"])
        var model = ThresholdClassifier(threshold: 0.5)
        try model.fit(Self.x, Self.y)
        #expect(try Scoring.accuracy.score(model, Self.x, Self.y) == 1)
        #expect(try Scoring.f1Macro.score(model, Self.x, Self.y) == 1)
        let proba = model.predictProba(Self.x)
        let auc = Metrics.rocAUC(Self.y, scores: proba.gathering([1], axis: 1).flattened())
        #expect(try Scoring.rocAUC.score(model, Self.x, Self.y) == Double(auc))
        let loss = Metrics.logLoss(Self.y, probabilities: proba, classes: [0, 1])
        #expect(try Scoring.logLoss.score(model, Self.x, Self.y) == -Double(loss))
        // The regression scorings on the same predictions: 0 errors → −0 and R² = 1.
        #expect(try Scoring.negMAE.score(model, Self.x, Self.y) == 0)
        #expect(try Scoring.r2.score(model, Self.x, Self.y) == 1)
    }

    @Test func probabilityScoringsNeedAClassifier() throws {
        var line = OriginLineRegressor()
        try line.fit(Tensor([[1], [2]]), Tensor([2, 4]))
        for scoring in [Scoring.rocAUC, .logLoss] {
            #expect(throws: EstimatorError.self) { try scoring.score(line, Tensor([[1]]), Tensor([2])) }
        }
        // A held-out label the classifier never saw, and ROC AUC of a single class, throw too.
        var model = ThresholdClassifier(threshold: 0.5)
        try model.fit(Self.x, Self.y)
        #expect(throws: EstimatorError.self) { try Scoring.logLoss.score(model, Tensor([[0.1]]), Tensor([2])) }
        #expect(throws: EstimatorError.singleClass(label: 1)) {
            try Scoring.rocAUC.score(model, Tensor([[0.7], [0.9]]), Tensor([1, 1]))
        }
    }

    @Test func gridSearchPicksTheKnownBest() throws {
        let search = GridSearch(grid: ["threshold": [0.1, 0.3, 0.5, 0.7]], folds: 4)
        let result = try search.run(Self.x, Self.y) { ThresholdClassifier(threshold: Float(try $0.double("threshold"))) }
        #expect(result.candidates.count == 4)
        #expect(result.candidates.map { $0.parameters["threshold"] } == [0.1, 0.3, 0.5, 0.7])
        #expect(result.bestParameters == ["threshold": 0.5])
        #expect(result.bestScore == 1)
        // Refitted on all 40 rows.
        #expect(result.bestEstimator.threshold == 0.5 && result.bestEstimator.trainingRows == 40)
        // Threshold 0.1 is wrong on i = 5 … 20 (16 rows of 40), so it cannot beat 0.6.
        #expect(result.candidates[0].cv.mean <= 0.6 + 1e-9)
    }

    @Test func gridOrderIsSortedNamesLastFastest() throws {
        let grid = GridSearch(grid: ["b": [1, 2], "a": ["x", "y"]])
        #expect(try grid.parameterSets() == [["a": "x", "b": 1], ["a": "x", "b": 2],
                                             ["a": "y", "b": 1], ["a": "y", "b": 2]])
        #expect(throws: EstimatorError.self) { try GridSearch(grid: ["a": []]).parameterSets() }
        let set: ParameterSet = ["alpha": 2, "name": "lbfgs"]
        #expect(try set.double("alpha") == 2 && set.int("alpha") == 2 && set.string("name") == "lbfgs")
        #expect(throws: EstimatorError.self) { try set.double("name") }
        #expect(throws: EstimatorError.self) { try set.int("missing") }
    }

    @Test func randomSearchIsSeededAndStaysInItsRanges() throws {
        let distributions: [String: ParameterDistribution] = [
            "alpha": .logUniform(1e-3, 1e2), "depth": .integers(2...5),
            "rate": .uniform(0.1, 0.2), "solver": .choice(["lbfgs", "newton"]),
        ]
        let draws = try RandomSearch(distributions: distributions, iterations: 50, seed: 4).parameterSets()
        #expect(draws.count == 50)
        #expect(try RandomSearch(distributions: distributions, iterations: 50, seed: 4).parameterSets() == draws)
        #expect(try RandomSearch(distributions: distributions, iterations: 50, seed: 5).parameterSets() != draws)
        for set in draws {
            let alpha = try set.double("alpha"), depth = try set.int("depth"), rate = try set.double("rate")
            #expect(alpha >= 1e-3 && alpha <= 1e2)
            #expect((2...5).contains(depth))
            #expect(rate >= 0.1 && rate < 0.2)
            #expect(["lbfgs", "newton"].contains(try set.string("solver")))
        }
        // 50 draws of 4 integers and of 2 names reach every one; log-uniform reaches both ends' decades.
        #expect(Set(draws.map { $0["depth"] }).count == 4)
        #expect(Set(draws.map { $0["solver"] }).count == 2)
        #expect(draws.contains { try! $0.double("alpha") < 1e-2 } && draws.contains { try! $0.double("alpha") > 10 })
        #expect(throws: EstimatorError.self) {
            try RandomSearch(distributions: ["a": .logUniform(0, 1)]).parameterSets()
        }
    }

    @Test func randomSearchFindsAGoodThresholdReproducibly() throws {
        let search = RandomSearch(distributions: ["threshold": .uniform(0, 1)], iterations: 20, folds: 4, seed: 9)
        let make: (ParameterSet) throws -> ThresholdClassifier = { ThresholdClassifier(threshold: Float(try $0.double("threshold"))) }
        let first = try search.run(Self.x, Self.y, make: make)
        let second = try search.run(Self.x, Self.y, make: make)
        #expect(first.bestParameters == second.bestParameters)
        #expect(first.candidates.map(\.cv.scores) == second.candidates.map(\.cv.scores))
        // The best is the candidate with the highest mean, and it does at least as well as any other.
        #expect(first.candidates.allSatisfy { $0.cv.mean <= first.bestScore })
        #expect(first.bestScore >= 0.9)
    }
}
