// Phase 3's core: what the learner is given and does not re-implement (least
// squares, the entropy criterion, k-means). These pass in the student edition too.
import Foundation
import GradingSupport
import LinearModels
import Tensor
import Testing
import Trees
import Unsupervised

@Suite("Phase 3 core: least squares, entropy trees and k-means")
struct CoreTests {
    @Test("Least squares recovers y = 2x₁ − 3x₂ + 1 from exact data", .points(1))
    func leastSquares() throws {
        let x = Tensor([[0, 0], [1, 0], [0, 1], [1, 1], [2, 3]])
        let y = Tensor(x.scalars.indices.filter { $0 % 2 == 0 }.map { 2 * x.scalars[$0] - 3 * x.scalars[$0 + 1] + 1 })
        var model = LinearRegression()
        try model.fit(x, y)
        #expect(abs(model.coefficients[0] - 2) < 1e-4 && abs(model.coefficients[1] + 3) < 1e-4)
        #expect(abs(model.intercept - 1) < 1e-4)
    }

    @Test("An entropy tree's root over classes 0, 0, 1, 1 holds 1 bit", .points(1))
    func entropyRoot() throws {
        var tree = DecisionTreeClassifier(criterion: .entropy)
        try tree.fit(Tensor([[1], [2], [3], [4]]), Tensor([0, 0, 1, 1]))
        #expect(abs(tree.tree.nodes[0].impurity - 1) < 1e-6)
        #expect(tree.predict(Tensor([[1.5], [3.5]])).scalars == [0, 1])
    }

    @Test("k-means with k = 2 separates two distant groups", .points(1))
    func kMeans() throws {
        let x = Tensor([[0, 0], [0.2, 0.1], [0.1, 0.3], [10, 10], [10.2, 9.9], [9.8, 10.1]])
        var model = KMeans(clusters: 2, seed: 1)
        try model.fit(x)
        #expect(model.labels[0] == model.labels[1] && model.labels[1] == model.labels[2])
        #expect(model.labels[3] == model.labels[4] && model.labels[4] == model.labels[5])
        #expect(model.labels[0] != model.labels[3])
    }
}
