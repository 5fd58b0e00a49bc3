// The lab's second part: one classifier on the two-moons set (LabKit's TwoMoons),
// trained by each optimizer from the same initial weights.
//
// The model is logistic regression on learned features: a hidden layer
// h = tanh(x·W₁ᵀ + b₁) with 16 units turns the two coordinates into features in
// which the moons are separable, and z = h·w₂ + b₂ is the logit of class 1,
// p = σ(z). The loss is the mean binary cross-entropy of the logits,
//     L = mean(max(z, 0) − z·t + log(1 + e^(−|z|)))     (t ∈ {0, 1}),
// minimised with full-batch steps. A point is put in class 1 when z > 0, so
// the decision boundary is the curve z = 0.
import Autograd
import Foundation
import LabKit
import NN

/// One optimizer's run on the moons: its loss per step, final loss and accuracy, and the trained model.
struct MoonsRun {
    let method: DescentMethod
    let learningRate: Float
    let losses: [Float]
    let accuracy: Double
    let model: Sequential

    var finalLoss: Float { losses[losses.count - 1] }

    /// Each optimizer's learning rate on the moons (plain SGD tolerates a large one on this small model).
    static func learningRate(of method: DescentMethod) -> Float {
        switch method {
        case .sgd: 0.5
        case .momentum: 0.1
        case .rmsprop: 0.01
        case .adam: 0.02
        }
    }

    /// The 2 → 16 → 1 model, initialised from `seed` (the same weights for every optimizer).
    static func makeModel(seed: UInt64) -> Sequential {
        Sequential(Linear(2, 16, seed: seed), Tanh(), Linear(16, 1, seed: seed &+ 1))
    }

    /// Trains a fresh model on `moons` with `method` for `steps` full-batch steps.
    static func train(_ moons: TwoMoons, with method: DescentMethod, steps: Int, seed: UInt64) -> MoonsRun {
        let model = makeModel(seed: seed)
        let rate = learningRate(of: method)
        let optimizer: any Optimizer = switch method {
        case .sgd: SGD(model.parameters, learningRate: rate)
        case .momentum: SGD(model.parameters, learningRate: rate, momentum: 0.9)
        case .rmsprop: RMSProp(model.parameters, learningRate: rate)
        case .adam: Adam(model.parameters, learningRate: rate)
        }
        let inputs = Variable(moons.points)
        let targets = Tensor(shape: [moons.labels.count, 1], scalars: moons.labels.map(Float.init))
        var losses: [Float] = []
        losses.reserveCapacity(steps + 1)
        for _ in 0..<steps {
            optimizer.zeroGrad()
            let loss = model(inputs).binaryCrossEntropyWithLogits(targets)
            losses.append(loss.value.scalars[0])
            loss.backward()
            optimizer.step()
        }
        let logits = noGrad { model(inputs).value.scalars }
        losses.append(noGrad { model(inputs).binaryCrossEntropyWithLogits(targets).value.scalars[0] })
        let correct = zip(logits, moons.labels).filter { ($0 > 0 ? 1 : 0) == $1 }.count
        return MoonsRun(method: method, learningRate: rate, losses: losses,
                        accuracy: Double(correct) / Double(moons.labels.count), model: model)
    }

    /// Draws the moons over the model's two decision regions and writes the PNG to `url`.
    func writePlot(_ moons: TwoMoons, size: (width: Int, height: Int), to url: URL) throws {
        let xRange = -1.5...2.5, yRange = -1.0...1.5
        var plot = ScatterPlot(title: String(format: "%@: accuracy %.1f%%", method.displayName, accuracy * 100),
                               xLabel: "x", yLabel: "y")
        plot.width = size.width
        plot.height = size.height
        plot.markerRadius = 3.5
        plot.xAxis.range = xRange
        plot.yAxis.range = yRange
        plot.xAxis.snapsToTicks = false
        plot.yAxis.snapsToTicks = false
        let xy = moons.points.scalars
        plot.addPoints(x: stride(from: 0, to: xy.count, by: 2).map { xy[$0] },
                       y: stride(from: 1, to: xy.count, by: 2).map { xy[$0] },
                       classes: moons.labels, classNames: ["upper moon", "lower moon"])
        plot.regions = DecisionRegions.lookup(x: xRange, y: yRange, cells: 240) { grid in
            noGrad { model(Variable(grid)).value.scalars }.map { $0 > 0 ? 1 : 0 }
        }
        try plot.write(to: url)
    }
}
