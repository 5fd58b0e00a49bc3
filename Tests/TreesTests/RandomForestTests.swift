import Foundation
import Testing
import Tensor
import LabKit
@testable import Trees

@Suite struct RandomForestTests {
    @Test func forestFitsXOR() throws {
        let (x, y) = xorData()
        var forest = RandomForestClassifier(trees: 10, oobScore: true)
        try forest.fit(x, y)
        #expect(forest.score(x, y) > 0.95)
    }
}

@Suite struct RandomForestNoisyTests {
    @Test func forestBeatsSingleTreeOnNoisyData() throws {
        let train = noisyTrees(rows: 3000, seed: 1), test = noisyTrees(rows: 3000, seed: 2)
        var tree = DecisionTreeClassifier(seed: 0)
        try tree.fit(train.x, train.y)
        var forest = RandomForestClassifier(trees: 60, oobScore: true, seed: 0)
        try forest.fit(train.x, train.y)
        let (treeAccuracy, forestAccuracy) = (tree.score(test.x, test.y), forest.score(test.x, test.y))
        #expect(forestAccuracy > treeAccuracy + 0.03, "forest \(forestAccuracy) vs tree \(treeAccuracy)")
        let oob = try #require(forest.oobScore)
        #expect(abs(oob - forestAccuracy) < 0.03, "OOB \(oob) vs test \(forestAccuracy)")
    }
}
