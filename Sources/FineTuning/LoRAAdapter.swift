// LoRA: low-rank adaptation of a frozen Linear layer (Hu et al. 2021, "LoRA:
// Low-Rank Adaptation of Large Language Models", §4.1).
//
// A pretrained layer y = x · W₀ᵀ is fine-tuned by learning only a low-rank change of W:
//   W = W₀ + (α/r) · B · A            A: (r, in)   B: (w, r)   r ≪ min(in, w)
//   y = x · W₀ᵀ + (α/r) · (x · Aᵀ) · Bᵀ
// so a layer of w·in weights trains r·(in + w) numbers. W₀ stays frozen: no
// gradient and no optimizer moments are computed for it. A starts
// Kaiming-uniform, U(−1/√in, 1/√in) (PyTorch's kaiming_uniform_ with a = √5, as
// PEFT does), and B starts at zero, so the adapted model begins exactly at the
// pretrained one and the first steps move only B. α/r keeps the update's size
// comparable when r changes (the paper tunes α once and leaves it).
// Dropout p is applied to x on the adapter's path only (PEFT's lora_dropout).
//
// An adapter may cover only some output columns of its layer, `columns`
// (offset ..< offset + w): GPT's c_attn computes [q | k | v] in one product, and
// "LoRA on the query and value projections" adapts its first and last thirds.
//
// Merging folds the update into the weights, W₀[columns] += (α/r)·B·A, so the
// adapted model runs at the base model's cost. Unmerging gives W₀ back bit for
// bit: float32 (W₀ + Δ) − Δ is not always W₀, so repeated merges would drift a
// frozen base by an ulp each time. The adapter keeps W₀'s rows while merged and
// restores them, unless the merged rows have since been changed (then it
// subtracts Δ, the only inverse left).

import Autograd
import NN
import Tensor

/// A rank-r update (α/r)·B·A added to some output columns of a Linear layer.
public final class LoRAAdapter: Module {
    /// r, the rank of the update.
    public let rank: Int
    /// α: the update is scaled by α / r.
    public let alpha: Float
    /// The output columns of the layer this adapter adds to.
    public let columns: Range<Int>
    /// A ("lora_A"), shape [r, in]: projects the input down to r numbers.
    public let down: Variable
    /// B ("lora_B"), shape [w, r]: projects back up to the adapted columns; starts at zero.
    public let up: Variable
    /// Dropout on the adapter's input; nil for none.
    public let dropout: Dropout?
    /// Whether the update is currently folded into the layer's weight (and skipped here).
    public var isMerged: Bool { rowsBeforeMerge != nil }
    /// W₀'s rows `columns` as they were before `merge`, and the rows merge wrote; nil while unmerged.
    private var rowsBeforeMerge: (original: [Float], merged: [Float])?
    /// Training mode (dropout active) or evaluation mode; `train()` and `eval()` on the model set it.
    public var isTraining = true

    /// The factor α / r.
    public var scale: Float { alpha / Float(rank) }

    /// An adapter for a layer with `inputSize` inputs, adding to `columns` of its output.
    ///
    /// A starts Kaiming-uniform, U(−1/√in, 1/√in), drawn from `seed`, and B at zero, so the update
    /// is zero until B has been trained.
    /// - Parameters:
    ///   - inputSize: in, the layer's input size (A's columns).
    ///   - columns: the output columns the update adds to; w = `columns.count` is B's row count.
    ///   - rank: r, at least 1.
    ///   - alpha: α; the update is scaled by α / r.
    ///   - dropout: p in [0, 1) on the adapter's input; 0 makes no dropout module.
    ///   - seed: fixes A's draw and the dropout masks.
    public init(inputSize: Int, columns: Range<Int>, rank: Int, alpha: Float, dropout: Float = 0, seed: UInt64 = 0) {
        precondition(rank > 0 && inputSize > 0 && !columns.isEmpty && columns.lowerBound >= 0,
                     "LoRAAdapter: rank \(rank), input size \(inputSize) and columns \(columns) must be positive and non-empty")
        precondition(dropout >= 0 && dropout < 1, "LoRAAdapter: dropout must be in [0, 1), got \(dropout)")
        self.rank = rank
        self.alpha = alpha
        self.columns = columns
        var generator = RandomGenerator(seed: seed)
        down = Variable(Initialization.pytorchDefault([rank, inputSize], fanIn: inputSize, using: &generator),
                        requiresGrad: true, name: "lora_A")
        up = Variable(Tensor.zeros([columns.count, rank]), requiresGrad: true, name: "lora_B")
        self.dropout = dropout > 0 ? Dropout(dropout, seed: generator.next()) : nil
    }

    /// A and B under PEFT's names, "lora_A" and "lora_B".
    public var localParameters: [(String, Variable)] { [("lora_A", down), ("lora_B", up)] }
    /// The dropout module as "dropout" when p > 0 (it has no parameters), else nothing.
    public var children: [(String, any Module)] { dropout.map { [("dropout", $0 as any Module)] } ?? [] }

    /// (α/r)·(dropout(x)·Aᵀ)·Bᵀ for the adapter's columns (nil while merged); `LoRALinear` adds it
    /// with addingLowRankUpdates, which keeps the N×r product and scales it while it is small.
    public func update(for input: Variable) -> LowRankUpdate? {
        if isMerged { return nil }
        let x = dropout.map { $0(input) } ?? input
        return LowRankUpdate(input: x, down: down, up: up, scale: scale, offset: columns.lowerBound)
    }

    /// (α/r)·B·A, shape [w, in]: the change this adapter makes to its columns of the weight.
    public var weightUpdate: Tensor {
        Tensor.matmul(up.value, down.value) * scale
    }

    /// Adds the update to `layer`'s weight rows `columns`; the adapter then passes outputs through.
    func merge(into layer: Linear) {
        precondition(!isMerged, "LoRAAdapter.merge: already merged")
        let original = rows(of: layer)
        addToRows(of: layer, weightUpdate)
        rowsBeforeMerge = (original, rows(of: layer))
    }

    /// Puts W₀'s rows back (or, if they were changed while merged, subtracts the update);
    /// the adapter adds the update on the fly once more.
    func unmerge(from layer: Linear) {
        guard let saved = rowsBeforeMerge else { preconditionFailure("LoRAAdapter.unmerge: not merged") }
        if rows(of: layer) == saved.merged {
            setRows(of: layer, saved.original)
        } else {
            addToRows(of: layer, weightUpdate * -1)
        }
        rowsBeforeMerge = nil
    }

    /// Where the rows `columns` lie in the layer's weight: W is [out, in], row-major, so they are contiguous.
    private func rowSpan(of layer: Linear) -> Range<Int> {
        columns.lowerBound * layer.inputSize ..< columns.upperBound * layer.inputSize
    }

    /// The layer's weight rows `columns`, row-major ([w, in]).
    private func rows(of layer: Linear) -> [Float] {
        let span = rowSpan(of: layer)
        return layer.weight.value.withUnsafeBufferPointer { Array($0[span]) }
    }

    /// Lets `change` rewrite the layer's weight rows `columns` in place.
    private func changeRows(of layer: Linear, _ change: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let span = rowSpan(of: layer)
        layer.weight.value.withUnsafeMutableBufferPointer { change(UnsafeMutableBufferPointer(rebasing: $0[span])) }
    }

    private func setRows(of layer: Linear, _ values: [Float]) {
        changeRows(of: layer) { _ = $0.update(fromContentsOf: values) }
    }

    private func addToRows(of layer: Linear, _ update: Tensor) {
        changeRows(of: layer) { rows in
            update.withUnsafeBufferPointer { u in
                for i in rows.indices { rows[i] += u[i] }
            }
        }
    }
}
