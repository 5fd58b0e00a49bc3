// Confusion matrix: for labels ℓ₀ … ℓ_{k−1},
//     C[i][j] = #{ samples with true label ℓᵢ and predicted label ℓⱼ }.
// Row i sums to the support of ℓᵢ; the diagonal counts the correct predictions.
// Without a label list the labels are the sorted union of the values in yTrue
// and yPred. With one, samples whose true or predicted label is not in the list
// are left out, as in scikit-learn's confusion_matrix.

import Tensor

extension Metrics {
    /// The confusion matrix of two label vectors: rows are true labels, columns predicted labels.
    ///
    /// - Parameters:
    ///   - yTrue: the true labels.
    ///   - yPred: the predicted labels, as many as `yTrue`.
    ///   - labels: the labels and their order; nil uses every label seen in either vector, increasing.
    /// - Returns: the labels and the counts `counts[true][predicted]`.
    public static func confusionMatrix(_ yTrue: Tensor, _ yPred: Tensor,
                                       labels: [Float]? = nil) -> (labels: [Float], counts: [[Int]]) {
        precondition(yTrue.count == yPred.count,
                     "confusionMatrix: yTrue \(yTrue.shape) and yPred \(yPred.shape) must have equal counts")
        let truth = yTrue.scalars, predicted = yPred.scalars
        let labels = labels ?? Array(Set(truth).union(predicted)).sorted()
        var position: [Float: Int] = [:]
        for (i, label) in labels.enumerated() where position[label] == nil { position[label] = i }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (t, p) in zip(truth, predicted) {
            if let i = position[t], let j = position[p] { counts[i][j] += 1 }
        }
        return (labels, counts)
    }
}
