// Memory stays flat over a long training loop: backward() releases the graph,
// so step 10 000 holds no more than step 1 000 did. Runs in its own process
// (an exit test) so that other tests' allocations do not move the figure.
import Foundation
import Testing
@testable import NN
import LabKit
import Autograd
import Tensor

@Suite struct MemoryTests {
    @Test(.enabled(if: ResidentMemory.isAvailable))
    func residentSizeStaysFlatOverTenThousandSteps() async {
        await #expect(processExitsWith: .success) {
            let model = Sequential(Linear(20, 64, seed: 1), ReLU(), Linear(64, 5, seed: 2))
            let x = Variable(Tensor.normal([32, 20], seed: 3))
            let targets = (0..<32).map { $0 % 5 }
            var atStep1000 = 0
            for step in 1...10_000 {
                let loss = model(x).crossEntropy(targets)
                loss.backward()
                noGrad {
                    for p in model.parameters { p.value -= 0.01 * p.grad! }
                }
                model.zeroGrad()
                if step == 1_000 { atStep1000 = ResidentMemory.bytes() }
            }
            let atStep10000 = ResidentMemory.bytes()
            let growth = Double(atStep10000 - atStep1000) / Double(atStep1000)
            FileHandle.standardError.write(Data("RSS at step 1000: \(atStep1000) B, at step 10000: \(atStep10000) B, growth \(growth)\n".utf8))
            exit(atStep1000 > 0 && growth < 0.10 ? 0 : 1)
        }
    }
}
