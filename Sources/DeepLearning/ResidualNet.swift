// ResidualNet: a small ResNet (He et al., "Deep residual learning for image
// recognition", 2016) for small images, built from basic residual blocks.
//
// A residual block learns a correction F(x) to its input rather than a whole new map:
//   y = ReLU( F(x) + shortcut(x) )
//   F(x) = BN(conv3×3(ReLU(BN(conv3×3_s(x)))))        s = the block's stride
//   shortcut(x) = x                                    when shape is kept (stride 1, same channels)
//               = BN(conv1×1_s(x))                     otherwise (a "projection", option B of the paper)
// The identity path carries the gradient straight through, ∂y/∂x ⊇ I, so deep
// stacks train; BatchNorm keeps every layer's input at zero mean and unit variance
// per channel. Convolutions before a BatchNorm have no bias: BN subtracts the
// channel mean, so a bias would cancel out.
//
// The network, for widths [w₁, w₂, w₃] (default [16, 32, 64]) and 28×28 input:
//   x                                   (N, C, 28, 28)      (N, 28, 28) is read as C = 1
//   stem: conv3×3 → w₁, BN, ReLU        (N, w₁, 28, 28)
//   layer1: blocks at stride 1          (N, w₁, 28, 28)     identity shortcuts
//   layer2: first block stride 2        (N, w₂, 14, 14)     1×1 projection on the first block
//   layer3: first block stride 2        (N, w₃, 7, 7)       1×1 projection on the first block
//   global average pool                 (N, w₃)             mean over height and width
//   fc w₃ → classes                     (N, classes)        logits
// Any H, W ≥ 1 works: stride-2 3×3 convolutions with padding 1 give ⌈H/2⌉, and the
// global pool removes the spatial size. Parameter names follow torchvision's ResNet
// (conv1, bn1, layer1.0.conv1, layer2.0.downsample.0, …, fc).

import Autograd
import NN

/// One basic residual block: two 3×3 convolutions with BatchNorm, added to a shortcut.
public final class ResidualBlock: Layer {
    /// 3×3, inChannels → outChannels, stride `stride`, padding 1, no bias.
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    /// 3×3, outChannels → outChannels, stride 1, padding 1, no bias.
    public let conv2: Conv2d
    public let bn2: BatchNorm2d
    /// The projection shortcut (1×1 convolution with stride, then BatchNorm), or nil for the identity.
    public let downsample: Sequential?
    public var isTraining = true

    /// A block from `inChannels` to `outChannels` whose first convolution moves by `stride`;
    /// it gets a projection shortcut when the shape changes. Initialized like PyTorch from `seed`.
    public init(_ inChannels: Int, _ outChannels: Int, stride: Int = 1, seed: UInt64 = 0) {
        precondition(stride >= 1, "ResidualBlock(\(inChannels)→\(outChannels)): stride must be ≥ 1, got \(stride)")
        conv1 = Conv2d(inChannels, outChannels, kernelSize: 3, stride: stride, padding: 1, bias: false, seed: seed)
        bn1 = BatchNorm2d(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1, bias: false, seed: seed &+ 1)
        bn2 = BatchNorm2d(outChannels)
        downsample = stride == 1 && inChannels == outChannels
            ? nil
            : Sequential(Conv2d(inChannels, outChannels, kernelSize: 1, stride: stride, bias: false, seed: seed &+ 2),
                         BatchNorm2d(outChannels))
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] {
        [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)] + (downsample.map { [("downsample", $0)] } ?? [])
    }

    /// ReLU(F(x) + shortcut(x)): (N, in, H, W) → (N, out, ⌈H/s⌉, ⌈W/s⌉).
    public func callAsFunction(_ input: Variable) -> Variable {
        let residual = bn2(conv2(bn1(conv1(input)).relu()))     // (N, in, H, W) → (N, out, H/s, W/s)
        let shortcut = downsample?(input) ?? input               // the same shape as `residual`
        return (residual + shortcut).relu()
    }
}

/// A small ResNet for image classification: a convolution stem, stages of residual blocks,
/// global average pooling and a linear classifier.
public final class ResidualNet: Layer {
    /// Channels of the input images.
    public let inChannels: Int
    /// The stem: 3×3 convolution, inChannels → widths[0], no bias.
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    /// One Sequential of `ResidualBlock`s per width; every stage after the first halves the height and width.
    public let stages: [Sequential]
    /// widths.last → classes.
    public let fc: Linear
    public var isTraining = true

    /// A ResNet with one stage per entry of `widths`, `blocksPerStage` blocks in each,
    /// for images with `inChannels` channels, giving `classes` logits. Initialized like PyTorch from `seed`.
    public init(inChannels: Int = 1, widths: [Int] = [16, 32, 64], blocksPerStage: Int = 1,
                classes: Int = 10, seed: UInt64 = 0) {
        precondition(!widths.isEmpty && widths.allSatisfy { $0 > 0 },
                     "ResidualNet: widths must be positive and not empty, got \(widths)")
        precondition(inChannels > 0 && blocksPerStage >= 1 && classes >= 2,
                     "ResidualNet: needs inChannels ≥ 1, blocksPerStage ≥ 1 and classes ≥ 2, got \(inChannels), \(blocksPerStage), \(classes)")
        self.inChannels = inChannels
        conv1 = Conv2d(inChannels, widths[0], kernelSize: 3, padding: 1, bias: false, seed: seed)
        bn1 = BatchNorm2d(widths[0])
        var stages: [Sequential] = []
        var channels = widths[0]
        var blockSeed = seed &+ 100
        for (index, width) in widths.enumerated() {
            var blocks: [any Layer] = []
            for b in 0..<blocksPerStage {
                let stride = index > 0 && b == 0 ? 2 : 1
                blocks.append(ResidualBlock(channels, width, stride: stride, seed: blockSeed))
                channels = width
                blockSeed &+= 10
            }
            stages.append(Sequential(blocks))
        }
        self.stages = stages
        fc = Linear(channels, classes, seed: seed &+ 1)
    }

    public var localParameters: [(String, Variable)] { [] }
    public var children: [(String, any Module)] {
        [("conv1", conv1), ("bn1", bn1)]
            + stages.enumerated().map { ("layer\($0.offset + 1)", $0.element as any Module) }
            + [("fc", fc)]
    }

    /// Logits (N, classes) for images (N, inChannels, H, W), or (N, H, W) when inChannels is 1.
    public func callAsFunction(_ input: Variable) -> Variable {
        precondition((input.rank == 4 && input.shape[1] == inChannels) || (input.rank == 3 && inChannels == 1),
                     "ResidualNet: input has shape \(input.shape), expected [N, \(inChannels), H, W]"
                        + (inChannels == 1 ? " or [N, H, W]" : ""))
        let x = input.rank == 3 ? input.reshaped([input.shape[0], 1, input.shape[1], input.shape[2]]) : input
        var h = bn1(conv1(x)).relu()                             // (N, C, H, W) → (N, w₁, H, W)
        for stage in stages { h = stage(h) }                     // → (N, w_last, H', W')
        let pooled = h.mean(axis: 3).mean(axis: 2)               // global average pool → (N, w_last)
        return fc(pooled)                                        // → (N, classes)
    }
}
