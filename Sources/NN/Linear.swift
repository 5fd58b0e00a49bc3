// Linear: a fully connected (affine) layer.
//
//   y = x · Wᵀ + b        x: (…, in)   W: (out, in)   b: (out)   y: (…, out)
// Gradients come from the matmul and add ops: ∂L/∂W = (∂L/∂y)ᵀ · x summed over the
// batch, ∂L/∂b = Σ_batch ∂L/∂y, ∂L/∂x = ∂L/∂y · W.
// W is stored [out, in] as in PyTorch (so state dicts match) and used transposed.
// Initialization: PyTorch's default, W and b ~ U(−1/√in, 1/√in).
// PyTorch equivalent: torch.nn.Linear(in_features, out_features, bias=True).

import Autograd
import Tensor

/// A fully connected layer y = x · Wᵀ + b.
public final class Linear: Layer {
    /// Size of the last axis of the input.
    public let inputSize: Int
    /// Size of the last axis of the output.
    public let outputSize: Int
    /// The weight W, shape [outputSize, inputSize]. Assignable, e.g. to tie weights.
    public var weight: Variable
    /// The bias b, shape [outputSize], or nil for a layer without bias.
    public var bias: Variable?
    public var isTraining = true

    /// A layer mapping `inputSize` features to `outputSize`, initialized like PyTorch from `seed`.
    public init(_ inputSize: Int, _ outputSize: Int, bias: Bool = true, seed: UInt64 = 0) {
        precondition(inputSize > 0 && outputSize > 0,
                     "Linear(\(inputSize)→\(outputSize)): sizes must be positive")
        self.inputSize = inputSize
        self.outputSize = outputSize
        var generator = RandomGenerator(seed: seed)
        weight = Variable(Initialization.pytorchDefault([outputSize, inputSize], fanIn: inputSize, using: &generator),
                          requiresGrad: true, name: "weight")
        self.bias = bias
            ? Variable(Initialization.pytorchDefault([outputSize], fanIn: inputSize, using: &generator),
                       requiresGrad: true, name: "bias")
            : nil
    }

    public var localParameters: [(String, Variable)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// y = x · Wᵀ + b, for x of shape (…, inputSize); a vector (inputSize) gives a vector.
    public func callAsFunction(_ input: Variable) -> Variable {
        precondition(input.rank >= 1 && input.shape.last == inputSize,
                     "Linear(\(inputSize)→\(outputSize)): input has shape \(input.shape), expected last axis \(inputSize)")
        let isVector = input.rank == 1
        let x = isVector ? input.reshaped([1, inputSize]) : input
        var y = x.matmul(weight, transposeOther: true)   // (…, in) · (out, in)ᵀ → (…, out)
        if let bias { y = y + bias }                       // (out) broadcasts over the leading axes
        return isVector ? y.reshaped([outputSize]) : y
    }
}
