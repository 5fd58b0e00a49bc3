// Notebook 02: tensors, the maths under every later phase.
//
//   swift run -c release mllab notebook render 02-tensors   (the page: Notebooks-as-scripts/rendered/02-tensors.md)
//   swift run -c release notebook-02-tensors                (just run it)
//
// Cells in the percent format: "// %% [markdown]" opens prose, "// %%" opens
// code whose first statement is cell("title"). Change a number and run again.
import Foundation
import LabKit
import NotebookKit
import Tensor

// %% [markdown]
// # Phase 2: tensors
//
// A tensor is a shape and a flat list of numbers. Everything later in MLLab,
// from linear regression to the mini-GPT, is built from the handful of
// operations in this notebook: indexing, broadcasting, reductions, a stable
// softmax, the matrix product and a few factorisations.
//
// ## Shape, strides, row-major order
// Row-major: the last index moves fastest. The strides say how far one step
// along each axis moves in memory, so element [i, j, k] of a [2, 3, 4] tensor
// sits at 12 i + 4 j + k.

// %%
cell("1. shape, strides, row-major order")
let x = Tensor.arange(24).reshaped(2, 3, 4)
print("shape", x.shape, "strides", x.strides)
print("x[1, 2, 3] =", x[1, 2, 3], "= element", x.offset(of: [1, 2, 3]), "of", x.scalars.count)

// %% [markdown]
// ## Broadcasting
// Line the shapes up from the right; each pair of sizes must match or one of
// them be 1. No data is copied to "stretch" a size-1 axis: the kernel reads it
// with stride 0.

// %%
cell("2. broadcasting")
let prices = Tensor([[10, 20, 30], [40, 50, 60]])     // [2, 3]
let discount = Tensor([1, 0.5, 0.1])                    // [3]
print(prices * discount)
print("shapes [8,1,6] and [7,1] give", Tensor.broadcastShape([8, 1, 6], [7, 1]))

// %% [markdown]
// ## Reductions and keepDims
// Standardising columns is "subtract the column mean, divide by the column
// standard deviation": with keepDims both are [1, 3], so they broadcast back
// against [2, 3].

// %%
cell("3. reductions")
let mean = prices.mean(axis: 0, keepDims: true)
let std = prices.standardDeviation(axis: 0, keepDims: true)
print("standardised columns:", (prices - mean) / std)

// %% [markdown]
// ## A softmax that does not overflow
// softmax(x)_i = exp(x_i) / Σ_j exp(x_j). exp(1000) is infinite in Float, but
// softmax(x) = softmax(x − max x), and after the shift the largest exponent is
// exp(0) = 1.
//
// Dividing the logits by a temperature T before the softmax sharpens the
// distribution (T < 1) or flattens it (T > 1): the sampler of the mini-GPT
// uses exactly this.

// %%
cell("4. a stable softmax, and temperature")
let logits = Tensor([1000, 1001, 1002])
print("naive exp:", logits.exp().scalars, "→ stable softmax:", logits.softmax().scalars)
let scores = Tensor([2, 1, 0.5, 0, -1])
var chart = LineChart(title: "softmax(scores / T)", xLabel: "class", yLabel: "probability")
for temperature: Float in [0.5, 1, 2, 5] {
    let p = (scores / temperature).softmax().scalars
    chart.addSeries("T = \(temperature)", y: p)
    print("T = \(temperature):", p.map { String(format: "%.3f", $0) }.joined(separator: " "))
}
try figure("softmax_temperature.png") { try chart.write(to: $0) }

// %% [markdown]
// ## The matrix product, computed two ways
// C = A B, C_ij = Σ_k A_ik B_kj. MLLab has its own SIMD kernel and also calls
// OpenBLAS; both must give the same numbers up to Float rounding.

// %%
cell("5. matmul: OpenBLAS and MLLab's SIMD kernel agree")
let a = Tensor.normal([256, 256], seed: 1), b = Tensor.normal([256, 256], seed: 2)
let viaBLAS = a.matmul(b, backend: .blas), viaSIMD = a.matmul(b, backend: .simd)
print("max |blas − simd| =", (viaBLAS - viaSIMD).abs().max())

// %% [markdown]
// ## Linear algebra: solve, do not invert
// To solve A x = b, factor A (LU) and substitute; forming A⁻¹ costs more and
// loses accuracy. Check the residual A x − b. A symmetric positive definite
// matrix also has a Cholesky factor L with L Lᵀ = A, real eigenvalues, and
// singular values equal to the eigenvalues' magnitudes.

// %%
cell("6. solve, Cholesky, eigh, SVD")
let m = Tensor([[4, 2, 0], [2, 5, 3], [0, 3, 6]])
let rhs = Tensor([2, 1, 3])
let solution = try LinearAlgebra.solve(m, rhs)
print("x =", solution.scalars, " residual", (m.matmul(solution) - rhs).abs().max())
let l = try LinearAlgebra.cholesky(m)
print("Cholesky L·Lᵀ − A:", (l.matmul(l.transposed()) - m).abs().max())
let (values, vectors) = try LinearAlgebra.eigh(m)
print("eigenvalues (ascending):", values.scalars, " first eigenvector:", vectors.selecting(0, axis: 1).scalars)
let (_, singular, _) = try LinearAlgebra.svd(m)
print("singular values:", singular.scalars, "(= |eigenvalues| for a symmetric matrix)")

// %% [markdown]
// ## Seeds
// The same seed gives the same numbers on every run and every machine: every
// lab and test in MLLab takes a seed, and that is why their results repeat.

// %%
cell("7. seeded randomness")
var g = RandomGenerator(seed: 42)
print("three draws with seed 42:", g.normal(), g.normal(), g.normal())
