import Testing
@testable import Autograd
import Tensor

@Suite struct AnomalyDetectionTests {
    @Test("The forward pass: the first op whose output is not finite is named, not the ops after it")
    func forwardAnomaly() {
        let x = Variable(Tensor([1, -2, 3]), requiresGrad: true, name: "x")
        let (loss, anomaly) = detectAnomalies { (x.log() * 2).exp().sum() }   // log(−2) = NaN, then passed on
        #expect(loss.value.item.isNaN)
        let found = try! #require(anomaly)
        #expect(found.place == .forwardOutput && found.op == "log" && found.index == 1 && found.value.isNaN)
        #expect(found.inputs == ["x [3]"])
        #expect(found.description.contains("the output of log (inputs: x [3])"))
    }

    @Test("The backward pass: √x at 0 is finite, its gradient 1/(2√x) is not")
    func backwardAnomaly() {
        let x = Variable(Tensor([4, 0]), requiresGrad: true, name: "x")
        let (_, anomaly) = detectAnomalies {
            let loss = x.sqrt().sum()
            #expect(loss.value.isFinite)
            loss.backward()
        }
        let found = try! #require(anomaly)
        #expect(found.place == .backwardGradient(input: 0) && found.op == "sqrt" && found.index == 1)
        #expect(found.value == .infinity)
        #expect(x.grad.map { !$0.isFinite } == true)
    }

    @Test("A parameter that already holds NaN is named as the cause, before the op that reads it")
    func leafAnomaly() {
        let weight = Variable(Tensor([[1, .nan], [0, 1]]), requiresGrad: true, name: "fc.weight")
        let input = Variable(Tensor([[1, 2]]))
        let (_, anomaly) = detectAnomalies { input.matmul(weight) }
        #expect(anomaly?.place == .leaf && anomaly?.tensor == "fc.weight [2, 2]" && anomaly?.index == 1)
    }

    @Test("Off by default, and nothing is found in a finite computation")
    func quietWhenFinite() {
        #expect(AnomalyRecorder.current == nil)
        let x = Variable(Tensor([1, 2, 3]), requiresGrad: true)
        let (_, anomaly) = detectAnomalies { x.exp().log().sum().backward() }
        #expect(anomaly == nil)
    }

    @Test("NumericGuard: a NaN loss and a non-finite gradient stop with the step, the parameter and the op")
    func numericGuard() throws {
        let weight = Variable(Tensor([4, 0]), requiresGrad: true)
        let named = [("layer.weight", weight)]
        let finiteLoss = { weight.sqrt().sum() }
        let loss = finiteLoss()
        try NumericGuard.checkLoss(loss, step: 1, parameters: named, replay: finiteLoss)   // finite: no throw
        loss.backward()
        do {
            try NumericGuard.checkGradients(of: named, step: 5, replay: finiteLoss)
            Issue.record("the gradient of √0 is infinite")
        } catch let failure as NonFiniteStep {
            #expect(failure.step == 5 && failure.symptom == .gradient(parameter: "layer.weight", index: 1, value: .infinity))
            #expect(failure.firstAnomaly?.op == "sqrt")
            #expect(failure.firstAnomaly?.inputs == ["layer.weight [2]"])   // the dotted name, during the replay only
            #expect(weight.name == nil)
        }
        let nanLoss = { (weight - 5).log().sum() }
        #expect(throws: NonFiniteStep.self) { try NumericGuard.checkLoss(nanLoss(), step: 2, parameters: named, replay: nanLoss) }
    }
}
