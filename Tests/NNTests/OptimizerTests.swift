import Foundation
import Testing
@testable import NN
import Autograd
import Tensor

// MARK: - A Double reference of the same update rules, written out plainly

/// One optimizer setting, run both by NN and by `ReferenceOptimizer`.
enum OptimizerSetting: CaseIterable, Sendable {
    case sgd, sgdMomentum, sgdNesterov, rmsprop, rmspropCenteredMomentum, adam, adamL2, adamW

    func make(_ parameters: [Variable]) -> any Optimizer {
        switch self {
        case .sgd: SGD(parameters, learningRate: 0.1)
        case .sgdMomentum: SGD(parameters, learningRate: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)
        case .sgdNesterov: SGD(parameters, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.05)
        case .rmsprop: RMSProp(parameters, learningRate: 0.01)
        case .rmspropCenteredMomentum:
            RMSProp(parameters, learningRate: 0.01, alpha: 0.9, momentum: 0.5, centered: true, weightDecay: 0.1)
        case .adam: Adam(parameters, learningRate: 0.1)
        case .adamL2: Adam(parameters, learningRate: 0.1, beta1: 0.8, beta2: 0.99, weightDecay: 0.1)
        case .adamW: AdamW(parameters, learningRate: 0.1, weightDecay: 0.1)
        }
    }
}

/// The textbook formulas of each optimizer's header comment, in Double, one coordinate at a time.
struct ReferenceOptimizer {
    let setting: OptimizerSetting
    var state: [[Double]] = [], state2: [[Double]] = [], state3: [[Double]] = []
    var steps: [Int] = []

    init(_ setting: OptimizerSetting, shapes: [Int]) {
        self.setting = setting
        state = shapes.map { Array(repeating: 0, count: $0) }
        state2 = state
        state3 = state
        steps = Array(repeating: 0, count: shapes.count)
    }

    mutating func step(_ theta: inout [[Double]], _ grads: [[Double]]) {
        for p in theta.indices {
            steps[p] += 1
            let t = Double(steps[p])
            for i in theta[p].indices {
                var g = grads[p][i]
                switch setting {
                case .sgd:
                    theta[p][i] -= 0.1 * g
                case .sgdMomentum, .sgdNesterov:
                    let (lr, mu, damp, wd) = setting == .sgdMomentum ? (0.05, 0.9, 0.1, 0.01) : (0.05, 0.9, 0.0, 0.05)
                    g += wd * theta[p][i]
                    state[p][i] = t == 1 ? g : mu * state[p][i] + (1 - damp) * g
                    let d = setting == .sgdNesterov ? g + mu * state[p][i] : state[p][i]
                    theta[p][i] -= lr * d
                case .rmsprop:
                    state[p][i] = 0.99 * state[p][i] + 0.01 * g * g
                    theta[p][i] -= 0.01 * g / (state[p][i].squareRoot() + 1e-8)
                case .rmspropCenteredMomentum:
                    let (lr, alpha, mu, wd) = (0.01, 0.9, 0.5, 0.1)
                    g += wd * theta[p][i]
                    state[p][i] = alpha * state[p][i] + (1 - alpha) * g * g
                    state2[p][i] = alpha * state2[p][i] + (1 - alpha) * g
                    let variance = state[p][i] - state2[p][i] * state2[p][i]
                    state3[p][i] = mu * state3[p][i] + g / (variance.squareRoot() + 1e-8)
                    theta[p][i] -= lr * state3[p][i]
                case .adam, .adamL2, .adamW:
                    let (lr, b1, b2) = setting == .adamL2 ? (0.1, 0.8, 0.99) : (0.1, 0.9, 0.999)
                    if setting == .adamL2 { g += 0.1 * theta[p][i] }
                    if setting == .adamW { theta[p][i] *= 1 - lr * 0.1 }
                    state[p][i] = b1 * state[p][i] + (1 - b1) * g
                    state2[p][i] = b2 * state2[p][i] + (1 - b2) * g * g
                    let mHat = state[p][i] / (1 - pow(b1, t)), vHat = state2[p][i] / (1 - pow(b2, t))
                    theta[p][i] -= lr * mHat / (vHat.squareRoot() + 1e-8)   // PyTorch's grouping is the same number
                }
            }
        }
    }
}

/// A trainable leaf holding `scalars` (shape [count]).
private func parameter(_ scalars: [Float]) -> Variable {
    Variable(Tensor(scalars), requiresGrad: true)
}

private func worstRelativeError(_ actual: [Float], _ expected: [Double]) -> Double {
    zip(actual, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
}

@Suite struct OptimizerTests {
    // MARK: Hand-computed single steps

    @Test func sgdStepIsLearningRateTimesGradient() {
        let p = parameter([1, 2])
        let sgd = SGD([p], learningRate: 0.1)
        p.grad = Tensor([0.5, -1])
        sgd.step()
        #expect(p.value.scalars == [0.95, 2.1])
        p.grad = nil
        sgd.step()                                  // no gradient: left alone
        #expect(p.value.scalars == [0.95, 2.1])
    }

    @Test func momentumBufferStartsAtTheGradientThenAccumulates() {
        let p = parameter([0])
        let sgd = SGD([p], learningRate: 1, momentum: 0.9, dampening: 0.5)
        p.grad = Tensor([1])
        sgd.step()                                  // b = g = 1
        #expect(abs(p.value.scalars[0] - -1) < 1e-6)
        sgd.step()                                  // b = 0.9·1 + 0.5·1 = 1.4
        #expect(abs(p.value.scalars[0] - -2.4) < 1e-6)
    }

    @Test func nesterovLooksAhead() {
        let p = parameter([0])
        let sgd = SGD([p], learningRate: 1, momentum: 0.9, nesterov: true)
        p.grad = Tensor([1])
        sgd.step()                                  // b = 1, step g + μb = 1.9
        #expect(abs(p.value.scalars[0] - -1.9) < 1e-6)
        sgd.step()                                  // b = 1.9, step 1 + 0.9·1.9 = 2.71
        #expect(abs(p.value.scalars[0] - -4.61) < 1e-5)
    }

    @Test func sgdWeightDecayAddsLambdaTheta() {
        let p = parameter([2])
        let sgd = SGD([p], learningRate: 0.5, weightDecay: 0.1)
        p.grad = Tensor([0])
        sgd.step()                                  // 2 − 0.5·(0 + 0.1·2) = 1.9
        #expect(abs(p.value.scalars[0] - 1.9) < 1e-6)
    }

    @Test func adamFirstStepIsLearningRateTimesSignOfGradient() {
        let p = parameter([1, 1, 1, 1])
        let adam = Adam([p], learningRate: 0.01)
        p.grad = Tensor([1e-3, -5, 300, -0.2])
        adam.step()
        let moved = p.value.scalars.map { $0 - 1 }
        for (step, expected) in zip(moved, [Float(-0.01), 0.01, -0.01, 0.01]) {
            #expect(abs(step - expected) < 1e-6, "Adam's first step \(step), expected \(expected)")
        }
    }

    @Test func rmspropFirstStepIsTenTimesLearningRate() {
        // v = 0.01·g², so g/√v = sign(g)/0.1.
        let p = parameter([0, 0])
        let rms = RMSProp([p], learningRate: 0.01)
        p.grad = Tensor([4, -0.5])
        rms.step()
        #expect(abs(p.value.scalars[0] - -0.1) < 1e-6)
        #expect(abs(p.value.scalars[1] - 0.1) < 1e-6)
    }

    @Test func adamWDecaysBeforeTheAdamStep() {
        let p = parameter([2])
        let adamW = AdamW([p], learningRate: 0.1, weightDecay: 0.5)
        p.grad = Tensor([3])
        adamW.step()                                // 2·(1 − 0.05) − 0.1·sign(3) = 1.8
        #expect(abs(p.value.scalars[0] - 1.8) < 1e-6)
        // Adam's L2 decay instead goes through the normalisation: g + λθ = 4 > 0, one step of −0.1.
        let q = parameter([2])
        let adam = Adam([q], learningRate: 0.1, weightDecay: 0.5)
        q.grad = Tensor([3])
        adam.step()
        #expect(abs(q.value.scalars[0] - 1.9) < 1e-6)
    }

    @Test func zeroGradClearsEveryGradient() {
        let a = parameter([1]), b = parameter([2])
        let adam = Adam([a, b])
        (a * b).sum().backward()
        #expect(a.grad != nil && b.grad != nil)
        adam.zeroGrad()
        #expect(a.grad == nil && b.grad == nil)
    }

    @Test func stateAdvancesOnlyForParametersWithGradients() {
        // b has no gradient on the first step, so its own Adam step count starts later, as in PyTorch.
        let a = parameter([0]), b = parameter([0])
        let adam = Adam([a, b], learningRate: 0.1)
        a.grad = Tensor([1])
        adam.step()
        #expect(b.value.scalars == [0])
        b.grad = Tensor([2])
        adam.step()
        #expect(abs(b.value.scalars[0] - -0.1) < 1e-6, "b's first step must be bias-corrected as t = 1")
    }

    // MARK: Several steps against the Double reference

    @Test(arguments: OptimizerSetting.allCases)
    func matchesTheDoubleReference(_ setting: OptimizerSetting) {
        // Two parameters: one shorter than a SIMD block, and one split across two cores with a partial last block.
        let sizes = [5, 300_007]
        var rng = RandomGenerator(seed: 7)
        var theta = sizes.map { n in (0..<n).map { _ in rng.normal() } }
        let parameters = theta.map { Variable(Tensor($0.map { Float($0) }), requiresGrad: true) }
        // Start the reference from the Float-rounded values the optimizer sees.
        theta = parameters.map { $0.value.scalars.map(Double.init) }
        let optimizer = setting.make(parameters)
        var reference = ReferenceOptimizer(setting, shapes: sizes)
        for _ in 0..<10 {
            let grads = sizes.map { n in (0..<n).map { _ in Double(Float(rng.normal())) } }
            for (p, g) in zip(parameters, grads) { p.grad = Tensor(g.map { Float($0) }) }
            optimizer.step()
            reference.step(&theta, grads)
        }
        for (p, expected) in zip(parameters, theta) {
            let error = worstRelativeError(p.value.scalars, expected)
            #expect(error < 2e-5, "\(setting): worst relative error \(error) against the Double reference")
        }
    }

    // MARK: PyTorch parity

    /// Weights after five steps on the regression of `pytorchProblem`, printed by
    /// Tests/Fixtures/optimizer_reference.py with torch 2.13.0 (CPU): w (3 values), then b.
    static let pytorchReference: [OptimizerSetting: [Double]] = [
        .sgd: [-0.477717727, 0.0977356359, 0.449566424, 0.233883828],
        .sgdMomentum: [-0.858893454, 0.253734082, 0.570966423, 0.336894304],
        .sgdNesterov: [-0.782624066, 0.277433336, 0.503305733, 0.333700776],
        .rmsprop: [-0.179694727, 0.0957559943, 0.483672172, 0.244377643],
        .rmspropCenteredMomentum: [-0.0909172148, -0.00372247398, 0.459308624, 0.214489698],
        .adam: [-0.373188376, 0.288758099, 0.59725225, 0.37141794],
        .adamL2: [-0.36118564, 0.279615819, 0.55436343, 0.339276761],
        .adamW: [-0.368504405, 0.288131624, 0.586360633, 0.368693024],
    ]

    @Test(arguments: OptimizerSetting.allCases)
    func matchesPyTorchOnATinyRegression(_ setting: OptimizerSetting) throws {
        let x = Variable(Tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-2.0, 1.0, 0.75], [0.0, -0.5, 1.25]]))
        let y = Variable(Tensor([[1.0], [-0.5], [2.0], [0.25]]))
        let w = Variable(Tensor([[0.1], [-0.2], [0.3]]), requiresGrad: true)
        let b = Variable(Tensor([0.05]), requiresGrad: true)
        let optimizer = setting.make([w, b])
        for _ in 0..<5 {
            optimizer.zeroGrad()
            let loss = (x.matmul(w) + b - y).squared().mean()
            loss.backward()
            optimizer.step()
        }
        let expected = try #require(Self.pytorchReference[setting])
        let error = worstRelativeError(w.value.scalars + b.value.scalars, expected)
        #expect(error < 1e-5, "\(setting): worst relative error \(error) against PyTorch")
    }

    // MARK: Convergence

    /// Fits y = 3x + 2 on 32 points in [−1, 1] with each optimizer: mean squared error below 1e-6 in the stated steps.
    @Test(arguments: [
        ("SGD", 300), ("SGD momentum", 200), ("SGD Nesterov", 200), ("RMSProp", 600), ("Adam", 400), ("AdamW", 400),
    ])
    func fitsALine(_ name: String, _ steps: Int) {
        let xs = (0..<32).map { Float($0) / 15.5 - 1 }
        let x = Variable(Tensor(shape: [32, 1], scalars: xs))
        let y = Variable(Tensor(shape: [32, 1], scalars: xs.map { 3 * $0 + 2 }))
        let w = Variable(Tensor([[0]]), requiresGrad: true)
        let b = Variable(Tensor([0]), requiresGrad: true)
        let optimizer: any Optimizer = switch name {
        case "SGD": SGD([w, b], learningRate: 0.3)
        case "SGD momentum": SGD([w, b], learningRate: 0.1, momentum: 0.9)
        case "SGD Nesterov": SGD([w, b], learningRate: 0.1, momentum: 0.9, nesterov: true)
        case "RMSProp": RMSProp([w, b], learningRate: 0.01)
        case "Adam": Adam([w, b], learningRate: 0.1)
        default: AdamW([w, b], learningRate: 0.1, weightDecay: 0)
        }
        // RMSProp's steps stay about γ long however small the gradient gets (it divides by
        // the gradient's own scale), so it only settles when the rate is annealed.
        let schedule: (any LearningRateSchedule)? =
            name == "RMSProp" ? CosineAnnealing(baseLearningRate: 0.05, totalSteps: steps) : nil
        var loss: Float = .infinity
        for t in 0..<steps {
            schedule?.apply(to: optimizer, atStep: t)
            optimizer.zeroGrad()
            let l = (x.matmul(w) + b - y).squared().mean()
            loss = l.value.item
            l.backward()
            optimizer.step()
        }
        #expect(loss < 1e-6, "\(name): loss \(loss) after \(steps) steps")
        #expect(abs(w.value.item - 3) < 1e-3 && abs(b.value.item - 2) < 1e-3,
                "\(name): w = \(w.value.item), b = \(b.value.item)")
    }

    // MARK: Schedules

    @Test func stepLRDividesEveryStepSize() {
        let schedule = StepLR(baseLearningRate: 0.1, stepSize: 30, gamma: 0.1)
        #expect(schedule.learningRate(atStep: 0) == 0.1)
        #expect(schedule.learningRate(atStep: 29) == 0.1)
        #expect(abs(schedule.learningRate(atStep: 30) - 0.01) < 1e-9)
        #expect(abs(schedule.learningRate(atStep: 65) - 0.001) < 1e-10)
    }

    @Test func cosineAnnealingHitsItsKnownPoints() {
        let schedule = CosineAnnealing(baseLearningRate: 1, totalSteps: 100, minimumLearningRate: 0.1)
        #expect(schedule.learningRate(atStep: 0) == 1)
        #expect(abs(schedule.learningRate(atStep: 50) - 0.55) < 1e-6)           // halfway: the mean
        let quarter: Float = 0.1 + 0.9 * (1 + Float(0.5).squareRoot()) / 2   // cos(π/4) = √½
        #expect(abs(schedule.learningRate(atStep: 25) - quarter) < 1e-6)
        #expect(schedule.learningRate(atStep: 100) == 0.1)
        #expect(schedule.learningRate(atStep: 500) == 0.1)
        let rates = schedule.learningRates(count: 101)
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }, "cosine decay must not increase")
    }

    @Test func linearWarmupRampsThenHandsOver() {
        // nanoGPT's schedule: 10 warm-up steps to 6e-4, cosine to 6e-5 by step 110.
        let schedule = LinearWarmup(warmupSteps: 10,
                                    then: CosineAnnealing(baseLearningRate: 6e-4, totalSteps: 100, minimumLearningRate: 6e-5))
        #expect(abs(schedule.learningRate(atStep: 0) - 6e-4 / 11) < 1e-10)
        #expect(abs(schedule.learningRate(atStep: 9) - 6e-4 * 10 / 11) < 1e-10)
        #expect(schedule.learningRate(atStep: 10) == 6e-4)
        #expect(abs(schedule.learningRate(atStep: 60) - 3.3e-4) < 1e-9)
        #expect(abs(schedule.learningRate(atStep: 110) - 6e-5) < 1e-10)
        let sgd = SGD([parameter([0])], learningRate: 1)
        schedule.apply(to: sgd, atStep: 10)
        #expect(sgd.learningRate == 6e-4)
    }

    // MARK: Clipping

    @Test func clipGradNormScalesEveryGradientTogether() {
        let a = parameter([0, 0]), b = parameter([0]), frozen = parameter([0])
        a.grad = Tensor([3, 4])
        b.grad = Tensor([12])                       // global norm √(9 + 16 + 144) = 13
        let norm = clipGradNorm([a, b, frozen], maxNorm: 1)
        #expect(norm == 13)
        let scale: Float = 1 / (13 + 1e-6)
        #expect(a.grad!.scalars == [3 * scale, 4 * scale])
        #expect(b.grad!.scalars == [12 * scale])
        #expect(frozen.grad == nil)
        // Now the norm is about 1, under the limit of 2: nothing changes.
        let before = a.grad!.scalars
        let second = clipGradNorm([a, b], maxNorm: 2)
        #expect(abs(second - 1) < 1e-5)
        #expect(a.grad!.scalars == before)
    }
}

@Suite struct TestSurfaceTests {
    @Test func rosenbrockValuesAndGradient() {
        let x = Variable(Tensor([-1.5]), requiresGrad: true), y = Variable(Tensor([2]), requiresGrad: true)
        let f = TestSurface.rosenbrock(x, y)
        #expect(abs(f.value.item - 12.5) < 1e-4)            // 2.5² + 100·(−0.25)²
        f.backward()
        #expect(abs(x.grad!.item - -155) < 1e-3)           // −2(1 − x) − 400x(y − x²)
        #expect(abs(y.grad!.item - -50) < 1e-4)            // 200(y − x²)
        #expect(TestSurface.rosenbrock.value(1, 1) == 0)
    }

    /// The lab-optimizers claim: Adam and momentum reach (1, 1) within 1e-3 in the printed budget.
    @Test(arguments: [DescentMethod.adam, .momentum])
    func reachesRosenbrocksMinimumWithinTheBudget(_ method: DescentMethod) {
        let path = descend(.rosenbrock, with: method)
        #expect(path.points.count == TestSurface.rosenbrock.stepBudget + 1)
        let (x, y) = path.end
        #expect(abs(x - 1) < 1e-3 && abs(y - 1) < 1e-3, "\(method) ended at (\(x), \(y))")
    }

    @Test func adaptiveMethodsEscapeTheSaddleFasterThanSGD() {
        let sgd = descend(.saddle, with: .sgd), adam = descend(.saddle, with: .adam)
        #expect(abs(sgd.end.y) < 0.1, "SGD is still near the saddle's ridge")
        #expect(adam.finalLoss < sgd.finalLoss - 1, "Adam \(adam.finalLoss), SGD \(sgd.finalLoss)")
    }
}
