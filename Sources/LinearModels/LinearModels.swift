// LinearModels: phase 3's linear and probabilistic models, with every gradient
// derived by hand (the lesson of this phase; autograd comes later).
//
// Regression: LinearRegression (normal equations by Cholesky, QR least
// squares, batch / stochastic / mini-batch gradient descent), Ridge, Lasso and
// ElasticNet (coordinate descent), PolynomialFeatures.
// Classification: LogisticRegression (binary, multinomial, one-vs-rest; L2 or
// L1; gradient descent, Newton/IRLS, L-BFGS), GaussianNB, MultinomialNB.
// Every estimator follows Evaluation's `Estimator` protocol (fit, predict, score).
@_exported import Evaluation
@_exported import Tensor
