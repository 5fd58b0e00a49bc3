// LoRALinear: a frozen Linear layer with LoRA adapters around it.
//
//   y = x · W₀ᵀ + b  +  Σ_adapters (α/r) · (x · Aᵀ) · Bᵀ   on each adapter's columns
//        └ base ┘       └──────── addingLowRankUpdates (LowRankUpdateOp.swift) ┘
// x: (…, in)   W₀: (out, in)   A: (r, in)   B: (w, r)   y: (…, out)
//
// PEFT's LoraLayer does the same in PyTorch: `LoRA` (LoRA.swift) puts one of
// these in the place of each targeted Linear (Module.setSubmodule, PyTorch's
// setattr), so the Linear itself knows nothing of adapters. The wrapper lists
// the base layer's weight and bias as its own parameters and each adapter as a
// child, so the names in a state dict stay those of the plain model plus the
// adapters': "h.0.attn.c_attn.weight", "h.0.attn.c_attn.lora_q.lora_A".
// Several adapters may share one layer (LoRA on q and on v of GPT's packed
// c_attn), each adding to its own columns; all of them are one op.

import Autograd
import NN
import Tensor

/// A Linear layer and the LoRA adapters that add to its output.
public final class LoRALinear: Layer {
    /// The wrapped layer, whose weight W₀ stays frozen (unless merged into).
    public let base: Linear
    /// The adapters, by child name ("lora_q"), in the order they were attached.
    public private(set) var adapters: [(name: String, adapter: LoRAAdapter)] = []
    /// Training or evaluation mode of the wrapper; it changes nothing here (a Linear layer computes the
    /// same in both), while `train()` and `eval()` pass the mode on to the adapters, whose dropout uses it.
    public var isTraining = true

    /// A wrapper with no adapters yet: it computes exactly what `base` does.
    public init(wrapping base: Linear) {
        self.base = base
    }

    /// Adds an adapter under the child name `name`; a name can be used once.
    public func attach(_ adapter: LoRAAdapter, as name: String) {
        precondition(!adapters.contains { $0.name == name }, "LoRALinear: an adapter named '\(name)' is attached already")
        precondition(adapter.columns.upperBound <= base.outputSize,
                     "LoRALinear: adapter columns \(adapter.columns) outside the layer's \(base.outputSize) outputs")
        adapters.append((name, adapter))
    }

    /// The base layer's weight and bias, under their own names.
    public var localParameters: [(String, Variable)] { base.localParameters }
    /// The adapters under their child names, so their parameters are "lora_q.lora_A" and so on.
    public var children: [(String, any Module)] { adapters.map { ($0.name, $0.adapter as any Module) } }

    /// base(x) plus every unmerged adapter's update, for x of shape (…, in); a vector gives a vector.
    public func callAsFunction(_ input: Variable) -> Variable {
        let isVector = input.rank == 1
        let x = isVector ? input.reshaped([1, base.inputSize]) : input     // (N, in)
        let y = base(x).addingLowRankUpdates(adapters.compactMap { $0.adapter.update(for: x) })   // (N, out)
        return isVector ? y.reshaped([base.outputSize]) : y
    }
}
