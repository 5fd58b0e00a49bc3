// Notebook 03: decision trees, random forests and histogram gradient boosting.
//
//   swift run -c release mllab notebook render 03-trees   (the page: Notebooks-as-scripts/rendered/03-trees.md)
//   swift run -c release notebook-03-trees                (just run it; add --quick for the small setting)
//
// Cells in the percent format: "// %% [markdown]" opens prose, "// %%" opens
// code whose first statement is cell("title"). Change a number and run again.
import Foundation
import LabKit
import NotebookKit
import Tensor
import Trees

// %% [markdown]
// # Phase 3: trees, forests and boosting
//
// A decision tree asks one question at a time, "is x_f ≤ t?", and sends a row
// left or right until it reaches a leaf that holds the answer. Growing a tree
// is greedy: at each node try every feature and every threshold, keep the cut
// that leaves the two children purest, and repeat inside each child. One tree
// overfits easily. A random forest averages many randomised trees to lower the
// variance; gradient boosting adds small trees one after another, each fixing
// what the sum so far gets wrong, to lower the bias. All data here is built in
// and seeded, so the page is the same on every machine.
//
// ## How mixed is a node?
// A node whose rows have class frequencies p_k = n_k / n is pure when one p_k
// is 1. Two measures of how mixed it is, both 0 for a pure node:
//
//     Gini      G = 1 − Σ_k p_k²          (the chance that two rows drawn at random disagree)
//     entropy   H = −Σ_k p_k log₂ p_k     (the bits needed, on average, to name a row's class)
//
// Below, a node with 6, 3 and 1 rows of three classes, by hand and as the root
// of a library tree (`tree.nodes[0].impurity` is what the tree measured before
// its first cut). The figure shows both for two classes as the share p of
// class 1 goes from 0 to 1: largest at p = ½ (G = 0.5, H = 1 bit), and both
// curved, which is why they reward a cut that makes one child purer even when
// the majority class does not change (the misclassification rate 1 − max p
// often stays flat there).

// %%
cell("1. Gini impurity and entropy of one node")
let quick = Notebook.isQuick

/// Gini impurity 1 − Σ p_k² of a node with these class counts.
func gini(_ counts: [Double]) -> Double {
    let total = counts.reduce(0, +)
    return 1 - counts.reduce(0) { $0 + ($1 / total) * ($1 / total) }
}

/// Entropy −Σ p_k log₂ p_k, in bits, of a node with these class counts.
func entropy(_ counts: [Double]) -> Double {
    let total = counts.reduce(0, +)
    return counts.filter { $0 > 0 }.reduce(0) { $0 - ($1 / total) * log2($1 / total) }
}

/// Integer class labels as the [n] Float tensor the estimators take.
func labelTensor(_ labels: [Int]) -> Tensor {
    Tensor(shape: [labels.count], scalars: labels.map(Float.init))
}

let nodeLabels = labelTensor([0, 0, 0, 0, 0, 0, 1, 1, 1, 2])
let oneFeature = Tensor.arange(10).reshaped(10, 1)
var giniTree = DecisionTreeClassifier(criterion: .gini, maxDepth: 1)
try giniTree.fit(oneFeature, nodeLabels)
var entropyTree = DecisionTreeClassifier(criterion: .entropy, maxDepth: 1)
try entropyTree.fit(oneFeature, nodeLabels)
print(String(format: "counts 6 / 3 / 1:  Gini    by hand %.4f   library root %.4f",
             gini([6, 3, 1]), Double(giniTree.tree.nodes[0].impurity)))
print(String(format: "                   entropy by hand %.4f   library root %.4f bits",
             entropy([6, 3, 1]), Double(entropyTree.tree.nodes[0].impurity)))
print(String(format: "a pure node [10, 0]: Gini %.1f, entropy %.1f;  a 50/50 node: Gini %.2f, entropy %.2f bits",
             gini([10, 0]), entropy([10, 0]), gini([5, 5]), entropy([5, 5])))

let shares = (0...100).map { Double($0) / 100 }
var impurityChart = LineChart(title: "Impurity of a two-class node", xLabel: "p, the share of class 1", yLabel: "impurity")
impurityChart.addSeries("Gini", x: shares, y: shares.map { gini([1 - $0, $0]) })
impurityChart.addSeries("entropy (bits)", x: shares, y: shares.map { entropy([1 - $0, $0]) })
impurityChart.addSeries("misclassification 1 − max p", x: shares, y: shares.map { 1 - max($0, 1 - $0) })
try figure("impurity.png") { try impurityChart.write(to: $0) }

// %% [markdown]
// ## The best cut of one feature
// A cut x_f ≤ t sends n_L rows left and n_R right, and lowers the impurity by
//
//     ΔI = I(parent) − (n_L/n)·I(left) − (n_R/n)·I(right).
//
// Only thresholds between two consecutive distinct values can give different
// cuts, so the tree tries their midpoints. After one sort, a sweep from left to
// right moves one row at a time from the right child's class counts to the
// left's, so every threshold costs O(K), not O(n). Below, that sweep by hand
// on each coordinate of 200 two-moons points; a depth-1 tree (a "stump") must
// pick the same feature and threshold, and lower the Gini by the same amount.
// In the figure x1 has two fair cuts, one at each moon's free tip, while x2
// has one better cut between the moons: that is the root split.

// %%
cell("2. the best split of one feature, by scanning thresholds")
let splitMoons = TwoMoons(count: 200, noise: 0.25, seed: 3)

/// Every midpoint threshold of one feature and the Gini decrease of its cut, from one sweep over the sorted rows.
func scanThresholds(_ values: [Float], _ labels: [Int]) -> [(threshold: Float, decrease: Double)] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var left = [0.0, 0.0], right = [0.0, 0.0]
    for label in labels { right[label] += 1 }
    let parentGini = gini(right), n = Double(labels.count)
    var scan: [(threshold: Float, decrease: Double)] = []
    for (position, row) in order.dropLast().enumerated() {
        left[labels[row]] += 1
        right[labels[row]] -= 1
        let next = values[order[position + 1]]
        guard next > values[row] else { continue }      // equal values cannot be separated
        let leftShare = Double(position + 1) / n
        let childrenGini = leftShare * gini(left) + (1 - leftShare) * gini(right)
        scan.append(((values[row] + next) / 2, parentGini - childrenGini))
    }
    return scan
}

let coordinateNames = ["x1", "x2"]
var scanChart = LineChart(title: "Gini decrease of the cut x <= t", xLabel: "threshold t", yLabel: "impurity decrease")
var bestCut = (feature: 0, threshold: Float(0), decrease: -1.0)
for feature in 0..<2 {
    let scan = scanThresholds(splitMoons.points.selecting(feature, axis: 1).scalars, splitMoons.labels)
    guard let best = scan.max(by: { $0.decrease < $1.decrease }) else { continue }
    let name = coordinateNames[feature]
    print("\(name): \(scan.count) thresholds tried, the best cut " + name
          + String(format: " ≤ %.4f lowers the Gini by %.4f", best.threshold, best.decrease))
    scanChart.addSeries(coordinateNames[feature], x: scan.map(\.threshold), y: scan.map(\.decrease))
    if best.decrease > bestCut.decrease { bestCut = (feature, best.threshold, best.decrease) }
}
try figure("threshold_scan.png") { try scanChart.write(to: $0) }

var stump = DecisionTreeClassifier(maxDepth: 1)
try stump.fit(splitMoons.points, labelTensor(splitMoons.labels))
let root = stump.tree.nodes[0]
let leftChild = stump.tree.nodes[Int(root.left)], rightChild = stump.tree.nodes[Int(root.right)]
let stumpDecrease = Double(root.impurity) - (Double(leftChild.sampleCount) * Double(leftChild.impurity)
    + Double(rightChild.sampleCount) * Double(rightChild.impurity)) / Double(root.sampleCount)
print("by hand: " + coordinateNames[bestCut.feature] + String(format: " ≤ %.4f, ΔI = %.4f", bestCut.threshold, bestCut.decrease))
print("stump:   " + coordinateNames[Int(root.feature)] + String(format: " ≤ %.4f, ΔI = %.4f  (%d rows left, %d right)",
      root.threshold, stumpDecrease, leftChild.sampleCount, rightChild.sampleCount))

// %% [markdown]
// ## Depth: from underfitting to overfitting
// Every cut is parallel to an axis, so a tree's regions are boxes and its
// boundary is a staircase. At depth 1 there is one cut; at depth 3 at most 8
// leaves; at depth 8 up to 256, enough to wall off single noisy points. The
// training accuracy can only rise with depth; the accuracy on 2 000 fresh
// points rises, levels off and then falls. The gap between the two is
// overfitting, and `maxDepth` (or `minSamplesLeaf`) is how a single tree is
// held back. A depth-2 tree is small enough to read as rules.

// %%
cell("3. one tree at depths 1, 3 and 8")
let moons = TwoMoons(count: quick ? 200 : 400, noise: 0.3, seed: 0)
let moonsTest = TwoMoons(count: 2_000, noise: 0.3, seed: 1)
let moonsY = labelTensor(moons.labels), moonsTestY = labelTensor(moonsTest.labels)
let plane = (x: -1.8...2.8, y: -1.3...1.8)

/// The regions where a fitted classifier predicts each moon, under the training points, as one panel.
func regionPanel(_ model: some Classifier, title: String) -> Canvas {
    var plot = EvaluationPlots.decisionBoundary(points: moons.points, labels: moons.labels, area: plane,
                                                classNames: ["upper moon", "lower moon"], title: title,
                                                cells: quick ? 80 : 160, model: model)
    plot.width = 420
    plot.height = 380
    plot.markerRadius = 2.5
    plot.legendPlacement = .hidden
    return plot.render()
}

var depthPanels: [Canvas] = []
for depth in [1, 3, 8] {
    var tree = DecisionTreeClassifier(maxDepth: depth)
    try tree.fit(moons.points, moonsY)
    let train = tree.score(moons.points, moonsY), test = tree.score(moonsTest.points, moonsTestY)
    print(String(format: "depth %d: %3d leaves, train accuracy %.3f, test accuracy %.3f", depth, tree.leafCount, train, test))
    depthPanels.append(regionPanel(tree, title: "depth \(depth): " + String(format: "test %.1f%%", 100 * test)))
}
try figure("tree_depths.png") { try Canvas.sideBySide(depthPanels).write(to: $0) }

let depthLimits = Array(1...14)
var trainByDepth: [Double] = [], testByDepth: [Double] = []
for depth in depthLimits {
    var tree = DecisionTreeClassifier(maxDepth: depth)
    try tree.fit(moons.points, moonsY)
    trainByDepth.append(Double(tree.score(moons.points, moonsY)))
    testByDepth.append(Double(tree.score(moonsTest.points, moonsTestY)))
}
var depthChart = LineChart(title: "One tree on two moons: accuracy against maxDepth", xLabel: "maxDepth", yLabel: "accuracy")
depthChart.addSeries("training points", x: depthLimits.map(Double.init), y: trainByDepth)
depthChart.addSeries("2 000 fresh points", x: depthLimits.map(Double.init), y: testByDepth)
try figure("accuracy_vs_depth.png") { try depthChart.write(to: $0) }
if let best = testByDepth.indices.max(by: { testByDepth[$0] < testByDepth[$1] }) {
    print(String(format: "best test accuracy %.3f at depth %d; at depth 14: train %.3f, test %.3f",
                 testByDepth[best], depthLimits[best], trainByDepth.last ?? 0, testByDepth.last ?? 0))
}
var readableTree = DecisionTreeClassifier(maxDepth: 2)
try readableTree.fit(moons.points, moonsY)
print(readableTree.textDump(featureNames: coordinateNames, classNames: ["upper", "lower"]))

// %% [markdown]
// ## A random forest: many trees, averaged
// A deep tree has little bias but much variance: grown on another sample of
// the same distribution, its staircase changes. Bagging grows T trees on
// bootstrap samples (n rows drawn with replacement, about 63% of them
// distinct) and averages their class probabilities,
//
//     P(k | x) = (1/T) Σ_t p_t(k | x).
//
// A random forest also lets each split look at only a random subset of the
// features (√d by default), so the trees disagree more and their average
// varies less. The rows a tree never drew (about 37%) are its out-of-bag rows:
// scoring every row with the trees that did not see it estimates the test
// accuracy for free.
//
// On the moons (d = 2, so one random feature per split) the forest smooths
// the deep tree's staircase. Then the "sine-sum" set: 28 features, the label
// depends on sin(2x_j) for x0 … x7 and on the product x8·x9, the other 18 are
// noise. We average the first T trees of a fitted forest by hand (each tree's
// `apply` gives the leaf of every test row, `value(of:)` the leaf's class
// frequencies) to watch the test accuracy grow with T, for bagging alone
// (all 28 features per split) and a random forest (5 per split).

// %%
cell("4. a random forest against one tree")
var deepTree = DecisionTreeClassifier()
try deepTree.fit(moons.points, moonsY)
var moonForest = RandomForestClassifier(trees: quick ? 30 : 100, oobScore: true, seed: 0)
try moonForest.fit(moons.points, moonsY)
let deepTreeTest = deepTree.score(moonsTest.points, moonsTestY), moonForestTest = moonForest.score(moonsTest.points, moonsTestY)
print(String(format: "moons: one unlimited tree (%d leaves) test %.3f;  forest of %d trees test %.3f, out-of-bag %.3f",
             deepTree.leafCount, deepTreeTest, moonForest.trees, moonForestTest, moonForest.oobScore ?? .nan))
try figure("tree_vs_forest.png") {
    try Canvas.sideBySide([regionPanel(deepTree, title: String(format: "one deep tree: test %.1f%%", 100 * deepTreeTest)),
                           regionPanel(moonForest, title: String(format: "forest of %d: test %.1f%%", moonForest.trees, 100 * moonForestTest))])
        .write(to: $0)
}

let sineTrain = SineSumClassification(count: quick ? 1_000 : 3_000, seed: 0)
let sineTest = SineSumClassification(count: 2_000, seed: 1)
let forestSize = quick ? 20 : 100
let forestSizes = [1, 2, 3, 5, 10, 20, 30, 50, 75, 100].filter { $0 <= forestSize }

/// Test accuracy of the average of a forest's first T trees, for every T in `forestSizes`, computed from the leaves.
func accuracyOfFirstTrees(_ forest: RandomForestClassifier) -> [Double] {
    let truth = sineTest.y.scalars
    var summedProbability = [Double](repeating: 0, count: truth.count)   // Σ_t p_t(class 1 | x)
    var accuracies: [Double] = []
    for (t, tree) in forest.estimators.enumerated() {
        for (row, leaf) in tree.apply(sineTest.x).enumerated() {
            let frequencies = tree.value(of: leaf)
            summedProbability[row] += Double(frequencies[frequencies.startIndex + 1])
        }
        guard forestSizes.contains(t + 1) else { continue }
        let correct = truth.indices.filter { (summedProbability[$0] / Double(t + 1) > 0.5 ? 1 : 0) == truth[$0] }.count
        accuracies.append(Double(correct) / Double(truth.count))
    }
    return accuracies
}

var sineTree = DecisionTreeClassifier()
try sineTree.fit(sineTrain.x, sineTrain.y)
let sineTreeTest = Double(sineTree.score(sineTest.x, sineTest.y))
print(String(format: "sine-sum: one unlimited tree (%d leaves) test %.3f", sineTree.leafCount, sineTreeTest))
var forestChart = LineChart(title: "Sine-sum: test accuracy of the first T trees", xLabel: "trees T", yLabel: "test accuracy")
var sineForests: [RandomForestClassifier] = []
for (name, features) in [("bagging, 28 features per split", MaxFeatures.all), ("random forest, 5 per split", .sqrt)] {
    var forest = RandomForestClassifier(trees: forestSize, maxFeatures: features, oobScore: true, seed: 0)
    try forest.fit(sineTrain.x, sineTrain.y)
    let curve = accuracyOfFirstTrees(forest)
    print(name.padding(toLength: 32, withPad: " ", startingAt: 0)
          + String(format: "  1 tree %.3f → %d trees %.3f (library %.3f), out-of-bag %.3f",
                   curve.first ?? 0, forestSize, curve.last ?? 0, forest.score(sineTest.x, sineTest.y), forest.oobScore ?? .nan))
    forestChart.addSeries(name, x: forestSizes.map(Double.init), y: curve)
    sineForests.append(forest)
}
let sineForest = sineForests[1]   // the random forest, √28 → 5 features per split
forestChart.addSeries("one unlimited tree", x: [1.0, Double(forestSize)], y: [sineTreeTest, sineTreeTest], color: RGBColor(gray: 150))
try figure("forest_size.png") { try forestChart.write(to: $0) }

// %% [markdown]
// ## Boosting by hand: each tree fits the residuals
// Gradient boosting builds a sum of trees, F_M(x) = F₀ + η Σ_m f_m(x), with
// F₀ the best constant. For the squared error ℓ = ½(F − y)² the negative
// gradient −∂ℓ/∂F = y − F is the residual, so each round fits a small
// regression tree f_m to what the sum so far still gets wrong, and adds a
// fraction η (the learning rate) of it. Below, that loop written out with
// depth-2 `DecisionTreeRegressor`s on a noisy sine, next to the library's
// `GradientBoostingRegressor` with the same depth, rounds and η. Here the two
// agree to every printed digit (their loss curves lie on top of each other):
// with 200 distinct x values every value gets its own bin, and with λ = 0 a
// leaf's value −η·G/(H + λ) is η times its rows' mean residual, exactly what
// the regression tree predicts. With more rows than bins they would part a
// little. The left panel shows the sum after 1, 10 and 100 rounds: each round
// bends the staircase a little further towards the sine.

// %%
cell("5. boosting by hand: each tree fits the residuals")
var noiseSource = RandomGenerator(seed: 5)
let curveInputs = (0..<200).map { _ in noiseSource.uniform(0, 6) }
let curveTargets = curveInputs.map { sin($0) + noiseSource.normal(mean: 0, std: 0.3) }
let curveX = Tensor(shape: [200, 1], scalars: curveInputs), curveY = Tensor(shape: [200], scalars: curveTargets)
let gridInputs = (0...600).map { Float($0) / 100 }
let gridX = Tensor(shape: [gridInputs.count, 1], scalars: gridInputs)
let boostingRate: Float = 0.1, handRounds = 100

var fitted = [Float](repeating: curveTargets.reduce(0, +) / Float(curveTargets.count), count: curveTargets.count)  // F₀ = mean y
var fittedOnGrid = [Float](repeating: fitted[0], count: gridInputs.count)
var handLoss: [Double] = []
var snapshots: [(round: Int, curve: [Float])] = []
for round in 1...handRounds {
    let residuals = Tensor(shape: [curveTargets.count], scalars: zip(curveTargets, fitted).map { $0 - $1 })
    var correction = DecisionTreeRegressor(maxDepth: 2)
    try correction.fit(curveX, residuals)
    let step = correction.predict(curveX).scalars, gridStep = correction.predict(gridX).scalars
    for i in fitted.indices { fitted[i] += boostingRate * step[i] }
    for i in fittedOnGrid.indices { fittedOnGrid[i] += boostingRate * gridStep[i] }
    handLoss.append(zip(fitted, curveTargets).reduce(0.0) { $0 + 0.5 * Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(fitted.count))
    if [1, 10, 100].contains(round) { snapshots.append((round, fittedOnGrid)) }
}
var libraryBoosting = GradientBoostingRegressor(rounds: handRounds, learningRate: boostingRate, maxLeaves: 4, maxDepth: 2,
                                                minSamplesLeaf: 1)
try libraryBoosting.fit(curveX, curveY)
for round in [1, 10, 30, 100] {
    print(String(format: "round %3d: ½·mean squared error  by hand %.4f   library %.4f",
                 round, handLoss[round - 1], libraryBoosting.trainLoss[round - 1]))
}

var boostedCurves = ScatterPlot(title: "The boosted sum after 1, 10, 100 rounds", xLabel: "x", yLabel: "y")
boostedCurves.addPoints("noisy sin x", x: curveInputs, y: curveTargets, color: RGBColor(gray: 170))
for (index, snapshot) in snapshots.enumerated() {
    boostedCurves.addPoints("\(snapshot.round) round" + (snapshot.round == 1 ? "" : "s"), x: gridInputs, y: snapshot.curve,
                            color: .palette(index))
}
boostedCurves.markerRadius = 2
boostedCurves.width = 560
var handLossChart = LineChart(title: "Training loss per round", xLabel: "round", yLabel: "mean squared error / 2")
handLossChart.addSeries("by hand (depth-2 CART trees)", y: handLoss, firstX: 1)
handLossChart.addSeries("GradientBoostingRegressor", y: libraryBoosting.trainLoss, firstX: 1)
handLossChart.width = 560
try figure("boosting_by_hand.png") { try Canvas.sideBySide([boostedCurves.render(), handLossChart.render()]).write(to: $0) }

// %% [markdown]
// ## Histogram gradient boosting, round by round
// For two classes the score F gives p = σ(F), the loss is the log-loss, and
// each row's gradient and hessian are gᵢ = pᵢ − yᵢ and hᵢ = pᵢ(1 − pᵢ).
// Second-order boosting (XGBoost, LightGBM) gives a leaf with gradient sum G
// and hessian sum H the value −η·G/(H + λ), and scores a cut by the gain
// G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ). The library bins every feature
// once into at most 255 bins, so a split search reads one small histogram per
// feature instead of sorting rows, and grows each tree leaf by leaf up to
// `maxLeaves`.
//
// We boost 300 rounds of 31-leaf trees (LightGBM's default) on the sine-sum set and score a
// separate validation set after every round. The training loss keeps falling;
// the validation loss stops falling and slowly climbs as the later trees fit
// noise. Early stopping keeps the round with the lowest validation loss: a
// patience (`earlyStoppingRounds`) as long as the run records the whole curve,
// a patience of 20 stops soon after the minimum.

// %%
cell("6. gradient boosting: the loss, round by round")
let sineValidation = SineSumClassification(count: 2_000, seed: 2)
let boostingRounds = quick ? 100 : 300, leavesPerTree = 31
var boosting = GradientBoostingClassifier(rounds: boostingRounds, learningRate: 0.1, maxLeaves: leavesPerTree,
                                          earlyStoppingRounds: boostingRounds, seed: 0)
try boosting.fit(sineTrain.x, sineTrain.y, validation: (sineValidation.x, sineValidation.y))
let trainLoss = boosting.trainLoss, validationLoss = boosting.validationLoss
for round in [1, 10, 50, 100, 300] where round <= trainLoss.count {
    print(String(format: "round %3d: training log-loss %.4f, validation log-loss %.4f", round, trainLoss[round - 1], validationLoss[round - 1]))
}
print(String(format: "lowest validation loss at round %d; the model keeps %d rounds: test accuracy %.3f",
             boosting.bestRound ?? 0, boosting.trees.count, boosting.score(sineTest.x, sineTest.y)))
var patient = GradientBoostingClassifier(rounds: boostingRounds, learningRate: 0.1, maxLeaves: leavesPerTree, earlyStoppingRounds: 20, seed: 0)
try patient.fit(sineTrain.x, sineTrain.y, validation: (sineValidation.x, sineValidation.y))
print(String(format: "patience 20: stopped after %d rounds, kept %d, test accuracy %.3f",
             patient.roundsTrained, patient.bestRound ?? 0, patient.score(sineTest.x, sineTest.y)))
var boostingChart = LineChart(title: "Gradient boosting on sine-sum: log-loss per round", xLabel: "round", yLabel: "log-loss")
boostingChart.addSeries("training", y: trainLoss, firstX: 1)
boostingChart.addSeries("validation", y: validationLoss, firstX: 1)
if let bestRound = boosting.bestRound {
    boostingChart.addSeries("lowest validation loss", x: [Double(bestRound), Double(bestRound)], y: [0, 0.7],
                            color: RGBColor(gray: 150))
}
try figure("boosting_loss.png") { try boostingChart.write(to: $0) }

// %% [markdown]
// ## The learning rate
// η scales every tree before it joins the sum. A large η takes big steps:
// the validation loss drops fast, bottoms out early, and overfitting starts
// soon after; at η = 1 each tree undoes much of the last and the loss is
// noisy. A small η needs many more rounds (η = 0.03 is still falling after
// 300) but tends to reach a lower minimum, because each tree corrects only a
// little and later trees can still make up for its mistakes. The usual recipe:
// a small η, and early stopping to choose the number of rounds.

// %%
cell("7. the learning rate")
var rateChart = LineChart(title: "Validation log-loss per round, by learning rate", xLabel: "round", yLabel: "validation log-loss")
for rate: Float in [0.03, 0.1, 0.3, 1] {
    var model = GradientBoostingClassifier(rounds: boostingRounds, learningRate: rate, maxLeaves: leavesPerTree,
                                           earlyStoppingRounds: boostingRounds, seed: 0)
    try model.fit(sineTrain.x, sineTrain.y, validation: (sineValidation.x, sineValidation.y))
    let best = model.bestRound ?? model.roundsTrained
    print(String(format: "η = %.2f: lowest validation loss %.4f at round %3d, last round %.4f, test accuracy %.3f",
                 rate, model.validationLoss[best - 1], best, model.validationLoss.last ?? .nan, model.score(sineTest.x, sineTest.y)))
    rateChart.addSeries(String(format: "learning rate %.2f", rate), y: model.validationLoss, firstX: 1)
}
rateChart.yAxis.range = 0.25...0.75
try figure("learning_rate.png") { try rateChart.write(to: $0) }

// %% [markdown]
// ## Which features matter
// A forest's importance of feature j is its mean decrease in impurity: over
// every split on j in every tree, the sum of W·I − W_L·I_L − W_R·I_R,
// normalised to sum to 1. Boosting's is the total gain of its splits on j
// (normalised here too). On the sine-sum set the ten signal features x0 … x9
// (blue bars) should stand well above the eighteen noise features (grey);
// x8 and x9 act only through their product, so a cut on either one alone
// helps little, and they come last among the ten.
// Both are measured on the training rows, so a noise feature that many deep
// trees split on still gets some credit; permuting a feature's column in
// held-out rows and watching the accuracy drop is the usual cross-check.

// %%
cell("8. feature importances")
let sineFeatureNames = (0..<28).map { "x\($0)" }
let boostingGain = boosting.featureImportances(kind: .gain)
let totalGain = boostingGain.reduce(0, +)
let importanceSets: [(title: String, values: [Float])] = [
    ("Random forest: mean impurity decrease", sineForest.featureImportances),
    ("Gradient boosting: share of total gain", boostingGain.map { $0 / totalGain }),
]
var importancePanels: [Canvas] = []
for (title, values) in importanceSets {
    let topTen = values.indices.sorted { values[$0] > values[$1] }.prefix(10)
    print(title.padding(toLength: 40, withPad: " ", startingAt: 0) + " top 10: "
          + topTen.map { sineFeatureNames[$0] }.joined(separator: " ") + "  (\(topTen.filter { $0 < 10 }.count) of 10 are signal)")
    var chart = BarChart(labels: sineFeatureNames, values: values, title: title, valueLabel: "importance",
                         categoryLabel: "feature", orientation: .horizontal)
    chart.colors = sineFeatureNames.indices.map { $0 < 10 ? RGBColor.palette(0) : RGBColor(gray: 175) }
    chart.width = 560
    chart.height = 760
    importancePanels.append(chart.render())
}
let noiseShare = sineForest.featureImportances[10...].reduce(0, +)
print(String(format: "the 18 noise features hold %.1f%% of the forest's importance and %.1f%% of boosting's gain",
             100 * noiseShare, 100 * importanceSets[1].values[10...].reduce(0, +)))
try figure("feature_importances.png") { try Canvas.sideBySide(importancePanels).write(to: $0) }

// %% [markdown]
// ## What to try next
// - `swift run -c release lab-trees` runs the phase's lab: one tree, a forest
//   and boosting on 20 000 sine-sum rows (accuracy, AUC, fit time, the
//   out-of-bag score, importances, the loss per round, a tree printed as text)
//   and their boundaries on the moons. `--csv FILE --target COLUMN --cv 5`
//   fits any table; `--model gbdt|forest|tree`, `--learning-rate`, `--max-leaves`
//   and `--early-stopping` change the model.
// - `swift test -c release --filter TreesTests` runs the tests of the module:
//   trees, forests, feature binning and boosting, each against known answers.
// - Change a number and run again: `noise` of the moons in cell 3, `minSamplesLeaf`
//   instead of `maxDepth`, `maxFeatures: .count(1)` in the forest of cell 4,
//   `l2` or `rowSubsample` in the boosting of cell 6, `criterion: .entropy`.
//   Read the files named in each header of `Sources/Trees/`: one idea per file.
