// Part 1 of lab-tensors: broadcasting and reductions on tensors small enough
// to print. Each step prints the shapes, the rule that applies and the result.
import LabKit

enum BroadcastingTour {
    static func show(_ title: String, _ t: Tensor) {
        Log.info("\(title)  shape \(t.shape)")
        Log.info(t.description.split(separator: "\n").dropFirst().joined(separator: "\n"))
    }

    static func run() -> [(String, JSONValue)] {
        Log.info("== Broadcasting: shapes line up from the right; a size-1 axis stretches ==")
        let column = Tensor([[1], [2], [3]])          // [3, 1]
        let row = Tensor([10, 20, 30, 40])            // [4] → treated as [1, 4]
        show("column", column)
        show("row", row)
        show("column + row   [3,1] + [4] → [3,4]", column + row)

        let x = Tensor.arange(12).reshaped(3, 4)
        show("x", x)
        show("x * 2 + 1   (scalars broadcast to every element)", x * 2 + 1)
        show("x − x.mean(axis: 0, keepDims: true)   (centre each column: [3,4] − [1,4])",
             x - x.mean(axis: 0, keepDims: true))

        Log.info("\n== Reductions collapse an axis; keepDims leaves it as size 1 ==")
        show("x.sum(axis: 0)   [3,4] → [4]", x.sum(axis: 0))
        show("x.sum(axis: 1, keepDims: true)   [3,4] → [3,1]", x.sum(axis: 1, keepDims: true))
        show("x.max(axis: 1)", x.max(axis: 1))
        show("x.argmax(axis: 0)", x.argmax(axis: 0))
        show("x.variance(axis: 1)", x.variance(axis: 1))
        let logits = Tensor([[1, 2, 3], [1000, 1001, 1002]])
        show("softmax of [[1,2,3],[1000,1001,1002]] (stable: subtract the row max first)", logits.softmax(axis: -1))
        show("logSumExp(axis: -1)", logits.logSumExp(axis: -1))
        Log.info("")
        // What a learner can check by hand: row sums of a softmax are 1, and shifting a row does not change it.
        let shiftInvariance = (logits.softmax(axis: -1)[0] - logits.softmax(axis: -1)[1]).abs().max()
        return [("softmax_shift_invariance_max_diff", .number(Double(shiftInvariance)))]
    }
}
