import Foundation
import Testing
import Tensor
import LabKit
@testable import Trees

/// XOR of two features: 50 points jittered around each corner of the unit square.
func xorData(seed: UInt64 = 1) -> (x: Tensor, y: Tensor) {
    var generator = RandomGenerator(seed: seed)
    var x: [Float] = [], y: [Float] = []
    for _ in 0..<50 {
        for (a, b) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            x += [Float(a) + 0.3 * generator.uniform(-1, 1), Float(b) + 0.3 * generator.uniform(-1, 1)]
            y.append(Float(a ^ b))
        }
    }
    return (Tensor(shape: [y.count, 2], scalars: x), Tensor(shape: [y.count], scalars: y))
}

@Suite struct DecisionTreeTests {
    @Test func separatesXORExactly() throws {
        let (x, y) = xorData()
        var tree = DecisionTreeClassifier()
        try tree.fit(x, y)
        #expect(tree.score(x, y) == 1)
        // No single axis cut separates XOR: the tree needs at least two levels.
        #expect(tree.depth >= 2)
        // Every leaf of an unlimited tree on distinct points is pure.
        for j in 0..<tree.nodeCount where tree.tree.nodes[j].isLeaf {
            #expect(tree.tree.value(of: j).max() == 1)
        }
    }

    @Test func limitsHoldAtEveryNode() throws {
        let (x, y) = noisyTrees(rows: 600, seed: 3)
        var deep = DecisionTreeClassifier(maxDepth: 4)
        try deep.fit(x, y)
        #expect(deep.depth == 4)
        #expect(deep.tree.nodes.allSatisfy { $0.depth <= 4 })

        var leafy = DecisionTreeClassifier(minSamplesLeaf: 25)
        try leafy.fit(x, y)
        let leaves = leafy.tree.nodes.filter(\.isLeaf)
        #expect(leaves.count == leafy.leafCount && leaves.count > 1)
        #expect(leaves.allSatisfy { $0.sampleCount >= 25 })

        var split = DecisionTreeClassifier(minSamplesSplit: 60)
        try split.fit(x, y)
        let nodes = split.tree.nodes
        #expect(nodes.filter { !$0.isLeaf }.allSatisfy { $0.sampleCount >= 60 })
        // Children partition their parent's rows.
        for node in nodes where !node.isLeaf {
            #expect(nodes[Int(node.left)].sampleCount + nodes[Int(node.right)].sampleCount == node.sampleCount)
        }
        #expect(split.nodeCount == 2 * split.leafCount - 1)
    }

    @Test func regressionTreeFitsAStepFunctionExactly() throws {
        let xs = (0..<40).map { Float($0) / 40 }
        let step: (Float) -> Float = { $0 < 0.25 ? 0 : ($0 < 0.6 ? 3 : -1) }
        let x = Tensor(shape: [40, 1], scalars: xs), y = Tensor(shape: [40], scalars: xs.map(step))
        var tree = DecisionTreeRegressor()
        try tree.fit(x, y)
        #expect(tree.leafCount == 3)
        #expect(tree.predict(x).scalars == y.scalars)
        // Thresholds sit halfway between the training points either side of each step.
        let thresholds = tree.tree.nodes.filter { !$0.isLeaf }.map(\.threshold).sorted()
        #expect(thresholds == [Float((0.225 + 0.25) / 2), Float((0.575 + 0.6) / 2)])
        #expect(tree.featureImportances == [1])
    }

    /// 12 rows, 4 of each of 3 classes; two binary features, each offering one cut (at 0.5):
    ///   feature 0 splits the class counts (1,1,3) | (3,3,1): Gini 0.5905, entropy 1.4164 bits
    ///   feature 1 splits them (0,1,2) | (4,3,2):             Gini 0.5926, entropy 1.3774 bits
    /// so Gini cuts feature 0 and entropy feature 1.
    @Test func giniAndEntropyChooseDifferentCuts() throws {
        let classes: [Float] = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
        let feature0: [Float] = [0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1]
        let feature1: [Float] = [1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1]
        let x = Tensor(shape: [12, 2], scalars: zip(feature0, feature1).flatMap { [$0, $1] })
        let y = Tensor(shape: [12], scalars: classes)
        var gini = DecisionTreeClassifier(criterion: .gini, maxDepth: 1)
        try gini.fit(x, y)
        var entropy = DecisionTreeClassifier(criterion: .entropy, maxDepth: 1)
        try entropy.fit(x, y)
        let (g, h) = (gini.tree.nodes, entropy.tree.nodes)
        #expect(g[0].feature == 0 && g[0].threshold == 0.5)
        #expect(h[0].feature == 1 && h[0].threshold == 0.5)
        #expect(abs(g[0].impurity - 2.0 / 3) < 1e-6)                      // 1 − 3·(1/3)²
        #expect(abs(h[0].impurity - Float(log2(3.0))) < 1e-6)             // log₂ 3 bits
        #expect(abs(g[Int(g[0].left)].impurity - Float(1 - (1.0 + 1 + 9) / 25)) < 1e-6)
        #expect(abs(h[Int(h[0].left)].impurity - Float(-(1.0 / 3) * log2(1.0 / 3) - (2.0 / 3) * log2(2.0 / 3))) < 1e-6)
        // The left leaf of the entropy stump holds (0, 1, 2) rows: frequencies (0, 1/3, 2/3).
        let proba = entropy.predictProba(Tensor(shape: [1, 2], scalars: [1, 0])).scalars
        #expect(zip(proba, [0, 1.0 / 3, 2.0 / 3]).allSatisfy { abs($0 - Float($1)) < 1e-6 })
    }

    @Test func pureSignalFeatureDominatesImportance() throws {
        var generator = RandomGenerator(seed: 9)
        let n = 800, d = 5
        let x = Tensor(shape: [n, d]) { _ in Float(generator.normal()) }
        let xs = x.scalars
        let y = Tensor(shape: [n], scalars: (0..<n).map { xs[$0 * d + 2] > 0.3 ? 1 : 0 })
        var tree = DecisionTreeClassifier(maxDepth: 3)
        try tree.fit(x, y)
        #expect(tree.featureImportances.count == d)
        #expect(abs(tree.featureImportances.reduce(0, +) - 1) < 1e-5)
        #expect(tree.featureImportances[2] == 1)     // one cut on feature 2 makes both leaves pure
        #expect(tree.nodeCount == 3)
    }

    @Test func classWeightsMoveTheBoundary() throws {
        // Class 0: 100 points on 0.00 … 0.99; class 1: 50 points on 0.50 … 1.48. They overlap on [0.5, 1).
        // Unweighted, the cut near 1.0 is best (Gini 0.267 against 0.333 near 0.5); with class 1
        // weighing 10, the cut near 0.5 is (0.152 against 0.238).
        let xs = (0..<100).map { Float($0) / 100 } + (0..<50).map { 0.5 + Float($0) / 50 }
        let x = Tensor(shape: [150, 1], scalars: xs)
        let y = Tensor(shape: [150], scalars: [Float](repeating: 0, count: 100) + [Float](repeating: 1, count: 50))
        var plain = DecisionTreeClassifier(maxDepth: 1)
        try plain.fit(x, y)
        var weighted = DecisionTreeClassifier(maxDepth: 1, classWeight: .custom([1: 10]))
        try weighted.fit(x, y)
        let (t0, t1) = (plain.tree.nodes[0].threshold, weighted.tree.nodes[0].threshold)
        #expect(abs(t0 - 0.995) < 1e-6 && abs(t1 - 0.495) < 1e-6, "plain cut \(t0), weighted cut \(t1)")
        #expect(plain.predict(Tensor(shape: [1, 1], scalars: [0.7])).scalars == [0])
        #expect(weighted.predict(Tensor(shape: [1, 1], scalars: [0.7])).scalars == [1])
        // balanced: n / (K · n_k) = 150 / (2 · 100) and 150 / (2 · 50).
        #expect(try ClassWeight.balanced.weights(classes: [0, 1], counts: [100, 50]) == [0.75, 1.5])
    }

    @Test func textDumpIsPinned() throws {
        // petal width: 4 setosa, 3 versicolor, 3 virginica; a constant second column.
        let widths: [Float] = [0.2, 0.3, 0.3, 0.4, 1.0, 1.2, 1.5, 1.9, 2.1, 2.3]
        let x = Tensor(shape: [10, 2], scalars: widths.flatMap { [$0, 1] })
        let y = Tensor(shape: [10], scalars: [0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
        var tree = DecisionTreeClassifier()
        try tree.fit(x, y)
        let names = ["petal width", "sepal length"], classes = ["setosa", "versicolor", "virginica"]
        #expect(tree.textDump(featureNames: names, classNames: classes) == """
            |--- petal width <= 0.70
            |   |--- class: setosa
            |--- petal width >  0.70
            |   |--- petal width <= 1.70
            |   |   |--- class: versicolor
            |   |--- petal width >  1.70
            |   |   |--- class: virginica

            """)
        #expect(tree.textDump(maxDepth: 0) == """
            |--- feature_0 <= 0.70
            |   |--- class: 0
            |--- feature_0 >  0.70
            |   |--- truncated branch of depth 2

            """)
    }

    @Test func refusesBadInput() throws {
        let (x, y) = xorData()
        var tree = DecisionTreeClassifier(minSamplesSplit: 1)
        #expect(throws: EstimatorError.self) { try tree.fit(x, y) }
        tree = DecisionTreeClassifier(maxFeatures: .fraction(0))
        #expect(throws: EstimatorError.self) { try tree.fit(x, y) }
        var scalars = x.scalars
        scalars[5] = .nan
        tree = DecisionTreeClassifier()
        #expect(throws: EstimatorError.nonFiniteValue(row: 2, column: 1)) { try tree.fit(Tensor(shape: x.shape, scalars: scalars), y) }
    }
}
