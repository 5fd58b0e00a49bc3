// TabularEvaluation: the standard protocol for judging a model on a table,
// the same for every phase-3 lab.
//
//   1. hold out a test set (testSize of the rows; stratified by class for
//      classification, so both sides keep the class proportions);
//   2. fit Pipeline(StandardScaler → model) on the training rows only: the
//      scaler's means and deviations come from training data, so nothing of
//      the test set leaks into the fit (models that ignore the scale of their
//      features, such as trees, pass `standardize: false`);
//   3. score the test rows: accuracy, precision/recall/F1 (macro and
//      weighted), log loss and ROC AUC for a classifier; R², MSE, RMSE and MAE
//      for a regressor;
//   4. optionally, K-fold cross-validation of the same pipeline on all rows
//      (a fresh fit per fold): the mean and standard deviation of the fold
//      scores say how much the single split's figure can be trusted.

import Foundation
import Tensor

/// A classifier's results on a held-out test set, and optionally under cross-validation.
public struct ClassifierEvaluation<Model: Classifier>: Sendable {
    /// The pipeline fitted on the training rows.
    public let model: Pipeline<Model>
    /// The held-out split used.
    public let split: TrainTestSplit
    /// Test-set metrics by scikit-learn name (accuracy, f1_macro, roc_auc, log_loss, …), in a fixed order.
    public let metrics: [(name: String, value: Double)]
    /// The test-set confusion matrix: rows are true classes, columns predicted ones, in `labels` order.
    public let confusion: (labels: [Float], counts: [[Int]])
    /// ROC curves on the test set: one for a binary problem, one per class (that class against the rest) otherwise.
    public let rocCurves: [(label: Float, fpr: [Float], tpr: [Float], auc: Double)]
    /// Cross-validated accuracy when folds were asked for.
    public let crossValidation: CrossValidationResult?
}

/// A regressor's results on a held-out test set, and optionally under cross-validation.
public struct RegressorEvaluation<Model: Regressor>: Sendable {
    /// The pipeline fitted on the training rows.
    public let model: Pipeline<Model>
    /// The held-out split used.
    public let split: TrainTestSplit
    /// Test-set metrics: r2, mse, rmse, mae.
    public let metrics: [(name: String, value: Double)]
    /// The test targets and the model's predictions for them, for a predicted-against-actual plot.
    public let actual: [Float], predicted: [Float]
    /// Cross-validated R² when folds were asked for.
    public let crossValidation: CrossValidationResult?
}

/// Split, scale, fit, score and cross-validate, the same way for every model.
public enum TabularEvaluation {
    /// Evaluates `estimator` (unfitted) on `x`, `y` as a classifier.
    public static func classifier<Model: Classifier>(_ estimator: Model, x: Tensor, y: Tensor, testSize: Double = 0.25,
                                                      folds: Int? = nil, standardize: Bool = true,
                                                      seed: UInt64 = 0) throws -> ClassifierEvaluation<Model> {
        let (split, model) = try fitOnTrainingRows(estimator, x, y, testSize: testSize, stratify: true,
                                                   standardize: standardize, seed: seed)
        let predicted = model.predict(split.xTest)
        let probabilities = model.predictProba(split.xTest)
        let classes = model.classes
        let truth = split.yTest

        var metrics: [(name: String, value: Double)] = [
            ("accuracy", Double(Metrics.accuracy(truth, predicted))),
            ("precision_macro", Double(Metrics.precision(truth, predicted, average: .macro))),
            ("recall_macro", Double(Metrics.recall(truth, predicted, average: .macro))),
            ("f1_macro", Double(Metrics.f1(truth, predicted, average: .macro))),
            ("f1_weighted", Double(Metrics.f1(truth, predicted, average: .weighted))),
            ("log_loss", Double(Metrics.logLoss(truth, probabilities: probabilities, classes: classes))),
        ]
        var curves: [(label: Float, fpr: [Float], tpr: [Float], auc: Double)] = []
        let testClasses = Set(truth.scalars)
        let curveClasses = classes.count == 2 ? [classes[1]] : classes
        for label in curveClasses where testClasses.contains(label) && testClasses.count >= 2 {
            let column = classes.firstIndex(of: label)!
            let scores = probabilities.slice(axis: 1, column..<(column + 1)).flattened()
            let curve = Metrics.rocCurve(truth, scores: scores, positive: label)
            curves.append((label, curve.fpr, curve.tpr, Double(Metrics.rocAUC(truth, scores: scores, positive: label))))
        }
        if classes.count == 2, let binary = curves.first {
            metrics.append(("roc_auc", binary.auc))
        } else if curves.count == classes.count {
            metrics.append(("roc_auc_ovr", curves.map(\.auc).reduce(0, +) / Double(curves.count)))
        }

        let crossValidation = try folds.map {
            try CrossValidation.crossValidate(pipeline(estimator, standardize: standardize), x, y,
                                              folds: $0, stratified: true, scoring: .accuracy, seed: seed)
        }
        return ClassifierEvaluation(model: model, split: split, metrics: metrics,
                                    confusion: Metrics.confusionMatrix(truth, predicted, labels: classes),
                                    rocCurves: curves, crossValidation: crossValidation)
    }

    /// Evaluates `estimator` (unfitted) on `x`, `y` as a regressor.
    public static func regressor<Model: Regressor>(_ estimator: Model, x: Tensor, y: Tensor, testSize: Double = 0.25,
                                                    folds: Int? = nil, standardize: Bool = true,
                                                    seed: UInt64 = 0) throws -> RegressorEvaluation<Model> {
        let (split, model) = try fitOnTrainingRows(estimator, x, y, testSize: testSize, stratify: false,
                                                   standardize: standardize, seed: seed)
        let predicted = model.predict(split.xTest)
        let mse = Double(Metrics.meanSquaredError(split.yTest, predicted))
        let metrics: [(name: String, value: Double)] = [
            ("r2", Double(Metrics.r2(split.yTest, predicted))),
            ("mse", mse),
            ("rmse", mse.squareRoot()),
            ("mae", Double(Metrics.meanAbsoluteError(split.yTest, predicted))),
        ]
        let crossValidation = try folds.map {
            try CrossValidation.crossValidate(pipeline(estimator, standardize: standardize), x, y,
                                              folds: $0, stratified: false, scoring: .r2, seed: seed)
        }
        return RegressorEvaluation(model: model, split: split, metrics: metrics, actual: split.yTest.scalars,
                                   predicted: predicted.scalars, crossValidation: crossValidation)
    }

    /// StandardScaler → estimator, or the estimator alone.
    static func pipeline<Model: Estimator>(_ estimator: Model, standardize: Bool) -> Pipeline<Model> {
        Pipeline(steps: standardize ? [StandardScaler()] : [], final: estimator)
    }

    /// Holds out the test rows and fits the pipeline on the others.
    static func fitOnTrainingRows<Model: Estimator>(_ estimator: Model, _ x: Tensor, _ y: Tensor, testSize: Double,
                                                    stratify: Bool, standardize: Bool,
                                                    seed: UInt64) throws -> (TrainTestSplit, Pipeline<Model>) {
        let split = try DataSplit.trainTestSplit(x, y, testSize: testSize, stratify: stratify, seed: seed)
        var model = pipeline(estimator, standardize: standardize)
        try model.fit(split.xTrain, split.yTrain)
        return (split, model)
    }
}
