// Dropout: expectation kept in training, identity in evaluation, gradient through the mask.
import Testing
import NN
import Autograd
import Tensor

@Suite struct DropoutTests {
    @Test func trainingKeepsTheExpectation() {
        let dropout = Dropout(0.3, seed: 1)
        let y = dropout(Variable(Tensor.ones([100_000]))).value.scalars
        let zeros = y.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 100_000 - 0.3) < 0.01)                       // about p are dropped
        #expect(y.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })            // the rest scaled by 1/(1−p)
        #expect(abs(meanAndStd(y).mean - 1) < 0.01)                               // E[y] = x
        // A fresh mask each call.
        #expect(dropout(Variable(Tensor.ones([1000]))).value != dropout(Variable(Tensor.ones([1000]))).value)
    }

    @Test func evaluationIsIdentity() {
        let dropout = Dropout(0.5, seed: 2)
        dropout.eval()
        let x = Tensor.normal([10, 10], seed: 3)
        #expect(dropout(Variable(x)).value == x)
        #expect(Dropout(0, seed: 2)(Variable(x)).value == x)
        #expect(Dropout(1, seed: 2)(Variable(x)).value == Tensor.zeros([10, 10]))
    }

    @Test func gradientIsTheScaledMask() {
        let x = Variable(Tensor.normal([50], seed: 4), requiresGrad: true)
        let y = Dropout(0.5, seed: 5)(x)
        y.sum().backward()
        // ∂y/∂x = m / (1 − p): 0 where dropped, 2 where kept, matching y = x · that.
        for (g, (yi, xi)) in zip(x.grad!.scalars, zip(y.value.scalars, x.value.scalars)) {
            #expect(g == 0 || g == 2)
            #expect(abs(yi - g * xi) < 1e-6)
        }
    }
}
