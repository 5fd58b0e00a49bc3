// EarlyStopping: stop training when the validation loss has stopped falling.
//
// After each epoch the monitored loss L_e (the validation loss, or the
// training loss when there is no validation set) is compared with the best so
// far, L* = min(L_1 … L_{e−1}):
//
//     L_e < L*   →  L* ← L_e,  waited ← 0          (an improvement)
//     otherwise  →  waited ← waited + 1
//     stop when waited ≥ patience
//
// A network that keeps fitting its training set past this point is usually
// memorising it: validation loss turns up while training loss still falls
// (Prechelt, "Early Stopping — But When?", 1998). Keras's EarlyStopping and
// PyTorch Lightning's use the same rule with min_delta 0. The state is two
// numbers, saved in checkpoints so that a resumed run stops where a straight
// run would.

/// The patience rule on a monitored loss (lower is better).
public struct EarlyStopping: Sendable, Equatable, Codable {
    /// Epochs without improvement after which training stops; nil never stops.
    public var patience: Int? {
        didSet { precondition(patience == nil || patience! >= 1, "EarlyStopping: patience must be ≥ 1, got \(patience!)") }
    }
    /// L*: the lowest loss seen so far.
    public private(set) var best: Double?
    /// Epochs since the last improvement.
    public private(set) var epochsWithoutImprovement = 0

    /// A rule that stops after `patience` epochs without improvement (nil: only tracks the best).
    public init(patience: Int?) {
        precondition(patience == nil || patience! >= 1, "EarlyStopping: patience must be ≥ 1, got \(patience!)")
        self.patience = patience
    }

    /// Records the epoch's loss; returns whether it improved on the best so far.
    @discardableResult
    public mutating func record(_ loss: Double) -> Bool {
        if let best, !(loss < best) {
            epochsWithoutImprovement += 1
            return false
        }
        best = loss
        epochsWithoutImprovement = 0
        return true
    }

    /// Whether training should stop now.
    public var shouldStop: Bool {
        guard let patience else { return false }
        return epochsWithoutImprovement >= patience
    }
}
