import Foundation
import Testing
import Tensor
import LabKit
@testable import Trees

@Suite(.serialized) struct RandomForestTests {
    @Test func forestBeatsSingleTreeOnNoisyData() throws {
        let train = noisyTrees(rows: 3000, seed: 1), test = noisyTrees(rows: 3000, seed: 2)
        var tree = DecisionTreeClassifier(seed: 0)
        try tree.fit(train.x, train.y)
        var forest = RandomForestClassifier(trees: 60, oobScore: true, seed: 0)
        try forest.fit(train.x, train.y)
        let (treeAccuracy, forestAccuracy) = (tree.score(test.x, test.y), forest.score(test.x, test.y))
        #expect(forestAccuracy > treeAccuracy + 0.05, "forest \(forestAccuracy) vs tree \(treeAccuracy)")
        // The out-of-bag accuracy estimates the test accuracy.
        let oob = try #require(forest.oobScore)
        #expect(abs(oob - forestAccuracy) < 0.03, "OOB \(oob) vs test \(forestAccuracy)")
        // Probabilities are means of leaf frequencies: rows sum to 1.
        let proba = forest.predictProba(test.x).scalars
        #expect((0..<100).allSatisfy { abs(proba[2 * $0] + proba[2 * $0 + 1] - 1) < 1e-5 })
        #expect(abs(forest.featureImportances.reduce(0, +) - 1) < 1e-5)
        // The 8 sine features and the two of the product carry the signal; features 10 and 11 are noise.
        #expect(forest.featureImportances[10] < forest.featureImportances[0])
    }

    @Test func sameSeedSameForestWhateverTheThreadCount() throws {
        let (x, y) = noisyTrees(rows: 2000, seed: 4)
        let test = noisyTrees(rows: 500, seed: 5).x
        let saved = ComputeThreads.count
        defer { ComputeThreads.set(saved) }
        var fits: [RandomForestClassifier] = []
        for threads in [1, 2, 2] {
            ComputeThreads.set(threads)
            var forest = RandomForestClassifier(trees: 12, maxDepth: 8, seed: 42)
            try forest.fit(x, y)
            fits.append(forest)
        }
        for other in fits.dropFirst() {
            #expect(other.estimators.map(\.nodes) == fits[0].estimators.map(\.nodes))
            #expect(other.predictProba(test).scalars == fits[0].predictProba(test).scalars)
        }
        var reseeded = RandomForestClassifier(trees: 12, maxDepth: 8, seed: 43)
        try reseeded.fit(x, y)
        #expect(reseeded.estimators.map(\.nodes) != fits[0].estimators.map(\.nodes))
    }

    @Test func regressionForestBeatsSingleTree() throws {
        var generator = RandomGenerator(seed: 7)
        func draw(_ m: Int) -> (Tensor, Tensor) {
            let x = Tensor(shape: [m, 4]) { _ in generator.uniform(-2, 2) }
            let xs = x.scalars
            let y = (0..<m).map { Float(sin(Double(xs[4 * $0])) * 2) + xs[4 * $0 + 1] * xs[4 * $0 + 1] + 0.3 * Float(generator.normal()) }
            return (x, Tensor(shape: [m], scalars: y))
        }
        let (x, y) = draw(1500), (xt, yt) = draw(1500)
        var tree = DecisionTreeRegressor()
        try tree.fit(x, y)
        var forest = RandomForestRegressor(trees: 40, oobScore: true, seed: 1)
        try forest.fit(x, y)
        let (treeR2, forestR2) = (tree.score(xt, yt), forest.score(xt, yt))
        #expect(forestR2 > treeR2 + 0.02, "forest R² \(forestR2) vs tree \(treeR2)")
        let oob = try #require(forest.oobScore)
        #expect(abs(oob - forestR2) < 0.05, "OOB R² \(oob) vs test \(forestR2)")
        #expect(forest.featureImportances[2] + forest.featureImportances[3] < 0.1)
    }
}
