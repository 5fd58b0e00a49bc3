// ColumnwiseAffine: the loop both scalers run, x'ᵢⱼ = map(xᵢⱼ, aⱼ, bⱼ), with
// one pair of numbers (a mean and a scale, or a scale and an offset) per column.

import Tensor

/// Applies a per-column map with two parameters per column to every element of a matrix.
enum ColumnwiseAffine {
    /// `map(x[i, j], first[j], second[j])` for X [m, d]; `op` names the caller in shape errors.
    static func apply(_ x: Tensor, first: [Float], second: [Float], op: String,
                      _ map: (Float, Float, Float) -> Float) -> Tensor {
        precondition(!first.isEmpty, "\(op): call fit first")
        precondition(x.rank == 2 && x.shape[1] == first.count && second.count == first.count,
                     "\(op): X \(x.shape) must be [m, \(first.count)], the shape fit saw")
        let d = first.count
        var out = Tensor(uninitializedShape: x.shape)
        x.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                first.withUnsafeBufferPointer { a in
                    second.withUnsafeBufferPointer { b in
                        for row in 0..<x.shape[0] {
                            for j in 0..<d { output[row * d + j] = map(input[row * d + j], a[j], b[j]) }
                        }
                    }
                }
            }
        }
        return out
    }
}
