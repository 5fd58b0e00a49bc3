// Optimizer: what every update rule shares.
//
// Training repeats: compute the loss, `loss.backward()` to fill each
// parameter's `grad`, `optimizer.step()` to move each parameter θ against its
// gradient g, `optimizer.zeroGrad()` before the next batch (gradients
// accumulate until zeroed, as in PyTorch). The plain rule is θ ← θ − γ·g with
// learning rate γ; SGD with momentum, RMSProp, Adam and AdamW each add some
// running state per parameter (a velocity, a running mean of g²), kept here in
// arrays indexed like `parameters`.
//
// The updates are elementwise over each parameter tensor. Each optimizer runs
// one fused loop per parameter that reads θ, g and its state once and writes
// them back, instead of a chain of Tensor operations that would make a
// temporary tensor and a pass over memory per operation. The loop body is the
// update rule written once on SIMD16<Float> blocks of 16 elements (the last
// block of a tensor is padded with zeros and only its real lanes are stored),
// so the compiler emits AVX-512 for the square roots and divisions that it
// would otherwise leave scalar. Large parameters are split across cores.

import Autograd
import Tensor

/// An update rule for a list of parameters (PyTorch's `torch.optim.Optimizer`).
public protocol Optimizer: AnyObject {
    /// The parameters this optimizer updates, in a fixed order.
    var parameters: [Variable] { get }
    /// The learning rate γ used by the next `step()`; a schedule sets it before each step.
    var learningRate: Float { get set }
    /// Updates each parameter's `value` in place from its `grad`, without recording a graph.
    /// Parameters whose `grad` is nil are left alone, and so is their state.
    func step()
}

extension Optimizer {
    /// Forgets the gradient of every parameter (call before the next `backward()`).
    public func zeroGrad() {
        for parameter in parameters { parameter.zeroGrad() }
    }
}

/// Shared plumbing of the concrete optimizers.
enum OptimizerSupport {
    /// Elements per core below which an update stays on one core. Adam's update costs a square
    /// root and two divisions per element (about 25 µs for 32 768 on one AVX2 core), so a layer of
    /// 784×256 weights is worth splitting; waking the second core costs a few microseconds.
    static let minimumPerThread = 32_768

    /// Calls `body(start, lanes)` for each block of up to 16 elements of `range`.
    @inline(__always)
    static func forEachBlock(_ range: Range<Int>, _ body: (Int, Int) -> Void) {
        var start = range.lowerBound
        while start < range.upperBound {
            let lanes = Swift.min(16, range.upperBound - start)
            body(start, lanes)
            start += 16
        }
    }

    /// The gradient of `parameter`, checked against its shape; nil if it has none.
    static func gradient(of parameter: Variable, optimizer: String) -> Tensor? {
        guard let grad = parameter.grad else { return nil }
        precondition(grad.shape == parameter.value.shape,
                     "\(optimizer).step: gradient shape \(grad.shape) differs from parameter shape \(parameter.value.shape)\(parameter.name.map { " (\($0))" } ?? "")")
        return grad
    }

    /// Calls `body` with a pointer to the tensor's elements, or with nil when there is no tensor.
    static func withOptionalMutablePointer<R>(_ tensor: inout Tensor?,
                                              _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
        if tensor == nil { return body(nil) }
        return tensor!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// Checks that every parameter is a trainable leaf and that the list has no duplicates.
    static func validate(_ parameters: [Variable], optimizer: String) {
        var seen = Set<ObjectIdentifier>()
        for (index, parameter) in parameters.enumerated() {
            precondition(parameter.requiresGrad,
                         "\(optimizer): parameter \(index)\(parameter.name.map { " (\($0))" } ?? "") does not require gradients")
            precondition(seen.insert(ObjectIdentifier(parameter)).inserted,
                         "\(optimizer): parameter \(index)\(parameter.name.map { " (\($0))" } ?? "") appears twice")
        }
    }
}

extension UnsafePointer<Float> {
    /// Elements start ..< start + lanes in a SIMD16, the lanes past `lanes` set to zero.
    @inline(__always)
    func block(at start: Int, lanes: Int) -> SIMD16<Float> {
        if lanes == 16 { return UnsafeRawPointer(self + start).loadUnaligned(as: SIMD16<Float>.self) }
        var v = SIMD16<Float>(repeating: 0)
        for lane in 0..<lanes { v[lane] = self[start + lane] }
        return v
    }
}

extension UnsafeMutablePointer<Float> {
    /// Elements start ..< start + lanes in a SIMD16, the lanes past `lanes` set to zero.
    @inline(__always)
    func block(at start: Int, lanes: Int) -> SIMD16<Float> {
        UnsafePointer(self).block(at: start, lanes: lanes)
    }

    /// Writes the first `lanes` lanes of `v` to elements start ..< start + lanes.
    @inline(__always)
    func storeBlock(_ v: SIMD16<Float>, at start: Int, lanes: Int) {
        if lanes == 16 {
            UnsafeMutableRawPointer(self + start).storeBytes(of: v, as: SIMD16<Float>.self)
            return
        }
        for lane in 0..<lanes { self[start + lane] = v[lane] }
    }
}
