// A shape mismatch inside a layer is a programmer error: the process stops (precondition).
import Testing
import NN
import Autograd
import Tensor

@Suite struct ShapeErrorTests {
    @Test func layersStopOnWrongShapes() async {
        await #expect(processExitsWith: .failure) {
            _ = Linear(784, 256)(Variable(Tensor.zeros([32, 100])))
        }
        await #expect(processExitsWith: .failure) {
            _ = LayerNorm(4)(Variable(Tensor.zeros([2, 3])))
        }
        await #expect(processExitsWith: .failure) {
            _ = BatchNorm2d(3)(Variable(Tensor.zeros([2, 3, 4])))
        }
        await #expect(processExitsWith: .failure) {
            _ = Embedding(5, 2)([7])
        }
    }
}
