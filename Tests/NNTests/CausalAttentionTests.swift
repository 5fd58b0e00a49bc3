// The fused causal attention node (NN/CausalAttentionOp.swift) against the
// step-by-step composite (MultiheadAttention.attention): the same outputs and
// gradients, over head sizes on the SIMD path and its scalar tail and a size
// that splits the heads across cores; a finite-difference check; and the mask:
// what happens at t + 1 never reaches the outputs at t or before.
import Testing
import Autograd
import NN
import Tensor

@Suite("Fused causal attention")
struct CausalAttentionTests {
    @Test("Fused forward and backward equal the composite ops",
          arguments: [(2, 5, 8, 2), (1, 7, 32, 2), (3, 4, 20, 4), (12, 64, 128, 4)])
    func matchesComposite(batch: Int, steps: Int, channels: Int, heads: Int) {
        let qkv = Variable(Tensor.normal([batch, steps, 3 * channels], seed: 70), requiresGrad: true)
        let weights = Variable(Tensor.normal([batch, steps, channels], seed: 71))
        func run(_ attention: (Variable) -> Variable) -> (value: [Float], grad: [Float]) {
            qkv.zeroGrad()
            let y = attention(qkv)
            (y * weights).sum().backward()
            return (y.value.scalars, qkv.grad!.scalars)
        }
        let fused = run { Variable.causalAttention(packedQKV: $0, headCount: heads) }
        let composite = run { MultiheadAttention.attention(packedQKV: $0, headCount: heads, causal: true) }
        let label = "B \(batch) T \(steps) C \(channels) heads \(heads)"
        expectClose(fused.value, composite.value, tolerance: 1e-5, "output, \(label)")
        expectClose(fused.grad, composite.grad, tolerance: 1e-4, "∂L/∂qkv, \(label)")
    }

    @Test("causalAttention passes a finite-difference gradient check")
    func gradientCheck() {
        expectGradientsMatch("causalAttention", [Tensor.normal([2, 4, 3 * 6], seed: 72)]) { v in
            Variable.causalAttention(packedQKV: v[0], headCount: 2) * Variable(Tensor.normal([2, 4, 6], seed: 73))
        }
    }

    @Test("Changing position t + 1 leaves every output at positions ≤ t unchanged")
    func causalMask() {
        let (steps, channels) = (6, 8)
        let base = Tensor.normal([1, steps, 3 * channels], seed: 74)
        let before = Variable.causalAttention(packedQKV: Variable(base), headCount: 2).value.scalars
        for t in 0..<(steps - 1) {
            var changed = base
            changed.withUnsafeMutableBufferPointer { p in
                for j in 0..<(3 * channels) { p[(t + 1) * 3 * channels + j] += 5 }
            }
            let after = Variable.causalAttention(packedQKV: Variable(changed), headCount: 2).value.scalars
            #expect(Array(after[..<((t + 1) * channels)]) == Array(before[..<((t + 1) * channels)]), "changed t = \(t + 1)")
            #expect(after[((t + 1) * channels)...] != before[((t + 1) * channels)...], "position t + 1 = \(t + 1) must change")
        }
    }

    @Test("The causal layer (fused) equals the same layer run through the composite")
    func layerUsesFused() {
        let layer = MultiheadAttention(embedDimension: 16, headCount: 4, seed: 75)
        let x = Variable(Tensor.normal([2, 5, 16], seed: 76))
        let qkv = x.matmul(layer.inputProjectionWeight, transposeOther: true) + layer.inputProjectionBias
        let composite = layer.outputProjection(MultiheadAttention.attention(packedQKV: qkv, headCount: 4, causal: true))
        expectClose(layer(x).value.scalars, composite.value.scalars, tolerance: 1e-5, "layer output")
    }
}
