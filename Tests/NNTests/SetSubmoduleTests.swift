// Module.setSubmodule (PyTorch's set_submodule): a layer put in a child's place
// by its dotted path, through a parent that allows it (replaceChild). Child
// names may hold dots ("h.0"), as GPT's blocks do.
import Testing
import Autograd
import NN
import Tensor

/// A parent with one replaceable slot, "proj".
private final class Slot: Layer {
    private(set) var proj: any Layer
    var isTraining = true
    init(_ layer: any Layer) { proj = layer }
    var localParameters: [(String, Variable)] { [] }
    var children: [(String, any Module)] { [("proj", proj)] }
    func replaceChild(_ name: String, with replacement: any Module) -> Bool {
        guard name == "proj", let layer = replacement as? any Layer else { return false }
        proj = layer
        return true
    }
    func callAsFunction(_ input: Variable) -> Variable { proj(input) }
}

/// Two slots under names with dots, as GPTTransformer names its blocks "h.0", "h.1".
private final class Stack: Module {
    let blocks = [Slot(Linear(3, 2, seed: 1)), Slot(Linear(3, 2, seed: 2))]
    var isTraining = true
    var localParameters: [(String, Variable)] { [] }
    var children: [(String, any Module)] { blocks.enumerated().map { ("h.\($0.offset)", $0.element as any Module) } }
}

/// Doubles what the wrapped layer gives.
private final class Doubling: Layer {
    let inner: any Layer
    var isTraining = true
    init(_ inner: any Layer) { self.inner = inner }
    var localParameters: [(String, Variable)] { inner.localParameters }
    func callAsFunction(_ input: Variable) -> Variable { inner(input) * 2 }
}

@Suite struct SetSubmoduleTests {
    @Test func aLayerTakesTheChildsPlaceByItsDottedPath() {
        let stack = Stack()
        let x = Variable(Tensor.normal([4, 3], seed: 3))
        let before = stack.blocks[1](x).value
        let original = stack.blocks[1].proj
        #expect(stack.setSubmodule("h.1.proj", to: Doubling(original)))
        #expect(stack.blocks[1](x).value.scalars == (before * 2).scalars)
        // The other block is untouched, and the names of the parameters are the same as before.
        #expect(stack.blocks[0].proj is Linear)
        #expect(stack.namedParameters.map(\.0) == ["h.0.proj.weight", "h.0.proj.bias", "h.1.proj.weight", "h.1.proj.bias"])
    }

    @Test func unknownPathsAndParentsThatDoNotAllowItAreRefused() {
        let stack = Stack()
        #expect(!stack.setSubmodule("h.2.proj", to: Linear(3, 2)))
        #expect(!stack.setSubmodule("h.0.other", to: Linear(3, 2)))
        #expect(!stack.setSubmodule("h.0", to: Linear(3, 2)))           // Stack keeps the default: no replacing
        #expect(!stack.setSubmodule("", to: Linear(3, 2)))
        #expect(stack.blocks[0].proj is Linear && stack.blocks[1].proj is Linear)
    }
}
