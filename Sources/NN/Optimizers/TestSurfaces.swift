// TestSurfaces: two-variable functions that show how optimizers differ.
//
// Rosenbrock's function  f(x, y) = (1 − x)² + 100·(y − x²)²  has its minimum
// f = 0 at (1, 1) at the bottom of a long, curved, flat-floored valley: the
// walls are 100 times steeper than the floor, so plain gradient descent must
// take small steps (or bounce between the walls) and then crawls along the
// floor. Momentum builds up speed along the floor; Adam rescales each
// coordinate's step by its own gradient size.
//
// The saddle  f(x, y) = x² − y²  has a stationary point at (0, 0) that is a
// minimum along x and a maximum along y. Started near the line y = 0, plain
// gradient descent first slides into the saddle and leaves it only as fast as
// the tiny y-gradient 2y lets it; methods that normalise the step (RMSProp,
// Adam) escape at once.
//
// `descend` runs an optimizer from the surface's starting point and records
// the path and the loss after every step, for the lab's plots and the tests.

import Autograd
import Tensor

/// A two-variable test function for optimizers.
public enum TestSurface: String, CaseIterable, Sendable {
    /// f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1).
    case rosenbrock
    /// f(x, y) = x² − y², a saddle point at (0, 0), unbounded below.
    case saddle

    /// f(x, y) on Variables of shape [1], recording the graph.
    public func callAsFunction(_ x: Variable, _ y: Variable) -> Variable {
        switch self {
        case .rosenbrock: (1 - x).squared() + 100 * (y - x.squared()).squared()
        case .saddle: x.squared() - y.squared()
        }
    }

    /// f(x, y) in Double, for drawing the surface.
    public func value(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .rosenbrock: (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        case .saddle: x * x - y * y
        }
    }

    /// Where every optimizer starts.
    public var start: (x: Float, y: Float) {
        switch self {
        case .rosenbrock: (-1.5, 2)
        case .saddle: (1.5, 1e-3)
        }
    }

    /// The minimiser, when there is one.
    public var minimum: (x: Float, y: Float)? {
        switch self {
        case .rosenbrock: (1, 1)
        case .saddle: nil
        }
    }

    /// The number of steps each optimizer gets.
    public var stepBudget: Int {
        switch self {
        case .rosenbrock: 3_000
        case .saddle: 150
        }
    }

    /// The region drawn in plots.
    public var plotRegion: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        switch self {
        case .rosenbrock: (-2...2, -1...3)
        case .saddle: (-2...2, -2...2)
        }
    }
}

/// The optimizers compared on the test surfaces, with learning rates chosen for each surface.
public enum DescentMethod: String, CaseIterable, Sendable {
    case sgd, momentum, rmsprop, adam

    /// A readable name for legends.
    public var displayName: String {
        switch self {
        case .sgd: "SGD"
        case .momentum: "SGD + momentum 0.9"
        case .rmsprop: "RMSProp"
        case .adam: "Adam"
        }
    }

    /// The learning rate used on `surface`. On Rosenbrock the largest curvature near (1, 1)
    /// is about 1000, so SGD is stable only below 2/1000 and momentum 0.9 below 3.8/1000;
    /// Adam's steps are about γ long whatever the gradient, so it can take a larger γ.
    public func learningRate(on surface: TestSurface) -> Float {
        switch (self, surface) {
        case (.sgd, .rosenbrock), (.momentum, .rosenbrock), (.rmsprop, .rosenbrock): 1e-3
        case (.adam, .rosenbrock): 0.02
        case (.adam, .saddle): 0.05
        case (_, .saddle): 0.01
        }
    }

    /// A fresh optimizer over `parameters` with this method's settings for `surface`.
    public func makeOptimizer(_ parameters: [Variable], on surface: TestSurface) -> any Optimizer {
        let lr = learningRate(on: surface)
        switch self {
        case .sgd: return SGD(parameters, learningRate: lr)
        case .momentum: return SGD(parameters, learningRate: lr, momentum: 0.9)
        case .rmsprop: return RMSProp(parameters, learningRate: lr)
        case .adam: return Adam(parameters, learningRate: lr)
        }
    }
}

/// The points an optimizer visited and the loss at each.
public struct DescentPath: Sendable {
    /// (x, y) before the first step, then after each step.
    public var points: [(x: Float, y: Float)]
    /// f at each point of `points`.
    public var losses: [Float]

    /// The last point reached.
    public var end: (x: Float, y: Float) { points[points.count - 1] }
    /// The loss at the last point.
    public var finalLoss: Float { losses[losses.count - 1] }
}

/// Runs `method` on `surface` from its start for `steps` steps (default: the surface's budget).
public func descend(_ surface: TestSurface, with method: DescentMethod, steps: Int? = nil) -> DescentPath {
    let steps = steps ?? surface.stepBudget
    precondition(steps >= 0, "descend: steps must be ≥ 0, got \(steps)")
    let x = Variable(Tensor([surface.start.x]), requiresGrad: true, name: "x")
    let y = Variable(Tensor([surface.start.y]), requiresGrad: true, name: "y")
    let optimizer = method.makeOptimizer([x, y], on: surface)
    var path = DescentPath(points: [], losses: [])
    path.points.reserveCapacity(steps + 1)
    path.losses.reserveCapacity(steps + 1)
    for _ in 0..<steps {
        optimizer.zeroGrad()
        let loss = surface(x, y)
        path.points.append((x.value.item, y.value.item))
        path.losses.append(loss.value.item)
        loss.backward()
        optimizer.step()
    }
    path.points.append((x.value.item, y.value.item))
    path.losses.append(noGrad { surface(x, y).value.item })
    return path
}
