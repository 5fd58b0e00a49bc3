// Pooling layers: each output is one statistic of a k×k window of one channel.
//
//   input x [N, C, H, W], window k, stride s (default k), no padding
//   y [N, C, Ho, Wo],  Ho = ⌊(H − k)/s⌋ + 1,  Wo = ⌊(W − k)/s⌋ + 1
//   MaxPool2d: y[n, c, i, j] = max over the window at (i·s, j·s);
//              ∂L/∂x is ∂L/∂y at the window's (first) arg-max, 0 elsewhere
//   AvgPool2d: y[n, c, i, j] = (1/k²) Σ over the window at (i·s, j·s);
//              ∂L/∂x is ∂L/∂y / k² at every element of the window
// (with overlapping windows, s < k, the contributions add up.)
// The value and gradients come from the Autograd ops maxPool2d/avgPool2d (PoolingOps.swift).
// PyTorch equivalents: torch.nn.MaxPool2d(k, stride=s), torch.nn.AvgPool2d(k, stride=s).

import Autograd
import Tensor

/// Stops with a message naming the layer unless `input` is [N, C, H, W] with H, W ≥ `kernelSize`.
private func checkedPooling(_ name: String, _ input: Variable, kernelSize: Int, stride: Int) {
    precondition(input.rank == 4 && input.shape[2] >= kernelSize && input.shape[3] >= kernelSize,
                 "\(name)(k \(kernelSize), s \(stride)): input has shape \(input.shape), expected [N, C, H, W] with H, W ≥ \(kernelSize)")
}

/// Max pooling over k×k windows of inputs [N, C, H, W]; no parameters.
public final class MaxPool2d: Layer {
    /// Side of the square window.
    public let kernelSize: Int
    /// Step between windows (defaults to `kernelSize`: windows that tile without overlap).
    public let stride: Int
    public var isTraining = true

    /// Max pooling with a `kernelSize`×`kernelSize` window moved by `stride` (default `kernelSize`).
    public init(kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0 && (stride ?? 1) > 0,
                     "MaxPool2d: kernel size and stride must be positive, got \(kernelSize), \(String(describing: stride))")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public var localParameters: [(String, Variable)] { [] }

    /// The maximum of each window: [N, C, H, W] → [N, C, Ho, Wo].
    public func callAsFunction(_ input: Variable) -> Variable {
        checkedPooling("MaxPool2d", input, kernelSize: kernelSize, stride: stride)
        return input.maxPool2d(kernel: kernelSize, stride: stride)
    }
}

/// Average pooling over k×k windows of inputs [N, C, H, W]; no parameters.
public final class AvgPool2d: Layer {
    /// Side of the square window.
    public let kernelSize: Int
    /// Step between windows (defaults to `kernelSize`: windows that tile without overlap).
    public let stride: Int
    public var isTraining = true

    /// Average pooling with a `kernelSize`×`kernelSize` window moved by `stride` (default `kernelSize`).
    public init(kernelSize: Int, stride: Int? = nil) {
        precondition(kernelSize > 0 && (stride ?? 1) > 0,
                     "AvgPool2d: kernel size and stride must be positive, got \(kernelSize), \(String(describing: stride))")
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
    }

    public var localParameters: [(String, Variable)] { [] }

    /// The mean of each window: [N, C, H, W] → [N, C, Ho, Wo].
    public func callAsFunction(_ input: Variable) -> Variable {
        checkedPooling("AvgPool2d", input, kernelSize: kernelSize, stride: stride)
        return input.avgPool2d(kernel: kernelSize, stride: stride)
    }
}
