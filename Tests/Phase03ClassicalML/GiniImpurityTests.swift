// Exercise gini-impurity (Sources/Trees/TreeGrowing.swift, impurity):
//   Gini(node) = 1 − Σ_k p_k²,   p_k = w_k / w   (w_k: the weight of class k in the node)
import GradingSupport
import Tensor
import Testing
import Trees

@Suite("Exercise gini-impurity: the impurity a classification tree minimises")
struct GiniImpurityTests {
    @Test("Classes 0, 0, 1, 1, 1, 2 at the root: 1 − (2² + 3² + 1²)/6² = 22/36", .exercise("gini-impurity", points: 2))
    func rootImpurity() throws {
        var tree = DecisionTreeClassifier(criterion: .gini, maxDepth: 1)
        try tree.fit(Tensor([[0], [1], [2], [3], [4], [5]]), Tensor([0, 0, 1, 1, 1, 2]))
        #expect(abs(tree.tree.nodes[0].impurity - 22.0 / 36) < 1e-6)
    }

    @Test("Two pure halves: the root (Gini ½) splits at 2.5 into two leaves of Gini 0", .exercise("gini-impurity", points: 1))
    func pureSplit() throws {
        var tree = DecisionTreeClassifier(criterion: .gini)
        try tree.fit(Tensor([[1], [2], [3], [4]]), Tensor([0, 0, 1, 1]))
        let root = tree.tree.nodes[0]
        #expect(abs(root.impurity - 0.5) < 1e-6)
        #expect(root.threshold == 2.5)
        #expect(tree.tree.nodes[Int(root.left)].impurity == 0 && tree.tree.nodes[Int(root.right)].impurity == 0)
        #expect(tree.predict(Tensor([[0], [5]])).scalars == [0, 1])
    }

    @Test("Gini picks the cut that lowers the weighted impurity most", .exercise("gini-impurity", points: 1))
    func bestCut() throws {
        // Labels along x: 0 0 0 1 1 0. Cut after 3 rows: ½·0 + ½·(1 − (1/9 + 4/9)) = 2/9;
        // after 5 rows: (5/6)(1 − (9 + 4)/25) = 0.4; after 4 rows: (4/6)(3/8) + (2/6)(½) = 0.4167. So x ≤ 3.5.
        var tree = DecisionTreeClassifier(criterion: .gini, maxDepth: 1)
        try tree.fit(Tensor([[1], [2], [3], [4], [5], [6]]), Tensor([0, 0, 0, 1, 1, 0]))
        #expect(tree.tree.nodes[0].threshold == 3.5)
    }
}
