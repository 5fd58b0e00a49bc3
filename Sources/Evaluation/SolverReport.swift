// SolverReport: how an iterative solver stopped.
//
// An iterative fit (gradient descent, coordinate descent, Newton, L-BFGS,
// k-means, boosting) repeats an update until a stated tolerance holds, or
// gives up after a budget of iterations. It records the objective after each
// iteration, so a lab can draw the loss curve, and says whether it converged:
//     converged  ⇔  the stopping quantity (gradient norm, weight change, loss change) ≤ tolerance
// A closed-form fit reports one iteration and converged = true.

import Tensor

/// How an iterative fit ended: iterations run, whether the tolerance was met, the objective per iteration.
public struct SolverReport: Sendable, Equatable {
    /// The solver's name, e.g. "lbfgs", "newton", "coordinate-descent", "cholesky".
    public var solver: String
    /// Iterations (epochs for stochastic methods) run.
    public var iterations: Int
    /// True when the stopping quantity fell to `tolerance` or below before the iteration budget ran out.
    public var converged: Bool
    /// The tolerance the solver was asked to reach.
    public var tolerance: Double
    /// What the tolerance is compared with, in words, e.g. "max |Δw|" or "‖∇f‖∞".
    public var criterion: String
    /// The stopping quantity at the end.
    public var finalValue: Double
    /// The objective (loss plus penalty) after each iteration, first to last.
    public var lossHistory: [Double]

    public init(solver: String, iterations: Int, converged: Bool, tolerance: Double,
                criterion: String, finalValue: Double, lossHistory: [Double]) {
        self.solver = solver
        self.iterations = iterations
        self.converged = converged
        self.tolerance = tolerance
        self.criterion = criterion
        self.finalValue = finalValue
        self.lossHistory = lossHistory
    }
}
