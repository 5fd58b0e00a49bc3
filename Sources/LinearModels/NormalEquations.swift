// Normal equations: least squares in closed form, solved by Cholesky.
//
// The least-squares weights minimise L(w) = ‖X̃w − ỹ‖² (X̃, ỹ centred when the
// model has an intercept; see InterceptByCentring.swift). L is a convex
// quadratic, so its minimum is where the gradient vanishes:
//     ∇L = 2·X̃ᵀ(X̃w − ỹ) = 0   ⇔   (X̃ᵀX̃)·w = X̃ᵀỹ          (the normal equations)
// Ridge adds α‖w‖² to L, whose gradient adds 2αw:   (X̃ᵀX̃ + αI)·w = X̃ᵀỹ.
// G = X̃ᵀX̃ is d×d, symmetric and positive semi-definite (vᵀGv = ‖X̃v‖² ≥ 0);
// it is positive definite exactly when the columns of X̃ are independent, and
// then G = L·Lᵀ (Cholesky) solves the system in d³/3 flops.
//
// Cost: forming G is the work, n·d²/2 multiply-adds (G is symmetric, so only
// one triangle is computed): GramMatrix.swift does it blockwise with our own
// SIMD kernel, appending ỹ as one more column so that the same pass also gives
// X̃ᵀỹ. Solving is d³/3 flops, nothing next to it for n ≫ d.
//
// Intercept: we centre X rather than correct an uncentred Gram matrix with
// G = XᵀX − n·x̄x̄ᵀ. The correction is cheaper, but when |x̄| ≫ std the two
// terms are huge and nearly equal, and their float32 difference keeps almost
// no correct digit. Centring costs no copy of X: each block of rows is centred
// as it is copied into the scratch block the kernel reads anyway.
//
// Precision: the condition number of G is the square of X̃'s, so nearly
// collinear features lose twice as many digits here as in QR. We therefore
// call the system singular not only when Cholesky fails outright but also when
// a pivot is tiny: L[j,j]² / G[j,j] is the fraction of column j that the
// columns before it do not explain (1 − R²ⱼ); below 10⁻⁵ the float32 solution
// would carry no correct digit, and Ridge (α > 0) or QR is the right tool.

/// The Gram matrix of centred data and the Cholesky solve of the (ridge) normal equations.
enum NormalEquations {
    /// The smallest acceptable L[j,j]² / G[j,j] (the unexplained fraction of column j).
    static let pivotThreshold: Float = 1e-5

    /// G = X̃ᵀX̃ as a full symmetric d×d tensor and X̃ᵀỹ as [d], with X̃, ỹ centred by `centring`.
    static func gram(_ x: Tensor, _ y: Tensor, centring: InterceptByCentring) -> (gram: Tensor, moment: Tensor) {
        let d = x.shape[1], width = d + 1
        let total = GramMatrix.augmented(x, y, centring: centring)     // [X̃ | ỹ]ᵀ[X̃ | ỹ], (d+1)², Double
        let gram = Tensor(shape: [d, d], generator: { Float(total[($0 / d) * width + $0 % d]) })
        let moment = Tensor(shape: [d], scalars: (0..<d).map { Float(total[d * width + $0]) })
        return (gram, moment)
    }

    /// `FitInput.check` folded into the Gram pass, then `solve`: the weights and intercept of the
    /// (ridge) normal equations for X [n, d], y [n].
    ///
    /// Scanning X for NaN costs a fifth of a whole fit, and the Gram pass reads every value
    /// anyway: a NaN or infinity in X or y makes G (its diagonal, or the ỹ row) non-finite. So
    /// only when G is non-finite do we scan, to throw `nonFiniteValue` with the cell's position.
    static func fit(_ x: Tensor, _ y: Tensor, fitIntercept: Bool, ridge alpha: Float,
                    method: String) throws -> (coefficients: [Float], intercept: Float) {
        precondition(x.rank == 2, "fit: X must be a matrix [samples, features], got shape \(x.shape)")
        let (n, d) = (x.shape[0], x.shape[1])
        precondition(y.count == n && (y.rank == 1 || (y.rank == 2 && y.shape[1] == 1)),
                     "fit: y \(y.shape) must be a vector with one value per row of X \(x.shape)")
        guard n >= 1 else { throw EstimatorError.tooFewSamples(found: n, needed: 1) }
        let y = y.reshaped([n])
        let centring = InterceptByCentring(x, y, enabled: fitIntercept)
        let (gram, moment) = self.gram(x, y, centring: centring)
        let finite = gram.withUnsafeBufferPointer { g in (0..<d).allSatisfy { g[$0 * d + $0].isFinite } }
            && moment.withUnsafeBufferPointer { m in m.allSatisfy(\.isFinite) }
        if !finite {
            try FitInput.check(x, y)    // throws nonFiniteValue with the row and column
            throw EstimatorError.invalidParameter(
                name: "X", value: "values whose squares overflow float32 in XᵀX",
                expected: "feature magnitudes below about 1e18 (scale the features first)")
        }
        let w = try solve(gram: gram, moment: moment, ridge: alpha, method: method)
        return (w, centring.intercept(for: w))
    }

    /// Solves (G + αI)·w = b by Cholesky; throws `EstimatorError.singularSystem` naming `method`
    /// when G + αI is not (numerically) positive definite.
    static func solve(gram: Tensor, moment: Tensor, ridge alpha: Float, method: String) throws -> [Float] {
        let d = moment.count
        if d == 0 { return [] }
        var system = gram
        if alpha != 0 {
            system.withUnsafeMutableBufferPointer { g in for j in 0..<d { g[j * d + j] += alpha } }
        }
        let advice = alpha == 0 ? "use Ridge (alpha > 0) or LinearRegression(solver: .qr)" : "increase alpha"
        let factor: Tensor
        do {
            factor = try LinearAlgebra.cholesky(system)
        } catch LinearAlgebraError.notPositiveDefinite(_, let order) {
            throw EstimatorError.singularSystem(
                method: method,
                detail: "XᵀX is not positive definite: feature \(order - 1) is a combination of the ones before it (or constant); \(advice)")
        }
        // A pivot that survived only by rounding: column j is (numerically) explained by the others.
        let weakest = system.withUnsafeBufferPointer { g in
            factor.withUnsafeBufferPointer { l in
                (0..<d).map { j -> (Int, Float) in
                    let diagonal = g[j * d + j]
                    return (j, diagonal > 0 ? l[j * d + j] * l[j * d + j] / diagonal : 0)
                }.min { $0.1 < $1.1 }!
            }
        }
        if weakest.1 < pivotThreshold {
            throw EstimatorError.singularSystem(
                method: method,
                detail: "XᵀX is numerically singular: only a fraction \(weakest.1) of feature \(weakest.0) is independent of the features before it; \(advice)")
        }
        return LinearAlgebra.choleskySolve(factor, moment).scalars
    }
}
