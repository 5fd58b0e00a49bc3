// LinearAlgebraError: why a factorisation failed, from LAPACK's `info` result.
//
// Every LAPACK routine returns an integer `info`:
//   info = 0   success
//   info < 0   argument −info was illegal. Our own preconditions make the sizes
//              right, so in practice this is LAPACKE's NaN screen: before the
//              call it scans each input matrix and rejects one holding NaN.
//              (LAPACKE also uses −1010 / −1011 for "could not allocate".)
//   info > 0   a numerical failure whose meaning depends on the routine:
//              getrf/gesv: U(info, info) is exactly zero (singular matrix);
//              potrf: the leading minor of order info is not positive;
//              syevd/gesdd/gelsd: info values failed to converge.

/// A numerical failure of a `LinearAlgebra` routine.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The matrix is singular: LU factorisation (P·A = L·U) found an exact zero at `U[pivot, pivot]`
    /// (`pivot` counts from 0). Only exact zeros are caught; a nearly singular matrix gives a
    /// result with huge entries instead.
    case singular(operation: String, pivot: Int)
    /// The matrix is not symmetric positive definite: its leading `order`×`order` block is not.
    case notPositiveDefinite(operation: String, order: Int)
    /// An iterative algorithm (eigenvalues, singular values) left `unconverged` values unconverged.
    case didNotConverge(operation: String, unconverged: Int)
    /// LAPACKE rejected argument number `position` (from 1) of `routine`; for a matrix argument
    /// this means it contains NaN.
    case invalidArgument(operation: String, routine: String, position: Int)
    /// LAPACKE could not allocate its workspace or its row-major/column-major copy.
    case outOfMemory(operation: String, routine: String)

    public var description: String {
        switch self {
        case let .singular(operation, pivot):
            return "\(operation): the matrix is singular (U[\(pivot), \(pivot)] = 0 in its LU factorisation)"
        case let .notPositiveDefinite(operation, order):
            return "\(operation): the matrix is not positive definite (its leading \(order)×\(order) block is not)"
        case let .didNotConverge(operation, unconverged):
            return "\(operation): the iteration did not converge (\(unconverged) values unconverged)"
        case let .invalidArgument(operation, routine, position):
            return "\(operation): \(routine) rejected argument \(position) (a matrix holding NaN?)"
        case let .outOfMemory(operation, routine):
            return "\(operation): \(routine) could not allocate memory"
        }
    }
}
