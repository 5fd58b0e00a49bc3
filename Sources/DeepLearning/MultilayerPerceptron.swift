// MultilayerPerceptron: the first network of phase 4, fully connected layers
// with ReLU between them.
//
// For sizes d₀, d₁, …, d_L the input x (any shape [B, …] with d₀ values per
// sample, e.g. 28×28 images) is flattened to h₀ ∈ ℝ^{B×d₀}, then
//     h_ℓ = dropout(ReLU(h_{ℓ−1} W_ℓᵀ + b_ℓ))   for ℓ = 1 … L−1,
//     logits = h_{L−1} W_Lᵀ + b_L               ∈ ℝ^{B×d_L},
// with W_ℓ ∈ ℝ^{d_ℓ×d_{ℓ−1}} initialised as PyTorch's nn.Linear. Dropout (when
// p > 0) zeroes each hidden unit with probability p during training and
// scales the rest by 1/(1 − p), so evaluation needs no change. The layers sit
// in one Sequential, so parameter names ("layers.1.weight", …) follow the
// PyTorch module `nn.Sequential(nn.Flatten(), nn.Linear(…), nn.ReLU(), …)`.
import Autograd
import NN

/// Fully connected layers with ReLU (and optional dropout) between them, on flattened inputs.
public final class MultilayerPerceptron: Layer {
    /// Units per layer, input first, classes last.
    public let sizes: [Int]
    /// The flatten, linear, ReLU and dropout layers in order.
    public let layers: Sequential
    public var isTraining = true

    /// An MLP with `sizes` (at least input and output) and dropout probability `dropout` after each hidden ReLU.
    public init(sizes: [Int], dropout: Float = 0, seed: UInt64 = 0) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 },
                     "MultilayerPerceptron: needs at least an input and an output size, all ≥ 1, got \(sizes)")
        precondition(dropout >= 0 && dropout < 1, "MultilayerPerceptron: dropout must be in [0, 1), got \(dropout)")
        self.sizes = sizes
        var stack: [any Layer] = [Flatten()]
        for l in 1..<sizes.count {
            stack.append(Linear(sizes[l - 1], sizes[l], seed: seed &+ UInt64(l)))
            if l < sizes.count - 1 {
                stack.append(ReLU())
                if dropout > 0 { stack.append(Dropout(dropout, seed: seed &+ 100 &+ UInt64(l))) }
            }
        }
        layers = Sequential(stack)
    }

    /// The first linear layer (its weight rows are the patterns the hidden units look for).
    public var firstLinear: Linear { layers.layers[1] as! Linear }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] { [("layers", layers)] }

    /// Logits [B, classes] for inputs [B, …] holding sizes[0] values per sample.
    public func callAsFunction(_ input: Variable) -> Variable {
        let perSample = input.shape.dropFirst().reduce(1, *)
        precondition(input.rank >= 2 && perSample == sizes[0],
                     "MultilayerPerceptron: input \(input.shape) has \(perSample) values per sample, expected \(sizes[0])")
        return layers(input)
    }
}
