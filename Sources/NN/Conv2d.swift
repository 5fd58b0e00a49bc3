// Conv2d: a 2-D convolution layer (cross-correlation, as in every deep-learning library).
//
//   input x [N, C, H, W], weight w [O, C, k, k], bias b [O], stride s, zero padding p
//   y[n, o, i, j] = b_o + Σ_c Σ_u Σ_v w[o, c, u, v] · x[n, c, i·s + u − p, j·s + v − p]
//   y [N, O, Ho, Wo],  Ho = ⌊(H + 2p − k)/s⌋ + 1,  Wo = ⌊(W + 2p − k)/s⌋ + 1
// The value and gradients come from the Autograd op `conv2d` (Conv2dOp.swift, im2col + GEMM).
// Initialization: PyTorch's default (kaiming_uniform_ with a = √5), which is
//   w, b ~ U(−1/√fanIn, 1/√fanIn),  fanIn = C · k · k.
// w is stored [O, C, k, k] as in PyTorch, so state dicts match.
// PyTorch equivalent: torch.nn.Conv2d(C, O, k, stride=s, padding=p, bias=True).

import Autograd
import Tensor

/// A 2-D convolution layer over inputs of shape [N, inChannels, H, W].
public final class Conv2d: Layer {
    /// Channels of the input (axis 1).
    public let inChannels: Int
    /// Channels of the output (axis 1).
    public let outChannels: Int
    /// Side of the square kernel.
    public let kernelSize: Int
    /// Step between kernel positions, in both directions.
    public let stride: Int
    /// Zeros added on each side of the height and width.
    public let padding: Int
    /// The kernels w, shape [outChannels, inChannels, kernelSize, kernelSize].
    public var weight: Variable
    /// The bias b, shape [outChannels], or nil for a layer without bias.
    public var bias: Variable?
    public var isTraining = true

    /// A convolution from `inChannels` to `outChannels` with a square `kernelSize` kernel,
    /// initialized like PyTorch from `seed`.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1,
                padding: Int = 0, bias: Bool = true, seed: UInt64 = 0) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0,
                     "Conv2d(\(inChannels)→\(outChannels), k \(kernelSize)): channels and kernel size must be positive")
        precondition(stride > 0 && padding >= 0,
                     "Conv2d(\(inChannels)→\(outChannels), k \(kernelSize)): stride must be positive and padding ≥ 0, got stride \(stride), padding \(padding)")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let fanIn = inChannels * kernelSize * kernelSize
        var generator = RandomGenerator(seed: seed)
        weight = Variable(Initialization.pytorchDefault([outChannels, inChannels, kernelSize, kernelSize],
                                                        fanIn: fanIn, using: &generator),
                          requiresGrad: true, name: "weight")
        self.bias = bias
            ? Variable(Initialization.pytorchDefault([outChannels], fanIn: fanIn, using: &generator),
                       requiresGrad: true, name: "bias")
            : nil
    }

    public var localParameters: [(String, Variable)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// The output size of one spatial axis of length `size`: ⌊(size + 2p − k)/s⌋ + 1.
    public func outputSize(_ size: Int) -> Int {
        (size + 2 * padding - kernelSize) / stride + 1
    }

    /// y = conv(x, w) + b for x of shape [N, inChannels, H, W] → [N, outChannels, Ho, Wo].
    public func callAsFunction(_ input: Variable) -> Variable {
        let name = "Conv2d(\(inChannels)→\(outChannels), k \(kernelSize), s \(stride), p \(padding))"
        precondition(input.rank == 4 && input.shape[1] == inChannels,
                     "\(name): input has shape \(input.shape), expected [N, \(inChannels), H, W]")
        precondition(input.shape[2] + 2 * padding >= kernelSize && input.shape[3] + 2 * padding >= kernelSize,
                     "\(name): input has shape \(input.shape), smaller than the kernel even with padding")
        return input.conv2d(weight: weight, bias: bias, stride: stride, padding: padding)
    }
}
