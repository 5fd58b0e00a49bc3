// Notebook 02: autograd, layers and optimizers, the machinery every network trains with.
//
//   swift run -c release mllab notebook render 02-autograd   (the page: Notebooks-as-scripts/rendered/02-autograd.md)
//   swift run -c release notebook-02-autograd                (just run it; --quick for the small setting)
//
// Cells in the percent format: "// %% [markdown]" opens prose, "// %%" opens
// code whose first statement is cell("title"). Change a number and run again.
import Autograd
import Foundation
import LabKit
import NN
import NotebookKit
import Tensor

// %% [markdown]
// # Phase 2: autograd, layers and optimizers
//
// Training a model means: compute a loss L from the parameters, find ∂L/∂θ
// for every parameter θ, move θ a little against it, repeat. This notebook
// builds that loop from its parts: a `Variable` that records how it was
// computed, `backward()` that runs the chain rule through the record, a
// `Linear` layer made of those operations, and the optimizers (SGD, Adam)
// that turn gradients into updates.
//
// ## A Variable remembers its graph
// A `Variable` wraps a Tensor. Each operation on Variables computes its value
// and records a node: its inputs and the rule that turns ∂L/∂output into
// ∂L/∂input. Leaves are the inputs and parameters; only leaves created with
// `requiresGrad: true` receive a `.grad`.
//
// Take f(x, y) = x·y + x² at x = 2, y = 3. By hand ∂f/∂x = y + 2x = 7 and
// ∂f/∂y = x = 2.

// %%
cell("1. a Variable and its graph")
let x = Variable(Tensor([2]), requiresGrad: true, name: "x")
let y = Variable(Tensor([3]), requiresGrad: true, name: "y")
let product = x * y
let f = product + x.squared()
print("f =", f.value.item, "   made by", f.op, "(from", product.op, "and", x.squared().op + ")")
print("x is a leaf:", x.isLeaf, "  f is a leaf:", f.isLeaf)
f.backward()
print("∂f/∂x =", x.grad!.item, "(by hand y + 2x = 7)")
print("∂f/∂y =", y.grad!.item, "(by hand x = 2)")

// %% [markdown]
// ## backward() against the hand derivative and finite differences
// A derivative can be checked without knowing it: the central difference
// (f(x + h) − f(x − h)) / 2h approaches f′(x) with an error of order h².
// For g(x) = tanh(x)·x² the hand derivative is
// g′(x) = (1 − tanh² x)·x² + 2x·tanh x. All three columns below should agree
// to about four digits (Float arithmetic limits the finite difference).
//
// `gradcheck` (Sources/Autograd/GradCheck.swift) does the same for every
// element of every input of a tensor function, which is how each op's backward
// rule is tested. The worst relative error over all elements should be small
// (well under 1e-2).

// %%
cell("2. backward() vs the hand derivative vs finite differences")
func g(_ v: Variable) -> Variable { v.tanh() * v.squared() }
func handDerivative(_ v: Float) -> Float { (1 - Foundation.tanh(v) * Foundation.tanh(v)) * v * v + 2 * v * Foundation.tanh(v) }
let h: Float = 1e-2
print("    x     backward()   by hand    finite diff.")
for point: Float in [-1.5, -0.3, 0.5, 2] {
    let input = Variable(Tensor([point]), requiresGrad: true)
    g(input).backward()
    let plus = noGrad { g(Variable(Tensor([point + h]))).value.item }
    let minus = noGrad { g(Variable(Tensor([point - h]))).value.item }
    print(String(format: "%6.2f  %10.5f  %10.5f  %10.5f", point, input.grad!.item, handDerivative(point), (plus - minus) / (2 * h)))
}
let a = Tensor.normal([3, 4], seed: 1), b = Tensor.normal([4, 2], seed: 2)
let check = gradcheck([a, b]) { inputs in inputs[0].matmul(inputs[1]).sigmoid().log() }
print("gradcheck of log σ(A·B), every element of A [3, 4] and B [4, 2]:")
print(String(format: "  worst relative error %.2e (analytic %.5f, numeric %.5f)", check.worstError, check.analytic, check.numeric))

// %% [markdown]
// ## An op of your own
// Every op of the library is the same small pattern, and a learner can write
// one without touching it: compute the output with Tensor, write the rule that
// turns ∂L/∂output into ∂L/∂input, and link them with the public
// `Variable(value, op:, parents:, backward:)`. Here is softplus,
// s(x) = ln(1 + eˣ), a smooth ReLU, whose derivative is the sigmoid:
// s′(x) = eˣ/(1 + eˣ) = σ(x). The backward closure receives g = ∂L/∂s and
// returns one gradient per parent, [g·σ(x)]. gradcheck then compares it with
// finite differences on every element, and the op composes with the built-in
// ones (below, softplus of a matrix product, then again, then a mean).

// %%
cell("3. an op of your own: softplus through the public API")
extension Variable {
    func softplus() -> Variable {
        let x = value                                              // kept for the backward rule
        return Variable((x.exp() + 1).log(), op: "softplus", parents: [self]) { g in
            [g * x.sigmoid()]                                      // ∂L/∂x = ∂L/∂s · σ(x)
        }
    }
}
let softplusInput = Tensor.normal([4, 5], seed: 3)
let softplusCheck = gradcheck([softplusInput]) { inputs in inputs[0].softplus() }
print(String(format: "gradcheck of softplus on [4, 5]: worst relative error %.2e", softplusCheck.worstError),
      softplusCheck.worstError < 1e-2 ? "(passes)" : "(FAILS)")
let atZero = Variable(Tensor([0]), requiresGrad: true)
atZero.softplus().backward()
print("s(0) = ln 2 =", atZero.softplus().value.item, "  s′(0) = σ(0) =", atZero.grad!.item)
let composed = gradcheck([softplusInput, Tensor.normal([5, 3], seed: 4)]) { inputs in
    inputs[0].softplus().matmul(inputs[1]).softplus().mean()
}
print(String(format: "gradcheck of mean(softplus(softplus(X)·W)): worst relative error %.2e", composed.worstError))

// %% [markdown]
// ## Gradients add up: what zeroGrad is for
// backward() adds (+=) into `.grad` rather than overwriting it. That is what
// makes a variable used twice correct, b = a + a gives ∂b/∂a = 1 + 1 = 2,
// and it lets a large batch be split into pieces whose gradients sum. But it
// also means that a second backward() without clearing adds the old gradient
// again. A training loop calls `optimizer.zeroGrad()` (or `parameter.zeroGrad()`)
// before every backward(), as in PyTorch.

// %%
cell("4. gradients accumulate until zeroGrad()")
let weight = Variable(Tensor([1.5]), requiresGrad: true, name: "w")
func squaredError() -> Variable { (weight * 2 - 1).squared() }   // (2w − 1)², derivative 4(2w − 1) = 8 at w = 1.5
squaredError().backward()
print("after one backward():            grad =", weight.grad!.item)
squaredError().backward()
print("after a second, no zeroGrad():   grad =", weight.grad!.item, " ← twice the true gradient")
weight.zeroGrad()
squaredError().backward()
print("zeroGrad(), then backward():     grad =", weight.grad!.item)
let shared = Variable(Tensor([4]), requiresGrad: true)
(shared + shared).backward()
print("a used twice, ∂(a + a)/∂a =", shared.grad!.item)

// %% [markdown]
// ## A Linear layer is two recorded operations
// `Linear(in, out)` holds W [out, in] and b [out] and computes y = x·Wᵀ + b
// for a batch x [n, in]. Its gradients follow from the matmul and the add:
// for L = Σ y, ∂L/∂b = n for every output (each row adds one), and
// ∂L/∂W_ij = Σ_rows x_rj, the column sums of x. `namedParameters` gives
// each parameter the dotted name that PyTorch's state_dict uses.

// %%
cell("5. a Linear layer, by hand and by the library")
let layer = Linear(3, 2, seed: 7)
let batch = Tensor([[1, 2, 3], [0, -1, 1], [2, 0, 0], [1, 1, 1]])   // [4, 3]
let output = layer(Variable(batch))
let byHand = batch.matmul(layer.weight.value.transposed()) + layer.bias!.value
print("output shape", output.shape, "  max |library − x·Wᵀ + b| =", (output.value - byHand).abs().max())
output.sum().backward()
print("∂L/∂b =", layer.bias!.grad!.scalars, "(the batch has 4 rows)")
print("∂L/∂W row 0 =", layer.weight.grad!.scalars[0..<3].map { $0 }, "  column sums of x =", batch.sum(axis: 0).scalars)
let network = Sequential(Linear(1, 32, seed: 1), Tanh(), Linear(32, 32, seed: 2), Tanh(), Linear(32, 1, seed: 3))
print("a 1 → 32 → 32 → 1 network:", network.namedParameters.map { "\($0.0) \($0.1.shape)" }.joined(separator: ", "))
print("trainable numbers:", network.parameterCount)

// %% [markdown]
// ## A tiny MLP fits a curve: SGD against Adam
// The training loop is the same four lines for every optimizer:
//
//     optimizer.zeroGrad();  loss = mse(model(x), y);  loss.backward();  optimizer.step()
//
// SGD moves each parameter by −γ·g. Adam keeps running means of g and g² and
// moves each parameter by about γ·sign(g) early on, whatever the size of its
// gradient, so it does not wait for small gradients to grow. Both start from
// the same initial weights (the same seeds) on y = sin(3x) + noise. Watch the
// loss curves (log scale): Adam reaches the noise floor (σ² = 0.01) long
// before SGD, which is still fitting the bends.

// %%
cell("6. fitting sin(3x) with SGD and with Adam")
let pointCount = 128
let curveSteps = Notebook.isQuick ? 300 : 2000
var noiseSource = RandomGenerator(seed: 0)
let inputs = Tensor.linspace(-2, 2, count: pointCount).reshaped(pointCount, 1)
let targets = Tensor(shape: [pointCount, 1], scalars: inputs.scalars.map { Foundation.sin(3 * $0) + noiseSource.normal(mean: 0, std: 0.1) })

func makeCurveModel() -> Sequential {
    Sequential(Linear(1, 32, seed: 1), Tanh(), Linear(32, 32, seed: 2), Tanh(), Linear(32, 1, seed: 3))
}
func fitCurve(_ model: Sequential, with optimizer: any Optimizer, steps: Int) -> [Float] {
    var losses: [Float] = []
    for _ in 0..<steps {
        optimizer.zeroGrad()
        let loss = model(Variable(inputs)).mseLoss(Variable(targets))
        losses.append(loss.value.item)
        loss.backward()
        optimizer.step()
    }
    return losses
}
let sgdModel = makeCurveModel(), adamModel = makeCurveModel()
let sgdLosses = fitCurve(sgdModel, with: SGD(sgdModel.parameters, learningRate: 0.1), steps: curveSteps)
let adamLosses = fitCurve(adamModel, with: Adam(adamModel.parameters, learningRate: 0.01), steps: curveSteps)
print("\(curveSteps) full-batch steps on \(pointCount) points")
for step in [0, curveSteps / 10, curveSteps / 2, curveSteps - 1] {
    print(String(format: "  step %5d   SGD (γ = 0.1) %.4f   Adam (γ = 0.01) %.4f", step, sgdLosses[step], adamLosses[step]))
}
var lossChart = LineChart(title: "fitting sin(3x): training loss", xLabel: "step", yLabel: "mean squared error", logScaleY: true)
lossChart.addSeries("SGD, lr 0.1", y: sgdLosses)
lossChart.addSeries("Adam, lr 0.01", y: adamLosses)
try figure("curve_loss.png") { try lossChart.write(to: $0) }

var fitChart = LineChart(title: "the two fits after \(curveSteps) steps", xLabel: "x", yLabel: "y")
let xs = inputs.scalars
fitChart.addSeries("data", x: xs, y: targets.scalars)
fitChart.addSeries("SGD", x: xs, y: noGrad { sgdModel(Variable(inputs)).value.scalars })
fitChart.addSeries("Adam", x: xs, y: noGrad { adamModel(Variable(inputs)).value.scalars })
fitChart.showsMarkers = false
try figure("curve_fit.png") { try fitChart.write(to: $0) }

// %% [markdown]
// ## Optimizers on a hard valley
// Rosenbrock's f(x, y) = (1 − x)² + 100·(y − x²)² has its minimum at (1, 1)
// on the floor of a curved valley whose walls are 100 times steeper than the
// floor. `descend` (NN/Optimizers/TestSurfaces.swift) runs each optimizer from
// (−1.5, 2) with the learning rate the tests use. Plain SGD must take tiny
// steps not to bounce off the walls, and then crawls; momentum gathers speed
// along the floor; Adam rescales each coordinate. The figure draws each path
// in the (x, y) plane.

// %%
cell("7. SGD, momentum, RMSProp and Adam on Rosenbrock's valley")
let valley = TestSurface.rosenbrock
var pathChart = LineChart(title: "paths from (-1.5, 2) to the minimum (1, 1)", xLabel: "x", yLabel: "y")
pathChart.showsMarkers = false
pathChart.lineWidth = 1.5
let valleySteps = valley.stepBudget
for method in DescentMethod.allCases {
    let path = descend(valley, with: method, steps: valleySteps)
    let (endX, endY) = path.end
    let name = method.displayName.padding(toLength: 20, withPad: " ", startingAt: 0)
    print(name + String(format: " lr %-7g after %d steps: f = %.2e at (%.4f, %.4f)",
                        Double(method.learningRate(on: valley)), valleySteps, Double(path.finalLoss), Double(endX), Double(endY)))
    pathChart.addSeries(method.displayName, x: path.points.map(\.x), y: path.points.map(\.y))
}
try figure("rosenbrock_paths.png") { try pathChart.write(to: $0) }

// %% [markdown]
// ## The same loop classifies: two moons
// Swap the loss and the same loop trains a classifier. The network gives one
// logit z per point, p = σ(z) is the probability of the lower moon, and the
// loss is the binary cross-entropy L = −mean(t log p + (1 − t) log(1 − p)),
// computed from z directly so that it never takes the log of 0. No straight
// line separates the moons, so the hidden layer has to bend the boundary
// z = 0; the shaded regions show where it put it.

// %%
cell("8. an MLP on two moons, trained with Adam")
let moons = TwoMoons(count: Notebook.isQuick ? 200 : 400, noise: 0.15, seed: 0)
let moonTargets = Tensor(shape: [moons.labels.count, 1], scalars: moons.labels.map(Float.init))
let classifier = Sequential(Linear(2, 16, seed: 10), Tanh(), Linear(16, 16, seed: 11), Tanh(), Linear(16, 1, seed: 12))
let adam = Adam(classifier.parameters, learningRate: 0.02)
let moonSteps = Notebook.isQuick ? 200 : 600
for step in 0...moonSteps {
    adam.zeroGrad()
    let loss = classifier(Variable(moons.points)).binaryCrossEntropyWithLogits(moonTargets)
    if step % (moonSteps / 4) == 0 { print(String(format: "step %4d   cross-entropy %.4f", step, loss.value.item)) }
    if step == moonSteps { break }
    loss.backward()
    adam.step()
}
let moonLogits = noGrad { classifier(Variable(moons.points)).value.scalars }
let correct = zip(moonLogits, moons.labels).filter { ($0 > 0 ? 1 : 0) == $1 }.count
let moonAccuracy = Double(correct) / Double(moons.labels.count)
print(String(format: "training accuracy %.1f%% on %d points", moonAccuracy * 100, moons.labels.count))

var moonPlot = ScatterPlot(title: String(format: "2-16-16-1 tanh network, accuracy %.1f%%", moonAccuracy * 100), xLabel: "x", yLabel: "y")
let (xRange, yRange) = (-1.5...2.5, -1.0...1.5)
moonPlot.xAxis.range = xRange
moonPlot.yAxis.range = yRange
let coordinates = moons.points.scalars
moonPlot.addPoints(x: stride(from: 0, to: coordinates.count, by: 2).map { coordinates[$0] },
                   y: stride(from: 1, to: coordinates.count, by: 2).map { coordinates[$0] },
                   classes: moons.labels, classNames: ["upper moon", "lower moon"])
moonPlot.regions = DecisionRegions.lookup(x: xRange, y: yRange, cells: 200) { grid in
    noGrad { classifier(Variable(grid)).value.scalars }.map { $0 > 0 ? 1 : 0 }
}
try figure("moons_regions.png") { try moonPlot.write(to: $0) }

// %% [markdown]
// ## noGrad: evaluation without a graph
// Every operation records a node only when some input requires gradients and
// gradients are on. Inside `noGrad { … }` nothing is recorded: evaluating the
// model, drawing decision regions and the optimizers' own updates run there,
// so they neither cost memory nor leak into the next backward(). A result
// computed under noGrad is a plain constant: a leaf with requiresGrad false.

// %%
cell("9. noGrad")
let tracked = classifier(Variable(moons.points))
let untracked = noGrad { classifier(Variable(moons.points)) }
print("with the graph:  op \(tracked.op), requiresGrad \(tracked.requiresGrad)")
print("under noGrad:    op \(untracked.op), requiresGrad \(untracked.requiresGrad)")
print("same numbers:    max difference", (tracked.value - untracked.value).abs().max())

// %% [markdown]
// ## What to try next
// - Change the learning rates in cell 6: SGD at 0.5 diverges or oscillates,
//   Adam at 0.1 gets to the noise floor faster and then jitters.
// - Remove `weight.zeroGrad()` from cell 4, or `optimizer.zeroGrad()` from
//   `fitCurve`, and watch the updates grow every step.
// - Write your own op as a function of Variables and pass it to `gradcheck`.
// - The lab draws all four optimizers on Rosenbrock's valley and a saddle, over
//   contour plots, and on the moons:
//   `swift run -c release lab-optimizers` (add `--quick` for the small run).
// - The tests that pin all of this: `swift test -c release --filter AutogradTests`
//   and `swift test -c release --filter NNTests`.
