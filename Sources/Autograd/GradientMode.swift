// GradientMode: turning graph recording off, for evaluation and optimizer updates.
//
// Inside `noGrad { … }` operations compute values only: no node keeps its
// inputs, so evaluation uses no extra memory (PyTorch's `torch.no_grad()`).
// The flag is task-local, so one thread evaluating does not switch off
// gradients for another that is training.

/// Whether operations on Variables record the graph.
public enum GradientMode {
    @TaskLocal static var enabled = true

    /// True unless inside `noGrad`.
    public static var isEnabled: Bool { enabled }
}

/// Runs `body` without recording the computation graph.
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$enabled.withValue(false) { try body() }
}
