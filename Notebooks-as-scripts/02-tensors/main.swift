// Notebook 02: tensors, the maths under every later phase.
//
//   swift run -c release notebook-02-tensors
//
// Read it top to bottom like a notebook: each "cell" is a comment that says
// what to look for, then code that prints it. Change a number and run again.
import Foundation
import Tensor

func cell(_ title: String) { print("\n── \(title) " + String(repeating: "─", count: max(0, 70 - title.count))) }

// MARK: Cell 1 — a tensor is a shape and a flat list of numbers
// Row-major: the last index moves fastest. The strides say how far one step
// along each axis moves in memory.
cell("1. shape, strides, row-major order")
let x = Tensor.arange(24).reshaped(2, 3, 4)
print("shape", x.shape, "strides", x.strides)
print("x[1, 2, 3] =", x[1, 2, 3], "= element", x.offset(of: [1, 2, 3]), "of", x.scalars.count)

// MARK: Cell 2 — broadcasting
// Line shapes up from the right; sizes must match or be 1. No data is copied
// to "stretch" a size-1 axis: the kernel reads it with stride 0.
cell("2. broadcasting")
let prices = Tensor([[10, 20, 30], [40, 50, 60]])     // [2, 3]
let discount = Tensor([1, 0.5, 0.1])                    // [3]
print(prices * discount)
print("shapes [8,1,6] and [7,1] give", Tensor.broadcastShape([8, 1, 6], [7, 1]))

// MARK: Cell 3 — reductions and keepDims
// Standardising columns is "subtract the column mean, divide by the column std":
// keepDims makes both [1, 3] so they broadcast back against [2, 3].
cell("3. reductions")
let mean = prices.mean(axis: 0, keepDims: true)
let std = prices.standardDeviation(axis: 0, keepDims: true)
print("standardised columns:", (prices - mean) / std)

// MARK: Cell 4 — softmax must not overflow
// exp(1000) is infinite in Float; softmax(x) = softmax(x − max x) avoids it.
cell("4. a stable softmax")
let logits = Tensor([1000, 1001, 1002])
print("naive exp:", logits.exp().scalars, "→ stable softmax:", logits.softmax().scalars)

// MARK: Cell 5 — the matrix product, three ways of computing the same numbers
cell("5. matmul: OpenBLAS and MLLab's SIMD kernel agree")
let a = Tensor.normal([256, 256], seed: 1), b = Tensor.normal([256, 256], seed: 2)
let viaBLAS = a.matmul(b, backend: .blas), viaSIMD = a.matmul(b, backend: .simd)
print("max |blas − simd| =", (viaBLAS - viaSIMD).abs().max())

// MARK: Cell 6 — linear algebra: solving instead of inverting
// To solve A x = b, factor A (LU) and substitute; forming A⁻¹ costs more and
// loses accuracy. Check the residual A x − b.
cell("6. solve, Cholesky, eigh, SVD")
let m = Tensor([[4, 2, 0], [2, 5, 3], [0, 3, 6]])
let rhs = Tensor([2, 1, 3])
let solution = try! LinearAlgebra.solve(m, rhs)
print("x =", solution.scalars, " residual", (m.matmul(solution) - rhs).abs().max())
let l = try! LinearAlgebra.cholesky(m)
print("Cholesky L·Lᵀ − A:", (l.matmul(l.transposed()) - m).abs().max())
let (values, vectors) = try! LinearAlgebra.eigh(m)
print("eigenvalues (ascending):", values.scalars, " first eigenvector:", vectors.selecting(0, axis: 1).scalars)
let (_, singular, _) = try! LinearAlgebra.svd(m)
print("singular values:", singular.scalars, "(= |eigenvalues| for a symmetric matrix)")

// MARK: Cell 7 — seeds
// The same seed gives the same numbers on every run and every machine.
cell("7. seeded randomness")
var g = RandomGenerator(seed: 42)
print("three draws with seed 42:", g.normal(), g.normal(), g.normal())
