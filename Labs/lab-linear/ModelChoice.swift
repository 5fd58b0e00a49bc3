// ModelChoice: the models `--model` can name for a CSV file, and what the lab
// reads back from a fitted one (its coefficients and its solver's loss curve).
import ArgumentParser
import LabKit
import LinearModels

/// A model of LinearModels, by the name the command line uses.
enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
    // Regression.
    case linear, qr, gd, sgd, ridge, lasso, elasticnet
    // Classification.
    case logistic, logisticNewton = "logistic-newton", logisticGD = "logistic-gd", logisticOVR = "logistic-ovr"
    case logisticL1 = "logistic-l1", gaussianNB = "gaussian-nb", multinomialNB = "multinomial-nb"

    /// The task the model solves.
    var task: TabularTask {
        switch self {
        case .linear, .qr, .gd, .sgd, .ridge, .lasso, .elasticnet: .regression
        default: .classification
        }
    }

    /// What the model is, in words, for the log.
    var summary: String {
        switch self {
        case .linear: "linear regression, normal equations (Cholesky)"
        case .qr: "linear regression, QR least squares"
        case .gd: "linear regression, batch gradient descent"
        case .sgd: "linear regression, mini-batch stochastic gradient descent (batch 32)"
        case .ridge: "Ridge regression (closed form)"
        case .lasso: "Lasso (coordinate descent)"
        case .elasticnet: "Elastic Net (coordinate descent, l1 ratio 0.5)"
        case .logistic: "logistic regression, multinomial, L2, L-BFGS"
        case .logisticNewton: "logistic regression, multinomial, L2, Newton (IRLS)"
        case .logisticGD: "logistic regression, multinomial, L2, gradient descent"
        case .logisticOVR: "logistic regression, one-vs-rest, L2, L-BFGS"
        case .logisticL1: "logistic regression, multinomial, L1, proximal gradient descent"
        case .gaussianNB: "Gaussian Naive Bayes"
        case .multinomialNB: "multinomial Naive Bayes"
        }
    }
}

/// What the lab reads back from a fitted model for its plots.
protocol LinearInspection {
    /// One row of weights per output (one for regression and binary classification).
    var coefficientRows: [[Float]] { get }
    /// The solver's report, when the model is fitted by an iterative or closed-form solver.
    var solverReport: SolverReport? { get }
}

/// A regressor with one weight per feature and a solver report: its inspection is the same for all.
protocol SingleOutputLinearModel: LinearInspection {
    var coefficients: [Float] { get }
    var report: SolverReport { get }
}

extension SingleOutputLinearModel {
    var coefficientRows: [[Float]] { [coefficients] }
    var solverReport: SolverReport? { report }
}

extension LinearRegression: SingleOutputLinearModel {}
extension Ridge: SingleOutputLinearModel {}
extension Lasso: SingleOutputLinearModel {}
extension ElasticNet: SingleOutputLinearModel {}

extension LogisticRegression: LinearInspection {
    var coefficientRows: [[Float]] {
        let (rows, columns) = (coefficients.shape[0], coefficients.shape[1])
        let values = coefficients.scalars
        return (0..<rows).map { Array(values[$0 * columns..<($0 + 1) * columns]) }
    }
    var solverReport: SolverReport? { report }
}

extension GaussianNB: LinearInspection {
    var coefficientRows: [[Float]] { [] }
    var solverReport: SolverReport? { nil }
}

extension MultinomialNB: LinearInspection {
    var coefficientRows: [[Float]] { [] }
    var solverReport: SolverReport? { nil }
}
