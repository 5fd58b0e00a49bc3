// LeNet-5: the convolutional network of LeCun et al., "Gradient-based learning
// applied to document recognition" (1998), in its modern form (ReLU instead of
// scaled tanh, max pooling instead of trainable sub-sampling, a plain linear
// output layer instead of RBF units), as PyTorch's tutorials and W10 build it.
//
//   x                         (N, 1, 28, 28)     (N, 28, 28) is accepted and given its channel axis
//   conv1  5×5, 6, padding 2  (N, 6, 28, 28)     padding 2 makes 28×28 act as LeNet's 32×32 input
//   ReLU, maxpool 2           (N, 6, 14, 14)
//   conv2  5×5, 16            (N, 16, 10, 10)
//   ReLU, maxpool 2           (N, 16, 5, 5)
//   flatten                   (N, 400)
//   fc1 400 → 120, ReLU       (N, 120)
//   fc2 120 → 84, ReLU        (N, 84)
//   fc3 84 → classes          (N, classes)       logits: feed them to crossEntropy
//
// Parameters: conv1 6·25 + 6, conv2 16·150 + 16, fc1 400·120 + 120, fc2 120·84 + 84,
// fc3 84·10 + 10: 61 706 for 10 classes. Each convolution sees a 5×5 window of
// its input, so a unit of conv2 sees a 14×14 region of the image after the first pooling.
// Parameter names follow the attribute names of the usual PyTorch class
// (conv1.weight, …, fc3.bias), so a state dict moves between the two.

import Autograd
import NN

/// LeNet-5 for 28×28 single-channel images (MNIST-sized), with ReLU and max pooling.
public final class LeNet5: Layer {
    /// 1 → 6 channels, 5×5 kernel, padding 2.
    public let conv1: Conv2d
    /// 6 → 16 channels, 5×5 kernel.
    public let conv2: Conv2d
    /// 16·5·5 = 400 → 120.
    public let fc1: Linear
    /// 120 → 84.
    public let fc2: Linear
    /// 84 → `classes`.
    public let fc3: Linear
    /// 2×2 max pooling, used after each convolution.
    let pool = MaxPool2d(kernelSize: 2)
    public var isTraining = true

    /// A LeNet-5 with `classes` outputs, every layer initialized like PyTorch from `seed`.
    public init(classes: Int = 10, seed: UInt64 = 0) {
        precondition(classes >= 2, "LeNet5: needs at least 2 classes, got \(classes)")
        conv1 = Conv2d(1, 6, kernelSize: 5, padding: 2, seed: seed)
        conv2 = Conv2d(6, 16, kernelSize: 5, seed: seed &+ 1)
        fc1 = Linear(16 * 5 * 5, 120, seed: seed &+ 2)
        fc2 = Linear(120, 84, seed: seed &+ 3)
        fc3 = Linear(84, classes, seed: seed &+ 4)
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] {
        [("conv1", conv1), ("conv2", conv2), ("fc1", fc1), ("fc2", fc2), ("fc3", fc3)]
    }

    /// Logits (N, classes) for images (N, 1, 28, 28) or (N, 28, 28).
    public func callAsFunction(_ input: Variable) -> Variable {
        let isImageBatch = (input.rank == 4 && input.shape[1] == 1) || input.rank == 3
        precondition(isImageBatch && input.shape.suffix(2) == [28, 28],
                     "LeNet5: input has shape \(input.shape), expected [N, 1, 28, 28] or [N, 28, 28]")
        let n = input.shape[0]
        let x = input.rank == 3 ? input.reshaped([n, 1, 28, 28]) : input
        let a = pool(conv1(x).relu())                       // (N, 1, 28, 28) → (N, 6, 28, 28) → (N, 6, 14, 14)
        let b = pool(conv2(a).relu())                       // → (N, 16, 10, 10) → (N, 16, 5, 5)
        let flat = b.reshaped([n, 16 * 5 * 5])              // → (N, 400)
        return fc3(fc2(fc1(flat).relu()).relu())            // → (N, 120) → (N, 84) → (N, classes)
    }
}
