// TextWindows: how a language model sees its text (phases 4 and 5).
//
// Training: a batch is B windows of T + 1 consecutive characters, each
// starting at a uniformly random position; the model reads the first T and
// is scored on the last T (each token predicts the next). Evaluation: the
// text is cut into non-overlapping windows of T + 1 characters and the mean
// cross-entropy is taken over every predicted position,
//     L = −(1/N) Σ_windows Σ_t log p(x_{t+1} | x₁ … x_t),
// 256 windows per forward pass, without recording a graph (the same measure
// as the PyTorch peer's val_loss, docs/BENCHMARKS.md, so the figures compare).
import Tensor

/// Random training windows and the windowed evaluation loss of a language model.
public enum TextWindows {
    /// `batch` random windows of `steps` inputs from `tokens` and their next-character targets, batch-major.
    public static func sample(from tokens: [Int], batch: Int, steps: Int,
                              generator: inout RandomGenerator) -> (inputs: [Int], targets: [Int]) {
        precondition(tokens.count > steps, "TextWindows.sample: \(tokens.count) tokens cannot hold a window of \(steps) + 1")
        var inputs = [Int](repeating: 0, count: batch * steps), targets = inputs
        for b in 0..<batch {
            let start = generator.nextInt(below: tokens.count - steps)
            for t in 0..<steps {
                inputs[b * steps + t] = tokens[start + t]
                targets[b * steps + t] = tokens[start + t + 1]
            }
        }
        return (inputs, targets)
    }

    /// Mean cross-entropy per predicted token over the non-overlapping `steps`-token windows of
    /// `tokens`, `windowsPerPass` windows at a time; `meanBatchLoss(x, y, n)` returns the mean loss
    /// of n windows (x and y batch-major, y shifted by one). Run it without recording a graph.
    public static func meanLoss(on tokens: [Int], steps: Int, windowsPerPass: Int = 256,
                                meanBatchLoss: ([Int], [Int], Int) -> Double) -> Double {
        let windows = (tokens.count - 1) / steps
        var total = 0.0, counted = 0
        for first in stride(from: 0, to: windows, by: windowsPerPass) {
            let n = Swift.min(windowsPerPass, windows - first)
            let x = Array(tokens[first * steps ..< (first + n) * steps])
            let y = Array(tokens[first * steps + 1 ..< (first + n) * steps + 1])
            total += meanBatchLoss(x, y, n) * Double(y.count)
            counted += y.count
        }
        return total / Double(Swift.max(counted, 1))
    }
}
