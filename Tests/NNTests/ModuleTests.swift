import Testing
@testable import NN
import Autograd
import Tensor

/// A two-level tree: parameters get dotted names, modes propagate.
final class Leafy: Module {
    var isTraining = true
    let weight = Variable(Tensor.ones([2]), requiresGrad: true)
    var localParameters: [(String, Variable)] { [("weight", weight)] }
}

final class Tree: Module {
    var isTraining = true
    let left = Leafy(), right = Leafy()
    let scale = Variable(Tensor(1), requiresGrad: true)
    var localParameters: [(String, Variable)] { [("scale", scale)] }
    var children: [(String, any Module)] { [("left", left), ("right", right)] }
}

@Suite struct ModuleTests {
    @Test func namesModesAndGradients() {
        let tree = Tree()
        #expect(tree.namedParameters.map(\.0) == ["scale", "left.weight", "right.weight"])
        #expect(tree.parameterCount == 5)
        tree.eval()
        #expect(!tree.isTraining && !tree.left.isTraining && !tree.right.isTraining)
        tree.train()
        #expect(tree.right.isTraining)
        (tree.left.weight * tree.scale).sum().backward()
        #expect(tree.left.weight.grad != nil)
        tree.zeroGrad()
        #expect(tree.parameters.allSatisfy { $0.grad == nil })
    }
}
