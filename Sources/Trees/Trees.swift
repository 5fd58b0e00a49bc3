// Trees: phase 3's tree models.
//
// DecisionTree (CART: Gini or entropy for classes, squared error for values),
// RandomForest (bootstrap rows, a random subset of features per split, trees
// grown in parallel, out-of-bag score) and GradientBoosting in LightGBM's
// histogram style (features binned once, gradient/hessian histograms per
// node, sibling by subtraction, leaf-wise growth). Every model follows
// Evaluation's `Estimator` protocols (fit, predict, predictProba, score).
@_exported import Evaluation
@_exported import Tensor
