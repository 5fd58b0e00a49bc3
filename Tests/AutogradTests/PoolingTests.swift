// Pooling: hand values and gradcheck. Step h = 1e-2, worst error < 1e-2; max
// pooling uses inputs whose values differ by ≥ 0.1, so x ± h keeps each window's
// winner. (conv2d lives in NN beside its layer: NNTests/Conv2dOpTests.swift.)
import Testing
@testable import Autograd
import Tensor

@Suite struct PoolingTests {
    @Test func badWindowStops() async {
        await #expect(processExitsWith: .failure) {          // window larger than the image
            _ = Variable(Tensor.zeros([1, 1, 2, 2])).maxPool2d(kernel: 3)
        }
    }

    @Test func maxPooling() {
        let x = Variable(Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 6]), requiresGrad: true)
        let y = x.maxPool2d(kernel: 2)
        #expect(y.shape == [1, 1, 1, 2] && y.value.scalars == [5, 8])
        y.sum().backward()
        #expect(x.grad!.scalars == [0, 1, 0, 0, 0, 0, 1, 0])
        // Distinct values 0.1 apart (a permutation of 0..<100 by 37, prime to 100).
        let spaced = Tensor(shape: [2, 2, 5, 5]) { Float(($0 * 37) % 100) * 0.1 }
        check("maxPool2d kernel 2", [spaced]) { $0[0].maxPool2d(kernel: 2) }
        check("maxPool2d kernel 3 stride 1 (overlapping)", [spaced]) { $0[0].maxPool2d(kernel: 3, stride: 1) }
    }

    @Test func averagePooling() {
        let x = Variable(Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, 2, 0, 3, 4, 8, 6]), requiresGrad: true)
        let y = x.avgPool2d(kernel: 2)
        #expect(y.value.scalars == [3.25, 4])
        y.sum().backward()
        #expect(x.grad!.scalars == [Float](repeating: 0.25, count: 8))
        let input = Tensor.normal([2, 3, 6, 5], seed: 58)
        check("avgPool2d kernel 2", [input]) { $0[0].avgPool2d(kernel: 2) }
        check("avgPool2d kernel 3 stride 2", [input]) { $0[0].avgPool2d(kernel: 3, stride: 2) }
        #expect(Variable(input).avgPool2d(kernel: 3, stride: 2).shape == [2, 3, 2, 2])
    }
}
