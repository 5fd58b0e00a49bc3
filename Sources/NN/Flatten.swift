// Flatten: keeps the batch axis and joins every other axis into one.
//
//   (N, d1, d2, …) → (N, d1·d2·…)      the numbers keep their row-major order
// The gradient is reshaped back (Autograd/ShapeOps.swift).
// PyTorch equivalent: torch.nn.Flatten() (start_dim=1, end_dim=−1).

import Autograd

/// Reshapes (N, d1, d2, …) to (N, d1·d2·…).
public final class Flatten: Layer {
    public var isTraining = true
    public init() {}
    public var localParameters: [(String, Variable)] { [] }

    public func callAsFunction(_ input: Variable) -> Variable {
        precondition(input.rank >= 1, "Flatten: input has shape \(input.shape), expected at least the batch axis")
        let batch = input.shape[0]
        let rest = input.shape.dropFirst().reduce(1, *)
        return input.reshaped([batch, rest])                // (N, d1, d2, …) → (N, d1·d2·…)
    }
}
