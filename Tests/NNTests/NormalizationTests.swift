// LayerNorm and BatchNorm: worked examples, running statistics against a Double computation, gradients.
import Testing
import NN
import Autograd
import Tensor

@Suite struct NormalizationTests {
    @Test func layerNormWorkedExample() {
        // [1, 2, 3]: μ = 2, σ² = 2/3, (x − μ)/√σ² = [−1.2247, 0, 1.2247].
        let norm = LayerNorm(3)
        expectClose(norm(Variable(Tensor([1, 2, 3]))).value.scalars, [-1.2247449, 0, 1.2247449], tolerance: 1e-4, "LayerNorm")
        norm.weight.value = Tensor([2, 1, 1])
        norm.bias!.value = Tensor([0, 1, 0])
        let y = norm(Variable(Tensor([[1, 2, 3], [10, 10, 10]])))
        // The second row has zero variance: (x − μ) = 0, so only β remains.
        expectClose(y.value.scalars, [-2.4494898, 1, 1.2247449, 0, 1, 0], tolerance: 1e-4, "LayerNorm affine")
        #expect(norm.namedParameters.map(\.0) == ["weight", "bias"])
    }

    @Test func layerNormGradients() {
        // Step 1e-2; input, γ and β are all gradcheck inputs.
        let norm = LayerNorm(5)
        expectGradientsMatch("LayerNorm", [Tensor.normal([2, 3, 5], seed: 1),
                                           Tensor.normal([5], mean: 1, std: 0.3, seed: 2),
                                           Tensor.normal([5], seed: 3)]) { v in
            norm.weight = v[1]
            norm.bias = v[2]
            return norm(v[0])
        }
    }

    /// Per-channel mean and unbiased variance of an (N, C) batch, in Double.
    func channelStatistics(_ x: Tensor) -> (mean: [Double], unbiasedVariance: [Double]) {
        let n = x.shape[0], c = x.shape[1], s = x.scalars
        var means = [Double](), variances = [Double]()
        for j in 0..<c {
            let column = (0..<n).map { Double(s[$0 * c + j]) }
            let mean = column.reduce(0, +) / Double(n)
            means.append(mean)
            variances.append(column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1))
        }
        return (means, variances)
    }

    @Test func batchNormRunningStatisticsAfterTwoBatches() {
        let norm = BatchNorm1d(3)
        let first = Tensor.normal([8, 3], mean: 2, std: 3, seed: 4)
        let second = Tensor.normal([8, 3], mean: -1, std: 0.5, seed: 5)
        _ = norm(Variable(first))
        _ = norm(Variable(second))
        let a = channelStatistics(first), b = channelStatistics(second)
        let expectedMean = (0..<3).map { Float(0.9 * (0.1 * a.mean[$0]) + 0.1 * b.mean[$0]) }
        let expectedVar = (0..<3).map { Float(0.9 * (0.9 * 1 + 0.1 * a.unbiasedVariance[$0]) + 0.1 * b.unbiasedVariance[$0]) }
        expectClose(norm.runningMean.scalars, expectedMean, tolerance: 1e-5, "running_mean")
        expectClose(norm.runningVar.scalars, expectedVar, tolerance: 1e-4, "running_var")
        #expect(norm.batchesTracked == 2)
        #expect(norm.namedBuffers.map(\.0) == ["running_mean", "running_var", "num_batches_tracked"])

        // Evaluation uses the running statistics and leaves them alone.
        norm.eval()
        let x = Tensor([[1, 2, 3]])
        let y = norm(Variable(x)).value.scalars
        let expected = (0..<3).map { (x.scalars[$0] - expectedMean[$0]) / (expectedVar[$0] + 1e-5).squareRoot() }
        expectClose(y, expected, tolerance: 1e-4, "BatchNorm1d eval")
        #expect(norm.batchesTracked == 2)
    }

    @Test func batchNormTrainingNormalisesEachChannel() {
        // Training output: each channel has mean 0 and biased variance σ²/(σ² + ε) ≈ 1.
        let norm = BatchNorm2d(2)
        let y = norm(Variable(Tensor.normal([4, 2, 3, 3], mean: 5, std: 2, seed: 6))).value
        for c in 0..<2 {
            let channel = (0..<4).flatMap { n in (0..<9).map { y.scalars[(n * 2 + c) * 9 + $0] } }
            let stats = meanAndStd(channel)
            #expect(abs(stats.mean) < 1e-5 && abs(stats.std - 1) < 1e-3)
        }
        #expect(norm.runningMean.shape == [2] && norm.batchesTracked == 1)
    }

    @Test func batchNormGradientsInTrainingMode() {
        // Step 1e-2; the gradient flows through the batch mean and variance.
        let norm1d = BatchNorm1d(3)
        expectGradientsMatch("BatchNorm1d (N, C)", [Tensor.normal([6, 3], seed: 7),
                                                    Tensor.normal([3], mean: 1, std: 0.3, seed: 8),
                                                    Tensor.normal([3], seed: 9)]) { v in
            norm1d.weight = v[1]
            norm1d.bias = v[2]
            return norm1d(v[0])
        }
        expectGradientsMatch("BatchNorm1d (N, C, L)", [Tensor.normal([3, 2, 4], seed: 10)]) { v in BatchNorm1d(2)(v[0]) }
        let norm2d = BatchNorm2d(2)
        expectGradientsMatch("BatchNorm2d", [Tensor.normal([2, 2, 3, 3], seed: 11),
                                             Tensor.normal([2], mean: 1, std: 0.3, seed: 12)]) { v in
            norm2d.weight = v[1]
            return norm2d(v[0])
        }
        // In evaluation mode it is an affine map per channel.
        norm2d.eval()
        expectGradientsMatch("BatchNorm2d eval", [Tensor.normal([2, 2, 2, 2], seed: 13)]) { v in norm2d(v[0]) }
    }
}

@Suite("Fused LayerNorm")
struct FusedLayerNormTests {
    @Test("The fused node equals the composite ops, with and without bias", arguments: [true, false])
    func matchesComposite(bias: Bool) {
        let norm = LayerNorm(37, bias: bias)
        norm.weight.value = Tensor.normal([37], mean: 1, std: 0.3, seed: 80)
        if bias { norm.bias!.value = Tensor.normal([37], seed: 81) }
        let x = Variable(Tensor.normal([3, 5, 37], mean: 2, std: 3, seed: 82), requiresGrad: true)
        let weights = Variable(Tensor.normal([3, 5, 37], seed: 83))
        func run(_ f: (Variable) -> Variable) -> [[Float]] {
            norm.zeroGrad(); x.zeroGrad()
            let y = f(x)
            (y * weights).sum().backward()
            return [y.value.scalars, x.grad!.scalars] + norm.parameters.map { $0.grad!.scalars }
        }
        let fused = run { norm($0) }, composite = run { norm.composite($0) }
        for (k, name) in ["output", "∂x", "∂γ", "∂β"].prefix(fused.count).enumerated() {
            expectClose(fused[k], composite[k], tolerance: 1e-4, "\(name) (bias \(bias))")
        }
    }
}
