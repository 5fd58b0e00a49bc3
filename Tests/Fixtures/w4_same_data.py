"""Fit scikit-learn's W4 model on the very rows MLLab's bench drew.

    bench --only W4 --threads 1 --save-data /tmp/w4
    /tmp/peers-venv/bin/python Tests/Fixtures/w4_same_data.py /tmp/w4

Each side of W4 draws its own data, so the two test accuracies differ by the
luck of the draw (the true weights' own accuracy varies by several points
between draws). This fits LogisticRegression(lbfgs, C = 1/(1e-4 n), tol 1e-6,
no intercept), as the classical-ML peer does (docs/BENCHMARKS.md), on MLLab's rows and
prints its test accuracy and iterations, to set beside the bench's figures.
"""
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/w4"
X, y = np.load(f"{folder}/w4_x_train.npy"), np.load(f"{folder}/w4_y_train.npy").astype(np.int32)
Xt, yt = np.load(f"{folder}/w4_x_test.npy"), np.load(f"{folder}/w4_y_test.npy").astype(np.int32)
model = LogisticRegression(solver="lbfgs", C=1.0 / (1e-4 * len(y)), tol=1e-6, max_iter=10_000, fit_intercept=False)
start = time.perf_counter()
model.fit(X, y)
seconds = time.perf_counter() - start
print(f"scikit-learn on MLLab's W4 rows: test accuracy {np.mean(model.predict(Xt) == yt):.5f}, "
      f"{int(model.n_iter_[0])} iterations, {seconds:.3f} s")
