// BatchNorm: normalises each channel over the batch (Ioffe & Szegedy 2015, alg. 1).
//
// For channel c, over the m numbers of that channel in the batch (every axis but 1):
//   training:   μ_c = mean(x_c),  σ²_c = mean((x_c − μ_c)²)       (biased, used to normalise)
//               y = (x − μ_c) / √(σ²_c + ε) · γ_c + β_c
//               running_mean ← (1 − momentum) · running_mean + momentum · μ_c
//               running_var  ← (1 − momentum) · running_var  + momentum · σ²_c · m / (m − 1)
//               num_batches_tracked ← num_batches_tracked + 1
//               (the running variance uses the UNBIASED estimate, as PyTorch does)
//   evaluation: y = (x − running_mean) / √(running_var + ε) · γ + β
// In training the gradient flows through μ and σ² too (composed from Autograd ops).
// BatchNorm1d takes (N, C) or (N, C, L); BatchNorm2d takes (N, C, H, W).
// PyTorch equivalents: torch.nn.BatchNorm1d(C), torch.nn.BatchNorm2d(C)
// (momentum 0.1, eps 1e-5, affine, track_running_stats). PyTorch stores
// num_batches_tracked as int64; here it is a Float scalar.

import Autograd
import Tensor

/// The state and computation shared by BatchNorm1d and BatchNorm2d.
struct BatchNormCore {
    let name: String
    let channels: Int
    let epsilon: Float
    let momentum: Float
    var weight: Variable
    var bias: Variable
    var runningMean: Tensor
    var runningVar: Tensor
    var batchesTracked: Tensor

    init(name: String, channels: Int, epsilon: Float, momentum: Float) {
        precondition(channels > 0, "\(name): channel count must be positive")
        self.name = name
        self.channels = channels
        self.epsilon = epsilon
        self.momentum = momentum
        weight = Variable(Tensor.ones([channels]), requiresGrad: true, name: "weight")
        bias = Variable(Tensor.zeros([channels]), requiresGrad: true, name: "bias")
        runningMean = Tensor.zeros([channels])
        runningVar = Tensor.ones([channels])
        batchesTracked = Tensor(0)
    }

    var buffers: [(String, Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", batchesTracked)]
    }

    mutating func setBuffer(_ bufferName: String, _ value: Tensor) {
        let expected = bufferName == "num_batches_tracked" ? [] : [channels]
        precondition(value.shape == expected,
                     "\(name).setBuffer: '\(bufferName)' has shape \(value.shape), expected \(expected)")
        switch bufferName {
        case "running_mean": runningMean = value
        case "running_var": runningVar = value
        case "num_batches_tracked": batchesTracked = value
        default: preconditionFailure("\(name) has no buffer named '\(bufferName)'")
        }
    }

    /// Normalises `input` of rank in `ranks`, channels on axis 1.
    mutating func forward(_ input: Variable, ranks: Set<Int>, training: Bool) -> Variable {
        precondition(ranks.contains(input.rank) && input.shape[1] == channels,
                     "\(name): input has shape \(input.shape), expected rank \(ranks.sorted()) with \(channels) channels on axis 1")
        // Per-channel tensors are shaped (1, C, 1, …) to broadcast against (N, C, …).
        var channelShape = [Int](repeating: 1, count: input.rank)
        channelShape[1] = channels
        let gamma = weight.reshaped(channelShape), beta = bias.reshaped(channelShape)
        guard training else {
            let mean = Variable(runningMean.reshaped(channelShape))
            let std = Variable((runningVar + epsilon).sqrt().reshaped(channelShape))
            return (input - mean) / std * gamma + beta
        }
        let reducedAxes = (0..<input.rank).filter { $0 != 1 }
        let m = input.value.count / channels
        precondition(m > 1, "\(name): training needs more than one value per channel, input has shape \(input.shape)")
        // Mean over every axis but 1 (a mean of equal-sized means is the mean).
        func channelMean(_ x: Variable) -> Variable {
            reducedAxes.reduce(x) { $0.mean(axis: $1, keepDims: true) }         // (N, C, …) → (1, C, 1, …)
        }
        let mean = channelMean(input)
        let centered = input - mean
        let variance = channelMean(centered.squared())                          // biased
        let output = centered / (variance + epsilon).sqrt() * gamma + beta

        // Running statistics: constants, outside the graph.
        let batchMean = mean.value.reshaped([channels])
        let unbiased = variance.value.reshaped([channels]) * (Float(m) / Float(m - 1))
        runningMean = runningMean * (1 - momentum) + batchMean * momentum
        runningVar = runningVar * (1 - momentum) + unbiased * momentum
        batchesTracked = batchesTracked + 1
        return output
    }
}

/// Batch normalization of (N, C) or (N, C, L) inputs, per channel C.
public final class BatchNorm1d: Layer {
    var core: BatchNormCore
    public var isTraining = true

    /// Batch normalization of `features` channels (ε = 1e-5, momentum 0.1 as in PyTorch).
    public init(_ features: Int, epsilon: Float = 1e-5, momentum: Float = 0.1) {
        core = BatchNormCore(name: "BatchNorm1d(\(features))", channels: features, epsilon: epsilon, momentum: momentum)
    }

    /// γ, shape [features], initially 1.
    public var weight: Variable {
        get { core.weight }
        set { core.weight = newValue }
    }
    /// β, shape [features], initially 0.
    public var bias: Variable {
        get { core.bias }
        set { core.bias = newValue }
    }
    /// The running mean and (unbiased) variance used in evaluation mode.
    public var runningMean: Tensor { core.runningMean }
    public var runningVar: Tensor { core.runningVar }
    /// How many training batches have updated the running statistics.
    public var batchesTracked: Int { Int(core.batchesTracked.scalars[0]) }

    public var localParameters: [(String, Variable)] { [("weight", core.weight), ("bias", core.bias)] }
    public var localBuffers: [(String, Tensor)] { core.buffers }
    public func setBuffer(_ name: String, _ value: Tensor) { core.setBuffer(name, value) }

    public func callAsFunction(_ input: Variable) -> Variable {
        core.forward(input, ranks: [2, 3], training: isTraining)
    }
}

/// Batch normalization of (N, C, H, W) inputs, per channel C.
public final class BatchNorm2d: Layer {
    var core: BatchNormCore
    public var isTraining = true

    /// Batch normalization of `channels` channels (ε = 1e-5, momentum 0.1 as in PyTorch).
    public init(_ channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1) {
        core = BatchNormCore(name: "BatchNorm2d(\(channels))", channels: channels, epsilon: epsilon, momentum: momentum)
    }

    /// γ, shape [channels], initially 1.
    public var weight: Variable {
        get { core.weight }
        set { core.weight = newValue }
    }
    /// β, shape [channels], initially 0.
    public var bias: Variable {
        get { core.bias }
        set { core.bias = newValue }
    }
    /// The running mean and (unbiased) variance used in evaluation mode.
    public var runningMean: Tensor { core.runningMean }
    public var runningVar: Tensor { core.runningVar }
    /// How many training batches have updated the running statistics.
    public var batchesTracked: Int { Int(core.batchesTracked.scalars[0]) }

    public var localParameters: [(String, Variable)] { [("weight", core.weight), ("bias", core.bias)] }
    public var localBuffers: [(String, Tensor)] { core.buffers }
    public func setBuffer(_ name: String, _ value: Tensor) { core.setBuffer(name, value) }

    public func callAsFunction(_ input: Variable) -> Variable {
        core.forward(input, ranks: [4], training: isTraining)
    }
}
