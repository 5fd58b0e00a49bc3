// TrainingObjective: the loss a training loop minimises and the accuracy it reports.
//
// For a classifier the network's outputs are logits z with the classes on the
// last axis ([B, C] for an image classifier, [B, T, V] for a language model
// predicting a token at each of T positions), and the targets are class
// indices stored as Float ([B] or [B, T]). Every prediction row i counts once:
//
//     loss     = (1/M) Σ_i (logSumExp(z_i) − z_i,t_i)        (cross-entropy, M rows)
//     accuracy = (1/M) Σ_i [argmax_j z_ij = t_i]
//
// so a [B, T, V] output is read as M = B·T rows of V scores. Any other
// objective (regression, a masked language model) supplies its own two
// functions; the training loop only calls them.

import Autograd
import Tensor

/// A loss on (outputs, targets) and, optionally, a count of correct predictions.
public struct TrainingObjective: Sendable {
    /// The mean loss of a batch: a scalar Variable to call `backward()` on.
    public let loss: @Sendable (_ outputs: Variable, _ targets: Tensor) -> Variable
    /// (correct predictions, predictions) in a batch, or nil when accuracy means nothing.
    public let correctPredictions: (@Sendable (_ outputs: Tensor, _ targets: Tensor) -> (correct: Int, total: Int))?

    /// An objective from a loss and an optional correct-prediction counter.
    public init(loss: @escaping @Sendable (_ outputs: Variable, _ targets: Tensor) -> Variable,
                correctPredictions: (@Sendable (_ outputs: Tensor, _ targets: Tensor) -> (correct: Int, total: Int))? = nil) {
        self.loss = loss
        self.correctPredictions = correctPredictions
    }

    /// Cross-entropy of logits with the classes on the last axis against Float class indices,
    /// and top-1 accuracy; `labelSmoothing` as in PyTorch's `F.cross_entropy`.
    public static func classification(labelSmoothing: Float = 0) -> TrainingObjective {
        TrainingObjective(
            loss: { outputs, targets in
                let classes = outputs.shape[outputs.rank - 1]
                let rows = outputs.rank == 2 ? outputs : outputs.reshaped([outputs.value.count / classes, classes])
                return rows.crossEntropy(classIndices(targets, rows: rows.shape[0], outputs: outputs.shape),
                                         labelSmoothing: labelSmoothing)
            },
            correctPredictions: { outputs, targets in
                let classes = outputs.shape[outputs.rank - 1]
                let rows = outputs.count / classes
                let labels = classIndices(targets, rows: rows, outputs: outputs.shape)
                var correct = 0
                outputs.withUnsafeBufferPointer { z in
                    for row in 0..<rows {
                        let start = row * classes
                        var best = 0
                        for j in 1..<classes where z[start + j] > z[start + best] { best = j }
                        if best == labels[row] { correct += 1 }
                    }
                }
                return (correct, rows)
            })
    }

    /// Cross-entropy and accuracy for classifiers (logits [B, C] or [B, T, C], Float class targets).
    public static let classification = classification()

    /// Mean squared error between outputs and targets of the same number of elements; no accuracy.
    public static let meanSquaredError = TrainingObjective(loss: { outputs, targets in
        precondition(outputs.value.count == targets.count,
                     "TrainingObjective.meanSquaredError: outputs \(outputs.shape) and targets \(targets.shape) differ in size")
        return outputs.mseLoss(Variable(targets.reshaped(outputs.shape)))
    })

    /// Float class indices as Ints, one per prediction row.
    static func classIndices(_ targets: Tensor, rows: Int, outputs: [Int]) -> [Int] {
        precondition(targets.count == rows,
                     "TrainingObjective.classification: outputs \(outputs) make \(rows) predictions, targets have \(targets.count)")
        return targets.withUnsafeBufferPointer { t in (0..<rows).map { Int(t[$0]) } }
    }
}
